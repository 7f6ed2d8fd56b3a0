"""Secret tokens (a login session's, a password-reset link's) are kept only as their SHA-256:
accounts stores that and looks tokens up by it, the gateway keys its session cache by it, so
neither holds a token someone could use."""

import hashlib


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
