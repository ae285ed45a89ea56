"""The ``pipeline`` command line: Click only (options, messages, exit codes).

Each command lives in its own module under ``pipeline.cli`` and is imported only
when it is run or listed, so ``pipeline --help`` stays fast; the stage modules
that do the work are imported inside the commands.
"""

from __future__ import annotations

import importlib
import importlib.util

import click

from pipeline import __version__

#: Command name -> "module:function"; order is the order of the pipeline.
COMMANDS: dict[str, str] = {
    "scrape": "pipeline.cli.scrape:scrape",
    "clean": "pipeline.cli.clean:clean",
    "extract": "pipeline.cli.catalogs:extract",
    "init": "pipeline.cli.catalogs:init",
    "update": "pipeline.cli.catalogs:update",
    "check": "pipeline.cli.catalogs:check",
    "stats": "pipeline.cli.catalogs:stats",
    "glossary": "pipeline.cli.glossary:glossary",
    "pseudo": "pipeline.cli.pseudo:pseudo",
    "build": "pipeline.cli.build:build",
    "serve": "pipeline.cli.serve:serve",
    "publish": "pipeline.cli.publish:publish",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._importable(name)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None  # a command not built yet
            raise
        return getattr(module, attribute)

    @staticmethod
    def _importable(name: str) -> bool:
        module_name = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module_name) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="pipeline")
def main() -> None:
    """Turn web articles into published pages in many languages through gettext catalogs.

    \b
    The pipeline:  scrape -> clean -> extract -> init/update
                   -> (translators edit .po) -> check/stats -> build -> serve/publish

    Every command works on the project in the current folder, or on the one
    given with --project.
    """
    from pipeline import crashpoints

    crashpoints.arm_from_environment()  # the tests' kill hook, read once

