"""What cleaning one file gives: the clean bytes, their type and the kinds of metadata removed."""

from dataclasses import dataclass

from services.media.file_types import FileType


@dataclass(frozen=True)
class Cleaned:
    data: bytes
    file_type: FileType
    removed: frozenset[str]
