"""Where the plugin's pages live, built through Datasette so base_url is respected. Under
``/-/briefs`` unless the ``url_prefix`` setting says otherwise:

    /-/briefs/<database>/search?q=…&kind=…&_next=…
    /-/briefs/<database>/article/<id>
    /-/briefs/<database>/person/<id>
    /-/briefs/<database>/story/<id>
    /-/briefs/<database>/altered?speaker=…&outlet=…&_next=…

Each also answers with ``.json`` appended, or ``?_format=json``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils import tilde_encode

from .config import settings_for


class BriefsUrls:
    def __init__(self, datasette, database: str):
        self.datasette = datasette
        self.database = database
        self.base = f"{settings_for(datasette).url_prefix}/{tilde_encode(database)}"

    def _path(self, path: str, fmt: str | None = None, **params) -> str:
        # A plain str: Datasette's URL string type looks up dir(str) on every method call.
        url = str(self.datasette.urls.path(path + (f".{fmt}" if fmt else "")))
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return url + ("?" + urlencode(params) if params else "")

    def search(self, q: str | None = None, fmt: str | None = None, kind: str | None = None, next: int | None = None) -> str:
        return self._path(f"{self.base}/search", fmt, q=q, kind=kind, _next=next)

    def article(self, article_id: str, fmt: str | None = None) -> str:
        return self._path(f"{self.base}/article/{tilde_encode(article_id)}", fmt)

    def person(self, person_id: str, fmt: str | None = None) -> str:
        return self._path(f"{self.base}/person/{tilde_encode(person_id)}", fmt)

    def story(self, story_id: str, fmt: str | None = None) -> str:
        return self._path(f"{self.base}/story/{tilde_encode(story_id)}", fmt)

    def altered(self, speaker: str | None = None, outlet: str | None = None, fmt: str | None = None,
                next: int | None = None) -> str:
        return self._path(f"{self.base}/altered", fmt, speaker=speaker, outlet=outlet, _next=next)

    def row(self, table: str, pk: str, fmt: str | None = None) -> str:
        url = str(self.datasette.urls.row(self.database, table, tilde_encode(pk)))
        return url + (".json" if fmt == "json" else "")

    def table(self, table: str) -> str:
        return str(self.datasette.urls.table(self.database, table))
