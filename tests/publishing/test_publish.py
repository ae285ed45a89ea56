"""``pipeline publish``: what is published, refusals, dry run, and atomicity under SIGKILL."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html

from helpers.build import SLUG, make_project
from helpers.publishing import BASE, fix_broken_translation, tree_hash
from pipeline.cli import main
from pipeline.crashpoints import CRASH_AT_ENV
from pipeline.publishing.publish import staging_path
from pipeline.publishing.webroot import MARKER_NAME

def run(project: Path, *args: str):
    return CliRunner().invoke(main, ["publish", "--project", str(project), *args])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "site", extra="[pipeline:thresholds]\nfr = 20\n")


def mark_published(dest: Path, *paths: str) -> None:
    """Record ``paths`` as written by an earlier publish (the marker lists what publish owns)."""
    (dest / MARKER_NAME).write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")


def web_root(tmp_path: Path) -> Path:
    """A pages-branch checkout: .git, .nojekyll, CNAME, and a page of an old publish."""
    dest = tmp_path / "www"
    (dest / ".git" / "objects").mkdir(parents=True)
    (dest / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (dest / ".git" / "objects" / "ab").write_bytes(b"\x00object")
    (dest / ".nojekyll").write_text("")
    (dest / "CNAME").write_text("example.org\n")
    (dest / "de" / SLUG).mkdir(parents=True)
    (dest / "de" / SLUG / "index.html").write_text("<p>old German page</p>")
    mark_published(dest, f"de/{SLUG}/index.html")
    return dest


def test_refuses_without_base_url_and_on_catalog_errors(project: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    result = run(project, str(dest))
    assert result.exit_code == 1 and "no base URL" in result.output and "--base-url" in result.output
    result = run(project, str(dest), "--base-url", BASE)
    assert result.exit_code == 1
    assert "pipeline check" in result.output and f"{SLUG}.po:" in result.output and "[markup]" in result.output
    assert not dest.exists()
    assert "Traceback" not in result.output


def test_publishes_only_published_locales_with_absolute_urls_and_keeps_dotfiles(project: Path, tmp_path: Path) -> None:
    fix_broken_translation(project)
    dest = web_root(tmp_path)
    git_before = tree_hash(dest / ".git")
    result = run(project, str(dest), "--base-url", BASE + "/")
    assert result.exit_code == 0, result.output
    assert f"added: fr/{SLUG}/index.html" in result.output
    assert f"removed: de/{SLUG}/index.html" in result.output
    assert not (dest / "de").exists()
    assert tree_hash(dest / ".git") == git_before
    assert (dest / "CNAME").read_text() == "example.org\n" and (dest / ".nojekyll").exists()
    tags = sorted(p.parent.parent.name for p in dest.glob("*/*/index.html"))
    assert tags == ["ar", "en", "fr", "zh-CN"]
    page = html.fromstring((dest / "zh-CN" / SLUG / "index.html").read_bytes())
    assert page.xpath('//link[@rel="canonical"]/@href') == [f"{BASE}/zh-CN/{SLUG}/"]
    assert all(h.startswith(BASE + "/") for h in page.xpath('//link[@rel="alternate"]/@href'))
    # no preview script (issue 18: the JSON-LD metadata is the page's one script element)
    assert not page.xpath('//script[not(@type="application/ld+json")]') and not page.xpath('//meta[@name="robots"]')
    assert f"<loc>{BASE}/en/{SLUG}/</loc>" in (dest / "sitemap.xml").read_text()
    assert not staging_path(dest).exists()


def test_a_locale_that_falls_below_the_threshold_is_removed(project: Path, tmp_path: Path) -> None:
    fix_broken_translation(project)
    dest = tmp_path / "www"
    assert run(project, str(dest), "--base-url", BASE).exit_code == 0
    assert (dest / "fr" / SLUG / "index.html").is_file()
    cfg = project / "setup.cfg"
    cfg.write_text(cfg.read_text().replace("fr = 20", "fr = 90"))
    result = run(project, str(dest), "--base-url", BASE)
    assert f"removed: fr/{SLUG}/index.html" in result.output
    assert not (dest / "fr").exists()
    assert 'hreflang="fr"' not in (dest / "en" / SLUG / "index.html").read_text()


def test_pseudo_locales_and_drafts_are_never_published(project: Path, tmp_path: Path) -> None:
    fix_broken_translation(project)
    assert CliRunner().invoke(main, ["extract", "--project", str(project)]).exit_code == 0
    assert CliRunner().invoke(main, ["pseudo", "--project", str(project)]).exit_code == 0
    dest = tmp_path / "www"
    assert run(project, str(dest), "--base-url", BASE).exit_code == 0
    assert sorted(p.name for p in dest.iterdir() if p.is_dir()) == ["ar", "en", "fr", "zh-CN"]


def test_dry_run_prints_the_changes_and_leaves_dest_untouched(project: Path, tmp_path: Path) -> None:
    fix_broken_translation(project)
    dest = web_root(tmp_path)
    before = tree_hash(dest)
    result = run(project, str(dest), "--base-url", BASE, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would be added: en/{SLUG}/index.html" in result.output
    assert f"would be removed: de/{SLUG}/index.html" in result.output
    assert "untouched" in result.output
    assert tree_hash(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "www"]


def test_second_publish_reports_changes_only(project: Path, tmp_path: Path) -> None:
    fix_broken_translation(project)
    dest = tmp_path / "www"
    run(project, str(dest), "--base-url", BASE)
    catalog = project / "locales" / "ar" / "LC_MESSAGES" / f"{SLUG}.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgstr "جدولة المهام"', 'msgstr "جدولة الأعمال"'), encoding="utf-8")
    result = run(project, str(dest), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert f"changed: ar/{SLUG}/index.html" in result.output
    assert "(0 added, 1 changed, 0 removed)" in result.output


# ---------------------------------------------------------------------------
# Atomicity: SIGKILL at every step, and at random times
# ---------------------------------------------------------------------------


def publish_process(project: Path, dest: Path, crash_at: int | None = None) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop(CRASH_AT_ENV, None)
    if crash_at is not None:
        env[CRASH_AT_ENV] = f"publish-step:{crash_at}"
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "publish", "--project", str(project), str(dest), "--base-url", BASE],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def crash_setup(project: Path, tmp_path: Path):
    """A DEST with an old site and a git checkout, and the tree a complete publish makes of it."""
    fix_broken_translation(project)
    dest = web_root(tmp_path)
    (dest / "en" / SLUG).mkdir(parents=True)
    (dest / "en" / SLUG / "index.html").write_text("<p>old English page</p>")
    mark_published(dest, f"de/{SLUG}/index.html", f"en/{SLUG}/index.html")
    before = tree_hash(dest)
    expected_dest = tmp_path / "expected" / "www"
    shutil.copytree(dest, expected_dest, symlinks=True)
    assert run(project, str(expected_dest), "--base-url", BASE).exit_code == 0
    after = tree_hash(expected_dest)
    assert after != before
    return project, dest, before, after


@pytest.mark.slow
def test_sigkill_at_every_step_leaves_dest_before_or_after(crash_setup) -> None:
    project, dest, before, after = crash_setup
    pristine = dest.parent / "pristine"
    shutil.copytree(dest, pristine, symlinks=True)
    outcomes = []
    step = 1
    while True:
        shutil.rmtree(dest)
        shutil.copytree(pristine, dest, symlinks=True)
        process = publish_process(project, dest, crash_at=step)
        process.communicate(timeout=120)
        state = tree_hash(dest)
        assert state in (before, after), f"step {step}: DEST is neither the old nor the new site"
        outcomes.append("after" if state == after else "before")
        if process.returncode == 0:
            break  # the process ran past its last step
        assert process.returncode == -signal.SIGKILL
        # The next run recovers what the crash left beside DEST and completes.
        again = publish_process(project, dest)
        _, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        assert tree_hash(dest) == after
        assert not staging_path(dest).exists()
        step += 1
    # The crash points covered both sides of the swap.
    assert "before" in outcomes[:-1] and "after" in outcomes[:-1], outcomes
    assert step >= 8


@pytest.mark.slow
def test_sigkill_at_random_times_leaves_dest_before_or_after(crash_setup) -> None:
    """Kills at unannounced moments (inside the build, while linking, while deleting the old tree)."""
    project, dest, before, after = crash_setup
    pristine = dest.parent / "pristine"
    shutil.copytree(dest, pristine, symlinks=True)
    rng = random.Random(6)
    # How long a whole publish takes here, to spread the kills over it.
    import time

    started = time.monotonic()
    process = publish_process(project, dest)
    process.communicate(timeout=120)
    duration = time.monotonic() - started
    assert tree_hash(dest) == after
    seen = set()
    for _ in range(12):
        shutil.rmtree(dest)
        shutil.copytree(pristine, dest, symlinks=True)
        process = publish_process(project, dest)
        try:
            process.communicate(timeout=rng.uniform(0.05, duration))
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
        state = tree_hash(dest)
        assert state in (before, after)
        seen.add("after" if state == after else "before")
    assert "before" in seen
