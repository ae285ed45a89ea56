"""``pipeline update`` is ``msgmerge --previous``: the same generated catalogs through both, equal output.

Hypothesis makes templates and catalogs (plurals, contexts, comments of every
kind, flags, fuzzy entries with previous msgids, obsolete entries, headers of
every shape and order) and chains of templates; each goes through the merge
stage (:func:`pipeline.catalogs.merge.update_file`, without the translation memory,
which is our documented addition) and through GNU ``msgmerge --previous``.
Where our merge writes, its file must equal msgmerge's byte for byte; where it
does not (no message changed: no churn), msgmerge's output must say the same
messages as the untouched file.

Msgids are ASCII words (msgmerge compares bytes, we compare characters: the
README says so) without format directives (msgmerge's check of a newly
format-flagged translation is not modelled).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.catalogs import make_project
from pipeline.catalogs.merge import content_of, update_file
from pipeline.cli import main
from pipeline.formats.po import escape, parse_catalog

pytestmark = pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext is not installed")

WORDS = ("data", "model", "train", "test", "value", "alpha", "beta", "graph", "node", "edge", "cat", "a")
CONTEXTS = (None, None, None, "menu", "title")
FLAGS = ("python-format", "c-format", "no-wrap", "python-brace-format", "range: 0..5", "range: 1..3")
CONTENT_TYPE = ("Content-Type", "text/plain; charset=UTF-8")
HEADER_FIELDS = (
    ("Project-Id-Version", "demo 1.0"),
    ("Report-Msgid-Bugs-To", "old@example.org"),
    ("POT-Creation-Date", "2025-01-01 10:00+0000"),
    ("PO-Revision-Date", "2025-02-01 10:00+0100"),
    ("Last-Translator", "Ann <ann@example.org>"),
    ("Language-Team", "French"),
    ("Language-Team", "German <de@li.org>"),
    ("Language", "fr"),
    ("MIME-Version", "1.0"),
    CONTENT_TYPE,
    ("Content-Transfer-Encoding", "8bit"),
    ("X-Generator", "Poedit 3.4.2"),
    ("X-Other", "y"),
)
PLURAL_FORMS = ("nplurals=2; plural=(n > 1);", "nplurals=3; plural=(n%10==1 ? 0 : n%10>=2 ? 1 : 2);", "nplurals=1; plural=0;")


def quoted(keyword: str, text: str, prefix: str = "") -> str:
    return f'{prefix}{keyword} "{escape(text)}"\n'


flag_lists = st.lists(st.sampled_from(FLAGS), max_size=2, unique=True).filter(
    lambda flags: sum(flag.startswith("range:") for flag in flags) <= 1
)
msgids = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join)


@st.composite
def entries(draw, count: int) -> list[dict]:
    """Messages of unique (msgid, context), many near one another so that fuzzy matches happen."""
    seen: set[tuple[str, str | None]] = set()
    made: list[dict] = []
    for _ in range(count):
        msgid = draw(msgids)
        if made and draw(st.booleans()):  # a variant of an earlier msgid
            base = draw(st.sampled_from(made))["msgid"]
            msgid = base + draw(st.sampled_from(("s", " data", "", "!"))) if draw(st.booleans()) else base[1:] or base
        context = draw(st.sampled_from(CONTEXTS))
        if (msgid, context) in seen:
            continue
        seen.add((msgid, context))
        made.append({
            "msgid": msgid,
            "context": context,
            "plural": draw(st.one_of(st.none(), msgids)),
            "auto": draw(st.lists(msgids, max_size=2)),
            "refs": draw(st.lists(st.sampled_from(("a.html:1", "b.html:20", "c.md")), max_size=2, unique=True)),
            "flags": draw(flag_lists),
            "comments": draw(st.lists(msgids, max_size=2)),
            "template_comments": draw(st.lists(msgids, max_size=1)) if draw(st.integers(0, 5)) == 0 else [],
        })
    return made


def template_text(items: list[dict], date: str, bugs: str | None) -> str:
    fields = [("Project-Id-Version", "demo 1.0")] + ([("Report-Msgid-Bugs-To", bugs)] if bugs else [])
    fields += [("POT-Creation-Date", date), ("Content-Type", "text/plain; charset=UTF-8")]
    text = 'msgid ""\nmsgstr ""\n' + "".join(f'"{n}: {v}\\n"\n' for n, v in fields)
    for item in items:
        text += "\n" + "".join(f"# {c}\n" for c in item.get("template_comments", ()))
        text += "".join(f"#. {c}\n" for c in item["auto"])
        text += "".join(f"#: {r}\n" for r in item["refs"])
        text += f"#, {', '.join(item['flags'])}\n" if item["flags"] else ""
        text += quoted("msgctxt", item["context"]) if item["context"] is not None else ""
        text += quoted("msgid", item["msgid"])
        if item["plural"] is not None:
            text += quoted("msgid_plural", item["plural"]) + 'msgstr[0] ""\nmsgstr[1] ""\n'
        else:
            text += 'msgstr ""\n'
    return text


@st.composite
def catalogs(draw, items: list[dict]) -> str:
    """A translator's catalog for a template like ``items``: header of any shape, active and obsolete entries."""
    fields = draw(st.lists(st.sampled_from(HEADER_FIELDS), unique=True, max_size=len(HEADER_FIELDS)))
    fields = draw(st.permutations(fields))
    if [n for n, _ in fields].count("Language-Team") > 1:
        fields.remove(("Language-Team", "French"))
    nplurals_forms = draw(st.one_of(st.none(), st.sampled_from(PLURAL_FORMS)))
    if nplurals_forms is not None:
        fields.insert(draw(st.integers(0, len(fields))), ("Plural-Forms", nplurals_forms))
    nplurals = int(nplurals_forms.split(";")[0].split("=")[1]) if nplurals_forms else 2
    header = "".join(f"# {c}\n" for c in draw(st.lists(msgids, max_size=2)))
    header += "#, fuzzy\n" if draw(st.booleans()) else ""
    text = header + 'msgid ""\nmsgstr ""\n' + "".join(f'"{n}: {v}\\n"\n' for n, v in fields)
    obsolete_part = ""
    for item in items:
        translated = draw(st.booleans()) or draw(st.booleans())
        fuzzy = translated and draw(st.integers(0, 3)) == 0
        previous = draw(msgids) if fuzzy and draw(st.booleans()) else None
        previous_context = draw(st.sampled_from(CONTEXTS)) if previous is not None else None
        plural = item["plural"] if draw(st.integers(0, 4)) else draw(st.one_of(st.none(), msgids))
        obsolete = draw(st.integers(0, 4)) == 0
        prefix = "#~ " if obsolete else ""
        entry = "\n" + "".join(f"# {c}\n" for c in item["comments"])
        if not obsolete:
            entry += "".join(f"#. {c}\n" for c in item["auto"]) + "".join(f"#: {r}\n" for r in item["refs"])
        flags = (["fuzzy"] if fuzzy else []) + ([] if obsolete else draw(flag_lists))
        entry += f"#, {', '.join(flags)}\n" if flags else ""
        if previous is not None:
            marker = "#~| " if obsolete else "#| "
            entry += quoted("msgctxt", previous_context, marker) if previous_context is not None else ""
            entry += quoted("msgid", previous, marker)
        entry += quoted("msgctxt", item["context"], prefix) if item["context"] is not None else ""
        entry += quoted("msgid", item["msgid"], prefix)
        prefixes = ("FR ", "中文：", "Ü ") if CONTENT_TYPE in fields else ("FR ",)  # msgmerge needs the charset
        translation = (draw(st.sampled_from(prefixes)) + item["msgid"]) if translated else ""
        if plural is not None:
            entry += quoted("msgid_plural", plural, prefix)
            entry += "".join(quoted(f"msgstr[{i}]", translation and f"{translation} {i}", prefix) for i in range(nplurals))
        else:
            entry += quoted("msgstr", translation, prefix)
        if obsolete:
            obsolete_part += entry
        else:
            text += entry
    return text + obsolete_part


def msgmerge(catalog: Path, template: Path, out: Path) -> bytes:
    subprocess.run(["msgmerge", "--previous", "--force-po", "-q", "-o", str(out), str(catalog), str(template)], check=True, capture_output=True)
    return out.read_bytes()


def assert_same_as_msgmerge(tmp_path: Path, catalog_text: str, templates: list[str]) -> None:
    ours, theirs = tmp_path / "ours.po", tmp_path / "theirs.po"
    ours.write_text(catalog_text, encoding="utf-8")
    theirs.write_text(catalog_text, encoding="utf-8")
    for number, template_text_ in enumerate(templates):
        template = tmp_path / f"t{number}.pot"
        template.write_text(template_text_, encoding="utf-8")
        before = ours.read_bytes()
        counts = update_file(ours, template)
        expected = msgmerge(theirs, template, tmp_path / "next.po")
        theirs.write_bytes(expected)
        if counts.written:
            assert ours.read_bytes().decode() == expected.decode()
        else:  # no message changed: the file is left alone, and msgmerge says the same messages
            assert ours.read_bytes() == before
            assert content_of(parse_catalog(expected)) == content_of(parse_catalog(before))
            ours.write_bytes(expected)  # the chain goes on from the same file


@st.composite
def merges(draw) -> tuple[str, list[str]]:
    old_items = draw(entries(draw(st.integers(0, 8))))
    catalog = draw(catalogs(old_items))
    templates = []
    items = old_items
    for step in range(draw(st.integers(1, 3))):
        kept = [i for i in items if draw(st.integers(0, 3))]
        fresh = draw(entries(draw(st.integers(0, 5))))
        for item in fresh:
            if draw(st.booleans()) and items:  # a changed version of an old message
                item["msgid"] = draw(st.sampled_from(items))["msgid"] + draw(st.sampled_from((" a", "s", " node")))
        keys, items = set(), []
        for item in draw(st.permutations(kept + fresh)):
            if (item["msgid"], item["context"]) not in keys:
                keys.add((item["msgid"], item["context"]))
                item = dict(item, flags=draw(flag_lists))
                items.append(item)
        bugs = draw(st.sampled_from((None, "new@example.org")))
        templates.append(template_text(items, f"2026-0{step + 1}-01 12:00+0000", bugs))
    return catalog, templates


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=merges())
def test_update_equals_msgmerge_previous(tmp_path_factory, case):
    catalog, templates = case
    assert_same_as_msgmerge(tmp_path_factory.mktemp("merge"), catalog, templates)


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
POT = 'msgid ""\nmsgstr ""\n"POT-Creation-Date: 2026-03-01 12:00+0000\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'

#: The cases the merge got wrong before it followed msgmerge: (catalog entries, template entries).
KNOWN_CASES = {
    "a translator comment stays on an entry that becomes fuzzy": (
        '\n# check the glossary\nmsgid "The model learns fast"\nmsgstr "Le modèle apprend vite"\n',
        '\nmsgid "The model learns fast."\nmsgstr ""\n',
    ),
    "an old fuzzy entry's #| keeps the text its translation was made for": (
        '\n#, fuzzy\n#| msgid "The model learns"\nmsgid "The model learns fast"\nmsgstr "Le modèle apprend"\n',
        '\nmsgid "The model learns fast!"\nmsgstr ""\n',
    ),
    "a changed msgid_plural makes the translation fuzzy": (
        '\nmsgid "one node"\nmsgid_plural "%d nodes"\nmsgstr[0] "un nœud"\nmsgstr[1] "%d nœuds"\n',
        '\n#, c-format\nmsgid "one node"\nmsgid_plural "%d graph nodes"\nmsgstr[0] ""\nmsgstr[1] ""\n',
    ),
    "flags come from the template": (
        '\n#, c-format, no-wrap\nmsgid "Train the model"\nmsgstr "Entraîner le modèle"\n',
        '\n#, python-format\nmsgid "Train the model"\nmsgstr ""\n',
    ),
    "obsolete entries in the catalog's order, with #~|": (
        '\nmsgid "first gone"\nmsgstr "premier"\n\n#, fuzzy\n#| msgid "second old"\nmsgid "second gone"\nmsgstr "second"\n'
        '\n#~ msgid "long gone"\n#~ msgstr "ancien"\n',
        '\nmsgid "something else entirely"\nmsgstr ""\n',
    ),
    "a fuzzy match of another context names it in #|": (
        '\nmsgctxt "menu"\nmsgid "Open the file"\nmsgstr "Ouvrir le fichier"\n',
        '\nmsgctxt "title"\nmsgid "Open the files"\nmsgstr ""\n',
    ),
}


#: A template message with its own msgid in the catalog, in the shapes around the merge's
#: shortcut for a singular translation that is not fuzzy and has no range (catalog, template).
EXACT_MATCH_CASES = {
    "finished, flags from the template": (
        '\n#, no-wrap\nmsgid "Train the model"\nmsgstr "Entraîner le modèle"\n',
        '\n#, python-format\nmsgid "Train the model"\nmsgstr ""\n',
    ),
    "finished with a stale #|: it goes": (
        '\n#| msgid "Train a model"\nmsgid "Train the model"\nmsgstr "Entraîner le modèle"\n',
        '\nmsgid "Train the model"\nmsgstr ""\n',
    ),
    "fuzzy with #|: both stay": (
        '\n#, fuzzy\n#| msgid "Train a model"\nmsgid "Train the model"\nmsgstr "Entraîner un modèle"\n',
        '\nmsgid "Train the model"\nmsgstr ""\n',
    ),
    "untranslated": ('\n#| msgid "Train a model"\nmsgid "Train the model"\nmsgstr ""\n', '\nmsgid "Train the model"\nmsgstr ""\n'),
    "a range in the catalog only": (
        '\n#, range: 1..5\nmsgid "Pick %d"\nmsgstr "Choisir %d"\n', '\nmsgid "Pick %d"\nmsgstr ""\n'
    ),
    "a range in the template only": (
        '\nmsgid "Pick %d"\nmsgstr "Choisir %d"\n', '\n#, range: 1..5\nmsgid "Pick %d"\nmsgstr ""\n'
    ),
    "a range within the catalog's": (
        '\n#, range: 1..5\nmsgid "Pick %d"\nmsgstr "Choisir %d"\n', '\n#, range: 2..3\nmsgid "Pick %d"\nmsgstr ""\n'
    ),
    "a plural translation for a singular message": (
        '\nmsgid "one node"\nmsgid_plural "%d nodes"\nmsgstr[0] "un nœud"\nmsgstr[1] "%d nœuds"\n',
        '\nmsgid "one node"\nmsgstr ""\n',
    ),
    "a singular translation for a plural message": (
        '\nmsgid "one node"\nmsgstr "un nœud"\n',
        '\nmsgid "one node"\nmsgid_plural "%d nodes"\nmsgstr[0] ""\nmsgstr[1] ""\n',
    ),
}

assert not KNOWN_CASES.keys() & EXACT_MATCH_CASES.keys()


@pytest.mark.parametrize("name", sorted(KNOWN_CASES.keys() | EXACT_MATCH_CASES.keys()))
def test_known_cases_equal_msgmerge(tmp_path, name):
    catalog, template = KNOWN_CASES.get(name) or EXACT_MATCH_CASES[name]
    assert_same_as_msgmerge(tmp_path, HEADER + catalog, [POT + template])


@pytest.mark.parametrize("plural_forms", ["nplurals =3; plural=(n%10==1 ? 0 : n%10>=2 ? 1 : 2);", "nplurals= 3; plural=(n%10==1 ? 0 : n%10>=2 ? 1 : 2);"])
def test_forms_of_a_new_plural_message_read_nplurals_as_msgmerge_does(tmp_path, plural_forms):
    """msgmerge takes ``nplurals=`` literally (spaces only after the "="): without it, the template's forms."""
    header = f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {plural_forms}\\n"\n'
    template = '\nmsgid "one node"\nmsgid_plural "%d nodes"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    assert_same_as_msgmerge(tmp_path, header, [POT + template])


def _write_settings(root: Path, memory: str) -> None:
    (root / "setup.cfg").write_text(f"[pipeline]\nsource_language = en\n\n[pipeline:update]\ntranslation_memory = {memory}\n", encoding="utf-8")


def test_cli_update_equals_msgmerge(tmp_path):
    """Through ``pipeline update`` itself: the article's catalog is what msgmerge makes of it."""
    from helpers.catalogs import SLUG, edit_article, translate_all

    project = make_project(tmp_path)
    _write_settings(project.root, "no")
    runner = CliRunner()
    assert runner.invoke(main, ["extract", "--project", str(project.root)]).exit_code == 0
    assert runner.invoke(main, ["init", "zh_CN", "--project", str(project.root)]).exit_code == 0
    path = project.catalog_path("zh_CN", SLUG)
    translate_all(path)
    edit_article(project, SLUG, "<h2>Skills</h2>", "<h2>Key skills</h2>")
    edit_article(project, SLUG, "<blockquote>Data is the new oil.</blockquote>", "")
    assert runner.invoke(main, ["extract", "--project", str(project.root)]).exit_code == 0
    before = tmp_path / "before.po"
    shutil.copy(path, before)
    result = runner.invoke(main, ["update", "--project", str(project.root), "-l", "zh_CN"])
    assert result.exit_code == 0, result.output
    expected = msgmerge(before, project.template_path(SLUG), tmp_path / "expected.po")
    assert path.read_bytes().decode() == expected.decode()
    assert "#| msgid" in expected.decode()


def test_duplicate_definitions_are_one_error_naming_both_lines(tmp_path):
    from helpers.catalogs import SLUG

    project = make_project(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["extract", "--project", str(project.root)]).exit_code == 0
    assert runner.invoke(main, ["init", "fr", "--project", str(project.root)]).exit_code == 0
    path = project.catalog_path("fr", SLUG)
    text = path.read_text(encoding="utf-8")
    duplicate = '\n#~ msgid "Skills"\n#~ msgstr "Compétences"\n'
    path.write_text(text + duplicate, encoding="utf-8")
    duplicate_line = text.count("\n") + 2
    result = runner.invoke(main, ["update", "--project", str(project.root), "-l", "fr"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    skills_line = next(n for n, line in enumerate(text.split("\n"), 1) if line == 'msgid "Skills"')
    assert f"{path}:{duplicate_line}: duplicate message definition..." in result.output
    assert f"{path}:{skills_line}: ...this is the location of the first definition" in result.output
    theirs = subprocess.run(["msgfmt", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert f"{path}:{duplicate_line}: duplicate message definition" in theirs.stderr  # the same line as msgfmt


def _as_poedit_saves(path: Path) -> bytes:
    """The catalog as Poedit 3 saves it with no edit: one long msgid on one line, its generator named."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line == 'msgid ""' and i > 2 and lines[i + 1].startswith('"'))
    end = next(j for j in range(at + 1, len(lines)) if not lines[j].startswith('"'))
    lines[at : end] = ['msgid "' + "".join(line[1:-1] for line in lines[at + 1 : end]) + '"']
    header_end = lines.index("")
    lines.insert(header_end, '"X-Generator: Poedit 3.4.2\\n"')
    data = "\n".join(lines).encode("utf-8")
    path.write_bytes(data)
    return data


def test_update_leaves_a_catalog_saved_by_poedit_alone(tmp_path):
    """Nothing changed for the translator: not a byte, not the mtime, whatever the editor's wrapping."""
    import os

    from helpers.catalogs import SLUG, edit_article, msgcat, translate_all

    project = make_project(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["extract", "--project", str(project.root)]).exit_code == 0
    assert runner.invoke(main, ["init", "zh_CN", "--project", str(project.root)]).exit_code == 0
    path = project.catalog_path("zh_CN", SLUG)
    translate_all(path)
    header = [line for line in path.read_text(encoding="utf-8").split("\n\n")[0].split("\n") if line.startswith('"')]
    names = [line[1:].split(":")[0] for line in header]
    assert names.index("Language") == names.index("Language-Team") + 1  # init writes GNU's order, as Poedit keeps it
    assert names[-1] == "Plural-Forms"
    saved = _as_poedit_saves(path)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    for _ in range(2):
        result = runner.invoke(main, ["update", "--project", str(project.root), "-l", "zh_CN"])
        assert result.exit_code == 0, result.output
        assert "0 new, 0 fuzzy, 0 obsolete" in result.output and f"unchanged locales/zh_CN/LC_MESSAGES/{SLUG}.po" in result.output
        assert path.read_bytes() == saved and path.stat().st_mtime_ns == 1_000_000_000
    edit_article(project, SLUG, "<h2>Skills</h2>", "<h2>Key skills</h2>")
    assert runner.invoke(main, ["extract", "--project", str(project.root)]).exit_code == 0
    result = runner.invoke(main, ["update", "--project", str(project.root), "-l", "zh_CN"])
    assert f"updated locales/zh_CN/LC_MESSAGES/{SLUG}.po: 0 new, 1 fuzzy" in result.output, result.output
    assert msgcat(path) == path.read_bytes()  # when it writes, it writes GNU's format
    assert '"X-Generator: Poedit 3.4.2\\n"' in path.read_text(encoding="utf-8")
