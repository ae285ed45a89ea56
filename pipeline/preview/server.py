"""The ``serve`` stage: a live preview for translators.

Every locale is built, drafts included (marked as drafts), into a temporary
folder (``pipeline-preview-*`` under the system's temp folder, removed when
the server stops), never into ``output/``: a preview can never end up in a
publish. The files under ``source/``, ``locales/``, the project's
``templates/``, the packaged templates and ``setup.cfg`` are polled every
:data:`POLL_INTERVAL` seconds (modification time and size; no extra dependency): saving an article's
``.po`` rebuilds only that article in that locale, anything else rebuilds all.
When a rebuild changes which locales are published, all pages are rebuilt too,
since the language switchers and the index change.

Each preview page loads ``/__pipeline/reload.js``, which polls
``/__pipeline/state`` (the build number, errors and warnings): the page reloads
after a successful build and shows catalog errors in a banner; a failed build
keeps the last good pages and the server keeps running. ``/__status`` is the
translation status page.

The stage never prints: :func:`serve` yields :class:`ServeEvent` objects and
the command prints them.
"""

from __future__ import annotations

import functools
import json
import queue
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.packaged import PACKAGE_TEMPLATES
from pipeline.catalogs.glossary import project_glossary_findings
from pipeline.checks import catalog_paths
from pipeline.names import SITE_DOMAIN
from pipeline.errors import LockedError, PipelineError
from pipeline.preview.gate import inside, refusal
from pipeline.project import Project
from pipeline.settings import Settings

POLL_INTERVAL = 0.5
SETTINGS_FILE = "setup.cfg"
RELOAD_SCRIPT_PATH = "/__pipeline/reload.js"
STATE_PATH = "/__pipeline/state"
STATUS_PATHS = ("/__status", "/__status/")

#: The preview script. It reloads the page when the build number changes and
#: shows errors (and, folded, warnings) of the last build in a banner.
RELOAD_SCRIPT = r"""(function () {
  "use strict";
  var seen = null;
  var BANNER = "pipeline-preview-banner";
  function line(kind, text) {
    var p = document.createElement("p");
    p.className = "pipeline-preview-banner__" + kind;
    p.style.margin = ".25rem 0";
    p.textContent = text;
    return p;
  }
  function show(state) {
    var old = document.getElementById(BANNER);
    if (old) { old.parentNode.removeChild(old); }
    if (!state.errors.length && !state.warnings.length) { return; }
    var box = document.createElement("div");
    box.id = BANNER;
    box.setAttribute("role", state.errors.length ? "alert" : "status");
    box.setAttribute("lang", "en");
    box.setAttribute("dir", "ltr");
    box.setAttribute("translate", "no");
    box.style.cssText = "font: 14px/1.4 system-ui, sans-serif; padding: .5rem 1rem; white-space: pre-wrap;" +
      "text-align: left; border-bottom: 2px solid " + (state.errors.length ? "#cf222e; background: #ffebe9; color: #82071e;"
      : "#d4a72c; background: #fff8c5; color: #4d2d00;");
    state.errors.forEach(function (text) { box.appendChild(line("error", "Error: " + text)); });
    if (state.warnings.length) {
      var details = document.createElement("details");
      var summary = document.createElement("summary");
      summary.textContent = state.warnings.length + (state.warnings.length === 1 ? " warning" : " warnings");
      details.appendChild(summary);
      state.warnings.forEach(function (text) { details.appendChild(line("warning", text)); });
      box.appendChild(details);
    }
    document.body.insertBefore(box, document.body.firstChild);
  }
  function poll() {
    fetch("/__pipeline/state", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (seen !== null && state.build !== seen) { window.location.reload(); return; }
        seen = state.build;
        show(state);
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 1000); });
  }
  poll();
})();
"""


@dataclass(frozen=True)
class ServeEvent:
    """Something the command tells the user: ``listening``, ``built``, ``error``, ``warning``."""

    kind: str
    message: str
    url: str = ""
    paths: tuple[Path, ...] = ()


# ---------------------------------------------------------------------------
# Watching
# ---------------------------------------------------------------------------


def watched_roots(root: Path) -> list[Path]:
    return [root / "source", root / "locales", root / "templates", root / SETTINGS_FILE, PACKAGE_TEMPLATES]


class Watcher:
    """Polls files under some folders and tells which were added, changed or removed since last time."""

    def __init__(self, roots: Iterable[Path]):
        self.roots = list(roots)
        self.state = self._snapshot()

    def _snapshot(self) -> dict[Path, tuple[int, int]]:
        state: dict[Path, tuple[int, int]] = {}
        for root in self.roots:
            paths = [root] if root.is_file() else (root.rglob("*") if root.is_dir() else [])
            for path in paths:
                try:
                    info = path.stat()
                except OSError:
                    continue  # removed while we looked
                if path.is_file() and not path.name.startswith("."):  # editors' swap files, atomic-write temps
                    state[path] = (info.st_mtime_ns, info.st_size)
        return state

    def changes(self) -> set[Path]:
        new = self._snapshot()
        changed = {p for p in new.keys() | self.state.keys() if new.get(p) != self.state.get(p)}
        self.state = new
        return changed


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(modification time, size) of a file, None when there is none: what tells it changed."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def unexpected_error(exc: Exception) -> str:
    """An exception no stage foresaw (a bug, or a failure of the system the build did not expect),
    in one line with the place it arose, for a bug report."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"unexpected error: {type(exc).__name__}: {exc}{where}"


def rebuild_scope(project: Project, changed: Iterable[Path]) -> set[tuple[str, str]] | None:
    """The (slug, locale) pages to rebuild for ``changed`` files; None for everything, an empty set for nothing.

    Only an article's own catalog narrows the rebuild; ``.pot`` templates are
    not read by the build and change nothing on the pages.
    """
    pairs: set[tuple[str, str]] = set()
    slugs = set(project.all_slugs())
    for path in changed:
        try:
            parts = path.relative_to(project.locales_dir).parts
        except ValueError:
            return None
        if len(parts) == 1 and path.suffix == ".pot":
            continue
        if len(parts) == 3 and parts[1] == "LC_MESSAGES" and path.suffix == ".po":
            domain = path.stem
            if domain != SITE_DOMAIN and domain in slugs and path.parent.parent.name in project.catalog_locales():
                pairs.add((domain, parts[0]))
                continue
        if path.suffix in (".mo", ".pot") or path.name.endswith("~"):
            continue
        return None
    return pairs


def glossary_warnings(project, pages: set[tuple[str, str]] | None = None) -> list[str]:
    """One line per glossary break in the catalogs of ``pages`` ((slug, locale); all when None),
    as ``check`` words them, for ``serve``'s banner."""
    if pages is None:
        paths = catalog_paths(project.locales_dir, project.catalog_locales())
    else:
        paths = [project.catalog_path(locale, slug) for slug, locale in sorted(pages)]
        paths = [path for path in paths if path.is_file()]
    lines = []
    for finding in project_glossary_findings(project.locales_dir, project.settings.source_language, paths):
        shown = finding.msgid if len(finding.msgid) <= 60 else finding.msgid[:57] + "..."
        where = finding.path.relative_to(project.root).as_posix()
        lines.append(f"{where}:{finding.line}: [glossary] {finding.problem.message} (msgid {shown!r})")
    return lines


# ---------------------------------------------------------------------------
# The preview site
# ---------------------------------------------------------------------------


@dataclass
class PreviewState:
    build: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class PreviewSite:
    """The preview's folder and the state its pages poll."""

    def __init__(self, root: Path, folder: Path):
        self.root = Path(root).resolve()
        self.folder = Path(folder)
        self.state = PreviewState()
        self.published: dict[tuple[str, str], bool] = {}
        self._lock = threading.Lock()
        self._settings: Settings | None = None
        self._settings_stamp: tuple[int, int] | None = None
        self._settings_lock = threading.Lock()  # the status page asks from the server's threads

    def project(self) -> Project:
        """The project, its settings read again only when ``setup.cfg`` changed since (or could
        not be read last time). A new :class:`Project` each time all the same: it remembers which
        folders it found to be no link out of the project, and one may have become one since."""
        stamp = file_stamp(self.root / SETTINGS_FILE)
        with self._settings_lock:
            if self._settings is None or stamp != self._settings_stamp:
                self._settings = None
                self._settings = Project.load(self.root).settings
                self._settings_stamp = stamp
            return Project.load(self.root, self._settings)

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {"build": self.state.build, "errors": list(self.state.errors), "warnings": list(self.state.warnings)}

    def _build(self, project: Project, locales: list[str] = (), slugs: list[str] = ()):
        from pipeline.build.site import BuildOptions, build_site
        from pipeline.fsutil import project_lock

        options = BuildOptions(
            locales=locales, slugs=slugs, include_drafts=True, base_url="", output_dir=self.folder, preview=True
        )
        with project_lock(project.root):  # an update saving catalogs meanwhile waits for the build
            return build_site(project, options)

    def rebuild(self, changed: Iterable[Path] | None = None) -> list[ServeEvent]:
        """Rebuild what ``changed`` touches (everything when None); events say what happened.

        Whatever goes wrong, the preview keeps its last good pages and says why in its banner:
        an unexpected error (a bug, a file the build did not foresee) too, with where it arose.
        """
        started = time.monotonic()
        try:
            built = self._build_changed(list(changed) if changed is not None else None)
            if built is None:
                return []
            project, scope, results = built
            warnings = self._warnings(project, scope, results)
        except LockedError as exc:
            return [ServeEvent("error", f"{exc.message} (the preview will be rebuilt on the next change)")]
        except PipelineError as exc:
            return self._failed(exc.message)
        except Exception as exc:  # noqa: BLE001 (the preview must outlive any one build)
            return self._failed(unexpected_error(exc))
        return self._built(scope, results, warnings, time.monotonic() - started)

    def _build_changed(self, changed: list[Path] | None):
        """(project, scope, build results) for ``changed``, scope None for a whole build; None when
        nothing on the pages changed."""
        project = self.project()
        scope = None if changed is None else rebuild_scope(project, changed)
        if scope is not None and self.state.errors:
            scope = None  # the last build failed: only a whole build says whether all is well again
        if scope is not None and not scope:
            return None
        if scope is None:
            return project, scope, [self._build(project)]
        results = [self._build(project, [locale], [slug]) for slug, locale in sorted(scope)]
        if self._published_changed(results):
            return project, None, [self._build(project)]
        return project, scope, results

    def _warnings(self, project: Project, scope: set[tuple[str, str]] | None, results) -> list[str]:
        warnings = [str(w) for r in results for w in r.warnings if not w.message.startswith("no base URL")]
        try:
            warnings += glossary_warnings(project, scope)
        except PipelineError as exc:  # a glossary that cannot be read: said, and the preview goes on
            warnings.append(exc.message)
        return warnings

    def _failed(self, message: str) -> list[ServeEvent]:
        with self._lock:
            self.state.errors = [message]
        return [ServeEvent("error", message)]

    def _built(self, scope: set[tuple[str, str]] | None, results, warnings: list[str], seconds: float) -> list[ServeEvent]:
        pages = [p for r in results for p in r.pages]
        for page in pages:
            self.published[(page.slug, page.locale)] = page.published
        with self._lock:
            self.state.build += 1
            self.state.errors = []
            self.state.warnings = list(dict.fromkeys(warnings))
            number = self.state.build
        drafts = sum(1 for p in pages if p.draft)
        what = "all pages" if scope is None else ", ".join(f"{loc}/{slug}" for slug, loc in sorted(scope))
        events = [
            ServeEvent(
                "built",
                f"build {number}: {what} ({len(pages)} page{'s' if len(pages) != 1 else ''}, {drafts} draft"
                f"{'s' if drafts != 1 else ''}) in {seconds:.2f} s",
                paths=tuple(p.path for p in pages),
            )
        ]
        events += [ServeEvent("warning", w) for w in self.state.warnings]
        return events

    def _published_changed(self, results) -> bool:
        return any(self.published.get((p.slug, p.locale), p.published) != p.published for r in results for p in r.pages)

    def status_page(self) -> str:
        from pipeline.preview.statuspage import render_stats_page

        return render_stats_page(self.project(), lambda tag, slug, published: f"/{tag}/{slug}/")


# ---------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------


#: Seconds a connection may stay silent (no request, or a stalled one) before
#: the server closes it, so idle or slow clients do not hold threads forever.
CONNECTION_TIMEOUT = 5.0
#: Connections the kernel queues while every thread is busy. With the
#: default of 5, concurrent clients beyond it waited for a SYN retry.
LISTEN_BACKLOG = 128
#: Threads answering requests; more than a browser opens at once to a host,
#: so connections it keeps open in advance leave room for the others.
WORKERS = 32


class _Handler(SimpleHTTPRequestHandler):
    site: PreviewSite
    timeout = CONNECTION_TIMEOUT  # set on the connection's socket by socketserver

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass  # the terminal is for builds and errors, not for every request

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page gets the site's own 404 page, of the path's language when there is one
        (``/zh-CN/...`` -> ``zh-CN/404.html``), as a static host serves it; other errors as usual."""
        page = self._not_found_page() if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)
            return
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(page)

    def _not_found_page(self) -> bytes | None:
        root = Path(self.directory)
        first = self.path.split("?", 1)[0].lstrip("/").split("/", 1)[0]
        candidates = [root / first / "404.html"] if first not in ("", ".", "..") else []
        for candidate in [*candidates, root / "404.html"]:
            try:
                if inside(self.directory, str(candidate)) and candidate.is_file():
                    return candidate.read_bytes()
            except (OSError, ValueError):  # a name too long for the file system, a NUL: not a page
                continue
        return None

    def _refused(self) -> bool:
        """Answer a request the preview does not serve (see :mod:`pipeline.preview.gate`); True when it did."""
        refused = refusal(self.path, self.headers.get("Host"), self.server.server_address[1])
        if refused is not None:
            self.send_error(*refused)
        return refused is not None

    def send_head(self):
        """The file's headers, for GET and HEAD; 404 for anything outside the preview folder."""
        if not inside(self.directory, self.translate_path(self.path)):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return super().send_head()

    def do_HEAD(self) -> None:  # noqa: N802 (the base class's name)
        if not self._refused():
            super().do_HEAD()

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        if self._refused():
            return
        path = self.path.split("?", 1)[0]
        if path == RELOAD_SCRIPT_PATH:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode("utf-8"))
        elif path == STATE_PATH:
            self._send(HTTPStatus.OK, "application/json", json.dumps(self.site.snapshot()).encode("utf-8"))
        elif path in STATUS_PATHS:
            try:
                page = self.site.status_page()
            except PipelineError as exc:
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", exc.message.encode("utf-8"))
                return
            except Exception as exc:  # noqa: BLE001 (an answer, not a traceback in the terminal)
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", unexpected_error(exc).encode("utf-8"))
                return
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode("utf-8"))
        else:
            super().do_GET()


class _PreviewServer(HTTPServer):
    """Connections answered by a fixed set of worker threads.

    A pool rather than a thread per connection (``ThreadingHTTPServer``):
    starting a thread for each of many simultaneous requests cost more than
    answering it. The workers are daemons, so a connection still open does
    not keep a stopped preview alive, and they end when the server closes.
    """

    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], handler) -> None:
        self._connections: queue.SimpleQueue = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []  # none yet: a port already taken closes the server at once
        super().__init__(address, handler)
        for n in range(WORKERS):
            worker = threading.Thread(target=self._work, name=f"preview-worker-{n}", daemon=True)
            worker.start()
            self._workers.append(worker)

    def process_request(self, request, client_address) -> None:
        self._connections.put((request, client_address))

    def _work(self) -> None:
        while (item := self._connections.get()) is not None:
            request, client_address = item
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        for _ in self._workers:
            self._connections.put(None)

    def handle_error(self, request, client_address) -> None:
        """A browser that leaves a page before it has loaded is no error worth a traceback."""
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def make_server(site: PreviewSite, port: int) -> HTTPServer:
    handler = type("PreviewHandler", (_Handler,), {"site": site})
    factory = functools.partial(handler, directory=str(site.folder))
    try:
        server = _PreviewServer(("127.0.0.1", port), factory)
    except OSError as exc:
        raise PipelineError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}; choose another --port (0 picks a free one)") from None
    return server


def serve(
    root: Path,
    port: int = 8000,
    stop: threading.Event | None = None,
    interval: float = POLL_INTERVAL,
) -> Iterator[ServeEvent]:
    """Build the preview, serve it on 127.0.0.1:``port`` and rebuild on changes until ``stop`` is set."""
    stop = stop or threading.Event()
    Project.load(root)  # a wrong folder or bad settings fail now, before anything starts
    with tempfile.TemporaryDirectory(prefix="pipeline-preview-") as folder:
        site = PreviewSite(root, Path(folder))
        server = make_server(site, port)
        watcher = Watcher(watched_roots(site.root))
        yield from site.rebuild()
        thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/"
            yield ServeEvent("listening", f"serving the preview of {site.root} at {url} (folder {folder})", url=url)
            while not stop.wait(interval):
                changed = watcher.changes()
                if changed:
                    yield from site.rebuild(changed)
        finally:
            server.shutdown()
            server.server_close()
