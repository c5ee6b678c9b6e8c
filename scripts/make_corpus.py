#!/usr/bin/env python
"""Write a deterministic corpus of N messy news articles to OUT_DIR, for benchmarks.

    python scripts/make_corpus.py 100000 /tmp/corpus --seed 1

The text is made from the sentences and quotations of the seed articles in seeds/, with
people (first names and surnames recombined from a built-in list, so there are thousands),
roles, outlets, places, dates and numbers varied per story, and words swapped for synonyms
so unrelated articles share little. Stories are retold: some articles are copies (byte for
byte, or under another headline and outlet), rewrites (words swapped, sentences dropped),
excerpts, or copies with a quotation altered, so stories and quotation pairs exist at scale.

Files come in the forms the loader handles: several articles in one file, a headline then a
blank line then the body, `Paris – ` and `LONDON, Feb 17 (Reuters) - ` datelines, repeated
headlines and photo captions with `NAME / AGENCY` credits, stray `TT` / `20` lines, section
headings and bullets, a date line under the headline, one paragraph per line, and YAML front
matter (outlet, published) on some files. Articles average about 600 words.

Files are written one at a time (the corpus is never held in memory), 1,000 to a folder.
The same N and seed give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import random
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

FIRST_NAMES = """
Aleksandra Anders Andriy Anna Annika Anton Beata Bogdan Camille Carsten Caroline Catherine
Christian Claire Clara Daniel Daniela Dmytro Edward Elena Elisabeth Emily Emma Erik Ewa Felix
Fiona Francesca Gabriel Giorgia Graham Hannah Hans Helena Henry Igor Ingrid Irene Isabel Ivan
Jacob Jakub James Jan Jane Jens Johan John Jonathan Julia Julian Karin Karl Katherine Kirsten
Klaus Lars Laura Lena Liam Lorenzo Lucas Lucy Magnus Maria Marina Mark Marta Martin Matteo
Maxim Michael Miguel Nadia Natalia Nicholas Nina Oksana Oliver Olga Oscar Patrick Paul Petra
Philip Pierre Rachel Rebecca Richard Robert Roman Rosa Ruth Samuel Sara Sebastian Simon Sofia
Stefan Stephen Susan Taras Thomas Tobias Valentina Victor Viktor Walter William Yulia Zofia
""".split()

SURNAMES = """
Abbott Adamczyk Albrecht Andersen Antonescu Baker Barros Bauer Bennett Berg Bianchi Bondarenko
Brandt Brennan Campbell Carlsson Castellano Chapman Christensen Costa Dahl Davies Dubois Duarte
Eriksen Evans Fabbri Fischer Fitzgerald Fontaine Garcia Gallagher Greco Hadley Hansen Hartmann
Hoffmann Holm Horvath Hughes Ivanenko Jensen Johansson Kaminski Keller Kennedy Koch Kovac
Kovalenko Kowalski Kozak Kramer Krause Laurent Lehmann Leone Lindqvist Lund Marchetti Martens
Melnyk Mercier Moreau Morgan Moretti Murphy Nielsen Novak Nowak Olsen Osborne Pavlenko Pedersen
Petersen Petrenko Popescu Quinn Ramos Reid Ricci Richter Romano Rossi Roux Sandberg Schmidt
Schneider Schulz Shevchenko Silva Sokolov Sorensen Stewart Svensson Szabo Tkachenko Thornton
Varga Vogel Wagner Walsh Weber Wieczorek Winter Wolff Yakovenko Zielinski Zimmermann
""".split()

ROLES = [
    "the foreign minister", "the defence minister", "a senior EU diplomat", "the prime minister",
    "a former NATO commander", "deputy director of the Institute for Security Studies",
    "an analyst at the Centre for Eastern Studies", "the government spokesperson",
    "a senior fellow at the European Policy Centre", "the deputy foreign minister",
    "chair of the parliamentary defence committee", "a former ambassador to Moscow",
    "the chief of the defence staff", "head of the EU delegation", "a presidential adviser",
    "professor of international relations at King's College London", "the energy minister",
    "a spokesperson for the alliance", "the opposition leader", "the mayor of the city",
]
OUTLETS = ["Reuters", "AFP", "AP", "BBC News", "The Guardian", "Kyiv Independent", "Politico Europe",
           "Deutsche Welle", "Euronews", "The Times", "Financial Times", "Le Monde", "Bloomberg",
           "Al Jazeera", "The Telegraph", "Ukrainska Pravda", "Sky News", "France 24", "ANSA", "EFE"]
AGENCIES = ["AFP", "Reuters", "AP", "EPA", "POOL/AFP", "ANADOLU", "GETTY", "ZUMA"]
CITIES = ["Paris", "London", "Kyiv", "Brussels", "Warsaw", "Berlin", "Washington", "Riyadh", "Geneva",
          "Istanbul", "Helsinki", "Rome", "Madrid", "Vilnius", "Tallinn", "Bucharest", "Oslo", "Prague",
          "Vienna", "Ankara", "Odesa", "Kharkiv", "Lviv", "The Hague", "Copenhagen", "Stockholm"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
TOPICS = ["Security Guarantees", "Peacekeeping Force", "Ceasefire Talks", "Energy Strikes", "Air Defence",
          "Sanctions", "Frozen Assets", "Troop Deployment", "Reconstruction Fund", "Grain Corridor",
          "Prisoner Exchange", "NATO Membership", "Defence Spending", "Peace Plan", "Black Sea Deal",
          "Drone Production", "Border Monitoring", "Military Aid", "Refugee Returns", "Mine Clearing"]
HEADLINES = [
    "{S} Says {T} Must Come First", "{S} Warns Europe Over {T}", "Allies Meet in {C} to Discuss {T}",
    "{S} Calls for New Talks on {T}", "{P} Rejects Plan for {T}", "Leaders Split Over {T} After {C} Summit",
    "{S} and {S2} Agree Framework for {T}", "{C} Talks on {T} End Without Deal",
    "{S}: Europe Must Lead on {T}", "Military Chiefs Gather in {C} to Plan {T}",
    "What the {C} Meeting Means for {T}", "{P} Pledges More Support on {T}",
]
SECTION_HEADINGS = ["A Framework for Future Security", "What Comes Next", "Scope of the Commitment",
                    "International Reaction", "The Cost of Deterrence", "Questions Remain"]
BULLETS = ["Ground troop deployment for security and deterrence.", "Protection of airspace and territorial waters.",
           "Military hubs to speed the delivery of defensive equipment.", "Training missions for new brigades.",
           "Monitoring of the line of contact by observers.", "A fund for rebuilding energy infrastructure.",
           "Joint production of drones and shells.", "Sanctions relief only after a verified ceasefire."]
EXTRA_QUOTES = [
    "We will not accept any deal made without Ukraine at the table",
    "This is a moment for Europe to step up and take responsibility for its own security",
    "Nobody should be under any illusion about what is at stake here",
    "We need credible forces on the ground, not just promises on paper",
    "The talks were constructive but there is still a long way to go",
    "Peace cannot come at any price and it cannot reward aggression",
    "Our support for Ukraine will continue for as long as it takes",
    "A ceasefire that is not monitored is not worth the paper it is written on",
    "We are ready to contribute, but we need to know what the mission is",
    "Deterrence only works if it is backed by real capability",
    "The decisions we take in the coming weeks will shape European security for a generation",
    "We simply do not have the numbers available for a force of that size",
]
# Words swapped for synonyms: in every article a share, more in a rewrite.
SYNONYMS = [
    ["said", "stated", "remarked", "noted"], ["told", "informed"], ["troops", "soldiers", "forces", "personnel"],
    ["leaders", "heads of government", "officials"], ["meeting", "summit", "gathering", "talks"],
    ["peace deal", "peace agreement", "peace settlement", "peace accord"], ["security", "safety", "defence"],
    ["guarantee", "assurance", "backstop", "safeguard"], ["European", "EU"], ["Russia", "Moscow", "the Kremlin"],
    ["Ukraine", "Kyiv"], ["country", "nation"], ["countries", "nations", "states"], ["war", "conflict"],
    ["spending", "expenditure", "budget"], ["support", "backing", "assistance", "help"],
    ["commitment", "pledge", "undertaking"], ["prime minister", "premier"], ["government", "administration"],
    ["previously", "earlier", "before"], ["significant", "substantial", "considerable", "major"],
    ["however", "but", "yet"], ["also", "too", "as well"], ["discuss", "address", "consider", "debate"],
    ["proposal", "plan", "scheme"], ["allies", "partners"], ["large", "big", "vast"], ["need", "require"],
    ["would", "could", "might"], ["ceasefire", "truce", "halt to the fighting"], ["deploy", "send", "dispatch"],
    ["agreed", "accepted", "consented"], ["warned", "cautioned"], ["expected", "anticipated", "likely"],
    ["help", "aid", "assist"], ["key", "crucial", "central", "vital"], ["week", "few days"],
    ["reporters", "journalists", "the press"], ["future", "coming", "eventual"], ["military", "armed"],
    ["concerns", "worries", "fears"], ["talks", "negotiations", "discussions"], ["role", "part", "function"],
]
SEED_PEOPLE = [  # replaced by the story's cast
    ("Keir Starmer", ["Sir Keir Starmerr", "Sir Keir Starmer", "Sir Keir", "Starmer"]),
    ("Malcolm Chalmers", ["Prof Chalmers", "Chalmers"]), ("Adrian Bradshaw", ["General Sir Adrian Bradshaw", "Gen Sir Bradshaw", "Bradshaw"]),
    ("Olaf Scholz", ["Scholz"]), ("Lord Dannatt", ["Dannatt"]), ("Mette Frederiksen", ["Frederiksen"]),
    ("Donald Tusk", ["Tusk"]), ("Pete Hegseth", ["Hegseth"]), ("Ursula von der Leyen", ["von der Leyen"]),
    ("Mark Rutte", ["Rutte"]), ("Emmanuel Macron", ["Macron"]), ("Ed Davey", ["Sir Ed Davey", "Davey"]),
    ("Jared Kushner", ["Kushner"]), ("Steve Witkoff", ["Witkoff"]), ("Charles Michel", ["Michel"]),
    ("Donald Trump", ["Trump"]), ("Vladimir Putin", ["Putin"]), ("Volodymyr Zelensky", ["Volodymyr Zelenskyy", "Zelensky"]),
]
ASIDES = ["", "", "", "officials said, ", "according to diplomats, ", "while ", "and ", "even as ", "but "]
FILLERS = ["reportedly", "also", "now", "indeed", "still", "clearly", "in fact", "once again", "for now", "so far"]
PLACE_WORDS = ["Paris", "London", "Washington", "Warsaw", "Saudi Arabia"]

MUTATE = 0.8  # share of a story's words swapped for others of the same ending
RARE = 0.04  # share of a story's longer words made into rare words of its own
SYLLABLES = "ba be bo da de di ka ke ko la le li lo ma me mi na ne no ra re ri ro sa se si ta te ti to va ve vi".split()
NEW_STORY = 0.62  # share of articles that open a story; the rest retell an earlier one
PER_FOLDER = 1000


# --- the seeds, cut into templates -----------------------------------------------------------


def _templates():
    """Seed sentences with the people, places and numbers made into slots, and the quotations."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    lines = [line.strip() for line in text.splitlines()]
    lines = [
        line for line in lines
        if len(line.split()) >= 12 and line[0] not in "!•–*-" and "/" not in line[-20:]
        and sum(w[:1].isupper() for w in line.split()) < 0.6 * len(line.split())  # not a headline
    ]
    sentences = []
    for line in dict.fromkeys(lines):
        sentences += [s.strip() for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", line) if len(s.split()) >= 6]
    alias = []  # (form, person index, is full name)
    for index, (full, forms) in enumerate(SEED_PEOPLE):
        alias += [(form, index, False) for form in forms] + [(full, index, True)]
    alias.sort(key=lambda a: -len(a[0]))
    name_re = re.compile(r"\b(" + "|".join(re.escape(a[0]) for a in alias) + r")\b")
    by_form = {a[0]: a for a in alias}

    def slot(match):
        _, index, full = by_form[match.group(1)]
        return "{P%d}" % index if full or " " in match.group(1) else "{S%d}" % index

    place_re = re.compile(r"\b(" + "|".join(PLACE_WORDS) + r")\b")
    day_re = re.compile(r"\b(" + "|".join(DAYS) + r")\b")
    templates = []
    for sentence in dict.fromkeys(sentences):
        sentence = sentence.replace("{", "(").replace("}", ")").replace("MinisterSir", "Minister Sir")
        sentence = re.sub(r"^[A-Z][\w ]{0,20} [–—-] ", "", sentence)  # a seed dateline
        sentence = name_re.sub(slot, sentence)
        sentence = place_re.sub("{C}", sentence)
        sentence = day_re.sub("{D}", sentence)
        sentence = re.sub(r"\b\d+(?:\.\d+)?(?=%| percent| per cent|,000| troops| nations| countries|-day|-minute)", "{N}", sentence)
        templates.append(sentence)
    quotes = [q.strip(" ,.") for q in re.findall(r"“([^“”]{25,200})”", text) if not name_re.search(q)]
    quotes = [q[:1].upper() + q[1:] for q in quotes + EXTRA_QUOTES]
    heads, tails = [], []  # clauses, recombined across sentences
    for template in templates:
        if "“" in template or '"' in template:
            continue
        parts = template.rstrip(".").split(", ", 1)
        if len(parts) == 2 and len(parts[0].split()) >= 4 and len(parts[1].split()) >= 4:
            heads.append(parts[0])
            tails.append(parts[1])
    return templates, list(dict.fromkeys(quotes)), heads, tails, _word_classes(text)


KEEP_WORDS = frozenset("""
that this with from have been were would could should will what when where which while there
their they them then than into onto over after before about also only just more most much some
such very said says told must need does done make made take taken being other these those both
each every many ukraine russia europe peace
""".split())


def _word_classes(text: str) -> dict[str, list[str]]:
    """Lower-case seed words grouped by ending (a rough part of speech), to swap within."""
    words = sorted({w for w in re.findall(r"(?<![\w’'-])[a-z]{4,}(?![\w’'-])", text)} - KEEP_WORDS)
    by_end = [{}, {}, {}]
    for word in words:
        for size in (1, 2, 3):
            by_end[size - 1].setdefault(word[-size:], []).append(word)
    classes = {}
    for word in words:
        for size in (3, 2, 1):
            if len(by_end[size - 1][word[-size:]]) >= 4:
                classes[word] = by_end[size - 1][word[-size:]]
                break
    return classes


QUOTE_FORMS = [
    "“{Q},” {P} said.", "“{Q},” said {P}, {R}.", "{P}, {R}, told {O}: “{Q}.”", "“{Q},” {S} told reporters in {C}.",
    "Speaking in {C} on {D}, {P} said: “{Q}.”", "{S} added: “{Q}.”", "“{Q},” {S} said on {D}.",
]


class Generator:
    def __init__(self, n: int, seed: int):
        self.seed = seed
        self.templates, self.quotes, self.heads, self.tails, self.classes = _templates()
        self.word_re = re.compile(r"(?<![\w’'-])[a-z]{4,}(?![\w’'-])")
        pairs = random.Random(seed).sample(range(len(FIRST_NAMES) * len(SURNAMES)), min(len(FIRST_NAMES) * len(SURNAMES), max(300, n // 4)))
        self.people = [(FIRST_NAMES[p % len(FIRST_NAMES)], SURNAMES[p // len(FIRST_NAMES)]) for p in pairs]
        words = {word: group for group in SYNONYMS for word in group}
        self.synonyms = words
        self.syn_re = re.compile(r"\b(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b")
        self.slot_re = re.compile(r"\{([A-Z])(\d*)\}")
        self.start = dt.date(2023, 1, 1)

    # --- one story: the original report -------------------------------------------------------

    def story(self, index: int, n_stories: int) -> dict:
        rng = random.Random(self.seed * 1_000_003 + index)
        cast = [self._person(rng) for _ in SEED_PEOPLE]
        city = rng.choice(CITIES)
        date = self.start + dt.timedelta(days=int(index * 1000 / max(1, n_stories)) + rng.randint(0, 3))
        values = {"C": city, "D": rng.choice(DAYS), "O": rng.choice(OUTLETS), "T": rng.choice(TOPICS)}
        dialect = self._dialect(rng)
        lexicon: dict[str, str] = {}
        target = rng.randint(330, 870)
        paragraphs, words = [], 0
        while words < target:
            sentences = []
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                if rng.random() < 0.3:
                    form = rng.choice(QUOTE_FORMS)
                    values["Q"] = self._spin(rng.choice(self.quotes), rng, 0.3)
                    values["R"] = cast[rng.randrange(3)][2]
                    sentence = form.replace("{P}", "{P%d}" % rng.randrange(3)).replace("{S}", "{S%d}" % rng.randrange(3))
                elif rng.random() < 0.5:
                    sentence = rng.choice(self.heads) + ", " + rng.choice(ASIDES) + rng.choice(self.tails) + "."
                else:
                    sentence = rng.choice(self.templates)
                sentence = self._fill(sentence, cast, values, rng)
                sentences.append(self._spin(sentence, rng, 0.8, dialect))
            paragraph = self._mutate(" ".join(sentences), lexicon, rng)
            paragraph = paragraph[:1].upper() + paragraph[1:]
            paragraphs.append(paragraph)
            words += paragraph.count(" ") + 1
        lead = cast[0]
        headline = rng.choice(HEADLINES).format(S=lead[1], S2=cast[1][1], P=f"{lead[0]} {lead[1]}", C=city, T=values["T"])
        caption = (f"{lead[0]} {lead[1]}, {lead[2]}, speaks to the press in {city} on {values['D']}. "
                   f"{rng.choice(FIRST_NAMES).upper()} {rng.choice(SURNAMES).upper()} / {rng.choice(AGENCIES)}")
        return {"headline": headline, "paragraphs": paragraphs, "city": city, "date": date, "caption": caption,
                "outlet": rng.choice(OUTLETS)}

    def _person(self, rng) -> tuple[str, str, str]:
        index = int(len(self.people) * rng.random() ** 1.3)  # a few people are everywhere
        first, last = self.people[index]
        return first, last, ROLES[index % len(ROLES)]

    def _fill(self, template: str, cast, values, rng) -> str:
        def fill(match):
            kind, number = match.group(1), match.group(2)
            if kind == "P":
                person = cast[int(number)]
                return f"{person[0]} {person[1]}"
            if kind == "S":
                return cast[int(number)][1]
            if kind == "N":
                return str(rng.choice((2, 3, 5, 10, 12, 15, 20, 25, 30, 40, 90, 100)))
            return values.get(kind, match.group(0))

        return self.slot_re.sub(fill, template)

    def _mutate(self, text: str, lexicon: dict, rng) -> str:
        """Swap words for others of the same ending, consistently within a story: stories made
        from the same seed sentences then share few runs of words, as unrelated reports do."""
        classes = self.classes

        def swap(match):
            word = match.group(0)
            if word not in lexicon:
                draw = rng.random()
                if draw < RARE and len(word) >= 6:  # a rare word: the long tail of a real vocabulary
                    lexicon[word] = word[:2] + rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + word[-3:]
                elif word in classes and draw < MUTATE:
                    lexicon[word] = rng.choice(classes[word])
                else:
                    lexicon[word] = word
            return lexicon[word]

        return self.word_re.sub(swap, text)

    def _dialect(self, rng) -> dict:
        """A story's own choice of words: unrelated stories told from one template differ."""
        return {word: rng.choice(group) for word, group in self.synonyms.items()}

    def _spin(self, text: str, rng, rate: float, dialect: dict | None = None) -> str:
        synonyms = self.synonyms

        def swap(match):
            word = match.group(1)
            if rng.random() >= rate:
                return word
            return dialect[word] if dialect else rng.choice(synonyms[word])

        return self.syn_re.sub(swap, text)

    def _respin(self, paragraph: str, rng) -> str:
        """A rewrite of one paragraph: synonyms swapped, asides added, sentences reordered."""
        sentences = re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", self._spin(paragraph, rng, 0.9))
        out = []
        for sentence in sentences:
            words = sentence.split(" ")
            for _ in range(len(words) // 7):
                at = rng.randrange(1, max(2, len(words)))
                if "“" not in " ".join(words[:at]) or "”" in " ".join(words[:at]):
                    words.insert(at, rng.choice(FILLERS))
            out.append(" ".join(words))
        rng.shuffle(out)
        return " ".join(out)

    # --- a version of a story -------------------------------------------------------------------

    def version(self, story: dict, kind: str, rng) -> dict:
        article = dict(story)
        paragraphs = story["paragraphs"]
        if kind == "rewrite":  # spun: words swapped, sentences dropped, a new headline
            paragraphs = [self._respin(p, rng) for p in paragraphs if rng.random() > 0.2] or paragraphs[:1]
            article["headline"] = rng.choice(HEADLINES).format(S=story["city"], S2="Europe", P="Leaders", C=story["city"],
                                                               T=rng.choice(TOPICS))
        elif kind == "excerpt":
            paragraphs = paragraphs[: max(2, len(paragraphs) // 2)]
        elif kind == "altered":  # a copy with one quotation changed on the way
            quoted = [i for i, p in enumerate(paragraphs) if "“" in p]
            if quoted:
                i = rng.choice(quoted)
                paragraphs = list(paragraphs)
                paragraphs[i] = re.sub(r"“([^”]+)”", lambda m: "“" + self._spin(m.group(1), rng, 0.9) + "”", paragraphs[i], count=1)
        if kind != "exact":
            article["outlet"] = rng.choice(OUTLETS)
            article["date"] = story["date"] + dt.timedelta(days=rng.randint(0, 2))
        article["paragraphs"] = paragraphs
        return article


# --- files -----------------------------------------------------------------------------------


def render(article: dict, form: str, rng) -> str:
    headline, paragraphs, date = article["headline"], article["paragraphs"], article["date"]
    lines = []
    if form == "lines":  # one paragraph per line, no headline (a plain text export)
        return "\n".join(paragraphs) + "\n"
    if form == "captions":
        block = [article["caption"], article["caption"], "TT", "20", ""]
        lines += [headline, ""] + block + [headline, ""] + block[:2] + [""]
    else:
        lines += [headline, ""]
    if form == "dated":
        lines += [f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year}", ""]
    body = list(paragraphs)
    if form == "dateline":
        body[0] = f"{article['city']} – {body[0]}"
    elif form == "agency":
        body[0] = f"{article['city'].upper()}, {MONTHS[date.month - 1]} {date.day} ({article['outlet'].split()[0]}) - {body[0]}"
    elif form == "sections" and len(body) > 3:
        at = len(body) // 2
        bullets = "\n".join(f"  • {b}" for b in rng.sample(BULLETS, 3))
        body[at:at] = [rng.choice(SECTION_HEADINGS), "The plan sets out three areas:", bullets]
    lines.append("\n\n".join(body))
    return "\n".join(lines) + "\n"


FORMS = ["plain", "plain", "dateline", "agency", "captions", "dated", "sections"]


def generate(n: int, out_dir: Path, seed: int = 1, progress=None, labels: Path | None = None,
             single: bool = False) -> dict:
    """Write n articles under out_dir; returns counts of what was written. With ``labels``, also
    write there which story each article tells (``file<TAB>position<TAB>story``, the file as
    the loader names it): the truth that stories are measured against. ``single`` writes one
    article a file, so that stories can be measured apart from how files are split."""
    gen = Generator(n, seed)
    rng = random.Random(seed)
    n_stories = max(1, int(n * NEW_STORY))
    stories_made = 0
    counts = {"files": 0, "articles": 0, "words": 0, "bytes": 0}
    written = 0
    told: list[str] = []
    while written < n:
        in_file = min(n - written, rng.choice((1, 1, 1, 1, 2, 2, 3, 4)))
        if single:
            in_file = 1
        texts, meta = [], None
        for _ in range(in_file):
            if stories_made == 0 or rng.random() < NEW_STORY:
                story = gen.story(stories_made, n_stories)
                stories_made += 1
                article, told_story = story, stories_made - 1
            else:
                index = rng.randint(max(0, stories_made - 150), stories_made - 1)
                kind = rng.choices(("exact", "copy", "altered", "rewrite", "excerpt"), (5, 20, 20, 40, 15))[0]
                article, told_story = gen.version(gen.story(index, n_stories), kind, rng), index
            if in_file == 1 and rng.random() < 0.3:
                meta = article
            form = rng.choice(FORMS) if in_file > 1 or rng.random() > 0.1 else "lines"
            texts.append(render(article, form, rng))
            told.append(f"{out_dir.name}/{counts['files'] // PER_FOLDER:04d}/{counts['files']:07d}.txt\t{len(texts)}\t{told_story}")
            counts["words"] += sum(p.count(" ") + 1 for p in article["paragraphs"])
        text = "\n\n".join(texts)
        if meta is not None:
            text = (f"---\noutlet: {meta['outlet']}\npublished: {meta['date'].isoformat()}\n---\n") + text
        folder = out_dir / f"{counts['files'] // PER_FOLDER:04d}"
        if counts["files"] % PER_FOLDER == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (folder / f"{counts['files']:07d}.txt").write_bytes(data)
        counts["files"] += 1
        counts["bytes"] += len(data)
        written += in_file
        if progress:
            progress(in_file)
    counts["articles"] = written
    if labels is not None:
        labels.write_text("\n".join(told) + "\n", encoding="utf-8")
    return counts


@click.command(help=__doc__)
@click.argument("n", type=click.IntRange(min=1))
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option("--seed", default=1, show_default=True, help="Random seed: the same seed gives the same corpus.")
@click.option("--labels", type=click.Path(dir_okay=False), help="Also write which story each article tells to this file.")
@click.option("--single", is_flag=True, help="One article a file.")
@click.option("--quiet", is_flag=True, help="No summary line.")
def main(n, out_dir, seed, labels, single, quiet):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise click.ClickException(f"{out} is not empty")
    counts = generate(n, out, seed, labels=Path(labels) if labels else None, single=single)
    if not quiet:
        click.echo(f"{counts['articles']} articles, {counts['words']} words "
                   f"({counts['words'] / counts['articles']:.0f} per article) in {counts['files']} files, "
                   f"{counts['bytes'] / 1e6:.1f} MB", err=True)


if __name__ == "__main__":
    sys.exit(main())
