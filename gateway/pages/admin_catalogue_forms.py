"""The admin catalogue's HTML forms in the shape of the API's bodies.

An HTML form sends text: checkboxes become booleans and lists, an email a line becomes a list,
a day with two times becomes two instants in Helsinki time, rows of working periods become
`WorkingHoursInput`'s list. A list with nothing chosen is sent as null, so the schema says "fill
this in" rather than a minimum length worded for text. The rules stay the contract schemas'; only
the shape changes here.
"""

import re
from datetime import datetime

from marshmallow import Schema, fields

from gateway.pages.forms import load_form
from gateway.pages.i18n import HELSINKI

WEEKDAYS = range(7)
MAX_HOUR_ROWS = 100
HOUR_FIELD = re.compile(r"^hours\.(\d{1,3})\.weekday$")
LIST_SEPARATOR = re.compile(r"[\s,;]+")
CHECKED = "true"


class ChangeDays(Schema):
    """The availability form's day (and optional last day) with its start and end times."""

    day = fields.Date(required=True)
    last_day = fields.Date(load_default=None)
    starts = fields.Time(required=True)
    ends = fields.Time(required=True)
    kind = fields.String(required=True)


def whole_number(value):
    """The form's digits as the integer the strict schema wants; anything else as it came."""
    return int(value) if isinstance(value, str) and value.strip().isdigit() else value


def checked(posted: dict, name: str) -> bool:
    return posted.get(name) == CHECKED


def lines_of(text: str | None) -> list[str]:
    return [value for value in LIST_SEPARATOR.split(text or "") if value]


def folded(errors: dict) -> dict:
    """`delivery_methods.1` and the like shown at the list's own input, the first one kept."""
    at_inputs: dict = {}
    for name, message in errors.items():
        head, _, rest = name.partition(".")
        at_inputs.setdefault(head if rest[:1].isdigit() else name, message)
    return at_inputs


def service_form(posted: dict, *, creating: bool) -> dict:
    form = {
        name: posted[name] for name in ("name", "description", "duration_minutes") if name in posted
    }
    if "duration_minutes" in form:
        form["duration_minutes"] = whole_number(form["duration_minutes"])
    form["delivery_methods"] = posted.get("delivery_methods") or None
    if creating:
        form["specifications"] = [
            line.strip() for line in posted.get("specifications", "").splitlines() if line.strip()
        ]
    else:
        form.setdefault("description", "")
    return form


def coach_form(posted: dict, accounts: list[dict] = (), *, editing: bool = False) -> dict:
    form = {"service_ids": posted.get("service_ids", [])}
    if "name" in posted:
        form["name"] = posted["name"]
    if editing:
        form["active"] = checked(posted, "active")
        return form
    if "account_id" in posted:
        form["account_id"] = posted["account_id"]
        account = next((a for a in accounts if a["id"] == posted["account_id"]), None)
        if "name" not in form and account and account.get("name"):
            form["name"] = account["name"]
    return form


def subscriber_form(posted: dict) -> dict:
    form = {
        name: posted[name]
        for name in ("name", "business_id", "eligibility_method", "identifier_label")
        if name in posted
    }
    form["billing_contact_emails"] = lines_of(posted.get("billing_contact_emails")) or None
    form["member_number_in_report"] = checked(posted, "member_number_in_report")
    form["active"] = checked(posted, "active")
    return form


def availability_change(posted: dict, visitor) -> dict:
    """`AvailabilityChangeInput` from a day (to a last day) and two Helsinki clock times."""
    days = load_form(ChangeDays, posted, visitor)
    last_day = days["last_day"] or days["day"]
    starts = datetime.combine(
        datetime.fromisoformat(days["day"]).date(),
        datetime.strptime(days["starts"][:5], "%H:%M").time(),
        tzinfo=HELSINKI,
    )
    ends = datetime.combine(
        datetime.fromisoformat(last_day).date(),
        datetime.strptime(days["ends"][:5], "%H:%M").time(),
        tzinfo=HELSINKI,
    )
    return {"starts_at": starts.isoformat(), "ends_at": ends.isoformat(), "kind": days["kind"]}


def hours_rows(hours: list[dict]) -> list[dict]:
    """The editor's rows: each weekday's periods and one empty row to add another."""
    rows = []
    for weekday in WEEKDAYS:
        periods = [p for p in hours if p["weekday"] == weekday] + [{"starts": "", "ends": ""}]
        for period in periods:
            rows.append(
                {
                    "index": len(rows),
                    "weekday": weekday,
                    "starts": period["starts"],
                    "ends": period["ends"],
                }
            )
    return rows


def posted_hours(form) -> tuple[list[dict], list[dict], list[int]]:
    """The posted rows as shown again, the periods to send, and each period's row number."""
    indexes = sorted(int(found[1]) for name in form if (found := HOUR_FIELD.match(name)))[
        :MAX_HOUR_ROWS
    ]
    rows, periods, row_of = [], [], []
    for index in indexes:
        weekday = whole_number(form.get(f"hours.{index}.weekday", ""))
        starts = form.get(f"hours.{index}.starts", "").strip()
        ends = form.get(f"hours.{index}.ends", "").strip()
        if weekday in WEEKDAYS:
            rows.append({"index": index, "weekday": weekday, "starts": starts, "ends": ends})
        if starts or ends:
            period = {"weekday": weekday}
            period.update({k: v for k, v in (("starts", starts), ("ends", ends)) if v})
            periods.append(period)
            row_of.append(index)
    return rows, periods, row_of


def this_month(now: datetime) -> str:
    return now.strftime("%Y-%m")
