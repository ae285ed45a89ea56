"""What an incremental build remembers: content hashes of its inputs, per page.

A page is rebuilt only when the hash of everything it is made from changed:
the clean document, the article's catalog, the locale's ``site.po``, the page
templates and stylesheet, the settings, the tool's version and code
(:func:`pipeline.packaged.code_fingerprint`), and which locales
of the article are published (the language switcher). Hashes, not
modification times: a ``git checkout`` or a copy that keeps the bytes rebuilds
nothing, and a change that keeps the time still rebuilds.

The manifest, ``output/.build-manifest.json``, records for each page the hash
it was built from and what the build reported about it (completion, warnings,
translated title), so an up-to-date page is neither read nor rendered, and the
index and sitemap are made from the manifest without reading every catalog.
A catalog's completion is cached by its content hash for the same reason.

Hashing every input of a large site costs more than the rest of a build that
changes nothing, so, as git's index does, the manifest also remembers each
input file's size, modification and change times (nanoseconds) and inode
next to its hash (:class:`FileHashes`): a file whose stat is unchanged keeps
its recorded hash, any other is read and hashed again. What that guarantees:

* any change made through the file system's usual calls is seen: writing a
  file sets its modification and change times; setting the modification
  time back (``touch -d``, ``os.utime``, an editor or ``rsync`` keeping it)
  still sets the change time, which nobody can set back;
* "racy" files, changed so shortly before the build that a later change
  could keep all four values (file systems count time in steps: a clock
  tick, or 2 s on FAT), are hashed but not remembered until their times are
  at least :data:`RACY_SECONDS` older than the start of a build; this is
  git's rule, with a margin instead of the index file's own time so that
  inputs and output on different file systems are covered too;
* what is not seen: a file changed behind the kernel's back (a disk image
  edited offline, a clock set back by more than the margin between two
  builds). ``rm output/.build-manifest.json`` hashes everything again.

Sharding: ``--shard K/N`` builds the K-th of N contiguous runs of the sorted
(article, locale) pairs, and writes its records to ``output/.build-shards/K-of-N.json``
instead of the manifest; copying every shard's output into one folder and
running ``pipeline build --merge-shards`` there writes the index and sitemap.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import orjson

from pipeline.errors import FileAccessError, file_problem
from pipeline.fsutil import read_file

MANIFEST_NAME = ".build-manifest.json"
SHARDS_FOLDER = ".build-shards"
#: 2: page records are lists (:data:`PAGE_FIELDS`).
#: 3: completions counted by :mod:`pipeline.catalogs.completion` (a translation with an error does
#: not count, figures floored): the completions an older build recorded are not reused,
#: so older manifests are not read (the next build renders every page once).
MANIFEST_VERSION = 3
READABLE_VERSIONS = (3,)


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes; "" when it does not exist."""
    data = _input_bytes(path)
    return "" if data is None else hashlib.sha256(data).hexdigest()


def _input_bytes(path: str | Path, size: int | None = None) -> bytes | None:
    """A file's bytes; None when it does not exist. ``size``: what its stat just said (:func:`read_file`)."""
    try:
        return read_file(path, size)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:  # a folder where a catalog should be, no permission
        raise FileAccessError(f"cannot read {file_problem(path, exc)}") from None


#: A file whose modification or change time is less than this many seconds
#: before the start of the build is hashed every time: a change within the
#: same time step as the last one could keep its stat (racy-git).
RACY_SECONDS = 3


class FileHashes:
    """Content hashes of a build's input files, trusting the stat of files already hashed.

    ``records`` are the manifest's ``files`` of the last build: key -> [size,
    mtime_ns, ctime_ns, inode, sha256]; keys are paths relative to ``root``
    (a moved project hashes everything once). The records of the files
    hashed through this object are in :attr:`records` afterwards, for the
    next manifest. ``started_ns`` is when the build started (before any file
    was looked at): only files whose times are older by :data:`RACY_SECONDS`
    are recorded.

    ``keep_contents``: the bytes of each file read to be hashed are kept, and
    :meth:`contents` hands them to the readers of the file, so that a file is read
    once and what is read of it is what was hashed. One article's object keeps
    them (its own files, dropped with it); a whole build's keeps none.
    """

    def __init__(
        self, root: str | Path, records: dict[str, list], started_ns: int, keep_contents: bool = False
    ) -> None:
        self._prefix = os.path.join(str(root), "")
        self._old = records
        self._trust_before_ns = started_ns - RACY_SECONDS * 1_000_000_000
        self._keep_contents = keep_contents
        self._contents: dict[str, bytes] = {}
        self.records: dict[str, list] = {}

    def key(self, path: str | Path) -> str:
        path = str(path)
        return path[len(self._prefix) :] if path.startswith(self._prefix) else path

    def hash(self, path: str | Path) -> str:
        """sha256 of the file's bytes (as :func:`file_hash`); "" when it does not exist."""
        path = str(path)
        try:
            stat = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            return ""
        signature = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        key = self.key(path)
        old = self._old.get(key)
        if isinstance(old, list) and len(old) == 5 and old[:4] == signature:  # a damaged record is ignored
            self.records[key] = old
            return old[4]
        data = _input_bytes(path, stat.st_size)
        if data is None:
            return ""
        if self._keep_contents:
            self._contents[path] = data
        digest = hashlib.sha256(data).hexdigest()
        if max(stat.st_mtime_ns, stat.st_ctime_ns) < self._trust_before_ns:
            self.records[key] = signature + [digest]
        return digest

    def contents(self, path: str | Path) -> bytes | None:
        """The bytes :meth:`hash` read of the file and kept; None when it read none."""
        return self._contents.get(str(path))


def combined_hash(*parts: object) -> str:
    """One hash over several values (strings, numbers, lists, dicts), order kept.

    The values' JSON, compact with sorted keys, as ``json.dumps(...,
    sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` writes it.
    """
    return hashlib.sha256(orjson.dumps(parts, default=str, option=orjson.OPT_SORT_KEYS)).hexdigest()


def folder_hash(folders: list[Path], pattern: str = "*") -> str:
    """Hash of the names and contents of the files under ``folders`` (templates)."""
    entries = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob(pattern)):
                if path.is_file():
                    entries.append((str(path.relative_to(folder)), file_hash(path)))
        entries.append("|")
    return combined_hash(entries)


@dataclass(frozen=True)
class Shard:
    """Shard ``number`` of ``count`` (1-based, as written on the command line: ``2/8``)."""

    number: int
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        try:
            number, count = (int(part) for part in text.split("/"))
        except ValueError:
            raise ValueError(f"expected K/N such as 1/4, got {text!r}") from None
        if count < 1 or not 1 <= number <= count:
            raise ValueError(f"expected K/N with 1 <= K <= N, got {text!r}")
        return cls(number, count)

    def select(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """This shard's share of the (slug, locale) pages: a contiguous run of them, sorted.

        Every machine sorts the same pairs, so the shares do not overlap and
        cover every page. Contiguous rather than hashed: an article's locales
        stay together, so its catalogs (whose completions decide its language
        switcher) are read by one or two shards, not by every shard.
        """
        ordered = sorted(pairs)
        start = (self.number - 1) * len(ordered) // self.count
        end = self.number * len(ordered) // self.count
        return set(ordered[start:end])

    @property
    def file_name(self) -> str:
        return f"{self.number}-of-{self.count}.json"


#: A page's record in the manifest is a list of these fields, in this order (read
#: them as ``record[TITLE]``): the hash the page was built from, its size, and what
#: the build said of it. A list, not an object: a large site's manifest holds one
#: per page, and objects with named keys made reading it much slower.
PAGE_FIELDS = ("hash", "size", "completion", "published", "blocks", "fallbacks", "rejected", "title", "warnings")
HASH, SIZE, COMPLETION, PUBLISHED, BLOCKS, FALLBACKS, REJECTED, TITLE, WARNINGS = range(len(PAGE_FIELDS))


def page_record_usable(record: object) -> bool:
    """Whether a record read from the manifest has the current form (a damaged one means: build the page)."""
    return isinstance(record, list) and len(record) == len(PAGE_FIELDS)


def empty_manifest() -> dict:
    return {"version": MANIFEST_VERSION, "pages": {}, "catalogs": {}, "articles": {}, "index": "", "files": {}, "site": {}}


def read_manifest(path: Path) -> dict:
    """The manifest at ``path``, or an empty one when it is missing, damaged or of another version."""
    try:
        data = orjson.loads(read_file(path))
    except (OSError, ValueError):  # orjson.JSONDecodeError is a ValueError
        return empty_manifest()
    if not isinstance(data, dict) or data.get("version") not in READABLE_VERSIONS:
        return empty_manifest()
    manifest = empty_manifest()
    manifest.update({k: data[k] for k in manifest if k in data and isinstance(data[k], type(manifest[k]))})
    manifest["version"] = data["version"]  # a build writes an older one again, in the current form
    return manifest


def manifest_bytes(manifest: dict) -> bytes:
    """Compact UTF-8 JSON with sorted keys (the bytes ``json.dumps`` would give)."""
    return orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS) + b"\n"


def page_key(slug: str, locale: str) -> str:
    return f"{slug}\t{locale}"
