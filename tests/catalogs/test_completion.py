"""One truth for completion: build, stats, the status page and publish count and show the same figure.

A translation with an error of ``check`` does not count (the build shows the source text
instead); figures are floored to one decimal and a threshold compares the figure shown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from lxml import html

from helpers.build import SLUG, make_project
from pipeline.cli import main
from pipeline.catalogs.completion import floored_percent, percent_text
from pipeline.formats.document import Document, serialize


def cli(project: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--project", str(project)])


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def stats_percent(project: Path, locale: str) -> float:
    result = cli(project, "stats", "--json", "-l", locale)
    assert result.exit_code == 0, result.output
    return next(r["percent"] for r in json.loads(result.output) if r["domain"] == SLUG)


def test_a_block_refused_for_its_markup_is_not_counted_and_the_page_says_where(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    catalog = project / "locales" / "ar" / "LC_MESSAGES" / f"{SLUG}.po"
    replace_in(catalog, 'msgid "Automating tasks"\nmsgstr ""', 'msgid "Automating tasks"\nmsgstr "أتمتة المهام"')
    replace_in(catalog, 'msgstr "ماذا يفعلون"', 'msgstr "ماذا <b>يفعلون</b>"')  # a tag the source lacks
    line = catalog.read_text(encoding="utf-8").splitlines().index('msgstr "ماذا <b>يفعلون</b>"')
    result = cli(project, "build")
    assert result.exit_code == 0, result.output
    [report] = [l for l in result.output.splitlines() if l.startswith("output/ar/")]
    shown = re.search(r"\(ar, ([\d.]+)% translated", report).group(1)
    assert float(shown) < 100  # was "100% translated, published" with the heading in English
    assert float(shown) == stats_percent(project, "ar")  # stats says the same
    assert "1 of " in report and "blocks in English" in report
    assert f"with errors at {catalog}:{line - 1}" in report or f"with errors at {catalog}:{line}" in report
    page = html.fromstring((project / "output" / "ar" / SLUG / "index.html").read_bytes())
    assert page.xpath('//h2[@lang="en"]/text()') == ["What they do"]
    stats = cli(project, "stats", "-l", "ar")
    assert "1 translated but not counted" in stats.output and f"{SLUG}.po:" in stats.output


def one_word_blocks_project(root: Path, blocks: int, translated: int, threshold: str) -> Path:
    """An article of ``blocks`` one-word paragraphs (each the same weight), ``translated`` of them in fr."""
    body = html.fragment_fromstring(
        "<article>" + "".join(f"<p>w{i:04d}</p>" for i in range(blocks)) + "</article>"
    )
    root.mkdir(parents=True)
    (root / "setup.cfg").write_text(
        f"[pipeline]\nsource_language = en\nlocales = fr\nthreshold = {threshold}\n", encoding="utf-8"
    )
    (root / "source" / "words").mkdir(parents=True)
    (root / "source" / "words" / "article.html").write_text(
        serialize(Document(title="w9999", language="en", body=body)), encoding="utf-8"
    )
    entries = ['msgid "w9999"\nmsgstr "m9999"\n'] + [
        f'msgid "w{i:04d}"\nmsgstr "{f"m{i:04d}" if i < translated else ""}"\n' for i in range(blocks)
    ]
    folder = root / "locales" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "words.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n' + "\n".join(entries),
        encoding="utf-8",
    )
    return root


def test_a_threshold_compares_the_floored_figure_that_is_shown(tmp_path: Path) -> None:
    # 448 of 500 blocks and the title: 449 of 501 words, 89.62 %: once shown as "90% translated,
    # below the threshold of 89.8%"
    project = one_word_blocks_project(tmp_path / "site", 500, 448, "89.8")
    result = cli(project, "build")
    assert result.exit_code == 0, result.output
    assert "skipped fr/words: 89.6% translated, below the threshold of 89.8%" in result.output
    assert stats_figure(project) == "89.6"

    replace_in(project / "setup.cfg", "threshold = 89.8", "threshold = 89.6")
    result = cli(project, "build")
    assert "output/fr/words/index.html  (fr, 89.6% translated, published" in result.output


def stats_figure(project: Path) -> str:
    result = cli(project, "stats", "-l", "fr")
    return re.search(r"words\s+([\d.]+)%", result.output).group(1)


def test_a_figure_shown_as_100_is_all_of_it(tmp_path: Path) -> None:
    # 999 of 1000 blocks and the title: 99.9 %, never "100%"
    project = one_word_blocks_project(tmp_path / "site", 1000, 999, "80")
    result = cli(project, "build")
    assert "(fr, 99.9% translated, published" in result.output
    assert stats_figure(project) == "99.9"
    status = tmp_path / "status.html"
    assert cli(project, "stats", "--html", str(status)).exit_code == 0
    assert ">99.9%<" in status.read_text(encoding="utf-8")
    assert floored_percent(1999, 2000) == 99.9 and percent_text(floored_percent(1, 3)) == "33.3%"
    assert floored_percent(0, 0) == 100.0
