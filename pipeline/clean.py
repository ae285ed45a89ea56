"""The ``clean`` stage: raw snapshot -> clean source document and cleaning report.

For each article, reads ``source/<slug>/snapshot.txt`` (a plain-text dump) or
``snapshot.html`` (a saved page), picks the cleaner for its format, and writes
``article.html`` (the clean document) and ``clean-report.json`` (every block
dropped, with its text and the reason; interface text with its role; warnings).
Both are written atomically and only when their content changes, so running
``clean`` twice leaves the files byte-identical and untouched.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.cleaning.report import CleanResult, CleanWarning, DroppedBlock, InterfaceText
from pipeline.errors import SnapshotError
from pipeline.formats import document as document_format
from pipeline.formats.provenance import page_url, read_provenance
from pipeline.fsutil import write_if_changed
from pipeline.project import Project
from pipeline.settings import CleanRules, read_clean_rules

RULES_FILE = "clean-rules.cfg"
_BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")


@dataclass(frozen=True)
class CleanOutcome:
    """What cleaning one article did."""

    slug: str
    document_path: Path
    report_path: Path
    source_format: str
    written: bool
    content_hash: str
    dropped: list[DroppedBlock]
    interface: list[InterfaceText]
    warnings: list[CleanWarning]


def clean_articles(project: Project, slugs: list[str] | tuple[str, ...] = ()) -> list[CleanOutcome]:
    """Clean the given articles, or all of them."""
    return [clean_article(project, slug) for slug in project.resolve_slugs(slugs)]


def clean_article(project: Project, slug: str) -> CleanOutcome:
    snapshot = project.snapshot_path(slug)
    folder = project.article_dir(slug)
    if snapshot is None:
        raise SnapshotError(f"{slug}: no snapshot in {folder} (expected snapshot.txt or snapshot.html)")
    data = _read_snapshot(snapshot)
    provenance = read_provenance(folder)
    rules = rules_for(project, folder)
    source_format = detect_format(snapshot, data, provenance)
    try:
        result = _run_cleaner(source_format, data, rules, provenance, project, slug)
    except SnapshotError as exc:  # the cleaners see text, not files: the message gets the file here
        raise SnapshotError(f"{snapshot}: {exc.message}") from None
    result.warnings.extend(_sanitize(result.document))
    document_path = project.clean_document_path(slug)
    text = document_format.serialize(result.document)
    written = write_if_changed(document_path, text.encode("utf-8"))
    report = {
        "slug": slug,
        "snapshot": snapshot.name,
        "snapshot_sha256": hashlib.sha256(data).hexdigest(),
        "content_hash": result.document.content_hash(),
        **result.report(),
    }
    report_path = project.clean_report_path(slug)
    write_if_changed(report_path, (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return CleanOutcome(
        slug=slug,
        document_path=document_path,
        report_path=report_path,
        source_format=source_format,
        written=written,
        content_hash=report["content_hash"],
        dropped=result.dropped,
        interface=result.interface,
        warnings=result.warnings,
    )


def _read_snapshot(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SnapshotError(f"cannot read snapshot {path}: {exc.strerror or exc}") from None
    if not data.strip():
        raise SnapshotError(f"snapshot {path} is empty")
    return data


def detect_format(path: Path, data: bytes, provenance: dict) -> str:
    """"html" or "text"; anything else (PDF, images, binary junk) is refused."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise SnapshotError(f"snapshot {path} is not text (unknown format): expected a text dump or an HTML page")
    declared = provenance.get("format")
    if declared in ("html", "text"):
        return declared
    if path.suffix in (".html", ".htm"):
        return "html"
    if re.match(rb"(?is)\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", head):
        return "html"
    return "text"


def decode(data: bytes, declared_charset: str | None) -> str:
    """Text of a snapshot: BOM, the recorded charset, ``<meta charset>``, then detection."""
    from pipeline.formats.encoding import decode_html

    text, _, _ = decode_html(data, declared_charset)
    return text


def _run_cleaner(source_format: str, data: bytes, rules: CleanRules, provenance: dict, project: Project,
                 slug: str) -> CleanResult:
    charset = provenance.get("charset")
    if source_format == "text":
        from pipeline.cleaning.textdump import clean_text

        text = decode(data, charset or "utf-8")
        return clean_text(text, rules, default_language=project.settings.source_language)
    from pipeline.cleaning.htmlpage import clean_html

    text = document_format.remove_forbidden_references(decode(data, charset))
    return clean_html(text, rules, url=page_url(provenance), slug=slug)


def _sanitize(document: document_format.Document) -> list[CleanWarning]:
    """The gate every scraped page passes: what the clean document may hold (see pipeline.sanitize)."""
    from pipeline.sanitize import sanitize_document

    return [
        CleanWarning(text=removal.text or removal.where, kind="unsafe", detail=f"{removal.where}: {removal.reason}",
                     action="dropped")
        for removal in sanitize_document(document)
    ]


def rules_for(project: Project, folder: Path) -> CleanRules:
    """The project's clean rules plus those of a ``clean-rules.cfg`` beside the snapshot."""
    path = folder / RULES_FILE
    return read_clean_rules(path, project.settings.clean) if path.is_file() else project.settings.clean
