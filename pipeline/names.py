"""Names the tool accepts and gives: article slugs, locale identifiers, the site's own catalog domain.

Every name from a command line, a URL or a catalog passes one of these validators before
any path is built from it; modules at every layer import them, so they depend on nothing
but :mod:`pipeline.errors`.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.errors import InvalidNameError

#: The catalog domain (``site.pot``, ``LOCALE/LC_MESSAGES/site.po``) of the page template's own
#: strings, beside one domain per article slug.
SITE_DOMAIN = "site"


#: Slugs are lowercase ASCII words joined by hyphens: safe in paths and URLs on
#: every file system, and never ``.``/``..``.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


SLUG_MAX_LENGTH = 100


#: What a gettext locale identifier may look like (``zh_CN``, ``sr_RS@latin``,
#: ``pt-BR``); checked before Babel parses it so that nothing path-like passes.
LOCALE_PATTERN = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*(?:@[A-Za-z0-9]{1,16})?$")


def validate_slug(slug: str) -> str:
    """Return ``slug`` if it is a safe article name, else raise :class:`InvalidNameError`."""
    if not isinstance(slug, str) or len(slug) > SLUG_MAX_LENGTH or not SLUG_PATTERN.fullmatch(slug):
        raise InvalidNameError(
            f"invalid article slug {slug!r}: use lowercase letters, digits and single hyphens "
            f"(at most {SLUG_MAX_LENGTH} characters), for example 'my-article'"
        )
    return slug


def slugify(text: str) -> str:
    """Make a slug from a title or URL path: ASCII, lowercase, hyphen-separated."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = "-".join(words)[:SLUG_MAX_LENGTH].strip("-")
    return slug or "article"


def validate_locale_name(name: str) -> str:
    """Refuse anything that is not shaped like a locale identifier (``../x``, ``en/../etc``)."""
    if not isinstance(name, str) or len(name) > 40 or not LOCALE_PATTERN.fullmatch(name):
        raise InvalidNameError(
            f"invalid locale {name!r}: expected a locale identifier such as 'zh_CN', 'fr' or 'pt_BR'"
        )
    return name
