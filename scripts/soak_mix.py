"""What the soak (scripts/soak.py) loads and asks: the hostile article files it adds to the
archive, and the weighted mix of requests it drives at the server.

The hostile files are the reproductions of issue 17, at ``scale`` 1.0 (the test uses a tiny
scale so a run takes seconds):

- ``anchors.md``: 10,000 repetitions of ``<a `` (rendering it took 9 s);
- ``links.md``: 40 KB of ``[a](`` (28 s);
- ``brackets.md``: 100 KB of nested brackets ``[[[[…`` (over 150 s);
- ``lines.txt``: a plain file of 100,000 short lines, one article of about 800,000 words (the
  issue's million lines made one of 7 million words; a tenth keeps the build to minutes);
- ``quotes.txt``: 3,000 short quotations with no sentence end between them (the issue's 16,000
  made a 1.95 GB database; 3,000 keep the same shape at a few tens of MB).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

HOSTILE_FOLDER = "hostile"  # the folder name, and so the first part of their source_file

# Sizes at scale 1.0 (see the module's docstring for why each).
ANCHOR_REPEATS = 10_000
LINK_BYTES = 40_000
BRACKET_BYTES = 100_000
PLAIN_LINES = 100_000
SHORT_QUOTES = 3_000


def write_hostile(folder: Path, scale: float) -> dict[str, int]:
    """Write the hostile files into ``folder``; returns each file's size in bytes."""
    folder.mkdir(parents=True, exist_ok=True)

    def n(count: int) -> int:
        return max(10, int(count * scale))

    words = "field report from the front line today".split()
    texts = {
        "anchors.md": "# Anchors everywhere\n\n" + "<a " * n(ANCHOR_REPEATS) + "\n",
        "links.md": "# Links that never close\n\n" + "[a](" * (n(LINK_BYTES) // 4) + "\n",
        "brackets.md": "# Brackets all the way down\n\n" + "[" * n(BRACKET_BYTES) + "\n",
        "lines.txt": "\n".join(f"{i:07d} " + " ".join(words[(i + k) % len(words)] for k in range(6))
                               for i in range(n(PLAIN_LINES))) + "\n",
        "quotes.txt": "Many voices\n\n" + " ".join(
            f"“word {i} here,” said Anna Kovalenko, and" for i in range(n(SHORT_QUOTES))) + "\n",
    }
    sizes = {}
    for name, text in texts.items():
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        sizes[name] = len(data)
    return sizes


@dataclass
class Targets:
    """Ids read from the built database, for the URLs of the mix."""

    database: str
    articles: list[str]
    hostile_articles: list[str]
    people: list[str]
    stories: list[str]
    words: list[str] = field(default_factory=lambda: ["ceasefire", "troops", "security", "talks", "Kyiv", "sanctions"])
    phrases: list[str] = field(default_factory=list)  # long phrases cut from real bodies


def read_targets(conn, database: str, sample: int, rng: random.Random) -> Targets:
    """Pick ids from an open sqlite3 connection to the built database."""

    def ids(sql: str, *args) -> list[str]:
        return [row[0] for row in conn.execute(sql, args)]

    hostile = ids("select id from articles where source_file like ? order by source_file, position",
                  f"{HOSTILE_FOLDER}/%")
    articles = ids("select id from articles where source_file not like ? order by random() limit ?",
                   f"{HOSTILE_FOLDER}/%", sample)
    people = ids("select id from people order by quote_count desc limit ?", sample // 2)
    people += ids("select id from people order by random() limit ?", sample // 2)
    stories = ids("select id from stories order by article_count desc limit ?", sample // 2)
    stories += ids("select id from stories order by random() limit ?", sample // 2)
    bodies = [row[0] for row in conn.execute(
        "select substr(body, 1, 600) from articles where source_file not like ? order by random() limit 20",
        (f"{HOSTILE_FOLDER}/%",))]
    phrases = [" ".join(body.split()[:40]) for body in bodies if body]
    return Targets(database, articles or ["no-such-article"], hostile, people or ["no-such-person"],
                   stories or ["no-such-story"], phrases=phrases or ["the talks were constructive"])


@dataclass(frozen=True)
class Request:
    kind: str
    path: str  # already percent-encoded, from the server's root


def _q(value: str) -> str:
    return quote(value, safe="")


def _tilde(value: str) -> str:
    """Datasette's tilde encoding of a path segment (what its URLs use for ids)."""
    safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "".join(c if c in safe else "".join(f"~{b:02X}" for b in c.encode("utf-8")) for c in value)


# Expensive inputs of issue 17.
SQL_BOMBS = (
    "select length(briefs_markdown(replace(hex(zeroblob(10000)),'00','<a ')))",
    "select length(briefs_markdown(replace(hex(zeroblob(10000)),'00','[a](')))",
    "select length(briefs_quote_diff(a, b)) from (with recursive n(i) as (select 1 union all select i + 1 from n"
    " where i < 30000) select group_concat(i, ' ') as a, group_concat(30001 - i, ' ') as b from n)",
    "select briefs_similarity(replace(hex(zeroblob(50000)),'00','ab '), replace(hex(zeroblob(50000)),'00','ba '))",
    "select length(briefs_quotes(replace(hex(zeroblob(20000)),'00','“a,” he said ')))",
    "select length(briefs_people(replace(hex(zeroblob(20000)),'00','Anna Kovalenko ')))",
)
SQL_CHEAP = (
    "select briefs_markdown('**hello** [link](https://example.org)')",
    "select briefs_similarity('the talks were constructive', 'the talks were not constructive')",
    "select count(*) from articles",
)
EXPENSIVE_SEARCHES = (" ".join(["the"] * 100), "a* OR b* OR c*", "t* OR s* OR p* OR c*", '"the the the the the"',
                      "NEAR(the of and, 100)")
ODD_PATHS = (
    "/-/briefs/no-such-db/search?q=x", "/-/briefs/{db}/article/~zz", "/-/briefs/{db}/article/%00",
    "/-/briefs/{db}/article/" + "x" * 5000, "/-/briefs/{db}/person/..%2F..%2Fetc%2Fpasswd",
    "/-/briefs/{db}/search?q=%22", "/-/briefs/{db}/search?q=NEAR(", "/-/briefs/{db}/search?q=*",
    "/-/briefs/{db}/search?q=x&_next=-1", "/-/briefs/{db}/search?q=x&_next=99999999999999999999999",
    "/-/briefs/{db}/search?q=x&kind=bogus", "/-/briefs/{db}/search?q=%3Cscript%3E", "/-/briefs/{db}",
    "/-/briefs/{db}/altered?_next=abc", "/-/briefs/{db}/story/%FF%FE", "/-/briefs/{db}/search?q=" + "a" * 3000,
    "/{db}/articles?_search=%22", "/{db}/articles?_size=-1", "/{db}/quotes_by_person?person=%25",
    "/{db}/who_said?phrase=%22", "/{db}/newest_articles.atom?_size=max", "/-/briefs/{db}/search.json?q=the&_next=x",
)
# Odd URLs that Datasette itself answers with 500, with no plugin loaded, on a plain database:
# 0.65.5 for a sort by an unknown column, 1.0a41 for a facet on one. Only sent when asked for
# (--kind odd_upstream), so that the default mix measures the plugin.
UPSTREAM_ODD_PATHS = ("/{db}/articles?_sort=nope", "/{db}/articles?_sort_desc=nope", "/{db}/articles?_facet=nope")


KINDS = ("search", "search_expensive", "article", "article_hostile", "person", "story", "altered", "canned", "feed",
         "sql_function", "table_search", "odd", "odd_upstream")
OPT_IN = frozenset({"odd_upstream"})  # kinds drawn only when asked for by name


class Mix:
    """A weighted choice of requests over the targets; ``kinds`` lists every kind it draws."""

    def __init__(self, targets: Targets, sql_path: str, rng: random.Random, only: frozenset[str] = frozenset()):
        self.t = targets
        self.sql_path = sql_path  # /<db>.json on 0.65, /<db>/-/query.json on 1.0
        self.rng = rng
        self.makers = {  # kind: (weight, function giving a path)
            "search": (8, self._search),
            "search_expensive": (4, self._search_expensive),
            "article": (6, self._article),
            "article_hostile": (3 if targets.hostile_articles else 0, self._article_hostile),
            "person": (4, self._person),
            "story": (4, self._story),
            "altered": (2, self._altered),
            "canned": (5, self._canned),
            "feed": (2, self._feed),
            "sql_function": (3, self._sql_function),
            "table_search": (3, self._table_search),
            "odd": (3, self._odd),
            "odd_upstream": (3 if "odd_upstream" in only else 0, self._odd_upstream),
        }
        assert tuple(self.makers) == KINDS
        unknown = only - set(self.makers)
        if unknown:
            raise ValueError(f"no such kind of request: {', '.join(sorted(unknown))}")
        self.kinds = [kind for kind, (weight, _) in self.makers.items() if weight and (not only or kind in only)]
        if not self.kinds:
            raise ValueError("no kind of request left to send")
        self._weights = [self.makers[kind][0] for kind in self.kinds]

    def next(self) -> Request:
        kind = self.rng.choices(self.kinds, self._weights)[0]
        return Request(kind, self.makers[kind][1]())

    def _pick(self, values):
        return self.rng.choice(values)

    def _base(self) -> str:
        return f"/-/briefs/{_tilde(self.t.database)}"

    def _fmt(self) -> str:
        return self._pick(("", "", ".json"))

    def _search(self) -> str:
        q = self._pick(self.t.words + [self._pick(self.t.people).replace("-", " ")])
        kind = self._pick(("", "", "articles", "quotes", "people"))
        return f"{self._base()}/search{self._fmt()}?" + urlencode({"q": q, **({"kind": kind} if kind else {})})

    def _search_expensive(self) -> str:
        q = self._pick(EXPENSIVE_SEARCHES + (self._pick(self.t.phrases),))
        return f"{self._base()}/search{self._fmt()}?" + urlencode({"q": q})

    def _article(self) -> str:
        return f"{self._base()}/article/{_tilde(self._pick(self.t.articles))}{self._fmt()}"

    def _article_hostile(self) -> str:
        return f"{self._base()}/article/{_tilde(self._pick(self.t.hostile_articles))}{self._fmt()}"

    def _person(self) -> str:
        return f"{self._base()}/person/{_tilde(self._pick(self.t.people))}{self._fmt()}"

    def _story(self) -> str:
        return f"{self._base()}/story/{_tilde(self._pick(self.t.stories))}{self._fmt()}"

    def _altered(self) -> str:
        speaker = self._pick(("", self._pick(self.t.people)))
        return f"{self._base()}/altered{self._fmt()}" + (f"?speaker={_q(speaker)}" if speaker else "")

    def _canned(self) -> str:
        db = _q(self.t.database)
        person = self._pick(self.t.people)
        name, params = self._pick((
            ("quotes_by_person", {"person": person}),
            ("who_said", {"phrase": self._pick(self.t.words)}),
            ("articles_with_two_people", {"first": person, "second": self._pick(self.t.people)}),
            ("altered_quotations", {"speaker": self._pick(("", person))}),
            ("coverage_by_outlet_month", {}),
            ("most_quoted_people", {}),
            ("newest_articles", {}),
            ("person_feed", {"person": person}),
        ))
        return f"/{db}/{name}{self._pick(('', '.json'))}" + (f"?{urlencode(params)}" if params else "")

    def _feed(self) -> str:
        db = _q(self.t.database)
        if self.rng.random() < 0.5:
            return f"/{db}/newest_articles.atom"
        return f"/{db}/person_feed.atom?person={_q(self._pick(self.t.people))}"

    def _sql_function(self) -> str:
        sql = self._pick(SQL_BOMBS) if self.rng.random() < 0.6 else self._pick(SQL_CHEAP)
        return f"{self.sql_path}?sql={_q(sql)}"

    def _table_search(self) -> str:
        db = _q(self.t.database)
        table = self._pick(("articles", "quotes", "people"))
        q = self._pick(self.t.words + list(EXPENSIVE_SEARCHES[:2]))
        return f"/{db}/{table}{self._pick(('', '.json'))}?_search={_q(q)}"

    def _odd(self) -> str:
        return self._pick(ODD_PATHS).replace("{db}", _tilde(self.t.database))

    def _odd_upstream(self) -> str:
        return self._pick(UPSTREAM_ODD_PATHS).replace("{db}", _tilde(self.t.database))
