"""Encoder: information set -> compact integer tokens and the legal mask (DESIGN.md 2.3).

Layout (cpp/blobzero/encode/encoder.h): 52 card tokens, 8 seat tokens relative to the observer,
one global token, 8 uint8 fields each; a 70-byte legal mask. Tested here:
- shapes and dtypes for every table size;
- information hiding: changing other players' hidden cards never changes an observer's features
  (property test), while changing what the observer can see does;
- every field on hand-built positions with exact expected values;
- the mask equals the engine's legal mask for the player to act and is zero for everyone else;
- world features: the observer's features with every other hand marked exactly;
- encode_batch equals stacked encode; hash_features separates different features.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings

import blobzero as bz
from blobzero import State
from blobzero._core.encode import (
    GLOBAL_TOKEN,
    HOLDER_SHIFT,
    NUM_CARD_TOKENS,
    SEAT_TOKEN_BASE,
    encode,
    encode_batch,
    hash_features,
)
from blobzero.nn.network import BlobNet
from support import ALL_VARIANTS, Table, Variant, max_hand, pick, tables
from test_information_hiding import resample_hidden

# Field indices.
RANK, SUIT, IS_TRUMP, LOCATION, PLAYED_BY, TRICK, HOLDERS, LEGAL = range(8)
PRESENT, BID, WON, VOIDS, HAND, DEALER, TO_ACT, BID_ORDER = range(8)
PHASE, CARDS, PLAYERS, TRUMP, HOOK_BID, TRICKS_DONE, LED, RULES = range(8)
UNSEEN, IN_HAND, PLAYED_EARLIER, IN_TRICK, TURNED_UP, IN_OTHER_HAND = range(6)
NOT_PLAYED_SEAT, NOT_PLAYED_TRICK, NO_BID, NO_TRUMP, NO_SUIT = 8, 17, 18, 4, 4


def card(text: str) -> int:
    return bz.parse_card(text)


def seat_token(features: np.ndarray, relative_seat: int) -> list[int]:
    return features[SEAT_TOKEN_BASE + relative_seat].tolist()


def play(state: State, *actions: str) -> None:
    for action in actions:
        state.apply_action(action)


def random_state(players: int, n: int, variant: Variant, seed: int, cut: float) -> State:
    return Table(players, n, variant, seed, observer=0, cut=cut).played_in()


# ---------------------------------------------------------------------------------------------
# Shapes.
# ---------------------------------------------------------------------------------------------


def test_layout_constants() -> None:
    assert (bz.NUM_TOKENS, bz.NUM_FIELDS, bz.NUM_CARD_TOKENS) == (61, 8, 52)
    assert (bz.SEAT_TOKEN_BASE, bz.GLOBAL_TOKEN, bz.MASK_SIZE) == (52, 60, 70)


@pytest.mark.parametrize("players", range(3, 9))
def test_shapes_and_dtypes_for_every_table_size(players: int) -> None:
    rules = bz.RoundRules(players, max_hand(players, False), trump="S")
    state = State(rules, 0, players)
    rng = random.Random(players)
    while True:
        for observer in range(players):
            features, mask = encode(state, observer)
            assert features.dtype == np.uint8 and features.shape == (61, 8)
            assert mask.dtype == np.uint8 and mask.shape == (70,)
            # Seat tokens past the table size are all zero; those before it are present.
            assert (features[SEAT_TOKEN_BASE + players : GLOBAL_TOKEN] == 0).all()
            assert (features[SEAT_TOKEN_BASE : SEAT_TOKEN_BASE + players, PRESENT] == 1).all()
            assert features[GLOBAL_TOKEN, PLAYERS] == players
        if state.is_terminal():
            break
        state.apply_action(pick(rng, state.legal_actions()))
    features, masks = encode_batch([state, state], observers=[0, 1])
    assert features.dtype == np.uint8 and features.shape == (2, 61, 8)
    assert masks.dtype == np.uint8 and masks.shape == (2, 70)


def test_a_bad_observer_is_an_index_error() -> None:
    state = State(bz.RoundRules(3, 2), 0, 1)
    with pytest.raises(IndexError, match="player 3"):
        encode(state, 3)
    with pytest.raises(IndexError):
        encode(state, -1)


# ---------------------------------------------------------------------------------------------
# Information hiding.
# ---------------------------------------------------------------------------------------------


def assert_encodings_agree(a: State, b: State, observer: int) -> None:
    fa, ma = encode(a, observer)
    fb, mb = encode(b, observer)
    assert (fa == fb).all(), f"features of {observer} depend on hidden cards"
    assert (ma == mb).all()
    assert hash_features(fa) == hash_features(fb)


@settings(max_examples=100, deadline=None)
@given(table=tables())
def test_other_players_hidden_cards_never_reach_the_features(table: Table) -> None:
    players, rules, observer = table.players, table.rules, table.observer
    rng = random.Random(table.seed)
    original = table.deal()
    actions = []
    clone = original.clone()
    while not clone.is_terminal():
        actions.append(pick(rng, clone.legal_actions()))
        clone.apply_action(actions[-1])
    k = int(table.cut * len(actions))
    at_cut = State.replay(rules, original.initial_deal(), actions[:k])
    other = resample_hidden(at_cut, observer, rng)
    assume(other is not None)
    assert other is not None
    a, b = State(rules, original.initial_deal()), State(rules, other)
    for step in range(k + 1):
        assert_encodings_agree(a, b, observer)
        if step < k:
            a.apply_action(actions[step])
            b.apply_action(actions[step])
    # Players whose own hand differs see the difference: the test can fail.
    for p in range(players):
        if a.hand(p) != b.hand(p):
            assert (encode(a, p)[0] != encode(b, p)[0]).any()


def test_what_the_observer_sees_does_change_the_features() -> None:
    rules = bz.RoundRules(3, 2, turn_up=True)
    base = State(rules, bz.Deal(0, ["AS KS", "2C 3C", "4H 5H"], turned_up="7D"))
    other_up = State(rules, bz.Deal(0, ["AS KS", "2C 3C", "4H 5H"], turned_up="8D"))
    swapped = State(rules, bz.Deal(0, ["4H 5H", "2C 3C", "AS KS"], turned_up="7D"))
    assert (encode(base, 1)[0] != encode(other_up, 1)[0]).any()
    assert (encode(base, 1)[0] == encode(swapped, 1)[0]).all()
    assert (encode(base, 0)[0] != encode(swapped, 0)[0]).any()


# ---------------------------------------------------------------------------------------------
# Every field on hand-built positions.
# ---------------------------------------------------------------------------------------------

# 4 players, 3 cards, hearts trump, hook rule, exact scoring; dealer 3, so seat 0 bids first and
# leads. Seat 1 is void in spades, seat 3 in clubs and diamonds.
HANDS = ["AS 2D 5C", "KD 3H 4C", "QS 9D 6C", "7S 8D 9H"]


def four_player_round() -> State:
    return State(bz.RoundRules(4, 3, trump="H"), bz.Deal(3, HANDS))


def test_card_tokens_before_anything_is_played() -> None:
    state = four_player_round()
    features, _ = encode(state, 1)
    for c in range(52):
        rank, suit = c % 13, c // 13
        expected_location = IN_HAND if c in state.hand(1) else UNSEEN
        # Before any play every opponent may hold any unseen card: relative seats 1..3.
        holders = 0 if c in state.hand(1) else 0b111
        assert features[c].tolist() == [
            rank,
            suit,
            int(suit == 2),
            expected_location,
            NOT_PLAYED_SEAT,
            NOT_PLAYED_TRICK,
            holders,
            0,
        ], bz.card_to_string(c)


def test_seat_and_global_tokens_during_bidding() -> None:
    state = four_player_round()
    features, mask = encode(state, 2)
    # Relative to seat 2: r=0 seat 2, r=1 seat 3 (dealer), r=2 seat 0, r=3 seat 1.
    assert seat_token(features, 0) == [1, NO_BID, 0, 0, 3, 0, 0, 2]
    assert seat_token(features, 1) == [1, NO_BID, 0, 0, 3, 1, 0, 3]
    assert seat_token(features, 2) == [1, NO_BID, 0, 0, 3, 0, 1, 0]
    assert seat_token(features, 3) == [1, NO_BID, 0, 0, 3, 0, 0, 1]
    assert (features[SEAT_TOKEN_BASE + 4 : GLOBAL_TOKEN] == 0).all()
    # Phase bidding, 3 cards, 4 players, hearts, no forbidden bid, 0 tricks, no led suit, rules:
    # exact (0) * 4 + hook (1) * 2 + no turn-up (0).
    assert features[GLOBAL_TOKEN].tolist() == [0, 3, 4, 2, NO_BID, 0, NO_SUIT, 2]
    assert not mask.any()
    play(state, "bid 1", "bid 0", "bid 1")
    # The dealer (seat 3) is to act: bids 1 + 0 + 1 = 2, so the hook rule forbids 1.
    dealer_features, dealer_mask = encode(state, 3)
    assert dealer_features[GLOBAL_TOKEN, HOOK_BID] == 1
    assert np.flatnonzero(dealer_mask).tolist() == [52, 54, 55]
    assert (dealer_mask == state.legal_mask()).all()
    # Relative to the dealer: r=0 dealer, r=1 seat 0, r=2 seat 1, r=3 seat 2.
    assert seat_token(dealer_features, 0) == [1, NO_BID, 0, 0, 3, 1, 1, 3]
    assert seat_token(dealer_features, 1) == [1, 1, 0, 0, 3, 0, 0, 0]
    assert seat_token(dealer_features, 2) == [1, 0, 0, 0, 3, 0, 0, 1]
    assert seat_token(dealer_features, 3) == [1, 1, 0, 0, 3, 0, 0, 2]
    # Nobody else sees a forbidden bid: it is the dealer's constraint, reported to the dealer.
    for observer in (0, 1, 2):
        other_features, other_mask = encode(state, observer)
        assert other_features[GLOBAL_TOKEN, HOOK_BID] == NO_BID
        assert not other_mask.any()
    # No card is legal to play during bidding.
    assert not dealer_features[:52, LEGAL].any()


def play_to_mid_trick(state: State) -> None:
    play(state, "bid 1", "bid 0", "bid 1", "bid 0")
    # Trick 0: seat 0 leads AS, seat 1 trumps with 3H (void in spades), QS, 7S. Seat 1 wins.
    play(state, "AS", "3H", "QS", "7S")
    # Trick 1: seat 1 leads 4C, seat 2 follows 6C, seat 3 discards 8D (void in clubs).
    play(state, "4C", "6C", "8D")


def test_every_field_in_the_middle_of_a_trick() -> None:
    state = four_player_round()
    play_to_mid_trick(state)
    assert state.current_player == 0
    features, mask = encode(state, 1)
    # Relative to seat 1: seat 2 -> 1, seat 3 -> 2, seat 0 -> 3.
    expected_cards = {
        # card: rank, suit, trump, location, played by, trick, holders, legal
        "AS": [12, 3, 0, PLAYED_EARLIER, 3, 0, 0, 0],
        "3H": [1, 2, 1, PLAYED_EARLIER, 0, 0, 0, 0],
        "QS": [10, 3, 0, PLAYED_EARLIER, 1, 0, 0, 0],
        "7S": [5, 3, 0, PLAYED_EARLIER, 2, 0, 0, 0],
        "4C": [2, 0, 0, IN_TRICK, 0, 1, 0, 0],
        "6C": [4, 0, 0, IN_TRICK, 1, 1, 0, 0],
        "8D": [6, 1, 0, IN_TRICK, 2, 1, 0, 0],
        "KD": [11, 1, 0, IN_HAND, NOT_PLAYED_SEAT, NOT_PLAYED_TRICK, 0, 0],
        # Unseen clubs: seat 3 (r=2) is void in clubs, so only r=1 and r=3 (bits 0 and 2).
        "5C": [3, 0, 0, UNSEEN, NOT_PLAYED_SEAT, NOT_PLAYED_TRICK, 0b101, 0],
        "2C": [0, 0, 0, UNSEEN, NOT_PLAYED_SEAT, NOT_PLAYED_TRICK, 0b101, 0],
        # Unseen diamonds, hearts and spades: any opponent.
        "2D": [0, 1, 0, UNSEEN, NOT_PLAYED_SEAT, NOT_PLAYED_TRICK, 0b111, 0],
        "9H": [7, 2, 1, UNSEEN, NOT_PLAYED_SEAT, NOT_PLAYED_TRICK, 0b111, 0],
        "AH": [12, 2, 1, UNSEEN, NOT_PLAYED_SEAT, NOT_PLAYED_TRICK, 0b111, 0],
        "2S": [0, 3, 0, UNSEEN, NOT_PLAYED_SEAT, NOT_PLAYED_TRICK, 0b111, 0],
    }
    for text, expected in expected_cards.items():
        assert features[card(text)].tolist() == expected, text
    assert int((features[:52, LOCATION] == UNSEEN).sum()) == 52 - 7 - 1
    assert not features[:52, LEGAL].any()
    # Seat tokens: present, bid, tricks won, voids, hand size, dealer, to act, bidding order.
    assert seat_token(features, 0) == [1, 0, 1, 0b1000, 1, 0, 0, 1]  # seat 1 (me)
    assert seat_token(features, 1) == [1, 1, 0, 0, 1, 0, 0, 2]  # seat 2
    assert seat_token(features, 2) == [1, 0, 0, 0b0001, 1, 1, 0, 3]  # seat 3, dealer
    assert seat_token(features, 3) == [1, 1, 0, 0, 2, 0, 1, 0]  # seat 0, to act
    # Global: play, 3 cards, 4 players, hearts, no forbidden bid, 1 trick done, clubs led, rules 2.
    assert features[GLOBAL_TOKEN].tolist() == [1, 3, 4, 2, NO_BID, 1, 0, 2]
    assert not mask.any()

    # The player to act (seat 0) must follow clubs: only 5C is legal.
    to_act, to_act_mask = encode(state, 0)
    assert to_act[card("5C"), LEGAL] == 1 and to_act[card("2D"), LEGAL] == 0
    assert to_act[:52, LEGAL].sum() == 1
    assert np.flatnonzero(to_act_mask).tolist() == [card("5C")]
    assert to_act[card("5C"), LOCATION] == IN_HAND and to_act[card("5C"), HOLDERS] == 0
    # Relative to seat 0, seat 1 (r=1) played 3H and 4C; seat 3 (r=3) played 8D.
    assert to_act[card("3H"), PLAYED_BY] == 1 and to_act[card("8D"), PLAYED_BY] == 3
    # Seat 0's unseen clubs: seat 3 (r=3, bit 2) is void, so r=1 and r=2 (bits 0 and 1).
    assert to_act[card("2C"), HOLDERS] == 0b011
    assert seat_token(to_act, 0) == [1, 1, 0, 0, 2, 0, 1, 0]


def test_every_field_at_the_end_of_the_round() -> None:
    state = four_player_round()
    play_to_mid_trick(state)
    play(state, "5C")  # trick 1 to seat 2 (6C; no trump played)
    assert state.tricks_won == [0, 1, 1, 0]
    # Trick 2: seat 2 leads 9D; seat 3 trumps with 9H (now void in diamonds too), 2D, KD.
    play(state, "9D", "9H", "2D", "KD")
    assert state.is_terminal()
    features, mask = encode(state, 1)
    assert features[card("5C")].tolist() == [3, 0, 0, PLAYED_EARLIER, 3, 1, 0, 0]
    assert features[card("9D")].tolist() == [7, 1, 0, PLAYED_EARLIER, 1, 2, 0, 0]
    assert features[card("9H")].tolist() == [7, 2, 1, PLAYED_EARLIER, 2, 2, 0, 0]
    assert features[card("KD")].tolist() == [11, 1, 0, PLAYED_EARLIER, 0, 2, 0, 0]
    # Nobody holds anything: no location "current trick", no holders, nothing legal.
    assert not (features[:52, LOCATION] == IN_TRICK).any()
    assert not features[:52, HOLDERS].any() and not features[:52, LEGAL].any()
    assert (features[:52, LOCATION] == PLAYED_EARLIER).sum() == 12
    assert seat_token(features, 0) == [1, 0, 1, 0b1000, 0, 0, 0, 1]
    assert seat_token(features, 1) == [1, 1, 1, 0, 0, 0, 0, 2]
    assert seat_token(features, 2) == [1, 0, 1, 0b0011, 0, 1, 0, 3]
    assert seat_token(features, 3) == [1, 1, 0, 0, 0, 0, 0, 0]
    assert features[GLOBAL_TOKEN].tolist() == [2, 3, 4, 2, NO_BID, 3, NO_SUIT, 2]
    assert not mask.any()


def test_turned_up_card_no_trump_and_rules_codes() -> None:
    # Turned-up 7D: diamonds are trump, the card is public and held by nobody.
    rules = bz.RoundRules(3, 2, turn_up=True, hook_rule=False, scoring="oh_hell_penalty")
    state = State(rules, bz.Deal(0, ["AS KS", "2C 3C", "4H 5H"], turned_up="7D"))
    for observer in range(3):
        features, _ = encode(state, observer)
        assert features[card("7D")].tolist() == [
            5,
            1,
            1,
            TURNED_UP,
            NOT_PLAYED_SEAT,
            NOT_PLAYED_TRICK,
            0,
            0,
        ]
        assert features[card("2D"), IS_TRUMP] == 1 and features[card("2S"), IS_TRUMP] == 0
        # 4 * oh_hell_penalty (2) + 2 * no hook (0) + turn-up (1).
        assert features[GLOBAL_TOKEN].tolist() == [0, 2, 3, 1, NO_BID, 0, NO_SUIT, 9]
    # No trump: trump code 4 and no card flagged.
    no_trump = State(bz.RoundRules(5, 4, trump="N", scoring="oh_hell"), 2, 9)
    features, _ = encode(no_trump, 4)
    assert features[GLOBAL_TOKEN, TRUMP] == NO_TRUMP
    assert not features[:52, IS_TRUMP].any()
    assert features[GLOBAL_TOKEN, RULES] == 4 * 1 + 2 * 1 + 0
    # The rules code for every combination.
    for scoring, code in (("exact", 0), ("oh_hell", 1), ("oh_hell_penalty", 2)):
        for hook in (False, True):
            for turn_up in (False, True):
                r = bz.RoundRules(4, 3, trump="C", turn_up=turn_up, hook_rule=hook, scoring=scoring)
                f, _ = encode(State(r, 0, 1), 0)
                assert f[GLOBAL_TOKEN, RULES] == 4 * code + 2 * hook + turn_up


@pytest.mark.parametrize("players", range(3, 9))
def test_seat_tokens_are_relative_to_the_observer(players: int) -> None:
    # Every seat bids its own number (no hook rule), so each seat token names its seat.
    n = max_hand(players, False)
    dealer = players - 2
    state = State(bz.RoundRules(players, n, trump="S", hook_rule=False), dealer, players)
    first = (dealer + 1) % players
    for k in range(players):
        seat = (first + k) % players
        state.apply_action(bz.BID_ACTION_BASE + seat % (n + 1))
    for observer in range(players):
        features, _ = encode(state, observer)
        for r in range(8):
            token = seat_token(features, r)
            if r >= players:
                assert token == [0] * 8
                continue
            seat = (observer + r) % players
            assert token[BID] == seat % (n + 1)
            assert token[DEALER] == int(seat == dealer)
            assert token[TO_ACT] == int(seat == first)
            assert token[BID_ORDER] == (seat - first) % players
            assert token[HAND] == n
        # The player to act's relative seat.
        assert features[SEAT_TOKEN_BASE + (first - observer) % players, TO_ACT] == 1


# ---------------------------------------------------------------------------------------------
# The mask, encode_batch, hash_features.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("players", "variant"), [(3 + i % 6, v) for i, v in enumerate(ALL_VARIANTS[::5])], ids=str
)
def test_mask_is_the_legal_mask_of_the_player_to_act_and_zero_for_others(
    players: int, variant: Variant
) -> None:
    state = State(variant.round_rules(players, max_hand(players, variant.turn_up) // 2), 1, 11)
    rng = random.Random(str(variant))
    while True:
        for observer in range(players):
            features, mask = encode(state, observer)
            if observer == state.current_player:
                assert (mask == state.legal_mask().astype(np.uint8)).all()
                assert mask.any()
                # The card legal flags agree with the mask.
                assert (features[:52, LEGAL] == mask[:52]).all()
            else:
                assert not mask.any()
                assert not features[:52, LEGAL].any()
        if state.is_terminal():
            break
        state.apply_action(pick(rng, state.legal_actions()))


# ---------------------------------------------------------------------------------------------
# World features: the whole deal, as the search evaluates its sampled worlds.
# ---------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(table=tables())
def test_world_features_add_exactly_the_other_hands(table: Table) -> None:
    players, observer = table.players, table.observer
    state = table.played_in()
    seen, seen_mask = encode(state, observer)
    world, world_mask = encode(state, observer, world=True)
    assert np.array_equal(seen_mask, world_mask)
    holder = {c: seat for seat in range(players) for c in state.hand(seat)}
    for c in range(NUM_CARD_TOKENS):
        seat = holder.get(c)
        if seat is None and seen[c][LOCATION] == UNSEEN:  # undealt: nobody may hold it
            assert np.array_equal(world[c], [*seen[c][:HOLDERS], 0, seen[c][LEGAL]])
            continue
        if seat is None or seat == observer:
            assert np.array_equal(world[c], seen[c])
            continue
        relative = (seat - observer) % players
        expected = seen[c].copy()
        assert expected[LOCATION] == UNSEEN and expected[HOLDERS] & (1 << (relative - 1))
        expected[LOCATION], expected[HOLDERS] = IN_OTHER_HAND, 1 << (relative - 1)
        assert np.array_equal(world[c], expected)
    assert np.array_equal(world[NUM_CARD_TOKENS:], seen[NUM_CARD_TOKENS:])
    states = [state, state]
    batch, _ = encode_batch(states, [observer, observer], world=True)
    assert np.array_equal(batch[0], world) and np.array_equal(batch[1], world)


@settings(max_examples=60, deadline=None)
@given(table=tables())
def test_holder_features_contain_the_observation_and_the_world_exactly(table: Table) -> None:
    players, observer = table.players, table.observer
    state = table.played_in()
    holders, mask = encode(state, observer, holders=True)
    seen, seen_mask = encode(state, observer)
    world, _ = encode(state, observer, world=True)
    assert np.array_equal(mask, seen_mask)
    # Field 7 of a card: legal + 2 * the relative seat of its holder when another seat holds it.
    for seat in range(players):
        for c in state.hand(seat):
            relative = (seat - observer) % players
            assert holders[c][LEGAL] >> HOLDER_SHIFT == relative
    observation, decoded_world = BlobNet("tiny").split_holder_features(
        torch.from_numpy(holders[None])
    )
    assert np.array_equal(observation[0].numpy(), seen)
    assert np.array_equal(decoded_world[0].numpy(), world)
    batch, _ = encode_batch([state], [observer], holders=True)
    assert np.array_equal(batch[0], holders)


def test_world_and_holders_exclude_each_other() -> None:
    with pytest.raises(ValueError, match="exclude each other"):
        encode(four_player_round(), 0, world=True, holders=True)


def test_world_features_tell_apart_deals_that_the_observer_cannot() -> None:
    state = four_player_round()
    deal = resample_hidden(state, 0, random.Random(3))
    assert deal is not None
    other = State(state.rules, deal)
    assert np.array_equal(encode(state, 0)[0], encode(other, 0)[0])
    assert not np.array_equal(encode(state, 0, world=True)[0], encode(other, 0, world=True)[0])


def test_encode_batch_equals_stacked_encode() -> None:
    rng = random.Random(4)
    states, observers = [], []
    for k, (players, n) in enumerate(((3, 7), (4, 5), (6, 2), (8, 6), (5, 10))):
        state = random_state(players, n, ALL_VARIANTS[7 * k], seed=k, cut=rng.random() * 0.9)
        assert not state.is_terminal()
        states.append(state)
        observers.append(rng.randrange(players))
    features, masks = encode_batch(states, observers)
    assert features.shape == (5, 61, 8) and masks.shape == (5, 70)
    for i, (state, observer) in enumerate(zip(states, observers, strict=True)):
        f, m = encode(state, observer)
        assert (features[i] == f).all() and (masks[i] == m).all()
    # Without observers, each state's player to act.
    features, masks = encode_batch(states)
    for i, state in enumerate(states):
        f, m = encode(state, state.current_player)
        assert (features[i] == f).all() and (masks[i] == m).all()
        assert masks[i].any()
    empty_features, empty_masks = encode_batch([])
    assert empty_features.shape == (0, 61, 8) and empty_masks.shape == (0, 70)


def test_encode_batch_errors_name_the_problem() -> None:
    state = State(bz.RoundRules(3, 1), 0, 1)
    while not state.is_terminal():
        state.apply_action(state.legal_actions()[0])
    with pytest.raises(ValueError, match="state 0 is finished"):
        encode_batch([state])
    features, masks = encode_batch([state], observers=[2])
    assert (features[0] == encode(state, 2)[0]).all()
    with pytest.raises(ValueError, match="2 states but 1 observers"):
        encode_batch([state, state], observers=[0])


def test_hash_features_is_equal_for_equal_features_and_checks_its_input() -> None:
    state = random_state(5, 6, ALL_VARIANTS[3], seed=1, cut=0.4)
    features, _ = encode(state, 2)
    h = hash_features(features)
    assert h == hash_features(features.copy()) == hash_features(features.ravel())
    assert h == hash_features(encode(state.clone(), 2)[0])
    assert h == hash_features(features.astype(np.int64))  # converted, same bytes
    assert 0 <= h < 2**64
    with pytest.raises(ValueError, match="needs 488 bytes of features, got 487"):
        hash_features(features.ravel()[:-1])


def test_hash_features_separates_the_positions_of_random_rounds() -> None:
    seen: dict[bytes, int] = {}
    for k in range(6):
        players = 3 + k
        state = random_state(players, 4, ALL_VARIANTS[k], seed=k, cut=0.0)
        rng = random.Random(k)
        while True:
            for observer in range(players):
                features, _ = encode(state, observer)
                assert seen.setdefault(features.tobytes(), hash_features(features)) == (
                    hash_features(features)
                )
            if state.is_terminal():
                break
            state.apply_action(pick(rng, state.legal_actions()))
    assert len(seen) > 300
    assert len(set(seen.values())) == len(seen), "different features share a hash"


def test_hash_features_separates_single_byte_changes() -> None:
    features, _ = encode(random_state(5, 6, ALL_VARIANTS[3], seed=1, cut=0.4), 2)
    base = hash_features(features)
    flat = features.ravel()
    changed = set()
    for i in range(flat.size):
        other = flat.copy()
        other[i] ^= 1
        changed.add(hash_features(other))
    assert base not in changed
    assert len(changed) == flat.size


def test_hash_features_separates_two_positions_of_one_round() -> None:
    # Two play orders of one deal that differ only in the trick in which six cards were played:
    # different information sets for the player to act, found to share a hash.
    rules = bz.RoundRules(4, 4, trump="H", hook_rule=False)
    deal = bz.Deal(0, ["TC 5D QD JS", "5C 4H 3S 6S", "QC KC QS KS", "JD 5H 6H TS"])
    bids = [bz.BID_ACTION_BASE + 1] * 4
    plays_a = "4H QC 5H 5D 6H TC 3S KS JD QD 5C QS"
    plays_b = "4H KS 5H TC 6H 5D 5C QC JD QD 3S QS"
    a = State.replay(rules, deal, bids + [bz.parse_action(x) for x in plays_a.split()])
    b = State.replay(rules, deal, bids + [bz.parse_action(x) for x in plays_b.split()])
    assert a.current_player == b.current_player
    fa, fb = encode(a, a.current_player)[0], encode(b, b.current_player)[0]
    assert (fa != fb).any()
    assert hash_features(fa) != hash_features(fb)
