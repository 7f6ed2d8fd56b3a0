"""What billing records about a booking for the subscriber's monthly report (R-BILL-2).

Billing asks on each booking event and keeps its own snapshot: the session as it is now, with
the names of the service, its specification and the coach, and the subscriber, member number and
member's name its eligibility was decided for. Nothing else about the coachee but the id.
"""

import uuid

from services.bookings.repository import bookings_with_names
from services.contracts.billing import BillableSession
from services.contracts.errors import NotFound

SNAPSHOT = BillableSession()


def billing_snapshots(session, booking_ids: list) -> list[dict]:
    """The snapshots of those of `booking_ids` (UUIDs) that exist, in no particular order."""
    return [
        SNAPSHOT.dump(
            {
                "booking_id": booking["id"],
                "status": booking["status"],
                "coachee_id": booking["coachee_id"],
                "starts_at": booking["starts_at"],
                "ends_at": booking["ends_at"],
                "service_name": booking["service_name"],
                "specification_name": booking["specification_name"],
                "delivery_method": booking["delivery_method"],
                "coach_name": booking["coach_name"],
                "subscriber_id": booking["subscriber_id"],
                "member_number": booking["member_number"],
                "member_name": booking["member_name"],
            }
        )
        for booking in bookings_with_names(session, booking_ids).values()
    ]


def billing_snapshot(session, booking_id: str) -> dict:
    try:
        found = billing_snapshots(session, [uuid.UUID(str(booking_id))])
    except ValueError:
        found = []
    if not found:
        raise NotFound("No such booking.")
    return found[0]
