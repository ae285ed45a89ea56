"""Measure the HTML cleaner on real article pages, next to other extractors.

    python bench/extraction.py [--pages DIR] [--truth FILE] [--worst N]

Reads ``<id>.html.gz`` pages and ``ground-truth.json`` (``{id: {"articleBody",
"url"}}``) from the development set (default: ``../shared/extraction-dev``
beside the repository) and scores the body text each extractor gives, the way
the article-extraction benchmark does (see that folder's README.md):

* ``\\w+`` tokens, case kept; multisets of token 4-grams (a text of fewer than
  4 tokens is one shorter n-gram, an empty text none);
* per page tp/fp/fn divided by their sum; precision is the mean of tp/(tp+fp)
  over pages with output (1.0 when fp = fn = 0), recall the mean of
  tp/(tp+fn) over all pages; F1 is the harmonic mean of the two means.

The cleaner is scored on its clean article's body text: no title (h1), no
figure or table captions, no link URLs, as in the reference. Other extractors
(readability-lxml, plain trafilatura) are run in the same process on the same
pages when they are installed; they are not dependencies of the tool.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = REPO.parent / "shared" / "extraction-dev" / "html"
DEFAULT_TRUTH = REPO.parent / "shared" / "extraction-dev" / "ground-truth.json"
_TOKEN = re.compile(r"\w+", re.UNICODE)

Extractor = Callable[[str, str], str]


def ngrams(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_counts(predicted: str, reference: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of one page, divided by their sum so every page weighs the same."""
    guess, truth = ngrams(predicted), ngrams(reference)
    tp = sum((guess & truth).values())
    fp = sum(guess.values()) - tp
    fn = sum(truth.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_scores(predicted: str, reference: str) -> tuple[float | None, float]:
    """(precision or None when the output is empty, recall) of one page."""
    tp, fp, fn = page_counts(predicted, reference)
    perfect = fp == 0 and fn == 0
    precision = None
    if predicted.strip() and _TOKEN.search(predicted):
        precision = 1.0 if perfect else (tp / (tp + fp) if tp + fp else 0.0)
    recall = 1.0 if perfect else (tp / (tp + fn) if tp + fn else 0.0)
    return precision, recall


def summarize(per_page: dict[str, tuple[float | None, float]]) -> tuple[float, float, float]:
    precisions = [p for p, _ in per_page.values() if p is not None]
    recalls = [r for _, r in per_page.values()]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# --- extractors -------------------------------------------------------------------


def body_text(article) -> str:
    """The clean article's body text as the reference counts it."""
    from pipeline.cleaning.htmlpage import remove_keep_tail

    body = copy.deepcopy(article)
    for element in list(body.iter("h1", "figure", "figcaption", "caption")):
        remove_keep_tail(element)
    blocks = []
    for element in body.iter():
        if element.tag in ("p", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "td", "th"):
            if any(a.tag in ("p", "li", "dt", "dd", "pre", "td", "th") for a in element.iterancestors()):
                continue
            blocks.append(" ".join(element.itertext()))
    return "\n".join(blocks)


def cleaner() -> Extractor:
    sys.path.insert(0, str(REPO))
    from pipeline.cleaning.htmlpage import clean_html
    from pipeline.errors import SnapshotError
    from pipeline.settings import CleanRules

    rules = CleanRules()

    def run(page: str, url: str) -> str:
        try:
            return body_text(clean_html(page, rules, url=url).document.body)
        except SnapshotError:
            return ""

    return run


def readability_lxml() -> Extractor | None:
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        return None

    def run(page: str, url: str) -> str:
        summary = Document(page, url=url).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content() if summary.strip() else ""

    return run


def trafilatura_plain() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(page: str, url: str) -> str:
        return trafilatura.extract(page, url=url or None, include_comments=False) or ""

    return run


# --- running ------------------------------------------------------------------------


def load_pages(pages: Path, truth_file: Path) -> list[tuple[str, str, str, str]]:
    """(id, html, url, reference body) of every page with a reference."""
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    found = []
    for page_id in sorted(truth):
        path = pages / f"{page_id}.html.gz"
        if not path.is_file():
            path = pages / f"{page_id}.html"
            if not path.is_file():
                continue
        raw = gzip.open(path, "rb").read() if path.suffix == ".gz" else path.read_bytes()
        entry = truth[page_id]
        found.append((page_id, raw.decode("utf-8", errors="replace"), entry.get("url", ""),
                      entry.get("articleBody", "")))
    return found


def measure(extract: Extractor, pages: list[tuple[str, str, str, str]]):
    per_page: dict[str, tuple[float | None, float]] = {}
    elapsed = 0.0
    for page_id, page, url, reference in pages:
        start = time.perf_counter()
        text = extract(page, url)
        elapsed += time.perf_counter() - start
        per_page[page_id] = page_scores(text, reference)
    return summarize(per_page), elapsed / max(len(pages), 1), per_page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=None, help="folder of <id>.html.gz pages")
    parser.add_argument("--truth", type=Path, default=None, help="ground-truth.json")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages of the cleaner")
    args = parser.parse_args(argv)
    pages_dir = args.pages or DEFAULT_PAGES
    truth = args.truth or (pages_dir.parent / "ground-truth.json" if args.pages else DEFAULT_TRUTH)
    if not pages_dir.is_dir() or not truth.is_file():
        print(f"skipped: no pages at {pages_dir} or no ground truth at {truth} "
              "(the development set is not on this machine)")
        return 0
    pages = load_pages(pages_dir, truth)
    if not pages:
        print(f"skipped: no <id>.html.gz page in {pages_dir} matches {truth}")
        return 0
    extractors: list[tuple[str, Extractor | None]] = [
        ("pipeline clean_html", cleaner()),
        ("readability-lxml", readability_lxml()),
        ("trafilatura (default)", trafilatura_plain()),
    ]
    print(f"{len(pages)} pages from {pages_dir}")
    print(f"{'extractor':<24} {'precision':>9} {'recall':>7} {'F1':>7} {'ms/page':>8}")
    worst: dict[str, tuple[float | None, float]] = {}
    for name, extract in extractors:
        if extract is None:
            print(f"{name:<24} (not installed)")
            continue
        (precision, recall, f1), seconds, per_page = measure(extract, pages)
        print(f"{name:<24} {precision:9.4f} {recall:7.4f} {f1:7.4f} {seconds * 1000:8.1f}")
        if not worst:
            worst = per_page
    if args.worst:
        print(f"\nworst pages of the cleaner (precision, recall):")
        ranked = sorted(worst.items(), key=lambda item: (item[1][0] or 0) + item[1][1])
        for page_id, (precision, recall) in ranked[: args.worst]:
            shown = "-" if precision is None else f"{precision:.3f}"
            print(f"  {page_id}  {shown}  {recall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
