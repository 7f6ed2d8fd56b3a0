"""What services promise each other: names, event types, RPC payload schemas and errors.

Imports only nameko, marshmallow and phonenumbers, so any service (and the gateway) can depend
on it. `fields.py` holds the field helpers every schema is built from.
"""
