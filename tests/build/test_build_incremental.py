"""Incremental, parallel and sharded builds: only what changed is rebuilt, and the output never depends on how.

What was rebuilt is read from the BuildResult (``PageResult.rendered``), never from timing.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

from helpers.build import SLUG, build, make_site
from pipeline.build.index import merge_shards
from pipeline.build.state import MANIFEST_NAME, Shard
from pipeline.cli import main
from pipeline.formats.po import read_catalog, write_catalog
from pipeline.project import Project

def site_digest(folder: Path) -> dict[str, str]:
    """Every published file and its hash; the build's own records (dotfiles) left out."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def published_pairs(result) -> set[tuple[str, str]]:
    return {(p.slug, p.locale) for p in result.pages if p.published}


def test_a_build_after_no_change_rebuilds_nothing(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    first = build(root)
    assert len(first.rendered) == len(first.pages) >= 6
    assert (root / "output" / MANIFEST_NAME).is_file()

    second = build(root)

    assert second.rendered == []
    assert [(p.slug, p.locale, p.completion, p.published, p.fallbacks) for p in second.pages] == [
        (p.slug, p.locale, p.completion, p.published, p.fallbacks) for p in first.pages
    ]
    assert [str(w) for w in second.warnings] == [str(w) for w in first.warnings]


def test_saving_one_catalog_rebuilds_only_that_article_in_that_locale(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    build(root)
    catalog = root / "locales" / "zh_CN" / "LC_MESSAGES" / "second-article.po"
    catalog.write_bytes(b"# saved again in an editor\n" + catalog.read_bytes())

    result = build(root)

    assert result.rendered == [("second-article", "zh_CN")]


def test_a_catalog_crossing_the_threshold_rebuilds_that_articles_switchers(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    before = build(root)
    assert ("second-article", "zh_CN") in published_pairs(before)
    path = root / "locales" / "zh_CN" / "LC_MESSAGES" / "second-article.po"
    catalog = read_catalog(path)
    for message in catalog:
        if message.id:
            message.string = ""  # the translator starts over: 0 %
    write_catalog(path, catalog)

    result = build(root)

    still_published = {loc for slug, loc in published_pairs(result) if slug == "second-article"}
    assert "zh_CN" not in still_published
    assert set(result.rendered) == {("second-article", loc) for loc in still_published}
    page = (root / "output" / "en" / "second-article" / "index.html").read_text(encoding="utf-8")
    assert "/zh-CN/second-article/" not in page  # the switcher no longer offers it
    assert not (root / "output" / "zh-CN" / "second-article" / "index.html").exists()


def test_a_template_or_settings_change_rebuilds_everything(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    first = build(root)
    everything = set(first.rendered)

    templates = root / "templates"
    templates.mkdir()
    packaged = Path(__file__).resolve().parents[2] / "pipeline" / "templates" / "article.html"
    (templates / "article.html").write_text(
        packaged.read_text(encoding="utf-8") + "{# the site's own copy #}\n", encoding="utf-8"
    )
    assert set(build(root).rendered) == everything

    settings = root / "setup.cfg"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("Careers in data", "Data careers"), encoding="utf-8"
    )
    assert set(build(root).rendered) == everything
    assert build(root).rendered == []


def test_a_lost_output_page_is_rebuilt(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    build(root)
    (root / "output" / "en" / "third-article" / "index.html").unlink()

    assert build(root).rendered == [("third-article", "en")]


def test_the_union_of_shards_equals_a_full_build(tmp_path: Path) -> None:
    full = make_site(tmp_path / "full")
    build(full)
    merged = tmp_path / "merged"
    owners: dict[tuple[str, str], int] = {}
    for number in (1, 2, 3):  # three machines, each with a checkout of the same site
        machine = make_site(tmp_path / f"machine-{number}")
        outcome = CliRunner().invoke(main, ["build", "--project", str(machine), "-q", "--shard", f"{number}/3"])
        assert outcome.exit_code == 0, outcome.output
        assert not (machine / "output" / "index.html").exists()
        for path in (machine / "output").glob("*/*/index.html"):
            owners[(path.parent.name, path.parent.parent.name)] = number
        shutil.copytree(machine / "output", merged, dirs_exist_ok=True)
    assert len(set(owners.values())) > 1  # the work was really split

    merge_shards(Project.load(full), output_dir=merged)

    assert site_digest(merged) == site_digest(full / "output")


def test_shards_cover_every_page_once_and_keep_an_articles_locales_together() -> None:
    pairs = [(f"article-{i:03d}", loc) for i in range(200) for loc in ("en", "fr", "zh_CN")]
    shares = [Shard.parse(f"{k}/4").select(reversed(pairs)) for k in range(1, 5)]
    assert sorted(p for share in shares for p in share) == sorted(pairs)  # each page exactly once
    assert all(len(share) == 150 for share in shares)
    split_articles = {slug for slug, _ in pairs if sum(any(p[0] == slug for p in s) for s in shares) > 1}
    assert len(split_articles) <= 3  # only at the boundaries


def test_two_jobs_give_the_same_output_as_one(tmp_path: Path) -> None:
    one = make_site(tmp_path / "one")
    two = make_site(tmp_path / "two")
    single = build(one, jobs=1)

    parallel = build(two, jobs=2)

    assert site_digest(two / "output") == site_digest(one / "output")
    assert [(p.slug, p.locale) for p in parallel.pages] == [(p.slug, p.locale) for p in single.pages]
    assert build(two, jobs=2).rendered == []


def test_the_command_reports_up_to_date_pages_and_takes_jobs(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--project", str(root), "--jobs", "2"])
    assert first.exit_code == 0, first.output

    again = runner.invoke(main, ["build", "--project", str(root)])

    assert again.exit_code == 0, again.output
    assert "up to date, not rebuilt" in again.output
    assert "index.html  (" not in again.output  # no line per unchanged page
    bad = runner.invoke(main, ["build", "--project", str(root), "--shard", "4/3"])
    assert bad.exit_code == 2 and "--shard" in bad.output


def test_a_partial_build_keeps_the_other_pages_up_to_date(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    build(root)
    catalog = root / "locales" / "zh_CN" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog.write_bytes(b"# saved\n" + catalog.read_bytes())

    assert build(root, slugs=[SLUG], locales=["zh_CN"]).rendered == [(SLUG, "zh_CN")]  # what serve does
    assert build(root).rendered == []


def test_jobs_auto_gives_the_same_output_as_one_process(tmp_path: Path, monkeypatch) -> None:
    import pipeline.build.pool as build_module

    one = make_site(tmp_path / "one")
    auto = make_site(tmp_path / "auto")
    single = build(one, jobs=1)
    # a pool as soon as one article is built, on two CPUs, whatever this machine has
    monkeypatch.setattr(build_module, "AUTO_POOL_AFTER_PAGES", 1)
    monkeypatch.setattr(build_module, "AUTO_POOL_MIN_ARTICLES", 1)
    monkeypatch.setattr(build_module, "available_cpus", lambda: 2)
    pools: list[int] = []
    real_pool = build_module._run_in_pool

    def counted_pool(plan, works, processes, renderer):  # the real pool, counted
        pools.append(processes)
        return real_pool(plan, works, processes, renderer)

    monkeypatch.setattr(build_module, "_run_in_pool", counted_pool)

    pooled = build(auto, jobs=None)

    assert pools == [2]  # the pool really ran: otherwise this test would compare one process with itself

    assert site_digest(auto / "output") == site_digest(one / "output")
    assert [(p.slug, p.locale) for p in pooled.pages] == [(p.slug, p.locale) for p in single.pages]
    assert build_module._worker_renderer is None  # this process does not keep the workers' renderer
    assert build(auto, jobs=None).rendered == []


def test_jobs_come_from_the_settings_and_the_flag(tmp_path: Path) -> None:
    from pipeline.build.plan import site_hash_of
    from pipeline.build.rendering import stylesheet_bytes

    root = make_site(tmp_path / "site")
    project = Project.load(root)
    assert project.settings.jobs is None  # auto by default
    cfg = root / "setup.cfg"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("[pipeline]\n", "[pipeline]\njobs = 3\n"), encoding="utf-8")
    with_jobs = Project.load(root)
    assert with_jobs.settings.jobs == 3
    # how many processes build a page does not change the page: nothing is rebuilt for it
    hashes = [site_hash_of(p, "", False, False, stylesheet_bytes(p)) for p in (project, with_jobs)]
    assert hashes[0] == hashes[1]

    cfg.write_text(text.replace("[pipeline]\n", "[pipeline]\njobs = many\n"), encoding="utf-8")
    runner = CliRunner()
    bad_setting = runner.invoke(main, ["build", "--project", str(root)])
    assert bad_setting.exit_code == 1 and "[pipeline] jobs: 'many'" in bad_setting.output
    cfg.write_text(text, encoding="utf-8")
    bad_flag = runner.invoke(main, ["build", "--project", str(root), "--jobs", "0"])
    assert bad_flag.exit_code == 2 and "--jobs" in bad_flag.output
    good = runner.invoke(main, ["build", "--project", str(root), "--jobs", "auto"])
    assert good.exit_code == 0, good.output


def test_a_page_left_out_of_a_partial_build_is_rebuilt_after_its_catalog_changed(tmp_path: Path) -> None:
    # The article-level key lets a no-change build skip each page's hash; a partial
    # build must not record it, or the next full build would trust ar's old page.
    root = make_site(tmp_path / "site")
    build(root)
    catalog = root / "locales" / "ar" / "LC_MESSAGES" / f"{SLUG}.po"
    saved = catalog.read_bytes()
    catalog.write_bytes(b"# saved\n" + saved)

    assert build(root, slugs=[SLUG], locales=["zh_CN"]).rendered == []  # zh_CN's inputs did not change
    assert build(root).rendered == [(SLUG, "ar")]
    assert build(root).rendered == []
    catalog.write_bytes(saved)  # back to the bytes of the first build
    assert build(root).rendered == [(SLUG, "ar")]


def test_a_manifest_of_an_older_format_rebuilds_every_page_once_and_is_written_anew(tmp_path: Path) -> None:
    """Version 2 recorded completions counted before :mod:`pipeline.completion` (refused translations
    counted, figures not floored): reusing them would publish on an old figure."""
    import json

    root = make_site(tmp_path / "site")
    first = build(root)
    path = root / "output" / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["version"] == 3 and all(isinstance(r, list) for r in manifest["pages"].values())
    manifest["version"] = 2
    path.write_text(json.dumps(manifest), encoding="utf-8")

    assert sorted(build(root).rendered) == sorted(first.rendered)

    again = json.loads(path.read_text(encoding="utf-8"))
    assert again["version"] == 3
    assert build(root).rendered == []


def test_a_damaged_page_record_rebuilds_its_page(tmp_path: Path) -> None:
    import json

    root = make_site(tmp_path / "site")
    build(root)
    path = root / "output" / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["pages"][f"{SLUG}\tar"] = ["cut", "short"]
    path.write_text(json.dumps(manifest), encoding="utf-8")

    assert build(root).rendered == [(SLUG, "ar")]
    assert build(root).rendered == []
