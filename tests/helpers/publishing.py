"""What the publish tests share: the published base URL, a tree as one comparable map, a fixed fixture."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from helpers.build import SLUG


BASE = "https://example.org/site"


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file, folder and link under ``folder`` with its content, as one comparable map."""
    state: dict[str, str] = {}
    if not folder.exists():
        return {"": "missing"}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            state[key] = "link:" + os.readlink(path)
        elif path.is_dir():
            state[key] = "dir"
        else:
            state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def fix_broken_translation(project: Path) -> None:
    """The fixture's zh_CN catalog has a markup error on purpose (for the build tests); publish refuses it."""
    catalog = project / "locales" / "zh_CN" / "LC_MESSAGES" / f"{SLUG}.po"
    text = catalog.read_text(encoding="utf-8")
    assert 'msgstr "编写 <b>SQL</b> 查询"' in text
    catalog.write_text(text.replace('msgstr "编写 <b>SQL</b> 查询"', 'msgstr "编写 <code/> 查询"'), encoding="utf-8")
