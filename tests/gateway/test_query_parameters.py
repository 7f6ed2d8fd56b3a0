"""Query strings on every route: checked with the route's schema before anything else, so a
parameter a route does not take, a value of the wrong type and a day outside the calendar are each
a 422 naming the parameter, never ignored and never a 500."""

import uuid

import pytest
from marshmallow import post_load
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.openapi import PATH_PARAMETER, routes_of
from gateway.request_input import check_query, query_of
from gateway.service import GatewayService
from services.contracts.accounts import PageQuery
from services.contracts.fields import Day, Timestamp
from tests.gateway.api_client import ApiClient

ROUTES = sorted(
    (
        (method, route.url, route.query_schema)
        for _, route in routes_of(GatewayService)
        for method in route.method.split(",")
    ),
    key=lambda route: route[:2],
)
OUTSIDE_CALENDAR = {
    Day: ("0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"),
    Timestamp: (
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:30:00+02:00",
        "9999-12-31T23:59:59-12:00",
        "3000-01-01T00:00:00+02:00",
    ),
}


def path_of(url: str) -> str:
    return PATH_PARAMETER.sub(str(uuid.uuid4()), url)


def date_parameters() -> list[tuple[str, str, str, str]]:
    """(method, url, parameter, value) for every day or instant a route takes in its query."""
    found = []
    for method, url, schema in ROUTES:
        for field in schema().fields.values() if schema else ():
            for kind, values in OUTSIDE_CALENDAR.items():
                if isinstance(field, kind):
                    found += [(method, url, field.data_key or field.name, v) for v in values]
    return found


@pytest.fixture
def gateway(gateway_url):
    """Only the gateway: the query string is refused before any service is asked."""
    with ApiClient(gateway_url) as client:
        yield client


def refused_naming(answer, parameter: str) -> bool:
    return answer.status_code == 422 and parameter in answer.json()["error"]["fields"]


def test_a_parameter_no_route_takes_is_refused_by_name_on_every_route(gateway):
    answers = {
        (method, url): gateway.request(method, path_of(url), params={"unexpected": "1"})
        for method, url, _ in ROUTES
    }
    wrong = {
        route: (answer.status_code, answer.text)
        for route, answer in answers.items()
        if not refused_naming(answer, "unexpected")
    }
    assert len(answers) > 60 and not wrong


def test_a_day_outside_the_calendar_is_refused_by_name_on_every_route(gateway):
    wrong = []
    for method, url, parameter, value in date_parameters():
        answer = gateway.request(method, path_of(url), params={parameter: value})
        if not refused_naming(answer, parameter):
            wrong.append((method, url, parameter, value, answer.status_code, answer.text))
    assert not wrong


def test_every_route_with_dates_in_its_query_is_swept():
    swept = {url for _, url, _, _ in date_parameters()}
    assert swept >= {"/api/slots", "/api/feedback/summary", "/api/bookings", "/api/audit"}


def test_the_route_reads_the_query_its_check_loaded_without_loading_it_again():
    loads = []

    class CountedPageQuery(PageQuery):
        @post_load
        def counted(self, data, **kwargs):
            loads.append(data)
            return data

    request = Request(EnvironBuilder(query_string="limit=5").get_environ())
    check_query(request, CountedPageQuery)

    assert query_of(request) == query_of(request) == {"limit": 5, "cursor": None}
    assert len(loads) == 1


def test_a_parameter_given_twice_is_refused_by_name(gateway):
    answer = gateway.request("GET", "/api/staff", params=[("limit", "1"), ("limit", "2")])
    assert refused_naming(answer, "limit")


def test_a_limit_that_is_not_a_number_is_refused_by_name(gateway):
    assert refused_naming(gateway.request("GET", "/api/staff", params={"limit": "abc"}), "limit")
    assert refused_naming(gateway.request("GET", "/api/breaches", params={"limit": "abc"}), "limit")


def test_the_calendars_edges_reach_the_services_and_are_answered(
    client, make_admin, make_privacy_officer
):
    admin, officer = make_admin(), make_privacy_officer()
    admin_login = client.log_in(admin.username, admin.password)
    officer_login = client.from_another_address().log_in(officer.username, officer.password)
    widest = {"from": "1900-01-01T00:00:00+14:00", "to": "2999-12-31T23:59:59-12:00"}
    asked = {
        "bookings": client.request(
            "GET", "/api/bookings", params=widest, headers=admin_login.with_bearer()
        ),
        "audit": client.request(
            "GET", "/api/audit", params=widest, headers=officer_login.with_bearer()
        ),
        "slots": client.request(
            "GET",
            "/api/slots",
            params={"service_id": str(uuid.uuid4()), "from": "2999-12-01", "to": "2999-12-31"},
            headers=admin_login.with_bearer(),
        ),
    }

    assert asked["bookings"].status_code == 200, asked["bookings"].text
    assert asked["audit"].status_code == 200, asked["audit"].text
    assert asked["slots"].status_code in (404, 422), asked["slots"].text
