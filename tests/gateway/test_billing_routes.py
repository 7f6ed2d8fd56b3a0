"""Subscribers through the gateway: the public choices, admin management and roster uploads."""

import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from gateway.routes.billing import DEFAULT_ROSTER_MAX_BYTES
from services.contracts.names import BILLING
from tests.gateway.api_client import unique


@pytest.fixture
def admin(client, make_admin):
    person = make_admin()
    return client.log_in(person.username, person.password)


@pytest.fixture
def billing_rpc(service_containers, base_config):
    with ServiceRpcProxy(BILLING, base_config) as proxy:
        yield proxy


def subscriber_body(**changes) -> dict:
    return {
        "name": unique("Akavan Erityisalat "),
        "business_id": "0112038-9",
        "billing_contact_emails": ["laskutus@example.fi"],
        "member_number_in_report": True,
        "eligibility_method": "roster",
        "identifier_label": "Jäsennumero",
        **changes,
    }


@pytest.fixture
def subscriber(client, admin) -> dict:
    response = client.request(
        "POST", "/api/subscribers", headers=admin.with_bearer(), json=subscriber_body()
    )
    assert response.status_code == 201, response.text
    return response.json()


def put_roster(client, login, subscriber_id: str, body: bytes, content_type="text/csv"):
    headers = dict(login.with_bearer(), **{"Content-Type": content_type})
    return client.request(
        "PUT", f"/api/subscribers/{subscriber_id}/roster", headers=headers, data=body
    )


def test_admin_adds_a_subscriber_and_reads_it_back(client, admin):
    body = subscriber_body(billing_contact_emails=["Laskutus@Example.FI"])

    created = client.request("POST", "/api/subscribers", headers=admin.with_csrf(), json=body)

    assert created.status_code == 201
    subscriber = created.json()
    assert subscriber["name"] == body["name"]
    assert subscriber["billing_contact_emails"] == ["Laskutus@example.fi"]
    assert subscriber["roster_members"] == 0
    read = client.request(
        "GET", f"/api/subscribers/{subscriber['id']}", headers=admin.with_bearer()
    )
    assert read.status_code == 200
    assert read.json() == subscriber


def test_admin_changes_a_subscriber(client, admin, subscriber):
    response = client.request(
        "PATCH",
        f"/api/subscribers/{subscriber['id']}",
        headers=admin.with_csrf(),
        json={"eligibility_method": "manual", "identifier_label": "Henkilöstönumero"},
    )

    assert response.status_code == 200
    assert response.json()["eligibility_method"] == "manual"
    assert response.json()["identifier_label"] == "Henkilöstönumero"


def test_admin_pages_through_subscribers_by_name(client, admin, subscriber):
    other = client.request(
        "POST", "/api/subscribers", headers=admin.with_bearer(), json=subscriber_body()
    ).json()
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = client.request(
            "GET", "/api/subscribers", headers=admin.with_bearer(), params=query
        )
        assert response.status_code == 200
        assert len(response.json()["items"]) <= 2
        seen += response.json()["items"]
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    names = [item["name"] for item in seen]
    assert names == sorted(names)
    assert {subscriber["id"], other["id"]} <= {item["id"] for item in seen}


def test_anyone_sees_the_active_subscribers_for_the_booking_form(client, admin, subscriber):
    renamed = client.request(
        "PATCH",
        f"/api/subscribers/{subscriber['id']}",
        headers=admin.with_bearer(),
        json={"identifier_label": "Jäsen-ID"},
    )
    assert renamed.status_code == 200
    inactive = client.request(
        "POST",
        "/api/subscribers",
        headers=admin.with_bearer(),
        json=subscriber_body(active=False),
    ).json()

    response = client.request("GET", "/api/subscribers/choices")

    assert response.status_code == 200
    choices = response.json()["items"]
    expected = {"id": subscriber["id"], "name": subscriber["name"], "identifier_label": "Jäsen-ID"}
    assert expected in choices
    assert inactive["id"] not in {choice["id"] for choice in choices}


def test_business_id_with_a_wrong_check_digit_is_422(client, admin):
    response = client.request(
        "POST",
        "/api/subscribers",
        headers=admin.with_bearer(),
        json=subscriber_body(business_id="0112038-1"),
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["business_id"]


def test_same_name_twice_is_409(client, admin, subscriber):
    response = client.request(
        "POST",
        "/api/subscribers",
        headers=admin.with_bearer(),
        json=subscriber_body(name=subscriber["name"]),
    )
    assert response.status_code == 409


def test_unknown_subscriber_is_404(client, admin):
    response = client.request(
        "GET", f"/api/subscribers/{uuid.uuid4()}", headers=admin.with_bearer()
    )
    assert response.status_code == 404


def test_subscriber_management_needs_an_admin(client, make_coach, subscriber):
    coach = make_coach()
    login = client.log_in(coach.username, coach.password)
    path = f"/api/subscribers/{subscriber['id']}"

    assert client.request("GET", "/api/subscribers").status_code == 401
    assert client.request("GET", "/api/subscribers", headers=login.with_bearer()).status_code == 403
    assert client.request("GET", path, headers=login.with_bearer()).status_code == 403
    patch = client.request("PATCH", path, headers=login.with_bearer(), json={"active": False})
    assert patch.status_code == 403
    assert put_roster(client, login, subscriber["id"], b"10001\n").status_code == 403


def test_roster_upload_as_csv_decides_eligibility(client, admin, subscriber, billing_rpc):
    response = put_roster(
        client, admin, subscriber["id"], "\ufeffjäsennumero;\r\n10001;\r\n".encode()
    )

    assert response.status_code == 200
    assert response.json() == {"members": 1}
    eligible = billing_rpc.check_eligibility(subscriber["id"], "10001")
    assert eligible["decision"] == "eligible"
    assert billing_rpc.check_eligibility(subscriber["id"], "10002")["decision"] == "not_eligible"


def test_roster_upload_as_a_multipart_file_with_the_cookie(client, admin, subscriber):
    response = client.request(
        "PUT",
        f"/api/subscribers/{subscriber['id']}/roster",
        headers=admin.with_csrf(),
        files={"roster": ("jasenet.csv", b"10001\n10002\n10003\n", "application/vnd.ms-excel")},
    )

    assert response.status_code == 200
    assert response.json() == {"members": 3}
    read = client.request(
        "GET", f"/api/subscribers/{subscriber['id']}", headers=admin.with_bearer()
    )
    assert read.json()["roster_members"] == 3


def test_malformed_roster_is_422_naming_the_line_and_the_old_roster_stays(
    client, admin, subscriber, billing_rpc
):
    assert put_roster(client, admin, subscriber["id"], b"10001\n10002\n").status_code == 200

    response = put_roster(client, admin, subscriber["id"], b"20001\n20002\n20003;20004\n")

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "roster": ["line 3: several values; give one member number per line"]
    }
    assert billing_rpc.check_eligibility(subscriber["id"], "10001")["decision"] == "eligible"
    assert billing_rpc.check_eligibility(subscriber["id"], "20001")["decision"] == "not_eligible"


def test_roster_that_is_not_utf8_is_422(client, admin, subscriber):
    response = put_roster(client, admin, subscriber["id"], "jäsennumero\n10001\n".encode("cp1252"))
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["roster"]


def test_roster_in_another_format_is_415(client, admin, subscriber):
    response = put_roster(client, admin, subscriber["id"], b"{}", content_type="application/json")
    assert response.status_code == 415


def test_multipart_without_the_roster_field_is_422(client, admin, subscriber):
    response = client.request(
        "PUT",
        f"/api/subscribers/{subscriber['id']}/roster",
        headers=admin.with_bearer(),
        files={"file": ("jasenet.csv", b"10001\n", "text/csv")},
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["roster"]


def test_roster_over_the_size_limit_is_413(client, admin, subscriber):
    body = b"1234567\n" * (DEFAULT_ROSTER_MAX_BYTES // 8 + 1)
    response = put_roster(client, admin, subscriber["id"], body)
    assert response.status_code == 413
