"""What cleaning one file gives: the clean bytes, their type and what was removed."""

from dataclasses import dataclass

from services.contracts.media import Removed
from services.media.file_types import FileType


@dataclass(frozen=True)
class Cleaned:
    data: bytes
    file_type: FileType
    removed: frozenset[Removed]
