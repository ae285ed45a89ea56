"""No input file, however broken, gives a traceback: one line naming the file, exit 1.

Every reader of a project file (the clean document ``article.html``, the
``.po``/``.pot`` catalogs, the ``setup.cfg`` settings, the raw snapshot and its
``provenance.json``, ``clean-report.json``, the build manifest, the project's
own page templates and stylesheet) is fed binary, empty, truncated, non-UTF-8 and
wrong-type (a folder for a file, a file for a folder) inputs through every
command that reads it, with Click's CliRunner; a Hypothesis test then feeds
random and mutated bytes. ``serve`` runs for as long as its first build, as
its stage function (the command only waits for Ctrl+C after that).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import traceback
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers.projects import REPO_ROOT, SHIPPED_SLUG
from pipeline.cli import main
from pipeline.errors import PipelineError

SLUG = SHIPPED_SLUG
PO = f"locales/zh_CN/LC_MESSAGES/{SLUG}.po"
#: A second article, scraped as an HTML page (the shipped one is a text dump).
HTML_SLUG = "blog-page"

#: reader -> (file under the project, the commands that read it)
READERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "article": (f"source/{SLUG}/article.html", ("extract", "build", "publish", "clean", "serve", "check-coverage")),
    "po": (PO, ("update", "check", "stats", "build", "publish", "init", "serve")),
    "site-po": ("locales/zh_CN/LC_MESSAGES/site.po", ("update", "check", "stats", "build", "serve")),
    "pot": (f"locales/{SLUG}.pot", ("update", "init", "pseudo", "extract", "check-coverage")),
    "settings": ("setup.cfg", ("extract", "update", "check", "stats", "build", "publish", "clean", "init", "pseudo", "serve")),
    "snapshot": (f"source/{SLUG}/snapshot.txt", ("clean",)),
    "snapshot-html": (f"source/{HTML_SLUG}/snapshot.html", ("clean",)),
    "provenance": (f"source/{SLUG}/provenance.json", ("clean", "extract", "build")),
    "clean-report": (f"source/{SLUG}/clean-report.json", ("init", "update")),
    "manifest": ("output/.build-manifest.json", ("build",)),
    "page-template": ("templates/article.html", ("build", "extract")),
    "stylesheet": ("templates/style.css", ("build",)),
}

#: Folders that may be found as files instead.
FOLDERS: dict[str, tuple[str, ...]] = {
    "source": ("extract", "build", "clean", "stats", "serve"),
    f"source/{SLUG}": ("extract", "build", "clean"),
    "locales": ("update", "check", "stats", "build", "init", "pseudo", "extract"),
    "locales/zh_CN/LC_MESSAGES": ("update", "check", "stats", "build", "init"),
    "output": ("build",),
    "templates": ("build", "extract"),
}


def _truncated(path: Path) -> bytes:
    data = path.read_bytes()
    return data[: len(data) // 2]


def _not_utf8(path: Path) -> bytes:
    data = path.read_bytes()
    middle = len(data) // 2
    return data[:middle] + b"\xe9\xff\xfe\xc3" + data[middle:]


#: kind of damage -> what the file's bytes become (given its original path)
DAMAGE: dict[str, Callable[[Path], bytes]] = {
    "empty": lambda path: b"",
    "binary": lambda path: bytes(range(256)) * 8,
    "truncated": _truncated,
    "not utf-8": _not_utf8,
    "utf-16": lambda path: path.read_bytes().decode("utf-8", "replace").encode("utf-16"),
    "nul bytes": lambda path: path.read_bytes().replace(b"\n", b"\n\x00", 3),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """The shipped project and a second article from an HTML snapshot, cleaned and extracted."""
    root = tmp_path_factory.mktemp("pristine") / "site"
    root.mkdir()
    shutil.copy(REPO_ROOT / "setup.cfg", root / "setup.cfg")
    shutil.copytree(REPO_ROOT / "source", root / "source")
    shutil.copytree(REPO_ROOT / "locales", root / "locales")
    (root / "source" / HTML_SLUG).mkdir()
    shutil.copy(REPO_ROOT / "tests" / "fixtures" / "html" / "blog-page.html", root / "source" / HTML_SLUG / "snapshot.html")
    shutil.copytree(REPO_ROOT / "pipeline" / "templates", root / "templates")  # the project's own copies
    for command in ("clean", "extract", "build"):
        result = CliRunner().invoke(main, [command, "--project", str(root)])
        assert result.exit_code == 0, result.output
    return root


def fresh_copy(pristine: Path, into: Path) -> Path:
    if into.exists():
        shutil.rmtree(into)
    shutil.copytree(pristine, into, symlinks=True)
    return into


def run_command(root: Path, command: str) -> tuple[int, str]:
    """Run ``command`` on ``root``; its exit code and output. Fails on a traceback or an uncaught exception."""
    if command == "serve":
        return run_serve(root)
    args = {
        "publish": ["publish", str(root.parent / "published"), "--base-url", "https://example.org"],
        "init": ["init", "fr"],
        "check-coverage": ["check", "--coverage"],
    }.get(command, [command])
    result = CliRunner().invoke(main, [*args, "--project", str(root)])
    shown = f"pipeline {' '.join(args)} gave exit {result.exit_code}:\n{result.output}"
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        shown += "".join(traceback.format_exception(*result.exc_info))
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert result.exit_code in (0, 1), shown
    assert "Traceback" not in result.output, shown
    return result.exit_code, result.output


def run_serve(root: Path) -> tuple[int, str]:
    """The preview's first build and the server's start; a user error is exit 1, anything else fails."""
    from pipeline.preview.server import serve

    stop = threading.Event()
    events = serve(root, port=0, stop=stop)
    lines = []
    try:
        for event in events:
            lines.append(f"{event.kind}: {event.message}")
            if event.kind == "listening":
                break
    except PipelineError as exc:
        return 1, exc.message
    finally:
        stop.set()
        events.close()
    return 0, "\n".join(lines)


def assert_named(code: int, output: str, name: str, command: str = "") -> None:
    """A failure names the file it failed on.

    ``check --coverage`` is left out: it fails on text of the HTML article
    that no catalog holds, whatever else is damaged.
    """
    if code == 1 and command != "check-coverage":
        assert name in output, output


def damage_cases() -> list[tuple[str, str, str]]:
    return [(reader, kind, command) for reader, (_, commands) in READERS.items() for kind in DAMAGE for command in commands]


@pytest.mark.slow
@pytest.mark.parametrize(("reader", "kind", "command"), damage_cases())
def test_damaged_file(pristine: Path, tmp_path: Path, reader: str, kind: str, command: str) -> None:
    root = fresh_copy(pristine, tmp_path / "site")
    relative, _ = READERS[reader]
    path = root / relative
    path.write_bytes(DAMAGE[kind](path))
    code, output = run_command(root, command)
    assert_named(code, output, path.name, command)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("reader", "command"), [(reader, command) for reader, (_, commands) in READERS.items() for command in commands]
)
def test_folder_instead_of_file(pristine: Path, tmp_path: Path, reader: str, command: str) -> None:
    root = fresh_copy(pristine, tmp_path / "site")
    path = root / READERS[reader][0]
    path.unlink()
    (path / "inner").mkdir(parents=True)
    code, output = run_command(root, command)
    assert_named(code, output, path.name, command)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("folder", "command"), [(folder, command) for folder, commands in FOLDERS.items() for command in commands]
)
def test_file_instead_of_folder(pristine: Path, tmp_path: Path, folder: str, command: str) -> None:
    root = fresh_copy(pristine, tmp_path / "site")
    path = root / folder
    if path.exists():
        shutil.rmtree(path)
    path.write_bytes(b"not a folder\n")
    code, output = run_command(root, command)
    assert_named(code, output, path.name, command)


# The reported reproducers, kept in the fast part of the suite.
@pytest.mark.parametrize("kind", ["binary", "empty", "not utf-8"])
@pytest.mark.parametrize("command", ["extract", "build"])
def test_broken_article_is_one_line_naming_it(pristine: Path, tmp_path: Path, kind: str, command: str) -> None:
    root = fresh_copy(pristine, tmp_path / "site")
    path = root / READERS["article"][0]
    path.write_bytes(DAMAGE[kind](path))
    code, output = run_command(root, command)
    assert code == 1
    assert str(path) in output or f"{SLUG}/article.html" in output, output


def test_po_that_is_a_folder_fails_build_naming_it(pristine: Path, tmp_path: Path) -> None:
    root = fresh_copy(pristine, tmp_path / "site")
    path = root / PO
    path.unlink()
    path.mkdir()
    code, output = run_command(root, "build")
    assert code == 1
    assert f"{SLUG}.po" in output, output


def _mutations(original: bytes) -> st.SearchStrategy[bytes]:
    """Random bytes, and the real file cut, spliced with random bytes or with bytes flipped."""
    cut = st.integers(0, len(original)).map(lambda n: original[:n])
    spliced = st.tuples(st.integers(0, len(original)), st.binary(max_size=64)).map(
        lambda t: original[: t[0]] + t[1] + original[t[0] :]
    )
    flipped = st.lists(st.tuples(st.integers(0, max(0, len(original) - 1)), st.integers(0, 255)), max_size=8).map(
        lambda changes: _flip(original, changes)
    )
    return st.one_of(st.binary(max_size=2048), cut, spliced, flipped)


def _flip(original: bytes, changes: list[tuple[int, int]]) -> bytes:
    data = bytearray(original)
    for index, value in changes:
        if index < len(data):
            data[index] = value
    return bytes(data)


#: Random inputs per reader; more for a longer hunt: NO_TRACEBACK_EXAMPLES=500 pytest -m slow -k random_bytes
EXAMPLES = int(os.environ.get("NO_TRACEBACK_EXAMPLES", "30"))
#: reader -> the commands the random-bytes test runs on it (the main reader of each)
FUZZED = {
    "article": ("extract", "build"),
    "po": ("check", "build"),
    "pot": ("update",),
    "settings": ("stats",),
    "snapshot": ("clean",),
    "provenance": ("clean",),
    "snapshot-html": ("clean",),
    "page-template": ("build",),
}


@pytest.mark.slow
@pytest.mark.parametrize("reader", sorted(FUZZED))
def test_random_bytes(pristine: Path, tmp_path: Path, reader: str) -> None:
    relative, _ = READERS[reader]
    original = (pristine / relative).read_bytes()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=_mutations(original))
    def feed(data: bytes) -> None:
        root = fresh_copy(pristine, tmp_path / "site")
        (root / relative).write_bytes(data)
        for command in FUZZED[reader]:
            code, output = run_command(root, command)
            assert_named(code, output, Path(relative).name, command)

    feed()


@pytest.mark.parametrize(
    ("line", "expected"),
    [("{% if %}", r"article\.html:\d+: template syntax error"), ("{{ nope.x }}", r"article\.html:\d+: cannot render the page: 'nope' is undefined")],
    ids=["syntax error", "undefined variable"],
)
def test_a_broken_page_template_is_one_line_with_file_and_line(pristine: Path, tmp_path: Path, line: str, expected: str) -> None:
    root = fresh_copy(pristine, tmp_path / "site")
    template = root / "templates" / "article.html"
    template.write_text(template.read_text(encoding="utf-8").replace("{% block head %}", "{% block head %}\n" + line, 1), encoding="utf-8")
    code, output = run_command(root, "build")
    assert code == 1
    assert re.search(expected, output), output
