"""User errors: each is one clear message and exit code 1, never a traceback.

Stage functions raise these; the CLI lets Click print them. They subclass
``click.ClickException`` so that the boundary needs no translation layer, and
importing ``click.exceptions`` is cheap.
"""

from __future__ import annotations

import os

from click.exceptions import ClickException


class PipelineError(ClickException):
    """Base class of every error a user can cause and fix."""


class ProjectError(PipelineError):
    """The project folder or its settings are not usable."""


class SettingsError(ProjectError):
    """``setup.cfg`` holds invalid settings; lists every problem at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        text = "invalid settings in setup.cfg:\n" + "\n".join(f"  - {p}" for p in problems)
        super().__init__(text)


class UnknownSlugError(PipelineError):
    """An article slug names no folder under ``source/``."""


class InvalidNameError(PipelineError):
    """A slug or locale that could escape the project's folders or is malformed."""


class LinkOutsideProjectError(ProjectError):
    """A symbolic link in the project points outside it: never read or written through."""


class SnapshotError(PipelineError):
    """A raw snapshot is missing, unreadable, empty or of an unknown format."""


class CatalogError(PipelineError):
    """A ``.po``/``.pot`` file cannot be read."""

    #: How ``check`` files it.
    code = "syntax"


class PluralFormsCatalogError(CatalogError):
    """A catalog's ``Plural-Forms`` header is one gettext refuses (``msgfmt -c``)."""

    code = "plural"


class DocumentError(PipelineError):
    """A clean document (``article.html``) cannot be read or holds no ``<article>``."""


class FileAccessError(PipelineError):
    """A file cannot be read or written where it must be (a folder in its place, a file where a folder must be)."""


class FetchError(PipelineError):
    """A URL could not be fetched."""


class StrictModeError(PipelineError):
    """``--strict`` was given and warnings were reported."""


class LockedError(PipelineError):
    """Another pipeline command is working on the same project."""


def file_problem(path: os.PathLike[str] | str, exc: OSError) -> str:
    """What is wrong with ``path``, from the error reading or writing it raised, in a user's words."""
    if isinstance(exc, IsADirectoryError):
        return f"{path}: a folder, not a file"
    if isinstance(exc, (NotADirectoryError, FileExistsError)):  # a file where a folder must be
        parent = os.path.dirname(os.fspath(path))
        while parent and not os.path.isfile(parent) and os.path.dirname(parent) != parent:
            parent = os.path.dirname(parent)
        if os.path.isfile(parent):
            return f"{path}: {parent} is a file, not a folder"
    return f"{path}: {exc.strerror or exc}"
