"""RunLog: metrics.jsonl, TensorBoard events, resume truncation, W&B when absent."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from blobzero.training.run_log import METRICS_FILE, TENSORBOARD_DIR, RunLog


def rows(run_dir: Path) -> list[dict[str, float]]:
    return [json.loads(line) for line in (run_dir / METRICS_FILE).read_text().splitlines()]


def test_iterations_go_to_metrics_and_tensorboard(tmp_path: Path) -> None:
    with RunLog(tmp_path) as log:
        log.iteration(1, {"training/policy_loss": 1.5, "arena/elo": 1000})
        log.step(10, {"loss": 2.0, "not_finite": float("nan")})
        log.iteration(2, {"training/policy_loss": 1.25})
    assert rows(tmp_path) == [
        {"iteration": 1, "training/policy_loss": 1.5, "arena/elo": 1000.0},
        {"iteration": 2, "training/policy_loss": 1.25},
    ]
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(tmp_path / TENSORBOARD_DIR))
    events.Reload()
    assert {"training/policy_loss", "arena/elo", "step/loss"} <= set(events.Tags()["scalars"])
    assert "step/not_finite" not in events.Tags()["scalars"]
    assert [e.value for e in events.Scalars("training/policy_loss")] == [1.5, 1.25]


def test_resume_drops_the_iterations_after_the_checkpoint(tmp_path: Path) -> None:
    with RunLog(tmp_path, tensorboard=False) as log:
        for iteration in (1, 2, 3):
            log.iteration(iteration, {"x": iteration})
    with (tmp_path / METRICS_FILE).open("a") as file:
        file.write('{"iteration": 4, "x"')  # a line cut short by a crash
    with RunLog(tmp_path, tensorboard=False, resume_iteration=2) as log:
        log.iteration(3, {"x": 30})
    assert [(r["iteration"], r["x"]) for r in rows(tmp_path)] == [(1, 1), (2, 2), (3, 30)]


@pytest.mark.skipif(importlib.util.find_spec("wandb") is not None, reason="wandb is installed")
def test_wandb_without_the_package_warns_and_goes_on(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="wandb package is not installed"):
        log = RunLog(tmp_path, tensorboard=False, wandb=True)
    log.iteration(1, {"x": 1})
    log.close()
    assert rows(tmp_path) == [{"iteration": 1, "x": 1.0}]
