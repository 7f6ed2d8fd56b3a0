"""Finnish personal identity codes (henkilötunnus), which we must never store (R-DATA-1).

A code is DDMMYY, a century sign, a three-digit individual number and a check character:
the remainder of the nine digits modulo 31 picks the check character. Century signs are
`+` (1800s), `- U V W X Y` (1900s) and `A B C D E F` (2000s). Fields refuse such text with
`services.contracts.fields.no_identity_code`.
"""

import re
from datetime import date

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURIES = {"+": 1800, **dict.fromkeys("-UVWXY", 1900), **dict.fromkeys("ABCDEF", 2000)}
CANDIDATE = re.compile(r"(?<![0-9A-Za-z])(\d{6})([-+A-FU-Y])(\d{3})([0-9A-Y])(?![0-9A-Za-z])", re.I)


def is_identity_code(digits: str, sign: str, individual: str, check: str) -> bool:
    century = CENTURIES.get(sign.upper())
    if century is None:
        return False
    try:
        date(century + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return False
    return CHECK_CHARACTERS[int(digits + individual) % 31] == check.upper()


def contains_identity_code(text: str) -> bool:
    return any(is_identity_code(*match.groups()) for match in CANDIDATE.finditer(text))
