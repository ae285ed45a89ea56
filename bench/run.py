"""Site-scale benchmark: ``pipeline`` extract / update / build next to the gettext peers.

    python bench/run.py [--articles 1000] [--locales 10] [--runs 3] [--peer-pages 50]

Builds a site corpus under ``bench/.work/`` (gitignored) from real pages — the
cleaned pages of ``../shared/extraction-dev/html/*.html.gz`` plus the shipped
article, replicated with small variations to ``--articles`` articles — and
catalogs for ``--locales`` locales filled with generated translations that keep
every tag. Then it times, as medians over ``--runs`` runs, each tool as a
subprocess (wall time and the child's peak RSS from ``os.wait4``):

* extract: ``pipeline extract`` against Translate Toolkit's ``html2po`` and
  po4a's ``po4a-updatepo -f xhtml``, on the same clean documents;
* update: ``pipeline update`` against GNU ``msgmerge`` (fuzzy matching on) and
  ``pybabel update``, after 10 percent of the paragraphs changed, with the
  fuzzy quality of each (a changed message offered the old translation of its
  own previous text);
* build: ``pipeline build`` against ``po2html`` and ``po4a-translate``;
* the site as a whole: a cold build, a build after no change, after saving one
  ``.po``, with ``--jobs 1`` next to the default (``--jobs auto``: a process
  per CPU once enough pages need rendering), and ``pipeline --help``.

The side-by-side ratios are measured on a subset of ``--peer-pages`` articles
(the peers start one process per page or per folder: the full site would take
hours); the table says so. A peer that is not installed is skipped with a
message. The results and the exact commands go to ``bench/RESULTS.md``.
Nothing is installed by this script.
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


def run_many(commands: list[list[str]], cwd: Path | None = None, memory: bool = False) -> Run:
    """Several commands one after the other: total time, the largest peak memory."""
    runs = [run(c, cwd, memory=memory) for c in commands]
    return Run(sum(r.seconds for r in runs), max((r.max_rss_mb for r in runs), default=0.0))


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
    from pipeline.catalogs import init
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
    note: str = ""
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


def table(rows: list[Row], ours_by_task: dict[str, Row]) -> list[str]:
    lines = [
        "| task | tool | workload | median total | per page/catalog | ratio to ours | peak RSS |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        ours = ours_by_task.get(row.task)
        ratio = "1.0×" if ours is row else (f"{row.per_unit_ms / ours.per_unit_ms:.1f}× slower" if ours else "")
        if ours is not None and ours is not row and row.per_unit_ms < ours.per_unit_ms:
            ratio = f"{ours.per_unit_ms / row.per_unit_ms:.1f}× faster than ours"
        workload = row.workload + (f" ({row.note})" if row.note else "")
        lines.append(
            f"| {row.task} | {row.tool} | {workload} | {row.seconds:.2f} s | {row.per_unit_ms:.1f} ms "
            f"| {ratio} | {row.max_rss_mb:.0f} MB |"
        )
    return lines


# ---------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--locales", type=int, default=10, choices=range(1, len(LOCALES) + 1), metavar="N")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-pages", type=int, default=50, help="articles of the side-by-side subset")
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
    peers = {name: available(name) for name in ("html2po", "po2html", "po4a-updatepo", "po4a-translate", "msgmerge", "pybabel")}
    for name, present in peers.items():
        if not present:
            say(f"peer {name} is not installed: skipped (see bench/README.md for the one install command)")

    small = work / "subset-pristine"
    subset = subset_project(pristine, small, args.peer_pages, locales)
    n_sub = len(subset)
    rows: list[Row] = []
    ours: dict[str, Row] = {}
    runs = args.runs
    scratch = work / "scratch"

    # --- extract -----------------------------------------------------------
    say("extract ...")
    row = Row("extract", "pipeline extract", f"{n_sub} articles", per=n_sub,
              command="pipeline extract")

    def fresh_subset():
        project = copy_project(small, scratch / "ours")
        for pot in (project / "locales").glob("*.pot"):
            pot.unlink()
        return project

    repeat(row, runs, fresh_subset, lambda p, m: run(pipeline_command("extract", "--project", str(p), "-q"), memory=m))
    rows.append(row)
    ours["extract"] = row
    docs_dir = scratch / "peer-docs"
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    documents = peer_documents(small, subset, docs_dir)
    if peers["html2po"]:
        out = scratch / "html2po-out"
        row = Row("extract", "Translate Toolkit html2po", f"{n_sub} articles", per=n_sub,
                  note="one process, folder in, folder out",
                  command="html2po --pot -i DOCS/ -o POTS/")

        def clear(out=out):
            shutil.rmtree(out, ignore_errors=True)
            return out

        repeat(row, runs, clear, lambda o, m: run(["html2po", "--pot", "-i", str(docs_dir), "-o", str(o)], memory=m))
        rows.append(row)
    if peers["po4a-updatepo"]:
        out = scratch / "po4a-out"
        row = Row("extract", "po4a-updatepo -f xhtml", f"{n_sub} articles", per=n_sub,
                  note="one process per page",
                  command="po4a-updatepo -f xhtml -M UTF-8 -m DOC.html -p DOC.pot")

        def clear_po4a(out=out):
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            return out

        repeat(row, runs, clear_po4a, lambda o, m: run_many([
            ["po4a-updatepo", "-f", "xhtml", "-M", "UTF-8", "-m", str(d), "-p", str(o / (d.stem + ".pot"))]
            for d in documents
        ], memory=m))
        rows.append(row)

    # --- update ------------------------------------------------------------
    say("update ...")
    changed_project = copy_project(small, work / "subset-changed")
    changed = change_paragraphs(changed_project, subset)
    run(pipeline_command("extract", "--project", str(changed_project), "-q"))
    n_changed = sum(len(p) for p in changed.values())
    n_catalogs = n_sub * len(locales)
    quality: dict[str, tuple[int, int, int]] = {}
    row = Row("update", "pipeline update", f"{n_sub} articles × {len(locales)} locales", per=n_catalogs,
              command="pipeline update")

    def fresh_changed():
        return copy_project(changed_project, scratch / "update-ours")

    repeat(row, runs, fresh_changed, lambda p, m: run(pipeline_command("update", "--project", str(p), "-q"), memory=m))
    quality["pipeline update"] = fuzzy_quality(scratch / "update-ours" / "locales", changed, locales)
    rows.append(row)
    ours["update"] = row
    if peers["msgmerge"]:
        row = Row("update", "GNU msgmerge", f"{n_sub} articles × {len(locales)} locales", per=n_catalogs,
                  note="one process per catalog",
                  command="msgmerge --quiet --previous -o NEW.po OLD.po NEW.pot")

        def msgmerge_all(p, memory=False):
            return run_many([
                ["msgmerge", "--quiet", "--previous", "-o", str(p / "locales" / loc / "LC_MESSAGES" / f"{s}.po"),
                 str(p / "locales" / loc / "LC_MESSAGES" / f"{s}.po"), str(p / "locales" / f"{s}.pot")]
                for loc in locales for s in subset
            ], memory=memory)

        repeat(row, runs, lambda: copy_project(changed_project, scratch / "update-msgmerge"), msgmerge_all)
        quality["GNU msgmerge"] = fuzzy_quality(scratch / "update-msgmerge" / "locales", changed, locales)
        rows.append(row)
    if peers["pybabel"]:
        row = Row("update", "pybabel update", f"{n_sub} articles × {len(locales)} locales", per=n_catalogs,
                  note="one process per article, all locales; without --previous, which makes pybabel write unreadable files",
                  command="pybabel update -i P/locales/SLUG.pot -d P/locales -D SLUG")

        def pybabel_all(p, memory=False):
            return run_many([
                ["pybabel", "-q", "update", "-i", str(p / "locales" / f"{s}.pot"),
                 "-d", str(p / "locales"), "-D", s]
                for s in subset
            ], memory=memory)

        repeat(row, runs, lambda: copy_project(changed_project, scratch / "update-pybabel"), pybabel_all)
        quality["pybabel update"] = fuzzy_quality(scratch / "update-pybabel" / "locales", changed, locales)
        rows.append(row)

    # --- build -------------------------------------------------------------
    say("build ...")
    pages_subset = n_sub * (len(locales) + 1)
    row = Row("build", "pipeline build", f"{n_sub} articles × {len(locales) + 1} languages", per=pages_subset,
              note="cold: empty output/; the default --jobs auto", command="pipeline build")

    def cold_subset():
        shutil.rmtree(small / "output", ignore_errors=True)
        return small

    repeat(row, runs, cold_subset, lambda p, m: run(pipeline_command("build", "--project", str(p), "-q"), memory=m))
    rows.append(row)
    ours["build"] = row
    row = Row("build", "pipeline build --jobs 1", f"{n_sub} articles × {len(locales) + 1} languages",
              per=pages_subset, note="cold, one process", command="pipeline build --jobs 1")
    repeat(row, runs, cold_subset,
           lambda p, m: run(pipeline_command("build", "--project", str(p), "-q", "--jobs", "1"), memory=m))
    rows.append(row)
    peer_pages = [(slug, locales[i % len(locales)]) for i, slug in enumerate(subset)]
    if peers["po2html"] and peers["html2po"]:
        html2po_out = scratch / "html2po-out"
        if not html2po_out.is_dir():
            run(["html2po", "--pot", "-i", str(docs_dir), "-o", str(html2po_out)])
        po_dir = scratch / "po2html-po"
        shutil.rmtree(po_dir, ignore_errors=True)
        for slug, locale in peer_pages:
            filled_copy(html2po_out / f"{slug}.pot", po_dir / locale / f"{slug}.po", locale)
        row = Row("build", "Translate Toolkit po2html", f"{len(peer_pages)} pages", per=len(peer_pages),
                  note="one process per locale folder",
                  command="po2html -t DOCS/ -i LOCALE_POS/ -o OUT/LOCALE/")
        out = scratch / "po2html-out"

        def po2html_all(o, memory=False):
            for loc in {loc for _, loc in peer_pages}:
                (o / loc).mkdir(parents=True, exist_ok=True)
            return run_many([
                ["po2html", "-t", str(docs_dir), "-i", str(po_dir / loc), "-o", str(o / loc)]
                for loc in sorted({loc for _, loc in peer_pages})
            ], memory=memory)

        repeat(row, runs, lambda: (shutil.rmtree(out, ignore_errors=True), out)[1], po2html_all)
        rows.append(row)
    if peers["po4a-translate"] and peers["po4a-updatepo"]:
        po4a_po = scratch / "po4a-po"
        shutil.rmtree(po4a_po, ignore_errors=True)
        po4a_po.mkdir(parents=True)
        for slug, locale in peer_pages:
            pot = po4a_po / f"{slug}.pot"
            run(["po4a-updatepo", "-f", "xhtml", "-M", "UTF-8", "-m", str(docs_dir / f"{slug}.html"), "-p", str(pot)])
            filled_copy(pot, po4a_po / locale / f"{slug}.po", locale)
        row = Row("build", "po4a-translate -f xhtml", f"{len(peer_pages)} pages", per=len(peer_pages),
                  note="one process per page",
                  command="po4a-translate -f xhtml -M UTF-8 -k 0 -m DOC.html -p LOCALE.po -l OUT.html")
        out = scratch / "po4a-translate-out"

        def po4a_all(o, memory=False):
            o.mkdir(parents=True, exist_ok=True)
            return run_many([
                ["po4a-translate", "-f", "xhtml", "-M", "UTF-8", "-k", "0", "-m", str(docs_dir / f"{slug}.html"),
                 "-p", str(po4a_po / loc / f"{slug}.po"), "-l", str(o / f"{loc}-{slug}.html")]
                for slug, loc in peer_pages
            ], memory=memory)

        repeat(row, runs, lambda: (shutil.rmtree(out, ignore_errors=True), out)[1], po4a_all)
        rows.append(row)

    # --- the whole site ----------------------------------------------------
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

    row = Row("site", "pipeline build (cold)", f"{len(slugs)} × {len(locales) + 1} pages, --jobs auto", per=pages_full,
              command="pipeline build")
    site_rows.append(repeat(row, runs, cold_site, lambda p, m: run(pipeline_command("build", "--project", str(p), "-q"), memory=m), long_running=True))
    row = Row("site", "pipeline build --jobs 1 (cold)", f"{len(slugs)} × {len(locales) + 1} pages, one process",
              per=pages_full, command="pipeline build --jobs 1")
    site_rows.append(repeat(row, runs, cold_site, lambda p, m: run(pipeline_command("build", "--project", str(p), "-q", "--jobs", "1"), memory=m), long_running=True))
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
    if peers["html2po"]:
        # At this size start-up no longer hides the per-page cost: the ratio that
        # matters for a large site. (po2html and po4a would take hours here.)
        ours_site = Row("extract, whole site", "pipeline extract", f"{len(slugs)} articles", per=len(slugs),
                        command="pipeline extract")
        ours_site.runs, ours_site.memory_mb = site_rows[-1].runs, site_rows[-1].max_rss_mb
        rows.append(ours_site)
        ours[ours_site.task] = ours_site
        site_docs = scratch / "peer-docs-site"
        shutil.rmtree(site_docs, ignore_errors=True)
        peer_documents(site_project(), slugs, site_docs)
        out = scratch / "html2po-site-out"
        row = Row(ours_site.task, "Translate Toolkit html2po", f"{len(slugs)} articles", per=len(slugs),
                  note="one process, folder in, folder out", command="html2po --pot -i DOCS/ -o POTS/")
        repeat(row, runs, lambda: (shutil.rmtree(out, ignore_errors=True), out)[1],
               lambda o, m: run(["html2po", "--pot", "-i", str(site_docs), "-o", str(o)], memory=m), long_running=True)
        rows.append(row)
    row = Row("site", "pipeline --help", "", per=1, command="pipeline --help")
    site_rows.append(repeat(row, max(runs, 5), lambda: None, lambda _, m: run(pipeline_command("--help"), memory=m)))

    report = render(args, locales, rows, ours, quality, n_changed, site_rows, len(slugs), n_sub)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    say(f"written {args.output}")
    return 0


def _row(rows: list[Row], tool: str) -> Row | None:
    return next((r for r in rows if r.tool == tool), None)


def targets(rows: list[Row], ours: dict[str, Row], quality: dict, site_rows: list[Row]) -> list[str]:
    """One line per target of issue 8, measured by this run (absent peers are left out)."""
    lines = []

    def line(target: str, measured: str, met: bool) -> None:
        lines.append(f"| {target} | {measured} | {'yes' if met else 'no'} |")

    def faster(mine: Row | None, peer_tool: str, factor: float, label: str) -> None:
        peer = _row(rows, peer_tool)
        if peer is None or mine is None:
            return
        ratio = peer.per_unit_ms / mine.per_unit_ms
        line(f"{mine.tool.removeprefix('pipeline ')} ≥ {factor:g}× faster than {label}",
             f"{ratio:.1f}× ({mine.per_unit_ms:.1f} vs {peer.per_unit_ms:.1f} ms per page)", ratio >= factor)

    one_process_build = _row(rows, "pipeline build --jobs 1")
    faster(ours.get("extract"), "Translate Toolkit html2po", 10, "html2po")
    site_extract = ours.get("extract, whole site")
    if site_extract is not None:
        peer = next((r for r in rows if r.task == site_extract.task and r is not site_extract), None)
        if peer is not None:
            ratio = peer.per_unit_ms / site_extract.per_unit_ms
            line(f"extract ≥ 10× faster than html2po, whole site ({site_extract.workload})",
                 f"{ratio:.1f}× ({site_extract.per_unit_ms:.1f} vs {peer.per_unit_ms:.1f} ms per page)", ratio >= 10)
    for mine in (ours.get("build"), one_process_build):
        faster(mine, "Translate Toolkit po2html", 10, "po2html")
        faster(mine, "po4a-translate -f xhtml", 50, "po4a-translate")
    msgmerge = _row(rows, "GNU msgmerge")
    if msgmerge is not None and "update" in ours:
        mine = ours["update"].per_unit_ms
        line("update no slower than msgmerge", f"{mine:.1f} vs {msgmerge.per_unit_ms:.1f} ms per catalog",
             mine <= msgmerge.per_unit_ms)
    if "GNU msgmerge" in quality and "pipeline update" in quality:
        mine, theirs = quality["pipeline update"][0], quality["GNU msgmerge"][0]
        line("fuzzy quality at least msgmerge's", f"{mine} vs {theirs} correct", mine >= theirs)
    no_change = _row(site_rows, "pipeline build (no change)")
    if no_change is not None:
        line("no-change build of the whole site < 1 s", f"{no_change.seconds:.2f} s", no_change.seconds < 1)
    memory = max((r.max_rss_mb for r in site_rows), default=0)
    line("peak memory ≤ 200 MB on the whole site", f"{memory:.0f} MB", memory <= 200)
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


def render(args, locales, rows, ours, quality, n_changed, site_rows, articles, n_sub) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `python bench/run.py` (do not edit by hand); "
        f"{args.runs} runs, medians; {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}.",
        "",
        f"Corpus: {articles} articles (real pages cleaned by `pipeline clean`, replicated with small variations) "
        f"× {len(locales)} locales ({', '.join(locales)}), every message translated with a generated text that "
        "keeps the tags. Side by side: the first "
        f"{n_sub} articles, every tool on the same clean documents; the peers work on their own catalogs of them "
        "(their msgids keep the full HTML tags), filled the same way. Times are wall time of the whole "
        "command, process start included. Peak RSS is the largest of the tool's processes, as GNU time's "
        "`%M` reports it (not `wait4` from this script, which would carry the script's own size into every tool); "
        "for the side-by-side rows it comes from one more run of its own, so the timed runs carry no GNU time.",
        "",
        "## Side by side",
        "",
        *table(rows, ours),
        "",
        f"Fuzzy quality after changing 10 % of the paragraphs ({n_changed} messages × {len(locales)} locales): "
        "a correct fuzzy is a changed message offered the old translation of its own previous text.",
        "",
        "| tool | correct fuzzy | other translation offered | total changed |",
        "| --- | ---: | ---: | ---: |",
        *[f"| {tool} | {c} | {w} | {t} |" for tool, (c, w, t) in quality.items()],
        "",
        "## Issue 8's targets",
        "",
        "| target | measured | met |",
        "| --- | --- | :---: |",
        *targets(rows, ours, quality, site_rows),
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
        "## Commands",
        "",
        *[f"- {r.tool}: `{r.command}`" for r in rows + site_rows],
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
