"""Arena: duplicate seatings and deals, match statistics, agents, reproducibility, the CLI."""

from __future__ import annotations

import dataclasses
import json
import math
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

import blobzero as bz
from blobzero._core.selfplay import ArenaAgent, derive_seed
from blobzero.cli import arena as arena_cli
from blobzero.evaluation.arena import (
    AGENT_A,
    AGENT_B,
    AgentFactory,
    BotFactory,
    GameResult,
    MatchInterrupted,
    MatchResult,
    NetworkAgentFactory,
    SeededAgent,
    make_agent,
    make_agent_factory,
    make_deal,
    network_agent,
    play_match,
    seat_assignments,
)
from blobzero.evaluation.elo import elo_difference
from blobzero.evaluation.players import PhaseSplitPlayer, Player, play_round
from blobzero.nn.net_config import NetConfig
from blobzero.nn.network import BlobNet

TINY = NetConfig(d_model=16, num_layers=1, num_heads=2, ff_multiplier=2, dropout=0.0)


class FirstLegal:
    """A deterministic agent without reseed that records the deals it is shown."""

    def __init__(self) -> None:
        self.deals_seen: set[tuple[object, ...]] = set()

    def act(self, state: bz.State, observer: int) -> int:
        deal = state.initial_deal()
        self.deals_seen.add((repr(state.rules), deal.dealer, tuple(map(tuple, deal.hands))))
        return state.legal_actions()[0]


# -- seatings and deals ------------------------------------------------------------------------


@pytest.mark.parametrize("num_players", range(3, 9))
def test_seatings_let_each_agent_hold_every_hand_equally_often(num_players: int) -> None:
    seatings = seat_assignments(num_players)
    assert len(seatings) == (2 if num_players % 2 == 0 else 2 * num_players)
    assert len(set(seatings)) == len(seatings)
    alternating = tuple(seat % 2 for seat in range(num_players))
    complement = tuple(1 - x for x in alternating)
    rotations = {
        base[s:] + base[:s] for base in (alternating, complement) for s in range(num_players)
    }
    assert set(seatings) == rotations
    for seat in range(num_players):
        held = Counter(seating[seat] for seating in seatings)
        assert held[AGENT_A] == held[AGENT_B] == len(seatings) // 2
    for seating in seatings:
        assert seating.count(AGENT_A) in (num_players // 2, (num_players + 1) // 2)


@pytest.mark.parametrize("num_players", [2, 9, 4.0])
def test_seatings_reject_bad_table_sizes(num_players: int) -> None:
    with pytest.raises(ValueError, match="num_players"):
        seat_assignments(num_players)


def test_deals_are_drawn_like_self_play_and_reproducible() -> None:
    draws = [make_deal(7, k, num_players=4, hand_sizes=[3, 5]) for k in range(120)]
    assert draws[0] == make_deal(7, 0, num_players=4, hand_sizes=[3, 5])
    assert draws[0] != make_deal(8, 0, num_players=4, hand_sizes=[3, 5])
    assert {s.rules.trump_suit for s in draws} == {0, 1, 2, 3, None}
    assert {s.rules.num_cards for s in draws} == {3, 5}
    assert {s.dealer for s in draws} == {0, 1, 2, 3}
    assert not any(s.rules.turn_up for s in draws)
    turned = make_deal(1, 3, num_players=5, hand_sizes=[4], trump_mode="turn_up", scoring="oh_hell")
    assert turned.rules.turn_up and turned.initial_deal().turned_up is not None
    assert turned.rules.scoring == bz.Scoring.OH_HELL
    plain = [make_deal(1, k, num_players=3, hand_sizes=[2], trump_mode="none") for k in range(10)]
    assert all(s.rules.trump_suit is None and not s.rules.turn_up for s in plain)
    every = {make_deal(2, k, num_players=4, hand_sizes=[]).rules.num_cards for k in range(200)}
    assert every == set(range(1, 11))  # as self-play: 1..min(10, 52 // P)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"num_players": 4, "hand_sizes": [14]}, r"hand_sizes\[0\] = 14"),
        ({"num_players": 4, "hand_sizes": [13], "trump_mode": "turn_up"}, "1..12"),
        ({"num_players": 9}, "num_players"),
        ({"num_players": 4, "trump_mode": "random"}, "trump_mode"),
        ({"num_players": 4, "scoring": "golf"}, "scoring"),
    ],
)
def test_bad_deal_settings_name_the_field(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_deal(0, 0, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("num_players", [3, 4])
def test_every_replay_of_a_deal_uses_the_same_deal(num_players: int) -> None:
    a, b = FirstLegal(), FirstLegal()
    calls: list[tuple[int, int]] = []
    result = play_match(
        a,
        b,
        deals=3,
        num_players=num_players,
        hand_sizes=[2, 3],
        seed=4,
        progress=lambda done, total: calls.append((done, total)),
    )
    per_deal = 2 if num_players % 2 == 0 else 2 * num_players
    assert result.deals == 3 and result.games == 3 * per_deal
    assert calls == [(i, 3 * per_deal) for i in range(1, 3 * per_deal + 1)]
    assert len(a.deals_seen | b.deals_seen) == 3  # one deal per index, shared by its replays
    for k in range(3):
        replays = [g for g in result.records if g.deal == k]
        assert [g.seating for g in replays] == seat_assignments(num_players)
        for seat in range(num_players):
            held = Counter(g.seating[seat] for g in replays)
            assert held[AGENT_A] == held[AGENT_B]


# -- statistics --------------------------------------------------------------------------------


def _game(deal: int, seating: tuple[int, ...], scores: tuple[int, ...]) -> GameResult:
    return GameResult(deal, seating, scores, bids=(0,) * len(seating), tricks=(0,) * len(seating))


def test_margin_ci_and_win_rate_by_hand() -> None:
    games = [
        _game(0, (0, 1, 0, 1), (10, 2, 6, 0)),  # A 8, B 1
        _game(0, (1, 0, 1, 0), (11, 3, 1, 13)),  # A 8, B 6  -> deal margin (7 + 2) / 2 = 4.5
        _game(1, (0, 1, 0, 1), (0, 12, 0, 10)),  # A 0, B 11
        _game(1, (1, 0, 1, 0), (2, 2, 2, 2)),  # A 2, B 2  -> deal margin -5.5
        _game(2, (0, 1, 0, 1), (5, 5, 5, 5)),
        _game(2, (1, 0, 1, 0), (1, 3, 3, 1)),  # a tie -> margin 0
    ]
    result = MatchResult.from_games(games, name_a="new", name_b="best")
    assert result.deal_margins == (4.5, -5.5, 0.0)
    mean = (4.5 - 5.5 + 0.0) / 3
    sd = math.sqrt(((4.5 - mean) ** 2 + (-5.5 - mean) ** 2 + (0.0 - mean) ** 2) / 2)
    assert result.margin_mean == pytest.approx(mean)
    assert result.margin_ci95 == pytest.approx(1.96 * sd / math.sqrt(3))
    assert result.win_rate == 0.5  # a win, a loss, a tie
    assert result.elo_difference == 0.0
    assert (result.deals, result.games, result.num_players) == (3, 6, 4)
    assert result.score_a == 10 + 6 + 3 + 13 + 0 + 0 + 2 + 2 + 5 + 5 + 3 + 1
    assert result.score_b == 2 + 0 + 11 + 1 + 12 + 10 + 2 + 2 + 5 + 5 + 1 + 3
    assert result.mean_score_a == pytest.approx(result.score_a / 12)
    assert result.mean_score_b == pytest.approx(result.score_b / 12)


def test_odd_tables_average_per_game_means_over_replays() -> None:
    games = [
        _game(0, (0, 1, 0), (10, 4, 2)),  # A's two seats mean 6, B 4
        _game(0, (1, 0, 1), (3, 9, 5)),  # A 9, B's two seats mean 4
    ]
    result = MatchResult.from_games(games)
    assert result.deal_margins == (3.5,)  # ((6 - 4) + (9 - 4)) / 2
    assert result.margin_ci95 == 0.0  # one deal
    assert result.win_rate == 1.0
    assert result.elo_difference == 0.0  # one deal: the score is clipped to [1/2, 1/2]
    assert result.mean_score_a == 7.0 and result.mean_score_b == 4.0  # per seat-round


def test_bid_accuracy_counts_seat_rounds() -> None:
    games = [
        GameResult(0, (0, 1, 0, 1), (12, 0, 10, 11), bids=(2, 1, 0, 1), tricks=(2, 0, 0, 1)),
        GameResult(0, (1, 0, 1, 0), (0, 0, 0, 11), bids=(1, 1, 1, 1), tricks=(0, 2, 0, 1)),
    ]
    result = MatchResult.from_games(games)
    assert result.bid_accuracy_a == 3 / 4  # seats 0, 2 made; seat 1 missed; seat 3 made
    assert result.bid_accuracy_b == 1 / 4
    assert result.win_rate == 1.0


def test_clean_sweep_elo_is_clipped_by_the_number_of_deals() -> None:
    games = [
        _game(k, s, (5, 0, 5, 0) if s[0] == 0 else (0, 5, 0, 5))
        for k in range(10)
        for s in seat_assignments(4)
    ]
    result = MatchResult.from_games(games)
    assert result.win_rate == 1.0
    assert result.elo_difference == pytest.approx(elo_difference(1 - 1 / 20))


def test_result_rows_and_format_name_the_agents() -> None:
    result = MatchResult.from_games(
        [_game(0, (0, 1, 0), (10, 4, 2)), _game(0, (1, 0, 1), (3, 9, 5))],
        name_a="gen-3",
        name_b="heuristic",
    )
    labels = [label for label, _ in result.rows()]
    assert "win rate gen-3" in labels and "bid accuracy heuristic" in labels
    text = result.format()
    assert "+3.500 ± 0.000" in text and "100.0% of deals" in text and "mean score gen-3" in text
    assert result.to_dict()["margin_mean"] == 3.5


def test_from_games_rejects_no_games_and_mixed_tables() -> None:
    with pytest.raises(ValueError, match="at least one game"):
        MatchResult.from_games([])
    with pytest.raises(ValueError, match="same number of seats"):
        MatchResult.from_games([_game(0, (0, 1, 0, 1), (0,) * 4), _game(1, (0, 1, 0), (0,) * 3)])


# -- matches -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda seed: bz.HeuristicBot(seed),
        lambda seed: bz.RandomBot(seed),
        lambda seed: make_agent("pimc-rollout:2x6", seed),
    ],
    ids=["heuristic", "random", "pimc-rollout"],
)
@pytest.mark.parametrize("num_players", [3, 4, 5])
def test_two_copies_of_an_agent_draw_exactly(
    make: Callable[[int], Player], num_players: int
) -> None:
    # Reseeded alike before every game, the copies replay each game with the seats swapped.
    result = play_match(make(1), make(2), deals=3, num_players=num_players, hand_sizes=[3], seed=5)
    assert result.deal_margins == (0.0, 0.0, 0.0)
    assert result.margin_mean == 0.0 and result.margin_ci95 == 0.0
    assert result.win_rate == 0.5 and result.elo_difference == 0.0
    assert result.score_a == result.score_b


def test_heuristic_beats_random() -> None:
    result = play_match(
        make_agent("heuristic"), make_agent("random"), deals=30, num_players=4, seed=2
    )
    assert result.margin_mean - result.margin_ci95 > 0
    assert result.win_rate > 0.7 and result.elo_difference > 100
    assert result.bid_accuracy_a > result.bid_accuracy_b


def test_a_match_is_a_function_of_its_seed() -> None:
    def match(seed: int, a: Player | None = None, b: Player | None = None) -> MatchResult:
        return play_match(
            a or make_agent("pimc-rollout:2x6", 11),
            b or make_agent("ismcts:12", 3),
            deals=3,
            num_players=3,
            hand_sizes=[2, 3],
            trump_mode="turn_up",
            seed=seed,
        )

    first = match(9)
    assert match(9) == first
    a, b = make_agent("pimc-rollout:2x6", 0), make_agent("ismcts:12", 0)
    assert match(9, a, b) == first  # agents are reseeded per game: their own seeds do not matter
    assert match(9, a, b) == first  # nor what they played before
    assert match(10).records != first.records


def test_seeded_agent_rebuilds_on_reseed() -> None:
    built: list[int] = []

    def factory(seed: int) -> bz.RandomBot:
        built.append(seed)
        return bz.RandomBot(seed)

    agent = SeededAgent(factory, 3, name="random")
    agent.reseed(8)
    assert built == [3, 8]
    state = bz.State(bz.RoundRules(4, 3), 0, 1)
    assert agent.act(state, state.current_player or 0) in state.legal_actions()


def test_a_phase_split_player_bids_as_one_player_and_plays_as_the_other() -> None:
    class PhaseRecorder:
        def __init__(self, pick: int) -> None:
            self.pick = pick
            self.phases: list[bz.Phase] = []

        def act(self, state: bz.State, observer: int) -> int:
            self.phases.append(state.phase)
            return state.legal_actions()[self.pick]

    bidder, card_player = PhaseRecorder(pick=-1), PhaseRecorder(pick=0)
    split = PhaseSplitPlayer(bidder, card_player)
    end = play_round(make_deal(5, 0, num_players=4, hand_sizes=[5]), [split] * 4)
    assert bidder.phases == [bz.Phase.BIDDING] * 4
    assert card_player.phases == [bz.Phase.PLAY] * 20
    assert list(end.bids) == [5, 5, 5, 5]  # the bidder's picks: each the highest legal bid


@pytest.mark.parametrize(
    "spec,kind",
    [
        ("heuristic", bz.HeuristicBot),
        ("random", bz.RandomBot),
        (" Ismcts:40 ", bz.IsmctsBot),
        ("pimc-rollout:3x20", SeededAgent),
        ("is-rollout:3x20", SeededAgent),
    ],
)
def test_make_agent_parses_specs(spec: str, kind: type) -> None:
    assert isinstance(make_agent(spec, 1), kind)


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "mcts",
        "ismcts",
        "ismcts:",
        "ismcts:x",
        "ismcts:0",
        "pimc-rollout:3",
        "pimc-rollout:0x5",
        "is-rollout:2x0",
    ],
)
def test_make_agent_names_bad_specs(spec: str) -> None:
    with pytest.raises(ValueError, match=f"agent spec {spec!r}"):
        make_agent(spec)


def test_play_match_rejects_bad_arguments() -> None:
    bot = bz.RandomBot(0)
    with pytest.raises(ValueError, match="deals"):
        play_match(bot, bot, deals=0)
    with pytest.raises(ValueError, match="num_players"):
        play_match(bot, bot, deals=1, num_players=9)
    with pytest.raises(ValueError, match="hand_sizes"):
        play_match(bot, bot, deals=1, num_players=8, hand_sizes=[7])
    with pytest.raises(ValueError, match="seed"):
        play_match(bot, bot, deals=1, seed=-1)
    with pytest.raises(TypeError, match="agent_b"):
        play_match(bot, object(), deals=1)  # type: ignore[arg-type]


def test_an_illegal_move_is_reported() -> None:
    class Cheater:
        def act(self, state: bz.State, observer: int) -> int:
            return 69  # bid 17

    with pytest.raises(ValueError, match="chose 69"):
        play_match(Cheater(), bz.RandomBot(0), deals=1, num_players=3, hand_sizes=[2])


def test_network_agent_plays_legal_reproducible_games() -> None:
    torch.manual_seed(0)
    net = BlobNet(TINY)

    def match() -> MatchResult:
        agent = network_agent(net, 1, 4, seed=0, inference_mode="eager")
        assert isinstance(agent, bz.PimcBot)
        return play_match(agent, make_agent("heuristic"), deals=1, num_players=3, hand_sizes=[2])

    result = match()  # play_round raises on an illegal move
    assert result.games == 6
    assert all(0 <= bid <= 2 for game in result.records for bid in game.bids)
    assert match() == result


@pytest.mark.parametrize("features", ["world", "observation"])
def test_network_agents_search_the_tree_their_features_call_for(features: str) -> None:
    net = BlobNet(dataclasses.replace(TINY, features=features))
    agent = network_agent(net, 2, 5, seed=0, inference_mode="eager")
    factory = NetworkAgentFactory(net, 2, 5, inference_mode="eager")
    for config in (agent.config, factory.config):
        assert config.information_set_tree is (features == "observation")
        assert (config.num_worlds, config.simulations_per_world) == (2, 5)
        assert config.dirichlet_fraction == 0.0 and config.temperature == 0.0


# -- parallel matches ----------------------------------------------------------------------------


class RowModel:
    """A stand-in network whose output rows depend only on their input rows (integer
    arithmetic, so no rounding differs between batch sizes). Counts its calls and batch sizes."""

    def __init__(self, seed: int = 0, fail_on_call: int | None = None) -> None:
        rng = np.random.default_rng(seed)
        self.w_logits = rng.integers(-3, 4, size=(61 * 8, 70))
        self.w_values = rng.integers(-3, 4, size=(61 * 8, 8))
        self.fail_on_call = fail_on_call
        self.batch_sizes: list[int] = []

    def __call__(self, features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.batch_sizes.append(len(features))
        if self.fail_on_call is not None and len(self.batch_sizes) >= self.fail_on_call:
            raise RuntimeError("model failed")
        x = features.reshape(len(features), -1).astype(np.int64)
        logits = ((x @ self.w_logits) % 97).astype(np.float32) / 20
        values = ((x @ self.w_values) % 201 - 100).astype(np.float32) / 100
        return logits, values


class FakeNetwork(AgentFactory):
    """PIMC agents over a ``RowModel``, played by the arena engine like a NetworkAgentFactory."""

    def __init__(self, model: RowModel, name: str = "fake", worlds: int = 2) -> None:
        self.config = bz.PuctConfig(
            num_worlds=worlds, simulations_per_world=6, temperature=0.0, dirichlet_fraction=0.0
        )
        self._row_model = model
        super().__init__(
            lambda seed: bz.PimcBot(self.config, bz.PythonEvaluator(model), seed), name
        )

    def engine_agent(self, model: int) -> ArenaAgent:
        return ArenaAgent("network", puct=self.config, model=model)

    @property
    def model(self) -> RowModel:
        return self._row_model


MATCH = {"deals": 3, "num_players": 3, "hand_sizes": [2, 3], "seed": 6}


def test_parallel_bot_matches_equal_sequential_ones() -> None:
    def match(parallel: int) -> MatchResult:
        return play_match(
            BotFactory("pimc-rollout:2x6"),
            BotFactory("ismcts:12"),
            parallel_games=parallel,
            **MATCH,  # type: ignore[arg-type]
        )

    sequential = match(1)
    assert match(4) == sequential
    assert (sequential.name_a, sequential.name_b) == ("pimc-rollout:2x6", "ismcts:12")
    # Factories build the agents that reseeding would give.
    agents = play_match(
        make_agent("pimc-rollout:2x6"),
        make_agent("ismcts:12"),
        names=("pimc-rollout:2x6", "ismcts:12"),
        **MATCH,  # type: ignore[arg-type]
    )
    assert agents == sequential


def test_parallel_network_matches_batch_and_equal_sequential_ones() -> None:
    def match(parallel: int) -> tuple[MatchResult, RowModel, RowModel]:
        first, second = RowModel(1), RowModel(2)  # two networks: threads feed both evaluators
        result = play_match(
            FakeNetwork(first, "first"),
            FakeNetwork(second, "second"),
            parallel_games=parallel,
            **MATCH,  # type: ignore[arg-type]
        )
        return result, first, second

    sequential, first, _ = match(1)
    assert max(first.batch_sizes) <= 2  # one search's batch: one row per world
    parallel, first, second = match(4)
    assert parallel == sequential
    # Searches of several games merged into one batch (how often depends on the threads'
    # timing, so only that it happens).
    assert max(first.batch_sizes + second.batch_sizes) > 2

    # The same model played by one unbatched agent gives the same games.
    config = bz.PuctConfig(
        num_worlds=2, simulations_per_world=6, temperature=0.0, dirichlet_fraction=0.0
    )
    plain = play_match(
        bz.PimcBot(config, bz.PythonEvaluator(RowModel(1)), 0),
        bz.PimcBot(config, bz.PythonEvaluator(RowModel(2)), 0),
        names=("first", "second"),
        **MATCH,  # type: ignore[arg-type]
    )
    assert plain == sequential


def test_network_agent_factory_plays_as_network_agent() -> None:
    torch.manual_seed(0)
    net = BlobNet(TINY)
    settings = {"deals": 1, "num_players": 3, "hand_sizes": [2], "seed": 3}
    factory = NetworkAgentFactory(net, 1, 4, inference_mode="eager", name="tiny")
    batched = play_match(factory, BotFactory("heuristic"), **settings)  # type: ignore[arg-type]
    plain = play_match(
        network_agent(net, 1, 4, seed=0, inference_mode="eager"),
        make_agent("heuristic"),
        names=("tiny", "heuristic"),
        **settings,  # type: ignore[arg-type]
    )
    assert batched == plain
    parallel = play_match(
        factory,
        BotFactory("heuristic"),
        parallel_games=3,
        **settings,  # type: ignore[arg-type]
    )
    assert parallel.games == 6


def test_make_agent_factory() -> None:
    bot = make_agent_factory(" Heuristic ")
    assert isinstance(bot, BotFactory) and bot.name == "heuristic"
    assert bot.engine_agent(0).kind == "heuristic" and bot.model is None
    assert isinstance(bot(3), bz.HeuristicBot)
    assert make_agent_factory("random", name="rnd").name == "rnd"
    network = make_agent_factory(BlobNet(TINY), num_worlds=2, inference_mode="eager")
    assert isinstance(network, NetworkAgentFactory) and network.name == "network"
    assert network.config.num_worlds == 2 and network.config.simulations_per_world == 30
    assert isinstance(network(0), bz.PimcBot)
    with pytest.raises(ValueError, match="agent spec 'ismcts:0'"):
        make_agent_factory("ismcts:0")
    with pytest.raises(TypeError, match="bot spec or a BlobNet"):
        make_agent_factory(3)  # type: ignore[arg-type]


def test_parallel_progress_runs_on_the_calling_thread_in_order() -> None:
    calls: list[tuple[int, int, int]] = []
    play_match(
        BotFactory("heuristic"),
        BotFactory("random"),
        deals=4,
        parallel_games=3,
        progress=lambda done, total: calls.append((done, total, threading.get_ident())),
    )
    assert calls == [(i, 8, threading.get_ident()) for i in range(1, 9)]


def test_parallel_matches_need_factories() -> None:
    with pytest.raises(TypeError, match="agents the arena engine plays"):
        play_match(BotFactory("random"), bz.RandomBot(0), deals=1, parallel_games=2)
    with pytest.raises(TypeError, match="agents the arena engine plays"):
        play_match(AgentFactory(FirstLegal), BotFactory("random"), deals=1, parallel_games=2)
    with pytest.raises(ValueError, match="parallel_games"):
        play_match(BotFactory("random"), BotFactory("random"), deals=1, parallel_games=0)


def test_a_model_error_stops_a_parallel_match_without_hanging() -> None:
    model = RowModel(fail_on_call=5)
    threads = threading.active_count()
    with pytest.raises(RuntimeError, match="model failed"):
        play_match(FakeNetwork(model), BotFactory("heuristic"), parallel_games=4, **MATCH)  # type: ignore[arg-type]
    assert threading.active_count() == threads
    assert len(model.batch_sizes) == 5  # no call after the failure


# -- the CLI -----------------------------------------------------------------------------------

SMALL = ["--deals", "3", "--players", "3", "--cards", "2,3", "--no-progress"]


def test_cli_prints_the_result_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert arena_cli.main(["heuristic", "random", *SMALL]) == 0
    out = capsys.readouterr().out
    for text in (
        "heuristic vs random",
        "win rate heuristic",
        "Elo heuristic - random",
        "bid accuracy random",
        "mean score heuristic",
        "18 (3 deals x 6 seatings)",
    ):
        assert text in out


def test_cli_parallel_games_do_not_change_the_result(capsys: pytest.CaptureFixture[str]) -> None:
    assert arena_cli.main(["ismcts:10", "random", *SMALL, "--parallel-games", "1"]) == 0
    sequential = capsys.readouterr().out
    assert arena_cli.main(["ismcts:10", "random", *SMALL, "--parallel-games", "3"]) == 0
    assert capsys.readouterr().out == sequential
    assert arena_cli.main(["ismcts:10", "random", *SMALL, "--parallel-games", "0"]) == 2
    assert "--parallel-games" in capsys.readouterr().err


def test_cli_with_progress_and_identical_specs(capsys: pytest.CaptureFixture[str]) -> None:
    assert arena_cli.main(["random", "random", "--deals", "2", "--players", "4"]) == 0
    out = capsys.readouterr().out
    assert "win rate A:random" in out and "+0.000 ± 0.000" in out


@pytest.mark.parametrize(
    "argv,message",
    [
        (["heuristic", "bogus"], "B: 'bogus' is neither a checkpoint file nor a bot spec"),
        (["ismcts:0", "random"], "A: 'ismcts:0'"),
        (["heuristic", "random", "--cards", "x"], "--cards"),
        (["heuristic", "random", "--cards", "14"], "--cards 14: hand_sizes[0] = 14"),
        (["heuristic", "random", "--players", "9"], "--players"),
        (["heuristic", "random", "--deals", "0"], "--deals"),
        (["heuristic", "random", "--trump", "spades"], "--trump"),
        (["heuristic"], "B"),
    ],
)
def test_cli_bad_arguments_exit_2_with_a_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert arena_cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error:" in err
    assert message in err


def test_cli_loads_checkpoints_and_their_play_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from blobzero.nn.checkpoint import PlaySettings, net_config_to_dict, save_checkpoint

    net = BlobNet(dataclasses.replace(TINY, features="observation"))
    path = tmp_path / "run.pt"
    payload = {
        "net_config": net_config_to_dict(net.config),
        "model": net.state_dict(),
        "best_model": net.state_dict(),
    }
    save_checkpoint(path, {**payload, "play": PlaySettings(1, 2, 0.5, 0.75).to_dict()})
    factory = arena_cli.agent_from_spec(f"{path}:best_model", inference_mode="eager")
    assert isinstance(factory, NetworkAgentFactory)
    config = factory.config
    assert (config.num_worlds, config.simulations_per_world) == (1, 2)
    assert config.rollout_weight == 0.5 and config.information_set_tree
    assert config.c_puct == 0.75
    config = arena_cli.agent_from_spec(
        str(path), num_worlds=2, rollout_weight=0.0, c_puct=2.0, inference_mode="eager"
    ).config
    assert (config.num_worlds, config.simulations_per_world, config.rollout_weight) == (2, 2, 0.0)
    assert config.c_puct == 2.0
    # A checkpoint without play settings plays 3 x 30 on the network alone at c_puct 1.5.
    bare = tmp_path / "bare.pt"
    save_checkpoint(bare, payload)
    config = arena_cli.agent_from_spec(str(bare), inference_mode="eager").config
    assert (config.num_worlds, config.simulations_per_world, config.rollout_weight) == (3, 30, 0)
    assert config.c_puct == 1.5
    argv = [f"{path}:best_model", str(path), "--deals", "1", "--players", "3", "--cards", "2"]
    assert arena_cli.main([*argv, "--inference-mode", "eager", "--no-progress"]) == 0
    assert "run.pt:best_model vs run.pt" in capsys.readouterr().out
    assert arena_cli.main([*argv, "--rollout-weight", "1.5"]) == 2
    assert "--rollout-weight" in capsys.readouterr().err
    for bad in ("0", "-1", "nan", "x"):
        assert arena_cli.main([*argv, "--c-puct", bad]) == 2
        assert "--c-puct" in capsys.readouterr().err


def test_cli_pretrained_needs_the_shipped_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import blobzero.nn.pretrained

    monkeypatch.setattr(blobzero.nn.pretrained, "_FILE", tmp_path / "missing.pt")
    assert arena_cli.main(["pretrained", "random", "--deals", "1", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "pretrained network" in err and "Traceback" not in err


def test_cli_reports_a_corrupt_checkpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.pt"
    path.write_bytes(b"not a checkpoint")
    assert arena_cli.main([str(path), "random", "--deals", "1", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "A: cannot load" in err and "broken.pt" in err and "Traceback" not in err


def test_is_rollout_searches_one_information_set_tree() -> None:
    state = bz.State(bz.RoundRules(4, 3), 0, 1)
    agent = make_agent("is-rollout:2x10", seed=3)
    agent.act(state, state.current_player or 0)
    inner = agent._agent  # the PimcBot the SeededAgent wraps
    assert inner.config.information_set_tree
    assert inner.last_result.visits.sum() == 2 * 10 - 1  # one tree, the root evaluated once


def test_match_deals_are_the_rounds_of_whole_matches() -> None:
    from blobzero.evaluation.arena import make_match_deal

    rules = bz.Rules(num_players=4, max_cards=3)  # 3, 2, 1, 2, 3 cards, trump by rotation
    rounds = len(rules.cards_per_round())
    assert rounds == 5
    first = [make_match_deal(7, k, rules) for k in range(rounds)]
    second = [make_match_deal(7, rounds + k, rules) for k in range(rounds)]
    for match in (first, second):
        assert [s.rules for s in match] == [rules.round_at(r) for r in range(rounds)]
        dealers = [s.dealer for s in match]
        assert dealers == [(dealers[0] + r) % 4 for r in range(rounds)]
    assert [s.serialize() for s in first] != [s.serialize() for s in second]
    assert make_match_deal(7, 3, rules).serialize() == first[3].serialize()
    match = bz.Match(rules, derive_seed(7, 1))  # match 1 of the ladder, dealt as it plays
    for r in range(rounds):
        assert second[r] == match.state
        if r + 1 < rounds:
            while match.round_index == r:
                match.apply_action(match.state.legal_actions()[0])
    with pytest.raises(IndexError, match="round_index 5"):
        match.deal_round(5)
    result = play_match(
        make_agent("heuristic"), make_agent("random"), deals=rounds, match_rules=rules, seed=7
    )
    assert result.deals == rounds and result.num_players == 4
    assert [g.deal for g in result.records[:: len(seat_assignments(4))]] == list(range(rounds))
    with pytest.raises(TypeError, match="Rules"):
        make_match_deal(7, 0, rules.round_at(0))  # type: ignore[arg-type]


def test_cli_json_prints_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["heuristic", "random", "--deals", "3", "--players", "3", "--cards", "2"]
    assert arena_cli.main([*argv, "--json", "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["interrupted"] is False and data["deals"] == 3
    assert data["name_a"] == "heuristic" and "3 players, cards 2" in data["settings"]
    assert data["margin_mean"] == pytest.approx(
        play_match(
            BotFactory("heuristic"),
            BotFactory("random"),
            deals=3,
            num_players=3,
            hand_sizes=[2],
        ).margin_mean
    )


@pytest.mark.parametrize(("parallel_games", "stop_after", "whole_deals"), [(1, 13, 2), (4, 29, 4)])
def test_ctrl_c_keeps_the_result_of_the_finished_deals(
    parallel_games: int, stop_after: int, whole_deals: int
) -> None:
    # 5 deals x 6 seatings; Ctrl-C when `stop_after` games have been reported finished. The
    # engine's workers may have finished more by then: the result keeps every whole deal.
    def interrupt(done: int, total: int) -> None:
        if done == stop_after:
            raise KeyboardInterrupt

    threads = threading.active_count()
    with pytest.raises(MatchInterrupted) as stop:
        play_match(
            BotFactory("heuristic"),
            BotFactory("random"),
            deals=5,
            num_players=3,
            hand_sizes=[2],
            progress=interrupt,
            parallel_games=parallel_games,
        )
    assert threading.active_count() == threads  # every worker joined
    partial = stop.value.partial
    assert partial is not None and stop.value.deals == 5
    assert partial.deals >= whole_deals and partial.games == partial.deals * 6
    full = play_match(
        BotFactory("heuristic"), BotFactory("random"), deals=5, num_players=3, hand_sizes=[2]
    )
    kept = {g.deal for g in partial.records}
    assert [g for g in full.records if g.deal in kept] == list(partial.records)


def test_cli_prints_the_partial_result_when_interrupted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    partial = play_match(
        BotFactory("heuristic"), BotFactory("random"), deals=2, num_players=3, hand_sizes=[2]
    )

    def interrupted(*args: object, **kwargs: object) -> None:
        raise MatchInterrupted(partial, 10)

    monkeypatch.setattr(arena_cli.arena, "play_match", interrupted)
    argv = ["heuristic", "random", "--deals", "10", "--players", "3", "--cards", "2"]
    assert arena_cli.main([*argv, "--json", "--no-progress"]) == 130
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["interrupted"] is True and data["deals"] == 2
    assert "2 of 10 deals, then interrupted" in data["settings"]
    assert "interrupted" in captured.err
