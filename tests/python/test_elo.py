"""Elo: formulas, the tracker's updates and history, persistence, promotion."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from blobzero.evaluation.elo import (
    ELO_FORMAT,
    EloTracker,
    elo_difference,
    expected_score,
    should_promote,
)


def test_expected_score_is_logistic_on_400_points() -> None:
    assert expected_score(1000, 1000) == 0.5
    assert expected_score(1400, 1000) == pytest.approx(10 / 11)
    assert expected_score(1000, 1400) == pytest.approx(1 / 11)
    assert expected_score(1800, 1000) == pytest.approx(100 / 101)
    for ra, rb in [(0, 0), (1234.5, 987.0), (-300, 250)]:
        assert expected_score(ra, rb) + expected_score(rb, ra) == pytest.approx(1.0)


@pytest.mark.parametrize("difference", [-700.0, -400.0, -31.5, 0.0, 12.0, 400.0, 650.0])
def test_elo_difference_inverts_expected_score(difference: float) -> None:
    assert elo_difference(expected_score(difference, 0.0)) == pytest.approx(difference, abs=1e-9)


def test_elo_difference_of_sweeps_is_infinite_unless_clipped_by_games() -> None:
    assert elo_difference(0.5) == 0.0
    assert elo_difference(10 / 11) == pytest.approx(400.0)
    assert elo_difference(1.0) == math.inf
    assert elo_difference(0.0) == -math.inf
    # clipped to [1/(2n), 1 - 1/(2n)]
    assert elo_difference(1.0, games=10) == pytest.approx(elo_difference(0.95))
    assert elo_difference(0.0, games=10) == pytest.approx(elo_difference(0.05))
    assert elo_difference(0.6, games=10) == elo_difference(0.6)


@pytest.mark.parametrize("score", [-0.1, 1.5, math.nan])
def test_elo_difference_rejects_scores_outside_0_1(score: float) -> None:
    with pytest.raises(ValueError, match="score"):
        elo_difference(score)


def test_elo_difference_rejects_bad_games() -> None:
    with pytest.raises(ValueError, match="games"):
        elo_difference(0.5, games=0)


def test_one_game_update_is_the_plain_elo_step() -> None:
    tracker = EloTracker(k=32, initial=1000)
    tracker.add_player("a")
    tracker.add_player("b")
    ra, rb = tracker.update("a", "b", 1.0)
    assert (ra, rb) == (1016.0, 984.0)
    assert tracker.ratings == {"a": 1016.0, "b": 984.0}
    ra, rb = tracker.update("a", "b", 0.0)
    expected = expected_score(1016.0, 984.0)
    assert ra == pytest.approx(1016.0 - 32 * expected)
    assert ra + rb == pytest.approx(2000.0)


@pytest.mark.parametrize("score,games", [(0.7, 1), (0.58, 200), (0.2, 17), (1.0, 50), (0.5, 3)])
def test_update_is_zero_sum_and_symmetric(score: float, games: int) -> None:
    one, two = EloTracker(k=24), EloTracker(k=24)
    for tracker in (one, two):
        tracker.add_player("a", 1100.0)
        tracker.add_player("b", 950.0)
    ra, rb = one.update("a", "b", score, games)
    rb2, ra2 = two.update("b", "a", 1.0 - score, games)
    assert ra + rb == pytest.approx(2050.0)
    assert ra == pytest.approx(ra2) and rb == pytest.approx(rb2)


def test_games_weight_the_step_without_overshooting_the_measured_difference() -> None:
    def difference_after(score: float, games: int) -> float:
        tracker = EloTracker(k=32)
        tracker.add_player("a")
        tracker.add_player("b")
        ra, rb = tracker.update("a", "b", score, games)
        return ra - rb

    measured = elo_difference(0.6)
    steps = [difference_after(0.6, games) for games in (1, 5, 20, 200)]
    assert steps == sorted(steps)  # more games, a bigger move
    assert steps[0] == pytest.approx(2 * 32 * 0.1)
    assert all(0 < step <= measured + 1e-9 for step in steps)
    assert steps[-1] == pytest.approx(measured, rel=1e-3)  # a long match measures the difference


def test_history_records_iterations_when_given() -> None:
    tracker = EloTracker()
    tracker.add_player("gen-0", iteration=0)
    tracker.add_player("gen-1", tracker.rating("gen-0"), iteration=1)
    tracker.add_player("heuristic")  # no iteration: no snapshot
    ra, rb = tracker.update("gen-1", "gen-0", 0.6, games=10, iteration=1)
    tracker.update("gen-1", "heuristic", 0.9)
    tracker.history.append((2, "gen-1", tracker.rating("gen-1")))
    assert tracker.history == [
        (0, "gen-0", 1000.0),
        (1, "gen-1", 1000.0),
        (1, "gen-1", ra),
        (1, "gen-0", rb),
        (2, "gen-1", tracker.rating("gen-1")),
    ]
    assert tracker.players == ["gen-0", "gen-1", "heuristic"]
    assert "gen-0" in tracker and "nobody" not in tracker


def test_bad_tracker_input_names_the_problem() -> None:
    tracker = EloTracker()
    tracker.add_player("a")
    with pytest.raises(ValueError, match="already rated"):
        tracker.add_player("a")
    with pytest.raises(ValueError, match="unknown player 'b'"):
        tracker.update("a", "b", 0.5)
    tracker.add_player("b")
    with pytest.raises(ValueError, match="score_a"):
        tracker.update("a", "b", 1.2)
    with pytest.raises(ValueError, match="games"):
        tracker.update("a", "b", 0.5, games=0)
    with pytest.raises(ValueError, match="itself"):
        tracker.update("a", "a", 0.5)
    with pytest.raises(ValueError, match="iteration"):
        tracker.add_player("c", iteration=-1)
    with pytest.raises(ValueError, match="k must be positive"):
        EloTracker(k=0)
    with pytest.raises(ValueError, match="unknown player"):
        tracker.rating("zzz")


def _sample_tracker() -> EloTracker:
    tracker = EloTracker(k=20.0, initial=1500.0)
    tracker.add_player("gen-0", iteration=0)
    tracker.add_player("gen-1", 1500.0, iteration=1)
    tracker.update("gen-1", "gen-0", 0.62, games=40, iteration=1)
    return tracker


def test_to_dict_round_trips_through_json() -> None:
    tracker = _sample_tracker()
    data = json.loads(json.dumps(tracker.to_dict()))
    assert data["format"] == ELO_FORMAT
    restored = EloTracker.from_dict(data)
    assert restored == tracker
    assert restored.ratings == tracker.ratings and restored.history == tracker.history
    assert (restored.k, restored.initial) == (20.0, 1500.0)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"format": "other"}, "format"),
        ({"k": "x"}, "k must be a number"),
        ({"ratings": {"a": "high"}}, r"ratings\['a'\]"),
        ({"ratings": []}, "ratings"),
        ({"history": [[0, "a"]]}, r"history\[0\]"),
        ({"history": {}}, "history"),
        ({"extra": 1}, "unknown key 'extra'"),
    ],
)
def test_from_dict_names_the_bad_key(change: dict[str, object], message: str) -> None:
    data = _sample_tracker().to_dict()
    data.update(change)
    with pytest.raises(ValueError, match=message):
        EloTracker.from_dict(data)


def test_from_dict_names_a_missing_key() -> None:
    data = _sample_tracker().to_dict()
    del data["history"]
    with pytest.raises(ValueError, match="history: missing"):
        EloTracker.from_dict(data)


def test_save_and_load_round_trip_atomically(tmp_path: Path) -> None:
    tracker = _sample_tracker()
    path = tmp_path / "elo.json"
    tracker.save(path)
    tracker.update("gen-0", "gen-1", 0.3, iteration=2)
    tracker.save(path)  # replaces the file
    assert EloTracker.load(path) == tracker
    assert [p.name for p in tmp_path.iterdir()] == ["elo.json"]  # no temporary file left


def test_load_names_the_file_when_corrupt_or_missing(tmp_path: Path) -> None:
    path = tmp_path / "elo.json"
    with pytest.raises(ValueError, match="elo.json: no such Elo file"):
        EloTracker.load(path)
    path.write_text('{"format": "blobzero.elo.v1", "k": ')
    with pytest.raises(ValueError, match="elo.json: not valid JSON"):
        EloTracker.load(path)
    path.write_text(json.dumps({"format": ELO_FORMAT, "k": 32, "initial": 0, "ratings": {}}))
    with pytest.raises(ValueError, match="elo.json: history: missing"):
        EloTracker.load(path)
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match="elo.json"):
        EloTracker.load(path)


def test_should_promote_at_the_threshold() -> None:
    assert should_promote(0.55)
    assert should_promote(0.56, threshold=0.55)
    assert not should_promote(0.549)
    assert should_promote(0.5, threshold=0.5)
    assert not should_promote(0.7, threshold=0.75)
    with pytest.raises(ValueError, match="score"):
        should_promote(1.5)
    with pytest.raises(ValueError, match="threshold"):
        should_promote(0.6, threshold=-0.1)
