"""The clean source document: ``source/<slug>/article.html``.

A small, semantic HTML5 file that a person can read and review in a diff::

    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>Title</title>
    <meta name="description" content="Summary sentence">
    <meta name="author" content="Jane Doe">
    <meta name="dcterms.language" content="en">
    <meta name="dcterms.source" content="https://example.org/a">   (when known)
    <meta name="dcterms.modified" content="2025-09-24">           (when known)
    <meta name="pipeline.content-hash" content="sha256:...">
    </head>
    <body>
    <article>
      <h1>Title</h1>
      <p>Paragraph with a citation <a href="#ref-1">[1]</a>.</p>
      <h2>Heading</h2>
      <ul>
        <li>Item</li>
      </ul>
      <section id="references" class="references">
        <ol>
          <li id="ref-1">Reference text with a <a href="https://...">link</a>.</li>
        </ol>
      </section>
    </article>
    </body>
    </html>

Block elements stand on their own lines and containers are indented, so a
change to one paragraph is a one-line diff. The content hash covers everything
but itself, which lets later stages tell whether the content changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html

from pipeline.errors import DocumentError, file_problem
from pipeline.fsutil import read_file

#: Elements written as indented containers, one child per line.
CONTAINER_TAGS = frozenset(
    "article section ul ol dl table thead tbody tfoot tr figure blockquote div aside details".split()
)
#: Elements that hold only inline content and are written on one line.
BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li dt dd td th figcaption caption pre summary hr img".split()
)

META_FIELDS = (
    ("description", "description"),
    ("author", "author"),
    ("language", "dcterms.language"),
    ("source_url", "dcterms.source"),
    ("published", "dcterms.issued"),
    ("modified", "dcterms.modified"),
)
HASH_META = "pipeline.content-hash"
#: The metadata names a document has fields for; others go to its ``extra_meta``.
_KNOWN_META = frozenset(name for _, name in META_FIELDS) | {HASH_META}


@dataclass
class Document:
    """A clean article: its metadata and its ``<article>`` element."""

    title: str
    language: str
    body: etree._Element
    description: str = ""
    author: str = ""
    source_url: str = ""
    published: str = ""
    modified: str = ""
    extra_meta: dict[str, str] = field(default_factory=dict)

    def content_hash(self) -> str:
        """sha256 over the serialized document without its hash line."""
        import hashlib  # only clean hashes a document: reading one (extract, build) needs no OpenSSL

        text = serialize(self, include_hash=False)
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Characters no HTML or XML document may hold (C0 controls but tab and line
#: breaks, the noncharacters U+FFFE/U+FFFF, lone surrogates); scraped pages sometimes do.
_FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: A numeric character reference as the HTML tokenizer reads one (the ';' is optional).
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")


#: The forbidden characters' UTF-8 bytes: the C0 controls stand for themselves, and
#: U+FFFE/U+FFFF are the only characters encoded as these three bytes.
_FORBIDDEN_CONTROL_BYTES = bytes(code for code in range(0x20) if code not in (0x09, 0x0A, 0x0D))
_NONCHARACTER_BYTES = ("\ufffe".encode(), "\uffff".encode())
#: What both begin with (and only the few characters from U+FFC0 on): one search where most texts have none.
_NONCHARACTER_START = "\ufffe".encode()[:2]


def remove_forbidden_characters(text: str) -> str:
    """``text`` without the characters a document cannot hold."""
    # Most texts hold none: telling so from their UTF-8 bytes is much faster
    # than the pattern's scan. Only a lone surrogate cannot be encoded.
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return _FORBIDDEN_CHARACTERS.sub("", text)
    if len(data.translate(None, _FORBIDDEN_CONTROL_BYTES)) == len(data) and (
        _NONCHARACTER_START not in data or not any(noncharacter in data for noncharacter in _NONCHARACTER_BYTES)
    ):
        return text
    return _FORBIDDEN_CHARACTERS.sub("", text)


def remove_forbidden_references(markup: str) -> str:
    """HTML ``markup`` without the forbidden characters, whether written or character references.

    The parser would turn ``&#x01;`` into a character lxml then refuses to put
    in an element ("All strings must be XML compatible"), so such references
    go before the markup is parsed.
    """
    return _NUMERIC_REFERENCE.sub(_keep_allowed_reference, remove_forbidden_characters(markup))


def _keep_allowed_reference(match: re.Match[str]) -> str:
    hex_digits, decimal_digits = match.groups()
    digits = (hex_digits or decimal_digits).lstrip("0") or "0"
    code = int(digits, 16 if hex_digits else 10) if len(digits) <= 8 else 0x110000
    if code > 0x10FFFF or not _FORBIDDEN_CHARACTERS.match(chr(code)):
        return match.group(0)  # the parser turns a code past Unicode into U+FFFD itself
    return ""


def new_article() -> etree._Element:
    """An empty ``<article>`` element to fill with blocks."""
    return html.Element("article")


def _escape_attr(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _open_tag(element: etree._Element) -> str:
    attrs = "".join(f' {k}="{_escape_attr(v)}"' for k, v in element.attrib.items())
    return f"<{element.tag}{attrs}>"


def _inline_html(element: etree._Element) -> str:
    """An element and its content as one line of HTML, without its tail."""
    return html.tostring(element, encoding="unicode", with_tail=False, method="html")


def _has_block_child(element: etree._Element) -> bool:
    return any(
        isinstance(child.tag, str) and (child.tag in CONTAINER_TAGS or child.tag in BLOCK_TAGS)
        for child in element
    )


def _serialize_element(element: etree._Element, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    if element.tag in CONTAINER_TAGS and _has_block_child(element) and not (element.text or "").strip():
        lines.append(indent + _open_tag(element))
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions are not content
            _serialize_element(child, depth + 1, lines)
        lines.append(f"{indent}</{element.tag}>")
    else:
        lines.append(indent + _inline_html(element))


def serialize(document: Document, include_hash: bool = True) -> str:
    """The document as the text of ``article.html``."""
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{_escape_attr(document.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_escape_text(document.title)}</title>",
    ]
    for attribute, name in META_FIELDS:
        value = getattr(document, attribute)
        if value:
            lines.append(f'<meta name="{name}" content="{_escape_attr(value)}">')
    for name, value in sorted(document.extra_meta.items()):
        lines.append(f'<meta name="{_escape_attr(name)}" content="{_escape_attr(value)}">')
    if include_hash:
        lines.append(f'<meta name="{HASH_META}" content="{document.content_hash()}">')
    lines += ["</head>", "<body>"]
    _serialize_element(document.body, 0, lines)
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines)


def _document_parser() -> html.HTMLParser:
    """lxml's HTML parser, making lxml.html's element classes with a lookup done in C.

    lxml.html's own lookup is a Python method called for every element an
    iteration or a search hands out, a large share of the time spent walking
    a document. The element classes are the same (:class:`lxml.html.HtmlElement`
    and its comment, instruction and entity kin) but for the form controls
    (``form``, ``input``, ``label``, ``select``, ``textarea``), whose own
    classes only add form-filling helpers, and which no clean document holds
    (:mod:`pipeline.sanitize` removes them).
    """
    parser = html.HTMLParser()
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction,
            entity=html.HtmlEntity,
        )
    )
    return parser


_PARSER = _document_parser()


def parse(text: str, source: str = "article.html") -> Document:
    """Read the text of an ``article.html`` (``source`` names it in messages).

    :class:`DocumentError` when it is empty or has no ``<article>``: building
    a page from a plain-text file would publish an empty page, and templates
    extracted from it would make ``update`` mark every translation obsolete.
    """
    markup = remove_forbidden_references(text)
    if not markup.strip():
        raise DocumentError(f"{source} is empty: make the clean document again with `pipeline clean`")
    try:
        root = html.document_fromstring(markup, parser=_PARSER)
    except etree.ParserError as exc:
        raise DocumentError(f"{source}: not an HTML document ({exc})") from None
    # each the first in document order, as find("head"), find(".//title") and find(".//article")
    # find them, without the path expression's machinery
    head = next(root.iterchildren("head"), None)
    meta: dict[str, str] = {}
    if head is not None:
        for element in head.iter("meta"):
            name = element.get("name")
            if name:
                meta[name] = element.get("content", "")
    title_element = next(root.iterdescendants("title"), None)
    body = next(root.iterdescendants("article"), None)
    if body is None:
        raise DocumentError(
            f"{source}: no <article> element; a clean document holds its text in <article>...</article> "
            "(make it again with `pipeline clean`)"
        )
    return Document(
        title=_text_content(title_element).strip(),
        language=root.get("lang", ""),
        body=body,
        description=meta.get("description", ""),
        author=meta.get("author", ""),
        source_url=meta.get("dcterms.source", ""),
        published=meta.get("dcterms.issued", ""),
        modified=meta.get("dcterms.modified", ""),
        extra_meta={k: v for k, v in meta.items() if k not in _KNOWN_META},
    )


def _text_content(element: etree._Element | None) -> str:
    """The element's text_content() ("" for None): its own text when it has no child node (most titles)."""
    if element is None:
        return ""
    if not len(element):  # no element, comment, instruction nor entity inside: its text is all of it
        return element.text or ""
    return element.text_content()


def read(path: Path) -> Document:
    """Read an ``article.html``; :class:`DocumentError` naming it when it is not a clean document.

    A missing file raises ``FileNotFoundError``: the caller knows which command makes it.
    """
    return parse(read_text(path), str(path))


def read_text(path: Path) -> str:
    """The text of a clean document: UTF-8, as ``clean`` writes it."""
    try:
        data = read_file(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise DocumentError(f"cannot read the clean document: {file_problem(path, exc)}") from None
    return decode_text(data, path)


def decode_text(data: bytes, path: Path) -> str:
    """The text of a clean document's bytes, read from ``path``: UTF-8, as ``clean`` writes it."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DocumentError(
            f"{path}:{line}: not UTF-8 text (byte {exc.start}); a clean document is UTF-8 HTML, as `pipeline clean` writes it"
        ) from None
