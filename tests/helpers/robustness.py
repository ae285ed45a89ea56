"""A generated project big enough for commands to take a noticeable time.

Used by the kill, lock and output tests: ``articles`` clean documents (made
with ``document.serialize``, exactly what ``clean`` writes), templates
extracted, and the catalogs of each locale translated (a recognisable
"[fr] ..." per message, tags kept), all through the stage functions.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from lxml import html

from pipeline.formats import document as document_format
from pipeline.formats.po import read_catalog, write_catalog

SETUP_CFG = "[pipeline]\nsource_language = en\nlocales = {locales}\nthreshold = 50\nsite_name = Careers\n"
TOPICS = ["data", "machine learning", "security", "design", "operations", "research", "support", "sales"]


def article_body(number: int, paragraphs: int = 12, variant: int = 0) -> str:
    topic = TOPICS[number % len(TOPICS)]
    parts = [f"<article>\n<h1>What does a {topic} engineer do? ({number})</h1>"]
    for index in range(paragraphs):
        parts.append(
            f"<p>Paragraph {index} of article {number}{' (revised)' if variant and index % 3 == 0 else ''}: "
            f"a {topic} engineer builds <a href=\"https://example.org/{number}/{index}\">systems</a> "
            f"that <em>many</em> people use every day, and writes <code>tests</code> for them.</p>"
        )
        if index % 4 == 1:
            parts.append(f"<h2>Part {index} about {topic}</h2>")
        if index % 5 == 2:
            parts.append(
                f"<ul>\n<li>Plan the work on {topic}</li>\n<li>Review the results<ul><li>weekly</li></ul></li>\n</ul>"
            )
    parts.append("</article>")
    return "\n".join(parts)


def write_article(root: Path, number: int, variant: int = 0) -> None:
    body = html.fragment_fromstring(article_body(number, variant=variant))
    doc = document_format.Document(
        title=body[0].text_content(), language="en", body=body, description=f"About article {number}."
    )
    folder = root / "source" / f"article-{number:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.html").write_text(document_format.serialize(doc), encoding="utf-8")


def pseudo_translation(msgid: str, locale: str) -> str:
    """A translation keeping the message's tags: the locale's mark before each text piece."""
    return re.sub(r"(^|>)([^<]+)", lambda m: f"{m.group(1)}[{locale}] {m.group(2)}", msgid)


def translate_all(root: Path, locale: str, mark: str | None = None) -> dict[str, dict[str, str]]:
    """Fill every catalog of ``locale``; returns {catalog file name: {msgid: msgstr}}."""
    done: dict[str, dict[str, str]] = {}
    for path in sorted((root / "locales" / locale / "LC_MESSAGES").glob("*.po")):
        catalog = read_catalog(path)
        table = {}
        for message in catalog:
            if not message.id or isinstance(message.id, (tuple, list)):
                continue
            message.string = pseudo_translation(message.id, mark or locale)
            message.flags.discard("fuzzy")
            table[message.id] = message.string
        write_catalog(path, catalog)
        done[path.name] = table
    return done


def make_big_project(root: Path, articles: int = 20, locales: tuple[str, ...] = ("fr", "de")) -> Path:
    from pipeline.catalogs.init import init
    from pipeline.extract import extract
    from pipeline.project import Project

    root.mkdir(parents=True, exist_ok=True)
    (root / "setup.cfg").write_text(SETUP_CFG.format(locales=" ".join(locales)), encoding="utf-8")
    for number in range(articles):
        write_article(root, number)
    project = Project.load(root)
    extract(project, project.resolve_slugs([]))
    for locale in locales:
        init(project, locale)
        translate_all(root, locale)
    return root


def run_pipeline(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """``pipeline ARGS`` in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, env=env, timeout=120, **kwargs
    )


def popen_pipeline(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
