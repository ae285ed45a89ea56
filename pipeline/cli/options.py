"""Options shared by several commands, defined once, and the output reporter."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import click

from pipeline.errors import StrictModeError


@dataclass
class Reporter:
    """Prints a command's messages and counts its warnings.

    Stage functions never print: they return results that hold warnings, and
    the command hands them to the reporter, which sums them up at the end.
    """

    verbose: bool = False
    quiet: bool = False
    strict: bool = False
    warnings: list[str] = field(default_factory=list)

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message)

    def detail(self, message: str) -> None:
        if self.verbose and not self.quiet:
            click.echo(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        if not self.quiet:
            click.echo(click.style("warning: ", fg="yellow") + message, err=True)

    def finish(self) -> None:
        """Sum up the warnings; with ``--strict`` any warning fails the command."""
        count = len(self.warnings)
        if count and not self.quiet:
            click.echo(f"{count} warning{'s' if count != 1 else ''}", err=True)
        if count and self.strict:
            raise StrictModeError(f"{count} warning{'s' if count != 1 else ''} and --strict was given")


def project_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--project",
        "project_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=".",
        show_default="current folder",
        envvar="PIPELINE_PROJECT",
        help="The site repository to work on.",
    )(func)


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --verbose, --quiet and --strict, and pass a :class:`Reporter` as ``reporter``."""

    @click.option("-v", "--verbose", is_flag=True, help="Say more about what is done.")
    @click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
    @click.option("--strict", is_flag=True, help="Fail when there are warnings.")
    @functools.wraps(func)
    def wrapper(*args: Any, verbose: bool, quiet: bool, strict: bool, **kwargs: Any) -> Any:
        reporter = Reporter(verbose=verbose, quiet=quiet, strict=strict)
        result = func(*args, reporter=reporter, **kwargs)
        reporter.finish()
        return result

    return wrapper


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--project plus the output options: what every command takes."""
    return project_option(output_options(func))


def locale_option(multiple: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "-l",
        "--locale",
        "locales",
        multiple=multiple,
        metavar="LOCALE",
        help="Only this locale (repeatable); all locales when not given.",
    )


slugs_argument = click.argument("slugs", nargs=-1, metavar="[SLUG]...")


def load_project(project_dir: Path, **overrides: Any):
    """Load the project, turning settings flags into overrides."""
    from pipeline.project import Project

    return Project.load(project_dir, overrides)
