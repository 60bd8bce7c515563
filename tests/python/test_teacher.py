"""Self-play played and labelled by the SO-ISMCTS teacher (SelfPlayConfig.teacher_simulations and
the ``selfplay.teacher_*`` config keys): no network call, records in the network search's format
whose policies are the teacher's root visits, reproducible for any thread count, a pipeline that
hands over from the teacher to the network, and games where the teacher plays only some seats
(SelfPlayConfig.teacher_seats, ``selfplay.teacher_opponents``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

import blobzero as bz
from blobzero._core.encode import encode_actor_mask
from blobzero.config import HardwareSettings, SelfPlaySettings
from blobzero.selfplay.engine import SelfPlayConfig, SelfPlayEngine, SelfPlayRecords
from blobzero.training.pipeline import TrainingPipeline
from blobzero.training.progress import PhaseProgress
from blobzero.training.runtime import selfplay_config
from test_pipeline import metrics_rows, tiny_config
from test_selfplay import HashModel, assert_same_records

SIMULATIONS = 60


def refuse_every_batch(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    raise AssertionError("a teacher run asked the model for an evaluation")


def teacher_config(**overrides: object) -> SelfPlayConfig:
    settings: dict[str, object] = dict(
        num_players={3: 1.0, 4: 1.0},
        hand_sizes=[2, 4],
        search=bz.PuctConfig(num_worlds=2, simulations_per_world=8, information_set_tree=True),
        record_opponent_views=True,
        teacher_simulations=SIMULATIONS,
        seed=7,
        num_threads=2,
    )
    settings.update(overrides)
    return SelfPlayConfig(**settings)


def test_teacher_records_are_in_the_network_searchs_format_without_a_network_call() -> None:
    with SelfPlayEngine(refuse_every_batch, teacher_config()) as engine:
        records = engine.generate_games(10)
        assert engine.stats.evaluations == 0
    games = records.games
    row = 0
    for i in range(len(games)):
        p = int(games.num_players[i])
        values = games.state(i).values()
        while row < len(records) and records.game_id[row] == games.game_id[i]:
            move = int(records.move_number[row])
            state = games.state(i, move)
            assert [int(records.observer[r]) for r in range(row, row + p)] == list(range(p))
            for r in range(row, row + p):
                observer = int(records.observer[r])
                features, _ = bz.encode(state, observer)
                assert np.array_equal(records.features[r], features)
                assert np.array_equal(records.masks[r], encode_actor_mask(state, observer))
                assert np.array_equal(records.policy[r], records.policy[row])
                target = [values[(observer + k) % p] for k in range(p)]
                assert np.allclose(records.value[r, :p], target, atol=1e-6)
            # Root visits of SIMULATIONS simulations, each through one root child.
            visits = records.policy[row] * SIMULATIONS
            assert np.allclose(visits, np.round(visits), atol=1e-3)
            assert round(float(visits.sum())) == SIMULATIONS
            assert set(np.flatnonzero(visits)) <= set(state.legal_actions())
            assert records.policy[row, games.actions_of(i)[move]] > 0
            row += p
    assert row == len(records) > 0


def test_teacher_records_do_not_depend_on_the_thread_count() -> None:
    runs = []
    for threads, per_thread in ((1, 1), (2, 0), (3, 2)):
        config = teacher_config(num_threads=threads, games_per_thread=per_thread)
        with SelfPlayEngine(refuse_every_batch, config) as engine:
            runs.append(engine.generate_games(8))
    for other in runs[1:]:
        assert_same_records(runs[0], other)


def test_teacher_simulations_are_checked() -> None:
    with pytest.raises(ValueError, match="teacher_simulations = -1"):
        teacher_config(teacher_simulations=-1)
    with pytest.raises(Exception, match="selfplay.teacher_simulations"):
        SelfPlaySettings(teacher_simulations=0)
    with pytest.raises(Exception, match="selfplay.teacher_iterations"):
        SelfPlaySettings(teacher_iterations=-1)


def seats_by_player_kind(
    records: SelfPlayRecords, game_id: int, simulations: int
) -> tuple[set[int], set[int]]:
    """(seats whose decisions carry the teacher's visits, seats whose carry the network
    search's) in one game of records without opponent views. The network search's 2 x 8
    simulations leave 15 root visits (the first expands the root); with ``simulations`` prime to
    15 a policy of multiples of 1/simulations and one of multiples of 1/15 differ unless one
    action has every visit (then the decision counts for neither)."""
    teacher: set[int] = set()
    network: set[int] = set()
    for row in np.flatnonzero(records.game_id == game_id):
        policy = records.policy[row]
        by_teacher = np.allclose(policy * simulations, np.round(policy * simulations), atol=1e-3)
        by_network = np.allclose(policy * 15, np.round(policy * 15), atol=1e-3)
        if by_teacher != by_network:
            (teacher if by_teacher else network).add(int(records.observer[row]))
    return teacher, network


@pytest.mark.parametrize("teacher_seats", [1, 2, 8])
def test_teacher_seats_are_played_by_the_teacher_and_the_rest_by_the_network(
    teacher_seats: int,
) -> None:
    simulations = 64
    runs = []
    for threads in (1, 2):
        config = teacher_config(
            teacher_simulations=simulations,
            teacher_seats=teacher_seats,
            record_opponent_views=False,
            num_threads=threads,
        )
        with SelfPlayEngine(HashModel(), config) as engine:
            runs.append(engine.generate_games(12))
            assert engine.stats.evaluations > 0
    assert_same_records(runs[0], runs[1])
    records = runs[0]
    games = records.games
    full_tables = 0
    for i in range(len(games)):
        p = int(games.num_players[i])
        teacher, network = seats_by_player_kind(records, int(games.game_id[i]), simulations)
        assert not teacher & network  # a seat is played by one of the two all game
        assert len(teacher) <= min(teacher_seats, p - 1)
        assert network  # the network keeps at least one seat
        full_tables += len(teacher) == min(teacher_seats, p - 1)
    assert full_tables > len(games) // 2


def test_teacher_seats_are_checked() -> None:
    with pytest.raises(ValueError, match="teacher_seats = 2 needs teacher_simulations"):
        teacher_config(teacher_simulations=0, teacher_seats=2)
    with pytest.raises(ValueError, match="teacher_seats = 9"):
        teacher_config(teacher_seats=9)
    for bad in (-1, 9):
        with pytest.raises(Exception, match="selfplay.teacher_opponents"):
            SelfPlaySettings(teacher_opponents=bad)


def test_teacher_opponents_join_the_network_after_the_teacher_phase() -> None:
    settings = SelfPlaySettings(teacher_iterations=1, teacher_simulations=500, teacher_opponents=2)
    hardware = HardwareSettings()
    config = selfplay_config(settings, 1, 3, hardware, "cpu", features="observation")
    assert (config.teacher_simulations, config.teacher_seats) == (500, 0)
    config = selfplay_config(settings, 2, 3, hardware, "cpu", features="observation")
    assert (config.teacher_simulations, config.teacher_seats) == (500, 2)
    config = selfplay_config(SelfPlaySettings(), 2, 3, hardware, "cpu", features="observation")
    assert (config.teacher_simulations, config.teacher_seats) == (0, 0)


def test_the_teacher_plays_the_first_iterations_on_every_core() -> None:
    settings = SelfPlaySettings(
        teacher_iterations=2, teacher_simulations=500, teacher_games=900, games_per_iteration=40
    )
    hardware = HardwareSettings()
    for iteration in (1, 2):
        config = selfplay_config(settings, iteration, 3, hardware, "cpu", features="observation")
        assert config.teacher_simulations == 500
        assert config.num_threads == os.cpu_count()
        assert settings.games_in(iteration) == 900
    config = selfplay_config(settings, 3, 3, hardware, "cpu", features="observation")
    assert config.teacher_simulations == 0 and settings.games_in(3) == 40
    assert SelfPlaySettings(teacher_iterations=1).games_in(1) == 400  # games_per_iteration


def test_a_run_hands_over_from_the_teacher_to_the_network(tmp_path: Path) -> None:
    config = tiny_config(
        tmp_path,
        "network.features='observation'",
        "selfplay.teacher_iterations=1",
        f"selfplay.teacher_simulations={SIMULATIONS}",
        "selfplay.teacher_games=30",
        "evaluation.arena_every=0",
    )
    TrainingPipeline(config, progress=PhaseProgress(enabled=False)).run(2)
    first, second = metrics_rows(tmp_path)
    assert first["selfplay/teacher_simulations"] == SIMULATIONS
    assert first["selfplay/games"] == 30 and first["selfplay/evals_per_s"] == 0
    assert second["selfplay/teacher_simulations"] == 0 and second["selfplay/evals_per_s"] > 0
    saved = (tmp_path / "config.toml").read_text()
    assert "teacher_iterations = 1" in saved
    assert json.loads(json.dumps(first))  # plain numbers only
