"""Symbolic links out of the project are never followed: one clear error naming the link, nothing read or written.

Reproducers: a symlinked ``article.html`` was read into the templates and
the pages; a symlinked ``locales/zh_CN`` was written through; a symlinked
``output/`` had files deleted that the build did not make. A link that stays
inside the project still works.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.build import SLUG, make_project
from pipeline.cli import main
from helpers.publishing import tree_hash


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "site")


def assert_refused_naming(result, link: Path) -> None:
    assert result.exit_code == 1, result.output
    assert f"{link} is a symbolic link to" in result.output and "outside the project" in result.output
    assert "Traceback" not in result.output


def test_a_document_linked_from_outside_is_read_neither_into_templates_nor_pages(project: Path, tmp_path: Path) -> None:
    document = project / "source" / SLUG / "article.html"
    outside = tmp_path / "secret.html"
    outside.write_text(document.read_text(encoding="utf-8").replace("<p>", "<p>SECRET ", 1), encoding="utf-8")
    document.unlink()
    document.symlink_to(outside)
    for command in ("extract", "build"):
        result = run(command, "--project", str(project))
        assert_refused_naming(result, document)
    written = [p for p in project.rglob("*") if p.is_file() and not p.is_symlink()]
    assert not any(b"SECRET" in p.read_bytes() for p in written)


def test_a_locale_folder_linked_from_outside_is_not_written_through(project: Path, tmp_path: Path) -> None:
    assert run("extract", "--project", str(project)).exit_code == 0
    locale = project / "locales" / "zh_CN"
    outside = tmp_path / "elsewhere" / "zh_CN"
    shutil.move(locale, outside)
    locale.symlink_to(outside, target_is_directory=True)
    before = tree_hash(outside)
    for args in (("update",), ("update", "-l", "zh_CN"), ("build",)):
        result = run(*args, "--project", str(project))
        assert_refused_naming(result, locale)
    assert tree_hash(outside) == before


def test_an_output_folder_linked_from_outside_is_refused_and_nothing_deleted_through_it(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "www"
    stale = outside / "fr" / "old-article" / "index.html"  # looks like a page of an earlier build
    stale.parent.mkdir(parents=True)
    stale.write_text("not the build's")
    (project / "output").symlink_to(outside, target_is_directory=True)
    before = tree_hash(outside)
    result = run("build", "--project", str(project))
    assert_refused_naming(result, project / "output")
    assert tree_hash(outside) == before


def test_links_that_stay_inside_the_project_still_work(project: Path) -> None:
    document = project / "source" / SLUG / "article.html"
    kept = project / "_shared" / "sample.html"
    kept.parent.mkdir()
    shutil.move(document, kept)
    document.symlink_to(Path("..") / ".." / "_shared" / "sample.html")
    for command in ("extract", "build"):
        result = run(command, "--project", str(project))
        assert result.exit_code == 0, result.output
    assert (project / "output" / "index.html").is_file()


def test_a_lock_file_replaced_by_a_link_is_not_followed(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "made-through-the-link"
    (project / ".pipeline.lock").symlink_to(target)
    result = run("build", "--project", str(project))
    assert result.exit_code == 1 and "cannot lock" in result.output and "Traceback" not in result.output
    assert not target.exists()


def test_pages_are_not_written_through_a_linked_language_folder(project: Path, tmp_path: Path) -> None:
    assert run("build", "--project", str(project)).exit_code == 0
    language = project / "output" / "ar"
    assert (language / SLUG / "index.html").is_file()
    outside = tmp_path / "elsewhere-ar"
    shutil.move(language, outside)
    language.symlink_to(outside, target_is_directory=True)
    (project / "output" / ".build-manifest.json").unlink()  # every page rendered again
    before = tree_hash(outside)
    result = run("build", "--project", str(project))
    assert result.exit_code == 1 and f"{language} is a symbolic link to" in result.output, result.output
    assert "outside the output folder" in result.output
    assert tree_hash(outside) == before


def test_a_page_template_linked_from_outside_is_not_read(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "theirs.html"
    outside.write_text("{% extends 'base.html' %}{% block content %}SECRET{% endblock %}", encoding="utf-8")
    (project / "templates").mkdir()
    link = project / "templates" / "article.html"
    link.symlink_to(outside)
    result = run("build", "--project", str(project))
    assert_refused_naming(result, link)
    assert not any(b"SECRET" in p.read_bytes() for p in project.rglob("*.html") if not p.is_symlink())
