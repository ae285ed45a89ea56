"""Pages made by other code are rebuilt: the build's hash holds the package's own files, not only its version.

A checkout installed with ``pip install -e .`` (as the README installs) that pulls a fix keeps its
version number; its pages must not stay as the old code made them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.packaged import PACKAGE_ROOT, code_fingerprint

REPO_ROOT = Path(__file__).resolve().parents[2]


def _package_copy(where: Path) -> Path:
    shutil.copytree(PACKAGE_ROOT, where / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    return where / "pipeline"


def test_the_fingerprint_follows_the_files_bytes_and_names_not_compiled_code(tmp_path: Path) -> None:
    first, second = _package_copy(tmp_path / "a"), _package_copy(tmp_path / "b")
    assert code_fingerprint(first) == code_fingerprint(second) != ""
    (second / "build" / "__pycache__").mkdir(exist_ok=True)
    (second / "build" / "__pycache__" / "page.cpython-311.pyc").write_bytes(b"compiled")
    assert code_fingerprint.__wrapped__(second) == code_fingerprint(first)
    page = second / "build" / "page.py"
    page.write_bytes(page.read_bytes() + b"# a later fix\n")
    assert code_fingerprint.__wrapped__(second) != code_fingerprint(first)
    page.rename(second / "build" / "page2.py")
    assert code_fingerprint.__wrapped__(second) != code_fingerprint(first)


def _build(code: Path, project: Path) -> str:
    environment = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--project", str(project)],
        capture_output=True, text=True, env=environment, cwd=project,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_build_after_the_code_changed_rebuilds_every_page(tmp_path: Path) -> None:
    project = tmp_path / "site"
    project.mkdir()
    shutil.copy(REPO_ROOT / "setup.cfg", project / "setup.cfg")
    shutil.copytree(REPO_ROOT / "source", project / "source")
    shutil.copytree(REPO_ROOT / "locales", project / "locales")
    code = tmp_path / "code"
    package = _package_copy(code)
    assert "up to date" not in _build(code, project)
    assert "(3 up to date, not rebuilt)" in _build(code, project)
    page = package / "build" / "page.py"
    page.write_bytes(page.read_bytes() + b"# a later fix\n")
    rebuilt = _build(code, project)
    assert "built 3 pages in output/" in rebuilt and "up to date" not in rebuilt
