"""Bots across the OpenSpiel bridge (blobzero.interop.openspiel).

- BlobzeroBot: a blobzero player takes OpenSpiel seats through pyspiel's own API
  (``pyspiel.evaluate_bots`` and a hand-driven loop): only legal moves, the game ends, and
  OpenSpiel's returns equal blobzero's scores of the translated final state.
- OpenSpielPlayer: OpenSpiel's ISMCTSBot plays whole blobzero rounds through play_round, with the
  hidden cards concealed from it (the default) or not.
- Seeded games are reproducible on both sides; information hiding of conceal_hidden_cards; bad
  input and bad bots give ValueErrors that name the problem.
"""

from __future__ import annotations

import random
from typing import Any

import pyspiel
import pytest

import blobzero as bz
from blobzero.interop import openspiel as ops
from support import random_playout
from test_information_hiding import resample_hidden

# Small searches keep the file fast: OpenSpiel's IS-MCTS does about 10^5 simulations a second.
SIMULATIONS = 50


def os_rules(num_players: int, num_cards: int, scoring: str = "oh_hell") -> bz.RoundRules:
    return bz.RoundRules(num_players, num_cards, turn_up=True, hook_rule=True, scoring=scoring)


def play_openspiel(state: pyspiel.State, bots: list[Any], seed: int) -> list[int]:
    """Plays ``state`` to its end with ``bots[player]`` (chance events drawn from ``seed``),
    checking that every move is legal; returns the player actions."""
    rng = random.Random(seed)
    actions = []
    while not state.is_terminal():
        if state.is_chance_node():
            outcomes = state.chance_outcomes()
            state.apply_action(outcomes[int(rng.random() * len(outcomes))][0])
            continue
        player = state.current_player()
        action = bots[player].step(state)
        assert action in state.legal_actions(), f"player {player} chose illegal {action}"
        state.apply_action(action)
        actions.append(action)
    return actions


# ---------------------------------------------------------------------------------------------
# BlobzeroBot: blobzero players in OpenSpiel games.
# ---------------------------------------------------------------------------------------------


def test_blobzero_bot_is_a_pyspiel_bot() -> None:
    bot = ops.BlobzeroBot(bz.HeuristicBot())
    assert isinstance(bot, pyspiel.Bot)
    assert isinstance(bot, ops.BlobzeroBot)
    assert not bot.provides_policy()
    assert not bot.provides_force_action()
    assert "heuristic" in repr(bot)


@pytest.mark.parametrize(
    ("num_players", "num_cards", "penalty"),
    [(3, 17, False), (4, 5, False), (5, 1, True), (7, 7, True)],
)
def test_heuristic_bot_plays_whole_openspiel_games(
    num_players: int, num_cards: int, penalty: bool
) -> None:
    game = pyspiel.load_game(
        "oh_hell",
        {"players": num_players, "num_tricks_fixed": num_cards, "off_bid_penalty": penalty},
    )
    # Bids are 52 + b in OpenSpiel's action space of 52 + n + 1 ids, not blobzero's 70.
    assert game.num_distinct_actions() == 52 + num_cards + 1
    for seed in range(3):
        # Seats alternate between the heuristic and OpenSpiel's own uniform random bot.
        bots = [
            ops.BlobzeroBot(bz.HeuristicBot(seed), player_id=p)
            if p % 2 == 0
            else pyspiel.make_uniform_random_bot(p, seed)
            for p in range(num_players)
        ]
        state = game.new_initial_state()
        actions = play_openspiel(state, bots, seed)
        assert state.is_terminal()
        assert len(actions) == num_players * (num_cards + 1)
        final = ops.state_from_openspiel(state)
        assert final.is_terminal()
        assert state.returns() == [float(s) for s in final.scores()]


def test_evaluate_bots_seats_blobzero_players() -> None:
    # pyspiel's own driver: restarts the bots, informs them of every action, draws chance events.
    game = ops.game_for(4, 5)
    for seed in range(5):
        bots = [ops.BlobzeroBot(bz.HeuristicBot()) for _ in range(4)]
        state = game.new_initial_state()
        returns = pyspiel.evaluate_bots(state, bots, seed)
        assert state.is_terminal()
        final = ops.state_from_openspiel(state)
        assert returns == [float(s) for s in final.scores()]
        # HeuristicBot is deterministic: the same deal gives the same game.
        again = game.new_initial_state()
        bots = [ops.BlobzeroBot(bz.HeuristicBot()) for _ in range(4)]
        assert pyspiel.evaluate_bots(again, bots, seed) == returns
        assert again.history() == state.history()


def test_blobzero_ismcts_against_openspiel_ismcts_in_openspiel() -> None:
    game = ops.game_for(4, 3)
    ours = bz.IsmctsBot(bz.IsmctsConfig(simulations=SIMULATIONS), seed=1)
    bots = [
        ops.BlobzeroBot(ours) if p % 2 == 0 else ops.openspiel_ismcts_bot(game, SIMULATIONS, seed=p)
        for p in range(4)
    ]
    state = game.new_initial_state()
    play_openspiel(state, bots, seed=4)
    assert state.returns() == [float(s) for s in ops.state_from_openspiel(state).scores()]


def test_blobzero_bot_rejects_what_it_cannot_play() -> None:
    game = ops.game_for(4, 2)
    state = game.new_initial_state()
    bot = ops.BlobzeroBot(bz.RandomBot())
    with pytest.raises(ValueError, match="a player is to act"):
        bot.step(state)  # chance phase
    while state.is_chance_node():
        state.apply_action(state.chance_outcomes()[0][0])
    seat = state.current_player()
    with pytest.raises(ValueError, match=f"for player {seat + 1} asked to act for player {seat}"):
        ops.BlobzeroBot(bz.RandomBot(), player_id=seat + 1).step(state)
    with pytest.raises(ValueError, match="'oh_hell'"):
        ops.BlobzeroBot(bz.RandomBot()).step(pyspiel.load_game("kuhn_poker").new_initial_state())
    with pytest.raises(TypeError, match="blobzero player"):
        ops.BlobzeroBot(object())  # type: ignore[arg-type]

    class Cheat:
        def act(self, state: bz.State, observer: int) -> int:
            return 0 if not state.is_legal(0) else 1

    with pytest.raises(ValueError, match=r"player \d .*Cheat.* chose \d+, which is not legal"):
        pyspiel.evaluate_bots(game.new_initial_state(), [ops.BlobzeroBot(Cheat())] * 4, 0)
    # A finished game.
    state = game.new_initial_state()
    pyspiel.evaluate_bots(state, [ops.BlobzeroBot(bz.RandomBot())] * 4, 0)
    with pytest.raises(ValueError, match="a player is to act"):
        bot.step(state)


# ---------------------------------------------------------------------------------------------
# OpenSpielPlayer: OpenSpiel bots at blobzero tables.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hide", [True, False])
def test_openspiel_ismcts_plays_whole_blobzero_rounds(hide: bool) -> None:
    rules = os_rules(4, 5)
    game = ops.game_for(rules)
    for seed in range(2):
        players: list[bz.Player] = [
            ops.OpenSpielPlayer(
                ops.openspiel_ismcts_bot(game, SIMULATIONS, seed=seed + p),
                hide_hidden_cards=hide,
                seed=seed,
            )
            if p % 2 == 0
            else bz.HeuristicBot()
            for p in range(4)
        ]
        start = bz.State(rules, dealer=seed, seed=seed)
        final = bz.play_round(start, players)  # validates every action
        assert final.is_terminal()
        assert len(final.history) == 4 * 6
        assert ops.state_to_openspiel(final).returns() == [float(s) for s in final.scores()]


def test_openspiel_player_loads_a_game_per_rules() -> None:
    # Without a game, each table's rules get their own OpenSpiel game (3 and 5 players here).
    # make_uniform_random_bot is built for one seat (asked about another, it crashes OpenSpiel).
    players = [ops.OpenSpielPlayer(pyspiel.make_uniform_random_bot(p, 3)) for p in range(5)]
    for num_players, num_cards in [(3, 4), (5, 2), (3, 4)]:
        final = bz.play_round(
            bz.State(os_rules(num_players, num_cards), 0, 1), players[:num_players]
        )
        assert final.is_terminal()
    assert len(players[0]._games) == 2


def openspiel_round(seed: int, hide: bool) -> list[int]:
    """A round of OpenSpiel's seeded uniform random bots, one per seat, through OpenSpielPlayer."""
    rules = os_rules(4, 4)
    game = ops.game_for(rules)
    players = [
        ops.OpenSpielPlayer(
            pyspiel.make_uniform_random_bot(p, 10 + p), game, hide_hidden_cards=hide, seed=seed
        )
        for p in range(4)
    ]
    history: list[int] = bz.play_round(bz.State(rules, 1, 9), players).history
    return history


@pytest.mark.parametrize("hide", [True, False])
def test_seeded_openspiel_players_are_reproducible(hide: bool) -> None:
    assert openspiel_round(3, hide) == openspiel_round(3, hide)


def test_openspiel_ismcts_is_as_reproducible_as_openspiel_allows() -> None:
    # OpenSpiel's ISMCTSBot is reproducible only as far as OpenSpiel allows: its nodes keep their
    # children in absl::flat_hash_maps whose iteration order follows memory addresses, and that
    # order breaks UCB ties, so visit counts can differ between two bots with one seed. A clear
    # best move (the most visited by far) is stable; a visit-proportional draw is not.
    rules = os_rules(4, 5)
    game = ops.game_for(rules)
    state = ops.state_to_openspiel(bz.State(rules, 2, 8), game)
    state.apply_action(53)  # seat 3 bids 1; seat 0 to bid
    moves = {ops.openspiel_ismcts_bot(game, 1000, seed=5).step(state) for _ in range(3)}
    assert len(moves) == 1
    policy = "normalized_visit_count"
    draws = [ops.openspiel_ismcts_bot(game, 200, seed=s, final_policy=policy) for s in range(12)]
    assert len({bot.step(state) for bot in draws}) > 1


class RecordingBot:
    """A pyspiel-like bot: plays the first legal action, records restarts and the states seen."""

    def __init__(self, answer: int | None = None) -> None:
        self.restarts = 0
        self.states: list[pyspiel.State] = []
        self.answer = answer

    def step(self, state: pyspiel.State) -> int:
        self.states.append(state.clone())
        return int(state.legal_actions()[0]) if self.answer is None else self.answer

    def restart(self) -> None:
        self.restarts += 1


def test_openspiel_player_restarts_the_bot_once_per_round() -> None:
    bot = RecordingBot()
    player = ops.OpenSpielPlayer(bot, hide_hidden_cards=False)
    rules = os_rules(3, 3)
    for seed in range(3):
        final = bz.play_round(bz.State(rules, 0, seed), [player] * 3)
        assert bot.restarts == seed + 1
    # Without concealment the bot gets the true state: the last one seen is one action short.
    assert bot.states[-1].history() == ops.history_to_openspiel(final)[:-1]


def test_concealed_states_keep_the_information_set_and_hide_the_rest() -> None:
    rng = random.Random(5)
    moved = 0
    for trial in range(30):
        rules = os_rules(rng.randint(3, 7), rng.randint(2, 6))
        state = bz.State(rules, trial % rules.num_players, trial)
        actions = random_playout(state.clone(), rng)
        state = bz.State.replay(rules, state.initial_deal(), actions[: rng.randrange(len(actions))])
        observer = state.current_player
        world = ops.conceal_hidden_cards(state, observer, seed=trial)
        assert world.observe(observer) == state.observe(observer)
        assert world.history == state.history
        assert world.legal_actions() == state.legal_actions()
        moved += world.initial_deal() != state.initial_deal()
        # The concealed world depends only on the information set: hide the true cards too.
        other = resample_hidden(state, observer, rng)
        if other is not None:
            twin = bz.State.replay(rules, other, state.history)
            assert ops.conceal_hidden_cards(twin, observer, seed=trial) == world
    assert moved >= 25


def test_openspiel_player_never_sees_the_hidden_cards() -> None:
    # Two rounds that differ only in cards hidden from seat 0: the OpenSpiel bot gets equal
    # states from the concealing player.
    rng = random.Random(2)
    rules = os_rules(4, 5)
    tested = 0
    for seed in range(10):
        state = bz.State(rules, 3, seed)
        actions = random_playout(state.clone(), rng)
        cut = bz.State.replay(rules, state.initial_deal(), actions[:8])
        observer = cut.current_player
        other = resample_hidden(cut, observer, rng)
        if other is None:
            continue
        twin = bz.State.replay(rules, other, cut.history)
        seen = []
        for s in (cut, twin):
            bot = RecordingBot()
            ops.OpenSpielPlayer(bot, seed=seed).act(s, observer)
            seen.append(bot.states[0].history())
        assert seen[0] == seen[1]
        tested += 1
    assert tested >= 5


def test_openspiel_player_rejects_bad_use() -> None:
    rules = os_rules(4, 3)
    state = bz.State(rules, 0, 1)
    player = ops.OpenSpielPlayer(RecordingBot())
    with pytest.raises(ValueError, match=r"player 0 is not the player to act \(player 1 is\)"):
        player.act(state, 0)
    with pytest.raises(ValueError, match="observer 4 is outside 0..3"):
        player.act(state, 4)
    finished = state.clone()
    random_playout(finished, random.Random(0))
    with pytest.raises(ValueError, match="the round is over"):
        player.act(finished, 0)
    with pytest.raises(ValueError, match="no hook rule|hook_rule=False"):
        blob = bz.RoundRules(4, 3, turn_up=True, hook_rule=False, scoring="oh_hell")
        player.act(bz.State(blob, 0, 1), 1)
    with pytest.raises(ValueError, match="turn_up=False"):
        player.act(bz.State(bz.preset("blob", 4, 3).round_at(0), 0, 1), 1)
    with pytest.raises(ValueError, match="3 tricks disagrees with the game's num_tricks_fixed=5"):
        ops.OpenSpielPlayer(RecordingBot(), ops.game_for(4, 5)).act(state, 1)
    penalty_game = ops.game_for(os_rules(4, 3, "oh_hell_penalty"))
    with pytest.raises(ValueError, match="the OpenSpiel game plays"):
        ops.OpenSpielPlayer(RecordingBot(), penalty_game).act(state, 1)
    with pytest.raises(ValueError, match="expected an OpenSpiel 'oh_hell' game"):
        ops.OpenSpielPlayer(RecordingBot(), pyspiel.load_game("kuhn_poker"))
    with pytest.raises(TypeError, match="pyspiel.Bot"):
        ops.OpenSpielPlayer(object())  # type: ignore[arg-type]
    # A bot that answers something illegal, or not an action at all.
    with pytest.raises(ValueError, match=r"chose 0 \(2C\), which player 1 may not play"):
        ops.OpenSpielPlayer(RecordingBot(answer=0)).act(state, 1)
    with pytest.raises(ValueError, match="returned 99"):
        ops.OpenSpielPlayer(RecordingBot(answer=99)).act(state, 1)
    # play_round names the seat of the bad player.
    bad = ops.OpenSpielPlayer(RecordingBot(answer=0))
    with pytest.raises(ValueError, match="not legal|may not play"):
        bz.play_round(state, [bz.RandomBot(), bad, bz.RandomBot(), bz.RandomBot()])


def test_openspiel_ismcts_bot_validates_its_settings() -> None:
    game = ops.game_for(4, 5)
    with pytest.raises(ValueError, match="simulations must be at least 1, got 0"):
        ops.openspiel_ismcts_bot(game, simulations=0)
    with pytest.raises(ValueError, match="uct_c must be a finite number >= 0"):
        ops.openspiel_ismcts_bot(game, uct_c=-1.0)
    with pytest.raises(ValueError, match="uct_c must be a finite number >= 0"):
        ops.openspiel_ismcts_bot(game, uct_c=float("nan"))
    with pytest.raises(ValueError, match="seed must be in 0..2147483647"):
        ops.openspiel_ismcts_bot(game, seed=2**31)
    with pytest.raises(ValueError, match="unknown final_policy 'best'"):
        ops.openspiel_ismcts_bot(game, final_policy="best")
    with pytest.raises(ValueError, match="expected an OpenSpiel 'oh_hell' game"):
        ops.openspiel_ismcts_bot(pyspiel.load_game("kuhn_poker"))
    short_deck = pyspiel.load_game("oh_hell", {"players": 3, "num_cards_per_suit": 5})
    with pytest.raises(ValueError, match="num_cards_per_suit=5 has no blobzero equivalent"):
        ops.openspiel_ismcts_bot(short_deck)
    for policy in ops.FINAL_POLICIES:
        assert isinstance(ops.openspiel_ismcts_bot(game, 10, final_policy=policy), pyspiel.Bot)


def test_importing_the_bridge_does_not_import_pyspiel() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import blobzero.interop.openspiel as o; "
        "assert 'pyspiel' not in sys.modules; o.BlobzeroBot; assert 'pyspiel' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
