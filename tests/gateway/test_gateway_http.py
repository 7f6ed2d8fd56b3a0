"""The gateway's fixed points over real HTTP: health, errors, security headers, robots, OpenAPI."""

import pytest
from openapi_spec_validator import validate

from gateway.http import SECURITY_HEADERS
from services.contracts.names import ALL_SERVICES
from tests.gateway.conftest import start_every_service, start_gateway


@pytest.fixture
def service_containers(container_factory, service_config):
    """Every service for this test alone: one test here stops a service."""
    return start_every_service(container_factory, service_config)


@pytest.fixture
def gateway_url(container_factory, base_config):
    return start_gateway(container_factory, base_config)


def assert_secured(response):
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_healthz_reports_every_service_with_its_latency(
    service_containers, gateway_url, web_session
):
    response = web_session.get(f"{gateway_url}/healthz", timeout=10)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["services"]) == set(ALL_SERVICES)
    for state in body["services"].values():
        assert state["status"] == "ok"
        assert state["ms"] > 0
    assert_secured(response)


def test_healthz_names_the_service_that_does_not_answer(
    service_containers, gateway_url, web_session
):
    service_containers["billing"].stop()

    response = web_session.get(f"{gateway_url}/healthz", timeout=5)

    assert response.status_code == 503
    body = response.json()
    assert body["unavailable"] == ["billing"]
    assert body["services"]["billing"] == {"status": "unavailable", "ms": None}
    assert body["services"]["accounts"]["status"] == "ok"


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/no/such/route", 404, "not_found"),
        ("POST", "/healthz", 405, "method_not_allowed"),
    ],
)
def test_unrouted_api_requests_get_a_json_error(
    gateway_url, web_session, method, path, status, code
):
    response = web_session.request(method, f"{gateway_url}{path}", timeout=5)

    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == code
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert_secured(response)


def test_robots_txt_hides_the_whole_site(gateway_url, web_session):
    response = web_session.get(f"{gateway_url}/robots.txt", timeout=5)

    assert response.status_code == 200
    assert response.text == "User-agent: *\nDisallow: /\n"
    assert_secured(response)


def test_openapi_document_is_valid_and_describes_the_routes(gateway_url, web_session):
    response = web_session.get(f"{gateway_url}/api/openapi.json", timeout=5)

    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert "/healthz" in document["paths"]
    health = document["paths"]["/healthz"]["get"]
    assert health["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Health"
    }
    assert "Error" in document["components"]["schemas"]


def test_openapi_document_describes_the_account_routes(gateway_url, web_session):
    paths = web_session.get(f"{gateway_url}/api/openapi.json", timeout=5).json()["paths"]

    assert set(paths["/api/session"]) == {"post", "get", "delete"}
    assert set(paths["/api/me"]) == {"get", "patch", "delete"}
    assert set(paths["/api/staff"]) == {"get", "post"}
    login = paths["/api/session"]["post"]
    assert login["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/LoginForm"
    }
    (account_id,) = paths["/api/staff/{account_id}"]["patch"]["parameters"]
    assert account_id["schema"] == {"type": "string", "format": "uuid"}
    search = {parameter["name"] for parameter in paths["/api/coachees"]["get"]["parameters"]}
    assert search == {"q", "limit", "cursor"}
    reset = paths["/api/password-reset"]["post"]
    assert set(reset["responses"]) == {"202", "default"}
    assert reset["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PasswordResetForm"
    }
    assert set(paths["/api/password-reset/check"]) == {"post"}
    assert set(paths["/api/password-reset/confirm"]["post"]["responses"]) == {"204", "default"}


def test_an_unsafe_request_from_another_sites_page_is_refused(gateway_url, web_session):
    body = {"username": "someone", "password": "whatever-123"}
    foreign = web_session.post(
        f"{gateway_url}/api/session", json=body, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert foreign.json()["error"]["code"] == "foreign_origin"
    assert_secured(foreign)


def test_a_request_from_the_sites_own_page_passes_the_origin_check(
    service_containers, gateway_url, web_session
):
    own_origin = gateway_url
    body = {"username": "nobody-here", "password": "whatever-123"}
    response = web_session.post(
        f"{gateway_url}/api/session", json=body, headers={"Origin": own_origin}
    )
    assert response.status_code == 401
