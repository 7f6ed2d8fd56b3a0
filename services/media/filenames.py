"""File names as stored and offered for download: no folders, no control or formatting characters
(a right-to-left override can disguise `gpj.exe` as `exe.jpg`), nothing a file system or a
Content-Disposition header would trip on, and the extension of what the file really is."""

import posixpath
import unicodedata

from services.media.file_types import FileType

MAX_LENGTH = 120
RESERVED = frozenset('"*/:<>?\\|')
FALLBACK_STEM = "attachment"


def sanitised(name: str) -> str:
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        "_" if char in RESERVED else char
        for char in name
        if not unicodedata.category(char).startswith("C")
    )
    name = " ".join(name.split()).strip(" .")
    stem, extension = posixpath.splitext(name)
    extension = extension.lower()
    stem = stem[: MAX_LENGTH - len(extension)].strip(" .") or FALLBACK_STEM
    return stem + extension


def extension_of(name: str) -> str:
    return posixpath.splitext(name)[1].lower()


def stored_name(name: str, stored_type: FileType) -> str:
    """The sanitised name, its extension changed when the file was converted (HEIC to JPEG)."""
    if extension_of(name) in stored_type.extensions:
        return name
    return posixpath.splitext(name)[0] + stored_type.extensions[0]
