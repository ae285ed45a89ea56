"""Saying when part of the article was likely lost.

A paragraph missing from the clean document is a paragraph no translator ever
sees, and nothing else would show it. So the kept text is compared with two
witnesses:

* the page's own prose: every dropped block of real sentences that was
  hidden, or sat in the article's container, or that an extractor kept, and
  whose drop no widget signal explains;
* readability-lxml's choice: the share of the text it kept that the clean
  article does not hold.

When either says that a large share of the article's prose is missing, the
report carries a ``text-lost`` warning naming the largest dropped blocks, and
``pipeline clean --strict`` fails on it.
"""

from __future__ import annotations

from collections import Counter

from pipeline.cleaning.htmlchrome import CHROME_REASONS
from pipeline.cleaning.reconcile import PROSE_WORDS
from pipeline.cleaning.report import CleanWarning
from pipeline.cleaning.votes import Opinion, trigrams, words

LOSS_WARNING = "text-lost"
#: Warn when unexplained dropped prose is more than this share of all prose.
DROPPED_SHARE = 0.3
#: Warn when the clean article lacks more than this share of the second extractor's text.
MISSING_SHARE = 0.35
#: Below this many trigrams the second extractor's text says too little to compare.
MIN_WITNESS = 40
#: How many of the largest dropped blocks the warning names.
NAMED_BLOCKS = 3
#: Reasons that explain a drop: a widget, a repeat, the user's own rule.
EXPLAINED = CHROME_REASONS | {"duplicate", "title", "rule", "comments", "debris", "image-placeholder"}


def loss_warnings(kept_text: str, suspects: list[tuple[str, str]], witness: Opinion) -> list[CleanWarning]:
    """A ``text-lost`` warning when the clean article probably misses part of the article.

    ``suspects`` are the dropped blocks that may be the article's, with their
    reason: hidden text, and blocks in the article's container or kept by an
    extractor whose drop no widget signal explains.
    """
    kept_words = len(words(kept_text))
    unexplained = [
        (len(block.split()), block, reason)
        for text, reason in suspects
        if reason not in EXPLAINED
        for block in text.split(" | ")
        if len(block.split()) >= PROSE_WORDS  # prose someone wrote, not a label
    ]
    dropped_words = sum(count for count, _, _ in unexplained)
    reasons = []
    if dropped_words > DROPPED_SHARE * (dropped_words + kept_words):
        reasons.append(f"{dropped_words} words of the page's prose were dropped against {kept_words} kept")
    missing = _missing_share(kept_text, witness)
    if missing is not None and missing > MISSING_SHARE:
        reasons.append(f"{missing:.0%} of the text a second extractor (readability-lxml) keeps is not in the article")
    if not reasons:
        return []
    largest = sorted(unexplained, key=lambda item: -item[0])[:NAMED_BLOCKS]
    named = "; ".join(f"[{reason}] {text[:80]!r} ({count} words)" for count, text, reason in largest)
    return [CleanWarning(
        text=" and ".join(reasons),
        kind=LOSS_WARNING,
        detail="part of the article may be missing from the clean document"
        + (f"; largest dropped blocks: {named}" if named else "")
        + "; add a [pipeline:clean] keep rule for text that belongs to the article",
        action="dropped",
    )]


def _missing_share(kept_text: str, witness: Opinion) -> float | None:
    total = sum(witness.grams.values())
    if total < MIN_WITNESS:
        return None
    kept = Counter(trigrams(words(kept_text)))
    missing = sum(max(count - kept[gram], 0) for gram, count in witness.grams.items())
    return missing / total
