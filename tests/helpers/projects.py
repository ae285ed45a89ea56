"""The repository's own project and the shared data beside it, and projects of raw snapshots."""

from __future__ import annotations

from pathlib import Path


REPO_ROOT = Path(__file__).resolve().parents[2]


SHIPPED_SLUG = "what-is-a-machine-learning-engineer"


EXTRACTION_DEV = REPO_ROOT.parent / "shared" / "extraction-dev"


def snapshot_project(root: Path, articles: dict[str, tuple[str, bytes | str]], settings: str = "") -> Path:
    """A project at ``root`` with ``{slug: (snapshot file name, content)}`` and optional settings."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "setup.cfg").write_text("[pipeline]\nsource_language = en\n" + settings, encoding="utf-8")
    for slug, (name, content) in articles.items():
        folder = root / "source" / slug
        folder.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return root
