"""Building a subscriber's monthly report (CSV and PDF) from 10,000 and 100,000 billable lines.

Run with `python -m bench.billing_report`. It makes a database of its own on the local
PostgreSQL (`BENCH_DATABASE_SERVER`, default `postgresql+psycopg://postgres@127.0.0.1:5432`),
migrates it, stores the lines with one SQL statement each, and builds each report in a fresh
process under eventlet, as the billing service does: the lines are read a page at a time and
both files written as they come. Prints, per report, the build time and the process's peak
resident memory, also as the growth over the process just before the build (imports and
connection included there), then drops the database. Asserts nothing, since the figures
depend on the machine.
"""

import json
import os
import subprocess
import sys
import uuid
from datetime import date

from sqlalchemy import create_engine, insert, text
from sqlalchemy.pool import NullPool

SIZES = (10_000, 100_000)
PERIOD = date(2027, 3, 1)
PAGE_SIZE = 1000
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")

STORE_LINES = text(
    """
    INSERT INTO billable_lines (
        id, subscriber_id, booking_id, coachee_id, event_id, quantity, starts_at, ends_at,
        service_name, specification_name, delivery_method, coach_name, member_name,
        member_number, session_period, period, recorded_at)
    SELECT gen_random_uuid(), :subscriber_id, gen_random_uuid(), gen_random_uuid(),
        gen_random_uuid(), 1, start, start + interval '1 hour',
        (ARRAY['Uraohjaus', 'Työnhakuvalmennus', 'Urasuunnittelu'])[1 + n % 3],
        (ARRAY['Työnhaku', 'Urasuunnittelu'])[1 + n % 2],
        (ARRAY['video', 'phone', 'on_site'])[1 + n % 3],
        'Kaisa Valmentaja', 'Maija Meikäläinen ' || n, 'M-' || n, :period, :period, now()
    FROM generate_series(0, :count - 1) AS n,
        LATERAL (SELECT timestamptz '2027-03-01 09:00+02' + n * interval '20 seconds') AS s(start)
    """
)


def seed(url: str, count: int) -> str:
    """A subscriber with `count` lines in March 2027; returns its id."""
    from services.billing.models import report_periods, subscribers

    subscriber_id = uuid.uuid4()
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(
            insert(subscribers).values(
                id=subscriber_id,
                name=f"Liitto {count}",
                business_id="0112038-9",
                billing_contact_emails=["laskutus@example.fi"],
                member_number_in_report=True,
                eligibility_method="roster",
                identifier_label="Jäsennumero",
                active=True,
                created_at=text("now()"),
                updated_at=text("now()"),
            )
        )
        connection.execute(
            insert(report_periods).values(subscriber_id=subscriber_id, period=PERIOD)
        )
        connection.execute(
            STORE_LINES, {"subscriber_id": subscriber_id, "period": PERIOD, "count": count}
        )
    engine.dispose()
    return str(subscriber_id)


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(url: str, subscriber_id: str) -> dict:
    """Build the report once, in this process, and say what it took."""
    import eventlet

    eventlet.monkey_patch()
    import tempfile
    import time
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from services.billing import repository
    from services.billing.reports.build import build_report, heading_for

    engine = create_engine(url, poolclass=NullPool)
    with (
        Session(engine) as session,
        tempfile.TemporaryFile() as csv_out,
        tempfile.TemporaryFile() as pdf_out,
    ):
        subscriber = repository.subscriber_by_id(session, uuid.UUID(subscriber_id))
        heading = heading_for(subscriber, PERIOD, 1, None, datetime.now(UTC))
        rss_before = peak_rss_mib()
        started = time.perf_counter()
        summary = build_report(
            session, subscriber["id"], PERIOD, heading, PAGE_SIZE, csv_out, pdf_out
        )
        seconds = time.perf_counter() - started
        sizes = (csv_out.seek(0, os.SEEK_END), pdf_out.seek(0, os.SEEK_END))
    engine.dispose()
    return {
        "lines": summary.line_count,
        "seconds": seconds,
        "peak_rss_mib": peak_rss_mib(),
        "rss_growth_mib": peak_rss_mib() - rss_before,
        "csv_mib": sizes[0] / 2**20,
        "pdf_mib": sizes[1] / 2**20,
    }


def main() -> None:
    from services.infra.migrations import drop_database, upgrade

    url = f"{SERVER}/bench_billing_{os.getpid()}"
    upgrade("billing", url)
    try:
        subscriber_ids = [seed(url, count) for count in SIZES]
        print(f"report build, {PAGE_SIZE} lines a page, CSV and PDF in one pass")
        for subscriber_id in subscriber_ids:
            child = subprocess.run(
                [sys.executable, "-m", "bench.billing_report", "--measure", url, subscriber_id],
                capture_output=True,
                text=True,
                check=True,
                env=dict(os.environ, PSYCOPG_WAIT_FUNC="wait_select"),
            )
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            print(
                f"{figures['lines']:>7,} lines: {figures['seconds']:6.2f} s, "
                f"peak RSS {figures['peak_rss_mib']:5.1f} MiB "
                f"(+{figures['rss_growth_mib']:.1f} MiB while building), "
                f"CSV {figures['csv_mib']:4.1f} MiB, PDF {figures['pdf_mib']:4.1f} MiB"
            )
    finally:
        drop_database(url)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
    else:
        main()
