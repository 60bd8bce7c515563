"""The Python side of the engines' batch protocol, shared by self-play and the arena.

The C++ engines (``blobzero._core.selfplay.SelfPlayEngine`` and ``ArenaEngine``) pack the leaves
their searches want evaluated into batches, each for one model. ``evaluate_batches`` pulls ready
batches (waiting with the GIL released), calls the batch's model once on the whole batch and hands
the outputs back, until the run is done. A model is any callable ``fn(features, masks) ->
(logits, values)`` on uint8 arrays [B, 61, 8] and [B, 70] returning float arrays [B, 70] and
[B, 8].
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Model = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

__all__ = ["LoopClock", "LoopProfile", "Model", "evaluate_batches"]


@dataclass(frozen=True)
class LoopProfile:
    """Where the evaluation loop of one run spent its wall time, in seconds.

    ``wait_s``: in ``next_batch`` (GIL released), waiting for the workers to pack a batch;
    ``model_s``: inside ``model(features, masks)``; ``submit_s``: checking the output and handing
    it back; ``other_s``: the rest (progress callbacks, stats, loop overhead, taking the records).
    ``batches`` and ``rows`` count what the model was called on. For a run with a C++
    ``Evaluator`` only ``total_s``, ``batches`` and ``rows`` are known (the rest read 0).
    """

    total_s: float = 0.0
    wait_s: float = 0.0
    model_s: float = 0.0
    submit_s: float = 0.0
    batches: int = 0
    rows: int = 0

    @property
    def other_s(self) -> float:
        return max(0.0, self.total_s - self.wait_s - self.model_s - self.submit_s)

    @property
    def model_rows_per_s(self) -> float:
        """Rows per second of model time: the model's own speed inside the run."""
        return self.rows / self.model_s if self.model_s > 0 else 0.0

    def shares(self) -> dict[str, float]:
        """``{"model", "wait", "submit", "other"}``: fractions of ``total_s``."""
        total = self.total_s if self.total_s > 0 else 1.0
        return {
            "model": self.model_s / total,
            "wait": self.wait_s / total,
            "submit": self.submit_s / total,
            "other": self.other_s / total,
        }


class LoopClock:
    """Accumulates a run's ``LoopProfile`` while ``evaluate_batches`` runs (also when it raises)."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.wait_s = self.model_s = self.submit_s = 0.0
        self.batches = self.rows = 0

    def profile(self) -> LoopProfile:
        """The profile from the clock's creation until now."""
        return LoopProfile(
            total_s=time.perf_counter() - self.start,
            wait_s=self.wait_s,
            model_s=self.model_s,
            submit_s=self.submit_s,
            batches=self.batches,
            rows=self.rows,
        )


def _check_model_output(output: object) -> tuple[object, object]:
    if not isinstance(output, (tuple, list)) or len(output) != 2:
        length = f" of length {len(output)}" if isinstance(output, (tuple, list)) else ""
        raise ValueError(
            f"the model must return a pair (logits, values), got {type(output).__name__}{length}"
        )
    return output[0], output[1]


def evaluate_batches(
    core: Any,
    models: Sequence[Model],
    *,
    timeout_s: float,
    clock: LoopClock,
    on_poll: Callable[[], None] | None = None,
    model_error: Callable[[str], Exception] = RuntimeError,
) -> None:
    """Evaluates the batches of the run in progress on ``core`` until ``core.done()``: each
    batch by ``models[batch.model]``. ``on_poll()`` runs on this thread after every batch and
    every wait of ``timeout_s`` without one (progress reports; Ctrl-C is noticed while waiting).
    A model's exception is raised as ``model_error(message)`` from it; a model output with the
    wrong type, dtype, shape or a non-finite number as ValueError naming it. Never cancels the
    run: the caller cancels on any exception."""
    while True:
        t0 = time.perf_counter()
        batch = core.next_batch(timeout_s)
        t1 = time.perf_counter()
        clock.wait_s += t1 - t0
        if batch is not None:
            try:
                output = models[batch.model](batch.features, batch.masks)
            except Exception as exc:
                raise model_error(f"the model raised {type(exc).__name__}: {exc}") from exc
            t2 = time.perf_counter()
            logits, values = _check_model_output(output)
            core.submit(batch, logits, values)
            clock.submit_s += time.perf_counter() - t2
            clock.model_s += t2 - t1
            clock.batches += 1
            clock.rows += len(batch)
        elif core.done():
            return
        if on_poll is not None:
            on_poll()
