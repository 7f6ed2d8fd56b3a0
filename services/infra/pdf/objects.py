"""A PDF file written object by object as it is made, so only each object's offset is kept.

The objects a document refers to before it can write them (the catalog, the page tree, the
fonts) are reserved first and written at the end; `close()` adds the cross-reference table and
the trailer. The values here are PDF syntax already: `name()`, `text_string()` and `number()`
make it from Python values.
"""

import zlib
from array import array
from typing import BinaryIO

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def number(value: float) -> bytes:
    if value == int(value):
        return b"%d" % value
    return f"{value:.2f}".rstrip("0").rstrip(".").encode("ascii")


def name(value: str) -> bytes:
    escaped = "".join(
        c if c.isascii() and (c.isalnum() or c in "+-_.") else f"#{ord(c):02X}" for c in value
    )
    return b"/" + escaped.encode("ascii")


def text_string(value: str) -> bytes:
    """A text string any reader decodes: UTF-16 with a byte order mark, in hex."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def reference(object_id: int) -> bytes:
    return b"%d 0 R" % object_id


class PdfFile:
    def __init__(self, out: BinaryIO):
        self._out = out
        self._position = 0
        self._offsets = array("q")
        self._write(HEADER)

    def reserve(self) -> int:
        """An object id to refer to now and write later with `write(object_id, body)`."""
        self._offsets.append(-1)
        return len(self._offsets)

    def add(self, body: bytes) -> int:
        object_id = self.reserve()
        self.write(object_id, body)
        return object_id

    def add_stream(self, data: bytes, entries: bytes = b"") -> int:
        """A compressed stream object; `entries` are further dictionary entries."""
        compressed = zlib.compress(data)
        return self.add(
            b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n%s\nendstream"
            % (len(compressed), entries, compressed)
        )

    def write(self, object_id: int, body: bytes) -> None:
        self._offsets[object_id - 1] = self._position
        self._write(b"%d 0 obj\n%s\nendobj\n" % (object_id, body))

    def close(self, catalog: int, info: int) -> None:
        start = self._position
        size = len(self._offsets) + 1
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for offset in self._offsets:
            self._write(b"%010d 00000 n \n" % offset)
        self._write(
            b"trailer\n<< /Size %d /Root %s /Info %s >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, reference(catalog), reference(info), start)
        )

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._position += len(data)
