"""What the preview server refuses before it looks at a request's path.

The preview holds drafts, so it answers only to requests made for it:

* the ``Host`` header must name the loopback address the server listens on
  (``127.0.0.1``, ``localhost`` or ``[::1]``, with its port). A page on
  another site can make a browser resolve that site's own name to
  127.0.0.1 (DNS rebinding) and then read the answers as its own; such a
  request carries the other site's name and gets 421 Misdirected Request.
  A request without a ``Host`` header (HTTP/1.0 tools) is answered: browsers
  always send one, so it cannot come from such a page.
* the path must be a plain ``/...`` path whose percent-encoding decodes to
  UTF-8 text without control characters (a NUL made the file system calls of
  :mod:`http.server` raise); anything else is 400 Bad Request.
* the file served must be inside the preview folder once symbolic links are
  followed; anything else is 404, as if it did not exist.

Plain functions of strings, so the handler in :mod:`pipeline.preview.server` stays a
thin layer over :mod:`http.server`.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from http import HTTPStatus
from urllib.parse import unquote

#: The names of the loopback address a browser may use for the preview.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
#: A ``%`` not followed by two hexadecimal digits.
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: Characters no path of the preview holds (C0 controls, DEL).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def allowed_hosts(port: int) -> frozenset[str]:
    """The ``Host`` header values the preview on ``port`` answers to (compared in lower case)."""
    return frozenset(f"{name}:{port}" for name in LOOPBACK_NAMES)


def refusal(raw_path: str, host: str | None, port: int) -> tuple[HTTPStatus, str] | None:
    """Why a request for ``raw_path`` with this ``Host`` (None: no header) is refused, or None when it may be served."""
    if host is not None and host.strip().lower() not in allowed_hosts(port):
        return (
            HTTPStatus.MISDIRECTED_REQUEST,
            f"this preview answers only to http://127.0.0.1:{port}/, http://localhost:{port}/ and http://[::1]:{port}/",
        )
    path = raw_path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or _BAD_PERCENT.search(path):
        return HTTPStatus.BAD_REQUEST, "not a path of this preview"
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return HTTPStatus.BAD_REQUEST, "the path is not UTF-8 text"
    if _CONTROL.search(decoded):
        return HTTPStatus.BAD_REQUEST, "the path holds control characters"
    return None


@lru_cache(maxsize=8)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)  # the preview folder stays put while it is served


def inside(folder: str, path: str) -> bool:
    """Whether ``path`` is ``folder`` or under it once symbolic links are followed."""
    root = _real_folder(folder)
    real = os.path.realpath(path)
    return real == root or real.startswith(root + os.sep)
