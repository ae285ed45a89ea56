"""extract: one template per article plus site.pot, deterministic and GNU-wrapped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.catalogs import SLUG, edit_article, make_project, msgcat, msgfmt_check
from pipeline.cli import main
from pipeline.errors import CatalogError
from pipeline.extract import article_template, extract, site_template
from pipeline.formats.po import format_catalog, read_catalog
from pipeline.project import Project
from pipeline.catalogs.labels import ROLE_MESSAGES

REPO_ROOT = Path(__file__).resolve().parent.parent

EXPECTED_MSGIDS = [
    "What is a machine learning engineer?",
    "Learn about salary and steps to becoming one.",
    "Machine learning engineers build <a>artificial intelligence</a> systems.",
    "Read the <a1>first report</a1> and the <a2>second report</a2>, with <em>care</em>.",
    "Use <code/> to start.",
    "Skills",
    "Python",
    "Statistics and probability",
    "Two engineers at a whiteboard",
    "Engineers at work.",
    "Salaries by year",
    "Year",
    "Salary",
    "About 50% more",
    "Data is the new oil.",
    "The World Economic Forum lists AI and machine learning specialists among the top three roles "
    "expected to grow most rapidly between 2025 and 2030, with a global net growth of 82 percent.",
    "World Economic Forum. <a>Future of Jobs Report 2025</a>.",
]


def test_every_block_and_nothing_else_in_document_order(tmp_path):
    project = make_project(tmp_path)
    catalog = article_template(project, SLUG)
    assert [m.id for m in catalog if m.id] == EXPECTED_MSGIDS


def test_comments_references_and_duplicates(tmp_path):
    project = make_project(tmp_path)
    extract(project, [SLUG])
    catalog = read_catalog(project.template_path(SLUG))
    title = catalog.get("What is a machine learning engineer?")
    assert title.auto_comments == ["page title", "page heading"]  # title and h1: one message
    assert catalog.get("Learn about salary and steps to becoming one.").auto_comments == ["page description"]
    read = catalog.get(EXPECTED_MSGIDS[3])
    assert read.auto_comments == ["paragraph; <a1> is a link, <a2> is a link, <em> is emphasis"]
    assert catalog.get("Use <code/> to start.").auto_comments == ["paragraph; <code/> stands for “pip install x”, kept as it is"]
    assert catalog.get("Two engineers at a whiteboard").auto_comments == ["image description"]
    python = catalog.get("Python")  # two list items, one message
    assert python.locations == [("demo/article.html", None)]
    text = project.template_path(SLUG).read_text(encoding="utf-8")
    assert text.count('msgid "Python"') == 1
    assert "#: demo/article.html\n" in text and "article.html:" not in text
    # No format flag is guessed for article text ("50% more").
    assert all(not m.flags for m in catalog if m.id)


def test_written_from_plain_data_as_from_the_catalog(tmp_path):
    # extract writes an article's template without building its Babel catalog: the same bytes.
    project = make_project(tmp_path)
    extract(project, [SLUG])
    assert project.template_path(SLUG).read_bytes() == format_catalog(article_template(project, SLUG))


def test_not_extracted(tmp_path):
    project = make_project(tmp_path)
    text = article_template(project, SLUG)
    ids = " ".join(m.id for m in text if m.id)
    for absent in ("Do not translate", "Nor this", "not extracted", "pip install", "only-a-url", "Jane Doe"):
        assert absent not in ids
    assert "42" not in [m.id for m in text] and "2025" not in [m.id for m in text]


def test_skip_classes_come_from_settings(tmp_path):
    project = make_project(tmp_path)
    (project.root / "setup.cfg").write_text("[pipeline]\nskip_classes = notranslate references\n")
    project = Project.load(project.root)
    ids = [m.id for m in article_template(project, SLUG) if m.id]
    assert "World Economic Forum. <a>Future of Jobs Report 2025</a>." not in ids
    assert "Skills" in ids


def test_twice_is_byte_identical_and_not_rewritten(tmp_path):
    project = make_project(tmp_path)
    first = extract(project, [SLUG])
    assert [t.written for t in first.templates] == [True, True]
    paths = [project.template_path(SLUG), project.template_path("site")]
    before = [p.read_bytes() for p in paths]
    os.utime(paths[0], (1, 1))
    second = extract(project, [SLUG])
    assert [t.written for t in second.templates] == [False, False]
    assert [p.read_bytes() for p in paths] == before
    assert paths[0].stat().st_mtime == 1


def test_creation_date_comes_from_the_document_not_the_clock(tmp_path):
    project = make_project(tmp_path)
    extract(project, [SLUG])
    assert '"POT-Creation-Date: 2025-09-24 00:00+0000\\n"' in project.template_path(SLUG).read_text()


def test_creation_date_falls_back_on_the_fetch_time_only_when_the_document_has_no_date(tmp_path):
    project = make_project(tmp_path)
    provenance = project.article_dir(SLUG) / "provenance.json"
    provenance.write_text('{"fetched_at": "2024-03-05T10:20:30Z"}', encoding="utf-8")
    extract(project, [SLUG])
    assert '"POT-Creation-Date: 2025-09-24 00:00+0000\\n"' in project.template_path(SLUG).read_text()
    edit_article(project, SLUG, '<meta name="dcterms.modified" content="2025-09-24">', "")
    extract(project, [SLUG])
    assert '"POT-Creation-Date: 2024-03-05 10:20+0000\\n"' in project.template_path(SLUG).read_text()


def test_msgfmt_accepts_and_msgcat_writes_the_same_bytes(tmp_path):
    project = make_project(tmp_path)
    extract(project, [SLUG])
    for domain in (SLUG, "site"):
        path = project.template_path(domain)
        assert msgfmt_check(path).returncode == 0
        assert msgcat(path) == path.read_bytes()


def test_site_template_has_the_site_labels_msgids(tmp_path):
    project = make_project(tmp_path, templates=False)
    ids = {m.id for m in site_template(project)}
    for msgid, _ in ROLE_MESSAGES.values():
        assert msgid in ids  # exactly as pipeline.catalogs.labels.py spells them


def test_project_template_overrides_packaged_one(tmp_path):
    project = make_project(tmp_path, templates=False)
    packaged = sorted((REPO_ROOT / "pipeline" / "templates").glob("*.html"))
    assert packaged, "the packaged page templates are missing"
    (project.root / "templates").mkdir()
    (project.root / "templates" / packaged[0].name).write_text("<p>{{ _('Only this') }}</p>")
    catalog = site_template(project)
    own = [m for m in catalog if m.id == "Only this"]
    assert own and own[0].locations == [(f"templates/{packaged[0].name}", None)]
    assert all(loc[0] != f"pipeline/templates/{packaged[0].name}" for m in catalog for loc in m.locations)


def test_same_messages_as_pybabel_with_babel_cfg(tmp_path):
    project = make_project(tmp_path)
    root = project.root
    shutil.copy(REPO_ROOT / "babel.cfg", root / "babel.cfg")
    shutil.copytree(REPO_ROOT / "pipeline" / "templates", root / "pipeline" / "templates")
    out = tmp_path / "pybabel.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-c", "Translators:", "-o", str(out), "."],
        cwd=root, check=True, capture_output=True,
    )
    theirs = read_catalog(out)
    ours = site_template(project)

    def summary(catalog):
        return {(m.id, m.context): (sorted(m.auto_comments), sorted(m.flags), sorted({p for p, _ in m.locations}))
                for m in catalog if m.id}

    assert summary(ours) == summary(theirs)
    assert ("By %(author)s", None) in summary(ours)
    assert summary(ours)[("By %(author)s", None)][0] == ["the byline under the article title"]


def test_template_syntax_error_is_a_clear_error(tmp_path):
    project = make_project(tmp_path)
    (project.root / "templates" / "broken.html").write_text("{% trans %}unclosed")
    with pytest.raises(CatalogError, match="broken.html"):
        site_template(project)


def test_cli_extract(tmp_path):
    project = make_project(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["extract", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "wrote locales/demo.pot (17 messages)" in result.output
    result = runner.invoke(main, ["extract", "--project", str(project.root), SLUG])
    assert "unchanged locales/demo.pot" in result.output
    result = runner.invoke(main, ["extract", "--project", str(project.root), "nope"])
    assert result.exit_code == 1 and "no article 'nope'" in result.output


def test_shipped_article(tmp_path, shipped_project):
    from helpers.projects import SHIPPED_SLUG

    project = Project.load(shipped_project)
    if not project.clean_document_path(SHIPPED_SLUG).exists():
        pytest.skip("the shipped article has no clean document yet")
    extract(project, [SHIPPED_SLUG])
    path = project.template_path(SHIPPED_SLUG)
    data = path.read_bytes()
    assert msgfmt_check(path).returncode == 0
    assert msgcat(path) == data
    extract(project, [SHIPPED_SLUG])
    assert path.read_bytes() == data
    catalog = read_catalog(path)
    assert len(catalog) > 10
    assert all(m.locations == [(f"{SHIPPED_SLUG}/article.html", None)] for m in catalog if m.id)


def test_site_name_setting_is_a_site_message(tmp_path):
    project = make_project(tmp_path)
    (project.root / "setup.cfg").write_text("[pipeline]\nsite_name = Field Notes\n", encoding="utf-8")
    project = Project.load(project.root)
    found = [message for message in site_template(project) if message.id == "Field Notes"]
    assert len(found) == 1
    message = found[0]
    assert message.auto_comments == ["the site's name (site_name in setup.cfg)"]
    assert message.locations == [("setup.cfg", None)]
