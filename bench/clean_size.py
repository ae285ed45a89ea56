"""Time and peak memory of cleaning one large saved page, next to trafilatura.

    python bench/clean_size.py [--sizes 2,10,50] [--budget SECONDS]

Generates article pages of the given sizes in MB (a long article of
paragraphs, headings, lists and figures, inside a page with navigation,
related-link lists, comments and ads, as saved news pages are), then cleans
each in a fresh process (``clean_html``, what ``pipeline clean`` runs on
``snapshot.html``) and runs ``trafilatura.extract`` on it in another, and
prints a table: seconds and peak RSS of each, and the ratio. The cleaner runs
with the per-page time budget of ``[pipeline:clean] time_budget`` (``--budget``
overrides it): a page over budget is reported as such.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / ".work" / "clean-size"
_WORDS = ("the of and to in is that for it with as was on be by this are from have not "
          "river city council budget school water report year people said would could market "
          "energy health policy data system local plan public project study").split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def make_page(size: int, seed: int = 1) -> str:
    """A news page of about ``size`` bytes."""
    rng = random.Random(seed)
    head = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>A long report - Site</title>"
            "</head><body><header class='site-header'><nav class='menu'><ul>"
            + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(30))
            + "</ul></nav></header><main><article><h1>A long report</h1>"
            "<p class='byline'>By Jane Doe, Reuters</p>")
    tail = ("</article><aside class='related'><ul>"
            + "".join(f"<li><a href='/r{i}'>Related story {i}</a></li>" for i in range(10))
            + "</ul></aside></main><footer class='site-footer'><p>Copyright</p></footer></body></html>")
    parts = [head]
    length = len(head) + len(tail)
    index = 0
    while length < size:
        index += 1
        block = f"<h2>Part {index}</h2>" + "".join(
            f"<p>{' '.join(_sentence(rng) for _ in range(rng.randint(2, 6)))}</p>" for _ in range(6))
        if index % 3 == 0:
            block += "<ul>" + "".join(f"<li>{_sentence(rng)}</li>" for _ in range(4)) + "</ul>"
        if index % 5 == 0:
            block += (f"<figure><img src='/img/{index}.jpg' alt='Photo {index}'>"
                      f"<figcaption>{_sentence(rng)}</figcaption></figure>")
        if index % 7 == 0:
            block += "<div class='ad-slot'><a href='/ad'>Advertisement</a></div>"
        parts.append(block)
        length += len(block)
    parts.append(tail)
    return "".join(parts)


_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
page = open(sys.argv[2], encoding="utf-8").read()
start = time.perf_counter()
outcome = "ok"
if sys.argv[1] == "trafilatura":
    import trafilatura
    trafilatura.extract(page)
else:
    from pipeline.cleaning.htmlpage import clean_html
    from pipeline.errors import PipelineError
    from pipeline.settings import CleanRules
    rules = CleanRules(max_page_bytes=10**10, time_budget=float(sys.argv[4]))
    try:
        clean_html(page, rules)
    except PipelineError as exc:
        outcome = exc.message
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))
"""


def run(tool: str, page: Path, budget: float) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, tool, str(page), str(REPO), str(budget)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "outcome": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2,10,50", help="page sizes in MB, comma-separated")
    parser.add_argument("--budget", type=float, default=None, help="time budget per page in seconds")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from pipeline.settings import CleanRules

    budget = args.budget if args.budget is not None else CleanRules().time_budget
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"time budget {budget:g} s per page (the size cap is lifted for the measurement)")
    print(f"{'page':>7} | {'clean s':>8} {'peak MB':>8} | {'trafilatura s':>13} {'peak MB':>8} | {'time ratio':>10} | outcome")
    for size_mb in (float(s) for s in args.sizes.split(",")):
        page = WORK / f"page-{size_mb:g}MB.html"
        if not page.is_file():
            page.write_text(make_page(int(size_mb * 1024 * 1024)), encoding="utf-8")
        ours, theirs = run("clean", page, budget), run("trafilatura", page, budget)
        ratio = ours["seconds"] / theirs["seconds"] if theirs["seconds"] else float("nan")
        print(f"{size_mb:>5g}MB | {ours['seconds']:8.2f} {ours['peak_mb']:8.0f} | {theirs['seconds']:13.2f} "
              f"{theirs['peak_mb']:8.0f} | {ratio:10.2f} | {ours['outcome']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
