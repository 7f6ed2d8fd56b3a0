"""The fields every contract schema is built from, so each rule about a value is written once.

A schema in `services/contracts` is the one description of a request or an answer: the gateway
checks what clients send with it (and the OpenAPI document is generated from it), a service loads
its RPC arguments with it. Loading normalises (an email's domain in lower case, a phone number in
E.164, runs of spaces in names folded), so a value checked once needs no other check downstream.
Unknown properties are refused (marshmallow's default, RAISE), which the document states as
`additionalProperties: false`.
"""

from datetime import date

import phonenumbers
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.contracts.identity_code import contains_identity_code

IDENTITY_CODE_REFUSED = (
    "Do not give a personal identity code (henkilötunnus); we must not store one."
)
NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 40
MEMBER_NUMBER_MAX_LENGTH = 64
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
SECRET_MAX_LENGTH = 1024
NOTHING_TO_CHANGE = "Give at least one field to change."
LANGUAGES = ("fi", "sv", "en")
"""The languages the site speaks (and its mails are written in), Finnish first."""
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
OUTSIDE_CALENDAR = f"Give a day from {FIRST_DAY} to {LAST_DAY}."


def no_identity_code(value) -> None:
    """A validator for any free-text field (R-DATA-1)."""
    if isinstance(value, str) and contains_identity_code(value):
        raise ValidationError(IDENTITY_CODE_REFUSED)


class Text(fields.String):
    """Free text that never holds a personal identity code; `single_line` folds white space."""

    def __init__(self, max_length: int, min_length: int = 1, single_line: bool = False, **kwargs):
        validators = [validate.Length(min=min_length, max=max_length), no_identity_code]
        super().__init__(validate=validators + list(kwargs.pop("validate", [])), **kwargs)
        self.single_line = single_line

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return " ".join(text.split()) if self.single_line else text


def text(max_length: int, min_length: int = 1, **kwargs) -> Text:
    return Text(max_length, min_length, **kwargs)


def person_name(**kwargs) -> Text:
    return Text(NAME_MAX_LENGTH, single_line=True, **kwargs)


def member_number(**kwargs) -> Text:
    """What a subscriber identifies its member by; compared with the roster as given."""
    return Text(MEMBER_NUMBER_MAX_LENGTH, single_line=True, **kwargs)


class Email(fields.Email):
    """An email address without the spaces around it; the domain in lower case."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Length(max=EMAIL_MAX_LENGTH), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        address = super()._deserialize(value, attr, data, **kwargs)
        local, _, domain = address.rpartition("@")
        return f"{local}@{domain.lower()}"


def email(**kwargs) -> Email:
    return Email(**kwargs)


class Phone(fields.String):
    """A phone number in E.164; a Finnish one may be given without the country code."""

    def __init__(self, **kwargs):
        super().__init__(
            validate=validate.Length(min=1, max=PHONE_MAX_LENGTH),
            metadata={"example": "+358401234567", **kwargs.pop("metadata", {})},
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        try:
            number = phonenumbers.parse(raw, "FI")
        except phonenumbers.NumberParseException as exc:
            raise ValidationError("Not a valid phone number.") from exc
        if not phonenumbers.is_valid_number(number):
            raise ValidationError("Not a valid phone number.")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone(**kwargs) -> Phone:
    return Phone(**kwargs)


def within_calendar(day: date) -> None:
    """Refuses a day far outside any booking, report or log entry: 0001-01-01 or 9999-12-31
    overflows once it is moved to Helsinki time or a day is added, a 500 instead of a 422."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(OUTSIDE_CALENDAR)


class Timestamp(fields.AwareDateTime):
    """An instant with its offset, ISO 8601, on a day `within_calendar`. Services answer in
    JSON, so an answer that already holds the ISO text passes through as it is."""

    def _deserialize(self, value, attr, data, **kwargs):
        instant = super()._deserialize(value, attr, data, **kwargs)
        within_calendar(instant.date())
        return instant

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


def timestamp(**kwargs) -> Timestamp:
    return Timestamp(**kwargs)


class Day(fields.Date):
    """A calendar day, ISO 8601, `within_calendar`."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        within_calendar(day)
        return day


def day(**kwargs) -> Day:
    return Day(**kwargs)


class StrictBoolean(fields.Boolean):
    """JSON's true or false only: 0, 1 and "yes" are not booleans."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def boolean(**kwargs) -> StrictBoolean:
    return StrictBoolean(**kwargs)


def password(**kwargs) -> fields.String:
    """A new password's length; how strong it is, the accounts service decides."""
    return fields.String(
        validate=validate.Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH),
        metadata={"format": "password", **kwargs.pop("metadata", {})},
        **kwargs,
    )


def secret(**kwargs) -> fields.String:
    """A password given to prove who one is: any length a person may have chosen."""
    return fields.String(
        validate=validate.Length(min=1, max=SECRET_MAX_LENGTH),
        metadata={"format": "password", **kwargs.pop("metadata", {})},
        **kwargs,
    )


class Changes(Schema):
    """A PATCH body: every field optional, but at least one given."""

    @validates_schema
    def changes_something(self, data, **kwargs):
        if not data:
            raise ValidationError(NOTHING_TO_CHANGE)
