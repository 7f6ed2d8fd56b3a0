"""The contract's field helpers: what each accepts, how it normalises, what it refuses."""

import pytest
from marshmallow import Schema, ValidationError

from services.contracts import fields


class Sample(Schema):
    name = fields.person_name()
    email = fields.email()
    phone = fields.phone()
    member_number = fields.member_number()
    note = fields.text(100)
    at = fields.timestamp()
    flag = fields.boolean()


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("040 123 4567", "+358401234567"),
        ("+358 40 123 4567", "+358401234567"),
        ("00358401234567", "+358401234567"),
        ("09 1234 567", "+35891234567"),
        ("+46 70 123 45 67", "+46701234567"),
    ],
)
def test_phone_numbers_are_normalised_to_e164(raw, e164):
    assert Sample().load({"phone": raw}) == {"phone": e164}


def test_invalid_email_and_phone_are_named_together():
    with pytest.raises(ValidationError) as caught:
        Sample().load({"email": "not-an-email", "phone": "12"})
    assert set(caught.value.messages) == {"email", "phone"}


def test_email_domain_is_lowercased_and_spaces_trimmed():
    assert Sample().load({"email": " Maija.M@Example.FI "}) == {"email": "Maija.M@example.fi"}


def test_names_and_member_numbers_have_their_spaces_folded():
    loaded = Sample().load({"name": "  Maija   Meikäläinen ", "member_number": " M  1 "})
    assert loaded == {"name": "Maija Meikäläinen", "member_number": "M 1"}


@pytest.mark.parametrize("field", ["name", "member_number", "note"])
def test_an_identity_code_in_any_text_is_refused_by_name(field):
    with pytest.raises(ValidationError) as caught:
        Sample().load({field: "minä 131052-308T"})
    assert "henkilötunnus" in caught.value.messages[field][0]


@pytest.mark.parametrize("value", [0, 1, "true", "yes", None])
def test_only_json_booleans_are_booleans(value):
    with pytest.raises(ValidationError):
        Sample().load({"flag": value})


def test_unknown_properties_are_refused():
    with pytest.raises(ValidationError) as caught:
        Sample().load({"surprise": 1})
    assert set(caught.value.messages) == {"surprise"}


def test_timestamps_need_an_offset_and_pass_json_answers_through():
    with pytest.raises(ValidationError):
        Sample().load({"at": "2027-03-01T09:00:00"})
    assert Sample().dump({"at": "2027-03-01T09:00:00+02:00"}) == {"at": "2027-03-01T09:00:00+02:00"}


class Period(Schema):
    first = fields.day()
    at = fields.timestamp()


@pytest.mark.parametrize(
    "given",
    [
        {"first": "0001-01-01"},
        {"first": "9999-12-31"},
        {"first": "1899-12-31"},
        {"first": "3000-01-01"},
        {"at": "0001-01-01T00:00:00+00:00"},
        {"at": "9999-12-31T23:59:59-12:00"},
        {"at": "3000-01-01T00:00:00+14:00"},
    ],
)
def test_a_day_outside_the_calendar_is_refused_before_it_overflows(given):
    with pytest.raises(ValidationError) as caught:
        Period().load(given)
    assert caught.value.messages == {name: [fields.OUTSIDE_CALENDAR] for name in given}


def test_the_calendars_first_and_last_day_are_accepted():
    loaded = Period().load({"first": "1900-01-01", "at": "2999-12-31T23:59:59-12:00"})
    assert str(loaded["first"]) == "1900-01-01" and loaded["at"].year == 2999
