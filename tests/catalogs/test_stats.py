"""stats and completion: progress per locale and article, CJK counted by characters."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpers.catalogs import SLUG, make_project, translate_all
from pipeline.catalogs.stats import count_words, stats
from pipeline.cli import main
from pipeline.extract import extract
from pipeline.catalogs.init import init
from pipeline.formats.po import read_catalog, write_catalog


def test_count_words():
    assert count_words("Read the <a1>first report</a1>.") == 4
    assert count_words("It's 2025 and e.g. state-of-the-art.") == 5
    assert count_words("机器学习工程师") == 7
    assert count_words("AI 工程师 work") == 5
    assert count_words("한국어 문장") == 5
    assert count_words("<code/>") == 0


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path)
    extract(project, [SLUG])
    init(project, "zh_CN")
    return project


def test_stats_counts_messages_and_words(project):
    path = project.catalog_path("zh_CN", SLUG)
    catalog = read_catalog(path)
    catalog.get("Skills").string = "技能"
    catalog.get("Python").string = "Python"
    catalog.get("Data is the new oil.").string = "数据"
    catalog.get("Data is the new oil.").flags.add("fuzzy")
    write_catalog(path, catalog)
    result = {r.domain: r for r in stats(project, ["zh_CN"])}
    demo = result[SLUG]
    assert (demo.translated, demo.fuzzy, demo.untranslated) == (2, 1, 14)
    assert (demo.translated_words, demo.fuzzy_words) == (2, 5)
    assert demo.percent == pytest.approx(100 * 2 / demo.words)
    assert list(result) == [SLUG, "site"]


def test_completion(project):
    def percent() -> float:
        return next(r.percent for r in stats(project, ["zh_CN"]) if r.domain == SLUG)

    assert percent() == 0.0
    translate_all(project.catalog_path("zh_CN", SLUG))
    assert percent() == 100.0


def test_cli_table_and_json(project):
    translate_all(project.catalog_path("zh_CN", SLUG))
    runner = CliRunner()
    result = runner.invoke(main, ["stats", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["locale", "catalog", "done"]
    demo = next(line for line in lines if " demo " in line)
    assert "100.0%" in demo and "#" * 20 in demo
    site = next(line for line in lines if " site " in line)
    assert "0.0%" in site and "." * 20 in site
    result = runner.invoke(main, ["stats", "--project", str(project.root), "--json", "-l", "zh_CN"])
    data = json.loads(result.output)
    assert data[0]["domain"] == SLUG and data[0]["percent"] == 100.0 and data[0]["untranslated"] == 0


def test_ascii_text_counts_the_words_the_unicode_pattern_counts():
    """count_words counts Windows-1252 text (ASCII, Western letters, typographic punctuation) without the pattern: it must count what the general one counts."""
    import random

    from pipeline.catalogs import stats as stats_module

    def general(text: str) -> int:
        text = stats_module.TOKEN.sub(" ", text)
        return len(stats_module._CJK.findall(text)) + len(stats_module._WORD.findall(stats_module._CJK.sub(" ", text)))

    rng = random.Random(16)
    alphabet = ["a", "Z", "0", "9", "_", "'", ".", "-", "’", " ", "\t", "é", "中", "<a>", "</a>", "<b/>", "<", ",", "x-y", "l'", "1.5", "“", "”", "‘", "—", "–", "…", "\u00a0", "д", "이", "'-", "..", "\n", "!", "a'b-c.d",
                "ß", "Œ", "š", "ÿ", "µ", "ª", "º", "²", "¹", "½", "€", "™", "§", "·", "×", "÷", "¿", "«", "»", "\u00ad", "„", "•", "ƒ", "ő", "ı"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert count_words(text) == general(text), text


def test_every_windows_1252_character_has_the_part_the_pattern_gives_it():
    """The byte table of the quick count says of each Windows-1252 character what ``_WORD`` says of it alone and between letters."""
    from pipeline.catalogs import stats as stats_module

    for byte in range(256):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue  # an undefined byte: no text encodes to it
        for text in (char, f"a{char}b", f"{char}{char}a", f" {char}1"):
            assert stats_module.count_words(text) == len(stats_module._WORD.findall(text)), (hex(byte), text)
