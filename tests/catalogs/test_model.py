"""The catalog model: the rules every command counts by, and PoCatalog against Babel's own Catalog."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from babel.messages.catalog import Message

from pipeline.catalogs.model import (
    PoCatalog,
    has_translation,
    is_finished,
    is_translated,
    messages,
    new_catalog,
    new_template,
)
from pipeline.formats.po import format_catalog, header_fields, parse_catalog
from pipeline.formats.po_write import template_header_fields


def test_the_rules_of_translated_and_finished() -> None:
    plural = Message(("one file", "%d files"), ("un fichier", ""))
    assert has_translation(plural) and not is_translated(plural) and not is_finished(plural)
    fuzzy = Message("text", "texte", flags={"fuzzy"})
    assert has_translation(fuzzy) and is_translated(fuzzy) and not is_finished(fuzzy)
    done = Message(("one file", "%d files"), ("un fichier", "%d fichiers"))
    assert is_finished(done)
    empty = Message("text", "")
    assert not has_translation(empty) and not is_translated(empty)
    assert not has_translation(Message(("a", "b"), ()))


def test_messages_stay_in_babels_order_through_adds_merges_and_deletes() -> None:
    catalog = PoCatalog(locale="fr", fuzzy=False)
    for msgid, context in [("b", None), ("a", None), ("a", "menu"), ("c", None)]:
        catalog[msgid] = Message(msgid, "", context=context)
    catalog["b"] = Message("b", "", locations=[("x.html", None)])  # merged into the first "b", kept in place
    catalog.delete("a")
    catalog[("c", "cs")] = Message(("c", "cs"), ("", ""))
    catalog["a"] = Message("a", "")
    babels = [m for m in catalog if m.id]  # Babel's own iteration, after its header entry
    assert [(m.id, m.context) for m in messages(catalog)] == [(m.id, m.context) for m in babels]
    assert messages(catalog)[0].locations == [("x.html", None)]


def test_header_comment_and_fields_are_written_as_given() -> None:
    created = datetime.datetime(2020, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
    template = new_template("demo", created, "# Messages of YEAR PROJECT.\n#")
    template["Hello"] = Message("Hello", "")
    catalog = new_catalog(
        parse_catalog(format_catalog(template)), "fr", "# French, no year put in.\n#",
        revision_date=created, last_translator="someone", language_team="French",
    )
    data = format_catalog(catalog).decode("utf-8")
    assert data.startswith("# French, no year put in.\n#\n")
    assert format_catalog(template).decode("utf-8").startswith("# Messages of YEAR PROJECT.\n#\n#, fuzzy\n")
    assert [m.id for m in messages(catalog)] == ["Hello"]
    back = parse_catalog(data.encode("utf-8"))
    assert back.raw_header_comment == "# French, no year put in.\n#"
    assert format_catalog(back).decode("utf-8") == data


@pytest.mark.parametrize("created", [
    datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc),
    datetime.datetime(2025, 9, 24, 13, 5, tzinfo=datetime.timezone.utc),
    datetime.datetime(999, 12, 31, 23, 59, tzinfo=datetime.timezone.utc),
    datetime.datetime(2024, 2, 29, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
])
def test_template_header_fields_are_the_template_catalogs(created):
    catalog = new_template("some-article", created, "#")
    assert template_header_fields("some-article", created) == header_fields(catalog)


def test_template_header_fields_follow_babels_local_time_zone():
    # Whatever the local time zone (Babel reads TZ), the plain fields are the catalog's.
    script = (
        "import datetime\n"
        "from pipeline.catalogs.model import new_template\n"
        "from pipeline.formats.po import header_fields\n"
        "from pipeline.formats.po_write import template_header_fields\n"
        "created = datetime.datetime(2025, 9, 24, 13, 5, tzinfo=datetime.timezone.utc)\n"
        "fields = template_header_fields('a', created)\n"
        "assert fields == header_fields(new_template('a', created, '#')), fields\n"
        "print(dict(fields)['POT-Creation-Date'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, "TZ": "Asia/Kolkata"},
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "2025-09-24 13:05+0000"  # Babel does not convert an aware date
