#!/usr/bin/env python
"""Build (or bring up to date) a briefs database from folders of article files.

    python scripts/build_db.py briefs.db seeds/ more-articles/ one-file.md

With no arguments it builds briefs.db from the project's seeds/ folder. Installed, the same
command is ``briefs-build``.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a clone without installing, too

from datasette_ukraine_briefs.build.cli import make_command  # noqa: E402

if __name__ == "__main__":
    make_command((str(ROOT / "seeds"),))()
