"""The packaged templates' compiled code is kept between builds (Jinja's bytecode cache); a project's own are not."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from helpers.build import build, make_project

from pipeline.build import templatecache
from pipeline.build.rendering import Renderer
from pipeline.packaged import PACKAGE_TEMPLATES
from pipeline.project import Project


@pytest.fixture
def cache_folder(tmp_path, monkeypatch) -> Path:
    """Jinja's per-user folder made under this test's own temporary folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return tmp_path / "tmp"


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("_jinja2-cache-*/pipeline-*.cache"))


def _pages(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted(output.rglob("*.html"))}


def test_a_second_build_loads_the_packaged_templates_and_writes_the_same_pages(tmp_path, cache_folder):
    root = make_project(tmp_path / "project")
    build(root, output_dir=tmp_path / "first")
    kept = _cache_files(cache_folder)
    assert kept  # article.html, base.html, the includes, the site pages' templates
    build(root, output_dir=tmp_path / "second")
    assert _cache_files(cache_folder) == kept
    assert _pages(tmp_path / "first") == _pages(tmp_path / "second")


def test_a_projects_own_template_is_compiled_every_time_and_its_change_is_seen(tmp_path, cache_folder):
    root = make_project(tmp_path / "project")
    templates = root / "templates"
    templates.mkdir()
    (templates / "404.html").write_text("first {{ site_name }}\n", encoding="utf-8")
    renderer = Renderer(Project.load(root))
    renderer.env.get_template("404.html")
    packaged_only = _cache_files(cache_folder)
    (templates / "404.html").write_text("second {{ site_name }}\n", encoding="utf-8")
    env = Renderer(Project.load(root)).env
    assert env.get_template("404.html").render(site_name="x") == "second x\n"
    assert _cache_files(cache_folder) == packaged_only  # nothing kept for the project's template


def test_code_compiled_from_another_source_is_not_used(tmp_path, cache_folder):
    env = Renderer(Project.load(make_project(tmp_path / "project"))).env
    filename = str(PACKAGE_TEMPLATES / "page-links.html")
    cache = env.bytecode_cache
    bucket = cache.get_bucket(env, "page-links.html", filename, "{{ canonical }}")
    bucket.code = env.compile("{{ canonical }}", "page-links.html", filename)
    cache.set_bucket(bucket)
    assert cache.get_bucket(env, "page-links.html", filename, "{{ canonical }}").code is not None
    assert cache.get_bucket(env, "page-links.html", filename, "{{ other }}").code is None


def test_an_unusable_cache_folder_means_no_cache(tmp_path, monkeypatch):
    def refuse(self):
        raise RuntimeError("Cache directory is not owned by the user")

    monkeypatch.setattr(templatecache.FileSystemBytecodeCache, "_get_default_cache_dir", refuse)
    root = make_project(tmp_path / "project")
    assert Renderer(Project.load(root)).env.bytecode_cache is None
    build(root)
    assert (root / "output" / "index.html").is_file()
