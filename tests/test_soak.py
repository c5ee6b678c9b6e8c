"""The soak script (``scripts/soak.py``): its report from samples, and a tiny run start to finish.

The real soak (20,000 articles, 60 s) is a manual run; these prove the script counts, lists
and judges what it saw. Nothing here asserts a latency.
"""

import importlib.util
import json
import subprocess
import sys

import pytest

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "soak.py"


def load_script():
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("soak_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["soak_script"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def samples(soak, kind, *statuses, seconds=0.01):
    return [soak.Sample(kind, f"/{kind}/{i}", status, seconds) for i, status in enumerate(statuses)]


def test_report_lists_every_500_timeout_and_connection_error_with_its_url():
    soak = load_script()
    seen = samples(soak, "search", 200, 500, 200) + samples(soak, "odd", 404, "timeout", "error: ConnectionResetError")
    report = soak.summarize(seen, samples(soak, "versions", 200, 200), samples(soak, "versions", 200, 503),
                            ["search", "odd", "feed"], {"died": False})
    assert report["requests"] == 6
    assert report["by_kind"]["search"]["statuses"] == {"200": 2, "500": 1}
    assert report["by_kind"]["feed"]["count"] == 0
    assert report["by_kind"]["odd"]["examples"] == {"404": ["/odd/0"], "timeout": ["/odd/1"],
                                                    "error: ConnectionResetError": ["/odd/2"]}
    assert report["errors_5xx"] == [{"kind": "search", "url": "/search/1", "status": 500},
                                    {"kind": "versions", "url": "/versions/1", "status": 503}]
    assert report["timeouts"] == [{"kind": "odd", "url": "/odd/1"}]
    assert report["connection_errors"] == [{"kind": "odd", "url": "/odd/2", "error": "error: ConnectionResetError"}]
    assert report["ok"] is False


def test_report_is_ok_only_when_nothing_failed_and_the_server_lived():
    soak = load_script()
    fine = samples(soak, "search", 200, 404, 400)
    probe = samples(soak, "versions", 200, 200)
    assert soak.summarize(fine, probe, probe, ["search"], {"died": False})["ok"] is True
    assert soak.summarize(fine, probe, probe, ["search"], {"died": True})["ok"] is False


def test_versions_ratio_is_attack_over_baseline():
    soak = load_script()
    baseline = samples(soak, "versions", *[200] * 100, seconds=0.002)
    attack = samples(soak, "versions", *[200] * 100, seconds=0.010)
    ratio = soak.summarize([], baseline, attack, [], {"died": False})["versions"]["ratio"]
    assert ratio == {"p50_ms": 5.0, "p99_ms": 5.0, "lower_bound": False}
    attack[-1] = soak.Sample("versions", "/-/versions.json", "timeout", 30.0)
    assert soak.summarize([], baseline, attack, [], {"died": False})["versions"]["ratio"]["lower_bound"] is True


def mix(only=frozenset()):
    sys.path.insert(0, str(ROOT / "scripts"))
    import random

    import soak_mix

    targets = soak_mix.Targets("briefs", ["a1", "a 2"], ["h1"], ["anna-kovalenko"], ["s1"], phrases=["the talks"])
    return soak_mix, soak_mix.Mix(targets, "/briefs.json", random.Random(1), only)


def test_mix_draws_every_kind_as_ascii_paths_from_the_root():
    soak_mix, every = mix()
    drawn = [every.next() for _ in range(2000)]
    assert {request.kind for request in drawn} == set(soak_mix.KINDS) - soak_mix.OPT_IN
    for request in drawn:
        assert request.path.startswith("/") and request.path.isascii() and " " not in request.path, request


def test_mix_sends_only_the_kinds_asked_for():
    soak_mix, some = mix(frozenset({"feed", "odd_upstream"}))
    assert {some.next().kind for _ in range(200)} == {"feed", "odd_upstream"}
    with pytest.raises(ValueError):
        mix(frozenset({"nonsense"}))


def test_percentile_is_nearest_rank():
    soak = load_script()
    assert soak.percentile(list(range(1, 101)), 99) == 99
    assert soak.percentile([3.0], 99) == 3.0
    assert soak.percentile([], 50) is None


def test_hostile_files_have_the_shapes_of_issue_17(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import soak_mix

    sizes = soak_mix.write_hostile(tmp_path, 1.0)
    assert (tmp_path / "anchors.md").read_text().count("<a ") == soak_mix.ANCHOR_REPEATS
    assert (tmp_path / "brackets.md").read_text().count("[") == soak_mix.BRACKET_BYTES
    assert len((tmp_path / "lines.txt").read_text().splitlines()) == soak_mix.PLAIN_LINES
    assert (tmp_path / "quotes.txt").read_text().count("”") == soak_mix.SHORT_QUOTES
    assert sizes["links.md"] >= soak_mix.LINK_BYTES


@pytest.mark.slow
def test_tiny_soak_run_reports_every_kind(tmp_path):
    out = tmp_path / "soak.json"
    command = [
        sys.executable, str(SCRIPT), "--n", "30", "--seconds", "3", "--concurrency", "2", "--baseline-seconds", "1",
        "--request-timeout", "5", "--hostile-scale", "0.01", "--work", str(tmp_path / "work"), "--json", str(out),
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert finished.returncode in (0, 1), finished.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    for key in ("config", "datasette_version", "archive", "requests", "statuses", "by_kind", "errors_5xx",
                "timeouts", "connection_errors", "versions", "server", "ok"):
        assert key in report
    assert (finished.returncode == 0) == report["ok"]
    assert len(report["hostile_articles"]) == 5  # one article per hostile file
    kinds = report["by_kind"]
    assert {"search", "search_expensive", "article", "article_hostile", "canned", "feed", "sql_function",
            "table_search", "odd"} <= set(kinds)
    assert report["requests"] > 0
    assert sum(row["count"] for row in kinds.values()) == report["requests"]
    assert sum(report["statuses"].values()) == report["requests"]
    fives = sum(n for row in kinds.values() for status, n in row["statuses"].items() if status.startswith("5"))
    fives += sum(n for status, n in report["versions"]["attack_statuses"].items() if status.startswith("5"))
    assert len(report["errors_5xx"]) == fives
    assert report["versions"]["baseline"]["count"] > 0 and report["versions"]["attack"]["count"] > 0
    assert report["server"]["died"] is False
    assert "/-/versions.json under attack" in finished.stdout
