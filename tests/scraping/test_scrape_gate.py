"""``scrape`` stays on the public web: non-public addresses are refused where the client connects.

The servers are real, on 127.0.0.1. A public-looking name is pinned to them
with the client's own host mapping (``--resolve``, used in its connection
step), or resolved to them by a resolver the client is given: the address
checked is the address connected to.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.scraping.fetch import FetchOptions
from pipeline.scraping.netguard import non_public_kind, typed_address_is_private
from pipeline.project import Project
from pipeline.scraping.scrape import ScrapeOptions, scrape_urls
from helpers.scrape_server import Reply, ScrapeServer, html_reply, project, server  # noqa: F401 (fixtures)

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A public article</title></head>
<body><article><h1>A public article</h1>
<p>A machine learning engineer builds systems that learn from data, and tests them.</p>
<p>They turn research into products that run reliably for the people who use them.</p></article></body></html>
"""
FAST = FetchOptions(connect_timeout=2.0, read_timeout=2.0, total_timeout=10.0, retries=0)


def public_url(server: ScrapeServer, path: str) -> str:
    return server.url(path).replace("127.0.0.1", "public.example")


def with_redirect_to_secret(server: ScrapeServer) -> str:
    server.route("/secret", html_reply(ARTICLE.replace("A public article", "Secret admin page")))
    server.route("/page", Reply(302, headers={"Location": server.url("/secret")}))
    return public_url(server, "/page")


def scrape(project: Project, *targets: str, **fetch: object):
    options = ScrapeOptions(fetch=replace(FAST, hosts=(("public.example", "127.0.0.1"),), **fetch), run_clean=False)
    return scrape_urls(project, list(targets), options)


def invoke(project: Project, *args: str):
    return CliRunner().invoke(main, ["scrape", "--project", str(project.root), "--no-clean",
                                     "--resolve", "public.example:127.0.0.1", *args])


def stored(project: Project) -> list[str]:
    return sorted(str(p.relative_to(project.source_dir)) for p in project.source_dir.rglob("*"))


def test_a_redirect_from_a_public_name_to_loopback_is_refused(server, project):
    [outcome] = scrape(project, with_redirect_to_secret(server))
    assert outcome.status == "failed"
    assert outcome.message == (
        f"redirected to {server.url('/secret')}: refused: 127.0.0.1, a loopback address, not on the public "
        "web (give --allow-private to scrape your own network)"
    )
    assert stored(project) == []
    assert server.requests_to("/secret") == [] and server.requests_to("/page")


def test_the_cli_refuses_with_one_line_and_goes_on_with_the_list(server, project, tmp_path):
    server.route("/good-article", html_reply(ARTICLE))
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{with_redirect_to_secret(server)}\n{public_url(server, '/good-article')}\n", encoding="utf-8")
    result = invoke(project, "--from", str(urls))
    assert result.exit_code == 1
    refused = [line for line in result.stderr.splitlines() if "refused" in line]
    assert len(refused) == 1 and "a loopback address, not on the public web" in refused[0], result.output
    assert "Traceback" not in result.output
    assert stored(project) == ["good-article", "good-article/provenance.json", "good-article/snapshot.html"]
    assert server.requests_to("/secret") == []


def test_allow_private_lets_the_redirect_through(server, project):
    result = invoke(project, "--allow-private", with_redirect_to_secret(server))
    assert result.exit_code == 0, result.output
    provenance = json.loads((project.article_dir("page") / "provenance.json").read_text("utf-8"))
    assert provenance["final_url"] == server.url("/secret")


def test_the_setting_allow_private_lets_the_redirect_through(server, project):
    (project.root / "setup.cfg").write_text("[pipeline:scrape]\nallow_private = yes\n", encoding="utf-8")
    result = invoke(project, with_redirect_to_secret(server))
    assert result.exit_code == 0, result.output
    assert len(server.requests_to("/secret")) == 1


def test_a_loopback_address_typed_by_the_user_is_their_own_site(server, project):
    server.route("/hop", Reply(302, headers={"Location": "/my-article"}))
    server.route("/my-article", html_reply(ARTICLE))
    [outcome] = scrape(project, server.url("/hop"))
    assert outcome.status == "fetched", outcome.message
    assert (project.article_dir("hop") / "snapshot.html").is_file()


def test_a_name_that_resolves_to_a_private_address_is_refused_before_connecting(server, project):
    server.route("/article", html_reply(ARTICLE))
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["10.0.0.7", "127.0.0.1"] if host == "intranet.example" else []

    url = server.url("/article").replace("127.0.0.1", "intranet.example")
    [outcome] = scrape(project, url, resolve=resolve)
    assert outcome.status == "failed"
    assert "refused: intranet.example resolves to 10.0.0.7, a private address" in outcome.message
    assert asked and server.requests == [] and stored(project) == []
    [allowed] = scrape(project, url, resolve=resolve, allow_private=True)
    assert allowed.status == "fetched", allowed.message


def test_a_kept_alive_connection_to_the_users_own_site_is_not_reused_for_a_redirect(server, project):
    """A typed loopback URL first (allowed), then a public page redirecting to the same server."""
    server.route("/mine", html_reply(ARTICLE))
    first, second = scrape(project, server.url("/mine"), with_redirect_to_secret(server))
    assert first.status == "fetched", first.message
    assert second.status == "failed" and "refused" in second.message
    assert server.requests_to("/secret") == []


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"), ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"),
    ("240.0.0.1", "reserved"), ("100.64.0.1", "non-global"), ("::1", "loopback"), ("::", "unspecified"),
    ("fe80::1", "link-local"), ("fc00::1", "private"), ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("2002:7f00:1::", "loopback"),
])
def test_non_public_addresses(address: str, kind: str) -> None:
    assert non_public_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses(address: str) -> None:
    assert non_public_kind(ipaddress.ip_address(address)) == ""


def test_which_typed_urls_are_the_users_own_site() -> None:
    assert typed_address_is_private("http://127.0.0.1:8000/a")
    assert typed_address_is_private("http://[::1]:8000/a")
    assert typed_address_is_private("http://localhost/a") and typed_address_is_private("http://app.localhost/")
    assert not typed_address_is_private("https://example.org/a")
    assert not typed_address_is_private("http://93.184.215.14/")


def test_a_new_page_that_clean_refuses_leaves_no_file_and_the_list_goes_on(server, project, tmp_path):
    server.route("/empty-page", html_reply("<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>"))
    server.route("/good-article", html_reply(ARTICLE))
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.url('/empty-page')}\n{server.url('/good-article')}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scrape", "--project", str(project.root), "--from", str(urls)])
    assert result.exit_code == 1
    assert "empty-page" in result.stderr and "clean failed, nothing kept" in result.stderr, result.output
    assert not project.article_dir("empty-page").exists()
    assert (project.article_dir("good-article") / "article.html").is_file()
