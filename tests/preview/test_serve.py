"""``pipeline serve``: the preview server, its watcher and its rebuilds (without a browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from helpers.build import SLUG, make_project
from pipeline.project import Project
from pipeline.preview.server import RELOAD_SCRIPT_PATH, Watcher, rebuild_scope
from helpers.serve import ServeProcess, replace_in, wait_for
from helpers.nu_checker import validate

#: Whole module: each test runs `pipeline serve` as a real process (see setup.cfg's markers).
pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "site")


@pytest.fixture
def server(project: Path):
    process = ServeProcess(project)
    yield process
    process.stop()


def catalog(project: Path, locale: str, domain: str = SLUG) -> Path:
    return project / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"


def test_preview_builds_every_locale_with_drafts_and_the_reload_script(server: ServeProcess, project: Path) -> None:
    assert server.state()["build"] == 1
    for tag in ("en", "zh-CN", "ar", "fr"):
        status, text = server.get(f"/{tag}/{SLUG}/")
        assert status == 200
        assert f'<script src="{RELOAD_SCRIPT_PATH}"></script>' in text
    draft = html.fromstring(server.get(f"/fr/{SLUG}/")[1])
    assert draft.xpath('//div[@class="draft-banner"]')
    status, script = server.get(RELOAD_SCRIPT_PATH)
    assert status == 200 and "/__pipeline/state" in script and "location.reload" in script
    # Nothing went to output/: a preview can never be published.
    assert not (project / "output").exists()


def test_saving_an_article_catalog_rebuilds_only_that_page(server: ServeProcess, project: Path) -> None:
    before = server.state()["build"]
    replace_in(catalog(project, "ar"), 'msgstr "جدولة المهام"', 'msgstr "جدولة الأعمال"')
    line = server.wait_line(r"build \d+:")
    assert f"ar/{SLUG} (1 page," in line
    assert server.state()["build"] == before + 1
    assert "جدولة الأعمال" in server.get(f"/ar/{SLUG}/")[1]


def test_site_catalog_or_template_change_rebuilds_all(server: ServeProcess, project: Path) -> None:
    replace_in(catalog(project, "zh_CN", "site"), 'msgstr "跳到正文"', 'msgstr "跳至正文"')
    assert "all pages" in server.wait_line(r"build \d+:")
    assert "跳至正文" in server.get(f"/zh-CN/{SLUG}/")[1]
    templates = project / "templates"
    templates.mkdir()
    (templates / "style.css").write_text("/* project style */\nbody { color: black; }\n")
    assert "all pages" in server.wait_line(r"build \d+:")
    assert server.get("/style.css")[1].startswith("/* project style */")


def test_catalog_error_is_reported_and_the_server_keeps_running(server: ServeProcess, project: Path) -> None:
    path = catalog(project, "ar")
    good = path.read_text(encoding="utf-8")
    path.write_text(good + '\nmsgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    line = server.wait_line(r"^error: ")
    assert str(path) + ":" in line
    state = server.state()
    assert len(state["errors"]) == 1 and str(path) in state["errors"][0]
    assert server.get(f"/ar/{SLUG}/")[0] == 200  # the last good page is still there
    path.write_text(good, encoding="utf-8")
    server.wait_line(r"build \d+:")
    assert wait_for(lambda: server.state()["errors"] == [], what="the error to clear")


def test_a_catalog_crossing_the_threshold_rebuilds_the_switchers_of_every_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", extra="[pipeline:thresholds]\nfr = 25\n")
    server = ServeProcess(project)
    try:
        assert 'hreflang="fr"' not in server.get(f"/en/{SLUG}/")[1]
        replace_in(
            catalog(project, "fr"),
            'msgid "Designing storage systems"\nmsgstr ""',
            'msgid "Designing storage systems"\nmsgstr "Concevoir des systèmes de stockage"',
        )
        # Saved as one catalog, but fr is now published: every page's switcher and the index change.
        server.wait_line(r"build \d+: all pages")
        assert 'hreflang="fr"' in server.get(f"/en/{SLUG}/")[1]
        assert 'hreflang="fr"' in server.get("/index.html")[1]
    finally:
        server.stop()


def test_status_page_is_served_valid_and_links_the_pages(server: ServeProcess, tmp_path: Path) -> None:
    status, text = server.get("/__status")
    assert status == 200
    page = html.fromstring(text)
    assert page.xpath(f'//a[@href="/zh-CN/{SLUG}/"]')
    row = page.xpath(f'//section[@aria-labelledby="locale-zh_CN"]//tr[th="{SLUG}"]')[0]
    assert [c.text_content() for c in row.xpath('td[@class="number"]')] == ["82.6%", "9", "1", "1", "43/52"]  # the refused "Writing <code/> queries" does not count
    widths = row.xpath('.//div[@class="bar"]/span/@style')
    assert len(widths) == 4  # translated, fuzzy, untranslated, translated with errors (not counted)
    saved = tmp_path / "status.html"
    saved.write_text(text, encoding="utf-8")
    assert validate([saved]) == []


def test_stats_html_writes_a_valid_page_linking_built_pages(project: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    CliRunner().invoke(main, ["build", "--project", str(project)])
    target = tmp_path / "reports" / "status.html"
    result = CliRunner().invoke(main, ["stats", "--project", str(project), "--html", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.output
    page = html.fromstring(target.read_bytes())
    hrefs = page.xpath("//td/a/@href")
    assert f"../site/output/zh-CN/{SLUG}/index.html" in hrefs
    assert not any("/fr/" in h for h in hrefs)  # below the threshold: no page built, no link
    assert (target.parent / hrefs[0]).resolve().is_file()
    assert validate([target]) == []
    # The terminal shows the same numbers, with the fuzzy share in the bar.
    terminal = CliRunner().invoke(main, ["stats", "--project", str(project), "-l", "zh_CN"]).output
    assert f"zh_CN    {SLUG}  82.6%  ################~...        9     1     1" in terminal
    assert f"1 translated but not counted: `pipeline check` finds errors at locales/zh_CN/LC_MESSAGES/{SLUG}.po:38" in terminal


def test_rebuild_scope(project: Path) -> None:
    loaded = Project.load(project)
    assert rebuild_scope(loaded, [catalog(project, "ar")]) == {(SLUG, "ar")}
    assert rebuild_scope(loaded, [catalog(project, "ar"), catalog(project, "zh_CN")]) == {(SLUG, "ar"), (SLUG, "zh_CN")}
    assert rebuild_scope(loaded, [catalog(project, "zh_CN", "site")]) is None
    assert rebuild_scope(loaded, [project / "locales" / f"{SLUG}.pot"]) == set()
    assert rebuild_scope(loaded, [project / "templates" / "base.html"]) is None
    assert rebuild_scope(loaded, [project / "source" / SLUG / "article.html"]) is None


def test_watcher_sees_changed_added_and_removed_files(tmp_path: Path) -> None:
    (tmp_path / "a.po").write_text("one")
    watcher = Watcher([tmp_path])
    assert watcher.changes() == set()
    (tmp_path / "a.po").write_text("one two")
    (tmp_path / "b.po").write_text("new")
    (tmp_path / ".a.po.swp").write_text("editor")
    assert watcher.changes() == {tmp_path / "a.po", tmp_path / "b.po"}
    (tmp_path / "b.po").unlink()
    assert watcher.changes() == {tmp_path / "b.po"}


def test_busy_port_is_a_clear_error(project: Path) -> None:
    import socket

    from click.testing import CliRunner

    from pipeline.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--project", str(project), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "--port" in result.output
