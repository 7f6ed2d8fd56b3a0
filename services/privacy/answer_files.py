"""The export ZIP (R-RIGHTS-1): one JSON file per service, the person's files, an HTML summary."""

import html
import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import datetime

from services.infra.clock import HELSINKI

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
STYLE = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px "
STYLE += "solid #999;padding:4px 8px;text-align:left;vertical-align:top}"


def safe_name(name: str) -> str:
    return SAFE_NAME.sub("_", name).strip("._") or "file"


def display(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def item_table(item: dict) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(str(key))}</th><td>{html.escape(display(value))}</td></tr>"
        for key, value in (item.get("data") or {}).items()
    )
    return (
        f"<h3>{html.escape(item['group'])} {html.escape(str(item['id']))}</h3><table>{rows}</table>"
    )


def summary_html(collected: list[dict], login_name: str | None, now: datetime) -> str:
    sections = []
    for answer in collected:
        items = "".join(item_table(item) for item in answer["items"]) or "<p>Ei tietoja.</p>"
        files = "".join(f"<li>{html.escape(f['name'])}</li>" for f in answer["files"])
        files_html = f"<h3>Liitetiedostot</h3><ul>{files}</ul>" if files else ""
        sections.append(f"<h2>{html.escape(answer['service'])}</h2>{items}{files_html}")
    made = now.astimezone(HELSINKI).strftime("%d.%m.%Y %H:%M")
    return (
        '<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">'
        f"<title>Henkilötiedot</title><style>{STYLE}</style></head><body>"
        f"<h1>Sinusta tallennetut tiedot</h1><p>Käyttäjätunnus: {html.escape(login_name or '-')}"
        f"<br>Koottu {made} (Helsingin aikaa)</p>{''.join(sections)}</body></html>"
    )


def export_zip(
    collected: list[dict],
    request,
    fetch: Callable[[str], bytes | None],
    now: datetime,
) -> bytes:
    """`collected` is each service's export answer; `fetch(key)` reads a file (None if gone)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for answer in collected:
            service = answer["service"]
            archive.writestr(
                f"{service}.json",
                json.dumps(answer["items"], ensure_ascii=False, indent=2, default=str),
            )
            for number, file in enumerate(answer["files"], start=1):
                body = fetch(file["key"])
                if body is not None:
                    path = f"attachments/{service}/{number}-{safe_name(file['name'])}"
                    archive.writestr(path, body)
        archive.writestr("summary.html", summary_html(collected, request["login_name"], now))
    return buffer.getvalue()
