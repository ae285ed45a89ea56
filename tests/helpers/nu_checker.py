"""The Nu Html Checker (vnu.jar, installed by .ci/setup.sh), run over built pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


DEFAULT_JAR = REPO / ".ci" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed, so the Nu Html Checker cannot run (bash .ci/setup.sh installs it)")
    jar = Path(os.environ.get("VNU_JAR") or DEFAULT_JAR)
    if not jar.is_file():
        pytest.fail(f"the Nu Html Checker is missing at {jar}: run `bash .ci/setup.sh` (or set VNU_JAR)")
    return [java, "-jar", str(jar), "--errors-only", "--format", "json"]


def validate(files: list[Path]) -> list[dict]:
    """The checker's error messages for ``files`` (an empty list when all are valid)."""
    completed = subprocess.run(
        vnu_command() + [str(f) for f in files], capture_output=True, text=True, timeout=300
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    report = json.loads(completed.stderr or completed.stdout)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
