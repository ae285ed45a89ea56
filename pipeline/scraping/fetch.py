"""The HTTP client of ``scrape``.

Built on urllib3 rather than requests: we need per-hop control of redirects
(to check robots.txt and detect loops), a streamed body we can stop reading
at a size cap, and our own retry loop that caps ``Retry-After``; urllib3 gives
pooling, timeouts and streaming directly, and requests would only add a layer
we would have to work around.
"""

from __future__ import annotations

import codecs
import email.utils
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

from pipeline import __version__
from pipeline.errors import FetchError
from pipeline.scraping.netguard import AddressPolicy, RefusedAddress, Resolver, guarded_pool_classes, system_resolve
from pipeline.scraping.netguard import typed_address_is_private

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class FetchOptions:
    """How politely and how patiently to fetch. Defaults suit one person's articles."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    #: Stop a response that keeps trickling bytes: the read timeout alone
    #: applies to each socket read, not to the whole body.
    total_timeout: float = 120.0
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    #: Extra attempts after a 429 or 5xx answer.
    retries: int = 3
    #: The first wait before a retry, doubled each time, when the server says nothing.
    backoff_base: float = 1.0
    #: The longest wait before a retry, whatever ``Retry-After`` asks for.
    max_retry_wait: float = 60.0
    respect_robots: bool = True
    #: URL or e-mail address that lets a site owner reach whoever runs the scrape.
    contact: str = ""
    #: Reach loopback, private and other non-public addresses (a site on your
    #: own network); without it only a URL typed with such an address may.
    allow_private: bool = False
    #: How host names are resolved (``host, port -> addresses``); None: the system's.
    resolve: Resolver | None = None
    #: (host name, address) pairs used instead of resolving, and not checked:
    #: whoever runs the scrape pinned them (as curl's ``--resolve``).
    hosts: tuple[tuple[str, str], ...] = ()

    @property
    def user_agent(self) -> str:
        contact = self.contact.strip()
        return f"pipeline/{__version__}" + (f" (+{contact})" if contact else "")


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    content_type: str | None = None
    http_charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body: bytes = b""
    #: The server answered 304 to our conditional request.
    not_modified: bool = False
    #: Every attempt that was retried, as "503, waited 0.5 s".
    retries: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)
    fetched_at: str = ""


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def split_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset parameter) of a ``Content-Type`` header."""
    if not value:
        return None, None
    parts = value.split(";")
    media = parts[0].strip().lower() or None
    charset = None
    for param in parts[1:]:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip() or None
    return media, charset


class Fetcher:
    """One connection pool, one robots.txt cache: use one per scrape run."""

    def __init__(self, options: FetchOptions, sleep: Callable[[float], None] = time.sleep) -> None:
        import urllib3

        self.options = options
        self._sleep = sleep
        self._urllib3 = urllib3
        self._policy = AddressPolicy(
            resolve=options.resolve or system_resolve,
            allow_private=options.allow_private,
            hosts={name.lower(): address for name, address in options.hosts},
        )
        self._pool = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=options.connect_timeout, read=options.read_timeout),
            retries=False,
            headers={
                "User-Agent": options.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
                "Accept-Encoding": "gzip, deflate",
            },
        )
        self._pool.pool_classes_by_scheme = guarded_pool_classes(self._policy)
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def close(self) -> None:
        self._pool.clear()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the page ---------------------------------------------------------

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url`` following redirects; raise :class:`FetchError` on any failure.

        ``etag``/``last_modified`` make the request conditional; a 304 comes
        back as ``not_modified`` with an empty body. Non-public addresses are
        reached only when ``url`` itself names one (the user's own site) or
        the options allow them.
        """
        check_http_url(url)
        self._allow_private(self.options.allow_private or typed_address_is_private(url))
        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        result = FetchResult(url=url, final_url=url, status=0)
        seen = {_without_fragment(url)}
        current = url
        while True:
            try:
                self._check_robots(current)
                response = self._request_with_retries(current, conditional, result)
            except FetchError as exc:
                if not result.redirects:
                    raise
                raise FetchError(f"redirected to {current}: {exc.message}") from None
            if 300 <= response.status < 400 and response.status != 304:
                location = response.headers.get("Location")
                _discard(response)
                if not location:
                    raise FetchError(f"HTTP {response.status} redirect without a Location header")
                target = urljoin(current, location.strip())
                check_http_url(target)
                if _without_fragment(target) in seen:
                    raise FetchError(f"redirect loop: {current} -> {target}")
                if len(result.redirects) >= self.options.max_redirects:
                    raise FetchError(f"more than {self.options.max_redirects} redirects (last to {target})")
                seen.add(_without_fragment(target))
                result.redirects.append(target)
                current = target
                continue
            return self._finish(response, current, result)

    def _allow_private(self, allowed: bool) -> None:
        if allowed != self._policy.allow_private:
            self._pool.clear()  # a kept-alive connection made under the other rule is not reused
            self._policy.allow_private = allowed

    def _finish(self, response, final_url: str, result: FetchResult) -> FetchResult:
        result.final_url = final_url
        result.status = response.status
        result.fetched_at = utc_now_iso()
        result.etag = response.headers.get("ETag")
        result.last_modified = response.headers.get("Last-Modified")
        result.content_type, result.http_charset = split_content_type(response.headers.get("Content-Type"))
        if response.status == 304:
            _discard(response)
            result.not_modified = True
            return result
        if response.status != 200:
            _discard(response)
            raise FetchError(f"HTTP {response.status} {response.reason or ''}".rstrip())
        if result.content_type is not None and result.content_type not in HTML_TYPES:
            _discard(response)
            raise FetchError(f"not an HTML page (Content-Type: {result.content_type})")
        result.body = self._read_capped(response)
        if not result.body.strip():
            raise FetchError("the server sent an empty page")
        if not looks_like_html(result.body):
            raise FetchError("the body is not HTML (binary data or another format)")
        return result

    def _read_capped(self, response) -> bytes:
        """Read the body in chunks, giving up as soon as it passes the size cap."""
        cap = self.options.max_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            _discard(response)
            raise FetchError(f"page too large: {int(declared)} bytes (limit {cap})")
        deadline = time.monotonic() + self.options.total_timeout
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.stream(CHUNK_SIZE, decode_content=True):
                size += len(chunk)
                if size > cap:
                    raise FetchError(f"page too large: more than {cap} bytes")
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out: the page took more than {self.options.total_timeout:g} s")
                chunks.append(chunk)
        except self._urllib3.exceptions.HTTPError as exc:
            raise FetchError(describe_network_error(exc, self.options)) from None
        finally:
            _discard(response)
        return b"".join(chunks)

    # -- one request, retried -------------------------------------------

    def _request_with_retries(self, url: str, headers: dict[str, str], result: FetchResult):
        attempt = 0
        while True:
            response = self._request(url, headers)
            if response.status not in RETRY_STATUSES or attempt >= self.options.retries:
                return response
            wait = self._retry_wait(response, attempt)
            result.retries.append(f"HTTP {response.status}, waited {wait:g} s")
            _discard(response)
            self._sleep(wait)
            attempt += 1

    def _retry_wait(self, response, attempt: int) -> float:
        asked = parse_retry_after(response.headers.get("Retry-After"))
        wait = asked if asked is not None else self.options.backoff_base * (2**attempt)
        return min(wait, self.options.max_retry_wait)

    def _request(self, url: str, headers: dict[str, str]):
        try:
            return self._pool.request(
                "GET", url, headers=headers or None, redirect=False, retries=False, preload_content=False
            )
        except self._urllib3.exceptions.HTTPError as exc:
            raise FetchError(describe_network_error(exc, self.options)) from None
        except RefusedAddress as exc:
            raise FetchError(
                f"refused: {exc}, not on the public web (give --allow-private to scrape your own network)"
            ) from None

    # -- robots.txt ---------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        if not self.options.respect_robots:
            return
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = self._load_robots(origin)
            self._robots[origin] = parser
        if not parser.can_fetch("pipeline", url):
            raise FetchError(
                f"robots.txt of {origin} disallows {parts.path or '/'} "
                "(use --ignore-robots only for a site you run)"
            )

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        """Fetch and parse robots.txt as RFC 9309 says.

        Up to five redirects are followed; a 4xx (no rules) allows everything;
        a 5xx or a redirect chain that ends nowhere allows nothing.
        """
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        url = origin + "/robots.txt"
        for _hop in range(6):
            response = self._request_with_retries(url, {}, FetchResult(url, url, 0))
            try:
                status = response.status
                location = response.headers.get("Location")
                if 300 <= status < 400 and location:
                    url = urljoin(url, location.strip())
                    if urlsplit(url).scheme not in ("http", "https"):
                        break
                    continue
                if 400 <= status < 500:
                    parser.allow_all = True
                elif status == 200:
                    body = self._read_capped(response)
                    parser.parse(body.decode("utf-8", "replace").splitlines())
                else:
                    parser.disallow_all = True
                return parser
            finally:
                _discard(response)
        parser.disallow_all = True
        return parser


def check_http_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"not an http(s) URL: {url}")


def _without_fragment(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def _discard(response) -> None:
    """Give the connection back, or drop it when the body was not read to the end."""
    try:
        if not response.isclosed():
            response.close()
        response.release_conn()
    except Exception:  # a connection already broken needs no cleanup
        pass


def describe_network_error(exc: Exception, options: FetchOptions) -> str:
    """One line a user understands, for a urllib3 error."""
    from urllib3 import exceptions as ex

    text = str(exc)
    # NewConnectionError subclasses ConnectTimeoutError, so it is tested first.
    if isinstance(exc, ex.NameResolutionError):
        return "host name not found"
    if isinstance(exc, ex.NewConnectionError):
        if "refused" in text.lower():
            return "connection refused"
        return "cannot connect: " + text.split(": ", 1)[-1]
    if isinstance(exc, ex.ConnectTimeoutError):
        return f"timed out connecting (after {options.connect_timeout:g} s)"
    if isinstance(exc, ex.ReadTimeoutError):
        return f"timed out waiting for the server (no data for {options.read_timeout:g} s)"
    if isinstance(exc, ex.SSLError):
        return "TLS/SSL error: " + text
    if isinstance(exc, ex.ProtocolError):
        return "connection broken: " + text
    return f"network error: {text}"


def looks_like_html(data: bytes) -> bool:
    """Refuse bodies that are plainly not markup, whatever the Content-Type claims."""
    head = data[:1024]
    if head.startswith(b"%PDF") or head.startswith(b"PK\x03\x04") or head.startswith(b"\x89PNG"):
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return b"\x00" not in head
