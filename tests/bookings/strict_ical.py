"""A strict reading of iCalendar (RFC 5545), enough to refuse what a picky calendar would."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

CONTENT_LINE = re.compile(r"^[A-Z0-9-]+[;:]")
UTC_STAMP = re.compile(r"^\d{8}T\d{6}Z$")
LOCAL_TIME = re.compile(r"^\d{8}T\d{6}$")


@dataclass
class Property:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    properties: list[Property] = field(default_factory=list)
    children: list["Component"] = field(default_factory=list)

    def all(self, name: str) -> list[Property]:
        return [prop for prop in self.properties if prop.name == name]

    def one(self, name: str) -> Property:
        found = self.all(name)
        assert len(found) == 1, f"{self.name} has {len(found)} {name}"
        return found[0]

    def child(self, name: str) -> "Component":
        found = [child for child in self.children if child.name == name]
        assert len(found) == 1, f"{self.name} has {len(found)} {name}"
        return found[0]


def split_outside_quotes(text: str, separator: str, limit: int = -1) -> list[str]:
    parts, current, quoted = [], "", False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted and limit != 0:
            parts.append(current)
            current, limit = "", limit - 1
        else:
            current += char
    assert not quoted, f"unbalanced quotes in {text!r}"
    return [*parts, current]


def content_line(line: str) -> Property:
    assert CONTENT_LINE.match(line), f"not a content line: {line!r}"
    head, value = split_outside_quotes(line, ":", limit=1)
    name, *params = split_outside_quotes(head, ";")
    pairs = [param.split("=", 1) for param in params]
    assert all(len(pair) == 2 for pair in pairs), f"bad parameter in {line!r}"
    return Property(name, {key: val.strip('"') for key, val in pairs}, value)


def unfolded_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\r" not in line and "\n" not in line, f"bare line break in {line!r}"
        assert len(line.encode()) <= 75, f"{len(line.encode())} octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            assert logical, "a continuation line first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def components(lines: list[str]) -> Component:
    root = Component("")
    stack = [root]
    for line in lines:
        prop = content_line(line)
        if prop.name == "BEGIN":
            child = Component(prop.value)
            stack[-1].children.append(child)
            stack.append(child)
        elif prop.name == "END":
            assert stack[-1].name == prop.value, f"END:{prop.value} closes {stack[-1].name}"
            stack.pop()
        else:
            assert len(stack) > 1, f"property outside a component: {line!r}"
            stack[-1].properties.append(prop)
    assert stack == [root], f"unclosed {stack[-1].name}"
    return root


def check_timezone(zone: Component) -> None:
    zone.one("TZID")
    for part in ("STANDARD", "DAYLIGHT"):
        rule = zone.child(part)
        assert LOCAL_TIME.match(rule.one("DTSTART").value)
        for offset in ("TZOFFSETFROM", "TZOFFSETTO"):
            assert re.match(r"^[+-]\d{4}$", rule.one(offset).value)


def check_event(event: Component, zone_ids: set[str]) -> None:
    event.one("UID")
    assert UTC_STAMP.match(event.one("DTSTAMP").value)
    event.one("SUMMARY")
    for name in ("DTSTART", "DTEND"):
        moment = event.one(name)
        assert moment.params["TZID"] in zone_ids
        assert LOCAL_TIME.match(moment.value)


def parse_calendar(data: bytes) -> Component:
    """The VCALENDAR in `data`, after checking it the way a strict calendar would."""
    root = components(unfolded_lines(data))
    [calendar] = root.children
    assert calendar.name == "VCALENDAR"
    assert calendar.one("VERSION").value == "2.0"
    calendar.one("PRODID")
    calendar.one("METHOD")
    zones = [child for child in calendar.children if child.name == "VTIMEZONE"]
    for zone in zones:
        check_timezone(zone)
    zone_ids = {zone.one("TZID").value for zone in zones}
    for event in [child for child in calendar.children if child.name == "VEVENT"]:
        check_event(event, zone_ids)
    return calendar


def unescaped(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def instant(prop: Property) -> datetime:
    local = datetime.strptime(prop.value, "%Y%m%dT%H%M%S")
    return local.replace(tzinfo=ZoneInfo(prop.params["TZID"]))
