"""The command line around ``build``: ``briefs-build`` once installed, ``scripts/build_db.py``
in a clone (which builds from the project's seeds/ when given nothing)."""

from __future__ import annotations

import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from .files import MAX_FILE_SIZE
from .loader import BuildError, BuildOptions, build, recorded_inputs
from .progress import Progress, TerminalProgress

HELP = """Build (or bring up to date) a briefs database from folders of article files.

    briefs-build briefs.db seeds/ more-articles/ one-file.md

The database comes first, then any number of files and folders. Given no files or folders, it
rebuilds from those earlier builds of the database were given (a new database: from seeds/).
Files loaded before but not given now keep their articles unless --prune is given.
"""


def make_command(default_inputs: tuple[str, ...]) -> click.Command:
    @click.command(help=HELP)
    @click.argument("database", type=click.Path(dir_okay=False), default="briefs.db")
    @click.argument("inputs", nargs=-1, type=click.Path(exists=True))
    @click.option("--prune", is_flag=True, help="Remove the articles of files loaded before and not given now.")
    @click.option("--dry-run", is_flag=True, help="Say what the build would add, change and remove; write nothing.")
    @click.option("--strict", is_flag=True, help="Exit with status 1 on any warning or skipped file.")
    @click.option("--max-file-size", type=ByteSize(), default=MAX_FILE_SIZE, show_default="256M",
                  help="Skip files larger than this (bytes, or with K, M or G: 50M).")
    def command(database, inputs, prune, dry_run, strict, max_file_size):
        if not inputs and not recorded_inputs(Path(database)):
            inputs = default_inputs
        run(database, inputs, Options(prune, dry_run, strict, max_file_size))

    return command


class ByteSize(click.ParamType):
    """A size in bytes, written as a number with an optional K, M or G (powers of 1024)."""

    name = "size"
    UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}
    PATTERN = re.compile(r"^\s*(\d+)\s*([kmg]?)(?:i?b)?\s*$", re.I)

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        match = self.PATTERN.match(str(value))
        if not match:
            self.fail(f"{value!r} is not a size such as 50M, 800K or 1000000", param, ctx)
        return int(match[1]) * self.UNITS[match[2].lower()]


@dataclass(frozen=True)
class Options:
    prune: bool = False
    dry_run: bool = False
    strict: bool = False
    max_file_size: int = MAX_FILE_SIZE


def run(database: str, inputs, options: Options) -> None:
    progress = TerminalProgress() if sys.stderr.isatty() and not options.dry_run else Progress()
    try:
        report = build(database, inputs, BuildOptions(options.prune, options.dry_run, progress, options.max_file_size))
    except BuildError as error:
        raise click.ClickException(str(error))
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: {database} was left as it was", err=True)
        sys.exit(130)
    except (OSError, sqlite3.Error) as error:
        hint = " (is the disk full?)" if "disk" in str(error) or getattr(error, "errno", None) == 28 else ""
        raise click.ClickException(f"could not write {database}: {error}{hint}")
    for name, warning in report.warnings:
        click.echo(f"warning: {name}: {warning}", err=True)
    if report.planned is not None:
        for line in report.planned:
            click.echo(line)
        for line in report.missing_lines():
            click.echo(line)
        click.echo(f"dry run: {len(report.planned)} files would change; {database} was not written")
        return
    if not report.changed:
        click.echo(f"{database} is up to date: {report.files_read} files unchanged, {report.articles_total} articles")
        for line in report.missing_lines():
            click.echo(line)
    else:
        click.echo(f"{database}: {report.summary()}")
    if options.strict and (report.warnings or report.skipped):
        sys.exit(1)


main = make_command(("seeds",))
