"""How Datasette's own pages browse a briefs database: every table's description, label column,
sort orders and facets, every column described, build-only tables hidden; declared once here
as data, for every briefs database whatever its name.

``fts_table`` comes from the full-text columns and ``hidden`` from the hidden flags
``tables.py`` declares. A site owner's own metadata or configuration for a table wins, key by
key (``sort`` and ``sort_desc`` count as one key: Datasette refuses both at once).

The two Datasette lines read table settings from different places: 0.65 from metadata, which
the plugin's ``get_metadata`` hook adds to (``metadata_defaults``); 1.0 from its configuration,
and descriptions from its internal database, which the plugin fills at startup
(``apply_to_config``, ``apply_descriptions``) where the owner set nothing.
"""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass, field
from typing import Mapping

from ..tables import HIDDEN_TABLES, PART_OF, SEARCHABLE, TABLES
from ..text.quote_record import SPEAKER_HOW, SPEAKER_HOW_TO_CHECK
from .config import reading, settings_for
from .databases import briefs_database_names, briefs_database_names_now

DATABASE_DESCRIPTION = "Articles, people, quotations and stories built by briefs-build (scripts/build_db.py)"
# Datasette refuses a table configured with both; an owner's choice of either replaces the plugin's.
SORT_KEYS = ("sort", "sort_desc")


@dataclass(frozen=True)
class Browse:
    description: str
    label_column: str | None = None
    sort: str | None = None
    sort_desc: str | None = None
    sortable_columns: tuple[str, ...] = ()
    facets: tuple = ()
    columns: Mapping[str, str] = field(default_factory=dict)


BROWSE: dict[str, Browse] = {
    "articles": Browse(
        'One row per article found in the source files.',
        label_column='display_title',
        sort_desc='published',
        sortable_columns=('published', 'outlet', 'word_count', 'source_file', 'position', 'first_seen'),
        facets=('outlet', {'date': 'published'}, {'array': 'people'}, {'array': 'tags'}),
        columns={
            'id': 'Stable id from its web address, else its file and headline or position; it survives corrections of the text',
            'source_file': 'File the article was first found in, as the folder given and the path inside it',
            'position': '1-based position of the article within that file',
            'title': 'Headline as written, or null when the article was printed without one',
            'display_title': 'The headline, or the opening words of the body when there is none',
            'subtitle': 'An alternate headline or standfirst printed under the headline',
            'dateline': 'Place in the dateline that opened the article ("London", "Paris")',
            'outlet': 'Outlet or agency, from front matter, the site named in a web page\'s title, its web address, or the dateline ("AFP")',
            'url': 'Address of the original, from front matter or the saved web page',
            'author': 'Author, from front matter or a byline',
            'published': 'ISO date of publication, only where stated unambiguously',
            'body': 'Article text as clean Markdown, without headlines, captions, credits or noise lines',
            'word_count': 'Words in the body',
            'people': 'JSON list of the people the article names, most mentioned first (facet with _facet_array=people)',
            'story_id': 'The story the article belongs to',
            'images': 'JSON list of images (url, alt, caption, credit)',
            'captions': 'JSON list of photo captions',
            'credits': 'JSON list of photo and agency credits',
            'noise': 'JSON list of lines dropped from the body (repeated headlines, stray lines, web page furniture)',
            'first_seen': 'When the build first loaded the article (UTC)',
            'tags': 'JSON list of the tags, keywords or categories its front matter gives (facet with _facet_array=tags)',
            'front_matter': 'JSON object of the front matter keys no other column took, as written',
            'content_hash': "Digest of the article's text and details, so the same article in two files is stored once",
        },
    ),
    "people": Browse(
        'People named in the articles, merged across spellings, typos and articles',
        label_column='name',
        sort_desc='quote_count',
        sortable_columns=('name', 'quote_count', 'article_count'),
        facets=('role', 'honorific'),
        columns={
            'id': 'Stable slug of the canonical name',
            'name': 'Canonical name, the fullest the corpus gives, without honorifics or titles',
            'honorific': 'Sir, Lord, Gen, Prof…',
            'role': 'The most informative role the texts give',
            'aliases': 'JSON list of every form of the name seen, typos included',
            'article_count': 'Articles that mention this person',
            'quote_count': 'Quotations attributed to this person',
        },
    ),
    "quotes": Browse(
        'Every quotation, with its speaker or unnamed source',
        label_column='text',
        sort_desc='published',
        sortable_columns=('published', 'words', 'speaker', 'outlet'),
        facets=('speaker', 'outlet', 'verb', 'speaker_how'),
        columns={
            'id': 'Article id, then b (body) or h (headline) and the offset',
            'article_id': 'The article the quotation is in',
            'person_id': 'The speaker, when named',
            'speaker': 'Canonical name of the speaker (a person, or an organisation such as "Kremlin"), or null',
            'speaker_descr': 'Description of an unnamed source ("his spokesperson")',
            'text': 'The quotation, without its quotation marks',
            'words': 'Words in the quotation',
            'paragraph': '0-based paragraph of the body the quotation is in',
            'start': 'Character offset of the quotation in the body (or headline)',
            'end': 'Character offset where the quotation ends',
            'in_headline': '1 when the quotation is in the headline',
            'verb': 'Reporting verb (said, told, wrote, added…)',
            'context': 'The sentence around the quotation',
            'outlet': "The article's outlet",
            'published': "The article's date of publication",
            'article_speaker': "The speaker's name as resolved within the article, before merging",
            'speaker_kind': 'person, organisation, or null for an unnamed source',
            'speaker_how': (
                'How the speaker was found: ' + ', '.join(SPEAKER_HOW) + '; inferred, worth a second look: '
                + ', '.join(how for how in SPEAKER_HOW if how in SPEAKER_HOW_TO_CHECK)
                + '; null: no speaker (or, in an archive built before schema 6, not recorded)'
            ),
        },
    ),
    "article_people": Browse(
        'Which people each article mentions, and how often',
        sort_desc='mentions',
        columns={
            'article_id': 'The article',
            'person_id': 'A person it names',
            'mentions': 'How many times the article names them',
            'published': "The article's publication date (copied, so a person's articles list newest first)",
        },
    ),
    "people_alongside": Browse(
        'The ten people most often named in the same articles as each person',
        sort_desc='articles',
        facets=('person_id',),
        columns={
            'person_id': 'The person',
            'other_id': 'Someone named in the same articles',
            'articles': 'How many articles name them both',
        },
    ),
    "stories": Browse(
        'Articles that report the same event, across outlets',
        label_column='title',
        sort_desc='article_count',
        sortable_columns=('article_count', 'first_published', 'last_published'),
        facets=({'date': 'first_published'},),
        columns={
            'id': "story- and the id of the story's earliest article",
            'title': "Headline of the story's earliest article with one",
            'article_count': 'Articles in the story',
            'outlets': 'JSON list of the outlets that ran it',
            'first_published': 'Earliest known publication date',
            'last_published': 'Latest known publication date',
            'headlines': "Every article's headline, first report first, one a line: what the story is searched by",
        },
    ),
    "article_pairs": Browse(
        'Pairs of articles in one story, the earlier first, with how much they share (who copied whom)',
        sort_desc='similarity',
        facets=('kind',),
        columns={
            'article_a': 'The earlier article (by date, then file and position)',
            'article_b': 'The later article',
            'story_id': 'Their story',
            'similarity': "Share of the shorter article's word 3-shingles found in the other (0 to 1)",
            'kind': 'copy (85% or more shared), rewrite (40% or more) or same story',
            'shared_quotes': 'Quotations the two print by the same speaker',
        },
    ),
    "quote_pairs": Browse(
        'The same statement by the same speaker in two articles, word for word or altered',
        sort='similarity',
        facets=('kind', 'confidence', 'person_id'),
        columns={
            'quote_a': 'The quotation in the earlier article',
            'quote_b': 'The quotation in the later article',
            'person_id': 'The speaker',
            'story_id': 'The story both articles belong to',
            'similarity': 'How alike the two versions are (0 to 1)',
            'kind': 'same (word for word) or altered',
            'confidence': ('How sure the two are one statement: certain (the same words), likely (as alike as '
                           'two translations of one remark) or possible'),
            'removed': 'JSON list of words only the first version has',
            'added': 'JSON list of words only the second version has',
            'diff': 'JSON list of equal / delete / insert / replace steps between the versions',
        },
    ),
    "files": Browse(
        'Every input file with its hash, whether it was loaded or skipped, and why',
        facets=('status',),
        columns={
            'path': 'The file, as the folder given and its path inside it (seeds/a.txt), or its name when given by itself',
            'sha256': 'Hash of its bytes, to see what changed on the next build',
            'bytes': 'Size',
            'mtime_ns': 'Modification time when last read (a file with the same size and time is not read again)',
            'status': 'loaded or skipped',
            'reason': 'Why it was skipped',
            'articles': 'Articles found in it',
            'warnings': 'JSON list of warnings (encoding, line endings, front matter)',
        },
    ),
    "article_sources": Browse('Every file and position an article was found at (an article copied into several files is stored once)'),
    "extracted_people": Browse("Each article's people before they were merged across the corpus (used by rebuilds)"),
    "mentions": Browse('Where each person is named in each article (character offsets), for linking'),
    "article_shingles": Browse("A sample of each article's word 3-shingle hashes, the index that finds related articles"),
    "article_fingerprints": Browse("Each article's word 3-shingle hashes, packed, to compare candidate pairs exactly"),
    "article_terms": Browse("Each article's content words and word pairs with their counts, packed: what it is about"),
    "article_html": Browse("Each article's body as sanitized HTML, rendered by the build, with its quotations and people marked for the article page"),
    "story_links": Browse('Every pair of articles the index found, with its score, reused by the next build'),
    "article_redirects": Browse('Ids articles had before (a corrected headline, an older loader) and the id each has now'),
    "build_inputs": Browse('The files and folders builds were given; a build given none rebuilds from these'),
}


def table_settings(name: str) -> dict:
    """One table's settings as Datasette's metadata (0.65) or configuration (1.0) writes them,
    descriptions included."""
    browse = BROWSE[name]
    settings: dict = {"description": browse.description}
    if name in HIDDEN_TABLES:
        settings["hidden"] = True
    if name in SEARCHABLE:
        settings["fts_table"] = f"{name}_fts"
    for key in ("label_column", "sort", "sort_desc"):
        if getattr(browse, key):
            settings[key] = getattr(browse, key)
    if browse.sortable_columns:
        settings["sortable_columns"] = list(browse.sortable_columns)
    if browse.facets:
        settings["facets"] = copy.deepcopy(list(browse.facets))
    if browse.columns:
        settings["columns"] = dict(browse.columns)
    return settings


def defaults_under(owner: dict | None, defaults: dict) -> dict:
    """``defaults`` without what ``owner`` (one table's own settings) already sets: merged
    under it, the owner wins key by key, column by column."""
    owner = owner or {}
    kept = {}
    for key, value in defaults.items():
        if key in SORT_KEYS and any(k in owner for k in SORT_KEYS):
            continue
        if key == "columns":
            value = {column: text for column, text in value.items() if column not in (owner.get("columns") or {})}
            if value:
                kept[key] = value
        elif key not in owner:
            kept[key] = value
    return kept


def _tables_of(source: dict | None, database: str) -> dict:
    return (((source or {}).get("databases") or {}).get(database) or {}).get("tables") or {}


# Permission blocks a site owner may give a table.
RESTRICTING = ("allow", "permissions")
KEYS = {table.name: table.pk for table in TABLES}


def _labelled_by_key(name: str, owner_table: dict | None) -> dict:
    """Datasette 0.65 labels a foreign key with the other table's label column (else its name
    or title column) without asking whether the visitor may view that table: a table the owner
    restricts is labelled by its key alone, unless the owner chose its label (1.0 asks)."""
    owner_table = owner_table or {}
    if not any(key in owner_table for key in RESTRICTING) or "label_column" in owner_table:
        return {}
    return {"label_column": KEYS[name]} if isinstance(KEYS.get(name), str) else {}


# The tables SQLite keeps an FTS5 index in, each holding the indexed words.
FTS_SHADOWS = ("", "_data", "_idx", "_docsize", "_config")


def _derived_allows(owner_tables: dict, indexes: bool) -> dict:
    """A table holding another's rows in another form (``tables.PART_OF``) gets that table's
    ``allow`` and ``permissions``, unless the owner gave it its own. With ``indexes``, the full-text indexes too:
    Datasette 0.65 lets a visitor read the index of a table the owner denies them (1.0 does
    not), so each index and the tables behind it get the table's ``allow``."""
    derived = dict(PART_OF)
    if indexes:
        derived.update({f"{name}_fts{shadow}": name for name in SEARCHABLE for shadow in FTS_SHADOWS})
    found = {}
    for table, source in derived.items():
        for key in ("allow", "permissions"):  # 1.0 takes a table's permissions block too
            given = (owner_tables.get(source) or {}).get(key)
            if given is not None and key not in (owner_tables.get(table) or {}):
                found.setdefault(table, {})[key] = copy.deepcopy(given)
    return found


def metadata_defaults(databases: list[str], owner: dict | None) -> dict:
    """Datasette 0.65: the plugin's table settings for these databases, as metadata to merge
    under the owner's (``owner`` is the metadata without the plugin's)."""
    found = {}
    for database in databases:
        owned = (((owner or {}).get("databases") or {}).get(database)) or {}
        owned_tables = _tables_of(owner, database)
        tables = {name: {**defaults_under(owned_tables.get(name), table_settings(name)),
                         **_labelled_by_key(name, owned_tables.get(name))} for name in BROWSE}
        tables.update(_derived_allows(owned_tables, indexes=True))
        found[database] = {"tables": tables}
        if "description" not in owned and "description_html" not in owned:
            found[database]["description"] = DATABASE_DESCRIPTION
    return {"databases": found}


# Kept in Datasette 1.0's internal database (metadata), not its configuration.
DESCRIBING = ("description", "columns")


def apply_to_config(config: dict | None, databases: list[str]) -> dict:
    """Datasette 1.0: a copy of its configuration with the plugin's table settings (all but
    descriptions) added where the owner's configuration sets nothing."""
    merged = copy.deepcopy(config or {})
    for database in databases:
        tables = merged.setdefault("databases", {}).setdefault(database, {}).setdefault("tables", {})
        for name in BROWSE:
            settings = {k: v for k, v in table_settings(name).items() if k not in DESCRIBING}
            tables.setdefault(name, {}).update(defaults_under(tables.get(name), settings))
        for name, blocks in _derived_allows(tables, indexes=False).items():
            tables[name].update(blocks)
    return merged


async def apply_descriptions(datasette, databases: list[str]) -> None:
    """Datasette 1.0: database, table and column descriptions into its internal database,
    where the owner's metadata has none."""
    for database in databases:
        if not {"description", "description_html"} & set(await datasette.get_database_metadata(database)):
            await datasette.set_database_metadata(database, "description", DATABASE_DESCRIPTION)
        for name, browse in BROWSE.items():
            if "description" not in await datasette.get_resource_metadata(database, name):
                await datasette.set_resource_metadata(database, name, "description", browse.description)
            for column, text in browse.columns.items():
                if "description" not in await datasette.get_column_metadata(database, name, column):
                    await datasette.set_column_metadata(database, name, column, "description", text)


_metadata: "weakref.WeakKeyDictionary[object, tuple]" = weakref.WeakKeyDictionary()
_asking: "weakref.WeakSet[object]" = weakref.WeakSet()


# What the plugin's metadata holds, at any level: asked for anything else (allow, plugins,
# source…), Datasette 0.65's hook answers {} at once; it is asked dozens of times a page.
PROVIDED = frozenset({"databases", "tables", "columns", "description", "hidden", "fts_table", "label_column",
                      "sort", "sort_desc", "sortable_columns", "facets"})


def plugin_metadata(datasette, key: str | None = None) -> dict:
    """Datasette 0.65's ``get_metadata``: the plugin's table settings for the briefs databases
    served, under the owner's. Kept per set of databases; its dicts copied each time, since
    Datasette merges the owner's metadata into what the hook returns."""
    if key is not None and key not in PROVIDED:
        return {}
    if datasette in _asking or reading(datasette) or not settings_for(datasette).table_settings:
        return {}
    names = tuple(briefs_database_names_now(datasette))
    cached = _metadata.get(datasette)
    if cached is None or cached[0] != names:
        _asking.add(datasette)
        try:
            owner = datasette.metadata()  # every source but this hook, which answers {} meanwhile
        finally:
            _asking.discard(datasette)
        cached = _metadata[datasette] = (names, metadata_defaults(list(names), owner))
    return _copy_dicts(cached[1])


def _copy_dicts(value):
    """A copy of the dicts, sharing the rest: Datasette's merge replaces lists, never changes them."""
    return {k: _copy_dicts(v) for k, v in value.items()} if isinstance(value, dict) else value


async def register_for_one_point_oh(datasette) -> None:
    """Datasette 1.0, at startup: table settings into its configuration and descriptions into
    its internal database, for every briefs database served, under the owner's."""
    if not settings_for(datasette).table_settings:
        return
    names = await briefs_database_names(datasette)
    datasette.config = apply_to_config(datasette.config, names)
    await apply_descriptions(datasette, names)
