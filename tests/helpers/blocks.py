"""The blocks of a document found the slow, plain way: the oracle of iter_blocks's shortcuts."""

from __future__ import annotations

from typing import NamedTuple

from lxml import etree

from pipeline.formats.messages import (
    BLOCK_KINDS, TRANSLATABLE_ATTRIBUTES, Message, Run, _inside_inline, is_translatable_text, iter_runs,
    normalize_space, run_message, skipped,
)


class WalkedBlock(NamedTuple):
    text: str
    kind: str
    message: Message | None = None  # a run's block
    run: Run | None = None
    element: etree._Element | None = None  # an attribute's block
    attribute: str | None = None


def blocks_walking_every_element(root: etree._Element, skip_classes: tuple[str, ...]) -> list[WalkedBlock]:
    """The blocks of ``root`` found element by element, each looking at all its ancestors, every element walked."""
    found = []
    for element in root.iter(etree.Element):
        if any(skipped(e, skip_classes) for e in (element, *element.iterancestors())):
            continue
        if element.tag in BLOCK_KINDS and not _inside_inline(element):
            for run in iter_runs(element):
                message = run_message(run, BLOCK_KINDS[element.tag], skip_classes)
                if is_translatable_text(message.text):
                    found.append(WalkedBlock(message.text, message.kind, message=message, run=run))
        for attribute, kind in TRANSLATABLE_ATTRIBUTES.items():
            value = element.get(attribute)
            if value is not None and is_translatable_text(value):
                found.append(WalkedBlock(normalize_space(value), kind, element=element, attribute=attribute))
    return found
