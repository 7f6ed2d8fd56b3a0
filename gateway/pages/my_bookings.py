"""A coachee's own bookings: cancel, reschedule, attachments and feedback.

Every rule is the services': bookings answers until when a booking can be changed
(`coachee_changes_until`) and feedback given (`feedback_until`), media answers whether a file can
still be attached and how large (`prepare_upload`, which only checks and reserves nothing), and
each action is the API's RPC. The pages only say those rules in words and offer what they allow.

A new time is chosen from a week of the booking's coach's free times, as in the booking journey:
`NewTime` stands in for the journey's choice in its `BookingPages.week_context` and in the
journey's `booking/times_region.html`, each free time leading to a confirmation here instead of
the booking form.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from babel.numbers import format_decimal

from gateway.errors import ApiError
from gateway.pages.booking import at_once, wants_region
from gateway.pages.booking_choice import WEEK, shown_week
from gateway.pages.forms import FORM_REFUSALS, FormRefused, form_of, load_form, refusal_errors
from gateway.pages.i18n import HELSINKI
from gateway.pages.navigation import N_
from gateway.pages.rendering import redirect, render
from gateway.pages.routing import FILE_FORM_MAX_BYTES, page
from services.contracts.accounts import COACHEE
from services.contracts.bookings import (
    ACTIVE_STATUSES,
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    NO_SHOW,
    PENDING,
    FeedbackInput,
    Reschedule,
    SlotTaken,
    TooLate,
)
from services.contracts.errors import Conflict, InvalidInput, NotFound
from services.contracts.media import (
    ACCEPTED_FILE_TYPES,
    FileTooLarge,
    MalformedFile,
    Removed,
    UnsupportedType,
)

LIST_PATH = "/omat-varaukset"
PAST_MONTHS_SHOWN = 12
UPCOMING_LIMIT = 100
PAST_LIMIT = 200
FILE_FIELD = "file"
MEBIBYTE = 1024 * 1024

STATUS_EXPLANATIONS = {
    PENDING: N_(
        "Tarkistamme, kattaako tilaajasi valmennuksen. Aika on varattu sinulle sillä välin, ja "
        "saat sähköpostin, kun asia on ratkaistu."
    ),
    CONFIRMED: N_("Varaus on vahvistettu. Tervetuloa!"),
    COMPLETED: N_("Valmennus on pidetty."),
    CANCELLED: N_("Varaus on peruttu."),
    NO_SHOW: N_("Valmentaja merkitsi, ettet saapunut paikalle."),
}
REMOVED_WORDS = {
    Removed.LOCATION: N_("sijaintitiedot"),
    Removed.CAMERA_DETAILS: N_("kameran tiedot"),
    Removed.SERIAL_NUMBERS: N_("sarjanumerot"),
    Removed.MAKER_NOTES: N_("kameravalmistajan merkinnät"),
    Removed.THUMBNAIL: N_("pienoiskuva"),
    Removed.XMP: N_("XMP-kuvailutiedot"),
    Removed.CAPTIONS: N_("kuvatekstit ja tekijätiedot"),
    Removed.IMAGE_COMMENT: N_("kuvan kommentti"),
    Removed.TEXT_NOTES: N_("tekstimerkinnät"),
    Removed.DESCRIPTION: N_("kuvaus"),
    Removed.DATES: N_("päivämäärät"),
    Removed.HIDDEN_DATA: N_("piilotetut tiedot"),
    Removed.EXTRA_PICTURES: N_("lisäkuvat"),
    Removed.DEPTH_MAP: N_("syvyyskartta"),
    Removed.DOCUMENT_PROPERTIES: N_("asiakirjan ominaisuudet"),
    Removed.AUTHOR: N_("tekijä"),
    Removed.COMPANY: N_("yritys"),
    Removed.SOFTWARE: N_("ohjelmisto"),
    Removed.TEMPLATE: N_("asiakirjapohja"),
    Removed.EDITING_TIME: N_("muokkausaika"),
    Removed.CUSTOM_PROPERTIES: N_("mukautetut ominaisuudet"),
    Removed.CUSTOM_DATA: N_("mukautetut tiedot"),
    Removed.FILE_PATHS: N_("tiedostopolut"),
    Removed.PRINTER_NAME: N_("tulostimen nimi"),
    Removed.PRINTER_SETTINGS: N_("tulostusasetukset"),
    Removed.COMMENT_AUTHORS: N_("kommenttien kirjoittajat"),
    Removed.COMMENT_DATES: N_("kommenttien päivämäärät"),
    Removed.CHANGE_AUTHORS: N_("muutosten tekijät"),
    Removed.CHANGE_DATES: N_("muutosten päivämäärät"),
    Removed.REVISION_IDS: N_("versiohistorian tunnisteet"),
    Removed.DOCUMENT_IDS: N_("asiakirjan tunnisteet"),
    Removed.DIGITAL_SIGNATURE: N_("sähköinen allekirjoitus"),
    Removed.APPLICATION_DATA: N_("sovellusten tiedot"),
    Removed.ATTACHED_FILES: N_("liitetyt tiedostot"),
    Removed.OTHER_METADATA: N_("muut kuvailutiedot"),
}
UPLOAD_REFUSALS = (
    (
        UnsupportedType,
        N_(
            "Tätä tiedostotyyppiä ei voi liittää, tai tiedoston sisältö ei vastaa sen nimeä. "
            "Hyväksytyt tyypit: %(types)s."
        ),
    ),
    (FileTooLarge, N_("Tiedosto on liian suuri, tai varauksen liitteille ei ole enää tilaa.")),
    (MalformedFile, N_("Tiedosto on vioittunut, eikä sitä voitu lukea.")),
)
UPLOAD_REFUSED = N_(
    "Tiedostoa ei voitu tallentaa turvallisesti, joten sitä ei tallennettu. Kokeile toista "
    "tiedostoa tai tallenna se esimerkiksi PDF-muodossa."
)
NO_FILE = N_("Valitse liitettävä tiedosto.")
UPLOADS_CLOSED = N_("Tiedostoja voi liittää vain voimassa olevaan varaukseen ennen sen alkua.")
NO_ROOM = N_("Varaukselle ei voi liittää enempää tiedostoja.")
TOO_LATE_TO_CHANGE = N_(
    "Varausta ei voi enää perua eikä siirtää verkossa: sen voi tehdä viimeistään %(hours)s "
    "tuntia ennen alkua, eli %(until)s asti."
)
NOT_ACTIVE = N_("Varausta ei voi enää muuttaa: se on jo peruttu tai pidetty.")
TIME_TAKEN = N_("Valitsemasi aika ei ole enää vapaana. Valitse toinen aika.")
CHOOSE_TIME = N_("Valitse uusi aika vapaiden aikojen joukosta.")
FEEDBACK_CLOSED = N_("Palautteen antamisen aika on päättynyt.")
FEEDBACK_NOT_YET = N_("Palautetta voi antaa, kun valmennus on pidetty.")
UPLOAD_STATUS = {413: FileTooLarge, 415: UnsupportedType}


def accepted_extensions() -> list[str]:
    return [extension for extensions in ACCEPTED_FILE_TYPES.values() for extension in extensions]


def extension_words(images: bool) -> str:
    """The accepted extensions of pictures (or of the other files) as people write them."""
    return ", ".join(
        extension.lstrip(".").upper()
        for content_type, extensions in ACCEPTED_FILE_TYPES.items()
        if content_type.startswith("image/") == images
        for extension in extensions
    )


def megabytes(size: int, visitor) -> str:
    amount = (Decimal(size) / MEBIBYTE).quantize(Decimal("0.1")).normalize()
    return visitor._("%(amount)s Mt", amount=format_decimal(amount, locale=visitor.language.code))


def file_size(size: int, visitor) -> str:
    if size < MEBIBYTE:
        kilobytes = max(1, round(size / 1024))
        return visitor._("%(amount)s kt", amount=kilobytes)
    return megabytes(size, visitor)


def upload_error(exc: Exception, visitor) -> str:
    """A refused upload in words; the API's own errors (no file, too large) by their status."""
    if isinstance(exc, Conflict):
        return visitor._(UPLOADS_CLOSED)
    if isinstance(exc, ApiError):
        if exc.status in UPLOAD_STATUS:
            exc = UPLOAD_STATUS[exc.status]()
        else:
            return visitor._(NO_FILE)
    message = next((words for kind, words in UPLOAD_REFUSALS if isinstance(exc, kind)), None)
    types = f"{extension_words(images=True)}, {extension_words(images=False)}"
    return visitor._(message or UPLOAD_REFUSED, types=types)


def notice_hours(booking: dict) -> int:
    """How many hours before its start the booking's changes close (bookings' rule, in hours)."""
    starts_at = datetime.fromisoformat(booking["starts_at"])
    return round(
        (starts_at - datetime.fromisoformat(booking["coachee_changes_until"])).total_seconds()
        / 3600
    )


def change_refused(exc: Conflict, booking: dict, visitor) -> str:
    """Why bookings refused to cancel or move the booking, in words."""
    if isinstance(exc, SlotTaken):
        return visitor._(TIME_TAKEN)
    if isinstance(exc, TooLate):
        until = visitor.language.datetime_text(booking["coachee_changes_until"])
        return visitor._(TOO_LATE_TO_CHANGE, hours=notice_hours(booking), until=until)
    return visitor._(NOT_ACTIVE)


@dataclass(frozen=True)
class NewTime:
    """Moving a booking, as the journey's week context asks of its choice: the week shown, the
    address of another week; and where a free time leads (the confirmation)."""

    booking_id: str
    week: date

    def times_path(self, week: date | None = None) -> str:
        query = urlencode({WEEK: (week or self.week).isoformat()})
        return f"{LIST_PATH}/{self.booking_id}/uusi-aika?{query}"

    @property
    def time_chosen_path(self) -> str:
        return f"{LIST_PATH}/{self.booking_id}/uusi-aika/vahvista"

    def values(self) -> dict:
        """What the confirmation is sent besides the time: the week, to come back to."""
        return {WEEK: self.week.isoformat()}


def pick(posted: dict, *names: str) -> dict:
    """The fields of the API's schema, without the page's own (the week shown, …)."""
    return {name: posted[name] for name in names if name in posted}


def feedback_form(posted: dict) -> dict:
    """The radio's text as the integer the API's strict schema expects."""
    rating = posted.get("rating", "")
    return dict(posted, rating=int(rating)) if rating.isdigit() else posted


class MyBookingPages:
    @page("GET", LIST_PATH, roles=(COACHEE,))
    def my_bookings_page(self, request, visitor):
        now = self.clock.now()
        actor = visitor.caller.actor
        since = now - timedelta(days=31 * PAST_MONTHS_SHOWN)
        upcoming, past = at_once(
            lambda: self.bookings.list_bookings(
                actor, {"from": now.isoformat(), "limit": UPCOMING_LIMIT}
            ),
            lambda: self.bookings.list_bookings(
                actor, {"from": since.isoformat(), "to": now.isoformat(), "limit": PAST_LIMIT}
            ),
        )
        context = {
            "upcoming": upcoming["items"],
            "past": list(reversed(past["items"])),
            "past_months": PAST_MONTHS_SHOWN,
        }
        return render(visitor, "my_bookings/list.html", context)

    @page("GET", "/omat-varaukset/<uuid:booking_id>", roles=(COACHEE,))
    def my_booking_page(self, request, visitor, booking_id):
        return self.render_my_booking(request, visitor, str(booking_id), {})

    def render_my_booking(
        self, request, visitor, booking_id: str, errors: dict, status: int = 200, **extra
    ):
        """The booking with what can still be done to it; `errors` of a refused form on it, and
        what the last action did (`?peruttu=1`, `?liite=<id>` …) said above it."""
        actor = visitor.caller.actor
        now = self.clock.now()
        booking, attachments, upload = at_once(
            lambda: self.bookings.get_booking(booking_id, actor),
            lambda: self.media.list_attachments(booking_id, actor)["items"],
            lambda: self.my_upload_room(booking_id, visitor),
        )
        active = booking["status"] in ACTIVE_STATUSES
        changes_until = datetime.fromisoformat(booking["coachee_changes_until"])
        context = {
            "booking": booking,
            "attachments": attachments,
            "errors": errors,
            "status_explanations": STATUS_EXPLANATIONS,
            "active": active,
            "changeable": active and now <= changes_until,
            "too_late": visitor._(
                TOO_LATE_TO_CHANGE,
                hours=notice_hours(booking),
                until=visitor.language.datetime_text(changes_until),
            ),
            "started": now >= datetime.fromisoformat(booking["starts_at"]),
            "upload": upload,
            "accepted_extensions": accepted_extensions(),
            "accepted_words": {
                "images": extension_words(images=True),
                "documents": extension_words(images=False),
            },
            "file_size": lambda size: file_size(size, visitor),
            "feedback": self.my_feedback_of(booking, actor),
            "feedback_open": booking["status"] == COMPLETED
            and now <= datetime.fromisoformat(booking["feedback_until"]),
            "done": request.args,
            "saved": next((a for a in attachments if a["id"] == request.args.get("liite")), None),
            "removed_words": REMOVED_WORDS,
            "feedback_values": {},
            **extra,
        }
        return render(visitor, "my_bookings/detail.html", context, status=status)

    def my_upload_room(self, booking_id: str, visitor) -> dict:
        """How large a file may still be attached, or why none can (media's own checks)."""
        try:
            room = self.media.prepare_upload(booking_id, visitor.caller.actor)
        except FileTooLarge:
            return {"open": False, "reason": visitor._(NO_ROOM)}
        except Conflict:
            return {"open": False, "reason": visitor._(UPLOADS_CLOSED)}
        return {"open": True, "max_size": megabytes(room["max_bytes"], visitor)}

    def my_feedback_of(self, booking: dict, actor: dict) -> dict | None:
        if booking["status"] != COMPLETED:
            return None
        try:
            return self.bookings.get_feedback(booking["id"], actor)
        except NotFound:
            return None

    # Cancelling: a confirmation, then the post

    @page("GET", "/omat-varaukset/<uuid:booking_id>/peru", roles=(COACHEE,))
    def confirm_my_cancellation(self, request, visitor, booking_id):
        booking = self.bookings.get_booking(str(booking_id), visitor.caller.actor)
        return render(visitor, "my_bookings/cancel.html", {"booking": booking, "errors": {}})

    @page("POST", "/omat-varaukset/<uuid:booking_id>/peru", roles=(COACHEE,))
    def cancel_my_booking(self, request, visitor, booking_id):
        actor = visitor.caller.actor
        try:
            self.bookings.cancel_booking(str(booking_id), actor)
        except Conflict as exc:
            booking = self.bookings.get_booking(str(booking_id), actor)
            errors = {"_form": change_refused(exc, booking, visitor)}
            context = {"booking": booking, "errors": errors}
            return render(visitor, "my_bookings/cancel.html", context, status=409)
        return redirect(visitor, f"{LIST_PATH}/{booking_id}?peruttu=1")

    # Moving: the journey's week picker, a confirmation, then the post

    @page("GET", "/omat-varaukset/<uuid:booking_id>/uusi-aika", roles=(COACHEE,))
    def choose_my_new_time(self, request, visitor, booking_id):
        return self.render_my_new_time(request, visitor, str(booking_id), {})

    def render_my_new_time(self, request, visitor, booking_id: str, errors: dict, status=200):
        booking = self.bookings.get_booking(booking_id, visitor.caller.actor)
        starts_on = datetime.fromisoformat(booking["starts_at"]).astimezone(HELSINKI).date()
        week = shown_week(week_asked(request) or starts_on, self.clock.now())
        choice = NewTime(booking_id, week)
        search = {
            "service_id": booking["service_id"],
            "coach_id": booking["coach_id"],
            "from": choice.week.isoformat(),
            "to": (choice.week + timedelta(days=6)).isoformat(),
        }
        slots = self.bookings.find_slots(search)["items"]
        if wants_region(request) and not errors:
            return render(visitor, "booking/times_region.html", self.week_context(choice, slots))
        context = {**self.week_context(choice, slots), "booking": booking, "errors": errors}
        return render(visitor, "my_bookings/new_time.html", context, status=status)

    @page("GET", "/omat-varaukset/<uuid:booking_id>/uusi-aika/vahvista", roles=(COACHEE,))
    def confirm_my_new_time(self, request, visitor, booking_id):
        booking = self.bookings.get_booking(str(booking_id), visitor.caller.actor)
        back = NewTime(str(booking_id), shown_week(week_asked(request), self.clock.now()))
        try:
            change = load_form(Reschedule, pick(request.args, "starts_at"), visitor)
        except FormRefused:
            return redirect(visitor, back.times_path())
        context = {"booking": booking, "starts_at": change["starts_at"], "back": back.times_path()}
        return render(visitor, "my_bookings/move.html", context)

    @page("POST", "/omat-varaukset/<uuid:booking_id>/uusi-aika", roles=(COACHEE,))
    def move_my_booking(self, request, visitor, booking_id):
        actor = visitor.caller.actor
        try:
            change = load_form(Reschedule, pick(form_of(request), "starts_at"), visitor)
            self.bookings.reschedule_booking(str(booking_id), change, actor)
        except FormRefused:
            errors = {"_form": visitor._(CHOOSE_TIME)}
            return self.render_my_new_time(request, visitor, str(booking_id), errors, 422)
        except Conflict as exc:
            booking = self.bookings.get_booking(str(booking_id), actor)
            errors = {"_form": change_refused(exc, booking, visitor)}
            status = 422 if isinstance(exc, SlotTaken) else 409
            return self.render_my_new_time(request, visitor, str(booking_id), errors, status)
        return redirect(visitor, f"{LIST_PATH}/{booking_id}?siirretty=1")

    # Attachments

    @page(
        "POST",
        "/omat-varaukset/<uuid:booking_id>/liitteet",
        roles=(COACHEE,),
        max_bytes=FILE_FORM_MAX_BYTES,
    )
    def attach_my_file(self, request, visitor, booking_id):
        actor = visitor.caller.actor
        try:
            attachment = self.receive_attachment(request, str(booking_id), actor, None)
        except (ApiError, UnsupportedType, FileTooLarge, InvalidInput, Conflict) as exc:
            errors = {FILE_FIELD: upload_error(exc, visitor)}
            return self.render_my_booking(request, visitor, str(booking_id), errors, 422)
        return redirect(visitor, f"{LIST_PATH}/{booking_id}?liite={attachment['id']}#liitteet")

    @page(
        "POST",
        "/omat-varaukset/<uuid:booking_id>/liitteet/<uuid:attachment_id>/poista",
        roles=(COACHEE,),
    )
    def remove_my_file(self, request, visitor, booking_id, attachment_id):
        self.media.delete_attachment(str(attachment_id), visitor.caller.actor)
        return redirect(visitor, f"{LIST_PATH}/{booking_id}?poistettu=1#liitteet")

    # Feedback

    @page("POST", "/omat-varaukset/<uuid:booking_id>/palaute", roles=(COACHEE,))
    def give_my_feedback(self, request, visitor, booking_id):
        posted = pick(form_of(request), "rating", "comment")
        try:
            feedback = load_form(FeedbackInput, feedback_form(posted), visitor)
            self.bookings.give_feedback(str(booking_id), feedback, visitor.caller.actor)
        except TooLate:
            errors = {"_form": visitor._(FEEDBACK_CLOSED)}
        except Conflict:
            errors = {"_form": visitor._(FEEDBACK_NOT_YET)}
        except FORM_REFUSALS as refusal:
            errors = refusal_errors(refusal, visitor, "comment")
        else:
            return redirect(visitor, f"{LIST_PATH}/{booking_id}?kiitos=1#palaute")
        return self.render_my_booking(
            request, visitor, str(booking_id), errors, 422, feedback_values=posted
        )


def week_asked(request) -> date | None:
    """A day of the week the address asks for (`?viikko=`), if it names one."""
    try:
        return date.fromisoformat(request.args.get(WEEK, ""))
    except ValueError:
        return None
