"""``scripts/accuracy.py`` without building the dev sets: its floors and goals agree, and it says
clearly when ../shared is not there. The full run is a CI step of its own (.ci/run)."""

import importlib.util
import subprocess
import sys

import pytest

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "accuracy.py"

# Floors keep what the code reached; where that is already past the goal, the floor sits above it.
# Figures already past their goal, whose floors hold them there (2026-12-01: seeds speakers 1.000 against
# 0.95, BBC people recall 0.967 against 0.93, CoNLL people precision 0.907 against 0.90; 2026-12-03: BBC people
# precision 0.967 against 0.95, CoNLL people F1 0.895 against 0.85, WikiRef MH370 event recall 0.900 against 0.80).
PAST_THE_GOAL = {("seeds", "speaker_acc"), ("bbc", "people_r"), ("bbc", "people_p"), ("bbc", "speaker_acc"),
                 ("conll", "people_p"), ("conll", "people_f1"), ("wikiref", "event_recall")}


@pytest.fixture(scope="module")
def accuracy():
    spec = importlib.util.spec_from_file_location("accuracy_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_every_set_has_floors_and_no_floor_is_above_its_goal(accuracy):
    names = [dev.name for dev in accuracy.SETS]
    assert len(names) == len(set(names))
    assert set(accuracy.GOALS) <= set(names)
    for dev in accuracy.SETS:
        assert dev.floors, f"{dev.name} has no floors"
        goals = accuracy.GOALS.get(dev.name, {})
        for metric, floor in dev.floors.items():
            assert 0 < floor <= 1, (dev.name, metric)
            if metric not in goals:
                continue
            if (dev.name, metric) in PAST_THE_GOAL:
                assert floor > goals[metric], f"{dev.name} {metric} is no longer past its goal: drop it from the list"
            else:
                assert floor <= goals[metric], f"{dev.name} {metric}: floor {floor} above goal {goals[metric]}"


def test_the_score_line_is_parsed(accuracy):
    output = "people   P=0.781\nscore: people_p=0.781 people_r=0.492\n"
    assert accuracy.parse_score(output) == {"people_p": 0.781, "people_r": 0.492}
    assert accuracy.parse_score("no figures here\n") is None


def test_a_missing_shared_folder_exits_2_with_a_message(tmp_path):
    finished = subprocess.run([sys.executable, str(SCRIPT), "--shared", str(tmp_path)],
                              check=False, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 2, finished.stderr
    assert "Traceback" not in finished.stderr
    assert str(tmp_path) in finished.stderr
    assert "missing" in finished.stderr and "--shared" in finished.stderr
