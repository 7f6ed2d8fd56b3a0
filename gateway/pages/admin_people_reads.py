"""What the administrator's pages read from the services beyond one RPC: every booking of a
short list (the eligibility queue, today's), and the names that a booking and an account give
only as ids (services, specifications, coaches, subscribers)."""

from collections.abc import Callable
from dataclasses import dataclass

import eventlet

from services.contracts.bookings import PENDING

BOOKING_PAGE_SIZE = 50
PERSON_PAGE_SIZE = 50
QUEUE_SHOWN = 5
LIST_PAGE = 200
LISTED_AT_MOST = 2000
SUBSCRIBER_PAGE = 100


def at_once(*calls: Callable[[], object]) -> list:
    """The answers of `calls`, made side by side: a page that needs several services' answers
    waits for the slowest one, not for their sum. A call's error is raised here."""
    pile = eventlet.GreenPile()
    for call in calls:
        pile.spawn(call)
    return list(pile)


def every_booking(bookings, actor: dict, filters: dict) -> list[dict]:
    """All bookings `filters` find, page by page, up to `LISTED_AT_MOST`: meant for lists that
    stay short, such as bookings waiting for a decision (each waits a few days at most) or a
    day's bookings."""
    found, cursor = [], None
    while len(found) < LISTED_AT_MOST:
        listed = bookings.list_bookings(actor, {**filters, "limit": LIST_PAGE, "cursor": cursor})
        found.extend(listed["items"])
        cursor = listed["next_cursor"]
        if cursor is None:
            break
    return found


def waiting_queue(bookings, actor: dict) -> list[dict]:
    """Bookings waiting for an eligibility decision, the one that has waited longest first:
    its hold on the slot ends first."""
    waiting = every_booking(bookings, actor, {"status": PENDING})
    return sorted(waiting, key=lambda booking: (booking["created_at"], booking["id"]))


def bookings_between(bookings, actor: dict, start: str, end: str) -> list[dict]:
    return every_booking(bookings, actor, {"from": start, "to": end})


@dataclass(frozen=True)
class CatalogueNames:
    services: dict[str, str]
    specifications: dict[str, str]
    coaches: dict[str, str]

    @property
    def coach_choices(self) -> list[tuple[str, str]]:
        return sorted(self.coaches.items(), key=lambda item: item[1])


def catalogue_names(bookings) -> CatalogueNames:
    """Names of the offered services, their specifications and the coaches, by id."""
    catalogue, coach_list = at_once(bookings.list_services, bookings.list_coaches)
    services, specifications = {}, {}
    for service in catalogue["items"]:
        services[service["id"]] = service["name"]
        for specification in service["specifications"]:
            specifications[specification["id"]] = specification["name"]
    coaches = {coach["id"]: coach["name"] for coach in coach_list["items"]}
    return CatalogueNames(services, specifications, coaches)


def subscribers(billing, actor: dict) -> list[dict]:
    """Every subscriber, by name (a few dozen organisations)."""
    found, cursor = [], None
    while True:
        listed = billing.list_subscribers(actor, SUBSCRIBER_PAGE, cursor)
        found.extend(listed["items"])
        cursor = listed["next_cursor"]
        if cursor is None:
            return found


def subscriber_names(billing, actor: dict) -> dict[str, str]:
    return {subscriber["id"]: subscriber["name"] for subscriber in subscribers(billing, actor)}
