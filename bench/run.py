"""Site-scale benchmark: ``pipeline`` extract / update / build next to the gettext peers.

    python bench/run.py [--articles 1000] [--locales 10] [--runs 3] [--sizes 100,1000]

Builds a site corpus under ``bench/.work/`` (gitignored) from real pages — the
cleaned pages of ``../shared/extraction-dev/html/*.html.gz`` plus the shipped
article, replicated with small variations to ``--articles`` articles — and
catalogs for ``--locales`` locales filled with generated translations that keep
every tag. Then:

* side by side (:mod:`sidebyside`), at the two ``--sizes`` and in one locale:
  ``pipeline extract`` / ``html2po``, ``pipeline update`` / GNU ``msgmerge
  --previous``, ``pipeline build`` (``--jobs 1``, ``--jobs 2``, and on a
  two-worker Dask ``LocalCluster``) / ``po2html``, each tool run the way its
  users run it over a site (one process over the set where it allows it),
  interleaved, wall and CPU time per article, medians, ratios;
* the whole site, ours alone: a cold build, a build after no change, after
  saving one ``.po``, with ``--jobs 1`` next to the default, ``update``,
  ``extract``, ``pipeline --help``, with each command's peak memory.

A peer that is not installed is skipped with a message. The results and the
exact commands go to ``--output`` (``bench/RESULTS.md``). Nothing is installed
by this script. For a check that it works on a busy machine (figures not worth
keeping): ``--articles 6 --locales 2 --sizes 3,6 --runs 1 --output /tmp/check.md``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import floor
import sidebyside

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

DEFAULT_PAGES = REPO.parent / "shared" / "extraction-dev" / "html"
LOCALES = ["fr", "de", "es", "it", "pt_BR", "ru", "ar", "ja", "ko", "zh_CN", "nl", "pl", "sv", "tr", "uk", "vi"]
#: Words put in place of others in each copy of an article, so copies differ.
VARIANTS = "notably indeed often rarely quickly widely largely mostly clearly simply".split()
#: Bump when the corpus recipe changes: a cached corpus of another version is rebuilt.
CORPUS_VERSION = "3"
_ANY_TAG = re.compile(r"(<[^>]*>)")
_NUMBER = re.compile(r"\d+")
_WORDS = re.compile(r"[A-Za-z]{4,}")


# ---------------------------------------------------------------------------
# Running a tool
# ---------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    max_rss_mb: float


#: GNU time measures a command's own peak memory. ``wait4``'s ru_maxrss cannot:
#: Linux carries the parent's high-water mark into the child across exec, so
#: every tool would show at least this script's size.
GNU_TIME = shutil.which("time") if Path("/usr/bin/time").exists() else None


#: The tools run as on a user's machine, where Python caches compiled modules:
#: a workplace that sets PYTHONDONTWRITEBYTECODE would make every Python tool
#: (ours, Translate Toolkit, pybabel) compile its modules again at each start.
USER_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str], cwd: Path | None = None, quiet: bool = True, memory: bool = False) -> Run:
    """Run ``command``: its wall time, and with ``memory`` its own peak RSS (GNU time).

    Measuring memory adds a process (a few ms), so timed runs leave it out
    unless the command runs long enough for it not to matter.
    """
    rss_file = None
    if memory and GNU_TIME:
        handle, rss_file = tempfile.mkstemp(suffix=".rss")
        os.close(handle)
        command = [GNU_TIME, "-f", "%M", "-o", rss_file, *command]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=USER_ENVIRONMENT,
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=subprocess.PIPE,
    )
    stderr = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr.decode()[-2000:]}")
    rss_mb = usage.ru_maxrss / 1024 if memory else 0.0
    if rss_file is not None:
        rss_mb = int(Path(rss_file).read_text().split()[-1]) / 1024
        os.unlink(rss_file)
    return Run(elapsed, rss_mb)


def pipeline_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


def available(program: str) -> bool:
    return shutil.which(program) is not None


# ---------------------------------------------------------------------------
# Generated translations
# ---------------------------------------------------------------------------


def fake_translation(msgid: str, locale: str) -> str:
    """A translation that keeps every tag (ours ``<a1>`` or a peer's ``<a href=…>``) in place.

    The words between tags are reversed and the whole is prefixed with the
    locale, so each locale's text differs and numbers survive.
    """
    parts = []
    for part in _ANY_TAG.split(msgid):
        if _ANY_TAG.fullmatch(part):
            parts.append(part)
            continue
        core = part.strip()
        lead = part[: len(part) - len(part.lstrip())]
        trail = part[len(part.rstrip()) :]
        parts.append(lead + " ".join(reversed(core.split())) + trail if core else part)
    return f"[{locale}] " + "".join(parts)


def fill_catalog(path: Path, locale: str) -> None:
    """Translate every message of the catalog at ``path`` with :func:`fake_translation`."""
    from pipeline.formats.po import read_catalog, write_catalog

    catalog = read_catalog(path)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (tuple, list)):
            message.string = tuple(fake_translation(message.id[min(i, 1)], locale) for i in range(len(message.string)))
        else:
            message.string = fake_translation(message.id, locale)
        message.flags.discard("fuzzy")
    write_catalog(path, catalog)


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------


def base_documents(pages: Path, say) -> list:
    """The clean documents to replicate: every page of ``pages`` that cleans, and the shipped article."""
    from pipeline.cleaning.htmlpage import clean_html
    from pipeline.errors import PipelineError
    from pipeline.formats import document as document_format
    from pipeline.settings import CleanRules

    documents = []
    if pages.is_dir():
        for path in sorted(pages.glob("*.html.gz")):
            text = gzip.open(path, "rb").read().decode("utf-8", errors="replace")
            try:
                documents.append(clean_html(text, CleanRules()).document)
            except PipelineError as exc:
                say(f"  {path.name}: not used ({exc})")
    else:
        say(f"skipped the real pages: {pages} is absent (only the shipped article is replicated)")
    for shipped in sorted((REPO / "source").glob("*/article.html")):
        documents.append(document_format.read(shipped))
    return documents


def _vary_text(text: str, copy_number: int, rng: random.Random) -> str:
    text = _NUMBER.sub(lambda m: str(int(m.group()) + copy_number) if len(m.group()) < 6 else m.group(), text)
    return _WORDS.sub(lambda m: rng.choice(VARIANTS) if rng.random() < 0.04 else m.group(), text)


def varied_copy(doc, copy_number: int):
    """A copy of ``doc`` with its numbers shifted and about one word in 25 replaced."""
    import copy as copy_module

    rng = random.Random(copy_number)
    new = copy_module.deepcopy(doc)
    new.title = f"{doc.title} ({copy_number})"
    for element in new.body.iter():
        if element.text:
            element.text = _vary_text(element.text, copy_number, rng)
        if element.tail:
            element.tail = _vary_text(element.tail, copy_number, rng)
    return new


def write_settings(root: Path, locales: list[str]) -> None:
    (root / "setup.cfg").write_text(
        "[pipeline]\nsource_language = en\n"
        f"locales = {' '.join(locales)}\nthreshold = 80\nbase_url = https://example.org\n"
        "site_name = Benchmark site\n",
        encoding="utf-8",
    )


def make_corpus(root: Path, articles: int, locales: list[str], pages: Path, say) -> list[str]:
    """A project at ``root``: ``articles`` clean documents, templates, filled catalogs."""
    from pipeline.catalogs.init import init
    from pipeline.extract import extract
    from pipeline.formats import document as document_format
    from pipeline.project import Project

    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    write_settings(root, locales)
    bases = base_documents(pages, say)
    say(f"corpus: {len(bases)} base documents, replicated to {articles} articles")
    slugs = []
    for number in range(articles):
        doc = varied_copy(bases[number % len(bases)], number)
        slug = f"article-{number:05d}"
        folder = root / "source" / slug
        folder.mkdir(parents=True)
        (folder / "article.html").write_text(document_format.serialize(doc), encoding="utf-8")
        slugs.append(slug)
    project = Project.load(root)
    extract(project, slugs)
    for locale in locales:
        init(project, locale)
        for slug in slugs:
            fill_catalog(project.catalog_path(locale, slug), locale)
    return slugs


def subset_project(full: Path, root: Path, count: int, locales: list[str]) -> list[str]:
    """A project with the first ``count`` articles of ``full`` and their catalogs."""
    if root.exists():
        shutil.rmtree(root)
    slugs = sorted(p.name for p in (full / "source").iterdir())[:count]
    root.mkdir(parents=True)
    write_settings(root, locales)
    (root / "locales").mkdir(parents=True)
    for slug in slugs:
        shutil.copytree(full / "source" / slug, root / "source" / slug)
        shutil.copy2(full / "locales" / f"{slug}.pot", root / "locales" / f"{slug}.pot")
    shutil.copy2(full / "locales" / "site.pot", root / "locales" / "site.pot")
    for locale in locales:
        folder = root / "locales" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        for domain in slugs + ["site"]:
            shutil.copy2(full / "locales" / locale / "LC_MESSAGES" / f"{domain}.po", folder)
    return slugs


def copy_project(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("output", ".pipeline.lock"))
    return target


# ---------------------------------------------------------------------------
# Changing 10 percent of the paragraphs
# ---------------------------------------------------------------------------


def change_paragraphs(root: Path, slugs: list[str], share: float = 0.1) -> dict[str, list[tuple[str, str]]]:
    """Edit ``share`` of the paragraphs of each article; slug -> [(old msgid, new msgid)].

    A paragraph is changed the way an editor does: one word replaced, and a
    few words added at its end.
    """
    from pipeline.formats import document as document_format
    from pipeline.formats.messages import iter_blocks

    changed: dict[str, list[tuple[str, str]]] = {}
    for slug in slugs:
        path = root / "source" / slug / "article.html"
        doc = document_format.read(path)
        before = [b.message.text for b in iter_blocks(doc.body)]
        paragraphs = [e for e in doc.body.iter("p") if (e.text or "").strip() and len((e.text or "").split()) > 6]
        step = max(1, round(1 / share))
        for element in paragraphs[::step]:
            words = element.text.split(" ")
            words[len(words) // 2] = "substantially"
            element.text = " ".join(words)
            last = element[-1] if len(element) else None
            if last is not None:
                last.tail = (last.tail or "") + " Updated this year."
            else:
                element.text += " Updated this year."
        after = [b.message.text for b in iter_blocks(doc.body)]
        path.write_text(document_format.serialize(doc), encoding="utf-8")
        pairs = [(old, new) for old, new in zip(before, after) if old != new]
        if set(before) & {new for _, new in pairs}:
            pairs = [(o, n) for o, n in pairs if n not in before]
        changed[slug] = pairs
    return changed


def fuzzy_quality(locales_dir: Path, changed: dict[str, list[tuple[str, str]]], locales: list[str]) -> tuple[int, int, int]:
    """(correct, wrong, total): changed messages offered the old translation of their own old text."""
    from pipeline.formats.po import read_catalog

    correct = wrong = total = 0
    for locale in locales:
        for slug, pairs in changed.items():
            if not pairs:
                continue
            catalog = read_catalog(locales_dir / locale / "LC_MESSAGES" / f"{slug}.po")
            for old, new in pairs:
                total += 1
                message = catalog.get(new)
                if message is None or not message.string:
                    continue
                if message.fuzzy and message.string == fake_translation(old, locale):
                    correct += 1
                else:
                    wrong += 1
    return correct, wrong, total


# ---------------------------------------------------------------------------
# Peers' own catalogs (their msgids carry their own markup)
# ---------------------------------------------------------------------------


def peer_documents(project: Path, slugs: list[str], folder: Path) -> list[Path]:
    """The clean documents as ``<slug>.html`` in one folder (html2po/po2html work on folders)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for slug in slugs:
        target = folder / f"{slug}.html"
        shutil.copy2(project / "source" / slug / "article.html", target)
        paths.append(target)
    return paths


def filled_copy(template: Path, target: Path, locale: str) -> Path:
    """A translated copy of a peer's template, filled like ours."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(template, target)
    fill_catalog(target, locale)
    return target


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass
class Row:
    task: str
    tool: str
    workload: str
    runs: list[Run] = field(default_factory=list)
    per: int = 1  # pages (or catalogs) the time is divided by
    command: str = ""

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def per_unit_ms(self) -> float:
        return 1000 * self.seconds / self.per

    memory_mb: float | None = None  # from a run of its own, when the timed runs did not measure it

    @property
    def max_rss_mb(self) -> float:
        return self.memory_mb if self.memory_mb is not None else max(r.max_rss_mb for r in self.runs)


def repeat(row: Row, runs: int, prepare, measure, long_running: bool = False) -> Row:
    """``runs`` timed runs of ``measure(prepare(), memory)``, and the peak memory.

    A long-running command's timed runs measure memory too; a short one's
    memory is measured in one more run, so that GNU time's own start-up is
    not in any timing.
    """
    for _ in range(runs):
        row.runs.append(measure(prepare(), long_running))
    if not long_running:
        row.memory_mb = measure(prepare(), True).max_rss_mb
    return row


def update_quality(work: Path, size: int, locale: str, changes: dict, peers: dict[str, bool]) -> dict[str, tuple[int, int, int]]:
    """Fuzzy quality of ``pipeline update`` and ``msgmerge --previous`` on the side by side's largest project."""
    changed = work / f"side-{size}-changed"
    quality = {}
    ours = copy_project(changed, work / "quality-ours")
    run(pipeline_command("update", "--project", str(ours), "-q"))
    quality["pipeline update"] = fuzzy_quality(ours / "locales", changes, [locale])
    if peers["msgmerge"]:
        theirs = copy_project(changed, work / "quality-msgmerge")
        for po in sorted((theirs / "locales" / locale / "LC_MESSAGES").glob("*.po")):
            run(["msgmerge", "--quiet", "--previous", "-o", str(po), str(po), str(theirs / "locales" / f"{po.stem}.pot")])
        quality["GNU msgmerge"] = fuzzy_quality(theirs / "locales", changes, [locale])
    return quality


# ---------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--locales", type=int, default=10, choices=range(1, len(LOCALES) + 1), metavar="N")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=lambda v: [int(n) for n in v.split(",")], default=[100, 1000],
                        help="the side by side's two sizes in articles, as SMALL,LARGE (at most --articles)")
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of *.html.gz real pages")
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)

    def say(text: str) -> None:
        print(text, flush=True)

    locales = LOCALES[: args.locales]
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(
        f"{CORPUS_VERSION} {args.articles} {locales} {args.pages}".encode()
    ).hexdigest()[:12]
    pristine = work / f"corpus-{key}"
    if not (pristine / ".complete").is_file():
        say(f"making the corpus in {pristine} (once; later runs reuse it)")
        started = time.perf_counter()
        make_corpus(pristine, args.articles, locales, args.pages, say)
        (pristine / ".complete").write_text("ok\n")
        say(f"  done in {time.perf_counter() - started:.0f} s")
    slugs = sorted(p.name for p in (pristine / "source").iterdir())
    peers = {name: available(name) for name in ("html2po", "po2html", "msgmerge")}
    for name, present in peers.items():
        if not present:
            say(f"peer {name} is not installed: skipped (see bench/README.md for the one install command)")

    sizes = sorted(args.sizes)
    if sizes[-1] > len(slugs):
        raise SystemExit(f"--sizes up to {sizes[-1]} need --articles {sizes[-1]} or more")
    changes: dict[str, list[tuple[str, str]]] = {}
    side_lines, side = sidebyside.side_by_side(
        sys.modules[__name__], pristine, work, sizes, args.runs, locales[0], peers, USER_ENVIRONMENT, say, changes
    )
    quality = update_quality(work, sizes[-1], locales[0], changes, peers)
    floor_ms = floor.parse_serialize_ms(sorted((work / f"side-{sizes[-1]}-docs").glob("*.html")), args.runs)
    runs = args.runs

    site_rows = whole_site(pristine, work, slugs, locales, runs, say)

    report = render(args, locales, side_lines, side, quality, sum(map(len, changes.values())), site_rows, len(slugs), sizes, floor_ms)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    say(f"written {args.output}")
    return 0


def cold_builds(cold_site, pages: int, workload: str, runs: int, say) -> list[Row]:
    """Cold builds of the whole site: ``--jobs auto``, ``--jobs 1``, then ``--jobs 2`` and on a two-worker
    Dask ``LocalCluster`` interleaved (the cluster started once, as a cluster is long-lived; its workers'
    memory is their own, the peak RSS shown is the client's)."""

    def build(*flags: str):
        return lambda p, m: run(pipeline_command("build", "--project", str(p), "-q", *flags), memory=m)

    rows = []
    for tool, how, flags in (
        ("pipeline build (cold)", "--jobs auto", ()),
        ("pipeline build --jobs 1 (cold)", "one process", ("--jobs", "1")),
    ):
        row = Row("site", tool, f"{workload}, {how}", per=pages, command=" ".join(("pipeline build", *flags)))
        rows.append(repeat(row, runs, cold_site, build(*flags), long_running=True))
    two = Row("site", "pipeline build --jobs 2 (cold)", f"{workload}, two processes", per=pages,
              command="pipeline build --jobs 2")
    rows.append(two)
    try:
        cluster = sidebyside.Cluster()
    except ImportError:
        say("Dask distributed is not installed: the whole site's --scheduler row is skipped")
        rows[-1] = repeat(two, runs, cold_site, build("--jobs", "2"), long_running=True)
        return rows
    try:
        dask = Row("site", "pipeline build --scheduler (cold)", f"{workload}, Dask LocalCluster, 2 workers × 1 thread",
                   per=pages, command="pipeline build --scheduler tcp://…")
        rows.append(dask)
        for _ in range(runs):  # interleaved: the two are compared with each other
            two.runs.append(build("--jobs", "2")(cold_site(), True))
            dask.runs.append(build("--scheduler", cluster.address)(cold_site(), True))
    finally:
        cluster.close()
    return rows


def whole_site(pristine: Path, work: Path, slugs: list[str], locales: list[str], runs: int, say) -> list[Row]:
    """The whole site, ours alone: cold builds (``--jobs auto``, ``--jobs 1``, ``--jobs 2`` and on a
    two-worker Dask cluster), after no change and after one saved ``.po``, update, extract, ``--help``."""
    say(f"the whole site ({len(slugs)} articles × {len(locales)} locales) ...")
    site = work / "site"
    site_rows: list[Row] = []
    pages_full = len(slugs) * (len(locales) + 1)
    site_ready = {"copied": False}

    def site_project():
        if not site_ready["copied"]:
            copy_project(pristine, site)
            site_ready["copied"] = True
        return site

    def cold_site():
        project = site_project()
        shutil.rmtree(project / "output", ignore_errors=True)
        return project

    site_rows += cold_builds(cold_site, pages_full, f"{len(slugs)} × {len(locales) + 1} pages", runs, say)
    row = Row("site", "pipeline build (no change)", "nothing changed since the last build", per=1,
              command="pipeline build")
    site_rows.append(repeat(row, runs, site_project, lambda p, m: run(pipeline_command("build", "--project", str(p), "-q"), memory=m), long_running=True))
    touched = site / "locales" / locales[0] / "LC_MESSAGES" / f"{slugs[len(slugs) // 2]}.po"

    def save_one_po():
        project = site_project()
        text = touched.read_text(encoding="utf-8")
        marker = "# saved by the benchmark\n"
        touched.write_text(text[len(marker):] if text.startswith(marker) else marker + text, encoding="utf-8")
        return project

    row = Row("site", "pipeline build (one .po saved)", "one catalog edited", per=1,
              command="pipeline build")
    site_rows.append(repeat(row, runs, save_one_po, lambda p, m: run(pipeline_command("build", "--project", str(p), "-q"), memory=m), long_running=True))
    site_changed = work / "site-changed"
    row = Row("site", "pipeline update", f"{len(slugs)} × {len(locales)} catalogs, 10 % of paragraphs changed",
              per=len(slugs) * len(locales), command="pipeline update")

    def changed_site():
        project = copy_project(pristine, site_changed)
        if not (work / "site-changed.pots").is_dir():
            change_paragraphs(project, slugs)
            run(pipeline_command("extract", "--project", str(project), "-q"))
            shutil.copytree(project / "locales", work / "site-changed.pots",
                            ignore=shutil.ignore_patterns("LC_MESSAGES"))
            shutil.copytree(project / "source", work / "site-changed.source")
        else:
            shutil.rmtree(project / "source")
            shutil.copytree(work / "site-changed.source", project / "source")
            for pot in (work / "site-changed.pots").glob("*.pot"):
                shutil.copy2(pot, project / "locales" / pot.name)
        return project

    for stale in (work / "site-changed.pots", work / "site-changed.source"):
        shutil.rmtree(stale, ignore_errors=True)
    site_rows.append(repeat(row, runs, changed_site, lambda p, m: run(pipeline_command("update", "--project", str(p), "-q"), memory=m), long_running=True))
    row = Row("site", "pipeline extract", f"{len(slugs)} articles", per=len(slugs),
              command="pipeline extract")

    def no_templates():
        project = site_project()
        for pot in (project / "locales").glob("*.pot"):
            pot.unlink()
        return project

    site_rows.append(repeat(row, runs, no_templates, lambda p, m: run(pipeline_command("extract", "--project", str(p), "-q"), memory=m), long_running=True))
    row = Row("site", "pipeline --help", "", per=1, command="pipeline --help")
    site_rows.append(repeat(row, max(runs, 5), lambda: None, lambda _, m: run(pipeline_command("--help"), memory=m)))

    return site_rows


def _row(rows: list[Row], tool: str) -> Row | None:
    return next((r for r in rows if r.tool == tool), None)


def targets(side: dict, sizes: list[int], quality: dict, site_rows: list[Row]) -> list[str]:
    """One line per target of issues 8 and 16, measured by this run (absent peers are left out)."""
    lines = []
    large = sizes[-1]

    def line(target: str, measured: str, met: bool) -> None:
        lines.append(f"| {target} | {measured} | {'yes' if met else 'no'} |")

    def faster(mine: str, peer: str, factor: float) -> None:
        # Judged on CPU time per article of the whole command, start-up included, over the largest
        # set: what a site of that size costs. CPU, because a busy machine disturbs it less than
        # wall time; the wall ratio and the ratio per extra article (start-up left out) are shown.
        if mine in side and peer in side:
            ours, theirs = side[mine].cpu(large) / large, side[peer].cpu(large) / large
            wall = side[peer].wall(large) / side[mine].wall(large)
            extra = sidebyside.slope(side[peer], sizes, cpu=True)[0] / sidebyside.slope(side[mine], sizes, cpu=True)[0]
            line(f"{mine} ≥ {factor:g}× faster than {peer} per article, CPU ({large} articles, start-up included, "
                 "each run as its users run it)",
                 f"{theirs / ours:.2f}× ({1000 * ours:.2f} vs {1000 * theirs:.2f} ms/article; wall {wall:.2f}×; "
                 f"per extra article {extra:.2f}×)",
                 theirs / ours >= factor)

    faster("pipeline extract", "html2po --pot", 3)
    faster("pipeline update", "GNU msgmerge --previous", 3)
    faster("pipeline build --jobs 1", "po2html", 3)
    dask, two = _row(site_rows, "pipeline build --scheduler (cold)"), _row(site_rows, "pipeline build --jobs 2 (cold)")
    if dask is not None and two is not None:
        ratio = dask.seconds / two.seconds
        line("Dask build of the whole site (2-worker LocalCluster) within 1.3× of --jobs 2, wall",
             f"{ratio:.2f}× ({dask.seconds:.2f} vs {two.seconds:.2f} s)", ratio <= 1.3)
    if "GNU msgmerge" in quality and "pipeline update" in quality:
        mine, theirs = quality["pipeline update"][0], quality["GNU msgmerge"][0]
        line("fuzzy quality at least msgmerge's", f"{mine} vs {theirs} correct", mine >= theirs)
    no_change = _row(site_rows, "pipeline build (no change)")
    if no_change is not None:
        line("no-change build of the whole site < 1 s", f"{no_change.seconds:.2f} s", no_change.seconds < 1)
    memory = max((r.max_rss_mb for r in site_rows), default=0)
    line("peak memory ≤ 200 MB on the whole site (every command, the Dask client included)", f"{memory:.0f} MB",
         memory <= 200)
    parallel = _row(site_rows, "pipeline build (cold)")
    one_process = _row(site_rows, "pipeline build --jobs 1 (cold)")
    if parallel is not None and one_process is not None:
        speedup = one_process.seconds / parallel.seconds
        line(f"pipeline build (--jobs auto) scales on {os.cpu_count()} cores",
             f"{speedup:.2f}× faster than --jobs 1", speedup >= 1.5)
    help_row = _row(site_rows, "pipeline --help")
    if help_row is not None:
        line("pipeline --help < 150 ms", f"{1000 * help_row.seconds:.0f} ms", help_row.seconds < 0.15)
    return lines


def floor_lines(side: dict, sizes: list[int], floor_ms: float) -> list[str]:
    """How far the build is from lxml's parse + serialize of the same documents."""
    lines = [f"The floor: lxml parses and serializes one of these clean documents in {floor_ms:.3f} ms of CPU "
             "(in one process, no start-up; `bench/floor.py`)."]
    for tool in ("pipeline build --jobs 1", "po2html"):
        if tool in side:
            per_page = 1000 * sidebyside.slope(side[tool], sizes, cpu=True)[0]
            lines[0] += f" {tool}: {per_page:.2f} ms of CPU per extra page, {per_page / floor_ms:.0f}× the floor."
    return [*lines, ""]


def render(args, locales, side_lines, side, quality, n_changed, site_rows, articles, sizes, floor_ms: float) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `python bench/run.py` (do not edit by hand); "
        f"{args.runs} runs, medians; {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}; "
        f"load average when it ended: {', '.join(f'{x:.2f}' for x in os.getloadavg())}.",
        "",
        f"Corpus: {articles} articles (real pages cleaned by `pipeline clean`, replicated with small variations) "
        f"× {len(locales)} locales ({', '.join(locales)}), every message translated with a generated text that "
        "keeps the tags.",
        "",
        "## Side by side",
        "",
        f"Every tool on the same clean documents, the first {sizes[0]} and {sizes[-1]} articles, one locale "
        f"({locales[0]}); the peers on their own catalogs of them (their msgids keep the full HTML tags), filled "
        "the same way. Each tool runs the way its users run it over a whole site: one process over the set "
        "(folder in, folder out) where it allows it, else one process per file, as said. The runs are "
        "interleaved (each tool once per round, the order rotated), medians. Wall time is the whole command, "
        "start-up included; CPU time is user + system of the command and every process it waited for (for the "
        "Dask build, plus the CPU of the cluster's two worker processes, started before the runs). "
        "\"ms per extra article\" is the slope between the two sizes: the cost of one more article without "
        "start-up; \"start-up\" is what it leaves of the small size. `pipeline build --locale L` writes one page "
        "per article as `po2html` does, and also the site's home pages, feeds, sitemap and 404 pages.",
        "",
        *side_lines,
        "",
        *floor_lines(side, sizes, floor_ms),
        f"Fuzzy quality after changing 10 % of the paragraphs ({n_changed} messages, {locales[0]}): "
        "a correct fuzzy is a changed message offered the old translation of its own previous text.",
        "",
        "| tool | correct fuzzy | other translation offered | total changed |",
        "| --- | ---: | ---: | ---: |",
        *[f"| {tool} | {c} | {w} | {t} |" for tool, (c, w, t) in quality.items()],
        "",
        "## Targets (issues 8 and 16)",
        "",
        "| target | measured | met |",
        "| --- | --- | :---: |",
        *targets(side, sizes, quality, site_rows),
        "",
        "## The whole site",
        "",
        "| what | workload | median | per page/catalog | peak RSS |",
        "| --- | --- | ---: | ---: | ---: |",
        *[
            f"| {r.tool} | {r.workload} | {r.seconds:.2f} s | "
            f"{(f'{r.per_unit_ms:.2f} ms' if r.per > 1 else '')} | {r.max_rss_mb:.0f} MB |"
            for r in site_rows
        ],
        "",
        "Commands of the whole site:",
        "",
        *[f"- {r.tool}: `{r.command}`" for r in site_rows],
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
