"""The training pipeline and blobzero-train, end to end on configs/tiny.toml."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from blobzero.cli import train as cli
from blobzero.config import load_config
from blobzero.nn.checkpoint import load_checkpoint, load_play_settings, save_checkpoint
from blobzero.training.pipeline import TrainingPipeline, checkpoint_path, latest_checkpoint
from blobzero.training.progress import PhaseProgress
from blobzero.training.run_lock import RunDirectoryBusy

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "configs" / "tiny.toml"


def tiny_config(run_dir: Path, *overrides: str):  # type: ignore[no-untyped-def]
    return load_config(TINY, [f"run_dir={json.dumps(str(run_dir))}", *overrides])


def quiet() -> PhaseProgress:
    return PhaseProgress(enabled=False)


def metrics_rows(run_dir: Path) -> list[dict[str, float]]:
    return [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]


def blobzero_train() -> list[str]:
    script = shutil.which("blobzero-train")
    return [script] if script else [sys.executable, "-m", "blobzero.cli.train"]


def test_blobzero_train_runs_writes_and_resumes(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    base = [*blobzero_train(), "--config", str(TINY), "--set", f"run_dir={run_dir}"]
    first = subprocess.run(base, capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr + first.stdout
    assert "iter   1" in first.stdout and "iter   2" in first.stdout
    for iteration in (0, 1, 2):
        assert checkpoint_path(run_dir, iteration).is_file()
    assert list((run_dir / "tensorboard").glob("events.out.tfevents.*"))
    assert [row["iteration"] for row in metrics_rows(run_dir)] == [1, 2]

    again = subprocess.run(
        [*base, "--resume", "auto", "--iterations", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr + again.stdout
    assert "resumed from" in again.stdout and "iter   3" in again.stdout
    assert latest_checkpoint(run_dir) == checkpoint_path(run_dir, 3)
    assert [row["iteration"] for row in metrics_rows(run_dir)] == [1, 2, 3]
    payload = load_checkpoint(checkpoint_path(run_dir, 3))
    assert payload["iteration"] == 3
    assert (run_dir / "checkpoints" / payload["replay_file"]).is_file()


def test_resume_continues_exactly(tmp_path: Path) -> None:
    straight = TrainingPipeline(tiny_config(tmp_path / "a"), progress=quiet())
    straight.run(2)

    interrupted = TrainingPipeline(tiny_config(tmp_path / "b"), progress=quiet())
    interrupted.run(1)
    resumed = TrainingPipeline(tiny_config(tmp_path / "b"), resume="auto", progress=quiet())
    assert resumed.iteration == 1
    resumed.run(2)

    for name, tensor in straight.net.state_dict().items():
        assert torch.equal(tensor, resumed.net.state_dict()[name]), name
    assert len(straight.buffer) == len(resumed.buffer)
    timings = ("seconds/", "selfplay/rounds_per_min", "selfplay/evals_per_s")
    for a, b in zip(metrics_rows(tmp_path / "a"), metrics_rows(tmp_path / "b"), strict=True):
        assert {k: v for k, v in a.items() if not k.startswith(timings)} == {
            k: v for k, v in b.items() if not k.startswith(timings)
        }


def test_a_world_critic_network_trains_plays_its_arenas_and_resumes(tmp_path: Path) -> None:
    overrides = (
        "network.features='observation+world'",
        "selfplay.rollout_weight=0.5",
        "evaluation.rollout_weight=0.25",
        "evaluation.c_puct=0.75",
    )
    pipeline = TrainingPipeline(tiny_config(tmp_path, *overrides), progress=quiet())
    pipeline.run(1)
    assert pipeline.net.config.features == "observation+world"
    # The arena's search is how the checkpoints say their networks play.
    arena_search = pipeline._network_factory(pipeline.net, "x").config
    assert (arena_search.rollout_weight, arena_search.c_puct) == (0.25, 0.75)
    play = load_play_settings(checkpoint_path(tmp_path, 1))
    assert (play.rollout_weight, play.c_puct) == (0.25, 0.75)
    rows = metrics_rows(tmp_path)
    assert {"arena/vs_best_margin", "arena/vs_random_margin"} <= set(rows[0])
    holders = pipeline.buffer.sample_batch(64).features[:, :52, 7] >> 1
    assert holders.max() >= 1  # the holder features of the true deal are recorded
    resumed = TrainingPipeline(tiny_config(tmp_path, *overrides), resume="auto", progress=quiet())
    resumed.run(2)
    assert [row["iteration"] for row in metrics_rows(tmp_path)] == [1, 2]


def test_a_tricks_head_network_reports_its_tricks_losses(tmp_path: Path) -> None:
    pipeline = TrainingPipeline(tiny_config(tmp_path, "network.tricks_head=true"), progress=quiet())
    summaries = [pipeline.run_iteration() for _ in range(2)]
    assert pipeline.net.config.tricks_head
    row = metrics_rows(tmp_path)[-1]
    assert row["held_out/tricks_loss"] > 0 and row["training/tricks_loss"] > 0
    assert "tricks" in summaries[-1].line()


def test_fresh_run_refuses_a_run_directory_with_checkpoints(tmp_path: Path) -> None:
    TrainingPipeline(tiny_config(tmp_path), progress=quiet()).run(1)
    with pytest.raises(ValueError, match="already has checkpoints"):
        TrainingPipeline(tiny_config(tmp_path), progress=quiet())
    with pytest.raises(ValueError, match="does not exist"):
        TrainingPipeline(tiny_config(tmp_path), resume=tmp_path / "nope.pt", progress=quiet())


def test_one_run_at_a_time_holds_the_run_directory(tmp_path: Path) -> None:
    first = TrainingPipeline(tiny_config(tmp_path), progress=quiet())
    with pytest.raises(RunDirectoryBusy, match=rf"in use by process {os.getpid()} on "):
        TrainingPipeline(tiny_config(tmp_path), resume="auto", progress=quiet())
    first.run(1)  # the lock goes with the end of the run
    second = TrainingPipeline(tiny_config(tmp_path), resume="auto", progress=quiet())
    assert second.iteration == 1
    second.run(2)
    assert [row["iteration"] for row in metrics_rows(tmp_path)] == [1, 2]


def test_a_second_blobzero_train_on_a_busy_run_directory_stops_with_a_message(
    tmp_path: Path,
) -> None:
    holder = TrainingPipeline(tiny_config(tmp_path), progress=quiet())
    base = [*blobzero_train(), "--config", str(TINY), "--set", f"run_dir={tmp_path}"]
    second = subprocess.run(
        [*base, "--resume", "auto"], capture_output=True, text=True, timeout=300
    )
    assert second.returncode != 0
    assert "is in use by process" in second.stderr + second.stdout
    assert "Traceback" not in second.stderr
    holder.run(1)
    assert [row["iteration"] for row in metrics_rows(tmp_path)] == [1]


def test_resume_takes_a_run_directory_and_says_when_there_is_nothing_to_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = TrainingPipeline(tiny_config(tmp_path), resume="auto", progress=PhaseProgress(True))
    assert "no checkpoint in" in capsys.readouterr().out
    fresh.run(2)
    resumed = TrainingPipeline(tiny_config(tmp_path), resume=tmp_path, progress=quiet())
    assert resumed.iteration == 2
    resumed.run(2)
    with pytest.raises(ValueError, match="has no checkpoint to resume"):
        TrainingPipeline(
            tiny_config(tmp_path / "other"), resume=tmp_path / "other", progress=quiet()
        )


def test_resuming_an_older_checkpoint_refuses_to_overwrite_newer_ones(tmp_path: Path) -> None:
    TrainingPipeline(tiny_config(tmp_path), progress=quiet()).run(2)
    with pytest.raises(ValueError, match=r"newer checkpoints \(iteration_0002\.pt\)"):
        TrainingPipeline(
            tiny_config(tmp_path), resume=checkpoint_path(tmp_path, 1), progress=quiet()
        )
    assert load_checkpoint(checkpoint_path(tmp_path, 2))["iteration"] == 2


def test_a_damaged_newest_checkpoint_names_the_newest_intact_one(tmp_path: Path) -> None:
    TrainingPipeline(tiny_config(tmp_path), progress=quiet()).run(2)
    newest = checkpoint_path(tmp_path, 2)
    data = bytearray(newest.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 256] = bytes(256)
    newest.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="damaged") as error:
        TrainingPipeline(tiny_config(tmp_path), resume="auto", progress=quiet())
    assert "iteration_0002.pt" in str(error.value)
    assert f"newest intact checkpoint is {str(checkpoint_path(tmp_path, 1))!r}" in str(error.value)


def test_a_checkpoints_replay_file_must_lie_beside_it(tmp_path: Path) -> None:
    TrainingPipeline(tiny_config(tmp_path), progress=quiet()).run(1)
    path = checkpoint_path(tmp_path, 1)
    payload = load_checkpoint(path)
    for outside in ("../replay_0001.npz", "/etc/passwd", "sub/replay_0001.npz"):
        save_checkpoint(path, {**payload, "replay_file": outside})
        with pytest.raises(ValueError, match="not a buffer file of its own directory"):
            TrainingPipeline(tiny_config(tmp_path), resume="auto", progress=quiet())


def test_the_replay_capacity_may_grow_on_resume(tmp_path: Path) -> None:
    first = TrainingPipeline(tiny_config(tmp_path, "replay.capacity=64"), progress=quiet())
    first.run(1)
    held = len(first.buffer)
    grown = TrainingPipeline(
        tiny_config(tmp_path, "replay.capacity=5000"), resume="auto", progress=quiet()
    )
    assert grown.buffer.capacity == 5000 and len(grown.buffer) == held
    grown.run(2)
    assert len(grown.buffer) > held


def test_resume_refuses_a_different_network(tmp_path: Path) -> None:
    TrainingPipeline(tiny_config(tmp_path), progress=quiet()).run(1)
    with pytest.raises(ValueError, match="network"):
        TrainingPipeline(
            tiny_config(tmp_path, 'network.size="small"'), resume="auto", progress=quiet()
        )


def test_interrupt_keeps_the_last_checkpoint_and_resume_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from blobzero.training import pipeline

    real = pipeline.TrainingPipeline._train
    calls = {"n": 0}

    def interrupt_second(self: TrainingPipeline) -> dict[str, float]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(self)

    monkeypatch.setattr(pipeline.TrainingPipeline, "_train", interrupt_second)
    args = ["--config", str(TINY), "--set", f"run_dir={tmp_path}"]
    assert cli.main(args) == 130
    assert "--resume auto" in capsys.readouterr().out
    assert latest_checkpoint(tmp_path) == checkpoint_path(tmp_path, 1)
    monkeypatch.setattr(pipeline.TrainingPipeline, "_train", real)
    assert cli.main([*args, "--resume", "auto"]) == 0
    assert latest_checkpoint(tmp_path) == checkpoint_path(tmp_path, 2)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--config", "missing.toml"], "missing.toml"),
        (["--config", str(TINY), "--set", "training.batch_sise=3"], "batch_sise"),
        (["--config", str(TINY), "--set", "training.batch_size=x"], "training.batch_size"),
        (["--config", str(TINY), "--device", "tpu"], "hardware.device"),
        (["--config", "nonesuch"], "neither a config file nor a shipped config (cpu_1h, default"),
    ],
)
def test_cli_rejects_bad_arguments(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_shipped_configs_are_found_by_name_outside_a_clone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from blobzero.config import config_to_toml, resolve_config_path, shipped_configs

    names = set(shipped_configs())
    assert {"default", "tiny", "cpu_1h", "gpu", "strength"} <= names
    for name in names:
        shipped = resolve_config_path(name)
        assert shipped.read_text() == (REPO / "configs" / f"{name}.toml").read_text()
        assert resolve_config_path(f"{name}.toml") == shipped
    monkeypatch.chdir(tmp_path)  # no configs/ directory here
    assert cli.main(["--config", "tiny", "--device", "cuda:1", "--print-config"]) == 0
    printed = capsys.readouterr().out
    expected = load_config(TINY, ["hardware.device='cuda:1'"])
    assert printed == config_to_toml(expected)


def test_the_effective_config_is_printed_and_saved_in_the_run_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--config", str(TINY), "--set", f"run_dir={tmp_path}", "--set", "seed=7"]
    assert cli.main([*args, "--iterations", "1"]) == 0
    out = capsys.readouterr().out
    saved = load_config(tmp_path / "config.toml")
    assert saved == load_config(
        TINY, [f"run_dir={json.dumps(str(tmp_path))}", "seed=7", "iterations=1"]
    )
    assert "[selfplay]" in out and "config saved as config.toml" in out


@pytest.mark.parametrize(
    "module", ["blobzero.cli.train", "blobzero.cli.arena", "blobzero.cli.demo"]
)
def test_every_command_has_a_version(module: str, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib

    import blobzero

    try:
        code = importlib.import_module(module).main(["--version"])
    except SystemExit as exit_:
        code = exit_.code
    assert code == 0
    assert capsys.readouterr().out.strip().endswith(blobzero.__version__)


def test_demo_refuses_a_negative_seed(capsys: pytest.CaptureFixture[str]) -> None:
    from blobzero.cli import demo

    with pytest.raises(SystemExit) as exit_info:
        demo.main(["--seed", "-1"])
    assert exit_info.value.code == 2
    assert "seed must be in [0, 2**64)" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["under a file", "with a NUL"])
def test_a_run_directory_that_cannot_be_made_is_named(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("x")
    run_dir = tmp_path / "file" / "run" if where == "under a file" else f"{tmp_path}/a\0b"
    argv = ["--config", str(TINY), "--set", f"run_dir={json.dumps(str(run_dir))}"]
    assert cli.main(argv) == 2
    out = capsys.readouterr()
    assert "cannot be used" in out.out + out.err
    assert "Traceback" not in out.out + out.err


def test_a_full_disk_stops_with_a_message_and_keeps_the_last_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    from blobzero.nn import checkpoint

    real_save = checkpoint.torch.save
    saves = {"n": 0}

    def full_after_two(data: object, file: object) -> None:
        saves["n"] += 1
        if saves["n"] > 2:  # iteration 0 and 1 fit, iteration 2 does not
            raise OSError(errno.ENOSPC, "No space left on device")
        real_save(data, file)  # type: ignore[arg-type]

    monkeypatch.setattr(checkpoint.torch, "save", full_after_two)
    argv = ["--config", str(TINY), "--set", f"run_dir={json.dumps(str(tmp_path))}"]
    assert cli.main(argv) == 1
    out = capsys.readouterr().out
    assert "No space left on device" in out and "iteration_0001.pt" in out
    assert latest_checkpoint(tmp_path) == checkpoint_path(tmp_path, 1)
    assert load_checkpoint(checkpoint_path(tmp_path, 1))["iteration"] == 1
    files = {p.name for p in (tmp_path / "checkpoints").iterdir()}
    assert files - {"replay_0002.npz"} == {
        "iteration_0000.pt",
        "iteration_0001.pt",
        "replay_0001.npz",
    }


def test_the_plot_script_without_matplotlib_says_what_to_install(tmp_path: Path) -> None:
    script = (
        "import runpy, sys; sys.modules['matplotlib'] = None; "
        f"sys.argv = ['plot_training.py', {str(tmp_path)!r}]; "
        f"runpy.run_path({str(REPO / 'benchmarks' / 'plot_training.py')!r}, run_name='__main__')"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode != 0
    assert "needs matplotlib" in done.stderr and "Traceback" not in done.stderr


def test_summary_lines_fit_100_columns() -> None:
    from blobzero.training.pipeline import IterationSummary

    arena: dict[str, float] = {
        "vs_best_margin": -0.391,
        "vs_best_ci95": 0.672,
        "vs_best_win_rate": 0.455,
        "elo": 1234.5,
    }
    for name in ("heuristic", "ismcts:1000", "pimc-rollout:10x100"):
        arena[f"vs_{name}_margin"] = 1.313
        arena[f"vs_{name}_ci95"] = 0.771
    summary = IterationSummary(
        iteration=123,
        selfplay={"games": 10000, "rounds_per_min": 12345.6, "evals_per_s": 123456.7},
        buffer={"size": 1234567},
        held_out={
            "policy_loss": 2.297,
            "uniform_policy_loss": 2.665,
            "value_loss": 0.431,
            "zero_value_loss": 0.544,
        },
        training={"policy_loss": 2.3, "value_loss": 0.4, "policy_top1": 0.3, "lr": 2e-3},
        arena=arena,
        seconds={"total": 1234.0},
        promoted=True,
    )
    lines = summary.line().splitlines()
    assert len(lines) > 1 and all(len(line) <= 100 for line in lines)
    assert lines[0].startswith("iter 123") and all(line.startswith("  ") for line in lines[1:])
    text = " ".join(lines)
    for piece in ("10000 games", "value 0.431 (zero 0.544)", "vs ismcts:1000 +1.31±0.77"):
        assert piece in text


def test_a_finished_run_reports_its_best_network_and_last_arena(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--config", str(TINY), "--set", f"run_dir={json.dumps(str(tmp_path))}"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "done: 2 iterations (2 in this run, 12 self-play games, wall time 0:0" in out
    assert "best network: gen" in out and "iteration_0002.pt" in out
    assert "last arena (iteration 2): best " in out and "random " in out


def test_the_run_eta_counts_the_iterations_of_this_run() -> None:
    from blobzero.training.progress import eta_text

    assert eta_text(3, 10, 3, 50.0, 0.0) == ""  # nothing done in this run yet
    text = eta_text(5, 10, 3, 100.0, 0.0)  # 50 s an iteration, 5 to go
    assert text.endswith("(0:04:10 left)") and text.startswith("ETA ")
    assert eta_text(10, 10, 3, 100.0, 0.0) == ""


def test_progress_shows_the_run_bar_above_the_phase_bars() -> None:
    import io

    from rich.console import Console

    out = io.StringIO()
    progress = PhaseProgress(console=Console(file=out, force_terminal=True, width=120))
    with progress.run(10, 2) as advance_run:
        with progress.phase("self-play", 100, unit="moves") as advance:
            advance(40, "3/10 games")
            progress.console.print("a summary line")
        advance_run(3)
    text = out.getvalue()
    assert text.index("run ") < text.index("self-play") < text.index("a summary line")
    assert " 2/10" in text and "0/100" in text and "moves" in text
    assert "ETA " in text and " 3/10" in text  # the run bar after its iteration


def test_demo_plays_a_whole_seeded_match(capsys: pytest.CaptureFixture[str]) -> None:
    from blobzero.cli import demo

    assert demo.main(["--players", "4", "--seed", "3", "--verbose"]) == 0
    first = capsys.readouterr().out
    assert demo.main(["--players", "4", "--seed", "3", "--verbose"]) == 0
    assert capsys.readouterr().out == first  # a seed fixes the match
    match = demo.play_match("blob", 4, 3, verbose=False, out=io.StringIO())
    assert match.is_over() and f"--- round {match.num_rounds}/{match.num_rounds}" in first
    assert f"winners: {match.winners()} with {max(match.totals)} points" in first
    assert first.count("  player ") == sum(4 * (n + 1) for n in match.cards_per_round)


def test_a_ray_run_without_ray_stops_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    from blobzero.config import ConfigError

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "ray" else find_spec(name, *a)
    )
    config = tiny_config(tmp_path / "run", "cluster.backend=ray")
    with pytest.raises(ConfigError, match=r'cluster.backend: "ray" needs Ray: pip install'):
        TrainingPipeline(config, progress=quiet())
    assert not (tmp_path / "run" / "checkpoints").exists()
