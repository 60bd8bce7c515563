"""Belief: what an observer may infer about the cards it cannot see (DESIGN.md 1.4).

A Belief is the observer's own hand, the unseen cards, every seat's hand size and revealed voids.
It must agree whichever way it is built (from a state, from the observer's view, or updated
action by action), agree with the pure-Python reference model, and never depend on cards hidden
from the observer.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings

import blobzero as bz
from blobzero import State
from blobzero._core.belief import Belief
from support import Table, Variant, pick, reference_of, tables
from test_information_hiding import hidden_twin

# A spread of table sizes, hand sizes and variants (every trump option among them).
CASES = [
    (3, 17, Variant("N", True, "exact")),
    (3, 16, Variant("turn_up", False, "oh_hell")),
    (4, 13, Variant("H", True, "oh_hell_penalty")),
    (4, 5, Variant("S", False, "exact")),
    (5, 7, Variant("C", True, "oh_hell")),
    (6, 8, Variant("turn_up", True, "exact")),
    (7, 3, Variant("D", False, "oh_hell_penalty")),
    (8, 6, Variant("N", False, "exact")),
]


def case_id(case: tuple[int, int, Variant]) -> str:
    players, n, variant = case
    return f"{players}p-{n}c-{variant}"


def expected_possible_holders(belief: Belief, card: int) -> list[int]:
    """Opponents that may hold `card`, from the belief's own fields (the documented rule)."""
    if card not in belief.unseen:
        return []
    return [
        q
        for q in range(belief.num_players)
        if q != belief.observer
        and belief.hand_sizes[q] > 0
        and not belief.voids[q] >> bz.suit_of(card) & 1
    ]


def check_against_reference(state: State, variant: Variant, belief: Belief, observer: int) -> None:
    """The belief agrees with the reference model replayed over the state's history."""
    model = reference_of(state, variant)
    for action in state.history:
        model.apply(action)
    assert belief.observer == observer
    assert belief.num_players == state.num_players
    assert belief.own_hand == sorted(model.hands[observer])
    assert belief.unseen == sorted(model.unseen_by(observer))
    assert belief.hand_sizes == model.hand_sizes()
    assert belief.voids == model.voids()
    hidden = sum(len(model.hands[q]) for q in range(state.num_players) if q != observer)
    assert belief.hidden_card_count == hidden


def check_possible_holders(state: State, belief: Belief) -> None:
    """possible_holders follows voids and hand sizes, and always includes the true holder."""
    observer = belief.observer
    true_holder = {c: q for q in range(state.num_players) for c in state.hand(q)}
    for card in range(bz.NUM_CARDS):
        holders = belief.possible_holders(card)
        assert holders == expected_possible_holders(belief, card), card
        assert observer not in holders
        for q in holders:
            assert belief.hand_sizes[q] > 0
            assert not belief.voids[q] >> bz.suit_of(card) & 1
        # Sound: the player who really holds a hidden card is never ruled out.
        q = true_holder.get(card)
        if q is not None and q != observer:
            assert q in holders, f"card {bz.card_to_string(card)} is held by {q}"
        if q == observer or card in state.played or card == state.turned_up:
            assert holders == []


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_from_state_equals_from_view_and_incremental_updates(
    case: tuple[int, int, Variant],
) -> None:
    players, n, variant = case
    rules = variant.round_rules(players, n)
    rng = random.Random(players * 100 + n)
    state = State(rules, rng.randrange(players), rng.randrange(2**32))
    beliefs = [Belief.from_state(state, p) for p in range(players)]
    steps = 0
    while True:
        for p in range(players):
            from_state = Belief.from_state(state, p)
            assert Belief.from_view(state.observe(p)) == from_state
            assert beliefs[p] == from_state, f"step {steps}, observer {p}"
            check_against_reference(state, variant, from_state, p)
            check_possible_holders(state, from_state)
        if state.is_terminal():
            break
        action = pick(rng, state.legal_actions())
        for p in range(players):
            before = Belief.from_state(state, p)
            beliefs[p].update(state, action)
            if action >= bz.BID_ACTION_BASE:
                assert beliefs[p] == before, "a bid must not change a belief"
            else:
                assert beliefs[p] != before, "a card played must change every belief"
        state.apply_action(action)
        steps += 1
    assert steps == players * (n + 1)


@settings(max_examples=60, deadline=None)
@given(table=tables())
def test_incremental_updates_track_from_state_on_random_rounds(table: Table) -> None:
    players = table.players
    rng = random.Random(table.seed)
    state = table.deal()
    beliefs = [Belief.from_state(state, p) for p in range(players)]
    while not state.is_terminal():
        action = pick(rng, state.legal_actions())
        for b in beliefs:
            b.update(state, action)
        state.apply_action(action)
        for p, b in enumerate(beliefs):
            assert b == Belief.from_state(state, p)
            assert b == Belief.from_view(state.observe(p))
    # At the end only the undealt stock (and nothing of any hand) is unseen.
    for b in beliefs:
        assert b.own_hand == [] and b.hidden_card_count == 0
        assert len(b.unseen) == 52 - players * table.num_cards - table.variant.turn_up
        assert all(b.possible_holders(c) == [] for c in range(52))


def test_a_hand_built_round_reveals_voids_and_shrinks_hands() -> None:
    # 3 players, 3 cards, hearts trump, dealer 2: seat 0 bids first and leads.
    rules = bz.RoundRules(3, 3, trump="H")
    state = State(rules, bz.Deal(2, ["AS KS 2D", "QS 3H 4C", "5C 6C 7C"]))
    for bid in ("bid 1", "bid 1", "bid 0"):
        state.apply_action(bid)
    belief = Belief.from_state(state, 0)
    assert belief.own_hand == bz.parse_cards("2D KS AS")
    assert belief.hand_sizes == [3, 3, 3]
    assert belief.voids == [0, 0, 0]
    assert len(belief.unseen) == 49 and belief.hidden_card_count == 6
    assert belief.possible_holders(bz.parse_card("QS")) == [1, 2]
    assert belief.possible_holders(bz.parse_card("AS")) == []
    for action in ("AS", "QS", "5C"):  # seat 2 fails to follow spades
        belief.update(state, bz.parse_action(action))
        state.apply_action(action)
    assert belief == Belief.from_state(state, 0)
    assert belief.own_hand == bz.parse_cards("2D KS")
    assert belief.hand_sizes == [2, 2, 2]
    assert belief.voids == [0, 0, 1 << 3]
    assert len(belief.unseen) == 47 and belief.hidden_card_count == 4
    assert bz.parse_card("QS") not in belief.unseen
    # Seat 2 can no longer hold a spade; seat 1 can.
    assert belief.possible_holders(bz.parse_card("JS")) == [1]
    assert belief.possible_holders(bz.parse_card("JH")) == [1, 2]
    # Seat 0 leads KS, seat 1 trumps (void in spades), seat 2 discards a club again.
    for action in ("KS", "3H", "6C"):
        belief.update(state, bz.parse_action(action))
        state.apply_action(action)
    assert belief.voids == [0, 1 << 3, 1 << 3]
    assert belief.possible_holders(bz.parse_card("JS")) == []
    assert belief.possible_holders(bz.parse_card("JD")) == [1, 2]
    assert belief.hand_sizes == [1, 1, 1]
    assert belief == Belief.from_state(state, 0)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_beliefs_never_depend_on_other_players_hidden_cards(
    case: tuple[int, int, Variant],
) -> None:
    players, n, variant = case
    rules = variant.round_rules(players, n)
    tested = 0
    for seed in range(12):
        rng = random.Random(seed)
        state = State(rules, seed % players, 1000 * players + seed)
        actions = random_actions(state, rng)
        found = hidden_twin(state, actions, rng)
        if found is None:
            continue
        at_cut, twin, observer, cut = found
        assert Belief.from_state(twin, observer) == Belief.from_state(at_cut, observer)
        # Updating both along the rest of the (still legal) round keeps them equal.
        a, b = Belief.from_state(at_cut, observer), Belief.from_state(twin, observer)
        for action in actions[cut:]:
            if not twin.is_legal(action):
                break
            a.update(at_cut, action)
            b.update(twin, action)
            at_cut.apply_action(action)
            twin.apply_action(action)
            assert a == b == Belief.from_state(twin, observer)
        # A player whose own hand differs between the twins has a different belief.
        for p in range(players):
            if at_cut.hand(p) != twin.hand(p):
                assert Belief.from_state(at_cut, p) != Belief.from_state(twin, p)
        tested += 1
    assert tested >= 6, "too few deals with hidden cards to move"


def random_actions(state: State, rng: random.Random) -> list[int]:
    clone = state.clone()
    actions = []
    while not clone.is_terminal():
        action = pick(rng, clone.legal_actions())
        clone.apply_action(action)
        actions.append(action)
    return actions


def test_bad_observer_is_an_index_error() -> None:
    state = State(bz.RoundRules(4, 3), 0, 1)
    with pytest.raises((IndexError, ValueError), match="4"):
        Belief.from_state(state, 4)
    with pytest.raises((IndexError, ValueError)):
        Belief.from_state(state, -1)


def test_update_rejects_a_state_or_action_that_does_not_fit() -> None:
    rules = bz.RoundRules(3, 5, trump="S")
    state = State(rules, 0, 1)
    for _ in range(3):
        state.apply_action(bz.BID_ACTION_BASE)
    # A play by seat 3 of a 4-player round cannot update a 3-player belief.
    four = State(bz.RoundRules(4, 2, trump="S"), 0, 2)
    while four.current_player != 3:
        four.apply_action(four.legal_actions()[0])
    with pytest.raises(ValueError):
        Belief.from_state(state, 0).update(four, four.legal_actions()[0])
    # A card the player to act does not hold is not a legal action of `before`.
    belief = Belief.from_state(state, 0)
    not_held = next(c for c in range(52) if not state.is_legal(c))
    with pytest.raises(ValueError):
        belief.update(state, not_held)
