"""``provenance.json`` beside an article's snapshot: where the page came from.

``scrape`` writes it (the URL asked for and the one answered, the fetch time,
the HTTP validators, the charset the page was decoded with; or the saved file
a page was copied from) and reads it again to ask the server whether the page
changed; ``clean`` decodes the snapshot with its format and charset and
resolves the page's links against its URL; ``extract`` falls back on its
fetch time for a template's date. The record is a JSON object, keys sorted.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import SnapshotError
from pipeline.fsutil import atomic_write_text

PROVENANCE_NAME = "provenance.json"


def read_provenance(folder: Path) -> dict:
    """The provenance of the snapshot in ``folder``; ``{}`` when there is none.

    :class:`SnapshotError` when it is there but cannot be read: ``clean``
    would otherwise decode the page with a guessed charset.
    """
    path = folder / PROVENANCE_NAME
    if not path.is_file():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotError(f"cannot read {path}: {exc}") from None
    return value if isinstance(value, dict) else {}


def read_provenance_if_readable(folder: Path) -> dict:
    """:func:`read_provenance`, or ``{}`` when it cannot be read: for ``scrape``, which writes it
    again, and ``extract``, which can date a template without it."""
    try:
        return read_provenance(folder)
    except (SnapshotError, ValueError):
        return {}


def write_provenance(folder: Path, provenance: dict) -> None:
    atomic_write_text(folder / PROVENANCE_NAME, json.dumps(provenance, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def page_url(provenance: dict) -> str:
    """The URL the page was served from (after redirects), against which its links resolve."""
    return provenance.get("final_url") or provenance.get("url") or ""


def fetched_at(provenance: dict) -> str:
    """When the page was fetched (ISO 8601), or "" for a saved page or none recorded."""
    return provenance.get("fetched_at") or ""
