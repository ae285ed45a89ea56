"""``build --scheduler``: the articles' pages made on the workers of a Dask distributed cluster.

No shared file system: each task carries what its article's pages are made
from (the clean document and the article's catalogs; the templates, the site
catalogs and the plan go to each worker once, as one task the scheduler can
run again). A worker writes them into a folder of its own (an input whose
bytes it wrote there before, it leaves alone), builds the article
there with the very code of a local build (:func:`pipeline.build.article.build_article`),
whose pages are kept in memory rather than written to the worker's disk (the
plan's ``page_writer``), and sends back the outcome and those pages' bytes; this
process writes the pages with the same writer as a local build, so the
output and the manifest records are the same bytes. (The stylesheet, the
index, the sitemap and the other site pages are written here as by a local
build: no page of an article needs them.)

An article whose pages are all up to date sends no task: it is first built
here with a renderer that stops at the first page to render
(:class:`_Probe`), which a build after no change never reaches; the cluster
is reached only when a first task is needed. Results are taken as they
complete and only a window of tasks (of up to :data:`MAX_ARTICLES_PER_TASK`
articles) is in flight, so this process holds a few articles at a time,
whatever the site's size.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import stat
import tempfile
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from pipeline.build.article import build_article
from pipeline.build.plan import ArticleOutcome, ArticleWork, BuildPlan, input_paths
from pipeline.build.rendering import Renderer
from pipeline.build.state import FileHashes
from pipeline.build.stale import remove_output_page
from pipeline.names import SITE_DOMAIN
from pipeline.errors import PipelineError
from pipeline.project import Project, confine

#: How many times a task is run again after its worker died or it failed.
RETRIES = 3
#: Tasks in flight per worker thread of the cluster: enough to keep every worker busy.
TASKS_PER_THREAD = 4
#: Articles in one task at most: fewer round trips through the scheduler (as the local pool's chunks).
MAX_ARTICLES_PER_TASK = 8
#: Threads writing the pages that come back, and how many articles may wait for them.
WRITER_THREADS = 4
MAX_ARTICLES_WRITING = 4 * MAX_ARTICLES_PER_TASK
#: How long to wait for the scheduler to answer, in seconds.
CONNECT_TIMEOUT = 30


class ClusterError(PipelineError):
    """Dask is missing, or its scheduler cannot be reached."""


class _PageToRender(Exception):
    """Raised by :class:`_Probe`: the article has a page to render, so it goes to the cluster."""


class _Probe:
    """A renderer that stops the article's build at the first use: the page needs making."""

    def __getattr__(self, name: str):
        raise _PageToRender


@dataclass
class _SiteInputs:
    """What every article's task needs: the plan and the files shared by all pages."""

    plan: BuildPlan
    #: ``templates/`` of the project: path relative to it -> bytes.
    templates: dict[str, bytes]
    #: locale -> bytes of its ``site.po``.
    site_catalogs: dict[str, bytes]
    version: str


@dataclass
class _ArticleTask:
    work: ArticleWork
    document: bytes
    #: locale -> bytes of the article's catalog, for those that exist.
    catalogs: dict[str, bytes]
    #: locale -> size of the article's page already in the output (a page is
    #: reused when its record says this size, see ``_page_intact``).
    pages: dict[str, int] = field(default_factory=dict)


@dataclass
class _TaskResult:
    outcome: ArticleOutcome
    #: locale -> bytes of each page rendered.
    pages: dict[str, bytes]


# ---------------------------------------------------------------------------
# This process: send the articles, write what comes back
# ---------------------------------------------------------------------------


def run_on_cluster(plan: BuildPlan, works: list[ArticleWork], scheduler: str) -> Iterator[ArticleOutcome]:
    """Each article's outcome, in the order of ``works``, its pages made on the cluster at ``scheduler``.

    The cluster is reached at the first article with a page to render: a
    build after no change neither imports Dask nor needs the cluster up.
    """
    cluster = _Connection(scheduler)
    try:
        yield from _run(cluster, plan, works)
    finally:
        cluster.close()


class _Connection:
    """The client of the cluster, made when first needed."""

    def __init__(self, scheduler: str) -> None:
        self.scheduler = scheduler
        self.client = None
        self.distributed = None

    def connect(self):
        if self.client is None:
            self.distributed = _import_distributed()
            try:
                self.client = self.distributed.Client(self.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise ClusterError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
        return self.client

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterError(
            "--scheduler needs Dask distributed: pip install 'pipeline[dask]' (or dask[distributed])"
        ) from None
    return distributed


def _run(cluster: _Connection, plan: BuildPlan, works: list[ArticleWork]) -> Iterator[ArticleOutcome]:
    # The pages that come back are written by a few threads, so that this one process keeps up with
    # the cluster: a local build's processes each write their own pages, and writing (folders, files,
    # renames) is mostly waiting for the file system, which threads do side by side.
    with ThreadPoolExecutor(max_workers=WRITER_THREADS, thread_name_prefix="pipeline-write") as writer:
        yield from _run_writing(cluster, plan, works, _Writes(writer))


class _Writes:
    """The articles whose pages are being written; at most :data:`MAX_ARTICLES_WRITING` at a time,
    so that this process holds a few articles' pages whatever the site's size."""

    def __init__(self, executor: ThreadPoolExecutor) -> None:
        self.executor = executor
        self.pending: deque[Future] = deque()

    def submit(self, plan: BuildPlan, result: "_TaskResult", file_records: dict[str, list]) -> Future:
        while len(self.pending) >= MAX_ARTICLES_WRITING:
            self.pending.popleft().result()
        future = self.executor.submit(_written, plan, result, file_records)
        self.pending.append(future)
        return future


def _outcome(item: "ArticleOutcome | Future") -> ArticleOutcome:
    return item.result() if isinstance(item, Future) else item


def _run_writing(cluster: _Connection, plan: BuildPlan, works: list[ArticleWork], writes: _Writes) -> Iterator[ArticleOutcome]:
    site = sent = None
    window = per_task = 1
    done: dict[int, ArticleOutcome | Future] = {}
    batch: list[tuple[int, _ArticleTask, dict[str, list]]] = []
    ready = 0  # the position of the next outcome to give, in order as a local build gives them
    for position, work in enumerate(works):
        outcome, task = _outcome_or_task(plan, work)
        if task is None:
            done[position] = outcome
        else:
            if sent is None:
                client = cluster.connect()
                window = max(1, TASKS_PER_THREAD * sum(client.nthreads().values()))
                per_task = max(1, min(MAX_ARTICLES_PER_TASK, (len(works) - position) // window))
                sent = cluster.distributed.as_completed(loop=client.loop)
                # a task, not scattered data: the scheduler runs it again if its worker dies
                site = client.submit(_site_inputs_of, _site_inputs(plan), pure=False, retries=RETRIES)
            batch.append((position, task, outcome.file_records))
        if batch and (len(batch) >= per_task or position == len(works) - 1):
            sent.add(_submit(cluster.client, site, batch))
            batch = []
        while sent is not None and sent.count() >= window:
            _take(next(sent), plan, done, writes)
        while ready in done:
            yield _outcome(done.pop(ready))
            ready += 1
    for future in sent or ():
        _take(future, plan, done, writes)
        while ready in done:
            yield _outcome(done.pop(ready))
            ready += 1


def _submit(client, site, batch: list[tuple[int, _ArticleTask, dict[str, list]]]):
    key = f"pipeline-article-{batch[0][1].work.slug}-{os.urandom(6).hex()}"
    tasks = [task for _, task, _ in batch]
    future = client.submit(build_articles_task, site, tasks, pure=False, retries=RETRIES, key=key)
    future.positions = [(position, file_records) for position, _, file_records in batch]
    return future


def _take(future, plan: BuildPlan, done: dict, writes: _Writes) -> None:
    """Start writing the pages of a finished task; its outcomes wait in ``done`` for their turn."""
    results: list[_TaskResult] = future.result()
    future.release()
    for (position, file_records), result in zip(future.positions, results):
        done[position] = writes.submit(plan, result, file_records)


def _outcome_or_task(plan: BuildPlan, work: ArticleWork) -> tuple[ArticleOutcome, _ArticleTask | None]:
    """The article's outcome when none of its pages needs rendering, else the task that makes them
    with an outcome holding only the records of its input files (the rest comes from the worker)."""
    pages = _existing_pages(plan, work.slug)  # before the probe, which may remove some
    if work.old_article:  # a new article has nothing to reuse
        try:
            return build_article(plan, work, _Probe()), None
        except _PageToRender:
            pass
    # the stat of this machine's files, which the next build compares with, taken before their
    # bytes are read: the bytes hashed for those records are the bytes sent
    hashes = FileHashes(plan.project.root, work.old_files, plan.started_ns, keep_contents=True)
    document_path, catalog_paths = input_paths(plan, work.slug)
    hashes.hash(document_path)
    document = _input_bytes(hashes, document_path)
    catalogs = {}
    for locale, path in catalog_paths.items():
        if hashes.hash(path):  # "": it has none
            try:
                catalogs[locale] = _input_bytes(hashes, path)
            except FileNotFoundError:  # removed since
                continue
    return ArticleOutcome(work.slug, file_records=hashes.records), _ArticleTask(work, document, catalogs, pages)


def _input_bytes(hashes: FileHashes, path: str) -> bytes:
    """The file's bytes: those read to hash it, else read now (its stat was as recorded)."""
    data = hashes.contents(path)
    if data is None:
        with open(path, "rb") as file:
            data = file.read()
    return data


def _existing_pages(plan: BuildPlan, slug: str) -> dict[str, int]:
    """locale -> size of the article's page in the output, for those there (as ``_page_intact`` sees them)."""
    sizes = {}
    for locale in plan.infos:
        try:
            status = os.stat(plan.page_file(locale, slug))
        except (FileNotFoundError, NotADirectoryError):
            continue
        if stat.S_ISREG(status.st_mode):
            sizes[locale] = status.st_size
    return sizes


def _written(plan: BuildPlan, result: _TaskResult, file_records: dict[str, list]) -> ArticleOutcome:
    """The worker's outcome once its pages are in the output, as :func:`build_article` leaves it."""
    outcome = result.outcome
    for page in outcome.pages:
        if page.rendered:
            # never written through a linked language or article folder that leads out of the output
            path = confine(plan.output, Path(page.file), plan.checked_output, "the output folder")
            page.written = plan.page_writer(path, result.pages[page.locale])
    for page in outcome.removed:  # pages the worker left out (their catalog cannot be read)
        remove_output_page(plan, page)
    outcome.file_records = file_records
    return outcome


def _site_inputs(plan: BuildPlan) -> _SiteInputs:
    from pipeline import __version__

    project = plan.project
    templates = {}
    folder = project.templates_dir
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                templates[str(path.relative_to(folder))] = path.read_bytes()
    site_catalogs = {}
    for locale in plan.locales[1:]:
        path = project.catalog_path(locale, SITE_DOMAIN)
        if path.is_file():
            site_catalogs[locale] = path.read_bytes()
    return _SiteInputs(plan, templates, site_catalogs, __version__)


def _site_inputs_of(site: _SiteInputs) -> _SiteInputs:
    return site


# ---------------------------------------------------------------------------
# A worker: build an article in a folder of its own
# ---------------------------------------------------------------------------


class _RenderedPages:
    """The pages a worker's build renders: path -> bytes, kept in memory, not written to its disk."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}

    def keep(self, path: Path, data: bytes) -> bool:
        self.pages[str(path)] = data
        return True  # the build's own machine writes it, and says whether it changed


@dataclass
class _WorkerSite:
    """A worker's copy of the site's shared inputs, made once per build and process."""

    key: str
    folder: str
    plan: BuildPlan
    renderer: Renderer
    #: The pages of the article being built, kept to be sent back instead of written (``plan.page_writer``).
    rendered: _RenderedPages
    #: one article at a time: the renderer installs each page's translations before rendering it
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: path -> digest of the article input a task last wrote there: the same bytes are not written
    #: again (a cluster builds the same site again and again, and each write waits for the disk)
    inputs: dict[str, bytes] = field(default_factory=dict)


_worker_sites: dict[str, _WorkerSite] = {}
_worker_sites_lock = threading.Lock()


def build_articles_task(site: _SiteInputs, tasks: list[_ArticleTask]) -> list[_TaskResult]:
    """Run on a worker: each article's outcome, its paths those of the build's own machine, and its pages."""
    from pipeline import __version__

    if site.version != __version__:
        raise ClusterError(f"a worker has pipeline {__version__}, the build {site.version}: install the same version")
    local = _worker_site(site)
    return [_build_in(local, site, task) for task in tasks]


def _build_in(local: "_WorkerSite", site: _SiteInputs, task: _ArticleTask) -> _TaskResult:
    with local.lock:
        _write_article(local, task)
        try:
            outcome = build_article(local.plan, dataclasses.replace(task.work, old_files={}), local.renderer)
            rendered = local.rendered.pages
            pages = {page.locale: rendered[str(Path(page.file))] for page in outcome.pages if page.rendered}
        except PipelineError as exc:  # a template error names the template: on the build's machine
            exc.message = _moved(exc.message, local, site.plan)
            exc.args = tuple(_moved(list(exc.args), local, site.plan))
            raise
        finally:
            local.rendered.pages.clear()
            _clear_pages(local, task)
    return _TaskResult(_moved(outcome, local, site.plan), pages)


def _worker_site(site: _SiteInputs) -> _WorkerSite:
    key = site.plan.site_hash + repr(sorted(site.plan.site_catalogs.items()))
    with _worker_sites_lock:
        if key not in _worker_sites:
            for old in _worker_sites.values():  # an earlier build's copy
                shutil.rmtree(old.folder, ignore_errors=True)
            _worker_sites.clear()
            _worker_sites[key] = _materialise(site, key)
        return _worker_sites[key]


def _materialise(site: _SiteInputs, key: str) -> _WorkerSite:
    folder = tempfile.mkdtemp(prefix="pipeline-build-", dir=_worker_directory())
    root = Path(folder, "project")
    for name, data in site.templates.items():
        _write(root / "templates" / name, data)
    for locale, data in site.site_catalogs.items():
        _write(root / "locales" / locale / "LC_MESSAGES" / f"{SITE_DOMAIN}.po", data)
    (root / "source").mkdir(parents=True, exist_ok=True)
    project = Project(root=root, settings=site.plan.project.settings)
    rendered = _RenderedPages()
    plan = dataclasses.replace(site.plan, project=project, output=Path(folder, "output"), page_writer=rendered.keep)
    return _WorkerSite(key, folder, plan, Renderer(project), rendered)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _write_article(local: _WorkerSite, task: _ArticleTask) -> None:
    plan, slug = local.plan, task.work.slug
    document_path, catalog_paths = input_paths(plan, slug)
    _write_input(local, document_path, task.document)
    for locale, path in catalog_paths.items():
        if locale in task.catalogs:
            _write_input(local, path, task.catalogs[locale])
        elif os.path.lexists(path):  # left by an earlier task of the article
            local.inputs.pop(path, None)
            os.unlink(path)
    for locale, size in task.pages.items():  # same size, so the records of intact pages are reused
        page = Path(plan.page_file(locale, slug))
        page.parent.mkdir(parents=True, exist_ok=True)
        with open(page, "wb") as file:
            file.truncate(size)


def _write_input(local: _WorkerSite, path: str, data: bytes) -> None:
    """``data`` at ``path`` in the worker's copy of the project, written only if a task left other bytes there."""
    digest = hashlib.blake2b(data, digest_size=16).digest()
    if local.inputs.get(path) != digest:
        local.inputs.pop(path, None)  # a write cut short leaves no record of what it replaced
        _write(Path(path), data)
        local.inputs[path] = digest


def _clear_pages(local: _WorkerSite, task: _ArticleTask) -> None:
    """The stand-ins of the article's pages out of the worker's output, so the next task sees only those it brings.

    Rendered pages are never written there (:class:`_RenderedPages`). Its
    inputs and folders stay, overwritten by its next task: a file system
    under load makes each removal cost milliseconds.
    """
    for locale in task.pages:
        try:
            os.unlink(local.plan.page_file(locale, task.work.slug))
        except FileNotFoundError:  # removed by the build: its catalog cannot be read
            pass


def _worker_directory() -> str | None:
    """The Dask worker's own scratch folder (removed with the worker), or the system's outside a worker."""
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return None


def _moved(value, local: _WorkerSite, plan: BuildPlan):
    """``value`` with the worker's folders replaced by the project's and the output's of the build."""
    swaps = ((str(local.plan.project.root), str(plan.project.root)), (local.plan.output_text, str(plan.output)))
    return _swapped(value, swaps)


def _swapped(value, swaps):
    if isinstance(value, str):
        for old, new in swaps:
            if old in value:
                value = value.replace(old, new)
        return value
    if isinstance(value, Path):
        return Path(_swapped(str(value), swaps))
    if isinstance(value, list):
        return [_swapped(item, swaps) for item in value]
    if isinstance(value, tuple):
        return tuple(_swapped(item, swaps) for item in value)
    if isinstance(value, dict):
        return {key: _swapped(item, swaps) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: _swapped(getattr(value, f.name), swaps) for f in dataclasses.fields(value) if f.init}
        )
    return value
