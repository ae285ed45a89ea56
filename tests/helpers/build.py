"""A small project for the build tests: a clean document and hand-written catalogs.

The document is made with ``pipeline.formats.document.serialize`` so it is
exactly what ``clean`` writes; the catalogs are the files under
``tests/fixtures/build/``, copied into the project's ``locales/`` folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from lxml import html

from pipeline.build.site import BuildOptions, build_site
from pipeline.formats.document import Document, serialize
from pipeline.project import Project

FIXTURES = Path(__file__).parents[1] / "fixtures" / "build"
SLUG = "sample-article"

ARTICLE_BODY = """<article>
<h1>What is a data engineer?</h1>
<p>Data engineers build the <a href="https://example.org/pipes">pipelines</a> that move <em>data</em> [1].</p>
<h2>What they do</h2>
<p>Their work includes:</p>
<ul>
<li>Designing storage systems</li>
<li>Writing <code>SQL</code> queries</li>
<li>Automating tasks<ul><li>Scheduling jobs</li></ul></li>
</ul>
<p><img src="chart.png" alt="Chart of data engineer salaries"></p>
<p>A sentence nobody translated yet.</p>
<section id="references" class="references">
<ol>
<li id="ref-1">Example Org. <a href="https://example.org/report">Annual report</a>, 2025.</li>
</ol>
</section>
</article>"""


def sample_document() -> Document:
    body = html.fragment_fromstring(ARTICLE_BODY)
    return Document(
        title="What is a data engineer?",
        language="en",
        body=body,
        description="Data engineers build the systems that move data.",
        author="Jane Doe",
        source_url="https://example.org/data-engineer",
        modified="2025-09-24",
    )


SETUP_CFG = """[pipeline]
source_language = en
locales = {locales}
threshold = 80
site_name = Careers in data
{extra}
"""


def make_project(root: Path, locales: tuple[str, ...] = ("zh_CN", "ar", "fr"), extra: str = "") -> Path:
    """Write the sample project under ``root``: setup.cfg, source/, locales/."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "setup.cfg").write_text(SETUP_CFG.format(locales=" ".join(locales), extra=extra), encoding="utf-8")
    article = root / "source" / SLUG
    article.mkdir(parents=True, exist_ok=True)
    (article / "article.html").write_text(serialize(sample_document()), encoding="utf-8")
    for locale in locales:
        source = FIXTURES / locale
        if source.is_dir():
            shutil.copytree(source, root / "locales" / locale / "LC_MESSAGES", dirs_exist_ok=True)
    return root


SLUGS = (SLUG, "second-article", "third-article")


def make_site(root: Path) -> Path:
    """The sample project with three articles (copies of the sample under other slugs)."""
    make_project(root)
    for slug in SLUGS[1:]:
        shutil.copytree(root / "source" / SLUG, root / "source" / slug)
        for folder in (root / "locales").glob("*/LC_MESSAGES"):
            shutil.copy2(folder / f"{SLUG}.po", folder / f"{slug}.po")
    return root


def build(root: Path, **options):
    """``build_site`` on the project at ``root``, as a stage caller makes it."""
    return build_site(Project.load(root), BuildOptions(**options))
