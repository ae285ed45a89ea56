"""Fallbacks marked completely: all source-language text on a translated page carries the source's
``lang``, and ``dir`` where the directions differ; the fallback notice is in one language.

(tests/test_browser.py checks in Chromium where the punctuation of such a paragraph lands.)
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from lxml import html

from helpers.build import SLUG, make_project
from pipeline.cli import main

ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
LATIN_LETTER = re.compile("[A-Za-z]")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def untranslate(project: Path, locale: str, msgstr: str) -> None:
    replace_in(project / "locales" / locale / "LC_MESSAGES" / f"{SLUG}.po", f'msgstr "{msgstr}"', 'msgstr ""')


def arabic_project(tmp_path: Path) -> Path:
    """The sample article in Arabic with its last paragraph and its description untranslated, and no site.po."""
    project = make_project(tmp_path / "site", extra="[pipeline:thresholds]\nar = 50\n")
    untranslate(project, "ar", "جملة مترجمة.")
    untranslate(project, "ar", "يبني مهندسو البيانات الأنظمة التي تنقل البيانات.")
    return project


def build(project: Path, *args: str):
    result = CliRunner().invoke(main, ["build", "--project", str(project), *args])
    assert result.exit_code == 0, result.output
    return result


def page(project: Path, tag: str):
    return html.fromstring((project / "output" / tag / SLUG / "index.html").read_bytes())


def test_source_text_on_a_right_to_left_page_carries_lang_and_dir(tmp_path: Path) -> None:
    project = arabic_project(tmp_path)
    build(project)
    tree = page(project, "ar")
    assert tree.get("dir") == "rtl"
    paragraph = tree.xpath('//p[normalize-space()="A sentence nobody translated yet."]')[0]
    assert (paragraph.get("lang"), paragraph.get("dir")) == ("en", "ltr")
    [item] = tree.xpath('//li/span[normalize-space()="Automating tasks"]')
    assert (item.get("lang"), item.get("dir")) == ("en", "ltr")
    [lead] = tree.xpath('//p[@class="article-lead"]')
    assert (lead.get("lang"), lead.get("dir")) == ("en", "ltr")
    # the templates' own strings, untranslated (no ar site.po)
    for text in ("Skip to content", "1 min read", "Article sources", "All articles"):
        [marked] = tree.xpath(f'//span[@lang][normalize-space()="{text}"]')
        assert (marked.get("lang"), marked.get("dir")) == ("en", "ltr"), text
    # whatever is marked English is also marked left to right (the switcher names each language in its own)
    unmarked = [
        e
        for e in tree.xpath('//body//*[@lang="en"][not(@dir)]')
        if not e.xpath('ancestor::nav[@class="language-switcher"]')
        and not (not (e.text or "").strip() and len(e) and all(c.get("dir") == "ltr" for c in e))  # its text is in a marked child
    ]
    assert unmarked == []


def test_the_fallback_notice_is_all_in_one_language(tmp_path: Path) -> None:
    project = arabic_project(tmp_path)
    build(project)
    [notice] = page(project, "ar").xpath('//p[@class="fallback-notice"]')
    text = notice.text_content()
    assert text == "Parts of this page are not translated yet and are shown in English."  # not "in الإنجليزية"
    assert not ARABIC_LETTER.search(text)
    assert notice.xpath('span[@lang="en"][@dir="ltr"]')

    site = project / "locales" / "ar" / "LC_MESSAGES" / "site.po"
    site.write_text(
        (project / "locales" / "ar" / "LC_MESSAGES" / f"{SLUG}.po").read_text(encoding="utf-8").split("\n\n")[0]
        + '\n\n#, python-format\nmsgid "Parts of this page are not translated yet and are shown in %(language)s."\n'
        'msgstr "بعض أجزاء هذه الصفحة لم تترجم بعد وتظهر باللغة %(language)s."\n',
        encoding="utf-8",
    )
    build(project)
    [notice] = page(project, "ar").xpath('//p[@class="fallback-notice"]')
    assert not LATIN_LETTER.search(notice.text_content()) and ARABIC_LETTER.search(notice.text_content())
    assert not notice.xpath(".//*[@lang]")


def test_on_a_page_of_the_same_direction_only_lang_is_added(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    build(project, "--all")
    tree = page(project, "fr")  # a draft: French, left to right like the English source
    [banner] = tree.xpath('//div[@class="draft-banner"]/strong')
    [marked] = banner.xpath('span[@lang="en"]')
    assert marked.text == "Draft preview" and marked.get("dir") is None
    assert not tree.xpath('//*[@lang="en"][@dir]')
