"""Where a training run's numbers go: ``metrics.jsonl``, TensorBoard, Weights & Biases.

``metrics.jsonl`` in the run directory has one JSON object per finished iteration (the summary
that ``TrainingPipeline`` prints, every value a number); ``benchmarks/plot_training.py`` draws the
loss and Elo curves from it. TensorBoard event files go to ``<run_dir>/tensorboard`` with the
same scalars by iteration, plus training losses every ``log_every_steps`` optimizer steps.
Weights & Biases (``logging.wandb``) logs the same scalars in offline mode when the ``wandb``
package is installed; without it a warning says so and the run goes on.

Resuming at iteration ``k`` drops the lines of iterations after ``k`` from ``metrics.jsonl``, so
the file always matches the checkpoint the run continues from.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from blobzero.atomic_file import write_atomically

METRICS_FILE = "metrics.jsonl"
TENSORBOARD_DIR = "tensorboard"


class RunLog:
    """Writes per-iteration and per-step scalars. Call ``close()`` (or use ``with``) at the end."""

    def __init__(
        self,
        run_dir: str | Path,
        *,
        tensorboard: bool = True,
        wandb: bool = False,
        wandb_project: str = "blobzero",
        config: Mapping[str, Any] | None = None,
        resume_iteration: int | None = None,
    ) -> None:
        self.run_dir = Path(run_dir)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.metrics_path = self.run_dir / METRICS_FILE
        self._truncate_metrics(resume_iteration if resume_iteration is not None else 0)
        self._writer: Any = None
        if tensorboard:
            from torch.utils.tensorboard import SummaryWriter

            self._writer = SummaryWriter(log_dir=str(self.run_dir / TENSORBOARD_DIR))
        self._wandb: Any = None
        if wandb:
            if importlib.util.find_spec("wandb") is None:
                warnings.warn(
                    "logging.wandb is on but the wandb package is not installed; "
                    "logging to TensorBoard and metrics.jsonl only",
                    stacklevel=2,
                )
            else:
                import wandb as wandb_module

                self._wandb = wandb_module.init(
                    project=wandb_project,
                    dir=str(self.run_dir),
                    mode="offline",
                    config=dict(config or {}),
                    resume="allow",
                    id=self.run_dir.resolve().name,
                )

    def _truncate_metrics(self, keep_through: int) -> None:
        """Keeps the lines of iterations <= keep_through (all of them on a fresh run: none)."""
        if not self.metrics_path.exists():
            return
        kept = []
        for line in self.metrics_path.read_text().splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a crash
            if isinstance(row, dict) and row.get("iteration", math.inf) <= keep_through:
                kept.append(line)
        text = "".join(line + "\n" for line in kept)
        write_atomically(self.metrics_path, lambda file: file.write(text.encode()))

    def iteration(self, iteration: int, scalars: Mapping[str, float]) -> None:
        """Records the summary of a finished iteration."""
        row = {"iteration": iteration, **{k: float(v) for k, v in scalars.items()}}
        with self.metrics_path.open("a") as file:
            file.write(json.dumps(row) + "\n")
            file.flush()
            os.fsync(file.fileno())
        self._scalars("iteration", iteration, scalars)

    def step(self, step: int, scalars: Mapping[str, float]) -> None:
        """Records training scalars at optimizer step ``step`` (TensorBoard and W&B only)."""
        self._scalars("step", step, {f"step/{k}": v for k, v in scalars.items()})

    def _scalars(self, axis: str, x: int, scalars: Mapping[str, float]) -> None:
        finite = {k: float(v) for k, v in scalars.items() if math.isfinite(float(v))}
        if self._writer is not None:
            for name, value in finite.items():
                self._writer.add_scalar(name, value, x)
            self._writer.flush()
        if self._wandb is not None:
            self._wandb.log({**finite, axis: x})  # W&B's own step only ever increases

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._wandb is not None:
            self._wandb.finish()
            self._wandb = None

    def __enter__(self) -> RunLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
