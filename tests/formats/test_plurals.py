"""Plural-Forms: checked as ``msgfmt -c`` checks it, and never a traceback in any command.

GNU ``msgfmt -c`` is the oracle: Hypothesis generates expressions, valid and
broken, and our verdict must be msgfmt's.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.localedata import locale_identifiers
from babel.messages.catalog import Catalog
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from helpers.build import SLUG
from helpers.catalog_faults import COMMANDS, assert_no_traceback, catalog_text, fr_catalog, project, run, template_project  # noqa: F401 (fixtures)
from pipeline.build.rendering import site_translations
from pipeline.formats.plurals import MAX_DEPTH, MAX_NPLURALS, PluralFormsError, parse_plural_forms, plural_function
from pipeline.checks import check_catalog
from pipeline.formats.po import parse_catalog, read_catalog
from pipeline.preview.server import PreviewSite

#: name -> a Plural-Forms value msgfmt -c refuses
BROKEN = {
    "unfinished expression": "nplurals=1; plural=n==;",
    "nplurals not a number": "nplurals=x; plural=0;",
    "negative values": "nplurals=2; plural=n-1;",
    "a form past nplurals": "nplurals=2; plural=n;",
    "division by zero": "nplurals=2; plural=n%0;",
    "not C": "nplurals=2; plural=n>>1;",
    "no forms": "nplurals=0; plural=0;",
    "unbalanced": "nplurals=2; plural=(n != 1;",
}


def msgfmt_accepts(plural_forms: str, tmp: Path) -> bool:
    path = tmp / "plural.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"PO-Revision-Date: 2001-04-29 21:19+0200\\n"\n'
        '"Last-Translator: a <a@example.org>\\n"\n"Language-Team: x <a@example.org>\\n"\n"Language: fr\\n"\n'
        '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Plural-Forms: {plural_forms}\\n"\n\nmsgid "a"\nmsgstr "b"\n',
        encoding="utf-8",
    )
    return subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0


def ours_accepts(plural_forms: str) -> bool | None:
    """Our verdict; None past our own nesting limit (MAX_DEPTH), which msgfmt does not have."""
    try:
        parse_plural_forms(plural_forms)
    except PluralFormsError as exc:
        return None if "levels deep" in str(exc) else False
    return True


# --------------------------------------------------------------------------
# Differential: msgfmt -c is the oracle
# --------------------------------------------------------------------------

_ATOMS = st.sampled_from(["n", "0", "1", "2", "3", "5", "10", "100", "18446744073709551615", "18446744073709551617"])
_BINARY = ["*", "/", "%", "+", "-", "<", ">", "<=", ">=", "==", "!=", "&&", "||"]
_SPACE = st.sampled_from(["", " ", "\t"])


def _expressions() -> st.SearchStrategy[str]:
    """Expressions of GNU's grammar, written without the parentheses precedence would need:
    ``n?1:0+2`` tests that both parsers give the operators the same precedence."""
    return st.recursive(
        _ATOMS,
        lambda inner: st.one_of(
            st.tuples(inner, _SPACE, st.sampled_from(_BINARY), _SPACE, inner).map("".join),
            inner.map(lambda e: f"({e})"),
            inner.map(lambda e: f"!{e}"),
            st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
        ),
        max_leaves=10,
    )


_JUNK = st.sampled_from(["(", ")", "?", ":", "=", "&", "|", "-", "!", "n", "1", "x", ",", "~", "^", ">>", "**", "N", "1.5"])


@st.composite
def _broken(draw: st.DrawFn) -> str:
    """A valid expression with a character deleted, a token inserted, or cut short."""
    expression = draw(_expressions())
    position = draw(st.integers(0, len(expression)))
    how = draw(st.sampled_from(["delete", "insert", "cut"]))
    if how == "delete":
        return expression[:position] + expression[position + 1 :]
    if how == "insert":
        return expression[:position] + draw(_JUNK) + expression[position:]
    return expression[:position]


_NPLURALS = st.one_of(st.integers(0, 8).map(str), st.sampled_from(["", "x", "2x", " 3", "02", "-1"]))


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(nplurals=_NPLURALS, expression=st.one_of(_expressions(), _broken()), end=st.sampled_from([";", "", " ;", "; junk"]))
def test_our_verdict_is_msgfmts(tmp_path: Path, nplurals: str, expression: str, end: str) -> None:
    value = f"nplurals={nplurals}; plural={expression}{end}"
    ours = ours_accepts(value)
    assume(ours is not None)
    assert ours == msgfmt_accepts(value, tmp_path), value


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_the_broken_examples_are_broken_for_msgfmt_too(tmp_path: Path, name: str) -> None:
    assert not msgfmt_accepts(BROKEN[name], tmp_path)
    assert ours_accepts(BROKEN[name]) is False


def test_every_plural_rule_babel_knows_is_accepted_and_computed_as_pythons_gettext_does() -> None:
    import gettext

    forms = {Catalog(locale=locale).plural_forms for locale in locale_identifiers()}
    for value in forms:
        parsed = parse_plural_forms(value)
        ours, python = plural_function(parsed.expression), gettext.c2py(parsed.expression)
        assert [ours(n) for n in range(300)] == [python(n) for n in range(300)], value


def test_arithmetic_is_unsigned_as_in_libintl() -> None:
    assert plural_function("n-1")(0) == 2**64 - 1
    assert plural_function("18446744073709551617")(0) == 1  # the number wraps around
    assert plural_function("n/0")(5) == 0  # no exception where msgfmt's range does not look
    assert plural_function("1 || n/0")(5) == 1  # short-circuit, as in C
    assert plural_function("n==1==0")(1) == 0 and plural_function("n==1==0")(2) == 1  # left-associative, not Python's chain


def test_limits_beyond_gnu_are_clear_errors_never_a_crash() -> None:
    with pytest.raises(PluralFormsError, match="no language has more than"):
        parse_plural_forms(f"nplurals={MAX_NPLURALS + 1}; plural=0;")
    for hostile in ("(" * 100_000, "!" * 100_000 + "n", "n" + "+n" * 100_000, "0?" * 50_000 + "0" + ":0" * 50_000):
        with pytest.raises(PluralFormsError):
            parse_plural_forms(f"nplurals=2; plural={hostile};")
    nested = "(" * (MAX_DEPTH - 5) + "n!=1" + ")" * (MAX_DEPTH - 5)
    assert parse_plural_forms(f"nplurals=2; plural={nested};").nplurals == 2


# --------------------------------------------------------------------------
# Every command: one clear line with file:line, exit 1, no traceback
# --------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_plural_forms_is_a_catalog_error_in_every_command(project: Path, name: str, command: str) -> None:
    path = fr_catalog(project)
    path.write_text(catalog_text([], plural_forms=BROKEN[name]), encoding="utf-8")
    result = run(project, command)
    assert_no_traceback(result)
    assert result.exit_code == 1, result.output
    assert result.output.count("invalid Plural-Forms") == 1, result.output
    if command == "check":
        assert re.search(rf"locales/fr/LC_MESSAGES/{SLUG}\.po:1: error: \[plural\] invalid Plural-Forms", result.output)
    else:
        assert f"{path}:1: " in result.output or f"{path}:1: [plural]" in result.output, result.output
    if command == "build":
        assert "every other page was built" in result.output
        assert (project / "output" / "en" / SLUG / "index.html").is_file()


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_serve_reports_a_broken_plural_forms_and_goes_on(project: Path, tmp_path: Path, name: str) -> None:
    path = fr_catalog(project)
    path.write_text(catalog_text([], plural_forms=BROKEN[name]), encoding="utf-8")
    events = PreviewSite(project, tmp_path / "preview").rebuild()
    errors = [e for e in events if e.kind == "error"]
    assert len(errors) == 1 and f"{path}:1: invalid Plural-Forms" in errors[0].message, events


SITE_WITH_PLURALS = """msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural={expression};\\n"

msgid "a file"
msgid_plural "files"
msgstr[0] "un fichier"
msgstr[1] "des fichiers"
"""


def test_the_build_computes_forms_msgfmt_accepts_and_pythons_gettext_refuses() -> None:
    deep = "(" * 25 + "n > 1" + ")" * 25  # gettext.c2py: "plural form expression is too complex"
    catalog = parse_catalog(SITE_WITH_PLURALS.format(expression=deep).encode())
    translations = site_translations(catalog, None, [])
    assert [translations.ngettext("a file", "files", n) for n in (0, 1, 2, 1000)] == ["un fichier", "un fichier", "des fichiers", "des fichiers"]


def test_a_templates_placeholder_or_broken_plural_forms_is_no_error(tmp_path: Path) -> None:
    """xgettext writes 'nplurals=INTEGER; plural=EXPRESSION;' into templates; catalogs never use a template's."""
    placeholder = catalog_text([], plural_forms="nplurals=INTEGER; plural=EXPRESSION;")
    template = tmp_path / "sample-article.pot"
    template.write_text(placeholder, encoding="utf-8")
    assert all(f.problem.severity != "error" for f in check_catalog(template))
    assert read_catalog(template).read_warnings == []
    template.write_text(catalog_text([], plural_forms="nplurals=2;"), encoding="utf-8")
    assert read_catalog(template).read_warnings == []
    template.write_text(catalog_text([], plural_forms=BROKEN["negative values"]), encoding="utf-8")
    [warning] = read_catalog(template).read_warnings
    assert warning.code == "plural" and "negative" in warning.message
    catalog = tmp_path / "fr.po"
    catalog.write_text(placeholder, encoding="utf-8")
    [finding] = check_catalog(catalog)
    assert finding.problem.code == "plural" and finding.problem.severity == "error"  # msgfmt -c refuses it too


def test_update_reads_a_template_with_xgettexts_placeholder(project: Path) -> None:
    template = project / "locales" / f"{SLUG}.pot"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace('"Content-Type:', '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n"Content-Type:', 1), encoding="utf-8")
    assert "INTEGER" in template.read_text(encoding="utf-8")
    result = run(project, "update")
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(expression=_expressions(), spaces=_SPACE, end=st.sampled_from([";", "", " ;", "; junk", "\t;\n"]))
def test_the_forms_kept_from_the_check_are_the_expressions_values(expression: str, spaces: str, end: str) -> None:
    """plural_function looks up the forms the check worked out: they must be what evaluating gives, for every number."""
    from pipeline.formats import plurals

    try:
        parsed = parse_plural_forms(f"nplurals=3; plural={spaces}({expression}) % 3{spaces}{end}")
    except PluralFormsError:
        assume(False)
        return
    assert parsed.expression in plurals._CHECKED_FORMS  # the check's forms are kept for this very text
    tree = plurals._parse(parsed.expression)

    def evaluated(n: int) -> int:
        try:
            return tree.value(n % 2**64)
        except ZeroDivisionError:
            return 0

    form = plural_function(parsed.expression)
    for n in [*plurals.CHECKED_NUMBERS, 1001, 1002, 10**6, 2**64 - 1, 2**64, -1]:
        assert form(n) == evaluated(n), (parsed.expression, n)
