"""Headless Chromium through chromedriver (Selenium) for the preview tests, and the served project it looks at."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.build import make_project
from helpers.serve import DEADLINE, ServeProcess
from pipeline.cli import main


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


CHROMEDRIVER = shutil.which("chromedriver")


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


#: The marks of every browser test module: skipped without Chromium, and slow.
BROWSER_MARKS = [
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="Chromium and chromedriver are not installed (bash .ci/setup.sh installs them)",
    ),
    pytest.mark.slow,  # a real browser
]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("browser") / "site", locales=("zh_CN", "ar"))
    for args in (["extract"], ["pseudo", "-l", "ar_XB"]):
        result = CliRunner().invoke(main, [*args, "--project", str(root)])
        assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def server(project: Path):
    process = ServeProcess(project)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="pipeline-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
        "--lang=en-US",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1200, min(max(height, 600), 4000))
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    driver.set_window_size(1200, 900)


def wait_until(driver, condition, what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, DEADLINE, poll_frequency=0.1).until(condition, message=f"waiting for {what}")
