"""The floor under any build of these pages: lxml parsing and serializing each clean document.

A build cannot cost less per page than reading the page's document and writing a
page of the same size; this measures that in-process (no start-up), as CPU time
per document, so the report can say how far the build's CPU per extra page is
from it.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path


def parse_serialize_ms(documents: list[Path], runs: int) -> float:
    """Median over ``runs`` of the CPU milliseconds per document to parse it with lxml and serialize it again."""
    from lxml import html

    texts = [p.read_bytes() for p in documents]
    samples = []
    for _ in range(max(runs, 3)):
        started = time.process_time()
        for text in texts:
            html.tostring(html.document_fromstring(text), encoding="unicode")
        samples.append((time.process_time() - started) / len(texts))
    return 1000 * statistics.median(samples)
