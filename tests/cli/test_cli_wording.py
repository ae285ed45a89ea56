"""What a stranger reads: command output and help that say each thing once and correctly."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main


def _latin1_catalog(root: Path) -> Path:
    path = root / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(
        b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
        b'msgid "Cafe"\nmsgstr "Caf\xe9"\n'
    )
    return path


def test_check_names_a_warning_once_in_gettext_form(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    _latin1_catalog(root)
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "[charset]" in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("locales/fr/LC_MESSAGES/demo.po:1: warning: [charset]"), lines[0]
    assert lines[0].count("warning") == 1, lines[0]
    assert "1 warning" in result.output and "1 warnings" not in result.output


def test_check_counts_in_good_english(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    path = root / "locales" / "zh_CN" / "LC_MESSAGES" / "demo.po"
    path.parent.mkdir(parents=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Read the <a1>report</a1>."\nmsgstr "阅读报告。"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 1, result.output
    assert "checked 1 catalog: 1 error, 0 warnings" in result.output, result.output
    assert "Error: 1 error in the catalogs" in result.output


def test_build_help_names_the_reader_site_it_writes() -> None:
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for written in ("home page", "feed.xml", "404.html", "robots.txt", "sitemap.xml"):
        assert written in text, written


def test_glossary_export_beside_the_csv_says_which_file_is_read(shipped_project: Path) -> None:
    result = CliRunner().invoke(main, ["glossary", "--project", str(shipped_project), "--export", "tbx"])
    assert result.exit_code == 0, result.output
    assert (shipped_project / "locales" / "glossary.tbx").is_file()
    assert "glossary.csv" in result.output and "delete it" in result.output, result.output


def test_glossary_csv_export_beside_a_tbx_says_the_csv_now_wins(shipped_project: Path) -> None:
    locales = shipped_project / "locales"
    runner = CliRunner()
    assert runner.invoke(main, ["glossary", "--project", str(shipped_project), "--export", "tbx"]).exit_code == 0
    (locales / "glossary.csv").unlink()
    result = runner.invoke(main, ["glossary", "--project", str(shipped_project), "--export", "csv"])
    assert result.exit_code == 0, result.output
    assert "now read glossary.csv, not glossary.tbx" in result.output, result.output


def test_a_base_url_flag_without_scheme_is_a_usage_error_about_the_flag(shipped_project: Path, tmp_path: Path) -> None:
    for command in (["build"], ["publish", str(tmp_path / "dest")]):
        result = CliRunner().invoke(main, [*command, "--project", str(shipped_project), "--base-url", "example.org"])
        assert result.exit_code == 2, result.output
        assert "--base-url" in result.output and "https://example.org" in result.output, result.output
        assert "setup.cfg" not in result.output, result.output
    assert not (tmp_path / "dest").exists()


def test_a_duplicate_definition_names_both_lines_with_the_same_relative_path(shipped_project) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    po = shipped_project / "locales" / "zh_CN" / "LC_MESSAGES" / "site.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "Articles"\nmsgstr "文章"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--project", str(shipped_project)])
    assert result.exit_code == 1
    relative = "locales/zh_CN/LC_MESSAGES/site.po:"
    assert "duplicate message definition" in result.output
    assert "this is the location of the first definition" in result.output
    assert str(shipped_project) not in result.output  # both lines name the file as the first does
    assert result.output.count(relative) >= 2


def test_a_catalog_that_is_a_folder_is_named_once_without_a_line(shipped_project) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    po = shipped_project / "locales" / "zh_CN" / "LC_MESSAGES" / "site.po"
    po.unlink()
    po.mkdir()
    result = CliRunner().invoke(main, ["check", "--project", str(shipped_project)])
    assert result.exit_code == 1
    line = next(l for l in result.output.splitlines() if "site.po" in l)
    assert line.startswith("locales/zh_CN/LC_MESSAGES/site.po: error:") and line.count("site.po") == 1


def test_a_utf16_catalog_is_called_utf16(shipped_project) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    po = shipped_project / "locales" / "zh_CN" / "LC_MESSAGES" / "site.po"
    po.write_bytes(po.read_text(encoding="utf-8").encode("utf-16"))
    result = CliRunner().invoke(main, ["check", "--project", str(shipped_project)])
    assert result.exit_code == 1
    assert "site.po:1: error: [syntax] the file is UTF-16" in result.output
