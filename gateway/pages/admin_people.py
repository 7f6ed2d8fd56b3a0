"""The administrator's pages about people: the home's work queue, all bookings and the queue
waiting for an eligibility decision, coachees' profiles, staff and subscriber-contact accounts
(R-PROFILE-3, R-SEC-2..4, R-ELIG-1).

Each form is read with the schema its JSON route reads and goes to the same RPC. Reading a
coachee's profile and editing an account go through the functions the API's routes call
(`read_coachee_profile`, `edit_account`), so accounts audits the page's reads and changes as it
audits the API's.
"""

from werkzeug.wrappers import Request

from gateway.pages.admin_people_forms import (
    day_as_instant,
    helsinki_midnight,
    load_with_days,
    login_change,
    login_state,
    logins_of,
    refused,
)
from gateway.pages.admin_people_reads import (
    BOOKING_PAGE_SIZE,
    PERSON_PAGE_SIZE,
    QUEUE_SHOWN,
    at_once,
    bookings_between,
    catalogue_names,
    subscriber_names,
    subscribers,
    waiting_queue,
)
from gateway.pages.forms import FORM_REFUSALS, FormRefused, form_of, load_form
from gateway.pages.i18n import HELSINKI
from gateway.pages.navigation import MENUS, N_
from gateway.pages.rendering import redirect, render
from gateway.pages.routing import page
from gateway.routes.accounts import edit_account, read_coachee_profile
from services.contracts.accounts import (
    ADMIN,
    COACH,
    PRIVACY,
    STAFF_ROLES,
    SUBSCRIBER,
    CoacheeChanges,
    CoacheeQuery,
    PageQuery,
    StaffAccountChanges,
    StaffCreation,
)
from services.contracts.billing import ELIGIBILITY_MANUAL, ELIGIBILITY_ROSTER
from services.contracts.bookings import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    NO_SHOW,
    PENDING,
    STATUSES,
    BookingFilter,
    EligibilityDecision,
)
from services.contracts.errors import Conflict, NotFound

REFUSALS = (*FORM_REFUSALS, Conflict)

BOOKINGS = "/hallinta/varaukset"
QUEUE = "/hallinta/hyvaksyttavat"
COACHEES = "/hallinta/valmennettavat"
STAFF = "/hallinta/henkilosto"
ADMIN_ONLY = (ADMIN,)
BOOKING_FILTERS = ("coach_id", "status", "from", "to")
COACHEE_FIELDS = ("name", "email", "phone", "subscriber_id", "member_number")
STAFF_FIELDS = ("username", "role", "name", "email", "subscriber_id")

STATUS_NAMES = {
    PENDING: N_("Odottaa hyväksyntää"),
    CONFIRMED: N_("Vahvistettu"),
    COMPLETED: N_("Toteutunut"),
    CANCELLED: N_("Peruttu"),
    NO_SHOW: N_("Ei saapunut"),
}
ROLE_NAMES = {
    COACH: N_("Valmentaja"),
    ADMIN: N_("Ylläpitäjä"),
    PRIVACY: N_("Tietosuojavastaava"),
    SUBSCRIBER: N_("Tilaajan yhteyshenkilö"),
}
DELIVERY_NAMES = {
    "video": N_("Videoyhteys"),
    "phone": N_("Puhelin"),
    "on_site": N_("Paikan päällä"),
}
RULE_NAMES = {
    ELIGIBILITY_ROSTER: N_("Tilaajan jäsenluettelossa"),
    ELIGIBILITY_MANUAL: N_("Ylläpitäjän päätöksellä"),
}
WORDS = {
    "status_names": STATUS_NAMES,
    "role_names": ROLE_NAMES,
    "delivery_names": DELIVERY_NAMES,
    "rule_names": RULE_NAMES,
}


def args_of(request: Request, names: tuple[str, ...]) -> dict:
    """The query string's non-empty values of `names`."""
    return {name: request.args[name] for name in names if request.args.get(name, "").strip()}


def posted_of(request: Request, names: tuple[str, ...]) -> dict:
    """The form's non-empty values of `names`."""
    return {name: value for name, value in form_of(request).items() if name in names}


class AdminPeoplePages:
    def admin_home(self, request, visitor):
        """`/tyopoyta` for an administrator: what waits for a decision, then today."""
        actor = visitor.caller.actor
        today = self.clock.now().astimezone(HELSINKI).date()
        start, end = helsinki_midnight(today), day_as_instant(today.isoformat(), 1)
        queue, todays, names = at_once(
            lambda: waiting_queue(self.bookings, actor),
            lambda: bookings_between(self.bookings, actor, start, end),
            lambda: catalogue_names(self.bookings),
        )
        context = {
            "queue": queue[:QUEUE_SHOWN],
            "queue_count": len(queue),
            "today": today.isoformat(),
            "todays_count": sum(1 for booking in todays if booking["status"] != CANCELLED),
            "areas": MENUS[ADMIN][1:],
            "names": names,
            **WORDS,
        }
        return render(visitor, "admin_people/home.html", context)

    @page("GET", BOOKINGS, roles=ADMIN_ONLY)
    def admin_bookings_page(self, request, visitor):
        """All bookings, 50 at a time by their start, as the API's list pages them."""
        shown = args_of(request, BOOKING_FILTERS)
        query = dict(shown, **args_of(request, ("cursor",)), limit=BOOKING_PAGE_SIZE)
        for name, days_later in (("from", 0), ("to", 1)):
            if name in shown:
                query[name] = day_as_instant(shown[name], days_later)
        context = {
            "filters": shown,
            "errors": {},
            "bookings": [],
            "next_cursor": None,
            "paged": "cursor" in query,
            "statuses": STATUSES,
            **WORDS,
        }
        try:
            filters = load_with_days(BookingFilter, query, visitor)
            listed, context["names"] = at_once(
                lambda: self.bookings.list_bookings(visitor.caller.actor, filters),
                lambda: catalogue_names(self.bookings),
            )
        except FORM_REFUSALS as exc:
            context["errors"], status = refused(exc, visitor)
            context["names"] = catalogue_names(self.bookings)
            return render(visitor, "admin_people/bookings.html", context, status=status)
        context.update(bookings=listed["items"], next_cursor=listed["next_cursor"])
        return render(visitor, "admin_people/bookings.html", context)

    @page("GET", QUEUE, roles=ADMIN_ONLY)
    def admin_eligibility_queue(self, request, visitor):
        queue, names = at_once(
            lambda: waiting_queue(self.bookings, visitor.caller.actor),
            lambda: catalogue_names(self.bookings),
        )
        context = {
            "queue": queue,
            "decision": request.args.get("paatos"),
            "decided": request.args.get("varaus"),
            "names": names,
            **WORDS,
        }
        return render(visitor, "admin_people/queue.html", context)

    @page("GET", BOOKINGS + "/<uuid:booking_id>", roles=ADMIN_ONLY)
    def admin_booking_page(self, request, visitor, booking_id):
        return self.admin_booking_view(visitor, str(booking_id), {})

    @page("POST", BOOKINGS + "/<uuid:booking_id>/kelpoisuus", roles=ADMIN_ONLY)
    def admin_decide_eligibility(self, request, visitor, booking_id):
        booking_id = str(booking_id)
        try:
            decision = load_form(EligibilityDecision, posted_of(request, ("approved",)), visitor)
            self.bookings.decide_eligibility(booking_id, decision["approved"], visitor.caller.actor)
        except REFUSALS as exc:
            errors, status = refused(exc, visitor)
            return self.admin_booking_view(visitor, booking_id, errors, status=status)
        outcome = "hyvaksytty" if decision["approved"] else "hylatty"
        return redirect(visitor, f"{QUEUE}?paatos={outcome}&varaus={booking_id}")

    def admin_booking_view(self, visitor, booking_id: str, errors: dict, status: int = 200):
        """A booking with its coachee's profile, read (and audited) as the API reads it."""
        actor = visitor.caller.actor
        booking, names = at_once(
            lambda: self.bookings.get_booking(booking_id, actor),
            lambda: catalogue_names(self.bookings),
        )
        coachee = subscriber = None
        try:
            coachee = read_coachee_profile(self.accounts, booking["coachee_id"], actor)
            if coachee["subscriber_id"]:
                subscriber = self.billing.get_subscriber(coachee["subscriber_id"])
        except NotFound:
            pass
        context = {
            "booking": booking,
            "coachee": coachee,
            "subscriber": subscriber,
            "errors": errors,
            "names": names,
            **WORDS,
        }
        return render(visitor, "admin_people/booking.html", context, status=status)

    @page("GET", COACHEES, roles=ADMIN_ONLY)
    def admin_coachees_page(self, request, visitor):
        asked = args_of(request, ("q", "cursor"))
        context = {"q": asked.get("q", ""), "errors": {}, "coachees": None, "next_cursor": None}
        context["paged"] = "cursor" in asked
        if not asked.get("q"):
            return render(visitor, "admin_people/coachees.html", context)
        try:
            query = load_form(CoacheeQuery, dict(asked, limit=PERSON_PAGE_SIZE), visitor)
        except FormRefused as refusal:
            context["errors"] = refusal.errors
            return render(visitor, "admin_people/coachees.html", context, status=422)
        actor = visitor.caller.actor
        found, names = at_once(
            lambda: self.accounts.search_coachees(
                query["q"], actor, query["limit"], query["cursor"]
            ),
            lambda: subscriber_names(self.billing, actor),
        )
        context.update(
            coachees=found["items"],
            next_cursor=found["next_cursor"],
            subscriber_names=names,
            logins=logins_of(found["items"], self.clock.now()),
        )
        return render(visitor, "admin_people/coachees.html", context)

    @page("GET", COACHEES + "/<uuid:account_id>", roles=ADMIN_ONLY)
    def admin_coachee_page(self, request, visitor, account_id):
        return self.admin_coachee_view(visitor, str(account_id), {}, request.args.get("muutettu"))

    def admin_coachee_view(self, visitor, account_id: str, errors: dict, changed=None, status=200):
        actor = visitor.caller.actor
        coachee, names = at_once(
            lambda: read_coachee_profile(self.accounts, account_id, actor),
            lambda: subscriber_names(self.billing, actor),
        )
        context = {
            "coachee": coachee,
            **self.person_context(coachee, names, f"{COACHEES}/{account_id}", errors, changed),
        }
        return render(visitor, "admin_people/coachee.html", context, status=status)

    @page("GET", COACHEES + "/<uuid:account_id>/muokkaa", roles=ADMIN_ONLY)
    def admin_coachee_form(self, request, visitor, account_id):
        coachee = read_coachee_profile(self.accounts, str(account_id), visitor.caller.actor)
        return self.admin_coachee_form_view(visitor, coachee, coachee, {})

    def admin_coachee_form_view(self, visitor, coachee: dict, values: dict, errors, status=200):
        context = {
            "coachee": coachee,
            "values": values,
            "errors": errors,
            "subscribers": subscribers(self.billing, visitor.caller.actor),
        }
        return render(visitor, "admin_people/coachee_form.html", context, status=status)

    @page("POST", COACHEES + "/<uuid:account_id>/muokkaa", roles=ADMIN_ONLY)
    def admin_edit_coachee(self, request, visitor, account_id):
        account_id, actor = str(account_id), visitor.caller.actor
        posted = posted_of(request, COACHEE_FIELDS)
        try:
            changes = load_form(CoacheeChanges, posted, visitor)
            edit_account(self.accounts, self.accounts.update_account, account_id, changes, actor)
        except REFUSALS as exc:
            errors, status = refused(exc, visitor)
            coachee = read_coachee_profile(self.accounts, account_id, actor)
            return self.admin_coachee_form_view(visitor, coachee, posted, errors, status=status)
        return redirect(visitor, f"{COACHEES}/{account_id}?muutettu=tiedot")

    @page("POST", COACHEES + "/<uuid:account_id>/kirjautuminen", roles=ADMIN_ONLY)
    def admin_change_coachee_login(self, request, visitor, account_id):
        account_id = str(account_id)
        update = self.accounts.update_account
        try:
            change = self.admin_change_login(request, visitor, account_id, CoacheeChanges, update)
        except REFUSALS as exc:
            errors, status = refused(exc, visitor, "toimi")
            return self.admin_coachee_view(visitor, account_id, errors, status=status)
        return redirect(visitor, f"{COACHEES}/{account_id}?muutettu={change}")

    def person_context(self, account: dict, names: dict, path: str, errors, changed) -> dict:
        """What a coachee's page and a staff member's both show besides the person: the
        subscribers' names, the login's state and the form that changes it (posted to
        `path/kirjautuminen`), what was just changed, and refusals."""
        return {
            "subscriber_names": names,
            "login": login_state(account, self.clock.now()),
            "errors": errors,
            "changed": changed,
            "action": f"{path}/kirjautuminen",
        }

    def admin_change_login(self, request, visitor, account_id: str, schema, update) -> str:
        """Disables or enables a login as the API's PATCH does; says which it was."""
        changes = load_with_days(schema, login_change(form_of(request), visitor), visitor)
        edit_account(self.accounts, update, account_id, changes, visitor.caller.actor)
        return "estetty" if changes["disabled"] else "sallittu"

    @page("GET", STAFF, roles=ADMIN_ONLY)
    def admin_staff_page(self, request, visitor):
        actor = visitor.caller.actor
        context = {"errors": {}, "staff": [], "next_cursor": None, **WORDS}
        context["paged"] = bool(request.args.get("cursor"))
        try:
            asked = load_form(
                PageQuery, dict(args_of(request, ("cursor",)), limit=PERSON_PAGE_SIZE), visitor
            )
        except FormRefused as refusal:
            context["errors"] = refusal.errors
            return render(visitor, "admin_people/staff.html", context, status=422)
        listed, names = at_once(
            lambda: self.accounts.list_staff(actor, asked["limit"], asked["cursor"]),
            lambda: subscriber_names(self.billing, actor),
        )
        context.update(staff=listed["items"], next_cursor=listed["next_cursor"])
        context.update(subscriber_names=names, logins=logins_of(listed["items"], self.clock.now()))
        return render(visitor, "admin_people/staff.html", context)

    @page("GET", STAFF + "/uusi", roles=ADMIN_ONLY)
    def admin_new_staff_form(self, request, visitor):
        return self.admin_staff_form_view(visitor, {}, {})

    def admin_staff_form_view(self, visitor, values: dict, errors: dict, status=200):
        context = {
            "values": values,
            "errors": errors,
            "subscribers": subscribers(self.billing, visitor.caller.actor),
            **WORDS,
        }
        return render(visitor, "admin_people/staff_form.html", context, status=status)

    @page("POST", STAFF + "/uusi", roles=ADMIN_ONLY)
    def admin_create_staff(self, request, visitor):
        """The first password is shown on this answer only: never in an address or a cookie."""
        posted = posted_of(request, STAFF_FIELDS)
        if posted.get("role") != SUBSCRIBER:
            posted.pop("subscriber_id", None)
        try:
            data = load_form(StaffCreation, posted, visitor)
            created = self.accounts.create_staff(data, visitor.caller.actor)
        except REFUSALS as exc:
            errors, status = refused(exc, visitor)
            return self.admin_staff_form_view(visitor, posted, errors, status=status)
        context = {"created": created["account"], "password": created["initial_password"], **WORDS}
        return render(visitor, "admin_people/staff_created.html", context, status=201)

    @page("GET", STAFF + "/<uuid:account_id>", roles=ADMIN_ONLY)
    def admin_staff_member_page(self, request, visitor, account_id):
        return self.admin_staff_member_view(
            visitor, str(account_id), {}, request.args.get("muutettu")
        )

    def admin_staff_member_view(self, visitor, account_id: str, errors, changed=None, status=200):
        actor = visitor.caller.actor
        member, names = at_once(
            lambda: self.accounts.get_account(account_id, actor),
            lambda: subscriber_names(self.billing, actor),
        )
        if member["role"] not in STAFF_ROLES:
            raise NotFound("No such staff account.")
        context = {
            "member": member,
            **self.person_context(member, names, f"{STAFF}/{account_id}", errors, changed),
            **WORDS,
        }
        return render(visitor, "admin_people/staff_member.html", context, status=status)

    @page("POST", STAFF + "/<uuid:account_id>/rooli", roles=ADMIN_ONLY)
    def admin_change_staff_role(self, request, visitor, account_id):
        account_id, actor = str(account_id), visitor.caller.actor
        try:
            changes = load_form(StaffAccountChanges, posted_of(request, ("role",)), visitor)
            edit_account(self.accounts, self.accounts.update_staff, account_id, changes, actor)
        except REFUSALS as exc:
            errors, status = refused(exc, visitor, "role")
            return self.admin_staff_member_view(visitor, account_id, errors, status=status)
        return redirect(visitor, f"{STAFF}/{account_id}?muutettu=rooli")

    @page("POST", STAFF + "/<uuid:account_id>/kirjautuminen", roles=ADMIN_ONLY)
    def admin_change_staff_login(self, request, visitor, account_id):
        account_id = str(account_id)
        update = self.accounts.update_staff
        try:
            change = self.admin_change_login(
                request, visitor, account_id, StaffAccountChanges, update
            )
        except REFUSALS as exc:
            errors, status = refused(exc, visitor, "toimi")
            return self.admin_staff_member_view(visitor, account_id, errors, status=status)
        return redirect(visitor, f"{STAFF}/{account_id}?muutettu={change}")
