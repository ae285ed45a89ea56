"""Catalogs as real tools write them are read, never a traceback; what was tolerated is a warning.

Headers with dates in other forms (``+02:00``, the template's placeholder,
garbage), unknown, duplicate and nameless fields, every legacy charset a file
may declare, CRLF and a byte order mark. Writing is canonical: ``update``
writes UTF-8 that GNU ``msgfmt -c`` accepts.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import pytest

from helpers.catalog_faults import COMMANDS, assert_no_traceback, catalog_text, fr_catalog, project, run, template_project  # noqa: F401 (fixtures)
from pipeline.checks import check_catalog
from pipeline.formats.po import parse_catalog, read_catalog
from pipeline.formats.po_header import parse_header_date


#: name -> (extra header lines, whether check must warn)
HEADERS: dict[str, tuple[list[str], bool]] = {
    "revision date +02:00": (["PO-Revision-Date: 2001-04-29 21:19+02:00"], False),
    "creation date +02:00": (["POT-Creation-Date: 2001-04-29 21:19+02:00"], False),
    "dates with seconds and T": (["POT-Creation-Date: 2001-04-29T21:19:05Z", "PO-Revision-Date: 2001-04-29 21:19:05 -0130"], False),
    "template placeholders": (["POT-Creation-Date: YEAR-MO-DA HO:MI+ZONE", "PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE"], False),
    "no dates": ([], False),
    "empty dates": (["POT-Creation-Date: ", "PO-Revision-Date:"], False),
    "garbage revision date": (["PO-Revision-Date: last tuesday"], True),
    "garbage creation date": (["POT-Creation-Date: 2001-13-45 99:99+0200"], True),
    "unknown fields": (["X-Generator: Poedit 3.4", "X-Poedit-Basepath: ..", "X-Whatever: 1"], False),
    "duplicate field": (["Language: de"], True),
    "duplicate date": (["PO-Revision-Date: 2001-04-29 21:19+0200", "PO-Revision-Date: garbage"], True),
    "nameless header line": (["this line has no name"], True),
    "garbage language": (["Language: ../x"], True),
    "plural forms lacking plural=": (["Plural-Forms: nplurals=2;"], True),
}


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_headers_real_tools_write_are_read(tmp_path: Path, name: str) -> None:
    lines, warns = HEADERS[name]
    path = tmp_path / "fr.po"
    path.write_text(catalog_text(lines), encoding="utf-8")
    catalog = read_catalog(path)
    assert catalog.get("What they do").string == "Ce qu'ils font à l'été"
    findings = check_catalog(path)
    assert [f for f in findings if f.problem.severity == "error"] == []
    warnings = [f for f in findings if f.problem.severity == "warning"]
    assert bool(warnings) == warns, warnings
    for finding in warnings:
        assert finding.line == 1 and finding.problem.code == "header"  # the header entry's line


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", ["revision date +02:00", "garbage revision date", "nameless header line", "garbage language"])
def test_no_command_fails_on_an_unusual_header(project: Path, name: str, command: str) -> None:
    fr_catalog(project).write_text(catalog_text(HEADERS[name][0]), encoding="utf-8")
    result = run(project, command)
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output


def test_check_counts_what_it_tolerated_and_strict_fails_on_it(project: Path) -> None:
    fr_catalog(project).write_text(catalog_text(["PO-Revision-Date: last tuesday", "Language: de"]), encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert re.search(r"sample-article\.po:1: warning: \[header\] PO-Revision-Date 'last tuesday' is not a date", result.output)
    assert "the header has Language twice" in result.output and "2 warnings" in result.output
    strict = run(project, "check", "--strict")
    assert strict.exit_code == 1 and "--strict" in strict.output
    assert_no_traceback(strict)


def test_the_revision_date_other_tools_write_is_understood() -> None:
    catalog = parse_catalog(catalog_text(["PO-Revision-Date: 2001-04-29 21:19+02:00"]).encode())
    assert catalog.revision_date == datetime.datetime(2001, 4, 29, 21, 19, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2001-04-29 21:19+0200", "2001-04-29T21:19:00+02:00"),
        ("2001-04-29 21:19+02:00", "2001-04-29T21:19:00+02:00"),
        ("2001-04-29 21:19-0530", "2001-04-29T21:19:00-05:30"),
        ("2001-4-9 1:19", "2001-04-09T01:19:00"),
        ("2001-04-29T21:19:59Z", "2001-04-29T21:19:59+00:00"),
        ("2001-04-29 21:19:59.123 +01", "2001-04-29T21:19:59+01:00"),
        ("2001-04-29 21:19+CEST", "2001-04-29T21:19:00"),  # old pygettext: strftime's %Z
        ("2001-04-29 21:19 EST", "2001-04-29T21:19:00"),
        ("YEAR-MO-DA HO:MI+ZONE", None),
        ("", None),
        ("2001-02-30 10:00+0000", None),
        ("2001-04-29 21:19+9900", None),
        ("tomorrow", None),
    ],
)
def test_header_dates(text: str, expected: str | None) -> None:
    moment = parse_header_date(text)
    assert (moment.isoformat() if moment else None) == expected


#: charset -> a translation in that charset's script. Shift_JIS ソ and 表 and
#: Big5 許 end in the byte 0x5C, a backslash in ASCII: the file must be decoded
#: before it is parsed.
CHARSETS = {
    "ISO-8859-1": "Ce qu'ils font à l'été",
    "KOI8-R": "Что они делают",
    "Big5": "他們做許多事",
    "GB2312": "他们做什么",
    "Shift_JIS": "ソフトの表を作る",
    "EUC-JP": "彼らの仕事",
    "windows-1251": "Что они делают",
}


@pytest.mark.parametrize("charset", sorted(CHARSETS))
def test_every_declared_charset_is_read_and_update_writes_utf8_that_msgfmt_accepts(project: Path, charset: str) -> None:
    text = CHARSETS[charset]
    path = fr_catalog(project)
    path.write_bytes(catalog_text([], text, charset).encode(charset))
    assert read_catalog(path).get("What they do").string == text
    codes = [f.problem.code for f in check_catalog(path)]
    assert "syntax" not in codes and "charset" in codes  # readable; asks for UTF-8
    result = run(project, "update")
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    assert "charset=UTF-8" in data.decode("utf-8") and charset not in data.decode("utf-8")
    assert read_catalog(path).get("What they do").string == text
    gnu = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert gnu.returncode == 0, gnu.stderr


def test_a_gb2312_file_with_gbk_characters_is_read_with_a_warning(tmp_path: Path) -> None:
    text = "他们做什么：鎔"  # 鎔 is in GBK, not in GB2312
    path = tmp_path / "fr.po"
    path.write_bytes(catalog_text([], text, "GB2312").encode("gbk"))
    assert read_catalog(path).get("What they do").string == text
    assert any("gb18030" in f.problem.message for f in check_catalog(path))


def test_the_charset_placeholder_is_read_as_utf8_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    path.write_bytes(catalog_text([], "Ce qu’ils font", "CHARSET").encode("utf-8"))
    assert read_catalog(path).get("What they do").string == "Ce qu’ils font"
    [finding] = [f for f in check_catalog(path) if f.problem.severity == "warning"]
    assert finding.problem.code == "charset" and "CHARSET" in finding.problem.message


def test_crlf_and_bom_through_every_command(project: Path) -> None:
    path = fr_catalog(project)
    path.write_bytes(b"\xef\xbb\xbf" + catalog_text(["X-Generator: Poedit 3.4"]).replace("\n", "\r\n").encode("utf-8"))
    for command in sorted(COMMANDS):
        result = run(project, command)
        assert_no_traceback(result)
        assert result.exit_code == 0, (command, result.output)
    assert b"\r\n" not in path.read_bytes() and not path.read_bytes().startswith(b"\xef\xbb\xbf")  # update wrote it canonically
    assert read_catalog(path).get("What they do").string == "Ce qu'ils font à l'été"


def test_an_unusual_header_is_written_back_as_it_was(project: Path) -> None:
    lines = ["PO-Revision-Date: 2001-04-29 21:19+02:00", "X-Generator: Poedit 3.4", "POT-Creation-Date: last tuesday"]
    path = fr_catalog(project)
    path.write_text(catalog_text(lines), encoding="utf-8")
    assert run(project, "update").exit_code == 0
    written = path.read_text(encoding="utf-8")
    for line in lines[:2]:
        assert f'"{line}\\n"' in written


def test_update_says_what_it_tolerated_and_strict_fails_on_it(project: Path) -> None:
    fr_catalog(project).write_text(catalog_text(["PO-Revision-Date: last tuesday"]), encoding="utf-8")
    result = run(project, "update")
    assert result.exit_code == 0, result.output
    assert f"warning: {fr_catalog(project)}:1: PO-Revision-Date 'last tuesday' is not a date" in result.output
    assert run(project, "update", "--strict").exit_code == 1


def test_utf8_bytes_under_a_latin1_header_are_read_as_the_header_says_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    path.write_bytes(catalog_text([], "Ce qu'ils font à l'été", "ISO-8859-1").encode("utf-8"))
    text = "Ce qu'ils font à l'été"
    assert read_catalog(path).get("What they do").string == text.encode("utf-8").decode("latin-1")  # as msgfmt reads it
    assert any("its bytes are UTF-8" in f.problem.message for f in check_catalog(path))
    path.write_bytes(catalog_text([], "Ce qu'ils font à l'été", "ISO-8859-1").encode("latin-1"))
    assert not any("its bytes are UTF-8" in f.problem.message for f in check_catalog(path))
