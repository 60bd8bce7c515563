"""The strength ladder: one agent against the reference bots over duplicate deals.

    python benchmarks/strength.py runs/strength/checkpoints/iteration_0040.pt
    python benchmarks/strength.py pretrained --deals 400 --seed 1
    python benchmarks/strength.py pretrained --matches 20 --opponents heuristic,ismcts:1000

The agent (a checkpoint, ``pretrained`` or a bot spec, as ``blobzero-arena`` takes them) plays
``--deals`` duplicate deals against each opponent (default: heuristic, ismcts:1000,
ismcts:10000, pimc-rollout:10x100), every deal replayed under every seating of the two agents.
For each opponent it prints the margin per player-round with its 95% interval, the share of
deals won, both bid accuracies and the wall time; ``--json FILE`` also writes them with each
deal's margin, in deal order; ``--baseline FILE`` reads such a file of an earlier run on the same
deals and also prints how much each margin changed, deal by deal, with its interval. A network
plays with its checkpoint's play settings unless ``--worlds``, ``--sims`` or
``--rollout-weight`` say otherwise; ``--search KEY=VALUE`` (repeatable) sets any other field of
its ``PuctConfig``, e.g. ``--search max_evaluations=90 --search inference_candidates=256``.

``--bidder SPEC`` has the agent bid as SPEC (a bot spec or checkpoint) and play its cards as
itself; ``--card-player SPEC`` the reverse. With ``--baseline`` of the whole agent on the same
deals this says what each phase of the agent is worth. Such a split agent plays one game at a
time on the calling thread (a network in it evaluates one position's leaves at a time): slower.

Under trump by rotation it also prints the margin over the deals with a trump suit and over the
no-trump deals apart (each with its interval): the two play differently enough that a network
can be strong in one and weak in the other.

``--matches N`` plays N whole Blob matches instead (``--players`` seats, the ``blob`` preset:
the down-up schedule of hand sizes with trump by rotation, the dealer rotating), each round a
duplicate deal, and also prints the margin per match (the sum of its rounds' margins) with its
95% interval over the matches.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import blobzero as bz
from blobzero.cli.arena import agent_from_spec
from blobzero.evaluation import arena
from blobzero.evaluation.players import PhaseSplitPlayer
from blobzero.nn.net_config import with_search_options

DEFAULT_OPPONENTS = "heuristic,ismcts:1000,ismcts:10000,pimc-rollout:10x100"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("agent", help="checkpoint, pretrained or bot spec")
    parser.add_argument("--opponents", default=DEFAULT_OPPONENTS, help="comma-separated specs")
    parser.add_argument("--deals", type=int, default=400)
    parser.add_argument("--matches", type=int, help="whole blob matches instead of deals")
    parser.add_argument("--players", type=int, default=4)
    parser.add_argument("--cards", default="5", help="hand size or list, e.g. 1,2,...,10")
    parser.add_argument("--trump", choices=arena.TRUMP_MODES, default="rotation")
    parser.add_argument("--worlds", type=int)
    parser.add_argument("--sims", type=int)
    parser.add_argument("--rollout-weight", type=float)
    parser.add_argument(
        "--search",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a PuctConfig field of the network's search, e.g. max_evaluations=90",
    )
    split = parser.add_mutually_exclusive_group()
    split.add_argument("--bidder", metavar="SPEC", help="the agent bids as SPEC instead")
    split.add_argument(
        "--card-player", metavar="SPEC", help="the agent plays its cards as SPEC instead"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parallel-games", type=int, default=16)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a --json file of an earlier run on the same deals: also print the margin's change "
        "deal by deal against it",
    )
    args = parser.parse_args()
    baseline = _baseline_margins(args, parser) if args.baseline else {}

    hand_sizes = [int(part) for part in args.cards.split(",")]
    match_rules = bz.preset("blob", args.players) if args.matches else None
    rounds = len(match_rules.cards_per_round()) if match_rules else 1
    deals = args.matches * rounds if match_rules else args.deals
    what = (
        f"{args.matches} blob matches ({deals} duplicate deals)"
        if match_rules
        else f"{deals} duplicate deals, cards {args.cards}, trump {args.trump}"
    )
    try:
        agent = agent_from_spec(
            args.agent,
            num_worlds=args.worlds,
            simulations_per_world=args.sims,
            rollout_weight=args.rollout_weight,
            label="agent",
        )
    except ValueError as error:
        parser.error(str(error))
    if args.search:
        if not isinstance(agent, arena.NetworkAgentFactory):
            parser.error("--search sets the search of a network agent")
        try:
            agent.config = with_search_options(agent.config, **_search_options(args.search))
        except ValueError as error:
            parser.error(f"--search: {error}")
    parallel_games = args.parallel_games
    other_bids = args.bidder is not None
    if other_bids or args.card_player is not None:
        try:
            agent = _phase_split(
                agent, args.bidder if other_bids else args.card_player, other_bids=other_bids
            )
        except ValueError as error:
            parser.error(str(error))
        parallel_games = 1
    rows = []
    print(f"{agent.name} vs each opponent: {what}, {args.players} players, seed {args.seed}")
    print(
        f"{'opponent':<22} {'margin ± 95% CI':>17} {'deals won':>9} {'bids made':>13} {'time':>7}"
    )
    for spec in args.opponents.split(","):
        opponent = agent_from_spec(spec, label="opponent")
        start = time.perf_counter()
        result = arena.play_match(
            agent,
            opponent,
            deals=deals,
            match_rules=match_rules,
            num_players=args.players,
            hand_sizes=hand_sizes,
            trump_mode=args.trump,
            seed=args.seed,
            parallel_games=parallel_games,
        )
        seconds = time.perf_counter() - start
        row = {
            "opponent": spec,
            "seconds": seconds,
            **result.to_dict(),
            "deal_margins": list(result.deal_margins),
        }
        match_note = ""
        if match_rules:
            margins = result.deal_margins
            per_match = [math.fsum(margins[m : m + rounds]) for m in range(0, len(margins), rounds)]
            ci = 1.96 * statistics.stdev(per_match) / math.sqrt(len(per_match))
            row |= {"match_margin_mean": statistics.fmean(per_match), "match_margin_ci95": ci}
            match_note = f"   per match {statistics.fmean(per_match):+.1f} ± {ci:.1f}"
        split = ""
        if match_rules or args.trump == "rotation":
            by_trump = _margins_by_trump(
                result, lambda k: _trump_of(args, match_rules, hand_sizes, k)
            )
            row["by_trump"] = by_trump
            parts = [
                f"{name} {mean:+.2f} ± {ci:.2f} ({count} deals)"
                for name, (mean, ci, count) in by_trump.items()
            ]
            split = "\n" + " " * 23 + "   ".join(parts)
        paired = ""
        if spec in baseline:
            if len(baseline[spec]) != len(result.deal_margins):
                parser.error(f"--baseline played {len(baseline[spec])} deals against {spec}")
            change = [a - b for a, b in zip(result.deal_margins, baseline[spec], strict=True)]
            ci = 1.96 * statistics.stdev(change) / math.sqrt(len(change))
            row |= {"change_mean": statistics.fmean(change), "change_ci95": ci}
            paired = f"\n{'':<23}against the baseline, deal by deal: "
            paired += f"{statistics.fmean(change):+.2f} ± {ci:.2f}"
        rows.append(row)
        print(
            f"{spec:<22} {result.margin_mean:>+8.2f} ± {result.margin_ci95:.2f}   "
            f"{100 * result.win_rate:>6.1f}%  {100 * result.bid_accuracy_a:>5.1f}/"
            f"{100 * result.bid_accuracy_b:.1f}% {seconds:>6.0f}s{match_note}{split}{paired}",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps({"args": vars(args), "rows": rows}, indent=2, default=str))
    return 0


def _phase_split(
    agent: arena.AgentFactory, other_spec: str, *, other_bids: bool
) -> arena.AgentFactory:
    """``agent`` with its bids (``other_bids``) or else its card play made by the agent
    ``other_spec`` names; the other phase stays ``agent``'s."""
    other = agent_from_spec(other_spec, label="--bidder" if other_bids else "--card-player")
    bids, cards = (other, agent) if other_bids else (agent, other)
    return arena.AgentFactory(
        lambda seed: PhaseSplitPlayer(bids(seed), cards(seed)),
        name=f"{agent.name} (bids {bids.name}, cards {cards.name})",
    )


_SAME_DEALS = ("deals", "matches", "players", "cards", "trump", "seed")


def _baseline_margins(
    args: argparse.Namespace, parser: argparse.ArgumentParser
) -> dict[str, list[float]]:
    """{opponent: deal margins} of the ``--baseline`` file, which must have played the deals
    these arguments draw; exits naming the problem otherwise."""
    name = str(args.baseline)
    try:
        data = json.loads(args.baseline.read_text())
        margins = {row["opponent"]: [float(m) for m in row["deal_margins"]] for row in data["rows"]}
        earlier = {key: data["args"][key] for key in _SAME_DEALS}
    except (OSError, ValueError, KeyError, TypeError) as error:
        parser.error(f"--baseline {name!r}: not a strength.py --json file ({error})")
    for key, value in earlier.items():
        if value != getattr(args, key):
            parser.error(f"--baseline {name!r} played other deals: --{key} {value}")
    return margins


def _trump_of(
    args: argparse.Namespace, match_rules: bz.Rules | None, hand_sizes: list[int], deal: int
) -> int | None:
    """The trump suit (None for no trump) of deal ``deal`` of the match the arguments describe."""
    if match_rules is not None:
        state = arena.make_match_deal(args.seed, deal, match_rules)
    else:
        state = arena.make_deal(
            args.seed, deal, num_players=args.players, hand_sizes=hand_sizes, trump_mode=args.trump
        )
    return state.trump_suit


def _margins_by_trump(
    result: arena.MatchResult, trump_of_deal: Callable[[int], int | None]
) -> dict[str, tuple[float, float, int]]:
    """{"trump suit" | "no trump": (mean margin, 95% half-width, deals)} over the match's deals
    (``result.deal_margins``, whose order is that of each deal's first game in the records)."""
    deals = dict.fromkeys(game.deal for game in result.records)
    groups: dict[str, list[float]] = {"trump suit": [], "no trump": []}
    for deal, margin in zip(deals, result.deal_margins, strict=True):
        groups["no trump" if trump_of_deal(deal) is None else "trump suit"].append(margin)
    summary = {}
    for name, margins in groups.items():
        if len(margins) > 1:
            ci = 1.96 * statistics.stdev(margins) / math.sqrt(len(margins))
            summary[name] = (statistics.fmean(margins), ci, len(margins))
    return summary


def _search_options(items: list[str]) -> dict[str, float | bool]:
    """``KEY=VALUE`` pairs as PuctConfig fields: true/false, ints, then floats."""
    options: dict[str, float | bool] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key:
            raise ValueError(f"{item!r} is not KEY=VALUE")
        if text in ("true", "false"):
            options[key] = text == "true"
            continue
        try:
            options[key] = int(text)
        except ValueError:
            try:
                options[key] = float(text)
            except ValueError:
                raise ValueError(f"{key} = {text!r} is not a number or true/false") from None
    return options


if __name__ == "__main__":
    sys.exit(main())
