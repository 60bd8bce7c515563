"""The self-play engine from Python: record format, targets checked against the rules engine,
determinism across thread counts, error paths with broken models, no thread leaks, the async
and progress forms, and the raw batch protocol."""

from __future__ import annotations

import _thread
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

import blobzero as bz
from blobzero._core import selfplay as core
from blobzero.selfplay.engine import (
    LoopProfile,
    SelfPlayConfig,
    SelfPlayEngine,
    SelfPlayError,
    SelfPlayRecords,
    derive_seed,
)

FEATURE_SIZE = bz.NUM_TOKENS * bz.NUM_FIELDS


class HashModel:
    """A deterministic row-wise model: exact integer arithmetic on each row's features, so the
    answer for a row never depends on the batch it arrives in."""

    def __init__(self, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.w_logits = rng.integers(-7, 8, size=(FEATURE_SIZE, bz.NUM_ACTIONS), dtype=np.int64)
        self.w_values = rng.integers(-7, 8, size=(FEATURE_SIZE, bz.MAX_PLAYERS), dtype=np.int64)
        self.calls = 0
        self.rows = 0

    def __call__(self, features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        assert features.dtype == np.uint8 and features.shape[1:] == (bz.NUM_TOKENS, bz.NUM_FIELDS)
        assert masks.dtype == np.uint8 and masks.shape == (features.shape[0], bz.NUM_ACTIONS)
        self.calls += 1
        self.rows += features.shape[0]
        x = features.reshape(features.shape[0], -1).astype(np.int64)
        logits = ((x @ self.w_logits) % 1001).astype(np.float32) / 250.0 - 2.0
        values = ((x @ self.w_values) % 2001).astype(np.float32) / 1000.0 - 1.0
        return logits, values


def small_config(**overrides: object) -> SelfPlayConfig:
    settings: dict[str, object] = dict(
        num_players={3: 1.0, 4: 2.0, 6: 1.0},
        hand_sizes=[2, 3],
        search=bz.PuctConfig(
            num_worlds=2, simulations_per_world=10, dirichlet_fraction=0.25, dirichlet_alpha=0.5
        ),
        seed=99,
        num_threads=2,
        games_per_thread=4,
        max_batch_size=16,
    )
    settings.update(overrides)
    return SelfPlayConfig(**settings)


def thread_count() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise AssertionError("no Threads line in /proc/self/status")


@pytest.fixture
def no_thread_leak() -> Iterator[None]:
    before = (threading.active_count(), thread_count())
    yield
    deadline = time.monotonic() + 5
    while (threading.active_count(), thread_count()) != before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (threading.active_count(), thread_count()) == before


@pytest.fixture(scope="module")
def records() -> SelfPlayRecords:
    with SelfPlayEngine(HashModel(), small_config()) as engine:
        return engine.generate_games(12)


def expected_values(state: bz.State, relative: bool) -> np.ndarray:
    """State values recomputed from the round's scores by the documented formula."""
    rules = state.rules
    n = rules.num_cards
    low = -n if rules.scoring == bz.Scoring.OH_HELL_PENALTY else 0
    high = 10 + n
    scores = np.array(state.scores(), dtype=np.float64)
    values = 2 * (scores - low) / (high - low) - 1
    if relative:
        p = len(values)
        values = values - (values.sum() - values) / (p - 1)
    return values


# ----------------------------------------------------------------------------------------------
# Records


def test_record_format(records: SelfPlayRecords) -> None:
    n = len(records)
    assert n > 0
    expected = {
        "features": (np.uint8, (n, bz.NUM_TOKENS, bz.NUM_FIELDS)),
        "masks": (np.uint8, (n, bz.NUM_ACTIONS)),
        "policy": (np.float32, (n, bz.NUM_ACTIONS)),
        "value": (np.float32, (n, bz.MAX_PLAYERS)),
        "num_players": (np.uint8, (n,)),
        "observer": (np.uint8, (n,)),
        "game_id": (np.int64, (n,)),
        "move_number": (np.int16, (n,)),
        "game_seed": (np.uint64, (n,)),
    }
    for name, (dtype, shape) in expected.items():
        array = getattr(records, name)
        assert array.dtype == dtype, name
        assert array.shape == shape, name
    order = np.lexsort((records.move_number, records.game_id))
    assert np.array_equal(order, np.arange(n)), "records are sorted by (game id, move number)"
    games = records.games
    assert len(games) == 12
    assert list(games.game_id) == list(range(12))
    assert games.num_positions.sum() == n
    assert set(np.unique(games.num_players)) <= {3, 4, 6}
    assert set(np.unique(games.num_cards)) <= {2, 3}
    for i in range(len(games)):
        assert games.game_seed[i] == derive_seed(99, int(games.game_id[i]))
        rows = records.game_id == games.game_id[i]
        assert np.all(records.game_seed[rows] == games.game_seed[i])
        assert np.all(records.num_players[rows] == games.num_players[i])


def test_policy_is_a_distribution_over_legal_actions(records: SelfPlayRecords) -> None:
    assert np.allclose(records.policy.sum(axis=1), 1.0, atol=1e-5)
    assert np.all(records.policy >= 0)
    assert np.all(records.policy[records.masks == 0] == 0)
    # Forced moves are not recorded: every record had a choice.
    assert np.all(records.masks.sum(axis=1) >= 2)


def test_records_replay_with_the_rules_engine(records: SelfPlayRecords) -> None:
    games = records.games
    row = 0
    for i in range(len(games)):
        final = games.state(i)
        assert final.is_terminal()
        p = int(games.num_players[i])
        assert list(games.scores[i, :p]) == final.scores()
        assert np.all(games.scores[i, p:] == 0)
        values = expected_values(final, relative=False)
        assert np.allclose(values, final.values(), atol=1e-6)
        for _ in range(int(games.num_positions[i])):
            move = int(records.move_number[row])
            state = games.state(i, move)
            observer = int(records.observer[row])
            assert observer == state.current_player
            features, mask = bz.encode(state, observer, world=True)
            assert np.array_equal(records.features[row], features)
            assert np.array_equal(records.masks[row], mask)
            assert np.array_equal(records.masks[row].astype(bool), state.legal_mask())
            # The value target is the final values seen from the observer's seat.
            target = np.zeros(bz.MAX_PLAYERS, dtype=np.float32)
            target[:p] = [values[(observer + k) % p] for k in range(p)]
            assert np.allclose(records.value[row], target, atol=1e-6)
            # The recorded move was played: its visit share is positive.
            action = games.actions_of(i)[move]
            assert records.policy[row, action] > 0
            row += 1
    assert row == len(records)


def test_relative_value_targets_and_other_rules() -> None:
    config = small_config(
        search=bz.PuctConfig(num_worlds=2, simulations_per_world=6, relative_values=True),
        trump_mode="turn_up",
        scoring="oh_hell_penalty",
        hook_rule=False,
        num_players=[5, 8],
        hand_sizes=[1, 4, 6],
    )
    with SelfPlayEngine(HashModel(), config) as engine:
        records = engine.generate_games(6)
    games = records.games
    assert np.all(games.turn_up) and not np.any(games.hook_rule)
    assert np.all(games.turned_up >= 0)
    assert np.all(games.scoring == 2)
    for i in range(len(games)):
        final = games.state(i)
        p = int(games.num_players[i])
        values = expected_values(final, relative=True)
        assert np.allclose(values, final.values(relative=True), atol=1e-6)
        for row in np.flatnonzero(records.game_id == games.game_id[i]):
            observer = int(records.observer[row])
            target = [values[(observer + k) % p] for k in range(p)]
            assert np.allclose(records.value[row, :p], target, atol=1e-6)
            assert np.all(records.value[row, p:] == 0)


def test_cpp_evaluator_runs_without_python_in_the_loop() -> None:
    config = small_config()
    calls: list[tuple[int, int]] = []
    with SelfPlayEngine(bz.ConstantEvaluator(), config) as engine:
        records = engine.generate_games(5, lambda done, total, stats: calls.append((done, total)))
        stats = engine.stats
    assert len(records.games) == 5
    assert calls == [(5, 5)]
    assert stats.games_finished == 5 and stats.positions == len(records)
    assert np.allclose(records.policy.sum(axis=1), 1.0, atol=1e-5)


def test_loop_profile_accounts_for_the_run() -> None:
    model = HashModel()
    with SelfPlayEngine(model, small_config()) as engine:
        assert engine.loop_profile == LoopProfile()
        start = time.perf_counter()
        engine.generate_games(6)
        elapsed = time.perf_counter() - start
        profile, stats = engine.loop_profile, engine.stats
        assert profile.batches == stats.batches == model.calls
        assert profile.rows == stats.evaluations == model.rows
        assert 0 < profile.total_s <= elapsed
        for part in (profile.wait_s, profile.model_s, profile.submit_s, profile.other_s):
            assert part >= 0
        parts = profile.wait_s + profile.model_s + profile.submit_s + profile.other_s
        assert parts == pytest.approx(profile.total_s)
        assert sum(profile.shares().values()) == pytest.approx(1.0)
        assert profile.model_rows_per_s == pytest.approx(profile.rows / profile.model_s)

        engine.model = bz.ConstantEvaluator()  # a C++ run: only the total and the counts
        engine.generate_games(3)
        profile, stats = engine.loop_profile, engine.stats
        assert profile.total_s > 0 and profile.model_s == profile.wait_s == 0
        assert (profile.batches, profile.rows) == (stats.batches, stats.evaluations)


def test_loop_profile_of_a_failed_run_covers_what_ran() -> None:
    calls = 0

    def failing(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("boom")
        return HashModel()(features, masks)

    with SelfPlayEngine(failing, small_config()) as engine:
        with pytest.raises(SelfPlayError):
            engine.generate_games(6)
        assert engine.loop_profile.batches == 2 and engine.loop_profile.total_s > 0


# ----------------------------------------------------------------------------------------------
# Determinism


def assert_same_records(a: SelfPlayRecords, b: SelfPlayRecords) -> None:
    for name in (
        "features",
        "masks",
        "policy",
        "value",
        "num_players",
        "observer",
        "game_id",
        "move_number",
        "game_seed",
    ):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    for name in ("game_id", "hands", "actions", "scores", "dealer", "num_cards", "trump_suit"):
        assert np.array_equal(getattr(a.games, name), getattr(b.games, name)), name


def test_same_records_for_any_thread_count_and_batching() -> None:
    runs = []
    for threads, batch, per_thread, cache in (
        (1, 16, 4, 1 << 12),
        (3, 16, 4, 1 << 12),
        (2, 4, 1, 0),
        (4, 64, 16, 1 << 16),
    ):
        config = small_config(
            num_threads=threads,
            max_batch_size=batch,
            games_per_thread=per_thread,
            cache_capacity=cache,
        )
        with SelfPlayEngine(HashModel(seed=5), config) as engine:
            runs.append(engine.generate_games(10))
    for other in runs[1:]:
        assert_same_records(runs[0], other)


def test_game_ids_continue_across_runs_and_can_restart() -> None:
    config = small_config()
    with SelfPlayEngine(HashModel(), config) as engine:
        first = engine.generate_games(3)
        second = engine.generate_games(3)
        again = engine.generate_games(3, first_game_id=0)
    assert list(second.games.game_id) == [3, 4, 5]
    assert_same_records(first, again)
    with SelfPlayEngine(HashModel(), config) as engine:
        both = engine.generate_games(6)
    assert np.array_equal(both.games.actions[3:], second.games.actions)


def test_different_seeds_give_different_games() -> None:
    with (
        SelfPlayEngine(HashModel(), small_config(seed=1)) as a,
        SelfPlayEngine(HashModel(), small_config(seed=2)) as b,
    ):
        ra, rb = a.generate_games(4), b.generate_games(4)
    assert not np.array_equal(ra.games.hands, rb.games.hands)


# ----------------------------------------------------------------------------------------------
# Errors


def raising_model(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    raise ZeroDivisionError("the GPU fell over")


def wrong_shape(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = features.shape[0]
    return np.zeros((n, bz.NUM_ACTIONS), np.float32), np.zeros((n, 7), np.float32)


def wrong_dtype(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = features.shape[0]
    return np.zeros((n, bz.NUM_ACTIONS), np.int64), np.zeros((n, 8), np.float32)


def nan_values(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = features.shape[0]
    values = np.zeros((n, 8), np.float32)
    values[n - 1, 2] = np.nan
    return np.zeros((n, bz.NUM_ACTIONS), np.float32), values


def not_a_pair(features: np.ndarray, masks: np.ndarray) -> object:
    return np.zeros((features.shape[0], bz.NUM_ACTIONS), np.float32)


def lists_not_arrays(features: np.ndarray, masks: np.ndarray) -> object:
    n = features.shape[0]
    return [[0.0] * bz.NUM_ACTIONS] * n, [[0.0] * 8] * n


class FailsLater:
    """Healthy for a few batches, then broken: games are mid-search when it fails."""

    def __init__(self, broken: object, after: int = 3) -> None:
        self.healthy = HashModel()
        self.broken = broken
        self.after = after
        self.calls = 0

    def __call__(self, features: np.ndarray, masks: np.ndarray) -> object:
        self.calls += 1
        if self.calls > self.after:
            return self.broken(features, masks)  # type: ignore[operator]
        return self.healthy(features, masks)


@pytest.mark.parametrize(
    ("model", "error", "pattern"),
    [
        (raising_model, SelfPlayError, r"the model raised ZeroDivisionError: the GPU fell over"),
        (wrong_shape, ValueError, r"values has shape \(\d+, 7\); expected \(\d+, 8\)"),
        (wrong_dtype, ValueError, r"logits has dtype int64"),
        (nan_values, ValueError, r"non-finite value \(nan\) at row \d+, column 2"),
        (not_a_pair, ValueError, r"must return a pair \(logits, values\), got ndarray"),
        (lists_not_arrays, ValueError, r"logits is a list; expected a numpy float32 array"),
    ],
)
def test_broken_model_stops_the_engine_and_reraises(
    model: object, error: type[Exception], pattern: str, no_thread_leak: None
) -> None:
    engine = SelfPlayEngine(FailsLater(model), small_config(num_threads=3))
    with pytest.raises(error, match=pattern) as info:
        engine.generate_games(50)
    if error is SelfPlayError:
        assert isinstance(info.value.__cause__, ZeroDivisionError)
    assert not engine._core.running  # the run was cancelled and its threads joined
    # The engine stays usable: the next run plays normally (with its own game ids).
    engine.model = HashModel()
    records = engine.generate_games(2)
    assert list(records.games.game_id) == [50, 51]
    engine.shutdown()


def test_keyboard_interrupt_from_the_model_cancels_cleanly(no_thread_leak: None) -> None:
    def interrupted(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise KeyboardInterrupt

    with SelfPlayEngine(interrupted, small_config()) as engine:
        with pytest.raises(KeyboardInterrupt):
            engine.generate_games(20)
        assert not engine._core.running


def test_ctrl_c_while_running_cancels_cleanly(no_thread_leak: None) -> None:
    model = HashModel()

    def slow(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        time.sleep(0.002)
        return model(features, masks)

    timer = threading.Timer(0.3, _thread.interrupt_main)
    # interrupt_main does nothing while SIGINT is ignored (nohup, some CI runners): install
    # Python's handler for the test, so that the interrupt always arrives.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with SelfPlayEngine(slow, small_config(num_threads=2)) as engine:
            timer.start()
            try:
                with pytest.raises(KeyboardInterrupt):
                    engine.generate_games(100_000)
            finally:
                timer.cancel()
                timer.join()
            assert not engine._core.running
            assert engine.generate_games(1).games.game_id[0] == 100_000
    finally:
        signal.signal(signal.SIGINT, previous)


def test_the_ctrl_c_test_finishes_when_sigint_is_ignored() -> None:
    """Runs the test above in a process that ignores SIGINT, as under nohup."""
    script = (
        "import signal, sys, pytest; signal.signal(signal.SIGINT, signal.SIG_IGN); "
        "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', sys.argv[1]]))"
    )
    test = f"{__file__}::test_ctrl_c_while_running_cancels_cleanly"
    done = subprocess.run(
        [sys.executable, "-c", script, test], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_config_errors_name_the_field() -> None:
    bad = [
        ({"num_players": 9}, "num_players"),
        ({"num_players": {4: -1.0}}, "player_weights"),
        ({"hand_sizes": [0]}, "hand_sizes[0]"),
        ({"num_players": 8, "hand_sizes": [7]}, "8 players"),
        ({"trump_mode": "sideways"}, "sideways"),
        ({"scoring": "golf"}, "golf"),
        ({"temperature_schedule": [(1, 1.0)]}, "move 0"),
        ({"temperature_schedule": [(0, -1.0)]}, "temperature_schedule[0]"),
        ({"max_batch_size": 1}, "max_batch_size"),
        ({"batches_per_thread": 0}, "batches_per_thread"),
        ({"cache_capacity": -5}, "cache_capacity"),
        ({"num_threads": -1}, "num_threads"),
    ]
    for kwargs, text in bad:
        with pytest.raises(ValueError, match=re.escape(text)):
            SelfPlayConfig(**kwargs)
    with pytest.raises(TypeError, match="callable"):
        SelfPlayEngine(42, small_config())
    with pytest.raises(ValueError, match="negative"):
        SelfPlayEngine(HashModel(), small_config()).generate_games(-1)


def test_defaults() -> None:
    config = SelfPlayConfig()
    assert config.num_players == {4: 1.0}
    assert config.temperature_schedule == [(0, 1.0), (11, 0.5), (21, 0.1)]
    assert [config.temperature_at(m) for m in (0, 10, 11, 20, 21, 60)] == [
        1.0,
        1.0,
        0.5,
        0.5,
        0.1,
        0.1,
    ]
    assert config.search.dirichlet_fraction == 0.25
    assert config.effective_num_threads == max(1, (os.cpu_count() or 2) - 1)


# ----------------------------------------------------------------------------------------------
# Lifetime, async, progress


def test_repeated_runs_do_not_leak_threads(no_thread_leak: None) -> None:
    for _ in range(5):
        with SelfPlayEngine(HashModel(), small_config(num_threads=3)) as engine:
            engine.generate_games(3)
    engine = SelfPlayEngine(HashModel(), small_config(num_threads=3))
    for _ in range(5):
        engine.generate_games(2)
    del engine


def test_async_future_gives_the_same_records(no_thread_leak: None) -> None:
    config = small_config()
    with SelfPlayEngine(HashModel(), config) as engine:
        future = engine.generate_games_async(6)
        records = future.result(timeout=120)
        second = engine.generate_games_async(2).result(timeout=120)
    with SelfPlayEngine(HashModel(), config) as engine:
        expected = engine.generate_games(6)
    assert_same_records(records, expected)
    assert list(second.games.game_id) == [6, 7]


def test_shutdown_during_an_async_run_fails_its_future(no_thread_leak: None) -> None:
    model = HashModel()

    def slow(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        time.sleep(0.002)
        return model(features, masks)

    engine = SelfPlayEngine(slow, small_config())
    future = engine.generate_games_async(100_000)
    while model.calls < 3:
        time.sleep(0.01)
    engine.shutdown()
    with pytest.raises((RuntimeError, ValueError)):
        future.result(timeout=60)
    with pytest.raises(RuntimeError, match="shut down"):
        engine.generate_games(1)
    with pytest.raises(RuntimeError, match="shut down"):
        engine.generate_games_async(1)
    engine.shutdown()  # idempotent


def test_progress_callback() -> None:
    seen: list[tuple[int, int]] = []
    stats_seen = []

    def progress(done: int, total: int, stats: object) -> None:
        seen.append((done, total))
        stats_seen.append(stats)

    with SelfPlayEngine(HashModel(), small_config()) as engine:
        records = engine.generate_games(8, progress_callback=progress)
        final = engine.stats
    assert seen[-1] == (8, 8)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert all(total == 8 for _, total in seen)
    assert final.games_finished == 8 and final.games_total == 8
    assert final.positions == len(records)
    assert final.evaluations > 0 and final.batches > 0
    assert 0 < final.mean_batch_size <= 16
    assert 0 <= final.cache_hit_rate < 1
    assert final.to_dict()["positions"] == len(records)


def test_expected_moves_per_game_weighs_tables_and_hand_sizes() -> None:
    # 3 players (weight 1), 4 (weight 2), 6 (weight 1); hands of 2 or 3: P * (n + 1) moves.
    expected = (1 * (9 + 12) / 2 + 2 * (12 + 16) / 2 + 1 * (18 + 24) / 2) / 4
    assert small_config().expected_moves_per_game == pytest.approx(expected)
    # With no sizes given a table plays every hand of the blob schedule, 1..min(10, 52 // P).
    assert SelfPlayConfig(num_players=8, hand_sizes=[]).expected_moves_per_game == pytest.approx(
        sum(8 * (n + 1) for n in range(1, 7)) / 6
    )


def test_progress_is_reported_while_the_first_games_are_still_running() -> None:
    model = HashModel()
    reports: list[tuple[int, int]] = []

    def slow(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        time.sleep(0.02)
        return model(features, masks)

    def progress(done: int, total: int, stats: object) -> None:
        reports.append((done, int(stats.positions)))  # type: ignore[attr-defined]

    config = small_config(num_threads=1, games_per_thread=8)
    with SelfPlayEngine(slow, config) as engine:
        engine.generate_games(8, progress_callback=progress)
    before_any_game = [moves for done, moves in reports if done == 0]
    assert before_any_game and max(before_any_game) > 0
    assert [moves for _, moves in reports] == sorted(moves for _, moves in reports)


def test_progress_callback_error_cancels_the_run(no_thread_leak: None) -> None:
    def progress(done: int, total: int, stats: object) -> None:
        raise RuntimeError("progress bar broke")

    with SelfPlayEngine(HashModel(), small_config()) as engine:
        with pytest.raises(RuntimeError, match="progress bar broke"):
            engine.generate_games(30, progress_callback=progress)
        assert not engine._core.running


# ----------------------------------------------------------------------------------------------
# The raw protocol


def test_raw_protocol_views_and_submission_checks() -> None:
    engine = core.SelfPlayEngine(small_config())
    other = core.SelfPlayEngine(small_config())
    with pytest.raises(RuntimeError, match="no self-play run"):
        engine.next_batch(0.0)
    engine.start(4)
    other.start(4)
    with pytest.raises(RuntimeError, match="in progress"):
        engine.start(1)
    batch = None
    while batch is None:
        batch = engine.next_batch(1.0)
    n = batch.size
    assert len(batch) == n and n > 0
    features, masks = batch.features, batch.masks
    assert features.shape == (n, bz.NUM_TOKENS, bz.NUM_FIELDS) and features.dtype == np.uint8
    assert masks.shape == (n, bz.NUM_ACTIONS) and masks.dtype == np.uint8
    assert not features.flags.owndata
    assert np.shares_memory(features, batch.features)  # a view of the buffer, not a copy
    logits, values = HashModel()(features, masks)
    with pytest.raises(ValueError, match="another engine"):
        other.submit(batch, logits, values)
    engine.submit(batch, logits, values.astype(np.float64))  # any float width is accepted
    with pytest.raises(ValueError, match="already submitted"):
        engine.submit(batch, logits, values)
    engine.cancel()
    other.shutdown()
    engine.cancel()  # idempotent
    engine.start(2)
    while not engine.done():
        b = engine.next_batch(0.05)
        if b is not None:
            engine.submit(b, *HashModel()(b.features, b.masks))
    raw = engine.take_records()
    assert set(raw) == {"positions", "games"}
    assert list(raw["games"]["game_id"]) == [4, 5]
    engine.shutdown()
    with pytest.raises(RuntimeError, match="shut down"):
        engine.start(1)


def test_cpu_inference_settings() -> None:
    from blobzero.selfplay.engine import cpu_inference_settings

    settings = cpu_inference_settings(2)
    assert (settings.engine_threads, settings.max_batch_size, settings.torch_threads) == (1, 128, 2)
    assert cpu_inference_settings(2, shared_machine=True).torch_threads == 1
    assert cpu_inference_settings(1, shared_machine=True).torch_threads == 1
    assert cpu_inference_settings(16, shared_machine=True).torch_threads == 15
    assert cpu_inference_settings().torch_threads == (os.cpu_count() or 1)
    config = SelfPlayConfig(**settings.config_kwargs())
    assert (config.num_threads, config.max_batch_size) == (1, 128)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="num_cores"):
            cpu_inference_settings(bad)  # type: ignore[arg-type]

    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    try:
        cpu_inference_settings(2, shared_machine=True).apply_torch()
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
