"""Files shipped inside the package: the default page templates, found by one path.

The build hashes them (a changed template rebuilds every page), ``serve`` watches them
and ``extract`` reads their strings: all three must name the same folder.
"""

from __future__ import annotations

from pathlib import Path

#: The page templates a project uses where its own ``templates/`` folder has none.
PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"
