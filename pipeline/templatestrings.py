"""The packaged page templates' strings, extracted once and kept from one ``extract`` to the next.

Extracting them with Babel's Jinja2 extractor (and importing Jinja for it) is
most of ``extract``'s start-up, yet the packaged templates are fixed per
install. What the extraction finds depends only on the templates' bytes, the
extraction's options and the code doing it (Babel, Jinja, pipeline): the kept
file holds all of these beside the messages, as a ``.pyc`` holds what it was
compiled from, and is used only when each is the one in effect, the
templates byte for byte. A project's own templates are extracted every time:
they change as they are edited, and one kept file per version would pile up.

The file is in the user's own cache folder (``$XDG_CACHE_HOME/pipeline`` or
``~/.cache/pipeline``), written whole or not at all; one that cannot be
read, is damaged or cannot be written is not used: the strings are extracted.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Callable, Union

from pipeline.packaged import code_fingerprint

#: A message as Babel's extraction gives it, without its line: (msgid or (msgid, plural...),
#: extracted comments, context, flags).
Found = tuple[Union[str, tuple[Union[str, None], ...]], list[str], Union[str, None], list[str]]
#: Made higher when what is kept, or how it is extracted, changes.
_FORMAT = 2
_FILE_NAME = "template-strings.json"


def packaged_messages(
    paths: list[Path], extract: Callable[[Path, bytes], list[Found]], options: dict[str, object]
) -> dict[Path, list[Found]]:
    """The messages of each of ``paths`` (packaged templates), kept or extracted by ``extract`` and kept.

    ``options``: what else the extraction depends on (its options, comment tags).
    """
    try:
        sources = {str(path): path.read_bytes() for path in paths}
    except OSError:  # the caller extracts them, and says why it cannot read one
        return {}
    texts = {name: data.decode("utf-8", "surrogateescape") for name, data in sources.items()}
    key = _key(options)
    cache = _cache_file()
    kept = _load(cache, key, texts) if cache is not None and key is not None else None
    if kept is not None:
        return {Path(name): messages for name, messages in kept.items()}
    found = {name: extract(Path(name), data) for name, data in sources.items()}
    if cache is not None and key is not None:
        _store(cache, {"key": key, "templates": texts, "messages": found})
    return {Path(name): messages for name, messages in found.items()}


def _key(options: dict[str, object]) -> dict[str, object] | None:
    """What the extraction depends on besides the templates; None when Babel or Jinja cannot be found."""
    babel, jinja = _package_source("babel"), _package_source("jinja2")
    if babel is None or jinja is None:
        return None
    return {
        "format": _FORMAT,
        "code": code_fingerprint(),  # the version too: it is written in pipeline/__init__.py
        "python": list(sys.version_info[:2]),
        "babel": babel,
        "jinja": jinja,
        "options": json.loads(json.dumps(options)),  # as it reads back from the file
    }


def _package_source(name: str) -> str | None:
    """The text of package ``name``'s ``__init__.py``, None when it cannot be found or read.

    Found, not imported: importing Babel and Jinja is what the kept file
    saves. Their versions are written in that file: it tells one release from another.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return None
    try:
        return Path(spec.origin).read_bytes().decode("utf-8", "surrogateescape")
    except OSError:
        return None


def _cache_file() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset or relative: ignored, as the XDG specification says
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "pipeline" / _FILE_NAME


def _load(cache: Path, key: dict[str, object], texts: dict[str, str]) -> dict[str, list[Found]] | None:
    """The kept messages, when the file was written for this key and these templates."""
    try:
        record = json.loads(cache.read_bytes())
    except (OSError, ValueError):  # none yet, unreadable, or not JSON (ValueError: also bad UTF-8)
        return None
    if not isinstance(record, dict) or record.get("key") != key or record.get("templates") != texts:
        return None
    messages = record.get("messages")
    if not isinstance(messages, dict) or messages.keys() != texts.keys():
        return None
    kept = {}
    for name, entries in messages.items():
        found = _entries(entries)
        if found is None:
            return None
        kept[name] = found
    return kept


def _entries(entries: object) -> list[Found] | None:
    """The messages of one template as kept in the file, or None when they are not of their shape."""
    if not isinstance(entries, list):
        return None
    found: list[Found] = []
    for entry in entries:
        if not (isinstance(entry, list) and len(entry) == 4):
            return None
        msgid, comments, context, flags = entry
        if isinstance(msgid, list) and all(part is None or isinstance(part, str) for part in msgid):
            msgid = tuple(msgid)
        if not (
            isinstance(msgid, (str, tuple))
            and _strings(comments)
            and (context is None or isinstance(context, str))
            and _strings(flags)
        ):
            return None
        found.append((msgid, comments, context, flags))
    return found


def _strings(value: object) -> bool:
    """Whether ``value`` is a list of strings."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _store(cache: Path, record: dict[str, object]) -> None:
    """Write the kept file whole or not at all (a temporary file renamed over it).

    Not :func:`pipeline.fsutil.atomic_write_bytes`: this file is no project
    file (no sweep of the folder, no fsync, no crash point of the project's
    writes), and failing to write it is no error.
    """
    import tempfile  # only when the file is written: a run that finds it needs no tempfile

    data = json.dumps(record, ensure_ascii=True).encode("ascii")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=cache.parent, prefix=f".{cache.name}.", suffix=".tmp")
    except OSError:  # a read-only or missing home: the strings are extracted every time
        return
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, cache)
    except OSError:  # a full disk: no file rather than half of one
        with contextlib.suppress(OSError):
            os.unlink(temporary)
