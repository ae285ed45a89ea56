"""``pipeline clean`` on plain-text dumps: the shipped article and other shapes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html

from helpers.projects import REPO_ROOT, SHIPPED_SLUG, snapshot_project
from pipeline.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "textdump"


def run(*args: str) -> "CliRunner.invoke":
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def clean_project(root: Path, *slugs: str):
    result = run("clean", "--project", str(root), *slugs)
    return result


def body_text(path: Path) -> str:
    return html.fromstring(path.read_text(encoding="utf-8")).text_content()


@pytest.fixture
def shipped(shipped_project: Path) -> tuple[Path, str, dict]:
    (shipped_project / "source" / SHIPPED_SLUG / "article.html").unlink()
    result = clean_project(shipped_project)
    assert result.exit_code == 0, result.output
    folder = shipped_project / "source" / SHIPPED_SLUG
    report = json.loads((folder / "clean-report.json").read_text(encoding="utf-8"))
    return folder / "article.html", (folder / "article.html").read_text(encoding="utf-8"), report


# --- The shipped article: what the clean document must contain ---------------------------------


def test_shipped_snapshot_is_the_seed_byte_for_byte():
    seed = REPO_ROOT.parent / "shared" / "seed" / "000_ac7d8d5f81f042a3.txt"
    if not seed.exists():
        pytest.skip("shared/seed is not beside the repository")
    snapshot = REPO_ROOT / "source" / SHIPPED_SLUG / "snapshot.txt"
    assert snapshot.read_bytes() == seed.read_bytes()
    provenance = json.loads((snapshot.parent / "provenance.json").read_text())
    import hashlib

    assert provenance["sha256"] == hashlib.sha256(seed.read_bytes()).hexdigest()
    assert provenance["url"] is None and provenance["fetched_at"] is None
    assert provenance["format"] == "text"


def test_committed_clean_document_is_what_clean_produces(shipped):
    path, text, _ = shipped
    assert text == (REPO_ROOT / "source" / SHIPPED_SLUG / "article.html").read_text(encoding="utf-8")


def test_shipped_document_metadata(shipped):
    _, text, _ = shipped
    root = html.fromstring(text)
    assert root.get("lang") == "en"
    assert root.findtext(".//title") == "What Is a Machine Learning Engineer? (+ How to Get Started)"
    meta = {m.get("name"): m.get("content") for m in root.iter("meta") if m.get("name")}
    assert meta["description"].startswith("Machine learning (ML) engineers work with algorithms")
    assert meta["description"].endswith("steps to becoming a machine learning engineer.")
    assert meta["author"] == "Coursera Staff"
    assert meta["dcterms.language"] == "en"
    assert meta["pipeline.content-hash"].startswith("sha256:")


def test_shipped_document_headings(shipped):
    _, text, _ = shipped
    root = html.fromstring(text)
    h2 = [h.text_content() for h in root.iter("h2")]
    assert h2 == [
        "What is machine learning?",
        "What does a machine learning engineer do?",
        "Job outlook for machine learning engineers",
        "Machine learning engineer salary",
        "How to become a machine learning engineer",
        "Do you need an advanced degree to be a machine learning engineer?",
    ]
    h3 = [h.text_content() for h in root.iter("h3")]
    assert h3 == [
        "1. Earn a bachelor's degree in computer science or a related field.",
        "2. Gain work experience through entry-level machine learning engineer jobs.",
        "3. Build your machine learning expertise.",
    ]


def test_shipped_document_keeps_every_article_paragraph(shipped):
    _, text, _ = shipped
    content = html.fromstring(text).text_content()
    for start in (
        "Machine learning engineers are responsible for building",
        "In this article, you'll learn more about machine learning engineers",
        "Machine learning is a subset of computer science",
        "Machine learning includes everything from video surveillance",
        "Social media platforms like Meta",
        "Machine learning engineers are critical members",
        "Often, a machine learning engineer will also serve",
        "Over the past few decades",
        "Indeed ranked machine learning engineer",
        "Machine learning professions are typically lucrative",
        "It's possible to obtain a career in machine learning",
        "Because machine learning is part of the computer science field",
        "Once you have earned a computer science degree",
        "While working in a related role",
        "While it is possible to work in data science",
    ):
        assert start in content, start
    assert "$176,188" in content


def test_shipped_duties_are_a_list(shipped):
    _, text, _ = shipped
    root = html.fromstring(text)
    lists = root.findall(".//article/ul")
    assert len(lists) == 1
    assert [li.text_content() for li in lists[0]] == [
        "Implementing machine learning algorithms",
        "Running AI systems experiments and tests",
        "Designing and developing machine learning systems",
        "Performing statistical analyses",
    ]


def test_shipped_reference_is_linked(shipped):
    _, text, _ = shipped
    root = html.fromstring(text)
    reference = root.get_element_by_id("ref-1")
    assert reference.getparent().tag == "ol"
    link = reference.find("a")
    assert link.get("href") == "https://reports.weforum.org/docs/WEF_Future_of_Jobs_Report_2025.pdf"
    assert link.text == "Future of Jobs Report 2025"
    assert "World Economic Forum (WEF)" in reference.text_content()
    citations = [a for a in root.iter("a") if a.get("href") == "#ref-1"]
    assert [a.text for a in citations] == ["[1]"]
    # Citations without a reference in the snapshot stay plain text.
    assert "[2]" in root.text_content()
    assert not [a for a in root.iter("a") if a.get("href") == "#ref-2"]


@pytest.mark.parametrize(
    "unwanted",
    [
        "作者",
        "更新于",
        "您目前正在浏览幻灯片",
        "文章来源",
        "此内容仅供参考",
        "Editorial Team",
        "editorial team is comprised",
        "Read more",
        "10 Machine Learning Algorithms to Know",
        "Explore our free machine learning career resources",
        "Career Chat",
        "Coursera Plus subscription",
        "[Featured Image]",
    ],
)
def test_shipped_document_drops_chrome(shipped, unwanted):
    _, text, _ = shipped
    assert unwanted not in text


def reason_for(report: dict, start: str) -> str:
    found = [d["reason"] for d in report["dropped"] if d["text"].startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def test_shipped_report_names_each_dropped_block_with_reason(shipped):
    _, _, report = shipped
    expected = {
        "作者:Coursera Staff • 更新于": "byline",
        "Machine learning (ML) engineers work": "description",
        "[Featured Image]": "image-placeholder",
        "Read more: 10 Machine Learning": "related-link",
        "您目前正在浏览幻灯片 1": "interface-text",
        "Explore our free machine learning": "promotion",
        "Discover what’s next": "promotion",
        "Accelerate your career growth": "promotion",
        "文章来源": "interface-text",
        "Editorial Team": "author-bio",
        "Coursera’s editorial team": "author-bio",
        "此内容仅供参考": "interface-text",
    }
    for start, reason in expected.items():
        assert reason_for(report, start) == reason
    assert all(d["detail"] for d in report["dropped"])


def test_shipped_interface_text_recorded_with_roles(shipped):
    _, _, report = shipped
    roles = {(i["role"], i["text"][:10], i["language"]) for i in report["interface"]}
    assert ("byline-label", "作者", "zh") in roles
    assert ("updated-label", "更新于", "zh") in roles
    assert ("sources-heading", "文章来源", "zh") in roles
    assert ("slideshow-label", "您目前正在浏览幻灯片", "zh") in roles
    assert ("disclaimer", "此内容仅供参考。建议", "zh") in roles


def test_lost_list_intros_are_warnings_and_dropped(shipped):
    _, text, report = shipped
    warned = {w["text"]: w for w in report["warnings"]}
    assert set(warned) == {
        "Some entry-level positions that can lead to a machine learning career include:",
        "Here are a few recommendations to get started:",
    }
    assert {w["action"] for w in warned.values()} == {"dropped-sentence"}
    assert "recommendations to get started" not in text
    # The introduction that a list does follow stays.
    assert "they often include:" in text


def test_lost_list_intro_keep_setting(tmp_path):
    snapshot = (REPO_ROOT / "source" / SHIPPED_SLUG / "snapshot.txt").read_bytes()
    root = snapshot_project(tmp_path / "p", {"a": ("snapshot.txt", snapshot)}, "[pipeline:clean]\nlost_list_intro = keep\n")
    result = clean_project(root)
    assert result.exit_code == 0, result.output
    text = (root / "source" / "a" / "article.html").read_text()
    assert "Here are a few recommendations to get started:" in text
    report = json.loads((root / "source" / "a" / "clean-report.json").read_text())
    assert {w["action"] for w in report["warnings"]} == {"kept"}


def test_clean_summary_and_strict(shipped_project):
    result = CliRunner().invoke(main, ["clean", "--project", str(shipped_project)])
    assert result.exit_code == 0
    assert "dropped 15 block(s)" in result.output
    assert "2 warnings" in result.output
    strict = CliRunner().invoke(main, ["clean", "--strict", "--project", str(shipped_project)])
    assert strict.exit_code == 1
    assert "--strict" in strict.output


# --- Not hard-coded to one article -----------------------------------------------------------


def _clean_fixture(tmp_path: Path, name: str, settings: str = "") -> tuple[str, dict]:
    root = snapshot_project(tmp_path / "p", {"a": ("snapshot.txt", (FIXTURES / name).read_bytes())}, settings)
    result = clean_project(root)
    assert result.exit_code == 0, result.output
    folder = root / "source" / "a"
    return (folder / "article.html").read_text(), json.loads((folder / "clean-report.json").read_text())


def test_french_interface_on_english_article(tmp_path):
    text, report = _clean_fixture(tmp_path, "french-interface.txt")
    root = html.fromstring(text)
    assert root.get("lang") == "en"
    meta = {m.get("name"): m.get("content") for m in root.iter("meta") if m.get("name")}
    assert meta["author"] == "Jane Doe"
    for unwanted in ("diapositive", "Sources de l", "Mis à jour", "Ce contenu", "Science Desk", "Read more", "newsletter"):
        assert unwanted not in text, unwanted
    assert [h.text for h in root.iter("h2")] == ["The sun compass", "What bees remember"]
    assert len(root.findall(".//section/ol/li")) == 2
    roles = {(i["role"], i["language"]) for i in report["interface"]}
    assert {("byline-label", "fr"), ("updated-label", "fr"), ("sources-heading", "fr"),
            ("slideshow-label", "fr"), ("disclaimer", "fr")} <= roles
    assert reason_for(report, "Subscribe to our weekly") == "promotion"
    assert reason_for(report, "Read more: Why Bees") == "related-link"
    assert reason_for(report, "Our science desk is") == "author-bio"
    assert reason_for(report, "[Featured Image] A honeybee") == "image-placeholder"


def test_spanish_article_with_english_interface(tmp_path):
    text, report = _clean_fixture(tmp_path, "spanish-article-english-interface.txt")
    root = html.fromstring(text)
    assert root.get("lang") == "es"
    for unwanted in ("You are currently on slide", "Article sources", "informational purposes", "Updated on"):
        assert unwanted not in text
    assert [h.text for h in root.iter("h2")] == ["Elegir las plantas", "El riego"]
    roles = {(i["role"], i["text"]) for i in report["interface"]}
    assert ("byline-label", "By") in roles and ("sources-heading", "Article sources") in roles


def test_drop_and_keep_rules_from_settings(tmp_path):
    settings = "[pipeline:clean]\ndrop =\n    ^Bees measure the angle\nkeep =\n    ^Subscribe to our weekly\n"
    text, report = _clean_fixture(tmp_path, "french-interface.txt", settings)
    assert "Bees measure the angle" not in text
    assert "Subscribe to our weekly nature newsletter" in text
    assert any(d["reason"] == "rule" and d["text"].startswith("Bees measure") for d in report["dropped"])


def test_rules_file_beside_snapshot(tmp_path):
    root = snapshot_project(tmp_path / "p", {"a": ("snapshot.txt", (FIXTURES / "french-interface.txt").read_bytes())})
    (root / "source" / "a" / "clean-rules.cfg").write_text("[pipeline:clean]\ndrop =\n    ^Researchers have tracked\n")
    assert clean_project(root).exit_code == 0
    assert "Researchers have tracked" not in (root / "source" / "a" / "article.html").read_text()


def test_invalid_rule_is_reported_with_every_problem(tmp_path):
    root = snapshot_project(
        tmp_path / "p",
        {"a": ("snapshot.txt", "Title\n\nSome text here.\n")},
        "[pipeline:clean]\ndrop =\n    ([unclosed\nlost_list_intro = maybe\n",
    )
    result = CliRunner().invoke(main, ["clean", "--project", str(root)])
    assert result.exit_code == 1
    assert "invalid regular expression" in result.output and "lost_list_intro" in result.output
    assert "Traceback" not in result.output


# --- Errors, atomicity, determinism --------------------------------------------------------------


def test_unknown_slug_is_one_clear_line(shipped_project):
    result = CliRunner().invoke(main, ["clean", "--project", str(shipped_project), "no-such-article"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: no article 'no-such-article'")
    assert len(result.output.strip().splitlines()) == 1


def test_path_like_slug_is_refused(shipped_project):
    result = CliRunner().invoke(main, ["clean", "--project", str(shipped_project), "../../etc"])
    assert result.exit_code == 1
    assert "invalid article slug" in result.output


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("snapshot.txt", b"", "is empty"),
        ("snapshot.txt", b"   \n\n  ", "is empty"),
        ("snapshot.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "unknown format"),
        ("snapshot.txt", b"\x00\x01\x02binary", "unknown format"),
        ("notes.md", b"# not a snapshot", "no snapshot"),
    ],
)
def test_bad_snapshots_fail_cleanly(tmp_path, name, content, message):
    root = snapshot_project(tmp_path / "p", {"a": (name, content)})
    result = CliRunner().invoke(main, ["clean", "--project", str(root)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (root / "source" / "a" / "article.html").exists()


def test_snapshot_with_no_article_text(tmp_path):
    root = snapshot_project(tmp_path / "p", {"a": ("snapshot.txt", "Title\n\n作者:Someone\n\n此内容仅供参考。\n")})
    result = CliRunner().invoke(main, ["clean", "--project", str(root)])
    assert result.exit_code == 1
    assert "no article text" in result.output


def test_clean_twice_is_byte_identical_and_untouched(shipped_project):
    assert clean_project(shipped_project).exit_code == 0
    folder = shipped_project / "source" / SHIPPED_SLUG
    first = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    result = clean_project(shipped_project)
    assert "unchanged" in result.output
    second = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert first == second
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_no_temporary_files_left_after_failure(tmp_path):
    root = snapshot_project(tmp_path / "p", {"a": ("snapshot.txt", b"%PDF-1.4")})
    CliRunner().invoke(main, ["clean", "--project", str(root)])
    assert sorted(os.listdir(root / "source" / "a")) == ["snapshot.txt"]
