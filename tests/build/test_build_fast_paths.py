"""The fast paths of ``build`` give what the plain ways give.

Each optimisation of the build keeps the output's bytes; these tests pin the
pieces that take a shortcut: the error-only checks, and an article's blocks
found once for all its locales.
"""

from __future__ import annotations

import copy
import hashlib
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import html

from helpers.build import build, make_site
from pipeline.build.translation import ArticleBlocks, translate_article
from pipeline.build.state import RACY_SECONDS, FileHashes
from pipeline.checks import ERROR
from pipeline.pairchecks import check_pair, translation_errors
from pipeline.formats.document import Document
from pipeline.formats.messages import iter_blocks

_PIECE = st.one_of(
    st.sampled_from(
        ["<a1>", "</a1>", "<a2>", "<code/>", "<em>", "</em>", "&lt;", "&amp;", "&#60;", "<script>", "onclick=",
         "\u202e", "\u202c", "\x07", "%(author)s", "%s", "{name}", "2025", "1,000", "https://example.org/x", "<!--",
         " ", "a", "é", "中"]
    ),
    st.characters(blacklist_categories=("Cs",)),
)
TEXT = st.lists(_PIECE, max_size=20).map("".join)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT)
def test_translation_errors_are_the_errors_of_check_pair(msgid: str, msgstr: str) -> None:
    assert translation_errors(msgid, msgstr) == [p for p in check_pair(msgid, msgstr) if p.severity == ERROR]


def test_translation_errors_leave_out_warnings_only() -> None:
    msgid, msgstr = "Read <a1>the 2025 report</a1> at https://example.org/r.", "Lisez <a1>le rapport</a1>."
    assert [p.code for p in check_pair(msgid, msgstr)] == ["number", "url"]
    assert translation_errors(msgid, msgstr) == []
    assert [p.code for p in translation_errors(msgid, "Lisez <b>le</b> rapport")] == ["markup", "markup"]


BODY = (
    '<article><h1>What is it?</h1><p>Read <a href="/x">the report</a> and <a href="/y">notes</a>.</p>'
    '<p>Run <code>ls</code> now.</p><p><img src="c.png" alt="A chart of things"></p>'
    "<ul><li>One thing<ul><li>Another thing</li></ul>and after</li></ul>"
    '<!-- a comment --><p title="A tooltip here">Some <em>text</em> <span class="notranslate">kept</span>.</p>'
    "</article>"
)


def _translations(body) -> list[dict[str, str]]:
    msgids = [b.message.text for b in iter_blocks(copy.deepcopy(body))]
    full = {m: m.upper().replace("<A", "<a").replace("</A", "</a").replace("<CODE/>", "<code/>")
            .replace("<EM>", "<em>").replace("</EM>", "</em>").replace("<IMG/>", "<img/>")
            .replace("<SPAN/>", "<span/>") for m in msgids}
    half = {m: t for i, (m, t) in enumerate(full.items()) if i % 2}
    broken = {m: t + "<b>" for m, t in full.items()}
    return [full, half, {}, broken]


def test_blocks_found_once_translate_every_locale_as_blocks_found_each_time() -> None:
    body = html.fragment_fromstring(BODY)
    doc = Document(title="What is it?", language="en", body=body, description="About it.")
    shared = ArticleBlocks(doc.body, ("notranslate",))
    for table in _translations(body):  # one after another on the same shared blocks, as a build's locales
        alone = translate_article(doc, table, "en", ("notranslate",))
        reused = translate_article(doc, table, "en", ("notranslate",), article_blocks=shared)
        assert html.tostring(reused.body) == html.tostring(alone.body)
        assert (reused.blocks, reused.fallbacks, reused.rejected) == (alone.blocks, alone.fallbacks, alone.rejected)
        assert reused.warnings == alone.warnings
    assert html.tostring(doc.body) == html.tostring(html.fragment_fromstring(BODY))  # the document is untouched


def test_the_last_page_of_its_blocks_translates_the_body_itself_as_a_copy_would_be() -> None:
    tables = _translations(html.fragment_fromstring(BODY))
    doc = Document(title="What is it?", language="en", body=html.fragment_fromstring(BODY), description="About it.")
    shared = ArticleBlocks(doc.body, ("notranslate",), pages=len(tables))
    for number, table in enumerate(tables, start=1):
        fresh = Document(title=doc.title, language="en", body=html.fragment_fromstring(BODY), description=doc.description)
        alone = translate_article(fresh, table, "en", ("notranslate",))
        reused = translate_article(doc, table, "en", ("notranslate",), article_blocks=shared)
        assert (reused.body is doc.body) == (number == len(tables))  # the last page: no copy
        assert html.tostring(reused.body) == html.tostring(alone.body)
        assert (reused.blocks, reused.fallbacks, reused.rejected) == (alone.blocks, alone.fallbacks, alone.rejected)
        assert reused.warnings == alone.warnings
    with pytest.raises(RuntimeError):  # the body is no longer the source's: never handed out again
        translate_article(doc, {}, "en", ("notranslate",), article_blocks=shared)


# ---------------------------------------------------------------------------
# FileHashes: stored hashes trusted by stat (git's index), racy files hashed again
# ---------------------------------------------------------------------------

_LATER = 3600 * 1_000_000_000  # a build an hour from now: every file is old enough for it


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_file_just_written_is_hashed_again_even_with_the_same_size_and_times(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"msgstr one")
    first = FileHashes(tmp_path, {}, time.time_ns())
    assert first.hash(path) == _sha(b"msgstr one")
    assert first.records == {}  # racy: changed within RACY_SECONDS of the build's start, not remembered
    before = os.stat(path)
    path.write_bytes(b"msgstr two")  # same size, and (likely) the same time step
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    assert FileHashes(tmp_path, first.records, time.time_ns()).hash(path) == _sha(b"msgstr two")


def test_an_old_file_is_remembered_and_its_hash_trusted_while_its_stat_is_the_same(tmp_path: Path) -> None:
    path = tmp_path / "locales" / "a.po"
    path.parent.mkdir()
    path.write_bytes(b"content")
    first = FileHashes(tmp_path, {}, time.time_ns() + _LATER)
    first.hash(path)
    assert list(first.records) == ["locales/a.po"]  # relative to the project: a moved project hashes again
    record = first.records["locales/a.po"]
    # The stored hash is what is returned, unread: a planted one shows it (the limit of the shortcut:
    # a change that keeps size, times and inode, made behind the kernel's back, is not seen).
    planted = {"locales/a.po": record[:4] + ["planted"]}
    again = FileHashes(tmp_path, planted, time.time_ns() + _LATER)
    assert again.hash(path) == "planted"
    assert again.records == planted


def test_a_rewrite_with_the_same_size_and_a_forced_same_mtime_is_seen_by_its_change_time(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"msgstr one")
    stat = os.stat(path)
    # The record of a build that saw the file when it last changed long ago: its change time then
    # was older (set here by hand, since no test can wait for a real clock to move on).
    old = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns - 10 * RACY_SECONDS * 1_000_000_000, stat.st_ino,
           _sha(b"msgstr one")]
    path.write_bytes(b"msgstr two")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # touch -d / rsync -t / an editor keeping the time
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)

    assert FileHashes(tmp_path, {"a.po": old}, time.time_ns() + _LATER).hash(path) == _sha(b"msgstr two")


def test_a_changed_size_or_a_replaced_file_is_hashed_again(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"one")
    first = FileHashes(tmp_path, {}, time.time_ns() + _LATER)
    first.hash(path)
    planted = {"a.po": first.records["a.po"][:4] + ["planted"]}
    path.write_bytes(b"longer")
    assert FileHashes(tmp_path, planted, time.time_ns() + _LATER).hash(path) == _sha(b"longer")
    path.unlink()
    assert FileHashes(tmp_path, planted, time.time_ns() + _LATER).hash(path) == ""


def test_a_page_cut_short_after_a_crash_is_built_again(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    first = build(root)
    page = next(p for p in first.pages if p.locale == "zh_CN")
    page.path.write_bytes(b"")  # what a power cut can leave of a page renamed into place without fsync

    second = build(root)

    assert second.rendered == [(page.slug, page.locale)]
    assert page.path.read_bytes().startswith(b"<!DOCTYPE html>")


def test_a_damaged_record_is_hashed_again_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"content")
    stat = os.stat(path)
    for damaged in ([stat.st_size], "text", None, [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]):
        assert FileHashes(tmp_path, {"a.po": damaged}, time.time_ns() + _LATER).hash(path) == _sha(b"content")
