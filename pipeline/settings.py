"""The tool's settings: ``[pipeline*]`` sections of the project's ``setup.cfg``.

Settings are validated as a whole and every problem is reported at once (as
MkDocs does), so a user fixes the file in one pass. Command-line flags override
them through ``overrides``.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import SettingsError

DEFAULT_THRESHOLD = 80.0


@dataclass(frozen=True)
class CleanRules:
    """Per-project rules for ``clean``: regular expressions on a block's text."""

    drop: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    #: What to do with a sentence that introduces a list the scrape lost
    #: ("...include:" with no list after it): ``drop`` it or ``keep`` it.
    lost_list_intro: str = "drop"
    #: Pages larger than this (in bytes) are refused before cleaning.
    max_page_bytes: int = 10 * 1024 * 1024
    #: Seconds one page may take to clean; 0: no limit.
    time_budget: float = 120.0


@dataclass(frozen=True)
class Settings:
    source_language: str = "en"
    locales: tuple[str, ...] = ()
    threshold: float = DEFAULT_THRESHOLD
    thresholds: dict[str, float] = field(default_factory=dict)
    base_url: str = ""
    site_name: str = ""
    skip_classes: tuple[str, ...] = ("notranslate",)
    clean: CleanRules = CleanRules()
    #: ``build`` processes; None: ``auto`` (see ``pipeline build --help``). Out of
    #: the repr, which the build hashes: how many processes make a page does not change it.
    jobs: int | None = field(default=None, repr=False)
    #: ``scrape`` may reach non-public addresses ([pipeline:scrape] allow_private).
    #: Out of the repr too: it changes no page.
    allow_private: bool = field(default=False, repr=False)

    def threshold_for(self, locale: str) -> float:
        """The completion percentage a locale needs to be published."""
        return self.thresholds.get(locale, self.threshold)


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(item for item in re.split(r"[\s,]+", value.strip()) if item)


def _split_lines(value: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in value.splitlines() if line.strip())


def _parse_percent(value: str, where: str, problems: list[str]) -> float | None:
    try:
        number = float(value)
    except ValueError:
        problems.append(f"{where}: {value!r} is not a number")
        return None
    if not 0 <= number <= 100:
        problems.append(f"{where}: {number:g} is not a percentage between 0 and 100")
        return None
    return number


def _parse_positive(value: str, where: str, problems: list[str], zero: bool = False) -> float | None:
    """A number above 0 (or 0 itself when ``zero``: no limit)."""
    try:
        number = float(value)
    except ValueError:
        problems.append(f"{where}: {value!r} is not a number")
        return None
    if number < 0 or (number == 0 and not zero):
        problems.append(f"{where}: {number:g} must be {'0 (no limit) or ' if zero else ''}more than 0")
        return None
    return number


def _check_patterns(patterns: tuple[str, ...], where: str, problems: list[str]) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(f"{where}: invalid regular expression {pattern!r}: {exc}")


KNOWN_KEYS = {
    "pipeline": {"source_language", "locales", "threshold", "base_url", "site_name", "skip_classes", "jobs"},
    "pipeline:clean": {"drop", "keep", "lost_list_intro", "max_page_mb", "time_budget"},
    "pipeline:scrape": {"allow_private"},
}


def load_settings(root: Path, overrides: dict[str, object]) -> Settings:
    """Read and validate the settings of the project at ``root``.

    ``overrides`` holds flag values (``None`` means "not given").
    """
    parser = configparser.ConfigParser(interpolation=None)
    cfg = root / "setup.cfg"
    problems: list[str] = []
    if cfg.is_file():
        try:
            parser.read(cfg, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise SettingsError([f"cannot parse {cfg}: {exc}"]) from None

    def section(name: str) -> dict[str, str]:
        return dict(parser[name]) if parser.has_section(name) else {}

    main = section("pipeline")
    clean = section("pipeline:clean")
    scrape = section("pipeline:scrape")
    thresholds_raw = section("pipeline:thresholds")
    for name, values in (("pipeline", main), ("pipeline:clean", clean), ("pipeline:scrape", scrape)):
        for key in sorted(set(values) - KNOWN_KEYS[name]):
            problems.append(f"[{name}] {key}: unknown setting")

    source_language = str(overrides.get("source_language") or main.get("source_language", "en")).strip()
    from pipeline.project import LOCALE_PATTERN  # late: project imports this module

    if not LOCALE_PATTERN.match(source_language):
        problems.append(f"[pipeline] source_language: {source_language!r} is not a language code")
    locales = _split_list(main.get("locales", ""))
    for locale in locales:
        if not LOCALE_PATTERN.match(locale):
            problems.append(f"[pipeline] locales: {locale!r} is not a locale identifier")

    threshold = DEFAULT_THRESHOLD
    raw_threshold = overrides.get("threshold")
    if raw_threshold is None:
        raw_threshold = main.get("threshold", str(DEFAULT_THRESHOLD))
    parsed = _parse_percent(str(raw_threshold), "[pipeline] threshold", problems)
    if parsed is not None:
        threshold = parsed
    thresholds: dict[str, float] = {}
    for locale, value in thresholds_raw.items():
        number = _parse_percent(value, f"[pipeline:thresholds] {locale}", problems)
        if number is not None:
            thresholds[locale] = number

    base_url = str(overrides.get("base_url") or main.get("base_url", "")).strip()
    if base_url and not re.match(r"^https?://[^\s/]+", base_url):
        problems.append(f"[pipeline] base_url: {base_url!r} is not an http(s) URL")

    drop = _split_lines(clean.get("drop", ""))
    keep = _split_lines(clean.get("keep", ""))
    _check_patterns(drop, "[pipeline:clean] drop", problems)
    _check_patterns(keep, "[pipeline:clean] keep", problems)
    lost = clean.get("lost_list_intro", "drop").strip()
    if lost not in ("drop", "keep"):
        problems.append(f"[pipeline:clean] lost_list_intro: {lost!r} must be 'drop' or 'keep'")
    max_page_mb = _parse_positive(clean.get("max_page_mb", "10"), "[pipeline:clean] max_page_mb", problems)
    time_budget = _parse_positive(clean.get("time_budget", "120"), "[pipeline:clean] time_budget", problems, zero=True)

    jobs = parse_jobs(main.get("jobs", "auto"))
    if jobs == 0:
        problems.append(f"[pipeline] jobs: {main['jobs'].strip()!r} must be 'auto' or a number of processes (1 or more)")

    allow_private = scrape.get("allow_private", "no").strip().lower()
    if allow_private not in parser.BOOLEAN_STATES:
        problems.append(f"[pipeline:scrape] allow_private: {allow_private!r} must be yes or no")

    if problems:
        raise SettingsError(problems)
    return Settings(
        source_language=source_language,
        locales=locales,
        threshold=threshold,
        thresholds=thresholds,
        base_url=base_url.rstrip("/"),
        site_name=main.get("site_name", "").strip(),
        skip_classes=_split_list(main.get("skip_classes", "notranslate")),
        clean=CleanRules(drop=drop, keep=keep, lost_list_intro=lost,
                         max_page_bytes=int((max_page_mb or 10) * 1024 * 1024), time_budget=time_budget or 0.0),
        jobs=jobs,
        allow_private=parser.BOOLEAN_STATES.get(allow_private, False),
    )


def parse_jobs(value: str) -> int | None:
    """``auto`` -> None, ``N`` -> N (1 or more); 0 for anything else (the caller says what is wrong)."""
    value = value.strip().lower()
    if value == "auto":
        return None
    return int(value) if value.isdigit() and int(value) >= 1 else 0
