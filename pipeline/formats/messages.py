"""Blocks of a clean document as gettext messages (:mod:`pipeline.formats.rebuild` puts
their translations back).

One message per block (heading, paragraph, list item, ...). Inline markup stays
inside the message as short tags without attributes::

    <p>Read the <a href="/r.pdf">report</a> and <em>this</em>.</p>
    ->  "Read the <a>report</a> and <em>this</em>."

A tag name that occurs more than once in a block with different attributes is
numbered (``<a1>``, ``<a2>``) so each can be told apart and put back with its own
attributes. Inline elements whose content must not be translated (``code``,
``translate="no"``, the skip classes) become self-closing placeholders
(``<code/>``) that the build restores whole. Void elements (``br``, ``img``) are
self-closing too. Text is literal, except that ``<`` is written ``&lt;`` and an
``&`` that would read as one of the two escapes is written ``&amp;``.

Attributes are never in a message: they stay in the source document and are put
back at build, so a changed URL does not invalidate a translation and a
translation cannot add attributes or elements the source did not have.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import Iterable, Iterator

from lxml import etree

#: Elements whose own inline content is one message, with what they are for
#: the translator (the extracted comment).
BLOCK_KINDS: dict[str, str] = {
    "h1": "page heading",
    "h2": "heading",
    "h3": "subheading",
    "h4": "subheading",
    "h5": "subheading",
    "h6": "subheading",
    "p": "paragraph",
    "li": "list item",
    "dt": "term",
    "dd": "definition",
    "td": "table cell",
    "th": "table header cell",
    "caption": "table caption",
    "figcaption": "figure caption",
    "blockquote": "quotation",
    "summary": "summary",
    "div": "text block",
    "section": "text block",
    "article": "text block",
    "aside": "text block",
    "figure": "text block",
}
#: Elements that never become part of an inline message.
BLOCK_LEVEL = frozenset(BLOCK_KINDS) | frozenset(
    "ul ol dl table thead tbody tfoot tr hr pre details header footer nav main form fieldset".split()
)
#: Elements never extracted by default, at any level.
NEVER_TRANSLATED = frozenset({"code", "pre", "script", "style", "kbd", "samp", "var", "template"})
VOID_ELEMENTS = frozenset("br img wbr hr input area embed source track col".split())
#: Attributes whose values are messages of their own.
TRANSLATABLE_ATTRIBUTES: dict[str, str] = {
    "alt": "image description",
    "title": "tooltip",
    "aria-label": "accessible label",
}

TOKEN = re.compile(r"<(/?)([a-z][a-z]*[0-9]*)(/?)>")
_MEANINGFUL = re.compile(r"[^\W\d_]", re.UNICODE)
_URL_ONLY = re.compile(r"^\s*(?:https?://|www\.|mailto:)\S*\s*$")


class MarkupMismatch(ValueError):
    """A translation's tags do not match its message's tags."""


@dataclass(slots=True)
class Message:
    """One extracted message and what is needed to rebuild its block."""

    text: str
    kind: str
    #: The inline elements of the block, by tag name as used in ``text``.
    #: Normal tags keep a shell (tag and attributes, no content); placeholders
    #: keep the whole element.
    shells: dict[str, etree._Element] = field(default_factory=dict)
    placeholders: frozenset[str] = frozenset()


@dataclass(slots=True)
class Run:
    """A contiguous run of inline content inside a block element.

    ``starts_with_text``: the run begins with the element's own text, else with
    the tail of ``anchor``; ``children`` are the inline children in it.
    """

    owner: etree._Element
    starts_with_text: bool
    anchor: etree._Element | None  # the block child whose tail starts the run, if any
    children: list[etree._Element]


_ESCAPE_LOOKALIKE = re.compile(r"&(?=(?:lt|amp);)")
_SPACES = re.compile(r"[ \t\r\n\f]+")


def escape_text(text: str) -> str:
    """Literal text as it stands in a message."""
    if "&" in text:
        text = _ESCAPE_LOOKALIKE.sub("&amp;", text)
    return text.replace("<", "&lt;")


def unescape_text(text: str) -> str:
    if "&" not in text:
        return text  # most texts: no escape to undo, one scan rather than the two replacements' two
    return text.replace("&lt;", "<").replace("&amp;", "&")


def is_translatable_text(text: str) -> bool:
    """False for text with nothing to translate: whitespace, numbers, URLs alone."""
    stripped = (TOKEN.sub(" ", text) if "<" in text else text).strip()
    if not stripped:
        return False
    if stripped[0].isalpha() and stripped[0] not in "hmw":
        return True  # most texts: a letter first (meaningful), which no URL pattern starts with
    if _URL_ONLY.match(stripped):
        return False
    return bool(_MEANINGFUL.search(stripped))


def _is_element(node: object) -> bool:
    return isinstance(getattr(node, "tag", None), str)


def skipped(element: etree._Element, skip_classes: tuple[str, ...]) -> bool:
    """Whether an element is marked as not to be translated."""
    if element.tag in NEVER_TRANSLATED:
        return True
    translate = element.get("translate")
    if translate is not None and translate.strip().lower() == "no":
        return True
    classes = element.get("class")
    if not classes:
        return False  # most elements: no class to look through
    names = classes.split()
    return any(name in names for name in skip_classes)


def _is_inline(node: etree._Element) -> bool:
    return _is_element(node) and node.tag not in BLOCK_LEVEL


def iter_runs(element: etree._Element) -> Iterator[Run]:
    """The runs of inline content of ``element``, split by its block children."""
    current: list[etree._Element] = []
    starts_with_text = True
    anchor: etree._Element | None = None
    for child in element[:]:  # a slice is made in C: much quicker than a filtered iterator
        tag = child.tag
        if not isinstance(tag, str):
            continue  # elements only: no comment or instruction
        if tag not in BLOCK_LEVEL:
            current.append(child)
            continue
        yield Run(element, starts_with_text, anchor, current)
        current, starts_with_text, anchor = [], False, child
    yield Run(element, starts_with_text, anchor, current)


def _run_text(run: Run) -> str:
    if run.starts_with_text:
        return run.owner.text or ""
    return run.anchor.tail or "" if run.anchor is not None else ""


def _shell(element: etree._Element) -> etree._Element:
    """The element's tag and attributes, without content."""
    try:
        # Made in the element's own document (of its parser's classes): a new
        # document for each shell was most of the time spent making a message.
        return element.makeelement(element.tag, element.attrib)
    except ValueError:
        # lxml's HTML parser accepts tag and attribute names that lxml will not
        # create (``<a<``, ``<p a"b=1>``); a copy keeps them as parsed.
        shell = copy.copy(element)
        for child in list(shell):
            shell.remove(child)
        shell.text = shell.tail = None
        return shell


def _signature(element: etree._Element, placeholder: bool) -> object:
    """What must be equal for two elements to share a name: a placeholder's whole
    markup, a normal tag's name and attributes in order (what its shell holds)."""
    if placeholder:
        return etree.tostring(element, with_tail=False)
    return (element.tag, tuple(element.items()))


@functools.lru_cache(maxsize=1024)
def _base_name(tag: str) -> str:
    """A tag's name in messages: its letters (digits would read as the numbering)."""
    return re.sub(r"[^a-z]", "", tag.lower()) or "x"


def _assign_names(found: list[tuple[etree._Element, bool]], bases: list[str]) -> list[str]:
    """The name in the message of each element of ``found``, in the same order, given
    each one's :func:`_base_name`: ``bases`` itself when no name is numbered."""
    # Grouped by the name's letters, not by tag: <h2> and <h3> both become "h"
    # and must be numbered apart, or the build would turn one into the other.
    if len(bases) == 1 or len(set(bases)) == len(bases):
        return bases  # most runs: each name once, none numbered
    by_base: dict[str, list[int]] = {}
    for index, base in enumerate(bases):
        by_base.setdefault(base, []).append(index)
    names = [""] * len(found)
    for base, indexes in by_base.items():
        numbered = len(indexes) > 1 and len({_signature(*found[index]) for index in indexes}) > 1
        for number, index in enumerate(indexes, start=1):
            names[index] = f"{base}{number}" if numbered else base
    return names


@dataclass(slots=True)
class _MessageParts:
    """A run's message as it is made in one walk of its elements.

    The text's parts are in ``text``; where an element's tag stands, the tag
    of its base name is written, and its place is kept in ``slots`` (with which
    end of which element it is) to write the tag again if the name is numbered,
    which is known once every element is found.
    """

    skip_classes: tuple[str, ...]
    text: list[str]
    #: each element, in document order, with whether it is a placeholder (kept whole, not walked)
    found: list[tuple[etree._Element, bool]] = field(default_factory=list)
    #: the base name of each element of ``found``
    bases: list[str] = field(default_factory=list)
    #: (position in ``text``, index in ``found``, closing or not) of each tag to write
    slots: list[tuple[int, int, bool]] = field(default_factory=list)
    #: the elements not skipped that carry a translatable attribute, in document order;
    #: None once a placeholder not skipped (a void element) holds elements, not walked
    #: here, or a block kind is found (its own runs may hold blocks of their own)
    attributed: list[etree._Element] | None = field(default_factory=list)

    def add(self, nodes: Iterable[etree._Element]) -> None:
        """Write ``nodes`` (and what is inside them) into the message."""
        text, found, bases, slots = self.text, self.found, self.bases, self.slots
        for node in nodes:
            tag = node.tag  # (each read of an element's tag, text or tail makes a new string: read once)
            if not isinstance(tag, str):
                continue  # elements only: a comment or an instruction is no part of a message
            index = len(found)
            is_skipped = skipped(node, self.skip_classes)
            placeholder = is_skipped or tag in VOID_ELEMENTS
            if not is_skipped and self.attributed is not None:
                if (placeholder and len(node)) or tag in BLOCK_KINDS:
                    self.attributed = None
                elif not _ATTRIBUTE_NAMES.isdisjoint(node.keys()):
                    self.attributed.append(node)
            base = _base_name(tag)
            found.append((node, placeholder))
            bases.append(base)
            slots.append((len(text), index, False))
            text.append(f"<{base}/>" if placeholder else f"<{base}>")
            if not placeholder:
                inner = node.text
                if inner:
                    text.append(escape_text(inner))
                if len(node):
                    self.add(node[:])
                slots.append((len(text), index, True))
                text.append(f"</{base}>")
            tail = node.tail
            if tail:
                text.append(escape_text(tail))

    def message(self, kind: str) -> Message:
        """The message, its tags named, with each element's shell under its name."""
        found, text = self.found, self.text
        names = _assign_names(found, self.bases)
        shells: dict[str, etree._Element] = {}
        placeholders: set[str] = set()
        for (node, placeholder), name in zip(found, names):
            # a name shared by equal elements: the last one's shell, where the name first stood
            if placeholder:
                shells[name] = shell = node.__copy__()  # lxml copies an element whole, as deepcopy does
                shell.tail = None
                placeholders.add(name)
            else:
                shells[name] = _shell(node)
        if names is not self.bases:  # some names numbered: their tags written again
            for position, index, closing in self.slots:
                name = names[index]
                text[position] = f"</{name}>" if closing else f"<{name}/>" if found[index][1] else f"<{name}>"
        return Message(normalize_space("".join(text)), kind, shells, frozenset(placeholders))


def normalize_space(text: str) -> str:
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()  # (without a run of spaces nor another space character, the sub changes nothing)


def run_message(run: Run, kind: str, skip_classes: tuple[str, ...]) -> Message:
    """The message of one inline run (text not yet checked for translatability)."""
    return _run_message(run, _run_text(run), kind, skip_classes)[0]


def _run_message(
    run: Run, run_text: str, kind: str, skip_classes: tuple[str, ...]
) -> tuple[Message, list[etree._Element] | None]:
    """:func:`run_message` given the run's first text (``_run_text(run)``), read once by the
    caller, and the run's elements with translatable attributes (``_MessageParts.attributed``;
    None for a run of text alone)."""
    if not run.children:  # most runs: text alone, with no element to name or keep
        return Message(normalize_space(escape_text(run_text)), kind), None
    parts = _MessageParts(skip_classes, [escape_text(run_text)])
    parts.add(run.children)
    return parts.message(kind), parts.attributed


@dataclass(slots=True)
class Block:
    """A translatable place in a document: an inline run or an attribute value."""

    message: Message
    run: Run | None = None
    element: etree._Element | None = None  # for attribute blocks
    attribute: str | None = None


def iter_blocks(root: etree._Element, skip_classes: tuple[str, ...] = ("notranslate",)) -> list[Block]:
    """Every translatable block under ``root`` in document order.

    Element runs come before the attributes of the elements inside them, so the
    order of messages follows the reading order.
    """
    if any(skipped(a, skip_classes) for a in root.iterancestors()):
        return []
    blocks: list[Block] = []
    # One walk that carries down what each element needs from its ancestors
    # (skipped or not, inside an inline run or not), rather than looking up
    # every element's ancestors again: that was most of an extract's time.
    # A stack, not recursion: documents may nest deeper than Python recurses.
    stack: list[tuple[etree._Element, bool]] = [(root, _inside_inline(root))]
    while stack:
        element, inside_inline = stack.pop()
        tag = element.tag
        if not isinstance(tag, str):
            continue  # elements only: no comment or instruction
        names = element.keys()
        # without attributes only the tag can mark an element as skipped
        if tag in NEVER_TRANSLATED or (names and skipped(element, skip_classes)):
            continue  # and so is everything inside it
        # What _inside_inline would find for a child: its nearest ancestor that
        # is a block kind (not inside) or an inline element (inside); other
        # block-level containers (ul, table...) pass their own state on.
        kind = BLOCK_KINDS.get(tag)
        if kind is None:
            children_inside = inside_inline or tag not in BLOCK_LEVEL
        else:
            attributed = _add_run_blocks(element, kind, skip_classes, blocks) if not inside_inline else None
            children_inside = False
        if names and not _ATTRIBUTE_NAMES.isdisjoint(names):
            _add_attribute_blocks(element, blocks)
        if kind is not None and attributed is not None:
            # Its one run's message walked every element inside that the walk would
            # look at: what they add is their attributes' blocks, in document order.
            for node in attributed:
                _add_attribute_blocks(node, blocks)
        elif len(element):
            stack.extend(zip(element[::-1], repeat(children_inside)))  # a slice is made in C
    return blocks


_ATTRIBUTE_NAMES = TRANSLATABLE_ATTRIBUTES.keys()


def _add_run_blocks(
    element: etree._Element, kind: str, skip_classes: tuple[str, ...], blocks: list[Block]
) -> list[etree._Element] | None:
    """The blocks of a block kind's inline runs.

    When the element is one run whose message looked at every element inside it (no
    block child), returns those with translatable attributes; else None.
    """
    if not len(element):  # most blocks: their text alone, one run
        text = normalize_space(escape_text(element.text or ""))
        if is_translatable_text(text):
            blocks.append(Block(Message(text, kind), Run(element, True, None, [])))
        return []
    attributed: list[etree._Element] | None = None
    runs = 0
    for run in iter_runs(element):
        runs += 1
        text = _run_text(run)
        if run.children:
            if _only_tags(run, text):
                continue
        elif not text or text.isspace():
            continue  # most runs between block children: spaces alone, stripped to nothing
        message, attributed = _run_message(run, text, kind, skip_classes)
        if is_translatable_text(message.text):
            blocks.append(Block(message, run))
    return attributed if runs == 1 else None


def _only_tags(run: Run, text: str) -> bool:
    """Whether the run's message would be its tags alone, among spaces (never translatable).

    ``text`` is the run's first text. Looks at runs of empty elements only (an
    image in a figure, line breaks), whose message has no text but their tails:
    :func:`is_translatable_text` finds nothing once the tags are taken out of it.
    """
    if text and not text.isspace():
        return False
    for child in run.children:
        if child.text or len(child) or (child.tail and not child.tail.isspace()):
            return False
    return True


def _add_attribute_blocks(element: etree._Element, blocks: list[Block]) -> None:
    """The blocks of an element's translatable attributes."""
    for attribute, kind in TRANSLATABLE_ATTRIBUTES.items():
        value = element.get(attribute)
        if value is not None and is_translatable_text(value):
            blocks.append(Block(message=Message(normalize_space(value), kind), element=element, attribute=attribute))


def _inside_inline(element: etree._Element) -> bool:
    """A block-kind tag used inside an inline run belongs to that run's message."""
    parent = element.getparent()
    while parent is not None:
        if parent.tag in BLOCK_KINDS:
            return False
        if _is_inline(parent):
            return True
        parent = parent.getparent()
    return False
