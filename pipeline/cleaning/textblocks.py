"""A plain-text dump as the text cleaner sees it: blocks, what is kept of them, references.

A block is the lines between blank lines; a kept block becomes one element
of the clean document; a reference is a numbered source after the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLET = re.compile(r"^\s*[•·◦▪●‣*–-]\s+(?P<text>.+)$")
NUMBERED = re.compile(r"^\s*(?P<number>\d{1,2})[.)]\s+(?P<text>\S.*)$")


@dataclass
class Block:
    """A paragraph of the dump: lines between blank lines."""

    index: int
    lines: list[str]

    @property
    def text(self) -> str:
        return normalize(" ".join(self.lines))


@dataclass
class Kept:
    """A block that goes into the clean document, with the element it becomes."""

    kind: str  # "p", "h2", "h3", "li", "oli"
    text: str
    source: Block


def normalize(text: str) -> str:
    """Collapse white space, and the zero-width spaces and byte-order marks scrapes leave at line ends."""
    return re.sub(r"[\s\u00a0\u200b\ufeff]+", " ", text).strip()


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip(" \t\u00a0\u200b\ufeff"):
            current.append(line)
        elif current:
            blocks.append(Block(len(blocks), current))
            current = []
    if current:
        blocks.append(Block(len(blocks), current))
    return blocks


@dataclass
class Reference:
    number: str
    text: str
