"""The side-by-side part of ``bench/run.py``: each tool run the way its users run it on a whole site.

* One process over the whole set wherever the tool allows it: ``html2po -i DIR -o DIR``,
  ``po2html -i DIR -o DIR -t TEMPLATES``, ``pipeline extract|update|build``. GNU
  ``msgmerge`` takes one catalog per process (it has no other mode): one process
  per catalog, and the table says so.
* Wall time and CPU time (user + system of the command and every process it
  waited for, from ``os.wait4``; for the Dask build, the CPU its cluster's
  worker processes spent too, read with psutil) per article.
* The runs interleaved (every tool once, then every tool again, the order
  rotated each round), so a machine that slows down or speeds up during the
  benchmark weighs on all tools alike; medians.
* Two sizes: the time per article at each, and the cost of one more article
  (the slope between the two sizes), which leaves start-up out; start-up is what
  the slope leaves of the small size.
* One locale: ``build --locale L`` and ``po2html`` both write one page per article.

The Dask row builds on a ``distributed.LocalCluster`` of two worker processes
(one thread each) started once before the runs, as a cluster is long-lived; it
is shown next to ``--jobs 2``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass
class Sample:
    wall: float
    cpu: float


@dataclass
class Contender:
    task: str
    tool: str
    how: str
    #: size -> what the commands work on, made fresh before each run (not timed).
    prepare: Callable[[int], object]
    #: (prepared, size) -> the commands, run one after the other.
    commands: Callable[[object, int], list[list[str]]]
    #: CPU seconds spent outside the command's own processes so far (the Dask workers), or None.
    outside_cpu: Callable[[], float] | None = None
    samples: dict[int, list[Sample]] = field(default_factory=dict)
    shown_command: str = ""

    def wall(self, size: int) -> float:
        return statistics.median(s.wall for s in self.samples[size])

    def cpu(self, size: int) -> float:
        return statistics.median(s.cpu for s in self.samples[size])


def timed(commands: list[list[str]], env: dict[str, str], outside_cpu: Callable[[], float] | None) -> Sample:
    """Wall and CPU time of ``commands`` run one after the other."""
    wall = cpu = 0.0
    for command in commands:
        before = outside_cpu() if outside_cpu else 0.0
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stderr = process.stderr.read() if process.stderr else b""
        _, status, usage = os.wait4(process.pid, 0)
        wall += time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{stderr.decode()[-2000:]}")
        cpu += usage.ru_utime + usage.ru_stime + ((outside_cpu() - before) if outside_cpu else 0.0)
    return Sample(wall, cpu)


def interleaved(contenders: list[Contender], sizes: list[int], runs: int, env: dict[str, str], say) -> None:
    """``runs`` rounds; in each, every contender once at every size, the order rotated by round."""
    for round_number in range(runs):
        say(f"  round {round_number + 1} of {runs}")
        shift = round_number % len(contenders)
        order = contenders[shift:] + contenders[:shift]
        for size in sizes:
            for contender in order:
                prepared = contender.prepare(size)
                sample = timed(contender.commands(prepared, size), env, contender.outside_cpu)
                contender.samples.setdefault(size, []).append(sample)


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


def slope(contender: Contender, sizes: list[int], cpu: bool = False) -> tuple[float, float]:
    """(seconds per article beyond start-up, start-up seconds), from the two sizes' medians of
    wall time, or of CPU time with ``cpu`` (which a busy machine disturbs less)."""
    small, large = sizes[0], sizes[-1]
    measure = contender.cpu if cpu else contender.wall
    per_article = (measure(large) - measure(small)) / (large - small)
    return per_article, measure(small) - small * per_article


def ratio_text(ours: float, theirs: float) -> str:
    if ours <= 0 or theirs <= 0:
        return "n/a"
    return f"ours {theirs / ours:.2f}× faster" if theirs >= ours else f"ours {ours / theirs:.2f}× slower"


def _times(mine: float, baseline: float) -> str:
    return f"{mine / baseline:.2f}×" if mine > 0 and baseline > 0 else "n/a"


def table(contenders: list[Contender], baselines: dict[str, Contender], sizes: list[int]) -> list[str]:
    small, large = sizes[0], sizes[-1]
    lines = [
        f"| task | tool | how it runs | wall ms/article, {small} | wall ms/article, {large} "
        f"| CPU ms/article, {small} | CPU ms/article, {large} | wall ms per extra article | start-up | "
        f"CPU ms per extra article | vs ours at {large} (wall) | vs ours, wall per extra article "
        f"| vs ours, CPU per extra article |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for contender in contenders:
        base = baselines[contender.task]
        per_article, startup = slope(contender, sizes)
        cpu_per_article, _ = slope(contender, sizes, cpu=True)
        base_per_article, _ = slope(base, sizes)
        base_cpu_per_article, _ = slope(base, sizes, cpu=True)
        if contender is base:
            versus = versus_slope = versus_cpu_slope = "(ours)"
        elif contender.tool.startswith("pipeline"):  # ours another way: how it compares with the baseline
            versus = f"{contender.wall(large) / base.wall(large):.2f}× the time of {base.tool}"
            versus_slope = _times(per_article, base_per_article)
            versus_cpu_slope = _times(cpu_per_article, base_cpu_per_article)
        else:
            versus = ratio_text(base.wall(large), contender.wall(large))
            versus_slope = ratio_text(base_per_article, per_article)
            versus_cpu_slope = ratio_text(base_cpu_per_article, cpu_per_article)
        lines.append(
            f"| {contender.task} | {contender.tool} | {contender.how} "
            f"| {1000 * contender.wall(small) / small:.2f} | {1000 * contender.wall(large) / large:.2f} "
            f"| {1000 * contender.cpu(small) / small:.2f} | {1000 * contender.cpu(large) / large:.2f} "
            f"| {1000 * per_article:.2f} | {startup:.2f} s | {1000 * cpu_per_article:.2f} "
            f"| {versus} | {versus_slope} | {versus_cpu_slope} |"
        )
    return lines


# ---------------------------------------------------------------------------
# The contenders
# ---------------------------------------------------------------------------


class Cluster:
    """A two-worker ``LocalCluster`` for the Dask row, and the CPU its workers spent."""

    def __init__(self) -> None:
        import distributed
        import psutil

        self.cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
        )
        self.client = distributed.Client(self.cluster)
        self.processes = [psutil.Process(pid) for pid in self.client.run(os.getpid).values()]

    @property
    def address(self) -> str:
        return self.cluster.scheduler_address

    def cpu(self) -> float:
        return sum(sum(p.cpu_times()[:2]) for p in self.processes)

    def close(self) -> None:
        self.client.close()
        self.cluster.close()


def contenders(bench, pristine: Path, work: Path, sizes: list[int], locale: str, peers: dict[str, bool],
               cluster: Cluster | None, changes: dict) -> list[Contender]:
    """Every tool of every task, each with a project (or folder) per size made once here;
    ``changes`` gets the edited paragraphs of the largest size (slug -> [(old, new)])."""
    projects = {n: work / f"side-{n}" for n in sizes}
    docs = {n: work / f"side-{n}-docs" for n in sizes}
    changed = {n: work / f"side-{n}-changed" for n in sizes}
    scratch = work / "side-scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        slugs = bench.subset_project(pristine, projects[n], n, [locale])
        shutil.rmtree(docs[n], ignore_errors=True)
        bench.peer_documents(projects[n], slugs, docs[n])
        project = bench.copy_project(projects[n], changed[n])
        changes.clear()
        changes.update(bench.change_paragraphs(project, slugs))
        bench.run(bench.pipeline_command("extract", "--project", str(project), "-q"))

    def fresh(name: str, source: dict[int, Path]) -> Callable[[int], Path]:
        return lambda n: bench.copy_project(source[n], scratch / f"{name}-{n}")

    def without_templates(n: int) -> Path:
        project = bench.copy_project(projects[n], scratch / f"extract-{n}")
        for pot in (project / "locales").glob("*.pot"):
            pot.unlink()
        return project

    def empty(name: str) -> Callable[[int], Path]:
        def make(n: int) -> Path:
            folder = scratch / f"{name}-{n}"
            shutil.rmtree(folder, ignore_errors=True)
            return folder
        return make

    def cold(n: int) -> Path:
        shutil.rmtree(projects[n] / "output", ignore_errors=True)
        return projects[n]

    pipeline = bench.pipeline_command
    found: list[Contender] = [
        Contender("extract", "pipeline extract", "one process", without_templates,
                  lambda p, n: [pipeline("extract", "--project", str(p), "-q")], shown_command="pipeline extract"),
    ]
    if peers.get("html2po"):
        found.append(Contender("extract", "html2po --pot", "one process, folder in, folder out", empty("html2po"),
                               lambda o, n: [["html2po", "--pot", "-i", str(docs[n]), "-o", str(o)]],
                               shown_command="html2po --pot -i DOCS/ -o POTS/"))
    found.append(Contender("update", "pipeline update", "one process", fresh("update", changed),
                           lambda p, n: [pipeline("update", "--project", str(p), "-q")], shown_command="pipeline update"))
    if peers.get("msgmerge"):
        def msgmerge(p: Path, n: int) -> list[list[str]]:
            folder = p / "locales" / locale / "LC_MESSAGES"
            return [
                ["msgmerge", "--quiet", "--previous", "-o", str(po), str(po), str(p / "locales" / f"{po.stem}.pot")]
                for po in sorted(folder.glob("*.po"))
            ]
        found.append(Contender("update", "GNU msgmerge --previous", "one process per catalog (its only mode)",
                               fresh("msgmerge", changed), msgmerge,
                               shown_command="msgmerge --quiet --previous -o X.po X.po X.pot (per catalog)"))
    build = ["build", "--locale", locale, "-q"]
    found.append(Contender("build", "pipeline build --jobs 1", "one process", cold,
                           lambda p, n: [pipeline(*build, "--project", str(p), "--jobs", "1")],
                           shown_command=f"pipeline build --locale {locale} --jobs 1"))
    found.append(Contender("build", "pipeline build --jobs 2", "two processes", cold,
                           lambda p, n: [pipeline(*build, "--project", str(p), "--jobs", "2")],
                           shown_command=f"pipeline build --locale {locale} --jobs 2"))
    if cluster is not None:
        found.append(Contender("build", "pipeline build --scheduler", "Dask LocalCluster, 2 worker processes × 1 thread",
                               cold, lambda p, n: [pipeline(*build, "--project", str(p), "--scheduler", cluster.address)],
                               outside_cpu=cluster.cpu, shown_command=f"pipeline build --locale {locale} --scheduler tcp://…"))
    if peers.get("po2html") and peers.get("html2po"):
        po_dirs = {}
        for n in sizes:
            pots = scratch / f"po2html-pots-{n}"
            shutil.rmtree(pots, ignore_errors=True)
            bench.run(["html2po", "--pot", "-i", str(docs[n]), "-o", str(pots)])
            po_dirs[n] = work / f"side-{n}-po2html-po"
            shutil.rmtree(po_dirs[n], ignore_errors=True)
            for pot in sorted(pots.glob("*.pot")):
                bench.filled_copy(pot, po_dirs[n] / f"{pot.stem}.po", locale)
        found.append(Contender("build", "po2html", "one process, folder in, folder out, templates folder",
                               empty("po2html"),
                               lambda o, n: [["po2html", "-t", str(docs[n]), "-i", str(po_dirs[n]), "-o", str(o)]],
                               shown_command="po2html -t DOCS/ -i POS/ -o OUT/"))
    return found


def side_by_side(bench, pristine: Path, work: Path, sizes: list[int], runs: int, locale: str,
                 peers: dict[str, bool], env: dict[str, str], say, changes: dict) -> tuple[list[str], dict[str, Contender]]:
    """The markdown of the side-by-side section and the contenders by tool (for the targets)."""
    cluster = None
    try:
        cluster = Cluster()
    except ImportError:
        say("Dask distributed is not installed: the --scheduler row is skipped (pip install -e '.[dask]')")
    try:
        say(f"side by side at {sizes[0]} and {sizes[-1]} articles, one locale ({locale}) ...")
        found = contenders(bench, pristine, work, sizes, locale, peers, cluster, changes)
        interleaved(found, sizes, runs, env, say)
    finally:
        if cluster is not None:
            cluster.close()
    baselines = {}
    for contender in found:
        baselines.setdefault(contender.task, contender)  # ours come first in each task
    lines = table(found, baselines, sizes)
    by_tool = {c.tool: c for c in found}
    dask, two = by_tool.get("pipeline build --scheduler"), by_tool.get("pipeline build --jobs 2")
    if dask is not None and two is not None:
        large = sizes[-1]
        lines += ["", f"The Dask build at {large} articles: {dask.wall(large) / two.wall(large):.2f}× the wall time of "
                  f"`--jobs 2` ({1000 * dask.wall(large) / large:.2f} vs {1000 * two.wall(large) / large:.2f} ms/article)."]
    lines += ["", "Commands (each in one process unless said):", "",
              *[f"- {c.tool}: `{c.shown_command}`" for c in found]]
    return lines, by_tool
