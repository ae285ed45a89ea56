"""A build reads each of an article's input files once, and makes its pages of the bytes it hashed."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from helpers.build import SLUG, build, make_site

from pipeline.build import state

_opened: Counter | None = None


def _count_opens(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], (str, Path)):
        _opened[str(args[0])] += 1


sys.addaudithook(_count_opens)  # an audit hook cannot be removed: it counts only while _opened is set


@pytest.fixture
def opened():
    global _opened
    _opened = Counter()
    try:
        yield _opened
    finally:
        _opened = None


def test_a_cold_build_reads_each_document_and_article_catalog_once(tmp_path: Path, opened: Counter) -> None:
    root = make_site(tmp_path / "site")
    inputs = [str(p) for p in (root / "source").glob("*/article.html")]
    inputs += [str(p) for p in (root / "locales").glob("*/LC_MESSAGES/*.po") if p.stem != "site"]
    opened.clear()  # the copies that made the site

    result = build(root)

    assert result.rendered
    assert len(inputs) == 3 * 4
    assert {path: opened[path] for path in inputs} == {path: 1 for path in inputs}


def test_a_page_is_made_of_the_catalog_bytes_that_were_hashed(tmp_path: Path, monkeypatch) -> None:
    """A catalog saved again between its hash and its reading: the page and its record are of the hashed bytes,
    and the next build, which sees the file's new stat, makes the page of the new ones."""
    root = make_site(tmp_path / "site")
    catalog = root / "locales" / "zh_CN" / "LC_MESSAGES" / f"{SLUG}.po"
    saved = catalog.read_bytes().replace("什么是数据工程师？".encode(), "数据工程师是什么？".encode())
    hash_of = state.FileHashes.hash

    def hash_then_save(self, path):
        digest = hash_of(self, path)
        if str(path) == str(catalog) and catalog.read_bytes() != saved:
            catalog.write_bytes(saved)
        return digest

    monkeypatch.setattr(state.FileHashes, "hash", hash_then_save)
    build(root)
    page = root / "output" / "zh-CN" / SLUG / "index.html"
    assert "什么是数据工程师？".encode() in page.read_bytes()

    monkeypatch.undo()
    result = build(root)
    assert result.rendered == [(SLUG, "zh_CN")]
    assert "数据工程师是什么？".encode() in page.read_bytes()
