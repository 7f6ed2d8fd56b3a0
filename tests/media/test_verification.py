"""Fail closed: a file is stored only when its cleaned form is shown to hold nothing identifying."""

from pathlib import Path

import pytest

from services.contracts.media import MetadataRemains
from services.media import cleaning, verification
from services.media.cleaned import Cleaned
from services.media.file_types import (
    DOCX,
    GIF,
    JPEG,
    ODP,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    TIFF,
    WEBP,
    XLSX,
)
from tests.media import office_packages, samples

WRITTEN_BY_LIBREOFFICE = Path(__file__).parent / "libreoffice"
DIRTY = [
    (JPEG, samples.jpeg_with_metadata),
    (PNG, samples.png_with_metadata),
    (WEBP, samples.webp_with_metadata),
    (GIF, samples.gif_with_metadata),
    (TIFF, samples.tiff_with_metadata),
    (PDF, samples.pdf_with_metadata),
    (DOCX, samples.docx_with_metadata),
    (DOCX, office_packages.word_document),
    (XLSX, office_packages.excel_workbook),
    (PPTX, office_packages.powerpoint_presentation),
    (ODT, samples.odt_with_metadata),
    (ODS, (WRITTEN_BY_LIBREOFFICE / "palkat.ods").read_bytes),
    (ODP, (WRITTEN_BY_LIBREOFFICE / "esitys.odp").read_bytes),
]
IDS = [f"{file_type.key}-{number}" for number, (file_type, _) in enumerate(DIRTY)]


@pytest.mark.parametrize(("file_type", "make"), DIRTY, ids=IDS)
def test_verification_refuses_files_that_still_hold_metadata(limits, file_type, make):
    with pytest.raises(MetadataRemains):
        verification.verify(Cleaned(make(), file_type, frozenset()), limits)


@pytest.mark.parametrize(("file_type", "make"), DIRTY, ids=IDS)
def test_a_stripper_that_misses_something_gets_the_file_refused(
    limits, monkeypatch, file_type, make
):
    def forgetful(data, limits):
        return Cleaned(data, file_type, frozenset())

    monkeypatch.setitem(cleaning.STRIPPERS, file_type.key, forgetful)

    with pytest.raises(MetadataRemains) as refused:
        cleaning.clean_upload(make(), f"tiedosto{file_type.extensions[0]}", limits)

    assert "nothing was stored" in refused.value.message


def test_orientation_only_exif_passes_verification(limits):
    cleaned = cleaning.clean_upload(samples.jpeg_with_metadata(orientation=8), "a.jpg", limits)

    verification.verify(cleaned, limits)
