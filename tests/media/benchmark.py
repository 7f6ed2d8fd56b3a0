"""Cleaning speed and fidelity beside mat2 (Debian package `mat2`, the best-known open-source
cleaner) and exiftool, in the same run on the same files: a 12-megapixel JPEG, a 20-page PDF
with a photo on each page, a PDF page with a photo drawn inline, a DOCX and an ODT with five
photos each, and the DOCX and ODT LibreOffice wrote (`libreoffice/`).

Run with `python -m tests.media.benchmark`. Each file is cleaned in-process (sniffing,
stripping and the fail-closed verification, as an upload is) and by mat2, whose runs
alternate with ours so that both meet the same load on this shared machine; the best time of
each is printed (ours is taken of three times as many runs, `MEDIA_RUNS`, since each takes
milliseconds). mat2 runs in its own Python (it is a Debian package) and is timed in-process,
without its start-up, which favours it: `parser.remove_all()` with its default settings, and —
when those refuse the file — keeping only the parts it knows (`--unknown-members omit`).
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
MEDIA_RUNS = 3 * RUNS
EXIFTOOL_STRIP = ["-q", "-overwrite_original", "-all=", "-tagsfromfile", "@", "-Orientation"]
WRITTEN_BY_LIBREOFFICE = Path(__file__).parent / "libreoffice"
PICTURE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
THUMBNAILS = ("Thumbnails/", "docProps/thumbnail")
MAT2_WORKER = textwrap.dedent(
    """
    import json, sys, time
    from libmat2 import UnknownMemberPolicy, parser_factory

    for line in sys.stdin:
        asked = json.loads(line)
        parser, _ = parser_factory.get_parser(asked["path"])
        if parser is not None and asked["omit"]:
            parser.unknown_member_policy = UnknownMemberPolicy.OMIT
        started = time.perf_counter()
        cleaned = parser is not None and parser.remove_all()
        seconds = time.perf_counter() - started
        output = parser.output_filename if cleaned else None
        print(json.dumps({"seconds": seconds, "output": output}), flush=True)
    """
)


class Mat2:
    """mat2 in its own Python (it is a Debian package), cleaning one file at a time on request,
    so its runs can alternate with ours and both meet the same load."""

    def __init__(self, python: str):
        self.process = subprocess.Popen(
            [python, "-c", MAT2_WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def clean(self, path: Path, omit: bool) -> dict:
        self.process.stdin.write(json.dumps({"path": str(path), "omit": omit}) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


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


def mat2_python() -> str | None:
    """The interpreter mat2's command runs with (its shebang): where libmat2 is installed."""
    command = shutil.which("mat2")
    if command is None:
        return None
    first_line = Path(command).read_text(errors="replace").splitlines()[0]
    return first_line[2:].strip() if first_line.startswith("#!") else None


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


def wall_seconds(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def compared(name: str, data: bytes, limits, mat2: Mat2 | None, folder: Path) -> list[str]:
    """Both cleanings of one file, runs alternating: ours `MEDIA_RUNS` times, mat2's `RUNS`
    times; the best time of each, and what each kept."""
    try:
        cleaned = clean_upload(data, name, limits)
    except DomainError as refusal:
        return [f"  media refused it: {refusal.message}"]
    path = folder / f"mat2-{name}"
    path.write_bytes(data)
    omit = False
    if mat2 is not None and mat2.clean(path, omit)["output"] is None:
        omit = True
    ours, theirs, output = [], [], None
    for _ in range(RUNS):
        ours += [
            wall_seconds(lambda: clean_upload(data, name, limits))
            for _ in range(MEDIA_RUNS // RUNS)
        ]
        if mat2 is not None:
            result = mat2.clean(path, omit)
            theirs.append(result["seconds"])
            output = result["output"]
    lines = [f"  media {min(ours) * 1000:9.1f} ms  {fidelity(name, data, cleaned.data)}"]
    if mat2 is None:
        return lines
    if output is None:
        return [*lines, "  mat2  refused the file"]
    kept = fidelity(name, data, Path(output).read_bytes())
    if omit:
        kept += " (its default refuses the file: this is --unknown-members omit)"
    speed_up = min(theirs) / min(ours)
    return [*lines, f"  mat2  {min(theirs) * 1000:9.1f} ms  {kept}  media {speed_up:.0f}× faster"]


def main() -> None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    limits = settings_from({}).cleaning
    python = mat2_python()
    print(
        f"least wall time of {MEDIA_RUNS} runs (media) and {RUNS} (mat2, exiftool), runs of "
        f"media and mat2 alternating; mat2 {'found' if python else 'not installed'}"
    )
    mat2 = Mat2(python) if python else None
    try:
        with tempfile.TemporaryDirectory() as folder:
            for name, data in sample_files().items():
                exiftool = exiftool_seconds(name, data, Path(folder))
                print(f"{name:18} {len(data) / 1e6:6.2f} MB  exiftool -all=: {exiftool}")
                print("\n".join(compared(name, data, limits, mat2, Path(folder))))
    finally:
        if mat2 is not None:
            mat2.close()


if __name__ == "__main__":
    main()
