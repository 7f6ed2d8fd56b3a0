"""Readable usernames that carry nothing about the person: two words and four digits.

A username outlives its account as a tombstone (it is never reused), so it must not contain
the person's name.
"""

import secrets

ADJECTIVES = (
    "aamu",
    "hopea",
    "kulta",
    "lumi",
    "meri",
    "metsa",
    "pilvi",
    "ranta",
    "sammal",
    "sini",
    "suvi",
    "taivas",
    "tuuli",
    "ulappa",
    "vehrea",
    "kevat",
    "syys",
    "talvi",
    "kesa",
    "revon",
)
NOUNS = (
    "haukka",
    "ilves",
    "joutsen",
    "karhu",
    "kettu",
    "kurki",
    "lohi",
    "majava",
    "norppa",
    "peura",
    "poro",
    "siili",
    "sorsa",
    "tikka",
    "orava",
    "hirvi",
    "kuikka",
    "saukko",
    "varis",
    "pollo",
)


def new_username() -> str:
    return f"{secrets.choice(ADJECTIVES)}{secrets.choice(NOUNS)}{secrets.randbelow(10000):04d}"
