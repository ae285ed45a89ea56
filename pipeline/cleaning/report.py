"""What a cleaner returns: the document, and what it dropped and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from pipeline.formats.document import Document


@dataclass(frozen=True)
class DroppedBlock:
    """A block of the snapshot that is not in the clean document."""

    text: str
    #: Short machine-readable reason: "navigation", "promotion", "related-link",
    #: "interface-text", "author-bio", "debris", "image-placeholder", "rule", ...
    reason: str
    #: Why, in words a person reviewing the report understands.
    detail: str = ""


@dataclass(frozen=True)
class InterfaceText:
    """Site interface text in another language than the article's.

    The page template shows these labels itself; labels in a locale's language
    seed that locale's ``site`` catalog.
    """

    text: str
    #: "byline-label", "updated-label", "sources-heading", "slideshow-label",
    #: "disclaimer", or "interface" when the role is not known.
    role: str
    language: str


@dataclass(frozen=True)
class CleanWarning:
    text: str
    #: "lost-list" (a sentence introducing a list that the scrape lost), ...
    kind: str
    detail: str
    #: What was done: "kept", "dropped" or "dropped-sentence".
    action: str


@dataclass
class CleanResult:
    document: Document
    dropped: list[DroppedBlock] = field(default_factory=list)
    interface: list[InterfaceText] = field(default_factory=list)
    warnings: list[CleanWarning] = field(default_factory=list)
    #: The snapshot format that was cleaned: "text" or "html".
    source_format: str = "text"

    def report(self) -> dict:
        """The full cleaning report, saved as JSON beside the document."""
        return {
            "format": self.source_format,
            "language": self.document.language,
            "title": self.document.title,
            "kept_blocks": sum(1 for _ in self.document.body.iter()) - 1,
            "dropped": [asdict(d) for d in self.dropped],
            "interface": [asdict(i) for i in self.interface],
            "warnings": [asdict(w) for w in self.warnings],
        }
