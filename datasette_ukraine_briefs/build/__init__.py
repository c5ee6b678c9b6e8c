"""The loader: a folder of article files to the tables of a briefs database.

Everything a build runs lives here: reading files (``files``), extracting and storing people
and quotations (``extraction``), creating and upgrading tables (``schema``), grouping articles
into stories (``stories``), the incremental and atomic build itself (``loader``) and its
command line (``cli``). It reads the pure core in ``text`` and never imports the site.
"""

from .loader import BuildError, BuildOptions, BuildReport, build

__all__ = ["BuildError", "BuildOptions", "BuildReport", "build"]
