"""The billing service's contract: subscribers, eligibility, billable sessions, monthly reports.

RPC methods (see services/billing/README.md for each one's arguments, answer and errors):
create_subscriber, update_subscriber, get_subscriber, list_subscribers, subscriber_choices,
replace_roster, check_eligibility, check_eligibilities, list_reports, get_report, get_report_file,
preview_report, reissue_report, publish_reports, export_personal_data, erase_personal_data.

Event: `monthly_report_published` (`MonthlyReportPublished`). `BillableSession` is what bookings'
`get_billing_snapshots` answers: what a billable line needs to know about a booking.
"""

from marshmallow import EXCLUDE, Schema, fields, validate

from services.contracts.fields import (
    Changes,
    boolean,
    email,
    member_number,
    text,
    timestamp,
)

ELIGIBILITY_ROSTER = "roster"
ELIGIBILITY_MANUAL = "manual"
ELIGIBILITY_METHODS = (ELIGIBILITY_ROSTER, ELIGIBILITY_MANUAL)

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
PENDING = "pending"
DECISIONS = (ELIGIBLE, NOT_ELIGIBLE, PENDING)

DEFAULT_IDENTIFIER_LABEL = "Jäsennumero"
MAX_BILLING_CONTACTS = 10

MONTHLY_REPORT_PUBLISHED = "monthly_report_published"
PERIOD_PATTERN = r"^2\d{3}-(0[1-9]|1[0-2])$"
"""A month of the years 2000–2999: the calendar has no year 0, nor a month after 9999-12 to end
the last period."""
PERIOD_PROBLEM = "Give the month as YYYY-MM."
REPORT_FORMATS = ("csv", "pdf")
REISSUE_REASON_MAX_LENGTH = 1000
DRAFT = "draft"
FINAL = "final"


def billing_contact_emails(**kwargs) -> fields.List:
    return fields.List(
        email(),
        validate=validate.Length(min=1, max=MAX_BILLING_CONTACTS),
        metadata={"description": "Where the monthly billing reports are sent."},
        **kwargs,
    )


def eligibility_method(**kwargs) -> fields.String:
    return fields.String(
        validate=validate.OneOf(ELIGIBILITY_METHODS),
        metadata={
            "description": "roster: checked against the member roster the subscriber supplies; "
            "manual: an administrator approves each booking."
        },
        **kwargs,
    )


class SubscriberCreation(Schema):
    """An admin's new subscriber; the billing service also checks the business id's check digit."""

    name = text(200, required=True)
    business_id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=20),
        metadata={"description": "Finnish business id (y-tunnus), e.g. 1234567-8"},
    )
    billing_contact_emails = billing_contact_emails(required=True)
    member_number_in_report = boolean(
        load_default=False,
        metadata={"description": "Whether its reports show member numbers."},
    )
    eligibility_method = eligibility_method(required=True)
    identifier_label = text(
        60,
        load_default=DEFAULT_IDENTIFIER_LABEL,
        metadata={"description": "What the subscriber calls the member number."},
    )
    active = boolean(load_default=True, metadata={"description": "Offered in the booking form."})


class SubscriberChanges(Changes):
    name = text(200)
    business_id = fields.String(validate=validate.Length(min=1, max=20))
    billing_contact_emails = billing_contact_emails()
    member_number_in_report = boolean()
    eligibility_method = eligibility_method()
    identifier_label = text(60)
    active = boolean()


class Subscriber(Schema):
    id = fields.UUID()
    name = fields.String()
    business_id = fields.String(metadata={"description": "Finnish business id (y-tunnus)"})
    billing_contact_emails = fields.List(fields.String())
    member_number_in_report = fields.Boolean()
    eligibility_method = fields.String(validate=validate.OneOf(ELIGIBILITY_METHODS))
    identifier_label = fields.String()
    active = fields.Boolean()
    roster_members = fields.Integer()
    roster_replaced_at = timestamp(allow_none=True)
    created_at = timestamp()
    updated_at = timestamp()


class SubscriberPage(Schema):
    items = fields.List(fields.Nested(Subscriber))
    next_cursor = fields.String(allow_none=True)


class SubscriberChoice(Schema):
    """What the public booking form shows of a subscriber."""

    id = fields.UUID()
    name = fields.String()
    identifier_label = fields.String(
        metadata={"description": "What to call the member number in the booking form."}
    )


class SubscriberChoices(Schema):
    items = fields.List(fields.Nested(SubscriberChoice))


class RosterSize(Schema):
    members = fields.Integer(metadata={"description": "Distinct member numbers on the roster."})


class EligibilityQuestion(Schema):
    subscriber_id = fields.UUID(required=True)
    member_number = member_number(required=True)


class EligibilityAnswer(Schema):
    decision = fields.String(validate=validate.OneOf(DECISIONS))
    rule = fields.String(validate=validate.OneOf(ELIGIBILITY_METHODS))
    reason = fields.String()


MAX_ELIGIBILITY_QUESTIONS = 100


class EligibilityQuestions(Schema):
    """Members asked about at once (`check_eligibilities`): bookings that check eligibility at
    the same time share one call."""

    questions = fields.List(
        fields.Nested(EligibilityQuestion),
        required=True,
        validate=validate.Length(min=1, max=MAX_ELIGIBILITY_QUESTIONS),
    )


def period_field(**kwargs) -> fields.String:
    """A calendar month in Helsinki time, as YYYY-MM."""
    return fields.String(
        validate=validate.Regexp(PERIOD_PATTERN, error=PERIOD_PROBLEM),
        metadata={"description": "A calendar month (Helsinki time), YYYY-MM", "example": "2027-03"},
        **kwargs,
    )


MAX_SNAPSHOTS_PER_CALL = 100


class SnapshotQuestion(Schema):
    """Which bookings' snapshots billing asks for at once (`bookings.get_billing_snapshots`)."""

    booking_ids = fields.List(
        fields.UUID(), required=True, validate=validate.Length(min=1, max=MAX_SNAPSHOTS_PER_CALL)
    )


class BillableSession(Schema):
    """What bookings tells billing about a booking (`bookings.get_billing_snapshots`)."""

    booking_id = fields.UUID(required=True)
    status = fields.String(required=True)
    coachee_id = fields.UUID(required=True)
    starts_at = timestamp(required=True)
    ends_at = timestamp(required=True)
    service_name = fields.String(required=True)
    specification_name = fields.String(required=True)
    delivery_method = fields.String(required=True)
    coach_name = fields.String(required=True)
    subscriber_id = fields.UUID(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The subscriber eligibility was decided for (null: older booking)"
        },
    )
    member_number = fields.String(
        allow_none=True,
        load_default=None,
        metadata={"description": "The member number eligibility was decided for"},
    )
    member_name = fields.String(
        allow_none=True,
        load_default=None,
        metadata={"description": "The member's name when booking (null: older booking)"},
    )


class ReportViewer(Schema):
    """Who asks for reports: an admin, or a subscriber contact with its organisation's id."""

    class Meta:
        unknown = EXCLUDE

    account_id = fields.UUID(required=True)
    role = fields.String(required=True)
    subscriber_id = fields.UUID(load_default=None, allow_none=True)


class ReportQuery(Schema):
    subscriber_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "Admins: one subscriber's reports; contacts see only their own."},
    )
    period = period_field(load_default=None, allow_none=True)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class DraftQuery(Schema):
    subscriber_id = fields.UUID(required=True)
    period = period_field(required=True)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    cursor = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class ReissueRequest(Schema):
    reason = text(REISSUE_REASON_MAX_LENGTH, required=True)


class ServiceTotal(Schema):
    service = fields.String()
    sessions = fields.Integer(metadata={"description": "Sessions billed: charges less reversals."})


class Report(Schema):
    """One published version of a subscriber's monthly report."""

    id = fields.UUID()
    subscriber_id = fields.UUID()
    subscriber_name = fields.String()
    period = fields.String(metadata={"example": "2027-03"})
    version = fields.Integer(metadata={"description": "1, then one more for each re-issue."})
    status = fields.String(validate=validate.OneOf([FINAL]))
    reason = fields.String(allow_none=True, metadata={"description": "Why it was re-issued."})
    issued_by = fields.UUID(allow_none=True, metadata={"description": "The re-issuing admin."})
    issued_at = timestamp()
    line_count = fields.Integer()
    sessions = fields.Integer()
    totals = fields.List(fields.Nested(ServiceTotal))
    member_number_included = fields.Boolean()


class ReportPage(Schema):
    items = fields.List(fields.Nested(Report))
    next_cursor = fields.String(allow_none=True)


class ReportLine(Schema):
    id = fields.UUID()
    booking_id = fields.UUID()
    starts_at = timestamp()
    ends_at = timestamp()
    service_name = fields.String()
    specification_name = fields.String()
    delivery_method = fields.String()
    coach_name = fields.String()
    member_name = fields.String()
    member_number = fields.String(
        allow_none=True, metadata={"description": "Only for subscribers that want it shown."}
    )
    quantity = fields.Integer(metadata={"description": "1 a session, -1 a reversal of one"})
    correction_of = fields.String(
        allow_none=True, metadata={"description": "The month a correction line is about."}
    )


class DraftReport(Schema):
    """A month's report as it stands: a draft until published, then its latest content."""

    subscriber_id = fields.UUID()
    subscriber_name = fields.String()
    period = fields.String()
    status = fields.String(validate=validate.OneOf([DRAFT, FINAL]))
    line_count = fields.Integer()
    sessions = fields.Integer()
    totals = fields.List(fields.Nested(ServiceTotal))
    lines = fields.List(fields.Nested(ReportLine))
    next_cursor = fields.String(allow_none=True)


class ReportFileLink(Schema):
    url = fields.String(metadata={"description": "A short-lived link to the stored file."})
    filename = fields.String()
    content_type = fields.String()


class MonthlyReportPublished(Schema):
    """The event: ids only, like every event."""

    report_id = fields.UUID()
    subscriber_id = fields.UUID()
    period = fields.String()
    version = fields.Integer()
    event_id = fields.UUID()
