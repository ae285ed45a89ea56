"""``pipeline scrape``: a real HTTP server on 127.0.0.1, real files under tmp_path."""

from __future__ import annotations

import json
import re
import socket
import time
from dataclasses import replace
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import __version__
from pipeline.cli import main
from pipeline.formats.encoding import decode_html
from pipeline.scraping.fetch import FetchOptions, parse_retry_after
from pipeline.project import Project
from pipeline.scraping.scrape import ScrapeOptions, read_url_list, scrape_urls, slug_for_target
from helpers.scrape_server import Reply, ScrapeServer, html_reply, project, server  # noqa: F401 (fixtures)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "scrape"

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>What is a machine learning engineer?</title></head>
<body><article><h1>What is a machine learning engineer?</h1>
<p>A machine learning engineer builds systems that learn from data.</p>
<p>They turn research into products that run reliably.</p></article></body></html>
"""

#: Short timeouts and waits so that failures are quick; the server is local.
FAST = FetchOptions(
    connect_timeout=2.0,
    read_timeout=0.3,
    total_timeout=10.0,
    max_redirects=3,
    max_bytes=50_000,
    retries=2,
    backoff_base=0.01,
    max_retry_wait=0.2,
)


def run(project: Project, *targets: str, slug: str | None = None, **fetch: object):
    options = ScrapeOptions(fetch=replace(FAST, **fetch), slug=slug, run_clean=False)
    return scrape_urls(project, list(targets), options)


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def provenance(project: Project, slug: str) -> dict:
    return json.loads((project.article_dir(slug) / "provenance.json").read_text("utf-8"))


def assert_failed_cleanly(project: Project, outcomes, pattern: str) -> None:
    assert [o.status for o in outcomes] == ["failed"], outcomes
    assert re.search(pattern, outcomes[0].message), outcomes[0].message
    assert "\n" not in outcomes[0].message
    assert files_under(project.source_dir) == [], "a failed URL left files behind"


# -- a normal page -------------------------------------------------------------


def test_article_is_stored_raw_with_its_provenance(server, project):
    url = server.route(
        "/blog/what-is-an-ml-engineer/",
        html_reply(ARTICLE, ETag='"v1"', Last_Modified="Wed, 24 Sep 2025 10:00:00 GMT"),
    )
    [outcome] = run(project, url)

    assert (outcome.status, outcome.slug) == ("fetched", "what-is-an-ml-engineer")
    folder = project.article_dir("what-is-an-ml-engineer")
    assert (folder / "snapshot.html").read_bytes() == ARTICLE.encode("utf-8")
    prov = provenance(project, "what-is-an-ml-engineer")
    assert prov["url"] == prov["final_url"] == url
    assert prov["status"] == 200
    assert prov["content_type"] == "text/html"
    assert (prov["charset"], prov["charset_source"]) == ("utf-8", "http")
    assert prov["etag"] == '"v1"'
    assert prov["last_modified"] == "Wed, 24 Sep 2025 10:00:00 GMT"
    assert prov["bytes"] == len(ARTICLE.encode("utf-8"))
    assert len(prov["sha256"]) == 64
    assert prov["format"] == "html" and prov["snapshot"] == "snapshot.html"
    assert prov["how"]
    fetched = datetime.fromisoformat(prov["fetched_at"].replace("Z", "+00:00"))
    assert abs(datetime.now(timezone.utc) - fetched) < timedelta(minutes=1)
    assert sorted(p.name for p in folder.iterdir()) == ["provenance.json", "snapshot.html"]


def test_user_agent_is_honest_and_names_the_contact(server, project):
    url = server.route("/a", html_reply(ARTICLE))
    run(project, url, contact="https://example.org/about")
    agent = server.requests_to("/a")[0].headers["user-agent"]
    assert agent == f"pipeline/{__version__} (+https://example.org/about)"


def test_redirect_chain_records_the_final_url(server, project):
    final = server.route("/final-article", html_reply(ARTICLE))
    server.route("/hop2", Reply(302, headers={"Location": "/final-article"}))
    start = server.route("/old-article", Reply(301, headers={"Location": server.url("/hop2")}))

    [outcome] = run(project, start)

    assert outcome.status == "fetched"
    prov = provenance(project, "old-article")
    assert (prov["url"], prov["final_url"]) == (start, final)


def test_redirect_loop_fails_cleanly(server, project):
    server.route("/loop-b", Reply(302, headers={"Location": "/loop-a"}))
    url = server.route("/loop-a", Reply(302, headers={"Location": "/loop-b"}))
    assert_failed_cleanly(project, run(project, url), r"redirect loop")


def test_too_many_redirects_fail_cleanly(server, project):
    for n in range(6):
        server.route(f"/r{n}", Reply(302, headers={"Location": f"/r{n + 1}"}))
    server.route("/r6", html_reply(ARTICLE))
    assert_failed_cleanly(project, run(project, server.url("/r0")), r"more than 3 redirects")


# -- failures --------------------------------------------------------------------


def test_not_found_fails_cleanly(server, project):
    assert_failed_cleanly(project, run(project, server.url("/missing")), r"^HTTP 404")


def test_server_error_then_success_is_retried(server, project):
    url = server.route("/flaky", Reply(500, b"oops", {"Content-Type": "text/plain"}), html_reply(ARTICLE))
    [outcome] = run(project, url)
    assert outcome.status == "fetched"
    assert len(server.requests_to("/flaky")) == 2
    assert outcome.retries == ["HTTP 500, waited 0.01 s"]


def test_persistent_server_error_gives_up_after_the_retries(server, project):
    url = server.route("/down", Reply(503, b"down", {"Content-Type": "text/plain"}))
    assert_failed_cleanly(project, run(project, url), r"^HTTP 503")
    assert len(server.requests_to("/down")) == 1 + FAST.retries


def test_retry_after_is_honoured(server, project):
    url = server.route("/busy", Reply(429, b"", {"Retry-After": "1"}), html_reply(ARTICLE))
    started = time.monotonic()
    [outcome] = run(project, url, max_retry_wait=5.0)
    assert outcome.status == "fetched"
    assert time.monotonic() - started >= 0.95
    assert outcome.retries == ["HTTP 429, waited 1 s"]
    assert len(server.requests_to("/busy")) == 2


def test_retry_after_wait_is_capped(server, project):
    later = format_datetime(datetime.now(timezone.utc) + timedelta(hours=1), usegmt=True)
    url = server.route("/busy", Reply(429, b"", {"Retry-After": later}), html_reply(ARTICLE))
    [outcome] = run(project, url)  # max_retry_wait=0.2
    assert outcome.status == "fetched"
    assert outcome.retries == ["HTTP 429, waited 0.2 s"]


def test_parse_retry_after_reads_seconds_and_http_dates():
    now = datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp()
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Wed, 01 Jan 2025 00:00:30 GMT", now) == 30
    assert parse_retry_after("Tue, 31 Dec 2024 00:00:00 GMT", now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_slow_response_times_out(server, project):
    url = server.route("/slow", Reply(200, ARTICLE.encode(), {"Content-Type": "text/html"}, delay=10))
    started = time.monotonic()
    assert_failed_cleanly(project, run(project, url), r"timed out")
    assert time.monotonic() - started < 3


def test_declared_body_over_the_cap_is_refused(server, project):
    url = server.route("/huge", html_reply("<html><body>" + "x" * 100_000 + "</body></html>"))
    assert_failed_cleanly(project, run(project, url), r"too large: \d+ bytes \(limit 50000\)")


def test_streamed_body_over_the_cap_is_cut_off(server, project):
    body = ("<html><body>" + "<p>words</p>" * 50_000 + "</body></html>").encode()
    url = server.route("/stream", Reply(200, body, {"Content-Type": "text/html"}, omit_length=True))
    assert_failed_cleanly(project, run(project, url), r"too large: more than 50000 bytes")


def test_pdf_is_refused(server, project):
    url = server.route("/paper.pdf", Reply(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", {"Content-Type": "application/pdf"}))
    assert_failed_cleanly(project, run(project, url), r"not an HTML page \(Content-Type: application/pdf\)")


def test_pdf_served_as_html_is_refused(server, project):
    url = server.route("/liar", Reply(200, b"%PDF-1.7\n\x00\x01binary", {"Content-Type": "text/html"}))
    assert_failed_cleanly(project, run(project, url), r"not HTML")


def test_empty_body_is_refused(server, project):
    url = server.route("/empty", Reply(200, b"", {"Content-Type": "text/html"}))
    assert_failed_cleanly(project, run(project, url), r"empty")


def test_refused_connection_fails_cleanly(project):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port now.
    assert_failed_cleanly(project, run(project, f"http://127.0.0.1:{port}/article"), r"connection refused")


def test_a_failure_does_not_stop_the_others(server, project):
    good = server.route("/good", html_reply(ARTICLE))
    outcomes = run(project, server.url("/gone"), good)
    assert [o.status for o in outcomes] == ["failed", "fetched"]
    assert files_under(project.source_dir) == ["good", "good/provenance.json", "good/snapshot.html"]


def test_failed_rescrape_leaves_the_stored_article_alone(server, project):
    url = server.route("/article", html_reply(ARTICLE))
    run(project, url)
    before = {p: p.read_bytes() for p in project.article_dir("article").iterdir()}
    server.route("/article", Reply(404, b"", {"Content-Type": "text/html"}))
    [outcome] = run(project, url)
    assert outcome.status == "failed"
    assert {p: p.read_bytes() for p in project.article_dir("article").iterdir()} == before


def test_page_without_content_type_is_sniffed_as_html(server, project):
    url = server.route("/bare", Reply(200, ARTICLE.encode("utf-8")))
    [outcome] = run(project, url)
    assert outcome.status == "fetched"
    prov = provenance(project, "bare")
    assert prov["content_type"] is None
    assert (prov["charset"], prov["charset_source"]) == ("utf-8", "meta")


def test_plain_text_is_refused(server, project):
    url = server.route("/notes.txt", Reply(200, b"just words", {"Content-Type": "text/plain; charset=utf-8"}))
    assert_failed_cleanly(project, run(project, url), r"not an HTML page \(Content-Type: text/plain\)")


def test_compressed_page_is_stored_decompressed(server, project):
    import gzip

    url = server.route(
        "/zipped", Reply(200, gzip.compress(ARTICLE.encode()), {"Content-Type": "text/html", "Content-Encoding": "gzip"})
    )
    [outcome] = run(project, url)
    assert outcome.status == "fetched"
    assert server.requests_to("/zipped")[0].headers["accept-encoding"] == "gzip, deflate"
    assert (project.article_dir("zipped") / "snapshot.html").read_bytes() == ARTICLE.encode()


# -- encodings -----------------------------------------------------------------

ENCODED_PAGES = [
    ("zh-hans.html", "gbk", "gbk"),
    ("zh-hant.html", "big5", "big5"),
    ("ja.html", "shift_jis", "shift_jis"),
    ("fr.html", "windows-1252", "cp1252"),
]


@pytest.mark.parametrize("name, charset, codec", ENCODED_PAGES)
@pytest.mark.parametrize("declared", ["http", "meta", "http-equiv", "none"])
def test_legacy_encodings_come_out_as_correct_text(server, project, name, charset, codec, declared):
    source = (FIXTURES / name).read_text("utf-8")
    meta = {
        "meta": f'<meta charset="{charset}">',
        "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
    }.get(declared, "")
    page = source.replace("<!--META-->", meta)
    data = page.encode(codec)
    content_type = f"text/html; charset={charset}" if declared == "http" else "text/html"
    url = server.route("/page", html_reply(data, content_type=content_type))

    [outcome] = run(project, url, slug="page")

    assert outcome.status == "fetched", outcome.message
    snapshot = (project.article_dir("page") / "snapshot.html").read_bytes()
    assert snapshot == data, "the snapshot must keep the raw bytes"
    prov = provenance(project, "page")
    assert prov["charset_source"] == {"http-equiv": "meta", "none": "detected"}.get(declared, declared)
    if declared != "none":
        assert prov["charset"] == charset
    # clean decodes the saved page with the recorded charset and gets the same text.
    text, used, _how = decode_html(snapshot, prov["charset"])
    assert text == page
    assert used == prov["charset"]


# -- re-scraping ---------------------------------------------------------------


def test_unchanged_page_is_not_rewritten_and_the_request_was_conditional(server, project):
    modified = "Wed, 24 Sep 2025 10:00:00 GMT"
    url = server.route("/article", html_reply(ARTICLE, ETag='"v1"', Last_Modified=modified))
    run(project, url)
    folder = project.article_dir("article")
    stamps = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}

    [outcome] = run(project, url)

    assert outcome.status == "unchanged"
    assert "304" in outcome.message
    second = server.requests_to("/article")[1].headers
    assert second["if-none-match"] == '"v1"'
    assert second["if-modified-since"] == modified
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()} == stamps


def test_same_content_without_validators_is_not_rewritten(server, project):
    url = server.route("/article", html_reply(ARTICLE))
    run(project, url)
    folder = project.article_dir("article")
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}

    [outcome] = run(project, url)

    assert (outcome.status, outcome.message) == ("unchanged", "unchanged (same content)")
    assert "if-none-match" not in server.requests_to("/article")[1].headers
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps


def test_lost_provenance_is_written_again(server, project):
    url = server.route("/article", html_reply(ARTICLE))
    run(project, url)
    (project.article_dir("article") / "provenance.json").unlink()
    [outcome] = run(project, url)
    assert outcome.status == "unchanged"
    assert provenance(project, "article")["url"] == url


def test_changed_page_replaces_the_snapshot_and_keeps_the_previous(server, project):
    url = server.route("/article", html_reply(ARTICLE, ETag='"v1"'))
    run(project, url)
    changed = ARTICLE.replace("reliably", "reliably, at scale")
    server.route("/article", html_reply(changed, ETag='"v2"'))

    [outcome] = run(project, url)

    assert outcome.status == "changed"
    assert "snapshot.previous.html" in outcome.message
    assert "pipeline extract" in outcome.message and "pipeline update" in outcome.message
    folder = project.article_dir("article")
    assert (folder / "snapshot.html").read_text("utf-8") == changed
    assert (folder / "snapshot.previous.html").read_text("utf-8") == ARTICLE
    assert provenance(project, "article")["etag"] == '"v2"'
    assert server.requests_to("/article")[1].headers["if-none-match"] == '"v1"'


def test_a_url_never_takes_over_another_articles_folder(server, project):
    run(project, server.route("/a/article", html_reply(ARTICLE)))
    before = (project.article_dir("article") / "snapshot.html").read_bytes()
    [outcome] = run(project, server.route("/b/article", html_reply(ARTICLE.replace("data", "numbers"))))
    assert outcome.status == "failed" and "--slug" in outcome.message
    assert (project.article_dir("article") / "snapshot.html").read_bytes() == before


# -- robots.txt ------------------------------------------------------------------


def test_robots_disallow_is_honoured_and_can_be_ignored(server, project):
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}))
    url = server.route("/private/article", html_reply(ARTICLE))

    assert_failed_cleanly(project, run(project, url), r"robots\.txt .*disallows /private/article")
    assert server.requests_to("/private/article") == []

    [outcome] = run(project, url, respect_robots=False)
    assert outcome.status == "fetched"


def test_robots_allows_other_paths(server, project):
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}))
    [outcome] = run(project, server.route("/public/article", html_reply(ARTICLE)))
    assert outcome.status == "fetched"


def test_robots_txt_redirect_is_followed(server, project):
    server.route("/robots.txt", Reply(301, headers={"Location": "/real-robots.txt"}))
    server.route("/real-robots.txt", Reply(200, b"User-agent: pipeline\nDisallow: /drafts/\n", {"Content-Type": "text/plain"}))
    url = server.route("/drafts/article", html_reply(ARTICLE))
    assert_failed_cleanly(project, run(project, url), r"robots\.txt .*disallows /drafts/article")


def test_robots_txt_server_error_allows_nothing(server, project):
    server.route("/robots.txt", Reply(503, b"", {"Content-Type": "text/plain"}))
    url = server.route("/article", html_reply(ARTICLE))
    assert_failed_cleanly(project, run(project, url), r"robots\.txt .*disallows")
    assert server.requests_to("/article") == []


# -- slugs, lists and saved files ---------------------------------------------------


@pytest.mark.parametrize(
    "target, slug",
    [
        ("https://example.org/blog/What-Is-X/", "what-is-x"),
        ("https://example.org/posts/2025/ml-engineer.html", "ml-engineer"),
        ("https://example.org/guide/index.html", "guide"),
        ("https://example.org/", "example-org"),
        ("https://example.org/a/..%2F..%2Fetc", "etc"),
        ("/home/me/Saved Page.htm", "saved-page"),
    ],
)
def test_slug_from_the_url_path(target, slug):
    assert slug_for_target(target) == slug


def test_non_ascii_url_path_gets_host_and_hash_slug():
    slug = slug_for_target("https://example.cn/文章/机器学习")
    assert re.fullmatch(r"example-cn-[0-9a-f]{8}", slug)


def test_an_unsafe_slug_is_refused(server, project):
    url = server.route("/article", html_reply(ARTICLE))
    [outcome] = run(project, url, slug="../escape")
    assert outcome.status == "failed" and "invalid article slug" in outcome.message
    assert files_under(project.root) == ["source"]


def test_url_list_skips_blank_lines_and_comments():
    text = "# my articles\nhttps://a.example/x\n\n  https://b.example/y  # the second\n#https://c.example/z\n"
    assert read_url_list(text) == ["https://a.example/x", "https://b.example/y"]


def test_saved_file_is_taken_in_place_of_a_url(project, tmp_path):
    page = (FIXTURES / "ja.html").read_text("utf-8").replace("<!--META-->", "")
    saved = tmp_path / "Kikai Gakushu.html"
    saved.write_bytes(page.encode("shift_jis"))

    [outcome] = run(project, str(saved))

    assert (outcome.status, outcome.slug) == ("fetched", "kikai-gakushu")
    prov = provenance(project, "kikai-gakushu")
    assert prov["url"] is None and str(saved) in prov["how"]
    assert (prov["charset"], prov["charset_source"]) == ("shift_jis", "detected")
    assert (project.article_dir("kikai-gakushu") / "snapshot.html").read_bytes() == saved.read_bytes()


def test_saved_file_never_replaces_a_fetched_article(server, project, tmp_path):
    run(project, server.route("/article", html_reply(ARTICLE)))
    saved = tmp_path / "article.html"
    saved.write_text(ARTICLE.replace("data", "examples"), "utf-8")
    [outcome] = run(project, str(saved))
    assert outcome.status == "failed" and "holds another page" in outcome.message
    [again] = run(project, str(saved), slug="article")
    assert again.status == "changed"
    assert provenance(project, "article")["saved_from"] == str(saved)


def test_missing_saved_file_fails_cleanly(project, tmp_path):
    assert_failed_cleanly(project, run(project, str(tmp_path / "nope.html")), r"no such file")


# -- the command line ------------------------------------------------------------------


def invoke(project: Project, *args: str):
    return CliRunner().invoke(main, ["scrape", "--project", str(project.root), "--no-clean",
                                     "--read-timeout", "0.3", "--backoff", "0.01", *args])


def test_cli_prints_one_line_per_url_and_fails_when_any_failed(server, project):
    good = server.route("/good", html_reply(ARTICLE))
    missing = server.url("/missing")

    result = invoke(project, good, missing)

    assert result.exit_code == 1
    assert re.search(r"^fetched\s+good\s+" + re.escape(good) + r": saved source/good/snapshot\.html", result.stdout, re.M)
    assert re.search(r"^failed\s+missing\s+" + re.escape(missing) + r": HTTP 404", result.stderr, re.M)
    assert "1 fetched, 0 changed, 0 unchanged, 1 failed" in result.stdout
    assert "Error: 1 of 2 pages failed" in result.stderr
    assert "Traceback" not in result.output


def test_cli_reads_urls_from_a_file_and_says_what_changed(server, project, tmp_path):
    url = server.route("/article", html_reply(ARTICLE))
    other = server.route("/other", html_reply(ARTICLE))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# to translate\n{url}\n{other}\n", "utf-8")
    assert invoke(project, "--from", str(listing)).exit_code == 0

    server.route("/article", html_reply(ARTICLE.replace("data", "examples")))
    result = invoke(project, "--from", str(listing))

    assert result.exit_code == 0, result.output
    assert "1 fetched" not in result.stdout
    assert "0 fetched, 1 changed, 1 unchanged, 0 failed" in result.stdout
    assert "content changed in article: run `pipeline extract` and then `pipeline update`" in result.stdout


def test_cli_ignore_robots(server, project):
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /\n", {"Content-Type": "text/plain"}))
    url = server.route("/mine", html_reply(ARTICLE))
    refused = invoke(project, url)
    assert refused.exit_code == 1 and "robots.txt" in refused.stderr
    allowed = invoke(project, "--ignore-robots", url)
    assert allowed.exit_code == 0, allowed.output


def test_cli_quiet_prints_errors_only(server, project):
    good = server.route("/good", html_reply(ARTICLE))
    result = invoke(project, "-q", good, server.url("/missing"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "failed" in result.stderr and "HTTP 404" in result.stderr


def test_cli_usage_errors(project):
    assert invoke(project).exit_code == 2
    both = invoke(project, "--slug", "x", "https://a.example/1", "https://a.example/2")
    assert both.exit_code == 2 and "--slug" in both.output


def test_cli_max_size_accepts_units(server, project):
    url = server.route("/big", html_reply("<html><body>" + "y" * 3000 + "</body></html>"))
    result = invoke(project, "--max-size", "2K", url)
    assert result.exit_code == 1 and "limit 2048" in result.stderr


# -- end to end, with the lead's clean stage ----------------------------------------------


def test_scrape_then_clean_makes_the_clean_document(server, project):
    pytest.importorskip("pipeline.clean")
    url = server.route("/what-is-a-machine-learning-engineer", html_reply(ARTICLE))
    options = ScrapeOptions(fetch=FAST, run_clean=True)

    [outcome] = scrape_urls(project, [url], options)

    assert outcome.status == "fetched", outcome.message
    document = project.clean_document_path("what-is-a-machine-learning-engineer")
    assert document.is_file()
    assert "A machine learning engineer builds systems that learn from data." in document.read_text("utf-8")
