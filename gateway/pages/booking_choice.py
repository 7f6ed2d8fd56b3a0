"""What a visitor has chosen on the way to the booking form, carried from page to page in the
query string: the service, its specification and delivery method, any coach or one, the week
shown and the time.

The catalogue is the bookings service's; this module only looks the choice up in it (to show
names and to send a stale link back a step). Whether the choice can really be booked the
service decides when the form is sent, with the contract's `BookingRequest`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from marshmallow import EXCLUDE, Schema, fields

from gateway.pages.i18n import HELSINKI
from gateway.pages.navigation import N_
from services.contracts.bookings import delivery_method

TIMES = "/varaa/aika"
FORM = "/varaa/lomake"
WEEK = "viikko"
SLOT_TAKEN = "varattu"
DELIVERY_LABELS = {
    "video": N_("Videoyhteys"),
    "phone": N_("Puhelin"),
    "on_site": N_("Tapaaminen paikan päällä"),
}
CHOICE_FIELDS = ("service_id", "specification_id", "delivery_method", "coach_id")


class ChoiceQuery(Schema):
    """The choice in a page's query string; what else the address carries is left alone."""

    class Meta:
        unknown = EXCLUDE

    service_id = fields.UUID(required=True)
    specification_id = fields.UUID(required=True)
    delivery_method = delivery_method(required=True)
    coach_id = fields.UUID(load_default=None)
    week = fields.Date(load_default=None, data_key=WEEK)
    starts_at = fields.AwareDateTime(load_default=None)


@dataclass(frozen=True)
class Choice:
    """The choice as the address gives it: ids as text, the week's Monday, the time if chosen."""

    service_id: str
    specification_id: str
    delivery_method: str
    week: date
    coach_id: str | None = None
    starts_at: datetime | None = None

    def values(self, **changes) -> dict:
        """The choice as query values, with `changes` made; empty ones left out."""
        values = {
            "service_id": self.service_id,
            "specification_id": self.specification_id,
            "delivery_method": self.delivery_method,
            "coach_id": self.coach_id,
            WEEK: self.week.isoformat(),
        }
        values.update(changes)
        return {name: str(value) for name, value in values.items() if value not in ("", None)}

    def times_path(self, week: date | None = None, **extra) -> str:
        values = self.values(**{WEEK: (week or self.week).isoformat()}, **extra)
        return f"{TIMES}?{urlencode(values)}"

    @property
    def time_chosen_path(self) -> str:
        """Where the week's form of free times goes, with `values()` and the time chosen."""
        return FORM

    def form_path(self, starts_at) -> str:
        return f"{FORM}?{urlencode(self.values(starts_at=starts_at))}"

    def booking_request(self) -> dict:
        """The choice's part of the contract's `BookingRequest`."""
        return {
            "service_id": self.service_id,
            "specification_id": self.specification_id,
            "delivery_method": self.delivery_method,
            "coach_id": self.coach_id,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
        }


def choice_of(query: dict, now: datetime) -> Choice:
    """`ChoiceQuery`'s accepted values (in their text form) as a `Choice`, its week never
    before this one."""
    week, starts_at = query.get(WEEK), query.get("starts_at")
    return Choice(
        service_id=query["service_id"],
        specification_id=query["specification_id"],
        delivery_method=query["delivery_method"],
        week=shown_week(date.fromisoformat(week) if week else None, now),
        coach_id=query.get("coach_id"),
        starts_at=datetime.fromisoformat(starts_at) if starts_at else None,
    )


@dataclass(frozen=True)
class Offer:
    """The chosen service, specification and coach as the catalogue has them, and the coaches
    one may choose from."""

    service: dict
    specification: dict
    coach: dict | None
    coaches: list[dict]

    def ends_at(self, starts_at: datetime) -> datetime:
        return starts_at + timedelta(minutes=self.service["duration_minutes"])


class ChoiceNotOffered(Exception):
    """The address names a service, specification, delivery method or coach not offered now."""


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def this_week(now: datetime) -> date:
    return monday_of(now.astimezone(HELSINKI).date())


def shown_week(asked: date | None, now: datetime) -> date:
    """The Monday of the asked week, never before this week in Helsinki."""
    current = this_week(now)
    if asked is None:
        return current
    return max(monday_of(asked), current)


def by_id(items: list[dict], wanted) -> dict | None:
    wanted = str(wanted)
    return next((item for item in items if str(item["id"]) == wanted), None)


def coaches_of(service: dict, coaches: list[dict]) -> list[dict]:
    """The active coaches who deliver `service`, by name."""
    service_id = str(service["id"])
    qualified = [
        coach
        for coach in coaches
        if coach["active"] and service_id in {str(given) for given in coach["service_ids"]}
    ]
    return sorted(qualified, key=lambda coach: coach["name"])


def offer_of(choice: Choice, catalogue: list[dict], coaches: list[dict]) -> Offer:
    """`choice` looked up in the catalogue and the coaches; `ChoiceNotOffered` names what is not."""
    service = by_id(catalogue, choice.service_id)
    if service is None:
        raise ChoiceNotOffered("service_id")
    specification = by_id(service["specifications"], choice.specification_id)
    if specification is None:
        raise ChoiceNotOffered("specification_id")
    if choice.delivery_method not in service["delivery_methods"]:
        raise ChoiceNotOffered("delivery_method")
    offered = coaches_of(service, coaches)
    coach = None
    if choice.coach_id is not None:
        coach = by_id(offered, choice.coach_id)
        if coach is None:
            raise ChoiceNotOffered("coach_id")
    return Offer(service, specification, coach, offered)


@dataclass(frozen=True)
class Day:
    day: date
    slots: list[dict]


def days_of_week(week: date, slots: list[dict]) -> list[Day]:
    """The week's seven days, Monday first, each with its slots in Helsinki time."""
    by_day: dict[date, list[dict]] = {week + timedelta(days=n): [] for n in range(7)}
    for slot in slots:
        starts_at = datetime.fromisoformat(str(slot["starts_at"])).astimezone(HELSINKI)
        if starts_at.date() in by_day:
            by_day[starts_at.date()].append(slot)
    return [Day(day, day_slots) for day, day_slots in by_day.items()]
