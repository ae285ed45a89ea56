"""``pipeline serve``: a live preview of every locale for translators."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.options import Reporter, common_options


@click.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1; 0 picks a free one (printed).",
)
@common_options
def serve(port: int, project_dir: Path, reporter: Reporter) -> None:
    """Preview the site in a browser and rebuild it when a file changes.

    \b
    Builds every locale, drafts below the threshold included (marked as
    drafts), into a temporary folder (never output/, so a preview never ends
    up in a publish). Saving a .po file rebuilds that article in that locale;
    the open page reloads by itself and shows catalog errors in a banner.
    The translation status is at /__status. Only requests addressed to
    127.0.0.1, localhost or [::1] on that port are answered, so no other web
    site can read the drafts through your browser. Stop with Ctrl+C.
    """
    import signal

    from pipeline.preview.server import serve as run_serve

    def stop(signum, frame):  # a SIGTERM stops as Ctrl+C does: the preview folder is removed
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    events = run_serve(project_dir, port=port)
    try:
        for event in events:
            if event.kind == "error":
                click.echo(click.style("error: ", fg="red") + event.message, err=True)
            elif event.kind == "warning":
                reporter.warn(event.message)
            else:
                reporter.info(event.message)
                for path in getattr(event, "paths", ()) or ():
                    reporter.detail(f"  {path}")
    except KeyboardInterrupt:
        reporter.info("stopped")
    finally:
        events.close()
    # Warnings were for the translator at the time; they do not make stopping a failure.
    reporter.warnings.clear()
