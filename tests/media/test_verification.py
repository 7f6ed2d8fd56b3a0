"""Fail closed: a file is stored only when its cleaned form is shown to hold nothing identifying."""

import pytest

from services.contracts.media import MetadataRemains
from services.media import cleaning, verification
from services.media.cleaned import Cleaned
from services.media.file_types import DOCX, JPEG, ODT, PDF, PNG, WEBP
from tests.media import samples

DIRTY = [
    (JPEG, samples.jpeg_with_metadata),
    (PNG, samples.png_with_metadata),
    (WEBP, samples.webp_with_metadata),
    (PDF, samples.pdf_with_metadata),
    (DOCX, samples.docx_with_metadata),
    (ODT, samples.odt_with_metadata),
]


@pytest.mark.parametrize(("file_type", "make"), DIRTY, ids=[t.key for t, _ in DIRTY])
def test_verification_refuses_files_that_still_hold_metadata(limits, file_type, make):
    with pytest.raises(MetadataRemains):
        verification.verify(Cleaned(make(), file_type, frozenset()), limits)


@pytest.mark.parametrize(("file_type", "make"), DIRTY, ids=[t.key for t, _ in DIRTY])
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
