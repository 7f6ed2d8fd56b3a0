"""Attachments recorded with the earlier kinds of removed metadata read in plain words after the
migration, and back after a downgrade."""

import uuid

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from services.infra.migrations import alembic_config, ensure_database

EARLIER_KINDS = ["exif", "gps", "document_info", "document_properties", "author"]


def test_earlier_kinds_become_plain_words_and_come_back(database_url):
    url = database_url("media_words")
    ensure_database(url)
    config = alembic_config("media", url)
    command.upgrade(config, "media_0002")
    engine = create_engine(url, poolclass=NullPool)
    row = {"id": uuid.uuid4(), "kinds": EARLIER_KINDS}
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO attachments (id, booking_id, owner_id, object_key, quarantine_key,"
                " name, content_type, size_bytes, sha256, removed_metadata, created_at)"
                " VALUES (:id, :id, :id, 'k', 'q', 'a.jpg', 'image/jpeg', 1, 's', :kinds, now())"
            ),
            row,
        )

    def kinds() -> list[str]:
        with engine.connect() as connection:
            return connection.execute(text("SELECT removed_metadata FROM attachments")).scalar()

    command.upgrade(config, "head")
    upgraded = kinds()
    command.downgrade(config, "media_0002")
    downgraded = kinds()
    engine.dispose()

    assert upgraded == ["author", "camera details", "document properties", "location"]
    assert downgraded == ["author", "document_properties", "exif", "gps"]
