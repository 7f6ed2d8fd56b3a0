"""XML inside office packages: parsed without DTDs, entities or network, and the fields that
name people (authors of comments and tracked changes, their initials and account ids).

lxml keeps namespace prefixes and declarations as they were, which Office's `mc:Ignorable`
needs, so a rewritten part stays what the application expects.
"""

from collections.abc import Iterator

from lxml import etree

from services.contracts.media import MalformedFile

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
PERSON_ATTRIBUTES = frozenset({"author", "initials", "userId", "providerId"})
PERSON_ATTRIBUTES_OF = {
    "person": frozenset({"displayName"}),
    "cmAuthor": frozenset({"name"}),
    "author": frozenset({"name"}),
}
PERSON_TEXTS = frozenset({"author", "creator", "initial-creator"})


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


def local_name(element_or_attribute: str) -> str:
    return etree.QName(element_or_attribute).localname


def elements(root) -> Iterator:
    return root.iter(etree.Element)


def person_fields(root) -> list[tuple[object, str | None]]:
    """Each (element, attribute) naming a person, or (element, None) for a name as text."""
    found = []
    for element in elements(root):
        name = local_name(element.tag)
        watched = PERSON_ATTRIBUTES | PERSON_ATTRIBUTES_OF.get(name, frozenset())
        found += [
            (element, attribute)
            for attribute, value in element.attrib.items()
            if value and local_name(attribute) in watched
        ]
        if name in PERSON_TEXTS and element.text and element.text.strip():
            found.append((element, None))
    return found


def blank_person_fields(root) -> bool:
    """Empties every field naming a person; says whether there was any."""
    fields = person_fields(root)
    for element, attribute in fields:
        if attribute is None:
            element.text = ""
        else:
            element.set(attribute, "")
    return bool(fields)


def empty_children(element) -> bool:
    """Removes everything inside `element`; says whether anything was there."""
    had_content = len(element) > 0 or bool((element.text or "").strip())
    element[:] = []
    element.text = None
    return had_content
