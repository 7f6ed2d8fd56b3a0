"""What the account routes accept from clients, before anything reaches the accounts service."""

import json

import pytest
from marshmallow import ValidationError
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.errors import ApiError
from gateway.request_input import check_query, load_body, query_of
from gateway.routes.accounts import split_disabling
from services.contracts.accounts import (
    AccountChanges,
    CoacheeChanges,
    CoacheeQuery,
    LoginForm,
    StaffAccountChanges,
)

SUBSCRIBER = "6f1c2a40-3b7e-4d7a-9a51-2f0c8d3e4b11"


def body_request(data, content_type="application/json") -> Request:
    if isinstance(data, dict):
        data = json.dumps(data).encode()
    builder = EnvironBuilder(method="POST", data=data, content_type=content_type)
    return Request(builder.get_environ())


def test_malformed_json_is_400():
    with pytest.raises(ApiError) as refused:
        load_body(body_request(b'{"username": '), LoginForm)

    assert (refused.value.status, refused.value.code) == (400, "bad_request")


def test_a_body_that_is_not_json_is_415():
    with pytest.raises(ApiError) as refused:
        load_body(body_request(b"username=x", "application/x-www-form-urlencoded"), LoginForm)

    assert refused.value.status == 415


def test_missing_fields_are_named():
    with pytest.raises(ValidationError) as refused:
        load_body(body_request({"username": "maija"}), LoginForm)

    assert set(refused.value.messages) == {"password"}


def test_accepted_body_comes_back_in_json_form_with_defaults():
    changes = {
        "subscriber_id": SUBSCRIBER,
        "disabled": True,
        "disabled_until": "2027-03-01T12:00:00+02:00",
    }

    assert load_body(body_request(changes), CoacheeChanges) == {
        "subscriber_id": SUBSCRIBER,
        "disabled": True,
        "disabled_until": "2027-03-01T12:00:00+02:00",
    }
    assert load_body(body_request({"username": "u", "password": "p"}), LoginForm) == {
        "username": "u",
        "password": "p",
        "remember_me": False,
    }


@pytest.mark.parametrize("schema", [AccountChanges, CoacheeChanges])
def test_username_is_refused_as_unchangeable(schema):
    with pytest.raises(ValidationError) as refused:
        schema().load({"username": "new-name", "name": "Maija"})

    assert refused.value.messages == {"username": ["The username cannot be changed."]}


@pytest.mark.parametrize("schema", [AccountChanges, StaffAccountChanges])
def test_a_change_without_any_field_is_refused(schema):
    with pytest.raises(ValidationError):
        schema().load({})


@pytest.mark.parametrize(
    "body",
    [
        {"disabled_until": "2027-03-01T12:00:00+02:00"},
        {"disabled_until": None},
        {"disabled": False, "disabled_until": "2027-03-01T12:00:00+02:00"},
    ],
)
def test_disabled_until_only_goes_with_disabled_true(body):
    with pytest.raises(ValidationError) as refused:
        StaffAccountChanges().load(body)

    assert set(refused.value.messages) == {"disabled_until"}


def test_disabled_until_must_carry_an_offset():
    with pytest.raises(ValidationError) as refused:
        StaffAccountChanges().load({"disabled": True, "disabled_until": "2027-03-01T12:00:00"})

    assert set(refused.value.messages) == {"disabled_until"}


def test_staff_role_must_be_a_staff_role():
    with pytest.raises(ValidationError) as refused:
        StaffAccountChanges().load({"role": "coachee"})

    assert set(refused.value.messages) == {"role"}


def test_page_size_is_bounded():
    with pytest.raises(ValidationError) as refused:
        CoacheeQuery().load({"limit": "1000"})

    assert set(refused.value.messages) == {"limit"}


def test_query_defaults_when_absent():
    request = Request(EnvironBuilder(query_string="q=virtanen").get_environ())
    check_query(request, CoacheeQuery)

    assert query_of(request) == {"q": "virtanen", "limit": 50, "cursor": None}


def test_disabling_is_split_from_the_field_changes():
    changes = {"name": "Uusi Nimi", "disabled": True, "disabled_until": "2027-03-01T10:00:00Z"}

    assert split_disabling(changes) == (
        {"name": "Uusi Nimi"},
        {"disabled": True, "until": "2027-03-01T10:00:00Z"},
    )
    assert split_disabling({"disabled": False}) == ({}, {"disabled": False, "until": None})
    assert split_disabling({"role": "coach"}) == ({"role": "coach"}, None)
