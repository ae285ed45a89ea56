"""What a build reports: its pages, the pages it skipped, its warnings, and the errors that stop it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import CatalogError, PipelineError


class MissingDocumentError(PipelineError):
    """An article has no clean document to build from."""


class UnreadableCatalogsError(CatalogError):
    """Catalogs that could not be read; every other page was built."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        if len(problems) == 1:  # one line, starting with file:line, as editors and serve expect
            super().__init__(
                f"{problems[0]} (every other page was built; fix the catalog and build again)"
            )
            return
        super().__init__(
            f"{len(problems)} catalogs could not be read; every other page was built:\n"
            + "\n".join(f"  {p}" for p in problems)
            + "\nfix them (`pipeline check` lists every problem) and build again"
        )


@dataclass(frozen=True)
class BuildWarning:
    """Something the build worked around; the page is still written."""

    message: str
    #: The file that holds the cause (a catalog), when there is one.
    path: Path | None = None
    msgid: str = ""
    #: The message's line in ``path``, when known.
    line: int = 0

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else f"{self.path}: " if self.path else ""
        what = f"msgid {self.msgid!r}: " if self.msgid else ""
        return f"{where}{what}{self.message}"


@dataclass
class PageResult:
    """One page written (or skipped) for a locale and an article."""

    slug: str
    locale: str
    tag: str
    #: The page's file, as a string: a large site has tens of thousands of pages,
    #: most of them up to date and never looked at again (see :attr:`path`).
    file: str
    #: Percent of the article catalog translated (100 for the source language).
    completion: float
    published: bool
    draft: bool = False
    #: Blocks of the article, and how many of them show the source text.
    blocks: int = 0
    fallbacks: int = 0
    #: Translations refused by the checks (also counted in ``fallbacks``).
    rejected: int = 0
    #: Where the refused translations are (``file:line``).
    rejected_at: list[str] = field(default_factory=list)
    written: bool = True
    #: False when the page was up to date and not rendered again (incremental build).
    rendered: bool = True

    @property
    def path(self) -> Path:
        return Path(self.file)


@dataclass
class SkippedPage:
    """A page not built because its locale is below the threshold."""

    slug: str
    locale: str
    completion: float
    threshold: float
    #: False when the locale has no catalog for the article at all.
    has_catalog: bool = True


@dataclass
class BuildResult:
    pages: list[PageResult] = field(default_factory=list)
    skipped: list[SkippedPage] = field(default_factory=list)
    #: The root language chooser (see :mod:`pipeline.build.sitepages`).
    index_path: Path | None = None
    sitemap_path: Path | None = None
    #: Home pages, feeds, 404 pages, robots.txt; and those this build wrote (the others were up to date).
    site_pages: list[Path] = field(default_factory=list)
    site_pages_rendered: list[Path] = field(default_factory=list)
    stylesheet_path: Path | None = None
    #: Pages of an earlier build that this one no longer publishes, removed.
    removed: list[Path] = field(default_factory=list)
    warnings: list[BuildWarning] = field(default_factory=list)
    #: Catalogs that could not be read (``file:line: reason; consequence``).
    errors: list[str] = field(default_factory=list)

    @property
    def rendered(self) -> list[tuple[str, str]]:
        """(slug, locale) of the pages rendered by this build; the others were up to date."""
        return [(p.slug, p.locale) for p in self.pages if p.rendered]
