"""The replay buffer: storage size, the ring, input checks, uniform and prioritized sampling, suit
augmentation against the rules engine, statistics, RNG continuation, and files (round trips and
every kind of broken file)."""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from collections import deque
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import blobzero as bz
from blobzero.selfplay.engine import GameSummaries, SelfPlayConfig, SelfPlayEngine, SelfPlayRecords
from blobzero.training.replay import (
    FORMAT,
    STORAGE,
    UNKNOWN_TRICKS,
    VALUE_QUANTILES,
    ReplayBuffer,
    TrainingBatch,
)
from blobzero.training.suit_augment import permute_suits, random_suit_permutations
from support import max_hand

# ----------------------------------------------------------------------------------------------
# Helpers


def empty_games() -> GameSummaries:
    return GameSummaries(
        game_id=np.zeros(0, np.int64),
        game_seed=np.zeros(0, np.uint64),
        num_players=np.zeros(0, np.uint8),
        num_cards=np.zeros(0, np.uint8),
        dealer=np.zeros(0, np.uint8),
        trump_suit=np.zeros(0, np.int8),
        turn_up=np.zeros(0, bool),
        turned_up=np.zeros(0, np.int8),
        hook_rule=np.zeros(0, bool),
        scoring=np.zeros(0, np.uint8),
        hands=np.zeros((0, 8), np.uint64),
        actions=np.zeros((0, 60), np.int8),
        num_actions=np.zeros(0, np.int16),
        scores=np.zeros((0, 8), np.int16),
        num_positions=np.zeros(0, np.int32),
    )


def make_records(
    ids: range | list[int] | np.ndarray,
    *,
    game_ids: list[int] | np.ndarray | None = None,
    values: list[float] | np.ndarray | None = None,
    seed: int = 0,
) -> SelfPlayRecords:
    """Hand-made records, one per id: the id is written into value[:, 1] (and features[:, 0, 0]
    modulo 256) so that a sampled row can be traced back to its record. Each position has 2..8
    legal actions with a random policy over them and a consistent encoding of the trump field."""
    ids = np.asarray(list(ids), dtype=np.int64)
    n = ids.shape[0]
    rng = np.random.default_rng(seed)
    features = rng.integers(0, 5, size=(n, bz.NUM_TOKENS, bz.NUM_FIELDS), dtype=np.uint8)
    features[:, 0, 0] = ids % 256
    features[:, bz.GLOBAL_TOKEN, 3] = rng.integers(0, 5, size=n)  # trump suit or none
    features[:, bz.GLOBAL_TOKEN, 6] = rng.integers(0, 5, size=n)  # led suit or none
    masks = np.zeros((n, bz.NUM_ACTIONS), np.uint8)
    for row in range(n):
        legal = rng.choice(bz.NUM_ACTIONS, size=int(rng.integers(2, 9)), replace=False)
        masks[row, legal] = 1
    policy = rng.random((n, bz.NUM_ACTIONS)).astype(np.float32) * masks
    policy /= policy.sum(axis=1, keepdims=True)
    value = np.zeros((n, bz.MAX_PLAYERS), np.float32)
    value[:, 0] = rng.uniform(-1, 1, size=n) if values is None else np.asarray(values)
    value[:, 1] = ids
    value[:, 2] = -1.0
    return SelfPlayRecords(
        features=features,
        masks=masks,
        policy=policy.astype(np.float32),
        value=value,
        num_players=np.full(n, 3, np.uint8),
        observer=(ids % 3).astype(np.uint8),
        game_id=ids // 4 if game_ids is None else np.asarray(game_ids, dtype=np.int64),
        move_number=(ids % 4).astype(np.int16),
        game_seed=np.zeros(n, np.uint64),
        games=empty_games(),
    )


def slot_contents(buffer: ReplayBuffer, draws: int = 3000) -> dict[int, int]:
    """Slot -> record id, seen through uniform sampling (enough draws to hit every slot)."""
    seen: dict[int, int] = {}
    batch = buffer.sample_batch(draws)
    for slot, record in zip(batch.indices.tolist(), batch.value[:, 1].tolist(), strict=True):
        assert seen.setdefault(slot, int(record)) == int(record)
    return seen


def same_batch(a: TrainingBatch, b: TrainingBatch) -> bool:
    return all(
        torch.equal(getattr(a, field.name).cpu(), getattr(b, field.name).cpu())
        for field in fields(TrainingBatch)
    )


@pytest.fixture(scope="module")
def real_records() -> SelfPlayRecords:
    config = SelfPlayConfig(
        num_players=3,
        hand_sizes=[2, 3],
        search=bz.PuctConfig(num_worlds=1, simulations_per_world=4),
        num_threads=1,
        seed=5,
    )
    with SelfPlayEngine(bz.ConstantEvaluator(0.0), config) as engine:
        return engine.generate_games(6)


# ----------------------------------------------------------------------------------------------
# Storage and settings


def test_500k_positions_fit_in_2_gb() -> None:
    per_position = ReplayBuffer.bytes_per_position(prioritized=True)
    expected = sum(dtype.itemsize * int(np.prod(shape)) for dtype, shape in STORAGE.values())
    assert per_position == expected
    assert per_position * 500_000 <= 2 * 10**9
    assert ReplayBuffer.bytes_per_position(prioritized=False) == per_position - 4
    # The arithmetic describes what a buffer really allocates.
    assert ReplayBuffer(100, prioritized=True).nbytes == 100 * per_position
    assert ReplayBuffer(100).nbytes == 100 * ReplayBuffer.bytes_per_position(prioritized=False)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": 2.5}, "capacity"),
        ({"capacity": 10, "min_size": 11}, "min_size"),
        ({"capacity": 10, "min_size": -1}, "min_size"),
        ({"capacity": 10, "augment_suits": "yes"}, "augment_suits"),
        ({"capacity": 10, "prioritized": 1}, "prioritized"),
        ({"capacity": 10, "priority_alpha": -0.1}, "priority_alpha"),
        ({"capacity": 10, "priority_alpha": float("nan")}, "priority_alpha"),
        ({"capacity": 10, "priority_beta": 1.5}, "priority_beta"),
        ({"capacity": 10, "seed": -3}, "seed"),
    ],
)
def test_bad_settings_are_named(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        ReplayBuffer(**kwargs)


def test_settable_options_are_checked() -> None:
    buffer = ReplayBuffer(10, prioritized=True)
    buffer.min_size = 4
    buffer.priority_beta = 1.0
    buffer.augment_suits = True
    assert buffer.options() == {
        "min_size": 4,
        "augment_suits": True,
        "prioritized": True,
        "priority_alpha": 0.6,
        "priority_beta": 1.0,
        "seed": 0,
    }
    for name, value in [("min_size", 11), ("priority_beta", -0.5), ("augment_suits", None)]:
        with pytest.raises(ValueError, match=name):
            setattr(buffer, name, value)
    for name in ("capacity", "prioritized", "priority_alpha", "seed"):
        with pytest.raises(AttributeError):
            setattr(buffer, name, 1)


def test_is_ready_for_training_and_clear() -> None:
    buffer = ReplayBuffer(10, min_size=5)
    assert not buffer.is_ready_for_training
    buffer.add(make_records(range(3)))
    assert len(buffer) == 3 and not buffer.is_ready_for_training
    buffer.add(make_records(range(3, 5)))
    assert len(buffer) == 5 and buffer.is_ready_for_training
    buffer.clear()
    assert len(buffer) == 0 and buffer.total_added == 0 and not buffer.is_ready_for_training
    with pytest.raises(ValueError, match="empty"):
        buffer.sample_batch(1)


# ----------------------------------------------------------------------------------------------
# The ring


def test_ring_keeps_the_newest_positions_in_order() -> None:
    capacity = 10
    buffer = ReplayBuffer(capacity, seed=1)
    reference: deque[int] = deque(maxlen=capacity)
    next_id = 0
    for size in [4, 4, 4, 1, 9, 25, 0, 3, 10, 7]:
        ids = list(range(next_id, next_id + size))
        next_id += size
        buffer.add(make_records(ids))
        reference.extend(ids)
        assert len(buffer) == len(reference)
        assert buffer.total_added == next_id
        held = slot_contents(buffer)
        assert sorted(held.values()) == sorted(reference), f"after adding {size}"
        # Consecutive records sit in consecutive slots (mod capacity): the ring overwrites the
        # oldest first.
        slot_of = {record: slot for slot, record in held.items()}
        for older, newer in zip(list(reference), list(reference)[1:], strict=False):
            assert slot_of[newer] == (slot_of[older] + 1) % capacity


def test_add_larger_than_capacity_keeps_the_newest() -> None:
    buffer = ReplayBuffer(8)
    buffer.add(make_records(range(3)))
    buffer.add(make_records(range(100, 130)))
    assert len(buffer) == 8 and buffer.total_added == 33
    assert sorted(slot_contents(buffer).values()) == list(range(122, 130))


def test_real_records_are_stored_exactly(real_records: SelfPlayRecords) -> None:
    buffer = ReplayBuffer(1000)
    buffer.add(real_records)
    batch = buffer.sample_batch(4000)
    rows = batch.indices.numpy()
    assert np.array_equal(batch.features.numpy(), real_records.features[rows])
    assert np.array_equal(batch.masks.numpy(), real_records.masks[rows].astype(bool))
    assert np.array_equal(batch.value.numpy(), real_records.value[rows])
    assert np.array_equal(batch.num_players.numpy(), real_records.num_players[rows])
    # The policy is stored in float16 and renormalised when sampled.
    assert np.allclose(batch.policy.numpy(), real_records.policy[rows], atol=1e-3)
    stats = buffer.stats()
    assert stats.games == 6 and stats.size == len(real_records)


def test_tricks_targets_are_each_seats_tricks_at_the_end_seen_from_the_observer(
    real_records: SelfPlayRecords,
) -> None:
    buffer = ReplayBuffer(1000)
    buffer.add(real_records)
    batch = buffer.sample_batch(2000)
    games = real_records.games
    final = {int(games.game_id[i]): games.state(i) for i in range(len(games))}
    for row, tricks in zip(batch.indices.tolist(), batch.tricks.tolist(), strict=True):
        state = final[int(real_records.game_id[row])]
        assert state.is_terminal()
        players = int(real_records.num_players[row])
        observer = int(real_records.observer[row])
        won = state.tricks_won
        assert tricks[:players] == [won[(observer + k) % players] for k in range(players)]
        assert tricks[players:] == [UNKNOWN_TRICKS] * (8 - players)
        assert sum(tricks[:players]) == state.num_cards
    # Records that carry no games give unknown tricks.
    bare = ReplayBuffer(1000)
    bare.add(make_records(range(5)))
    assert bool((bare.sample_batch(50).tricks == UNKNOWN_TRICKS).all())


def test_a_file_of_the_previous_format_loads_with_unknown_tricks(
    tmp_path: Path, real_records: SelfPlayRecords
) -> None:
    buffer = ReplayBuffer(1000)
    buffer.add(real_records)
    path = tmp_path / "replay.npz"
    buffer.save(path)
    rewrite(path, tricks=None, format=np.array("blobzero.replay.v2"))
    edit_metadata(path, format="blobzero.replay.v2")
    loaded = ReplayBuffer.from_file(path)
    assert len(loaded) == len(buffer)
    assert bool((loaded.sample_batch(100).tricks == UNKNOWN_TRICKS).all())
    # The current format must hold its tricks.
    buffer.save(path)
    rewrite(path, tricks=None)
    with pytest.raises(ValueError, match="missing array 'tricks'"):
        ReplayBuffer.from_file(path)


def mutate(records: SelfPlayRecords, **changes: Any) -> SelfPlayRecords:
    return replace(records, **changes)


BAD_RECORDS: dict[str, tuple[Callable[[SelfPlayRecords], SelfPlayRecords], str]] = {
    "policy dtype": (lambda r: mutate(r, policy=r.policy.astype(np.float64)), "policy"),
    "features shape": (lambda r: mutate(r, features=r.features[:, :60]), "features"),
    "masks dtype": (lambda r: mutate(r, masks=r.masks.astype(bool)), "masks"),
    "value length": (lambda r: mutate(r, value=r.value[:-1]), "value"),
    "game_id dtype": (lambda r: mutate(r, game_id=r.game_id.astype(np.int32)), "game_id"),
    "move_number shape": (
        lambda r: mutate(r, move_number=r.move_number[:, None]),
        "move_number",
    ),
    "observer list": (lambda r: mutate(r, observer=list(r.observer)), "observer"),
    "value nan": (
        lambda r: mutate(r, value=np.where(np.arange(8) == 3, np.nan, r.value).astype(np.float32)),
        "value",
    ),
    "policy negative": (lambda r: mutate(r, policy=-r.policy), "policy"),
    "policy off the mask": (
        lambda r: mutate(r, policy=(r.policy + (1 - r.masks)).astype(np.float32)),
        "policy",
    ),
    "no legal action": (
        lambda r: mutate(r, masks=np.zeros_like(r.masks), policy=np.zeros_like(r.policy)),
        "masks",
    ),
    "mask not 0/1": (lambda r: mutate(r, masks=r.masks * 2), "masks"),
    "trump field": (
        lambda r: mutate(r, features=np.where(r.features == r.features, 5, r.features)),
        "features",
    ),
    "two players": (lambda r: mutate(r, num_players=np.full_like(r.num_players, 2)), "num_players"),
    "observer past table": (lambda r: mutate(r, observer=np.full_like(r.observer, 3)), "observer"),
}


@pytest.mark.parametrize("case", sorted(BAD_RECORDS))
def test_add_rejects_bad_records_and_adds_nothing(case: str) -> None:
    buffer = ReplayBuffer(20)
    buffer.add(make_records(range(5)))
    breaker, name = BAD_RECORDS[case]
    with pytest.raises(ValueError, match=name):
        buffer.add(breaker(make_records(range(10, 16))))
    assert len(buffer) == 5 and buffer.total_added == 5
    assert sorted(slot_contents(buffer).values()) == list(range(5))


def test_add_rejects_something_that_is_not_records() -> None:
    with pytest.raises(TypeError, match="features"):
        ReplayBuffer(5).add(object())  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------
# Sampling


@pytest.mark.parametrize("prioritized", [False, True])
@pytest.mark.parametrize("augment", [False, True])
def test_sampled_batch_shapes_dtypes_and_policy(prioritized: bool, augment: bool) -> None:
    buffer = ReplayBuffer(50, prioritized=prioritized, augment_suits=augment, seed=3)
    records = make_records(range(30))
    buffer.add(records)
    batch = buffer.sample_batch(64, device="cpu")
    assert len(batch) == 64
    expected = {
        "features": (torch.uint8, (64, bz.NUM_TOKENS, bz.NUM_FIELDS)),
        "masks": (torch.bool, (64, bz.NUM_ACTIONS)),
        "policy": (torch.float32, (64, bz.NUM_ACTIONS)),
        "value": (torch.float32, (64, bz.MAX_PLAYERS)),
        "num_players": (torch.int64, (64,)),
        "indices": (torch.int64, (64,)),
        "weights": (torch.float32, (64,)),
    }
    for name, (dtype, shape) in expected.items():
        tensor = getattr(batch, name)
        assert tensor.dtype == dtype, name
        assert tuple(tensor.shape) == shape, name
        assert tensor.device.type == "cpu", name
    assert torch.allclose(batch.policy.sum(dim=1), torch.ones(64), atol=1e-6)
    assert torch.all(batch.policy[~batch.masks] == 0)
    assert torch.all(batch.weights == 1)  # fresh priorities are all equal
    rows = batch.indices.numpy()
    assert np.all((rows >= 0) & (rows < 30))
    # Policy mass on card actions and on bids is preserved (augmentation only moves cards).
    stored = records.policy[rows]
    assert np.allclose(batch.policy[:, 52:].numpy(), stored[:, 52:], atol=1e-3)
    assert np.allclose(batch.policy[:, :52].sum(1).numpy(), stored[:, :52].sum(1), atol=1e-3)
    assert np.array_equal(batch.masks.sum(1).numpy(), records.masks[rows].sum(1))


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True])
def test_sample_rejects_bad_batch_sizes(batch_size: Any) -> None:
    buffer = ReplayBuffer(5)
    buffer.add(make_records(range(5)))
    with pytest.raises(ValueError, match="batch_size"):
        buffer.sample_batch(batch_size)


def test_sample_from_empty_buffer_raises() -> None:
    with pytest.raises(ValueError, match="empty"):
        ReplayBuffer(5).sample_batch(4)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_batch_matches_cpu_batch() -> None:
    buffer = ReplayBuffer(50, augment_suits=True, prioritized=True)
    buffer.add(make_records(range(40)))
    state = buffer.get_rng_state()
    on_cpu = buffer.sample_batch(32)
    buffer.set_rng_state(state)
    on_gpu = buffer.sample_batch(32, device="cuda")
    assert all(getattr(on_gpu, name).is_cuda for name in ("features", "masks", "weights"))
    torch.cuda.synchronize()
    assert same_batch(on_cpu, on_gpu)


def test_prioritized_sampling_follows_priorities_and_weights() -> None:
    alpha, beta = 0.5, 0.4
    buffer = ReplayBuffer(100, prioritized=True, priority_alpha=alpha, priority_beta=beta, seed=11)
    buffer.add(make_records(range(20)))
    buffer.update_priorities(np.array([7]), np.array([100.0]))
    batch = buffer.sample_batch(20_000)
    rows = batch.indices.numpy()
    share = np.mean(rows == 7)
    p_hot = 100.0**alpha / (19 + 100.0**alpha)
    assert abs(share - p_hot) < 0.02
    # (N * P)^-beta normalised by the largest weight (that of a priority-1 position).
    p_cold = 1 / (19 + 100.0**alpha)
    hot_weight = (20 * p_hot) ** -beta / (20 * p_cold) ** -beta
    weights = batch.weights.numpy()
    assert np.allclose(weights[rows == 7], hot_weight, rtol=1e-5)
    assert np.allclose(weights[rows != 7], 1.0)
    # New positions get the largest priority so far.
    buffer.add(make_records(range(20, 25)))
    batch = buffer.sample_batch(20_000)
    rows, weights = batch.indices.numpy(), batch.weights.numpy()
    new = rows >= 20
    assert np.allclose(weights[new], weights[rows == 7][0])
    assert abs(np.mean(rows == 22) - np.mean(rows == 7)) < 0.02


@pytest.mark.parametrize("capacity", [1, 7, 64, 1000])
def test_prioritized_sampling_is_exact_inverse_cdf(capacity: int) -> None:
    """Draws and weights match a brute-force computation over the stored priorities, after
    wrap-arounds, repeated and scattered updates."""
    alpha, beta = 0.7, 0.5
    buffer = ReplayBuffer(capacity, prioritized=True, priority_alpha=alpha, priority_beta=beta)
    rng = np.random.default_rng(capacity)
    priorities = np.zeros(capacity)
    max_priority = 1.0
    next_id = pointer = 0
    for _ in range(6):
        size = int(rng.integers(1, 2 * capacity + 1))
        buffer.add(make_records(range(next_id, next_id + size)))
        for _ in range(min(size, capacity)):  # the newest positions, written at the pointer
            priorities[pointer] = max_priority
            pointer = (pointer + 1) % capacity
        next_id += size
        held = len(buffer)
        slots = rng.integers(0, held, size=int(rng.integers(1, 3 * held + 1)))
        values = rng.uniform(0, 5, size=slots.size).astype(np.float32)
        buffer.update_priorities(slots, values)
        for slot, value in zip(slots, values, strict=True):  # the last value wins
            priorities[slot] = max(float(value), 1e-6)
        max_priority = max(max_priority, float(np.float32(np.maximum(values, 1e-6)).max()))

        scaled = priorities[:held].astype(np.float32).astype(np.float64) ** alpha
        draws_rng = np.random.Generator(np.random.PCG64())
        draws_rng.bit_generator.state = buffer.get_rng_state()
        draws = draws_rng.random(256) * scaled.sum()
        expected = np.minimum(np.searchsorted(np.cumsum(scaled), draws, side="right"), held - 1)
        batch = buffer.sample_batch(256)
        mismatched = batch.indices.numpy() != expected
        # Rounding may differ exactly at a boundary between two slots: allow a neighbour.
        assert np.all(np.abs(batch.indices.numpy() - expected)[mismatched] <= 1)
        assert mismatched.mean() < 0.01
        probabilities = scaled / scaled.sum()
        weights = (held * probabilities) ** -beta / (held * probabilities.min()) ** -beta
        assert np.allclose(batch.weights.numpy(), weights[batch.indices.numpy()], rtol=1e-4)


def test_update_priorities_accepts_tensors_and_checks_input() -> None:
    buffer = ReplayBuffer(10, prioritized=True)
    buffer.add(make_records(range(6)))
    batch = buffer.sample_batch(4)
    buffer.update_priorities(batch.indices, torch.full((4,), 0.5))
    for indices, priorities, match in [
        ([0, 6], [1.0, 1.0], "slots"),
        ([-1], [1.0], "slots"),
        ([0], [-1.0], "priorities"),
        ([0], [float("nan")], "priorities"),
        ([0, 1], [1.0], "equal length"),
        ([0.5], [1.0], "integers"),
    ]:
        with pytest.raises(ValueError, match=match):
            buffer.update_priorities(np.array(indices), np.array(priorities))
    # A uniform buffer checks the arguments and ignores them.
    uniform = ReplayBuffer(10)
    uniform.add(make_records(range(6)))
    uniform.update_priorities([0, 1], [5.0, 0.0])
    assert torch.all(uniform.sample_batch(100).weights == 1)
    with pytest.raises(ValueError, match="slots"):
        uniform.update_priorities([9], [1.0])


def test_rng_state_reproduces_sampling() -> None:
    buffer = ReplayBuffer(40, augment_suits=True, prioritized=True, seed=4)
    buffer.add(make_records(range(40)))
    buffer.sample_batch(10)
    state = json.loads(json.dumps(buffer.get_rng_state()))  # JSON-able
    first = [buffer.sample_batch(16) for _ in range(3)]
    buffer.set_rng_state(state)
    again = [buffer.sample_batch(16) for _ in range(3)]
    assert all(same_batch(a, b) for a, b in zip(first, again, strict=True))
    # Same seed, same samples; another seed, others.
    twins = []
    for seed in (4, 4, 5):
        twin = ReplayBuffer(40, augment_suits=True, prioritized=True, seed=seed)
        twin.add(make_records(range(40)))
        twins.append(twin.sample_batch(16))
    assert same_batch(twins[0], twins[1])
    assert not same_batch(twins[0], twins[2])
    for bad in [{}, {"bit_generator": "MT19937"}, {"bit_generator": "PCG64", "state": 3}, 5]:
        with pytest.raises(ValueError, match="RNG state"):
            buffer.set_rng_state(bad)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------
# Statistics


def test_stats_of_hand_made_records() -> None:
    buffer = ReplayBuffer(10)
    assert buffer.stats().size == 0 and buffer.stats().value_mean == 0.0
    values = [-1.0, -0.5, 0.0, 0.5, 1.0, 1.0]
    buffer.add(make_records(range(6), game_ids=[3, 3, 3, 8, 8, 9], values=values))
    stats = buffer.stats()
    assert stats.size == 6 and stats.capacity == 10 and stats.total_added == 6
    assert stats.games == 3
    assert stats.mean_game_length == pytest.approx(2.0)
    assert stats.value_mean == pytest.approx(np.mean(values))
    assert stats.value_std == pytest.approx(np.std(values))
    assert stats.value_quantiles == pytest.approx(np.quantile(values, VALUE_QUANTILES))
    scalars = stats.to_scalars()
    assert scalars["fill"] == pytest.approx(0.6)
    assert scalars["value_q50"] == pytest.approx(np.median(values))
    assert scalars["value_q00"] == -1.0 and scalars["value_q100"] == 1.0
    assert all(isinstance(v, float) for v in scalars.values())
    # Overwritten positions leave the statistics; total_added keeps counting.
    buffer.add(make_records(range(6, 14), game_ids=[20] * 8, values=[0.25] * 8))
    stats = buffer.stats()
    assert stats.size == 10 and stats.total_added == 14
    assert stats.games == 3  # games 8 (one position), 9 and 20
    assert stats.value_mean == pytest.approx((1.0 + 1.0 + 8 * 0.25) / 10)


# ----------------------------------------------------------------------------------------------
# Suit augmentation


def test_random_suit_permutations_fix_the_trump_and_are_uniform() -> None:
    rng = np.random.default_rng(0)
    trumps = np.array([0, 1, 2, 3, 4] * 4000)
    perms = random_suit_permutations(trumps, rng)
    assert perms.shape == (trumps.size, 4)
    assert np.array_equal(np.sort(perms, axis=1), np.tile(np.arange(4), (trumps.size, 1)))
    fixed = trumps < 4
    assert np.all(perms[fixed, trumps[fixed]] == trumps[fixed])
    for trump, count in [(0, 6), (3, 6), (4, 24)]:
        rows = perms[trumps == trump]
        _, counts = np.unique(rows, axis=0, return_counts=True)
        assert len(counts) == count
        assert counts.min() > 0.7 * rows.shape[0] / count
    with pytest.raises(ValueError, match="trump_suits"):
        random_suit_permutations(np.array([5]), rng)


def test_permute_suits_checks_its_input() -> None:
    features = np.zeros((2, bz.NUM_TOKENS, bz.NUM_FIELDS), np.uint8)
    masks = np.zeros((2, bz.NUM_ACTIONS), np.uint8)
    policy = np.zeros((2, bz.NUM_ACTIONS), np.float32)
    good = np.array([[0, 1, 2, 3], [3, 2, 1, 0]])
    with pytest.raises(ValueError, match="permutation"):
        permute_suits(features, masks, policy, np.array([[0, 0, 2, 3], [0, 1, 2, 3]]))
    with pytest.raises(ValueError, match="perms"):
        permute_suits(features, masks, policy, good[:1])
    with pytest.raises(ValueError, match="features"):
        permute_suits(features.astype(np.int16), masks, policy, good)
    with pytest.raises(ValueError, match="policy"):
        permute_suits(features, masks, policy[:, :52], good)


def relabelled_state(state: bz.State, perm: list[int]) -> bz.State:
    """The same position with every suit s renamed perm[s], rebuilt by the rules engine."""

    def card(c: int) -> int:
        return perm[c // 13] * 13 + c % 13

    rules = state.rules
    deal = state.initial_deal()
    trump = rules.trump_suit
    new_rules = bz.RoundRules(
        num_players=rules.num_players,
        num_cards=rules.num_cards,
        trump=None if trump is None else perm[trump],
        turn_up=rules.turn_up,
        hook_rule=rules.hook_rule,
        scoring=rules.scoring,
    )
    new_deal = bz.Deal(
        dealer=deal.dealer,
        hands=[[card(c) for c in hand] for hand in deal.hands],
        turned_up=None if deal.turned_up is None else card(deal.turned_up),
    )
    actions = [card(a) if a < bz.NUM_CARDS else a for a in state.history]
    return bz.State.replay(new_rules, new_deal, actions)


@st.composite
def positions(draw: st.DrawFn) -> tuple[bz.State, int]:
    """A random position part-way through a round of a random variant, and an observer."""
    mode = draw(st.sampled_from(["rotation", "none", "turn_up"]))
    players = draw(st.integers(3, 8))
    cards = draw(st.integers(1, min(6, max_hand(players, mode == "turn_up"))))
    rules = bz.RoundRules(
        num_players=players,
        num_cards=cards,
        trump=draw(st.integers(0, 3)) if mode == "rotation" else None,
        turn_up=mode == "turn_up",
        hook_rule=draw(st.booleans()),
        scoring=draw(st.sampled_from(["exact", "oh_hell", "oh_hell_penalty"])),
    )
    state = bz.State(rules, draw(st.integers(0, players - 1)), draw(st.integers(0, 2**31)))
    rng = random.Random(draw(st.integers(0, 2**31)))
    for _ in range(draw(st.integers(0, players * (cards + 1)))):
        if state.is_terminal():
            break
        state.apply_action(rng.choice(state.legal_actions()))
    observer = (
        state.current_player
        if draw(st.booleans()) and state.current_player is not None
        else draw(st.integers(0, players - 1))
    )
    return state, observer


@settings(max_examples=50, deadline=None)
@given(
    cases=st.lists(positions(), min_size=1, max_size=4),
    general=st.lists(st.permutations(range(4)), min_size=4, max_size=4),
    keep_trump=st.lists(st.booleans(), min_size=4, max_size=4),
    seed=st.integers(0, 2**31),
)
def test_augmentation_equals_encoding_the_relabelled_deal(
    cases: list[tuple[bz.State, int]],
    general: list[list[int]],
    keep_trump: list[bool],
    seed: int,
) -> None:
    encoded = [bz.encode(state, observer) for state, observer in cases]
    features = np.stack([f for f, _ in encoded])
    masks = np.stack([m for _, m in encoded])
    rng = np.random.default_rng(seed)
    policy = (rng.random(masks.shape) * masks).astype(np.float32)
    # The permutations augmentation draws (trump fixed), or any permutation at all.
    fixed = random_suit_permutations(features[:, bz.GLOBAL_TOKEN, 3], rng)
    perms = np.array(
        [fixed[b] if keep_trump[b] else general[b] for b in range(len(cases))], dtype=np.int64
    )
    new_features, new_masks, new_policy = permute_suits(features, masks, policy, perms)
    for b, (state, observer) in enumerate(cases):
        relabelled = relabelled_state(state, [int(s) for s in perms[b]])
        expected_features, expected_mask = bz.encode(relabelled, observer)
        assert np.array_equal(new_features[b], expected_features)
        assert np.array_equal(new_masks[b], expected_mask)
        # Policy entries travel with their cards; bids stay; mass is preserved.
        for c in range(52):
            moved = perms[b, c // 13] * 13 + c % 13
            assert new_policy[b, moved] == policy[b, c]
        assert np.array_equal(new_policy[b, 52:], policy[b, 52:])
        assert new_policy[b].sum() == pytest.approx(policy[b].sum())
        assert np.all(new_policy[b][new_masks[b] == 0] == 0)
    # The inputs are left alone.
    assert np.array_equal(features, np.stack([f for f, _ in encoded]))


def test_augmented_sampling_relabels_real_positions(real_records: SelfPlayRecords) -> None:
    buffer = ReplayBuffer(1000, augment_suits=True, seed=2)
    buffer.add(real_records)
    batch = buffer.sample_batch(3000)
    rows = batch.indices.numpy()
    features = batch.features.numpy()
    original = real_records.features[rows]
    trump = original[:, bz.GLOBAL_TOKEN, 3]
    assert np.array_equal(features[:, bz.GLOBAL_TOKEN, 3], trump)  # the trump suit stays
    assert np.array_equal(features[:, :52, 1], np.tile(np.arange(52) // 13, (len(rows), 1)))
    # Same multiset of card tokens apart from the suit field: cards were only relabelled.
    for b in range(0, len(rows), 97):
        a = np.delete(original[b, :52], 1, axis=1)
        z = np.delete(features[b, :52], 1, axis=1)
        assert sorted(map(tuple, a)) == sorted(map(tuple, z))
    assert np.mean(np.any(features != original, axis=(1, 2))) > 0.5  # augmentation happens
    assert torch.allclose(batch.policy.sum(1), torch.ones(len(rows)), atol=1e-6)
    assert torch.all(batch.policy[~batch.masks] == 0)


# ----------------------------------------------------------------------------------------------
# Files


def filled_buffer(**kwargs: Any) -> ReplayBuffer:
    buffer = ReplayBuffer(16, augment_suits=True, prioritized=True, seed=9, **kwargs)
    buffer.add(make_records(range(12)))
    buffer.add(make_records(range(12, 21)))  # wraps around the ring
    batch = buffer.sample_batch(8)
    buffer.update_priorities(batch.indices, torch.linspace(0.1, 3.0, 8))
    return buffer


def test_save_and_load_round_trip_continues_sampling(tmp_path: Path) -> None:
    buffer = filled_buffer(min_size=4)
    path = tmp_path / "replay.npz"
    buffer.save(path)
    assert os.listdir(tmp_path) == ["replay.npz"]  # no temporary file left behind
    loaded = ReplayBuffer.from_file(path)
    assert len(loaded) == len(buffer) == 16
    assert loaded.capacity == 16 and loaded.total_added == 21
    assert loaded.options() == buffer.options()
    assert loaded.stats() == buffer.stats()
    into = ReplayBuffer(16, prioritized=True, augment_suits=True)
    into.add(make_records(range(500, 503)))
    into.load(path)
    for _ in range(3):
        expected = buffer.sample_batch(32)
        assert same_batch(loaded.sample_batch(32), expected)
        assert same_batch(into.sample_batch(32), expected)
    # Adding after a load continues the ring where it stopped.
    buffer.add(make_records(range(21, 24)))
    loaded.add(make_records(range(21, 24)))
    assert slot_contents(loaded) == slot_contents(buffer)
    # Saving again replaces the file.
    loaded.save(path)
    assert ReplayBuffer.from_file(path).total_added == 24
    assert os.listdir(tmp_path) == ["replay.npz"]


def test_a_larger_buffer_loads_a_smaller_ones_file_oldest_first(tmp_path: Path) -> None:
    path = tmp_path / "replay.npz"
    filled_buffer().save(path)  # capacity 16 after 21 records: 5..20, wrapped
    larger = ReplayBuffer(40, prioritized=True, seed=2)
    larger.load(path)
    assert len(larger) == 16 and larger.capacity == 40 and larger.total_added == 21
    assert slot_contents(larger) == {slot: 5 + slot for slot in range(16)}
    larger.add(make_records(range(21, 47)))  # fills the ring, then overwrites the oldest two
    assert slot_contents(larger) == {0: 45, 1: 46} | {slot: 5 + slot for slot in range(2, 40)}


def test_save_and_load_of_an_empty_buffer(tmp_path: Path) -> None:
    path = tmp_path / "empty.npz"
    ReplayBuffer(5, seed=3).save(path)
    loaded = ReplayBuffer.from_file(path)
    assert len(loaded) == 0 and loaded.capacity == 5
    assert loaded.get_rng_state() == ReplayBuffer(5, seed=3).get_rng_state()


def test_load_keeps_the_buffers_own_options(tmp_path: Path) -> None:
    path = tmp_path / "uniform.npz"
    uniform = ReplayBuffer(16, seed=1)
    uniform.add(make_records(range(10)))
    uniform.save(path)
    prioritized = ReplayBuffer(16, prioritized=True, min_size=12)
    prioritized.load(path)
    assert (
        len(prioritized) == 10 and prioritized.prioritized and not prioritized.is_ready_for_training
    )
    assert torch.all(prioritized.sample_batch(50).weights == 1)  # all priorities 1
    filled_buffer().save(path)
    uniform.load(path)  # saved priorities are ignored by a uniform buffer
    assert len(uniform) == 16 and torch.all(uniform.sample_batch(50).weights == 1)


def rewrite(path: Path, **changes: Any) -> None:
    """Rewrites a saved buffer with some entries changed (None removes one); may pickle."""
    with np.load(path, allow_pickle=False) as npz:
        contents: dict[str, Any] = {key: npz[key] for key in npz.files}
    for key, value in changes.items():
        if value is None:
            del contents[key]
        else:
            contents[key] = value
    with open(path, "wb") as file:
        np.savez(file, **contents)


def edit_metadata(path: Path, **changes: Any) -> None:
    with np.load(path, allow_pickle=False) as npz:
        metadata = json.loads(str(npz["metadata"]))
    metadata.update(changes)
    rewrite(path, metadata=np.array(json.dumps(metadata)))


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("features.npy")
    data[info.header_offset + 200 + info.file_size // 2] ^= 0xFF  # inside the stored array
    path.write_bytes(bytes(data))


def random_bytes(path: Path) -> None:
    path.write_bytes(np.random.default_rng(0).bytes(5000))


def npy_file(path: Path) -> None:
    with open(path, "wb") as file:
        np.save(file, np.zeros(3))


def replace_member(path: Path, key: str, header: dict[str, Any], data: bytes) -> None:
    """Replaces one array of the archive by a hand-written .npy (header and raw data)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    npy = io.BytesIO()
    np.lib.format.write_array_header_1_0(npy, header)
    members[f"{key}.npy"] = npy.getvalue() + data
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)


def huge_header(path: Path) -> None:
    header = {"descr": "|u1", "fortran_order": False, "shape": (10**12, 61, 8)}
    replace_member(path, "features", header, b"\0" * 100)


def short_data(path: Path) -> None:
    header = {"descr": "|u1", "fortran_order": False, "shape": (16, 61, 8)}
    replace_member(path, "features", header, b"\0" * 100)


def damaged_header(path: Path) -> None:
    """features.npy with its header dict cut off mid-tuple (a tokenizer error in numpy)."""
    text = b"{'descr': '|u1', 'fortran_order': False, 'shape': (16, 61"
    text += b" " * (63 - len(text) % 64) + b"\n"
    npy = b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["features.npy"] = npy + b"\0" * 100
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)


CORRUPTIONS: dict[str, tuple[Callable[[Path], None], str]] = {
    "damaged header": (damaged_header, "corrupt"),
    "huge capacity": (
        lambda p: edit_metadata(p, capacity=10**12, write_pointer=16),
        "capacity",
    ),
    "huge header": (huge_header, "'features' must have shape"),
    "short data": (short_data, "corrupt"),
    "missing": (lambda p: p.unlink(), "no such"),
    "truncated": (truncate, "corrupt"),
    "random bytes": (random_bytes, "corrupt"),
    "flipped byte": (flip_a_byte, "corrupt"),
    "npy file": (npy_file, "not an .npz"),
    "empty file": (lambda p: p.write_bytes(b""), "corrupt"),
    "wrong tag": (lambda p: rewrite(p, format=np.array("other.v1")), "format tag"),
    "no tag": (lambda p: rewrite(p, format=None), "'format'"),
    "pickled features": (
        lambda p: rewrite(p, features=np.array([{"a": 1}, None], dtype=object)),
        "'features' holds Python objects",
    ),
    "pickled metadata": (
        lambda p: rewrite(p, metadata=np.array([["x"]], dtype=object)),
        "'metadata' holds Python objects",
    ),
    "missing array": (lambda p: rewrite(p, value=None), "'value'"),
    "wrong dtype": (
        lambda p: rewrite(p, policy=np.zeros((16, 70), np.float32)),
        "'policy'.*dtype",
    ),
    "wrong shape": (
        lambda p: rewrite(p, masks=np.zeros((15, 70), np.uint8)),
        "'masks'.*shape",
    ),
    "extra entry": (lambda p: rewrite(p, extra=np.zeros(2)), "unexpected"),
    "metadata not json": (lambda p: rewrite(p, metadata=np.array("{oops")), "JSON"),
    "size beyond capacity": (lambda p: edit_metadata(p, size=40), "size"),
    "bad pointer": (lambda p: edit_metadata(p, write_pointer=16), "write_pointer"),
    "max priority too low": (lambda p: edit_metadata(p, max_priority=0.5), "max_priority"),
    "bad rng state": (lambda p: edit_metadata(p, rng_state={"bit_generator": "X"}), "rng_state"),
    "bad option": (
        lambda p: edit_metadata(
            p,
            options={
                "min_size": 0,
                "augment_suits": True,
                "prioritized": True,
                "priority_alpha": -1,
                "priority_beta": 0.4,
                "seed": 9,
            },
        ),
        "priority_alpha",
    ),
    "nan value": (
        lambda p: rewrite(p, value=np.full((16, 8), np.nan, np.float32)),
        "value",
    ),
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_broken_files_raise_and_leave_the_buffer_untouched(tmp_path: Path, case: str) -> None:
    path = tmp_path / "replay.npz"
    filled_buffer().save(path)
    corrupt, problem = CORRUPTIONS[case]
    corrupt(path)
    buffer = ReplayBuffer(16, augment_suits=True, prioritized=True, seed=1)
    buffer.add(make_records(range(300, 305)))
    twin = ReplayBuffer(16, augment_suits=True, prioritized=True, seed=1)
    twin.add(make_records(range(300, 305)))
    with pytest.raises(ValueError, match=problem) as error:
        buffer.load(path)
    assert str(path) in str(error.value)
    with pytest.raises(ValueError, match=problem):
        ReplayBuffer.from_file(path)
    assert len(buffer) == 5 and buffer.total_added == 5
    assert buffer.get_rng_state() == twin.get_rng_state()
    assert same_batch(buffer.sample_batch(20), twin.sample_batch(20))


def test_failed_save_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "replay.npz"
    filled_buffer().save(path)
    before = path.read_bytes()

    def broken_savez(file: Any, **arrays: Any) -> None:
        file.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        ReplayBuffer(16).save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["replay.npz"]


def test_capacity_mismatch_is_named(tmp_path: Path) -> None:
    path = tmp_path / "replay.npz"
    filled_buffer().save(path)
    buffer = ReplayBuffer(8, prioritized=True)
    buffer.add(make_records(range(3)))
    with pytest.raises(ValueError, match=r"capacity mismatch.*16.*8") as error:
        buffer.load(path)
    assert str(path) in str(error.value)
    assert len(buffer) == 3


def test_file_format_is_plain_arrays(tmp_path: Path) -> None:
    path = tmp_path / "replay.npz"
    filled_buffer().save(path)
    with np.load(path, allow_pickle=False) as npz:
        assert str(npz["format"]) == FORMAT
        metadata = json.loads(str(npz["metadata"]))
        assert all(npz[key].dtype != object for key in npz.files)
    assert metadata["capacity"] == 16 and metadata["size"] == 16
    assert metadata["total_added"] == 21 and metadata["write_pointer"] == 5
    assert metadata["rng_state"]["bit_generator"] == "PCG64"
