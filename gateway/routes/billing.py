"""Subscribers: the booking form's choices for anyone, management and rosters for admins.

The monthly report routes (`billing_reports.py`) come with these.
"""

from werkzeug.wrappers import Request

from gateway.errors import ApiError
from gateway.http import api
from gateway.input_guard import body_within_limit
from gateway.request_input import load_body, query_of
from gateway.routes.billing_reports import ReportRoutes
from services.contracts.accounts import ADMIN, PageQuery
from services.contracts.billing import (
    RosterSize,
    Subscriber,
    SubscriberChanges,
    SubscriberChoices,
    SubscriberCreation,
    SubscriberPage,
)

ROSTER_TYPES = ("text/csv", "text/plain")
ROSTER_FIELD = "roster"
DEFAULT_ROSTER_MAX_BYTES = 8 * 1024 * 1024

UNSUPPORTED_ROSTER = (
    f"Send the roster as text/csv, or as the multipart file field '{ROSTER_FIELD}'."
)
NO_ROSTER_FILE = f"Attach the roster as the file field '{ROSTER_FIELD}'."
NOT_UTF8 = "The roster is not UTF-8 text; save it as CSV UTF-8."


def roster_bytes(request: Request) -> bytes:
    """The uploaded file's bytes; the request's `max_content_length` bounds what is read."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get(ROSTER_FIELD)
        if upload is None:
            raise ApiError(422, "invalid_input", NO_ROSTER_FILE, {ROSTER_FIELD: [NO_ROSTER_FILE]})
        return upload.read()
    if request.mimetype in ROSTER_TYPES:
        return body_within_limit(request)
    raise ApiError(415, "unsupported_media_type", UNSUPPORTED_ROSTER)


def roster_text(request: Request, max_bytes: int) -> str:
    request.max_content_length = max_bytes
    try:
        return roster_bytes(request).decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(422, "invalid_input", NOT_UTF8, {ROSTER_FIELD: [NOT_UTF8]}) from None


class BillingRoutes(ReportRoutes):
    @api(
        "GET",
        "/api/subscribers/choices",
        summary="Subscribers a coachee can choose in the booking form",
        response_schema=SubscriberChoices,
        tags=("subscribers",),
    )
    def subscriber_choices(self, request):
        return SubscriberChoices().dump(self.billing.subscriber_choices())

    @api(
        "GET",
        "/api/subscribers",
        summary="Subscribers, by name",
        query_schema=PageQuery,
        response_schema=SubscriberPage,
        tags=("subscribers",),
    )
    def list_subscribers(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        page = query_of(request)
        return SubscriberPage().dump(
            self.billing.list_subscribers(caller.actor, page["limit"], page["cursor"])
        )

    @api(
        "POST",
        "/api/subscribers",
        summary="Add a subscriber",
        request_schema=SubscriberCreation,
        response_schema=Subscriber,
        status=201,
        tags=("subscribers",),
    )
    def create_subscriber(self, request):
        caller = self.caller(request, roles=(ADMIN,))
        data = load_body(request, SubscriberCreation)
        return 201, Subscriber().dump(self.billing.create_subscriber(data, caller.actor))

    @api(
        "GET",
        "/api/subscribers/<uuid:subscriber_id>",
        summary="A subscriber",
        response_schema=Subscriber,
        tags=("subscribers",),
    )
    def subscriber(self, request, subscriber_id):
        self.caller(request, roles=(ADMIN,))
        return Subscriber().dump(self.billing.get_subscriber(str(subscriber_id)))

    @api(
        "PATCH",
        "/api/subscribers/<uuid:subscriber_id>",
        summary="Change a subscriber",
        request_schema=SubscriberChanges,
        response_schema=Subscriber,
        tags=("subscribers",),
    )
    def edit_subscriber(self, request, subscriber_id):
        caller = self.caller(request, roles=(ADMIN,))
        changes = load_body(request, SubscriberChanges)
        updated = self.billing.update_subscriber(str(subscriber_id), changes, caller.actor)
        return Subscriber().dump(updated)

    @api(
        "PUT",
        "/api/subscribers/<uuid:subscriber_id>/roster",
        summary="Replace a subscriber's member roster: a CSV of member numbers, one per line, "
        f"as text/csv or the multipart file field '{ROSTER_FIELD}'. A bad line refuses the "
        "whole file, naming the line; the old roster stays.",
        response_schema=RosterSize,
        tags=("subscribers",),
    )
    def replace_roster(self, request, subscriber_id):
        caller = self.caller(request, roles=(ADMIN,))
        max_bytes = int(self.config.get("ROSTER_MAX_BYTES", DEFAULT_ROSTER_MAX_BYTES))
        csv_text = roster_text(request, max_bytes)
        return RosterSize().dump(
            self.billing.replace_roster(str(subscriber_id), csv_text, caller.actor)
        )
