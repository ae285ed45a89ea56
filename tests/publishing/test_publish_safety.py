"""``publish`` owns only what it made: where it may publish, whose files it may replace, what it reads.

Each test is a reproducer of a way publish destroyed or hung on a user's
files: publishing to the project (or a folder holding it, or one inside it)
deleted everything it did not make; a non-empty folder lost its files; links
and FIFOs in DEST were followed and read (a link to /dev/zero grew it without
end, a FIFO hung it); a lock file stayed beside DEST.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.build import SLUG, make_project
from pipeline.cli import main
from pipeline.publishing.webroot import MARKER_NAME
from helpers.publishing import BASE, fix_broken_translation, tree_hash


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "site", extra="[pipeline:thresholds]\nfr = 20\n")
    fix_broken_translation(root)
    return root


def run(project: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["publish", "--project", str(project), "--base-url", BASE, *args], env=env)


def publish_process(project: Path, dest: Path, *args: str) -> subprocess.CompletedProcess:
    """A real process with a time limit: a publish that blocks on a FIFO fails instead of hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "publish", "--project", str(project), "--base-url", BASE, str(dest), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


# ---------------------------------------------------------------------------
# Where: never the project, a folder holding it, a folder in it, home or /
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["the project", "its parent", "locales", "output"])
def test_refuses_the_project_a_folder_holding_it_and_one_inside_it(project: Path, where: str) -> None:
    dest = {
        "the project": project,
        "its parent": project.parent,
        "locales": project / "locales",
        "output": project / "output",
    }[where]
    (project / ".pipeline.lock").touch()  # the project lock's file, which any command makes
    before = tree_hash(project.parent)
    result = run(project, str(dest))
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert "\n" not in message and "refusing to publish" in message and "project" in message
    assert tree_hash(project.parent) == before


def test_refuses_the_home_folder_a_folder_holding_it_and_the_root(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "users" / "someone"
    home.mkdir(parents=True)
    (home / "notes.txt").write_text("mine")
    for dest, reason in ((home, "home"), (home.parent, "home"), (Path("/"), "root folder")):
        result = run(project, str(dest), env={"HOME": str(home)})
        assert result.exit_code == 2, (dest, result.output)
        assert reason in result.output and "\n" not in result.output.strip()
    assert (home / "notes.txt").read_text() == "mine"
    inside_home = home / "www"  # a web root in the home folder is fine
    assert run(project, str(inside_home), env={"HOME": str(home)}).exit_code == 0


# ---------------------------------------------------------------------------
# Whose: a folder it did not publish to, and other people's files
# ---------------------------------------------------------------------------


def someone_elses_folder(tmp_path: Path) -> Path:
    dest = tmp_path / "theirs"
    (dest / "photos").mkdir(parents=True)
    (dest / "photos" / "cat.jpg").write_bytes(b"\xff\xd8 a cat")
    (dest / "notes.txt").write_text("keep me")
    (dest / "en").mkdir()
    (dest / "en" / "mine.html").write_text("<p>my page</p>")
    return dest


def test_a_non_empty_folder_it_did_not_publish_to_is_refused(project: Path, tmp_path: Path) -> None:
    dest = someone_elses_folder(tmp_path)
    before = tree_hash(dest)
    for args in ((), ("--dry-run",)):
        result = run(project, str(dest), *args)
        assert result.exit_code == 1, result.output
        assert "did not write" in result.output and "--force" in result.output
        assert tree_hash(dest) == before


def test_force_publishes_beside_other_files_and_later_removes_only_its_own(project: Path, tmp_path: Path) -> None:
    dest = someone_elses_folder(tmp_path)
    theirs = {k: v for k, v in tree_hash(dest).items() if v != "dir"}
    result = run(project, str(dest), "--force")
    assert result.exit_code == 0, result.output
    after = tree_hash(dest)
    assert all(after[path] == digest for path, digest in theirs.items())  # every file of theirs, as it was
    assert (dest / "fr" / SLUG / "index.html").is_file()
    owned = (dest / MARKER_NAME).read_text(encoding="utf-8").splitlines()
    assert f"fr/{SLUG}/index.html" in owned and "notes.txt" not in owned
    # fr falls below its threshold: its page goes, their files stay
    cfg = project / "setup.cfg"
    cfg.write_text(cfg.read_text().replace("fr = 20", "fr = 90"))
    again = run(project, str(dest))  # the marker makes it ours: no --force needed
    assert again.exit_code == 0, again.output
    assert f"removed: fr/{SLUG}/index.html" in again.output
    assert not (dest / "fr").exists()
    assert all(tree_hash(dest)[path] == digest for path, digest in theirs.items())


def test_a_file_of_someone_else_where_the_site_has_a_page_needs_force(project: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    assert run(project, str(dest)).exit_code == 0
    (dest / "extra.html").write_text("added by hand")  # kept: not where the site has a page
    page = dest / "en" / SLUG / "index.html"
    page.write_text("edited by hand")  # listed as ours: the next publish replaces it without asking
    marker = dest / MARKER_NAME
    lines = marker.read_text(encoding="utf-8").splitlines()
    lines.remove("index.html")  # as if someone else had put index.html there
    marker.write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = dest / "index.html"
    index.write_text("their index")
    refused = run(project, str(dest))
    assert refused.exit_code == 1 and "index.html" in refused.output and "--force" in refused.output
    assert index.read_text() == "their index"
    forced = run(project, str(dest), "--force")
    assert forced.exit_code == 0, forced.output
    assert "replaced (--force) a file publish did not write: index.html" in forced.output
    assert index.read_text() != "their index"
    assert (dest / "extra.html").read_text() == "added by hand"
    assert page.read_text() != "edited by hand"


# ---------------------------------------------------------------------------
# What is read: links and special files in DEST are never opened
# ---------------------------------------------------------------------------


def test_a_fifo_and_a_link_to_a_fifo_in_dest_are_never_opened(project: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    assert run(project, str(dest)).exit_code == 0
    outside = tmp_path / "outside-fifo"
    os.mkfifo(outside)
    os.mkfifo(dest / "pipe")
    (dest / "en" / "through-a-link").symlink_to(outside)
    for args in (("--dry-run",), ()):
        done = publish_process(project, dest, *args)  # opening either would block until the time limit
        assert done.returncode == 0, done.stderr
        assert "left alone, never read: pipe (a FIFO)" in done.stdout
        assert "en/through-a-link (a symbolic link)" in done.stdout
    assert (dest / "pipe").is_fifo() and os.readlink(dest / "en" / "through-a-link") == str(outside)


def test_a_link_to_dev_zero_in_dest_is_never_read(project: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    assert run(project, str(dest)).exit_code == 0
    (dest / "zero").symlink_to("/dev/zero")
    (dest / MARKER_NAME).write_text((dest / MARKER_NAME).read_text() + "zero\n")  # even listed as ours
    for args in (("--dry-run",), ()):
        done = publish_process(project, dest, *args)
        assert done.returncode == 0, done.stderr
        assert "zero (a symbolic link)" in done.stdout
    assert os.readlink(dest / "zero") == "/dev/zero"


# ---------------------------------------------------------------------------
# Leftovers: no lock file beside DEST
# ---------------------------------------------------------------------------


def test_no_lock_file_is_left_beside_dest_and_an_old_one_is_removed(project: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    (tmp_path / ".www.publish-lock").write_text("")  # what earlier versions left
    result = run(project, str(dest))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "www"]


def test_a_file_of_someone_else_where_the_site_needs_a_folder_needs_force(project: Path, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    assert run(project, str(dest)).exit_code == 0
    for folder in (dest / "ar", dest / "zh-CN"):
        shutil.rmtree(folder)
    (dest / "ar").write_text("a file named like a language folder")
    (dest / "zh-CN").mkdir()
    (dest / "zh-CN" / SLUG).write_text("a file named like an article folder")
    refused = run(project, str(dest))
    assert refused.exit_code == 1 and "ar, zh-CN/" in refused.output, refused.output
    forced = run(project, str(dest), "--force")
    assert forced.exit_code == 0, forced.output
    assert (dest / "ar" / SLUG / "index.html").is_file() and (dest / "zh-CN" / SLUG / "index.html").is_file()
