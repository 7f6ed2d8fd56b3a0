"""Cleaning speed and fidelity beside mat2 (Debian package `mat2`, the best-known open-source
cleaner) and exiftool, in the same run on the same files: a 12-megapixel JPEG, a 20-page PDF
with a photo on each page, a PDF page with a photo drawn inline, a DOCX and an ODT with five
photos each, and the DOCX and ODT LibreOffice wrote (`libreoffice/`).

Run with `python -m tests.media.benchmark`. Each file is cleaned in-process (sniffing,
stripping and the fail-closed verification, as an upload is) several times and the best time
printed (the machine is shared: the best of several runs is the cost of the work itself). mat2
runs in its own Python (it is a Debian package), right after, on the same file, and is timed
in-process too, without its start-up, which favours it: `parser.remove_all()` with its default
settings, and — when those refuse the file — again keeping only the parts it knows
(`--unknown-members omit`).
For each result it prints whether the pictures look the same (pixels after orientation, of
the photo, of every image in a PDF, of every picture in a document) and whether the text is the
same (PDF text; every text run of every part of a document). exiftool (`-all=` keeping the
orientation) is timed as a command, when installed. Prints figures only and asserts nothing,
since they depend on the machine.
"""

import io
import json
import logging
import shutil
import subprocess
import tempfile
import textwrap
import time
import warnings
import zipfile
from pathlib import Path

import pikepdf
import pypdf
from PIL import Image, ImageOps

from services.contracts.errors import DomainError
from services.media.cleaning import clean_upload
from services.media.settings import settings_from
from tests.media import samples
from tests.media.readers import text_runs

RUNS = 7
EXIFTOOL_STRIP = ["-q", "-overwrite_original", "-all=", "-tagsfromfile", "@", "-Orientation"]
WRITTEN_BY_LIBREOFFICE = Path(__file__).parent / "libreoffice"
PICTURE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
THUMBNAILS = ("Thumbnails/", "docProps/thumbnail")
MAT2_TIMING = textwrap.dedent(
    """
    import json, sys, time
    from libmat2 import UnknownMemberPolicy, parser_factory

    def timed(path, runs, omit):
        times = []
        for _ in range(runs):
            parser, _ = parser_factory.get_parser(path)
            if parser is None:
                return None
            if omit:
                parser.unknown_member_policy = UnknownMemberPolicy.OMIT
            started = time.perf_counter()
            cleaned = parser.remove_all()
            times.append(time.perf_counter() - started)
            if not cleaned:
                return None
        return {"seconds": min(times), "output": parser.output_filename}

    runs, path = int(sys.argv[1]), sys.argv[2]
    result = timed(path, runs, omit=False)
    if result is None:
        result = timed(path, runs, omit=True)
        if result is not None:
            result["omitted_unknown_parts"] = True
    print(json.dumps(result))
    """
)


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
    document_photos = [camera_photo(2000, 1500) for _ in range(5)]
    return {
        "photo-12mp.jpg": photo_12mp,
        "cv-20-pages.pdf": samples.pdf_with_metadata(
            pages=20, picture=page_photo, size=(1600, 1200)
        ),
        "inline-photo.pdf": samples.pdf_drawing_a_photo("form"),
        "cv-5-photos.docx": samples.docx_with_metadata(photos=document_photos),
        "cv-5-photos.odt": samples.odt_with_metadata(photos=document_photos),
        "libreoffice.docx": (WRITTEN_BY_LIBREOFFICE / "cv.docx").read_bytes(),
        "libreoffice.odt": (WRITTEN_BY_LIBREOFFICE / "cv.odt").read_bytes(),
    }


def shown(data: bytes) -> bytes:
    """A picture's pixels as a viewer shows them: decoded and turned by its orientation."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        image = Image.open(io.BytesIO(data))
        return ImageOps.exif_transpose(image).convert("RGB").tobytes()


def pictures_of(name: str, data: bytes) -> dict[str, bytes]:
    if name.endswith(".jpg"):
        return {"photo": shown(data)}
    if name.endswith(".pdf"):
        with pikepdf.open(io.BytesIO(data)) as document:
            return {
                f"page {number} {key}": pikepdf.PdfImage(image).as_pil_image().tobytes()
                for number, page in enumerate(document.pages)
                for key, image in page.get_images().items()
            }
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            part: shown(archive.read(part))
            for part in archive.namelist()
            if archive.read(part).startswith(PICTURE_SIGNATURES) and not part.startswith(THUMBNAILS)
        }


def text_of(name: str, data: bytes) -> dict[str, list[str]]:
    if name.endswith(".jpg"):
        return {}
    if name.endswith(".pdf"):
        reader = pypdf.PdfReader(io.BytesIO(data))
        return {f"page {number}": [page.extract_text()] for number, page in enumerate(reader.pages)}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            part: text_runs(archive.read(part))
            for part in archive.namelist()
            if part.endswith((".xml", ".rels")) and archive.read(part).lstrip().startswith(b"<")
        }


def fidelity(name: str, original: bytes, cleaned: bytes) -> str:
    """Whether the cleaned file shows the same pictures and the same text as the original."""
    try:
        same_pictures = pictures_of(name, cleaned) == pictures_of(name, original)
        before, after = text_of(name, original), text_of(name, cleaned)
        same_text = all(after.get(part) == runs for part, runs in before.items() if any(runs))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, pikepdf.PdfError):
        return "unreadable"
    text = "—" if name.endswith(".jpg") else ("yes" if same_text else "NO")
    return f"pixels {'yes' if same_pictures else 'NO'}, text {text}"


def best_seconds(action) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def mat2_python() -> str | None:
    """The interpreter mat2's command runs with (its shebang): where libmat2 is installed."""
    command = shutil.which("mat2")
    if command is None:
        return None
    first_line = Path(command).read_text(errors="replace").splitlines()[0]
    return first_line[2:].strip() if first_line.startswith("#!") else None


def mat2_result(name: str, data: bytes, folder: Path) -> dict | None:
    """mat2's best time on the file and where it wrote the cleaned copy; None if it refused."""
    path = folder / f"mat2-{name}"
    path.write_bytes(data)
    finished = subprocess.run(
        [mat2_python(), "-c", MAT2_TIMING, str(RUNS), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


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
    return f"{min(times) * 1000:.1f} ms"


def media_result(name: str, data: bytes, limits) -> tuple[float | None, str]:
    try:
        cleaned = clean_upload(data, name, limits)
    except DomainError as refusal:
        return None, f"refused: {refusal.message}"
    seconds = best_seconds(lambda: clean_upload(data, name, limits))
    return seconds, fidelity(name, data, cleaned.data)


def mat2_summary(name: str, data: bytes, result: dict | None) -> tuple[float | None, str]:
    if result is None:
        return None, "refused the file"
    kept = fidelity(name, data, Path(result["output"]).read_bytes())
    if result.get("omitted_unknown_parts"):
        kept += " (refused it; this is --unknown-members omit)"
    return result["seconds"], kept


def main() -> None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    limits = settings_from({}).cleaning
    has_mat2 = mat2_python() is not None
    print(f"best of {RUNS} runs, both in-process; mat2 {'found' if has_mat2 else 'not installed'}")
    with tempfile.TemporaryDirectory() as folder:
        for name, data in sample_files().items():
            exiftool = exiftool_seconds(name, data, Path(folder))
            print(f"{name:18} {len(data) / 1e6:6.2f} MB  exiftool -all=: {exiftool}")
            ours, ours_kept = media_result(name, data, limits)
            print(f"  media {ours * 1000 if ours else 0:9.1f} ms  {ours_kept}")
            if not has_mat2:
                continue
            theirs, theirs_kept = mat2_summary(name, data, mat2_result(name, data, Path(folder)))
            speed_up = f"  media {theirs / ours:.0f}× faster" if ours and theirs else ""
            print(f"  mat2  {theirs * 1000 if theirs else 0:9.1f} ms  {theirs_kept}{speed_up}")


if __name__ == "__main__":
    main()
