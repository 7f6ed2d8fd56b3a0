"""Stored names: what the uploader called the file, minus anything that could mislead or harm."""

import pytest

from services.media.file_types import JPEG
from services.media.filenames import sanitised, stored_name


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Ansioluettelo 2026.PDF", "Ansioluettelo 2026.pdf"),
        ("C:\\Users\\maija\\Desktop\\cv.docx", "cv.docx"),
        ("../../etc/passwd.png", "passwd.png"),
        ('kuva"; filename=evil.jpg', "kuva_; filename=evil.jpg"),
        ("kuva\u202egpj.exe", "kuvagpj.exe"),
        ("rivin\r\nvaihto.jpg", "rivinvaihto.jpg"),
        ("  .piilotettu.jpg  ", "piilotettu.jpg"),
        ("...", "attachment"),
        ("///.pdf", "pdf"),
        ("Hyvä_työhakemus.odt", "Hyvä_työhakemus.odt"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_names_are_sanitised(given, stored):
    assert sanitised(given) == stored


def test_a_converted_file_gets_the_extension_of_what_it_became():
    assert stored_name("IMG_0001.heic", JPEG) == "IMG_0001.jpg"
    assert stored_name("kuva.jpeg", JPEG) == "kuva.jpeg"
