"""Office Open XML (DOCX, XLSX, PPTX, as Word, Excel, PowerPoint, LibreOffice and Google Docs
write them): the document cleaned part by part, the package kept consistent.

- Core and extended properties are emptied (authors, company, manager, template, editing
  time, software, dates, statistics).
- Removed, with their relationships and content-type entries: custom properties, custom XML
  data, the thumbnail, `people.xml` (comment authors' accounts), printer settings (a printer's
  name and its driver's private data; a sheet's reference to them goes too), digital
  signatures (they name the signer, and would no longer verify), PowerPoint's co-authoring
  revision records (`revisionInfo.xml`, `changesInfos/`) and `[trash]` leftovers.
- Relationships to files on the author's machine or network keep their place but lose the path.
- Every other part is cleaned by `package_parts` (names, dates, revision-session ids and
  document ids in the XML; metadata of pictures).
- A workbook, document or presentation embedded in the package (a chart's data is one) is
  cleaned the same way, one level deep; a package embedded in that is refused.

Refused, naming the part: macros (also in a package whose type says it has none), and what
`package_parts` cannot vouch for (OLE objects, ActiveX controls, programs). A package is only
accepted as the plain document type its name says: macro-enabled documents and templates are
refused by their main part's content type.
"""

import posixpath
from dataclasses import dataclass, replace
from urllib.parse import unquote

from services.contracts.media import MalformedFile, MetadataRemains, Removed, UnsupportedType
from services.media import office_xml, package_parts, properties, xml_parts
from services.media.cleaned import Cleaned
from services.media.file_types import DOCX, PPTX, XLSX, FileType, accepted_types
from services.media.settings import CleaningLimits
from services.media.zip_package import Entry, read_package, write_package

CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELATIONSHIPS = "_rels/.rels"
RELATIONSHIP_ATTRIBUTES = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}",
)
MAIN_DOCUMENT = ("/officeDocument",)
CORE_PROPERTIES = ("/metadata/core-properties",)
EXTENDED_PROPERTIES = ("/extended-properties", "/extendedProperties")
CUSTOM_PROPERTIES = ("/custom-properties", "/customProperties")
THUMBNAIL = ("/metadata/thumbnail",)
SIGNATURES = ("/digital-signature/origin",)
MAIN_TYPES = {
    DOCX.key: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX.key: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX.key: (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    ),
}
FAMILIES = {
    DOCX: ("wordprocessingml", "ms-word"),
    XLSX: ("spreadsheetml", "ms-excel"),
    PPTX: ("presentationml", "ms-powerpoint"),
}
USUAL_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
DROPPED_FOLDERS = {
    "customxml/": Removed.CUSTOM_DATA,
    "ppt/changesinfos/": Removed.REVISION_IDS,
    "[trash]/": Removed.HIDDEN_DATA,
    "_xmlsignatures/": Removed.DIGITAL_SIGNATURE,
}
PEOPLE = "people.xml"
REVISION_INFO = "revisioninfo.xml"
PRINTER_SETTINGS_FOLDER = "printersettings/"
PRINTER_NAME_BYTES = 64
MACRO_NAMES = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
MACRO_CONTENT_TYPES = ("vbaproject", "vbadata", "vbaprojectsignature")
LOCAL_TARGET_REPLACEMENT = "about:blank"
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class Package:
    """An OOXML package's parts by name, and the content type each is declared with."""

    parts: dict[str, Entry]
    defaults: dict[str, str]
    overrides: dict[str, str]

    @classmethod
    def of(cls, entries: list[Entry]) -> "Package":
        parts = {entry.name: entry for entry in entries}
        if CONTENT_TYPES not in parts:
            raise MalformedFile("The document has no content types part.")
        root = xml_parts.parse(parts[CONTENT_TYPES].data, CONTENT_TYPES)
        defaults, overrides = {}, {}
        for element in xml_parts.elements(root):
            tag = xml_parts.local_name(element.tag)
            if tag == "Default":
                defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
            elif tag == "Override":
                overrides[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
        return cls(parts, defaults, overrides)

    def content_type(self, name: str) -> str:
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        return self.overrides.get(name, self.defaults.get(extension, ""))

    def related(self, kinds: tuple[str, ...]) -> list[str]:
        """The parts the package relationships name with a type ending in one of `kinds`."""
        if PACKAGE_RELATIONSHIPS not in self.parts:
            raise MalformedFile("The document has no package relationships.")
        return [
            resolved_target(PACKAGE_RELATIONSHIPS, element.get("Target", ""))
            for element in relationships(self.parts[PACKAGE_RELATIONSHIPS])
            if element.get("Type", "").endswith(kinds) and element.get("TargetMode") != "External"
        ]

    def main_part(self) -> str | None:
        found = self.related(MAIN_DOCUMENT)
        return found[0] if found else None


def package_type(entries: list[Entry]) -> FileType | None:
    """DOCX, XLSX or PPTX by the content type of the main part (macro-enabled variants and
    templates too: they are refused with a reason after the name is checked)."""
    package = Package.of(entries)
    main = package.main_part() if PACKAGE_RELATIONSHIPS in package.parts else None
    if main is None:
        found = [kind for name, kind in USUAL_MAIN_PARTS.items() if name in package.parts]
        return found[0] if len(found) == 1 else None
    content_type = package.content_type(main)
    return next(
        (kind for kind, markers in FAMILIES.items() if any(m in content_type for m in markers)),
        None,
    )


def relationship_base(rels_name: str) -> str:
    """`word/_rels/document.xml.rels` relates `word/document.xml`; targets are relative to
    `word/`."""
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return folder + "/" if folder else ""


def source_of(rels_name: str) -> str:
    """The part a relationships part belongs to (empty for the package's own)."""
    return relationship_base(rels_name) + posixpath.basename(rels_name)[: -len(".rels")]


def relationships_of(name: str) -> str:
    """`word/people.xml` → `word/_rels/people.xml.rels`."""
    folder = posixpath.dirname(name)
    return (folder + "/" if folder else "") + "_rels/" + posixpath.basename(name) + ".rels"


def resolved_target(rels_name: str, target: str) -> str:
    target = unquote(target)
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(relationship_base(rels_name) + target)


def is_relationships(name: str) -> bool:
    return name.endswith(".rels")


def relationships(entry: Entry) -> list:
    root = xml_parts.parse(entry.data, entry.name)
    return [
        element
        for element in xml_parts.elements(root)
        if xml_parts.local_name(element.tag) == "Relationship"
    ]


def check_main_part(package: Package, file_type: FileType) -> None:
    main = package.main_part()
    if main is None or main not in package.parts:
        raise MalformedFile("The document does not say which part is its main part.")
    if package.content_type(main) != MAIN_TYPES[file_type.key]:
        raise UnsupportedType(
            "Macro-enabled documents and templates are not accepted; save it as a plain "
            f"{file_type.extensions[0]} file.",
            {"accepted_types": accepted_types()},
        )


def names_printer(data: bytes) -> bool:
    """Printer settings are a DEVMODE record; its first 32 UTF-16 characters name the printer."""
    return any(data[:PRINTER_NAME_BYTES])


def dropped_parts(package: Package) -> dict[str, set[Removed]]:
    """The parts removed whole, each with what its removal takes away."""
    dropped: dict[str, set[Removed]] = {}
    for name in package.related(CUSTOM_PROPERTIES):
        dropped[name] = {Removed.CUSTOM_PROPERTIES}
    for name in package.related(THUMBNAIL):
        dropped[name] = {Removed.THUMBNAIL}
    for name in package.related(SIGNATURES):
        dropped[name] = {Removed.DIGITAL_SIGNATURE}
    for name, entry in package.parts.items():
        lowered = name.lower()
        folder = next((f for f in DROPPED_FOLDERS if lowered.startswith(f)), None)
        if folder is not None:
            dropped[name] = {DROPPED_FOLDERS[folder]}
        elif lowered.startswith("docprops/thumbnail."):
            dropped[name] = {Removed.THUMBNAIL}
        elif posixpath.basename(lowered) == PEOPLE:
            dropped[name] = {Removed.COMMENT_AUTHORS}
        elif posixpath.basename(lowered) == REVISION_INFO:
            dropped[name] = {Removed.REVISION_IDS}
        elif PRINTER_SETTINGS_FOLDER in lowered:
            dropped[name] = {Removed.PRINTER_SETTINGS}
            if names_printer(entry.data):
                dropped[name].add(Removed.PRINTER_NAME)
    for name in list(dropped):
        if relationships_of(name) in package.parts:
            dropped.setdefault(relationships_of(name), set())
    return {name: kinds for name, kinds in dropped.items() if name in package.parts}


def check_for_macros(package: Package) -> None:
    for name in package.parts:
        content_type = package.content_type(name).lower()
        if posixpath.basename(name.lower()) in MACRO_NAMES or any(
            marker in content_type for marker in MACRO_CONTENT_TYPES
        ):
            raise UnsupportedType(
                f"The document holds macros ({name}); save it as a plain document without "
                "macros and send it again.",
                {"accepted_types": accepted_types()},
            )


def strip(file_type: FileType, data: bytes, limits: CleaningLimits) -> Cleaned:
    entries = read_package(data, limits)
    cleaned, removed, _ = clean_package(file_type, entries, limits, nested=False)
    return Cleaned(cleaned, file_type, frozenset(removed))


def clean_package(
    file_type: FileType, entries: list[Entry], limits: CleaningLimits, nested: bool
) -> tuple[bytes, set[Removed], int]:
    """The cleaned package, what was removed, and how many bytes it expanded to (embedded
    packages included), which bounds what packages embedded in it may expand to."""
    package = Package.of(entries)
    check_main_part(package, file_type)
    check_for_macros(package)
    dropped = dropped_parts(package)
    removed = {kind for kinds in dropped.values() for kind in kinds}
    rewritten_relationships, lost_ids = {}, {}
    for entry in entries:
        if is_relationships(entry.name) and entry.name not in dropped:
            rewritten, kinds, ids = without_dropped_targets(entry, lowered(dropped))
            rewritten_relationships[entry.name] = rewritten
            lost_ids[source_of(entry.name)] = ids
            removed |= kinds
    property_parts = set(package.related(CORE_PROPERTIES) + package.related(EXTENDED_PROPERTIES))
    expanded = sum(len(entry.data) for entry in entries)
    renumbering = office_xml.Renumbering()
    kept = []
    for entry in entries:
        if entry.name in dropped:
            continue
        if entry.name in rewritten_relationships:
            entry = rewritten_relationships[entry.name]
        elif entry.name == CONTENT_TYPES:
            entry = without_overrides(entry, lowered(dropped))
        elif entry.name in property_parts:
            entry, kinds = properties.emptied(entry, properties.whole_part)
            removed |= kinds
        elif is_package(entry):
            budget = replace(limits, max_expanded_bytes=limits.max_expanded_bytes - expanded)
            entry, kinds, size = cleaned_embedded_package(entry, budget, nested)
            removed |= kinds
            expanded += size
        else:
            if lost_ids.get(entry.name):
                entry = without_references(entry, lost_ids[entry.name])
            entry, kinds = package_parts.clean_part(entry, limits, renumbering)
            removed |= kinds
        kept.append(entry)
    return write_package(kept), removed, expanded


def cleaned_embedded_package(
    entry: Entry, limits: CleaningLimits, nested: bool
) -> tuple[Entry, set[Removed], int]:
    """A workbook, document or presentation inside the document, cleaned like it."""
    entries = [] if nested else read_package(entry.data, limits)
    embedded_type = package_type(entries) if entries else None
    if embedded_type is None:
        raise MetadataRemains(
            f"The document holds an embedded file that cannot be cleaned ({entry.name}). "
            "Remove it (or paste it as a picture) and send the document again."
        )
    try:
        data, kinds, size = clean_package(embedded_type, entries, limits, nested=True)
    except UnsupportedType as refused:
        raise UnsupportedType(
            f"The document embeds {entry.name}, which is not accepted: {refused.message}",
            refused.fields,
        ) from refused
    return Entry(entry.name, data, entry.compressed), kinds, size


def lowered(names) -> set[str]:
    """Part names compare without case in a package."""
    return {name.lower() for name in names}


def without_dropped_targets(entry: Entry, dropped: set[str]) -> tuple[Entry, set[Removed], set]:
    """Relationships lose those pointing at dropped parts (`dropped` in lower case; their ids
    are returned, so the source part's references can go too); relationships to local files
    (which name the author's folders, e.g. an attached template) lose their path."""
    if xml_parts.is_blank(entry.data):
        return entry, set(), set()
    root = xml_parts.parse(entry.data, entry.name)
    lost, kinds = set(), set()
    for element in list(xml_parts.elements(root)):
        if xml_parts.local_name(element.tag) != "Relationship":
            continue
        target = element.get("Target", "")
        if element.get("TargetMode") == "External":
            if office_xml.is_local_file(target):
                element.set("Target", LOCAL_TARGET_REPLACEMENT)
                kinds.add(Removed.FILE_PATHS)
        elif resolved_target(entry.name, target).lower() in dropped:
            lost.add(element.get("Id", ""))
            element.getparent().remove(element)
    if not lost and not kinds:
        return entry, set(), set()
    return Entry(entry.name, xml_parts.serialise(root), entry.compressed), kinds, lost


def without_overrides(entry: Entry, dropped: set[str]) -> Entry:
    """Content types lose the entries of dropped parts (`dropped` in lower case)."""
    return xml_parts.without_elements(
        entry,
        lambda element: (
            xml_parts.local_name(element.tag) == "Override"
            and element.get("PartName", "").lstrip("/").lower() in dropped
        ),
    )


def without_references(entry: Entry, lost_ids: set[str]) -> Entry:
    """A part's attributes naming relationships that were removed (a sheet's page set-up
    naming its printer settings) go with them."""
    root = xml_parts.parse(entry.data, entry.name)
    for element in xml_parts.elements(root):
        for key, value in list(element.items()):
            if value in lost_ids and key.startswith(RELATIONSHIP_ATTRIBUTES):
                del element.attrib[key]
    return Entry(entry.name, xml_parts.serialise(root), entry.compressed)


def remaining(entries: list[Entry]) -> str | None:
    """What a cleaned package still holds that cleaning takes away whole (for the fail-closed
    verification; each part is verified on its own besides)."""
    package = Package.of(entries)
    check_for_macros(package)
    dropped = dropped_parts(package)
    if dropped:
        return sorted(dropped)[0]
    for name in package.related(CORE_PROPERTIES) + package.related(EXTENDED_PROPERTIES):
        if name in package.parts and properties.remain(package.parts[name], properties.whole_part):
            return "document properties"
    for entry in entries:
        if is_relationships(entry.name) and has_local_target(entry):
            return "a local file path"
    return None


def has_local_target(entry: Entry) -> bool:
    return not xml_parts.is_blank(entry.data) and any(
        element.get("TargetMode") == "External"
        and office_xml.is_local_file(element.get("Target", ""))
        for element in relationships(entry)
    )


def is_package(entry: Entry) -> bool:
    return entry.data.startswith(ZIP_SIGNATURE)
