"""``blobzero-demo``: plays a seeded match with random legal moves and prints it.

A tour of the engine: the schedule, each deal, the bidding, every trick and the scores.
"""

from __future__ import annotations

import argparse
import random
import sys
from typing import TextIO

from blobzero._core.game import Match, Phase, action_to_string, preset, preset_names
from blobzero.cli.common import add_version, seed_arg


def play_match(
    preset_name: str, num_players: int, seed: int, verbose: bool, out: TextIO | None = None
) -> Match:
    """Plays one match of `preset_name` with uniformly random legal moves drawn from `seed`,
    printing it to `out` (default: the current sys.stdout)."""
    out = sys.stdout if out is None else out
    rules = preset(preset_name, num_players)
    match = Match(rules, seed=seed)
    chooser = random.Random(seed)
    print(f"{preset_name}: {num_players} players, rounds {match.cards_per_round}", file=out)
    while not match.is_over():
        state = match.state
        round_index = match.round_index
        if state.phase == Phase.BIDDING and not state.history:
            print(f"\n--- round {round_index + 1}/{match.num_rounds}", file=out)
            print(state.render(), end="", file=out)
        action = chooser.choice(state.legal_actions())
        if verbose:
            print(f"  player {state.current_player}: {action_to_string(action)}", file=out)
        match.apply_action(action)
        if match.round_index != round_index:
            print(
                f"bids {state.bids}  scores {match.round_scores[-1]}  totals {match.totals}",
                file=out,
            )
    print(f"\nwinners: {match.winners()} with {max(match.totals)} points", file=out)
    return match


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="blobzero-demo", description="Play a seeded Blob match with random legal moves."
    )
    parser.add_argument("--players", type=int, default=4, help="table size, 3..8 (default 4)")
    parser.add_argument("--preset", default="blob", choices=preset_names(), help="rules preset")
    parser.add_argument("--seed", type=seed_arg, default=0, help="seed of the deals and the moves")
    parser.add_argument("--verbose", action="store_true", help="print every bid and card")
    add_version(parser)
    args = parser.parse_args(argv)
    try:
        play_match(args.preset, args.players, args.seed, args.verbose)
    except (ValueError, IndexError) as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
