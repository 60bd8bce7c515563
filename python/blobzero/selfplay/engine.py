"""Self-play: the C++ engine plays many games at once; a model evaluates their positions in batches.

    from blobzero.selfplay.engine import SelfPlayConfig, SelfPlayEngine

    config = SelfPlayConfig(num_players=[3, 4, 5], hand_sizes=[3, 5, 7], seed=1)
    with SelfPlayEngine(model, config) as engine:       # model: network.InferenceModel, ...
        records = engine.generate_games(200, progress_callback=print)
    records.features, records.policy, records.value      # numpy arrays, one row per decision

How it runs. ``config.num_threads`` C++ worker threads (default: cores - 1) each advance many games;
a game whose search needs evaluations writes its leaves' features into a row of a batch buffer and
parks while its worker moves on. ``generate_games`` runs the Python side on the calling thread:
pull a ready batch (waiting with the GIL released), call ``model(features, masks)`` once for the
whole batch, hand the outputs back. Each worker has ``batches_per_thread`` (default 2) buffers, so
it packs one while the model runs on another. The worker threads never touch Python.

The model is any callable ``fn(features, masks) -> (logits, values)`` taking uint8 arrays
[B, 61, 8] and [B, 70] (layout: ``blobzero.encode``) and returning float arrays [B, 70] and [B, 8]
(values per seat relative to the player to act), or a C++ ``blobzero.Evaluator`` (then the whole
run stays in C++: the engine's own speed; such a run cannot be interrupted by Ctrl-C).

Determinism. Game g of an engine is seeded with ``derive_seed(config.seed, g)`` and game ids
continue from run to run (``first_game_id`` restarts them), so with a model whose output for a
row depends only on that row, the records are identical for any thread count and batch size.
(A network whose float results vary with the batch composition breaks this only in the last bits.)

Speed. ``engine.stats`` counts evaluations and batches; ``engine.loop_profile`` says where the
loop's time went (in the model, waiting for the workers, handing outputs back). For a network on
the CPU, ``cpu_inference_settings()`` gives the measured good settings (benchmarks/RESULTS.md):
one worker thread keeps the model busy (the engine packs positions 10x faster than the smallest
net evaluates them), batches of 128, and torch's threads on every core, or on the cores the
worker leaves free when other programs compete for the CPU.

Errors. If the model raises, the run is cancelled (every worker thread joined) and
``SelfPlayError`` is raised from the model's exception. A model output with the wrong type, dtype
(floats of any width are accepted), shape, or a NaN/infinity cancels the run and raises
``ValueError`` naming the problem. Ctrl-C (``KeyboardInterrupt``) cancels the run and propagates.
After any of these the engine is reusable: the failed run is discarded, the next run's game ids
follow it. After ``shutdown()`` the engine is dead and every run raises ``RuntimeError``.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from blobzero._core import game as _game
from blobzero._core import search as _search
from blobzero._core import selfplay as _selfplay
from blobzero._core.selfplay import SelfPlayConfig, SelfPlayStats, derive_seed
from blobzero.selfplay.batch_loop import LoopClock, LoopProfile, Model, evaluate_batches

ProgressCallback = Callable[[int, int, SelfPlayStats], None]
_REPORT_EVERY_S = 0.25  # progress reports while no game finishes

__all__ = [
    "CpuInferenceSettings",
    "GameSummaries",
    "LoopProfile",
    "SelfPlayConfig",
    "SelfPlayEngine",
    "SelfPlayError",
    "SelfPlayRecords",
    "SelfPlayStats",
    "cpu_inference_settings",
    "derive_seed",
]


class SelfPlayError(RuntimeError):
    """The model failed during self-play; ``__cause__`` holds its exception."""


@dataclass(frozen=True)
class CpuInferenceSettings:
    """Self-play settings for a network evaluated on the CPU. ``config_kwargs()`` goes into a
    ``SelfPlayConfig``; ``apply_torch()`` sets torch's intra-op threads (a process-wide setting).
    """

    engine_threads: int
    max_batch_size: int
    torch_threads: int

    def config_kwargs(self) -> dict[str, int]:
        """``{"num_threads": ..., "max_batch_size": ...}`` for ``SelfPlayConfig``."""
        return {"num_threads": self.engine_threads, "max_batch_size": self.max_batch_size}

    def apply_torch(self) -> None:
        """``torch.set_num_threads(self.torch_threads)``."""
        import torch

        torch.set_num_threads(self.torch_threads)


def cpu_inference_settings(
    num_cores: int | None = None, *, shared_machine: bool = False
) -> CpuInferenceSettings:
    """Good self-play settings for a network on the CPU (from benchmarks/selfplay_throughput.py on
    2 cores; see benchmarks/RESULTS.md).

    - One worker thread: it packs positions at about 150k evaluations/s, while even the ``tiny``
      net evaluates about 20k/s on 2 cores, so the model never waits for it; more workers only
      take CPU from the model.
    - Batches of at most 128 rows: the model's rows/s are the same as at 256 (within the noise),
      and half as many games are in flight, so a finite run ends with a shorter tail of small
      batches.
    - torch's intra-op threads on every core (``num_cores``, default ``os.cpu_count()``): about
      1.3-1.5x the evaluations/s of leaving the worker's core to it, although the worker then
      competes with torch. With ``shared_machine=True`` torch gets only the cores the worker
      leaves free: OpenMP threads that lose their core to another program wait for each other at
      every operation, which measured 5-30x slower on 2 busy cores.
    """
    cores = num_cores if num_cores is not None else (os.cpu_count() or 1)
    if isinstance(cores, bool) or not isinstance(cores, int) or cores < 1:
        raise ValueError(f"num_cores = {num_cores!r} must be a positive int")
    engine_threads = 1
    torch_threads = max(1, cores - engine_threads) if shared_machine else cores
    return CpuInferenceSettings(
        engine_threads=engine_threads, max_batch_size=128, torch_threads=torch_threads
    )


@dataclass(frozen=True)
class GameSummaries:
    """One row per game, sorted by game id: enough to replay every game with the rules engine.

    game_id int64, game_seed uint64, num_players uint8, num_cards uint8, dealer uint8,
    trump_suit int8 (-1: no trump, or a turn-up round), turn_up bool, turned_up int8 (-1: none),
    hook_rule bool, scoring uint8 (0 exact, 1 oh_hell, 2 oh_hell_penalty), hands uint64 [G, 8]
    (card bit masks as dealt), actions int8 [G, 60] (padded with -1), num_actions int16,
    scores int16 [G, 8] (final round scores, 0 past the table size), num_positions int32.
    """

    game_id: np.ndarray
    game_seed: np.ndarray
    num_players: np.ndarray
    num_cards: np.ndarray
    dealer: np.ndarray
    trump_suit: np.ndarray
    turn_up: np.ndarray
    turned_up: np.ndarray
    hook_rule: np.ndarray
    scoring: np.ndarray
    hands: np.ndarray
    actions: np.ndarray
    num_actions: np.ndarray
    scores: np.ndarray
    num_positions: np.ndarray

    def __len__(self) -> int:
        return int(self.game_id.shape[0])

    def round_rules(self, index: int) -> Any:
        """The ``RoundRules`` of game row ``index``."""
        trump = int(self.trump_suit[index])
        return _game.RoundRules(
            num_players=int(self.num_players[index]),
            num_cards=int(self.num_cards[index]),
            trump=None if trump < 0 else trump,
            turn_up=bool(self.turn_up[index]),
            hook_rule=bool(self.hook_rule[index]),
            scoring=_SCORINGS[int(self.scoring[index])],
        )

    def deal(self, index: int) -> Any:
        """The ``Deal`` of game row ``index``."""
        hands = [
            [card for card in range(_game.NUM_CARDS) if (int(bits) >> card) & 1]
            for bits in self.hands[index, : int(self.num_players[index])]
        ]
        turned_up = int(self.turned_up[index])
        return _game.Deal(
            dealer=int(self.dealer[index]),
            hands=hands,
            turned_up=None if turned_up < 0 else turned_up,
        )

    def actions_of(self, index: int) -> list[int]:
        """Every action of game row ``index``, bids then cards."""
        return [int(a) for a in self.actions[index, : int(self.num_actions[index])]]

    def state(self, index: int, num_actions: int | None = None) -> Any:
        """The game's ``State`` after its first ``num_actions`` actions (default: all)."""
        actions = self.actions_of(index)
        if num_actions is not None:
            actions = actions[:num_actions]
        return _game.State.replay(self.round_rules(index), self.deal(index), actions)


_SCORINGS = ("exact", "oh_hell", "oh_hell_penalty")


@dataclass(frozen=True)
class SelfPlayRecords:
    """Training records, one row per searched decision (and, with the config's
    record_opponent_views, one more per other seat), sorted by (game_id, move_number).

    features uint8 [N, 61, 8]: the true state seen by the row's observer as the search encodes
        its leaves: world features (``encode(state, observer, world=True)``) for PIMC trees,
        the observation (``encode(state, observer)``) for an information-set tree, holder
        features (``encode(state, observer, holders=True)``) for one with a world critic.
    masks uint8 [N, 70]: what the player to act may do as far as the observer knows
        (``encode_actor_mask``; the legal actions when the observer is to act).
    policy float32 [N, 70]: root visits summed over worlds, normalised (0 off the mask).
    value float32 [N, 8]: final values (State.values, relative if the search's relative_values)
        per seat relative to the observer (0 = the observer), 0 past the table size.
    num_players uint8, observer uint8 (absolute seat), game_id int64,
    move_number int16 (actions taken in the round before this one), game_seed uint64.
    games: per-game summaries (deal, actions, scores) to replay every game.
    Forced moves (one legal action) are played without search and have no record.
    """

    features: np.ndarray
    masks: np.ndarray
    policy: np.ndarray
    value: np.ndarray
    num_players: np.ndarray
    observer: np.ndarray
    game_id: np.ndarray
    move_number: np.ndarray
    game_seed: np.ndarray
    games: GameSummaries

    def __len__(self) -> int:
        return int(self.features.shape[0])

    @classmethod
    def concatenate(cls, parts: Sequence[SelfPlayRecords]) -> SelfPlayRecords:
        """The records of ``parts`` one after the other (games with increasing ids stay
        sorted). ValueError for no parts."""
        if not parts:
            raise ValueError("no records to concatenate")
        names = [f.name for f in fields(cls) if f.name != "games"]
        game_names = [f.name for f in fields(GameSummaries)]
        return cls(
            **{name: np.concatenate([getattr(p, name) for p in parts]) for name in names},
            games=GameSummaries(
                **{
                    name: np.concatenate([getattr(p.games, name) for p in parts])
                    for name in game_names
                }
            ),
        )

    @classmethod
    def from_core(cls, records: Mapping[str, Mapping[str, np.ndarray]]) -> SelfPlayRecords:
        """From the dict that the C++ engine's ``take_records`` returns."""
        positions = records["positions"]
        names = [f.name for f in fields(cls) if f.name != "games"]
        return cls(
            **{name: positions[name] for name in names},
            games=GameSummaries(**dict(records["games"])),
        )


class SelfPlayEngine:
    """Plays self-play games with a model. See the module documentation.

    ``model``: ``fn(features, masks) -> (logits, values)`` or a C++ ``Evaluator``.
    ``config``: a ``SelfPlayConfig``, or None to build one from ``config_kwargs``.
    ``batch_timeout_s``: how long one wait for a ready batch may last before the loop checks for
    completion, progress and Ctrl-C (workers send partial batches by themselves as soon as no
    other game can add to them, so this is not a batching delay).

    Threading: one run at a time; ``generate_games_async`` runs it on a background thread.
    ``shutdown`` may be called from any thread.
    """

    def __init__(
        self,
        model: Model | Any,
        config: SelfPlayConfig | None = None,
        *,
        batch_timeout_s: float = 0.05,
        **config_kwargs: Any,
    ) -> None:
        if config is not None and config_kwargs:
            raise ValueError("give either a SelfPlayConfig or keyword settings, not both")
        if not callable(model) and not isinstance(model, _search.Evaluator):
            raise TypeError(
                "model must be callable as fn(features, masks) -> (logits, values) or a "
                f"blobzero.Evaluator, got {type(model).__name__}"
            )
        if not batch_timeout_s > 0:
            raise ValueError(f"batch_timeout_s = {batch_timeout_s} must be positive")
        self.model = model
        self.config: SelfPlayConfig = (
            config if config is not None else SelfPlayConfig(**config_kwargs)
        )
        self.batch_timeout_s = float(batch_timeout_s)
        self._core = _selfplay.SelfPlayEngine(self.config)
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._profile = LoopProfile()

    # -- runs -----------------------------------------------------------------------------------

    def generate_games(
        self,
        num_games: int,
        progress_callback: ProgressCallback | None = None,
        *,
        first_game_id: int | None = None,
    ) -> SelfPlayRecords:
        """Plays ``num_games`` games and returns their records. Blocks; see the module doc for
        errors. ``progress_callback(games_done, games_total, stats)`` is called on this thread
        whenever games finish and at least every quarter second while they run (``stats.positions``
        counts the decisions made so far), and once at the end; with a C++ Evaluator only at the
        end.
        ``first_game_id`` restarts the game ids (default: continue after the last run's)."""
        if self._closed:
            raise RuntimeError("the self-play engine was shut down")
        if isinstance(num_games, bool) or not isinstance(num_games, (int, np.integer)):
            raise TypeError(f"num_games must be an int, got {type(num_games).__name__}")
        if num_games < 0:
            raise ValueError(f"num_games = {num_games} is negative")
        raw: Mapping[str, Mapping[str, np.ndarray]]
        if isinstance(self.model, _search.Evaluator):
            start = time.perf_counter()
            raw = self._core.generate_with(self.model, int(num_games), first_game_id)
            stats = self._core.stats
            self._profile = LoopProfile(
                total_s=time.perf_counter() - start,
                batches=int(stats.batches),
                rows=int(stats.evaluations),
            )
            if progress_callback is not None:
                progress_callback(int(num_games), int(num_games), self._core.stats)
        else:
            raw = self._run_python_loop(int(num_games), progress_callback, first_game_id)
        return SelfPlayRecords.from_core(raw)

    def generate_games_async(
        self,
        num_games: int,
        progress_callback: ProgressCallback | None = None,
        *,
        first_game_id: int | None = None,
    ) -> concurrent.futures.Future[SelfPlayRecords]:
        """``generate_games`` on a background thread; returns its Future. The callback runs on
        that thread. ``shutdown()`` cancels a run in progress (its Future then raises)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the self-play engine was shut down")
            if self._executor is None:
                self._executor = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="blobzero-selfplay"
                )
            return self._executor.submit(
                self.generate_games, num_games, progress_callback, first_game_id=first_game_id
            )

    def _run_python_loop(
        self,
        num_games: int,
        progress_callback: ProgressCallback | None,
        first_game_id: int | None,
    ) -> Mapping[str, Mapping[str, np.ndarray]]:
        core = self._core
        model = self.model
        assert callable(model) and not isinstance(model, _search.Evaluator)
        clock = LoopClock()
        core.start(num_games, first_game_id)  # raises if a run is in progress: leave that one be
        reported = -1
        last_report = clock.start

        def report() -> None:
            nonlocal reported, last_report
            if progress_callback is None:
                return
            stats = core.stats
            now = time.perf_counter()
            if stats.games_finished != reported or now - last_report >= _REPORT_EVERY_S:
                reported = stats.games_finished
                last_report = now
                progress_callback(reported, num_games, stats)

        try:
            evaluate_batches(
                core,
                [model],
                timeout_s=self.batch_timeout_s,
                clock=clock,
                on_poll=report,
                model_error=lambda message: SelfPlayError(f"self-play stopped: {message}"),
            )
            raw: Mapping[str, Mapping[str, np.ndarray]] = core.take_records()
            if progress_callback is not None and reported != num_games:
                progress_callback(num_games, num_games, core.stats)
            return raw
        except BaseException:
            core.cancel()  # stops and joins every worker thread; the engine stays usable
            raise
        finally:
            self._profile = clock.profile()

    # -- state and lifetime ---------------------------------------------------------------------

    @property
    def loop_profile(self) -> LoopProfile:
        """Where the last finished (or failed) run spent its time: waiting for batches, in the
        model, handing outputs back. See ``LoopProfile``."""
        return self._profile

    @property
    def stats(self) -> SelfPlayStats:
        """Counters of the current (or last) run: games, positions, evaluations, batches,
        mean batch size, cache hits and hit rate."""
        stats: SelfPlayStats = self._core.stats
        return stats

    def shutdown(self) -> None:
        """Cancels any run (joining its threads), stops the async thread, and frees the engine.
        Idempotent; every later run raises RuntimeError."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        self._core.shutdown()  # wakes a background run, which then fails its Future
        if executor is not None:
            executor.shutdown(wait=True)

    def __enter__(self) -> SelfPlayEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()

    def __del__(self) -> None:
        # At interpreter exit this may fail; the C++ destructor still joins the threads.
        with contextlib.suppress(Exception):
            self.shutdown()
