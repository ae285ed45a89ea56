"""The tool's settings: ``[pipeline*]`` sections of the project's ``setup.cfg``.

One table, :data:`OPTIONS`, says every setting: its section, key, default and
how its value is read. Settings are validated as a whole in one pass and every
problem is reported at once (as MkDocs does), each with its file, line,
section and key, so a user fixes the file in one go: unknown sections and keys
under ``[pipeline*]`` too, since a typo (``[pipeline:treshold]``) would
otherwise be ignored without a word. Keys of the sections that name locales
keep their case (``zh_CN = 90``); ``zh-CN`` and ``zh_cn`` mean the same locale.
``; comments`` may end a line, as in the README.

Settings are the defaults of command-line options: a row of the table says
which options it feeds (``build.base_url``), the CLI puts them into Click's
``default_map`` (:func:`command_defaults`), and a flag typed on the command
line wins through Click itself.
"""

from __future__ import annotations

import ast
import configparser
import difflib
import math
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Callable

from pipeline.catalogs.derivation import Derivation, parse_derivations
from pipeline.errors import SettingsError
from pipeline.names import LOCALE_PATTERN

DEFAULT_THRESHOLD = 80.0
#: More ``build`` processes than this is a typo (``jobs = 100000``), not a machine.
MAX_JOBS = 256


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


def normalize_locale(name: str) -> str:
    """One spelling per locale: ``zh-CN``, ``zh_cn`` -> ``zh_CN``; ``sr-latn-rs@latin`` -> ``sr_Latn_RS@latin``."""
    base, at, modifier = name.partition("@")
    language, *parts = re.split(r"[-_]", base)
    spelled = [language.lower()]
    for part in parts:
        if len(part) == 4 and part.isalpha():
            spelled.append(part.title())  # a script
        elif len(part) == 2 and part.isalpha():
            spelled.append(part.upper())  # a territory
        else:
            spelled.append(part)
    return "_".join(spelled) + at + modifier


#: Field metadata of a setting that changes no page: left out of :meth:`Settings.output_fingerprint`.
NO_PAGE_CHANGE = {"changes_pages": False}


@dataclass(frozen=True)
class Settings:
    source_language: str = "en"
    locales: tuple[str, ...] = ()
    threshold: float = DEFAULT_THRESHOLD
    #: Per-locale thresholds, keyed by :func:`normalize_locale`.
    thresholds: dict[str, float] = field(default_factory=dict)
    base_url: str = ""
    site_name: str = ""
    skip_classes: tuple[str, ...] = ("notranslate",)
    clean: CleanRules = CleanRules()
    #: ``build`` processes; None: ``auto`` (see ``pipeline build --help``).
    jobs: int | None = field(default=None, metadata=NO_PAGE_CHANGE)
    #: ``scrape`` may reach non-public addresses ([pipeline:scrape] allow_private).
    allow_private: bool = field(default=False, metadata=NO_PAGE_CHANGE)
    #: ``build`` on a Dask cluster: its scheduler's address, "" to build on this machine.
    scheduler: str = field(default="", metadata=NO_PAGE_CHANGE)
    #: ``[pipeline:derived]``: locale -> how it is derived from another (OpenCC conversion).
    derived: dict[str, Derivation] = field(default_factory=dict)
    #: Whether machine-converted entries not yet reviewed count toward the threshold.
    count_derived: bool = True
    #: ``update`` fills new messages from the locale's other catalogs ([pipeline:update]
    #: translation_memory); ``no`` merges exactly as ``msgmerge --previous``.
    translation_memory: bool = field(default=True, metadata=NO_PAGE_CHANGE)

    def threshold_for(self, locale: str) -> float:
        """The completion percentage a locale needs to be published."""
        return self.thresholds.get(normalize_locale(locale), self.threshold)

    def output_fingerprint(self) -> str:
        """The settings every page depends on, as one string for the build to hash.

        Settings that change no page (how many processes build, what scrape
        may reach) are left out, so changing them rebuilds nothing. Spelled as
        the dataclass's repr spells those fields, the string earlier versions
        hashed, so an upgrade does not rebuild every page either.
        """
        shown = (f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.metadata.get("changes_pages", True))
        return f"{type(self).__qualname__}({', '.join(shown)})"


# --------------------------------------------------------------------------
# How values are read: each returns the value or raises ValueError saying why
# --------------------------------------------------------------------------


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(item for item in re.split(r"[\s,]+", value.strip()) if item)


def _split_lines(value: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in value.splitlines() if line.strip())


def _language(value: str) -> str:
    value = value.strip()
    if not LOCALE_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a language code")
    return value


def _locales(value: str) -> tuple[str, ...]:
    locales = _split_list(value)
    wrong = [locale for locale in locales if not LOCALE_PATTERN.match(locale)]
    if wrong:
        raise ValueError(", ".join(repr(w) for w in wrong) + " is not a locale identifier")
    return locales


def _percent(value: str) -> float:
    try:
        number = float(value.strip().removesuffix("%"))  # "80%" as people write it
    except ValueError:
        raise ValueError(f"{value.strip()!r} is not a number") from None
    if not 0 <= number <= 100:
        raise ValueError(f"{number:g} is not a percentage between 0 and 100")
    return number


def _base_url(value: str) -> str:
    value = value.strip()
    if value and not re.match(r"^https?://[^\s/]+", value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value.rstrip("/")


def _pattern_problems(patterns: tuple[str, ...]) -> list[str]:
    """What is wrong with each pattern that is not a regular expression."""
    problems = []
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(f"invalid regular expression {pattern!r}: {exc}")
    return problems


def _patterns(value: str) -> tuple[str, ...]:
    patterns = _split_lines(value)
    problems = _pattern_problems(patterns)
    if problems:
        raise ValueError(problems[0])
    return patterns


def _one_of(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip()
        if value not in choices:
            raise ValueError(f"{value!r} must be " + " or ".join(repr(c) for c in choices))
        return value

    return parse


def _number_of(unit: str, value: str, infinite_too: bool = False) -> float:
    """``value`` as a number of ``unit``: never NaN, and infinite only when that means something."""
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if math.isnan(number) or (math.isinf(number) and not infinite_too):
        raise ValueError(f"{value.strip()!r} is not a number of {unit}")
    return number


def _megabytes(value: str) -> int:
    """A size in MB (more than 0) -> bytes."""
    number = _number_of("megabytes", value)
    if number <= 0:
        raise ValueError(f"{number:g} must be more than 0")
    return int(number * 1024 * 1024)


def _seconds(value: str) -> float:
    """Seconds, 0 for no limit."""
    number = _number_of("seconds", value, infinite_too=True)  # "inf" stays what it says: no limit
    if number < 0:
        raise ValueError(f"{number:g} must be 0 (no limit) or more")
    return number


def _boolean(value: str) -> bool:
    states = configparser.ConfigParser.BOOLEAN_STATES
    value = value.strip().lower()
    if value not in states:
        raise ValueError(f"{value!r} must be yes or no")
    return states[value]


def parse_jobs(value: str) -> int | None:
    """``auto`` -> None, ``N`` -> N (1 to MAX_JOBS); 0 for anything else (the caller says what is wrong)."""
    value = value.strip().lower()
    if value == "auto":
        return None
    return int(value) if value.isdigit() and 1 <= int(value) <= MAX_JOBS else 0


def scheduler_address(value: str) -> str:
    """A Dask scheduler's address (``tcp://HOST:PORT``, ``tls://...``; ``HOST:PORT`` means tcp), or ""."""
    value = value.strip()
    if value and not re.fullmatch(r"(?:(?:tcp|tls|ucx)://)?[^\s/:]+(?::[0-9]{1,5})?", value):
        raise ValueError(f"{value!r} must be a Dask scheduler address such as tcp://HOST:8786")
    return value


def _jobs(value: str) -> int | None:
    jobs = parse_jobs(value)
    if jobs == 0:
        raise ValueError(f"{value.strip()!r} must be 'auto' or a number of processes from 1 to {MAX_JOBS}")
    return jobs


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    section: str
    key: str
    default: str
    parse: Callable[[str], object]
    #: The :class:`Settings` field it fills, or ``clean.FIELD`` of its :class:`CleanRules`.
    target: str
    #: The command-line options whose default it is, as ``COMMAND.PARAMETER``.
    feeds: tuple[str, ...] = ()


OPTIONS: tuple[Option, ...] = (
    Option("pipeline", "source_language", "en", _language, "source_language"),
    Option("pipeline", "locales", "", _locales, "locales"),
    Option("pipeline", "threshold", str(DEFAULT_THRESHOLD), _percent, "threshold"),
    Option("pipeline", "base_url", "", _base_url, "base_url", feeds=("build.base_url", "publish.base_url", "scrape.contact")),
    Option("pipeline", "site_name", "", str.strip, "site_name"),
    Option("pipeline", "skip_classes", "notranslate", _split_list, "skip_classes"),
    Option("pipeline", "jobs", "auto", _jobs, "jobs", feeds=("build.jobs",)),
    Option("pipeline", "scheduler", "", scheduler_address, "scheduler", feeds=("build.scheduler",)),
    Option("pipeline", "count_derived", "yes", _boolean, "count_derived"),
    Option("pipeline:clean", "drop", "", _patterns, "clean.drop"),
    Option("pipeline:clean", "keep", "", _patterns, "clean.keep"),
    Option("pipeline:clean", "lost_list_intro", "drop", _one_of("drop", "keep"), "clean.lost_list_intro"),
    Option("pipeline:clean", "max_page_mb", "10", _megabytes, "clean.max_page_bytes"),
    Option("pipeline:clean", "time_budget", "120", _seconds, "clean.time_budget"),
    Option("pipeline:scrape", "allow_private", "no", _boolean, "allow_private", feeds=("scrape.allow_private",)),
    Option("pipeline:update", "translation_memory", "yes", _boolean, "translation_memory"),
)

#: Sections whose keys are locales (case kept, ``-`` or ``_``), and how a value is read.
LOCALE_SECTIONS: dict[str, Callable[[str], object]] = {"pipeline:thresholds": _percent}
#: Sections of locales read whole by the module that owns them (problems as ``[section] key: ...``).
OWNED_SECTIONS = ("pipeline:derived",)

_KNOWN_SECTIONS = tuple(dict.fromkeys([o.section for o in OPTIONS] + [*LOCALE_SECTIONS, *OWNED_SECTIONS]))


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def _syntax_problems(cfg: Path, exc: configparser.Error) -> list[str]:
    """What configparser refused, as ``file:line: ...`` lines."""
    if isinstance(exc, configparser.DuplicateOptionError):
        return [f"{cfg}:{exc.lineno}: [{exc.section}] {exc.option}: given twice"]
    if isinstance(exc, configparser.DuplicateSectionError):
        return [f"{cfg}:{exc.lineno}: [{exc.section}]: the section is given twice"]
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return [f"{cfg}:{exc.lineno}: {exc.line.strip()!r} comes before any [section]"]
    if isinstance(exc, configparser.ParsingError):
        # configparser keeps each line as its repr()
        return [f"{cfg}:{line}: {ast.literal_eval(text).strip()!r} is not 'key = value'" for line, text in exc.errors]
    return [f"cannot parse {cfg}: {exc}"]


def _read(cfg: Path) -> tuple[configparser.ConfigParser, dict[tuple[str, str], int]]:
    """The parsed file, and the line of every section (key "") and key in it."""
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # locale keys (zh_CN) keep their case
    lines: dict[tuple[str, str], int] = {}
    if not cfg.is_file():
        return parser, lines
    try:
        text = cfg.read_text(encoding="utf-8")
        parser.read_string(text, source=str(cfg))
    except configparser.Error as exc:
        raise SettingsError(_syntax_problems(cfg, exc)) from None
    except UnicodeDecodeError as exc:
        line = cfg.read_bytes()[: exc.start].count(b"\n") + 1
        raise SettingsError([f"{cfg}:{line}: the file is not UTF-8 text"]) from None
    except OSError as exc:
        raise SettingsError([f"cannot read {cfg}: {exc.strerror or exc}"]) from None
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line[0].isspace() or line.lstrip()[0] in "#;":
            continue  # blank, a value's continuation, a comment
        header = parser.SECTCRE.match(line)
        if header:
            section = header.group("header")
            lines.setdefault((section, ""), number)
            continue
        option = parser.OPTCRE.match(line)
        if option:
            lines.setdefault((section, option.group("option").strip()), number)
    return parser, lines


#: A problem: (section, key, message); key "" for the section itself, section "" when none is known.
Problem = tuple[str, str, str]


def _suggestion(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {close[0]}?" if close else ""


def _sections(parser: configparser.ConfigParser, problems: list[Problem]) -> dict[str, dict[str, str]]:
    """The ``[pipeline*]`` sections; keys of the fixed ones lower-cased. Unknown names are problems."""
    keys_of: dict[str, list[str]] = {}
    for option in OPTIONS:
        keys_of.setdefault(option.section, []).append(option.key)
    sections: dict[str, dict[str, str]] = {}
    for name in parser.sections():
        if not name.lower().startswith("pipeline"):
            continue  # packaging and other tools' sections
        if name not in _KNOWN_SECTIONS:
            known = [f"[{s}]" for s in _KNOWN_SECTIONS]
            problems.append((name, "", f"unknown section{_suggestion(f'[{name}]', known)} (known: {', '.join(known)})"))
            continue
        values = dict(parser[name])
        if name in keys_of:
            lowered: dict[str, str] = {}
            for key, value in values.items():
                if key.lower() in lowered:
                    problems.append((name, key, "given twice"))
                elif key.lower() not in keys_of[name]:
                    problems.append((name, key, f"unknown setting{_suggestion(key.lower(), keys_of[name])}"))
                lowered[key.lower()] = value
            values = lowered
        sections[name] = values
    return sections


def _locale_values(sections: dict[str, dict[str, str]], problems: list[Problem]) -> dict[str, dict[str, object]]:
    """``[pipeline:thresholds]`` and the like: locale (normalized) -> value."""
    found: dict[str, dict[str, object]] = {}
    for name, parse in LOCALE_SECTIONS.items():
        found[name] = {}
        for key, raw in sections.get(name, {}).items():
            if not LOCALE_PATTERN.fullmatch(key):
                problems.append((name, key, f"{key!r} is not a locale identifier such as zh_CN"))
                continue
            locale = normalize_locale(key)
            if locale in found[name]:
                problems.append((name, key, f"the same locale as another key ({locale})"))
            try:
                found[name][locale] = parse(raw)
            except ValueError as exc:
                problems.append((name, key, str(exc)))
    return found


def _owned_problem(text: str) -> Problem:
    """A problem an owning module wrote as ``[section] key: message``."""
    match = re.match(r"^\[(?P<section>[^\]]+)\] (?P<key>\S+?): (?P<message>.*)$", text, re.S)
    return (match.group("section"), match.group("key"), match.group("message")) if match else ("", "", text)


def _line(problem: Problem, lines: dict[tuple[str, str], int]) -> int | None:
    section, key, _ = problem
    if (section, key) in lines:
        return lines[(section, key)]
    as_written = next((n for (s, k), n in lines.items() if s == section and k.lower() == key.lower()), None)
    return as_written if as_written is not None else lines.get((section, ""))


def _report(problems: list[Problem], cfg: Path, lines: dict[tuple[str, str], int]) -> list[str]:
    """``setup.cfg:LINE: [section] key: message``, in the file's order; flags after."""
    located = sorted(((_line(p, lines), p) for p in problems), key=lambda item: (item[0] is None, item[0] or 0))
    report = []
    for line, (section, key, message) in located:
        what = key if not section else f"[{section}] {key}".rstrip()
        report.append(f"{cfg}:{line}: {what}: {message}" if line else f"{what}: {message}")
    return report


def load_settings(root: Path) -> Settings:
    """Read and validate the settings of the project at ``root``: every problem at once."""
    cfg = root / "setup.cfg"
    parser, lines = _read(cfg)
    problems: list[Problem] = []
    sections = _sections(parser, problems)
    values = _table_values(sections, problems)
    thresholds = _locale_values(sections, problems)["pipeline:thresholds"]
    derived, derived_problems = parse_derivations(sections.get("pipeline:derived", {}), LOCALE_PATTERN.fullmatch)
    problems += [_owned_problem(p) for p in derived_problems]
    if problems:
        raise SettingsError(_report(problems, cfg, lines))
    clean = CleanRules(**{t.split(".", 1)[1]: v for t, v in values.items() if t.startswith("clean.")})
    rest = {t: v for t, v in values.items() if not t.startswith("clean.")}
    return Settings(**rest, clean=clean, thresholds=thresholds, derived=derived)  # type: ignore[arg-type]


def _table_values(sections: dict[str, dict[str, str]], problems: list[Problem]) -> dict[str, object]:
    """Every row of :data:`OPTIONS` read from its section (or its default), by target."""
    values: dict[str, object] = {}
    for option in OPTIONS:
        try:
            values[option.target] = option.parse(sections.get(option.section, {}).get(option.key, option.default))
        except ValueError as exc:
            problems.append((option.section, option.key, str(exc)))
    return values


def _row(section: str, key: str) -> Option:
    return next(o for o in OPTIONS if (o.section, o.key) == (section, key))


def command_defaults(settings: Settings, command: str) -> dict[str, object]:
    """The defaults the settings give to ``command``'s options (its ``default_map``), by parameter name."""
    defaults: dict[str, object] = {}
    for option in OPTIONS:
        for fed in option.feeds:
            name, _, parameter = fed.partition(".")
            if name == command:
                defaults[parameter] = getattr(settings, option.target)
    return defaults


def flag_value(key: str, value: str) -> object:
    """A ``[pipeline]`` setting's value typed as its flag (``--base-url``), read as the setting is; a problem names the flag."""
    try:
        return _row("pipeline", key).parse(value)
    except ValueError as exc:
        raise SettingsError([f"--{key.replace('_', '-')}: {exc}"]) from None


def read_clean_rules(path: Path, rules: CleanRules) -> CleanRules:
    """``rules`` with an article's own ``clean-rules.cfg`` (``[pipeline:clean]``) added: its
    patterns after the project's, its ``lost_list_intro`` instead; read as setup.cfg's rows read them."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise SettingsError([f"cannot parse {path}: {exc}"]) from None
    section = parser["pipeline:clean"] if parser.has_section("pipeline:clean") else {}
    problems: list[str] = []
    patterns = {}
    for key in ("drop", "keep"):
        patterns[key] = _split_lines(section.get(key, ""))
        problems += [f"{path} {key}: {problem}" for problem in _pattern_problems(patterns[key])]
    lost = section.get("lost_list_intro", rules.lost_list_intro)
    try:
        lost = _row("pipeline:clean", "lost_list_intro").parse(lost)
    except ValueError as exc:
        problems.append(f"{path} lost_list_intro: {exc}")
    if problems:
        raise SettingsError(problems)
    return replace(rules, drop=rules.drop + patterns["drop"], keep=rules.keep + patterns["keep"], lost_list_intro=lost)
