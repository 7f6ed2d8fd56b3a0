"""OpenDocument text (ODT): the document's metadata emptied (authors, dates, editing time,
user-defined fields), the printer's name taken out of the settings, and every other part cleaned
by `package_parts` (annotation and tracked-change authors, embedded images' metadata).

The `mimetype` entry stays first and uncompressed, as the format requires.
"""

from services.contracts.media import MalformedFile
from services.media import package_parts, xml_parts
from services.media.cleaned import Cleaned
from services.media.file_types import ODT
from services.media.settings import CleaningLimits
from services.media.zip_package import Entry, read_package, write_package

MIMETYPE = "mimetype"
META = "meta.xml"
SETTINGS = "settings.xml"
PEOPLE_IN_META = frozenset({"creator", "initial-creator"})
PRINTER_ITEMS = frozenset({"PrinterName", "PrinterSetup"})


def strip(data: bytes, limits: CleaningLimits) -> Cleaned:
    entries = read_package(data, limits)
    mimetype = next((entry for entry in entries if entry.name == MIMETYPE), None)
    if mimetype is None:
        raise MalformedFile("The OpenDocument file has no mimetype entry.")
    kept, removed = [Entry(MIMETYPE, mimetype.data, compressed=False)], set()
    for entry in entries:
        if entry.name == MIMETYPE:
            continue
        if entry.name == META:
            entry, kinds = emptied_meta(entry)
        elif entry.name == SETTINGS:
            entry, kinds = without_printer(entry)
        else:
            entry, kinds = package_parts.clean_part(entry, limits)
        removed |= kinds
        kept.append(entry)
    return Cleaned(write_package(kept), ODT, frozenset(removed))


def meta_element(root):
    """`office:meta`, the element inside `office:document-meta` holding the metadata."""
    return next(
        (child for child in root if xml_parts.local_name(child.tag) == "meta"),
        None,
    )


def emptied_meta(entry: Entry) -> tuple[Entry, set[str]]:
    root = xml_parts.parse(entry.data, entry.name)
    meta = meta_element(root)
    if meta is None:
        return entry, set()
    names = {xml_parts.local_name(child.tag) for child in xml_parts.elements(meta)}
    if not xml_parts.empty_children(meta):
        return entry, set()
    kinds = {"document_properties"}
    if names & PEOPLE_IN_META:
        kinds.add("author")
    if "user-defined" in names:
        kinds.add("custom_properties")
    return Entry(entry.name, xml_parts.serialise(root), entry.compressed), kinds


def printer_items(root) -> list:
    return [
        element
        for element in xml_parts.elements(root)
        if xml_parts.local_name(element.tag) == "config-item"
        and any(
            xml_parts.local_name(attribute) == "name" and value in PRINTER_ITEMS
            for attribute, value in element.attrib.items()
        )
        and (element.text or "").strip()
    ]


def without_printer(entry: Entry) -> tuple[Entry, set[str]]:
    root = xml_parts.parse(entry.data, entry.name)
    found = printer_items(root)
    for element in found:
        element.text = ""
    people = xml_parts.blank_person_fields(root)
    if not found and not people:
        return entry, set()
    kinds = ({"printer_name"} if found else set()) | ({"author"} if people else set())
    return Entry(entry.name, xml_parts.serialise(root), entry.compressed), kinds
