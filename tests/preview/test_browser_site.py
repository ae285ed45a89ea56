"""The reader's site (issue 18) in a real browser: the language chooser and the home pages are
usable with the keyboard alone, and the home pages' language switcher leads to the other home pages.

Uses the preview server, the project and the Chromium of ``test_browser.py``.
"""

from __future__ import annotations

import pytest

from helpers.build import SLUG
from helpers.browser import BROWSER_MARKS as browser_marks, browser, project, screenshot, server, wait_until  # noqa: F401

pytestmark = [*browser_marks] if isinstance(browser_marks, list) else [browser_marks]
pytestmark.append(pytest.mark.slow)


def load(driver, url: str) -> None:
    driver.get(url)
    wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete", f"{url} to load")


def tab_to(driver, selector: str, limit: int = 30):
    """Press Tab from the top of the page until the element matching ``selector`` has the focus."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    target = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.focus();")
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.switch_to.active_element == target:
            return target
    raise AssertionError(f"Tab never reached {selector}")


def press_enter(driver) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(driver).send_keys(Keys.ENTER).perform()


def lang(driver) -> str:
    return driver.execute_script("return document.documentElement.lang")


def test_the_chooser_is_navigable_by_keyboard_and_suggests_the_browser_language(browser, server) -> None:  # noqa: F811
    load(browser, server.url)
    assert browser.execute_script("return location.pathname") == "/"  # no redirect
    suggested = browser.execute_script(
        "return Array.from(document.querySelectorAll('.chooser-list__suggested')).map(a => a.hreflang)"
    )
    assert suggested == ["en"]  # Chromium runs with --lang=en-US
    screenshot(browser, "chooser")
    tab_to(browser, '.chooser-list a[hreflang="zh-CN"]')
    press_enter(browser)
    wait_until(browser, lambda d: lang(d) == "zh-CN", "the Chinese home page")
    assert browser.current_url.endswith("/zh-CN/index.html")


@pytest.mark.parametrize("tag, title", [("en", "What is a data engineer?"), ("zh-CN", "什么是数据工程师？")])
def test_each_home_page_leads_to_its_article_by_keyboard(browser, server, tag: str, title: str) -> None:  # noqa: F811
    load(browser, f"{server.url}{tag}/index.html")
    screenshot(browser, f"home-{tag}")
    link = tab_to(browser, ".home-entry a")
    assert link.text == title
    press_enter(browser)
    wait_until(browser, lambda d: d.current_url.endswith(f"/{tag}/{SLUG}/index.html"), "the article")
    assert browser.execute_script("return document.querySelector('h1').textContent") == title


def test_the_switcher_on_a_home_page_opens_the_other_home_page(browser, server) -> None:  # noqa: F811
    load(browser, f"{server.url}en/index.html")
    tab_to(browser, 'nav.language-switcher a[hreflang="zh-CN"]')
    press_enter(browser)
    wait_until(browser, lambda d: lang(d) == "zh-CN", "the Chinese home page")
    assert browser.current_url.endswith("/zh-CN/index.html")
    assert browser.execute_script("return document.querySelector('.home-entry a').textContent") == "什么是数据工程师？"
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, 'nav.language-switcher a[hreflang="en"]').click()
    wait_until(browser, lambda d: lang(d) == "en", "the English home page")
    assert browser.current_url.endswith("/en/index.html")
