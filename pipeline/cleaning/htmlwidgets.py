"""Widgets recognised by what they say, when their container's name says nothing.

A live stock-quote table, a cookie notice or a newsletter sign-up sits in an
anonymous ``<div>`` on many sites, and the extractors keep it since it is text
in the article's column. They are told apart by their text: a table of
signed price changes, or a short block asking to accept cookies or to
subscribe, in the languages of the sites we clean.
"""

from __future__ import annotations

import re

from lxml import etree

#: A signed change as a quote table shows it: "+1.25", "-0.4%", "−2.10 (−1.3%)".
_SIGNED_CHANGE = re.compile(r"^[+\-−▲▼]\s?\d[\d.,]*\s?%?$|^\(?[+\-−]\d[\d.,]*%\)?$")
_NUMBER = re.compile(r"^[+\-−▲▼$€£¥]?\s?\d[\d.,]*\s?[%KMB]?$")
#: Cells with a signed change a quote table has at least.
_QUOTE_CHANGES = 2

_SHORT_WIDGET_WORDS = 40
_TEXT_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cookie-banner", re.compile(
        r"\b(?:we use cookies|this (?:web)?site uses cookies|accept (?:all )?cookies|cookie (?:policy|settings)|"
        r"utilise des cookies|utilisons des cookies|accepter les cookies|verwendet cookies|verwenden cookies|"
        r"cookies akzeptieren|utiliza cookies|utilizamos cookies|aceptar cookies|utilizza (?:i )?cookie|"
        r"usa(?:mos)? cookies|gebruikt cookies|クッキー|使用cookie|使用 cookie)", re.IGNORECASE)),
    ("newsletter", re.compile(
        r"\b(?:sign up for (?:our|the) (?:\w+ )?newsletter|subscribe to (?:our|the) (?:\w+ )?newsletter|"
        r"get (?:our|the) (?:\w+ )?newsletter|newsletter abonnieren|abonnez-vous à (?:notre|la) newsletter|"
        r"inscrivez-vous à (?:notre|la) newsletter|suscr[ií]bete a (?:nuestro|nuestra|el|la) (?:newsletter|bolet[ií]n)|"
        r"iscriviti alla (?:nostra )?newsletter|meld je aan voor (?:onze|de) nieuwsbrief|"
        r"subscribe now to (?:read|access|continue)|enter your email|メールマガジン|订阅我们的)", re.IGNORECASE)),
)


def is_quote_table(table: etree._Element) -> bool:
    """A live market-data table: mostly numbers, with several signed changes."""
    cells = [" ".join(cell.text_content().split()) for cell in table.iter("td", "th")]
    cells = [c for c in cells if c]
    if not cells:
        return False
    changes = sum(1 for c in cells if _SIGNED_CHANGE.match(c))
    numbers = sum(1 for c in cells if _NUMBER.match(c))
    return changes >= _QUOTE_CHANGES and numbers >= 0.4 * len(cells)


def text_widget(text: str) -> str:
    """The widget a short block's text says it is ("cookie-banner", "newsletter"), or ""."""
    if len(text.split(maxsplit=_SHORT_WIDGET_WORDS)) > _SHORT_WIDGET_WORDS:
        return ""
    for reason, pattern in _TEXT_SIGNALS:
        if pattern.search(text):
            return reason
    return ""
