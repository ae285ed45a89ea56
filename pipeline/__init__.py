"""Publish web articles in many languages through gettext catalogs."""

__version__ = "0.1.0"
