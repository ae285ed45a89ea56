"""A translation put back into its block: the message's tags in it made elements again.

The translation is parsed with the message's own tags as its only markup
(:func:`parse_translation`, which says what is wrong in words a translator
understands), and the run's source elements are rebuilt from it: each tag
takes the attributes of the source element it stands for, each placeholder
is the source element copied whole (:func:`apply_to_run`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

from pipeline.formats.messages import TOKEN, MarkupMismatch, Message, Run, unescape_text

def parse_translation(text: str, message: Message) -> list[object]:
    """Parse a translation into a tree of (name, children) and strings.

    Only the tags of the message are markup; the translation must use each of
    them exactly as often as the message does, properly nested. Anything else
    raises :class:`MarkupMismatch` with a reason a translator understands.
    """
    expected = tag_counts(message.text)
    found: dict[str, int] = {}
    root: list[object] = []
    stack: list[tuple[str, list[object]]] = []
    current = root
    position = 0
    for match in TOKEN.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2), match.group(3)
        if name not in message.shells:
            continue  # not one of the message's tags: literal text (reported by checks)
        if text[match.start() : match.end()] and position < match.start():
            current.append(unescape_text(text[position : match.start()]))
        position = match.end()
        placeholder = name in message.placeholders
        if placeholder:
            if closing or not self_closing:
                raise MarkupMismatch(f"<{name}/> must stay a self-closing placeholder")
            current.append((name, []))
            found[name] = found.get(name, 0) + 1
        elif self_closing:
            raise MarkupMismatch(f"<{name}/> should be a pair <{name}>…</{name}>")
        elif not closing:
            children: list[object] = []
            current.append((name, children))
            stack.append((name, current))
            current = children
            found[name] = found.get(name, 0) + 1
        else:
            if not stack or stack[-1][0] != name:
                raise MarkupMismatch(f"</{name}> closes a tag that is not open")
            _, current = stack.pop()
    if stack:
        raise MarkupMismatch(f"<{stack[-1][0]}> is not closed")
    if position < len(text):
        current.append(unescape_text(text[position:]))
    if found != expected:
        missing = sorted(set(expected) - set(found))
        extra = sorted(n for n in found if found[n] != expected.get(n, 0) and n not in missing)
        detail = []
        if missing:
            detail.append("missing " + ", ".join(f"<{n}>" for n in missing))
        if extra:
            detail.append("wrong count of " + ", ".join(f"<{n}>" for n in extra))
        raise MarkupMismatch("tags differ from the source: " + "; ".join(detail))
    return root


def tag_counts(text: str) -> dict[str, int]:
    """How many times each tag opens (or each placeholder stands) in a message."""
    counts: dict[str, int] = {}
    for match in TOKEN.finditer(text):
        if not match.group(1):
            counts[match.group(2)] = counts.get(match.group(2), 0) + 1
    return counts


def _built(nodes: list[object], message: Message) -> tuple[str | None, list[etree._Element]]:
    """The text before the first element of parsed translation nodes, and their elements
    made from the message's shells (each with its content and its tail)."""
    text: str | None = None
    elements: list[etree._Element] = []
    for node in nodes:
        if isinstance(node, str):
            if elements:
                elements[-1].tail = (elements[-1].tail or "") + node
            else:
                text = (text or "") + node
            continue
        name, children = node  # type: ignore[misc]
        element = copy.copy(message.shells[name])  # lxml copies an element whole, as deepcopy does
        element.tail = None
        if name not in message.placeholders:
            element.text, inner = _built(children, message)
            element.extend(inner)
        elements.append(element)
    return text, elements


def apply_to_run(run: Run, translation: str, message: Message) -> RebuiltRun | None:
    """Replace the content of ``run`` with ``translation`` (already checked).

    The inline children of the run are removed and rebuilt from the message's
    shells: only the source's own elements and attributes come back, and all
    translated text is set as text, so it is escaped on output. Returns what
    finds the element built in place of one of the run's (None when the run had
    no element to replace).
    """
    if not message.shells and not run.children and "<" not in message.text:
        # Most runs: text alone. The message has no tag for the translation to
        # use, so parse_translation would return its text unescaped as one
        # string (none when empty) and nothing would be removed or inserted.
        _set_run_text(run, unescape_text(translation) or None)
        return None
    built = _built_in_source_order(translation, message)
    if built is None:
        built = _built(parse_translation(translation, message), message)
    _put_built(run, *built)
    return RebuiltRun(run.children, built[1], message, translation)


@dataclass(slots=True)
class RebuiltRun:
    """A run whose elements a translation replaced by elements made from its message's shells.

    The page shows the built elements, not the source's: what is set on an element of the
    source run afterwards (an attribute's translation) must be set on its counterpart.
    """

    source: list[etree._Element]  # the run's children in the source, detached from the page
    built: list[etree._Element]  # the run's children the translation's markup made
    message: Message
    translation: str

    def counterpart(self, element: etree._Element) -> etree._Element | None:
        """The built element in place of ``element`` (one of the source run's, at any depth), else None.

        An element stands in the message as its tag's name; the translation has each name as
        often as the message (parse_translation refuses any other), maybe in another order, so
        the n-th element of a name in the source is the n-th built one of that name. Inside a
        placeholder, copied whole from an equal element, it is the one at the same place.
        """
        shells = self.message.shells
        place: dict[etree._Element, tuple[str, int]] = {}
        seen: dict[str, int] = {}
        for node, name in _named_elements(self.source, _opening_names(self.message.text), self.message.placeholders):
            place[node] = (name, seen.get(name, 0))
            seen[name] = place[node][1] + 1
        holder = element  # the element itself, or the placeholder it is inside
        while holder is not None and holder not in place:
            holder = holder.getparent()
        if holder is None:
            return None
        names = (name for name in _opening_names(self.translation) if name in shells)
        wanted, count = place[holder], 0
        for node, name in _named_elements(self.built, names, self.message.placeholders):
            if name == wanted[0]:
                if count == wanted[1]:
                    if holder is element:
                        return node
                    return _same_place(holder, element, node)
                count += 1
        return None


def _opening_names(text: str) -> Iterator[str]:
    """The names of a message's or translation's tags in order, each once (where it opens or stands)."""
    return (match.group(2) for match in TOKEN.finditer(text) if not match.group(1))


def _named_elements(
    nodes: list[etree._Element], names: Iterator[str], placeholders: frozenset[str]
) -> Iterator[tuple[etree._Element, str]]:
    """The elements of a run's message in the order their tags stand in it (as :class:`_MessageParts`
    walks them: a placeholder's inside is not walked), each with its name, taken from ``names``."""
    stack = nodes[::-1]
    while stack:
        node = stack.pop()
        if not isinstance(node.tag, str):
            continue  # a comment or an instruction: no tag in the message
        name = next(names, None)
        if name is None:
            return
        yield node, name
        if name not in placeholders:
            stack.extend(node[::-1])


def _same_place(holder: etree._Element, element: etree._Element, copy_of_holder: etree._Element) -> etree._Element | None:
    """The node of ``copy_of_holder`` (an equal copy of ``holder``) at ``element``'s place in ``holder``."""
    for source_node, copied_node in zip(holder.iter(), copy_of_holder.iter()):
        if source_node is element:
            return copied_node
    return None


def _built_in_source_order(translation: str, message: Message) -> tuple[str | None, list[etree._Element]] | None:
    """What ``_built(parse_translation(translation, message), message)`` gives, made in one pass over the
    translation's tags, when it has the message's tags in the message's order (most translations); None otherwise.

    The message's own tags are well formed (each made from an element), so the same tags in the same
    order leave :func:`parse_translation` nothing to refuse, and its tree is their nesting with the text
    between them, unescaped. Anything unexpected on the way gives None: the general path decides.
    """
    if TOKEN.findall(translation) != TOKEN.findall(message.text):
        return None
    shells, placeholders = message.shells, message.placeholders
    parts = TOKEN.split(translation)  # text, then closing, name, self-closing and the text after, for each tag
    text: str | None = None
    top: list[etree._Element] = []  # the run's own elements
    parent: etree._Element | None = None  # the open element that takes what comes next (None: the run)
    last: etree._Element | None = None  # the last element in it, whose tail takes text
    opened: list[tuple[str, etree._Element, etree._Element | None]] = []  # name, element, its parent
    for index in range(0, len(parts), 4):
        chunk = parts[index]
        if chunk:  # never two texts in a row: each is set once, as _built would join it to nothing
            chunk = unescape_text(chunk)
            if last is not None:
                last.tail = chunk
            elif parent is not None:
                parent.text = chunk
            else:
                text = chunk
        if index + 1 == len(parts):
            break
        closing, name, self_closing = parts[index + 1], parts[index + 2], parts[index + 3]
        shell = shells.get(name)
        if shell is None or (name in placeholders) != bool(self_closing) or (closing and self_closing):
            return None
        if closing:
            if not opened or opened[-1][0] != name:
                return None
            _, last, parent = opened.pop()
            continue
        element = shell.__copy__()  # lxml copies an element whole, as copy.copy does
        element.tail = None
        if parent is None:
            top.append(element)
        else:
            parent.append(element)
        if self_closing:
            last = element
        else:
            opened.append((name, element, parent))
            parent, last = element, None
    return None if opened else (text, top)


def _put_built(run: Run, text: str | None, new_children: list[etree._Element]) -> None:
    """Replace the content of ``run`` with ``text`` and the elements after it (:func:`_built`'s)."""
    owner = run.owner
    _set_run_text(run, text)
    insert_at = 0 if run.starts_with_text else owner.index(run.anchor) + 1
    trailing_tail = run.children[-1].tail if run.children else None
    for child in run.children:
        owner.remove(child)
    for offset, child in enumerate(new_children):
        owner.insert(insert_at + offset, child)
    # Whitespace that separated the run from the next block child stays put.
    if trailing_tail and not trailing_tail.strip():
        if new_children:
            new_children[-1].tail = (new_children[-1].tail or "") + trailing_tail


def _set_run_text(run: Run, text: str | None) -> None:
    """Set the text that starts ``run``: its owner's text, or its anchor's tail."""
    if run.starts_with_text:
        run.owner.text = text
    else:
        assert run.anchor is not None
        run.anchor.tail = text
