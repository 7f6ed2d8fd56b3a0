"""Infrastructure shared by every service: configuration, database, outbox, events, storage, clock.

Nothing here knows about coaching, bookings or people: domain logic lives in the services.
"""
