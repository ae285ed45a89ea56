"""Clean a plain-text dump of an article page.

A text dump is what a scraper that keeps only visible text gives: blocks
separated by blank lines, the site's interface text (bylines, slideshow labels,
source headings, disclaimers) mixed in, sometimes in another language than the
article, promotions at the end, and lists that lost their items.

The rules are general: a block's script and language against the article's,
its position (byline zone after the title, references and footer at the end,
the promotional tail before them), its shape (a short line without final stop
is a heading, a bullet is a list item, a lone number starts a reference) and
known interface phrases in many languages (``pipeline/data/interface-labels.json``).
A project's drop and keep rules come first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


from pipeline.cleaning.language import dominant_script, guess_language
from pipeline.cleaning.rules import matches_any
from pipeline.cleaning.textblocks import BULLET, NUMBERED, Block, Kept, Reference, normalize, split_blocks
from pipeline.cleaning.textbuild import build_body
from pipeline.cleaning.report import CleanResult, CleanWarning, DroppedBlock, InterfaceText
from pipeline.errors import SnapshotError
from pipeline.formats.document import Document, remove_forbidden_characters
from pipeline.settings import CleanRules

LONE_NUMBER = re.compile(r"^\s*\[?(?P<number>\d{1,3})\]?\.?\s*$")
IMAGE_PLACEHOLDER = re.compile(r"^\s*\[(?P<label>[^\]]*\b(?:image|photo|picture|video|graphic)\b[^\]]*)\]\s*(?P<text>.*)$", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")
TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")
#: Words in English promotional copy; two in one block, or one in the block
#: run at the very end of the body, mark a promotion.
PROMOTION_PATTERNS = tuple(
    re.compile(p, re.I)
    for p in (
        r"\bsubscri(?:be|bing|ption)s?\b",
        r"\bnewsletters?\b",
        r"\bsign(?:ing)? up\b",
        r"\benroll?(?:ing|s|ment)?\b",
        r"\bfree (?:trial|course|resources|digital resources|guide|ebook)\b",
        r"\bget access to\b",
        r"\bexplore our\b",
        r"\bcheck(?:ing)? out our\b",
        r"\bour (?:other )?free\b",
        r"\baccelerate your career\b",
        r"\bjoin (?:now|today|us|for free)\b",
        r"\bstart (?:your )?free\b",
        r"\bdownload (?:our|the) (?:app|guide)\b",
        r"\b(?:monthly|annual) (?:option|plan|subscription)\b",
        r"\bweekly [\w ]{0,20}newsletter\b",
    )
)
AUTHOR_BIO = re.compile(r"\b(?:editorial team|our (?:writers|editors)|is a (?:writer|journalist|editor))\b", re.I)


@dataclass
class _State:
    language: str
    script: str | None
    rules: CleanRules
    dropped: list[DroppedBlock] = field(default_factory=list)
    interface: list[InterfaceText] = field(default_factory=list)
    warnings: list[CleanWarning] = field(default_factory=list)

    def drop(self, block: Block | str, reason: str, detail: str) -> None:
        text = block.text if isinstance(block, Block) else block
        self.dropped.append(DroppedBlock(text=text, reason=reason, detail=detail))

    def record_interface(self, text: str, role: str, language: str) -> None:
        entry = InterfaceText(text=text, role=role, language=language)
        if entry not in self.interface:
            self.interface.append(entry)


# ---------------------------------------------------------------------------
# Known interface phrases
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def interface_phrases() -> list[tuple[str, str, str]]:
    """(normalized phrase, role, language), longest phrases first."""
    data = json.loads(resources.files("pipeline").joinpath("data/interface-labels.json").read_text("utf-8"))
    phrases = [
        (_fold(phrase), role, language)
        for role, by_language in data.items()
        if not role.startswith("_")
        for language, items in by_language.items()
        for phrase in items
    ]
    return sorted(phrases, key=lambda item: -len(item[0]))


def _fold(text: str) -> str:
    return normalize(text).lower().replace("’", "'")


def match_phrase(text: str, roles: tuple[str, ...] | None = None) -> tuple[str, str, str, str] | None:
    """(role, language, matched label, rest) when ``text`` starts with a known phrase.

    A phrase matches only as a whole word or label: followed by the end, a colon,
    a digit, or (for scripts without spaces) anything.
    """
    folded = _fold(text)
    for phrase, role, language in interface_phrases():
        if roles and role not in roles:
            continue
        if not folded.startswith(phrase):
            continue
        rest = folded[len(phrase) :]
        spaced = phrase[-1:].isascii() or dominant_script(phrase) in ("Latin", "Cyrillic", "Greek")
        if rest and spaced and not re.match(r"^(?:\s|[:：.,;!?。，]|\d)", rest):
            continue
        original_rest = normalize(text)[len(phrase) :]
        return role, language, normalize(text)[: len(phrase)], original_rest.lstrip(" :：")
    return None


# ---------------------------------------------------------------------------
# Block classification
# ---------------------------------------------------------------------------


def is_foreign(text: str, state: _State) -> str | None:
    """The language of ``text`` when it is not the article's, else None."""
    script = dominant_script(text)
    if script is None:
        return None
    if script != state.script:
        return guess_language(text, default=state.language)
    if script == "Latin" and len(text.split()) >= 6:
        language = guess_language(text, default=state.language)
        if language != state.language:
            return language
    return None


def looks_like_heading(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 14 or len(text) > 120:
        return False
    if text[-1] in ".:;,!…" or TRUNCATED.search(text):
        return False
    return text[0].isupper() or text[0].isdigit()


def promotion_score(text: str) -> int:
    return sum(1 for pattern in PROMOTION_PATTERNS if pattern.search(text))


def _classify_interface(block: Block, language: str, state: _State, default_role: str = "interface") -> None:
    """Record every line of a foreign block as interface text, with its role."""
    for line in block.lines:
        line = normalize(line)
        if not line:
            continue
        found = match_phrase(line)
        role = found[0] if found else default_role
        label = found[2] if found and found[0] in ("byline-label", "updated-label", "sources-heading") else line
        state.record_interface(label.rstrip(":："), role, language)


# ---------------------------------------------------------------------------
# The zones of a dump
# ---------------------------------------------------------------------------


def _find_byline(blocks: list[Block], state: _State) -> tuple[str, int]:
    """Author name and the index of the byline block among the first blocks, or ("", -1)."""
    for block in blocks[1:4]:
        parts = re.split(r"\s+[•·|]\s+", block.text)
        author = ""
        recognised = False
        for part in parts:
            found = match_phrase(part, ("byline-label", "updated-label"))
            if not found:
                continue
            role, language, label, rest = found
            recognised = True
            state.record_interface(label.rstrip(":："), role, language)
            if role == "byline-label" and rest:
                author = rest
        if recognised:
            return author, block.index
    return "", -1


def _find_sources_heading(blocks: list[Block]) -> int:
    """Index of the last block that heads a references list, or -1."""
    for block in reversed(blocks):
        if len(block.lines) != 1 or len(block.text) > 40:
            continue
        found = match_phrase(block.text, ("sources-heading",))
        if found and not found[3]:
            following = blocks[block.index + 1 : block.index + 3]
            if following and LONE_NUMBER.match(following[0].text):
                return block.index
    return -1


def _parse_references(blocks: list[Block], state: _State) -> tuple[list[Reference], int]:
    """References after the sources heading: a lone number, then its text."""
    references: list[Reference] = []
    position = 0
    while position + 1 < len(blocks):
        number = LONE_NUMBER.match(blocks[position].text)
        if not number or LONE_NUMBER.match(blocks[position + 1].text):
            break
        if is_foreign(blocks[position + 1].text, state):
            break
        references.append(Reference(number.group("number"), blocks[position + 1].text))
        position += 2
    return references, position


def _drop_footer(blocks: list[Block], state: _State) -> None:
    """Everything after the references is the page's footer."""
    after_byline_label = False
    for block in blocks:
        language = is_foreign(block.text, state) or _labels_language(block)
        if language:
            role = None
            found = match_phrase(block.text)
            if found:
                role = found[0]
            _classify_interface(block, language, state)
            state.drop(block, "interface-text", f"site interface text in another language ({language}), role {role or 'interface'}")
            after_byline_label = after_byline_label or any(
                (match_phrase(line, ("byline-label",)) or ("",))[0] == "byline-label" for line in block.lines
            )
            continue
        if after_byline_label and looks_like_heading(block.text) and len(block.text.split()) <= 5:
            state.drop(block, "author-bio", "author box: the name under the byline label at the end of the page")
        elif AUTHOR_BIO.search(block.text) or TRUNCATED.search(block.text):
            state.drop(block, "author-bio", "author box: a truncated biography at the end of the page")
        else:
            state.drop(block, "footer", "text after the article's references belongs to the page footer")


def _labels_language(block: Block) -> str | None:
    """The language of a block made only of known interface labels (e.g. "Updated on" / "By:")."""
    languages = set()
    for line in block.lines:
        found = match_phrase(line)
        if not found or len(found[3].split()) > 4:
            return None
        languages.add(found[1])
    return sorted(languages)[0] if languages else None


def _interface_in_body(text: str, state: _State) -> tuple[str, str] | None:
    """(role, language) for a short body block that is a known interface phrase."""
    if len(text.split()) > 12:  # only a disclaimer is a long interface text
        found = match_phrase(text, ("disclaimer",))
        return (found[0], found[1]) if found else None
    found = match_phrase(text, ("slideshow-label", "disclaimer", "updated-label", "byline-label", "sources-heading"))
    if not found:
        return None
    role, language, _label, rest = found
    if role in ("slideshow-label", "disclaimer") or language != state.language:
        if role == "disclaimer" or not rest or re.fullmatch(r"[\d\s/.,-]+", rest) or len(rest.split()) <= 3:
            return role, language
    return None


def _drop_promotional_tail(kept: list[Kept], state: _State) -> list[Kept]:
    """Promotions stand as a run at the end of the body, before the sources."""
    end = len(kept)
    while end > 0:
        item = kept[end - 1]
        if matches_any(state.rules.keep, item.text):
            break
        score = promotion_score(item.text)
        heading_of_dropped = item.kind.startswith("h") and end < len(kept)
        if score >= 1 or (heading_of_dropped and score >= 0 and item.kind.startswith("h") and _is_cta(item.text)):
            end -= 1
            state.drop(item.source, "promotion", "promotional block at the end of the article (calls to enrol, subscribe or explore offers)")
            continue
        break
    return kept[:end]


def _is_cta(text: str) -> bool:
    """A heading that is a call to action rather than a topic ("Explore our ...")."""
    return bool(re.match(r"^(?:explore|discover|get|start|join|try|learn more|sign up|subscribe|download)\b", text, re.I))


# ---------------------------------------------------------------------------
# The body
# ---------------------------------------------------------------------------


def _classify_body(blocks: list[Block], state: _State) -> list[Kept]:
    kept: list[Kept] = []
    for block in blocks:
        text = block.text
        if matches_any(state.rules.drop, text) and not matches_any(state.rules.keep, text):
            state.drop(block, "rule", "matched a drop rule of the project")
            continue
        forced_keep = matches_any(state.rules.keep, text)
        language = None if forced_keep else is_foreign(text, state)
        if language:
            found = match_phrase(text)
            _classify_interface(block, language, state)
            role = found[0] if found else "interface"
            state.drop(block, "interface-text", f"site interface text in another language ({language}), role {role}")
            continue
        known = None if forced_keep else _interface_in_body(text, state)
        if known:
            role, known_language = known
            state.record_interface(text if role not in ("byline-label", "updated-label", "sources-heading") else text.rstrip(":："), role, known_language)
            state.drop(block, "interface-text", f"site interface text ({known_language}), role {role}")
            continue
        placeholder = IMAGE_PLACEHOLDER.match(text)
        if placeholder and not forced_keep:
            state.drop(block, "image-placeholder", f"[{placeholder.group('label')}] marks an image the text dump does not contain")
            continue
        found = None if forced_keep else match_phrase(text, ("related-link", "share"))
        if found and (found[0] == "share" or found[3]):
            reason = "related-link" if found[0] == "related-link" else "share-widget"
            state.drop(block, reason, f"'{found[2]}' introduces a link to another page, not article text")
            continue
        if not forced_keep and promotion_score(text) >= 3:
            state.drop(block, "promotion", "promotional copy (several calls to enrol, subscribe or explore offers)")
            continue
        kept.extend(_shape(block))
    return kept


def _shape(block: Block) -> list[Kept]:
    """What element(s) a kept block becomes."""
    lines = [normalize(line) for line in block.lines]
    bullets = [BULLET.match(line) for line in block.lines]
    if all(bullets):
        return [Kept("li", normalize(m.group("text")), block) for m in bullets if m]
    numbered = NUMBERED.match(block.text)
    if numbered and len(lines) == 1 and len(block.text.split()) <= 20:
        return [Kept("step", block.text, block)]
    if len(lines) == 1 and looks_like_heading(block.text) or (
        len(lines) == 1 and block.text.endswith("?") and len(block.text.split()) <= 16
    ):
        return [Kept("h2", block.text, block)]
    return [Kept("p", block.text, block)]


def _settle_steps(kept: list[Kept]) -> list[Kept]:
    """Numbered lines: consecutive ones are an ordered list, separated ones sub-headings."""
    result: list[Kept] = []
    for position, item in enumerate(kept):
        if item.kind != "step":
            result.append(item)
            continue
        neighbours = [kept[i].kind for i in (position - 1, position + 1) if 0 <= i < len(kept)]
        result.append(Kept("oli" if "step" in neighbours else "h3", item.text, item.source))
    return result


def _handle_lost_lists(kept: list[Kept], state: _State) -> list[Kept]:
    """A sentence ending in ':' that no list follows introduced items the scrape lost."""
    result: list[Kept] = []
    for position, item in enumerate(kept):
        following = kept[position + 1].kind if position + 1 < len(kept) else None
        if item.kind != "p" or not item.text.rstrip().endswith(":") or following in ("li", "oli"):
            result.append(item)
            continue
        sentences = SENTENCE_END.split(item.text)
        intro = sentences[-1]
        action = state.rules.lost_list_intro
        if action == "keep":
            result.append(item)
            done = "kept"
        elif len(sentences) > 1:
            result.append(Kept("p", " ".join(sentences[:-1]), item.source))
            done = "dropped-sentence"
        else:
            done = "dropped"
        state.warnings.append(
            CleanWarning(
                text=intro,
                kind="lost-list",
                detail="introduces a list that is not in the snapshot (the scrape lost it)",
                action=done,
            )
        )
        if done != "kept":
            state.drop(intro, "lost-list-intro", "introduces a list that the scrape lost; set lost_list_intro = keep to keep it")
    return result


# ---------------------------------------------------------------------------
# Building the document
# ---------------------------------------------------------------------------


def _take_description(kept: list[Kept], state: _State) -> tuple[str, list[Kept]]:
    """The summary before the body proper: a first short paragraph that ends the header."""
    for position, item in enumerate(kept[:2]):
        if item.kind != "p":
            continue
        words = len(item.text.split())
        if 8 <= words <= 60 and position == 0:
            state.drop(item.source, "description", "the summary under the title: kept as the document's description, shown by the page template as the lead")
            return item.text, kept[1:]
        break
    return "", kept


def clean_text(text: str, rules: CleanRules, default_language: str = "en") -> CleanResult:
    """Clean a plain-text dump into a :class:`CleanResult`."""
    blocks = split_blocks(remove_forbidden_characters(text))
    if not blocks:
        raise SnapshotError("the snapshot has no text")
    script = dominant_script(text)
    latin_text = " ".join(b.text for b in blocks if dominant_script(b.text) == script)
    language = guess_language(latin_text, default=default_language.split("_")[0])
    state = _State(language=language, script=script, rules=rules)

    title = blocks[0].text
    author, byline_index = _find_byline(blocks, state)
    if byline_index >= 0:
        state.drop(blocks[byline_index], "byline", f"byline: author '{author}' kept as metadata" if author else "byline without an author name")
    body_end, references = _take_references(blocks, state)
    body_blocks = [b for b in blocks[1:body_end] if b.index != byline_index]
    kept = _classify_body(body_blocks, state)
    description, kept = _take_description(kept, state)
    kept = _drop_promotional_tail(kept, state)
    kept = _settle_steps(kept)
    kept = _handle_lost_lists(kept, state)
    if not any(item.kind == "p" for item in kept):
        raise SnapshotError("no article text found in the snapshot (every block was dropped)")
    document = Document(
        title=title,
        language=language,
        body=build_body(title, kept, references),
        description=description,
        author=author,
    )
    state.dropped.sort(key=lambda d: _order(blocks, d.text))
    return CleanResult(
        document=document,
        dropped=state.dropped,
        interface=state.interface,
        warnings=state.warnings,
        source_format="text",
    )


def _take_references(blocks: list[Block], state: _State) -> tuple[int, list[Reference]]:
    """Where the body ends, and the references after it; the footer after them is dropped."""
    sources_index = _find_sources_heading(blocks)
    if sources_index < 0:
        return len(blocks), []
    heading = blocks[sources_index]
    found = match_phrase(heading.text, ("sources-heading",))
    assert found is not None
    state.record_interface(found[2], "sources-heading", found[1])
    state.drop(heading, "interface-text", f"heading of the references list ({found[1]}); the page template shows its own")
    tail = blocks[sources_index + 1 :]
    references, used = _parse_references(tail, state)
    _drop_footer(tail[used:], state)
    return sources_index, references


def _order(blocks: list[Block], text: str) -> int:
    """Position of a dropped text in the snapshot, so the report reads top to bottom."""
    for block in blocks:
        if text in block.text:
            return block.index
    return len(blocks)
