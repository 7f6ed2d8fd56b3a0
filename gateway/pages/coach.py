"""A coach's calendar, a booking's notes and outcome, and their own hours (R-SRC-2).

What a coach may see is the bookings service's rule (only bookings assigned to them); a booking
of another coach is a 404 page. Reading the coachee's contact details is audited by accounts.
"""

from datetime import date, datetime, time, timedelta

from marshmallow import Schema, fields, validate

from gateway.pages.forms import FormRefused, form_of, load_form
from gateway.pages.i18n import HELSINKI
from gateway.pages.rendering import redirect, render
from gateway.pages.routing import page
from services.contracts.accounts import COACH
from services.contracts.bookings import CANCELLED, CONFIRMED, OUTCOMES, NoteInput, Outcome
from services.contracts.errors import NotFound

DAY = "paiva"
WEEK = "viikko"
CALENDAR_LIMIT = 200
NOTICES = ("tallennettu", "kirjattu")
NOTE_PATH = "/kalenteri/varaus/<uuid:booking_id>/muistiinpanot/<uuid:note_id>"


class CalendarQuery(Schema):
    pvm = fields.Date(load_default=None)
    nakyma = fields.String(load_default=WEEK, validate=validate.OneOf((DAY, WEEK)))


def calendar_days(first: date, view: str) -> list[date]:
    if view == DAY:
        return [first]
    monday = first - timedelta(days=first.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]


def day_bounds(days: list[date]) -> dict:
    start = datetime.combine(days[0], time.min, HELSINKI)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, HELSINKI)
    return {"from": start.isoformat(), "to": end.isoformat(), "limit": CALENDAR_LIMIT}


def by_day(bookings: list[dict], days: list[date]) -> list[tuple[date, list[dict]]]:
    grouped = {day: [] for day in days}
    for booking in bookings:
        starts = datetime.fromisoformat(booking["starts_at"]).astimezone(HELSINKI).date()
        grouped.setdefault(starts, []).append(booking)
    return list(grouped.items())


def outcome_state(booking: dict, now: datetime) -> str:
    """Whether a session's outcome can be recorded now: `open`, `recorded`, `not_started` or
    `cancelled`."""
    if booking["status"] in OUTCOMES:
        return "recorded"
    if booking["status"] == CANCELLED:
        return "cancelled"
    started = datetime.fromisoformat(booking["starts_at"]) <= now
    return "open" if booking["status"] == CONFIRMED and started else "not_started"


class CoachPages:
    def coach_home(self, request, visitor):
        today = self.clock.now().astimezone(HELSINKI).date()
        sessions = self.coach_bookings(visitor, [today])
        return render(visitor, "coach/home.html", {"today": today, "sessions": sessions})

    def coach_bookings(self, visitor, days: list[date]) -> list[dict]:
        listed = self.bookings.list_bookings(visitor.caller.actor, day_bounds(days))
        return listed["items"]

    @page("GET", "/kalenteri", roles=(COACH,))
    def coach_calendar(self, request, visitor):
        query = load_form(CalendarQuery, request.args.to_dict(), visitor)
        today = self.clock.now().astimezone(HELSINKI).date()
        first = date.fromisoformat(query["pvm"]) if query["pvm"] else today
        days = calendar_days(first, query["nakyma"])
        step = timedelta(days=1 if query["nakyma"] == DAY else 7)
        context = {
            "view": query["nakyma"],
            "days": by_day(self.coach_bookings(visitor, days), days),
            "today": today,
            "earlier": days[0] - step,
            "later": days[0] + step,
        }
        return render(visitor, "coach/calendar.html", context)

    def coach_booking_page(
        self, visitor, booking_id: str, errors=None, note_text="", status=200, notice=None
    ):
        actor = visitor.caller.actor
        booking = self.bookings.get_booking(booking_id, actor)
        context = {
            "booking": booking,
            "coachee": self.accounts.get_coachee_contact(str(booking["coachee_id"]), actor),
            "notes": self.bookings.list_notes(booking_id, actor)["items"],
            "attachments": self.media.list_attachments(booking_id, actor)["items"],
            "outcome_state": outcome_state(booking, self.clock.now()),
            "errors": errors or {},
            "note_text": note_text,
            "notice": notice,
        }
        return render(visitor, "coach/booking.html", context, status=status)

    @page("GET", "/kalenteri/varaus/<uuid:booking_id>", roles=(COACH,))
    def coach_booking(self, request, visitor, booking_id):
        notice = next((name for name in NOTICES if name in request.args), None)
        return self.coach_booking_page(visitor, str(booking_id), notice=notice)

    @page("POST", "/kalenteri/varaus/<uuid:booking_id>/muistiinpanot", roles=(COACH,))
    def add_coach_note(self, request, visitor, booking_id):
        posted = form_of(request)
        try:
            note = load_form(NoteInput, posted, visitor)
        except FormRefused as refusal:
            return self.coach_booking_page(
                visitor, str(booking_id), refusal.errors, posted.get("body", ""), status=422
            )
        self.bookings.add_note(str(booking_id), note, visitor.caller.actor)
        return redirect(visitor, f"/kalenteri/varaus/{booking_id}?tallennettu=1#muistiinpanot")

    @page("GET", NOTE_PATH, roles=(COACH,))
    def coach_note(self, request, visitor, booking_id, note_id):
        notes = self.bookings.list_notes(str(booking_id), visitor.caller.actor)["items"]
        note = next((note for note in notes if note["id"] == str(note_id)), None)
        if note is None:
            raise NotFound("No such note.")
        context = {"booking_id": booking_id, "note": note, "errors": {}, "body": note["body"]}
        return render(visitor, "coach/note.html", context)

    @page(
        "POST", "/kalenteri/varaus/<uuid:booking_id>/muistiinpanot/<uuid:note_id>", roles=(COACH,)
    )
    def edit_coach_note(self, request, visitor, booking_id, note_id):
        posted = form_of(request)
        try:
            note = load_form(NoteInput, posted, visitor)
        except FormRefused as refusal:
            context = {
                "booking_id": booking_id,
                "note": {"id": str(note_id)},
                "errors": refusal.errors,
                "body": posted.get("body", ""),
            }
            return render(visitor, "coach/note.html", context, status=422)
        self.bookings.edit_note(str(booking_id), str(note_id), note, visitor.caller.actor)
        return redirect(visitor, f"/kalenteri/varaus/{booking_id}?tallennettu=1#muistiinpanot")

    @page("POST", "/kalenteri/varaus/<uuid:booking_id>/tulos", roles=(COACH,))
    def record_coach_outcome(self, request, visitor, booking_id):
        try:
            outcome = load_form(Outcome, form_of(request), visitor)["outcome"]
        except FormRefused as refusal:
            return self.coach_booking_page(visitor, str(booking_id), refusal.errors, status=422)
        self.bookings.record_outcome(str(booking_id), outcome, visitor.caller.actor)
        return redirect(visitor, f"/kalenteri/varaus/{booking_id}?kirjattu=1")

    @page("GET", "/kalenteri/tyoajat", roles=(COACH,))
    def coach_hours_page(self, request, visitor):
        coaches = self.bookings.list_coaches()["items"]
        coach = next((c for c in coaches if c["account_id"] == visitor.account_id), None)
        context = {"coach": coach, "hours": [], "changes": []}
        if coach is not None:
            context["hours"] = self.bookings.get_working_hours(coach["id"])["items"]
            context["changes"] = self.bookings.list_availability_changes(
                coach["id"], {}, visitor.caller.actor
            )["items"]
        return render(visitor, "coach/hours.html", context)
