"""``pipeline scrape``: fetch pages as raw snapshots and clean them."""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path
from typing import Any, Callable, TextIO

import click

from pipeline.cli.options import ProjectCommand, lock_options, Reporter, common_options, load_project

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)


class ByteSize(click.ParamType):
    """A size such as ``10M``, ``500K`` or ``20000`` (bytes)."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        match = _SIZE.match(str(value))
        if not match:
            self.fail(f"{value!r} is not a size such as 10M, 500K or 20000", param, ctx)
        number, unit = float(match.group(1)), match.group(2).lower()
        size = int(number * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit])
        if size <= 0:
            self.fail("the size must be more than 0", param, ctx)
        return size


def _parse_pinned_hosts(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]):
    import ipaddress

    pairs = []
    for value in values:
        host, _, address = value.partition(":")
        try:
            ipaddress.ip_address(address.strip("[]"))
        except ValueError:
            raise click.BadParameter(f"{value!r} is not HOST:ADDRESS with an IP address", ctx, param) from None
        if not host:
            raise click.BadParameter(f"{value!r} names no host", ctx, param)
        pairs.append((host.lower(), address.strip("[]")))
    return tuple(pairs)


def fetch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options of how pages are fetched, and pass them as one ``FetchOptions`` as ``fetch``."""
    options = [
        click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt (only for a site you run)."),
        click.option("--contact", envvar="PIPELINE_CONTACT", metavar="URL|EMAIL",
                     help="How site owners reach you, sent in the User-Agent; default: the project's base_url."),
        click.option("--connect-timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
                     show_default=True, help="Seconds to wait for a connection."),
        click.option("--read-timeout", type=click.FloatRange(min=0, min_open=True), default=30.0,
                     show_default=True, help="Seconds to wait for the server to send data."),
        click.option("--max-size", type=ByteSize(), default="10M", show_default=True,
                     help="Refuse pages larger than this."),
        click.option("--max-redirects", type=click.IntRange(min=0), default=5, show_default=True),
        click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
                     help="Attempts more after a 429 or 5xx answer."),
        click.option("--backoff", type=click.FloatRange(min=0), default=1.0, show_default=True,
                     help="Seconds before the first retry, doubled each time (a Retry-After header wins)."),
        click.option("--max-retry-wait", type=click.FloatRange(min=0), default=60.0, show_default=True,
                     help="Never wait longer than this before a retry, whatever Retry-After says."),
        click.option("--allow-private", is_flag=True,
                     help="Let pages and redirects reach loopback, private and other non-public addresses "
                          "(a site on your own network; also [pipeline:scrape] allow_private). A URL typed "
                          "with such an address is always allowed."),
        click.option("--resolve", "pinned_hosts", multiple=True, metavar="HOST:ADDRESS", callback=_parse_pinned_hosts,
                     help="Connect to ADDRESS for HOST instead of resolving it, as curl's --resolve "
                          "(a site before its DNS changes); may be repeated."),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, ignore_robots: bool, contact: str | None, connect_timeout: float, read_timeout: float,
                max_size: int, max_redirects: int, retries: int, backoff: float, max_retry_wait: float,
                allow_private: bool, pinned_hosts: tuple[tuple[str, str], ...], **kwargs: Any) -> Any:
        from pipeline.scraping.fetch import FetchOptions

        fetch = FetchOptions(
            connect_timeout=connect_timeout, read_timeout=read_timeout, max_bytes=max_size,
            max_redirects=max_redirects, retries=retries, backoff_base=backoff,
            max_retry_wait=max_retry_wait, respect_robots=not ignore_robots,
            contact=contact or "", allow_private=allow_private, hosts=pinned_hosts,
        )
        return func(*args, fetch=fetch, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


@click.command(cls=ProjectCommand)
@click.argument("targets", nargs=-1, metavar="URL|FILE...")
@click.option("--slug", help="The article's name under source/ (one URL only); default: from the URL path.")
@click.option("--from", "url_list", type=click.File("r", encoding="utf-8"), metavar="FILE",
              help="Read URLs from FILE ('-' for standard input), one a line; '#' starts a comment.")
@fetch_options
@click.option("--no-clean", is_flag=True, help="Only store the snapshots; do not run clean.")
@common_options
@lock_options
def scrape(targets: tuple[str, ...], slug: str | None, url_list: TextIO | None, fetch, no_clean: bool,
           project_dir: Path, reporter: Reporter, lock) -> None:
    """Fetch web pages (or take saved .html files) and store them under source/.

    \b
    Each page's bytes are kept as served in source/<slug>/snapshot.html, with
    where they came from in provenance.json; then clean makes the article.
    Scraping again asks the server whether the page changed and rewrites
    nothing when it did not; a changed page keeps the old snapshot as
    snapshot.previous.html.

    \b
    Examples:
      pipeline scrape https://example.org/blog/my-article
      pipeline scrape --slug intro https://example.org/p?id=12
      pipeline scrape --from urls.txt
    """
    from pipeline.errors import FetchError
    from pipeline.scraping.scrape import ScrapeOptions, iter_scrape

    all_targets = _all_targets(targets, url_list, slug)
    project = load_project(project_dir)
    options = ScrapeOptions(fetch=fetch, slug=slug, run_clean=not no_clean)
    tally = _Tally()
    with lock.hold(project.root, reporter):
        show_bar = len(all_targets) > 1 and not reporter.quiet
        outcomes = iter_scrape(project, all_targets, options)
        bar_or_plain = (
            click.progressbar(outcomes, length=len(all_targets), label="Scraping", file=sys.stderr)
            if show_bar
            else _Plain(outcomes)
        )
        with bar_or_plain as bar:
            for outcome in bar:
                tally.add(outcome)
                _report_outcome(outcome, reporter, clear_bar=show_bar and sys.stderr.isatty())
    tally.report(reporter)
    if tally.counts["failed"]:
        raise FetchError(f"{tally.counts['failed']} of {len(all_targets)} pages failed")


def _all_targets(targets: tuple[str, ...], url_list: TextIO | None, slug: str | None) -> list[str]:
    """The URLs and saved files asked for (files as absolute paths), the usage checked."""
    from pipeline.scraping.scrape import is_url, read_url_list

    all_targets = list(targets)
    if url_list is not None:
        all_targets += read_url_list(url_list.read())
    if not all_targets:
        raise click.UsageError("give at least one URL or saved file, or --from FILE")
    if slug is not None and len(all_targets) != 1:
        raise click.UsageError("--slug can be given only with a single URL")
    return [t if is_url(t) else str(Path(t).resolve()) for t in all_targets]


def _report_outcome(outcome, reporter: Reporter, clear_bar: bool) -> None:
    """One page's line (failures on stderr, in red), then its details and clean's warnings."""
    if clear_bar:
        click.echo("\r\033[K", nl=False, err=True)  # clear the bar; it is redrawn below the line
    line = f"{outcome.status:<9} {outcome.slug or '-'}  {outcome.url}: {outcome.message}"
    if outcome.failed:
        click.echo(click.style("failed", fg="red") + line[len("failed"):], err=True)
    else:
        reporter.info(line)
    for retry in outcome.retries:
        reporter.detail(f"  retried: {retry}")
    if outcome.slug and not outcome.failed:
        reporter.detail(f"  stored in source/{outcome.slug}/")
    _report_clean_warnings(outcome.clean_result, reporter)


class _Tally:
    """How many pages ended in each state, and which articles changed."""

    def __init__(self) -> None:
        self.counts = {"fetched": 0, "changed": 0, "unchanged": 0, "failed": 0}
        self.changed: list[str] = []

    def add(self, outcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.status == "changed":
            self.changed.append(outcome.slug)

    def report(self, reporter: Reporter) -> None:
        reporter.info(", ".join(f"{n} {status}" for status, n in self.counts.items()))
        if self.changed:
            reporter.info(
                f"content changed in {', '.join(self.changed)}: run `pipeline extract` and then "
                "`pipeline update` to bring the catalogs up to date"
            )


class _Plain:
    """Stands in for a progress bar when none is shown."""

    def __init__(self, items):
        self._items = items

    def __enter__(self):
        return self._items

    def __exit__(self, *exc: object) -> None:
        return None


def _report_clean_warnings(clean_result: object, reporter: Reporter) -> None:
    """Pass on the warnings of clean's results, worded as ``pipeline clean`` words them."""
    from pipeline.cli.clean import warning_line

    for outcome in clean_result or []:
        for warning in outcome.warnings:
            reporter.warn(warning_line(outcome.slug, warning))
