"""Public HTTP schemas of the subscriber routes.

They check the shape of what clients send; the billing service checks the meaning (the business
id's check digit, email addresses, identity codes) and its refusals come back as 422s too.
Times are strings here because the billing service answers in JSON.
"""

from marshmallow import Schema, fields, validate

from gateway.routes.account_schemas import ChangeRequest, text, timestamp
from services.contracts.billing import (
    DEFAULT_IDENTIFIER_LABEL,
    ELIGIBILITY_METHODS,
    MAX_BILLING_CONTACTS,
)


def billing_contact_emails(**kwargs) -> fields.List:
    return fields.List(
        text(254),
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


class SubscriberSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    business_id = fields.String(metadata={"description": "Finnish business id (y-tunnus)"})
    billing_contact_emails = fields.List(fields.String())
    member_number_in_report = fields.Boolean()
    eligibility_method = fields.String(metadata={"enum": list(ELIGIBILITY_METHODS)})
    identifier_label = fields.String()
    active = fields.Boolean()
    roster_members = fields.Integer()
    roster_replaced_at = timestamp(allow_none=True)
    created_at = timestamp()
    updated_at = timestamp()


class SubscriberPageSchema(Schema):
    items = fields.List(fields.Nested(SubscriberSchema))
    next_cursor = fields.String(allow_none=True)


class SubscriberChoiceSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    identifier_label = fields.String(
        metadata={"description": "What to call the member number in the booking form."}
    )


class SubscriberChoicesSchema(Schema):
    items = fields.List(fields.Nested(SubscriberChoiceSchema))


class SubscriberCreationRequest(Schema):
    name = text(200, required=True)
    business_id = text(20, required=True, metadata={"description": "y-tunnus, e.g. 1234567-8"})
    billing_contact_emails = billing_contact_emails(required=True)
    member_number_in_report = fields.Boolean(
        metadata={"description": "Whether its reports show member numbers; false if not given."}
    )
    eligibility_method = eligibility_method(required=True)
    identifier_label = text(
        60,
        metadata={
            "description": "What the subscriber calls the member number; "
            f"{DEFAULT_IDENTIFIER_LABEL} if not given."
        },
    )
    active = fields.Boolean(
        metadata={"description": "Offered in the booking form; true if not given."}
    )


class SubscriberChangesRequest(ChangeRequest):
    name = text(200)
    business_id = text(20)
    billing_contact_emails = billing_contact_emails()
    member_number_in_report = fields.Boolean()
    eligibility_method = eligibility_method()
    identifier_label = text(60)
    active = fields.Boolean()


class RosterSizeSchema(Schema):
    members = fields.Integer(metadata={"description": "Distinct member numbers on the roster."})
