"""What services promise each other: names, event types, RPC payload schemas and errors.

Imports only nameko and marshmallow, so any service (and the gateway) can depend on it.
"""
