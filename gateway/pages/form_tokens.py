"""Form tokens as pages carry them: masked afresh for every response, so pages can be gzipped.

A compressed answer that holds a secret and also reflects text an attacker chose leaks the
secret through its size (BREACH). So a page never holds the form token itself but
`pad + (pad XOR token)`, URL-safe base64, with a new random pad each response (as Django and
Rails do): the text differs every time while the check can still recover the token. Cookies
keep the token as it is; they are not in the compressed body.
"""

import binascii
import hmac
import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode


def _xor(first: bytes, second: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(first, second, strict=True))


def masked(token: str) -> str:
    """`token` hidden under a fresh random pad of its own length."""
    secret = token.encode()
    pad = secrets.token_bytes(len(secret))
    return urlsafe_b64encode(pad + _xor(pad, secret)).decode().rstrip("=")


def unmasked(sent: str) -> bytes | None:
    """The token `sent` masks; None when it is no masked token at all."""
    try:
        raw = urlsafe_b64decode(sent + "=" * (-len(sent) % 4))
    except (binascii.Error, ValueError):
        return None
    half = len(raw) // 2
    if not half or len(raw) % 2:
        return None
    return _xor(raw[:half], raw[half:])


def form_token_matches(sent: str, token: str) -> bool:
    """Whether `sent` (a form's field or the `X-CSRF-Token` header) carries `token`, compared in
    constant time.

    A masked token is what pages hold; the token itself is accepted too: a page loaded before
    pages were masked, and scripts that read it from the API's login answer, send it so.
    """
    expected = token.encode()
    if not sent or not expected:
        return False
    as_sent = sent.encode("utf-8", "replace")
    if len(as_sent) == len(expected):
        return hmac.compare_digest(as_sent, expected)
    return hmac.compare_digest(unmasked(sent) or b"", expected)
