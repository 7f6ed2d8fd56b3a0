"""The pages' own stylesheet and scripts, cached by browsers and sent gzipped when accepted.

Compressing them matters: htmx is 52 KB as written and 16 KB gzipped, most of what a first
visit transfers. They hold nothing secret, so compressing them is safe (pages are compressed as
they are rendered, their form tokens masked: see `rendering.py`). Each file is compressed once
per version on disk.
"""

import gzip
import mimetypes
from functools import cache
from pathlib import Path

from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join
from werkzeug.utils import send_from_directory
from werkzeug.wrappers import Request, Response

STATIC = Path(__file__).parent / "static"
MAX_AGE_SECONDS = 3600
COMPRESSED_TYPES = (".css", ".js")


@cache
def gzipped(path: Path, modified_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=modified_ns // 10**9)


def static_response(request: Request, name: str) -> Response:
    """The file `name` under static/ (404 outside it), as a conditional, cacheable answer."""
    if Path(name).suffix not in COMPRESSED_TYPES or "gzip" not in request.headers.get(
        "Accept-Encoding", ""
    ):
        response = send_from_directory(STATIC, name, request.environ, max_age=MAX_AGE_SECONDS)
        response.vary.add("Accept-Encoding")
        return response
    joined = safe_join(str(STATIC), name)
    if joined is None or not Path(joined).is_file():
        raise NotFound()
    path = Path(joined)
    body = gzipped(path, path.stat().st_mtime_ns)
    response = Response(body, mimetype=mimetypes.guess_type(name)[0])
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_SECONDS
    response.add_etag()
    return response.make_conditional(request)
