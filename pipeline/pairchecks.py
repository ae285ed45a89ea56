"""The checks of one translation against its message: what would make the page wrong.

:func:`check_pair` looks at one translation (markup, characters, placeholders,
numbers, URLs); :func:`translation_errors` is the part the build applies before
it uses a translation, with a shortcut that proves the common pair has no error
without running every check. :mod:`pipeline.checks` runs them over catalogs.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from pipeline.findings import ERROR, WARNING, Problem
from pipeline.formats.messages import TOKEN, MarkupMismatch, Message
from pipeline.formats.rebuild import parse_translation


# Markup that a translation may not bring in: only the message's own short tags are markup.
# No two neighbouring parts of these patterns can match the same characters:
# a translation of a megabyte (``<a`` and then spaces) must not take hours.
_RAW_TAG = re.compile(r"<\s*(?:/\s*)?[A-Za-z][\w:-]*(?:[\s/][^<>]*)?>")
_ATTRIBUTE_TAG = re.compile(r"<\s*[A-Za-z][\w:-]*\s[^<>]*=")
MESSAGE_ESCAPES = frozenset({"&lt;", "&amp;"})
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_COMMENT = re.compile(r"<!--|-->|<!\[CDATA\[|<![A-Za-z]|<\?")
_DANGEROUS = re.compile(
    r"<\s*(?:/\s*)?(?:script|style|iframe|object|embed|svg|math|base|link|meta|form)\b"
    r"|(?:java|vb)script\s*:|\bdata\s*:[^,\s]*(?:html|svg|xml|script)|\bon[a-z]+\s*=",
    re.I,
)

_PRINTF = re.compile(r"%(?:\((?P<name>[A-Za-z_]\w*)\))?[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGcou]|%%")
_BRACE = re.compile(r"\{\{|\}\}|\{(?:[A-Za-z_][\w.]*|\d*)(?:![rsa])?(?::[^{}]*)?\}")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'）)]+", re.I)


#: The characters that IGNORECASE matching takes for ASCII letters of ``_DANGEROUS``'s
#: words (dotted and dotless i for "i", long s for "s") but ``str.lower`` does not make them.
_LETTER_LOOKALIKES = ("\u0130", "\u0131", "\u017f")


def _dangerous(text: str) -> re.Match[str] | None:
    """``_DANGEROUS.search(text)``, skipped for text that lacks what every match needs.

    The search is the dearest of the checks the build runs on every translation.
    Without "<", a match is a ``...script:`` or ``data:`` address, which needs a
    ":" after "script" or "data" in any case and any spaces, or an ``on...=``
    handler, which needs "=" and "on"; lowercasing keeps those words, unless
    the text holds a lookalike letter, whose text is searched.
    """
    if "<" not in text:
        if ":" not in text and "=" not in text:
            return None
        if not any(letter in text for letter in _LETTER_LOOKALIKES):
            address = ":" in text and _colon_after_address_word(text)
            if not address and not ("=" in text and "on" in text.lower()):
                return None
    return _DANGEROUS.search(text)


def _colon_after_address_word(text: str) -> bool:
    """Whether a ":" of ``text`` follows "script" or "data" (any case, then spaces as ``\\s``
    takes them): the words are looked at where an address needs them, not the whole text lowered."""
    return any(before.rstrip()[-6:].lower().endswith(("script", "data")) for before in text.split(":")[:-1])


def _tokens(text: str) -> list[tuple[str, str, str]]:
    """The message tags of ``text``: (closing "/", name, self-closing "/") each; every tag has a "<"."""
    return TOKEN.findall(text) if "<" in text else []


def _spelled(token: tuple[str, str, str]) -> str:
    closing, name, self_closing = token
    return f"<{closing}{name}{self_closing}>"


def _stripped(text: str) -> str:
    return TOKEN.sub("", text) if "<" in text else text


#: The tag sequences of a site's messages repeat (a link, an emphasis): each
#: pair of sequences is parsed once. The bound keeps hostile catalogs (every
#: message a new sequence) from growing it; a miss only costs a parse.
@lru_cache(maxsize=1024)
def _tag_mismatch(source_tokens: tuple[tuple[str, str, str], ...], target_tokens: tuple[tuple[str, str, str], ...]) -> str | None:
    """Why the translation's tags do not match its message's, or None.

    :func:`parse_translation` decides only by the tags of the two texts (the
    text between them is literal and cannot fail), so it is asked of the tags
    alone, spelled as they were: the same tags in the same order, the same verdict.
    """
    names = {name for _, name, _ in source_tokens}
    placeholders = frozenset(name for _, name, self_closing in source_tokens if self_closing)
    source = "".join(map(_spelled, source_tokens))
    try:
        parse_translation("".join(map(_spelled, target_tokens)), Message(text=source, kind="", shells=dict.fromkeys(names), placeholders=placeholders))  # type: ignore[arg-type]
    except MarkupMismatch as exc:
        return str(exc)
    return None


def check_markup(msgid: str, msgstr: str) -> list[Problem]:
    source_tokens, target_tokens = _tokens(msgid), _tokens(msgstr)
    names = {name for _, name, _ in source_tokens}
    problems: list[Problem] = []
    foreign = next((token for token in target_tokens if token[1] not in names), None)
    if foreign is not None:
        problems.append(Problem(ERROR, "markup", f"the tag {_spelled(foreign)} is not in the source text; use only its tags"))
    source_stripped = _stripped(msgid)
    target_stripped = _stripped(msgstr)
    if _dangerous(target_stripped) and not _dangerous(source_stripped):
        problems.append(Problem(ERROR, "markup", "the translation contains a script, style or event handler"))
    elif "<" in target_stripped or "-->" in target_stripped:  # what each of the raw HTML patterns needs
        problems += _raw_html(source_stripped, target_stripped)
    if "&" in msgstr:  # no "&", no character reference (a shortcut: the build checks every translation)
        source_entities = Counter(_ENTITY.findall(msgid))
        # &lt; and &amp; are the message format's own escapes (pipeline.formats.messages).
        extra_entities = Counter(e for e in _ENTITY.findall(msgstr) if e not in MESSAGE_ESCAPES) - source_entities
        if extra_entities:
            entity = next(iter(extra_entities))
            problems.append(Problem(ERROR, "markup", f"the translation contains the character reference {entity}; type the character itself"))
    # Without "&" on either side decoding changes nothing, and the patterns were just checked.
    if not problems and ("&" in source_stripped or "&" in target_stripped):
        problems += _check_decoded_markup(source_stripped, target_stripped)
    # Without tags in the message no tag of the translation is markup: nothing to mismatch.
    mismatch = _tag_mismatch(tuple(source_tokens), tuple(target_tokens)) if names else None
    if mismatch is not None:
        problems.append(Problem(ERROR, "markup", f"{mismatch}; keep every tag of the source, each opened and closed in order"))
    return problems


def _raw_html(source_stripped: str, target_stripped: str) -> list[Problem]:
    """A comment, a tag with attributes or raw HTML that the translation brings in (the first of them)."""
    if _COMMENT.search(target_stripped) and not _COMMENT.search(source_stripped):
        return [Problem(ERROR, "markup", "the translation contains an HTML comment or declaration")]
    if _ATTRIBUTE_TAG.search(target_stripped):
        return [Problem(ERROR, "markup", "the translation contains an HTML tag with attributes; write only the source's short tags like <a1>")]
    if _RAW_TAG.search(target_stripped) and not _RAW_TAG.search(source_stripped):
        return [Problem(ERROR, "markup", f"the translation contains raw HTML {_RAW_TAG.search(target_stripped).group(0)}")]  # type: ignore[union-attr]
    return []


def _decoded(text: str) -> str:
    """Text with the message escapes and every character reference decoded, once."""
    import html

    return html.unescape(text)


def _check_decoded_markup(source_stripped: str, target_stripped: str) -> list[Problem]:
    """Markup spelled with escapes (``&lt;script&gt;``, ``&#60;iframe``): shown as text by the
    build, but never what a translator means, and dangerous wherever the text is pasted."""
    source, target = _decoded(source_stripped), _decoded(target_stripped)
    for pattern in (_DANGEROUS, _RAW_TAG, _COMMENT):
        found = pattern.search(target)
        if found and not pattern.search(source):
            return [Problem(ERROR, "markup", f"the translation spells out HTML ({found.group(0)[:30]!r}) with escapes; write only the source's short tags like <a1>")]
    return []


#: Unicode bidirectional controls that open an embedding, an override or an
#: isolate, and the controls that close them (UAX #9).
_EMBEDDINGS = {"\u202a": "LRE", "\u202b": "RLE", "\u202d": "LRO", "\u202e": "RLO"}
_ISOLATES = {"\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI"}
_PDF, _PDI = "\u202c", "\u2069"
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Characters no HTML or XML text may hold (lxml refuses them): C0 controls
#: other than tab and line breaks, noncharacters U+FFFE/U+FFFF, lone surrogates.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Either kind: a translation without one has no problem of :func:`check_characters`.
_CONTROL = re.compile(f"{_FORBIDDEN_CHARACTER.pattern}|{_BIDI_CONTROL.pattern}")


def _without_control(text: str) -> bool:
    """Whether ``text`` has none of the characters of :data:`_CONTROL`.

    Each of them is of a Unicode category that ``str.isprintable`` refuses
    (Cc, Cf, Cs, Cn), so printable text, most of it, is not searched; other
    text (a no-break space, a tab) is.
    """
    return text.isprintable() or _CONTROL.search(text) is None


def unclosed_bidi_controls(text: str) -> list[str]:
    """Names of the bidi embeddings, overrides and isolates ``text`` leaves open.

    Decision on bidi controls: they are legitimate -- RTL translations use them
    (and the marks LRM/RLM/ALM, which open nothing and are always fine) to
    order numbers and Latin names. But one left open reorders everything after
    it up to the end of the paragraph (the rest of a heading, a link, the page
    title in the browser tab), and an override (RLO) even reverses the letters,
    the trick of "Trojan Source" text. So a translation must close what it
    opens (PDF for LRE/RLE/LRO/RLO, PDI for LRI/RLI/FSI): ``check`` reports an
    error and the build shows the source text of that block instead. The build
    adds no ``<bdi>`` of its own: a balanced translation needs none, and the
    page's markup stays the source's. Matching follows UAX #9: a PDI closes
    its isolate and every embedding opened inside it, a PDF closes only an
    embedding opened inside the current isolate, unmatched closers are ignored.
    """
    stack: list[str] = []
    if not _BIDI_CONTROL.search(text):
        return stack
    for char in _BIDI_CONTROL.findall(text):
        if char in _EMBEDDINGS:
            stack.append(_EMBEDDINGS[char])
        elif char in _ISOLATES:
            stack.append(_ISOLATES[char])
        elif char == _PDF:
            if stack and stack[-1] in _EMBEDDINGS.values():
                stack.pop()
        elif char == _PDI:
            if any(name in _ISOLATES.values() for name in stack):
                while stack.pop() not in _ISOLATES.values():
                    pass
    return stack


def check_characters(msgid: str, msgstr: str) -> list[Problem]:
    """Control characters a page cannot hold, and bidi controls left open."""
    problems: list[Problem] = []
    if _without_control(msgstr):
        return problems
    bad = _FORBIDDEN_CHARACTER.search(msgstr)
    if bad:  # even when the source has one: no page can hold it (lxml refuses it)
        problems.append(Problem(ERROR, "character", f"the translation contains the invisible control character U+{ord(bad.group(0)):04X}; delete it"))
    unclosed = unclosed_bidi_controls(msgstr)
    if unclosed and not unclosed_bidi_controls(msgid):
        problems.append(Problem(ERROR, "bidi", f"the translation opens the direction control {unclosed[-1]} without closing it (with PDF or PDI); it would turn the text after it around"))
    return problems


def placeholders(text: str) -> Counter[str]:
    found = Counter(m.group(0) for m in _PRINTF.finditer(text) if m.group(0) != "%%")
    found.update(m.group(0) for m in _BRACE.finditer(text) if m.group(0) not in ("{{", "}}"))
    return found


def check_placeholders(msgid: str, msgstr: str) -> list[Problem]:
    if "%" not in msgid and "{" not in msgid and "%" not in msgstr and "{" not in msgstr:
        return []  # every placeholder has a "%" or a "{" (a shortcut: the build checks every translation)
    source, target = placeholders(msgid), placeholders(msgstr)
    if source == target:
        return []
    differences = _differences(sorted((source - target).elements()), sorted((target - source).elements()), "not in the source:")
    return [Problem(ERROR, "placeholder", f"placeholders differ from the source ({differences}); copy them unchanged")]


def _differences(missing: list[str], extra: list[str], extra_said: str) -> str:
    """``missing A, B; <extra_said> C``: what a translation lacks of its source, and what it adds."""
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append(f"{extra_said} " + ", ".join(extra))
    return "; ".join(parts)


@lru_cache(maxsize=64)
def _number_symbols(language: str) -> tuple[str, str]:
    """The decimal and group separators of ``language`` (CLDR, via Babel); English's when unknown."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return ".", ","
    return get_decimal_symbol(locale), get_group_symbol(locale)


def _number_value(number: str, language: str) -> str:
    """A number as written in ``language`` (``1.234,5`` in German), written the one way (``1234.5``)."""
    decimal, group = _number_symbols(language)
    number = re.sub(f"[{re.escape(group)}\u00a0\u202f](?=\\d{{3}}(?!\\d))", "", number)
    return number.replace(decimal, ".") if decimal != "." else number


def _number_tokens(text: str) -> list[str]:
    return _NUMBER.findall(TOKEN.sub(" ", _URL.sub(" ", text)))


@lru_cache(maxsize=8)
def _month_names(language: str) -> dict[str, str]:
    """Month names of the source language (CLDR, via Babel) -> the month's number."""
    from babel import Locale

    locale = Locale.parse(language)
    names: dict[str, str] = {}
    for width in ("wide", "abbreviated"):
        for number, name in locale.months["format"][width].items():
            names[name.lower().rstrip(".")] = str(number)
    return names


def _months_in(text: str, language: str) -> set[str]:
    """Numbers of the months named in ``text``: a translation may write them as digits (9月)."""
    names = _month_names(language)
    return {names[word] for word in re.findall(r"[^\W\d_]+", text.lower()) if word in names}


def check_numbers(msgid: str, msgstr: str, source_language: str = "en", target_language: str = "") -> list[Problem]:
    """Numbers of the source (read as ``source_language`` writes them) that the translation lacks or adds.

    A number of the translation may be written as its own language writes
    numbers (``target_language``) or as the source does.
    """
    if not any(c.isdigit() for c in msgid + msgstr):
        return []
    source = {_number_value(n, source_language): n for n in _number_tokens(msgid)}
    readings = {
        n: {_number_value(n, source_language), _number_value(n, target_language or source_language)}
        for n in _number_tokens(msgstr)
    }
    found = set().union(*readings.values()) if readings else set()
    missing = sorted(source[value] for value in set(source) - found)
    months = _months_in(msgid, source_language)
    extra = sorted(n for n, values in readings.items() if not values & set(source) and not values & months)
    if not missing and not extra:
        return []
    return [Problem(WARNING, "number", f"numbers differ from the source ({_differences(missing, extra, 'added')})")]


def check_urls(msgid: str, msgstr: str) -> list[Problem]:
    source = sorted(u.rstrip(".,;:") for u in _URL.findall(msgid))
    target = sorted(u.rstrip(".,;:") for u in _URL.findall(msgstr))
    if source == target:
        return []
    return [Problem(WARNING, "url", f"web addresses differ from the source (source: {', '.join(source) or 'none'}; translation: {', '.join(target) or 'none'})")]


def check_pair(msgid: str, msgstr: str, source_language: str = "en", target_language: str = "") -> list[Problem]:
    """Markup, placeholder, number and URL problems of one translation; [] when it is fine or empty.

    Numbers and dates of ``msgid`` are read as ``source_language`` (the
    project's ``source_language``) writes them; those of ``msgstr`` as
    ``target_language`` (the catalog's) or the source language writes them.
    """
    if not msgstr:
        return []
    return _erring_checks(msgid, msgstr) + check_numbers(msgid, msgstr, source_language, target_language) + check_urls(msgid, msgstr)


def translation_errors(msgid: str, msgstr: str) -> list[Problem]:
    """The errors of :func:`check_pair` alone: what keeps a translation out of a page.

    The build asks this of every translation it uses, so it leaves out the
    checks that can only warn (numbers, web addresses); a test keeps the two
    functions agreeing on errors.
    """
    if not msgstr or _plainly_without_error(msgid, msgstr):
        return []  # what _erring_checks would give, without its lists
    return [p for p in _erring_checks(msgid, msgstr) if p.severity == ERROR]


def _erring_checks(msgid: str, msgstr: str) -> list[Problem]:
    """The problems of the checks that find errors (characters, markup, placeholders), in that order."""
    if _plainly_without_error(msgid, msgstr):
        return []
    return check_characters(msgid, msgstr) + check_markup(msgid, msgstr) + check_placeholders(msgid, msgstr)


#: The message tags of :data:`TOKEN`, each as spelled (its groups made non-capturing: ``findall``
#: gives the tags' text, which hashes once, instead of a tuple of groups per tag).
_SPELLED_TAG = re.compile(TOKEN.pattern.replace("(", "(?:"))


def _plainly_without_error(msgid: str, msgstr: str) -> bool:
    """True only when the checks of :func:`_erring_checks` find nothing: most translations, told apart with little work.

    The shape: the source has no "%" or "{" (no placeholder to keep); the
    translation uses only the source's tags, in an order :func:`_tag_mismatch`
    accepts; and its text between tags has no "<", ">", "&", "%" or "{" and
    no control character (so no raw HTML, comment, reference, placeholder or
    control) and no script address or event handler (:func:`_dangerous`).
    Then each check passes: the tags hold none of those characters, so the
    checks of the whole translation see what they would see in that text.
    Every tag holds one "<" and one ">" and none of the others, nor ":" or
    "=", so those are counted or looked for in the whole translation; only
    one with ":" or "=" has its tags taken out, for :func:`_dangerous`.
    False says nothing: the checks decide.
    """
    if "%" in msgid or "{" in msgid or "&" in msgstr or "%" in msgstr or "{" in msgstr:
        return False
    tags = 0
    if "<" in msgid or "<" in msgstr:
        target_tags = _SPELLED_TAG.findall(msgstr)
        if not _tags_accepted(tuple(_SPELLED_TAG.findall(msgid)), tuple(target_tags)):
            return False
        tags = len(target_tags)
        if msgstr.count("<") != tags or msgstr.count(">") != tags:
            return False  # a "<" or ">" outside the tags
    elif ">" in msgstr:
        return False
    if not _without_control(msgstr):
        return False
    if ":" not in msgstr and "=" not in msgstr:
        return True  # no script address or event handler (see _dangerous)
    return _dangerous(TOKEN.sub("", msgstr) if tags else msgstr) is None


#: Bounded as :func:`_tag_mismatch` is, for the same reason (tags as spelled, not parsed).
@lru_cache(maxsize=1024)
def _tags_accepted(source_tags: tuple[str, ...], target_tags: tuple[str, ...]) -> bool:
    """Whether a translation with ``target_tags`` uses only the tags of a message with
    ``source_tags``, in an order :func:`_tag_mismatch` accepts."""
    source_tokens = tuple(_token(tag) for tag in source_tags)
    target_tokens = tuple(_token(tag) for tag in target_tags)
    names = {name for _, name, _ in source_tokens}
    if any(name not in names for _, name, _ in target_tokens):
        return False
    return not source_tokens or _tag_mismatch(source_tokens, target_tokens) is None


def _token(tag: str) -> tuple[str, str, str]:
    return TOKEN.fullmatch(tag).groups()  # type: ignore[union-attr, return-value]
