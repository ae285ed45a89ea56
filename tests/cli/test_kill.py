"""``update`` and ``build`` killed with SIGKILL at many moments lose nothing and half-write nothing.

Each kill is a real process: a fork of the test process (which has already
imported the pipeline, so a run costs only its work) that runs the command as
the CLI does and is SIGKILLed either

* right after its Nth atomic write, for every N (the crash point ``write`` of
  :mod:`pipeline.crashpoints`, armed through ``PIPELINE_CRASH_AT``): every
  moment between two writes, and
* after a random delay within the command's measured duration: moments in the
  middle of a write, a parse or a render.

After each kill every catalog must parse and still hold every translation it
held before (``update``), and every page must be exactly its old or its new
version, complete HTML (``build``). The project is then restored from a
pristine copy so that every kill interrupts a full run.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from lxml import html

from pipeline.crashpoints import CRASH_AT_ENV
from pipeline.formats.po import read_catalog
from helpers.robustness import make_big_project, translate_all, write_article

#: Whole module: real processes killed many times (see setup.cfg's markers).
pytestmark = pytest.mark.slow

ARTICLES = 4
LOCALES = ("fr", "de")
MIN_KILLS = 50
SEED = int(os.environ.get("KILL_TEST_SEED", "20251124"))


def run_forked(args: list[str], kill_after_writes: int | None = None, kill_after_seconds: float | None = None) -> int:
    """Run ``pipeline ARGS`` in a forked process; returns its wait status (killed or exited)."""
    pid = os.fork()
    if pid == 0:  # the child: run the command as `pipeline` does, never return into pytest
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            if kill_after_writes is not None:
                os.environ[CRASH_AT_ENV] = f"write:{kill_after_writes}"  # read by main() as it starts
            from pipeline.cli import main

            main(args, prog_name="pipeline", standalone_mode=False)
            os._exit(0)
        except BaseException:
            os._exit(1)
    if kill_after_seconds is not None:
        time.sleep(kill_after_seconds)  # the random moment of the kill, not a wait for something
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status = os.waitpid(pid, 0)
    return status


def was_killed(status: int) -> bool:
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def restore(folder: Path, pristine: Path) -> None:
    shutil.rmtree(folder)
    shutil.copytree(pristine, folder)


def kill_many(args: list[str], writes: int, duration: float, check, reset) -> dict[str, int]:
    """Kill after each write count, then at random moments, until MIN_KILLS kills; check after each."""
    rng = random.Random(SEED)
    kills = {"after a write": 0, "at a random moment": 0, "finished first": 0}
    for n in range(1, writes + 1):
        status = run_forked(args, kill_after_writes=n)
        assert was_killed(status), f"the hook did not stop the command at write {n}"
        kills["after a write"] += 1
        check(f"killed after write {n}")
        reset()
    attempts = 0
    while kills["after a write"] + kills["at a random moment"] < MIN_KILLS + 2:
        attempts += 1
        assert attempts < 200, "the command finishes before almost every random kill"
        delay = rng.uniform(0, duration)
        status = run_forked(args, kill_after_seconds=delay)
        if was_killed(status):
            kills["at a random moment"] += 1
        else:
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
            kills["finished first"] += 1
        check(f"killed after {delay:.3f} s")
        reset()
    return kills


# ---------------------------------------------------------------------------
# update
# ---------------------------------------------------------------------------


def translations_in(path: Path) -> list[str]:
    """Every translation a catalog holds, active or obsolete."""
    catalog = read_catalog(path)
    held = [m.string for m in catalog if m.id and m.string]
    held += [m.string for m in catalog.obsolete.values() if m.string]
    return [s if isinstance(s, str) else "\x00".join(s) for s in held]


@pytest.fixture(scope="module")
def update_project(tmp_path_factory):
    """Translated catalogs, then changed documents and templates: `update` has work in every catalog."""
    root = make_big_project(tmp_path_factory.mktemp("kill-update") / "site", ARTICLES, LOCALES)
    for number in range(ARTICLES):
        write_article(root, number, variant=1)
    from pipeline.extract import extract
    from pipeline.project import Project

    project = Project.load(root)
    extract(project, project.resolve_slugs([]))
    pristine = root.parent / "locales-pristine"
    shutil.copytree(root / "locales", pristine)
    return root, pristine


def test_update_killed_at_any_moment_keeps_every_translation(update_project) -> None:
    root, pristine = update_project
    locales = root / "locales"
    before = {p.relative_to(pristine): translations_in(p) for p in sorted(pristine.rglob("*.po"))}
    assert len(before) == len(LOCALES) * (ARTICLES + 1)

    started = time.monotonic()
    assert os.WEXITSTATUS(run_forked(["update", "--project", str(root)])) == 0
    duration = time.monotonic() - started
    updated = {p.relative_to(locales): p.read_bytes() for p in locales.rglob("*.po")}
    changed = [p for p in updated if updated[p] != (pristine / p).read_bytes()]
    assert len(changed) == len(LOCALES) * ARTICLES  # every article catalog is rewritten: the kills have work to cut
    restore(locales, pristine)

    def check(when: str) -> None:
        for relative, held in before.items():
            path = locales / relative
            now = translations_in(path)  # parses, or raises
            lost = [s for s in held if s not in now]
            assert not lost, f"{when}: {relative} lost {len(lost)} translations, e.g. {lost[0]!r}"
            assert path.read_bytes() in ((pristine / relative).read_bytes(), updated[relative]), (
                f"{when}: {relative} is neither the old nor the updated catalog"
            )
        for leftover in locales.rglob("*"):
            assert not leftover.name.endswith(".po") or not leftover.name.startswith("."), leftover

    kills = kill_many(["update", "--project", str(root)], len(changed), duration, check, lambda: restore(locales, pristine))
    assert kills["after a write"] + kills["at a random moment"] >= MIN_KILLS, kills
    # The catalogs pass GNU gettext's own check after a kill in the middle, too.
    run_forked(["update", "--project", str(root)], kill_after_writes=len(changed) // 2)
    for path in locales.rglob("*.po"):
        subprocess.run(["msgfmt", "--check-format", "-o", os.devnull, str(path)], check=True)


# ---------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------


def site_files(output: Path) -> dict[Path, bytes]:
    return {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def build_project(tmp_path_factory):
    """A built site, then new translations: `build` rewrites every translated page."""
    root = make_big_project(tmp_path_factory.mktemp("kill-build") / "site", ARTICLES, LOCALES)
    assert os.WEXITSTATUS(run_forked(["build", "--project", str(root)])) == 0
    old = site_files(root / "output")
    pristine = root.parent / "output-pristine"
    shutil.copytree(root / "output", pristine)
    for locale in LOCALES:
        translate_all(root, locale, mark=f"{locale} v2")
    return root, pristine, old


def test_build_killed_at_any_moment_leaves_whole_pages(build_project) -> None:
    root, pristine, old = build_project
    output = root / "output"
    started = time.monotonic()
    assert os.WEXITSTATUS(run_forked(["build", "--project", str(root)])) == 0
    duration = time.monotonic() - started
    new = site_files(output)
    assert set(new) == set(old)
    rewritten = [p for p in new if new[p] != old[p]]
    assert len(rewritten) >= len(LOCALES) * ARTICLES
    restore(output, pristine)

    def check(when: str) -> None:
        for path in output.rglob("*"):
            if not path.is_file() or path.name.endswith(".tmp"):
                continue  # a temporary file cut short: never served under a page's name
            relative = path.relative_to(output)
            data = path.read_bytes()
            if path.name == ".build-manifest.json":  # the build's own records, with input stats of its run's time
                assert json.loads(data)["version"], f"{when}: {relative} is cut short"
                continue
            assert data in (old[relative], new[relative]), f"{when}: {relative} is neither the old nor the new page"
            if path.suffix == ".html":
                assert data.rstrip().endswith(b"</html>"), f"{when}: {relative} is cut short"
                assert html.fromstring(data).find("body") is not None
        present = {p.relative_to(output) for p in output.rglob("*") if p.is_file() and not p.name.endswith(".tmp")}
        assert present == set(old), f"{when}: pages missing: {sorted(set(old) - present)[:3]}"

    kills = kill_many(["build", "--project", str(root)], len(rewritten), duration, check, lambda: restore(output, pristine))
    assert kills["after a write"] + kills["at a random moment"] >= MIN_KILLS, kills
