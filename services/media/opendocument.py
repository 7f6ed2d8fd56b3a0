"""OpenDocument (ODT, ODS, ODP, as LibreOffice, OpenOffice and Google Docs write them): the
document cleaned part by part, the manifest kept consistent.

- `meta.xml` (of the document and of each embedded chart or formula) is emptied: authors,
  dates, editing time and cycles, the template, printing, the generator, user-defined fields.
- Removed, with their manifest entries: `manifest.rdf` and other RDF metadata, the thumbnail, the
  `layout-cache` LibreOffice writes into text documents, digital signatures (they name the
  signer, and would no longer verify), and Basic library lists that hold no macro.
- `settings.xml` loses the printer's name and set-up and LibreOffice's revision-session ids;
  annotations and tracked changes lose their authors, initials and dates (the comments and
  changes themselves stay); every other part is cleaned by `package_parts`. Embedded charts
  and formulas (`Object N/` folders of OpenDocument parts) are cleaned as the document is.
- Empty parts (`Configurations2/…`) pass through; `mimetype` stays first and uncompressed.

Refused, naming the part: macros (Basic modules, scripts), objects of other programs (an OLE
`Object N`) and whatever else `package_parts` cannot vouch for; password-protected documents.
"""

import posixpath

from services.contracts.media import MalformedFile, Removed, UnsupportedType
from services.media import office_xml, package_parts, properties, xml_parts
from services.media.cleaned import Cleaned
from services.media.file_types import ODP, ODS, ODT, FileType, accepted_types
from services.media.settings import CleaningLimits
from services.media.zip_package import Entry, read_package, write_package

MIMETYPE = "mimetype"
MANIFEST = "META-INF/manifest.xml"
META = "meta.xml"
TYPES = {file_type.content_type.encode(): file_type for file_type in (ODT, ODS, ODP)}
RDF_SUFFIX = ".rdf"
RDF_BOILERPLATE = frozenset({"RDF", "Description", "type", "hasPart"})
LAYOUT_CACHE = "layout-cache"
THUMBNAILS = "Thumbnails/"
SIGNATURES = frozenset(
    {
        "META-INF/documentsignatures.xml",
        "META-INF/macrosignatures.xml",
        "META-INF/packagesignatures.xml",
    }
)
MACRO_FOLDERS = ("Basic/", "Scripts/")
LIBRARY_LISTS = frozenset({"script-lc.xml", "script-lb.xml", "dialog-lc.xml", "dialog-lb.xml"})


def package_type(mimetype: bytes) -> FileType | None:
    return TYPES.get(mimetype.strip())


def meta_element(root):
    """`office:meta`, the element inside `office:document-meta` holding the metadata."""
    return xml_parts.child_named(root, "meta")


def is_meta(name: str) -> bool:
    return posixpath.basename(name) == META


def rdf_kinds(entry: Entry) -> set[Removed]:
    """RDF metadata beyond the list of the package's own files is worth telling about."""
    if xml_parts.is_blank(entry.data):
        return set()
    root = xml_parts.parse(entry.data, entry.name)
    names = {xml_parts.local_name(element.tag) for element in xml_parts.elements(root)}
    return {Removed.OTHER_METADATA} if names - RDF_BOILERPLATE else set()


def dropped_parts(entries: list[Entry]) -> dict[str, set[Removed]]:
    """The parts removed whole, each with what its removal takes away."""
    dropped = {}
    for entry in entries:
        name = entry.name
        basename = posixpath.basename(name)
        if basename.endswith(RDF_SUFFIX):
            dropped[name] = rdf_kinds(entry)
        elif name.startswith(THUMBNAILS):
            dropped[name] = {Removed.THUMBNAIL}
        elif basename == LAYOUT_CACHE:
            dropped[name] = {Removed.APPLICATION_DATA}
        elif name in SIGNATURES:
            dropped[name] = {Removed.DIGITAL_SIGNATURE}
        elif name.startswith(MACRO_FOLDERS) and (basename in LIBRARY_LISTS or name.endswith("/")):
            dropped[name] = set()
    return dropped


def check_for_macros(entries: list[Entry]) -> None:
    for entry in entries:
        name = entry.name
        is_library_list = posixpath.basename(name) in LIBRARY_LISTS or name.endswith("/")
        if name.startswith(MACRO_FOLDERS) and not is_library_list:
            raise UnsupportedType(
                f"The document holds macros ({entry.name}); save it without macros "
                "and send it again.",
                {"accepted_types": accepted_types()},
            )


def check_not_encrypted(manifest: Entry | None) -> None:
    if manifest is None or xml_parts.is_blank(manifest.data):
        return
    root = xml_parts.parse(manifest.data, manifest.name)
    if any(
        xml_parts.local_name(element.tag) == "encryption-data"
        for element in xml_parts.elements(root)
    ):
        raise UnsupportedType(
            "Password-protected documents cannot be cleaned; save it without a password "
            "and send it again.",
            {"accepted_types": accepted_types()},
        )


def strip(file_type: FileType, data: bytes, limits: CleaningLimits) -> Cleaned:
    entries = read_package(data, limits)
    mimetype = next((entry for entry in entries if entry.name == MIMETYPE), None)
    if mimetype is None or package_type(mimetype.data) != file_type:
        raise MalformedFile("The OpenDocument file does not say it is what its content is.")
    parts = {entry.name: entry for entry in entries}
    check_not_encrypted(parts.get(MANIFEST))
    check_for_macros(entries)
    dropped = dropped_parts(entries)
    removed = {kind for kinds in dropped.values() for kind in kinds}
    renumbering = office_xml.Renumbering()
    kept = [Entry(MIMETYPE, mimetype.data, compressed=False)]
    for entry in entries:
        if entry.name == MIMETYPE or entry.name in dropped:
            continue
        if entry.name == MANIFEST:
            entry, kinds = without_entries(entry, set(dropped)), set()
        elif is_meta(entry.name):
            entry, kinds = properties.emptied(entry, meta_element)
        else:
            entry, kinds = package_parts.clean_part(entry, limits, renumbering)
        removed |= kinds
        kept.append(entry)
    return Cleaned(write_package(kept), file_type, frozenset(removed))


def without_entries(manifest: Entry, dropped: set[str]) -> Entry:
    """The manifest without the entries of dropped parts."""
    return xml_parts.without_elements(
        manifest,
        lambda element: (
            xml_parts.local_name(element.tag) == "file-entry"
            and any(
                xml_parts.local_name(key) == "full-path" and value in dropped
                for key, value in element.items()
            )
        ),
    )


def remaining(entries: list[Entry]) -> str | None:
    """What a cleaned package still holds that cleaning takes away whole or empties (for the
    fail-closed verification; each part is verified on its own besides)."""
    if not entries or entries[0].name != MIMETYPE or entries[0].compressed:
        raise MalformedFile("The OpenDocument file does not start with its mimetype.")
    check_for_macros(entries)
    dropped = dropped_parts(entries)
    if dropped:
        return sorted(dropped)[0]
    for entry in entries:
        if is_meta(entry.name) and properties.remain(entry, meta_element):
            return f"document metadata in {entry.name}"
    return None
