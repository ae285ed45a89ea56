"""Names from the command line, URLs and catalogs never reach a path outside the project.

Every entry point that takes a slug or a locale refuses a hostile one with one
clear message and exit 1 (no traceback), and leaves no file outside the
project (a sentinel folder beside it must stay empty).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.build import SLUG, make_project
from pipeline.cli import main
from pipeline.project import Project
from pipeline.names import slugify, validate_locale_name, validate_slug
from pipeline.scraping.scrape import slug_for_target

HOSTILE_NAMES = [
    "..",
    "../outside",
    "../../etc/passwd",
    "/etc/passwd",
    "/tmp",
    "C:\\Windows\\system32",
    "C:",
    "..\\..\\outside",
    "fr/../../outside",
    "fr\x00",
    "a\x00b",
    "x" * 300,
    "．．／outside",
    "fr／..／..",
    "％2e％2e％2f",
    "%2e%2e%2fetc",
    "fr\n",
    "fr/",
    " fr",
    ".fr",
    "fr@../x",
    "ｆｒ",
    "fr\u202e",
    "",
]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_refused(result, name: str) -> None:
    assert result.exit_code == 1, (name, result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.startswith("Error: ") or "\nError: " in result.output, result.output
    assert "invalid" in result.output or "no article" in result.output, result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "site", locales=("zh_CN",))
    (tmp_path / "outside").mkdir()
    return root


def nothing_outside(tmp_path: Path) -> None:
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside", "site"]
    assert not any((tmp_path / "outside").iterdir())


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_validators_refuse_hostile_names(name: str) -> None:
    from pipeline.errors import InvalidNameError

    with pytest.raises(InvalidNameError):
        validate_slug(name)
    with pytest.raises(InvalidNameError):
        validate_locale_name(name)


@pytest.mark.parametrize("name", HOSTILE_NAMES[:12] + HOSTILE_NAMES[12:])
@pytest.mark.parametrize("command", ["clean", "extract", "build"])
def test_slug_arguments_are_refused(project: Path, tmp_path: Path, command: str, name: str) -> None:
    if not name:
        pytest.skip("no slug means every article")
    result = run(command, "--project", str(project), name)
    assert_refused(result, name)
    nothing_outside(tmp_path)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize(
    "args",
    [("init",), ("update", "-l"), ("check", "-l"), ("stats", "-l"), ("build", "-l")],
    ids=["init", "update", "check", "stats", "build"],
)
def test_locale_arguments_are_refused(project: Path, tmp_path: Path, args: tuple[str, ...], name: str) -> None:
    run("extract", "--project", str(project))
    result = run(args[0], "--project", str(project), *args[1:], name)
    assert_refused(result, name)
    nothing_outside(tmp_path)


@pytest.mark.parametrize("name", ["../outside", "/etc", "．．／x", "a\x00b", "x" * 300, "C:\\x"])
def test_scrape_refuses_a_hostile_slug_before_fetching(project: Path, tmp_path: Path, name: str) -> None:
    # 127.0.0.1:9 (discard) is never contacted: the slug is refused first.
    result = run("scrape", "--project", str(project), "--slug", name, "http://127.0.0.1:9/page")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "invalid article slug" in result.output
    nothing_outside(tmp_path)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "https://example.org/..%2f..%2foutside",
        "https://example.org/a/../../../etc/passwd",
        "https://example.org/%EF%BC%8E%EF%BC%8E%EF%BC%8Foutside",  # ．．／
        "https://example.org/C:%5CWindows",
        "https://example.org/%00",
        "https://example.org/" + "x" * 500,
        "https://example.org/%E2%80%AEgpj.exe",
        "https://example.org/",
        "file:///etc/passwd",
    ],
)
def test_slugs_made_from_urls_are_always_safe(url: str) -> None:
    assert validate_slug(slug_for_target(url)) == slug_for_target(url)
    assert "." not in slug_for_target(url) and "/" not in slug_for_target(url)


def test_slugify_never_makes_a_path() -> None:
    for text in HOSTILE_NAMES:
        validate_slug(slugify(text))


def test_a_hostile_catalog_folder_under_locales_is_ignored(project: Path, tmp_path: Path) -> None:
    run("extract", "--project", str(project))
    for name in ("..fr", "fr..", "fr\n", "-rf", "．．"):
        (project / "locales" / name / "LC_MESSAGES").mkdir(parents=True)
        (project / "locales" / name / "LC_MESSAGES" / f"{SLUG}.po").write_text("garbage", encoding="utf-8")
    assert Project.load(project).catalog_locales() == ["zh_CN"]
    for args in (["update"], ["stats"], ["build"]):
        result = run(args[0], "--project", str(project), *args[1:])
        assert result.exit_code == 0, (args, result.output)
        assert "..fr" not in result.output and "．．" not in result.output
    assert sorted(p.name for p in (project / "output").iterdir() if p.is_dir()) == ["en", "zh-CN"]
    nothing_outside(tmp_path)


def test_references_in_a_catalog_are_never_opened(project: Path, tmp_path: Path) -> None:
    """``#:`` lines name source places for translators; no command reads or writes them."""
    run("extract", "--project", str(project))
    catalog = project / "locales" / "zh_CN" / "LC_MESSAGES" / f"{SLUG}.po"
    secret = tmp_path / "outside" / "secret.txt"
    text = catalog.read_text(encoding="utf-8").replace(
        '\nmsgid "What they do"',
        f"\n#: {secret}:1 ../../../outside/x:2 C:\\Windows\\x:3 /dev/zero\nmsgid \"What they do\"",
    )
    catalog.write_text(text, encoding="utf-8")
    before = os.stat(tmp_path / "outside").st_mtime_ns
    for args in (["check"], ["stats"], ["update"], ["build"]):
        result = run(args[0], "--project", str(project))
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        assert str(secret) not in result.output
    assert not secret.exists()
    assert os.stat(tmp_path / "outside").st_mtime_ns == before
    nothing_outside(tmp_path)


def test_project_pointing_at_a_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "setup.cfg"
    file.write_text("[pipeline]\nsource_language = en\n", encoding="utf-8")
    for command in ("build", "check", "stats", "extract"):
        result = run(command, "--project", str(file))
        assert result.exit_code != 0
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
        assert "is a file" in result.output or "does not exist" in result.output, result.output


def test_a_missing_project_folder_is_refused(tmp_path: Path) -> None:
    result = run("build", "--project", str(tmp_path / "nowhere"))
    assert result.exit_code == 1 and "does not exist" in result.output
