"""Cleaning speed: a 12-megapixel JPEG, a 20-page PDF, a PDF page with a photo drawn inline in
a form XObject and a DOCX with five photos.

Run with `python -m tests.media.benchmark`. Each file is built here with the same identifying
metadata the tests use, then cleaned in-process (sniffing, stripping and the fail-closed
verification, as an upload is) several times; the median time and MB/s of the input are
printed. When `exiftool` is installed, it strips the same files in the same run (`-all=` keeping
the orientation) for comparison. Prints figures only and asserts nothing, since they depend on
the machine.
"""

import io
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image

from services.media.cleaning import clean_upload
from services.media.settings import settings_from
from tests.media import samples

RUNS = 5
EXIFTOOL_STRIP = ["-q", "-overwrite_original", "-all=", "-tagsfromfile", "@", "-Orientation"]


def camera_photo(width: int, height: int) -> bytes:
    """A photo-like JPEG (smooth areas and sensor noise) with a phone's metadata."""
    base = samples.photo(width // 8, height // 8).resize((width, height), Image.BICUBIC)
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    picture = Image.blend(base, noise, 0.3)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90, exif=samples.camera_exif(orientation=6))
    return buffer.getvalue()


def sample_files() -> dict[str, bytes]:
    photo_12mp = camera_photo(4000, 3000)
    page_photo = camera_photo(1600, 1200)
    return {
        "photo-12mp.jpg": photo_12mp,
        "cv-20-pages.pdf": samples.pdf_with_metadata(
            pages=20, picture=page_photo, size=(1600, 1200)
        ),
        "inline-photo.pdf": samples.pdf_drawing_a_photo("form"),
        "cv-5-photos.docx": samples.docx_with_metadata(
            photos=[camera_photo(2000, 1500) for _ in range(5)]
        ),
    }


def median_seconds(action) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def exiftool_seconds(name: str, data: bytes, folder: Path) -> str:
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        return "not installed"
    times = []
    for run in range(RUNS):
        path = folder / f"{run}-{name}"
        path.write_bytes(data)
        started = time.perf_counter()
        finished = subprocess.run([exiftool, *EXIFTOOL_STRIP, path], capture_output=True)
        times.append(time.perf_counter() - started)
        if finished.returncode != 0:
            return "cannot write this type"
    seconds = statistics.median(times)
    return f"{seconds * 1000:8.1f} ms {len(data) / seconds / 1e6:7.1f} MB/s"


def main() -> None:
    limits = settings_from({}).cleaning
    print(f"median of {RUNS} runs; MB/s of the input")
    print(f"{'file':18} {'size':>9}   {'media (strip + verify)':28} exiftool -all=")
    with tempfile.TemporaryDirectory() as folder:
        for name, data in sample_files().items():
            seconds = median_seconds(lambda data=data, name=name: clean_upload(data, name, limits))
            ours = f"{seconds * 1000:8.1f} ms {len(data) / seconds / 1e6:7.1f} MB/s"
            theirs = exiftool_seconds(name, data, Path(folder))
            print(f"{name:18} {len(data) / 1e6:6.2f} MB   {ours:28} {theirs}")


if __name__ == "__main__":
    main()
