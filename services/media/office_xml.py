"""What in the XML of an office document identifies people, dates their comments and changes,
or ties the document to the sessions, machines and files that made it — the same rules for
Word, Excel, PowerPoint and OpenDocument parts, applied when cleaning and again when verifying.

Names are emptied where the format requires the field (a tracked change must name an author)
and removed where it does not; dates of comments and changes are removed, or set to
`NEUTRAL_DATE` where the format requires one (LibreOffice drops the tracked changes of a text
whose change records lack a date); revision-session ids (Word's `w:rsid…`, LibreOffice's
`officeooo:rsid`) and document ids are removed; random paragraph, text and comment ids that
other parts refer to are renumbered from 1 across the whole package, so the references hold;
local file paths are emptied. Content — text, comments, changes — stays.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from services.contracts.media import Removed
from services.media.xml_parts import local_name

NEUTRAL_DATE = "1980-01-01T00:00:00"
RENUMBERED_BELOW = 0x1000000

COMMENTS = frozenset(
    {
        "comment",
        "annotation",
        "cm",
        "reply",
        "cmAuthor",
        "commentAuthor",
        "threadedComment",
        "commentExtensible",
        "person",
        "presenceInfo",
        "author",
        "authors",
    }
)
CHANGES = frozenset(
    {
        "ins",
        "del",
        "moveFrom",
        "moveTo",
        "moveFromRangeStart",
        "moveToRangeStart",
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblGridChange",
        "trPrChange",
        "tcPrChange",
        "numberingChange",
        "cellIns",
        "cellDel",
        "cellMerge",
        "customXmlInsRangeStart",
        "customXmlDelRangeStart",
        "customXmlMoveFromRangeStart",
        "customXmlMoveToRangeStart",
        "change-info",
        "header",
    }
)
PERSON_ATTRIBUTES = frozenset(
    {"author", "initials", "userId", "providerId", "userName", "refreshedBy"}
)
PERSON_ATTRIBUTES_OF = {
    "person": frozenset({"displayName"}),
    "chgData": frozenset({"name"}),
    "cmAuthor": frozenset({"name"}),
    "author": frozenset({"name"}),
    "userInfo": frozenset({"name"}),
}
PERSON_ELEMENTS = frozenset({"creator", "initial-creator", "creator-initials", "printed-by"})
NAMES_LIST_ENTRY = "author"
DATE_ATTRIBUTES = frozenset({"date", "dateUtc", "dT", "dt"})
REQUIRED_DATE_ATTRIBUTES = frozenset({"created", "dateTime"})
DATE_ELEMENT = "date"
REQUIRING_PEOPLE_AND_DATES = frozenset({"change-info"})
RENUMBERED_ATTRIBUTES = frozenset({"paraId", "paraIdParent", "textId", "durableId"})
CREATION_ID = "creationId"
DOCUMENT_ID_ELEMENTS = frozenset({"docId", "nsid", "revisionPtr"})
CUSTOM_VARIABLES = "docVars"
ABSOLUTE_PATH = "absPath"
CONFIG_ITEM = "config-item"
CONFIG_ITEMS = {
    "PrinterName": Removed.PRINTER_NAME,
    "PrinterSetup": Removed.PRINTER_SETTINGS,
    "Rsid": Removed.REVISION_IDS,
    "RsidRoot": Removed.REVISION_IDS,
}
LINKS = frozenset({"href", "sourceFile", "odcFile"})
LOCAL_FILE_PREFIXES = ("file:", "\\\\", "../", "/")


@dataclass
class Renumbering:
    """Random ids Word gives paragraphs, texts and comments, each replaced by the next number
    from 1 — the same id by the same number in every part of the package."""

    numbers: dict[str, int] = field(default_factory=dict)

    def hexadecimal(self, value: str) -> str:
        return f"{self.number(value):08X}"

    def decimal(self, value: str) -> str:
        return str(self.number(value))

    def number(self, value: str) -> int:
        return self.numbers.setdefault(value, len(self.numbers) + 1)


@dataclass(frozen=True)
class Finding:
    """One identifying field: what it is (None: an id already renumbered, which is renumbered
    again with the others but was no give-away) and how cleaning deals with it."""

    kind: Removed | None
    apply: Callable[[], None]
    what: str


def is_local_file(target: str) -> bool:
    """A path on the author's machine or network (which names their folders), not a web
    address and not a part of the package."""
    return target.startswith(LOCAL_FILE_PREFIXES) or (
        len(target) > 2 and target[0].isalpha() and target[1] == ":" and target[2] in "\\/"
    )


def context_of(element) -> frozenset[str] | None:
    name = local_name(element.tag)
    if name in COMMENTS:
        return COMMENTS
    if name in CHANGES:
        return CHANGES
    return None


def people_kind(context: frozenset[str] | None) -> Removed:
    if context is COMMENTS:
        return Removed.COMMENT_AUTHORS
    if context is CHANGES:
        return Removed.CHANGE_AUTHORS
    return Removed.AUTHOR


def dates_kind(context: frozenset[str]) -> Removed:
    return Removed.COMMENT_DATES if context is COMMENTS else Removed.CHANGE_DATES


def findings(root, renumbering: Renumbering | None = None) -> list[Finding]:
    """Every identifying field in a part. Without a renumbering (when verifying), ids count
    only if they are not yet renumbered."""
    found: list[Finding] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        found += element_findings(element)
        found += attribute_findings(element, renumbering)
    return found


def element_findings(element) -> list[Finding]:
    name = local_name(element.tag)
    parent = element.getparent()
    parent_context = context_of(parent) if parent is not None else None
    text = (element.text or "").strip()
    required = parent is not None and local_name(parent.tag) in REQUIRING_PEOPLE_AND_DATES
    if name in PERSON_ELEMENTS and (text or len(element)):
        kind = people_kind(parent_context)
        return [emptying(element, "", kind) if required else removal(element, kind)]
    if name == NAMES_LIST_ENTRY and parent_context is COMMENTS and text:
        return [emptying(element, "", Removed.COMMENT_AUTHORS)]
    if name == DATE_ELEMENT and parent_context is not None:
        kind = dates_kind(parent_context)
        if not required:
            return [removal(element, kind)]
        return [] if text == NEUTRAL_DATE else [emptying(element, NEUTRAL_DATE, kind)]
    if name.lower().startswith("rsid"):
        return [removal(element, Removed.REVISION_IDS)]
    if name in DOCUMENT_ID_ELEMENTS:
        return [removal(element, Removed.DOCUMENT_IDS)]
    if name == CUSTOM_VARIABLES:
        return [removal(element, Removed.CUSTOM_PROPERTIES)]
    if name == ABSOLUTE_PATH:
        return [removal(element, Removed.FILE_PATHS)]
    if name == CONFIG_ITEM and text:
        item = next((value for key, value in element.items() if local_name(key) == "name"), "")
        if item in CONFIG_ITEMS:
            return [removal(element, CONFIG_ITEMS[item])]
    return []


def emptying(element, text: str, kind: Removed) -> Finding:
    """The element stays (the format requires it) with `text` as all it holds."""

    def empty() -> None:
        element[:] = []
        element.text = text

    return Finding(kind, empty, local_name(element.tag))


def removal(element, kind: Removed) -> Finding:
    def remove() -> None:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)

    return Finding(kind, remove, local_name(element.tag))


def attribute_findings(element, renumbering: Renumbering | None) -> list[Finding]:
    name = local_name(element.tag)
    context = context_of(element)
    people = PERSON_ATTRIBUTES | PERSON_ATTRIBUTES_OF.get(name, frozenset())
    found = []
    for key, value in element.items():
        attribute = local_name(key)
        lowered = attribute.lower()
        if attribute in people and value:
            found.append(setting(element, key, "", people_kind(context)))
        elif context is not None and attribute in DATE_ATTRIBUTES:
            found.append(deletion(element, key, dates_kind(context)))
        elif (
            context is not None and attribute in REQUIRED_DATE_ATTRIBUTES and value != NEUTRAL_DATE
        ):
            found.append(setting(element, key, NEUTRAL_DATE, dates_kind(context)))
        elif lowered.startswith("rsid") or lowered.endswith("-rsid"):
            found.append(deletion(element, key, Removed.REVISION_IDS))
        elif attribute in RENUMBERED_ATTRIBUTES:
            found += renumbered(element, key, value, renumbering, hexadecimal=True)
        elif name == CREATION_ID and attribute == "val":
            found += renumbered(element, key, value, renumbering, hexadecimal=False)
        elif attribute in LINKS and is_local_file(value):
            found.append(setting(element, key, "", Removed.FILE_PATHS))
    return found


def setting(element, key: str, value: str, kind: Removed | None) -> Finding:
    return Finding(kind, lambda: element.set(key, value), local_name(key))


def deletion(element, key: str, kind: Removed) -> Finding:
    return Finding(kind, lambda: element.attrib.pop(key, None), local_name(key))


def renumbered(
    element, key: str, value: str, renumbering: Renumbering | None, hexadecimal: bool
) -> list[Finding]:
    kind = None if is_renumbered(value, hexadecimal) else Removed.DOCUMENT_IDS
    if renumbering is None:
        return [] if kind is None else [Finding(kind, noop, local_name(key))]
    new = renumbering.hexadecimal(value) if hexadecimal else renumbering.decimal(value)
    return [setting(element, key, new, kind)]


def is_renumbered(value: str, hexadecimal: bool) -> bool:
    try:
        return int(value, 16 if hexadecimal else 10) < RENUMBERED_BELOW
    except ValueError:
        return False


def noop() -> None:
    """Verification only reports a finding."""


def clean(root, renumbering: Renumbering) -> tuple[bool, set[Removed]]:
    """Removes, empties or renumbers every identifying field of a part; says whether the part
    changed and what there was."""
    found = findings(root, renumbering)
    for finding in found:
        finding.apply()
    return bool(found), {finding.kind for finding in found if finding.kind is not None}


def remaining(root) -> str | None:
    """The first identifying field left in a part, named for the refusal, or None."""
    found = findings(root)
    return found[0].what if found else None
