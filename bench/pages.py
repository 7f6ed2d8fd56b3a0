"""`python -m bench.pages`: the booking journey's pages under load, beside the JSON floor, and the
bytes a first-time booking journey transfers.

Set up as `bench.bookings` does it, through the admin API: one service that 20 coaches deliver,
each working weekdays 08-16 Helsinki time, and a roster subscriber. Then, with CLIENTS clients
for LOAD_SECONDS each, one after another on the same stack:
- `GET /api/services`, one RPC behind `@http`: the floor;
- `GET /`, the front page (the catalogue, rendered);
- `GET /varaa/aika`, the time picker for any coach, next week: the catalogue, the coaches and
  the week's slot search side by side, rendered;
- the same address as htmx asks for it when moving week by week (`HX-Request`): the slot
  search only, the times region rendered;
- `GET /api/slots` for the same week: the JSON API's own slot search, what the time picker
  cannot be cheaper than.
It prints requests per second, p50/p95/p99 and the cores each process used, and the time
picker's p95 against the floor's.

Then one first-time journey as a browser makes it, each static file once (it is cached after):
the front page, the stylesheet and htmx, the time picker, the next week by htmx, the form, the
post (a 303) and the confirmation, asking for gzip as browsers do. It prints each answer's bytes
as received (the gateway gzips the stylesheet and htmx, not pages) and as gzip would send them.
Prints figures only and asserts nothing, since they depend on the machine.
"""

import gzip
import html
import os
import re
from contextlib import ExitStack
from datetime import date, timedelta
from functools import partial
from http.client import HTTPResponse
from urllib.parse import urlencode

from bench.bookings import create_coaches, create_service, create_subscriber, member_number
from bench.stack import (
    Client,
    LoadRow,
    Stack,
    admin_headers,
    benchmark_main,
    cpu_use,
    isolated_stack,
    machine_description,
    print_load_rows,
    repeatedly,
    run_concurrently,
)
from gateway.cookies import SESSION_COOKIE

CLIENTS = 8
LOAD_SECONDS = 10
WARMUP_REQUESTS = 20
PASSWORD = "Syksyinen-Sieniretki-2027"
FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
TIME_BUTTON = re.compile(r'name="starts_at" value="([^"]+)"')
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')
LATER_WEEK = re.compile(r'id="seuraava-viikko" href="([^"]+)"')
BUDGET_BYTES = 60 * 1024


def next_monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def set_up(stack: Stack) -> dict:
    with Client(stack.url, admin_headers(stack)) as admin:
        service = create_service(admin)
        create_coaches(admin, service["id"])
        subscriber_id = create_subscriber(admin)
    choice = {
        "service_id": service["id"],
        "specification_id": service["specifications"][0]["id"],
        "delivery_method": "video",
        "viikko": next_monday().isoformat(),
    }
    return {"choice": choice, "subscriber_id": subscriber_id}


def time_picker_path(setup: dict) -> str:
    return f"/varaa/aika?{urlencode(setup['choice'])}"


def slots_path(setup: dict) -> str:
    """The JSON API's slot search for the week the time picker shows."""
    first = date.fromisoformat(setup["choice"]["viikko"])
    query = {
        "service_id": setup["choice"]["service_id"],
        "from": first.isoformat(),
        "to": (first + timedelta(days=6)).isoformat(),
    }
    return f"/api/slots?{urlencode(query)}"


def measure(stack: Stack, measurement: str, path: str, headers=None) -> LoadRow:
    with ExitStack() as clients:
        loops = []
        for _ in range(CLIENTS):
            client = clients.enter_context(Client(stack.url, headers))
            for _ in range(WARMUP_REQUESTS // CLIENTS + 1):
                client.request("GET", path)
            loops.append(repeatedly(partial(client.request, "GET", path)))
        with cpu_use(stack) as cpu:
            seconds, results = run_concurrently(loops, LOAD_SECONDS)
    replies = [reply for client_replies in results for reply in client_replies]
    return LoadRow(measurement, replies, seconds, cpu=cpu)


class Browser:
    """One first-time visitor: keeps its cookies, sends forms with their token, counts bytes."""

    def __init__(self, client: Client):
        self.client = client
        self.cookies: dict[str, str] = {}
        self.rows: list[tuple[str, int, int]] = []

    def request(self, what: str, method: str, path: str, **kwargs) -> tuple[HTTPResponse, str]:
        headers = {"Accept-Encoding": "gzip", **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = self.client.connection
        connection.request(method, path, body=kwargs.get("data"), headers=headers)
        response = connection.getresponse()
        received = response.read()
        body = received
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(received)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.partition(";")[0]
        self.rows.append((what, len(received), len(gzip.compress(body, 6)) if body else 0))
        return response, body.decode("utf-8", "replace")


def first_time_journey(stack: Stack, setup: dict) -> list[tuple[str, int, int]]:
    with Client(stack.url) as client:
        browser = Browser(client)
        _, front = browser.request("front page (step 1)", "GET", "/")
        for path in dict.fromkeys(STATIC.findall(front)):
            browser.request(path, "GET", path)
        _, times = browser.request("time picker (step 2)", "GET", time_picker_path(setup))
        later = html.unescape(LATER_WEEK.search(times).group(1))
        browser.request("next week by htmx", "GET", later, headers={"HX-Request": "true"})
        choice = {n: html.unescape(v) for n, v in HIDDEN.findall(times) if n != "paluu"}
        starts_at = html.unescape(TIME_BUTTON.search(times).group(1))
        form_path = f"/varaa/lomake?{urlencode({**choice, 'starts_at': starts_at})}"
        _, form = browser.request("booking form (step 3)", "GET", form_path)
        fields = {name: html.unescape(value) for name, value in HIDDEN.findall(form)}
        fields.update(
            name="Maija Meikäläinen",
            email="maija.bench@example.fi",
            phone="040 123 4567",
            subscriber_id=setup["subscriber_id"],
            member_number=member_number(1),
            password=PASSWORD,
        )
        posted, _ = browser.request(
            "the form sent (303)",
            "POST",
            "/varaa/lomake",
            data=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if posted.status != 303 or SESSION_COOKIE not in browser.cookies:
            raise SystemExit(f"the booking form gave {posted.status}, not a booking")
        browser.request("confirmation (step 4)", "GET", posted.headers["Location"])
        return browser.rows


def print_journey(rows: list[tuple[str, int, int]]) -> None:
    print()
    print("A first-time booking journey, each answer's body in bytes")
    header = f"{'answer':<44} {'received':>9} {'gzip':>9}"
    print(header)
    print("-" * len(header))
    for what, size, zipped in rows:
        print(f"{what:<44} {size:>9,} {zipped:>9,}")
    sent, zipped = sum(row[1] for row in rows), sum(row[2] for row in rows)
    print(f"{'total (HTML + CSS + JS)':<44} {sent:>9,} {zipped:>9,}")
    shares = f"received {sent / BUDGET_BYTES:.0%}, all gzipped {zipped / BUDGET_BYTES:.0%}"
    print(f"of the {BUDGET_BYTES:,}-byte budget: {shares}")


def run() -> None:
    load_before = os.getloadavg()[0]
    with isolated_stack() as stack:
        print("setting up: a service, 20 coaches, a roster subscriber")
        setup = set_up(stack)
        picker = time_picker_path(setup)
        rows = [
            measure(stack, f"GET /api/services (floor, {CLIENTS} clients)", "/api/services"),
            measure(stack, f"GET / front page ({CLIENTS} clients)", "/"),
            measure(stack, f"GET /varaa/aika time picker, any of 20 coaches ({CLIENTS})", picker),
            measure(
                stack,
                f"GET /varaa/aika, htmx times region only ({CLIENTS} clients)",
                picker,
                {"HX-Request": "true"},
            ),
            measure(
                stack, f"GET /api/slots, the same week's search ({CLIENTS})", slots_path(setup)
            ),
        ]
        journey = first_time_journey(stack, setup)
    print()
    print(machine_description("Valmennuskalenteri booking pages", load_before))
    print_load_rows(rows)
    floor_p95 = rows[0].percentiles()[1]
    for row in rows[1:]:
        print(f"{row.measurement}: p95 {row.percentiles()[1] / floor_p95:.2f}× the floor's")
    print_journey(journey)


if __name__ == "__main__":
    raise SystemExit(benchmark_main(run))
