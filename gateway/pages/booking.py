"""The booking journey: service, time, the form, the confirmation and its calendar file.

Each step is a GET page whose address carries the choice so far (`booking_choice`), so the
journey works without JavaScript, with the browser's back button and from a bookmark. The
pages call the JSON API's RPCs and read the form with its contract schema, `BookingRequest`.

A first booking creates the coachee's account, and the bookings service answers with its
username but no login. The form's handler then logs the person in with the password they just
chose (accounts' `log_in`, as `POST /api/session` does) and redirects to the confirmation, which
shows the username of the logged-in coachee: nothing new is stored and the username never
appears in an address. The confirmation's `?uusi=1` only says to show it as new.

The form carries an idempotency key made when it is first rendered (kept when it is shown again
with errors), which the service scopes to the caller: a double click or a re-sent form books
once, and the repeat answers with the same booking (and logs the person in again).
"""

import secrets
from dataclasses import replace
from datetime import timedelta
from urllib.parse import quote, urlencode

import eventlet
from werkzeug.wrappers import Response

from gateway.cookies import set_session_cookie
from gateway.pages.booking_calendar import calendar_file
from gateway.pages.booking_choice import (
    DELIVERY_LABELS,
    FORM,
    SLOT_TAKEN,
    TIMES,
    Choice,
    ChoiceNotOffered,
    ChoiceQuery,
    by_id,
    choice_of,
    days_of_week,
    offer_of,
    this_week,
)
from gateway.pages.forms import FORM_REFUSALS, FormRefused, form_of, load_form, refusal_errors
from gateway.pages.navigation import LOGIN
from gateway.pages.rendering import redirect, render, with_page_headers
from gateway.pages.routing import page
from services.contracts.accounts import COACHEE
from services.contracts.bookings import (
    ACTIVE_STATUSES,
    PENDING,
    BookingRequest,
    IdempotencyKeyReused,
    NotEligible,
    RegistrationExpired,
    SlotTaken,
)
from services.contracts.errors import Unauthenticated
from services.contracts.fields import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from services.contracts.identity_code import contains_identity_code

DONE = "/varaa/valmis"
IDENTIFIER_LABEL = "/varaa/tunniste"
IDEMPOTENCY_FIELD = "avain"
NEW_ACCOUNT = "uusi"
PERSONAL_FIELDS = ("name", "email", "phone", "subscriber_id", "member_number", "password")
FORM_FIELDS = (*PERSONAL_FIELDS, "message")
ONE_MINUTE = timedelta(minutes=1)
ONE_WEEK = timedelta(weeks=1)


def at_once(*calls):
    """The answers of `calls` (RPCs) made side by side; the first error raised is raised."""
    threads = [eventlet.spawn(call) for call in calls]
    return [thread.wait() for thread in threads]


def given(values) -> dict:
    """A query's values without the empty ones, so optional fields take their defaults."""
    return {name: value for name, value in values.items() if value.strip() != ""}


def wants_region(request) -> bool:
    """htmx asks for the times region only, except when it restores a page from history."""
    headers = request.headers
    return "HX-Request" in headers and "HX-History-Restore-Request" not in headers


def form_errors(errors: dict) -> dict:
    """The contract's field names (`coachee.email`) as the form's, in the form's order."""
    named = {}
    for name, message in errors.items():
        field = name.removeprefix("coachee.")
        named[field if field in FORM_FIELDS else "_form"] = message
    return {name: named[name] for name in ("_form", *FORM_FIELDS) if name in named}


class BookingPages:
    # Step 1: the service

    @page("GET", "/")
    def choose_service(self, request, visitor):
        catalogue = self.bookings.list_services()["items"]
        return self.services_page(visitor, catalogue)

    def services_page(self, visitor, catalogue, chosen=None, errors=None, status=200):
        context = {
            "services": catalogue,
            "chosen": chosen or {},
            "errors": errors or {},
            "delivery_labels": DELIVERY_LABELS,
        }
        return render(visitor, "booking/services.html", context, status)

    def choice_refused(self, visitor, values: dict, errors: dict):
        """Step 1 again (422) with the problems at the service the visitor chose."""
        catalogue = self.bookings.list_services()["items"]
        service = by_id(catalogue, values.get("service_id", ""))
        if service is None:
            message = visitor._("Valitse palvelu uudelleen: sitä ei enää tarjota.")
            return self.services_page(visitor, catalogue, errors={"_form": message}, status=422)
        number = catalogue.index(service) + 1
        anchored = {
            f"palvelu-{number}-{name}": message
            for name, message in errors.items()
            if name in ("specification_id", "delivery_method")
        } or {"_form": visitor._("Valitse palvelun tarkennus ja toteutustapa.")}
        return self.services_page(visitor, catalogue, values, anchored, 422)

    def choice_not_offered(self, visitor, choice: Choice, missing: ChoiceNotOffered):
        message = visitor._("Valitse palvelun tarkennus ja toteutustapa.")
        return self.choice_refused(visitor, choice.values(), {str(missing): message})

    def chosen(self, request, visitor) -> Choice:
        values = given(request.args)
        try:
            return choice_of(load_form(ChoiceQuery, values, visitor), self.clock.now())
        except FormRefused as refusal:
            raise ChoiceRefused(values, refusal.errors) from None

    # Step 2: the time

    @page("GET", TIMES)
    def choose_time(self, request, visitor):
        try:
            choice = self.chosen(request, visitor)
        except ChoiceRefused as refusal:
            return self.choice_refused(visitor, refusal.values, refusal.errors)
        search = {
            "service_id": choice.service_id,
            "from": choice.week.isoformat(),
            "to": (choice.week + timedelta(days=6)).isoformat(),
            "coach_id": choice.coach_id,
        }
        if wants_region(request):
            slots = self.bookings.find_slots(search)["items"]
            return render(visitor, "booking/times_region.html", self.week_context(choice, slots))
        catalogue, coaches, slots = at_once(
            lambda: self.bookings.list_services()["items"],
            lambda: self.bookings.list_coaches()["items"],
            lambda: self.bookings.find_slots(search)["items"],
        )
        try:
            offer = offer_of(choice, catalogue, coaches)
        except ChoiceNotOffered as missing:
            return self.choice_not_offered(visitor, choice, missing)
        context = {
            **self.week_context(choice, slots),
            "offer": offer,
            "slot_taken": SLOT_TAKEN in request.args,
            "delivery_labels": DELIVERY_LABELS,
        }
        return render(visitor, "booking/times.html", context)

    def week_context(self, choice: Choice, slots: list[dict]) -> dict:
        earlier = choice.week - ONE_WEEK
        return {
            "choice": choice,
            "days": days_of_week(choice.week, slots),
            "free": bool(slots),
            "earlier_path": (
                choice.times_path(earlier) if earlier >= this_week(self.clock.now()) else None
            ),
            "later_path": choice.times_path(choice.week + ONE_WEEK),
            "week_end": choice.week + timedelta(days=6),
        }

    # Step 3: the form

    @page("GET", FORM)
    def booking_form(self, request, visitor):
        try:
            choice = self.chosen(request, visitor)
        except ChoiceRefused as refusal:
            return self.choice_refused(visitor, refusal.values, refusal.errors)
        if choice.starts_at is None:
            return redirect(visitor, choice.times_path())
        return self.form_page(visitor, choice, {}, {}, secrets.token_urlsafe(24))

    def form_page(self, visitor, choice: Choice, posted: dict, errors: dict, key: str, status=200):
        coachee = visitor.role == COACHEE
        calls = [
            lambda: self.bookings.list_services()["items"],
            lambda: self.bookings.list_coaches()["items"],
        ]
        if coachee:
            calls.append(lambda: self.own_bookings_at(visitor, choice))
        elif visitor.caller is None:
            calls.append(lambda: self.billing.subscriber_choices()["items"])
        catalogue, coaches, *more = at_once(*calls)
        try:
            offer = offer_of(choice, catalogue, coaches)
        except ChoiceNotOffered as missing:
            return self.choice_not_offered(visitor, choice, missing)
        subscribers = more[0] if visitor.caller is None else []
        labels = {each["identifier_label"] for each in subscribers}
        chosen = by_id(subscribers, posted.get("subscriber_id", ""))
        if chosen is None and len(labels) == 1:
            chosen = subscribers[0]
        context = {
            "choice": choice,
            "offer": offer,
            "posted": posted,
            "errors": errors,
            "key": key,
            "already_booked": more[0] if coachee else [],
            "subscribers": subscribers,
            "subscriber": chosen,
            "subscriber_options": [(each["id"], each["name"]) for each in subscribers],
            "delivery_labels": DELIVERY_LABELS,
            "password_lengths": (PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH),
            "login_path": f"{LOGIN.path}?seuraava={quote(visitor.path)}",
        }
        return render(visitor, "booking/form.html", context, status)

    def own_bookings_at(self, visitor, choice: Choice) -> list[dict]:
        """The coachee's active bookings of this service at the chosen time: the form was sent
        already (e.g. the browser went back after a first booking logged the person in)."""
        window = {
            "from": choice.starts_at.isoformat(),
            "to": (choice.starts_at + ONE_MINUTE).isoformat(),
        }
        bookings = self.bookings.list_bookings(visitor.caller.actor, window)["items"]
        return [
            booking
            for booking in bookings
            if booking["status"] in ACTIVE_STATUSES
            and str(booking["service_id"]) == choice.service_id
        ]

    @page("GET", IDENTIFIER_LABEL)
    def identifier_label(self, request, visitor):
        """The member number's label for the subscriber chosen (htmx swaps it in the form)."""
        subscribers = self.billing.subscriber_choices()["items"]
        chosen = by_id(subscribers, request.args.get("subscriber_id", ""))
        return render(visitor, "booking/identifier_label.html", {"subscriber": chosen})

    @page("POST", FORM)
    def book(self, request, visitor):
        posted = form_of(request)
        key = posted.pop(IDEMPOTENCY_FIELD, "") or secrets.token_urlsafe(24)
        try:
            choice = choice_of(load_form(ChoiceQuery, posted, visitor), self.clock.now())
        except FormRefused as refusal:
            return self.choice_refused(visitor, posted, refusal.errors)
        if choice.starts_at is None:
            return redirect(visitor, choice.times_path())
        form = {name: value for name, value in choice.booking_request().items() if value}
        if "message" in posted:
            form["message"] = posted["message"]
        if visitor.caller is None:
            form["coachee"] = {name: posted[name] for name in PERSONAL_FIELDS if name in posted}
        try:
            answer = self.bookings.create_booking(
                load_form(BookingRequest, form, visitor),
                visitor.caller.actor if visitor.caller else None,
                key,
            )
        except SlotTaken:
            return redirect(visitor, choice.times_path(**{SLOT_TAKEN: "1"}))
        except NotEligible:
            message = visitor._(
                "Tilaaja ei tunnistanut tätä tunnistetta. Tarkista tilaaja ja tunniste."
            )
            return self.form_refused(visitor, choice, posted, {"member_number": message}, key)
        except (IdempotencyKeyReused, RegistrationExpired):
            message = visitor._("Lomake vanhentui. Tarkista tiedot ja lähetä lomake uudelleen.")
            fresh_key = secrets.token_urlsafe(24)
            return self.form_refused(visitor, choice, posted, {"_form": message}, fresh_key)
        except FORM_REFUSALS as refusal:
            return self.form_refused(visitor, choice, posted, refusal_errors(refusal, visitor), key)
        return self.booked(request, visitor, answer, posted.get("password", ""))

    def form_refused(self, visitor, choice, posted, errors, key):
        """The form again (422) with what was given, except the password and any personal
        identity code, which the page must not hold either. Its links back (the language
        switch, logging in) lead to the form's own address, not to the post's."""
        shown = {
            name: value
            for name, value in posted.items()
            if name != "password" and not contains_identity_code(value)
        }
        at_form = replace(visitor, path=choice.form_path(choice.starts_at.isoformat()))
        return self.form_page(at_form, choice, shown, form_errors(errors), key, status=422)

    def booked(self, request, visitor, answer: dict, password: str):
        """To the confirmation; a first booking logs its new coachee in on the way."""
        booking_id = answer["booking"]["id"]
        if "username" not in answer:
            return redirect(visitor, f"{DONE}/{booking_id}")
        credentials = {
            "username": answer["username"],
            "password": password,
            "remember_me": False,
            "client_address": self.client_address(request),
        }
        try:
            login = self.accounts.log_in(credentials)
        except Unauthenticated:
            return redirect(visitor, f"{LOGIN.path}?seuraava={quote(DONE + '/' + booking_id)}")
        response = redirect(visitor, f"{DONE}/{booking_id}?{urlencode({NEW_ACCOUNT: '1'})}")
        principal = login["principal"]
        set_session_cookie(response, login["token"], principal["expires_at"], self.clock.now())
        return response

    # Step 4: the confirmation and the calendar file

    @page("GET", f"{DONE}/<booking_id>", roles=(COACHEE,))
    def confirmation(self, request, visitor, booking_id):
        booking, catalogue = at_once(
            lambda: self.bookings.get_booking(booking_id, visitor.caller.actor),
            lambda: self.bookings.list_services()["items"],
        )
        context = {
            "booking": booking,
            "service": by_id(catalogue, booking["service_id"]),
            "specification": specification_of(catalogue, booking),
            "new_account": NEW_ACCOUNT in request.args,
            "pending": booking["status"] == PENDING,
            "delivery_labels": DELIVERY_LABELS,
        }
        return render(visitor, "booking/done.html", context)

    @page("GET", "/varaukset/<booking_id>/kalenteri.ics", roles=(COACHEE,))
    def calendar(self, request, visitor, booking_id):
        booking, catalogue = at_once(
            lambda: self.bookings.get_booking(booking_id, visitor.caller.actor),
            lambda: self.bookings.list_services()["items"],
        )
        service = by_id(catalogue, booking["service_id"]) or {"name": ""}
        specification = specification_of(catalogue, booking) or {"name": ""}
        delivery = visitor._(DELIVERY_LABELS[booking["delivery_method"]])
        description = visitor._(
            "Valmentaja: %(coach)s. Toteutus: %(delivery)s.",
            coach=booking["coach_name"] or "",
            delivery=delivery,
        )
        file = calendar_file(
            booking,
            summary=f"{service['name']} ({specification['name']})",
            description=description,
            location=delivery,
            uid_domain=request.host.partition(":")[0] or "valmennuskalenteri",
            now=self.clock.now(),
        )
        response = Response(file, mimetype="text/calendar")
        response.headers["Content-Disposition"] = 'attachment; filename="varaus.ics"'
        return with_page_headers(response, visitor)


class ChoiceRefused(Exception):
    def __init__(self, values: dict, errors: dict):
        super().__init__(", ".join(errors))
        self.values = values
        self.errors = errors


def specification_of(catalogue: list[dict], booking: dict) -> dict | None:
    service = by_id(catalogue, booking["service_id"])
    if service is None:
        return None
    return by_id(service["specifications"], booking["specification_id"])
