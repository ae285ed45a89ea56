"""The package's own templates are found where they are, by every command that uses them."""

from __future__ import annotations

from pathlib import Path

import pipeline
from pipeline.packaged import PACKAGE_TEMPLATES
from pipeline.preview.server import watched_roots


def test_the_packaged_templates_are_where_the_build_serve_and_extract_look() -> None:
    assert (PACKAGE_TEMPLATES / "article.html").is_file()
    assert PACKAGE_TEMPLATES.parent == Path(pipeline.__file__).resolve().parent


def test_serve_watches_the_packaged_templates_and_no_folder_of_the_package_that_does_not_exist(tmp_path: Path) -> None:
    package = Path(pipeline.__file__).resolve().parent
    roots = watched_roots(tmp_path)
    assert PACKAGE_TEMPLATES in roots
    assert all(root.exists() for root in roots if root.is_relative_to(package))
