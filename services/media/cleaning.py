"""Cleaning one upload: what it really is, its metadata stripped, the result verified.

Runs as one CPU-bound call (the service runs it in a native thread); every failure is a domain
error, so a hostile or broken file is refused, never a crash.
"""

import logging
from functools import partial

from services.contracts.errors import DomainError
from services.contracts.media import MalformedFile, UnsupportedType
from services.media import (
    gif,
    heif,
    jpeg,
    ooxml,
    opendocument,
    pdf,
    png,
    sniffing,
    tiff,
    verification,
    webp,
)
from services.media.cleaned import Cleaned
from services.media.file_types import (
    GIF,
    HEIF,
    JPEG,
    OFFICE_OPEN_XML,
    OPEN_DOCUMENTS,
    PDF,
    PNG,
    TIFF,
    WEBP,
    FileType,
    accepted_types,
)
from services.media.filenames import extension_of
from services.media.settings import CleaningLimits

log = logging.getLogger(__name__)

STRIPPERS = {
    JPEG.key: jpeg.strip,
    PNG.key: png.strip,
    WEBP.key: webp.strip,
    HEIF.key: heif.strip,
    GIF.key: gif.strip,
    TIFF.key: tiff.strip,
    PDF.key: pdf.strip,
    **{kind.key: partial(ooxml.strip, kind) for kind in OFFICE_OPEN_XML},
    **{kind.key: partial(opendocument.strip, kind) for kind in OPEN_DOCUMENTS},
}


def clean_upload(data: bytes, filename: str, limits: CleaningLimits) -> Cleaned:
    file_type = refused_unless_safe(sniffing.detect, data, limits)
    check_type(file_type, filename)
    cleaned = refused_unless_safe(STRIPPERS[file_type.key], data, limits)
    refused_unless_safe(verification.verify, cleaned, limits)
    return cleaned


def check_type(file_type: FileType | None, filename: str) -> None:
    accepted = {"accepted_types": accepted_types()}
    if file_type is None:
        raise UnsupportedType(
            "This type of file is not accepted. Accepted: " + "; ".join(accepted_types()),
            accepted,
        )
    if extension_of(filename) not in file_type.extensions:
        raise UnsupportedType(
            f"The content is {file_type.content_type}, which does not match the file name; "
            f"name it {' or '.join(file_type.extensions)}.",
            accepted,
        )


def refused_unless_safe(step, *args):
    """Parsers of hostile input fail in many ways; any failure that is not already a refusal
    becomes one, so nothing but a domain error leaves the cleaning."""
    try:
        return step(*args)
    except DomainError:
        raise
    except MemoryError as exc:
        raise MalformedFile("The file is too complex to clean.") from exc
    except Exception as exc:
        log.warning("refused a file its parser failed on: %s", type(exc).__name__)
        raise MalformedFile("The file is damaged or not what it claims to be.") from exc
