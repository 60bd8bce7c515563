"""Self-play throughput: games/s and evaluations/s of the engine.

Three evaluators, each at several worker-thread counts:
  cpp       a C++ ConstantEvaluator, whole run in C++ (the engine's ceiling: search + packing)
  python    a numpy constant model through the Python pull/evaluate/submit loop (the cost of the
            Python round trip per batch)
  tiny/...  BlobNet through network.InferenceModel (needs torch; --net tiny,small)

    python benchmarks/selfplay_throughput.py --players 4 --cards 5 --games 200 --threads 1,2
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import blobzero as bz
from blobzero.selfplay import SelfPlayConfig, SelfPlayEngine


def constant_model(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = features.shape[0]
    return np.zeros((n, bz.NUM_ACTIONS), np.float32), np.zeros((n, bz.MAX_PLAYERS), np.float32)


def measure(name: str, model: Callable[..., Any] | Any, config: SelfPlayConfig, games: int) -> None:
    with SelfPlayEngine(model, config) as engine:
        engine.generate_games(min(games, 4))  # warm-up (thread start, first allocations)
        start = time.perf_counter()
        records = engine.generate_games(games)
        elapsed = time.perf_counter() - start
        stats = engine.stats
    print(
        f"{name:>8} threads={config.num_threads}  {games / elapsed:8.1f} games/s  "
        f"{stats.evaluations / elapsed:10.0f} evals/s  {len(records) / elapsed:8.0f} positions/s  "
        f"batch {stats.mean_batch_size:6.1f}  cache hits {100 * stats.cache_hit_rate:4.1f}%  "
        f"evals/game {stats.evaluations / games:6.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=4)
    parser.add_argument("--cards", type=int, default=5)
    parser.add_argument("--worlds", type=int, default=3)
    parser.add_argument("--sims", type=int, default=30)
    parser.add_argument("--games", type=int, default=200)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--evaluators", default="cpp,python")
    parser.add_argument("--net", default="", help="BlobNet sizes to run too, e.g. tiny,small")
    args = parser.parse_args()

    search = bz.PuctConfig(
        num_worlds=args.worlds, simulations_per_world=args.sims, dirichlet_fraction=0.25
    )
    print(
        f"{args.players} players x {args.cards} cards, {args.worlds} x {args.sims} search, "
        f"batch {args.batch}, {args.games} games"
    )
    for threads in [int(t) for t in args.threads.split(",")]:
        config = SelfPlayConfig(
            num_players=args.players,
            hand_sizes=[args.cards],
            search=search,
            seed=1,
            num_threads=threads,
            max_batch_size=args.batch,
        )
        for name in args.evaluators.split(","):
            if name == "cpp":
                measure(name, bz.ConstantEvaluator(), config, args.games)
            elif name == "python":
                measure(name, constant_model, config, args.games)
        for size in filter(None, args.net.split(",")):
            from blobzero.network import BlobNet, InferenceModel

            measure(size, InferenceModel(BlobNet(size)), config, args.games)


if __name__ == "__main__":
    main()
