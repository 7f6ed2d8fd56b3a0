"""Monthly reports: building, storing, publishing, re-issuing, reading and mailing them (the
module map is in ../README.md)."""
