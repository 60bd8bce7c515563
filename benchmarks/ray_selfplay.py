"""Self-play on Ray against the in-process engine: rounds per minute, evaluations per second and
the per-iteration overhead, on this machine.

    python benchmarks/ray_selfplay.py                 # configs/strength.toml's self-play, 280 games
    python benchmarks/ray_selfplay.py --games 560 --actors 1,2

The same iteration (the same games: game ids 0..G-1 of the first network iteration, a fresh
network of the config) is played three ways: by the training pipeline's in-process engine with
the config's hardware settings, then by ``RaySelfPlay`` with each actor count of ``--actors``
(one CPU each, on a local Ray). Each Ray row is timed twice: the first iteration starts the
actors (their processes, imports and network), the second is what every later iteration costs.
Overhead: the iteration's wall time minus the time its actors spent playing shards divided by
the number of actors (shipping weights and records, loading the weights, scheduling, and the
uneven end of the last shards). Needs the ray extra.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import ray

from blobzero.cluster.ray_selfplay import RaySelfPlay
from blobzero.config import load_config
from blobzero.nn.inference import InferenceModel
from blobzero.nn.network import BlobNet
from blobzero.selfplay.engine import SelfPlayEngine, derive_seed
from blobzero.training.runtime import selfplay_config

CONFIG = Path(__file__).resolve().parents[1] / "configs" / "strength.toml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--games", type=int, default=280)
    parser.add_argument("--actors", default="1,2", help="comma-separated actor counts")
    args = parser.parse_args()

    # An iteration past the teacher phase, so that the network plays.
    base = load_config(args.config, ["logging.progress=false", "hardware.device=cpu"])
    iteration = base.selfplay.teacher_iterations + 1
    net = BlobNet(base.network.net_config()).eval()

    engine_config = selfplay_config(
        base.selfplay,
        iteration,
        derive_seed(base.seed, iteration),
        base.hardware,
        "cpu",
        features=base.network.features,
    )
    model = InferenceModel(net, "cpu", mode=base.network.inference_mode)
    start = time.perf_counter()
    with SelfPlayEngine(model, engine_config) as engine:
        engine.generate_games(args.games, first_game_id=0)
        evaluations = int(engine.stats.evaluations)
    local = time.perf_counter() - start
    print(f"{args.games} games of iteration {iteration} ({args.config.name}), fresh network")
    print(f"{'how':<22} {'rounds/min':>10} {'evals/s':>9} {'wall':>7}")
    print(
        f"{'in-process engine':<22} {60 * args.games / local:>10.0f} "
        f"{evaluations / local:>9.0f} {local:>6.1f}s"
    )

    ray.init(include_dashboard=False, log_to_driver=False)
    try:
        for actors in (int(a) for a in args.actors.split(",")):
            config = load_config(
                args.config,
                [
                    "logging.progress=false",
                    "hardware.device=cpu",
                    "cluster.backend=ray",
                    f"cluster.num_actors={actors}",
                    "cluster.cpus_per_actor=1",
                ],
            )
            with RaySelfPlay(config) as cluster:
                for label in ("first iteration", "later iteration"):
                    start = time.perf_counter()
                    _, stats, _ = cluster.play(iteration, net, args.games)
                    wall = time.perf_counter() - start
                    name = f"{actors} actor{'s' if actors > 1 else ''}, {label}"
                    overhead = wall - stats.seconds / actors
                    print(
                        f"{name:<22} {60 * args.games / wall:>10.0f} "
                        f"{stats.evaluations / wall:>9.0f} {wall:>6.1f}s   overhead "
                        f"{overhead:.1f}s",
                        flush=True,
                    )
    finally:
        ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
