"""TrainingPipeline: self-play -> replay buffer -> training -> arena -> checkpoint, iteration after
iteration, resumable.

One iteration ``i`` (counted from 1; generation 0 is the initial network):

1. Self-play: ``selfplay.games_per_iteration`` games with the latest network (the search budget
   of iteration ``i`` from the curriculum), seeded with ``derive_seed(seed, i)``; in the first
   ``selfplay.teacher_iterations`` iterations SO-ISMCTS plays them instead (``teacher_games``).
2. The current network's losses on these records, which it has not trained on, are measured
   (``held_out/*``, beside the losses of a uniform policy and of predicting 0), and the records
   go into the replay buffer.
3. Training: ``training.steps_per_iteration`` optimizer steps once the buffer holds
   ``replay.min_size`` positions.
4. Arena (every ``evaluation.arena_every`` iterations): the new network against the best one so
   far over duplicate deals. Its win rate updates the Elo ratings of both; at or above
   ``evaluation.promotion_threshold`` the new network becomes the best. It also plays each of
   ``evaluation.opponents`` (fixed bots) to give an absolute measure.
5. Checkpoint ``checkpoints/iteration_<i>.pt`` (model, best model, optimizer, scheduler, scaler,
   Elo, RNG states, config) and, with ``checkpoint.save_buffer``, the buffer
   ``checkpoints/replay_<i>.npz``; both written atomically, buffer first, so a checkpoint never
   names a buffer that is not complete on disk. Only the newest buffer is kept.
6. Logging: a summary line, ``metrics.jsonl``, TensorBoard, optionally W&B.

The effective config is written to ``config.toml`` in the run directory at every start.

Resume (``resume="auto"``, a checkpoint path, or a run directory for its newest checkpoint)
restores everything a later iteration depends on, so a resumed run continues exactly as the
uninterrupted one would have (on the same device and thread settings). Interrupting the run loses
at most the iteration in progress. A run holds an exclusive lock on its run directory
(``run_lock``) from construction to the end of ``run``, so a second run there stops with a message
naming the first.
"""

from __future__ import annotations

import importlib.util
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from blobzero.atomic_file import write_atomically
from blobzero.config import (
    Config,
    ConfigError,
    config_from_dict,
    config_to_dict,
    config_to_toml,
)
from blobzero.evaluation.arena import (
    Agent,
    BotFactory,
    MatchResult,
    NetworkAgentFactory,
    play_match,
    seat_assignments,
)
from blobzero.evaluation.elo import EloTracker, should_promote
from blobzero.nn.checkpoint import (
    CHECKPOINT_FORMAT,
    PlaySettings,
    load_checkpoint,
    net_config_to_dict,
    save_checkpoint,
)
from blobzero.nn.inference import InferenceModel
from blobzero.nn.network import BlobNet
from blobzero.selfplay.engine import SelfPlayEngine, SelfPlayRecords, derive_seed
from blobzero.training.losses import evaluate_positions
from blobzero.training.progress import PhaseProgress
from blobzero.training.replay import ReplayBuffer, tricks_targets
from blobzero.training.run_lock import RunDirectoryLock
from blobzero.training.run_log import RunLog
from blobzero.training.runtime import resolve_device, torch_threads_for
from blobzero.training.runtime import selfplay_config as selfplay_config_for
from blobzero.training.trainer import NetworkTrainer, capture_rng_state, restore_rng_state

__all__ = [
    "IterationSummary",
    "TrainingPipeline",
    "checkpoint_path",
    "generation_name",
    "latest_checkpoint",
]

CHECKPOINT_DIR = "checkpoints"
_PIPELINE_KEYS = (
    "iteration",
    "model",
    "best_model",
    "best_name",
    "trainer",
    "config",
    "elo",
    "rng",
)
_CHECKPOINT_NAME = re.compile(r"iteration_(\d+)\.pt$")
_REPLAY_NAME = re.compile(r"replay_\d+\.npz")
CONFIG_FILE = "config.toml"  # the effective config of the run's latest start
# Streams of the run seed: self-play of iteration i uses stream i; the rest live far above.
_INIT_STREAM = 1 << 40
_REPLAY_STREAM = (1 << 40) + 1
_ARENA_STREAM = 1 << 41


def checkpoint_path(run_dir: str | Path, iteration: int) -> Path:
    return Path(run_dir) / CHECKPOINT_DIR / f"iteration_{iteration:04d}.pt"


def _checkpoints(directory: Path) -> list[tuple[int, Path]]:
    """(iteration, path) of every checkpoint file in ``directory``."""
    if not directory.is_dir():
        return []
    return [
        (int(match.group(1)), path)
        for path in directory.iterdir()
        if (match := _CHECKPOINT_NAME.fullmatch(path.name))
    ]


def _checkpoint_number(path: Path) -> int:
    match = _CHECKPOINT_NAME.fullmatch(path.name)
    return int(match.group(1)) if match else -1


def latest_checkpoint(run_dir: str | Path) -> Path | None:
    """The checkpoint of the highest iteration in ``run_dir``, or None."""
    found = _checkpoints(Path(run_dir) / CHECKPOINT_DIR)
    return max(found)[1] if found else None


def generation_name(iteration: int) -> str:
    return f"gen{iteration}"


@dataclass
class IterationSummary:
    """What one iteration did; ``scalars()`` is the row of metrics.jsonl."""

    iteration: int
    selfplay: dict[str, float] = field(default_factory=dict)
    buffer: dict[str, float] = field(default_factory=dict)
    training: dict[str, float] = field(default_factory=dict)
    held_out: dict[str, float] = field(default_factory=dict)
    arena: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    promoted: bool = False

    def scalars(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for group in ("selfplay", "buffer", "training", "held_out", "arena", "seconds"):
            for key, value in getattr(self, group).items():
                out[f"{group}/{key}"] = float(value)
        out["arena/promoted"] = float(self.promoted)
        return out

    def line(self) -> str:
        """One human-readable line."""
        parts = [f"iter {self.iteration:>3}"]
        sp = self.selfplay
        parts.append(
            f"self-play {int(sp['games'])} games {sp['rounds_per_min']:.0f} rounds/min "
            f"{sp['evals_per_s']:.0f} evals/s"
        )
        parts.append(f"buffer {int(self.buffer['size'])}")
        held = self.held_out
        if held:
            parts.append(
                f"new data: policy {held['policy_loss']:.3f} "
                f"(uniform {held['uniform_policy_loss']:.3f}) "
                f"value {held['value_loss']:.3f} (zero {held['zero_value_loss']:.3f})"
                + (f" tricks {held['tricks_loss']:.3f}" if "tricks_loss" in held else "")
            )
        tr = self.training
        if tr:
            parts.append(
                f"loss policy {tr['policy_loss']:.3f} value {tr['value_loss']:.3f} "
                + (f"tricks {tr['tricks_loss']:.3f} " if "tricks_loss" in tr else "")
                + f"top1 {tr['policy_top1']:.2f} lr {tr['lr']:.2e}"
            )
        else:
            parts.append("training waits for data")
        ar = self.arena
        if "vs_best_margin" in ar:
            verdict = "promoted" if self.promoted else "kept best"
            parts.append(
                f"vs best {ar['vs_best_margin']:+.2f}±{ar['vs_best_ci95']:.2f} "
                f"win {ar['vs_best_win_rate']:.2f} ({verdict}) Elo {ar['elo']:.0f}"
            )
        for key in ar:
            if key.startswith("vs_") and key.endswith("_margin") and key != "vs_best_margin":
                name = key[3 : -len("_margin")]
                parts.append(f"vs {name} {ar[key]:+.2f}±{ar[f'vs_{name}_ci95']:.2f}")
        parts.append(f"{self.seconds['total']:.0f}s")
        return "\n".join(_wrap([" | ".join(parts)]))


_WIDTH = 100  # columns of the summary lines


def _wrap(lines: list[str]) -> list[str]:
    """Each line broken at its " | " and ", " separators into pieces of at most ``_WIDTH``
    columns, continuation pieces indented by two spaces."""
    out: list[str] = []
    for line in lines:
        current = ""
        for token in re.split(r"(?<= \| )|(?<=, )", line):
            if current and len(current) + len(token.rstrip()) > _WIDTH:
                out.append(current.rstrip(" |,"))
                current = "  "
            current += token
        out.append(current.rstrip())
    return out


class TrainingPipeline:
    """Runs the training loop of a ``Config``; see the module documentation.

    ``device`` overrides ``hardware.device``; ``resume`` is None (a fresh run, which refuses a run
    directory that already has checkpoints), ``"auto"`` (the newest checkpoint in the run
    directory, or a fresh run, said so, if there is none), a checkpoint path, or a run directory
    (its newest checkpoint). Resuming refuses a checkpoint older than others in the run directory
    (they would be overwritten) and, for a damaged newest checkpoint under ``"auto"``, names the
    newest intact one. Raises ``run_lock.RunDirectoryBusy`` while another run holds the directory.
    """

    def __init__(
        self,
        config: Config,
        *,
        device: str | None = None,
        resume: str | Path | None = None,
        progress: PhaseProgress | None = None,
    ) -> None:
        self.config = config
        self.device = device or resolve_device(config.hardware)
        if self.device.startswith("cuda") and not torch.cuda.is_available():
            raise ValueError(f"device {self.device!r} was asked for but torch sees no CUDA device")
        self.run_dir = Path(config.run_dir)
        self.progress = progress or PhaseProgress(config.logging.progress)
        self._lock = RunDirectoryLock(self.run_dir)
        self._lock.acquire()
        try:
            self._set_up(config, resume)
        except BaseException:
            self._lock.release()
            raise

    def _set_up(self, config: Config, resume: str | Path | None) -> None:
        if config.cluster.backend == "ray" and importlib.util.find_spec("ray") is None:
            raise ConfigError(
                'cluster.backend: "ray" needs Ray: pip install "blobzero[ray]" (or ".[ray]")',
                "cluster.backend",
            )
        torch.set_num_threads(torch_threads_for(config.hardware, self.device))

        torch.manual_seed(derive_seed(config.seed, _INIT_STREAM) & 0x7FFF_FFFF_FFFF_FFFF)
        self.net = BlobNet(config.network.net_config()).to(self.device)
        self.best_net = BlobNet(config.network.net_config()).to(self.device)
        self.trainer = NetworkTrainer(
            self.net,
            config.training,
            self.device,
            total_steps=max(1, config.iterations * config.training.steps_per_iteration),
        )
        replay = config.replay
        self.buffer = ReplayBuffer(
            replay.capacity,
            min_size=replay.min_size,
            augment_suits=replay.augment_suits,
            prioritized=replay.prioritized,
            priority_alpha=replay.priority_alpha,
            priority_beta=replay.priority_beta,
            seed=derive_seed(config.seed, _REPLAY_STREAM),
        )
        self.elo = EloTracker(k=config.evaluation.elo_k)
        self._cluster: Any = None  # RaySelfPlay, started by the first iteration that needs it
        self.iteration = 0
        self.best_name = generation_name(0)

        checkpoint = self._resolve_resume(resume)
        if checkpoint is None:
            self._start_fresh()
        else:
            self._restore(checkpoint, auto=str(resume) == "auto")
        write_atomically(
            self.run_dir / CONFIG_FILE, lambda file: file.write(config_to_toml(config).encode())
        )
        self.log = RunLog(
            self.run_dir,
            tensorboard=config.logging.tensorboard,
            wandb=config.logging.wandb,
            wandb_project=config.logging.wandb_project,
            config=config_to_dict(config),
            resume_iteration=self.iteration,
        )

    # -- setup ----------------------------------------------------------------------------------

    def _resolve_resume(self, resume: str | Path | None) -> Path | None:
        latest = latest_checkpoint(self.run_dir)
        if resume is None:
            if latest is not None:
                raise ValueError(
                    f"run directory {str(self.run_dir)!r} already has checkpoints "
                    f"(newest {latest.name}); resume with --resume auto or choose another run_dir"
                )
            return None
        if str(resume) == "auto":
            if latest is None:
                self.progress.print(
                    f"no checkpoint in {str(self.run_dir)!r} to resume: starting a fresh run"
                )
            return latest
        path = Path(resume)
        if path.is_dir():  # a run directory: its newest checkpoint
            newest = latest_checkpoint(path)
            if newest is None:
                raise ValueError(f"run directory {str(path)!r} has no checkpoint to resume")
            return newest
        if not path.is_file():
            raise ValueError(f"checkpoint {str(path)!r} does not exist")
        return path

    def _load_resume_checkpoint(self, path: Path, auto: bool) -> dict[str, Any]:
        """The payload of ``path``; when it is damaged and was chosen by ``--resume auto``, the
        error also names the newest intact checkpoint before it."""
        try:
            return load_checkpoint(path)
        except ValueError as error:
            if not auto:
                raise
            for older in sorted(_checkpoints(path.parent), reverse=True):
                if older[0] >= _checkpoint_number(path):
                    continue
                try:
                    load_checkpoint(older[1])
                except ValueError:
                    continue
                raise ValueError(
                    f"{error}. The newest intact checkpoint is {str(older[1])!r}: move the "
                    f"damaged file away and run --resume auto again, or --resume {older[1]}"
                ) from None
            raise

    def _start_fresh(self) -> None:
        self.best_net.load_state_dict(self.net.state_dict())
        self.elo.add_player(self.best_name, iteration=0)
        self._save_checkpoint()  # generation 0, the baseline later generations are measured by

    def _restore(self, path: Path, auto: bool) -> None:
        payload = self._load_resume_checkpoint(path, auto)
        missing = [key for key in _PIPELINE_KEYS if key not in payload]
        if payload.get("format") != CHECKPOINT_FORMAT or missing:
            raise ValueError(
                f"{path}: not a blobzero training checkpoint (missing {', '.join(missing)})"
            )
        existing = sorted(_checkpoints(self.run_dir / CHECKPOINT_DIR))
        newer = [p.name for n, p in existing if n > payload["iteration"]]
        if newer:
            raise ValueError(
                f"{path} is iteration {payload['iteration']} but {str(self.run_dir)!r} holds newer "
                f"checkpoints ({', '.join(newer)}) that resuming would overwrite: resume the "
                "newest (--resume auto), or move them or this run elsewhere"
            )
        saved = config_from_dict(payload["config"]).network.net_config()
        if saved != self.config.network.net_config():
            raise ValueError(
                f"{path}: the checkpoint's network {saved} differs from the config's "
                f"{self.config.network.net_config()}"
            )
        self.net.load_state_dict(payload["model"])
        self.best_net.load_state_dict(payload["best_model"])
        self.trainer.load_state_dict(payload["trainer"])
        self.elo = EloTracker.from_dict(payload["elo"])
        self.best_name = str(payload["best_name"])
        self.iteration = int(payload["iteration"])
        replay_file = payload.get("replay_file")
        if replay_file and not _REPLAY_NAME.fullmatch(str(replay_file)):
            raise ValueError(
                f"{path}: replay_file {replay_file!r} is not a buffer file of its own directory"
            )
        if replay_file:
            replay_path = path.parent / str(replay_file)
            if replay_path.is_file():
                self.buffer.load(replay_path)
            else:
                self.progress.print(
                    f"[yellow]warning:[/] {replay_path} is missing; resuming with an empty "
                    "replay buffer"
                )
        restore_rng_state(payload["rng"])
        self.progress.print(f"resumed from {path} (iteration {self.iteration})")

    # -- the loop -------------------------------------------------------------------------------

    def run(self, iterations: int | None = None) -> list[IterationSummary]:
        """Runs until ``iterations`` (default ``config.iterations``) iterations are done in
        total, counting those before a resume. Returns the summaries of this call's iterations."""
        target = self.config.iterations if iterations is None else iterations
        summaries = []
        self._lock.acquire()
        try:
            with self.progress.run(target, self.iteration) as advance_run:
                while self.iteration < target:
                    summary = self.run_iteration()
                    summaries.append(summary)
                    advance_run(self.iteration)
        finally:
            if self._cluster is not None:
                self._cluster.close()
                self._cluster = None
            self.log.close()
            self._lock.release()
        return summaries

    def closing_summary(self, summaries: list[IterationSummary], wall_seconds: float) -> str:
        """What a finished run reports: iterations, games and wall time of ``summaries`` (this
        process's iterations), the best network and its Elo, the newest checkpoint, and the last
        arena's margins against each opponent. Lines of at most 100 columns."""
        games = sum(int(s.selfplay.get("games", 0)) for s in summaries)
        hours, rest = divmod(int(wall_seconds), 3600)
        lines = [
            f"done: {self.iteration} iterations ({len(summaries)} in this run, {games} self-play "
            f"games, wall time {hours}:{rest // 60:02d}:{rest % 60:02d})",
            f"best network: {self.best_name}, Elo {self.elo.rating(self.best_name):.0f}; newest "
            f"checkpoint {latest_checkpoint(self.run_dir)}",
        ]
        arenas = [s for s in summaries if s.arena]
        if arenas:
            last = arenas[-1]
            margins = [
                f"{key[3 : -len('_margin')]} {value:+.2f}±{last.arena[key[:-6] + 'ci95']:.2f}"
                for key, value in last.arena.items()
                if key.startswith("vs_") and key.endswith("_margin")
            ]
            lines.append(f"last arena (iteration {last.iteration}): " + ", ".join(margins))
        return "\n".join(_wrap(lines))

    def run_iteration(self) -> IterationSummary:
        """Runs one iteration; see the module documentation."""
        start = time.perf_counter()
        iteration = self.iteration + 1
        summary = IterationSummary(iteration)

        t0 = time.perf_counter()
        records = self._self_play(iteration, summary)
        t1 = time.perf_counter()
        summary.held_out = evaluate_positions(
            self.net,
            records.features,
            records.masks,
            records.policy,
            records.value,
            records.num_players,
            self.device,
            tricks=tricks_targets(records) if self.net.config.tricks_head else None,
        )
        self.buffer.add(records)
        summary.buffer = self.buffer.stats().to_scalars()
        if self.buffer.is_ready_for_training:
            summary.training = self._train()
        t2 = time.perf_counter()
        arena_every = self.config.evaluation.arena_every
        if arena_every > 0 and iteration % arena_every == 0:
            self._arena(iteration, summary)
        t3 = time.perf_counter()

        self.iteration = iteration
        self._save_checkpoint()
        summary.seconds = {
            "selfplay": t1 - t0,
            "training": t2 - t1,
            "arena": t3 - t2,
            "total": time.perf_counter() - start,
        }
        self.log.iteration(iteration, summary.scalars())
        self.progress.print(summary.line())
        return summary

    def _self_play(self, iteration: int, summary: IterationSummary) -> SelfPlayRecords:
        if self.config.cluster.backend == "ray":
            return self._self_play_on_ray(iteration, summary)
        config = self.config
        games = config.selfplay.games_in(iteration)
        selfplay_config = selfplay_config_for(
            config.selfplay,
            iteration,
            derive_seed(config.seed, iteration),
            config.hardware,
            self.device,
            features=config.network.features,
        )
        model = InferenceModel(self.net, self.device, mode=config.network.inference_mode)
        start = time.perf_counter()
        # The bar counts decisions, so it moves long before the first of many parallel games ends.
        expected = max(1, round(games * selfplay_config.expected_moves_per_game))
        with (
            SelfPlayEngine(model, selfplay_config) as engine,
            self.progress.phase("self-play", expected, unit="moves") as advance,
        ):

            def on_progress(done: int, total: int, stats: Any) -> None:
                elapsed = max(time.perf_counter() - start, 1e-9)
                moves = expected if done == total else min(int(stats.positions), expected)
                advance(moves, f"{done}/{total} games, {60 * done / elapsed:.0f} rounds/min")

            records = engine.generate_games(games, on_progress, first_game_id=0)
            stats = engine.stats
        summary.selfplay = self._selfplay_scalars(iteration, records, stats, start)
        return records

    def _selfplay_scalars(
        self, iteration: int, records: SelfPlayRecords, stats: Any, start: float
    ) -> dict[str, float]:
        """The iteration's self-play figures; ``stats`` has evaluations, cache_hit_rate and
        mean_batch_size (the engine's or the cluster's sum)."""
        elapsed = max(time.perf_counter() - start, 1e-9)
        games = len(records.games)
        worlds, sims = self.config.selfplay.search_budget(iteration)
        teacher = self.config.selfplay.teacher_plays(iteration)
        return {
            "games": games,
            "positions": len(records),
            "rounds_per_min": 60 * games / elapsed,
            "evals_per_s": stats.evaluations / elapsed,
            "cache_hit_rate": stats.cache_hit_rate,
            "mean_batch": stats.mean_batch_size,
            "worlds": worlds,
            "simulations": sims,
            "teacher_simulations": self.config.selfplay.teacher_simulations if teacher else 0,
            "teacher_opponents": 0 if teacher else self.config.selfplay.teacher_opponents,
        }

    def _self_play_on_ray(self, iteration: int, summary: IterationSummary) -> SelfPlayRecords:
        if self._cluster is None:
            from blobzero.cluster.ray_selfplay import RaySelfPlay

            self._cluster = RaySelfPlay(self.config)
        games = self.config.selfplay.games_in(iteration)
        start = time.perf_counter()
        with self.progress.phase("self-play", games, unit="games") as advance:

            def on_progress(done: int, total: int) -> None:
                elapsed = max(time.perf_counter() - start, 1e-9)
                advance(done, f"{done}/{total} games, {60 * done / elapsed:.0f} rounds/min")

            played = self._cluster.play(iteration, self.net, games, on_progress)
        records: SelfPlayRecords = played[0]
        summary.selfplay = self._selfplay_scalars(iteration, records, played[1], start)
        summary.selfplay["actor_restarts"] = self._cluster.restarts
        return records

    def _train(self) -> dict[str, float]:
        steps = self.config.training.steps_per_iteration
        log_every = max(1, self.config.logging.log_every_steps)
        self.net.train()
        with self.progress.phase("training", steps) as advance:

            def on_step(done: int, metrics: dict[str, float]) -> None:
                advance(done, f"loss {metrics['loss']:.3f}")
                if done % log_every == 0:
                    self.log.step(self.trainer.step, metrics)

            metrics = self.trainer.train(self.buffer, steps, progress_callback=on_step)
        self.net.eval()
        return metrics

    def _arena(self, iteration: int, summary: IterationSummary) -> None:
        evaluation = self.config.evaluation
        name = generation_name(iteration)
        seed = derive_seed(self.config.seed, _ARENA_STREAM + iteration)
        current = self._network_factory(self.net, name)
        best = self._network_factory(self.best_net, self.best_name)
        result = self._match("vs best", current, best, seed)
        self.elo.add_player(name, rating=self.elo.rating(self.best_name))
        self.elo.update(
            name, self.best_name, result.win_rate, games=result.deals, iteration=iteration
        )
        promoted = should_promote(result.win_rate, evaluation.promotion_threshold)
        if promoted:
            self.best_net.load_state_dict(self.net.state_dict())
            self.best_name = name
        summary.promoted = promoted
        summary.arena = {
            "vs_best_margin": result.margin_mean,
            "vs_best_ci95": result.margin_ci95,
            "vs_best_win_rate": result.win_rate,
            "bid_accuracy": result.bid_accuracy_a,
            "elo": self.elo.rating(name),
            "best_elo": self.elo.rating(self.best_name),
        }
        for spec in evaluation.opponents:
            result = self._match(f"vs {spec}", current, BotFactory(spec), seed)
            key = spec.replace(":", "")
            summary.arena[f"vs_{key}_margin"] = result.margin_mean
            summary.arena[f"vs_{key}_ci95"] = result.margin_ci95
            summary.arena[f"vs_{key}_win_rate"] = result.win_rate

    def _network_factory(self, net: BlobNet, name: str) -> NetworkAgentFactory:
        evaluation = self.config.evaluation
        return NetworkAgentFactory(
            net,
            evaluation.num_worlds,
            evaluation.simulations_per_world,
            device=self.device,
            inference_mode=self.config.network.inference_mode,
            name=name,
            rollout_weight=evaluation.rollout_weight,
            c_puct=evaluation.c_puct,
        )

    def _match(self, label: str, agent_a: Agent, agent_b: Agent, seed: int) -> MatchResult:
        evaluation = self.config.evaluation
        selfplay = self.config.selfplay
        games = evaluation.arena_deals * len(seat_assignments(evaluation.num_players))
        with self.progress.phase(label, games) as advance:
            return play_match(
                agent_a,
                agent_b,
                deals=evaluation.arena_deals,
                num_players=evaluation.num_players,
                hand_sizes=evaluation.hand_sizes,
                trump_mode=evaluation.trump_mode,
                hook_rule=selfplay.hook_rule,
                scoring=selfplay.scoring,
                seed=seed,
                progress=lambda done, total: advance(done, ""),
                parallel_games=evaluation.parallel_games,
            )

    # -- checkpoints ----------------------------------------------------------------------------

    def _save_checkpoint(self) -> None:
        path = checkpoint_path(self.run_dir, self.iteration)
        path.parent.mkdir(parents=True, exist_ok=True)
        replay_file = None
        if self.config.checkpoint.save_buffer and len(self.buffer) > 0:
            replay_file = f"replay_{self.iteration:04d}.npz"
            self.buffer.save(path.parent / replay_file)
        save_checkpoint(
            path,
            {
                "format": CHECKPOINT_FORMAT,
                "iteration": self.iteration,
                "net_config": net_config_to_dict(self.net.config),
                "play": PlaySettings(
                    self.config.evaluation.num_worlds,
                    self.config.evaluation.simulations_per_world,
                    self.config.evaluation.rollout_weight,
                    self.config.evaluation.c_puct,
                ).to_dict(),
                "model": self.net.state_dict(),
                "best_model": self.best_net.state_dict(),
                "best_name": self.best_name,
                "trainer": self.trainer.state_dict(),
                "config": config_to_dict(self.config),
                "elo": self.elo.to_dict(),
                "replay_file": replay_file,
                "rng": capture_rng_state(),
            },
        )
        self._prune(path.parent, replay_file)

    def _prune(self, directory: Path, keep_replay: str | None) -> None:
        """Keeps generation 0, the newest ``keep_last`` checkpoints and the newest buffer."""
        for old in directory.glob("replay_*.npz"):
            if old.name != keep_replay:
                old.unlink(missing_ok=True)
        keep_last = self.config.checkpoint.keep_last
        if keep_last <= 0:
            return
        numbered = sorted(_checkpoints(directory))
        for number, path in numbered[:-keep_last]:
            if number != 0:
                path.unlink(missing_ok=True)
