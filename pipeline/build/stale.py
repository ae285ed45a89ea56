"""Pages of an earlier build that this one no longer writes, and their removal from the output."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.build.plan import BuildPlan
from pipeline.project import confine


def remove_output_page(plan: BuildPlan, page: Path) -> bool:
    """Remove an article's page from the output, never through a link out of it; whether there was one."""
    if not os.path.lexists(page):
        return False
    page = confine(plan.output, page, plan.checked_output, "the output folder")
    if not page.is_file():
        return False
    page.unlink()
    remove_emptied_folders(plan.output, page)
    return True


def remove_emptied_folders(output: Path, page: Path) -> None:
    """The article's and the language's folders of a removed page, once they hold nothing else."""
    for folder in (page.parent, page.parent.parent):
        if folder != output and not any(folder.iterdir()):
            folder.rmdir()


def stale_pages(output: Path, written_names: set[str]) -> list[Path]:
    """``<tag>/<slug>/index.html`` files of an earlier build that this build did not write (``written_names``)."""
    if not output.is_dir():
        return []
    # os.scandir, not Path.glob, which is slow over a large site's pages
    stale = []
    for language in os.scandir(output):
        if not language.is_dir(follow_symlinks=False):  # never delete through a link
            continue
        for article in os.scandir(language.path):
            if not article.is_dir(follow_symlinks=False):
                continue
            page = os.path.join(article.path, "index.html")
            if page not in written_names and os.path.isfile(page):
                stale.append(Path(page))
    return sorted(stale)


def remove_stale_pages(output: Path, written_names: set[str]) -> list[Path]:
    """Remove the pages of an earlier build that this whole-site build did not write; the pages removed."""
    removed = stale_pages(output, written_names)
    for stale in removed:
        stale.unlink()
        remove_emptied_folders(output, stale)
    return removed
