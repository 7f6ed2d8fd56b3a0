"""Office Open XML (DOCX, XLSX, PPTX): document properties emptied, custom properties and custom
XML data removed, local file paths taken out of relationships, and every other part cleaned by
`package_parts` (people's names in comments and tracked changes, embedded images' metadata).

A package is only accepted as the plain document type its name says: macro-enabled documents and
templates are refused by their main part's content type.
"""

import posixpath
import re

from services.contracts.media import MalformedFile, UnsupportedType
from services.media import package_parts, xml_parts
from services.media.cleaned import Cleaned
from services.media.file_types import DOCX, PPTX, XLSX, FileType, accepted_types
from services.media.settings import CleaningLimits
from services.media.zip_package import Entry, read_package, write_package

CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELATIONSHIPS = "_rels/.rels"
CUSTOM_XML_FOLDER = "customXml/"
MAIN_PARTS = {
    DOCX.key: (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    XLSX.key: (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    PPTX.key: (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
CORE_PROPERTIES = "/metadata/core-properties"
EXTENDED_PROPERTIES = "/extended-properties"
CUSTOM_PROPERTIES = "/custom-properties"
PEOPLE_IN_CORE = frozenset({"creator", "lastModifiedBy"})
COMPANY_IN_EXTENDED = frozenset({"Company", "Manager"})
LOCAL_FILE_TARGET = re.compile(r"^(file:|\\\\|[A-Za-z]:[\\/])", re.IGNORECASE)
BLANK_TARGET = "about:blank"


def strip(file_type: FileType, data: bytes, limits: CleaningLimits) -> Cleaned:
    entries = read_package(data, limits)
    package = {entry.name: entry for entry in entries}
    check_main_part(package, file_type)
    properties = property_parts(package)
    dropped = {properties[CUSTOM_PROPERTIES]} if CUSTOM_PROPERTIES in properties else set()
    dropped |= {name for name in package if name.startswith(CUSTOM_XML_FOLDER)}
    removed = {"custom_properties"} if CUSTOM_PROPERTIES in properties else set()
    if any(name.startswith(CUSTOM_XML_FOLDER) for name in dropped):
        removed.add("custom_xml")
    kept = []
    for entry in entries:
        if entry.name in dropped:
            continue
        if entry.name == properties.get(CORE_PROPERTIES):
            entry, kinds = emptied_core_properties(entry)
        elif entry.name == properties.get(EXTENDED_PROPERTIES):
            entry, kinds = emptied_extended_properties(entry)
        elif is_relationships(entry.name) or entry.name == CONTENT_TYPES:
            entry, kinds = without_references(entry, dropped)
        else:
            entry, kinds = package_parts.clean_part(entry, limits)
        removed |= kinds
        kept.append(entry)
    return Cleaned(write_package(kept), file_type, frozenset(removed))


def check_main_part(package: dict[str, Entry], file_type: FileType) -> None:
    if CONTENT_TYPES not in package:
        raise MalformedFile("The document has no content types part.")
    part, expected = MAIN_PARTS[file_type.key]
    overrides = content_type_overrides(package[CONTENT_TYPES])
    if overrides.get("/" + part) != expected:
        raise UnsupportedType(
            "Macro-enabled documents and templates are not accepted; save it as a plain "
            f"{file_type.extensions[0]} file.",
            {"accepted_types": accepted_types()},
        )


def content_type_overrides(entry: Entry) -> dict[str, str]:
    root = xml_parts.parse(entry.data, entry.name)
    return {
        element.get("PartName", ""): element.get("ContentType", "")
        for element in xml_parts.elements(root)
        if xml_parts.local_name(element.tag) == "Override"
    }


def is_relationships(name: str) -> bool:
    return name.endswith(".rels")


def relationship_base(rels_name: str) -> str:
    """`word/_rels/document.xml.rels` relates `word/document.xml`; targets are relative to
    `word/`."""
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return folder + "/" if folder else ""


def resolved_target(rels_name: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(relationship_base(rels_name) + target)


def relationships(entry: Entry) -> list:
    root = xml_parts.parse(entry.data, entry.name)
    return [
        element
        for element in xml_parts.elements(root)
        if xml_parts.local_name(element.tag) == "Relationship"
    ]


def property_parts(package: dict[str, Entry]) -> dict[str, str]:
    """The parts the package relationships name as core, extended and custom properties."""
    if PACKAGE_RELATIONSHIPS not in package:
        raise MalformedFile("The document has no package relationships.")
    found = {}
    for element in relationships(package[PACKAGE_RELATIONSHIPS]):
        for kind in (CORE_PROPERTIES, EXTENDED_PROPERTIES, CUSTOM_PROPERTIES):
            if element.get("Type", "").endswith(kind):
                found[kind] = resolved_target(PACKAGE_RELATIONSHIPS, element.get("Target", ""))
    return found


def emptied_core_properties(entry: Entry) -> tuple[Entry, set[str]]:
    root = xml_parts.parse(entry.data, entry.name)
    people = any(
        xml_parts.local_name(child.tag) in PEOPLE_IN_CORE and (child.text or "").strip()
        for child in xml_parts.elements(root)
    )
    if not xml_parts.empty_children(root):
        return entry, set()
    kinds = {"document_properties", "author"} if people else {"document_properties"}
    return Entry(entry.name, xml_parts.serialise(root), entry.compressed), kinds


def emptied_extended_properties(entry: Entry) -> tuple[Entry, set[str]]:
    root = xml_parts.parse(entry.data, entry.name)
    company = any(
        xml_parts.local_name(child.tag) in COMPANY_IN_EXTENDED and (child.text or "").strip()
        for child in xml_parts.elements(root)
    )
    if not xml_parts.empty_children(root):
        return entry, set()
    kinds = {"document_properties", "company"} if company else {"document_properties"}
    return Entry(entry.name, xml_parts.serialise(root), entry.compressed), kinds


def without_references(entry: Entry, dropped: set[str]) -> tuple[Entry, set[str]]:
    """Relationships and content types lose what points at dropped parts; relationships to
    local files (which name the author's folders, e.g. an attached template) lose their path."""
    root = xml_parts.parse(entry.data, entry.name)
    changed, kinds = False, set()
    for element in list(xml_parts.elements(root)):
        tag = xml_parts.local_name(element.tag)
        if tag == "Override" and element.get("PartName", "")[1:] in dropped:
            element.getparent().remove(element)
            changed = True
        elif tag == "Relationship" and element.get("TargetMode") != "External":
            if resolved_target(entry.name, element.get("Target", "")) in dropped:
                element.getparent().remove(element)
                changed = True
        elif tag == "Relationship" and is_local_file(element.get("Target", "")):
            element.set("Target", BLANK_TARGET)
            changed, kinds = True, {"file_paths"}
    if not changed:
        return entry, kinds
    return Entry(entry.name, xml_parts.serialise(root), entry.compressed), kinds


def is_local_file(target: str) -> bool:
    return LOCAL_FILE_TARGET.match(target) is not None
