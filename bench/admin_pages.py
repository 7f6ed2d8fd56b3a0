"""`python -m bench.admin_pages` (issue 15): the administrator's bookings page with 10,000
bookings, through the gateway, beside `GET /api/services` (one RPC behind `@http`, the floor)
measured in the same run with the same clients.

Set up on an isolated stack (`bench.stack`): one service, 20 coaches (through the admin API, as
`bench.bookings` makes them) and 10,000 bookings written straight into the bookings database in
one transaction, since booking them one by one through the service would take most of an hour
on this machine and the page only reads them. Each coach has 500 sessions on weekdays, 8.00 to
15.00 Helsinki time an hour and a half apart (so no two collide with the buffer), from ten weeks
ago to ten weeks ahead; past ones completed, some cancelled or no-shows, future ones confirmed,
one in a hundred waiting for an eligibility decision.

Measured with CLIENTS concurrent clients for LOAD_SECONDS each, one administrator's login:
`GET /api/services`; `GET /api/bookings` (the API's own page of 50); the bookings page
`/hallinta/varaukset` unfiltered, filtered by coach, state and a week, and a page deep in the list
(its cursor); the eligibility queue; and the administrator's home `/tyopoyta`; then the first
three with one client, and each answer's CPU time in the services and the gateway, which a busy
machine changes less than the latencies. Prints figures only; the stack is removed at the end.
"""

import os
import random
import sys
import uuid
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, insert, pool

from bench.bookings import create_coaches, create_service, load_row, requesting
from bench.stack import (
    Client,
    LoadRow,
    Stack,
    bearer,
    benchmark_main,
    create_admin,
    isolated_stack,
    log_in,
    machine_description,
    out_of_ctrl_c_reach,
    print_load_rows,
)
from gateway.cookies import SESSION_COOKIE
from services.bookings.models import bookings
from services.contracts.bookings import CANCELLED, COMPLETED, CONFIRMED, NO_SHOW, PENDING

BOOKINGS = 10_000
CLIENTS = 4
LOAD_SECONDS = 10
SESSION_STARTS = (time(8), time(9, 30), time(11), time(12, 30), time(14))
HELSINKI = ZoneInfo("Europe/Helsinki")
ADMIN_PASSWORD = "hallinnon-aamu-2027"
SEED = 15


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
    first_day = now.date() - timedelta(weeks=10)
    starts = []
    for day in working_days(first_day):
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


def admin_login(stack: Stack) -> str:
    username = f"bench.admin{uuid.uuid4().hex[:6]}"
    out_of_ctrl_c_reach(create_admin, stack.amqp_uri, username, ADMIN_PASSWORD)
    with Client(stack.url) as client:
        return log_in(client, username, ADMIN_PASSWORD)


def deep_cursor(rows: list[dict]) -> str:
    """The cursor the bookings page links to in the middle of the unfiltered list."""
    middle = sorted(rows, key=lambda row: (row["starts_at"], str(row["id"])))[len(rows) // 2]
    return f"{middle['starts_at'].isoformat()}|{middle['id']}"


def measured_paths(rows: list[dict], coach_id: str) -> list[tuple[str, str]]:
    week_start = date.today() + timedelta(days=7 - date.today().weekday())
    week = f"from={week_start}&to={week_start + timedelta(days=4)}"
    return [
        ("GET /api/services (floor: @http + one RPC)", "/api/services"),
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


def measured(stack: Stack, headers: dict, paths: list[tuple[str, str]], clients: int) -> list:
    """A row per path: `clients` clients asking for it for LOAD_SECONDS."""
    table: list[LoadRow] = []
    for measurement, path in paths:
        print(f"measuring with {clients} client(s): {measurement}")
        opened = [Client(stack.url, headers) for _ in range(clients)]
        try:
            loops = [requesting(client, path) for client in opened]
            table.append(load_row(stack, measurement, loops, LOAD_SECONDS))
        finally:
            for client in opened:
                client.connection.close()
    return table


def service_ms_per_request(row: LoadRow) -> str:
    """The services' and the gateway's CPU time per answer: what a request costs, whatever
    else keeps the machine busy."""
    answers = max(1, len(row.replies))
    spent = {
        name: cores * row.seconds * 1000 / answers
        for name, cores in row.cpu.items()
        if name != "machine" and cores >= 0.005
    }
    return ", ".join(f"{name} {ms:.1f}" for name, ms in sorted(spent.items(), key=lambda s: -s[1]))


def run() -> None:
    load_before = os.getloadavg()[0]
    with isolated_stack() as stack:
        token = admin_login(stack)
        headers = {**bearer(token), "Cookie": f"{SESSION_COOKIE}={token}"}
        with Client(stack.url, headers) as admin:
            service = create_service(admin)
            coach_ids = create_coaches(admin, service["id"])
        rows = booking_rows(service, coach_ids)
        print(f"writing {len(rows):,} bookings")
        seed_bookings(stack, rows)
        waiting = sum(row["status"] == PENDING for row in rows)
        paths = measured_paths(rows, coach_ids[0])
        loaded = measured(stack, headers, paths, CLIENTS)
        alone = measured(stack, headers, paths[:3], 1)
    print()
    print(machine_description("Valmennuskalenteri admin pages", load_before))
    print(
        f"{len(rows):,} bookings of {len(coach_ids)} coaches ({waiting} waiting for a decision); "
        f"{LOAD_SECONDS} s each"
    )
    for title, table in ((f"{CLIENTS} clients", loaded), ("one client", alone)):
        print(f"\n{title}:")
        print_load_rows(table)
    print(f"\nCPU ms per answer ({CLIENTS} clients):")
    for row in loaded:
        print(f"  {row.measurement:<64} {service_ms_per_request(row)}")


if __name__ == "__main__":
    sys.exit(benchmark_main(run))
