"""Differential test: blobzero's ``openspiel_oh_hell`` rules against OpenSpiel's ``oh_hell``.

Both engines play the same deal and the same random action sequence in lockstep. At every step
they must agree on the player to act, the legal actions (translated) and whether the round is
over; at the end on the returns (blobzero ``scores()`` == OpenSpiel ``returns()``), the bids and
the tricks won. Half the deals are drawn by OpenSpiel's chance events and translated to blobzero,
half drawn by blobzero and translated to OpenSpiel. Both translation directions are also checked
at one random point of every round.

The deal translation is checked against OpenSpiel's own text of the state (its ``str()`` lists
every hand, the dealer and the trump card), not only through blobzero.interop's numbering.

pyspiel is imported normally: it is in the ``test`` extra, and a missing install must fail loudly.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import pyspiel
import pytest

import blobzero as bz
from blobzero.interop import openspiel as ops

PLAYER_COUNTS = (3, 4, 5, 6, 7)
ROUNDS_PER_PLAYER_COUNT = 300  # 1,500 rounds in all
SCORINGS = ("oh_hell", "oh_hell_penalty")
_PRE_DEAL = 2  # OpenSpiel's chance actions before the cards: number of tricks, dealer


def _card_of_openspiel_text(text: str) -> int:
    """blobzero card of OpenSpiel card text such as 'SJ' (suit, then rank)."""
    return bz.parse_card(text[1] + text[0])


@dataclass
class _OpenSpielText:
    """What OpenSpiel's str(state) shows: hands (initial hands once terminal), dealer, trump card,
    bids and tricks won."""

    dealer: int
    hands: list[list[int]]
    trump_card: int
    bids: list[int]
    tricks_won: list[int]


def _parse_openspiel_text(text: str, num_players: int) -> _OpenSpielText:
    lines = text.splitlines()
    dealer = next(int(line.split(":")[1]) for line in lines if line.startswith("Dealer:"))
    trump = next(line.split(":")[1].strip() for line in lines if line.startswith("Trump:"))
    bids = next(line.split(":")[1].split() for line in lines if line.startswith("Bids:"))
    won = next(line.split(":")[1].split() for line in lines if line.startswith("Tricks Won:"))
    hands: list[list[int]] = [[] for _ in range(num_players)]
    for index, line in enumerate(lines):
        if line.startswith("Player:"):
            seat = int(line.split(":")[1])
            for suit_line in lines[index + 1 : index + 5]:
                suit, ranks = suit_line.strip().split(":")
                hands[seat] += [bz.parse_card(rank + suit) for rank in ranks.strip()]
    return _OpenSpielText(
        dealer=dealer,
        hands=[sorted(hand) for hand in hands],
        trump_card=_card_of_openspiel_text(trump),
        bids=[int(bid) for bid in bids],
        tricks_won=[int(tricks) for tricks in won],
    )


def _context(state: bz.State, os_state: pyspiel.State) -> str:
    return (
        f"\nblobzero: {state.serialize()}\n{state}\nOpenSpiel history: {os_state.history()}"
        f"\n{os_state}"
    )


def _check_same_deal(state: bz.State, os_state: pyspiel.State) -> None:
    shown = _parse_openspiel_text(str(os_state), state.num_players)
    assert shown.dealer == state.dealer, _context(state, os_state)
    assert shown.trump_card == state.turned_up, _context(state, os_state)
    assert shown.hands == [state.initial_hand(p) for p in range(state.num_players)], _context(
        state, os_state
    )
    assert state.trump_suit == bz.suit_of(state.turned_up)


def _check_round_trip(state: bz.State, os_state: pyspiel.State, game: pyspiel.Game) -> None:
    """Both directions of the state translation at the current point."""
    context = _context(state, os_state)
    assert ops.state_from_openspiel(os_state) == state, context
    rebuilt = ops.state_to_openspiel(state, game)
    assert str(rebuilt) == str(os_state), context
    assert rebuilt.current_player() == os_state.current_player(), context
    assert rebuilt.legal_actions() == os_state.legal_actions(), context
    deal_length = _PRE_DEAL + state.num_players * state.num_cards + 1
    # The order in which OpenSpiel dealt the cards within a hand may differ; the rest may not.
    assert rebuilt.history()[:_PRE_DEAL] == os_state.history()[:_PRE_DEAL], context
    assert rebuilt.history()[deal_length - 1 :] == os_state.history()[deal_length - 1 :], context
    assert ops.state_from_openspiel(rebuilt) == state, context


def _new_round(
    rng: random.Random, num_players: int, num_cards: int, scoring: str, openspiel_deals: bool
) -> tuple[bz.State, pyspiel.State, pyspiel.Game]:
    rules = bz.RoundRules(
        num_players=num_players, num_cards=num_cards, turn_up=True, hook_rule=True, scoring=scoring
    )
    game = ops.game_for(rules)
    if openspiel_deals:
        os_state = game.new_initial_state()
        while os_state.is_chance_node():
            outcomes = os_state.chance_outcomes()
            os_state.apply_action(outcomes[rng.randrange(len(outcomes))][0])
        state = ops.state_from_openspiel(os_state)
    else:
        state = bz.State(rules, dealer=rng.randrange(num_players), seed=rng.getrandbits(63))
        os_state = ops.state_to_openspiel(state, game)
    assert state.rules == rules
    return state, os_state, game


def _choose(rng: random.Random, state: bz.State, legal: list[int], fair_bids: bool) -> int:
    """A random legal action. With ``fair_bids`` no bid takes the sum of bids past the number of
    tricks, so that the dealer has a barred bid (uniform bids at a large table overshoot)."""
    if fair_bids and state.phase == bz.Phase.BIDDING:
        remaining = state.num_cards - sum(bid for bid in state.bids if bid is not None)
        low = [action for action in legal if action <= bz.BID_ACTION_BASE + remaining]
        if low:
            return low[rng.randrange(len(low))]
    return legal[rng.randrange(len(legal))]


def _play_in_lockstep(
    rng: random.Random,
    num_players: int,
    num_cards: int,
    scoring: str,
    openspiel_deals: bool,
    fair_bids: bool,
) -> Counter[str]:
    """Plays one random round in both engines, checking every step; returns coverage counts."""
    seen: Counter[str] = Counter()
    state, os_state, game = _new_round(rng, num_players, num_cards, scoring, openspiel_deals)
    _check_same_deal(state, os_state)
    assert os_state.current_player() == (state.dealer + 1) % num_players

    num_steps = num_players + num_players * num_cards
    round_trip_step = rng.randrange(num_steps + 1)
    for step in range(num_steps + 1):
        if step == round_trip_step:
            _check_round_trip(state, os_state, game)
        assert os_state.is_terminal() == state.is_terminal(), _context(state, os_state)
        assert not os_state.is_chance_node(), _context(state, os_state)
        if state.is_terminal():
            assert step == num_steps
            break
        assert os_state.current_player() == state.current_player, _context(state, os_state)
        legal = state.legal_actions()
        os_legal = os_state.legal_actions()
        assert sorted(ops.action_from_openspiel(a) for a in os_legal) == legal, _context(
            state, os_state
        )
        assert sorted(ops.action_to_openspiel(a) for a in legal) == sorted(os_legal)
        if state.hook_forbidden_bid is not None:
            seen["dealer barred from a bid"] += 1
        action = _choose(rng, state, legal, fair_bids)
        state.apply_action(action)
        os_state.apply_action(ops.action_to_openspiel(action))
    else:
        pytest.fail("the round did not end after every bid and card" + _context(state, os_state))

    assert os_state.current_player() == pyspiel.PlayerId.TERMINAL
    scores = state.scores()
    assert os_state.returns() == [float(score) for score in scores], _context(state, os_state)
    shown = _parse_openspiel_text(str(os_state), num_players)
    assert shown.bids == state.bids, _context(state, os_state)
    assert shown.tricks_won == state.tricks_won, _context(state, os_state)
    # Terminal OpenSpiel text shows the initial hands again.
    assert shown.hands == [state.initial_hand(p) for p in range(num_players)]

    seen["rounds"] += 1
    seen["exact bids"] += sum(b == t for b, t in zip(state.bids, state.tricks_won, strict=True))
    seen["negative scores"] += sum(score < 0 for score in scores)
    seen["trump led or played"] += any(bz.suit_of(c) == state.trump_suit for c in state.played)
    return seen


@pytest.mark.parametrize("num_players", PLAYER_COUNTS)
def test_engines_agree_on_random_rounds(num_players: int) -> None:
    rng = random.Random(20240 + num_players)
    max_cards = 51 // num_players
    seen: Counter[str] = Counter()
    for index in range(ROUNDS_PER_PLAYER_COUNT):
        seen += _play_in_lockstep(
            rng,
            num_players,
            num_cards=rng.randint(1, max_cards),
            scoring=SCORINGS[index % 4 == 3],  # a quarter with off_bid_penalty
            openspiel_deals=index % 2 == 0,
            fair_bids=index % 3 != 0,
        )
    assert seen["rounds"] == ROUNDS_PER_PLAYER_COUNT
    # The random rounds do reach the cases that tell the rules apart.
    assert seen["dealer barred from a bid"] > ROUNDS_PER_PLAYER_COUNT // 2
    assert seen["exact bids"] > ROUNDS_PER_PLAYER_COUNT // 4
    assert seen["negative scores"] > 0
    assert seen["trump led or played"] > ROUNDS_PER_PLAYER_COUNT // 2


@pytest.mark.parametrize("num_players", PLAYER_COUNTS)
def test_engines_agree_on_the_largest_hands(num_players: int) -> None:
    # Every card but one dealt: the edge of OpenSpiel's num_tricks range.
    rng = random.Random(7 + num_players)
    for index in range(10):
        _play_in_lockstep(
            rng,
            num_players,
            num_cards=51 // num_players,
            scoring=SCORINGS[index % 2],
            openspiel_deals=index < 5,
            fair_bids=True,
        )
