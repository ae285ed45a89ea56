"""A page template that cannot be used, told as one line naming the file.

A project's own ``templates/`` are files people edit: a syntax error, a file
that is not UTF-8 or a variable the page does not have are user errors, not
tracebacks. Jinja raises them while loading or rendering; this turns them
into a :class:`TemplateFileError` with ``file:line`` where Jinja knows it.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from pipeline.errors import PipelineError


class TemplateFileError(PipelineError):
    """A page template cannot be compiled or rendered."""


def template_error(exc: Exception, name: str, folders: list[Path]) -> TemplateFileError:
    """The error to raise for ``exc``, raised while loading or rendering the template ``name``.

    ``folders`` are where templates are looked up, in order.
    """
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or name}:{exc.lineno}"
        return TemplateFileError(f"{where}: template syntax error: {exc.message}")
    if isinstance(exc, UnicodeDecodeError):
        culprit = _first_undecodable(folders) or name
        return TemplateFileError(f"{culprit}: a page template must be UTF-8 text ({exc.reason} at byte {exc.start})")
    return TemplateFileError(f"{_rendering_location(exc) or name}: cannot render the page: {exc}")


def _first_undecodable(folders: list[Path]) -> Path | None:
    for folder in folders:
        for path in sorted(folder.rglob("*.html")) if folder.is_dir() else []:
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                return path
            except OSError:
                continue
    return None


def _rendering_location(exc: Exception) -> str:
    """``file:line`` of the template line that raised, from the traceback Jinja rewrites to point at it."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".htm"))]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
