"""The packaged templates' strings kept between runs give the catalog a fresh extraction gives."""

from __future__ import annotations

from pipeline import templatestrings
from pipeline.extract import format_site_template, site_template
from pipeline.project import Project


def _site_pot(root) -> bytes:
    return format_site_template(site_template(Project.load(root)))


def test_kept_strings_give_the_same_catalog_and_a_damaged_file_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "project").mkdir()
    kept = tmp_path / "cache" / "pipeline" / "template-strings.json"
    fresh = _site_pot(tmp_path / "project")
    assert kept.is_file()
    calls = []
    monkeypatch.setattr(templatestrings, "_entries", lambda entries: calls.append(1) or _real_entries(entries))
    assert _site_pot(tmp_path / "project") == fresh and calls  # read from the kept file
    kept.write_text('{"key": 1}', encoding="utf-8")
    assert _site_pot(tmp_path / "project") == fresh
    kept.write_bytes(kept.read_bytes().replace(b'"messages": {', b'"messages": {"x": [], ', 1))
    assert _site_pot(tmp_path / "project") == fresh


_real_entries = templatestrings._entries
