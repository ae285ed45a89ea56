"""The packaged page templates' compiled code, kept from one build to the next in Jinja's bytecode cache.

Compiling the templates is a large part of a build's start-up. Jinja reuses a
compiled template only when its source is, byte for byte, the one compiled
(it keeps a checksum of it) under the same Python version. What else the code
depends on, the Jinja version and the environment's options, is in the cache
files' names, so a changed option or another Jinja never loads code compiled
for other ones. Only the packaged templates are kept: their files are few and
fixed, where a project's own templates, in any folder, would leave files for
every folder they were ever built from; those are compiled at every build, as
they always were. The files are in Jinja's own per-user temporary folder,
which it refuses unless it belongs to the user alone; a cache that cannot be
read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import os

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from pipeline.packaged import PACKAGE_TEMPLATES

_PACKAGED_FOLDER = os.path.join(str(PACKAGE_TEMPLATES), "")


class PackagedTemplatesCache(FileSystemBytecodeCache):
    """Jinja's file cache, for the templates under :data:`pipeline.packaged.PACKAGE_TEMPLATES` only."""

    def __init__(self, env: jinja2.Environment) -> None:
        super().__init__(pattern=f"pipeline-{_options_fingerprint(env)}-%s.cache")
        #: Cache keys of packaged templates: one per packaged template loaded.
        self._packaged_keys: set[str] = set()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = super().get_cache_key(name, filename)
        if filename and os.path.realpath(filename).startswith(_PACKAGED_FOLDER):
            self._packaged_keys.add(key)
        return key

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key not in self._packaged_keys:
            return
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 -- a damaged or unreadable file, whatever it raises: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.key not in self._packaged_keys:
            return
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full or read-only temporary folder: the next build compiles again
            pass


def packaged_templates_cache(env: jinja2.Environment) -> PackagedTemplatesCache | None:
    """The cache for ``env`` (its options final), or None when Jinja's temporary folder cannot be used safely."""
    try:
        return PackagedTemplatesCache(env)
    except (OSError, RuntimeError):  # RuntimeError: the folder belongs to someone else or others may write in it
        return None


def _options_fingerprint(env: jinja2.Environment) -> str:
    """What the compiled code depends on besides the template's source and the Python version."""
    options = (
        jinja2.__version__,
        sorted(env.extensions),
        getattr(env, "newstyle_gettext", None),
        env.autoescape,
        env.finalize,
        env.optimized,
        env.is_async,
        env.trim_blocks,
        env.lstrip_blocks,
        env.keep_trailing_newline,
        env.newline_sequence,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
    )
    return hashlib.sha256(repr(options).encode("utf-8")).hexdigest()[:16]
