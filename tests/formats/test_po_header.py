"""The header's Content-Type and Plural-Forms: Babel's setter's results without its MIME parser, and GNU's charset verdict.

``_plain_parameters`` reads a parameter list of the plain shape as Babel's
setter does, and must give exactly what Babel's parser gives (compared here
over generated values); a Content-Type whose charset gettext's tools do not
find (an RFC 2231 ``charset*=``, none, an empty or quoted one) is read as
UTF-8 with a warning where ``msgfmt -c`` warns, and never fails.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, parse_separated_header

from pipeline.build.catalogs import read_article_catalog
from pipeline.catalogs.model import PoCatalog
from pipeline.formats.po import header_fields, parse_catalog
from pipeline.formats.po_header import _plain_parameters, apply_header, use_plural_forms

#: Pieces of which parameter lists are made: every character email's parser treats apart.
PIECES = [
    "text/plain", "charset", "CHARSET", "Charset", "UTF-8", "utf-8", "iso-8859-1", "format", "flowed", "x",
    "=", "==", ";", ";;", " ", "  ", "\t", "\x0b", '"', "'", "\\", "*", "*0", "*1*", "%", "%41", "<", ">", "<x>", "é", "中", "\ud800",
]


def _babel_charset(value: str) -> object:
    """What Babel's own setter makes of a Content-Type value: the catalog's charset, or the exception."""
    catalog = Catalog()
    try:
        catalog.mime_headers = [("Content-Type", value)]
    except Exception as exc:  # noqa: BLE001 - the very exception is compared
        return ("crash", type(exc))
    return catalog.charset


def _generated_values(count: int) -> list[str]:
    rng = random.Random(2231)
    values = ["", ";", "text/plain; charset=UTF-8", "charset=UTF-8", "text/plain; charset=UTF-8; charset=ISO-8859-1", "charset=<UTF-8>", "<x>; charset=<>"]
    for _ in range(count):
        values.append("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 9))))
    return values


def test_the_plain_shape_is_parsed_as_babels_parser_parses_it() -> None:
    plain = 0
    for value in _generated_values(20000):
        parameters = _plain_parameters(value)
        if parameters is not None:
            plain += 1
            assert parameters == parse_separated_header(value), value
    assert plain > 2000  # the generator reaches the fast path often


def test_a_content_type_sets_the_charset_babels_setter_sets_and_never_fails() -> None:
    for value in _generated_values(5000):
        catalog, warnings = PoCatalog(), []
        apply_header(catalog, [("Content-Type", value)], ("catalog.po", 1), warnings)
        babel = _babel_charset(value)
        if babel == ("crash", AttributeError):  # Babel fails on an RFC 2231 charset*=: no charset is declared
            assert catalog.charset == "utf-8" and "charset*" in value.lower(), value
        elif isinstance(babel, tuple):  # email's parser refuses a lone surrogate: the value is not understood
            assert issubclass(babel[1], ValueError) and catalog.charset == "utf-8", value
            assert any("not understood" in w.message for w in warnings), value
        else:
            assert catalog.charset == babel, value


@pytest.mark.parametrize(
    "expression",
    ["0", "(n != 1)", "(n > 1)", "n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2", "n==1 ? 0 : n>=2 && n<=4 ? 1 : 2", "(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2", "n*2 > 1", "<n>"],
)
def test_plural_forms_are_stored_as_babels_setter_stores_them(expression: str) -> None:
    ours, babels = Catalog(), Catalog()
    use_plural_forms(ours, 3, expression)
    babels.mime_headers = [("Plural-Forms", f"nplurals=3; plural={expression};")]
    assert (ours.num_plurals, ours.plural_expr, ours.mime_headers) == (babels.num_plurals, babels.plural_expr, babels.mime_headers)


#: Content-Type values whose charset gettext's tools find, and those where msgfmt -c warns about it.
READABLE = ["text/plain; charset=UTF-8", "text/plain;charset=utf-8", "charset=UTF-8", "text/html; charset=UTF-8", "text/plain; charset=utf-8 ; format=flowed"]
UNREADABLE = [
    "text/plain; charset*=utf-8''UTF-8", "text/plain; charset*=UTF-8", "text/plain; charset*0=UTF; charset*1=-8",
    "text/plain", "", ";;;", "text/plain; charset=", 'text/plain; charset=\\"UTF-8\\"', "text/plain; charset='UTF-8'",
    "text/plain; charset=UTF-8; charset=ISO-8859-1", "text/plain; charset=UTF-8;", "TEXT/PLAIN; CHARSET=UTF-8",
    "text/plain;  charset = UTF-8", "text/plain; charset", "text/plain; Charset=utf-8", "text/plain; =UTF-8", "text/plain; charset==UTF-8",
]


def _catalog(content_type: str) -> bytes:
    return (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"MIME-Version: 1.0\\n"\n'
        f'"Content-Type: {content_type}\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Hello"\nmsgstr "Bonjour é"\n'
    ).encode()


def _msgfmt_warns_about_the_charset(path: Path) -> bool:
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr  # msgfmt accepts every one of these files
    return "Charset" in result.stderr


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is the oracle")
@pytest.mark.parametrize("content_type", READABLE + UNREADABLE)
def test_a_charset_gettext_does_not_find_is_a_warning_where_msgfmt_warns(tmp_path: Path, content_type: str) -> None:
    path = tmp_path / "fr.po"
    path.write_bytes(_catalog(content_type))
    catalog = parse_catalog(path.read_bytes(), str(path))
    warned = [w for w in catalog.read_warnings if w.code == "charset"]
    assert bool(warned) == _msgfmt_warns_about_the_charset(path) == (content_type in UNREADABLE)
    assert all(w.line == 1 and "UTF-8" in w.message for w in warned)  # the header entry's line, and the remedy
    # What update writes (when it writes the file) says UTF-8 in a form gettext reads, as it does for other charsets.
    written = dict(header_fields(catalog))["Content-Type"]
    assert written == ("text/plain; charset=UTF-8" if warned else content_type.replace('\\"', '"'))
    lean = read_article_catalog(path)
    assert catalog.get("Hello").string == "Bonjour é" == lean.translations["Hello"]  # read as UTF-8 by both readers
    assert (lean.locale_identifier, lean.plural_expr) == (catalog.locale_identifier, catalog.plural_expr) == ("fr", "(n > 1)")
