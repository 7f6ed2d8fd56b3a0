"""Document properties — Office's core and extended properties, OpenDocument's `meta.xml` —
emptied, with what they held named in plain words.

The part itself stays (with its root element and namespaces), as the applications expect it.
"""

from collections.abc import Callable

from services.contracts.media import Removed
from services.media import xml_parts
from services.media.zip_package import Entry

PROPERTY_KINDS = {
    "creator": Removed.AUTHOR,
    "lastModifiedBy": Removed.AUTHOR,
    "initial-creator": Removed.AUTHOR,
    "printed-by": Removed.AUTHOR,
    "Manager": Removed.AUTHOR,
    "created": Removed.DATES,
    "modified": Removed.DATES,
    "lastPrinted": Removed.DATES,
    "creation-date": Removed.DATES,
    "date": Removed.DATES,
    "print-date": Removed.DATES,
    "TotalTime": Removed.EDITING_TIME,
    "editing-duration": Removed.EDITING_TIME,
    "editing-cycles": Removed.EDITING_TIME,
    "revision": Removed.EDITING_TIME,
    "Company": Removed.COMPANY,
    "Template": Removed.TEMPLATE,
    "template": Removed.TEMPLATE,
    "Application": Removed.SOFTWARE,
    "AppVersion": Removed.SOFTWARE,
    "generator": Removed.SOFTWARE,
    "HyperlinkBase": Removed.FILE_PATHS,
    "user-defined": Removed.CUSTOM_PROPERTIES,
}


def held(element) -> bool:
    return xml_parts.has_content(element) or bool(element.attrib)


def kinds_in(container) -> set[Removed]:
    return {
        PROPERTY_KINDS.get(xml_parts.local_name(child.tag), Removed.DOCUMENT_PROPERTIES)
        for child in container
        if isinstance(child.tag, str) and held(child)
    }


def emptied(entry: Entry, container_of: Callable) -> tuple[Entry, set[Removed]]:
    """The part with the element `container_of(root)` finds emptied, and what it held."""
    if xml_parts.is_blank(entry.data):
        return entry, set()
    root = xml_parts.parse(entry.data, entry.name)
    container = container_of(root)
    if container is None:
        return entry, set()
    kinds = kinds_in(container)
    if not xml_parts.empty_children(container):
        return entry, set()
    return Entry(entry.name, xml_parts.serialise(root), entry.compressed), kinds


def remain(entry: Entry, container_of: Callable) -> bool:
    """Whether a properties part still holds anything."""
    if xml_parts.is_blank(entry.data):
        return False
    container = container_of(xml_parts.parse(entry.data, entry.name))
    return container is not None and xml_parts.has_content(container)


def whole_part(root):
    return root
