#!/usr/bin/env python
"""Build (or bring up to date) a briefs database from folders of article files.

    python scripts/build_db.py briefs.db seeds/ more-articles/ one-file.md

With no arguments it builds briefs.db from the project's seeds/ folder.
"""

import sqlite3
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
if not (ROOT / "datasette_ukraine_briefs").is_dir():  # pragma: no cover - installed elsewhere
    ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))

from datasette_ukraine_briefs.build import BuildError, build  # noqa: E402


@click.command(help=__doc__)
@click.argument("database", type=click.Path(dir_okay=False), default="briefs.db")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Exit with status 1 on any warning.")
def main(database, inputs, strict):
    inputs = inputs or (str(ROOT / "seeds"),)
    bar = None
    if sys.stderr.isatty():
        bar = click.progressbar(length=1, label="Loading", file=sys.stderr)

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
        raise click.ClickException(f"could not write {database}: {error}")
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


if __name__ == "__main__":
    main()
