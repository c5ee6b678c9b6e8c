"""Stories as readers mean them: the articles that report one event, though written apart.

Copies and rewrites are found by shared shingles (``stories``); independent reports of one event
share no sentence but what they are about (``text.events``). Here the articles' weighted terms
are compared through an inverted index of each article's heaviest terms, never every pair, and
the units that must stay together (copies, and the stories of earlier builds) are joined by
average link: two groups become one story when their articles are, on average, alike enough.
Average link rather than any single pair, so that one article touching two events does not
chain them into one story.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping

import sqlite_utils

from ..text.events import cosine, event_terms, idf_weights, pack_terms, unpack_terms, weigh

TOP_TERMS = 60  # each article is indexed by its 60 heaviest terms: pairs sharing none are not compared
# A term among the heaviest of more articles than this names a topic or a beat, not an event:
# it proposes no pairs (they are found through rarer terms, or are not one event).
COMMON_TERM = 400
# A pair is compared only when this many of their heaviest terms are the same: one shared name or
# phrase is chance. It is also what keeps the comparisons few (a corpus told from one template
# had 13% of its pairs sharing one term). Pairs not compared count as 0 in the average link, so
# it matters: on WikiRef 2 gives MH370 recall 0.81, 3 gives 0.90, 4 gives 0.47.
SHARED_TERMS = 3
SIMILAR_FLOOR = 0.015  # a cosine below this is what any two news reports share: counted as nothing
# Two groups are one story when their articles' cosines average at least this. On real coverage
# (WikiRef, 184 articles labelled by event) 0.045 keeps pairwise precision at 0.974 with 90% of
# the MH370 reports' pairs in one story; higher splits long events, lower joins topics.
SAME_EVENT = 0.045
# ... or more, where the corpus's own pairs say so: in a folder on one topic any two articles
# share much, and a pair is one event only if it stands far above the corpus's typical pair:
# the median cosine of a sample of pairs plus SPREAD robust deviations (1.4826 x the median
# absolute deviation estimates a standard deviation). Far, because a corpus holds many pairs and
# the tail of unrelated ones is long: on WikiRef the bar stays near SAME_EVENT; on a corpus
# told from one template (scripts/make_corpus.py) it doubles.
SPREAD = 5.0
BASELINE_PAIRS = 2000  # random pairs that give the corpus's typical cosine
# Reports further apart than this are not compared: two rounds of talks weeks apart are two
# stories, while a story still grows over the days an event develops.
EVENT_DAYS = 10


# --- pure pieces ---------------------------------------------------------------------------


def average_link(
    sizes: Mapping[Hashable, int],
    links: Mapping[tuple[Hashable, Hashable], float],
    threshold: float,
    settled: Collection[Hashable] = (),
) -> list[list[Hashable]]:
    """Group units, most alike first, while two groups' average link reaches ``threshold``.

    Units are comparable keys (indexes, names). ``sizes`` gives each unit's number of articles; ``links`` the sum of the cosines between
    two units' articles (pairs not given count as 0). Two groups that each hold a ``settled``
    unit are never joined: a later build places new articles, it does not remake old stories.
    Returns the groups, each a list of units.
    """
    size = dict(sizes)
    members = {unit: [unit] for unit in size}
    settled = set(settled)
    sums: dict[Hashable, dict[Hashable, float]] = defaultdict(dict)
    for (a, b), total in links.items():
        sums[a][b] = sums[b][a] = sums[a].get(b, 0.0) + total

    def candidates(a):
        for b, total in sums[a].items():
            average = total / (size[a] * size[b])
            if average >= threshold and not (a in settled and b in settled):
                yield (-average, a, b)  # ties broken by the units themselves: the same every build

    heap = [entry for a in list(sums) for entry in candidates(a) if entry[1] < entry[2]]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in sums[a]:
            continue  # one of them was joined to another group since
        if sums[a][b] / (size[a] * size[b]) != -negative or (a in settled and b in settled):
            continue  # stale: a group grew since, and its fresh averages were queued then
        members[a] += members.pop(b)
        size[a] += size.pop(b)
        if b in settled:
            settled.add(a)
        for other, total in sums.pop(b).items():
            del sums[other][b]
            if other != a:
                sums[a][other] = sums[other][a] = sums[a].get(other, 0.0) + total
        for entry in candidates(a):
            heapq.heappush(heap, entry)
    return list(members.values())


def days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two publication dates (ISO, time ignored), or None if either is unknown."""
    try:
        first, second = (dt.date.fromisoformat(day[:10]) for day in (a, b))
    except (TypeError, ValueError):
        return None
    return abs((first - second).days)


def similar_pairs(
    vectors: Mapping[int, Mapping[int, float]],
    published: Mapping[int, str | None],
    new: Collection[int] | None = None,
) -> dict[tuple[int, int], float]:
    """The pairs (a < b) of articles that share one of their heaviest terms, with their cosine
    where it reaches ``SIMILAR_FLOOR`` and the two are at most ``EVENT_DAYS`` apart. With
    ``new``, only pairs with a new article in them."""
    postings: dict[int, list[int]] = defaultdict(list)
    for rowid, vector in vectors.items():
        for term in heapq.nlargest(TOP_TERMS, vector, key=vector.get):
            postings[term].append(rowid)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in postings.values():
        if len(holders) > COMMON_TERM:
            continue
        if new is None:
            shared.update(itertools.combinations(sorted(holders), 2))
        else:
            shared.update((min(a, b), max(a, b)) for a in holders if a in new for b in holders if b != a)
    found = {}
    for (a, b), count in shared.items():
        if count < SHARED_TERMS:
            continue
        apart = days_apart(published.get(a), published.get(b))
        if apart is not None and apart > EVENT_DAYS:
            continue
        similarity = cosine(vectors[a], vectors[b])
        if similarity >= SIMILAR_FLOOR:
            found[a, b] = similarity
    return found


def event_threshold(vectors: Mapping[int, Mapping[int, float]]) -> float:
    """How alike two groups' articles must be on average to be one event in this corpus:
    ``SAME_EVENT``, or more where the corpus's typical pair is already alike (``SPREAD``)."""
    rowids = sorted(vectors)
    if len(rowids) < 3:
        return SAME_EVENT
    draw = random.Random(len(rowids))  # the same sample for the same corpus size, build after build
    cosines = [cosine(vectors[a], vectors[b]) for a, b in (draw.sample(rowids, 2) for _ in range(BASELINE_PAIRS))]
    median = statistics.median(cosines)
    deviation = 1.4826 * statistics.median(abs(value - median) for value in cosines)
    return max(SAME_EVENT, median + SPREAD * deviation)


def unit_links(units: list[list[int]], pairs: Mapping[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """The article cosines summed per pair of units (``units`` by index)."""
    unit_of = {rowid: index for index, unit in enumerate(units) for rowid in unit}
    links: dict[tuple[int, int], float] = defaultdict(float)
    for (a, b), similarity in pairs.items():
        first, second = sorted((unit_of[a], unit_of[b]))
        if first != second:
            links[first, second] += similarity
    return links


# --- over the database ---------------------------------------------------------------------


def group_events(
    articles: Mapping[int, dict], units: list[list[int]], vectors: Mapping[int, Mapping[int, float]]
) -> list[list[int]]:
    """Join the ``units`` (lists of article rowids that are one story already) that report
    one event. ``articles`` are the corpus by rowid, with ``published`` and ``new``; units
    without a new article are settled: two of them are never joined. ``vectors`` are the
    articles' weighted terms (``term_vectors``)."""
    new = {rowid for rowid, article in articles.items() if article["new"]}
    pairs = similar_pairs(
        vectors, {rowid: article["published"] for rowid, article in articles.items()},
        None if len(new) > len(articles) // 2 else new,
    )
    settled = [index for index, unit in enumerate(units) if not any(articles[rowid]["new"] for rowid in unit)]
    groups = average_link(
        {index: len(unit) for index, unit in enumerate(units)}, unit_links(units, pairs), event_threshold(vectors),
        settled,
    )
    return [[rowid for index in group for rowid in units[index]] for group in groups]


def term_vectors(db: sqlite_utils.Database) -> dict[int, dict[int, float]]:
    """Every article's weighted terms, with document frequencies over the whole corpus."""
    counts = {rowid: unpack_terms(packed) for rowid, packed in db.execute("select article, terms from article_terms")}
    frequency: dict[int, int] = defaultdict(int)
    for terms in counts.values():
        for term in terms:
            frequency[term] += 1
    idf = idf_weights(frequency, len(counts))
    return {rowid: weigh(terms, frequency, idf) for rowid, terms in counts.items()}


def fill_missing_terms(db: sqlite_utils.Database) -> list[str]:
    """Give the articles that have no stored terms (kept by an older version) their terms;
    return their ids, so that their stories are placed again."""
    missing = db.execute(
        "select rowid, id, title, body from articles where rowid not in (select article from article_terms)"
    ).fetchall()
    db.conn.executemany(
        "insert into article_terms (article, terms) values (?, ?)",
        ((rowid, terms_of(title, body)) for rowid, _, title, body in missing),
    )
    return [article_id for _, article_id, _, _ in missing]


def terms_of(title: str | None, body: str) -> bytes:
    """An article's terms packed for ``article_terms`` (computed in the build's workers)."""
    return pack_terms(event_terms(title, body))


def settled_units(articles: Mapping[int, dict]) -> Iterable[tuple[int, int]]:
    """Edges that keep each earlier story's articles together: its old articles, chained."""
    by_story: dict[str, list[int]] = defaultdict(list)
    for rowid, article in articles.items():
        if not article["new"] and article["story"]:
            by_story[article["story"]].append(rowid)
    for rowids in by_story.values():
        yield from itertools.pairwise(rowids)
