"""Validating and normalising the personal details people type: email and phone numbers."""

import phonenumbers
from marshmallow import ValidationError, validate

from services.contracts.errors import InvalidInput

EMAIL = validate.Email(error="Not a valid email address.")


def normalise_email(raw: str) -> str:
    email = raw.strip()
    EMAIL(email)
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalise_phone(raw: str) -> str:
    """E.164; Finnish numbers may be given without the country code (040 123 4567)."""
    try:
        number = phonenumbers.parse(raw, "FI")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError("Not a valid phone number.") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("Not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


NORMALISERS = {"email": normalise_email, "phone": normalise_phone}


def normalise_details(details: dict) -> dict:
    """Normalise what is present; every problem is reported by field at once."""
    problems: dict[str, list[str]] = {}
    normalised = dict(details)
    for field, normalise in NORMALISERS.items():
        if details.get(field) is None:
            continue
        try:
            normalised[field] = normalise(details[field])
        except ValidationError as exc:
            problems[field] = exc.messages
    if problems:
        raise InvalidInput("Some details are not valid.", problems)
    for field in ("name", "member_number"):
        if isinstance(normalised.get(field), str):
            normalised[field] = " ".join(normalised[field].split())
    return normalised
