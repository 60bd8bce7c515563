"""Bad input through the public API raises ValueError or IndexError naming the problem."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import blobzero as bz


def _bidding_state() -> bz.State:
    # Seat 1 bids first; the dealer (seat 0) bids last.
    return bz.State(
        bz.RoundRules(num_players=3, num_cards=2, trump="S"),
        bz.Deal(dealer=0, hands=["AS KS", "AH 2C", "3D 4D"]),
    )


def _play_state() -> bz.State:
    state = _bidding_state()
    for bid in ("bid 1", "bid 0", "bid 0"):
        state.apply_action(bid)
    return state


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_players": 2}, "num_players = 2 is outside 3..8"),
        ({"num_players": 9}, "num_players = 9 is outside 3..8"),
        ({"num_players": 4, "num_cards": 14}, "num_cards = 14 is outside 1..13 for 4 players"),
        ({"num_players": 4, "num_cards": 0}, "num_cards = 0 is outside 1..13"),
        (
            {"num_players": 4, "num_cards": 13, "turn_up": True},
            "num_cards = 13 is outside 1..12 for 4 players (n * P must stay below 52",
        ),
        ({"trump": "X"}, "malformed suit 'X'"),
        ({"trump": 7}, "suit 7 is outside 0..3"),
        ({"scoring": "bonus"}, "unknown scoring 'bonus' (expected one of: exact, oh_hell"),
    ],
)
def test_round_rules_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        bz.RoundRules(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_players": 2}, "num_players = 2 is outside 3..8"),
        ({"schedule": "sideways"}, "unknown schedule 'sideways' (expected one of: down_up"),
        ({"trump_mode": "random"}, "unknown trump mode 'random'"),
        ({"num_players": 8, "max_cards": 7}, "max_cards = 7 is outside 1..6 for 8 players"),
        ({"schedule": []}, "explicit_cards is empty"),
        ({"schedule": [3, 0]}, "explicit_cards[1] = 0 is outside 1..13"),
        ({"num_players": 5, "schedule": [11], "trump_mode": "turn_up"}, "explicit_cards[0] = 11"),
        ({"one_card_rounds": 0}, "one_card_rounds = 0 is outside 1..100"),
        ({"num_rounds": 3}, "num_rounds is only allowed with schedule 'fixed'"),
        ({"schedule": "fixed", "num_rounds": -1}, "num_rounds = -1 is negative"),
    ],
)
def test_rules_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        bz.Rules(**kwargs)  # type: ignore[arg-type]


def test_preset_errors() -> None:
    with pytest.raises(ValueError, match="unknown preset 'whist'"):
        bz.preset("whist", 4)
    with pytest.raises(ValueError, match=re.escape("num_players = 8 is outside 3..7")):
        bz.preset("openspiel_oh_hell", 8)
    with pytest.raises(ValueError, match=re.escape("max_cards = 13 is outside 1..12")):
        bz.preset("openspiel_oh_hell", 4, 13)


def test_round_at_out_of_range() -> None:
    with pytest.raises(IndexError, match=re.escape("round index 19 is outside 0..18")):
        bz.preset("blob", 4).round_at(19)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "malformed card ''"),
        ("A", "malformed card 'A'"),
        ("1S", "unknown rank '1'"),
        ("11S", "unknown rank '11'"),
        ("AX", "unknown suit 'X'"),
        ("ASS", "unknown rank 'AS'"),
    ],
)
def test_malformed_cards(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        bz.parse_card(text)


def test_card_lists() -> None:
    with pytest.raises(ValueError, match="duplicate card AS"):
        bz.parse_cards("AS KD as")
    with pytest.raises(ValueError, match="card id 52 is outside 0..51"):
        bz.card_to_string(52)
    with pytest.raises(ValueError, match="malformed bid 'bid x'"):
        bz.parse_action("bid x")
    with pytest.raises(ValueError, match="bid 18 is outside 0..17"):
        bz.parse_action("bid 18")


@pytest.mark.parametrize(
    ("hands", "turned_up", "dealer", "message"),
    [
        (["AS KS", "AH 2C"], None, 0, "the hand of player 2 has 0 cards; the round deals 2"),
        (["AS KS", "AH 2C", "3D"], None, 0, "the hand of player 2 has 1 cards; the round deals 2"),
        (["AS KS", "AS 2C", "3D 4D"], None, 0, "card AS is dealt twice"),
        (["AS KS", "AH 2C", "3D 4D", "5D 6D"], None, 0, "gives cards to seat 3"),
        (["AS KS", "AH 2C", "3D 4D"], "5H", 0, "the deal turns up 5H but the rules fix the trump"),
        (["AS KS", "AH 2C", "3D 4D"], None, 3, "dealer 3 is outside 0..2"),
        ([[0, 60], "AH 2C", "3D 4D"], None, 0, "card id 60 is outside 0..51"),
    ],
)
def test_bad_deals(hands: list[object], turned_up: str | None, dealer: int, message: str) -> None:
    rules = bz.RoundRules(num_players=3, num_cards=2)
    with pytest.raises(ValueError, match=re.escape(message)):
        bz.State(rules, bz.Deal(dealer=dealer, hands=hands, turned_up=turned_up))  # type: ignore[arg-type]


def test_turn_up_deals() -> None:
    rules = bz.RoundRules(num_players=3, num_cards=1, turn_up=True)
    with pytest.raises(ValueError, match="turn up a trump card but the deal has none"):
        bz.State(rules, bz.Deal(dealer=0, hands=["AS", "KS", "QS"]))
    with pytest.raises(ValueError, match="the turned-up card AS is also in a hand"):
        bz.State(rules, bz.Deal(dealer=0, hands=["AS", "KS", "QS"], turned_up="AS"))


def test_illegal_bids() -> None:
    state = _bidding_state()
    with pytest.raises(
        ValueError, match=re.escape("card AH played during bidding (player 1 must bid)")
    ):
        state.apply_action("AH")
    with pytest.raises(ValueError, match="player 1 bids 3, more than the 2 cards of the round"):
        state.apply_action("bid 3")
    state.apply_action("bid 1")
    state.apply_action("bid 0")
    with pytest.raises(
        ValueError,
        match=re.escape(
            "hook rule: the dealer (player 0) may not bid 1 because the bids would sum to 2"
        ),
    ):
        state.apply_action("bid 1")
    assert state.history == [53, 52]  # nothing was applied by the failed calls


def test_illegal_plays() -> None:
    state = _play_state()
    assert state.current_player == 1
    with pytest.raises(
        ValueError, match=re.escape("bid 0 during play (player 1 must play a card)")
    ):
        state.apply_action("bid 0")
    with pytest.raises(ValueError, match="player 1 does not hold AS"):
        state.apply_action("AS")
    state.apply_action("AH")
    state.apply_action("3D")
    state.apply_action("AS")  # trumps the heart: legal because seat 0 holds no heart
    assert state.trick_winner(0) == 0


def test_follow_suit_violation() -> None:
    state = bz.State(
        bz.RoundRules(num_players=3, num_cards=2, trump="N"),
        bz.Deal(dealer=2, hands=["AH 2C", "KH 3C", "4D 5D"]),
    )
    for bid in ("bid 0", "bid 0", "bid 0"):
        state.apply_action(bid)
    state.apply_action("AH")
    with pytest.raises(ValueError, match="player 1 must follow suit H and cannot play 3C"):
        state.apply_action("3C")


def test_actions_out_of_range_and_after_the_end() -> None:
    state = _bidding_state()
    with pytest.raises(IndexError, match="action 70 is outside 0..69"):
        state.apply_action(70)
    with pytest.raises(IndexError, match="action -1 is outside 0..69"):
        state.apply_action(-1)
    while not state.is_terminal():
        state.apply_action(state.legal_actions()[0])
    with pytest.raises(ValueError, match="after the round is over"):
        state.apply_action("bid 0")
    assert state.legal_actions() == []


def test_wrong_phase_queries() -> None:
    state = _bidding_state()
    with pytest.raises(ValueError, match="scores are only defined once the round is over"):
        state.scores()
    with pytest.raises(IndexError, match="player 3 is outside 0..2"):
        state.hand(3)
    with pytest.raises(IndexError, match="player -1 is outside 0..2"):
        state.observe(-1)
    with pytest.raises(IndexError, match="trick 0 has not started"):
        state.trick_leader(0)
    with pytest.raises(IndexError, match="trick 0 is not complete"):
        state.trick_winner(0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "must start with 'blobzero.round.v1'"),
        ("blobzero.round.v2 players=3", "must start with 'blobzero.round.v1'"),
        ("blobzero.round.v1 players=3", "missing field 'cards'"),
        ("blobzero.round.v1 colour=red", "unknown field 'colour=red'"),
        ("blobzero.round.v1 players=3 players=4", "field 'players' appears twice"),
    ],
)
def test_deserialize_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        bz.State.deserialize(text)


def test_deserialize_field_errors() -> None:
    good = _play_state().serialize()
    with pytest.raises(ValueError, match="field 'players' is not an integer: 'x'"):
        bz.State.deserialize(good.replace("players=3", "players=x"))
    with pytest.raises(ValueError, match="'hands' lists 3 hands for 4 players"):
        bz.State.deserialize(good.replace("players=3", "players=4"))
    with pytest.raises(ValueError, match="field 'hook' must be 0 or 1, not '2'"):
        bz.State.deserialize(good.replace("hook=1", "hook=2"))
    with pytest.raises(ValueError, match="replay action 3: player 1 does not hold KS"):
        bz.State.deserialize(good + ",KS")


def test_match_errors() -> None:
    with pytest.raises(IndexError, match="first_dealer 4 is outside 0..3"):
        bz.Match(bz.preset("blob", 4), seed=1, first_dealer=4)
    match = bz.Match(bz.Rules(num_players=3, schedule=[1]), seed=1)
    while not match.is_over():
        with pytest.raises(ValueError, match="the match is not over"):
            match.winners()
        match.apply_action(match.state.legal_actions()[0])
    with pytest.raises(ValueError, match="action after the match is over"):
        match.apply_action(0)


@given(st.text(max_size=6))
def test_parse_card_never_crashes(text: str) -> None:
    try:
        card = bz.parse_card(text)
    except ValueError as error:
        assert "card" in str(error) or "rank" in str(error) or "suit" in str(error)
    else:
        assert 0 <= card < 52
        assert bz.card_to_string(card).upper() == text.upper().replace("10", "T")


@given(st.integers(min_value=-1000, max_value=1000), st.integers(min_value=0, max_value=2**32))
def test_apply_action_accepts_exactly_the_legal_actions(action: int, seed: int) -> None:
    state = bz.State(bz.RoundRules(num_players=4, num_cards=5), dealer=seed % 4, seed=seed)
    for _ in range(seed % 9):  # reach bidding or play
        state.apply_action(state.legal_actions()[-1])
    legal = action in state.legal_actions()
    before = state.history
    try:
        state.apply_action(action)
    except (ValueError, IndexError):
        assert not legal
        assert state.history == before
    else:
        assert legal


def test_rotation_trump_refuses_negative_rounds() -> None:
    assert [bz.rotation_trump(r) for r in range(6)] == [3, 2, 0, 1, None, 3]
    with pytest.raises(ValueError, match="round_index = -1 must not be negative"):
        bz.rotation_trump(-1)


def test_belief_fields_must_fit_the_table() -> None:
    unseen = list(range(2, 10))
    with pytest.raises(ValueError, match="hand_sizes has 2 entries for 4 players"):
        bz.Belief(0, 4, [0, 1], unseen, [2, 2], [0, 0, 0, 0])
    with pytest.raises(ValueError, match="voids has 5 entries for 4 players"):
        bz.Belief(0, 4, [0, 1], unseen, [2, 2, 2, 2], [0, 0, 0, 0, 1])
    belief = bz.Belief(0, 4, [0, 1], unseen, [2, 2, 2, 2], [0, 0, 0, 0])
    assert belief.possible_holders(5) == [1, 2, 3]
    for card in (-1, 52, 64 + 5):
        with pytest.raises(ValueError, match=f"card id {card} is outside 0..51"):
            belief.possible_holders(card)


def test_an_action_is_never_a_bool() -> None:
    state = _bidding_state()
    for method in (state.apply_action, state.is_legal):
        with pytest.raises(TypeError, match="not a bool"):
            method(True)
    assert state.history == []
    state.apply_action(bz.BID_ACTION_BASE + 1)
    assert state.bids[1] == 1


def test_deserialize_accepts_the_line_end_of_a_file() -> None:
    state = _play_state()
    text = state.serialize()
    assert bz.State.deserialize(text + "\n") == state
    assert bz.State.deserialize(text + "\r\n") == state


def test_a_search_refuses_to_run_again_inside_its_own_evaluator() -> None:
    from blobzero._core.search import PimcBot, PimcSearch, PuctConfig

    state = _bidding_state()
    config = PuctConfig(num_worlds=1, simulations_per_world=4)
    search_again: list[object] = []  # the call the evaluator makes
    inner_errors: list[RuntimeError] = []

    def evaluate(features, masks):  # type: ignore[no-untyped-def]
        try:
            search_again[0]()  # type: ignore[operator]
        except RuntimeError as error:
            inner_errors.append(error)
            raise
        raise AssertionError("re-entry was allowed")

    search = PimcSearch(config, evaluate)
    bot = PimcBot(config, evaluate)
    for run in (lambda: search.run(state), lambda: bot.act(state, 1)):
        search_again[:] = [run]
        inner_errors.clear()
        with pytest.raises(RuntimeError, match="again from inside its own evaluator"):
            run()
        assert len(inner_errors) == 1


def test_self_play_refuses_a_search_of_the_true_deal() -> None:
    from blobzero._core.search import PuctConfig
    from blobzero.selfplay.engine import SelfPlayConfig

    with pytest.raises(ValueError, match="perfect_information searches the true deal"):
        SelfPlayConfig(search=PuctConfig(perfect_information=True))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_worlds": 10**6}, "num_worlds = 1000000 is outside 1..4096"),
        ({"simulations_per_world": 10**8}, "simulations_per_world = 100000000 is outside"),
        ({"num_worlds": 1000, "simulations_per_world": 100_000}, "more than 10000000 simulations"),
        ({"leaves_per_tree": 10**5}, "leaves_per_tree = 100000 is outside 1..1024"),
    ],
)
def test_absurd_search_sizes_are_refused_before_allocating(
    kwargs: dict[str, int], message: str
) -> None:
    from blobzero._core.search import IsmctsConfig, PuctConfig

    with pytest.raises(ValueError, match=re.escape(message)):
        PuctConfig(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=re.escape("simulations = 100000000 is outside")):
        IsmctsConfig(simulations=10**8)


@pytest.mark.parametrize("search", ["ismcts", "pimc"])
def test_ctrl_c_stops_a_long_search(search: str) -> None:
    import _thread
    import signal
    import threading
    import time

    from blobzero._core.search import (
        IsmctsConfig,
        IsmctsSearch,
        PimcSearch,
        PuctConfig,
        RolloutEvaluator,
    )

    state = bz.State(bz.RoundRules(num_players=4, num_cards=10), dealer=0, seed=1)
    if search == "ismcts":
        run = IsmctsSearch(IsmctsConfig(simulations=10**7)).run
    else:
        config = PuctConfig(num_worlds=4, simulations_per_world=2_000_000)
        run = PimcSearch(config, RolloutEvaluator(seed=1)).run
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    start = time.monotonic()
    try:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            run(state)
    finally:
        timer.cancel()
        timer.join()
        signal.signal(signal.SIGINT, previous)
    assert time.monotonic() - start < 5  # the whole search would take tens of seconds


def test_a_wrong_argument_type_names_the_call_without_dumping_the_deal() -> None:
    state = bz.State(bz.RoundRules(num_players=4, num_cards=5), dealer=0, seed=1)
    with pytest.raises(TypeError) as error:
        state.apply_action(None)  # type: ignore[arg-type]
    message = str(error.value)
    assert "apply_action()" in message and len(message) < 400
    hidden = [bz.card_to_string(c) for seat in range(4) for c in state.hand(seat)]
    assert not any(card in message for card in hidden)


def test_with_hands_keeps_the_public_facts_and_refuses_hands_that_break_them() -> None:
    state = _play_state()  # bids 1, 0, 0 from "AS KS" / "AH 2C" / "3D 4D"; seat 1 leads
    state.apply_action("AH")
    world = state.with_hands(["KS AS", "2C", "4D 3D"])
    assert world.history == state.history and world.hand(1) == state.hand(1)
    swapped = state.with_hands(["3D 4D", "2C", "AS KS"])
    assert swapped.hand(0) == [bz.parse_card("3D"), bz.parse_card("4D")]
    for hands, message in [
        (["AS KS", "2C"], "needs 3 hands, got 2"),
        (["AS", "2C", "3D 4D"], "seat 0 holds 2 cards, not 1"),
        (["AS AH", "2C", "3D 4D"], "AH is no longer in play"),
        (["AS KS", "2C", "KS 4D"], "KS is dealt twice"),
    ]:
        with pytest.raises(ValueError, match=message):
            state.with_hands(hands)
    # Seat 1 led hearts; seat 2 follows with a diamond, showing it has no hearts.
    state.apply_action("3D")
    with pytest.raises(ValueError, match="2H is of a suit the seat has shown it lacks"):
        state.with_hands(["AS KS", "2C", "2H"])
