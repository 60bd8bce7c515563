"""Conformance of the rules engine against the pure-Python reference model (reference_rules.py).

Random playouts over every rules variant, every player count 3..8 and every legal hand size; at
each step the engine's player to act, legal actions, hands, bids, tricks, voids and views must
agree with the reference, and clone / serialize / replay must round-trip. Then hand-built deals
pin individual rules and error messages, and Match tests check the schedule, the dealer rotation
and the totals.
"""

from __future__ import annotations

import copy
import math
import random
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import blobzero as bz
import reference_rules as ref
from blobzero import Phase, State
from support import ALL_VARIANTS, Variant, max_hand, pick, reference_of

PHASES = {"bidding": Phase.BIDDING, "play": Phase.PLAY, "terminal": Phase.TERMINAL}

# ---------------------------------------------------------------------------------------------
# Which variants each (players, hand size) case plays.
#
# For each player count the 36 variants (6 trumps x hook on/off x 3 scorings) are shuffled with a
# fixed seed and handed out in turn to the hand sizes 1..max, enough per hand size that all 36
# are played at least twice for every player count. A turned-up trump needs n * P < 52, so a
# hand size too large for it skips turn_up variants, which stay queued for the next hand size.
# ---------------------------------------------------------------------------------------------


def _variants_per_case() -> dict[tuple[int, int], list[Variant]]:
    cases: dict[tuple[int, int], list[Variant]] = {}
    for players in range(3, 9):
        sizes = range(1, max_hand(players, turn_up=False) + 1)
        per_size = max(4, math.ceil(2 * len(ALL_VARIANTS) / len(sizes)))
        order = list(ALL_VARIANTS)
        random.Random(players).shuffle(order)
        queue: list[Variant] = []
        for n in sizes:
            chosen: list[Variant] = []
            while len(chosen) < per_size:
                fits = [v for v in queue if not v.turn_up or n <= max_hand(players, True)]
                if not fits:
                    queue.extend(order)
                    continue
                queue.remove(fits[0])
                chosen.append(fits[0])
            cases[(players, n)] = chosen
    return cases


CASES = _variants_per_case()


def test_the_playout_cases_cover_every_variant_and_hand_size_for_every_player_count() -> None:
    by_players: dict[int, set[Variant]] = defaultdict(set)
    sizes: dict[int, set[int]] = defaultdict(set)
    turn_up_sizes: dict[int, set[int]] = defaultdict(set)
    for (players, n), variants in CASES.items():
        by_players[players].update(variants)
        sizes[players].add(n)
        turn_up_sizes[players].update(n for v in variants if v.turn_up)
    assert sorted(by_players) == [3, 4, 5, 6, 7, 8]
    for players in by_players:
        assert by_players[players] == set(ALL_VARIANTS), players
        assert sizes[players] == set(range(1, 52 // players + 1))
        assert max(turn_up_sizes[players]) <= 51 // players


# ---------------------------------------------------------------------------------------------
# Step-by-step comparison with the reference.
# ---------------------------------------------------------------------------------------------


def check_deal(state: State, variant: Variant) -> None:
    """The dealt cards are disjoint hands of n cards, plus a turned-up card iff turn_up."""
    deal = state.initial_deal()
    hands = deal.hands
    assert len(hands) == state.num_players
    assert all(len(h) == state.num_cards for h in hands)
    dealt = [c for h in hands for c in h]
    if variant.turn_up:
        assert deal.turned_up is not None
        assert state.turned_up == deal.turned_up
        assert state.trump_suit == ref.suit(deal.turned_up)
        dealt.append(deal.turned_up)
    else:
        assert deal.turned_up is None and state.turned_up is None
        assert state.trump_suit == variant.reference_trump()
    assert len(set(dealt)) == len(dealt)
    assert all(0 <= c < 52 for c in dealt)
    for p in range(state.num_players):
        assert state.initial_hand(p) == sorted(hands[p])


def check_rules_facts(state: State, model: ref.ReferenceRound) -> None:
    """Follow suit and the hook rule, stated directly rather than through the reference."""
    legal = state.legal_actions()
    player = state.current_player
    if state.phase == Phase.BIDDING:
        assert all(a >= bz.BID_ACTION_BASE for a in legal)
        bids = [a - bz.BID_ACTION_BASE for a in legal]
        n = state.num_cards
        others = [b for b in state.bids if b is not None]
        if player == state.dealer and state.rules.hook_rule and 0 <= n - sum(others) <= n:
            assert len(others) == state.num_players - 1
            forbidden = n - sum(others)
            assert bids == [b for b in range(n + 1) if b != forbidden]
            assert state.hook_forbidden_bid == forbidden
        else:
            assert bids == list(range(n + 1))
            assert state.hook_forbidden_bid is None
    elif state.phase == Phase.PLAY:
        hand = state.hand(player)
        led = state.led_suit
        if led is not None and any(ref.suit(c) == led for c in hand):
            assert legal == [c for c in hand if ref.suit(c) == led]
        else:
            assert legal == hand
        assert state.hook_forbidden_bid is None
    else:
        assert legal == []


def check_against_reference(state: State, model: ref.ReferenceRound) -> None:
    legal = state.legal_actions()
    assert state.phase == PHASES[model.phase()]
    assert state.is_terminal() == model.terminal()
    assert state.current_player == model.to_act()
    assert legal == model.legal_actions()
    mask = state.legal_mask()
    assert mask.dtype == np.bool_ and mask.shape == (bz.NUM_ACTIONS,)
    assert np.flatnonzero(mask).tolist() == legal
    assert state.hook_forbidden_bid == model.hook_forbidden_bid()
    assert state.history == model.history
    assert state.bids == model.bids
    assert state.tricks_won == model.tricks_won()
    assert state.voids == model.voids()
    assert state.played == sorted(model.played())
    assert state.num_tricks_completed == len(model.tricks)
    assert state.current_trick == [c for _, c in model.current]
    assert state.led_suit == (ref.suit(model.current[0][1]) if model.current else None)
    for p in range(state.num_players):
        assert state.hand(p) == sorted(model.hands[p])
    # The trick in progress: its leader and cards are known, its winner is not yet.
    if state.phase == Phase.PLAY:
        t = state.num_tricks_completed
        assert state.trick_leader(t) == model.trick_leader()
        assert state.trick_cards(t) == [c for _, c in model.current]
        with pytest.raises(IndexError, match=f"trick {t} is not complete"):
            state.trick_winner(t)
    # The trick just completed, if any.
    if model.tricks and not model.current and state.phase != Phase.BIDDING:
        t = len(model.tricks) - 1
        assert state.trick_winner(t) == model.winners[t]
        assert state.trick_leader(t) == model.tricks[t][0][0]
        assert state.trick_cards(t) == [c for _, c in model.tricks[t]]
    check_rules_facts(state, model)


def check_views(state: State, model: ref.ReferenceRound) -> None:
    """Every player's view holds its information set and the public facts derived from it."""
    for observer in range(state.num_players):
        view = state.observe(observer)
        assert view.observer == observer
        assert view.rules == state.rules
        assert view.dealer == model.dealer
        assert view.trump_suit == state.trump_suit
        assert view.turned_up == model.turned_up
        assert view.phase == PHASES[model.phase()]
        assert view.current_player == model.to_act()
        assert view.own_hand == sorted(model.hands[observer])
        assert view.history == model.history
        assert view.bids == model.bids
        assert view.tricks_won == model.tricks_won()
        assert view.hand_sizes == model.hand_sizes()
        assert view.played == sorted(model.played())
        assert view.voids == model.voids()
        # unseen = 52 - own hand - played - turned-up card.
        unseen = set(range(52)) - set(model.hands[observer]) - model.played()
        unseen -= {model.turned_up} if model.turned_up is not None else set()
        assert view.unseen == sorted(unseen)
        assert view.current_trick == [c for _, c in model.current]
        assert view.current_trick_leader == (model.current[0][0] if model.current else None)
    # Voids are facts: a seat shown void in a suit holds no card of it.
    for seat, mask in enumerate(state.voids):
        for s in range(4):
            if mask >> s & 1:
                assert all(ref.suit(c) != s for c in state.hand(seat)), (seat, s)


def check_clone(state: State, rng: random.Random) -> None:
    text = state.serialize()
    history = state.history
    for clone in (state.clone(), copy.copy(state), copy.deepcopy(state)):
        assert clone == state
        assert clone.serialize() == text
        if not state.is_terminal():
            clone.apply_action(pick(rng, clone.legal_actions()))
            assert clone != state
            assert clone.history[:-1] == history
    # Mutating the clone left the original as it was.
    assert state.serialize() == text
    assert state.history == history
    # And mutating the original leaves an earlier clone as it was.
    if not state.is_terminal():
        clone = state.clone()
        original = state.clone()
        original.apply_action(pick(rng, original.legal_actions()))
        assert clone.serialize() == text


def check_round_trips(state: State) -> None:
    text = state.serialize()
    assert text.startswith("blobzero.round.v1 ")
    assert "\n" not in text
    restored = State.deserialize(text)
    assert restored == state
    assert restored.serialize() == text
    assert restored.legal_actions() == state.legal_actions()
    assert restored.current_player == state.current_player
    assert repr(state).startswith(f"<State {state.num_players} players, {state.num_cards} cards")
    hidden = [bz.card_to_string(c) for seat in range(state.num_players) for c in state.hand(seat)]
    assert not any(card in repr(state) for card in hidden)
    replayed = State.replay(state.rules, state.initial_deal(), state.history)
    assert replayed == state
    assert replayed.legal_actions() == state.legal_actions()


def check_illegal_action_is_refused(state: State, rng: random.Random) -> None:
    legal = set(state.legal_actions())
    illegal = [a for a in range(bz.NUM_ACTIONS) if a not in legal]
    action = pick(rng, illegal)
    before = state.serialize()
    assert not state.is_legal(action)
    with pytest.raises(ValueError):
        state.apply_action(action)
    assert state.serialize() == before
    for a in (-1, bz.NUM_ACTIONS):
        with pytest.raises(IndexError, match="outside 0..69"):
            state.apply_action(a)
    if legal:
        assert state.is_legal(pick(rng, sorted(legal)))


def check_terminal(state: State, model: ref.ReferenceRound) -> None:
    rules = state.rules
    assert sum(state.tricks_won) == state.num_cards
    assert state.num_tricks_completed == state.num_cards
    assert state.played == sorted(c for h in model.initial_hands for c in h)
    for t in range(state.num_cards):
        assert state.trick_winner(t) == model.winners[t]
        assert state.trick_leader(t) == model.tricks[t][0][0]
        assert state.trick_cards(t) == [c for _, c in model.tricks[t]]
    assert (rules.min_score, rules.max_score) == ref.score_range(model.scoring, model.num_cards)
    scores = state.scores()
    assert scores == model.scores()
    lo, hi = rules.min_score, rules.max_score
    values = state.values()
    assert values == pytest.approx([2 * (s - lo) / (hi - lo) - 1 for s in scores], abs=1e-12)
    assert values == pytest.approx(model.values(), abs=1e-12)
    p = state.num_players
    relative = state.values(relative=True)
    assert relative == pytest.approx([v - (sum(values) - v) / (p - 1) for v in values], abs=1e-12)
    assert relative == pytest.approx(model.values(relative=True), abs=1e-12)
    assert all(-1.0 <= v <= 1.0 for v in values)
    assert state.current_player is None
    assert not state.legal_mask().any()
    with pytest.raises(ValueError, match="over"):
        state.apply_action(0)


def play_and_check(variant: Variant, players: int, n: int, seed: int) -> None:
    rng = random.Random(seed)
    rules = variant.round_rules(players, n)
    dealer = seed % players
    state = State(rules, dealer, seed)
    assert state.dealer == dealer
    assert State(rules, dealer, seed) == state  # the deal is a function of the seed
    check_deal(state, variant)
    model = reference_of(state, variant)
    with pytest.raises(ValueError):
        state.scores()
    # Points at which the costlier checks run: a few random steps, plus the first and the last.
    total_steps = players + players * n
    checkpoints = {0, total_steps, *rng.sample(range(total_steps + 1), min(4, total_steps))}
    step = 0
    while True:
        check_against_reference(state, model)
        check_views(state, model)
        if step in checkpoints:
            check_clone(state, rng)
            check_round_trips(state)
        check_illegal_action_is_refused(state, rng)
        if state.is_terminal():
            break
        action = pick(rng, state.legal_actions())
        state.apply_action(action)
        model.apply(action)
        step += 1
    assert step == total_steps
    check_terminal(state, model)


@pytest.mark.parametrize(("players", "n"), sorted(CASES), ids=lambda x: str(x))
def test_random_playouts_match_the_reference(players: int, n: int) -> None:
    for j, variant in enumerate(CASES[(players, n)]):
        seed = 1000 * players + 40 * n + j
        play_and_check(variant, players, n, seed)


@settings(max_examples=150, deadline=None)
@given(
    players=st.integers(3, 8),
    data=st.data(),
    variant=st.sampled_from(ALL_VARIANTS),
    seed=st.integers(0, 2**63 - 1),
)
def test_any_seeded_round_matches_the_reference(
    players: int, data: st.DataObject, variant: Variant, seed: int
) -> None:
    n = data.draw(st.integers(1, max_hand(players, variant.turn_up)), label="n")
    rules = variant.round_rules(players, n)
    state = State(rules, seed % players, seed)
    check_deal(state, variant)
    model = reference_of(state, variant)
    while not state.is_terminal():
        check_against_reference(state, model)
        legal = state.legal_actions()
        action = data.draw(st.sampled_from(legal), label="action")
        state.apply_action(action)
        model.apply(action)
    check_against_reference(state, model)
    check_terminal(state, model)


# ---------------------------------------------------------------------------------------------
# Hand-built deals: one rule at a time.
# ---------------------------------------------------------------------------------------------


def play(state: State, actions: str) -> State:
    for a in actions.split(","):
        state.apply_action(a.strip())
    return state


def test_first_bidder_and_first_leader_sit_left_of_the_dealer() -> None:
    rules = bz.RoundRules(4, 2, trump="S")
    deal = bz.Deal(3, ["AS KD", "2C 3C", "4H 5H", "TS JS"])
    state = State(rules, deal)
    assert state.current_player == 0  # dealer 3: seat 0 bids first
    order = []
    for bid in ("bid 0", "bid 0", "bid 0", "bid 0"):
        order.append(state.current_player)
        state.apply_action(bid)
    assert order == [0, 1, 2, 3]
    assert state.phase == Phase.PLAY
    assert state.current_player == 0  # and leads


def test_trump_beats_a_higher_card_of_the_led_suit_and_the_winner_leads() -> None:
    rules = bz.RoundRules(3, 2, trump="H")
    deal = bz.Deal(0, ["AC KC", "2H 3D", "QC 4D"])
    state = play(State(rules, deal), "bid 1, bid 1, bid 1")
    play(state, "2H, QC")  # seat 1 leads the 2 of trumps
    with pytest.raises(ValueError, match="does not hold|follow"):
        state.apply_action("AD")
    play(state, "AC")  # seat 0 has no heart: the ace of clubs does not beat the 2 of trumps
    assert state.trick_winner(0) == 1
    assert state.current_player == 1
    play(state, "3D, 4D, KC")
    assert state.trick_winner(1) == 2  # highest diamond; the off-suit king loses
    assert state.tricks_won == [0, 1, 1]
    assert state.scores() == [0, 11, 11]


def test_without_trumps_the_highest_card_of_the_led_suit_wins() -> None:
    rules = bz.RoundRules(3, 1, trump=None)
    deal = bz.Deal(2, ["5D", "AS", "9D"])
    state = play(State(rules, deal), "bid 0, bid 0, bid 0, 5D, AS, 9D")
    assert state.trump_suit is None
    assert state.trick_winner(0) == 2
    assert state.scores() == [10, 10, 0]


def test_the_turned_up_card_sets_trump_and_is_public() -> None:
    rules = bz.RoundRules(3, 1, turn_up=True)
    deal = bz.Deal(0, ["AD", "2C", "3D"], turned_up="7C")
    state = State(rules, deal)
    assert state.trump_suit == 0
    assert rules.trump_suit is None
    for p in range(3):
        view = state.observe(p)
        assert view.turned_up == bz.parse_card("7C")
        assert bz.parse_card("7C") not in view.unseen
    play(state, "bid 0, bid 0, bid 0, 2C, 3D, AD")  # seat 1 leads the 2 of trumps
    assert state.trick_winner(0) == 1


def test_a_player_must_follow_suit_but_may_play_anything_when_void() -> None:
    rules = bz.RoundRules(3, 2, trump="S")
    deal = bz.Deal(2, ["KH 2S", "AH 3C", "4C 5C"])
    state = play(State(rules, deal), "bid 0, bid 0, bid 0, KH")
    assert state.legal_actions() == [bz.parse_card("AH")]
    with pytest.raises(ValueError, match="follow"):
        state.apply_action("3C")
    play(state, "AH")
    assert state.legal_actions() == bz.parse_cards("4C 5C")  # void in hearts: anything
    play(state, "5C")
    assert state.voids == [0, 0, 1 << 2]


def test_hook_rule_forbids_the_dealer_the_bid_that_makes_the_sum_n() -> None:
    deal = bz.Deal(3, ["AS KD", "2C 3C", "4H 5H", "TS JS"])
    state = play(State(bz.RoundRules(4, 2), deal), "bid 1, bid 0, bid 0")
    assert state.hook_forbidden_bid == 1
    assert state.legal_actions() == [52, 54]
    with pytest.raises(ValueError, match="hook rule: the dealer \\(player 3\\) may not bid 1"):
        state.apply_action("bid 1")
    # Without the hook rule the same bid is allowed.
    free = play(State(bz.RoundRules(4, 2, hook_rule=False), deal), "bid 1, bid 0, bid 0")
    assert free.hook_forbidden_bid is None
    assert free.legal_actions() == [52, 53, 54]
    free.apply_action("bid 1")


def test_hook_rule_forbids_nothing_when_the_others_already_bid_more_than_n() -> None:
    deal = bz.Deal(3, ["AS KD", "2C 3C", "4H 5H", "TS JS"])
    state = play(State(bz.RoundRules(4, 2), deal), "bid 2, bid 1, bid 0")
    assert state.current_player == 3
    assert state.hook_forbidden_bid is None
    assert state.legal_actions() == [52, 53, 54]


def test_hook_rule_only_binds_the_dealer() -> None:
    deal = bz.Deal(3, ["AS KD", "2C 3C", "4H 5H", "TS JS"])
    state = play(State(bz.RoundRules(4, 2), deal), "bid 2")
    assert state.current_player == 1
    assert state.hook_forbidden_bid is None
    assert state.legal_actions() == [52, 53, 54]


@pytest.mark.parametrize(
    ("scoring", "bid", "tricks", "score"),
    [
        ("exact", 2, 2, 12),
        ("exact", 0, 0, 10),
        ("exact", 2, 1, 0),
        ("oh_hell", 2, 2, 12),
        ("oh_hell", 0, 3, 3),
        ("oh_hell_penalty", 1, 1, 11),
        ("oh_hell_penalty", 1, 4, -3),
        ("oh_hell_penalty", 3, 0, -3),
    ],
)
def test_round_score(scoring: str, bid: int, tricks: int, score: int) -> None:
    assert ref.round_score(scoring, bid, tricks) == score
    assert bz.round_score(getattr(bz.Scoring, scoring.upper()), bid, tricks) == score


def test_round_score_agrees_with_the_reference_everywhere() -> None:
    enum = {
        "exact": bz.Scoring.EXACT,
        "oh_hell": bz.Scoring.OH_HELL,
        "oh_hell_penalty": bz.Scoring.OH_HELL_PENALTY,
    }
    for name, value in enum.items():
        for bid in range(18):
            for tricks in range(18):
                assert bz.round_score(value, bid, tricks) == ref.round_score(name, bid, tricks)
        for n in range(1, 18):
            rules = bz.RoundRules(3, n, scoring=name)
            assert (rules.min_score, rules.max_score) == ref.score_range(name, n)


def test_values_span_minus_one_to_one() -> None:
    # Exact scoring: missing is the worst score (-1); bidding n and making it is the best (+1).
    deal = bz.Deal(2, ["AS KS", "2C 3C", "4H 5H"])
    state = play(State(bz.RoundRules(3, 2), deal), "bid 2, bid 1, bid 0, AS, 2C, 4H, KS, 3C, 5H")
    assert state.scores() == [12, 0, 10]
    assert state.values() == pytest.approx([1.0, -1.0, 2 * 10 / 12 - 1])
    assert state.values(relative=True) == pytest.approx(
        [1.0 - (-1.0 + 2 / 3) / 2, -1.0 - (1.0 + 2 / 3) / 2, 2 / 3 - 0.0]
    )


@pytest.mark.parametrize(
    ("hands", "turned_up", "rules", "message"),
    [
        (["AS", "KS"], None, bz.RoundRules(3, 1), "hand|players"),
        (["AS", "KS", "QS KS"], None, bz.RoundRules(3, 1), "hand|cards"),
        (["AS", "AS", "QS"], None, bz.RoundRules(3, 1), "twice|duplicate|AS"),
        (["AS", "KS", "QS"], None, bz.RoundRules(3, 1, turn_up=True), "turn"),
        (["AS", "KS", "QS"], "2C", bz.RoundRules(3, 1), "turn"),
        (["AS", "KS", "QS"], "QS", bz.RoundRules(3, 1, turn_up=True), "twice|QS"),
    ],
)
def test_bad_deals_are_refused_with_a_message(
    hands: list[str], turned_up: str | None, rules: bz.RoundRules, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        State(rules, bz.Deal(0, hands, turned_up=turned_up))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_players": 2}, "num_players = 2 is outside 3..8"),
        ({"num_players": 9}, "num_players = 9 is outside 3..8"),
        ({"num_players": 4, "num_cards": 0}, "num_cards = 0 is outside 1..13"),
        ({"num_players": 4, "num_cards": 14}, "num_cards = 14 is outside 1..13"),
        ({"num_players": 4, "num_cards": 13, "turn_up": True}, "outside 1..12 .*turned-up"),
        ({"num_players": 3, "num_cards": 18}, "outside 1..17"),
        ({"scoring": "golf"}, "unknown scoring 'golf'"),
        ({"trump": "X"}, "X"),
    ],
)
def test_bad_round_rules_are_refused_with_a_message(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bz.RoundRules(**kwargs)


def test_actions_and_messages_name_the_problem() -> None:
    deal = bz.Deal(3, ["AS KD", "2C 3C", "4H 5H", "TS JS"])
    state = State(bz.RoundRules(4, 2), deal)
    with pytest.raises(ValueError, match="card 2C played during bidding \\(player 0 must bid\\)"):
        state.apply_action("2C")
    with pytest.raises(ValueError, match="player 0 bids 3, more than the 2 cards"):
        state.apply_action("bid 3")
    play(state, "b0, b0, b0, b1")
    with pytest.raises(ValueError, match="player 0 does not hold 2C"):
        state.apply_action("2C")
    with pytest.raises(ValueError, match="bid"):
        state.apply_action("bid 0")
    assert bz.parse_action("AS") == 51
    assert bz.parse_action("10h") == bz.parse_card("TH")
    assert bz.parse_action("bid 2") == bz.parse_action("b2") == 54
    assert bz.action_to_string(54) == "bid 2"
    assert bz.action_to_string(0) == "2C"
    for card in range(52):
        text = bz.card_to_string(card)
        assert text == ref.card_text(card)
        assert bz.parse_card(text.lower()) == card


def test_observe_refuses_a_seat_outside_the_table() -> None:
    state = State(bz.RoundRules(4, 2), 0, 1)
    for seat in (-1, 4):
        with pytest.raises(IndexError):
            state.observe(seat)


def test_deserialize_names_what_is_wrong() -> None:
    state = play(State(bz.RoundRules(4, 2), bz.Deal(3, ["AS KD", "2C 3C", "4H 5H", "TS JS"])), "b1")
    text = state.serialize()
    assert text == (
        "blobzero.round.v1 players=4 cards=2 trump=S hook=1 scoring=exact dealer=3 "
        "turned_up=- hands=KD,AS|2C,3C|4H,5H|TS,JS actions=b1"
    )
    with pytest.raises(ValueError, match="hook"):
        State.deserialize(text.replace("hook=1 ", ""))
    with pytest.raises(ValueError, match="blobzero.round.v1|format|tag"):
        State.deserialize(text.replace("v1", "v9"))
    with pytest.raises(ValueError, match="hook rule"):
        State.deserialize(text + ",b0,b0,b1")


# ---------------------------------------------------------------------------------------------
# Matches: schedule, rotation trump, dealer rotation, totals, winners, determinism.
# ---------------------------------------------------------------------------------------------


def check_schedule(rules: bz.Rules, schedule: str | list[int], **kwargs: int) -> None:
    players = rules.num_players
    expected = ref.cards_per_round(players, schedule, **kwargs)
    assert rules.cards_per_round() == expected
    trump_mode = {
        bz.TrumpMode.ROTATION: "rotation",
        bz.TrumpMode.TURN_UP: "turn_up",
        bz.TrumpMode.NONE: "none",
    }[rules.trump_mode]
    for r, n in enumerate(expected):
        trump = ref.round_trump(trump_mode, r)
        assert rules.round_at(r) == bz.RoundRules(
            players,
            n,
            trump=None if trump is None else ref.SUIT_LETTERS[trump],
            turn_up=trump_mode == "turn_up",
            hook_rule=rules.hook_rule,
            scoring=rules.scoring,
        ), r
    with pytest.raises(IndexError):
        rules.round_at(len(expected))
    with pytest.raises(IndexError):
        rules.round_at(-1)


@pytest.mark.parametrize("players", range(3, 9))
@pytest.mark.parametrize("schedule", ["down_up", "down", "up", "fixed"])
@pytest.mark.parametrize("trump_mode", ["rotation", "turn_up", "none"])
def test_schedules_with_defaults(players: int, schedule: str, trump_mode: str) -> None:
    rules = bz.Rules(players, schedule=schedule, trump_mode=trump_mode)
    assert rules.effective_max_cards == min(10, 52 // players)
    check_schedule(rules, schedule)


def test_the_default_blob_schedule_for_four_and_eight_players() -> None:
    assert bz.Rules(4).cards_per_round() == [*range(10, 0, -1), *range(2, 11)]
    assert bz.Rules(8).cards_per_round() == [6, 5, 4, 3, 2, 1, 2, 3, 4, 5, 6]
    assert bz.preset("blob", 4) == bz.Rules(4)


def test_rotation_trump_cycles_spades_hearts_clubs_diamonds_no_trump() -> None:
    assert [bz.rotation_trump(r) for r in range(11)] == [3, 2, 0, 1, None, 3, 2, 0, 1, None, 3]
    for r in range(40):
        assert bz.rotation_trump(r) == ref.round_trump("rotation", r)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_schedule_matches_the_reference(data: st.DataObject) -> None:
    players = data.draw(st.integers(3, 8), label="players")
    trump_mode = data.draw(st.sampled_from(["rotation", "turn_up", "none"]), label="trump")
    largest = max_hand(players, trump_mode == "turn_up")
    schedule = data.draw(
        st.one_of(
            st.sampled_from(["down_up", "down", "up", "fixed"]),
            st.lists(st.integers(1, largest), min_size=1, max_size=12),
        ),
        label="schedule",
    )
    max_cards = 0 if isinstance(schedule, list) else data.draw(st.integers(0, largest))
    num_rounds = data.draw(st.integers(0, 6)) if schedule == "fixed" else 0
    one_card_rounds = data.draw(st.integers(1, 4), label="one_card_rounds")
    rules = bz.Rules(
        players,
        schedule=schedule,
        max_cards=max_cards,
        num_rounds=num_rounds,
        one_card_rounds=one_card_rounds,
        trump_mode=trump_mode,
        hook_rule=data.draw(st.booleans()),
        scoring=data.draw(st.sampled_from(ref.SCORINGS)),
    )
    check_schedule(
        rules, schedule, max_cards=max_cards, num_rounds=num_rounds, one_card_rounds=one_card_rounds
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schedule": []}, "explicit_cards is empty"),
        ({"schedule": [3, 0]}, "explicit_cards\\[1\\] = 0 is outside"),
        ({"schedule": [14]}, "explicit_cards\\[0\\] = 14 is outside 1..13"),
        ({"schedule": "sideways"}, "unknown schedule 'sideways'"),
        ({"max_cards": 14}, "max_cards = 14 is outside 1..13"),
        ({"max_cards": 13, "trump_mode": "turn_up"}, "max_cards = 13 is outside 1..12"),
        ({"num_rounds": 3}, "num_rounds is only allowed with schedule 'fixed'"),
        ({"schedule": "fixed", "num_rounds": -1}, "negative"),
        ({"one_card_rounds": 0}, "one_card_rounds = 0 is outside"),
        ({"trump_mode": "sometimes"}, "unknown trump mode|sometimes"),
    ],
)
def test_bad_match_rules_are_refused_with_a_message(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bz.Rules(4, **kwargs)


def play_match(match: bz.Match, rng: random.Random) -> list[list[int]]:
    """Plays a match to the end with random legal actions, checking every round on the way.

    Returns the actions of each round.
    """
    rules = match.rules
    players = rules.num_players
    d0 = match.first_dealer
    trump_mode = rules.trump_mode.name.lower()
    assert 0 <= d0 < players
    rounds: list[list[int]] = []
    totals = [0] * players
    for r, n in enumerate(match.cards_per_round):
        assert match.round_index == r
        assert not match.is_over()
        state = match.state.clone()
        assert state.dealer == ref.round_dealer(d0, r, players)
        assert state.num_cards == n
        assert state.rules == rules.round_at(r)
        assert state.history == []
        trump = ref.round_trump(trump_mode, r)
        if trump_mode == "turn_up":
            trump_name = "turn_up"
        elif trump is None:
            trump_name = "N"
        else:
            trump_name = ref.SUIT_LETTERS[trump]
        variant = Variant(trump_name, rules.hook_rule, rules.scoring.name.lower())
        model = reference_of(state, variant)
        actions = []
        while not model.terminal():
            assert match.state.current_player == model.to_act()
            assert match.state.legal_actions() == model.legal_actions()
            action = pick(rng, model.legal_actions())
            match.apply_action(action)
            model.apply(action)
            actions.append(action)
        rounds.append(actions)
        assert match.round_scores[r] == model.scores()
        totals = [t + s for t, s in zip(totals, model.scores(), strict=True)]
        assert match.totals == totals
    assert match.is_over()
    assert match.round_index == match.num_rounds
    assert len(match.round_scores) == match.num_rounds
    assert match.totals == [sum(col) for col in zip(*match.round_scores, strict=True)]
    assert match.winners() == ref.match_winners(match.totals)
    with pytest.raises(ValueError, match="over"):
        match.apply_action(52)
    return rounds


@pytest.mark.parametrize(
    ("rules", "seed", "first_dealer"),
    [
        (bz.Rules(3, max_cards=4), 1, 2),
        (bz.Rules(4, schedule="down", max_cards=5, trump_mode="turn_up", scoring="oh_hell"), 2, 0),
        (bz.Rules(5, schedule=[2, 1, 3], one_card_rounds=2, scoring="oh_hell_penalty"), 3, 4),
        (bz.Rules(6, schedule="fixed", max_cards=3, trump_mode="none", hook_rule=False), 4, 1),
        (bz.Rules(8), 5, 7),
        (bz.Rules(7, schedule="up", max_cards=3), 6, None),
    ],
)
def test_a_match_rotates_the_dealer_and_adds_up_the_scores(
    rules: bz.Rules, seed: int, first_dealer: int | None
) -> None:
    match = bz.Match(rules, seed, first_dealer)
    if first_dealer is not None:
        assert match.first_dealer == first_dealer
    assert match.seed == seed
    assert match.rules == rules
    assert match.cards_per_round == rules.cards_per_round()
    assert match.num_rounds == len(rules.cards_per_round())
    with pytest.raises(ValueError, match="not over"):
        match.winners()
    play_match(match, random.Random(seed))


def test_tied_totals_share_the_win() -> None:
    # One 1-card round, everybody bids 0: the trick's winner misses, the two others make 10.
    match = bz.Match(bz.Rules(3, schedule=[1]), seed=11, first_dealer=0)
    for _ in range(3):
        match.apply_action("bid 0")
    state = match.state.clone()
    while not state.is_terminal():
        action = state.legal_actions()[0]
        state.apply_action(action)
        match.apply_action(action)
    loser = state.trick_winner(0)
    assert match.is_over()
    assert match.totals == [0 if p == loser else 10 for p in range(3)]
    assert match.winners() == [p for p in range(3) if p != loser]


def test_everybody_wins_when_everybody_ties() -> None:
    # One 1-card round: the trick's winner bids 0 and the others bid 1, so all three miss.
    match = bz.Match(bz.Rules(3, schedule=[1]), seed=5, first_dealer=0)
    probe = match.state.clone()
    for _ in range(3):
        probe.apply_action("bid 0")
    while not probe.is_terminal():
        probe.apply_action(probe.legal_actions()[0])  # one card each: play is forced
    winner = probe.trick_winner(0)
    seat = match.state.current_player
    for _ in range(3):
        match.apply_action(52 + (0 if seat == winner else 1))
        seat = (seat + 1) % 3
    while not match.is_over():
        match.apply_action(match.state.legal_actions()[0])
    assert match.round_scores == [[0, 0, 0]]
    assert match.totals == [0, 0, 0]
    assert match.winners() == [0, 1, 2]


def test_a_seeded_match_is_deterministic() -> None:
    rules = bz.Rules(5, max_cards=4, trump_mode="turn_up")

    def deals(seed: int) -> list[str]:
        match = bz.Match(rules, seed)
        rng = random.Random(99)
        out = []
        while not match.is_over():
            if match.state.history == []:
                out.append(match.state.serialize())
            match.apply_action(pick(rng, match.state.legal_actions()))
        out.append(str(match.totals))
        return out

    first = deals(123)
    assert deals(123) == first
    assert bz.Match(rules, 123).first_dealer == bz.Match(rules, 123).first_dealer
    assert deals(124) != first
    assert len({bz.Match(rules, s).first_dealer for s in range(40)}) == 5


def test_match_rejects_a_bad_first_dealer() -> None:
    with pytest.raises(IndexError):
        bz.Match(bz.Rules(4), 0, 4)
    with pytest.raises(IndexError):
        bz.Match(bz.Rules(4), 0, -2)


def test_match_state_is_a_copy_that_the_match_does_not_change() -> None:
    # The binding documents Match.state as "A copy of the round in play". Playing a round out
    # through such a reference would leave the Match stuck: terminal round, never scored.
    match = bz.Match(bz.Rules(4), 5)
    held = match.state
    match.apply_action(held.legal_actions()[0])
    assert held.history == [], "Match.state changed under the caller's feet"
    mine = match.state
    mine.apply_action(mine.legal_actions()[0])
    assert len(match.state.history) == 1, "mutating Match.state changed the match"
