"""``build --scheduler``: the pages made on a real Dask cluster (``distributed.LocalCluster``, worker processes).

The cluster's workers get every input in their tasks; the output and the
manifest must be the bytes a local build writes, a worker killed mid-build
must not change them, and a build after no change must send no task.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.build import SLUG, make_project
from pipeline.build.site import BuildOptions, build_site
from pipeline.build.state import MANIFEST_NAME
from pipeline.cli import main
from pipeline.project import Project

distributed = pytest.importorskip("distributed")


def make_site(root: Path, articles: int) -> Path:
    """The sample project with ``articles`` articles, its inputs old enough for the manifest to record their stat."""
    make_project(root)
    for number in range(1, articles):
        slug = f"article-{number}"
        shutil.copytree(root / "source" / SLUG, root / "source" / slug)
        for folder in (root / "locales").glob("*/LC_MESSAGES"):
            shutil.copy2(folder / f"{SLUG}.po", folder / f"{slug}.po")
    an_hour_ago = time.time() - 3600
    for path in root.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    return root


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file of the output, the manifest included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_output(root: Path, expected: dict[str, bytes]) -> None:
    """The output is ``expected`` byte for byte; in the manifest, the inputs' stat records may differ
    only by being there or not (a file is recorded once its change time is a few seconds old: the
    later build records more), and each one is this project's file as it is."""
    got = every_file(root / "output")
    assert got.keys() == expected.keys()
    for name in expected:
        if name != MANIFEST_NAME:
            assert got[name] == expected[name], name
    manifest, local = json.loads(got[MANIFEST_NAME]), json.loads(expected[MANIFEST_NAME])
    files, local_files = manifest.pop("files"), local.pop("files")
    assert manifest == local
    assert local_files.items() <= files.items()
    for key, (size, mtime, ctime, inode, digest) in files.items():
        status = (root / key).stat()
        assert [size, mtime, ctime, inode] == [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
        assert digest == hashlib.sha256((root / key).read_bytes()).hexdigest()


def local_output(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a local build writes, the project left with no output."""
    build_site(Project.load(root), BuildOptions(jobs=1))
    files = every_file(root / "output")
    shutil.rmtree(root / "output")
    return files


class TaskCounter(distributed.diagnostics.plugin.SchedulerPlugin):
    """Counts the tasks the scheduler is given (each starts ``released``)."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def transition(self, key, start, finish, *args, **kwargs) -> None:
        if start == "released":
            self.keys.add(str(key))


class WorkerKiller(distributed.diagnostics.plugin.SchedulerPlugin):
    """SIGKILLs the worker process that is given the first article's task to run."""

    def __init__(self, scheduler) -> None:
        self.scheduler = scheduler
        self.killed: list[int] = []

    def transition(self, key, start, finish, *args, **kwargs) -> None:
        if finish == "processing" and str(key).startswith("pipeline-article") and not self.killed:
            worker = self.scheduler.tasks[key].processing_on
            self.killed.append(worker.pid)
            os.kill(worker.pid, signal.SIGKILL)


def local_cluster():
    return distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
    )


@pytest.fixture(scope="module")
def cluster():
    with local_cluster() as running:
        yield running


@pytest.mark.slow
def test_a_cluster_build_writes_the_bytes_of_a_local_build_and_after_no_change_sends_no_task(cluster, tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", articles=4)
    expected = local_output(root, tmp_path)
    counter = TaskCounter()
    cluster.scheduler.add_plugin(counter, name="count-first")

    first = build_site(Project.load(root), BuildOptions(scheduler=cluster.scheduler_address))

    assert_same_output(root, expected)  # pages, home pages, sitemap, feeds, manifest
    assert MANIFEST_NAME in expected and any(name.endswith("/index.html") for name in expected)
    assert len(first.rendered) == len(first.pages) >= 4 * 2
    assert sum(key.startswith("pipeline-article") for key in counter.keys) == 4
    cluster.scheduler.remove_plugin(name="count-first")

    again = TaskCounter()
    cluster.scheduler.add_plugin(again, name="count-again")
    second = build_site(Project.load(root), BuildOptions(scheduler=cluster.scheduler_address))
    cluster.scheduler.remove_plugin(name="count-again")

    assert again.keys == set()
    assert second.rendered == []
    assert_same_output(root, expected)


@pytest.mark.slow
def test_a_saved_catalog_sends_only_its_article_and_gives_the_local_result(cluster, tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", articles=3)
    build_site(Project.load(root), BuildOptions(jobs=1))
    catalog = root / "locales" / "zh_CN" / "LC_MESSAGES" / "article-2.po"
    catalog.write_bytes(b"# saved again in an editor\n" + catalog.read_bytes())
    mirror = tmp_path / "mirror"
    shutil.copytree(root, mirror, copy_function=shutil.copy2)
    local = build_site(Project.load(mirror), BuildOptions(jobs=1))
    counter = TaskCounter()
    cluster.scheduler.add_plugin(counter, name="count-saved")

    remote = build_site(Project.load(root), BuildOptions(scheduler=cluster.scheduler_address))
    cluster.scheduler.remove_plugin(name="count-saved")

    assert sorted(key.split("-")[2:4] for key in counter.keys if key.startswith("pipeline-article")) == [["article", "2"]]
    assert [(p.slug, p.locale, p.rendered, p.written) for p in remote.pages] == [
        (p.slug, p.locale, p.rendered, p.written) for p in local.pages
    ]
    assert [str(w).replace(str(mirror), str(root)) for w in local.warnings] == [str(w) for w in remote.warnings]
    local_files, remote_files = every_file(mirror / "output"), every_file(root / "output")
    assert local_files.keys() == remote_files.keys()
    for name in local_files:
        if name != MANIFEST_NAME:  # the manifest holds each project's own file times
            assert remote_files[name] == local_files[name], name


@pytest.mark.slow
def test_articles_sent_several_to_a_task_give_the_same_output(cluster, tmp_path: Path, monkeypatch) -> None:
    from pipeline.build import distributed as engine

    monkeypatch.setattr(engine, "TASKS_PER_THREAD", 1)  # two tasks in flight: two articles a task
    root = make_site(tmp_path / "site", articles=5)
    expected = local_output(root, tmp_path)
    counter = TaskCounter()
    cluster.scheduler.add_plugin(counter, name="count-batches")

    build_site(Project.load(root), BuildOptions(scheduler=cluster.scheduler_address))
    cluster.scheduler.remove_plugin(name="count-batches")

    assert sum(key.startswith("pipeline-article") for key in counter.keys) == 3
    assert_same_output(root, expected)


@pytest.mark.slow
def test_a_worker_killed_mid_build_does_not_change_the_output(tmp_path: Path, monkeypatch) -> None:
    from pipeline.build import distributed as engine

    monkeypatch.setattr(engine, "TASKS_PER_THREAD", 1)  # tasks of three articles: one is lost with the worker
    root = make_site(tmp_path / "site", articles=6)
    expected = local_output(root, tmp_path)
    with local_cluster() as cluster:
        killer = WorkerKiller(cluster.scheduler)
        cluster.scheduler.add_plugin(killer)

        build_site(Project.load(root), BuildOptions(scheduler=cluster.scheduler_address))

    assert len(killer.killed) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(killer.killed[0], 0)
    assert_same_output(root, expected)


@pytest.mark.slow
def test_the_command_takes_the_scheduler_from_the_flag_and_from_the_settings(cluster, tmp_path: Path) -> None:
    flag = make_site(tmp_path / "flag", articles=2)
    setting = make_project(tmp_path / "setting", extra=f"scheduler = {cluster.scheduler_address}\n")
    runner = CliRunner()

    by_flag = runner.invoke(main, ["build", "--project", str(flag), "--scheduler", cluster.scheduler_address])
    by_setting = runner.invoke(main, ["build", "--project", str(setting)])

    assert by_flag.exit_code == 0, by_flag.output
    assert by_setting.exit_code == 0, by_setting.output
    assert (flag / "output" / "zh-CN" / "article-1" / "index.html").is_file()
    assert (setting / "output" / "zh-CN" / SLUG / "index.html").is_file()


def test_an_empty_scheduler_flag_builds_here_whatever_the_settings_say(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", extra="scheduler = tcp://127.0.0.1:9\n")

    result = CliRunner().invoke(main, ["build", "--project", str(root), "--scheduler", ""])

    assert result.exit_code == 0, result.output
    assert (root / "output" / "zh-CN" / SLUG / "index.html").is_file()


def test_a_bad_scheduler_address_is_a_usage_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site")

    result = CliRunner().invoke(main, ["build", "--project", str(root), "--scheduler", "tcp://host name"])

    assert result.exit_code == 2
    assert "--scheduler" in result.output and "tcp://HOST:8786" in result.output


def test_an_unreachable_scheduler_is_one_line_and_exit_1(tmp_path: Path, monkeypatch) -> None:
    import socket

    from pipeline.build import distributed as engine

    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", 1)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    root = make_project(tmp_path / "site")

    result = CliRunner().invoke(main, ["build", "--project", str(root), "--scheduler", f"tcp://127.0.0.1:{port}"])

    assert result.exit_code == 1
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output
    assert not (root / "output").exists() or not any((root / "output").rglob("index.html"))


def test_a_worker_reads_none_of_the_project_s_files(tmp_path: Path, monkeypatch) -> None:
    """The worker's side run here with the project moved out of its path: it must need only its task."""
    from pipeline.build import distributed as engine

    root = make_site(tmp_path / "site", articles=2)
    (root / "templates").mkdir()
    (root / "templates" / "extra.txt").write_text("the project's own templates are carried too\n")
    expected = local_output(root, tmp_path)
    away = tmp_path / "moved-away"

    def on_a_cluster_with_no_shared_files(plan, works, scheduler):
        prepared = [engine._outcome_or_task(plan, work) for work in works]
        site = engine._site_inputs(plan)
        root.rename(away)
        try:
            results = engine.build_articles_task(site, [task for _, task in prepared])
        finally:
            away.rename(root)
        for (outcome, _), result in zip(prepared, results):
            yield engine._written(plan, result, outcome.file_records)

    monkeypatch.setattr(engine, "run_on_cluster", on_a_cluster_with_no_shared_files)
    build_site(Project.load(root), BuildOptions(scheduler="tcp://unused:8786"))

    assert_same_output(root, expected)


def test_a_worker_sends_its_pages_back_without_writing_them_to_its_disk(tmp_path: Path, monkeypatch) -> None:
    from pipeline import fsutil
    from pipeline.build import distributed as engine

    root = make_site(tmp_path / "site", articles=2)
    expected = local_output(root, tmp_path)
    build_site(Project.load(root), BuildOptions(jobs=1))
    (root / "output" / "en" / SLUG / "index.html").unlink()  # its other pages are intact: stand-ins of their size
    written = []
    write = fsutil.atomic_write_bytes
    monkeypatch.setattr(fsutil, "atomic_write_bytes", lambda path, *args, **kw: written.append(str(path)) or write(path, *args, **kw))

    def on_a_cluster(plan, works, scheduler):
        prepared = [engine._outcome_or_task(plan, work) for work in works]
        results = iter(engine.build_articles_task(engine._site_inputs(plan), [t for _, t in prepared if t is not None]))
        for outcome, task in prepared:
            yield outcome if task is None else engine._written(plan, next(results), outcome.file_records)

    monkeypatch.setattr(engine, "run_on_cluster", on_a_cluster)
    result = build_site(Project.load(root), BuildOptions(scheduler="tcp://unused:8786"))

    assert result.rendered == [(SLUG, "en")]
    assert [path for path in written if "index.html" in path] == [str(root / "output" / "en" / SLUG / "index.html")]
    assert_same_output(root, expected)


def test_a_build_after_no_change_needs_no_cluster(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site")
    build_site(Project.load(root), BuildOptions(jobs=1))
    script = (
        "import sys\n"
        "from pipeline.build.site import BuildOptions, build_site\n"
        "from pipeline.project import Project\n"
        "result = build_site(Project.load(sys.argv[1]), BuildOptions(scheduler='tcp://127.0.0.1:9'))\n"
        "print(len(result.rendered), 'distributed' in sys.modules)\n"
    )

    run = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True)

    assert run.stdout.split() == ["0", "False"]


def test_help_and_a_local_build_do_not_import_dask(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site")
    script = (
        "import sys\n"
        "from pipeline.cli import main\n"
        "for args in (['--help'], ['build', '--help'], ['build', '--project', sys.argv[1]]):\n"
        "    try:\n"
        "        main(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )

    run = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True)

    assert run.stdout.strip().splitlines()[-1] == "[]"
    assert (root / "output" / "zh-CN" / SLUG / "index.html").is_file()


@pytest.mark.slow
def test_a_catalog_broken_since_the_last_build_takes_its_page_out_as_a_local_build_does(cluster, tmp_path: Path) -> None:
    from pipeline.build.results import UnreadableCatalogsError

    root = make_site(tmp_path / "site", articles=3)
    build_site(Project.load(root), BuildOptions(jobs=1))
    catalog = root / "locales" / "zh_CN" / "LC_MESSAGES" / "article-2.po"
    catalog.write_bytes(b'msgid "unterminated\n')
    # no manifest: the article goes to the cluster unprobed, so the worker's outcome removes the page
    (root / "output" / MANIFEST_NAME).unlink()
    mirror = tmp_path / "mirror"
    shutil.copytree(root, mirror, copy_function=shutil.copy2)
    with pytest.raises(UnreadableCatalogsError):
        build_site(Project.load(mirror), BuildOptions(jobs=1))

    with pytest.raises(UnreadableCatalogsError):
        build_site(Project.load(root), BuildOptions(scheduler=cluster.scheduler_address))

    page = Path("zh-CN", "article-2", "index.html")
    assert (root / "output" / "zh-CN").is_dir() and not (mirror / "output" / page).exists()
    assert not (root / "output" / page).exists()
    local_files, remote_files = every_file(mirror / "output"), every_file(root / "output")
    assert local_files.keys() == remote_files.keys()
