"""What a check reports: a :class:`Problem` of a translation, and the :class:`Finding` that places
it in a catalog. Apart from :mod:`pipeline.checks` so that the glossary's checks, which that
module runs, can make findings too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning" | "info"
    code: str  # "markup", "character", "bidi", "placeholder", "number", "url", "fuzzy", "untranslated", "syntax", "plural", "charset", "header", "template", "glossary"
    message: str  # one sentence a translator understands


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    msgid: str
    problem: Problem

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "line": self.line,
            "msgid": self.msgid,
            "severity": self.problem.severity,
            "code": self.problem.code,
            "message": self.problem.message,
        }
