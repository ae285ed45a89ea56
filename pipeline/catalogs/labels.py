"""The page template's labels that a scraped site also shows in its own interface.

``clean`` records interface text it drops (for example the Chinese byline label
作者 on an English article) with a role. The page template shows the same
labels, and ``init`` seeds a locale's ``site`` catalog with the site's own words
for them when the recorded text is in that locale's language. This table ties a
role to the template's msgid and to how the label fills that msgid.
"""

from __future__ import annotations

#: role -> (msgid in the page templates, pattern that makes the msgstr from the label)
ROLE_MESSAGES: dict[str, tuple[str, str]] = {
    "byline-label": ("By %(author)s", "{label}{colon}%(author)s"),
    "updated-label": ("Updated %(date)s", "{label} %(date)s"),
    "sources-heading": ("Article sources", "{label}"),
}

#: Languages whose text takes full-width punctuation after a label.
FULL_WIDTH_LANGUAGES = frozenset({"zh", "ja"})


def seeded_translation(role: str, label: str, language: str) -> tuple[str, str] | None:
    """(msgid, msgstr) that a recorded interface label gives, or None for other roles."""
    if role not in ROLE_MESSAGES:
        return None
    msgid, pattern = ROLE_MESSAGES[role]
    label = label.strip().rstrip(":：").strip()
    colon = "：" if language.split("_")[0].split("-")[0] in FULL_WIDTH_LANGUAGES else ": "
    return msgid, pattern.format(label=label, colon=colon)
