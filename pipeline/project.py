"""The project: a folder laid out as ``source/``, ``locales/``, ``output/``.

Every stage takes a :class:`Project`; it resolves names to paths and refuses any
name that could lead outside the project's folders.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from pipeline.errors import LinkOutsideProjectError, ProjectError, UnknownSlugError
from pipeline.names import LOCALE_PATTERN, SLUG_PATTERN, validate_locale_name, validate_slug
from pipeline.settings import Settings, load_settings

SNAPSHOT_NAMES = ("snapshot.html", "snapshot.htm", "snapshot.txt")


def confine(root: Path, path: Path, checked: set[str], within: str = "the project") -> Path:
    """``path`` (under ``root``), unless a symbolic link on the way leads outside ``root``.

    Each part from ``root`` down is looked at with ``lstat``; a link is
    followed to its real path, which must lie inside ``root``. Parts that do
    not exist yet end the walk (nothing there to follow). ``checked`` holds
    the parts already found harmless, so that a build asking for ten thousand
    catalog paths looks at each folder once, and at each file in it once.

    What that guarantees: a link in place when this process first meets a
    part is refused. A part found harmless is not looked at again, so a
    folder replaced by a link after that is not seen; guarding against such
    a race would take opening every part without following links.
    """
    path_text = str(path)
    if path_text in checked:
        return path  # every part on the way was checked with it
    folder = path_text.rpartition(os.sep)[0]
    if folder in checked:  # the parts of its folder were checked with it: only the last part is new
        _check_part(root, path_text, checked, within)
        return path
    current = str(root)
    prefix = current if current.endswith(os.sep) else current + os.sep
    if path_text.startswith(prefix) and len(path_text) > len(prefix):
        # Both are normalized paths: the text after the root's is the relative path's.
        parts: Sequence[str] = path_text[len(prefix):].split(os.sep)
    else:
        parts = path.relative_to(root).parts
    for part in parts:
        current = os.path.join(current, part)
        if current not in checked and not _check_part(root, current, checked, within):
            break
    return path


def _check_part(root: Path, part: str, checked: set[str], within: str) -> bool:
    """Whether ``part`` exists; added to ``checked`` when it does (LinkOutsideProjectError when it leads outside ``root``)."""
    try:
        mode = os.lstat(part).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return False
    if stat.S_ISLNK(mode):
        target, real_root = os.path.realpath(part), os.path.realpath(root)
        if target != real_root and not target.startswith(real_root + os.sep):
            raise LinkOutsideProjectError(
                f"{part} is a symbolic link to {target}, outside {within} {root}; pipeline reads and "
                f"writes only inside {within}: put the file or folder itself there"
            )
    checked.add(part)
    return True


@dataclass(frozen=True)
class Project:
    """A site repository: its folders and its settings.

    Every path it gives is checked by :func:`confine`: no input is read and
    no output written through a symbolic link that leads out of the project.
    """

    root: Path
    settings: Settings
    _checked: set[str] = field(default_factory=set, compare=False, hash=False, repr=False)

    def _confined(self, path: Path) -> Path:
        return confine(self.root, path, self._checked)

    @classmethod
    def load(cls, root: Path, settings: Settings | None = None) -> "Project":
        """The project at ``root``, with ``settings`` already read from it (the CLI reads them
        first, for its options' defaults) or read now."""
        root = Path(root).resolve()
        if not root.is_dir():
            raise ProjectError(f"project folder {root} does not exist")
        return cls(root=root, settings=settings if settings is not None else load_settings(root))

    @property
    def source_dir(self) -> Path:
        return self._confined(self.root / "source")

    @property
    def locales_dir(self) -> Path:
        return self._confined(self.root / "locales")

    @property
    def output_dir(self) -> Path:
        return self._confined(self.root / "output")

    @property
    def templates_dir(self) -> Path:
        """``templates/``, every link in it checked: Jinja and the build read any file there."""
        folder = self._confined(self.root / "templates")
        if f"{folder}{os.sep}*" not in self._checked:
            for parent, folders, files in os.walk(folder):  # links to folders are listed, not entered
                for name in folders + files:
                    if os.path.islink(os.path.join(parent, name)):
                        self._confined(Path(parent) / name)
            self._checked.add(f"{folder}{os.sep}*")
        return folder

    def article_dir(self, slug: str) -> Path:
        return self._confined(self.source_dir / validate_slug(slug))

    def all_slugs(self) -> list[str]:
        """Every article folder under ``source/``, sorted for stable output."""
        try:
            # scandir: the folder's own listing says what is a folder (no stat per article)
            with os.scandir(self.source_dir) as entries:
                return sorted(e.name for e in entries if SLUG_PATTERN.fullmatch(e.name) and e.is_dir())
        except (FileNotFoundError, NotADirectoryError):
            return []

    def resolve_slugs(self, slugs: tuple[str, ...] | list[str]) -> list[str]:
        """The slugs asked for, checked to exist; all of them when none is asked for."""
        if not slugs:
            found = self.all_slugs()
            if not found:
                raise UnknownSlugError(f"no articles under {self.source_dir}")
            return found
        result = []
        for slug in slugs:
            if not self.article_dir(slug).is_dir():
                known = ", ".join(self.all_slugs()) or "none"
                raise UnknownSlugError(f"no article {slug!r} under {self.source_dir} (known: {known})")
            result.append(slug)
        return result

    def clean_document_path(self, slug: str) -> Path:
        return self._confined(self.article_dir(slug) / "article.html")

    def clean_report_path(self, slug: str) -> Path:
        return self._confined(self.article_dir(slug) / "clean-report.json")

    def snapshot_path(self, slug: str) -> Path | None:
        """The raw snapshot of an article, whatever its format, or None."""
        folder = self.article_dir(slug)
        for name in SNAPSHOT_NAMES:
            if (folder / name).is_file():
                return self._confined(folder / name)
        return None

    def template_path(self, domain: str) -> Path:
        return self._confined(self.locales_dir / f"{domain}.pot")

    def catalog_path(self, locale: str, domain: str) -> Path:
        return self._confined(self.locales_dir / validate_locale_name(locale) / "LC_MESSAGES" / f"{domain}.po")

    def catalog_locales(self) -> list[str]:
        """Locales that have a catalog folder under ``locales/``, sorted.

        A file where ``locales/`` or a locale's ``LC_MESSAGES/`` folder must be
        is a :class:`ProjectError`: its catalogs would be silently ignored.
        """
        if not self.locales_dir.is_dir():
            if self.locales_dir.exists():
                raise ProjectError(f"{self.locales_dir} is a file, not the folder of the catalogs")
            return []
        found = []
        for folder in self.locales_dir.iterdir():
            if not LOCALE_PATTERN.fullmatch(folder.name):
                continue
            catalogs = self._confined(folder / "LC_MESSAGES")  # a locale folder linked from outside: said here
            if catalogs.is_dir():
                found.append(folder.name)
            elif catalogs.exists():
                raise ProjectError(f"{catalogs} is a file, not the folder of the {folder.name} catalogs")
        return sorted(found)
