"""Cleaners: raw snapshot (plain-text dump or HTML page) -> clean document.

Each cleaner is a pure function from the snapshot's text to a
:class:`~pipeline.cleaning.report.CleanResult`; the ``clean`` stage picks the
cleaner, writes the document and its report.
"""
