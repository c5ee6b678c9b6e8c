#!/usr/bin/env python
"""Soak the plugin: serve an archive with hostile articles in it and attack it for a fixed time.

    python scripts/soak.py --work /work/soak-work                 # 20,000 articles, 60 s, 8 clients
    python scripts/soak.py --db briefs.db --seconds 30 --json soak.json
    python scripts/soak.py --n 40 --seconds 3 --concurrency 2 --hostile-scale 0.01   # a smoke run

Builds (once; kept under --work and reused) an archive of N articles written by
scripts/make_corpus.py, plus the hostile files of issue 17 (scripts/soak_mix.py says which and
how big), or takes the built database given with --db. Serves it with ``datasette serve`` on
127.0.0.1 at a free port (loopback only) with the ``sql_time_limit_ms`` given, and then:

1. baseline: requests ``/-/versions.json`` alone at a steady rate for --baseline-seconds;
2. attack: --concurrency threads send a weighted mix of requests for --seconds (the plugin's
   search with ordinary and expensive queries, article pages of ordinary and hostile articles,
   person, story and altered pages, canned queries, Atom feeds, the SQL functions through
   Datasette's JSON API, table pages with ``_search``, odd URLs), while the same probe goes on
   requesting ``/-/versions.json`` at the same rate.

Reports requests by kind and status, every 5xx with its URL, p50/p99/max latency per kind, and
the probe's p50/p99 during the attack against the baseline as a ratio. Only the standard
library talks to the server (threads and http.client, one connection a request).

Exit status: 0 when no request answered 5xx, none timed out (--request-timeout) or failed to
connect, and the server lived to the end; 1 otherwise. Latencies are reported, never judged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import math
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a clone without installing, too
sys.path.insert(0, str(ROOT / "scripts"))

import make_corpus  # noqa: E402
import soak_mix  # noqa: E402

PY = sys.executable
DATABASE_NAME = "briefs"  # the built file is briefs.db, so its pages are /-/briefs/briefs/…
DONE = ".done"  # written into a corpus or archive folder once it is complete, so a re-run reuses it
STARTUP_SECONDS = 120  # a server that has not answered by then is reported as not started
STOP_SECONDS = 10  # how long a SIGTERM is given before SIGKILL (the issue saw one ignored)
TARGET_SAMPLE = 200  # ids of each kind read from the database for the URLs
BUILD_CODE = "from datasette_ukraine_briefs.build.cli import main; main()"  # briefs-build, by this Python
MAX_LISTED = 40
EXAMPLES = 3  # URLs kept in the report for each kind and status other than 200  # failures printed in the table (the --json report has all)


def log(message: str) -> None:
    click.echo(f"[{dt.datetime.now():%H:%M:%S}] {message}", err=True)


@dataclass(frozen=True)
class Config:
    n: int = 20_000
    seed: int = 1
    work: Path = Path("/tmp/briefs-soak")
    db: Path | None = None
    seconds: float = 60.0
    concurrency: int = 8
    sql_time_limit_ms: int = 1000
    baseline_seconds: float = 10.0
    probe_rate: float = 10.0  # versions.json requests per second
    request_timeout: float = 30.0
    hostile_scale: float = 1.0
    only: frozenset[str] = frozenset()  # kinds of request to send (empty: the whole mix)


# --- the archive -----------------------------------------------------------------------------


def prepare_archive(cfg: Config) -> tuple[Path, dict]:
    """The database to serve (built under cfg.work unless cfg.db) and what is known of it."""
    if cfg.db is not None:
        if not cfg.db.is_file():
            raise click.ClickException(f"no such database: {cfg.db}")
        return cfg.db, {"db": str(cfg.db), "built_here": False}
    corpus = cfg.work / f"corpus-{cfg.n}-s{cfg.seed}"
    if not (corpus / DONE).exists():
        log(f"writing {cfg.n:,} articles to {corpus}")
        if corpus.exists():
            raise click.ClickException(f"{corpus} is there but incomplete: remove it and run again")
        counts = make_corpus.generate(cfg.n, corpus, cfg.seed)
        (corpus / DONE).write_text(json.dumps(counts))
    archive = cfg.work / f"archive-{cfg.n}-s{cfg.seed}-x{cfg.hostile_scale:g}"
    db = archive / f"{DATABASE_NAME}.db"
    done = archive / DONE
    if done.exists() and db.exists():
        log(f"reusing {db}")
        return db, json.loads(done.read_text())
    hostile = archive / soak_mix.HOSTILE_FOLDER
    sizes = soak_mix.write_hostile(hostile, cfg.hostile_scale)
    log(f"building {db} from {corpus} and {hostile}")
    started = time.perf_counter()
    finished = subprocess.run([PY, "-c", BUILD_CODE, str(db), str(corpus), str(hostile)],
                              capture_output=True, text=True, cwd=str(ROOT))
    if finished.returncode != 0:
        raise click.ClickException(f"the build failed:\n{finished.stderr[-3000:]}")
    info = {"db": str(db), "built_here": True, "build_seconds": round(time.perf_counter() - started, 1),
            "hostile_files": sizes, "build_output": finished.stdout.strip()[-2000:],
            "build_warnings": len(finished.stderr.splitlines())}
    done.write_text(json.dumps(info, indent=2))
    return db, info


def read_archive(db: Path, seed: int) -> tuple[soak_mix.Targets, dict]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        targets = soak_mix.read_targets(conn, DATABASE_NAME if db.stem == DATABASE_NAME else db.stem,
                                        TARGET_SAMPLE, random.Random(seed))
        counts = {table: conn.execute(f"select count(*) from [{table}]").fetchone()[0]  # names from this list only
                  for table in ("articles", "quotes", "people", "stories")}
    finally:
        conn.close()
    return targets, counts


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    log_path: Path
    died: bool = False  # exited before the soak stopped it
    ignored_sigterm: bool = False
    returncode: int | None = None


@contextlib.contextmanager
def serving(db: Path, cfg: Config, log_path: Path):
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as stderr:
        proc = subprocess.Popen(
            [PY, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1", "--port", str(port),
             "--setting", "sql_time_limit_ms", str(cfg.sql_time_limit_ms)],
            stdout=subprocess.DEVNULL, stderr=stderr, cwd=str(ROOT),
        )
    server = Server(proc, port, log_path)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(server)


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise click.ClickException(f"the server exited at start; see {server.log_path}")
        if fetch(server.port, "/-/versions.json", 2).status == 200:
            return
        time.sleep(0.2)
    raise click.ClickException(f"the server did not answer in {STARTUP_SECONDS} s; see {server.log_path}")


def _stop(server: Server) -> None:
    if server.proc.poll() is not None:
        server.died = True
    else:
        server.proc.terminate()
        try:
            server.proc.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            server.ignored_sigterm = True
            server.proc.kill()
            server.proc.wait()
    server.returncode = server.proc.returncode


# --- requests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    path: str
    status: int | str  # an HTTP status, or "timeout" / "error: <what>" when none came
    seconds: float


def fetch(port: int, path: str, timeout: float, kind: str = "") -> Sample:
    """One GET on a new connection, the whole body read; never raises."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        response.read()
        status: int | str = response.status
    except TimeoutError:
        status = "timeout"
    except (OSError, http.client.HTTPException) as error:
        status = f"error: {type(error).__name__}"
    finally:
        conn.close()
    return Sample(kind, path, status, time.perf_counter() - started)


def probe(port: int, cfg: Config, stop: threading.Event, into: list[Sample]) -> None:
    """Request /-/versions.json every 1/rate s until ``stop``; a slot missed while a request
    hung is skipped, not made up."""
    interval = 1 / cfg.probe_rate
    next_at = time.monotonic()
    while not stop.is_set():
        into.append(fetch(port, "/-/versions.json", cfg.request_timeout, "versions"))
        next_at = max(next_at + interval, time.monotonic())
        stop.wait(max(0.0, next_at - time.monotonic()))


def run_probe_alone(port: int, cfg: Config) -> list[Sample]:
    samples: list[Sample] = []
    stop = threading.Event()
    thread = threading.Thread(target=probe, args=(port, cfg, stop, samples), daemon=True)
    thread.start()
    time.sleep(cfg.baseline_seconds)
    stop.set()
    thread.join()
    return samples


def attack(port: int, cfg: Config, targets: soak_mix.Targets, sql_path: str) -> tuple[list[Sample], list[Sample], list[str]]:
    """The mix from cfg.concurrency threads for cfg.seconds, the probe beside them. Returns the
    mix's samples, the probe's, and the kinds the mix draws."""
    samples: list[Sample] = []  # list.append is atomic: the threads share it
    probed: list[Sample] = []
    deadline = time.monotonic() + cfg.seconds
    stop = threading.Event()
    kinds = soak_mix.Mix(targets, sql_path, random.Random(0), cfg.only).kinds

    def client(index: int) -> None:
        mix = soak_mix.Mix(targets, sql_path, random.Random(cfg.seed * 1000 + index), cfg.only)
        while time.monotonic() < deadline:
            request = mix.next()
            samples.append(fetch(port, request.path, cfg.request_timeout, request.kind))

    prober = threading.Thread(target=probe, args=(port, cfg, stop, probed), daemon=True)
    prober.start()
    clients = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(cfg.concurrency)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    stop.set()
    prober.join()
    return samples, probed, kinds


def datasette_version(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/-/versions.json")
        return json.loads(conn.getresponse().read())["datasette"]["version"]
    finally:
        conn.close()


def sql_path_for(version: str, database: str) -> str:
    """Where Datasette answers arbitrary SQL as JSON: 1.0 moved it under /-/query."""
    return f"/{database}.json" if version.startswith("0.") else f"/{database}/-/query.json"


# --- the report ------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float | None:
    """The nearest-rank percentile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency(samples: list[Sample]) -> dict:
    seconds = [s.seconds for s in samples]
    ms = (lambda v: None if v is None else round(v * 1000, 1))
    return {"count": len(samples), "p50_ms": ms(statistics.median(seconds) if seconds else None),
            "p99_ms": ms(percentile(seconds, 99)), "max_ms": ms(max(seconds) if seconds else None)}


def is_failure(sample: Sample) -> bool:
    return not isinstance(sample.status, int) or sample.status >= 500


def summarize(samples: list[Sample], baseline: list[Sample], probed: list[Sample], kinds: list[str],
              server: dict) -> dict:
    """The report: counts by kind and status, latencies, failures with their URLs, the probe's
    ratio to its baseline, and ``ok``."""
    by_kind = {}
    for kind in kinds:
        of_kind = [s for s in samples if s.kind == kind]
        statuses = Counter(str(s.status) for s in of_kind)
        examples: dict[str, list[str]] = {}  # a few URLs of each answer but 200, to see what a 400 was
        for sample in of_kind:
            if sample.status != 200 and len(examples.setdefault(str(sample.status), [])) < EXAMPLES:
                examples[str(sample.status)].append(sample.path)
        by_kind[kind] = {**latency(of_kind), "statuses": dict(sorted(statuses.items())), "examples": examples}
    failures = [s for s in samples + probed if is_failure(s)]
    before, during = latency(baseline), latency(probed)
    ratio = {key: (round(during[key] / before[key], 2) if before[key] and during[key] is not None else None)
             for key in ("p50_ms", "p99_ms")}
    # A probe that timed out counts as --request-timeout: the ratio is then a lower bound.
    ratio["lower_bound"] = any(s.status == "timeout" for s in probed)
    status_total = Counter(str(s.status) for s in samples)
    ok = not failures and not server.get("died") and bool(samples)
    return {
        "requests": len(samples),
        "statuses": dict(sorted(status_total.items())),
        "by_kind": by_kind,
        "errors_5xx": [{"kind": s.kind, "url": s.path, "status": s.status}
                       for s in failures if isinstance(s.status, int)],
        "timeouts": [{"kind": s.kind, "url": s.path} for s in failures if s.status == "timeout"],
        "connection_errors": [{"kind": s.kind, "url": s.path, "error": s.status}
                              for s in failures if isinstance(s.status, str) and s.status != "timeout"],
        "versions": {"baseline": before, "attack": during, "ratio": ratio,
                     "attack_statuses": dict(Counter(str(s.status) for s in probed))},
        "server": server,
        "ok": ok,
    }


def _ms(value) -> str:
    return "-" if value is None else f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def print_report(report: dict) -> None:
    cfg = report["config"]
    click.echo(f"\nSoak: {report['archive_counts'].get('articles', '?'):,} articles, {cfg['concurrency']} clients, "
               f"{cfg['seconds']:g} s (all answered after {report['attack_seconds']:g} s), sql_time_limit_ms={cfg['sql_time_limit_ms']}, Datasette "
               f"{report['datasette_version']}\n")
    click.echo(f"{'kind':<18} {'requests':>8}  {'p50':>10} {'p99':>10} {'max':>10}  statuses")
    for kind, row in report["by_kind"].items():
        statuses = ", ".join(f"{status}×{count}" for status, count in row["statuses"].items())
        click.echo(f"{kind:<18} {row['count']:>8}  {_ms(row['p50_ms']):>10} {_ms(row['p99_ms']):>10} "
                   f"{_ms(row['max_ms']):>10}  {statuses}")
    click.echo(f"{'all':<18} {report['requests']:>8}  {'':>10} {'':>10} {'':>10}  "
               + ", ".join(f"{s}×{c}" for s, c in report["statuses"].items()))
    v = report["versions"]
    click.echo(f"\n/-/versions.json alone:        p50 {_ms(v['baseline']['p50_ms'])}, p99 {_ms(v['baseline']['p99_ms'])}"
               f" ({v['baseline']['count']} requests)")
    click.echo(f"/-/versions.json under attack: p50 {_ms(v['attack']['p50_ms'])}, p99 {_ms(v['attack']['p99_ms'])}, "
               f"max {_ms(v['attack']['max_ms'])} ({v['attack']['count']} requests)")
    click.echo(f"ratio under attack ÷ alone:    p50 {v['ratio']['p50_ms']}×, p99 {v['ratio']['p99_ms']}×"
               + (" (at least: some probes timed out)" if v["ratio"]["lower_bound"] else ""))
    for title, key in (("5xx answers", "errors_5xx"), ("timeouts", "timeouts"), ("connection errors", "connection_errors")):
        listed = Counter((e["kind"], e["url"], str(e.get("status", e.get("error", "")))) for e in report[key])
        if listed:
            click.echo(f"\n{title} ({len(report[key])}, {len(listed)} distinct URLs):")
            for (kind, url, status), count in listed.most_common(MAX_LISTED):
                click.echo(f"  {count:>4}× [{kind}] {status} {url[:160]}")
    server = report["server"]
    if server["died"]:
        click.echo(f"\nthe server died (exit status {server['returncode']}); see {server['log']}")
    if server["ignored_sigterm"]:
        click.echo("\nthe server ignored SIGTERM and was killed")
    click.echo(f"\n{'OK' if report['ok'] else 'FAILED'} (server log: {server['log']})")


def soak(cfg: Config) -> dict:
    db, archive = prepare_archive(cfg)
    targets, counts = read_archive(db, cfg.seed)
    log(f"{counts['articles']:,} articles, {len(targets.hostile_articles)} hostile; serving on loopback")
    log_path = cfg.work / f"server-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    with serving(db, cfg, log_path) as server:
        version = datasette_version(server.port)
        log(f"Datasette {version} on port {server.port}; baseline for {cfg.baseline_seconds:g} s")
        baseline = run_probe_alone(server.port, cfg)
        log(f"attack: {cfg.concurrency} clients for {cfg.seconds:g} s")
        started = time.perf_counter()
        samples, probed, kinds = attack(server.port, cfg, targets, sql_path_for(version, targets.database))
        attack_seconds = round(time.perf_counter() - started, 1)
        died_during = server.proc.poll() is not None
    info = {"died": died_during or server.died, "returncode": server.returncode,
            "ignored_sigterm": server.ignored_sigterm, "log": str(server.log_path)}
    report = summarize(samples, baseline, probed, kinds, info)
    config = {k: (str(v) if isinstance(v, Path) else sorted(v) if isinstance(v, frozenset) else v)
              for k, v in asdict(cfg).items()}
    return {"config": config, "datasette_version": version, "archive": archive, "archive_counts": counts,
            "hostile_articles": targets.hostile_articles, "attack_seconds": attack_seconds, **report}


@click.command(help=__doc__)
@click.option("--n", default=Config.n, show_default=True, type=click.IntRange(min=1), help="Articles in the archive.")
@click.option("--seed", default=Config.seed, show_default=True, help="Corpus and request-mix seed.")
@click.option("--work", default=str(Config.work), show_default=True, type=click.Path(file_okay=False),
              help="Folder for the corpus, the built archive (reused by later runs) and the server logs.")
@click.option("--db", type=click.Path(dir_okay=False), help="Serve this built database instead of building one.")
@click.option("--seconds", default=Config.seconds, show_default=True, type=click.FloatRange(min=0.1), help="Attack length.")
@click.option("--concurrency", default=Config.concurrency, show_default=True, type=click.IntRange(min=1))
@click.option("--sql-time-limit-ms", default=Config.sql_time_limit_ms, show_default=True, type=click.IntRange(min=1),
              help="Datasette's sql_time_limit_ms setting for the server.")
@click.option("--baseline-seconds", default=Config.baseline_seconds, show_default=True, type=click.FloatRange(min=0.1),
              help="How long /-/versions.json is measured alone first.")
@click.option("--probe-rate", default=Config.probe_rate, show_default=True, type=click.FloatRange(min=0.1),
              help="/-/versions.json requests per second, alone and during the attack.")
@click.option("--request-timeout", default=Config.request_timeout, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a request may take before it counts as a timeout (a failure).")
@click.option("--hostile-scale", default=Config.hostile_scale, show_default=True, type=click.FloatRange(min=0.0001),
              help="Size of the hostile articles relative to issue 17's (a smoke run uses 0.01).")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Send only this kind of request (repeatable): " + ", ".join(soak_mix.KINDS) + ".")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Also write the report here as JSON.")
def main(n, seed, work, db, seconds, concurrency, sql_time_limit_ms, baseline_seconds, probe_rate, request_timeout,
         hostile_scale, kinds, json_out):
    unknown = set(kinds) - set(soak_mix.KINDS)
    if unknown:
        raise click.BadParameter(f"no such kind: {', '.join(sorted(unknown))}", param_hint="--kind")
    cfg = Config(n, seed, Path(work), Path(db) if db else None, seconds, concurrency, sql_time_limit_ms,
                 baseline_seconds, probe_rate, request_timeout, hostile_scale, frozenset(kinds))
    os.makedirs(cfg.work, exist_ok=True)
    report = soak(cfg)
    print_report(report)
    if json_out:
        Path(json_out).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
