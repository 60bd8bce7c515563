"""Self-play throughput: the engine's ceiling, the network pipeline's efficiency, rounds per minute.

One command per machine (nothing is downloaded; the networks are freshly initialised BlobNets):

    python benchmarks/selfplay_throughput.py --device cpu    # tiny and small nets (~4 min, 2 cores)
    python benchmarks/selfplay_throughput.py --device cuda   # GPU: base and small nets

Every run is 4 players x 5 cards (``--players``, ``--cards``) with a 3 worlds x 30 simulations
PIMC-PUCT search (``--worlds``, ``--sims``) and Dirichlet noise at the roots, as self-play uses.

1. Engine ceiling. A C++ ``ConstantEvaluator`` answers every batch, so the whole loop stays in
   C++: search + encoding + packing + backup, no network. Simulations/s (searched decisions x
   worlds x simulations), evaluations/s (rows sent to the evaluator, after cache hits), games/s,
   at each worker-thread count (``--threads``), per worker thread too. A numpy constant model
   through the Python loop (``python``) shows the cost of the Python round trip per batch.

2. Network pipeline. For each net (``--nets``) and inference mode (``--modes``: TorchScript, eager,
   ``torch.compile``), self-play through ``network.InferenceModel`` with the settings of
   ``--torch-threads``, ``--engine-threads``, ``--batch``. Then, in the same process with the same
   settings, the raw forward: the same InferenceModel called again and again on one fixed batch
   of real encoded positions (rows of the records just played) of the mean batch size that
   self-play produced. Efficiency = self-play evaluations/s / raw forward rows/s. The loop profile
   says where self-play's wall time went: in the model, waiting for the workers (``next_batch``),
   handing outputs back (``submit``), other. ``model-in-loop`` is the model's own rows/s inside
   self-play (slower than raw when worker threads compete with torch's threads for the cores).
   Rounds per minute = games (one round each) per second x 60. Warm-up (TorchScript profiling
   runs, ``torch.compile``'s compilation) is done before timing and reported separately.

3. GPU (``--device cuda``): section 2 on the GPU with the ``base`` and ``small`` nets (bf16
   autocast and pinned host buffers, as InferenceModel does on CUDA), bigger batches, worker
   threads = cores - 1. Without a GPU it says so and skips.

``--sweep`` adds a grid over torch threads x worker threads x batch size (CPU, TorchScript) that
shows how those settings trade off on this machine.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import blobzero as bz
from blobzero.selfplay.engine import (
    LoopProfile,
    SelfPlayConfig,
    SelfPlayEngine,
    SelfPlayRecords,
    SelfPlayStats,
    cpu_inference_settings,
)

REPO = Path(__file__).resolve().parent.parent


# -- shared ------------------------------------------------------------------------------------


def constant_model(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = features.shape[0]
    return np.zeros((n, bz.NUM_ACTIONS), np.float32), np.zeros((n, bz.MAX_PLAYERS), np.float32)


def make_config(
    args: argparse.Namespace, *, threads: int, batch: int, **extra: Any
) -> SelfPlayConfig:
    search = bz.PuctConfig(
        num_worlds=args.worlds,
        simulations_per_world=args.sims,
        dirichlet_fraction=0.25,
        dirichlet_alpha=0.3,
    )
    return SelfPlayConfig(
        num_players=args.players,
        hand_sizes=[args.cards],
        search=search,
        seed=args.seed,
        num_threads=threads,
        max_batch_size=batch,
    )


@dataclass
class Run:
    """One timed self-play run of complete games."""

    games: int
    elapsed: float
    evaluations: int
    batches: int
    cache_hit_rate: float
    simulations: int  # searched decisions x worlds x simulations per world

    @property
    def evals_per_s(self) -> float:
        return self.evaluations / self.elapsed

    @property
    def sims_per_s(self) -> float:
        return self.simulations / self.elapsed

    @property
    def games_per_s(self) -> float:
        return self.games / self.elapsed

    @property
    def mean_batch(self) -> float:
        return self.evaluations / max(1, self.batches)


def timed_run(engine: SelfPlayEngine, games: int, sims_per_search: int) -> Run:
    start = time.perf_counter()
    engine.generate_games(games)
    elapsed = time.perf_counter() - start
    stats = engine.stats
    return Run(
        games=games,
        elapsed=elapsed,
        evaluations=int(stats.evaluations),
        batches=int(stats.batches),
        cache_hit_rate=float(stats.cache_hit_rate),
        simulations=int(stats.positions) * sims_per_search,
    )


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.elapsed)[len(runs) // 2]


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def git_description() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head} ({'dirty: uncommitted changes' if dirty else 'clean'})"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# -- 1. engine ceiling ---------------------------------------------------------------------------


def engine_ceiling(args: argparse.Namespace) -> None:
    sims_per_search = args.worlds * args.sims
    print(
        f"\n== 1. Engine ceiling: no network, {args.players} players x {args.cards} cards, "
        f"{args.worlds} x {args.sims} search, batch {args.ceiling_batch}, "
        f"{args.ceiling_games} games, median of {args.repeats} =="
    )
    print(
        f"{'evaluator':>10} {'threads':>7} {'sims/s':>10} {'sims/s/thr':>10} {'evals/s':>10} "
        f"{'evals/s/thr':>11} {'games/s':>8} {'batch':>6} {'cache hit':>9}"
    )
    for threads in args.threads:
        config = make_config(args, threads=threads, batch=args.ceiling_batch)
        for name in ("cpp", "python"):
            model: Any = bz.ConstantEvaluator() if name == "cpp" else constant_model
            with SelfPlayEngine(model, config) as engine:
                engine.generate_games(8)  # warm-up: thread start, first allocations
                run = median_run(
                    [
                        timed_run(engine, args.ceiling_games, sims_per_search)
                        for _ in range(args.repeats)
                    ]
                )
            print(
                f"{name:>10} {threads:>7} {run.sims_per_s:>10.0f} "
                f"{run.sims_per_s / threads:>10.0f} "
                f"{run.evals_per_s:>10.0f} {run.evals_per_s / threads:>11.0f} "
                f"{run.games_per_s:>8.1f} {run.mean_batch:>6.1f} {100 * run.cache_hit_rate:>8.1f}%"
            )
    print(
        "  cpp: the whole loop in C++ (the evaluator runs on the calling thread). python: the same "
        "through the Python next_batch/model/submit loop with a numpy constant model."
    )


# -- 2. network pipeline -------------------------------------------------------------------------


@dataclass
class PipelineResult:
    net: str
    mode: str
    warmup_s: float
    evals_per_round: float
    window_s: float
    evaluations: int
    batches: int
    profile: LoopProfile
    raw_batch: int  # the probe's mean batch size
    raw_before: float  # raw forward rows/s just before the window
    raw_after: float  # and just after

    @property
    def raw_rows_per_s(self) -> float:
        return (self.raw_before + self.raw_after) / 2

    @property
    def evals_per_s(self) -> float:
        return self.evaluations / self.window_s

    @property
    def mean_batch(self) -> float:
        return self.evaluations / max(1, self.batches)

    @property
    def rounds_per_min(self) -> float:
        return 60.0 * self.evals_per_s / self.evals_per_round

    @property
    def efficiency(self) -> float:
        return self.evals_per_s / self.raw_rows_per_s


@contextmanager
def torch_threads(count: int) -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def raw_forward(
    model: Callable[[np.ndarray, np.ndarray], Any],
    features: np.ndarray,
    masks: np.ndarray,
    seconds: float,
) -> float:
    """Rows/s of model(features, masks) called again and again on the same batch."""
    for _ in range(5):
        model(features, masks)
    calls = 0
    start = time.perf_counter()
    while True:
        model(features, masks)  # returns numpy arrays: on CUDA this waits for the GPU
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and calls >= 5:
            break
    return float(calls * features.shape[0] / elapsed)


def fixed_batch(records: SelfPlayRecords, size: int) -> tuple[np.ndarray, np.ndarray]:
    """`size` real encoded positions (rows of self-play records; repeated if too few)."""
    index = np.arange(size) % len(records)
    return np.ascontiguousarray(records.features[index]), np.ascontiguousarray(records.masks[index])


def steady_state(
    engine: SelfPlayEngine, settle_s: float, window_s: float
) -> tuple[float, SelfPlayStats, SelfPlayStats, LoopProfile]:
    """Runs self-play on this thread (as a training loop does) with more games than can finish;
    a timer thread reads the engine's counters after `settle_s` and again `window_s` later, then
    shuts the engine down, which ends the run. Returns (window seconds, stats at its start,
    stats at its end, the run's loop profile)."""
    snapshots: list[tuple[float, SelfPlayStats]] = []
    stopped = threading.Event()

    def timer() -> None:
        time.sleep(settle_s)
        snapshots.append((time.perf_counter(), engine.stats))
        time.sleep(window_s)
        snapshots.append((time.perf_counter(), engine.stats))
        stopped.set()
        engine.shutdown()

    thread = threading.Thread(target=timer, name="benchmark-timer", daemon=True)
    thread.start()
    try:
        engine.generate_games(1 << 40)
    except (RuntimeError, ValueError):
        if not stopped.is_set():  # a real failure, not the timer's shutdown
            engine.shutdown()
            thread.join()
            raise
    thread.join()
    (t0, s0), (t1, s1) = snapshots
    return t1 - t0, s0, s1, engine.loop_profile


def pipeline(
    args: argparse.Namespace,
    net_name: str,
    mode: str,
    *,
    device: str,
    engine_threads: int,
    batch: int,
) -> PipelineResult | None:
    import torch

    from blobzero.nn.inference import InferenceModel
    from blobzero.nn.network import BlobNet

    torch.manual_seed(0)
    try:
        model = InferenceModel(BlobNet(net_name), device=device, mode=mode)
    except Exception as exc:  # e.g. torch.compile unsupported on this platform
        print(f"{net_name:>6} {mode:>11}  cannot build the model: {type(exc).__name__}: {exc}")
        return None
    config = make_config(args, threads=engine_threads, batch=batch)
    stage = "warm-up"
    try:
        # Warm-up, complete rounds: TorchScript's profiling runs, torch.compile's compilation,
        # first allocations. Its records give real positions; its counters the evaluations
        # per round.
        start = time.perf_counter()
        with SelfPlayEngine(model, config) as engine:
            records = engine.generate_games(args.warmup_games)
            evals_per_round = engine.stats.evaluations / args.warmup_games
        warmup_s = time.perf_counter() - start
        # A short probe of steady self-play: the mean batch size it produces.
        stage = "probe"
        _, before, after, _ = steady_state(
            SelfPlayEngine(model, config), args.settle_s, args.probe_s
        )
        raw_batch = max(1, round(batch_size(before, after)))
        features, masks = fixed_batch(records, raw_batch)
        # The measurement: raw forward, steady self-play, raw forward again (the two raw
        # figures bracket the window, so a drift of the machine's speed mostly cancels).
        stage = "raw forward"
        raw_before = raw_forward(model, features, masks, args.raw_seconds)
        stage = "self-play"
        window_s, before, after, profile = steady_state(
            SelfPlayEngine(model, config), args.settle_s, args.window_s
        )
        stage = "raw forward"
        raw_after = raw_forward(model, features, masks, args.raw_seconds)
    except Exception as exc:
        print(f"{net_name:>6} {mode:>11}  {stage} failed: {type(exc).__name__}: {exc}")
        return None
    return PipelineResult(
        net=net_name,
        mode=mode,
        warmup_s=warmup_s,
        evals_per_round=evals_per_round,
        window_s=window_s,
        evaluations=after.evaluations - before.evaluations,
        batches=after.batches - before.batches,
        profile=profile,
        raw_batch=raw_batch,
        raw_before=raw_before,
        raw_after=raw_after,
    )


def batch_size(before: SelfPlayStats, after: SelfPlayStats) -> float:
    return (after.evaluations - before.evaluations) / max(1, after.batches - before.batches)


def print_pipeline_header(prefix: str = "") -> None:
    print(
        f"{prefix}{'net':>6} {'mode':>11} {'rounds/min':>10} {'ev/round':>8} {'evals/s':>8} "
        f"{'batch':>6} "
        f"{'raw@':>4} {'before':>7} {'after':>7} {'effic.':>6} {'in-loop/s':>9} "
        f"{'model%':>6} {'wait%':>5} {'submit%':>7} {'other%':>6} {'warm-up':>8}"
    )


def print_pipeline_row(result: PipelineResult, prefix: str = "") -> None:
    profile = result.profile
    shares = profile.shares()
    print(
        f"{prefix}{result.net:>6} {result.mode:>11} {result.rounds_per_min:>10.0f} "
        f"{result.evals_per_round:>8.0f} {result.evals_per_s:>8.0f} {result.mean_batch:>6.1f} "
        f"{result.raw_batch:>4d} "
        f"{result.raw_before:>7.0f} {result.raw_after:>7.0f} "
        f"{result.efficiency:>6.2f} {profile.model_rows_per_s:>9.0f} "
        f"{100 * shares['model']:>6.1f} {100 * shares['wait']:>5.1f} "
        f"{100 * shares['submit']:>7.1f} {100 * shares['other']:>6.1f} {result.warmup_s:>7.1f}s",
        flush=True,
    )


PIPELINE_LEGEND = """\
  rounds/min = 60 x evals/s / ev/round (network evaluations per round, from the warm-up's
  complete rounds).
  evals/s, batch: network evaluations/s and mean rows per batch over the steady-state window.
  raw@ before after: raw forward rows/s of the same InferenceModel with the same settings, called
  again and again on one fixed batch of raw@ real positions (raw@ = the mean batch of a probe
  run), measured just before and just after the window. effic. = evals/s / mean(before, after).
  in-loop/s: rows/s of the time spent inside model() during self-play. model/wait/submit/other:
  shares of the self-play loop's wall time (wait = in next_batch for the workers). warm-up: the
  complete warm-up rounds, compilation included (torch.compile caches its kernels on disk, so a
  second run compiles faster)."""


def network_section(
    args: argparse.Namespace,
    *,
    title: str,
    device: str,
    nets: list[str],
    engine_threads: int,
    batch: int,
) -> list[PipelineResult]:
    import torch

    print(
        f"\n== {title}: {args.players} x {args.cards}, {args.worlds} x {args.sims} search, "
        f"device {device}, torch threads {torch.get_num_threads()}, "
        f"engine threads {engine_threads}, max batch {batch} =="
    )
    print(
        f"  per net and mode: {args.warmup_games} warm-up rounds, then {args.settle_s:g}s to "
        f"settle and a {args.window_s:g}s window of steady self-play; raw forward "
        f"{args.raw_seconds:g}s"
    )
    print_pipeline_header()
    results = []
    for net in nets:
        for mode in args.modes:
            result = pipeline(
                args, net, mode, device=device, engine_threads=engine_threads, batch=batch
            )
            if result is not None:
                print_pipeline_row(result)
                results.append(result)
    print(PIPELINE_LEGEND)
    return results


def sweep(args: argparse.Namespace, nets: list[str]) -> None:
    print(
        "\n== Sweep (CPU, TorchScript): torch threads x engine threads x max batch "
        f"({args.sweep_window_s:g}s windows) =="
    )
    prefix = f"{'torch':>5} {'engine':>6} {'max':>5} "
    print(prefix.replace("max", "   ") + "  (threads, threads, batch)")
    print_pipeline_header(prefix)
    cores = os.cpu_count() or 1
    window = argparse.Namespace(**vars(args))
    window.window_s = args.sweep_window_s
    for net in nets:
        for torch_count in sorted({1, cores}):
            for engine_count in sorted({1, cores}):
                for batch in args.sweep_batches:
                    with torch_threads(torch_count):
                        result = pipeline(
                            window,
                            net,
                            "torchscript",
                            device="cpu",
                            engine_threads=engine_count,
                            batch=batch,
                        )
                    if result is not None:
                        print_pipeline_row(
                            result, f"{torch_count:>5} {engine_count:>6} {batch:>5} "
                        )


# -- main ----------------------------------------------------------------------------------------


def int_list(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def str_list(text: str) -> list[str]:
    return [x for x in text.split(",") if x]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join((__doc__ or "").splitlines()[1:]),
    )
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--players", type=int, default=4)
    parser.add_argument("--cards", type=int, default=5)
    parser.add_argument("--worlds", type=int, default=3)
    parser.add_argument("--sims", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sections", type=str_list, default=["engine", "network"])
    # 1. engine ceiling
    parser.add_argument("--threads", type=int_list, default=[1, 2], help="worker threads")
    parser.add_argument("--ceiling-games", type=int, default=600)
    parser.add_argument("--ceiling-batch", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    # 2. network pipeline
    parser.add_argument(
        "--nets", type=str_list, default=None, help="cpu: tiny,small; cuda: base,small"
    )
    parser.add_argument("--modes", type=str_list, default=["torchscript", "eager", "compile"])
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=None,
        help="cpu: cpu_inference_settings(); cuda: torch's",
    )
    parser.add_argument(
        "--engine-threads",
        type=int,
        default=None,
        help="worker threads; cpu: cpu_inference_settings() (1), cuda: cores - 1",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=None,
        help="max batch; cpu: cpu_inference_settings(), cuda 1024",
    )
    parser.add_argument(
        "--shared-machine",
        action="store_true",
        help="cpu: torch threads only on the cores the workers leave free",
    )
    parser.add_argument("--warmup-games", type=int, default=12)
    parser.add_argument("--settle-s", type=float, default=2.0)
    parser.add_argument("--probe-s", type=float, default=2.0)
    parser.add_argument("--window-s", type=float, default=None, help="cpu 8, cuda 20")
    parser.add_argument("--raw-seconds", type=float, default=3.0)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--sweep-batches", type=int_list, default=[64, 128, 256])
    parser.add_argument("--sweep-window-s", type=float, default=5.0)
    args = parser.parse_args()

    cores = os.cpu_count() or 1
    print(f"blobzero self-play throughput, {datetime.datetime.now().isoformat(timespec='seconds')}")
    print(f"  machine: {cpu_name()}, {cores} cores ({platform.machine()})")
    print(f"  load average at start: {load_average()}")
    print(f"  code: git {git_description()}; Python {platform.python_version()}")
    print(f"  command: {' '.join(['python'] + sys.argv)}")

    if "engine" in args.sections:
        engine_ceiling(args)
    if "network" in args.sections:
        network(args, cores)
    print(f"\nload average at the end: {load_average()}")


def network(args: argparse.Namespace, cores: int) -> None:
    import torch

    print(f"  torch {torch.__version__}, {torch.get_num_threads()} intra-op threads by default")
    if args.device == "cuda":
        if not torch.cuda.is_available():
            print(
                "\n== 3. GPU section: no GPU present (torch.cuda.is_available() is False): "
                "skipped. Run it on a machine with a CUDA GPU and a CUDA build of torch. =="
            )
            return
        props = torch.cuda.get_device_properties(0)
        bf16 = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        print(f"  GPU: {props.name}, {props.total_memory / 2**30:.0f} GiB, {bf16} autocast")
        if args.torch_threads:
            torch.set_num_threads(args.torch_threads)
        args.window_s = args.window_s or 20.0
        network_section(
            args,
            title="3. GPU pipeline",
            device="cuda",
            nets=args.nets or ["base", "small"],
            engine_threads=args.engine_threads or max(1, cores - 1),
            batch=args.batch or 1024,
        )
        return

    nets = args.nets or ["tiny", "small"]
    args.window_s = args.window_s or 8.0
    settings = cpu_inference_settings(cores, shared_machine=args.shared_machine)
    torch.set_num_threads(args.torch_threads or settings.torch_threads)
    network_section(
        args,
        title="2. CPU pipeline",
        device="cpu",
        nets=nets,
        engine_threads=args.engine_threads or settings.engine_threads,
        batch=args.batch or settings.max_batch_size,
    )
    if args.sweep:
        sweep(args, nets)
    state = "a GPU is present" if torch.cuda.is_available() else "no GPU present here: skipped"
    print(f"\n== 3. GPU section: run with --device cuda ({state}) ==")


if __name__ == "__main__":
    main()
