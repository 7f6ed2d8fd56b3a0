"""Finnish business ids (y-tunnus): seven digits, a hyphen and a check digit, e.g. 0112038-9.

The check digit comes from the seven digits weighted 7, 9, 10, 5, 8, 4, 2: the sum's remainder
modulo 11 is 0 for check digit 0, never 1 (no valid id has it), otherwise 11 minus the remainder.
"""

import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
SHAPE = re.compile(r"(\d{7})-(\d)")
PROBLEM = "Not a valid business id (y-tunnus): give it as 1234567-8, with its check digit."


def check_digit(digits: str) -> int | None:
    """The check digit of seven digits, or None when no business id can have them."""
    remainder = sum(int(digit) * weight for digit, weight in zip(digits, WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def is_business_id(text: str) -> bool:
    match = SHAPE.fullmatch(text)
    return match is not None and check_digit(match[1]) == int(match[2])
