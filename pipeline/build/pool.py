"""Where the articles are built: in this process, in a pool of forked worker processes, or on a Dask cluster."""

from __future__ import annotations

import os

from pipeline.build.article import build_article
from pipeline.build.plan import ArticleOutcome, ArticleWork, BuildPlan
from pipeline.build.rendering import Renderer


#: ``--jobs auto``: the articles go to a pool of processes once this process has
#: rendered this many pages and at least :data:`AUTO_POOL_MIN_ARTICLES` articles
#: are left. A pool costs its start-up and sends every article's work and
#: outcome between processes; a build after one saved catalog renders a page or
#: two and must not pay that, a cold build of hundreds of pages gains from it.
AUTO_POOL_AFTER_PAGES = 22
AUTO_POOL_MIN_ARTICLES = 8


def available_cpus() -> int:
    """The CPUs this process may run on (a container or ``taskset`` can allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_works(plan: BuildPlan, works: list[ArticleWork], jobs: int | None, renderer: Renderer, scheduler: str = ""):
    """Each article's outcome, in order; in ``jobs`` processes (None: decided as it goes, see above),
    or on the Dask cluster whose scheduler is at ``scheduler`` (:mod:`pipeline.build.distributed`)."""
    if scheduler:
        # imported for a build on a cluster only: its thread pool loads concurrent.futures and logging
        from pipeline.build.distributed import run_on_cluster

        yield from run_on_cluster(plan, works, scheduler)
        return
    processes = available_cpus() if jobs is None else jobs
    rendered = 0
    for position, work in enumerate(works):
        left = len(works) - position  # counted, not sliced: a copy of the rest at every article adds up
        # the first article is always built here, so the workers start with what it loaded
        if processes > 1 and position >= 1 and left >= 2:
            if jobs is not None or (rendered >= AUTO_POOL_AFTER_PAGES and left >= AUTO_POOL_MIN_ARTICLES):
                yield from _run_in_pool(plan, works[position:], processes, renderer)
                return
        outcome = build_article(plan, work, renderer)
        rendered += sum(1 for page in outcome.pages if page.rendered)
        yield outcome


def _run_in_pool(plan: BuildPlan, works: list[ArticleWork], processes: int, renderer: Renderer):
    from pipeline.workers import worker_pool

    # Forked workers (Linux) are handed this process's renderer: templates compiled,
    # site catalogs read, locale data loaded by the pages rendered so far.
    with worker_pool(processes, _start_worker, (renderer,)) as pool:  # workers that die with this process
        # chunks: fewer round trips; map keeps the order, so the output does not depend on jobs
        yield from pool.map(
            _build_article_in_worker,
            [plan] * len(works),
            works,
            chunksize=max(1, min(16, len(works) // (processes * 4))),
        )


#: The renderer of a worker process of ``--jobs``, set by :func:`_start_worker` in the worker only.
_worker_renderer: Renderer | None = None


def _start_worker(renderer: Renderer) -> None:
    global _worker_renderer
    _worker_renderer = renderer


def _build_article_in_worker(plan: BuildPlan, work: ArticleWork) -> ArticleOutcome:
    assert _worker_renderer is not None, "a worker of the pool starts with _start_worker"
    return build_article(plan, work, _worker_renderer)
