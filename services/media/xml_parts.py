"""XML inside office packages, parsed without DTDs, entities or network.

lxml keeps namespace prefixes and declarations as they were, which Office's `mc:Ignorable`
needs, so a rewritten part stays what the application expects.
"""

from collections.abc import Callable, Iterator
from dataclasses import replace

from lxml import etree

from services.contracts.media import MalformedFile
from services.media.zip_package import Entry

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse(data: bytes, name: str):
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedFile(f"The part {name} is not well-formed XML.") from exc
    if root.getroottree().docinfo.doctype:
        raise MalformedFile(f"The part {name} declares a DTD, which office files never do.")
    return root


def serialise(root) -> bytes:
    tree = root.getroottree()
    return etree.tostring(
        tree, xml_declaration=True, encoding="UTF-8", standalone=tree.docinfo.standalone
    )


def local_name(qualified: str) -> str:
    """`{namespace}name` or `name` → `name`."""
    return qualified.rpartition("}")[2]


def elements(root) -> Iterator:
    return root.iter(etree.Element)


def is_blank(data: bytes) -> bool:
    """An empty part (office software writes some) holds nothing to clean or parse."""
    return not data.strip()


def empty_children(element) -> bool:
    """Removes everything inside `element`; says whether anything was there."""
    had_content = has_content(element)
    element[:] = []
    element.text = None
    return had_content


def has_content(element) -> bool:
    return len(element) > 0 or bool((element.text or "").strip())


def child_named(element, name: str):
    return next((child for child in element if local_name(str(child.tag)) == name), None)


def without_elements(entry: Entry, matches: Callable[[object], bool]) -> Entry:
    """The part without the elements `matches` picks; the same entry when there are none."""
    root = parse(entry.data, entry.name)
    found = [element for element in elements(root) if matches(element)]
    for element in found:
        element.getparent().remove(element)
    return replace(entry, data=serialise(root)) if found else entry
