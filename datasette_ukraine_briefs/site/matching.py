"""Which people a reader means by a name: the person's id, their name, or part of a name.

    keir-starmer, Keir Starmer, keir starmer   that person (id, or the name in any case)
    Starmer, Sir Keir                          everyone whose name or a form of it contains it

An exact id or name wins; only when nothing matches exactly are partial matches tried, and
then every person who matches is meant (the pages say whom they matched). Everything is a
bound parameter: ``people_matching`` writes only the parameter's name into the SQL.
"""

from __future__ import annotations

import re

# Shorter text than this is matched exactly only: one letter would match nearly everyone.
MIN_PARTIAL = 3
_PARAMETER = re.compile(r"^:[a-z_]+$")


def people_matching(parameter: str) -> str:
    """A query of the ids of the people ``parameter`` (a bound ``:name``) means."""
    if not _PARAMETER.match(parameter):
        raise ValueError(f"not a parameter name: {parameter}")
    p = parameter
    return f"""select id from people where id = {p} or name = trim({p}) collate nocase
        union
        select id from people
        where not exists (select 1 from people where id = {p} or name = trim({p}) collate nocase)
          and length(trim({p})) >= {MIN_PARTIAL}
          and (instr(lower(name), lower(trim({p}))) > 0 or instr(lower(aliases), lower(trim({p}))) > 0)"""
