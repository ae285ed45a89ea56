"""Every command tells the user what happened: --quiet prints only errors, --verbose
prints more, warnings are counted at the end and --strict makes them fail.

Each command runs on a small real project (the shipped article's snapshot,
extracted, a French catalog translated) in a fresh copy, once plainly, once
with -q and once with -v, through Click's runner (stdout and stderr apart).
``serve`` runs as a subprocess, since it runs until stopped.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.projects import REPO_ROOT, SHIPPED_SLUG
from pipeline.cli import COMMANDS, main
from helpers.robustness import translate_all

SETUP_CFG = "[pipeline]\nsource_language = en\nlocales = fr\nthreshold = 50\nsite_name = Careers\n"


@pytest.fixture(scope="module")
def base_project(tmp_path_factory) -> Path:
    """The shipped article, cleaned, extracted, with a translated French catalog."""
    root = tmp_path_factory.mktemp("output") / "site"
    root.mkdir()
    (root / "setup.cfg").write_text(SETUP_CFG, encoding="utf-8")
    folder = root / "source" / SHIPPED_SLUG
    folder.mkdir(parents=True)
    for name in ("snapshot.txt", "provenance.json"):
        shutil.copy(REPO_ROOT / "source" / SHIPPED_SLUG / name, folder / name)
    for args in (["clean"], ["extract"], ["init", "fr"]):
        result = CliRunner().invoke(main, [*args, "--project", str(root)])
        assert result.exit_code == 0, result.output
    translate_all(root, "fr")
    (root / "locales" / "glossary.csv").write_text("term,note,fr\nPython,do-not-translate,\n", encoding="utf-8")
    return root


def fresh(base: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(base, root)
    return root


#: command -> arguments (after the command) that make it do its ordinary work.
SCENARIOS: dict[str, list[str]] = {
    "scrape": [str(REPO_ROOT / "tests" / "fixtures" / "html" / "blog-page.html"), "--slug", "blog"],
    "clean": [],
    "extract": [],
    "init": ["de"],
    "update": [],
    "check": [],
    "stats": [],
    "glossary": ["--export", "tbx"],
    "pseudo": [],
    "build": ["--base-url", "https://example.org"],
    "publish": ["{dest}", "--base-url", "https://example.org"],
}


def run(root: Path, command: str, *flags: str):
    args = [a.replace("{dest}", str(root.parent / "www")) for a in SCENARIOS[command]]
    return CliRunner().invoke(main, [command, *args, "--project", str(root), *flags])


def test_every_command_has_a_scenario_here() -> None:
    assert set(SCENARIOS) | {"serve"} == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(SCENARIOS))
def test_quiet_default_and_verbose(command: str, base_project: Path, tmp_path: Path) -> None:
    outputs = {}
    lines: dict[str, list[str]] = {}
    for name, flags in (("default", ()), ("quiet", ("-q",)), ("verbose", ("-v",))):
        root = fresh(base_project, tmp_path / name)
        result = run(root, command, *flags)
        assert result.exit_code == 0, f"{command} {flags}: {result.output}{result.stderr}"
        outputs[name] = result
        lines[name] = result.stdout.replace(str(tmp_path / name), "TMP").splitlines()
    assert outputs["quiet"].stdout == "", f"{command} -q printed: {outputs['quiet'].stdout!r}"
    assert outputs["quiet"].stderr == "", f"{command} -q printed: {outputs['quiet'].stderr!r}"
    default, verbose = lines["default"], lines["verbose"]
    assert default, f"{command} said nothing about what it did"
    assert len(verbose) > len(default), f"{command} -v printed no details"
    assert [line for line in default if line not in verbose] == [], "-v must say everything the default says"


#: Commands whose scenario meets warnings: the shipped snapshot lost two lists.
WARNS = {"clean": 2}


@pytest.mark.parametrize("command", sorted(SCENARIOS))
def test_strict(command: str, base_project: Path, tmp_path: Path) -> None:
    """--strict passes without warnings, and fails (exit 1) after counting them."""
    result = run(fresh(base_project, tmp_path), command, "--strict")
    count = WARNS.get(command, 0)
    if not count:
        assert result.exit_code == 0, result.output + result.stderr
        assert "warning" not in result.stderr
        return
    assert result.exit_code == 1
    assert result.stderr.count("warning: ") == count
    assert f"\n{count} warnings\nError: {count} warnings and --strict was given" in result.stderr
    assert run(fresh(base_project, tmp_path / "plain"), command).exit_code == 0


def test_verbose_and_quiet_together_are_a_usage_error(base_project: Path, tmp_path: Path) -> None:
    result = run(fresh(base_project, tmp_path), "build", "-q", "-v")
    assert result.exit_code == 2
    assert "contradict" in result.stderr


def test_warnings_are_counted_and_strict_fails_on_them(base_project: Path, tmp_path: Path) -> None:
    root = fresh(base_project, tmp_path)
    args = ["build", "--project", str(root)]  # no base URL: the sitemap's URLs are relative, a warning
    plain = CliRunner().invoke(main, args)
    assert plain.exit_code == 0
    assert "warning: no base URL" in plain.stderr
    assert plain.stderr.rstrip().endswith("1 warning")

    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "1 warning and --strict was given" in strict.stderr

    quiet = CliRunner().invoke(main, [*args, "--strict", "-q"])
    assert quiet.exit_code == 1
    assert quiet.stdout == ""
    assert quiet.stderr.strip() == "Error: 1 warning and --strict was given"  # the error, only it


def test_check_counts_its_warnings_and_strict_fails(base_project: Path, tmp_path: Path) -> None:
    root = fresh(base_project, tmp_path)
    catalog = root / "locales" / "fr" / "LC_MESSAGES" / f"{SHIPPED_SLUG}.po"
    text = catalog.read_text(encoding="utf-8")
    # A number the translation changed: a warning (numbers), not an error.
    import re

    match = re.search(r'msgstr "(\[fr\] [^"\n]*?\b(\d+)\b[^"\n]*)"', text)
    assert match, "the article has a message with a number"
    changed = match.group(1).replace(match.group(2), str(int(match.group(2)) + 1), 1)
    catalog.write_text(text.replace(match.group(0), f'msgstr "{changed}"', 1), encoding="utf-8")
    plain = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert plain.exit_code == 0, plain.stderr
    assert "warning" in plain.stderr and re.search(r"^\d+ warnings?$", plain.stderr, re.M)
    strict = CliRunner().invoke(main, ["check", "--project", str(root), "--strict"])
    assert strict.exit_code == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _page_when_serving(port: int, process: subprocess.Popen) -> bytes:
    """The answer to GET / once the preview accepts connections (it builds first)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                connection.sendall(b"GET / HTTP/1.0\r\n\r\n")
                return connection.recv(100)
        except ConnectionRefusedError:
            time.sleep(0.05)  # a readiness probe: nothing else says when a quiet server listens
    raise AssertionError("the preview never listened")


@pytest.mark.parametrize("flag", ["-q", "-v", None])
def test_serve_quiet_and_verbose(flag: str | None, base_project: Path, tmp_path: Path) -> None:
    root = fresh(base_project, tmp_path)
    port = _free_port()
    args = [sys.executable, "-m", "pipeline", "serve", "--port", str(port), "--project", str(root)]
    if flag:
        args.append(flag)
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if flag == "-q":
            # It prints nothing, not even the address: the open port says it is serving.
            assert _page_when_serving(port, process).startswith(b"HTTP/1.0 200")
        else:
            lines = []
            for line in process.stdout:
                lines.append(line)
                if "serving the preview" in line:
                    break
            built = [l for l in lines if l.startswith("build 1:")]
            assert built, lines
            paths = [l for l in lines if l.startswith("  ") and l.strip().endswith("index.html")]
            assert bool(paths) == (flag == "-v"), lines  # -v lists the pages built
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    if flag == "-q":
        assert out == "" and "Traceback" not in err
        assert err == ""
        assert process.returncode == 0  # stopped by SIGTERM as by Ctrl+C, not killed
    else:
        assert "stopped" in out
