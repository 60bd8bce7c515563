"""``blobzero-play``: play a seat of Blob in the terminal against trained networks and bots.

    blobzero-play                                   # one 4 x 5 round against three `pretrained`
    blobzero-play --match --players 4 --hint        # a whole Blob match, with the network's advice
    blobzero-play --opponents heuristic,pretrained,ismcts:1000 --cards 7
    blobzero-play --replay blobzero_games.jsonl     # step through the recorded rounds
    blobzero-play --web                             # the same game in the browser

Opponents are one agent spec for every other seat or one per other seat in seat order: a
checkpoint (``PATH``, ``PATH:best_model``), ``pretrained``, or a bot (``heuristic``, ``random``,
``ismcts:<sims>``, ...). Every finished round is appended to ``--record`` (one JSON line a
round, ``blobzero.play.records``). ``--web`` serves the table on 127.0.0.1 and prints its
address (``blobzero.play.web``); Ctrl-C stops it. Exit status: 0; 2 with a message for a bad
argument or record file; 130 when the person quits.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from blobzero.cli.common import add_version, seed_arg
from blobzero.game_names import SCORINGS, TRUMP_MODES

if TYPE_CHECKING:
    from blobzero._core.game import State
    from blobzero._core.search import PimcBot
    from blobzero.nn.specs import NamedNetwork
    from blobzero.play.game import Seat

DEFAULT_RECORD = "blobzero_games.jsonl"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blobzero-play", description="Play a seat of Blob against trained networks and bots."
    )
    parser.add_argument("--players", type=int, default=4, help="table size, 3..8 (default 4)")
    parser.add_argument("--seat", type=int, default=0, help="your seat (default 0)")
    parser.add_argument(
        "--opponents", default="pretrained", help="one agent spec, or one per other seat (a,b,c)"
    )
    parser.add_argument("--cards", type=int, default=5, help="cards a hand in single rounds")
    parser.add_argument("--rounds", type=int, default=1, help="single rounds to play (default 1)")
    parser.add_argument("--match", action="store_true", help="play a whole match instead")
    parser.add_argument(
        "--schedule", default="down_up", help="match schedule: down_up, down, up or fixed"
    )
    parser.add_argument("--max-cards", type=int, default=0, help="largest hand of a match")
    parser.add_argument("--trump-mode", choices=TRUMP_MODES, default="rotation")
    parser.add_argument("--no-hook", action="store_true", help="play without the hook rule")
    parser.add_argument("--scoring", choices=SCORINGS, default="exact")
    parser.add_argument("--hint", action="store_true", help="show the advice before each move")
    parser.add_argument(
        "--hint-agent", default="pretrained", help="network giving hints (default pretrained)"
    )
    parser.add_argument("--seed", type=seed_arg, default=None, help="deals and agents' seed")
    parser.add_argument("--record", default=DEFAULT_RECORD, help="file the rounds are added to")
    parser.add_argument("--no-record", action="store_true", help="do not record the rounds")
    parser.add_argument("--replay", metavar="FILE", help="step through the rounds of a record")
    parser.add_argument("--web", action="store_true", help="play in the browser instead")
    parser.add_argument("--port", type=int, default=0, help="--web: the port (0: a free one)")
    add_version(parser)
    return parser


def _opponent_specs(text: str, num_players: int) -> list[str]:
    specs = [part.strip() for part in text.split(",") if part.strip()]
    if len(specs) == 1:
        return specs * (num_players - 1)
    if len(specs) != num_players - 1:
        raise ValueError(
            f"--opponents: give one agent or {num_players - 1} (one per other seat), "
            f"got {len(specs)}"
        )
    return specs


def _seats(args: argparse.Namespace, seed: int) -> list[Seat]:
    """The table: the person in ``args.seat``, the opponents' agents (seeded from ``seed``)
    elsewhere; a network named twice is loaded once."""
    from blobzero.evaluation.arena import make_agent, named_network_agent
    from blobzero.nn.specs import checkpoint_spec, load_named_network
    from blobzero.play.game import Seat

    specs = _opponent_specs(args.opponents, args.players)
    networks: dict[str, NamedNetwork] = {}
    seats: list[Seat] = []
    others = iter(specs)
    for seat in range(args.players):
        if seat == args.seat:
            seats.append(Seat("you"))
            continue
        spec = next(others)
        agent_seed = seed + seat
        if checkpoint_spec(spec) is None:
            seats.append(Seat(spec, make_agent(spec, agent_seed)))
            continue
        if spec not in networks:
            networks[spec] = load_named_network(spec)
        loaded = networks[spec]
        seats.append(Seat(loaded.name, named_network_agent(loaded, agent_seed)))
    return seats


def _rounds(args: argparse.Namespace, seed: int) -> list[State]:
    """The deals of the game: every round of a match, or ``--rounds`` single rounds."""
    from blobzero._core.game import Rules
    from blobzero.evaluation.arena import make_deal, make_match_deal

    hook = not args.no_hook
    if args.match:
        rules = Rules(
            args.players,
            schedule=args.schedule,
            max_cards=args.max_cards,
            trump_mode=args.trump_mode,
            hook_rule=hook,
            scoring=args.scoring,
        )
        return [make_match_deal(seed, i, rules) for i in range(len(rules.cards_per_round()))]
    if args.rounds < 1:
        raise ValueError(f"--rounds must be at least 1, got {args.rounds}")
    return [
        make_deal(
            seed,
            i,
            num_players=args.players,
            hand_sizes=[args.cards],
            trump_mode=args.trump_mode,
            hook_rule=hook,
            scoring=args.scoring,
        )
        for i in range(args.rounds)
    ]


def _read(prompt: str) -> str:
    return input(prompt)


def _write(text: str) -> None:
    print(text, flush=True)


def _replay(path: str) -> int:
    from blobzero.play.records import read_records

    records = read_records(path)
    pause = sys.stdin.isatty()
    for number, record in enumerate(records, start=1):
        seats = ", ".join(f"{s}: {name}" for s, name in enumerate(record.players))
        _write(f"\n=== Record {number}/{len(records)} (round {record.round_index + 1}) {seats} ===")
        for step, state in enumerate(record.states()):
            if step > 0:
                _write(f"-> {record.actions[step - 1]}")
            _write(state.render())
            more = step < len(record.actions)
            if pause and more and _read("Enter: next move, q: quit ").strip().lower() == "q":
                return 0
        _write(f"scores {record.scores}" + (f"  totals {record.totals}" if record.totals else ""))
    return 0


def _serve(
    args: argparse.Namespace,
    seats: list[Seat],
    rounds: list[State],
    record: str | None,
    hint: PimcBot,
) -> int:
    from blobzero.play.game import TableGame
    from blobzero.play.web import WebTable, make_server

    table = WebTable(TableGame(seats, args.seat, rounds, record), hint)
    try:
        server = make_server(table, args.port)
    except OSError as error:
        _write(f"blobzero-play: cannot serve on port {args.port}: {error}")
        return 2
    port = server.server_address[1]
    _write(f"blobzero table at http://127.0.0.1:{port}/  (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        _write("\nStopped." + (f" Finished rounds are in {record}." if record else ""))
    finally:
        server.server_close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.replay:
        try:
            return _replay(args.replay)
        except (ValueError, OSError) as error:
            parser.error(str(error))
        except (EOFError, KeyboardInterrupt):
            return 130
    import random

    from blobzero.play.terminal import QuitGame, TerminalTable

    seed = args.seed if args.seed is not None else random.randrange(2**32)
    try:
        if not 3 <= args.players <= 8:
            raise ValueError(f"--players must be 3..8, got {args.players}")
        if not 0 <= args.seat < args.players:
            raise ValueError(f"--seat must be 0..{args.players - 1}, got {args.seat}")
        if not 0 <= args.port <= 65535:
            raise ValueError(f"--port must be 0..65535, got {args.port}")
        rounds = _rounds(args, seed)
        seats = _seats(args, seed)
        from blobzero.evaluation.arena import named_network_agent
        from blobzero.nn.specs import load_named_network

        hint = named_network_agent(load_named_network(args.hint_agent), seed)
    except ValueError as error:
        parser.error(str(error))
    record = None if args.no_record else args.record
    if args.web:
        return _serve(args, seats, rounds, record, hint)
    table = TerminalTable(
        seats, args.seat, _write, _read, hint=hint, show_hints=args.hint, record_path=record
    )
    _write(f"blobzero-play: seed {seed}; you are seat {args.seat}")
    try:
        table.play(rounds)
    except (QuitGame, EOFError, KeyboardInterrupt):
        _write("\nStopped." + (f" Finished rounds are in {record}." if record else ""))
        return 130
    if record:
        _write(f"Rounds recorded in {record} (blobzero-play --replay {record}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
