"""site.pot is written from plain messages, without Babel's catalog: the bytes a Babel catalog of the same
extraction gives (format flags, contexts, plurals, comments and places merged across templates, the site's name)."""

from __future__ import annotations

import pytest
import datetime
import io
import shutil
import tempfile
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.extract import extract as babel_extract_messages
from hypothesis import given, settings, strategies as st
from jinja2.ext import babel_extract

from pipeline.catalogs.model import new_template
from pipeline.extract import (
    COMMENT_TAGS, FALLBACK_DATE, JINJA_OPTIONS, SiteMessage, _header_comment, format_site_template, site_template,
    site_template_files,
)
from pipeline.formats.po import format_catalog, header_fields
from pipeline.formats.po_write import format_messages, format_template, template_header_fields
from pipeline.names import SITE_DOMAIN
from pipeline.project import Project

TEXTS = ["Hello", "%(n)s items", "%s done", "{name} said", "50% of", "Go", "a\nb", 'say "hi"', "Здравствуй",
         "日本語の文章です", "{0} and {}", "%%", "long " * 30, "Menu"]
CONTEXTS = ["menu", "verb"]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


text = st.sampled_from(TEXTS).map(_quoted)
context = st.sampled_from(CONTEXTS).map(_quoted)
comment = st.sampled_from(["", "{# Translators: a note #}\n", "{# Translators: two\nlines #}\n"])
call = st.one_of(
    st.builds("{{{{ _({}) }}}}".format, text),
    st.builds("{{{{ ngettext({}, {}, n) }}}}".format, text, text),
    st.builds("{{{{ pgettext({}, {}) }}}}".format, context, text),
    st.builds("{{{{ npgettext({}, {}, {}, n) }}}}".format, context, text, text),
    st.sampled_from(["{% trans %}Hello{% endtrans %}", "{% trans count=n %}One{% pluralize %}{{ count }} items{% endtrans %}"]),
)
template = st.lists(st.builds(str.__add__, comment, call), min_size=1, max_size=8).map("\n".join)
site_name = st.sampled_from(["", "Field Notes", "Hello", "%(n)s items"])


def _babel_site_pot(project: Project) -> bytes:
    """site.pot as a Babel catalog of the extraction gives it (the reference)."""
    catalog = new_template(SITE_DOMAIN, FALLBACK_DATE, _header_comment("the page templates"))
    for path, reference in site_template_files(project):
        source = io.BytesIO(path.read_bytes())
        for _line, msgid, comments, msgctxt in babel_extract_messages(
            babel_extract, source, comment_tags=COMMENT_TAGS, options=JINJA_OPTIONS
        ):
            catalog[msgid] = Message(msgid, ("", "") if isinstance(msgid, tuple) else "",
                                     locations=[(reference, None)], auto_comments=comments, context=msgctxt)
    name = project.settings.site_name
    if name and name not in catalog:
        message = Message(name, "", locations=[("setup.cfg", None)], auto_comments=["the site's name (site_name in setup.cfg)"])
        message.flags = set()
        catalog[name] = message
    return format_catalog(catalog)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(template, min_size=1, max_size=3), site_name)
def test_site_pot_is_the_babel_catalogs(templates, name):
    root = Path(tempfile.mkdtemp())
    try:
        (root / "templates").mkdir()
        for index, text_of_template in enumerate(templates):
            (root / "templates" / f"own{index}.html").write_text(text_of_template, encoding="utf-8")
        (root / "setup.cfg").write_text(f"[pipeline]\nsite_name = {name}\n" if name else "[pipeline]\n")
        project = Project.load(root)
        assert format_site_template(site_template(project)) == _babel_site_pot(project)
    finally:
        shutil.rmtree(root)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime.datetime(1, 1, 2), max_value=datetime.datetime(9999, 12, 30)),
    st.integers(min_value=-23 * 3600 - 3599, max_value=23 * 3600 + 3599),
)
def test_template_header_fields_are_babels_for_any_offset(moment, offset_seconds):
    created = moment.replace(tzinfo=datetime.timezone(datetime.timedelta(seconds=offset_seconds)))
    assert template_header_fields("a", created) == header_fields(new_template("a", created, "#"))


comment_text = st.text(st.sampled_from("ab <>\n\t\"\\é日"), max_size=12)
msgid_text = st.text(st.sampled_from("ab %{}\n\t\"\\é日-/。 "), min_size=1, max_size=120)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(msgid_text, st.lists(comment_text, max_size=3).map(lambda c: dict.fromkeys(c)), max_size=6),
    st.lists(st.sampled_from(["a/article.html", "x" * 70, "setup.cfg"]), min_size=1, max_size=3),
)
def test_format_template_is_format_messages_of_the_same_messages(entries, references):
    """extract's article writer (plain data, one-line comments written directly) against the general one."""
    fields = template_header_fields("a", FALLBACK_DATE)
    messages = [SiteMessage(msgid, None, set(), list(comments), [(r, None) for r in references])
                for msgid, comments in entries.items()]
    assert format_template("# H\n#", fields, entries.items(), references) == format_messages("# H\n#", True, fields, messages)
