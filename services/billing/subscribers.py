"""Subscribers (unions and employers paying for their members' coaching), managed by admins."""

import uuid

from eventlet import tpool
from psycopg.errors import UniqueViolation
from sqlalchemy.exc import IntegrityError

from services.billing import repository as repo
from services.billing.business_id import PROBLEM as BUSINESS_ID_PROBLEM
from services.billing.business_id import is_business_id
from services.billing.rosters import RosterProblems, roster_hashes
from services.billing.work import Work
from services.contracts.accounts import ADMIN
from services.contracts.billing import Subscriber, SubscriberChoice
from services.contracts.errors import Conflict, InvalidInput, NotFound
from services.infra.database import attempt
from services.infra.permissions import require_role

SUBSCRIBER = Subscriber()
CHOICE = SubscriberChoice()
NAME_TAKEN = "Another subscriber has this name."
ROSTER_NOT_TEXT = "Send the roster as text."


def normalise_email(email: str) -> str:
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def checked_details(details: dict) -> dict:
    """The business id checked with its check digit; emails normalised, each once."""
    checked = dict(details)
    if "business_id" in details:
        checked["business_id"] = details["business_id"].strip()
        if not is_business_id(checked["business_id"]):
            raise InvalidInput(BUSINESS_ID_PROBLEM, {"business_id": [BUSINESS_ID_PROBLEM]})
    if "billing_contact_emails" in details:
        emails = (normalise_email(email) for email in details["billing_contact_emails"])
        checked["billing_contact_emails"] = list(dict.fromkeys(emails))
    return checked


def with_unique_name(db, save):
    """`save()` in a savepoint; a name another subscriber has becomes a Conflict."""
    try:
        with attempt(db):
            return save()
    except IntegrityError as exc:
        if isinstance(exc.orig, UniqueViolation):
            raise Conflict(NAME_TAKEN, {"name": [NAME_TAKEN]}) from None
        raise


def subscriber_uuid(subscriber_id) -> uuid.UUID:
    try:
        return uuid.UUID(str(subscriber_id))
    except ValueError:
        raise NotFound("No such subscriber.") from None


def subscriber_row(db, subscriber_id, for_update: bool = False):
    row = repo.subscriber_by_id(db, subscriber_uuid(subscriber_id), for_update)
    if row is None:
        raise NotFound("No such subscriber.")
    return row


def create_subscriber(work: Work, data: dict, actor: dict | None) -> dict:
    require_role(work, actor, ADMIN)
    details = checked_details(data)
    db = work.db
    return SUBSCRIBER.dump(
        with_unique_name(db, lambda: repo.insert_subscriber(db, details, work.now))
    )


def update_subscriber(work: Work, subscriber_id, changes: dict, actor: dict | None) -> dict:
    require_role(work, actor, ADMIN)
    subscriber = subscriber_row(work.db, subscriber_id)
    details = checked_details(changes)
    updated = with_unique_name(
        work.db, lambda: repo.update_subscriber(work.db, subscriber["id"], details, work.now)
    )
    return SUBSCRIBER.dump(updated)


def get_subscriber(work: Work, subscriber_id) -> dict:
    return SUBSCRIBER.dump(subscriber_row(work.db, subscriber_id))


def list_subscribers(work: Work, actor: dict | None, limit: int, cursor: str | None) -> dict:
    require_role(work, actor, ADMIN)
    page = repo.list_subscribers(work.db, limit, cursor)
    return {"items": SUBSCRIBER.dump(page["items"], many=True), "next_cursor": page["next_cursor"]}


def subscriber_choices(work: Work) -> dict:
    """What the public booking form offers: active subscribers by name."""
    return {"items": CHOICE.dump(repo.active_subscribers(work.db), many=True)}


def replace_roster(work: Work, subscriber_id, csv_text, actor: dict | None) -> dict:
    """The roster replaced whole, or refused naming the bad lines with the old one kept."""
    require_role(work, actor, ADMIN)
    subscriber = subscriber_row(work.db, subscriber_id, for_update=True)
    if not isinstance(csv_text, str):
        raise InvalidInput(ROSTER_NOT_TEXT, {"roster": [ROSTER_NOT_TEXT]})
    try:
        hashes = tpool.execute(
            roster_hashes,
            csv_text,
            subscriber["identifier_label"],
            work.settings.roster_max_rows,
            work.settings.roster_hash_key,
        )
    except RosterProblems as exc:
        raise InvalidInput("The roster was not replaced.", {"roster": exc.problems}) from None
    repo.replace_roster(work.db, subscriber["id"], hashes, work.now)
    return {"members": len(hashes)}
