"""``extract``: clean documents and page templates -> gettext templates (``.pot``).

One template per article, ``locales/<slug>.pot`` (domain = slug), and one for
the page templates' own strings, ``locales/site.pot``. Output is deterministic:
messages in document order, references without line numbers (a moved paragraph
is no diff), a POT-Creation-Date taken from the sources, never from the clock,
and GNU wrapping (:mod:`pipeline.formats.po`). Unchanged templates are not
rewritten.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING, Union

from pipeline.packaged import PACKAGE_TEMPLATES
from pipeline.names import SITE_DOMAIN
from pipeline.errors import CatalogError, PipelineError
from pipeline.formats import document as document_format
from pipeline.formats.provenance import fetched_at, read_provenance_if_readable
from pipeline.formats.messages import TOKEN, iter_blocks, normalize_space, is_translatable_text
from pipeline.formats.po_write import format_messages, format_template, template_header_fields
from pipeline.fsutil import write_if_changed
from pipeline.project import Project
from pipeline.templatestrings import Found, packaged_messages

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

#: The options of the page templates' Babel extraction method (Jinja2's
#: ``babel_extract``); the same as in the repository's ``babel.cfg``, so
#: ``pybabel extract -F babel.cfg`` finds the same messages.
JINJA_OPTIONS = {"silent": "false"}
#: Template comments that are passed on to translators: ``{# Translators: ... #}``.
COMMENT_TAGS = ("Translators:",)
#: Used when the sources carry no date at all: a fixed value, so that the same
#: sources always give the same bytes.
FALLBACK_DATE = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

#: What an inline tag of a message is, for the translator's comment.
TAG_MEANINGS = {
    "a": "a link",
    "em": "emphasis",
    "i": "italic text",
    "strong": "strong emphasis",
    "b": "bold text",
    "code": "code, keep it as it is",
    "kbd": "keyboard input, keep it as it is",
    "samp": "sample output, keep it as it is",
    "var": "a variable, keep it as it is",
    "br": "a line break",
    "img": "an image",
    "wbr": "a possible line break",
    "sup": "superscript",
    "sub": "subscript",
    "abbr": "an abbreviation",
    "cite": "the title of a work",
    "q": "a quotation",
    "mark": "highlighted text",
    "small": "small print",
    "time": "a date or time",
    "span": "a span of text",
    "s": "struck-out text",
    "del": "deleted text",
    "ins": "inserted text",
    "u": "underlined text",
    "dfn": "a defined term",
}


@dataclass
class TemplateResult:
    domain: str
    path: Path
    messages: int
    written: bool


@dataclass
class ExtractResult:
    templates: list[TemplateResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def describe_tags(text: str, shells: dict | None = None) -> str:
    """``<a1> is a link, <em> is emphasis`` for the tags of a message.

    A self-closing placeholder stands for content kept as it is in the source
    (code, a title cited as published); the comment shows that content so the
    translator knows what the reader will see there.
    """
    if "<" not in text:
        return ""  # most messages: no tag to describe
    names: list[tuple[str, bool]] = []
    for match in TOKEN.finditer(text):
        closing, name, self_closing = match.groups()
        if not closing and (name, bool(self_closing)) not in names:
            names.append((name, bool(self_closing)))
    parts = []
    for name, self_closing in names:
        base = name.rstrip("0123456789")
        meaning = TAG_MEANINGS.get(base, f"a <{base}> element")
        shown = f"<{name}/>" if self_closing else f"<{name}>"
        kept = shells.get(name) if shells and self_closing else None
        content = normalize_space(kept.text_content()) if kept is not None else ""
        if content:
            parts.append(f"{shown} stands for “{content[:80]}”, kept as it is")
        else:
            parts.append(f"{shown} is {meaning}")
    return ", ".join(parts)


def _comment(kind: str, text: str, shells: dict | None = None) -> str:
    tags = describe_tags(text, shells)
    return f"{kind}; {tags}" if tags else kind


def source_date(project: Project, slug: str, doc: document_format.Document) -> datetime.datetime:
    """The template's creation date: the article's own dates, never the clock.

    The fetch time in the provenance is the last resort, so it is read only
    when the document carries neither date.
    """
    for value in (doc.modified, doc.published):
        parsed = _parse_date(value or "")
        if parsed is not None:
            return parsed
    fetched = _parse_date(fetched_at(read_provenance_if_readable(project.article_dir(slug))))
    return FALLBACK_DATE if fetched is None else fetched


def _parse_date(value: str) -> datetime.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc).replace(second=0, microsecond=0)


def _header_comment(description: str) -> str:
    """A template's header comment, naming ``description``."""
    return (
        f"# Messages of {description}.\n"
        "# Made by `pipeline extract`: edit the source, not this file.\n"
        "#"
    )


@dataclass
class ArticleMessages:
    """An article's template as plain data: what its catalog would hold, without Babel's objects."""

    domain: str
    created: datetime.datetime
    reference: str
    #: msgid -> its extracted comments (a dict as an ordered set), in document order. A text met
    #: again is one message with the comments of each place, as Babel's catalog merges them.
    comments: dict[str, dict[str, None]] = field(default_factory=dict)

    def add(self, text: str, comment: str) -> None:
        self.comments.setdefault(text, {})[comment] = None

    @property
    def header_comment(self) -> str:
        return _header_comment(f"the article {self.domain}")


def article_messages(project: Project, slug: str) -> ArticleMessages:
    """The messages of one article, from its clean document."""
    path = project.clean_document_path(slug)
    try:
        doc = document_format.read(path)
    except FileNotFoundError:
        raise PipelineError(
            f"no clean document {path}: run 'pipeline clean {slug}' first"
        ) from None
    from pipeline.sanitize import sanitize_document

    sanitize_document(doc)  # build's gate, so the template holds the messages build looks up (build warns)
    found = ArticleMessages(slug, source_date(project, slug, doc), f"{slug}/article.html")
    for text, kind in ((doc.title, "page title"), (doc.description, "page description")):
        text = normalize_space(text)
        if is_translatable_text(text):
            found.add(text, kind)
    for block in iter_blocks(doc.body, project.settings.skip_classes):
        found.add(block.message.text, _comment(block.message.kind, block.message.text, block.message.shells))
    return found


def article_template(project: Project, slug: str) -> Catalog:
    """The template of one article, from its clean document, as a Babel catalog."""
    from babel.messages.catalog import Message  # extract itself writes the plain data, without Babel

    from pipeline.catalogs.model import new_template

    found = article_messages(project, slug)
    catalog = new_template(found.domain, found.created, found.header_comment)
    for text, comments in found.comments.items():
        for comment in comments:
            message = Message(text, "", locations=[(found.reference, None)], auto_comments=[comment])
            message.flags = set()  # article text is not a format string ("50% of" is not "% o")
            catalog[text] = message
    return catalog


def _format_article(found: ArticleMessages) -> bytes:
    """The bytes of :func:`article_template`'s catalog, written from the plain data."""
    return format_template(
        found.header_comment,
        template_header_fields(found.domain, found.created),
        found.comments.items(),
        (found.reference,),
    )


def site_template_files(project: Project) -> list[tuple[Path, str]]:
    """The page templates in effect and their references.

    A file in the project's own ``templates/`` replaces the packaged one of the
    same name, so only the strings a build will show are extracted.
    """
    files: dict[str, tuple[Path, str]] = {}
    for folder, prefix in ((PACKAGE_TEMPLATES, "pipeline/templates"), (project.templates_dir, "templates")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.html")):
            relative = path.relative_to(folder).as_posix()
            files[relative] = (path, f"{prefix}/{relative}")
    return [files[name] for name in sorted(files)]


MessageId = Union[str, tuple[Union[str, None], ...]]


@dataclass
class SiteMessage:
    """A message of the site template, with the attributes the writer reads of a Babel message."""

    id: MessageId
    context: str | None
    flags: set[str]
    auto_comments: list[str]
    locations: list[tuple[str, int | None]]
    string: str | tuple[str, str] = ""
    user_comments: tuple[str, ...] = ()
    previous_id: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str | None, str | None]:
        """What tells messages apart: the (singular) msgid and the context."""
        return (self.id[0] if isinstance(self.id, tuple) else self.id, self.context)


def _add_site_message(messages: dict[tuple[str | None, str | None], SiteMessage], message: SiteMessage) -> None:
    """Add ``message``, merged into the one of its key as Babel's ``Catalog.__setitem__`` merges:
    that one stays in place, takes the plural msgid, the new places, comments and flags."""
    current = messages.get(message.key)
    if current is None:
        messages[message.key] = message
        return
    if isinstance(message.id, tuple) and not isinstance(current.id, tuple):
        current.id, current.string = message.id, message.string
    current.locations = list(dict.fromkeys([*current.locations, *message.locations]))
    current.auto_comments = list(dict.fromkeys([*current.auto_comments, *message.auto_comments]))
    current.flags |= message.flags


def site_template(project: Project, files: list[tuple[Path, str]] | None = None) -> list[SiteMessage]:
    """The messages of the page templates' strings, extracted with Babel's Jinja2 extractor, in order.

    The packaged templates' strings are kept from one run to the next
    (:mod:`pipeline.templatestrings`); a project's own are extracted each time.
    """
    files = site_template_files(project) if files is None else files
    packaged = [path for path, _reference in files if path.is_relative_to(PACKAGE_TEMPLATES)]
    kept = packaged_messages(packaged, _template_messages, {"options": JINJA_OPTIONS, "comment_tags": COMMENT_TAGS})
    messages: dict[tuple[str | None, str | None], SiteMessage] = {}
    for path, reference in files:
        found = kept[path] if path in kept else _template_messages(path)
        for msgid, comments, context, flags in found:
            string = ("", "") if isinstance(msgid, tuple) else ""
            _add_site_message(messages, SiteMessage(msgid, context, set(flags), list(comments), [(reference, None)], string))
    site_name = project.settings.site_name
    if site_name and (site_name, None) not in messages:
        # The site's name is a setting, shown in every page's header and title; no format flag: it is no format string.
        _add_site_message(messages, SiteMessage(site_name, None, set(), ["the site's name (site_name in setup.cfg)"],
                                                [("setup.cfg", None)]))
    return list(messages.values())


def format_site_template(messages: list[SiteMessage]) -> bytes:
    """The bytes of ``locales/site.pot`` holding ``messages``."""
    fields = template_header_fields(SITE_DOMAIN, FALLBACK_DATE)
    return format_messages(_header_comment("the page templates"), True, fields, messages)


def _template_messages(path: Path, data: bytes | None = None) -> list[Found]:
    """The messages of one page template (``data`` read from ``path``, or read now), as Babel's extractor
    finds them, each with the comments and flags a Babel message of it holds."""
    from babel.messages.catalog import Message
    from babel.messages.extract import extract as extract_messages
    # The function itself rather than its entry-point name: looking the name up
    # scans every installed package's metadata on every run.
    from jinja2.ext import babel_extract

    try:
        source = io.BytesIO(path.read_bytes() if data is None else data)
        found = list(extract_messages(babel_extract, source, comment_tags=COMMENT_TAGS, options=JINJA_OPTIONS))
    except Exception as exc:  # the template's own syntax error: name it, no traceback
        raise CatalogError(f"{path}: cannot extract messages: {exc}") from None
    messages = []
    for _lineno, msgid, comments, context in found:
        # Babel's message finds the format flags (python-format, ...) and folds repeated comments.
        message = Message(msgid, ("", "") if isinstance(msgid, tuple) else "", auto_comments=comments, context=context)
        messages.append((msgid, message.auto_comments, context, sorted(message.flags)))
    return messages


def extract(project: Project, slugs: list[str], site: bool = True) -> ExtractResult:
    """Write the templates of ``slugs`` (and the site template); unchanged files are left alone."""
    result = ExtractResult()
    for slug in slugs:
        found = article_messages(project, slug)
        result.templates.append(_write(project, slug, _format_article(found), len(found.comments)))
        if not found.comments:
            result.warnings.append(f"{slug}: the clean document has nothing to translate")
    if site:
        files = site_template_files(project)
        messages = site_template(project, files)
        result.templates.append(_write(project, SITE_DOMAIN, format_site_template(messages), len(messages)))
        if not files:
            result.warnings.append("no page templates found: locales/site.pot is empty")
    return result


def _write(project: Project, domain: str, data: bytes, messages: int) -> TemplateResult:
    path = project.template_path(domain)
    # Not durable (no fsync): a template is made again from the source by the
    # next extract, and an fsync per template was a large share of a site's extract.
    written = write_if_changed(path, data, durable=False)
    return TemplateResult(domain, path, messages, written)
