"""Member rosters: reading the CSV a subscriber supplies, and the keyed hashes we keep of it.

A roster is one member number per line. Spreadsheets add what we tolerate: a byte order mark, a
header line, `;` or `,` after the value, quotes around it, blank lines. Anything else is refused
naming its line, so an admin can fix the file; nothing is stored from a refused file.

Only keyed hashes (HMAC-SHA256) of normalised member numbers are stored: without the key a hash
cannot be turned back into a number, and numbers are compared by hashing what a coachee enters.
"""

import hashlib
import hmac
import re

from services.contracts.fields import MEMBER_NUMBER_MAX_LENGTH
from services.contracts.identity_code import contains_identity_code

LINE_BREAK = re.compile(r"\r\n|\r|\n")
SEPARATOR = re.compile(r"[;,]")
DISALLOWED = re.compile(r"[^A-Za-z0-9\-_/ ]")
HEADERS = frozenset(
    {
        "member_number",
        "member number",
        "membernumber",
        "member_no",
        "member",
        "jäsennumero",
        "jäsennro",
        "jäsen",
        "numero",
        "tunniste",
        "id",
    }
)
MAX_PROBLEMS_NAMED = 20


class RosterProblems(ValueError):
    """The roster cannot be used; `problems` name each bad line."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def normalise_member_number(member_number: str) -> str:
    """Equal for the same member however it is typed: spaces trimmed and collapsed, case folded."""
    return " ".join(member_number.split()).casefold()


def member_number_hash(key: bytes, member_number: str) -> bytes:
    normalised = normalise_member_number(member_number).encode("utf-8")
    return hmac.new(key, normalised, hashlib.sha256).digest()


def line_values(line: str) -> list[str]:
    """The non-empty values of a line, each without surrounding spaces and quotes."""
    values = []
    for cell in SEPARATOR.split(line):
        value = cell.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].strip()
        if value:
            values.append(value)
    return values


def is_header(value: str, identifier_label: str) -> bool:
    name = value.casefold()
    return name in HEADERS or name == identifier_label.strip().casefold()


def member_number_problem(value: str) -> str | None:
    if len(value) > MEMBER_NUMBER_MAX_LENGTH:
        return f"longer than {MEMBER_NUMBER_MAX_LENGTH} characters"
    disallowed = DISALLOWED.search(value)
    if disallowed:
        return (
            f"{disallowed[0]!r} is not allowed in a member number "
            "(use letters A-Z, digits, '-', '_', '/' and spaces)"
        )
    if contains_identity_code(value):
        return "a personal identity code (henkilötunnus), not a member number"
    return None


def read_roster(text: str, identifier_label: str, max_rows: int) -> list[str]:
    """The distinct normalised member numbers of a roster file, or `RosterProblems`.

    The first value may be a header: a usual column name or the subscriber's own label for
    the member number.
    """
    members: dict[str, None] = {}
    problems: list[str] = []
    rows = 0
    header_possible = True
    for number, line in enumerate(LINE_BREAK.split(text.removeprefix("\ufeff")), start=1):
        values = line_values(line)
        if not values:
            continue
        if header_possible:
            header_possible = False
            if len(values) == 1 and is_header(values[0], identifier_label):
                continue
        rows += 1
        if rows > max_rows:
            problems.append(f"line {number}: a roster may have at most {max_rows} member numbers")
            break
        if len(values) > 1:
            problems.append(f"line {number}: several values; give one member number per line")
        elif problem := member_number_problem(values[0]):
            problems.append(f"line {number}: {problem}")
        else:
            members[normalise_member_number(values[0])] = None
        if len(problems) == MAX_PROBLEMS_NAMED:
            problems.append("… and perhaps more; fix these first")
            break
    if problems:
        raise RosterProblems(problems)
    if not members:
        raise RosterProblems(["The file has no member numbers."])
    return list(members)


def roster_hashes(text: str, identifier_label: str, max_rows: int, key: bytes) -> list[bytes]:
    """The keyed hashes of a roster's member numbers: CPU work as long as the file, which
    callers run off the event loop."""
    return [
        member_number_hash(key, member) for member in read_roster(text, identifier_label, max_rows)
    ]
