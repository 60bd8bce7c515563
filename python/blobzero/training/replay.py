"""Replay buffer: a fixed-capacity ring of self-play positions in compact numpy arrays.

    from blobzero.training.replay import ReplayBuffer

    buffer = ReplayBuffer(500_000, min_size=20_000, augment_suits=True, seed=7)
    buffer.add(records)                        # selfplay.SelfPlayRecords; oldest positions go first
    if buffer.is_ready_for_training:
        batch = buffer.sample_batch(256, device="cuda")   # TrainingBatch of torch tensors
    buffer.save("runs/x/replay.npz")           # atomic, no pickle
    buffer = ReplayBuffer.from_file("runs/x/replay.npz")

Storage. One preallocated array per field, ``capacity`` rows each (see ``STORAGE``): features
uint8 [61, 8], masks uint8 [70], policy float16 [70] (renormalised to sum 1 in float32 when
sampled), value float32 [8], num_players uint8, observer uint8, game_id int64, move_number int16,
and priority float32 for a prioritized buffer: 746 bytes a position, 500k positions in 373 MB.
Positions are written at a ring pointer; when the ring is full the oldest are overwritten.

Sampling. ``sample_batch`` draws with replacement, uniformly or, with ``prioritized=True``, with
probability P(i) = p_i^alpha / sum_k p_k^alpha; importance weights (N * P(i))^-beta are divided
by their largest value over the whole buffer, so they lie in (0, 1]. New positions get the
largest priority seen so far (1 at the start); ``update_priorities`` sets them (from
``TrainingBatch.indices``). Sum and min trees over the priorities make a prioritized draw of B
positions cost O(B log N). One ``numpy.random.Generator`` (PCG64, from
``seed``) drives index sampling and augmentation; ``get_rng_state``/``set_rng_state`` and
``save``/``load`` carry it, so a resumed run samples exactly what the original would have.

Suit augmentation (``augment_suits=True``): each sampled position gets its own random relabelling
of the suits that keeps the trump suit (``blobzero.training.suit_augment``).

Files. ``save`` writes one ``.npz`` (no pickled objects; written to a temporary file in the same
directory, fsynced, then renamed over the target) holding the occupied rows in slot order, a
``format`` tag ``blobzero.replay.v2`` and a JSON ``metadata`` string: capacity, write pointer,
size, total added, the options, the largest priority and the sampler's RNG state. ``load`` and
``from_file`` read with ``allow_pickle=False`` and validate everything before touching the
buffer; any problem raises ``ValueError`` naming the file and the problem.

Threading: a buffer is not thread-safe; use it from one thread (or guard it with a lock).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import os
import tokenize
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np
import torch

from blobzero._core.encode import GLOBAL_TOKEN, NUM_FIELDS, NUM_TOKENS
from blobzero._core.game import MAX_HAND_SIZE, MAX_PLAYERS, MIN_PLAYERS, NUM_ACTIONS
from blobzero.atomic_file import write_atomically
from blobzero.selfplay.engine import SelfPlayRecords
from blobzero.training.suit_augment import (
    GLOBAL_LED_FIELD,
    GLOBAL_TRUMP_FIELD,
    NO_SUIT,
    permute_suits,
    random_suit_permutations,
)
from blobzero.training.sum_tree import PriorityTree

__all__ = [
    "FORMAT",
    "MIN_PRIORITY",
    "STORAGE",
    "VALUE_QUANTILES",
    "UNKNOWN_TRICKS",
    "ReplayBuffer",
    "ReplayStats",
    "TrainingBatch",
    "tricks_targets",
]

FORMAT = "blobzero.replay.v3"
# Older files that still load: v2 has no "tricks" array (its positions' tricks are unknown).
_FORMAT_V2 = "blobzero.replay.v2"


# The storage spec: field name -> (dtype, shape of one position). "priority" only when prioritized.
STORAGE: dict[str, tuple[np.dtype[Any], tuple[int, ...]]] = {
    "features": (np.dtype(np.uint8), (NUM_TOKENS, NUM_FIELDS)),
    "masks": (np.dtype(np.uint8), (NUM_ACTIONS,)),
    "policy": (np.dtype(np.float16), (NUM_ACTIONS,)),
    "value": (np.dtype(np.float32), (MAX_PLAYERS,)),
    "num_players": (np.dtype(np.uint8), ()),
    "observer": (np.dtype(np.uint8), ()),
    "game_id": (np.dtype(np.int64), ()),
    "move_number": (np.dtype(np.int16), ()),
    "tricks": (np.dtype(np.int8), (MAX_PLAYERS,)),
    "priority": (np.dtype(np.float32), ()),
}
PRIORITY_FIELD = "priority"
TRICKS_FIELD = "tricks"
UNKNOWN_TRICKS = -1  # a "tricks" entry past the table size, or of a game not recorded

# What add() accepts from SelfPlayRecords: the stored fields, with the policy in float32 (the
# buffer derives "tricks" from the records' games).
_RECORD_FIELDS: dict[str, tuple[np.dtype[Any], tuple[int, ...]]] = {
    **{name: spec for name, spec in STORAGE.items() if name not in (PRIORITY_FIELD, TRICKS_FIELD)},
    "policy": (np.dtype(np.float32), (NUM_ACTIONS,)),
}
# What a stored array holds where a loaded file has none.
_MISSING_FILL = {PRIORITY_FIELD: 1.0, TRICKS_FIELD: UNKNOWN_TRICKS}

# Quantiles of the observer's value reported by stats().
VALUE_QUANTILES = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)

MIN_PRIORITY = 1e-6  # priorities are floored here so that every position stays sampleable


# ----------------------------------------------------------------------------------------------
# Batches and statistics


@dataclass(frozen=True)
class TrainingBatch:
    """A sampled batch, as torch tensors on one device.

    features uint8 [B, 61, 8]; masks bool [B, 70]; policy float32 [B, 70] (each row sums to 1);
    value float32 [B, 8] (per seat relative to the player to act, 0 past the table size);
    num_players int64 [B]; indices int64 [B] (buffer slots, for ``update_priorities``);
    weights float32 [B] (importance weights; all 1 for uniform sampling); tricks int64 [B, 8]
    (the tricks each seat relative to the observer had taken when the round ended,
    ``UNKNOWN_TRICKS`` past the table size or where not recorded; None: none known).
    """

    features: torch.Tensor
    masks: torch.Tensor
    policy: torch.Tensor
    value: torch.Tensor
    num_players: torch.Tensor
    indices: torch.Tensor
    weights: torch.Tensor
    tricks: torch.Tensor | None = None

    def __len__(self) -> int:
        return int(self.features.shape[0])


@dataclass(frozen=True)
class ReplayStats:
    """What the buffer holds. ``games``: distinct game ids among the held positions;
    ``mean_game_length``: held positions per game; ``value_*``: the observer's value target
    (column 0) over the held positions, with ``value_quantiles`` at ``VALUE_QUANTILES``. The value
    figures are 0 for an empty buffer."""

    size: int
    capacity: int
    games: int
    mean_game_length: float
    value_mean: float
    value_std: float
    value_quantiles: tuple[float, ...]
    total_added: int

    def to_scalars(self) -> dict[str, float]:
        """Flat name -> number for logging: size, capacity, fill, games, mean_game_length,
        value_mean, value_std, value_q00 .. value_q100, total_added."""
        scalars: dict[str, float] = {
            "size": float(self.size),
            "capacity": float(self.capacity),
            "fill": self.size / self.capacity if self.capacity else 0.0,
            "games": float(self.games),
            "mean_game_length": self.mean_game_length,
            "value_mean": self.value_mean,
            "value_std": self.value_std,
        }
        for q, value in zip(VALUE_QUANTILES, self.value_quantiles, strict=True):
            scalars[f"value_q{round(100 * q):02d}"] = value
        scalars["total_added"] = float(self.total_added)
        return scalars


# ----------------------------------------------------------------------------------------------
# The buffer


@dataclass(frozen=True)
class _Snapshot:
    """A validated file's contents, ready to be assigned to a buffer."""

    capacity: int
    write_pointer: int
    size: int
    total_added: int
    max_priority: float
    options: dict[str, Any]
    rng_state: dict[str, Any]
    arrays: dict[str, np.ndarray]

    def in_order(self) -> _Snapshot:
        """The same positions oldest first from slot 0, as a larger ring holds them."""
        start = self.write_pointer if self.size == self.capacity else 0
        order = (start + np.arange(self.size)) % max(self.capacity, 1)
        arrays = {name: array[order] for name, array in self.arrays.items()}
        return dataclasses.replace(self, write_pointer=self.size, arrays=arrays)


def _is_int(value: object) -> TypeGuard[int]:
    """An int or numpy integer, not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _is_real(value: object) -> TypeGuard[float]:
    """A real number (int or float, numpy's too), not a bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _check_rng_state(state: object) -> dict[str, Any]:
    """A deep copy of ``state`` if a PCG64 bit generator accepts it; ValueError otherwise."""
    if not isinstance(state, Mapping):
        raise ValueError(f"RNG state must be a dict, got {type(state).__name__}")
    checked: dict[str, Any] = copy.deepcopy(dict(state))
    if checked.get("bit_generator") != "PCG64":
        raise ValueError(
            f"RNG state must be a PCG64 state, got bit_generator={checked.get('bit_generator')!r}"
        )
    try:
        np.random.PCG64().state = checked  # type: ignore[assignment]
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        raise ValueError(f"RNG state is not a valid PCG64 state: {exc}") from exc
    return checked


def _physical_memory() -> int | None:
    """Bytes of physical memory, or None where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def _check_options(
    capacity: object,
    *,
    min_size: object,
    augment_suits: object,
    prioritized: object,
    priority_alpha: object,
    priority_beta: object,
    seed: object,
) -> None:
    """ValueError naming the first bad ``ReplayBuffer`` setting."""
    if not _is_int(capacity) or capacity < 1:
        raise ValueError(f"capacity = {capacity!r} must be a positive int")
    if not _is_int(min_size) or not 0 <= min_size <= capacity:
        raise ValueError(f"min_size = {min_size!r} must be an int in 0..capacity ({capacity})")
    for name, flag in (("augment_suits", augment_suits), ("prioritized", prioritized)):
        if not isinstance(flag, (bool, np.bool_)):
            raise ValueError(f"{name} = {flag!r} must be a bool")
    needed = capacity * ReplayBuffer.bytes_per_position(bool(prioritized))
    memory = _physical_memory()
    if memory is not None and needed > memory:
        raise ValueError(
            f"capacity = {capacity} needs {needed / 1e9:.1f} GB, more than this machine's "
            f"{memory / 1e9:.1f} GB of memory"
        )
    if not _is_real(priority_alpha) or not (0 <= priority_alpha < math.inf):
        raise ValueError(f"priority_alpha = {priority_alpha!r} must be a finite number >= 0")
    if not _is_real(priority_beta) or not 0 <= priority_beta <= 1:
        raise ValueError(f"priority_beta = {priority_beta!r} must be a number in [0, 1]")
    if not _is_int(seed) or seed < 0:
        raise ValueError(f"seed = {seed!r} must be a non-negative int")


_OPTION_KEYS = (
    "min_size",
    "augment_suits",
    "prioritized",
    "priority_alpha",
    "priority_beta",
    "seed",
)


class ReplayBuffer:
    """A fixed-capacity ring of self-play positions. See the module documentation.

    ``capacity``: positions held (>= 1). ``min_size``: positions needed before
    ``is_ready_for_training`` (0..capacity). ``augment_suits``: relabel suits at random in each
    sampled position. ``prioritized``: sample by priority (``priority_alpha`` >= 0 shapes the
    distribution, ``priority_beta`` in [0, 1] the importance weights). ``seed``: of the sampler's
    RNG (>= 0). Bad settings raise ValueError naming the setting.
    """

    def __init__(
        self,
        capacity: int,
        *,
        min_size: int = 0,
        augment_suits: bool = False,
        prioritized: bool = False,
        priority_alpha: float = 0.6,
        priority_beta: float = 0.4,
        seed: int = 0,
    ) -> None:
        _check_options(
            capacity,
            min_size=min_size,
            augment_suits=augment_suits,
            prioritized=prioritized,
            priority_alpha=priority_alpha,
            priority_beta=priority_beta,
            seed=seed,
        )
        self._capacity = int(capacity)
        self._min_size = int(min_size)
        self._augment_suits = bool(augment_suits)
        self._prioritized = bool(prioritized)
        self._priority_alpha = float(priority_alpha)
        self._priority_beta = float(priority_beta)
        self._seed = int(seed)
        self._rng = np.random.Generator(np.random.PCG64(self._seed))
        self._arrays: dict[str, np.ndarray] = {
            name: np.zeros((self._capacity, *shape), dtype=dtype)
            for name, (dtype, shape) in STORAGE.items()
            if self._prioritized or name != PRIORITY_FIELD
        }
        self._tree = PriorityTree(self._capacity) if self._prioritized else None
        self._write_pointer = 0
        self._size = 0
        self._total_added = 0
        self._max_priority = 1.0

    # -- sizes -------------------------------------------------------------------------------------

    @classmethod
    def bytes_per_position(cls, prioritized: bool = True) -> int:
        """Bytes one position takes in the storage arrays (``STORAGE``)."""
        return sum(
            dtype.itemsize * math.prod(shape)
            for name, (dtype, shape) in STORAGE.items()
            if prioritized or name != PRIORITY_FIELD
        )

    @property
    def nbytes(self) -> int:
        """Bytes of the storage arrays (allocated for the full capacity)."""
        return sum(array.nbytes for array in self._arrays.values())

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def prioritized(self) -> bool:
        return self._prioritized

    @property
    def priority_alpha(self) -> float:
        return self._priority_alpha

    @property
    def seed(self) -> int:
        """The seed the sampler's RNG started from (its state moves on; see get_rng_state)."""
        return self._seed

    @property
    def min_size(self) -> int:
        """Positions needed before ``is_ready_for_training``; settable (0..capacity)."""
        return self._min_size

    @min_size.setter
    def min_size(self, value: int) -> None:
        if not _is_int(value) or not 0 <= value <= self._capacity:
            raise ValueError(
                f"min_size = {value!r} must be an int in 0..capacity ({self._capacity})"
            )
        self._min_size = int(value)

    @property
    def augment_suits(self) -> bool:
        """Whether sampled positions get random suit relabellings; settable."""
        return self._augment_suits

    @augment_suits.setter
    def augment_suits(self, value: bool) -> None:
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"augment_suits = {value!r} must be a bool")
        self._augment_suits = bool(value)

    @property
    def priority_beta(self) -> float:
        """Exponent of the importance weights; settable in [0, 1] (e.g. annealed towards 1)."""
        return self._priority_beta

    @priority_beta.setter
    def priority_beta(self, value: float) -> None:
        if not _is_real(value) or not 0 <= value <= 1:
            raise ValueError(f"priority_beta = {value!r} must be a number in [0, 1]")
        self._priority_beta = float(value)

    @property
    def total_added(self) -> int:
        """Positions ever added (including those already overwritten), since creation or
        ``clear``."""
        return self._total_added

    @property
    def is_ready_for_training(self) -> bool:
        """``len(self) >= min_size``."""
        return self._size >= self.min_size

    def __len__(self) -> int:
        return self._size

    def __repr__(self) -> str:
        return (
            f"ReplayBuffer(size={self._size}, capacity={self._capacity}, "
            f"augment_suits={self.augment_suits}, prioritized={self.prioritized})"
        )

    def options(self) -> dict[str, Any]:
        """The constructor's keyword settings (everything but the capacity)."""
        return {
            "min_size": self.min_size,
            "augment_suits": self.augment_suits,
            "prioritized": self.prioritized,
            "priority_alpha": self.priority_alpha,
            "priority_beta": self.priority_beta,
            "seed": self.seed,
        }

    # -- adding ------------------------------------------------------------------------------------

    def add(self, records: SelfPlayRecords) -> None:
        """Appends the positions of ``records`` (``selfplay.SelfPlayRecords``, or any object with
        its arrays), overwriting the oldest when the ring is full; if there are more than
        ``capacity`` of them only the newest ``capacity`` are kept. The whole batch is checked
        first: a missing array raises TypeError, a wrong shape, dtype or value (non-finite or
        negative policy, policy on illegal actions, no legal action, non-finite value, player
        count outside 3..8, observer seat past it) raises ValueError naming the array, and
        nothing is added."""
        data = _check_records(records)
        n = data["features"].shape[0]
        if n == 0:
            return
        data[TRICKS_FIELD] = tricks_targets(records)
        self._total_added += n
        keep = min(n, self._capacity)
        start = n - keep
        first = min(keep, self._capacity - self._write_pointer)  # rows before the ring wraps
        spans = ((self._write_pointer, start, first), (0, start + first, keep - first))
        for name, array in self._arrays.items():
            source = data.get(name)
            for slot, row, count in spans:
                if count == 0:
                    continue
                if source is None:  # priority: new positions get the largest priority so far
                    array[slot : slot + count] = self._max_priority
                else:
                    array[slot : slot + count] = source[row : row + count]
        if self._tree is not None:
            slots = (self._write_pointer + np.arange(keep)) % self._capacity
            scaled = float(np.float32(self._max_priority)) ** self.priority_alpha
            self._tree.set(slots, np.full(keep, scaled))
        self._write_pointer = (self._write_pointer + keep) % self._capacity
        self._size = min(self._capacity, self._size + keep)

    def clear(self) -> None:
        """Forgets every position and resets ``total_added`` and the largest priority; the
        options and the sampler's RNG state stay."""
        self._write_pointer = 0
        self._size = 0
        self._total_added = 0
        self._max_priority = 1.0
        if self._tree is not None:
            self._tree.clear()

    # -- sampling ----------------------------------------------------------------------------------

    def sample_batch(self, batch_size: int, device: str | torch.device = "cpu") -> TrainingBatch:
        """Draws ``batch_size`` positions with replacement (uniformly, or by priority) and returns
        them as a ``TrainingBatch`` on ``device``, suit-augmented if ``augment_suits``. On a CUDA
        device the host tensors are pinned and copied with ``non_blocking=True``. Raises
        ValueError if the buffer is empty or ``batch_size`` < 1."""
        if not _is_int(batch_size) or batch_size < 1:
            raise ValueError(f"batch_size = {batch_size!r} must be a positive int")
        if self._size == 0:
            raise ValueError("cannot sample from an empty replay buffer")
        target = torch.device(device)
        if self.prioritized:
            indices, weights = self._sample_prioritized(int(batch_size))
        else:
            indices = self._rng.integers(0, self._size, size=int(batch_size), dtype=np.int64)
            weights = np.ones(int(batch_size), dtype=np.float32)
        a = self._arrays
        features = a["features"][indices]
        masks = a["masks"][indices]
        policy = a["policy"][indices]
        if self.augment_suits:
            perms = random_suit_permutations(
                features[:, GLOBAL_TOKEN, GLOBAL_TRUMP_FIELD], self._rng
            )
            features, masks, policy = permute_suits(features, masks, policy, perms)
        policy32 = policy.astype(np.float32)
        policy32 /= policy32.sum(axis=1, keepdims=True)
        host = {
            "features": torch.from_numpy(features),
            "masks": torch.from_numpy(masks.astype(np.bool_)),
            "policy": torch.from_numpy(policy32),
            "value": torch.from_numpy(a["value"][indices]),
            "num_players": torch.from_numpy(a["num_players"][indices].astype(np.int64)),
            "indices": torch.from_numpy(indices),
            "weights": torch.from_numpy(weights),
            "tricks": torch.from_numpy(a[TRICKS_FIELD][indices].astype(np.int64)),
        }
        if target.type == "cuda":
            moved = {
                name: tensor.pin_memory().to(target, non_blocking=True)
                for name, tensor in host.items()
            }
        elif target.type == "cpu":
            moved = host
        else:
            moved = {name: tensor.to(target) for name, tensor in host.items()}
        return TrainingBatch(**moved)

    def _sample_prioritized(self, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        tree = self._tree
        assert tree is not None
        total = tree.total
        draws = self._rng.random(batch_size) * total
        # Rounding can push a draw past the last occupied leaf; it belongs to that leaf.
        indices = np.minimum(tree.find(draws), self._size - 1)
        probabilities = tree.value(indices) / total
        # (N * P)^-beta / max over the buffer; the max belongs to the least likely position.
        weights = (self._size * probabilities) ** -self.priority_beta
        weights /= (self._size * tree.minimum / total) ** -self.priority_beta
        return indices, np.minimum(weights, 1.0).astype(np.float32)

    def update_priorities(self, indices: Any, priorities: Any) -> None:
        """Sets the priorities of buffer slots (``TrainingBatch.indices``) to ``priorities``
        (finite, >= 0; floored at ``MIN_PRIORITY``). Numpy arrays, sequences or torch tensors (any
        device) of equal length; for a repeated slot the last value wins. A slot overwritten since
        it was sampled gets the priority meant for its old position. On a uniform buffer the
        arguments are checked and nothing else happens."""
        idx = _to_numpy(indices, "indices")
        pri = _to_numpy(priorities, "priorities")
        if idx.ndim != 1 or pri.ndim != 1 or idx.shape != pri.shape:
            raise ValueError(
                f"indices and priorities must be 1-d of equal length, got {idx.shape} and "
                f"{pri.shape}"
            )
        if idx.size and not np.issubdtype(idx.dtype, np.integer):
            raise ValueError(f"indices must be integers, got {idx.dtype}")
        if idx.size and (idx.min() < 0 or idx.max() >= self._size):
            raise ValueError(f"indices must be occupied slots 0..{self._size - 1}")
        if pri.size and (
            not np.issubdtype(pri.dtype, np.number) or not np.all(np.isfinite(pri)) or pri.min() < 0
        ):
            raise ValueError("priorities must be finite numbers >= 0")
        if not self.prioritized or idx.size == 0:
            return
        values = np.maximum(pri.astype(np.float64), MIN_PRIORITY).astype(np.float32)
        self._arrays[PRIORITY_FIELD][idx] = values
        assert self._tree is not None
        # Scaled from the stored float32, so that a reloaded buffer rebuilds the same tree.
        stored = self._arrays[PRIORITY_FIELD][idx].astype(np.float64)
        self._tree.set(idx, stored**self.priority_alpha)
        self._max_priority = max(self._max_priority, float(values.max()))

    # -- RNG ---------------------------------------------------------------------------------------

    def get_rng_state(self) -> dict[str, Any]:
        """The sampler's RNG state (numpy PCG64 ``bit_generator.state``): plain JSON-able data."""
        state: dict[str, Any] = copy.deepcopy(dict(self._rng.bit_generator.state))
        return state

    def set_rng_state(self, state: Mapping[str, Any]) -> None:
        """Restores a state from ``get_rng_state``; later sampling repeats what followed it.
        Raises ValueError (and changes nothing) if the state is not a valid PCG64 state."""
        checked = _check_rng_state(state)
        self._rng.bit_generator.state = checked

    # -- statistics --------------------------------------------------------------------------------

    def stats(self) -> ReplayStats:
        """Size, games held, positions per game and the observer's value distribution."""
        n = self._size
        if n == 0:
            return ReplayStats(
                size=0,
                capacity=self._capacity,
                games=0,
                mean_game_length=0.0,
                value_mean=0.0,
                value_std=0.0,
                value_quantiles=tuple(0.0 for _ in VALUE_QUANTILES),
                total_added=self._total_added,
            )
        games = int(np.unique(self._arrays["game_id"][:n]).shape[0])
        values = self._arrays["value"][:n, 0].astype(np.float64)
        return ReplayStats(
            size=n,
            capacity=self._capacity,
            games=games,
            mean_game_length=n / games,
            value_mean=float(values.mean()),
            value_std=float(values.std()),
            value_quantiles=tuple(float(q) for q in np.quantile(values, VALUE_QUANTILES)),
            total_added=self._total_added,
        )

    # -- files -------------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the buffer to ``path`` (one ``.npz``, exactly that name) atomically: a temporary
        file in the same directory, flushed and fsynced, then renamed over ``path``. The file holds
        the occupied rows in slot order, the format tag, counters, options, the largest priority
        and the RNG state."""
        n = self._size
        metadata = {
            "format": FORMAT,
            "capacity": self._capacity,
            "write_pointer": self._write_pointer,
            "size": n,
            "total_added": self._total_added,
            "max_priority": self._max_priority,
            "options": self.options(),
            "rng_state": self.get_rng_state(),
        }
        arrays: dict[str, Any] = {name: array[:n] for name, array in self._arrays.items()}
        arrays["format"] = np.array(FORMAT)
        arrays["metadata"] = np.array(json.dumps(metadata))
        write_atomically(path, lambda file: np.savez(file, allow_pickle=False, **arrays))

    def load(self, path: str | os.PathLike[str]) -> None:
        """Replaces this buffer's contents, counters and RNG state with those saved in ``path``.
        The file's capacity must not exceed this buffer's: a larger buffer takes the positions
        oldest first from slot 0 and fills the rest as new ones come. This buffer keeps its own
        options (a file without priorities gives a prioritized buffer priority 1 everywhere; a
        uniform buffer ignores saved priorities). Raises ValueError naming the file and the
        problem (missing, unreadable, truncated or corrupt, wrong format tag, missing or
        malformed array or metadata, a larger capacity) and then leaves the buffer untouched."""
        snapshot = _read_file(Path(path))
        if snapshot.capacity > self._capacity:
            raise ValueError(
                f"{os.fspath(path)}: capacity mismatch: the file holds a buffer of capacity "
                f"{snapshot.capacity}, more than this buffer's {self._capacity}"
            )
        if snapshot.capacity < self._capacity:
            snapshot = snapshot.in_order()
        self._assign(snapshot)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ReplayBuffer:
        """A new buffer with the capacity, options, contents and RNG state saved in ``path``.
        Raises ValueError as ``load`` does, and for a capacity larger than this machine's
        memory."""
        snapshot = _read_file(Path(path))
        options = snapshot.options
        try:
            buffer = cls(
                snapshot.capacity,
                min_size=options["min_size"],
                augment_suits=options["augment_suits"],
                prioritized=options["prioritized"],
                priority_alpha=options["priority_alpha"],
                priority_beta=options["priority_beta"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise ValueError(f"{os.fspath(path)}: {error}") from None
        buffer._assign(snapshot)
        return buffer

    def _assign(self, snapshot: _Snapshot) -> None:
        n = snapshot.size
        for name, array in self._arrays.items():
            if name in snapshot.arrays:
                array[:n] = snapshot.arrays[name]
            else:  # priorities a uniform buffer did not save, tricks a v2 file did not hold
                array[:n] = _MISSING_FILL[name]
        self._write_pointer = snapshot.write_pointer
        self._size = n
        self._total_added = snapshot.total_added
        has_priorities = PRIORITY_FIELD in snapshot.arrays
        self._max_priority = snapshot.max_priority if has_priorities else 1.0
        self._rng.bit_generator.state = snapshot.rng_state
        if self._tree is not None:
            self._tree.clear()
            priorities = self._arrays[PRIORITY_FIELD][:n].astype(np.float64)
            self._tree.set(np.arange(n), priorities**self.priority_alpha)


# ----------------------------------------------------------------------------------------------
# Checks


def _to_numpy(value: Any, name: str) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be array-like: {exc}") from exc


def _check_records(records: object) -> dict[str, np.ndarray]:
    """The arrays of ``records`` that the buffer stores, checked (see ``ReplayBuffer.add``);
    the policy is converted to the storage dtype."""
    data: dict[str, np.ndarray] = {}
    n: int | None = None
    for name, (dtype, shape) in _RECORD_FIELDS.items():
        if not hasattr(records, name):
            raise TypeError(
                f"records must be SelfPlayRecords; {type(records).__name__} has no '{name}'"
            )
        array = getattr(records, name)
        if not isinstance(array, np.ndarray):
            raise ValueError(f"records.{name} must be a numpy array, got {type(array).__name__}")
        if array.dtype != dtype:
            raise ValueError(f"records.{name} must have dtype {dtype}, got {array.dtype}")
        if n is None:
            n = array.shape[0] if array.ndim else -1
        if array.shape != (n, *shape):
            raise ValueError(
                f"records.{name} must have shape {(max(n, 0), *shape)}, got {array.shape}"
            )
        data[name] = array
    _check_contents(data, lambda field: f"records.{field}")
    policy = data["policy"]
    data["policy"] = (policy / policy.sum(axis=1, keepdims=True)).astype(STORAGE["policy"][0])
    return data


def _check_contents(data: Mapping[str, np.ndarray], label: Callable[[str], str]) -> None:
    """Value checks shared by ``add`` and ``load``; ``label`` names an array in messages."""
    if data["features"].shape[0] == 0:
        return
    masks = data["masks"]
    policy = data["policy"].astype(np.float32)
    if masks.max() > 1:
        raise ValueError(f"{label('masks')} must hold only 0 and 1")
    if not np.all(masks.any(axis=1)):
        raise ValueError(f"{label('masks')}: every position needs a legal action")
    if not np.all(np.isfinite(policy)) or policy.min() < 0:
        raise ValueError(f"{label('policy')} must be finite and non-negative")
    if np.any(policy[masks == 0] != 0):
        raise ValueError(f"{label('policy')} puts probability on actions the mask marks illegal")
    if not np.all(policy.sum(axis=1) > 0):
        raise ValueError(f"{label('policy')}: every row needs positive mass")
    suits = data["features"][:, GLOBAL_TOKEN, [GLOBAL_TRUMP_FIELD, GLOBAL_LED_FIELD]]
    if suits.max() > NO_SUIT:
        raise ValueError(f"{label('features')}: the trump and led suit fields must lie in 0..4")
    if not np.all(np.isfinite(data["value"])):
        raise ValueError(f"{label('value')} must be finite")
    players = data["num_players"]
    if players.min() < MIN_PLAYERS or players.max() > MAX_PLAYERS:
        raise ValueError(f"{label('num_players')} must lie in {MIN_PLAYERS}..{MAX_PLAYERS}")
    if np.any(data["observer"] >= players):
        raise ValueError(f"{label('observer')} must be a seat below num_players")
    tricks = data.get(TRICKS_FIELD)
    if tricks is not None and (tricks.min() < UNKNOWN_TRICKS or tricks.max() > MAX_HAND_SIZE):
        raise ValueError(f"{label(TRICKS_FIELD)} must lie in {UNKNOWN_TRICKS}..{MAX_HAND_SIZE}")


def tricks_targets(records: SelfPlayRecords) -> np.ndarray:
    """int8 [N, 8]: for each position of ``records``, the tricks each seat relative to its
    observer had taken when its round ended, read off the records' games (replayed by the rules
    engine); ``UNKNOWN_TRICKS`` past the table size, for a game the records do not hold or did
    not finish, and everywhere for records without games."""
    observer = np.asarray(records.observer, dtype=np.int64)
    players = np.asarray(records.num_players, dtype=np.int64)
    row_ids = np.asarray(records.game_id, dtype=np.int64)
    targets = np.full((observer.shape[0], MAX_PLAYERS), UNKNOWN_TRICKS, dtype=np.int8)
    games = getattr(records, "games", None)
    if games is None or len(games) == 0:
        return targets
    final = np.full((len(games), MAX_PLAYERS), UNKNOWN_TRICKS, dtype=np.int8)
    for index in range(len(games)):
        state = games.state(index)
        if state.is_terminal():
            won = state.tricks_won
            final[index, : len(won)] = won
    game_ids = np.asarray(games.game_id, dtype=np.int64)
    order = np.argsort(game_ids, kind="stable")
    position = np.minimum(np.searchsorted(game_ids[order], row_ids), len(order) - 1)
    row_game = order[position]
    known = game_ids[row_game] == row_ids
    seats = np.arange(MAX_PLAYERS)
    absolute = (observer[:, None] + seats[None, :]) % players[:, None]
    tricks = final[row_game[:, None], absolute]
    at_table = seats[None, :] < players[:, None]
    return np.where(known[:, None] & at_table, tricks, UNKNOWN_TRICKS).astype(np.int8)


class _FileProblem(ValueError):
    """A saved buffer failed validation (the message names the file)."""


_MAX_TEXT_BYTES = 1 << 20  # the format tag and the metadata are small strings

# Anything a damaged archive can raise while it is read.
_READ_ERRORS = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    TypeError,
    RuntimeError,
    MemoryError,
    OverflowError,
    NotImplementedError,
    SyntaxError,  # a damaged .npy header
    tokenize.TokenError,
    zipfile.BadZipFile,
    zlib.error,
)


def _read_file(path: Path) -> _Snapshot:
    """Reads and fully validates a saved buffer; ValueError naming ``path`` on any problem.

    Every array's header (shape, dtype) is checked before its data is read, so a damaged or
    hostile file cannot make the reader allocate more than the buffer it claims to hold."""
    name = os.fspath(path)
    if not path.is_file():
        raise _FileProblem(f"{name}: no such replay buffer file")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise _FileProblem(
            f"{name}: unreadable or corrupt replay buffer file (not a zip archive: truncated, "
            f"damaged, or not an .npz at all)"
        ) from exc
    except _READ_ERRORS as exc:
        raise _FileProblem(
            f"{name}: unreadable replay buffer file ({type(exc).__name__}: {exc})"
        ) from exc
    try:
        with archive:
            return _read_archive(archive, name)
    except _FileProblem:
        raise
    except _READ_ERRORS as exc:
        raise _FileProblem(
            f"{name}: unreadable or corrupt replay buffer file ({type(exc).__name__}: {exc})"
        ) from exc


def _read_archive(archive: zipfile.ZipFile, name: str) -> _Snapshot:
    def fail(problem: str) -> _FileProblem:
        return _FileProblem(f"{name}: {problem}")

    members: dict[str, str] = {}
    for member in archive.namelist():
        key = member.removesuffix(".npy")
        if key == member or key in members:
            raise fail(f"unexpected archive member {member!r}")
        members[key] = member
    unknown = set(members) - set(STORAGE) - {"format", "metadata"}
    if unknown:
        raise fail(f"unexpected entries {sorted(unknown)}")

    def header(key: str) -> tuple[tuple[int, ...], np.dtype[Any]]:
        with archive.open(members[key]) as file:
            version = np.lib.format.read_magic(file)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(file)
            elif version == (2, 0):
                shape, _, dtype = np.lib.format.read_array_header_2_0(file)
            else:
                raise fail(f"entry '{key}' has an unsupported .npy version {version}")
        if dtype.hasobject:
            raise fail(f"entry '{key}' holds Python objects (pickled data is never loaded)")
        return tuple(shape), dtype

    def read(key: str) -> np.ndarray:
        with archive.open(members[key]) as file:
            array: np.ndarray = np.lib.format.read_array(file, allow_pickle=False)
        return array

    def text(key: str) -> str:
        if key not in members:
            raise fail(f"missing '{key}' entry")
        shape, dtype = header(key)
        if shape != () or dtype.kind != "U" or dtype.itemsize > _MAX_TEXT_BYTES:
            raise fail(f"'{key}' must be a string, got {dtype} {shape}")
        return str(read(key)[()])

    tag = text("format")
    if tag not in (FORMAT, _FORMAT_V2):
        raise fail(f"wrong format tag {tag!r}, expected {FORMAT!r}")
    try:
        metadata = json.loads(text("metadata"))
    except json.JSONDecodeError as exc:
        raise fail(f"metadata is not valid JSON ({exc})") from exc
    if not isinstance(metadata, dict):
        raise fail("metadata must be a JSON object")
    if metadata.get("format") != tag:
        raise fail(f"metadata format {metadata.get('format')!r} is not {tag!r}")

    def count(key: str) -> int:
        value = metadata.get(key)
        if not _is_int(value) or value < 0:
            raise fail(f"metadata '{key}' must be a non-negative int, got {value!r}")
        return int(value)

    capacity, pointer, size, total = (
        count(k) for k in ("capacity", "write_pointer", "size", "total_added")
    )
    if capacity < 1:
        raise fail("metadata 'capacity' must be positive")
    if size > capacity:
        raise fail(f"metadata 'size' {size} exceeds the capacity {capacity}")
    if pointer >= capacity:
        raise fail(f"metadata 'write_pointer' {pointer} must be below the capacity {capacity}")
    if size < capacity and pointer != size:
        raise fail(f"metadata 'write_pointer' {pointer} must equal the size {size} until full")
    if total < size:
        raise fail(f"metadata 'total_added' {total} is below the size {size}")
    max_priority = metadata.get("max_priority")
    if not _is_real(max_priority) or not (MIN_PRIORITY <= max_priority < math.inf):
        raise fail(
            f"metadata 'max_priority' must be a finite positive number, got {max_priority!r}"
        )

    options = metadata.get("options")
    if not isinstance(options, dict):
        raise fail("metadata 'options' must be an object")
    if set(options) != set(_OPTION_KEYS):
        raise fail(f"metadata 'options' must have the keys {sorted(_OPTION_KEYS)}")
    try:
        _check_options(capacity, **options)
    except ValueError as exc:
        raise fail(f"metadata 'options' are invalid ({exc})") from exc

    try:
        rng_state = _check_rng_state(metadata.get("rng_state"))
    except ValueError as exc:
        raise fail(f"metadata 'rng_state': {exc}") from exc

    arrays: dict[str, np.ndarray] = {}
    for key, (dtype, shape) in STORAGE.items():
        if key not in members:
            if key == PRIORITY_FIELD and not options["prioritized"]:
                continue
            if key == TRICKS_FIELD and tag == _FORMAT_V2:
                continue
            raise fail(f"missing array '{key}'")
        found_shape, found_dtype = header(key)
        if found_dtype != dtype:
            raise fail(f"array '{key}' must have dtype {dtype}, got {found_dtype}")
        if found_shape != (size, *shape):
            raise fail(f"array '{key}' must have shape {(size, *shape)}, got {found_shape}")
        array = read(key)
        if array.dtype != dtype or array.shape != (size, *shape):  # the header said otherwise
            raise fail(f"array '{key}' does not match its header")
        arrays[key] = array
    try:
        _check_contents(arrays, lambda field: f"array '{field}'")
    except ValueError as exc:
        raise fail(str(exc)) from exc
    if PRIORITY_FIELD in arrays:
        priority = arrays[PRIORITY_FIELD]
        if size and (not np.all(np.isfinite(priority)) or priority.min() < MIN_PRIORITY / 2):
            raise fail("array 'priority' must hold finite positive priorities")
        if size and priority.max() > max_priority:
            raise fail("metadata 'max_priority' is below the largest saved priority")
    return _Snapshot(
        capacity=capacity,
        write_pointer=pointer,
        size=size,
        total_added=total,
        max_priority=float(max_priority),
        options=dict(options),
        rng_state=rng_state,
        arrays=arrays,
    )
