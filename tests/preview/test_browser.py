"""The preview in a real browser: headless Chromium driven through chromedriver (Selenium).

Checks what only a browser shows: the language and direction a reader gets,
that Chinese is drawn with a CJK font (the DevTools Protocol's
``CSS.getPlatformFontsForNode`` names the fonts actually used), that the
language switcher leads to the same article, that a right-to-left page is laid
out from the right, and that saving a ``.po`` file changes the open page by
itself. A screenshot of each page is kept in ``test-artifacts/``.

Skips only where Chromium or chromedriver is not installed (``bash
.ci/setup.sh`` installs them, as CI does).
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from helpers.browser import BROWSER_MARKS, browser, project, screenshot, server, wait_until  # noqa: F401 (fixtures)
from helpers.build import SLUG, make_project
from helpers.serve import ServeProcess, replace_in
from pipeline.cli import main

pytestmark = BROWSER_MARKS

def open_page(driver, server: ServeProcess, tag: str):
    driver.get(f"{server.url}{tag}/{SLUG}/")
    wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete", "the page to load")


def h1_text(driver) -> str:
    return driver.execute_script("return document.querySelector('h1').textContent")


def platform_fonts(driver, selector: str) -> list[dict]:
    """Fonts Chromium used to draw an element's text (DevTools Protocol)."""
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    document = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector})
    return driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]


def test_english_and_chinese_pages_have_their_language(browser, server: ServeProcess) -> None:
    open_page(browser, server, "en")
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert h1_text(browser) == "What is a data engineer?"
    screenshot(browser, "en")
    open_page(browser, server, "zh-CN")
    assert browser.execute_script("return document.documentElement.lang") == "zh-CN"
    assert h1_text(browser) == "什么是数据工程师？"
    screenshot(browser, "zh-CN")


def test_chinese_is_drawn_with_a_cjk_font(browser, server: ServeProcess) -> None:
    open_page(browser, server, "zh-CN")
    fonts = platform_fonts(browser, "h1")
    cjk = [f for f in fonts if "CJK" in f["familyName"] or "WenQuanYi" in f["familyName"]]
    assert cjk, f"no CJK font drew the heading: {fonts}"
    heading = h1_text(browser)
    han = sum(1 for c in heading if "\u4e00" <= c <= "\u9fff")
    assert sum(f["glyphCount"] for f in cjk) >= han
    # Every font that drew the heading is a real font that has the characters: no fallback boxes.
    assert all(f["glyphCount"] > 0 and f["familyName"] for f in fonts), fonts


def test_the_language_switcher_opens_the_same_article_in_the_other_language(browser, server: ServeProcess) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, server, "en")
    browser.find_element(By.CSS_SELECTOR, 'nav.language-switcher a[hreflang="zh-CN"]').click()
    wait_until(browser, lambda d: d.execute_script("return document.documentElement.lang") == "zh-CN", "the Chinese page")
    assert browser.current_url in (f"{server.url}zh-CN/{SLUG}/", f"{server.url}zh-CN/{SLUG}/index.html")
    assert h1_text(browser) == "什么是数据工程师？"
    browser.find_element(By.CSS_SELECTOR, 'nav.language-switcher a[hreflang="en"]').click()
    wait_until(browser, lambda d: d.execute_script("return document.documentElement.lang") == "en", "the English page")
    assert h1_text(browser) == "What is a data engineer?"


def test_pseudo_rtl_page_is_laid_out_right_to_left(browser, server: ServeProcess) -> None:
    open_page(browser, server, "ar-XB")
    screenshot(browser, "ar-XB")
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    assert browser.execute_script("return getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    box, text = browser.execute_script(
        """
        const h1 = document.querySelector('h1'); const range = document.createRange();
        range.selectNodeContents(h1); const style = getComputedStyle(h1); const box = h1.getBoundingClientRect();
        return [[box.left + parseFloat(style.paddingLeft), box.right - parseFloat(style.paddingRight)],
                [range.getBoundingClientRect().left, range.getBoundingClientRect().right]];
        """
    )
    assert abs(text[1] - box[1]) < 2, (box, text)  # the heading's text ends at the right edge
    assert text[0] > box[0] + 20, (box, text)  # and leaves room on the left
    open_page(browser, server, "ar")
    screenshot(browser, "ar")


def test_saving_a_catalog_changes_the_open_page_without_a_reload(browser, server: ServeProcess, project: Path) -> None:
    open_page(browser, server, "zh-CN")
    browser.execute_script("window.__notReloaded = true")
    assert "他们做什么" in browser.find_element("tag name", "main").text
    catalog = project / "locales" / "zh_CN" / "LC_MESSAGES" / f"{SLUG}.po"
    replace_in(catalog, 'msgstr "他们做什么"', 'msgstr "他们的日常工作"')
    # Read in one script: the live update replaces <main>, so an element found first can be stale when read.
    wait_until(
        browser,
        lambda d: "他们的日常工作" in d.execute_script("const m = document.querySelector('main'); return m ? m.innerText : ''"),
        "the new translation",
    )
    assert browser.execute_script("return window.__notReloaded === undefined")  # the page reloaded itself
    # A broken catalog shows a banner on the page; fixing it removes the banner.
    good = catalog.read_text(encoding="utf-8")
    catalog.write_text(good + '\nmsgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    banner = wait_until(
        browser,
        lambda d: d.execute_script(
            "const e = document.querySelector('#pipeline-preview-banner .pipeline-preview-banner__error');"
            "return e && e.textContent"
        ),
        "the error banner",
    )
    assert "Error:" in banner and f"{SLUG}.po:" in banner
    screenshot(browser, "zh-CN-error-banner")
    catalog.write_text(good, encoding="utf-8")
    wait_until(
        browser,
        lambda d: d.execute_script(
            "const b = document.getElementById('pipeline-preview-banner'); return !b || !b.querySelector('.pipeline-preview-banner__error')"
        ),
        "the error banner to go",
    )


def test_status_page_in_the_preview(browser, server: ServeProcess) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server.url}__status")
    screenshot(browser, "status")
    bars = browser.find_elements(By.CSS_SELECTOR, ".bar")
    assert bars and all(b.size["width"] > 50 for b in bars)
    browser.find_element(By.CSS_SELECTOR, f'a[href="/zh-CN/{SLUG}/"]').click()
    wait_until(browser, lambda d: d.execute_script("return document.documentElement.lang") == "zh-CN", "the linked page")


def test_an_english_paragraph_on_an_arabic_page_ends_with_its_full_stop_on_the_right(browser, tmp_path: Path) -> None:
    """An untranslated block keeps its own direction: its final '.' is drawn at its right end, not its left."""
    root = make_project(tmp_path / "site", locales=("ar",))
    catalog = root / "locales" / "ar" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('msgstr "جملة مترجمة."', 'msgstr ""'), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(root)])
    assert result.exit_code == 0, result.output
    browser.get((root / "output" / "ar" / SLUG / "index.html").as_uri())
    wait_until(browser, lambda d: d.execute_script("return document.readyState") == "complete", "the page to load")
    screenshot(browser, "ar-fallback")
    text, stop = browser.execute_script(
        """
        const p = [...document.querySelectorAll('p[lang="en"]')].find(e => e.textContent.trim() === 'A sentence nobody translated yet.');
        const node = p.firstChild; const whole = document.createRange(); whole.selectNodeContents(p);
        const last = document.createRange(); const end = node.textContent.lastIndexOf('.');
        last.setStart(node, end); last.setEnd(node, end + 1);
        const a = whole.getBoundingClientRect(), b = last.getBoundingClientRect();
        return [[a.left, a.right], [b.left, b.right]];
        """
    )
    assert abs(stop[1] - text[1]) < 1, (text, stop)  # the full stop is the rightmost thing of the line
    assert stop[0] > text[0] + 50, (text, stop)  # and not at its left end, where an RTL paragraph puts it
