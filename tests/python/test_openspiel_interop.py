"""blobzero.interop.openspiel: numbering, games, state translation both ways, and bad input.

The facts about OpenSpiel's ``oh_hell`` that the translation relies on are checked here against
pyspiel itself, so that an OpenSpiel release that changes them fails these tests by name. The
lockstep comparison of whole rounds lives in test_openspiel_differential.py.
"""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import numpy as np
import pyspiel
import pytest

import blobzero as bz
from blobzero.interop import openspiel as ops


def _os_state(num_players: int, num_cards: int, history: list[int]) -> pyspiel.State:
    state = pyspiel.load_game(
        "oh_hell", {"players": num_players, "num_tricks_fixed": num_cards}
    ).new_initial_state()
    for action in history:
        state.apply_action(action)
    return state


def _openspiel_card_texts() -> list[str]:
    """OpenSpiel's text of each of its card ids ('C2', 'D2', ...), read in its deal phase."""
    state = _os_state(4, 1, [1, 0])
    return [state.action_to_string(pyspiel.PlayerId.CHANCE, card) for card in range(52)]


def _random_round(rng: random.Random, num_players: int, num_cards: int) -> pyspiel.State:
    """An OpenSpiel round after its chance events, at the start of bidding."""
    state = _os_state(num_players, num_cards, [])
    while state.is_chance_node():
        outcomes = state.chance_outcomes()
        state.apply_action(outcomes[rng.randrange(len(outcomes))][0])
    return state


def _random_bz_state(rng: random.Random, scoring: str = "oh_hell") -> bz.State:
    """A blobzero openspiel_oh_hell state at a random point of a random round."""
    num_players = rng.randint(3, 7)
    rules = bz.RoundRules(
        num_players=num_players,
        num_cards=rng.randint(1, 51 // num_players),
        turn_up=True,
        scoring=scoring,
    )
    state = bz.State(rules, dealer=rng.randrange(num_players), seed=rng.getrandbits(63))
    for _ in range(rng.randint(0, num_players * (rules.num_cards + 1))):
        if state.is_terminal():
            break
        legal = state.legal_actions()
        state.apply_action(legal[rng.randrange(len(legal))])
    return state


# ---------------------------------------------------------------------------------------------
# Facts about OpenSpiel's oh_hell that the translation relies on.


def test_openspiel_card_ids_are_rank_major_with_suits_c_d_s_h() -> None:
    texts = _openspiel_card_texts()
    assert texts[:8] == ["C2", "D2", "S2", "H2", "C3", "D3", "S3", "H3"]
    assert texts[51] == "HA"
    for card in range(52):
        assert texts[card] == "CDSH"[card % 4] + "23456789TJQKA"[card // 4]


def test_openspiel_chance_phases_are_tricks_dealer_cards_then_trump() -> None:
    game = pyspiel.load_game("oh_hell", {"players": 4, "num_tricks_fixed": 3})
    state = game.new_initial_state()
    assert state.chance_outcomes() == [(3, 1.0)]  # the action is the number of tricks
    state.apply_action(3)
    assert [action for action, _ in state.chance_outcomes()] == [0, 1, 2, 3]  # the dealer
    state.apply_action(2)
    # Twelve cards, the i-th to player i % 4 whoever deals, then the turned-up card.
    dealt = [51, 0, 17, 33, 8, 9, 10, 11, 40, 41, 42, 43]
    for card in dealt:
        assert state.is_chance_node()
        state.apply_action(card)
    assert state.is_chance_node()
    state.apply_action(20)
    assert not state.is_chance_node()
    assert state.current_player() == 3  # dealer + 1 bids first
    text = str(state)
    assert "Player: 0\n    C: Q4\n    D: \n    S: \n    H: A\n" in text  # 51, 8, 40
    assert "Player: 3\n    C: \n    D: T\n    S: \n    H: Q4\n" in text  # 33, 11, 43
    assert "Trump: C7" in text  # 20


def test_openspiel_bars_the_dealer_from_making_the_bids_sum_to_the_tricks() -> None:
    # 4 players, 3 tricks, dealer 3: seats 0, 1, 2 bid 1, 0, 0; the dealer may not bid 2.
    state = _random_round(random.Random(5), 4, 3)
    dealer = state.history()[1]
    for bid in (1, 0, 0):
        state.apply_action(52 + bid)
    assert state.current_player() == dealer
    assert state.legal_actions() == [52, 53, 55]
    bz_state = ops.state_from_openspiel(state)
    assert bz_state.hook_forbidden_bid == 2
    assert bz_state.legal_actions() == [52, 53, 55]


def test_openspiel_apply_action_does_not_check_legality() -> None:
    # Why state_from_openspiel validates every action it reads.
    state = _os_state(4, 5, [5])
    state.apply_action(9)  # a dealer outside 0..3
    assert state.history() == [5, 9]


# ---------------------------------------------------------------------------------------------
# Numbering.


def test_card_translation_matches_openspiel_card_text() -> None:
    texts = _openspiel_card_texts()
    for card in range(52):
        os_card = ops.card_to_openspiel(card)
        assert texts[os_card][::-1] == bz.card_to_string(card)
        assert ops.card_from_openspiel(os_card) == card
    assert sorted(ops.card_to_openspiel(card) for card in range(52)) == list(range(52))
    assert ops.card_to_openspiel(bz.parse_card("2C")) == 0
    assert ops.card_to_openspiel(bz.parse_card("2S")) == 2
    assert ops.card_to_openspiel(bz.parse_card("2H")) == 3
    assert ops.card_to_openspiel(bz.parse_card("AS")) == 50


def test_action_translation_keeps_bids_and_translates_cards() -> None:
    for action in range(bz.NUM_ACTIONS):
        os_action = ops.action_to_openspiel(action)
        assert ops.action_from_openspiel(os_action) == action
        if action >= bz.BID_ACTION_BASE:
            assert os_action == action
        else:
            assert os_action == ops.card_to_openspiel(action)
    state = _random_round(random.Random(1), 3, 17)
    for bid in range(18):
        assert state.action_to_string(state.current_player(), 52 + bid) == str(bid)


def test_numpy_integers_are_accepted() -> None:
    assert ops.card_to_openspiel(np.int64(13)) == 1
    assert ops.action_from_openspiel(np.int32(60)) == 60


@pytest.mark.parametrize(
    ("function", "value", "error", "message"),
    [
        (ops.card_to_openspiel, 52, ValueError, "card id 52 is outside 0..51"),
        (ops.card_to_openspiel, -1, ValueError, "card id -1 is outside 0..51"),
        (ops.card_from_openspiel, 52, ValueError, "OpenSpiel card id 52 is outside 0..51"),
        (ops.action_to_openspiel, 70, IndexError, "action 70 is outside 0..69"),
        (ops.action_from_openspiel, -1, IndexError, "OpenSpiel action -1 is outside 0..69"),
        (ops.card_to_openspiel, True, TypeError, "must be an integer, got bool"),
        (ops.action_to_openspiel, 3.0, TypeError, "must be an integer, got float"),
        (ops.card_from_openspiel, "2C", TypeError, "must be an integer, got str"),
    ],
)
def test_bad_ids_are_rejected(
    function: Callable[[Any], int], value: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        function(value)


# ---------------------------------------------------------------------------------------------
# Games.


def test_game_for_a_player_count_uses_the_preset() -> None:
    game = ops.game_for(4)
    assert game.get_type().short_name == "oh_hell"
    parameters = game.get_parameters()
    assert parameters["players"] == 4
    assert parameters["num_tricks_fixed"] == bz.preset("openspiel_oh_hell", 4).round_at(0).num_cards
    assert parameters["off_bid_penalty"] is False
    assert (parameters["num_suits"], parameters["num_cards_per_suit"]) == (4, 13)
    assert parameters["points_per_trick"] == 1
    assert ops.game_for(7, 3).get_parameters()["num_tricks_fixed"] == 3


def test_game_for_rules_and_round_rules() -> None:
    rules = bz.preset("openspiel_oh_hell", 5, 6)
    assert ops.game_for(rules).get_parameters()["num_tricks_fixed"] == 6
    assert ops.game_for(rules.round_at(0)).get_parameters()["players"] == 5
    match = bz.Rules(3, schedule=[2, 4, 2], trump_mode="turn_up", scoring="oh_hell_penalty")
    game = ops.game_for(match, num_cards=4)
    assert game.get_parameters()["num_tricks_fixed"] == 4
    assert game.get_parameters()["off_bid_penalty"] is True
    rules_back = ops.round_rules_from_openspiel(game)
    assert rules_back == match.round_at(1)


@pytest.mark.parametrize("num_players", range(3, 8))
def test_round_rules_round_trip_through_game_parameters(num_players: int) -> None:
    for num_cards in range(1, 51 // num_players + 1):
        for scoring in ("oh_hell", "oh_hell_penalty"):
            rules = bz.RoundRules(num_players, num_cards, turn_up=True, scoring=scoring)
            assert ops.round_rules_from_openspiel(ops.game_for(rules)) == rules
            assert ops.openspiel_parameters(rules)["num_tricks_fixed"] == num_cards


def test_round_rules_of_a_random_num_tricks_game_need_the_number_of_tricks() -> None:
    game = pyspiel.load_game("oh_hell", {"players": 6})
    with pytest.raises(ValueError, match=r"num_tricks_fixed=-1\); pass num_tricks"):
        ops.round_rules_from_openspiel(game)
    assert ops.round_rules_from_openspiel(game, 8) == bz.preset("openspiel_oh_hell", 6).round_at(0)
    with pytest.raises(ValueError, match=r"9 tricks is outside 1..8 for 6 players"):
        ops.round_rules_from_openspiel(game, 9)


@pytest.mark.parametrize(
    ("rules", "num_cards", "message"),
    [
        (8, None, "num_players = 8 is outside 3..7"),
        (4, 13, "max_cards = 13 is outside 1..12"),
        (4, 0, "num_cards must be at least 1"),
        (bz.preset("blob", 4), None, "several hand sizes"),
        (bz.preset("blob", 4), 5, "turn_up=False"),
        (bz.RoundRules(8, 5, turn_up=True, scoring="oh_hell"), None, "seats 3..7 players"),
        (bz.RoundRules(4, 5, turn_up=True, scoring="exact"), None, "scoring 'exact'"),
        (bz.RoundRules(4, 5, turn_up=True, hook_rule=False, scoring="oh_hell"), None, "hook_rule"),
        (bz.RoundRules(4, 5, trump="S", scoring="oh_hell"), None, "turn_up=False"),
        (bz.preset("openspiel_oh_hell", 4, 5).round_at(0), 4, "num_cards=4 disagrees"),
        (bz.preset("openspiel_oh_hell", 4, 5), 4, "no round of 4 cards"),
    ],
)
def test_game_for_rejects_untranslatable_rules(
    rules: int | bz.RoundRules | bz.Rules, num_cards: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        ops.game_for(rules, num_cards)


def test_game_for_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="got a bool"):
        ops.game_for(True)
    with pytest.raises(TypeError, match="got str"):
        ops.game_for("oh_hell")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"players": 4, "num_suits": 3}, "num_suits=3 has no blobzero equivalent"),
        ({"players": 4, "num_cards_per_suit": 8}, "num_cards_per_suit=8"),
        ({"players": 4, "points_per_trick": 2}, "points_per_trick=2"),
        # OpenSpiel loads this game although it cannot deal it.
        ({"players": 4, "num_tricks_fixed": 13}, "13 tricks is outside 1..12 for 4 players"),
    ],
)
def test_untranslatable_openspiel_games_are_rejected(
    parameters: dict[str, int], message: str
) -> None:
    game = pyspiel.load_game("oh_hell", parameters)
    with pytest.raises(ValueError, match=message):
        ops.round_rules_from_openspiel(game)


# ---------------------------------------------------------------------------------------------
# States, both directions.


def test_state_from_openspiel_reads_the_deal() -> None:
    dealt = [51, 0, 17, 33, 8, 9, 10, 11, 40, 41, 42, 43]
    state = ops.state_from_openspiel(_os_state(4, 3, [3, 2, *dealt, 20]))
    assert state.rules == bz.preset("openspiel_oh_hell", 4, 3).round_at(0)
    assert state.dealer == 2
    assert state.current_player == 3
    # OpenSpiel 51, 8, 40 = HA, C4, CQ; 0, 9, 41 = C2, D4, DQ; and so on (4 * rank + suit).
    assert bz.cards_to_string(state.hand(0)) == "4C QC AH"
    assert bz.cards_to_string(state.hand(1)) == "2C 4D QD"
    assert bz.cards_to_string(state.hand(2)) == "6D 4S QS"
    assert bz.cards_to_string(state.hand(3)) == "TD 4H QH"
    assert state.turned_up is not None
    assert bz.card_to_string(state.turned_up) == "7C"
    assert state.trump_suit == bz.parse_suit("C")


@pytest.mark.parametrize("seed", range(40))
def test_blobzero_to_openspiel_and_back_is_the_same_state(seed: int) -> None:
    rng = random.Random(seed)
    state = _random_bz_state(rng, scoring=("oh_hell", "oh_hell_penalty")[seed % 2])
    os_state = ops.state_to_openspiel(state)
    assert ops.state_from_openspiel(os_state) == state
    assert os_state.history() == ops.history_to_openspiel(state)
    assert os_state.is_terminal() == state.is_terminal()
    if state.is_terminal():
        assert os_state.returns() == [float(score) for score in state.scores()]
    else:
        assert os_state.current_player() == state.current_player
        assert sorted(ops.action_from_openspiel(a) for a in os_state.legal_actions()) == (
            state.legal_actions()
        )


@pytest.mark.parametrize("seed", range(40))
def test_openspiel_to_blobzero_and_back_is_the_same_state(seed: int) -> None:
    rng = random.Random(1000 + seed)
    num_players = rng.randint(3, 7)
    os_state = _random_round(rng, num_players, rng.randint(1, 51 // num_players))
    for _ in range(rng.randint(0, len(os_state.history()))):
        if os_state.is_terminal():
            break
        legal = os_state.legal_actions()
        os_state.apply_action(legal[rng.randrange(len(legal))])
    rebuilt = ops.state_to_openspiel(ops.state_from_openspiel(os_state), os_state.get_game())
    # Same position; only the order in which each hand's cards were dealt may differ.
    assert str(rebuilt) == str(os_state)
    for player in range(num_players):
        assert rebuilt.information_state_string(player) == os_state.information_state_string(player)
    assert rebuilt.history()[:2] == os_state.history()[:2]
    assert rebuilt.legal_actions() == os_state.legal_actions()
    assert ops.state_from_openspiel(rebuilt) == ops.state_from_openspiel(os_state)


def test_state_to_openspiel_accepts_a_random_num_tricks_game() -> None:
    state = bz.State(bz.preset("openspiel_oh_hell", 3, 4).round_at(0), dealer=2, seed=9)
    game = pyspiel.load_game("oh_hell", {"players": 3})
    os_state = ops.state_to_openspiel(state, game)
    assert os_state.history()[0] == 4
    assert ops.state_from_openspiel(os_state) == state


def test_chance_actions_deal_card_k_of_every_seat_before_card_k_plus_1() -> None:
    rules = bz.preset("openspiel_oh_hell", 3, 2).round_at(0)
    deal = bz.Deal(dealer=1, hands=["2C 3C", "2D 3D", "2S 3S"], turned_up="AH")
    assert ops.chance_actions(rules, deal) == [2, 1, 0, 1, 2, 4, 5, 6, 51]


# ---------------------------------------------------------------------------------------------
# Bad states.


@pytest.mark.parametrize("applied", [0, 1, 2, 3, 13, 14])
def test_state_from_openspiel_rejects_a_deal_in_progress(applied: int) -> None:
    full = _random_round(random.Random(3), 4, 3).history()
    assert len(full) == 2 + 12 + 1
    with pytest.raises(ValueError, match="chance phase before the deal is complete"):
        ops.state_from_openspiel(_os_state(4, 3, full[:applied]))


def test_state_from_openspiel_rejects_other_games() -> None:
    state = pyspiel.load_game("kuhn_poker").new_initial_state()
    state.apply_action(0)
    state.apply_action(1)
    with pytest.raises(ValueError, match="expected an OpenSpiel 'oh_hell' game, got 'kuhn_poker'"):
        ops.state_from_openspiel(state)
    with pytest.raises(ValueError, match="got 'kuhn_poker'"):
        ops.state_from_openspiel(pyspiel.load_game("kuhn_poker").new_initial_state())


def test_state_from_openspiel_rejects_untranslatable_parameters() -> None:
    game = pyspiel.load_game("oh_hell", {"players": 3, "num_suits": 3, "num_tricks_fixed": 2})
    state = game.new_initial_state()
    while state.is_chance_node():
        state.apply_action(state.legal_actions()[0])
    with pytest.raises(ValueError, match="num_suits=3 has no blobzero equivalent"):
        ops.state_from_openspiel(state)


def _corrupted(change: str) -> pyspiel.State:
    """An OpenSpiel state that pyspiel accepted although an action in it is illegal."""
    history = _random_round(random.Random(11), 3, 2).history()
    if change == "dealer":
        history[1] = 5
    elif change == "card dealt twice":
        history[3] = history[2]
    elif change == "hook bid":
        history += [53, 52, 53]  # bids 1, 0 and the dealer's barred 1
    elif change == "revoke":
        # The first deal whose second player can follow the lead but holds another suit too.
        for seed in range(11, 1000):
            deal = _random_round(random.Random(seed), 3, 2).history()
            state = ops.state_from_openspiel(_os_state(3, 2, deal[: 2 + 3 * 2 + 1]))
            for bid in (52, 52, 52):
                state.apply_action(bid)
            lead = state.legal_actions()[0]
            state.apply_action(lead)
            player = state.current_player
            assert player is not None
            hand = state.hand(player)
            off_suit = [card for card in hand if bz.suit_of(card) != bz.suit_of(lead)]
            if off_suit and len(off_suit) < len(hand):
                break
        else:
            raise AssertionError("no deal allows a revoke")
        history = ops.history_to_openspiel(state) + [ops.card_to_openspiel(off_suit[0])]
    return _os_state(3, 2, history)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("dealer", "dealer 5 is outside 0..2"),
        ("card dealt twice", "not a legal oh_hell round"),
        ("hook bid", "not a legal oh_hell round"),
        ("revoke", "not a legal oh_hell round"),
    ],
)
def test_state_from_openspiel_rejects_illegal_histories(change: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ops.state_from_openspiel(_corrupted(change))


def test_state_to_openspiel_rejects_untranslatable_states_and_other_games() -> None:
    blob_state = bz.State(bz.preset("blob", 4).round_at(0), dealer=0, seed=1)
    with pytest.raises(ValueError, match="turn_up=False"):
        ops.state_to_openspiel(blob_state)
    state = bz.State(bz.preset("openspiel_oh_hell", 4, 5).round_at(0), dealer=0, seed=1)
    with pytest.raises(ValueError, match="4 tricks disagrees with the game's num_tricks_fixed=5"):
        ops.state_to_openspiel(
            bz.State(bz.preset("openspiel_oh_hell", 4, 4).round_at(0), 0, 1), ops.game_for(4, 5)
        )
    with pytest.raises(ValueError, match="the OpenSpiel game plays"):
        ops.state_to_openspiel(state, ops.game_for(5, 5))
    penalty = pyspiel.load_game(
        "oh_hell", {"players": 4, "num_tricks_fixed": 5, "off_bid_penalty": True}
    )
    with pytest.raises(ValueError, match="oh_hell_penalty"):
        ops.state_to_openspiel(state, penalty)
    with pytest.raises(ValueError, match="got 'kuhn_poker'"):
        ops.state_to_openspiel(state, pyspiel.load_game("kuhn_poker"))


# ---------------------------------------------------------------------------------------------
# pyspiel stays optional.


def test_blobzero_imports_without_pyspiel_and_says_how_to_install_it() -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.modules["pyspiel"] = None  # as if OpenSpiel were not installed
        import blobzero
        from blobzero.interop import openspiel
        assert openspiel.card_to_openspiel(13) == 1
        try:
            openspiel.game_for(4)
        except ImportError as error:
            print(error)
        else:
            raise SystemExit("no ImportError")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "pip install open-spiel" in result.stdout


def test_importing_blobzero_does_not_import_pyspiel() -> None:
    script = "import sys, blobzero, blobzero.interop; print('pyspiel' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
