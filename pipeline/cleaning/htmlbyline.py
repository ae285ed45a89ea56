"""The article's author and title from what the page shows, when it declares none.

Many pages have no JSON-LD author and no ``<meta name="author">``, only a
visible byline ("By Sandee LaMotte, CNN", "Jane Doe, Reuters", "作者：王小明");
and a page may lack ``<title>``, ``<h1>`` and ``og:title`` and still have a
heading, or at least a URL.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from pipeline.cleaning import htmlchrome
from pipeline.cleaning.htmlunits import Unit

_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+(?:van|von|de|der|da|di|le|la|del|bin|al)?\s*[A-ZÀ-ÖØ-Þ][\w'’.-]*){0,3}"
_NAMES = rf"{_NAME}(?:\s*(?:,|and|&|und|et|y|e)\s*{_NAME})*?"
_BYLINES = (
    # "By NAME", "By NAME, AGENCY", "By NAME and NAME | Updated ..." in the languages of the sites we see
    re.compile(rf"^(?:by|par|von|por|di|door|av|af|przez|автор:?)\s+({_NAMES})(?:\s*[,|•·–—-]\s*.*)?$", re.IGNORECASE),
    # "NAME, AGENCY": a wire byline
    re.compile(rf"^({_NAME}),\s*(?:CNN|AP|AFP|Reuters|Bloomberg|BBC|dpa|ANSA|EFE|Associated Press|"
               rf"Agence France-Presse|[A-Z][\w ]{{1,30}} (?:Writer|Correspondent|Reporter|Editor))$"),
    # "作者：NAME", "文／NAME", "記者：NAME"
    re.compile(r"^(?:作者|文|记者|記者|撰文|筆者|笔者)\s*[：:／/]\s*(\S{1,20})"),
)
#: A byline is short; a longer block is a sentence that happens to start with "By".
_BYLINE_WORDS = 12


def visible_author(texts: list[str]) -> str:
    """The author named by the first byline among these short texts, or ""."""
    for text in texts:
        text = " ".join(text.split())
        if not text or len(text.split()) > _BYLINE_WORDS:
            continue
        for pattern in _BYLINES:
            match = pattern.match(text)
            if match:
                return match.group(1).strip(" ,")
    return ""


def title_from_url(url: str, slug: str = "") -> str:
    """A readable title made from the URL's last path segment, else from the slug."""
    segments = [s for s in urlsplit(url).path.split("/") if s] if url else []
    words = ""
    if segments:
        last = re.sub(r"\.(?:s?html?|php|aspx?)$", "", unquote(segments[-1]), flags=re.IGNORECASE)
        words = " ".join(w for w in re.split(r"[-_+\s]+", last) if w and not w.isdigit())
    if not words and slug:
        words = " ".join(slug.split("-"))
    return words[:1].upper() + words[1:] if words else ""


#: A visible byline is looked for among the page's first units.
_BYLINE_UNITS = 200


def visible_author_in_units(units: list[Unit]) -> str:
    """The name in a visible byline: in a byline container first, else near the page's top."""
    top = units[:_BYLINE_UNITS]
    marked = [u.text for u in top if htmlchrome.ancestor_reason(u.element)[0] == "byline"]
    return visible_author(marked + [u.text for u in top])
