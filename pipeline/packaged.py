"""Files shipped inside the package: the default page templates, found by one path, and
the fingerprint of everything shipped.

The build hashes the templates (a changed template rebuilds every page), ``serve`` watches them
and ``extract`` reads their strings: all three must name the same folder.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

#: The installed package: its code, templates and tables.
PACKAGE_ROOT = Path(__file__).resolve().parent
#: The page templates a project uses where its own ``templates/`` folder has none.
PACKAGE_TEMPLATES = PACKAGE_ROOT / "templates"


@functools.lru_cache(maxsize=None)  # one per folder asked: the package, or a test's copy of it
def code_fingerprint(root: Path = PACKAGE_ROOT) -> str:
    """A hash of every file shipped under ``root`` (names and bytes; compiled ``__pycache__`` left out).

    What a build wrote and what ``extract`` kept depend on the code that made
    them, not only on its version: a checkout (``pip install -e .``, as the
    README installs) that pulls a fix changing pages keeps version and
    manifest, and would otherwise keep the pages the old code made. Bytes,
    not times: a checkout of another branch and back rebuilds nothing.
    Computed once per process, which runs one version of the code.
    """
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            with open(path, "rb") as file:
                content = file.read()
            digest.update(f"{os.path.relpath(path, root)}\0{len(content)}\0".encode("utf-8", "surrogateescape"))
            digest.update(content)
    return digest.hexdigest()
