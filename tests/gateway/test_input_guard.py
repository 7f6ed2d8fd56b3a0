"""Input no route should see, refused once at the gateway for every route."""

import json
import socket
from urllib.parse import urlsplit

import pytest
import requests
from werkzeug.routing import Rule
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.errors import ApiError
from gateway.http import foreign_origin
from gateway.input_guard import parsed_json, typed_path_rule

LOGIN = {"username": "maija", "password": "salasana", "remember_me": False}
NOT_STORABLE = "Contains a character that is not allowed (NUL or a lone surrogate)."


def post_raw(url: str, head: bytes, body: bytes = b"") -> bytes:
    target = urlsplit(url)
    with socket.create_connection((target.hostname, target.port), timeout=10) as sock:
        sock.sendall(head + body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                break
    return answer


@pytest.mark.parametrize(
    "path",
    [
        "/api/coaches/0/hours",
        "/api/bookings/not-a-uuid",
        "/api/services/1",
        "/api/bookings/%00/notes",
        "/api/subscribers/0",
    ],
)
def test_a_path_id_that_is_not_a_uuid_is_404_without_login(gateway_url, path):
    response = requests.get(f"{gateway_url}{path}", timeout=10)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_untyped_id_path_values_match_only_uuids_and_reach_the_route_as_text():
    rule = typed_path_rule(Rule("/api/coaches/<coach_id>/hours/<name>/<uuid:other_id>"))

    assert rule.rule == "/api/coaches/<id:coach_id>/hours/<name>/<uuid:other_id>"


def test_nul_in_a_json_string_is_422_naming_the_field(gateway_url):
    response = requests.post(
        f"{gateway_url}/api/session", json=dict(LOGIN, username="maija\u0000"), timeout=10
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"username": [NOT_STORABLE]}


def test_a_lone_surrogate_deep_in_a_body_is_named_by_its_path():
    with pytest.raises(ApiError) as refused:
        parsed_json(b'{"coachee": {"names": ["ok", "\\ud800"]}}')

    assert refused.value.status == 422
    assert refused.value.fields == {"coachee": {"names": {1: [NOT_STORABLE]}}}


@pytest.mark.parametrize("depth", [21, 100_000])
def test_json_nested_too_deep_is_400(gateway_url, depth):
    body = "[" * depth + "]" * depth
    response = requests.post(
        f"{gateway_url}/api/session",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_deep"


@pytest.mark.parametrize("document", [b"NaN", b'{"a": Infinity}', b'{"a": 1e400}'])
def test_numbers_json_does_not_have_are_400(document):
    with pytest.raises(ApiError) as refused:
        parsed_json(document)

    assert refused.value.status == 400


def test_a_json_body_over_the_limit_is_413_before_it_is_sent(gateway_url):
    head = (
        b"POST /api/session HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        b"Content-Length: 52428800\r\n\r\n"
    )

    answer = post_raw(gateway_url, head)

    assert answer.startswith(b"HTTP/1.1 413")


def test_a_chunked_json_body_is_counted_while_read_and_413_past_the_limit(gateway_url):
    chunk = b"x" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20)) + b"0\r\n\r\n"
    head = (
        b"POST /api/session HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )

    answer = post_raw(gateway_url, head, body)

    assert answer.startswith(b"HTTP/1.1 413")


def test_a_small_chunked_json_body_is_read(gateway_url):
    document = json.dumps(dict(LOGIN, username="maija\u0000")).encode()
    head = (
        b"POST /api/session HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )

    answer = post_raw(gateway_url, head, b"%x\r\n%s\r\n0\r\n\r\n" % (len(document), document))

    assert answer.startswith(b"HTTP/1.1 422")


def test_nul_in_a_query_value_is_422_naming_it(gateway_url):
    response = requests.get(f"{gateway_url}/api/slots?service_id=%00", timeout=10)

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"service_id": [NOT_STORABLE]}


def answer_of(raw: bytes) -> tuple[int, dict, dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, json.loads(body)


def read_all(url: str, head: bytes) -> bytes:
    target = urlsplit(url)
    with socket.create_connection((target.hostname, target.port), timeout=10) as sock:
        sock.sendall(head)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    ("head", "status", "code"),
    [
        (
            b"GET /api/staff?cursor=" + b"%F4" * 4000 + b" HTTP/1.1\r\nHost: g\r\n\r\n",
            414,
            "uri_too_long",
        ),
        (
            b"GET /api/session HTTP/1.1\r\nHost: g\r\nX-Long: " + b"a" * 9000 + b"\r\n\r\n",
            400,
            "bad_request",
        ),
        (
            b"GET /api/session HTTP/1.1\r\n" + b"X-Many: a\r\n" * 120 + b"\r\n",
            431,
            "headers_too_large",
        ),
        (b"GET /api/session HTTP/9.1\r\nHost: g\r\n\r\n", 505, "http_version_not_supported"),
        (b'GET /api/session HTTP/1."1\r\nHost: g\r\n\r\n', 400, "bad_request"),
    ],
    ids=["request line too long", "header too long", "too many headers", "version", "malformed"],
)
def test_a_request_refused_before_any_route_gets_a_json_error(gateway_url, head, status, code):
    answered, headers, body = answer_of(read_all(gateway_url, head))

    assert answered == status
    assert headers["Content-Type"] == "application/json"
    assert headers["Connection"] == "close"
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_nul_in_a_header_is_400(gateway_url):
    head = b"GET /api/session HTTP/1.1\r\nHost: gateway\r\nIdempotency-Key: a\x00b\r\n\r\n"

    assert post_raw(gateway_url, head).startswith(b"HTTP/1.1 400")


@pytest.mark.parametrize("origin", ["http://[::1", "https://evil.example"])
def test_an_unsafe_request_from_a_malformed_or_other_origin_is_foreign(origin):
    builder = EnvironBuilder(
        method="POST", path="/api/session", headers={"Origin": origin, "Host": "gateway"}
    )

    assert foreign_origin(Request(builder.get_environ()))
