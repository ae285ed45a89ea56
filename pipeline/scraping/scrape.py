"""The ``scrape`` stage: fetch pages (or take saved ones) as raw snapshots, then clean them.

For each target it stores the page's bytes exactly as served in
``source/<slug>/snapshot.html`` and where they came from in
``provenance.json``, then runs ``clean`` on the article. A re-scrape asks the
server whether the page changed (``If-None-Match``/``If-Modified-Since``) and
rewrites nothing when it did not, so timestamps and diffs stay quiet. A
failed target leaves no file behind and does not stop the others.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import unquote, urlsplit

from pipeline import __version__
from pipeline.errors import FetchError, PipelineError
from pipeline.formats.encoding import decode_html
from pipeline.formats.provenance import PROVENANCE_NAME, read_provenance_if_readable, write_provenance
from pipeline.scraping.fetch import FetchOptions, FetchResult, Fetcher, looks_like_html
from pipeline.fsutil import atomic_write_bytes
from pipeline.project import Project
from pipeline.names import slugify, validate_slug

SNAPSHOT_NAME = "snapshot.html"
PREVIOUS_SNAPSHOT_NAME = "snapshot.previous.html"

#: File name endings that say nothing about the article, dropped from URL slugs.
_PAGE_SUFFIX = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cgi)$", re.IGNORECASE)


_CHARSET_SOURCES = {
    "http": "from the HTTP header",
    "bom": "from the byte order mark",
    "meta": "from <meta charset>",
    "detected": "by detection",
}


@dataclass(frozen=True)
class ScrapeOptions:
    fetch: FetchOptions = FetchOptions()
    #: The article's slug; only with a single target.
    slug: str | None = None
    #: Run ``clean`` on each fetched or changed article.
    run_clean: bool = True


@dataclass
class ScrapeOutcome:
    #: The target as given: a URL or a saved file's path.
    url: str
    slug: str | None
    #: "fetched" (new), "unchanged", "changed" (replaced) or "failed".
    status: str
    message: str
    #: What ``clean_articles`` returned, when it ran.
    clean_result: object = None
    retries: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def read_url_list(text: str) -> list[str]:
    """Targets from a list file: one a line; blank lines and ``#`` comments skipped."""
    targets = []
    for line in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if line:
            targets.append(line)
    return targets


def is_url(target: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", target) is not None


def slug_for_target(target: str) -> str:
    """A slug from the last meaningful segment of a URL path or a file name.

    ``https://example.org/blog/what-is-x/`` gives ``what-is-x``; a URL whose
    path gives no ASCII words falls back to the host and a short hash, so two
    such pages never share a folder.
    """
    if is_url(target):
        parts = urlsplit(target)
        segments = [unquote(s) for s in parts.path.split("/") if s]
        name = _PAGE_SUFFIX.sub("", segments[-1]) if segments else ""
        if name.lower() in ("index", "default", "") and len(segments) > 1:
            name = segments[-2]
        if re.search(r"[A-Za-z0-9]", unicodedata_ascii(name)):
            return slugify(name)
        host = slugify(parts.hostname or "page")
        if not segments:
            return host
        return f"{host}-{hashlib.sha256(target.encode('utf-8')).hexdigest()[:8]}"
    name = _PAGE_SUFFIX.sub("", Path(target).name)
    return slugify(name)


def unicodedata_ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def scrape_urls(project: Project, targets: list[str], options: ScrapeOptions) -> list[ScrapeOutcome]:
    """Scrape every target; one outcome each, in order. Never prints."""
    return list(iter_scrape(project, targets, options))


def iter_scrape(project: Project, targets: Iterable[str], options: ScrapeOptions) -> Iterator[ScrapeOutcome]:
    """Like :func:`scrape_urls`, yielding each outcome as soon as it is known (for progress bars)."""
    targets = list(targets)
    if options.slug is not None and len(targets) != 1:
        raise PipelineError("a slug can be given only with a single URL")
    # A saved page is known by its absolute path, so provenance can tell it again.
    targets = [t if is_url(t) else str(Path(t).expanduser().resolve()) for t in targets]
    used: dict[str, str] = {}
    with Fetcher(options.fetch) as fetcher:
        for target in targets:
            yield _scrape_one(project, target, options, fetcher, used)


def _scrape_one(project: Project, target: str, options: ScrapeOptions, fetcher: Fetcher,
                used: dict[str, str]) -> ScrapeOutcome:
    slug = None
    try:
        slug = validate_slug(options.slug) if options.slug is not None else slug_for_target(target)
        validate_slug(slug)
        if slug in used:
            raise PipelineError(f"slug {slug!r} is already used by {used[slug]} in this run; scrape it alone with --slug")
        used[slug] = target
        outcome = _store(project, target, slug, options, fetcher)
    except PipelineError as exc:
        return ScrapeOutcome(url=target, slug=slug, status="failed", message=exc.message)
    if options.run_clean and (outcome.status != "unchanged" or not project.clean_document_path(slug).is_file()):
        _clean(project, outcome)
    return outcome


def _store(project: Project, target: str, slug: str, options: ScrapeOptions, fetcher: Fetcher) -> ScrapeOutcome:
    folder = project.article_dir(slug)
    snapshot = folder / SNAPSHOT_NAME
    stored = read_provenance_if_readable(folder)
    old_bytes = snapshot.read_bytes() if snapshot.is_file() else None

    _refuse_other_article(target, slug, stored, explicit_slug=options.slug is not None)
    if is_url(target):
        same_page = old_bytes is not None and stored.get("url") == target
        result = fetcher.fetch(
            target,
            etag=stored.get("etag") if same_page else None,
            last_modified=stored.get("last_modified") if same_page else None,
        )
        if result.not_modified:
            return ScrapeOutcome(target, slug, "unchanged", "unchanged (HTTP 304 Not Modified)", retries=result.retries)
        body = result.body
    else:
        result = None
        body = _read_saved_page(Path(target), options.fetch.max_bytes)
    retries = result.retries if result else []

    if old_bytes == body:
        if stored:
            _refresh_validators(folder, stored, result)
        else:  # the snapshot lost its provenance: say again where it came from
            write_provenance(folder, make_provenance(body, result, target))
        return ScrapeOutcome(target, slug, "unchanged", "unchanged (same content)", retries=retries)

    provenance = make_provenance(body, result, target)
    if old_bytes is not None:
        atomic_write_bytes(folder / PREVIOUS_SNAPSHOT_NAME, old_bytes)
    atomic_write_bytes(snapshot, body)
    write_provenance(folder, provenance)
    status, message = _stored_message(slug, body, provenance, result, changed=old_bytes is not None)
    return ScrapeOutcome(target, slug, status, message, retries=retries)


def _stored_message(slug: str, body: bytes, provenance: dict, result: FetchResult | None,
                    changed: bool) -> tuple[str, str]:
    """The status and the message of a page stored anew."""
    where = f"source/{slug}/{SNAPSHOT_NAME}"
    facts = f"{len(body):,} bytes, {provenance['charset']} {_CHARSET_SOURCES[provenance['charset_source']]}"
    if result and result.redirects:
        facts += f", redirected to {result.final_url}"
    if result and result.retries:
        facts += f", after {len(result.retries)} retr{'y' if len(result.retries) == 1 else 'ies'}"
    if changed:
        return "changed", (f"changed: {where} replaced ({facts}); previous kept as {PREVIOUS_SNAPSHOT_NAME}; "
                           "run `pipeline extract` and `pipeline update`")
    return "fetched", f"saved {where} ({facts})"


def _refuse_other_article(target: str, slug: str, stored: dict, explicit_slug: bool) -> None:
    """Never let a URL silently take over another article's folder."""
    known = {stored.get("url"), stored.get("final_url"), stored.get("saved_from")} - {None}
    if known and target not in known and not explicit_slug:
        raise PipelineError(
            f"source/{slug} holds another page ({stored.get('url') or stored.get('saved_from')}); "
            "choose a different name with --slug, or give --slug "
            f"{slug} to replace it"
        )


def _read_saved_page(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FetchError(f"{path}: file too large: {size} bytes (limit {max_bytes})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise FetchError(f"no such file: {path} (for a web page give the whole URL, with https://)") from None
    except IsADirectoryError:
        raise FetchError(f"{path} is a folder, not a saved page") from None
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror}") from None
    if not data.strip():
        raise FetchError(f"{path} is empty")
    if not looks_like_html(data):
        raise FetchError(f"{path} is not an HTML page")
    return data


def _clean(project: Project, outcome: ScrapeOutcome) -> None:
    """Run the clean stage; a failure there marks the outcome failed.

    A page new to the project then leaves nothing behind (its snapshot and
    provenance are removed), as a page that failed to download; a changed
    page keeps its new snapshot, beside the previous one.
    """
    try:
        from pipeline.clean import clean_articles
    except ImportError as exc:
        outcome.status, outcome.message = "failed", f"{outcome.message}; but clean is not available ({exc})"
        return
    try:
        outcome.clean_result = clean_articles(project, [outcome.slug])
    except PipelineError as exc:
        if outcome.status == "fetched":
            _remove_new_snapshot(project.article_dir(outcome.slug))
            outcome.message = f"clean failed, nothing kept: {exc.message}"
        else:
            outcome.message = f"{outcome.message}; but clean failed: {exc.message}"
        outcome.status = "failed"


def _remove_new_snapshot(folder: Path) -> None:
    """Take back what storing a new page wrote; files a person put there stay."""
    for name in (SNAPSHOT_NAME, PROVENANCE_NAME):
        (folder / name).unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty: the folder holds the person's own files


# ---------------------------------------------------------------------------
# provenance.json (the format: pipeline.formats.provenance)
# ---------------------------------------------------------------------------


def make_provenance(body: bytes, result: FetchResult | None, target: str) -> dict:
    """The provenance of ``body``, fetched (``result``) or copied from the saved page ``target``;
    the body is decoded here to record its charset."""
    _text, charset, charset_source = decode_html(body, result.http_charset if result else None)
    base = {
        "bytes": len(body),
        "charset": charset,
        "charset_source": charset_source,
        "format": "html",
        "sha256": hashlib.sha256(body).hexdigest(),
        "snapshot": SNAPSHOT_NAME,
    }
    if result is None:
        return base | {
            "url": None, "final_url": None, "status": None, "content_type": None,
            "fetched_at": None, "etag": None, "last_modified": None,
            "saved_from": target,
            "how": f"Saved page copied byte for byte from {target} by pipeline {__version__}; "
                   "its URL and fetch time are not known.",
        }
    hops = f" after {len(result.redirects)} redirect(s)" if result.redirects else ""
    return base | {
        "url": result.url,
        "final_url": result.final_url,
        "status": result.status,
        "content_type": result.content_type,
        "fetched_at": result.fetched_at,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "how": f"Fetched with HTTP GET by pipeline {__version__}{hops}; the body is stored byte for byte as served.",
    }


def _refresh_validators(folder: Path, stored: dict, result: FetchResult | None) -> None:
    """Same bytes under new validators: store them so the next check can be a cheap 304."""
    if result is None or not stored:
        return
    fresh = {"etag": result.etag, "last_modified": result.last_modified}
    if all(stored.get(k) == v for k, v in fresh.items()):
        return
    write_provenance(folder, stored | fresh)
