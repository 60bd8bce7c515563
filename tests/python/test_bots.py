"""Bots and play_round (python/blobzero/bots.py, cpp/blobzero/search/bots.h, pimc_bot.h).

The Bot contract (search/bot.h): act(state, observer) needs ``observer`` to be the player to act
in an unfinished round (ValueError otherwise), returns a legal action, reads only what
``observer`` may know, and a seeded bot is reproducible. Checked here for every bot over random
rounds of every table size and rules variant, plus: the heuristic beats random play over
duplicate deals, play_round's errors name the seat, and config validation names the field.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable

import pytest

import blobzero as bz
from blobzero import State
from support import ALL_VARIANTS, max_hand, random_playout
from test_information_hiding import resample_hidden

BotFactory = Callable[[int], bz.Bot]

# Every bot, small enough that hundreds of rounds take seconds.
BOTS: dict[str, BotFactory] = {
    "random": lambda seed: bz.RandomBot(seed),
    "heuristic": lambda seed: bz.HeuristicBot(seed),
    "ismcts": lambda seed: bz.IsmctsBot(bz.IsmctsConfig(simulations=40), seed),
    "ismcts_relative_sampled": lambda seed: bz.IsmctsBot(
        bz.IsmctsConfig(40, 0.5, relative_values=True, final_policy="normalized_visit_count"),
        seed,
    ),
    "pimc": lambda seed: bz.PimcBot(
        bz.PuctConfig(num_worlds=2, simulations_per_world=12), bz.RolloutEvaluator(seed), seed
    ),
    "pimc_noise_temperature": lambda seed: bz.PimcBot(
        bz.PuctConfig(
            num_worlds=2,
            simulations_per_world=12,
            dirichlet_fraction=0.25,
            temperature=1.0,
            relative_values=True,
        ),
        bz.RolloutEvaluator(seed, relative_values=True),
        seed,
    ),
}
NAMES = list(BOTS)


def random_position(rng: random.Random, rules: bz.RoundRules, seed: int) -> State:
    """A state at a random decision point (never finished) of a random round of ``rules``."""
    state = State(rules, dealer=seed % rules.num_players, seed=seed)
    actions = random_playout(state.clone(), rng)
    return State.replay(rules, state.initial_deal(), actions[: rng.randrange(len(actions))])


# ---------------------------------------------------------------------------------------------
# Legal actions and the act contract.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("players", range(3, 9))
def test_every_bot_plays_only_legal_actions_under_every_variant(players: int) -> None:
    rng = random.Random(players)
    decisions = dict.fromkeys(NAMES, 0)
    for i, variant in enumerate(ALL_VARIANTS):
        n = rng.randint(1, max_hand(players, variant.turn_up))
        rules = variant.round_rules(players, n)
        seats = [NAMES[(i + p) % len(NAMES)] for p in range(players)]
        bots = [BOTS[name](1000 * players + i) for name in seats]
        state = State(rules, dealer=i % players, seed=i)
        while not state.is_terminal():
            seat = state.current_player
            assert seat is not None
            before = state.clone()
            action = bots[seat].act(state, seat)
            assert state == before, f"{seats[seat]} changed the state it was given"
            assert isinstance(action, int)
            assert state.is_legal(action), (
                f"{seats[seat]} chose illegal {bz.action_to_string(action)} under {variant}, "
                f"{players} x {n}:\n{state}"
            )
            state.apply_action(action)
            decisions[seats[seat]] += 1
    assert all(count > 0 for count in decisions.values()), decisions


@pytest.mark.parametrize("name", NAMES)
def test_act_rejects_anyone_but_the_player_to_act(name: str) -> None:
    rules = bz.RoundRules(4, 3, trump="H")
    state = State(rules, dealer=0, seed=1)
    bot = BOTS[name](0)
    with pytest.raises(ValueError, match=r"player 2 is not the player to act \(player 1 is\)"):
        bot.act(state, 2)
    with pytest.raises(ValueError, match="observer 4 is outside 0..3"):
        bot.act(state, 4)
    with pytest.raises(ValueError, match="observer -1 is outside 0..3"):
        bot.act(state, -1)
    finished = state.clone()
    random_playout(finished, random.Random(0))
    for seat in range(4):
        with pytest.raises(ValueError, match=f"the round is over: player {seat}"):
            bot.act(finished, seat)
    # After the errors the bot still plays.
    assert state.is_legal(bot.act(state, 1))


# ---------------------------------------------------------------------------------------------
# Strength: the heuristic against random play over duplicate deals.
# ---------------------------------------------------------------------------------------------


def duplicate_margins(
    make_a: BotFactory, make_b: BotFactory, rules_of: Callable[[int], bz.RoundRules], deals: int
) -> list[float]:
    """Per deal: A's mean score per seat-round minus B's, the deal played twice with A in the
    even seats and then in the odd ones (so both agents hold every hand)."""
    margins = []
    for deal in range(deals):
        rules = rules_of(deal)
        players = rules.num_players
        start = State(rules, dealer=deal % players, seed=deal)
        totals = [0.0, 0.0]  # A, B
        for swap in (0, 1):
            a, b = make_a(2 * deal + swap), make_b(2 * deal + swap)
            seats = [a if (p + swap) % 2 == 0 else b for p in range(players)]
            scores = bz.play_round(start, seats).scores()
            for p, score in enumerate(scores):
                totals[(p + swap) % 2] += score
        # A and B each sit in `players` seat-rounds over the two replays (an odd table gives one
        # agent the extra seat each time: it still evens out over the pair).
        margins.append((totals[0] - totals[1]) / players)
    return margins


def test_heuristic_beats_random_by_a_wide_margin() -> None:
    # Blob rules (exact scoring, hook rule), hand sizes and trumps of a whole 4-player match.
    match = bz.preset("blob", 4)
    rounds = len(match.cards_per_round())
    margins = duplicate_margins(
        lambda seed: bz.HeuristicBot(seed),
        lambda seed: bz.RandomBot(seed),
        lambda deal: match.round_at(deal % rounds),
        deals=200,
    )
    mean = statistics.fmean(margins)
    half_width = 1.96 * statistics.stdev(margins) / math.sqrt(len(margins))
    # Measured: +3.9 +- 0.5 points per seat-round (a made bid scores 10 + bid).
    assert mean > 2.0, f"heuristic - random = {mean:.2f} +- {half_width:.2f}"
    assert mean - half_width > 0


# ---------------------------------------------------------------------------------------------
# Reproducibility.
# ---------------------------------------------------------------------------------------------


SEATS = ["ismcts", "pimc", "random", "ismcts_relative_sampled", "pimc_noise_temperature"]


def seeded_game(seed: int, bots: list[bz.Bot] | None = None) -> list[int]:
    """A 5-player oh_hell round between bots seeded from ``seed`` (or the given bots)."""
    rules = bz.RoundRules(5, 6, turn_up=True, scoring="oh_hell")
    if bots is None:
        bots = [BOTS[name](seed + p) for p, name in enumerate(SEATS)]
    history: list[int] = bz.play_round(State(rules, dealer=2, seed=77), bots).history
    return history


def test_a_seeded_game_between_bots_is_reproducible() -> None:
    first = seeded_game(1)
    assert seeded_game(1) == first
    # Other seeds give other games.
    assert len({tuple(seeded_game(seed)) for seed in range(1, 5)}) > 1


def test_reseed_restarts_a_bots_stream() -> None:
    # PimcBot is left out: reseed restarts the bot's stream but not its RolloutEvaluator's, which
    # has a stream of its own (rebuild the evaluator to replay a PIMC game).
    names = ["ismcts", "random", "ismcts_relative_sampled", "heuristic", "random"]
    rules = bz.RoundRules(5, 4, trump="D", scoring="oh_hell_penalty")
    start = State(rules, dealer=4, seed=3)
    fresh = bz.play_round(start, [BOTS[name](10 + p) for p, name in enumerate(names)])
    used = [BOTS[name](99) for name in names]
    bz.play_round(State(rules, dealer=0, seed=4), used)
    for p, bot in enumerate(used):
        bot.reseed(10 + p)
    assert bz.play_round(start, used).history == fresh.history


# ---------------------------------------------------------------------------------------------
# play_round.
# ---------------------------------------------------------------------------------------------


class Scripted:
    """A Python player: the first legal action, except ``answer`` at its ``turn``-th decision."""

    def __init__(self, answer: object = None, turn: int = 0) -> None:
        self.answer, self.turn, self.decisions = answer, turn, 0

    def act(self, state: State, observer: int) -> int:
        self.decisions += 1
        if self.decisions - 1 == self.turn and self.answer is not None:
            return self.answer  # type: ignore[return-value]
        return state.legal_actions()[0]

    def __repr__(self) -> str:
        return "Scripted()"


def test_play_round_plays_python_and_cpp_players_to_the_end() -> None:
    rules = bz.RoundRules(3, 4, trump="N")
    start = State(rules, dealer=0, seed=5)
    python_player = Scripted()
    final = bz.play_round(start, [python_player, bz.HeuristicBot(), bz.RandomBot(3)])
    assert final.is_terminal()
    assert python_player.decisions == 1 + 4  # one bid, four cards
    assert start == State(rules, dealer=0, seed=5), "play_round must not change its argument"
    assert start.history == []


def test_play_round_errors_name_the_problem() -> None:
    rules = bz.RoundRules(4, 3, trump="S")
    start = State(rules, dealer=0, seed=2)
    with pytest.raises(ValueError, match="play_round got 3 players for a table of 4"):
        bz.play_round(start, [bz.RandomBot()] * 3)
    with pytest.raises(ValueError, match="play_round got 5 players for a table of 4"):
        bz.play_round(start, [bz.RandomBot()] * 5)
    # An illegal card at seat 2's second decision (its first card play).
    illegal = next(c for c in range(52) if c not in start.hand(2))
    seats: list[bz.Player] = [bz.RandomBot(), bz.RandomBot(), Scripted(illegal, 1), bz.RandomBot()]
    with pytest.raises(ValueError, match=r"player at seat 2 \(Scripted\(\)\) chose \d+: "):
        bz.play_round(start, seats)
    # A bid out of range at seat 1's first decision; an action id outside 0..69.
    seats = [bz.RandomBot(), Scripted(bz.BID_ACTION_BASE + 4), bz.RandomBot(), bz.RandomBot()]
    with pytest.raises(ValueError, match=r"player at seat 1 \(Scripted\(\)\) chose 56"):
        bz.play_round(start, seats)
    seats = [bz.RandomBot(), bz.RandomBot(), bz.RandomBot(), Scripted(99)]
    with pytest.raises(ValueError, match=r"player at seat 3 \(Scripted\(\)\) chose 99: .*69"):
        bz.play_round(start, seats)

    # A player's own exception is not disguised.
    class Broken:
        def act(self, state: State, observer: int) -> int:
            raise RuntimeError("model crashed")

    with pytest.raises(RuntimeError, match="model crashed"):
        bz.play_round(start, [bz.RandomBot(), Broken(), bz.RandomBot(), bz.RandomBot()])
    assert start.history == []


# ---------------------------------------------------------------------------------------------
# Config validation.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"simulations": 0}, "simulations = 0 is outside 1..10000000"),
        ({"simulations": -5}, "simulations = -5 is outside 1..10000000"),
        ({"uct_c": -0.1}, "uct_c = -0.1.* must be finite and not negative"),
        ({"uct_c": math.nan}, "uct_c = .*nan.* must be finite and not negative"),
        ({"uct_c": math.inf}, "uct_c = .*inf.* must be finite and not negative"),
        ({"final_policy": "max_value"}, "unknown final_policy 'max_value'"),
    ],
)
def test_ismcts_config_names_the_bad_field(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bz.IsmctsConfig(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_worlds": 0}, "num_worlds = 0 is outside 1..4096"),
        ({"simulations_per_world": 0}, "simulations_per_world = 0 is outside 1..10000000"),
        ({"c_puct": 0.0}, "c_puct must be positive"),
        ({"c_puct": math.nan}, "c_puct = nan must be a finite number"),
        ({"leaves_per_tree": 0}, "leaves_per_tree = 0 is outside 1..1024"),
        ({"virtual_loss": -1.0}, "virtual_loss must not be negative"),
        ({"dirichlet_alpha": 0.0}, "dirichlet_alpha must be positive"),
        ({"dirichlet_fraction": 1.5}, "dirichlet_fraction must be within 0..1"),
        ({"dirichlet_fraction": -0.1}, "dirichlet_fraction must be within 0..1"),
        ({"temperature": -1.0}, "temperature must not be negative"),
        ({"temperature": math.inf}, "temperature = inf must be a finite number"),
        ({"virtual_loss": -math.inf}, "virtual_loss = -inf must be a finite number"),
        ({"dirichlet_alpha": math.inf}, "dirichlet_alpha = inf must be a finite number"),
    ],
)
def test_puct_config_names_the_bad_field(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bz.PuctConfig(**kwargs)  # type: ignore[arg-type]


def test_puct_config_rejects_a_nan_fpu_reduction() -> None:
    with pytest.raises(ValueError, match="fpu_reduction = nan must be a finite number"):
        bz.PuctConfig(fpu_reduction=math.nan)


def test_good_configs_keep_their_values() -> None:
    config = bz.IsmctsConfig(simulations=7, uct_c=1.25, relative_values=True)
    assert (config.simulations, config.uct_c, config.relative_values) == (7, 1.25, True)
    assert bz.IsmctsConfig().uct_c == pytest.approx(0.67)
    rules = bz.preset("openspiel_oh_hell", 4, 5).round_at(0)
    # OpenSpiel's raw-score constant 5.0 over the 0..15 range of a 5-card oh_hell round.
    assert bz.uct_c_from_raw_scores(5.0, rules) == pytest.approx(5.0 * 2 / 15)
    puct = bz.PuctConfig(num_worlds=4, simulations_per_world=9, c_puct=2.0)
    assert (puct.num_worlds, puct.simulations_per_world, puct.c_puct) == (4, 9, 2.0)


# ---------------------------------------------------------------------------------------------
# Information hiding.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_decisions_never_depend_on_hidden_cards(name: str) -> None:
    # Two states that differ only in cards hidden from the player to act: the same bot with the
    # same seed must choose the same action (and, for searches, find the same root statistics).
    rng = random.Random(NAMES.index(name))
    tested = 0
    for trial in range(40):
        players = rng.randint(3, 8)
        variant = ALL_VARIANTS[trial % len(ALL_VARIANTS)]
        rules = variant.round_rules(players, rng.randint(2, max_hand(players, variant.turn_up)))
        state = random_position(rng, rules, seed=trial)
        observer = state.current_player
        assert observer is not None
        other = resample_hidden(state, observer, rng)
        if other is None:
            continue
        twin = State.replay(rules, other, state.history)
        assert twin != state and twin.observe(observer) == state.observe(observer)
        bots = [BOTS[name](trial), BOTS[name](trial)]
        actions = [bot.act(s, observer) for bot, s in zip(bots, (state, twin), strict=True)]
        assert actions[0] == actions[1], f"{name} read hidden cards:\n{state}\n{twin}"
        results = [getattr(bot, "last_result", None) for bot in bots]
        if results[0] is not None:
            assert (results[0].visits == results[1].visits).all()
        tested += 1
    assert tested >= 25
