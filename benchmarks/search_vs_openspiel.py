"""blobzero's searches against OpenSpiel's IS-MCTS: speed, playing strength, determinizer cost.

Three parts, all seeded (--seed), on the openspiel_oh_hell preset (default 4 players x 5 tricks):

speed         Simulations per second on one thread over the same decision points (drawn from
              random games; decisions with one legal action are skipped, as both searches skip
              them): our SO-ISMCTS (random rollouts) against pyspiel.ISMCTSBot with
              RandomRolloutEvaluator(1 rollout), both at --simulations per move, timed in turns
              position by position so that machine noise hits both alike; and our PIMC-PUCT with
              RolloutEvaluator (--pimc-worlds x --pimc-sims per move).
strength      Duplicate deals, each played twice: agent A in seats 0, 2 and B in 1, 3, then the
              seats swapped, so both agents hold every hand. The figure is A's mean score per
              seat-round minus B's, per deal, with a 95% t-interval over deals. Equal budgets:
              --simulations per move for both IS-MCTS, PIMC as worlds x sims with the same total.
              Both searches play the most visited move. OpenSpiel's uct_c is its constant 5.0 on
              raw returns; ours is the same constant converted to our value scale
              (uct_c_from_raw_scores: 5.0 * 2 / 15 = 0.67 at 5 tricks, also our default).
              OpenSpiel's bot sees the hidden cards concealed (OpenSpielPlayer's default: a
              uniform draw of the cards its seat cannot see) or, with --openspiel-sees true, the
              true deal, whose set of opponents' cards its oh_hell ResampleFromInfostate keeps.
              Deals run over --workers processes (each one thread).
determinizer  Microseconds per uniform sample for 4 x 13 mid-round positions with several voids
              (found by random play-outs), construction (counting) apart from sampling.

    python benchmarks/search_vs_openspiel.py                       # everything, a few minutes
    python benchmarks/search_vs_openspiel.py --parts speed --positions 200
    python benchmarks/search_vs_openspiel.py --parts strength --deals 2000 --workers 2
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import random
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import blobzero as bz
from blobzero.interop import openspiel as ops

OPENSPIEL_UCT_C = 5.0  # OpenSpiel's IS-MCTS tests' constant, on raw returns
MAX_OPENSPIEL_SEED = 2**31 - 1


def derive(*parts: int) -> int:
    """A seed from several integers (stable across runs and processes)."""
    value = 0x9E3779B97F4A7C15
    for part in parts:
        value = (value ^ (part + 0x632BE59BD9B4E019 + (value << 6) + (value >> 2))) % 2**64
    return value


def rules_for(players: int, cards: int) -> bz.RoundRules:
    return bz.preset("openspiel_oh_hell", players, cards).round_at(0)


def our_uct_c(rules: bz.RoundRules) -> float:
    return float(bz.uct_c_from_raw_scores(OPENSPIEL_UCT_C, rules))


# ---------------------------------------------------------------------------------------------
# Speed.


def decision_points(rules: bz.RoundRules, count: int, seed: int) -> list[bz.State]:
    """``count`` decision points with two or more legal actions, two from each random game."""
    rng = random.Random(seed)
    points: list[bz.State] = []
    game = 0
    while len(points) < count:
        state = bz.State(rules, dealer=game % rules.num_players, seed=derive(seed, game))
        game += 1
        states = []
        while not state.is_terminal():
            if len(state.legal_actions()) > 1:
                states.append(state.clone())
            actions = state.legal_actions()
            state.apply_action(actions[int(rng.random() * len(actions))])
        points.extend(rng.sample(states, min(2, len(states), count - len(points))))
    return points


def run_speed(args: argparse.Namespace) -> None:
    rules = rules_for(args.players, args.cards)
    game = ops.game_for(rules)
    points = decision_points(rules, args.positions, derive(args.seed, 1))
    os_states = [ops.state_to_openspiel(p, game) for p in points]
    bidding = sum(p.phase == bz.Phase.BIDDING for p in points)
    ours = bz.IsmctsSearch(bz.IsmctsConfig(args.simulations, our_uct_c(rules)))
    theirs = ops.openspiel_ismcts_bot(game, args.simulations, OPENSPIEL_UCT_C, seed=1)
    pimc = bz.PimcSearch(
        bz.PuctConfig(num_worlds=args.pimc_worlds, simulations_per_world=args.pimc_sims),
        bz.RolloutEvaluator(seed=2),
    )
    # Warm-up: first allocations, caches, lazy tables.
    for i in range(min(5, len(points))):
        ours.run(points[i], seed=i)
        theirs.step(os_states[i])
        pimc.run(points[i], seed=i)
    time_ours = time_theirs = time_pimc = 0.0
    sims_ours = 0
    for i, (point, os_state) in enumerate(zip(points, os_states, strict=True)):
        start = time.perf_counter()
        result = ours.run(point, seed=derive(args.seed, 2, i))
        time_ours += time.perf_counter() - start
        sims_ours += result.simulations
        start = time.perf_counter()
        theirs.step(os_state)
        time_theirs += time.perf_counter() - start
        start = time.perf_counter()
        pimc.run(point, seed=derive(args.seed, 3, i))
        time_pimc += time.perf_counter() - start
    sims_theirs = args.simulations * len(points)
    sims_pimc = args.pimc_worlds * args.pimc_sims * len(points)
    rate_ours, rate_theirs = sims_ours / time_ours, sims_theirs / time_theirs
    rate_pimc = sims_pimc / time_pimc
    print(
        f"\n## Speed: {len(points)} decision points ({bidding} bids, {len(points) - bidding} card "
        f"plays) of {args.players} x {args.cards} oh_hell, one thread\n"
    )
    print("| Search | Per move | ms per move | Simulations/s | vs OpenSpiel |")
    print("|---|---|---:|---:|---:|")
    rows = [
        ("OpenSpiel ISMCTSBot, random rollouts", f"{args.simulations} sims", time_theirs,
         rate_theirs),
        ("blobzero SO-ISMCTS, random rollouts", f"{args.simulations} sims", time_ours, rate_ours),
        ("blobzero PIMC-PUCT, RolloutEvaluator", f"{args.pimc_worlds} x {args.pimc_sims} sims",
         time_pimc, rate_pimc),
    ]  # fmt: skip
    for name, budget, elapsed, rate in rows:
        print(
            f"| {name} | {budget} | {1000 * elapsed / len(points):.2f} | {rate:,.0f} | "
            f"{rate / rate_theirs:.1f}x |"
        )
    target = "met" if rate_ours >= 5 * rate_theirs else "NOT met"
    print(f"\nSO-ISMCTS / OpenSpiel = {rate_ours / rate_theirs:.1f}x (target >= 5x: {target})")


# ---------------------------------------------------------------------------------------------
# Strength.


@dataclass(frozen=True)
class Matchup:
    # Agent A: "ismcts" or "pimc" (ours), or "openspiel" (OpenSpiel's ISMCTSBot given concealed
    # deals: to measure what seeing the true deal is worth to it). B is OpenSpiel's ISMCTSBot.
    name: str
    openspiel_sees: str  # "concealed" or "true"


@dataclass(frozen=True)
class DealResult:
    margin: float  # A's mean score per seat-round minus B's
    score_a: float  # A's mean score per seat-round
    score_b: float
    made_a: int  # exact bids made by A (of 2 * players / 2 seat-rounds)
    made_b: int
    seconds_a: float  # time spent deciding, per agent
    seconds_b: float


class Timed:
    """A player that adds its decision time to a counter."""

    def __init__(self, player: Any) -> None:
        self.player = player
        self.seconds = 0.0

    def act(self, state: bz.State, observer: int) -> int:
        start = time.perf_counter()
        action: int = self.player.act(state, observer)
        self.seconds += time.perf_counter() - start
        return action


_CONFIG: dict[str, Any] = {}


def _init_worker(config: dict[str, Any]) -> None:
    _CONFIG.update(config)


def play_deal(task: tuple[Matchup, int]) -> DealResult:
    """One duplicate deal: A in the even seats, then in the odd ones."""
    matchup, deal = task
    c = _CONFIG
    rules = rules_for(c["players"], c["cards"])
    game = ops.game_for(rules)
    players = rules.num_players
    start = bz.State(rules, dealer=deal % players, seed=derive(c["seed"], 10, deal))
    totals, made, seconds = [0.0, 0.0], [0, 0], [0.0, 0.0]
    for swap in (0, 1):
        seed = derive(c["seed"], 11, deal, swap)
        if matchup.name == "ismcts":
            config: Any = bz.IsmctsConfig(c["simulations"], our_uct_c(rules))
            ours: Any = bz.IsmctsBot(config, seed)
        elif matchup.name == "pimc":
            config = bz.PuctConfig(
                num_worlds=c["strength_pimc_worlds"],
                simulations_per_world=c["simulations"] // c["strength_pimc_worlds"],
            )
            ours = bz.PimcBot(config, bz.RolloutEvaluator(seed), seed)
        elif matchup.name == "openspiel":  # OpenSpiel's bot itself, on concealed deals
            other = ops.openspiel_ismcts_bot(
                game, c["simulations"], OPENSPIEL_UCT_C, seed=(seed + 1) % MAX_OPENSPIEL_SEED
            )
            ours = ops.OpenSpielPlayer(other, game, hide_hidden_cards=True, seed=seed + 1)
        else:
            raise ValueError(f"unknown agent {matchup.name!r}")
        bot = ops.openspiel_ismcts_bot(
            game, c["simulations"], OPENSPIEL_UCT_C, seed=seed % MAX_OPENSPIEL_SEED
        )
        theirs = ops.OpenSpielPlayer(
            bot, game, hide_hidden_cards=matchup.openspiel_sees == "concealed", seed=seed
        )
        agents = [Timed(ours), Timed(theirs)]
        seats = [agents[(p + swap) % 2] for p in range(players)]
        final = bz.play_round(start, seats)
        for p, score in enumerate(final.scores()):
            agent = (p + swap) % 2
            totals[agent] += score
            made[agent] += final.bids[p] == final.tricks_won[p]
        for k in (0, 1):
            seconds[k] += agents[k].seconds
    # Each agent sat in `players` seat-rounds over the two replays (an even table: players / 2
    # seats each time).
    return DealResult(
        margin=(totals[0] - totals[1]) / players,
        score_a=totals[0] / players,
        score_b=totals[1] / players,
        made_a=made[0],
        made_b=made[1],
        seconds_a=seconds[0],
        seconds_b=seconds[1],
    )


def t_quantile(n: int) -> float:
    """The 97.5% quantile of Student's t with n - 1 degrees of freedom."""
    try:
        from scipy.stats import t

        return float(t.ppf(0.975, n - 1))
    except ImportError:
        return 1.96


def summarize(results: list[DealResult]) -> tuple[float, float]:
    margins = [r.margin for r in results]
    mean = statistics.fmean(margins)
    half = t_quantile(len(margins)) * statistics.stdev(margins) / math.sqrt(len(margins))
    return mean, half


def run_strength(args: argparse.Namespace) -> None:
    if args.players % 2:
        raise SystemExit("the strength part seats A and B alternately: use an even table")
    if args.simulations % args.strength_pimc_worlds:
        raise SystemExit("--simulations must be a multiple of --strength-pimc-worlds")
    config = {
        "players": args.players,
        "cards": args.cards,
        "seed": args.seed,
        "simulations": args.simulations,
        "strength_pimc_worlds": args.strength_pimc_worlds,
    }
    for name in args.agents.split(","):
        if name not in ("ismcts", "pimc", "openspiel"):
            raise SystemExit(f"unknown agent {name!r} (ismcts, pimc, openspiel)")
    for sees in args.openspiel_sees.split(","):
        if sees not in ("concealed", "true"):
            raise SystemExit(f"unknown --openspiel-sees {sees!r} (concealed, true, both)")
    matchups = [
        Matchup(name, sees)
        for name in args.agents.split(",")
        for sees in args.openspiel_sees.split(",")
    ]
    rules = rules_for(args.players, args.cards)
    pimc_budget = f"{args.strength_pimc_worlds} x {args.simulations // args.strength_pimc_worlds}"
    print(
        f"\n## Strength: {args.deals} duplicate deals each ({2 * args.deals} rounds), "
        f"{args.players} x {args.cards} oh_hell, {args.simulations} simulations per move, "
        f"{args.workers} processes\n"
    )
    print(
        f"uct_c: OpenSpiel {OPENSPIEL_UCT_C} (raw returns), SO-ISMCTS {our_uct_c(rules):.4f} "
        "(the same, converted); PIMC c_puct 1.5 (default); most-visited move on all sides.\n"
    )
    print(
        "| A | B = OpenSpiel ISMCTSBot sees | Margin A - B per seat-round (95% CI) | "
        "Score A | Score B | Bids made A | Bids made B | s/move A | s/move B | Wall s |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    context = multiprocessing.get_context("fork")
    with context.Pool(args.workers, initializer=_init_worker, initargs=(config,)) as pool:
        for matchup in matchups:
            start = time.perf_counter()
            tasks = [(matchup, deal) for deal in range(args.deals)]
            results = list(pool.imap(play_deal, tasks, chunksize=4))
            wall = time.perf_counter() - start
            mean, half = summarize(results)
            seat_rounds = len(results) * args.players  # per agent
            decisions = len(results) * args.players * (args.cards + 1)  # per agent, upper bound
            name = {
                "ismcts": "SO-ISMCTS",
                "pimc": f"PIMC {pimc_budget}",
                "openspiel": "OpenSpiel ISMCTSBot, concealed deal",
            }[matchup.name]
            print(
                f"| {name} | {matchup.openspiel_sees} deal | **{mean:+.3f} ± {half:.3f}** | "
                f"{statistics.fmean(r.score_a for r in results):.3f} | "
                f"{statistics.fmean(r.score_b for r in results):.3f} | "
                f"{100 * sum(r.made_a for r in results) / seat_rounds:.1f}% | "
                f"{100 * sum(r.made_b for r in results) / seat_rounds:.1f}% | "
                f"{sum(r.seconds_a for r in results) / decisions:.4f} | "
                f"{sum(r.seconds_b for r in results) / decisions:.4f} | {wall:.0f} |",
                flush=True,
            )


# ---------------------------------------------------------------------------------------------
# Determinizer.


def void_positions(count: int, seed: int, tricks: int) -> Iterator[tuple[bz.State, int]]:
    """4 x 13 positions after ``tricks`` tricks of random play, observer = the player to act,
    ordered by the number of voids the observer's opponents have shown (most first)."""
    rules = bz.RoundRules(4, 13, trump="S")
    rng = random.Random(seed)
    found = []
    for game in range(count):
        state = bz.State(rules, dealer=game % 4, seed=derive(seed, 20, game))
        while state.num_tricks_completed < tricks or state.phase == bz.Phase.BIDDING:
            actions = state.legal_actions()
            state.apply_action(actions[int(rng.random() * len(actions))])
        observer = state.current_player
        assert observer is not None
        voids = sum(bin(v).count("1") for p, v in enumerate(state.voids) if p != observer)
        found.append((voids, game, state, observer))
    found.sort(key=lambda item: (-item[0], item[1]))
    for _, _, state, observer in found:
        yield state, observer


def time_per_call(fn: Callable[[], object], min_seconds: float) -> float:
    """Seconds per call of ``fn``, over at least ``min_seconds``, after one untimed call (the
    first call of a binding that returns a numpy array imports numpy's C API: ~0.15 s)."""
    fn()
    calls, start = 0, time.perf_counter()
    batch = 1
    while True:
        for _ in range(batch):
            fn()
        calls += batch
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / calls
        batch *= 2


def run_determinizer(args: argparse.Namespace) -> None:
    print(
        f"\n## Determinizer: 4 x 13 (spades trump), after {args.det_tricks} tricks of random "
        f"play, the player to act's belief; the {args.det_positions} positions with the most "
        f"voids among {args.det_games} random games\n"
    )
    print(
        "| Voids shown | Hidden cards | Consistent deals | Construct µs | Sample µs "
        "(sample_many) | Sample µs (sample(), Python call) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    positions = void_positions(args.det_games, derive(args.seed, 4), args.det_tricks)
    construct_all, sample_all = [], []
    for _, (state, observer) in zip(range(args.det_positions), positions, strict=False):
        belief = bz.Belief.from_state(state, observer)
        voids = sum(bin(v).count("1") for p, v in enumerate(belief.voids) if p != observer)
        construct = time_per_call(lambda b=belief: bz.Determinizer(b), args.det_seconds)
        determinizer = bz.Determinizer(belief)
        batch = 1000
        bulk = (
            time_per_call(lambda d=determinizer, n=batch: d.sample_many(n, 7), args.det_seconds)
            / batch
        )
        counter = iter(range(10**12))
        single = time_per_call(
            lambda d=determinizer, c=counter: d.sample(next(c)), args.det_seconds
        )
        construct_all.append(construct)
        sample_all.append(bulk)
        print(
            f"| {voids} | {belief.hidden_card_count} | {determinizer.num_consistent_deals:.3g} | "
            f"{1e6 * construct:.2f} | {1e6 * bulk:.3f} | {1e6 * single:.2f} |"
        )
    print(
        f"\nMedian over these positions: construction {1e6 * statistics.median(construct_all):.2f}"
        f" µs, one sample {1e6 * statistics.median(sample_all):.3f} µs (bulk)"
    )


# ---------------------------------------------------------------------------------------------


def describe_code() -> str:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{' + uncommitted changes' if dirty else ''}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("--parts", default="speed,strength,determinizer")
    parser.add_argument("--players", type=int, default=4)
    parser.add_argument("--cards", type=int, default=5)
    parser.add_argument("--simulations", type=int, default=1000, help="per move, both sides")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--positions", type=int, default=100, help="speed: decision points")
    parser.add_argument("--pimc-worlds", type=int, default=10, help="speed: PIMC worlds")
    parser.add_argument("--pimc-sims", type=int, default=100, help="speed: PIMC sims per world")
    parser.add_argument("--deals", type=int, default=500, help="strength: duplicate deals")
    parser.add_argument("--workers", type=int, default=2, help="strength: processes")
    parser.add_argument(
        "--agents",
        default="ismcts,pimc",
        help="strength: agents A, each against OpenSpiel's ISMCTSBot: ismcts, pimc (ours), "
        "openspiel (OpenSpiel's bot on concealed deals)",
    )
    parser.add_argument(
        "--openspiel-sees",
        default="concealed",
        help="strength: what OpenSpiel's bot is given: concealed, true, or both (concealed,true)",
    )
    parser.add_argument(
        "--strength-pimc-worlds", type=int, default=10, help="strength: PIMC worlds (x sims)"
    )
    parser.add_argument("--det-games", type=int, default=400)
    parser.add_argument("--det-positions", type=int, default=5)
    parser.add_argument("--det-tricks", type=int, default=6)
    parser.add_argument("--det-seconds", type=float, default=0.3)
    args = parser.parse_args()
    if args.openspiel_sees == "both":
        args.openspiel_sees = "concealed,true"

    import pyspiel

    print(
        f"# search_vs_openspiel: code {describe_code()}, blobzero {bz.__version__}, "
        f"open_spiel {getattr(pyspiel, '__version__', '?')}, seed {args.seed}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    start = time.perf_counter()
    parts = args.parts.split(",")
    if "speed" in parts:
        run_speed(args)
    if "determinizer" in parts:
        run_determinizer(args)
    if "strength" in parts:
        run_strength(args)
    print(
        f"\nTotal {time.perf_counter() - start:.0f} s; load average at the end: "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
