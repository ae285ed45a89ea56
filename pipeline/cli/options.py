"""Options shared by several commands, defined once; the settings as their defaults; the output reporter."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import click

from pipeline.errors import SettingsError, StrictModeError

#: ``ctx.meta`` key: the settings a command's options took their defaults from, or the
#: :class:`SettingsError` that reading them raised (raised in turn by :func:`load_project`).
SETTINGS_READ = "pipeline.settings"
#: ``ctx.meta`` key: what is wrong with flags the settings' readers refuse, said with the settings' problems.
FLAG_PROBLEMS = "pipeline.flag_problems"


class ProjectCommand(click.Command):
    """A command on a project: the project's settings are the defaults of its options.

    The settings are read before the options are parsed and become the
    context's ``default_map``, so a flag typed on the command line overrides
    its setting through Click itself (as sphinx-intl does). Which project is
    itself an option (``--project``, ``PIPELINE_PROJECT``): Click's parser
    finds it first, converting and checking nothing. Settings that cannot be
    read are not an error yet, so that ``--help`` works anywhere and mistakes
    on the command line are said first: :func:`load_project` raises it.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from pipeline.settings import command_defaults, load_settings

        try:
            settings = load_settings(Path(self._project_dir(ctx, args)).resolve())
        except SettingsError as error:
            ctx.meta[SETTINGS_READ] = error
        else:
            ctx.meta[SETTINGS_READ] = settings
            ctx.default_map = {**command_defaults(settings, self.name or ""), **(ctx.default_map or {})}
        return super().parse_args(ctx, args)

    def _project_dir(self, ctx: click.Context, args: list[str]) -> str:
        """``--project`` as given, else ``PIPELINE_PROJECT``, else its default (the current folder)."""
        try:
            given, _, _ = self.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            given = {}  # the real parse says what is wrong
        if given.get("project_dir") is not None:
            return given["project_dir"]
        option = next(p for p in self.params if p.name == "project_dir")
        from_environment = option.resolve_envvar_value(ctx)
        return from_environment if from_environment is not None else option.default


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

    def warn(self, message: str, *, labelled: bool = False) -> None:
        """Count and print a warning; ``labelled`` when the message already says ``warning:``
        (``file:line: warning: ...``, as gettext's tools write it), so it is not said twice."""
        self.warnings.append(message)
        if not self.quiet:
            click.echo(message if labelled else click.style("warning: ", fg="yellow") + message, err=True)

    def summarize(self) -> None:
        """Say how many warnings there were (also when the command then fails)."""
        count = len(self.warnings)
        if count and not self.quiet:
            click.echo(f"{count} warning{'s' if count != 1 else ''}", err=True)

    def finish(self) -> None:
        """Sum up the warnings; with ``--strict`` any warning fails the command."""
        self.summarize()
        count = len(self.warnings)
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
        if verbose and quiet:
            raise click.UsageError("--verbose and --quiet contradict each other; give one")
        reporter = Reporter(verbose=verbose, quiet=quiet, strict=strict)
        try:
            result = func(*args, reporter=reporter, **kwargs)
        except click.ClickException:
            reporter.summarize()  # the warnings before the error still count
            raise
        reporter.finish()
        return result

    return wrapper


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--project plus the output options: what every command takes."""
    return project_option(output_options(func))


@dataclass
class LockRequest:
    """How a command takes the project lock: wait (the default), with a limit, or not at all."""

    no_wait: bool = False
    timeout: float | None = None

    def hold(self, root: Path, reporter: Reporter):
        """The project lock on ``root``, saying on stderr when another command holds it."""
        from pipeline.fsutil import project_lock

        def say_waiting() -> None:
            if not reporter.quiet:
                limit = f" (at most {self.timeout:g} s)" if self.timeout is not None else ""
                click.echo(f"waiting for another pipeline command to finish working on {root}{limit}…", err=True)

        return project_lock(root, wait=not self.no_wait, timeout=self.timeout, on_wait=say_waiting)


def lock_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --no-wait and --lock-timeout, and pass a :class:`LockRequest` as ``lock``.

    For every command that writes into the project: a second command on the
    same project waits for the first, so their writes never interleave.
    """

    @click.option(
        "--no-wait",
        is_flag=True,
        help="Stop at once when another pipeline command is working on the project, instead of waiting for it.",
    )
    @click.option(
        "--lock-timeout",
        type=click.FloatRange(min=0),
        default=None,
        metavar="SECONDS",
        help="Wait at most this long for another pipeline command working on the project.",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, no_wait: bool, lock_timeout: float | None, **kwargs: Any) -> Any:
        return func(*args, lock=LockRequest(no_wait=no_wait, timeout=lock_timeout), **kwargs)

    return wrapper


def catalog_locale(name: str) -> str:
    """The catalogs' spelling of a locale typed as the pages spell it (``zh-TW`` -> ``zh_TW``),
    as the settings read it; any other name as typed (the stage validates it)."""
    from pipeline.names import LOCALE_PATTERN
    from pipeline.settings import normalize_locale

    return normalize_locale(name) if "-" in name and LOCALE_PATTERN.fullmatch(name) else name


def catalog_locales(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Click callback: :func:`catalog_locale` on one value or each of several."""
    if isinstance(value, tuple):
        return tuple(catalog_locale(name) for name in value)
    return catalog_locale(value) if isinstance(value, str) else value


def _from_settings(ctx: click.Context, param: click.Parameter) -> bool:
    """Whether the option's value is its setting's (read and checked with the settings)."""
    return ctx.get_parameter_source(param.name or "") is click.core.ParameterSource.DEFAULT_MAP


def base_url_value(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback for ``--base-url``: an http(s) URL, or a usage error naming the flag
    (the settings' own check would blame setup.cfg for a value typed on the command line);
    then read as the setting is (no trailing ``/``; a refusal is one of the settings' problems)."""
    from urllib.parse import urlsplit

    from pipeline.settings import flag_value

    if value is None or _from_settings(ctx, param):
        return value
    if value.strip():
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise click.BadParameter(f"{value!r} is not an http(s) URL; write it in full, as https://example.org")
    try:
        return str(flag_value("base_url", value))
    except SettingsError as error:
        ctx.meta.setdefault(FLAG_PROBLEMS, []).extend(error.problems)
        return value


def checked_jobs(value: str | int | None) -> int | None:
    """``--jobs`` (or its setting): a number of processes, or None for ``auto``."""
    from pipeline.settings import MAX_JOBS, parse_jobs

    if value is None:
        return None
    processes = parse_jobs(str(value))
    if processes == 0:
        raise click.BadParameter(f"{value!r} is not 'auto' or a number of processes from 1 to {MAX_JOBS}", param_hint="--jobs")
    return processes


def checked_scheduler(value: str | None) -> str:
    """``--scheduler`` (or its setting): a Dask scheduler's address, or "" to build here."""
    from pipeline.settings import scheduler_address

    try:
        return scheduler_address(value or "")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--scheduler") from None


def locale_option(
    multiple: bool = True, help: str = "Only this locale (repeatable); all locales when not given."
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "-l",
        "--locale",
        "locales",
        multiple=multiple,
        metavar="LOCALE",
        callback=catalog_locales,
        help=help,
    )


def base_url_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--base-url``, whose default is the setting base_url (it feeds this option)."""
    return click.option("--base-url", metavar="URL", default=None, callback=base_url_value, help=help)


slugs_argument = click.argument("slugs", nargs=-1, metavar="[SLUG]...")


def load_project(project_dir: Path):
    """The project the command works on, with the settings its options took their defaults from."""
    from pipeline.project import Project

    meta = click.get_current_context().meta
    settings = meta.get(SETTINGS_READ)
    problems = (settings.problems if isinstance(settings, SettingsError) else []) + meta.get(FLAG_PROBLEMS, [])
    if problems:
        raise SettingsError(problems)
    return Project.load(project_dir, settings)


def shown_path(path: Path, root: Path) -> str:
    """A path relative to the project when it is inside it (shorter, copy-pasteable), else as it is."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
