"""The .po format, init and update: no update may lose a translator's work."""

from __future__ import annotations

import datetime
import gc
import io
import os

import polib
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from click.testing import CliRunner

from helpers.catalogs import SLUG, edit_article, make_project, msgcat, msgfmt_check, translate_all
from pipeline.catalogs.init import init
from pipeline.catalogs.memory import FuzzyIndex
from pipeline.catalogs.update import update
from pipeline.cli import main
from pipeline.errors import CatalogError, InvalidNameError
from pipeline.extract import extract
from pipeline.formats.po import format_catalog, parse_catalog, read_catalog, write_catalog

ZH = "机器学习工程师负责构建人工智能系统。这个迷人的人工智能分支涉及创建基于数据集训练的模型，这些模型可以预测和适应结果。“引号”（括号）：<a1>链接</a1>和<em>强调</em>。"


def varied_catalog() -> Catalog:
    catalog = Catalog(locale="zh_CN", fuzzy=False, charset="UTF-8")
    catalog.creation_date = catalog.revision_date = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    texts = [
        "Read the <a1>report</a1> and the <a2>second report</a2> about %(author)s things {name} and 50% of (parenthesized) words here",
        "x" * 60 + " http://example.com/path/to/some/thing/that/is/long/and/more/and/more",
        "e.g., i.e. — em dash — and so on … ellipsis 2025–2030 “quoted text” 'single' it’s x/y 100,000 $5 ($10) [1]",
        'A "quoted" backslash \\ and a tab\there and a line\nbreak in the middle of a long message that wraps',
        "short",
    ]
    for index, text in enumerate(texts):
        message = Message(text, ZH[index * 7:] if index % 2 == 0 else "", auto_comments=["paragraph; <a1> is a link"],
                          user_comments=["translator note"], locations=[("demo/article.html", None)])
        message.flags = {"fuzzy"} if index == 0 else set()
        if index == 0:
            message.previous_id = ["Read the <a1>report</a1> about things"]
        catalog[text] = message
    plural = Message(("%(num)d reference", "%(num)d references"), ("%(num)d 个参考",), locations=[("t.html", None)])
    catalog[plural.id] = plural
    catalog.obsolete["gone"] = Message("gone away " + ZH, ZH)
    return catalog


def test_writer_matches_msgcat_byte_for_byte(tmp_path):
    path = tmp_path / "x.po"
    write_catalog(path, varied_catalog())
    assert msgcat(path) == path.read_bytes()
    assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr


def test_survives_msgcat_rewrap_without_loss(tmp_path):
    path = tmp_path / "x.po"
    write_catalog(path, varied_catalog())
    narrow = tmp_path / "narrow.po"
    narrow.write_bytes(msgcat(path, "-w", "40"))
    assert narrow.read_bytes() != path.read_bytes()

    def summary(catalog):
        return [(m.id, m.string, sorted(m.flags), m.user_comments, m.auto_comments, m.locations, list(m.previous_id))
                for m in catalog] + [(m.id, m.string) for m in catalog.obsolete.values()]

    assert summary(read_catalog(narrow)) == summary(read_catalog(path))
    # And writing it again gives the original bytes: a rewrap by another tool is no diff for us.
    assert format_catalog(read_catalog(narrow)) == path.read_bytes()


def test_babel_and_polib_read_our_files_unchanged(tmp_path):
    path = tmp_path / "x.po"
    catalog = varied_catalog()
    write_catalog(path, catalog)
    babel_catalog = read_po(io.BytesIO(path.read_bytes()), abort_invalid=True)
    assert [(m.id, m.string) for m in babel_catalog if m.id] == [(m.id, m.string) for m in catalog if m.id]
    assert babel_catalog.locale_identifier == "zh_CN"
    po = polib.pofile(str(path))
    assert [(e.msgid, e.msgstr_plural[0] if e.msgid_plural else e.msgstr) for e in po if not e.obsolete] == [
        (m.id if isinstance(m.id, str) else m.id[0], m.string if isinstance(m.string, str) else m.string[0])
        for m in catalog if m.id
    ]
    assert po[0].previous_msgid == "Read the <a1>report</a1> about things" and "fuzzy" in po[0].flags
    assert len(po.obsolete_entries()) == 1
    assert po.metadata["Language"] == "zh_CN"


def test_reader_keeps_unknown_headers_and_previous_msgids(tmp_path):
    text = (
        'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n"X-Generator: Poedit 3.4\\n"\n\n'
        '#, fuzzy\n#| msgid "Old text"\nmsgid "New text"\nmsgstr "旧"\n\n'
        '#~ #, fuzzy\n#~| msgid "older"\n#~ msgid "gone"\n#~ msgstr "走了"\n'
    )
    catalog = parse_catalog(text.encode("utf-8"))
    assert catalog.get("New text").previous_id == ["Old text"]
    assert list(catalog.obsolete) == ["gone"]
    out = format_catalog(catalog).decode("utf-8")
    assert '"X-Generator: Poedit 3.4\\n"' in out
    assert '"Language: zh_CN\\n"' in out and "Generated-By" not in out


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, "duplicate message"),
        ('msgid "a"\nmsgstr "b\n', 2, "quoted string"),
        ('msgid "a"\nmsgstr "b"\nbogus\n', 3, "unexpected text"),
        ('msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 1, "without a msgstr"),
        ('msgid "a\\q"\nmsgstr ""\n', 1, "invalid escape"),
    ],
)
def test_read_errors_have_file_and_line(tmp_path, text, line, fragment):
    path = tmp_path / "bad.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert info.value.message.startswith(f"{path}:{line}: ") and fragment in info.value.message


def test_bad_charset_is_an_error(tmp_path):
    path = tmp_path / "bad.po"
    path.write_bytes(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "\xff"\n')
    with pytest.raises(CatalogError, match=r"bad.po:5: the file is not valid utf-8"):
        read_catalog(path)
    path.write_bytes(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=NOPE\\n"\n')
    with pytest.raises(CatalogError, match="unknown charset"):
        read_catalog(path)


# --------------------------------------------------------------------------- init


def test_init_creates_every_catalog_with_a_correct_header(tmp_path):
    project = make_project(tmp_path)
    extract(project, [SLUG])
    result = init(project, "zh_CN")
    assert [p.name for p in result.created] == ["demo.po", "site.po"]
    for path in result.created:
        text = path.read_text(encoding="utf-8")
        assert '"Language: zh_CN\\n"' in text
        assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
        assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text
        assert "PO-Revision-Date: 20" in text and "Language-Team: Chinese" in text
        check = msgfmt_check(path)
        assert check.returncode == 0 and "warning" not in check.stderr, check.stderr
        assert msgcat(path) == path.read_bytes()
    fr = init(project, "fr")
    from babel.messages.plurals import get_plural

    # CLDR's rule for French changes between Babel releases; the header must follow Babel's.
    expected = str(get_plural("fr"))
    headers = dict(read_catalog(fr.created[0]).mime_headers)
    assert headers["Plural-Forms"] == expected


def test_init_never_overwrites(tmp_path):
    project = make_project(tmp_path)
    extract(project, [SLUG])
    init(project, "zh_CN")
    path = project.catalog_path("zh_CN", SLUG)
    translate_all(path)
    before = path.read_bytes()
    result = init(project, "zh_CN")
    assert result.created == [] and len(result.existing) == 2
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["xx_YY", "../x", "en/../../etc", "zh_CN/../../x"])
def test_init_refuses_bad_locales(tmp_path, name):
    project = make_project(tmp_path)
    extract(project, [SLUG])
    with pytest.raises(InvalidNameError):
        init(project, name)
    result = CliRunner().invoke(main, ["init", "--project", str(project.root), name])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    assert not (project.locales_dir / "xx_YY").exists()


def test_init_seeds_site_labels_from_the_clean_report(tmp_path):
    project = make_project(tmp_path)
    (project.article_dir(SLUG) / "clean-report.json").write_text(
        '{"interface": [{"text": "作者", "role": "byline-label", "language": "zh"},'
        ' {"text": "文章来源", "role": "sources-heading", "language": "zh"},'
        ' {"text": "Auteur", "role": "byline-label", "language": "fr"}]}',
        encoding="utf-8",
    )
    extract(project, [SLUG])
    init(project, "zh_CN")
    site = read_catalog(project.catalog_path("zh_CN", "site"))
    byline = site.get("By %(author)s")
    assert byline.string == "作者：%(author)s" and not byline.fuzzy
    assert any("site's own interface" in c for c in byline.user_comments)
    assert site.get("Article sources").string == "文章来源"
    assert msgfmt_check(project.catalog_path("zh_CN", "site")).returncode == 0
    init(project, "de")
    assert read_catalog(project.catalog_path("de", "site")).get("By %(author)s").string == ""


# --------------------------------------------------------------------------- update

CHANGED_OLD = "Engineers at work."
CHANGED_NEW = "Engineers at their work."
REMOVED = "Data is the new oil."
ADDED = "A brand new paragraph about careers."
LINKED = "Machine learning engineers build <a>artificial intelligence</a> systems."


@pytest.fixture
def translated(tmp_path):
    project = make_project(tmp_path)
    extract(project, [SLUG])
    init(project, "zh_CN")
    path = project.catalog_path("zh_CN", SLUG)
    translate_all(path)
    catalog = read_catalog(path)
    catalog.get("Skills").user_comments.append("keep this note")
    catalog.get("Python").flags.add("no-wrap")
    write_catalog(path, catalog)
    return project, path


def test_update_after_edits_keeps_every_translation(translated):
    project, path = translated
    edit_article(project, SLUG, f"<figcaption>{CHANGED_OLD}</figcaption>", f"<figcaption>{CHANGED_NEW}</figcaption>")
    edit_article(project, SLUG, f"<blockquote>{REMOVED}</blockquote>", "")
    edit_article(project, SLUG, "<h2>Skills</h2>", f"<p>{ADDED}</p>\n  <h2>Skills</h2>")
    edit_article(project, SLUG, 'href="https://example.org/ai"', 'href="https://example.com/new-ai"')
    extract(project, [SLUG])
    result = update(project, ["zh_CN"])
    counts = next(f for f in result.files if f.domain == SLUG)
    assert (counts.new, counts.fuzzy, counts.obsolete, counts.written) == (1, 1, 1, True)

    catalog = read_catalog(path)
    changed = catalog.get(CHANGED_NEW)
    assert changed.fuzzy and changed.string == "ZH " + CHANGED_OLD
    assert changed.previous_id == [CHANGED_OLD]
    assert CHANGED_OLD not in catalog and CHANGED_OLD not in catalog.obsolete
    assert catalog.obsolete[REMOVED].string == "ZH " + REMOVED
    assert catalog.get(ADDED).string == "" and not catalog.get(ADDED).fuzzy
    linked = catalog.get(LINKED)  # the URL is not in the message: nothing changed for the translator
    assert linked.string == "ZH " + LINKED and not linked.fuzzy
    assert catalog.get("Skills").user_comments == ["keep this note"]
    assert "no-wrap" not in catalog.get("Python").flags  # flags come from the template, as in msgmerge
    translated_before = {m.id for m in catalog if m.id and m.string}
    assert len(translated_before) == 16  # every old translation is still there, only the new one is empty
    text = path.read_text(encoding="utf-8")
    assert f'#| msgid "{CHANGED_OLD}"' in text and f'#~ msgid "{REMOVED}"' in text
    assert msgfmt_check(path).returncode == 0
    assert msgcat(path) == path.read_bytes()


def test_obsolete_message_comes_back(translated):
    project, path = translated
    edit_article(project, SLUG, f"<blockquote>{REMOVED}</blockquote>", "")
    extract(project, [SLUG])
    update(project)
    assert REMOVED in read_catalog(path).obsolete
    edit_article(project, SLUG, "<h2>Skills</h2>", f"<p>{REMOVED}</p>\n  <h2>Skills</h2>")
    extract(project, [SLUG])
    update(project)
    catalog = read_catalog(path)
    assert catalog.get(REMOVED).string == "ZH " + REMOVED and not catalog.get(REMOVED).fuzzy
    assert REMOVED not in catalog.obsolete


def test_unchanged_catalog_is_not_rewritten(translated):
    project, path = translated
    update(project)
    os.utime(path, (1, 1))
    before = path.read_bytes()
    result = update(project)
    assert not any(f.written for f in result.files)
    assert path.read_bytes() == before and path.stat().st_mtime == 1


def test_update_leaves_the_cycle_collector_as_it_found_it(translated):
    project, path = translated
    assert gc.isenabled()
    update(project)
    assert gc.isenabled()
    gc.disable()
    try:
        update(project)
        assert not gc.isenabled()
    finally:
        gc.enable()
    path.write_text('msgid "unterminated\n', encoding="utf-8")
    with pytest.raises(CatalogError):
        update(project)
    assert gc.isenabled()


def test_translation_memory_across_articles(tmp_path):
    project = make_project(tmp_path)
    extract(project, [SLUG])
    init(project, "zh_CN")
    translate_all(project.catalog_path("zh_CN", SLUG))
    second = project.article_dir("second")
    second.mkdir()
    (second / "article.html").write_text(
        project.clean_document_path(SLUG).read_text().replace(CHANGED_OLD, CHANGED_NEW), encoding="utf-8"
    )
    extract(project, ["second"])
    result = update(project, ["zh_CN"])
    counts = next(f for f in result.files if f.domain == "second")
    assert counts.created and counts.fuzzy == 1 and counts.reused == 16 and counts.new == 0
    catalog = read_catalog(project.catalog_path("zh_CN", "second"))
    assert catalog.get("Skills").string == "ZH Skills" and not catalog.get("Skills").fuzzy
    assert catalog.get(CHANGED_NEW).fuzzy and catalog.get(CHANGED_NEW).previous_id == [CHANGED_OLD]
    assert msgfmt_check(project.catalog_path("zh_CN", "second")).returncode == 0


def test_fuzzy_index_threshold_and_best_match():
    index = FuzzyIndex()
    index.add("Machine learning engineers build systems.", 1)
    index.add("Completely unrelated words here.", 2)
    index.add("Salary", 3)
    score, msgid, payload = index.best("Machine learning engineers build large systems.")
    assert payload == 1 and score > 0.9
    assert index.best("Salaries")[2] == 3  # short texts that share no trigram-rare words still match
    assert index.best("Nothing like anything at all in this list, truly.") is None


def test_cli_update_prints_counts(translated):
    project, path = translated
    edit_article(project, SLUG, f"<blockquote>{REMOVED}</blockquote>", "")
    CliRunner().invoke(main, ["extract", "--project", str(project.root)])
    result = CliRunner().invoke(main, ["update", "--project", str(project.root), "-l", "zh_CN"])
    assert result.exit_code == 0, result.output
    assert "updated locales/zh_CN/LC_MESSAGES/demo.po: 0 new, 0 fuzzy, 1 obsolete, 16 unchanged" in result.output
    assert "unchanged locales/zh_CN/LC_MESSAGES/site.po" in result.output


MULTILINGUAL = [
    "機械学習エンジニアは、人工知能システムの構築を担当します。この魅力的な分野では、データセットで訓練されたモデルを作成し、結果を予測して適応させます。「かぎかっこ」（丸括弧）ー長音、っゃ小さい仮名。",
    "머신러닝 엔지니어는 인공지능 시스템 구축을 담당합니다. 이 매력적인 인공지능 분야는 데이터 세트로 훈련된 모델을 만드는 것을 포함하며, 결과를 예측하고 적응할 수 있습니다.",
    "Les ingénieurs en apprentissage automatique « conçoivent » des systèmes d’intelligence artificielle ; c’est‑à‑dire : des modèles ! Voilà — 82 % en 2025…",
    "Инженеры машинного обучения отвечают за создание систем искусственного интеллекта, которые могут предсказывать результаты.",
    "机器学习工程师（ML）负责构建AI系统，2025年增长82%——根据《未来就业报告》[1]。他们使用Python、TensorFlow等工具；薪资约为$150,000/年。",
]


def test_wrapping_matches_msgcat_in_many_scripts(tmp_path):
    catalog = Catalog(locale="ja", fuzzy=False)
    number = 0
    for text in MULTILINGUAL:
        for shift in range(0, 40, 3):  # every break position lands somewhere else
            message = Message(f"id {number}", "w" * (shift % 9) + " " + text[shift:] + " " + text)
            message.flags = set()
            catalog[message.id] = message
            number += 1
    path = tmp_path / "many.po"
    write_catalog(path, catalog)
    assert msgcat(path) == path.read_bytes()


def test_update_of_many_locales_at_once_equals_one_at_a_time(tmp_path, monkeypatch):
    """Parsed templates and catalogs kept between merges change nothing in what is written."""
    import shutil

    import pipeline.catalogs.memory as memory
    import pipeline.catalogs.update as catalogs

    project = make_project(tmp_path, slugs=("one", "two", "three"))
    extract(project, ["one", "two", "three"])
    for locale in ("de", "fr", "zh_CN"):
        init(project, locale)
        for slug in ("one", "two"):
            translate_all(project.catalog_path(locale, slug), lambda msgid, l=locale: f"{l} {msgid}")
    for slug in ("one", "three"):
        edit_article(project, slug, f"<figcaption>{CHANGED_OLD}</figcaption>", f"<figcaption>{CHANGED_NEW}</figcaption>")
    extract(project, ["one", "two", "three"])
    copies = {}
    for name in ("together", "apart", "nothing_kept"):
        shutil.copytree(project.root, tmp_path / name)
        copies[name] = type(project).load(tmp_path / name)
    update(copies["together"])
    for locale in ("zh_CN", "de", "fr"):
        update(copies["apart"], [locale])
    monkeypatch.setattr(catalogs, "KEPT_TEMPLATES", 0)
    monkeypatch.setattr(memory, "KEPT_CATALOGS", 0)
    update(copies["nothing_kept"])
    files = sorted(p.relative_to(tmp_path / "together") for p in (tmp_path / "together").rglob("*.po"))
    assert len(files) == 3 * 4
    for relative in files:
        together = (tmp_path / "together" / relative).read_bytes()
        assert together == (tmp_path / "apart" / relative).read_bytes() == (tmp_path / "nothing_kept" / relative).read_bytes()
    fuzzy = read_catalog(copies["together"].catalog_path("fr", "one")).get(CHANGED_NEW)
    assert fuzzy.fuzzy and fuzzy.string == f"fr {CHANGED_OLD}" and fuzzy.previous_id == [CHANGED_OLD]
