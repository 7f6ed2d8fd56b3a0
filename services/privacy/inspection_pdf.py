"""The written answer to an inspection request (R-RIGHTS-3): a printable PDF of everything held."""

import io
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.infra.clock import HELSINKI
from services.privacy.answer_files import display

TABLE_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
    ]
)


def cell(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def item_flowables(item: dict, styles) -> list:
    rows = [
        [cell(str(key), styles["BodyText"]), cell(display(value), styles["BodyText"])]
        for key, value in (item.get("data") or {}).items()
    ]
    heading = cell(f"{item['group']} {item['id']}", styles["Heading4"])
    if not rows:
        return [heading]
    table = Table(rows, colWidths=[5 * cm, 12 * cm], style=TABLE_STYLE)
    return [heading, table, Spacer(1, 0.3 * cm)]


def inspection_pdf(collected: list[dict], request, now: datetime) -> bytes:
    styles = getSampleStyleSheet()
    received = request["received_at"].astimezone(HELSINKI).strftime("%d.%m.%Y")
    made = now.astimezone(HELSINKI).strftime("%d.%m.%Y")
    charge = "maksuton" if request["free_of_charge"] else "maksullinen (toinen saman vuoden aikana)"
    story = [
        cell("Tarkastuspyyntö: sinusta tallennetut tiedot", styles["Title"]),
        cell(f"Käyttäjätunnus: {request['login_name'] or '-'}", styles["BodyText"]),
        cell(f"Pyyntö vastaanotettu {received}, vastattu {made}", styles["BodyText"]),
        cell(
            f"Tarkastus {request['number_in_year']}. tänä kalenterivuonna: {charge}",
            styles["BodyText"],
        ),
    ]
    for answer in collected:
        story.append(cell(answer["service"], styles["Heading2"]))
        if not answer["items"] and not answer["files"]:
            story.append(cell("Ei tietoja.", styles["BodyText"]))
        for item in answer["items"]:
            story.extend(item_flowables(item, styles))
        for file in answer["files"]:
            story.append(cell(f"Liitetiedosto: {file['name']}", styles["BodyText"]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title="Tarkastuspyyntö").build(story)
    return buffer.getvalue()
