"""Settings as written: the README's block works verbatim, locale keys keep their case, and
every problem (typos included) is reported at once with its file, line, section and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.build import SLUG, make_project
from pipeline.cli import main
from pipeline.errors import SettingsError
from pipeline.settings import MAX_JOBS, load_settings, normalize_locale

REPO = Path(__file__).resolve().parent.parent


def readme_blocks() -> list[str]:
    """The README's ```ini blocks, verbatim."""
    return re.findall(r"```ini\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)


def readme_settings() -> str:
    """The README's block of settings: the one with [pipeline]."""
    [block] = [b for b in readme_blocks() if b.startswith("[pipeline]\n")]
    return block


def test_every_ini_block_of_the_readme_is_valid_settings(tmp_path: Path) -> None:
    blocks = readme_blocks()
    assert blocks
    for number, block in enumerate(blocks):
        load_settings(write_settings(tmp_path / str(number), block))


def write_settings(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "setup.cfg").write_text(text, encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(SettingsError) as error:
        load_settings(root)
    return error.value.problems


def test_the_readme_block_verbatim_gives_zh_cn_its_threshold_of_90(tmp_path: Path) -> None:
    settings = load_settings(write_settings(tmp_path, readme_settings()))
    assert settings.threshold_for("zh_CN") == 90
    assert settings.threshold == 80 and settings.locales == ("zh_CN",) and settings.jobs is None
    assert settings.base_url == "" and settings.clean.lost_list_intro == "drop" and settings.clean.drop == ()


def test_a_locale_below_its_readme_threshold_is_not_published(tmp_path: Path) -> None:
    """The zh_CN fixture is 86.5 % done: above the default 80, below the README's 90 for zh_CN."""
    project = make_project(tmp_path / "site", locales=("zh_CN",))
    page = project / "output" / "zh-CN" / SLUG / "index.html"
    assert CliRunner().invoke(main, ["build", "--project", str(project)]).exit_code == 0
    assert page.is_file()  # published at the default threshold
    (project / "setup.cfg").write_text(readme_settings(), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert not page.is_file()


@pytest.mark.parametrize("key", ["zh_CN", "zh-CN", "zh_cn", "ZH-cn"])
def test_every_spelling_of_a_locale_key_means_that_locale(tmp_path: Path, key: str) -> None:
    root = write_settings(tmp_path, f"[pipeline:thresholds]\n{key} = 95\n")
    settings = load_settings(root)
    assert settings.threshold_for("zh_CN") == 95 and settings.threshold_for("zh-CN") == 95
    assert settings.threshold_for("zh_TW") == 80


def test_normalize_locale() -> None:
    assert normalize_locale("sr-latn-rs@latin") == "sr_Latn_RS@latin"
    assert normalize_locale("es_419") == "es_419"
    assert normalize_locale("FR") == "fr"


def test_two_spellings_of_one_locale_are_a_problem(tmp_path: Path) -> None:
    [problem] = problems(write_settings(tmp_path, "[pipeline:thresholds]\nzh_CN = 90\nzh-CN = 95\n"))
    assert problem.endswith("setup.cfg:3: [pipeline:thresholds] zh-CN: the same locale as another key (zh_CN)")


BAD = """[metadata]
name = not-ours

[pipeline]
source_language = en
treshold = 70
jobs = 100000
base_url = ftp://example.org

[pipeline:treshold]
zh_CN = 90

[pipeline:thresholds]
zh_CN = ninety
../x = 5

[pipeline:clean]
drop =
    ([unclosed
lost_list_intro = maybe
"""


def test_every_problem_at_once_with_file_line_section_and_key(tmp_path: Path) -> None:
    root = write_settings(tmp_path, BAD)
    cfg = root / "setup.cfg"
    try:
        re.compile("([unclosed")
    except re.error as exc:
        regex_error = str(exc)
    found = problems(root)
    known = found.pop(3)
    assert known.startswith(f"{cfg}:10: [pipeline:treshold]: unknown section; did you mean [pipeline:thresholds]? (known: [pipeline], ")
    assert found == [
        f"{cfg}:6: [pipeline] treshold: unknown setting; did you mean threshold?",
        f"{cfg}:7: [pipeline] jobs: '100000' must be 'auto' or a number of processes from 1 to {MAX_JOBS}",
        f"{cfg}:8: [pipeline] base_url: 'ftp://example.org' is not an http(s) URL",
        f"{cfg}:14: [pipeline:thresholds] zh_CN: 'ninety' is not a number",
        f"{cfg}:15: [pipeline:thresholds] ../x: '../x' is not a locale identifier such as zh_CN",
        f"{cfg}:18: [pipeline:clean] drop: invalid regular expression '([unclosed': {regex_error}",
        f"{cfg}:20: [pipeline:clean] lost_list_intro: 'maybe' must be 'drop' or 'keep'",
    ]


@pytest.mark.parametrize(
    "text, said",
    [
        ("[pipeline:treshold]\nzh_CN = 90\n", "setup.cfg:1: [pipeline:treshold]: unknown section; did you mean [pipeline:thresholds]?"),
        ("[pipeline]\nthreshhold = 90\n", "setup.cfg:2: [pipeline] threshhold: unknown setting; did you mean threshold?"),
        ("[pipeline]\njobs = 100000\n", "setup.cfg:2: [pipeline] jobs: '100000' must be 'auto' or a number of processes from 1 to 256"),
        ("[pipeline]\nthreshold = 80\nThreshold = 90\n", "setup.cfg:3: [pipeline] Threshold: given twice"),
        ("[pipeline]\nthreshold = 80\nthreshold = 90\n", "setup.cfg:3: [pipeline] threshold: given twice"),
        ("[pipeline]\nthreshold = 80\n[pipeline]\n", "setup.cfg:3: [pipeline]: the section is given twice"),
        ("threshold = 80\n[pipeline]\n", "setup.cfg:1: 'threshold = 80' comes before any [section]"),
        ("[pipeline]\nthreshold 80\njobs\n", "setup.cfg:2: 'threshold 80' is not 'key = value'"),
        ("[pipeline:clean]\nmax_page_mb = inf\n", "setup.cfg:2: [pipeline:clean] max_page_mb: 'inf' is not a number of megabytes"),
        ("[pipeline:clean]\nmax_page_mb = nan\n", "setup.cfg:2: [pipeline:clean] max_page_mb: 'nan' is not a number of megabytes"),
        ("[pipeline:clean]\ntime_budget = nan\n", "setup.cfg:2: [pipeline:clean] time_budget: 'nan' is not a number of seconds"),
    ],
)
def test_each_settings_fault_is_a_clear_error_in_the_cli(tmp_path: Path, text: str, said: str) -> None:
    project = make_project(tmp_path / "site", locales=("fr",))
    (project / "setup.cfg").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["stats", "--project", str(project)])
    assert result.exit_code == 1, result.output
    assert said in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_an_absurd_jobs_flag_is_a_usage_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", locales=("fr",))
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--jobs", "100000"])
    assert result.exit_code == 2 and f"from 1 to {MAX_JOBS}" in result.output


def test_keys_of_fixed_sections_ignore_case_and_other_tools_sections_are_left_alone(tmp_path: Path) -> None:
    root = write_settings(tmp_path, "[tool:pytest]\nwhatever = 1\n\n[pipeline]\nThreshold = 60\nJOBS = 2\n")
    settings = load_settings(root)
    assert settings.threshold == 60 and settings.jobs == 2


def test_the_repositorys_own_setup_cfg_is_valid() -> None:
    assert "zh_CN" in load_settings(REPO).locales


def test_a_flag_the_settings_refuse_names_the_flag(tmp_path: Path) -> None:
    """An upper-case scheme passes --base-url's own check, not the setting's: the problem is the flag's."""
    project = make_project(tmp_path / "site", locales=("fr",))
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--base-url", "HTTPS://example.org"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output == "Error: invalid settings in setup.cfg:\n  - --base-url: 'HTTPS://example.org' is not an http(s) URL\n"


def test_several_wrong_settings_are_several_lines_of_one_error_in_the_cli(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", locales=("fr",))
    (project / "setup.cfg").write_text("[pipeline]\nthreshold = 120\njobs = many\nbase_url = example.org\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["stats", "--project", str(project)])
    assert result.exit_code == 1
    cfg = project.resolve() / "setup.cfg"
    assert result.output.splitlines() == [
        "Error: invalid settings in setup.cfg:",
        f"  - {cfg}:2: [pipeline] threshold: 120 is not a percentage between 0 and 100",
        f"  - {cfg}:3: [pipeline] jobs: 'many' must be 'auto' or a number of processes from 1 to {MAX_JOBS}",
        f"  - {cfg}:4: [pipeline] base_url: 'example.org' is not an http(s) URL",
    ]


def test_help_needs_no_project_and_no_valid_settings(tmp_path: Path) -> None:
    """--help is read before the settings would be: an empty folder or a broken setup.cfg does not matter."""
    broken = write_settings(tmp_path / "broken", "[pipeline]\njobs = many\n")
    for folder in (tmp_path, broken):
        result = CliRunner().invoke(main, ["build", "--help"], env={"PIPELINE_PROJECT": str(folder)})
        assert result.exit_code == 0 and "--base-url" in result.output, result.output
    said = CliRunner().invoke(main, ["build", "--project", str(broken)])
    assert said.exit_code == 1 and f"{broken.resolve() / 'setup.cfg'}:2: [pipeline] jobs:" in said.output


def test_settings_are_the_defaults_of_the_options_they_feed(tmp_path: Path) -> None:
    from pipeline.cli.scrape import scrape
    from pipeline.settings import Settings, command_defaults

    settings = Settings(base_url="https://example.org", jobs=3, scheduler="tcp://here:8786", allow_private=True)
    assert command_defaults(settings, "build") == {"base_url": "https://example.org", "jobs": 3, "scheduler": "tcp://here:8786"}
    assert command_defaults(settings, "publish") == {"base_url": "https://example.org"}
    assert command_defaults(settings, "scrape") == {"contact": "https://example.org", "allow_private": True}
    assert command_defaults(settings, "stats") == {}
    root = write_settings(tmp_path / "site", "[pipeline]\nbase_url = https://example.org/\n\n[pipeline:scrape]\nallow_private = yes\n")
    context = scrape.make_context("scrape", ["--project", str(root), "https://example.net/a"])
    assert context.params["contact"] == "https://example.org" and context.params["allow_private"] is True
    context = scrape.make_context("scrape", ["--project", str(root), "--contact", "me@example.net", "https://example.net/a"])
    assert context.params["contact"] == "me@example.net"


def test_a_flag_overrides_its_setting_once_through_click(tmp_path: Path) -> None:
    from pipeline.cli.build import build

    root = write_settings(tmp_path / "site", "[pipeline]\nbase_url = https://example.org\njobs = 3\n")
    from_settings = build.make_context("build", ["--project", str(root)])
    assert from_settings.params["base_url"] == "https://example.org" and from_settings.params["jobs"] == "3"
    flags = build.make_context("build", ["--project", str(root), "--base-url", "https://other.example/", "-j", "auto"])
    assert flags.params["base_url"] == "https://other.example" and flags.params["jobs"] == "auto"


def test_the_output_fingerprint_leaves_out_what_changes_no_page() -> None:
    from dataclasses import replace

    from pipeline.settings import Settings

    settings = Settings(locales=("fr",))
    fingerprint = settings.output_fingerprint()
    for same in (dict(jobs=4), dict(scheduler="tcp://x:1"), dict(allow_private=True), dict(translation_memory=False)):
        assert replace(settings, **same).output_fingerprint() == fingerprint
    for other in (dict(threshold=90.0), dict(site_name="Site"), dict(skip_classes=())):
        assert replace(settings, **other).output_fingerprint() != fingerprint
    assert fingerprint.startswith("Settings(source_language='en', locales=('fr',), ") and "jobs" not in fingerprint


def test_a_threshold_may_carry_its_percent_sign(tmp_path) -> None:
    from pipeline.settings import load_settings

    (tmp_path / "setup.cfg").write_text("[pipeline]\nthreshold = 75%\n\n[pipeline:thresholds]\nzh_CN = 90 %\n", encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.threshold == 75.0 and settings.threshold_for("zh_CN") == 90.0


def test_an_articles_clean_rules_add_to_the_projects_and_say_every_problem(tmp_path: Path) -> None:
    from pipeline.settings import CleanRules, read_clean_rules

    rules = CleanRules(drop=("^Share$",))
    path = tmp_path / "clean-rules.cfg"
    path.write_text("[pipeline:clean]\ndrop =\n    ^Advertisement$\nlost_list_intro = keep\n", encoding="utf-8")
    read = read_clean_rules(path, rules)
    assert read.drop == ("^Share$", "^Advertisement$") and read.keep == () and read.lost_list_intro == "keep"
    path.write_text("[pipeline:clean]\ndrop =\n    ([a\n    (b\nkeep = [c\nlost_list_intro = maybe\n", encoding="utf-8")
    with pytest.raises(SettingsError) as error:
        read_clean_rules(path, rules)
    errors = {}
    for pattern in ("([a", "(b", "[c"):
        try:
            re.compile(pattern)
        except re.error as exc:
            errors[pattern] = str(exc)
    assert error.value.problems == [
        f"{path} drop: invalid regular expression '([a': {errors['([a']}",
        f"{path} drop: invalid regular expression '(b': {errors['(b']}",
        f"{path} keep: invalid regular expression '[c': {errors['[c']}",
        f"{path} lost_list_intro: 'maybe' must be 'drop' or 'keep'",
    ]
