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
picker's p95 against the floor's. Bookings runs as deployed: the same slot search within
SLOT_CACHE_SECONDS is answered from memory (`services/bookings/slot_cache.py`), as it is when
many people look at the same week; `bench.bookings` measures the search itself.

Then one first-time journey as a browser makes it, each static file once (it is cached after):
the front page, the stylesheet and htmx, the time picker, the next week by htmx, the form, the
post (a 303) and the confirmation, asking for gzip as browsers do. It prints each answer's bytes
as received (the gateway gzips pages of 1 KB and more, the stylesheet and htmx) and as gzip at
level 6 would send them.

`python -m bench.pages --admin` (issue 15) measures instead the administrator's bookings page
with 10,000 bookings, on a stack set up alike: the 20 coaches' bookings written straight into the
bookings database in one transaction (booking them one by one through the service would take
most of an hour on this machine, and the page only reads them). Each coach has 500 sessions on
weekdays, 8.00 to 15.00 Helsinki time an hour and a half apart (so no two collide with the
buffer), from ten weeks ago on; past ones completed, some cancelled or no-shows, future ones
confirmed, one in a hundred waiting for an eligibility decision. Then, one administrator's login:
the floor; `GET /api/bookings` (the API's own page of 50); `/hallinta/varaukset` unfiltered,
filtered by coach, state and a week, and a page deep in the list (its cursor); the eligibility
queue; the administrator's home `/tyopoyta`; then the first three with one client, and each
answer's CPU time in the services and the gateway, which a busy machine changes less than the
latencies.

`--seconds N` loads each address for N seconds instead of LOAD_SECONDS (a quick check that the
benchmark runs). Prints figures only and asserts nothing, since they depend on the machine.
"""

import argparse
import gzip
import html
import os
import random
import re
import uuid
from contextlib import ExitStack
from datetime import date, datetime, time, timedelta
from functools import partial
from http.client import HTTPResponse
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, insert, pool

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
from services.bookings.models import bookings
from services.contracts.bookings import CANCELLED, COMPLETED, CONFIRMED, NO_SHOW, PENDING

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
FLOOR = "/api/services"
BOOKINGS = 10_000
SESSION_STARTS = (time(8), time(9, 30), time(11), time(12, 30), time(14))
HELSINKI = ZoneInfo("Europe/Helsinki")
SEED = 15


def next_monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def set_up(stack: Stack) -> dict:
    """A service that 20 coaches deliver and a roster subscriber; the administrator's headers
    (the page wants the session cookie, the API the bearer token)."""
    headers = admin_headers(stack)
    token = headers["Authorization"].removeprefix("Bearer ")
    headers["Cookie"] = f"{SESSION_COOKIE}={token}"
    with Client(stack.url, headers) as admin:
        service = create_service(admin)
        coach_ids = create_coaches(admin, service["id"])
        subscriber_id = create_subscriber(admin)
    choice = {
        "service_id": service["id"],
        "specification_id": service["specifications"][0]["id"],
        "delivery_method": "video",
        "viikko": next_monday().isoformat(),
    }
    return {
        "choice": choice,
        "subscriber_id": subscriber_id,
        "service": service,
        "coach_ids": coach_ids,
        "admin_headers": headers,
    }


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


def measure(
    stack: Stack, measurement: str, path: str, headers=None, clients=CLIENTS, seconds=LOAD_SECONDS
) -> LoadRow:
    print(f"measuring with {clients} client(s): {measurement}")
    with ExitStack() as opened:
        loops = []
        for _ in range(clients):
            client = opened.enter_context(Client(stack.url, headers))
            for _ in range(WARMUP_REQUESTS // clients + 1):
                client.request("GET", path)
            loops.append(repeatedly(partial(client.request, "GET", path)))
        with cpu_use(stack) as cpu:
            elapsed, results = run_concurrently(loops, seconds)
    replies = [reply for client_replies in results for reply in client_replies]
    return LoadRow(measurement, replies, elapsed, cpu=cpu)


def print_beside_floor(rows: list[LoadRow]) -> None:
    """The rows, then each one's p95 against the first's (the floor's)."""
    print_load_rows(rows)
    floor_p95 = rows[0].percentiles()[1]
    for row in rows[1:]:
        print(f"{row.measurement}: p95 {row.percentiles()[1] / floor_p95:.2f}× the floor's")


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


def working_days(first: date):
    day = first
    while True:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def status_of(starts_at: datetime, now: datetime, rng: random.Random) -> str:
    draw = rng.random()
    if starts_at < now:
        return CANCELLED if draw < 0.08 else NO_SHOW if draw < 0.12 else COMPLETED
    return CANCELLED if draw < 0.08 else PENDING if draw < 0.09 else CONFIRMED


def booking_rows(service: dict, coach_ids: list[str]) -> list[dict]:
    """BOOKINGS rows, the same number per coach, from ten weeks ago on."""
    rng = random.Random(SEED)
    now = datetime.now(HELSINKI)
    per_coach = BOOKINGS // len(coach_ids)
    starts = []
    for day in working_days(now.date() - timedelta(weeks=10)):
        starts.extend(datetime.combine(day, start, HELSINKI) for start in SESSION_STARTS)
        if len(starts) >= per_coach:
            break
    rows = []
    for coach_id in coach_ids:
        for starts_at in starts[:per_coach]:
            status = status_of(starts_at, now, rng)
            created_at = min(now, starts_at - timedelta(days=7))
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "coachee_id": uuid.uuid4(),
                    "coach_id": coach_id,
                    "service_id": service["id"],
                    "specification_id": service["specifications"][0]["id"],
                    "delivery_method": "video",
                    "starts_at": starts_at,
                    "ends_at": starts_at + timedelta(hours=1),
                    "blocks_until": starts_at + timedelta(hours=1, minutes=15),
                    "status": status,
                    "message": "Haluan päivittää CV:ni.",
                    "eligibility_rule": "manual" if status == PENDING else "roster",
                    "hold_expires_at": now + timedelta(days=2) if status == PENDING else None,
                    "registered_coachee": False,
                    "created_at": created_at,
                    "updated_at": created_at,
                }
            )
    return rows


def seed_bookings(stack: Stack, rows: list[dict]) -> None:
    engine = create_engine(stack.database_urls["bookings"], poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(insert(bookings), rows)
    finally:
        engine.dispose()


def deep_cursor(rows: list[dict]) -> str:
    """The cursor the bookings page links to in the middle of the unfiltered list."""
    middle = sorted(rows, key=lambda row: (row["starts_at"], str(row["id"])))[len(rows) // 2]
    return f"{middle['starts_at'].isoformat()}|{middle['id']}"


def admin_paths(rows: list[dict], coach_id: str) -> list[tuple[str, str]]:
    week_start = next_monday()
    week = f"from={week_start}&to={week_start + timedelta(days=4)}"
    return [
        ("GET /api/services (floor: @http + one RPC)", FLOOR),
        ("GET /api/bookings?limit=50 (the API's page)", "/api/bookings?limit=50"),
        ("GET /hallinta/varaukset (first page of 50)", "/hallinta/varaukset"),
        (
            "GET /hallinta/varaukset?coach_id&status&from&to (a week)",
            f"/hallinta/varaukset?coach_id={coach_id}&status=confirmed&{week}",
        ),
        (
            "GET /hallinta/varaukset?cursor (page in the middle)",
            f"/hallinta/varaukset?{urlencode({'cursor': deep_cursor(rows)})}",
        ),
        ("GET /hallinta/hyvaksyttavat (the queue)", "/hallinta/hyvaksyttavat"),
        ("GET /tyopoyta (the admin's home)", "/tyopoyta"),
    ]


def cpu_ms_per_answer(row: LoadRow) -> str:
    """The services' and the gateway's CPU time per answer: what a request costs, whatever
    else keeps the machine busy."""
    answers = max(1, len(row.replies))
    spent = {
        name: cores * row.seconds * 1000 / answers
        for name, cores in row.cpu.items()
        if name != "machine" and cores >= 0.005
    }
    return ", ".join(f"{name} {ms:.1f}" for name, ms in sorted(spent.items(), key=lambda s: -s[1]))


def booking_pages(seconds: float) -> None:
    load_before = os.getloadavg()[0]
    with isolated_stack() as stack:
        print("setting up: a service, 20 coaches, a roster subscriber")
        setup = set_up(stack)
        picker = time_picker_path(setup)
        load = partial(measure, stack, seconds=seconds)
        rows = [
            load(f"GET /api/services (floor, {CLIENTS} clients)", FLOOR),
            load(f"GET / front page ({CLIENTS} clients)", "/"),
            load(f"GET /varaa/aika time picker, any of 20 coaches ({CLIENTS})", picker),
            load(
                f"GET /varaa/aika, htmx times region only ({CLIENTS} clients)",
                picker,
                {"HX-Request": "true"},
            ),
            load(f"GET /api/slots, the same week's search ({CLIENTS})", slots_path(setup)),
        ]
        journey = first_time_journey(stack, setup)
    print()
    print(machine_description("Valmennuskalenteri booking pages", load_before))
    print_beside_floor(rows)
    print_journey(journey)


def admin_pages(seconds: float) -> None:
    load_before = os.getloadavg()[0]
    with isolated_stack() as stack:
        print("setting up: a service, 20 coaches, a roster subscriber")
        setup = set_up(stack)
        rows = booking_rows(setup["service"], setup["coach_ids"])
        print(f"writing {len(rows):,} bookings")
        seed_bookings(stack, rows)
        waiting = sum(row["status"] == PENDING for row in rows)
        paths = admin_paths(rows, setup["coach_ids"][0])
        load = partial(measure, stack, headers=setup["admin_headers"], seconds=seconds)
        loaded = [load(measurement, path) for measurement, path in paths]
        alone = [load(measurement, path, clients=1) for measurement, path in paths[:3]]
    print()
    print(machine_description("Valmennuskalenteri admin pages", load_before))
    print(
        f"{len(rows):,} bookings of {len(setup['coach_ids'])} coaches ({waiting} waiting for a "
        f"decision); {seconds} s each"
    )
    for title, table in ((f"{CLIENTS} clients", loaded), ("one client", alone)):
        print(f"\n{title}:")
        print_beside_floor(table)
    print(f"\nCPU ms per answer ({CLIENTS} clients):")
    for row in loaded:
        print(f"  {row.measurement:<64} {cpu_ms_per_answer(row)}")


def run() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--admin", action="store_true", help="the admin's bookings page instead")
    parser.add_argument("--seconds", type=float, default=LOAD_SECONDS, help="load per address")
    arguments = parser.parse_args()
    (admin_pages if arguments.admin else booking_pages)(arguments.seconds)


if __name__ == "__main__":
    raise SystemExit(benchmark_main(run))
