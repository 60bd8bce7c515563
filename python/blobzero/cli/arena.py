"""``blobzero-arena A B``: a duplicate match between two agents, printed as a table.

A and B are each a checkpoint file (its ``model`` network; ``PATH:best_model`` or
``PATH:model`` picks one) or ``pretrained`` (the network shipped with blobzero), played by
PUCT search with ``--worlds`` x ``--sims`` (the tree its features call for), ``--rollout-weight``
and ``--c-puct`` (each defaulting to the checkpoint's play settings), or a bot spec:
``heuristic``, ``random``, ``ismcts:<simulations>``, ``pimc-rollout:<worlds>x<simulations>``,
``is-rollout:<worlds>x<simulations>``.

    blobzero-arena runs/default/checkpoint.pt heuristic --deals 200 --players 4 --cards 5
    blobzero-arena heuristic random --deals 50 --players 3 --cards 3,4,5 --trump turn_up

The match runs in the C++ arena engine with ``--parallel-games N`` (default 16) games in flight,
the searches of each network sending their positions to its model in shared batches (see
``blobzero.evaluation.arena``); 1 plays the games one by one, in order, exactly reproducibly.

``--json`` prints the result as one JSON object (the settings and ``MatchResult.to_dict()``).
Ctrl-C stops the match and prints the result of the deals that finished (``"interrupted": true``
in JSON).

Exit status: 0 after a match, 2 for bad arguments (a message, no traceback), 130 if interrupted.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence

from blobzero._core.game import MAX_PLAYERS, MIN_PLAYERS
from blobzero.cli.common import add_version, seed_arg
from blobzero.evaluation import arena
from blobzero.nn.specs import checkpoint_spec, load_named_network


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _table_size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not MIN_PLAYERS <= value <= MAX_PLAYERS:
        raise argparse.ArgumentTypeError(
            f"expected a table size {MIN_PLAYERS}..{MAX_PLAYERS}, got {text!r}"
        )
    return value


def _weight(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {text!r}")
    return value


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _card_list(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        try:
            sizes.append(int(part))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected hand sizes like 5 or 3,4,5, got {text!r}"
            ) from None
    return sizes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blobzero-arena",
        description="Plays a duplicate match between two agents and prints the result.",
        epilog=(
            "An agent is a checkpoint file (PATH, PATH:model or PATH:best_model), pretrained "
            "(the network shipped with blobzero) or a bot: " + arena.AGENT_SPECS
        ),
    )
    parser.add_argument("agent_a", metavar="A", help="first agent (checkpoint or bot spec)")
    parser.add_argument("agent_b", metavar="B", help="second agent (checkpoint or bot spec)")
    parser.add_argument("--deals", type=_positive_int, default=200, help="deals (default 200)")
    parser.add_argument(
        "--players", type=_table_size, default=4, help="table size 3..8 (default 4)"
    )
    parser.add_argument(
        "--cards", type=_card_list, default=[5], help="hand size or list, e.g. 3,4,5 (default 5)"
    )
    parser.add_argument("--trump", choices=arena.TRUMP_MODES, default="rotation")
    parser.add_argument(
        "--scoring", choices=("exact", "oh_hell", "oh_hell_penalty"), default="exact"
    )
    parser.add_argument("--no-hook", action="store_true", help="play without the hook rule")
    parser.add_argument(
        "--worlds",
        type=_positive_int,
        help="network agents' worlds (default: the checkpoint's play settings, else 3)",
    )
    parser.add_argument(
        "--sims",
        type=_positive_int,
        help="network agents' simulations per world (default: the checkpoint's, else 30)",
    )
    parser.add_argument(
        "--rollout-weight",
        type=_weight,
        help="share of random playouts in network agents' leaf values, 0..1 "
        "(default: the checkpoint's, else 0)",
    )
    parser.add_argument(
        "--c-puct",
        type=_positive_number,
        help="network agents' exploration constant (default: the checkpoint's, else the engine's)",
    )
    parser.add_argument("--seed", type=seed_arg, default=0, help="match seed (default 0)")
    parser.add_argument("--device", default="cpu", help="cpu, cuda, cuda:N or auto")
    parser.add_argument(
        "--inference-mode", choices=("torchscript", "eager", "compile"), default="torchscript"
    )
    parser.add_argument(
        "--parallel-games",
        type=_positive_int,
        default=16,
        help="games played at once, their network calls batched together (default 16)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    add_version(parser)
    return parser


def _make_agent(label: str, spec: str, args: argparse.Namespace) -> arena.AgentFactory:
    """The agent factory for ``spec``, named for display; ValueError naming ``label`` if bad."""
    return agent_from_spec(
        spec,
        num_worlds=args.worlds,
        simulations_per_world=args.sims,
        rollout_weight=args.rollout_weight,
        c_puct=args.c_puct,
        device=args.device,
        inference_mode=args.inference_mode,
        label=label,
    )


def agent_from_spec(
    spec: str,
    *,
    num_worlds: int | None = None,
    simulations_per_world: int | None = None,
    rollout_weight: float | None = None,
    c_puct: float | None = None,
    device: str = "cpu",
    inference_mode: str = "torchscript",
    label: str = "agent",
) -> arena.AgentFactory:
    """The agent factory of a command-line agent: a checkpoint file (``PATH``, ``PATH:model``,
    ``PATH:best_model``) or ``pretrained``, played on ``device`` (cpu, cuda, cuda:N or auto)
    with ``num_worlds`` x ``simulations_per_world`` simulations, ``rollout_weight`` and
    ``c_puct``, each of them, where None, from the checkpoint's ``play`` settings
    (``DEFAULT_PLAY`` when it has none); or a bot spec (``arena.AGENT_SPECS``). Named for
    display. Raises ValueError naming ``label`` and the problem."""
    if checkpoint_spec(spec) is None:
        try:
            factory = arena.BotFactory(spec)
        except ValueError:
            raise ValueError(
                f"{label}: {spec!r} is neither a checkpoint file nor a bot spec "
                f"(bots: {arena.AGENT_SPECS})"
            ) from None
        factory.name = spec
        return factory
    from blobzero.nn.device import resolve_device

    try:
        device = resolve_device(device)
    except ValueError as error:
        raise ValueError(f"--device {error}") from None
    try:
        loaded = load_named_network(spec, device)
    except ImportError as error:
        raise ValueError(f"{label}: cannot load checkpoints: {error}") from None
    except ValueError as error:
        raise ValueError(f"{label}: {error}") from None
    play = loaded.play
    return arena.NetworkAgentFactory(
        loaded.net,
        num_worlds or play.num_worlds,
        simulations_per_world or play.simulations_per_world,
        device=device,
        inference_mode=inference_mode,
        rollout_weight=play.rollout_weight if rollout_weight is None else rollout_weight,
        c_puct=play.c_puct if c_puct is None else c_puct,
        name=loaded.name,
    )


def _print_result(result: arena.MatchResult, header: str) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        print(header)
        print(result.format())
        return
    table = Table(title=header, show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for label, value in result.rows():
        table.add_row(label, value)
    Console().print(table)


def _progress_bar(enabled: bool) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A progress callback drawing a rich bar on stderr and a function closing it."""
    if not enabled:
        return None, lambda: None
    try:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    except ImportError:
        return None, lambda: None
    bar = Progress(
        "games",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("games", total=None)
    bar.start()

    def progress(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return progress, bar.stop


def _fail(parser: argparse.ArgumentParser, message: str) -> int:
    """Prints the usage and ``message`` as argparse does for a bad argument; returns 2."""
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the CLI; returns the exit status (see the module docstring)."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("blobzero-arena: interrupted", file=sys.stderr)
        return 130


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    settings = {
        "num_players": args.players,
        "hand_sizes": args.cards,
        "trump_mode": args.trump,
        "hook_rule": not args.no_hook,
        "scoring": args.scoring,
    }
    try:
        arena.make_deal(args.seed, 0, **settings)
    except ValueError as error:
        return _fail(parser, f"--cards {','.join(map(str, args.cards))}: {error}")
    try:
        agent_a = _make_agent("A", args.agent_a, args)
        agent_b = _make_agent("B", args.agent_b, args)
    except ValueError as error:
        return _fail(parser, str(error))
    progress, close = _progress_bar(not args.no_progress)
    cards = ",".join(str(c) for c in args.cards)
    settings_text = (
        f"{args.players} players, cards {cards}, trump {args.trump}, {args.scoring} scoring, "
        f"seed {args.seed}"
    )
    try:
        result = arena.play_match(
            agent_a,
            agent_b,
            deals=args.deals,
            seed=args.seed,
            progress=progress,
            parallel_games=args.parallel_games,
            **settings,
        )
    except arena.MatchInterrupted as stop:
        close()
        print("blobzero-arena: interrupted", file=sys.stderr)
        if stop.partial is not None:
            header = f"{stop.partial.deals} of {stop.deals} deals, then interrupted"
            _report(stop.partial, f"{settings_text}; {header}", args.json, interrupted=True)
        return 130
    finally:
        close()
    _report(result, settings_text, args.json, interrupted=False)
    return 0


def _report(result: arena.MatchResult, settings: str, as_json: bool, interrupted: bool) -> None:
    if as_json:
        print(json.dumps({"settings": settings, "interrupted": interrupted, **result.to_dict()}))
    else:
        _print_result(result, f"{result.name_a} vs {result.name_b}: {settings}")


if __name__ == "__main__":
    sys.exit(main())
