"""What was dropped and why, for the cleaning report; what of it may be the article's.

Dropped units are grouped by the container that gives their reason (a menu is
one entry, not twenty), so the report can be reviewed like a diff.
"""

from __future__ import annotations

from lxml import etree

from pipeline.cleaning import htmlchrome
from pipeline.cleaning.htmlfigures import image_source
from pipeline.cleaning.htmlunits import Unit
from pipeline.cleaning.report import DroppedBlock, InterfaceText
from pipeline.cleaning.tree import ancestors, collapse_unicode_space, inside


def suspects(units: list[Unit], main: etree._Element, hidden_prose: list[str]) -> list[tuple[str, str]]:
    """Dropped text that may be the article's: hidden paragraphs, or in its container, or kept by an extractor."""
    found = [(text, "hidden") for text in hidden_prose]
    for unit in units:
        if unit.kept or unit.is_title or not unit.text:
            continue
        if unit.votes or inside(unit.element, main):
            found.append((unit.text, unit.reason or "boilerplate"))
    return found


def report_dropped(units: list[Unit], main: etree._Element) -> list[DroppedBlock]:
    """Dropped units, one entry per container: a menu is one entry, not twenty."""
    main_line = ancestors(main)
    entries: list[DroppedBlock] = []
    group: list[str] = []
    key: tuple[object, str, str] | None = None

    def flush() -> None:
        if group and key is not None:
            entries.append(DroppedBlock(" | ".join(group), key[1], key[2]))
        group.clear()

    for unit in units:
        if unit.kept or unit.is_title or not (unit.text or unit.kind in ("figure", "image")):
            continue
        reason, detail, container = _classify(unit, main, main_line)
        text = unit.text or _image_description(unit)
        if key is None or key[0] is not container or key[1] != reason:
            flush()
            key = (container, reason, detail)
        group.append(text)
    flush()
    return entries


def _classify(unit: Unit, main: etree._Element, main_line: set[etree._Element]) -> tuple[str, str, object]:
    if unit.reason:
        return unit.reason, unit.detail, unit.reason + unit.detail
    stop = unit.element
    while stop is not None and stop not in main_line:
        stop = stop.getparent()
    reason, node = _container_reason(unit.element, stop)
    if reason:
        return reason, f"inside <{htmlchrome.describe(node)}>", node
    if inside(unit.element, main):
        parent = unit.element if unit.kind == "run" else unit.element.getparent()
        return "boilerplate", f"in the article's container, but {_judged(unit)}", parent
    return "boilerplate", f"outside the article's container <{htmlchrome.describe(main)}>; {_judged(unit)}", stop


def _judged(unit: Unit) -> str:
    """What the extractors said of a dropped unit, for the report."""
    if not unit.votes:
        return "no extractor kept it"
    names = {"precision": "trafilatura (precision)", "recall": "trafilatura (recall)", "readability": "readability-lxml"}
    return f"only {' and '.join(names.get(v, v) for v in sorted(unit.votes))} kept it, and it is not prose of the article"


_GENERIC_REASONS = frozenset({"form", "header", "navigation", "sidebar", "footer"})


def _container_reason(element: etree._Element, stop: etree._Element | None) -> tuple[str, etree._Element | None]:
    """The reason and the outermost container giving it, below ``stop``.

    The nearest signal wins, except that a generic one (a form, a menu) gives
    way to a specific container around it (the newsletter box holding the
    form). The outermost container with that reason groups the report: a
    comment section is one entry, not one per comment.
    """
    found, holder = "", None
    node: etree._Element | None = element
    while node is not None and node is not stop:
        reason = htmlchrome.own_reason(node)
        if reason:
            if not found:
                found, holder = reason, node
            elif reason == found:
                holder = node
            elif found in _GENERIC_REASONS and reason not in _GENERIC_REASONS:
                found, holder = reason, node
            else:
                break
        node = node.getparent()
    return found, holder


def _image_description(unit: Unit) -> str:
    for image in unit.element.iter("img"):
        return f"[image: {collapse_unicode_space(image.get('alt', '')) or image_source(image)}]"
    return "[image]"


_INTERFACE_REASONS = frozenset(
    {"navigation", "header", "footer", "sidebar", "share-widget", "newsletter", "cookie-banner",
     "comments", "related-articles", "form"}
)


def interface_texts(dropped: list[DroppedBlock], declared: str, language: str) -> list[InterfaceText]:
    """Short labels of a site interface in another language than the article."""
    if not declared or not language or declared.split("-")[0] == language.split("-")[0]:
        return []
    found: dict[str, InterfaceText] = {}
    for block in dropped:
        if block.reason not in _INTERFACE_REASONS:
            continue
        for label in block.text.split(" | "):
            label = label.strip()
            if label and len(label.split()) <= 6 and label not in found:
                found[label] = InterfaceText(label, "interface", declared)
    return list(found.values())
