"""A Content-Type whose charset gettext's tools do not find: every command reads the catalog, as UTF-8, and says so.

GNU gettext is the reference: ``msgfmt -c`` accepts such a file with a warning
("Charset missing in header", "not a portable encoding name"), so ``check``
and ``update`` give one warning line naming the file and the header's line
(``--strict`` fails on it), and ``stats`` and ``build`` work: no traceback
(Babel's header setter raised AttributeError on an RFC 2231 ``charset*=``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.projects import SHIPPED_SLUG

from pipeline.cli import main

PO = f"locales/zh_CN/LC_MESSAGES/{SHIPPED_SLUG}.po"
SHAPES = ["text/plain; charset*=utf-8''UTF-8", "text/plain", "text/plain; charset=", 'text/plain; charset=\\"UTF-8\\"', "text/plain; charset=UTF-8;"]


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--project", str(root)])
    shown = f"pipeline {' '.join(args)} gave exit {result.exit_code}:\n{result.output}"
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        shown += "".join(traceback.format_exception(*result.exc_info))
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in result.output, shown
    return result.exit_code, result.output


def _with_content_type(project: Path, content_type: str) -> int:
    """Give the article's zh_CN catalog ``content_type``; the line of its header entry."""
    path = project / PO
    text, count = re.subn(r'"Content-Type: [^"\n]*\\n"', lambda _: f'"Content-Type: {content_type}\\n"', path.read_text("utf-8"))
    assert count == 1
    path.write_text(text, encoding="utf-8")
    return text.split("\n").index('msgid ""') + 1


@pytest.mark.parametrize("content_type", SHAPES)
def test_every_command_reads_the_catalog_and_check_and_update_warn(shipped_project: Path, content_type: str) -> None:
    line = _with_content_type(shipped_project, content_type)
    if shutil.which("msgfmt"):  # the reference: accepted, with a warning about the charset
        gnu = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(shipped_project / PO)], check=False, capture_output=True, text=True)
        assert gnu.returncode == 0 and "Charset" in gnu.stderr, gnu.stderr
    code, output = _run(shipped_project, "check")
    assert code == 0 and f"{PO}:{line}: warning: [charset]" in output, output
    assert _run(shipped_project, "check", "--strict")[0] == 1
    code, output = _run(shipped_project, "stats")
    assert code == 0 and "zh_CN" in output, output
    code, output = _run(shipped_project, "build", "--locale", "zh_CN")
    assert code == 0 and (shipped_project / "output/zh-CN" / SHIPPED_SLUG / "index.html").is_file(), output
    code, output = _run(shipped_project, "update")
    assert code == 0 and (f"{PO}:{line}: the Content-Type" in output or f"{PO}:{line}: gettext's tools" in output), output


def test_update_writes_a_content_type_gettext_reads(shipped_project: Path) -> None:
    _with_content_type(shipped_project, "text/plain; charset*=utf-8''UTF-8")
    path = shipped_project / PO
    entries = path.read_text("utf-8").rstrip("\n").split("\n\n")
    path.write_text("\n\n".join(entries[:-1]) + "\n", encoding="utf-8")  # a message for update to add: it writes the file
    code, output = _run(shipped_project, "update")
    assert code == 0 and '"Content-Type: text/plain; charset=UTF-8\\n"' in path.read_text("utf-8"), output
    if shutil.which("msgmerge"):  # which GNU's merge refused before
        template = shipped_project / f"locales/{SHIPPED_SLUG}.pot"
        gnu = subprocess.run(["msgmerge", "-q", str(path), str(template), "-o", "/dev/null"], check=False, capture_output=True, text=True)
        assert gnu.returncode == 0, gnu.stderr
    assert "[charset]" not in _run(shipped_project, "check")[1]
