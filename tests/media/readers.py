"""Reading cleaned files with tools other than the ones that cleaned them."""

import io
import json
import shutil
import subprocess
import warnings
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pypdf
import pytest
from PIL import Image

EXIFTOOL = shutil.which("exiftool")
TEXT_NAMESPACES = (
    "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}",
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}",
    "{http://schemas.openxmlformats.org/drawingml/2006/main}",
    "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}",
    "{http://schemas.openxmlformats.org/presentationml/2006/main}",
)
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed")
ORIENTATION = 0x0112
GPS_IFD = 0x8825


def opened(data: bytes) -> Image.Image:
    """Pillow's view; the samples' deliberately odd multi-picture segment makes it warn."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        image = Image.open(io.BytesIO(data))
        image.load()
    return image


def pixels(data: bytes) -> bytes:
    return opened(data).tobytes()


def exif_tags(data: bytes) -> dict:
    return dict(opened(data).getexif())


def exiftool_tags(data: bytes, tmp_path, suffix: str) -> dict[str, str]:
    """Every tag exiftool finds, as 'Group:Name' -> value, file-system tags left out."""
    path = tmp_path / f"sample{suffix}"
    path.write_bytes(data)
    output = subprocess.run(
        [EXIFTOOL, "-a", "-G1", "-s", "-s", "-n", "-x", "System:all", "-x", "ExifTool:all", path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tags = {}
    for line in output.splitlines():
        name, _, value = line.partition(": ")
        tags[name.strip()] = value.strip()
    return tags


def exiftool_tags_of_each(files: dict[str, bytes], tmp_path) -> dict[str, dict[str, str]]:
    """Every tag exiftool finds in each file, as 'Group:Name' -> value, in one run."""
    paths = {}
    for number, (name, data) in enumerate(files.items()):
        paths[name] = tmp_path / f"{number}{Path(name).suffix}"
        paths[name].write_bytes(data)
    output = subprocess.run(
        [EXIFTOOL, "-json", "-a", "-G1", "-n", "-x", "System:all", "-x", "ExifTool:all"]
        + [str(path) for path in paths.values()],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {Path(item.pop("SourceFile")).name: item for item in json.loads(output)}
    return {
        name: {key: str(value) for key, value in found[path.name].items()}
        for name, path in paths.items()
    }


def tag_groups(tags: dict[str, str]) -> set[str]:
    return {name.split("]")[0].strip("[") for name in tags}


def pdf_streams(data: bytes) -> list[bytes]:
    """Every stream of a PDF as pypdf decodes it; images stay in their own encoding."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    objects = (reader.get_object(number) for number in range(1, reader.trailer["/Size"]))
    return [obj.get_data() for obj in objects if isinstance(obj, pypdf.generic.StreamObject)]


def inline_images(data: bytes) -> list[dict]:
    """The images drawn inline in the first page's content, as pypdf reads them: each with its
    `settings` (the declaration) and `data`."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    content = pypdf.generic.ContentStream(reader.pages[0].get_contents(), reader)
    return [operands for operands, operator in content.operations if operator == b"INLINE IMAGE"]


def text_runs(data: bytes) -> list[str]:
    """The text a reader sees: text and tails of the elements of the text namespaces (ODF
    paragraphs and spans, Word, DrawingML and spreadsheet runs), nothing of metadata (a
    spreadsheet's list of comment authors is not shown)."""
    runs = []
    for element in ElementTree.fromstring(data).iter():
        tag = str(element.tag)
        if not tag.startswith(TEXT_NAMESPACES) or tag.endswith("}author"):
            continue
        runs += [element.text] if element.text else []
        runs += [child.tail for child in element if child.tail]
    return runs
