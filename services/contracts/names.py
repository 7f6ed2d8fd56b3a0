"""Service names, as used for RPC routing and event exchanges."""

ACCOUNTS = "accounts"
BOOKINGS = "bookings"
BILLING = "billing"
PRIVACY = "privacy"
MEDIA = "media"

ALL_SERVICES = (ACCOUNTS, BOOKINGS, BILLING, PRIVACY, MEDIA)
