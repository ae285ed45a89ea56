"""The catalog model: the one place that knows how a Babel message is shaped and when it is done.

Every command asks the same questions of a message, and asks them here:

* :func:`has_translation`: its first form has text. msgmerge's test (a fuzzy
  candidate, a translation kept as an obsolete entry) and the writer's (a
  ``fuzzy`` flag is written only on a message with a translation).
* :func:`is_translated`: every form has text, fuzzy or not. ``init`` seeds only
  messages that are not, and ``update`` keeps only such messages' flags as
  they are.
* :func:`is_finished`: translated and not fuzzy. What the build publishes,
  what the translation memory offers other catalogs, and the text rule of
  ``stats``, the status page, ``serve`` and ``publish``; those also leave out a
  finished message in which ``check`` finds an error
  (:func:`pipeline.catalogs.completion.state`).

A message's id is a string, or (singular, plural) for a plural message; its
string likewise a string, or one string per plural form.
"""

from __future__ import annotations

from babel.messages.catalog import Message


def is_plural(message: Message) -> bool:
    return isinstance(message.id, (list, tuple))


def singular(message: Message) -> str:
    """The msgid, or the singular msgid of a plural message."""
    return message.id[0] if is_plural(message) else message.id


def strings_of(message: Message) -> list[str]:
    """The translation, one string per form (a singular message has one), ``""`` for a missing one."""
    if isinstance(message.string, (list, tuple)):
        return [s or "" for s in message.string]
    return [message.string or ""]


def has_translation(message: Message) -> bool:
    """The first form has text (msgmerge's test of a translation)."""
    strings = strings_of(message)
    return bool(strings and strings[0])


def is_translated(message: Message) -> bool:
    """Every form has text, fuzzy or not."""
    strings = strings_of(message)
    return bool(strings) and all(strings)


def is_finished(message: Message) -> bool:
    """Every form has text and the message is not fuzzy: what the build publishes (see the module)."""
    return is_translated(message) and not message.fuzzy


def message_key(message: Message) -> tuple[str, str | None]:
    """What tells messages apart in a catalog: the (singular) msgid and the context."""
    return (singular(message), message.context)
