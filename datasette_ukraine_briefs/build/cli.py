"""The command line around ``build``: ``briefs-build`` once installed, ``scripts/build_db.py``
in a clone (which builds from the project's seeds/ when given nothing)."""

from __future__ import annotations

import sqlite3
import sys

import click

from .loader import BuildError, build

HELP = """Build (or bring up to date) a briefs database from folders of article files.

    briefs-build briefs.db seeds/ more-articles/ one-file.md

The database comes first, then any number of files and folders; with no arguments it builds
briefs.db from the folder seeds/.
"""


def make_command(default_inputs: tuple[str, ...]) -> click.Command:
    @click.command(help=HELP)
    @click.argument("database", type=click.Path(dir_okay=False), default="briefs.db")
    @click.argument("inputs", nargs=-1, type=click.Path(exists=True))
    @click.option("--strict", is_flag=True, help="Exit with status 1 on any warning or skipped file.")
    def command(database, inputs, strict):
        run(database, inputs or default_inputs, strict)

    return command


def run(database: str, inputs, strict: bool) -> None:
    bar = click.progressbar(length=1, label="Loading", file=sys.stderr) if sys.stderr.isatty() else None

    def on_file(done, total):
        if bar is not None:
            bar.length = total
            bar.update(1)

    try:
        report = build(database, inputs, on_file=on_file)
    except BuildError as error:
        raise click.ClickException(str(error))
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: {database} was left as it was", err=True)
        sys.exit(130)
    except (OSError, sqlite3.Error) as error:
        hint = " (is the disk full?)" if "disk" in str(error) or getattr(error, "errno", None) == 28 else ""
        raise click.ClickException(f"could not write {database}: {error}{hint}")
    finally:
        if bar is not None:
            bar.render_finish()
    for name, warning in report.warnings:
        click.echo(f"warning: {name}: {warning}", err=True)
    if not report.changed:
        click.echo(f"{database} is up to date: {report.files_read} files unchanged, {report.articles_total} articles")
    else:
        click.echo(f"{database}: {report.summary()}")
    if strict and (report.warnings or report.skipped):
        sys.exit(1)


main = make_command(("seeds",))
