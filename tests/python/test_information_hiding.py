"""Information hiding: an observer's view depends only on its information set (DESIGN.md 1.4).

Two rounds that differ only in cards hidden from the observer -- the opponents' unplayed cards
and the undealt stock -- must give equal ObserverViews (and equal rendered views) at every step
of the same action sequence. The alternative deal is built from the observer's view at a cut
point: every opponent keeps the cards it has already played, and the observer's unseen cards are
dealt anew to the opponents, respecting the voids they have shown, so that the same history stays
legal. The views of a player whose hand did change must differ, so the test can fail.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, settings

import blobzero as bz
from blobzero import State
from support import (
    SCORINGS,
    TRUMPS,
    Table,
    Variant,
    max_hand,
    pick,
    random_playout,
    tables,
)


def resample_hidden(state: State, observer: int, rng: random.Random) -> bz.Deal | None:
    """A deal that differs from `state`'s only in cards the observer cannot see, under which
    `state.history` is still legal; None when no other such deal could be found."""
    players = state.num_players
    view = state.observe(observer)
    pool = list(view.unseen)  # opponents' unplayed cards and the undealt stock
    opponents = [p for p in range(players) if p != observer]
    deal = state.initial_deal()
    for _ in range(50):
        rng.shuffle(pool)
        remaining = list(pool)
        new_hands: dict[int, list[int]] = {}
        # Deal to the most constrained opponents first: those void in the most suits.
        for q in sorted(opponents, key=lambda q: (-bin(view.voids[q]).count("1"), q)):
            allowed = [c for c in remaining if not view.voids[q] >> bz.suit_of(c) & 1]
            size = view.hand_sizes[q]
            if len(allowed) < size:
                break
            new_hands[q] = allowed[:size]
            for c in new_hands[q]:
                remaining.remove(c)
        else:
            hands = []
            for p in range(players):
                if p == observer:
                    hands.append(state.initial_hand(p))
                else:
                    kept = sorted(set(state.initial_hand(p)) - set(state.hand(p)))  # played
                    hands.append(kept + new_hands[p])
            alternative = bz.Deal(deal.dealer, hands, turned_up=deal.turned_up)
            if alternative != deal:
                return alternative
    return None


def hidden_twin(
    start: State, actions: list[int], rng: random.Random
) -> tuple[State, State, int, int] | None:
    """A random cut of a round played from ``start`` by ``actions``, a random observer, and two
    positions at the cut the observer cannot tell apart: the round itself and the same history
    under a deal with the observer's unseen cards moved (``resample_hidden``). Returns
    (at_cut, twin, observer, cut), or None when no unseen card can move."""
    rules = start.rules
    cut = rng.randrange(len(actions) + 1)
    at_cut = State.replay(rules, start.initial_deal(), actions[:cut])
    observer = rng.randrange(start.num_players)
    other = resample_hidden(at_cut, observer, rng)
    if other is None:
        return None
    twin = State.replay(rules, other, actions[:cut])
    assert twin != at_cut
    return at_cut, twin, observer, cut


def assert_views_agree_along(
    rules: bz.RoundRules, deal: bz.Deal, other: bz.Deal, actions: list[int], observer: int
) -> tuple[State, State]:
    """Plays `actions` from both deals; the observer's views agree at every step."""
    a, b = State(rules, deal), State(rules, other)
    for step in range(len(actions) + 1):
        va, vb = a.observe(observer), b.observe(observer)
        assert va == vb, f"step {step}: the view of player {observer} depends on hidden cards"
        assert va.render() == vb.render()
        if a.current_player == observer:
            assert a.legal_actions() == b.legal_actions()
            assert (a.legal_mask() == b.legal_mask()).all()
        if step < len(actions):
            a.apply_action(actions[step])
            b.apply_action(actions[step])
    return a, b


def check_hiding(rules: bz.RoundRules, dealer: int, seed: int, cut: float, observer: int) -> bool:
    """Returns whether a different deal was found (so that something was tested)."""
    rng = random.Random(seed)
    original = State(rules, dealer, seed)
    actions = random_playout(original.clone(), rng)
    k = int(cut * len(actions))
    at_cut = State.replay(rules, original.initial_deal(), actions[:k])
    other = resample_hidden(at_cut, observer, rng)
    if other is None:
        return False
    deal = original.initial_deal()
    assert other.turned_up == deal.turned_up
    assert other.hands[observer] == deal.hands[observer]
    # The same history is legal from the other deal: replay validates every action.
    State.replay(rules, other, actions[:k])
    a, b = assert_views_agree_along(rules, deal, other, actions[:k], observer)
    assert a != b
    # Players whose hand at the cut differs must see the difference.
    changed = [p for p in range(rules.num_players) if a.hand(p) != b.hand(p)]
    assert changed and observer not in changed
    for p in changed:
        assert a.observe(p) != b.observe(p)
        assert a.observe(p).own_hand != b.observe(p).own_hand
    # A changed stock alone leaves every hand alone, and then no view may differ.
    for p in set(range(rules.num_players)) - set(changed):
        assert a.observe(p) == b.observe(p)
    return True


# Every trump option for every player count; hook and scoring vary with them.
CASES = [
    (players, Variant(trump, (players + i) % 2 == 0, SCORINGS[(players + i) % 3]))
    for players in range(3, 9)
    for i, trump in enumerate(TRUMPS)
]


@pytest.mark.parametrize(("players", "variant"), CASES, ids=lambda x: str(x))
def test_views_ignore_the_hidden_cards_of_opponents(players: int, variant: Variant) -> None:
    tested = 0
    largest = max_hand(players, variant.turn_up)
    for j, n in enumerate(sorted({1, 2, largest // 2, largest})):
        rules = variant.round_rules(players, n)
        for cut in (0.0, 0.3, 0.7, 0.95):
            seed = 100 * players + 10 * j + int(10 * cut)
            tested += check_hiding(rules, seed % players, seed, cut, observer=seed % players)
    assert tested >= 8, "too few deals with hidden cards to move"


@settings(max_examples=120, deadline=None)
@given(table=tables())
def test_any_resampling_of_hidden_cards_leaves_the_view_unchanged(table: Table) -> None:
    dealer = table.seed % table.players
    assume(check_hiding(table.rules, dealer, table.seed, table.cut, table.observer))


def test_a_full_deck_leaves_only_opponents_cards_to_move() -> None:
    # 4 players x 13 cards: no stock, so resampling must move cards between opponents.
    rules = bz.RoundRules(4, 13, trump="H")
    assert check_hiding(rules, dealer=1, seed=7, cut=0.5, observer=2)


def test_public_information_does_change_the_view() -> None:
    # The turned-up card and the observer's own hand are known to it: changing them must show.
    rules = bz.RoundRules(3, 2, turn_up=True)
    base = bz.Deal(0, ["AS KS", "2C 3C", "4H 5H"], turned_up="7D")
    other_up = bz.Deal(0, ["AS KS", "2C 3C", "4H 5H"], turned_up="8D")
    assert State(rules, base).observe(1) != State(rules, other_up).observe(1)
    # Opponents' hands swapped: seat 1's view is unchanged, seats 0 and 2 see the change.
    swapped = bz.Deal(0, ["4H 5H", "2C 3C", "AS KS"], turned_up="7D")
    a, b = State(rules, base), State(rules, swapped)
    assert a.observe(1) == b.observe(1)
    assert a.observe(0) != b.observe(0)
    assert a.observe(2) != b.observe(2)
    # Once a card is played by someone, it is public: seat 1 sees who played what.
    for s in (a, b):
        for bid in ("bid 0", "bid 0", "bid 0"):
            s.apply_action(bid)
    a.apply_action("2C")
    b.apply_action("2C")
    a.apply_action("4H")  # seat 2 holds hearts in a ...
    b.apply_action("AS")  # ... and spades in b
    assert a.observe(1) != b.observe(1)


def test_the_view_and_legal_moves_of_the_player_to_act_do_not_depend_on_hidden_cards() -> None:
    # Resample the player to act at every step of one round and compare what it may act on.
    rules = bz.RoundRules(5, 6, trump="D")
    state = State(rules, 2, 2024)
    rng = random.Random(5)
    compared = 0
    while not state.is_terminal():
        player = state.current_player
        other = resample_hidden(state, player, rng)
        if other is not None:
            twin = State.replay(rules, other, state.history)
            assert twin.observe(player) == state.observe(player)
            assert twin.legal_actions() == state.legal_actions()
            compared += 1
        state.apply_action(pick(rng, state.legal_actions()))
    assert compared >= 25  # every step but the last tricks' has hidden cards to move
