"""Articles as people save them from the web: clippers' front matter, saved pages, furniture."""

import json
import shutil

import pytest

from datasette_ukraine_briefs.build import build
from datasette_ukraine_briefs.build.files import parse_file
from datasette_ukraine_briefs.text.articles import WebPage, split_articles
from datasette_ukraine_briefs.text.decode import SkipFile
from datasette_ukraine_briefs.text.frontmatter import read_front_matter
from datasette_ukraine_briefs.text.furniture import is_byline, is_furniture_line
from datasette_ukraine_briefs.text.people import extract_people
from datasette_ukraine_briefs.text.quotes import extract_quotes
from datasette_ukraine_briefs.text.sites import outlet_of, site_and_title

from .conftest import ROOT, query

WEB = ROOT / "tests" / "web"
EXPECTED = json.loads((WEB / "expected.json").read_text(encoding="utf-8"))


# --- front matter as clippers write it ----------------------------------------------------


def test_obsidian_web_clipper():
    meta, rest, _ = read_front_matter(
        '---\ntitle: "Talks resume | The Site"\nsource: "https://example.com/a"\n'
        'author:\n  - "[[Jane Doe]]"\n  - "[[people/rick-roe|Rick Roe]]"\npublished: unknown\n'
        'created: 2025-04-02\ndescription: "A standfirst."\ntags:\n  - "clippings"\n---\nBody.\n'
    )
    assert (meta.url, meta.author, meta.published, meta.clipped) == (
        "https://example.com/a", "Jane Doe, Rick Roe", None, "2025-04-02")
    assert (meta.subtitle, meta.tags, meta.outlet) == ("A standfirst.", ["clippings"], None)
    assert meta.extra == {"published": "unknown"}, "a key that gave nothing is kept as written"
    assert rest == "Body.\n"


def test_source_is_the_url_when_it_is_one_and_the_outlet_when_it_is_a_name():
    assert read_front_matter("---\nsource: https://example.com/a\n---\nx")[0].url == "https://example.com/a"
    named = read_front_matter("---\nsource: The Outlet\n---\nx")[0]
    assert (named.outlet, named.url) == ("The Outlet", None)


def test_hugo_and_jekyll_keys():
    meta, _, _ = read_front_matter(
        '---\ntitle: "A post"\ndate: 2025-03-18T08:00:00+01:00\nauthors: ["Ann Lee", "Bo Ray"]\n'
        'categories: ["Analysis"]\ntags: ["ceasefire"]\ncanonical: "https://example.org/p"\n'
        'draft: false\nword_count: 412\n---\nx'
    )
    assert (meta.published, meta.author, meta.url, meta.tags) == (
        "2025-03-18T08:00:00+01:00", "Ann Lee, Bo Ray", "https://example.org/p", ["ceasefire"])
    assert meta.extra == {"categories": ["Analysis"], "draft": False, "word_count": 412}


def test_trafilatura_output():
    meta, _, _ = read_front_matter(
        "---\ntitle: A story | Wire\nauthor: Anna Petrova; Mark Ellison\nurl: https://wire.example/a\n"
        "hostname: wire.example\nsitename: Wire\ndate: 2025-03-25\nfingerprint: 3f2a\n---\nx"
    )
    assert (meta.author, meta.outlet, meta.hostname, meta.published) == (
        "Anna Petrova, Mark Ellison", "Wire", "wire.example", "2025-03-25")
    assert meta.extra == {"fingerprint": "3f2a"}


# --- outlet and title ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "title,url,site_name,expected",
    [
        ("Talks resume | Europe | The Guardian", "https://www.theguardian.com/x", None, ("Talks resume", "The Guardian")),
        ("Grid repairs will take months - Baltic Ledger", "https://balticledger.example/a", None, ("Grid repairs will take months", "Baltic Ledger")),
        ("BBC News - Zelensky says no deal without Ukraine", None, None, ("Zelensky says no deal without Ukraine", "BBC News")),
        ("Ceasefire holds – Kyiv Wire", None, "Kyiv Wire", ("Ceasefire holds", "Kyiv Wire")),
        # No site named: nothing is cut.
        ("Russia - Ukraine war: what we know", "https://www.aljazeera.com/x", None, ("Russia - Ukraine war: what we know", None)),
        ("Starmer: Ukraine Peace Deal Needs US Backstop", None, None, ("Starmer: Ukraine Peace Deal Needs US Backstop", None)),
        ("Ten-day truce - what it means", "https://example.com/a", None, ("Ten-day truce - what it means", None)),
    ],
)
def test_the_site_is_cut_off_the_title(title, url, site_name, expected):
    assert site_and_title(title, url, site_name) == expected


def test_outlet_from_the_page_the_table_of_sites_or_the_domain():
    assert outlet_of("https://www.reuters.com/world/x") == "Reuters"
    assert outlet_of("https://news.sky.com/story/x") == "Sky News"
    assert outlet_of("https://www.small-paper.example/a") == "small-paper.example"
    assert outlet_of("https://www.reuters.com/x", site_name="Own name") == "Own name"
    assert outlet_of("javascript:alert(1)") is None


# --- furniture -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "[Skip to main content](#main)",
        "Skip to navigation",
        "Share",
        "Share this article",
        "Facebook Twitter LinkedIn WhatsApp Email",
        "[Share on Facebook](https://facebook.com/s) [Share on X](https://x.com/s)",
        "We use cookies to improve your experience. By clicking Accept all you agree to our cookie policy.",
        "Accept all",
        "Subscribe to continue reading",
        "Sign up to our free daily newsletter",
        "See more from Baltic Ledger on Google",
        "Add Kyiv Wire as a preferred source on Google",
        "View comments (214)",
        "58 comments",
        "3 hours ago",
        "Updated 25 minutes ago",
        "Watch: Negotiators leave the hotel",
        "Video, 00:01:42, Zelensky arrives in Washington",
        "[Prisoner swaps since 2022: a timeline](https://example.com/b)",
        "Reporting by Anna Petrova; Editing by Peter Graff",
        "Published 4 March 2025",
        "© 2025 Kyiv Wire. All rights reserved.",
    ],
)
def test_furniture_lines(line):
    assert is_furniture_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "The newsletter was first to report that the talks had stalled, officials said.",
        "Share prices in Moscow rose 3% after the announcement.",
        '"We use every channel we have," said the envoy, adding that talks would resume.',
        "Comments by the foreign minister angered Kyiv, which recalled its ambassador for consultations.",
        "The talks resumed three hours later than planned, after a row over the seating.",
        "Watch what they do, not what they say, a diplomat warned.",
    ],
)
def test_prose_is_not_furniture(line):
    assert not is_furniture_line(line)


def test_bylines():
    assert is_byline("By Helen Marsh, Europe correspondent, Geneva")
    assert is_byline("Helen Marsh in Geneva")
    assert is_byline("Tomas Vilkas, Baltic Ledger", author="Tomas Vilkas")
    assert not is_byline("Peace Talks in Geneva")
    assert not is_byline("Helen Marsh said the talks in Geneva had stalled.")


def test_a_pull_quote_and_a_bio_leave_the_body():
    text = (
        "Negotiators met for six hours on Tuesday. \"We have a text, but not yet a ceasefire,\" said the envoy.\n\n"
        "> We have a text, but not yet a ceasefire\n\n"
        "The next round is due in April, when monitors will be named by both delegations.\n\n"
        "Helen Marsh is the paper's Europe correspondent.\n"
    )
    [article] = split_articles(text, title="Talks", web=WebPage(author="Helen Marsh"))
    assert "> We have" not in article.body and "Europe correspondent" not in article.body
    assert article.noise == ["> We have a text, but not yet a ceasefire", "Helen Marsh is the paper's Europe correspondent."]


def test_a_web_page_is_one_article_unless_a_break_and_a_headline_start_another():
    body = "\n\n".join(f"Paragraph {n} of the story, long enough to be prose and not a label." for n in range(3))
    second = "Second Story Headline Here\n\n" + body.replace("the story", "another story")
    assert len(split_articles(body + "\n\nLONDON – A dateline in the flow.\n\n" + second, web=WebPage())) == 1
    assert len(split_articles(body + "\n\n---\n\n" + second, web=WebPage())) == 2


def test_sections_with_a_photo_stay_in_their_article():
    [article] = parse_file((WEB / "feature-front-line-towns.txt").read_bytes(), ".txt").articles
    assert "## Pokrovsk Coal Mine" in article.body
    assert "Photo: Anna Koval" not in article.body, "a caption under a photo is a caption mid-article too"


def test_a_title_glued_to_an_honorific_gets_its_space_back():
    [article] = split_articles("Headline Of The Story\n\nUK Prime MinisterSir Keir Starmer spoke. YouGov polled.")
    assert "Prime Minister Sir Keir Starmer" in article.body and "YouGov" in article.body


# --- the test set: every kind of file in one folder ---------------------------------------


def people_and_quotes(article):
    people = extract_people(article.title, article.body)
    quotes = extract_quotes(article.title, article.body, people)
    return sorted(p.name for p in people), sorted((q.text, q.speaker) for q in quotes)


def copy_of_the_test_set(folder):
    folder.mkdir()
    for name in EXPECTED:
        shutil.copy(WEB / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def web_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    path = root / "web.db"
    report = build(path, [copy_of_the_test_set(root / "in")])
    return path, report


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_gives_what_the_page_states(web_db, name):
    path, report = web_db
    expected = EXPECTED[name]
    if "skipped" in expected:
        assert ("in/" + name, expected["skipped"]) in report.skipped
        return
    [row] = query(path, "select * from articles where source_file = ?", ["in/" + name])
    for field in ("title", "outlet", "url", "published", "author"):
        assert row[field] == expected[field], field
    noise = json.loads(row["noise"])
    paragraphs = {paragraph.strip() for paragraph in row["body"].split("\n\n")}
    for line in expected["furniture"]:
        assert line not in paragraphs, f"furniture in the body: {line!r}"
    for text in expected.get("not_in_body", []):
        assert text not in row["body"], f"page furniture in the body: {text!r}"
    assert set(noise) <= set(expected["furniture"]) | {row["title"], row["subtitle"]}
    people = [r["name"] for r in query(
        path, "select name from people join article_people on person_id = id where article_id = ? order by name", [row["id"]])]
    assert people == expected["people"]
    assert query(path, "select count(*) as n from quotes where article_id = ?", [row["id"]])[0]["n"] == expected["quotes"]


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".md")))
def test_furniture_changes_no_person_and_no_quotation(name):
    """The clipped file and the same file with its furniture lines deleted by hand give the
    same people and quotations."""
    data = (WEB / name).read_text(encoding="utf-8")
    clean = "\n".join(line for line in data.split("\n") if line.strip() not in EXPECTED[name]["furniture"])
    assert clean != data
    [clipped] = parse_file(data.encode(), ".md").articles
    [tidy] = parse_file(clean.encode(), ".md").articles
    assert people_and_quotes(clipped) == people_and_quotes(tidy)


def test_a_mixed_folder_builds_once_and_rebuilds_incrementally(tmp_path):
    folder = copy_of_the_test_set(tmp_path / "in")
    db = tmp_path / "b.db"
    first = build(db, [folder])
    assert first.articles_total == len([n for n in EXPECTED if "skipped" not in EXPECTED[n]])
    again = build(db, [folder])
    assert again.files_unchanged == again.files_read and not again.changed


def test_a_bad_web_page_is_reported_by_name_and_loses_nothing(tmp_path):
    folder = copy_of_the_test_set(tmp_path / "in")
    db = tmp_path / "b.db"
    build(db, [folder])
    before = query(db, "select id from articles order by id")
    (folder / "broken.html").write_bytes(b"<html><body>\x00\x01\x02 binary junk")
    (folder / "empty.htm").write_text("<!doctype html><html><head><title>x</title></head><body></body></html>")
    report = build(db, [folder])
    reasons = dict(report.skipped)
    assert "binary" in reasons["in/broken.html"] and "no article text" in reasons["in/empty.htm"]
    assert query(db, "select id from articles order by id") == before


def test_html_is_known_by_its_start_whatever_its_name():
    page = (WEB / "kyiv-wire-ceasefire.html").read_bytes()
    [article] = parse_file(page, ".txt").articles
    assert article.outlet == "Kyiv Wire"
    with pytest.raises(SkipFile):
        parse_file((WEB / "not-an-article.html").read_bytes(), ".html")


@pytest.mark.asyncio
async def test_the_article_page_links_the_original_only_over_http(tmp_path):
    from .conftest import datasette_for

    folder = tmp_path / "in"
    folder.mkdir()
    body = "Negotiators met for six hours on Tuesday and agreed to meet again in April, officials said."
    (folder / "web.md").write_text(f"---\ntitle: Talks\nurl: https://example.com/talks\n---\n{body}\n")
    (folder / "bad.md").write_text(f"---\ntitle: Other talks\nurl: javascript:alert(1)\n---\n{body} Again.\n")
    build(tmp_path / "b.db", [folder])
    ds = datasette_for(tmp_path / "b.db")
    ids = {r["source_file"]: r["id"] for r in query(tmp_path / "b.db", "select id, source_file from articles")}
    good = await ds.client.get(f"/-/briefs/b/article/{ids['in/web.md']}")
    assert 'href="https://example.com/talks"' in good.text
    bad = await ds.client.get(f"/-/briefs/b/article/{ids['in/bad.md']}")
    assert bad.status_code == 200 and "javascript:" not in bad.text
