"""Which units of a page are the article: the extractors' opinions reconciled.

trafilatura's precision mode is the base: what it keeps is kept. It leaves out
whole sections on some page shapes (an article split across sibling
containers, a long page whose later sections it judges off-topic, a
documentation page of many sections), which its recall mode and readability-lxml
then still keep. So a unit it left out is added back when

* both other extractors kept it (two independent algorithms agree), or
* one of them kept it and it is prose inside the article's container (a
  paragraph of the article, not a short label or a list of links).

Each piece of text is then kept at most as often as an extractor kept it, the
copy in the article's container first: sites repeat an article's opening as a
teaser elsewhere on the page. Figures are left to the image check of
``htmlkeep`` (a caption that repeats text is no reason to drop a photo).
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol, Sequence

from lxml import etree

from pipeline.cleaning import htmlchrome
from pipeline.cleaning.tree import inside, words_in_links
from pipeline.cleaning.votes import SHORT_UNIT, KEPT_SHARE, Opinion, Trigram

#: A unit this long (in words) with little link text is prose, not a label.
PROSE_WORDS = 12
#: Share of a prose unit's words that may sit inside links.
PROSE_LINK_SHARE = 0.3
#: A child holding this share of the kept words is the article's container.
MAIN_SHARE = 0.85
#: How far above the article's container its split-off siblings may branch.
_SPLIT_LEVELS = 2
#: The opinion of another algorithm than trafilatura's.
SECOND_OPINION = "readability"
_SUBHEADINGS = frozenset("h2 h3 h4 h5 h6".split())


class UnitLike(Protocol):
    kind: str
    element: etree._Element
    text: str
    kept: bool
    reason: str
    detail: str
    votes: frozenset[str]

    @property
    def tokens(self) -> list[str]: ...

    @property
    def grams(self) -> list[Trigram]: ...


def choose(units: Sequence[UnitLike], body: etree._Element, opinions: Sequence[Opinion]) -> etree._Element:
    """Set ``kept`` and ``votes`` on every unit; return the article's container."""
    present = [o for o in opinions if o]
    base = next((o.name for o in present if o.name == "precision"), present[0].name if present else "")
    for unit in units:
        tokens, grams = unit.tokens, unit.grams
        unit.votes = frozenset(o.name for o in present if o.keeps(tokens, grams))
        unit.kept = base in unit.votes
    main = main_container(body, units)
    containers = article_containers(main)
    others = {o.name for o in present} - {base}
    for unit in units:
        both = len(others) >= 2 and others <= unit.votes
        if unit.kept or not unit.votes or not _is_addable(unit, containers, both):
            continue
        if both or _inside_any(unit.element, containers):
            unit.kept = True
    main = main_container(body, units)
    containers = article_containers(main)
    if any(o.name == SECOND_OPINION for o in present):
        _keep_standfirst(units, main)
        _drop_unconfirmed(units, containers)
    _once_each(units, main, present)
    return main


def _keep_standfirst(units: Sequence[UnitLike], main: etree._Element) -> None:
    """The lede above the article's body, beside it in the same parent, when readability-lxml kept it.

    News sites put the standfirst in the article's header, next to the
    headline and outside the body's container, where trafilatura's
    precision mode leaves it.
    """
    parent = main.getparent()
    if parent is None or parent.tag in ("body", "html"):
        return
    for unit in units:
        if inside(unit.element, main):
            return  # only what comes before the body
        if unit.kept or SECOND_OPINION not in unit.votes or not inside(unit.element, parent):
            continue
        if len(unit.tokens) >= PROSE_WORDS and _is_addable(unit, [parent], both=False):
            unit.kept = True


def article_containers(main: etree._Element) -> list[etree._Element]:
    """The article's container and its siblings of the same tag and class.

    Some sites cut an article into several ``<div class="body">`` siblings,
    with an ad or a subscription box between them; all of them are the article.
    """
    signature = _signature(main)
    scope = main
    for _ in range(_SPLIT_LEVELS):
        if scope.getparent() is None or scope.getparent().tag in ("body", "html"):
            break
        scope = scope.getparent()
    if scope is main or not signature[1]:
        return [main]
    return [main] + [e for e in scope.iter(main.tag) if e is not main and _signature(e) == signature]


def _signature(element: etree._Element) -> tuple[str, str]:
    return element.tag, " ".join((element.get("class") or "").split())


def _inside_any(element: etree._Element, containers: Sequence[etree._Element]) -> bool:
    return any(inside(element, container) for container in containers)


def _drop_unconfirmed(units: Sequence[UnitLike], containers: Sequence[etree._Element]) -> None:
    """Outside the article's text, one algorithm's choice is not enough.

    trafilatura's two modes are one algorithm; a block it kept that
    readability-lxml left out is dropped when it sits outside the article's
    containers (a photo gallery or teasers after the article) or in a widget
    inside them (an embedded gallery, a fact box of another story).
    """
    for unit in units:
        if not unit.kept or SECOND_OPINION in unit.votes:
            continue
        holder = next((c for c in containers if inside(unit.element, c)), None)
        if holder is None:
            unit.kept = False
            unit.reason = "boilerplate"
            unit.detail = "outside the article's container, and kept by one extractor only"
            continue
        reason, where = htmlchrome.ancestor_reason(unit.element, stop=holder)
        if reason:
            unit.kept = False
            unit.reason = reason
            unit.detail = f"inside <{where}>, and kept by one extractor only"


def _is_addable(unit: UnitLike, containers: Sequence[etree._Element], both: bool) -> bool:
    """Prose, not a label, a link or a widget's text; in the article, a short block both others kept."""
    if _linked_words(unit) > PROSE_LINK_SHARE * len(unit.text.split()):
        return False
    holder = next((c for c in containers if inside(unit.element, c)), None)
    if htmlchrome.ancestor_reason(unit.element, stop=holder)[0]:
        return False
    if unit.element.tag in _SUBHEADINGS or both:
        return holder is not None
    return len(unit.tokens) >= PROSE_WORDS


def _linked_words(unit: UnitLike) -> int:
    """Words of the unit inside links (a run's own inline pieces, not its container's other blocks)."""
    nodes = [p for p in getattr(unit, "pieces", []) if not isinstance(p, str)] if unit.kind == "run" else [unit.element]
    return words_in_links(nodes)


def _once_each(units: Sequence[UnitLike], main: etree._Element, opinions: Sequence[Opinion]) -> None:
    """Keep each piece of extracted text at most as often as an extractor kept it."""
    available = _most_of_each(opinions)
    count = available.get
    inner = [u for u in units if u.kept and inside(u.element, main)]
    outer = [u for u in units if u.kept and not inside(u.element, main)]
    for unit in inner + outer:
        tokens = unit.tokens
        if len(tokens) < SHORT_UNIT or unit.kind in ("figure", "image"):
            continue
        grams = unit.grams
        found = [g for g in grams if count(g, 0) > 0]
        if len(found) < KEPT_SHARE * len(grams):
            unit.kept = False
            unit.reason, unit.detail = "duplicate", "repeats text kept elsewhere in the article"
            continue
        for gram in found:
            available[gram] -= 1


def _most_of_each(opinions: Sequence[Opinion]) -> dict[Trigram, int]:
    """Each trigram as often as the extractor that kept it most often.

    The ``|`` of the counters, as a plain dict: one copy, and lookups without
    the subclass's overhead, as every trigram of the article is looked up.
    """
    largest = max(opinions, key=lambda o: len(o.grams), default=None)
    available: dict[Trigram, int] = dict(largest.grams) if largest is not None else {}
    for opinion in opinions:
        if opinion is not largest:
            available.update({g: c for g, c in opinion.grams.items() if c > available.get(g, 0)})
    return available


def main_container(body: etree._Element, units: Sequence[UnitLike]) -> etree._Element:
    """The deepest element that holds nearly all the kept text."""
    weight: Counter[etree._Element] = Counter()
    for unit in units:
        if unit.kept:
            size = len(unit.tokens)
            node = unit.element
            while node is not None:
                weight[node] += size
                node = node.getparent()
    total = weight[body]
    main = body
    while total:
        heavy = [child for child in main if weight[child] >= MAIN_SHARE * total]
        if not heavy:
            break
        main = heavy[0]
    return main
