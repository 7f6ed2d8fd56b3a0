"""The billing service's contract: subscribers, their eligibility rosters, eligibility answers.

RPC methods (see services/billing/README.md for each one's arguments, answer and errors):
create_subscriber, update_subscriber, get_subscriber, list_subscribers, subscriber_choices,
replace_roster, check_eligibility, export_personal_data, erase_personal_data.
"""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.contracts.identity_code import no_identity_code

ELIGIBILITY_ROSTER = "roster"
ELIGIBILITY_MANUAL = "manual"
ELIGIBILITY_METHODS = (ELIGIBILITY_ROSTER, ELIGIBILITY_MANUAL)

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
PENDING = "pending"
DECISIONS = (ELIGIBLE, NOT_ELIGIBLE, PENDING)

DEFAULT_IDENTIFIER_LABEL = "Jäsennumero"
MEMBER_NUMBER_MAX_LENGTH = 64
MAX_BILLING_CONTACTS = 10


def text(max_length: int, **kwargs) -> fields.String:
    """A free-text field that refuses personal identity codes."""
    return fields.String(
        validate=[validate.Length(min=1, max=max_length), no_identity_code], **kwargs
    )


def billing_contact_emails(**kwargs) -> fields.List:
    return fields.List(
        fields.Email(validate=validate.Length(max=254)),
        validate=validate.Length(min=1, max=MAX_BILLING_CONTACTS),
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
    member_number_in_report = fields.Boolean(load_default=False)
    eligibility_method = fields.String(required=True, validate=validate.OneOf(ELIGIBILITY_METHODS))
    identifier_label = text(
        60,
        load_default=DEFAULT_IDENTIFIER_LABEL,
        metadata={"description": "What the subscriber calls the member number."},
    )
    active = fields.Boolean(load_default=True)


class SubscriberChanges(Schema):
    name = text(200)
    business_id = fields.String(validate=validate.Length(min=1, max=20))
    billing_contact_emails = billing_contact_emails()
    member_number_in_report = fields.Boolean()
    eligibility_method = fields.String(validate=validate.OneOf(ELIGIBILITY_METHODS))
    identifier_label = text(60)
    active = fields.Boolean()

    @validates_schema
    def changes_something(self, data, **kwargs):
        if not data:
            raise ValidationError("Give at least one field to change.")


class Subscriber(Schema):
    id = fields.UUID()
    name = fields.String()
    business_id = fields.String()
    billing_contact_emails = fields.List(fields.String())
    member_number_in_report = fields.Boolean()
    eligibility_method = fields.String()
    identifier_label = fields.String()
    active = fields.Boolean()
    roster_members = fields.Integer()
    roster_replaced_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class SubscriberPage(Schema):
    items = fields.List(fields.Nested(Subscriber))
    next_cursor = fields.String(allow_none=True)


class SubscriberChoice(Schema):
    """What the public booking form shows of a subscriber."""

    id = fields.UUID()
    name = fields.String()
    identifier_label = fields.String()


class SubscriberChoices(Schema):
    items = fields.List(fields.Nested(SubscriberChoice))


class RosterSize(Schema):
    members = fields.Integer(metadata={"description": "Distinct member numbers on the roster."})


class EligibilityQuestion(Schema):
    subscriber_id = fields.UUID(required=True)
    member_number = fields.String(
        required=True, validate=validate.Length(min=1, max=MEMBER_NUMBER_MAX_LENGTH)
    )


class EligibilityAnswer(Schema):
    decision = fields.String(validate=validate.OneOf(DECISIONS))
    rule = fields.String(validate=validate.OneOf(ELIGIBILITY_METHODS))
    reason = fields.String()
