"""Measure the HTML cleaner on real article pages, next to other extractors.

    python bench/extraction.py [--set scrapinghub|readability|both] [--worst N]
                               [--only NAME[,NAME]] [--page ID] [--cleaner-only]

Two development sets beside the repository (``../shared/extraction-dev/``),
each scored by the method its own README gives; a set that is absent is
skipped with a message:

* **scrapinghub** (``html/<id>.html.gz`` + ``ground-truth.json``): ``\\w+``
  tokens with case kept; multisets of token 4-grams (a text of fewer than 4
  tokens is one shorter n-gram, an empty text none); per page tp/fp/fn divided
  by their sum; precision is the mean of tp/(tp+fp) over pages with output
  (1.0 when fp = fn = 0), recall the mean of tp/(tp+fn) over all pages, F1 the
  harmonic mean of the two. The cleaner is scored on its body text: no title
  (h1), no figure or table captions, as in the reference.
* **readability** (``readability/<name>/source.html.gz`` and Mozilla
  Readability's ``expected.html.gz``): the expected page's body text without
  script, style, title and h1 against the clean ``<article>`` text without h1;
  lower-cased ``\\w+`` tokens, each CJK ideograph, kana or hangul syllable a
  token of its own; per page precision, recall and F1 of token 4-grams, and
  the means over pages.

readability-lxml and plain trafilatura run in the same process on the same
pages. The cleaner's worst pages are listed with the other extractors' recall
and whether the cleaning report warned of a loss, then the targets of issue 15.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "extraction-dev"
_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_WORD_OR_CJK = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+", re.UNICODE)
#: A page whose recall is below this must carry a loss warning in its report.
WARN_RECALL = 0.5
TARGETS = {"scrapinghub": 0.975, "readability": 0.95}


@dataclass(frozen=True)
class Page:
    id: str
    html: str
    url: str
    reference: str


@dataclass(frozen=True)
class Output:
    text: str
    #: The cleaning report warned that part of the article may be lost.
    warned: bool = False


@dataclass(frozen=True)
class DevSet:
    name: str
    pages: list[Page]
    tokens: Callable[[str], list[str]]
    #: The clean article's text as this set's reference counts it.
    article_text: Callable[[object], str]
    #: Mean per-page F1 (readability) or F1 of the mean precision and recall.
    mean_f1: bool


# --- scoring ----------------------------------------------------------------------


def ngrams(tokens: list[str], n: int = 4) -> Counter:
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_scores(predicted: str, reference: str, tokens: Callable[[str], list[str]]) -> tuple[float | None, float]:
    """(precision, or None when the output is empty, recall) of one page."""
    guess, truth = ngrams(tokens(predicted)), ngrams(tokens(reference))
    tp = sum((guess & truth).values())
    fp = sum(guess.values()) - tp
    fn = sum(truth.values()) - tp
    if fp == 0 and fn == 0:
        return (1.0 if guess else None), 1.0
    precision = tp / (tp + fp) if guess else None
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def summarize(per_page: dict[str, tuple[float | None, float]], mean_f1: bool) -> tuple[float, float, float]:
    precisions = [p for p, _ in per_page.values() if p is not None]
    recalls = [r for _, r in per_page.values()]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    if mean_f1:
        f1s = [_f1(p or 0.0, r) for p, r in per_page.values()]
        return precision, recall, sum(f1s) / len(f1s) if f1s else 0.0
    return precision, recall, _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# --- the two sets -----------------------------------------------------------------


def scrapinghub_tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def readability_tokens(text: str) -> list[str]:
    return _WORD_OR_CJK.findall(text.lower())


def body_text(article) -> str:
    """Scrapinghub: the clean article's body paragraphs, without title and captions."""
    from pipeline.cleaning.tree import remove_keep_tail

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


def article_text(article) -> str:
    """Readability: the clean ``<article>``'s text without its h1."""
    from pipeline.cleaning.tree import remove_keep_tail

    body = copy.deepcopy(article)
    for element in list(body.iter("h1")):
        remove_keep_tail(element)
    return " ".join(" ".join(body.itertext()).split())


def _gunzip(path: Path) -> bytes:
    return gzip.open(path, "rb").read() if path.suffix == ".gz" else path.read_bytes()


def load_scrapinghub(folder: Path) -> DevSet | None:
    pages_dir, truth_file = folder / "html", folder / "ground-truth.json"
    if not pages_dir.is_dir() or not truth_file.is_file():
        return None
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        path = pages_dir / f"{page_id}.html.gz"
        if path.is_file():
            entry = truth[page_id]
            pages.append(Page(page_id, _gunzip(path).decode("utf-8", errors="replace"),
                              entry.get("url", ""), entry.get("articleBody", "")))
    return DevSet("scrapinghub", pages, scrapinghub_tokens, body_text, mean_f1=False)


def load_readability(folder: Path) -> DevSet | None:
    folder = folder / "readability"
    if not folder.is_dir():
        return None
    sys.path.insert(0, str(REPO))
    import lxml.html

    from pipeline.clean import decode

    pages = []
    for case in sorted(p for p in folder.iterdir() if (p / "source.html.gz").is_file()):
        source = decode(_gunzip(case / "source.html.gz"), None)
        expected = lxml.html.document_fromstring(decode(_gunzip(case / "expected.html.gz"), None))
        for element in list(expected.iter("script", "style", "title", "h1")):
            element.drop_tree()
        body = expected.find("body")
        reference = " ".join((body if body is not None else expected).text_content().split())
        pages.append(Page(case.name, source, "http://fakehost/test/page.html", reference))
    return DevSet("readability", pages, readability_tokens, article_text, mean_f1=True)


# --- extractors -------------------------------------------------------------------

Extractor = Callable[[Page, DevSet], Output]


def cleaner() -> Extractor:
    sys.path.insert(0, str(REPO))
    from pipeline.cleaning.htmlpage import clean_html
    from pipeline.cleaning.loss import LOSS_WARNING
    from pipeline.errors import PipelineError
    from pipeline.settings import CleanRules

    rules = CleanRules()

    def run(page: Page, dev: DevSet) -> Output:
        try:
            result = clean_html(page.html, rules, url=page.url)
        except PipelineError:
            return Output("", warned=True)
        warned = any(w.kind == LOSS_WARNING for w in result.warnings)
        return Output(dev.article_text(result.document.body), warned)

    return run


def readability_lxml() -> Extractor | None:
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        return None

    def run(page: Page, dev: DevSet) -> Output:
        summary = Document(page.html, url=page.url).summary(html_partial=True)
        return Output(lxml.html.fromstring(summary).text_content() if summary.strip() else "")

    return run


def trafilatura_plain() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(page: Page, dev: DevSet) -> Output:
        return Output(trafilatura.extract(page.html, url=page.url or None, include_comments=False) or "")

    return run


# --- running ------------------------------------------------------------------------


@dataclass
class Measured:
    scores: tuple[float, float, float]
    ms_per_page: float
    per_page: dict[str, tuple[float | None, float]]
    warned: dict[str, bool]


def measure(extract: Extractor, dev: DevSet) -> Measured:
    per_page: dict[str, tuple[float | None, float]] = {}
    warned: dict[str, bool] = {}
    elapsed = 0.0
    for page in dev.pages:
        start = time.perf_counter()
        output = extract(page, dev)
        elapsed += time.perf_counter() - start
        per_page[page.id] = page_scores(output.text, page.reference, dev.tokens)
        warned[page.id] = output.warned
    return Measured(summarize(per_page, dev.mean_f1), 1000 * elapsed / max(len(dev.pages), 1), per_page, warned)


def run_set(dev: DevSet, extractors: list[tuple[str, Extractor | None]], worst: int) -> bool:
    """Print one set's table, its worst pages and its targets; True when all are met."""
    print(f"\n## {dev.name}: {len(dev.pages)} pages")
    print(f"{'extractor':<24} {'precision':>9} {'recall':>7} {'F1':>7} {'ms/page':>8}")
    results: dict[str, Measured] = {}
    for name, extract in extractors:
        if extract is None:
            print(f"{name:<24} (not installed)")
            continue
        measured = results[name] = measure(extract, dev)
        precision, recall, f1 = measured.scores
        print(f"{name:<24} {precision:9.4f} {recall:7.4f} {f1:7.4f} {measured.ms_per_page:8.1f}")
    ours = results.get("pipeline clean_html")
    if ours is None:
        return False
    if worst:
        _print_worst(dev, results, worst)
    return _print_targets(dev, results)


def _print_worst(dev: DevSet, results: dict[str, Measured], count: int) -> None:
    ours = results["pipeline clean_html"]
    others = [name for name in results if name != "pipeline clean_html"]
    print(f"\nworst {count} pages of the cleaner (precision, recall, F1; others' recall; loss warned):")
    header = "".join(f" {name.split()[0][:12]:>12}" for name in others)
    print(f"  {'page':<40} {'P':>5} {'R':>5} {'F1':>5}{header}  warned")
    ranked = sorted(ours.per_page.items(), key=lambda item: _f1(item[1][0] or 0.0, item[1][1]))
    for page_id, (precision, recall) in ranked[:count]:
        shown = "    -" if precision is None else f"{precision:5.3f}"
        peers = "".join(f" {results[name].per_page[page_id][1]:12.3f}" for name in others)
        warned = "yes" if ours.warned[page_id] else "no"
        print(f"  {page_id[:40]:<40} {shown} {recall:5.3f} {_f1(precision or 0.0, recall):5.3f}{peers}  {warned}")


def _print_targets(dev: DevSet, results: dict[str, Measured]) -> bool:
    ours = results["pipeline clean_html"]
    f1 = ours.scores[2]
    target = TARGETS[dev.name]
    checks = [(f"F1 {f1:.4f} >= {target}", f1 >= target)]
    for name, measured in results.items():
        if name != "pipeline clean_html":
            checks.append((f"F1 above {name} ({measured.scores[2]:.4f})", f1 > measured.scores[2]))
    silent = [p for p, (_, r) in ours.per_page.items() if r < WARN_RECALL and not ours.warned[p]]
    checks.append((f"no page below {WARN_RECALL} recall without a loss warning"
                   + (f" (silent: {', '.join(silent)})" if silent else ""), not silent))
    warned = [p for p, w in ours.warned.items() if w]
    whole = [p for p in warned if ours.per_page[p][1] >= 0.9]
    print(f"\nloss warnings: {len(warned)} of {len(ours.warned)} pages; {len(whole)} of them on pages "
          f"with recall >= 0.9 (false alarms, or text the reference leaves out)")
    print(f"\ntargets ({dev.name}):")
    for text, met in checks:
        print(f"  [{'met' if met else 'NOT met'}] {text}")
    return all(met for _, met in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=DEV, help="the extraction-dev folder")
    parser.add_argument("--set", choices=("scrapinghub", "readability", "both"), default="both")
    parser.add_argument("--worst", type=int, default=10, help="list the N worst pages of the cleaner")
    parser.add_argument("--page", action="append", default=[], help="only these page ids (repeatable)")
    parser.add_argument("--cleaner-only", action="store_true", help="skip the other extractors")
    args = parser.parse_args(argv)
    sets = []
    for name, loader in (("scrapinghub", load_scrapinghub), ("readability", load_readability)):
        if args.set in (name, "both"):
            dev = loader(args.dev)
            if dev is None:
                print(f"skipped {name}: the development set is not at {args.dev}")
                continue
            if args.page:
                dev = DevSet(dev.name, [p for p in dev.pages if p.id in args.page], dev.tokens,
                             dev.article_text, dev.mean_f1)
            sets.append(dev)
    extractors: list[tuple[str, Extractor | None]] = [("pipeline clean_html", cleaner())]
    if not args.cleaner_only:
        extractors += [("readability-lxml", readability_lxml()), ("trafilatura (default)", trafilatura_plain())]
    met = [run_set(dev, extractors, args.worst) for dev in sets if dev.pages]
    if met:
        print(f"\nall targets met: {'yes' if all(met) else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
