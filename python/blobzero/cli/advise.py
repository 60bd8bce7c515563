"""``blobzero-advise``: what a trained network would bid or play in a position from a real table.

    blobzero-advise --players 4 --dealer 3 --seat 1 --trump H --hand "AS KS 10H 4D 2C" --bids 1
    blobzero-advise --players 4 --dealer 0 --seat 2 --turn-up QD --hand "9S 8H 3C" \\
        --bids "0 1 1 0" --played "AH 2H"

Seats count 0..P-1 clockwise; the seat left of the dealer bids and leads first. ``--hand`` is
the cards the seat holds now, ``--bids`` the bids so far in bidding order, ``--played`` every
card played so far in order. The position is the seat's own information only
(``blobzero.play.position.table_position``). Prints the position, then for each legal action its
share of the search's visits, the seat's search value after it and the round score that value
stands for (for bids: the expected score of each bid); ``--json`` prints the same as one JSON
object. Exit status: 0, or 2 with a message for a bad position or argument.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from blobzero.cli.common import add_version, seed_arg
from blobzero.game_names import SCORINGS


def _bids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace(",", " ").split()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"bids must be integers, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blobzero-advise",
        description="The recommended bid or card of a network in a position from a real table.",
    )
    parser.add_argument("--players", type=int, required=True, help="players at the table, 3..8")
    parser.add_argument("--dealer", type=int, required=True, help="the dealer's seat")
    parser.add_argument("--seat", type=int, required=True, help="your seat (to act)")
    trump = parser.add_mutually_exclusive_group(required=True)
    trump.add_argument("--trump", help="trump suit: C, D, H, S, or N for no trump")
    trump.add_argument("--turn-up", help="the turned-up card, whose suit is trump")
    parser.add_argument("--hand", required=True, help='your cards now, e.g. "AS KS 10H 4D 2C"')
    parser.add_argument("--bids", type=_bids, default=[], help='bids so far, e.g. "1 0 2"')
    parser.add_argument("--played", default="", help="cards played so far this round, in order")
    parser.add_argument("--no-hook", action="store_true", help="play without the hook rule")
    parser.add_argument("--scoring", choices=SCORINGS, default="exact")
    parser.add_argument(
        "--agent", default="pretrained", help="checkpoint (PATH, PATH:best_model) or pretrained"
    )
    parser.add_argument("--worlds", type=int, help="worlds of the search (default: the agent's)")
    parser.add_argument("--sims", type=int, help="simulations per world (default: the agent's)")
    parser.add_argument("--seed", type=seed_arg, default=0, help="search seed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_version(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from blobzero.evaluation.arena import named_network_agent
    from blobzero.nn.specs import load_named_network
    from blobzero.play.advice import advise
    from blobzero.play.position import table_position

    try:
        state = table_position(
            num_players=args.players,
            dealer=args.dealer,
            seat=args.seat,
            hand=args.hand,
            trump=args.trump,
            turned_up=args.turn_up,
            bids=args.bids,
            played=args.played,
            hook_rule=not args.no_hook,
            scoring=args.scoring,
            seed=args.seed,
        )
        for name in ("worlds", "sims"):
            if getattr(args, name) is not None and getattr(args, name) < 1:
                raise ValueError(f"--{name} must be at least 1")
        loaded = load_named_network(args.agent)
    except ValueError as error:
        parser.error(str(error))
    bot = named_network_agent(loaded, args.seed, args.worlds, args.sims)
    advice = advise(state, bot)
    if args.json:
        print(json.dumps({"agent": loaded.name, **advice.to_dict()}))
    else:
        print(state.observe(args.seat).render())
        print()
        print(f"{loaded.name}: " + advice.format())
    return 0


if __name__ == "__main__":
    sys.exit(main())
