"""Saying when part of the article was likely lost."""

LOSS_WARNING = "text-lost"
