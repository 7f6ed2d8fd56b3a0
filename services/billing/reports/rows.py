"""What a report shows: its heading, its columns and each line's cells, in Finnish.

Times are Helsinki time. The member number column appears only for a subscriber that wants
member numbers in its reports (R-BILL-2), under the subscriber's own name for it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from services.billing.periods import period_label
from services.infra.clock import HELSINKI

DELIVERY_METHODS = {"video": "Videoyhteys", "phone": "Puhelin", "on_site": "Lähitapaaminen"}
SERVICE_TITLE = "Palvelu"
QUANTITY_TITLE = "Määrä"
TOTAL_LABEL = "Yhteensä"
ALL_SERVICES_LABEL = "Kaikki palvelut"


@dataclass(frozen=True)
class ReportHeading:
    subscriber_name: str
    business_id: str
    period: date
    version: int
    reason: str | None
    issued_at: datetime
    member_number_label: str | None

    @property
    def title(self) -> str:
        return f"Laskutusraportti {period_label(self.period)}: {self.subscriber_name}"


@dataclass(frozen=True)
class Column:
    title: str
    pdf_width: float
    value: Callable[[Mapping], str]
    in_pdf: bool = True
    numeric: bool = False


def local(instant: datetime) -> datetime:
    return instant.astimezone(HELSINKI)


def session_date(line: Mapping) -> str:
    return local(line["starts_at"]).date().isoformat()


def session_time(line: Mapping) -> str:
    return f"{local(line['starts_at']):%H.%M}–{local(line['ends_at']):%H.%M}"


def delivery_label(line: Mapping) -> str:
    return DELIVERY_METHODS.get(line["delivery_method"], line["delivery_method"])


def correction_note(line: Mapping) -> str:
    if line["session_period"] == line["period"]:
        return ""
    return f"oikaisu {period_label(line['session_period'])}"


def columns(heading: ReportHeading) -> list[Column]:
    """Widths add up to the 770 points between the margins of a landscape A4 page."""
    found = [
        Column("Päivä", 52, session_date),
        Column("Aika", 56, session_time),
        Column(SERVICE_TITLE, 112, lambda line: line["service_name"]),
        Column("Tarkennus", 96, lambda line: line["specification_name"]),
        Column("Toteutustapa", 72, delivery_label),
        Column("Valmentaja", 100, lambda line: line["coach_name"]),
        Column("Jäsen", 108, lambda line: line["member_name"]),
    ]
    if heading.member_number_label is not None:
        found.append(Column(heading.member_number_label, 68, lambda line: line["member_number"]))
    found += [
        Column(QUANTITY_TITLE, 34, lambda line: str(line["quantity"]), numeric=True),
        Column("Oikaisu", 72, correction_note),
        Column("Varaustunnus", 0, lambda line: str(line["booking_id"]), in_pdf=False),
    ]
    return found


def totals_rows(totals: list[Mapping]) -> list[tuple[str, int]]:
    """(service, sessions) per service, then all services together."""
    rows = [(total["service"], int(total["sessions"])) for total in totals]
    rows.append((ALL_SERVICES_LABEL, sum(sessions for _, sessions in rows)))
    return rows
