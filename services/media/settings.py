"""The media service's limits, read once from its configuration."""

from dataclasses import dataclass
from datetime import timedelta

from nameko.extensions import DependencyProvider

from services.contracts.media import DecompressionBomb


@dataclass(frozen=True)
class CleaningLimits:
    """Bounds that keep hostile files from exhausting memory or time while they are cleaned."""

    max_pixels: int
    zip_max_entries: int
    max_expanded_bytes: int
    zip_max_ratio: int
    pdf_max_objects: int

    def check_pixels(self, width: int, height: int) -> None:
        if width * height > self.max_pixels:
            raise DecompressionBomb(
                f"The image is {width}×{height} pixels; at most {self.max_pixels} are accepted."
            )


@dataclass(frozen=True)
class MediaSettings:
    max_file_bytes: int
    max_booking_bytes: int
    max_booking_files: int
    quarantine_max_age: timedelta
    cleaning_concurrency: int
    cleaning: CleaningLimits


def settings_from(config: dict) -> MediaSettings:
    def number(key: str, default: int) -> int:
        return int(config.get(key, default))

    return MediaSettings(
        max_file_bytes=number("MEDIA_MAX_FILE_BYTES", 10 * 1024 * 1024),
        max_booking_bytes=number("MEDIA_MAX_BOOKING_BYTES", 50 * 1024 * 1024),
        max_booking_files=number("MEDIA_MAX_BOOKING_FILES", 20),
        quarantine_max_age=timedelta(seconds=number("MEDIA_QUARANTINE_MAX_AGE_SECONDS", 3600)),
        cleaning_concurrency=number("MEDIA_CLEANING_CONCURRENCY", 2),
        cleaning=CleaningLimits(
            max_pixels=number("MEDIA_MAX_PIXELS", 50_000_000),
            zip_max_entries=number("MEDIA_ZIP_MAX_ENTRIES", 2000),
            max_expanded_bytes=number("MEDIA_MAX_EXPANDED_BYTES", 32 * 1024 * 1024),
            zip_max_ratio=number("MEDIA_ZIP_MAX_RATIO", 100),
            pdf_max_objects=number("MEDIA_PDF_MAX_OBJECTS", 200_000),
        ),
    )


class Settings(DependencyProvider):
    def setup(self):
        self.settings = settings_from(self.container.config)

    def get_dependency(self, worker_ctx) -> MediaSettings:
        return self.settings
