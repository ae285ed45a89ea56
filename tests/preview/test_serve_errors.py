"""The preview outlives any one failure: an unexpected error keeps the last good pages and is
shown; the settings are read again only when setup.cfg changed."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import pipeline.build.site
import pipeline.project
from helpers.build import SLUG, make_project
from pipeline.preview.server import PreviewSite, make_server


def test_an_unexpected_error_keeps_the_last_good_pages_and_is_shown(tmp_path: Path, monkeypatch) -> None:
    site = PreviewSite(make_project(tmp_path / "site"), tmp_path / "preview")
    assert [e.kind for e in site.rebuild()][0] == "built"
    page = tmp_path / "preview" / "ar" / SLUG / "index.html"
    before = page.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("the disk said no")

    monkeypatch.setattr(pipeline.build.site, "build_site", broken)
    events = site.rebuild()
    assert [e.kind for e in events] == ["error"]
    assert "RuntimeError: the disk said no" in events[0].message
    assert site.snapshot()["errors"] == [events[0].message]
    assert page.read_bytes() == before

    monkeypatch.undo()
    assert [e.kind for e in site.rebuild()][0] == "built"
    assert site.snapshot()["errors"] == []


def test_the_settings_are_read_again_only_when_setup_cfg_changed(tmp_path: Path, monkeypatch) -> None:
    root = make_project(tmp_path / "site")
    reads = []
    real = pipeline.project.load_settings
    monkeypatch.setattr(pipeline.project, "load_settings", lambda *args: reads.append(args) or real(*args))
    site = PreviewSite(root, tmp_path / "preview")
    first = site.project()
    assert site.project().settings is first.settings
    assert len(reads) == 1
    cfg = root / "setup.cfg"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("Careers in data", "Careers in data, again"), encoding="utf-8")
    assert site.project().settings.site_name == "Careers in data, again"
    assert len(reads) == 2


def test_an_unexpected_error_of_the_status_page_is_an_answer(tmp_path: Path, monkeypatch) -> None:
    site = PreviewSite(make_project(tmp_path / "site"), tmp_path / "preview")
    (tmp_path / "preview").mkdir()

    def broken(self):
        raise RuntimeError("no figures today")

    monkeypatch.setattr(PreviewSite, "status_page", broken)
    server = make_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/__status", timeout=10)
        assert raised.value.code == 500
        assert "RuntimeError: no figures today" in raised.value.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
