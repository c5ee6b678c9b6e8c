#!/usr/bin/env python
"""Benchmark the briefs build and pages at N articles against raw SQLite, on this machine.

    python scripts/bench.py --n 100000 --repeats 3 --out BENCHMARKS.md
    python scripts/bench.py --n 500 --repeats 1 --load-seconds 2     # a smoke run, under a minute

Generates a corpus with scripts/make_corpus.py (kept in --workdir and reused), then measures
and writes BENCHMARKS.md (and prints the same):

- Build: a full build (run as a subprocess; peak RSS from its rusage) against raw sqlite-utils
  insert_all + enable_fts (porter) of the same texts split naively; words per second of
  extraction alone (text.people + text.quotes, one core, on a sample of the built bodies).
- Re-run: a rebuild after 1% of the files changed, and with nothing changed, as a share of
  the full build.
- Stories: stories.build_stories(db) alone on the built database.
- Search: the search page's JSON through `datasette serve` on loopback against raw sqlite3
  running the same FTS5 bm25 + snippet + count queries; Datasette's own ?_search= on the
  articles table with the plugin installed and with plugins not loaded.
- Pages: the article page and the person page of the most quoted person against Datasette's
  own row page for the same row.
- Load: requests per second and p95 latency with 8 concurrent clients for a bounded time.

Each figure is the median with the spread (min-max) over --repeats. Benchmarks report; they
never fail on a goal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote as urlquote

import click
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_corpus  # noqa: E402

PY = sys.executable

GOALS = {  # name: (goal text, test on the measured value)
    "build_ratio": ("≤ 5× baseline", lambda v: v <= 5),
    "extraction": ("≥ 500,000 words/s/core", lambda v: v >= 500_000),
    "peak_memory": ("≤ 500 MB", lambda v: v <= 500),
    "rerun_1pct": ("≤ 10% of full build", lambda v: v <= 0.10),
    "rerun_none": ("≤ 5% of full build", lambda v: v <= 0.05),
    "stories": ("≤ 120 s at N = 100,000", lambda v: v <= 120),
    "search_ratio": ("≤ 1.3", lambda v: v <= 1.3),
    "plugin_ratio": ("≤ 1.05", lambda v: v <= 1.05),
    "article_ratio": ("≤ 1.5", lambda v: v <= 1.5),
    "person_ratio": ("≤ 1.5", lambda v: v <= 1.5),
}

# --- small helpers ---------------------------------------------------------------------------


def log(message: str) -> None:
    click.echo(f"[{dt.datetime.now():%H:%M:%S}] {message}", err=True)


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (a build may use worker processes)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
            rss[int(entry)] = int(Path(f"/proc/{entry}/statm").read_text().split()[1]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total / 2**20


def run_child(code: str, *args: str, env: dict | None = None) -> dict:
    """Run Python code in a child process; returns its JSON result plus its peak RSS (MB):
    ``peak_mb`` the largest single process (the child's rusage, os.wait4, which covers its
    reaped descendants) and ``tree_peak_mb`` the sum over the child and its worker processes,
    sampled every 0.2 s (Linux /proc)."""
    proc = subprocess.Popen([PY, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, cwd=str(ROOT))
    tree_peak = [0.0]
    done = threading.Event()

    def sample():
        while not done.wait(0.2):
            if Path("/proc").is_dir():
                tree_peak[0] = max(tree_peak[0], tree_rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err_chunks = []
    err_reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    err_reader.start()
    out = proc.stdout.read()
    err_reader.join()
    err = err_chunks[0] if err_chunks else b""
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise click.ClickException(f"child failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    result["tree_peak_mb"] = max(tree_peak[0], result["peak_mb"])
    return result


BUILD_CODE = """
import json, sys, time
from datasette_ukraine_briefs.build import build
t = time.perf_counter()
report = build(sys.argv[1], [sys.argv[2]])
print(json.dumps({"seconds": time.perf_counter() - t, "articles": report.articles_total,
                  "files_read": report.files_read, "unchanged": report.files_unchanged}))
"""

# The baseline: what plain sqlite-utils does with the same texts, split naively.
BASELINE_CODE = """
import json, re, sys, time
from pathlib import Path
import sqlite_utils
t = time.perf_counter()
db = sqlite_utils.Database(sys.argv[1], recreate=True)
def rows():
    for path in sorted(Path(sys.argv[2]).rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for position, chunk in enumerate(re.split(r"\\n\\s*\\n\\s*\\n", text), start=1):
            title, _, body = chunk.strip().partition("\\n")
            if body.strip():
                yield {"source_file": str(path), "position": position, "title": title, "body": body}
db["articles"].insert_all(rows(), batch_size=1000)
db["articles"].enable_fts(["title", "body"], tokenize="porter")
print(json.dumps({"seconds": time.perf_counter() - t, "articles": db["articles"].count}))
"""

EXTRACT_CODE = """
import json, sqlite3, sys, time
from datasette_ukraine_briefs.text.people import extract_people
from datasette_ukraine_briefs.text.quotes import extract_quotes
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
budget, rows, words = int(sys.argv[2]), [], 0
for title, body, count in conn.execute("select title, body, word_count from articles order by rowid"):
    rows.append((title, body)); words += count or len(body.split())
    if words >= budget:
        break
t = time.process_time()
for title, body in rows:
    extract_quotes(title, body, extract_people(title, body))
cpu = time.process_time() - t
print(json.dumps({"seconds": cpu, "words": words, "articles": len(rows), "words_per_second": words / cpu}))
"""

STORIES_CODE = """
import json, sys, time
import sqlite_utils
from datasette_ukraine_briefs.build.stories import build_stories
db = sqlite_utils.Database(sys.argv[1])
with db.conn:  # from scratch: no scored pairs or stories to reuse
    db.execute("delete from story_links")
    db.execute("update articles set story_id = null")
t = time.perf_counter()
with db.conn:
    build_stories(db)
print(json.dumps({"seconds": time.perf_counter() - t,
                  "stories": db["stories"].count, "largest": db.execute("select max(article_count) from stories").fetchone()[0]}))
"""

# Both servers start the same way; the plain one sets the flag datasette.plugins checks before
# loading entry-point plugins (and DATASETTE_LOAD_PLUGINS="" for Datasette 1.0).
SERVE_CODE = """
import sys
if sys.argv[1] == "plain":
    sys._called_from_test = True
from datasette.cli import cli
sys.argv = ["datasette", "serve", *sys.argv[2:]]
cli()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(db: Path, plugins: bool):
    port = free_port()
    env = dict(os.environ)
    if not plugins:
        env["DATASETTE_LOAD_PLUGINS"] = ""
    proc = subprocess.Popen(
        [PY, "-c", SERVE_CODE, "briefs" if plugins else "plain", str(db), "--host", "127.0.0.1", "--port", str(port),
         "--setting", "sql_time_limit_ms", "60000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=str(ROOT),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise click.ClickException("datasette exited: " + proc.stderr.read().decode()[-2000:])
            time.sleep(0.1)
        plugins_loaded = [p["name"] for p in httpx.get(base + "/-/plugins.json", timeout=10).json()]
        yield base, plugins_loaded, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def time_get(client: httpx.Client, url: str) -> float:
    t = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - t
    if response.status_code != 200:
        raise click.ClickException(f"GET {url}: {response.status_code} {response.text[:300]}")
    return elapsed


def http_p50(base: str, paths: list[str], rounds: int) -> list[float]:
    """Median latency of each path (sequential, one keep-alive client), after a warm-up."""
    with httpx.Client(base_url=base, timeout=120) as client:
        for path in paths:
            time_get(client, path)
        times = {path: [] for path in paths}
        for _ in range(rounds):
            for path in paths:
                times[path].append(time_get(client, path))
    return [statistics.median(times[path]) for path in paths]


def load(base: str, paths: list[str], seconds: float, clients: int = 8) -> dict:
    """Requests per second and latency percentiles with `clients` threads for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(offset: int):
        mine = []
        with httpx.Client(base_url=base, timeout=60) as client:
            i = offset
            while time.perf_counter() < stop:
                t = time.perf_counter()
                response = client.get(paths[i % len(paths)])
                mine.append(time.perf_counter() - t)
                if response.status_code != 200:
                    errors[0] += 1
                i += 1
        with lock:
            latencies.extend(mine)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {"rps": len(latencies) / elapsed, "p50_ms": pct(latencies, 50) * 1000, "p95_ms": pct(latencies, 95) * 1000,
            "requests": len(latencies), "errors": errors[0]}


# --- the machine -----------------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    import datasette
    import importlib.metadata as md
    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram": ram, "os": platform.platform(),
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "datasette": datasette.__version__, "sqlite-utils": md.version("sqlite-utils"),
        "plugin": md.version("datasette-ukraine-briefs"),
    }


# --- the parts -------------------------------------------------------------------------------


def ensure_corpus(workdir: Path, n: int, seed: int) -> tuple[Path, dict]:
    corpus = workdir / f"corpus-{n}-seed{seed}"
    done = corpus / ".complete.json"
    if done.exists():
        return corpus, json.loads(done.read_text())
    if corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    log(f"generating {n} articles in {corpus}")
    t = time.perf_counter()
    counts = make_corpus.generate(n, corpus, seed)
    counts["seconds"] = time.perf_counter() - t
    done.write_text(json.dumps(counts))
    return corpus, counts


def bench_build(workdir: Path, corpus: Path, repeats: int) -> dict:
    db = workdir / "briefs.db"
    base_db = workdir / "baseline.db"
    builds, baselines = [], []
    for r in range(repeats):
        for path in (db, base_db):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        log(f"baseline {r + 1}/{repeats}")
        baselines.append(run_child(BASELINE_CODE, str(base_db), str(corpus)))
        log(f"  {baselines[-1]['seconds']:.1f} s; full build {r + 1}/{repeats}")
        builds.append(run_child(BUILD_CODE, str(db), str(corpus)))
        log(f"  {builds[-1]['seconds']:.1f} s, peak {builds[-1]['tree_peak_mb']:.0f} MB "
            f"(largest process {builds[-1]['peak_mb']:.0f} MB)")
    ratios = [b["seconds"] / s["seconds"] for b, s in zip(builds, baselines)]
    return {
        "build_s": spread([b["seconds"] for b in builds]), "baseline_s": spread([s["seconds"] for s in baselines]),
        "build_ratio": spread(ratios), "peak_mb": spread([b["tree_peak_mb"] for b in builds]),
        "largest_process_mb": spread([b["peak_mb"] for b in builds]),
        "baseline_peak_mb": spread([s["tree_peak_mb"] for s in baselines]),
        "articles": builds[-1]["articles"], "baseline_articles": baselines[-1]["articles"],
        "db": db, "db_mb": db.stat().st_size / 1e6,
    }


def bench_extraction(db: Path, repeats: int, words: int) -> dict:
    runs = [run_child(EXTRACT_CODE, str(db), str(words)) for _ in range(repeats)]
    return {"words_per_s": spread([r["words_per_second"] for r in runs]), "sample_words": runs[0]["words"],
            "sample_articles": runs[0]["articles"]}


def bench_rerun(db: Path, corpus: Path, repeats: int, full_s: float) -> dict:
    files = sorted(corpus.rglob("*.txt"))
    changed = files[:: 100] or files[:1]
    originals = {path: path.read_bytes() for path in changed}  # 1% of the files: small
    backup = db.with_name("before-rerun.db")
    shutil.copyfile(db, backup)
    one, none = [], []
    try:
        for r in range(repeats):
            for path in changed:
                with open(path, "a", encoding="utf-8") as handle:
                    handle.write(f"\nThe talks were expected to resume next week, officials said ({r}).\n")
            log(f"re-run, {len(changed)} of {len(files)} files changed, {r + 1}/{repeats}")
            one.append(run_child(BUILD_CODE, str(db), str(corpus)))
            log(f"  {one[-1]['seconds']:.1f} s; nothing changed")
            none.append(run_child(BUILD_CODE, str(db), str(corpus)))
            log(f"  {none[-1]['seconds']:.2f} s")
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        os.replace(backup, db)  # the database as built from the corpus as generated
    return {
        "changed_files": len(changed), "files": len(files),
        "one_s": spread([x["seconds"] for x in one]), "none_s": spread([x["seconds"] for x in none]),
        "one_frac": spread([x["seconds"] / full_s for x in one]), "none_frac": spread([x["seconds"] / full_s for x in none]),
        "one_peak_mb": spread([x["tree_peak_mb"] for x in one]),
    }


def bench_stories(db: Path, workdir: Path, repeats: int) -> dict:
    copy = workdir / "stories.db"
    runs = []
    for r in range(repeats):
        shutil.copyfile(db, copy)
        runs.append(run_child(STORIES_CODE, str(copy)))
        log(f"stories {r + 1}/{repeats}: {runs[-1]['seconds']:.1f} s")
    copy.unlink()
    return {"seconds": spread([x["seconds"] for x in runs]), "stories": runs[-1]["stories"],
            "largest": runs[-1]["largest"], "peak_mb": spread([x["tree_peak_mb"] for x in runs])}


def as_written(conn, stem: str) -> str:
    """A word of the text whose porter stem is ``stem`` (fts5vocab lists stems)."""
    row = conn.execute("select body from articles where instr(lower(body), ?) limit 1", [stem]).fetchone()
    found = re.search(rf"\b({re.escape(stem)}\w*)", row[0], re.I) if row else None
    return found.group(1).lower() if found else stem


def pick_targets(db: Path) -> dict:
    """The queries and rows the page benchmarks use, chosen from the built database."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.execute("create virtual table temp.vocab using fts5vocab(main, articles_fts, row)")
    total = conn.execute("select count(*) from articles").fetchone()[0]
    stem = conn.execute("select term from temp.vocab where term glob '[a-z]*' and length(term) >= 5 "
                        "order by doc desc limit 1").fetchone()[0]
    common = as_written(conn, stem)
    rare = conn.execute("select term from temp.vocab where term glob '[a-z]*' and length(term) >= 6 and doc between 2 and 10 "
                        "order by doc desc, term limit 1").fetchone()
    rare = as_written(conn, rare[0]) if rare else common
    person_id, person_name = conn.execute("select id, name from people order by quote_count desc, id limit 1").fetchone()
    article_id = conn.execute(
        """select a.id from quotes q join articles a on a.id = q.article_id where q.person_id = ?
           group by a.id order by count(*) desc, a.id limit 1""", [person_id]).fetchone()[0]
    people_row = conn.execute("select quote_count, article_count from people where id = ?", [person_id]).fetchone()
    conn.close()
    return {
        "queries": {"rare word": rare, "common word": common, "phrase": '"security guarantee"', "person name": person_name},
        "person_id": person_id, "person_name": person_name, "person_quotes": people_row[0],
        "person_articles": people_row[1], "article_id": article_id, "articles": total,
    }


# The textbook FTS5 search of each kind (as in SQLite's FTS5 documentation): what someone
# would write by hand, and the baseline the search page is measured against.
TEXTBOOK_SEARCHES = {
    kind: f"""select t.*, snippet({kind}_fts, -1, :open, :close, '…', 24) from {kind}_fts
              join {kind} t on t.rowid = {kind}_fts.rowid
              where {kind}_fts match :query order by bm25({kind}_fts) limit :limit"""
    for kind in ("articles", "quotes", "people")
}


def raw_search(db: Path, q: str, rounds: int, page_sql: bool = False) -> float:
    """Each kind's bm25 + snippet query and its count straight through sqlite3: the textbook
    statements, or (``page_sql``) the search page's own."""
    from datasette.utils import escape_fts

    from datasette_ukraine_briefs.site.config import DEFAULTS
    from datasette_ukraine_briefs.site.html import SNIPPET_CLOSE, SNIPPET_OPEN
    from datasette_ukraine_briefs.site.search import COUNTS, FTS_SYNTAX, SEARCHES

    statements = SEARCHES if page_sql else TEXTBOOK_SEARCHES
    fts = q if FTS_SYNTAX.search(q) else escape_fts(q)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
    params = {"query": fts, "open": SNIPPET_OPEN, "close": SNIPPET_CLOSE, "limit": DEFAULTS.search_page_size, "offset": 0}

    def once():
        t = time.perf_counter()
        for kind in statements:
            conn.execute(statements[kind], params).fetchall()
            conn.execute(COUNTS[kind], {"query": fts}).fetchone()
        return time.perf_counter() - t

    once()
    result = statistics.median(once() for _ in range(rounds))
    conn.close()
    return result


def bench_serving(db: Path, targets: dict, repeats: int, rounds: int, load_seconds: float) -> dict:
    name = db.stem
    queries = targets["queries"]
    search_paths = [f"/-/briefs/{name}/search.json?q={urlquote(q)}" for q in queries.values()]
    table_paths = [f"/{name}/articles.json?_search={urlquote(q)}" for q in queries.values()]
    article, person = targets["article_id"], targets["person_id"]
    page_paths = [f"/-/briefs/{name}/article/{article}", f"/{name}/articles/{article}",
                  f"/-/briefs/{name}/person/{person}", f"/{name}/people/{person}"]
    out = {"search": {k: [] for k in queries}, "raw": {k: [] for k in queries}, "raw_page_sql": {k: [] for k in queries},
           "table_with": [], "table_without": [],
           "pages": [[] for _ in page_paths]}
    with server(db, plugins=True) as (base, loaded, _):
        out["plugins_with"] = loaded
        with server(db, plugins=False) as (plain, loaded_plain, _):
            out["plugins_without"] = loaded_plain
            for r in range(repeats):
                log(f"search, table search and pages {r + 1}/{repeats}")
                for kind, p50 in zip(queries, http_p50(base, search_paths, rounds)):
                    out["search"][kind].append(p50)
                for kind, q in queries.items():
                    out["raw"][kind].append(raw_search(db, q, rounds))
                    out["raw_page_sql"][kind].append(raw_search(db, q, rounds, page_sql=True))
                # With and without the plugin, alternating so drift hits both alike.
                for _ in range(2):
                    out["table_with"].append(statistics.median(http_p50(base, table_paths, rounds)))
                    out["table_without"].append(statistics.median(http_p50(plain, table_paths, rounds)))
                for i, p50 in enumerate(http_p50(base, page_paths, rounds)):
                    out["pages"][i].append(p50)
        out["load"] = {}
        for label, paths in (("search", search_paths), ("article", page_paths[:1]), ("person", page_paths[2:3])):
            log(f"load: {label}, 8 clients, {load_seconds:g} s")
            out["load"][label] = load(base, paths, load_seconds)
    out["page_paths"], out["search_paths"], out["table_paths"] = page_paths, search_paths, table_paths
    return out


# --- the report ------------------------------------------------------------------------------


def fmt(s: dict, unit: str = "", scale: float = 1.0, digits: int = 2) -> str:
    if s["median"] is None:
        return "not measured"
    if s["n"] == 1:
        return f"{s['median'] * scale:,.{digits}f}{unit}"
    return (f"{s['median'] * scale:,.{digits}f}{unit} "
            f"({s['min'] * scale:,.{digits}f}–{s['max'] * scale:,.{digits}f})")


def verdict(key: str, value: float | None) -> str:
    if value is None:
        return "not measured (--skip)"
    return "PASS" if GOALS[key][1](value) else "FAIL"


def report(meta: dict, corpus: dict, b: dict, x: dict, rr: dict, st: dict, t: dict, sv: dict) -> str:
    m = meta["machine"]
    search_ratio = [statistics.median(s) / statistics.median(r) for s, r in zip(sv["search"].values(), sv["raw"].values())]
    search_ratios = {k: [s / r for s, r in zip(sv["search"][k], sv["raw"][k])] for k in sv["search"]}
    all_ratios = [v for vs in search_ratios.values() for v in vs]
    plugin = [w / o for w, o in zip(sv["table_with"], sv["table_without"])]
    article_r = [a / b_ for a, b_ in zip(sv["pages"][0], sv["pages"][1])]
    person_r = [a / b_ for a, b_ in zip(sv["pages"][2], sv["pages"][3])]
    nm = {"median": None, "n": 0}
    if b is None:
        b = {"build_ratio": nm, "peak_mb": nm, "largest_process_mb": nm, "build_s": nm, "baseline_s": nm,
             "baseline_peak_mb": nm, "articles": meta["articles"], "baseline_articles": 0, "db_mb": meta["db_mb"]}
    values = {
        "build_ratio": b["build_ratio"]["median"], "extraction": x["words_per_s"]["median"],
        "peak_memory": b["peak_mb"]["median"], "rerun_1pct": rr["one_frac"]["median"] if rr else None,
        "rerun_none": rr["none_frac"]["median"] if rr else None, "stories": st["seconds"]["median"] if st else None,
        "search_ratio": statistics.median(all_ratios), "plugin_ratio": statistics.median(plugin),
        "article_ratio": statistics.median(article_r), "person_ratio": statistics.median(person_r),
    }
    rows = [
        ("Build: full build ÷ baseline", fmt(b["build_ratio"], "×"), "build_ratio"),
        ("Build: extraction words/s (one core)", fmt(x["words_per_s"], "", 1, 0), "extraction"),
        ("Build: peak memory (RSS)", fmt(b["peak_mb"], " MB", 1, 0), "peak_memory"),
        ("Re-run: 1% of files changed ÷ full build", fmt(rr["one_frac"], "%", 100, 1) if rr else "not measured", "rerun_1pct"),
        ("Re-run: nothing changed ÷ full build", fmt(rr["none_frac"], "%", 100, 2) if rr else "not measured", "rerun_none"),
        ("Stories: build_stories alone, from scratch", fmt(st["seconds"], " s", 1, 1) if st else "not measured", "stories"),
        ("Search: search.json p50 ÷ raw sqlite3 (all queries)",
         fmt(spread(all_ratios), "×") + "; worst: " + max(((r, k) for k, r in zip(t["queries"], search_ratio)))[1]
         + f" {max(search_ratio):.2f}×", "search_ratio"),
        ("Search: ?_search= with plugin ÷ without", fmt(spread(plugin), "×", 1, 3), "plugin_ratio"),
        ("Pages: article page p50 ÷ row page", fmt(spread(article_r), "×"), "article_ratio"),
        ("Pages: person page p50 ÷ row page", fmt(spread(person_r), "×"), "person_ratio"),
    ]
    note_stories = "" if meta["n"] >= 100_000 else f" (goal is for N = 100,000; measured at N = {meta['n']:,})"
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{meta['command']}` on {meta['date']} (took {meta['took']:.0f} s).",
        "",
        f"- **N** = {meta['n']:,} generated articles (`scripts/make_corpus.py {meta['n']} … --seed {meta['seed']}`): "
        f"{corpus['files']:,} files, {corpus['words']:,} words ({corpus['words'] / corpus['articles']:.0f} per article), "
        f"{corpus['bytes'] / 1e6:.1f} MB; the build found {b['articles']:,} articles, database {b['db_mb']:.0f} MB.",
        f"- **Machine**: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, {m['os']}",
        f"- **Versions**: Python {m['python']}, SQLite {m['sqlite']}, Datasette {m['datasette']}, "
        f"sqlite-utils {m['sqlite-utils']}, datasette-ukraine-briefs {m['plugin']}",
        f"- **Repeats**: {meta['repeats']} (builds: {meta['build_repeats']}); each figure is the median "
        "with the spread (min–max) over repeats; HTTP figures are medians of "
        f"{meta['rounds']} sequential requests per URL per repeat, over loopback with keep-alive.",
        "",
        "## Goals",
        "",
        "| figure | measured | goal | |",
        "| --- | --- | --- | --- |",
    ]
    for label, measured, key in rows:
        extra = note_stories if key == "stories" else ""
        lines.append(f"| {label} | {measured} | {GOALS[key][0]}{extra} | {verdict(key, values[key])} |")
    lines += [
        "",
        "## Build",
        "",
        "| | seconds | peak RSS |",
        "| --- | --- | --- |",
        f"| full build (`build.build`, subprocess) | {fmt(b['build_s'], '', 1, 1)} | {fmt(b['peak_mb'], ' MB', 1, 0)} "
        f"(largest process {fmt(b['largest_process_mb'], ' MB', 1, 0)}) |",
        f"| baseline: sqlite-utils `insert_all` + `enable_fts` (porter), naive split ({b['baseline_articles']:,} rows) "
        f"| {fmt(b['baseline_s'], '', 1, 2)} | {fmt(b['baseline_peak_mb'], ' MB', 1, 0)} |",
    ]
    if rr:
        lines += [
            f"| re-run, {rr['changed_files']:,} of {rr['files']:,} files changed (a sentence appended) | {fmt(rr['one_s'], '', 1, 1)} | {fmt(rr['one_peak_mb'], ' MB', 1, 0)} |",
            f"| re-run, nothing changed | {fmt(rr['none_s'], '', 1, 2)} | |",
        ]
    if st:
        lines.append(f"| `stories.build_stories(db)` alone, from scratch | {fmt(st['seconds'], '', 1, 1)} | {fmt(st['peak_mb'], ' MB', 1, 0)} |")
    throughput = (f"Build throughput: {b['articles'] / b['build_s']['median']:,.0f} articles/s, "
                  f"{corpus['words'] / b['build_s']['median']:,.0f} words/s. ") if b["build_s"]["median"] else ""
    lines += [
        "",
        throughput + f"Extraction alone (`extract_people` + "
        f"`extract_quotes`, CPU time, one core) on the first {x['sample_articles']:,} articles "
        f"({x['sample_words']:,} words): {fmt(x['words_per_s'], ' words/s', 1, 0)}."
        + (f" Stories: {st['stories']:,}, the largest {st['largest']:,} articles." if st else ""),
        "",
        "## Search",
        "",
        "`/-/briefs/<db>/search.json?q=…` (articles, quotations and people, each bm25 + snippet + count) "
        "against raw `sqlite3` on the same file (no HTTP) running, for each kind, the textbook FTS5 statement "
        "(`select t.*, snippet(…) from t_fts join t … where t_fts match ? order by bm25(t_fts) limit 20`) and "
        "the count. The page ranks on the index first and makes snippets only for the rows it shows; the last "
        "column runs the page's own statements raw, so the difference to it is Datasette and the plugin.",
        "",
        "| query | q | search.json p50 | raw sqlite3 p50 (textbook) | ratio | raw sqlite3 p50 (page's SQL) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for (kind, q), ratio in zip(t["queries"].items(), search_ratio):
        lines.append(f"| {kind} | `{q}` | {fmt(spread(sv['search'][kind]), ' ms', 1000, 1)} | "
                     f"{fmt(spread(sv['raw'][kind]), ' ms', 1000, 2)} | {ratio:.1f}× | "
                     f"{fmt(spread(sv['raw_page_sql'][kind]), ' ms', 1000, 2)} |")
    lines += [
        "",
        f"Datasette's own `/<db>/articles.json?_search=…` (the four queries, median): with the plugin "
        f"{fmt(spread(sv['table_with']), ' ms', 1000, 1)}, without {fmt(spread(sv['table_without']), ' ms', 1000, 1)} "
        f"(plugins loaded: {', '.join(sv['plugins_with']) or 'none'} / {', '.join(sv['plugins_without']) or 'none'}). "
        "The server without plugins is the same `datasette serve` with entry-point plugins not loaded.",
        "",
        "## Pages",
        "",
        f"Article `{t['article_id']}` (the one quoting the most quoted person most); person `{t['person_id']}` "
        f"({t['person_quotes']:,} quotations in {t['person_articles']:,} articles). HTML pages.",
        "",
        "| page | p50 | Datasette row page p50 | ratio |",
        "| --- | --- | --- | --- |",
        f"| article | {fmt(spread(sv['pages'][0]), ' ms', 1000, 1)} | {fmt(spread(sv['pages'][1]), ' ms', 1000, 1)} | {fmt(spread(article_r), '×')} |",
        f"| person | {fmt(spread(sv['pages'][2]), ' ms', 1000, 1)} | {fmt(spread(sv['pages'][3]), ' ms', 1000, 1)} | {fmt(spread(person_r), '×')} |",
        "",
        "## Load",
        "",
        f"8 concurrent clients (threads, keep-alive) for {meta['load_seconds']:g} s each against one "
        f"`datasette serve` process on loopback; clients and server share the {m['cores']} cores.",
        "",
        "| pages | requests/s | p50 | p95 | requests | errors |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, l in sv["load"].items():
        lines.append(f"| {label} | {l['rps']:.1f} | {l['p50_ms']:.0f} ms | {l['p95_ms']:.0f} ms | {l['requests']:,} | {l['errors']} |")
    lines += ["", "Benchmarks report, they do not assert: a FAIL above is a goal not met yet.", ""]
    return "\n".join(lines)


@click.command(help=__doc__)
@click.option("--n", "--articles", "n", default=2000, show_default=True, help="Articles to generate.")
@click.option("--repeats", default=3, show_default=True, help="Repeats of each measurement.")
@click.option("--build-repeats", type=int, help="Repeats of the full build, baseline and stories (default: --repeats).")
@click.option("--out", default=str(ROOT / "BENCHMARKS.md"), show_default=True, type=click.Path(dir_okay=False))
@click.option("--workdir", type=click.Path(file_okay=False), help="Where corpus and databases go (default: a temporary folder, removed after).")
@click.option("--seed", default=1, show_default=True)
@click.option("--rounds", default=15, show_default=True, help="Sequential requests per URL per repeat.")
@click.option("--load-seconds", type=float, help="Duration of each load test (default: 10, or 3 below 10,000 articles).")
@click.option("--skip", multiple=True, type=click.Choice(["build", "rerun", "stories"]),
              help="Leave out a part (each takes about as long as a full build); its goals are reported as not "
                   "measured. With 'build', the pages are measured on the briefs.db already in --workdir.")
@click.option("--extract-words", default=300_000, show_default=True, help="Words in the extraction sample.")
def main(n, repeats, build_repeats, out, workdir, seed, rounds, load_seconds, skip, extract_words):
    started = time.perf_counter()
    build_repeats = build_repeats or repeats
    load_seconds = load_seconds or (10.0 if n >= 10_000 else 3.0)
    temporary = workdir is None
    work = Path(workdir or tempfile.mkdtemp(prefix="briefs-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        corpus_dir, corpus = ensure_corpus(work, n, seed)
        if "build" in skip:
            db = work / "briefs.db"
            if not db.exists():
                raise click.ClickException(f"--skip build needs a built {db}")
            b = None
        else:
            b = bench_build(work, corpus_dir, build_repeats)
            db = b["db"]
        log("extraction")
        x = bench_extraction(db, repeats, extract_words)
        rr = None if "rerun" in skip or b is None else bench_rerun(db, corpus_dir, repeats, b["build_s"]["median"])
        st = None if "stories" in skip else bench_stories(db, work, build_repeats)
        t = pick_targets(db)
        sv = bench_serving(db, t, repeats, rounds, load_seconds)
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)
    meta = {
        "n": n, "seed": seed, "repeats": repeats, "build_repeats": build_repeats, "rounds": rounds,
        "load_seconds": load_seconds, "machine": machine(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python scripts/bench.py " + " ".join(sys.argv[1:]), "took": time.perf_counter() - started,
        "articles": t["articles"], "db_mb": db.stat().st_size / 1e6 if db.exists() else 0,
    }
    text = report(meta, corpus, b, x, rr, st, t, sv)
    Path(out).write_text(text, encoding="utf-8")
    click.echo(text)


if __name__ == "__main__":
    main()
