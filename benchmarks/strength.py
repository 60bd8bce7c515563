"""The strength ladder: one agent against the reference bots over duplicate deals.

    python benchmarks/strength.py runs/strength/checkpoints/iteration_0040.pt
    python benchmarks/strength.py pretrained --deals 400 --seed 1
    python benchmarks/strength.py pretrained --opponents heuristic --cards 1,2,3,4,5,6,7,8,9,10

The agent (a checkpoint, ``pretrained`` or a bot spec, as ``blobzero-arena`` takes them) plays
``--deals`` duplicate deals against each opponent (default: heuristic, ismcts:1000,
ismcts:10000, pimc-rollout:10x100), every deal replayed under every seating of the two agents.
For each opponent it prints the margin per player-round with its 95% interval, the share of
deals won, both bid accuracies and the wall time; ``--json FILE`` also writes them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from blobzero import arena
from blobzero.arena_cli import agent_from_spec

DEFAULT_OPPONENTS = "heuristic,ismcts:1000,ismcts:10000,pimc-rollout:10x100"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("agent", help="checkpoint, pretrained or bot spec")
    parser.add_argument("--opponents", default=DEFAULT_OPPONENTS, help="comma-separated specs")
    parser.add_argument("--deals", type=int, default=400)
    parser.add_argument("--players", type=int, default=4)
    parser.add_argument("--cards", default="5", help="hand size or list, e.g. 1,2,...,10")
    parser.add_argument("--trump", choices=arena.TRUMP_MODES, default="rotation")
    parser.add_argument("--worlds", type=int, default=3)
    parser.add_argument("--sims", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parallel-games", type=int, default=16)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    hand_sizes = [int(part) for part in args.cards.split(",")]
    agent = agent_from_spec(
        args.agent, num_worlds=args.worlds, simulations_per_world=args.sims, label="agent"
    )
    rows = []
    print(
        f"{agent.name} ({args.worlds} x {args.sims}) vs each opponent: {args.deals} duplicate "
        f"deals, {args.players} players, cards {args.cards}, trump {args.trump}, seed {args.seed}"
    )
    print(
        f"{'opponent':<22} {'margin ± 95% CI':>17} {'deals won':>9} {'bids made':>13} {'time':>7}"
    )
    for spec in args.opponents.split(","):
        opponent = agent_from_spec(spec, label="opponent")
        start = time.perf_counter()
        result = arena.play_match(
            agent,
            opponent,
            deals=args.deals,
            num_players=args.players,
            hand_sizes=hand_sizes,
            trump_mode=args.trump,
            seed=args.seed,
            parallel_games=args.parallel_games,
        )
        seconds = time.perf_counter() - start
        row = {"opponent": spec, "seconds": seconds, **result.to_dict()}
        rows.append(row)
        print(
            f"{spec:<22} {result.margin_mean:>+8.2f} ± {result.margin_ci95:.2f}   "
            f"{100 * result.win_rate:>6.1f}%  {100 * result.bid_accuracy_a:>5.1f}/"
            f"{100 * result.bid_accuracy_b:.1f}% {seconds:>6.0f}s",
            flush=True,
        )
    if args.json:
        args.json.write_text(
            json.dumps({"args": vars(args) | {"json": str(args.json)}, "rows": rows}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
