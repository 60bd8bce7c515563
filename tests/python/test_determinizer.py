"""Determinizer: exactly uniform sampling of hidden hands consistent with a Belief (DESIGN.md 2.1).

- On small positions with revealed voids (with and without an undealt stock, and with a turned-up
  card) every consistent assignment of the unseen cards to the opponents is enumerated by brute
  force in Python; the determinizer must count exactly as many, and its samples must pass a
  chi-square test of uniformity over them. The same test rejects a plausible biased sampler, so
  it has the power to fail.
- On larger positions the count is checked against an independent dynamic programme.
- Every sample respects voids, hand sizes, the observer's own hand, played and turned-up cards.
- Samples depend only on the observer's information set: twin states that differ in hidden cards
  give identical samples for the same seed.
- No consistent deal: a ValueError that says so.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from math import comb, prod

import numpy as np
import pytest
from hypothesis import given, settings
from scipy.stats import chisquare

import blobzero as bz
from blobzero import State
from blobzero._core.belief import Belief
from blobzero._core.determinize import Determinizer
from support import Table, Variant, pick, tables
from test_information_hiding import hidden_twin

SUIT_MASKS = [((1 << 13) - 1) << (13 * s) for s in range(4)]


def mask_of(cards: list[int] | tuple[int, ...]) -> int:
    return sum(1 << c for c in cards)


def cards_of(mask: int) -> list[int]:
    return [c for c in range(52) if mask >> c & 1]


def opponents(belief: Belief) -> list[int]:
    return [q for q in range(belief.num_players) if q != belief.observer]


# ---------------------------------------------------------------------------------------------
# Brute force and an independent count.
# ---------------------------------------------------------------------------------------------


def enumerate_deals(belief: Belief) -> list[tuple[int, ...]]:
    """Every assignment of unseen cards to the opponents (as card masks, in seat order) that gives
    each its hand size and no card of a suit it is void in; the rest stay undealt."""
    seats = opponents(belief)

    def deal(i: int, remaining: frozenset[int]) -> Iterator[tuple[int, ...]]:
        if i == len(seats):
            yield ()
            return
        q = seats[i]
        allowed = sorted(c for c in remaining if not belief.voids[q] >> bz.suit_of(c) & 1)
        for hand in combinations(allowed, belief.hand_sizes[q]):
            for rest in deal(i + 1, remaining - set(hand)):
                yield (mask_of(hand), *rest)

    return list(deal(0, frozenset(belief.unseen)))


def count_deals(belief: Belief) -> int:
    """The number of consistent deals by a dynamic programme over holders (each opponent, then
    the undealt stock) with the per-suit numbers of unseen cards left as its state."""
    holders = [(belief.hand_sizes[q], belief.voids[q]) for q in opponents(belief)]
    stock = len(belief.unseen) - sum(size for size, _ in holders)
    if stock < 0:
        return 0
    holders.append((stock, 0))
    start = tuple(sum(bz.suit_of(c) == s for c in belief.unseen) for s in range(4))

    @cache
    def ways(i: int, left: tuple[int, ...]) -> int:
        size, voids = holders[i]
        if i == len(holders) - 1:  # the stock takes whatever is left
            return int(sum(left) == size and not any(voids >> s & 1 for s in range(4) if left[s]))
        total = 0
        for take in compositions(size, [0 if voids >> s & 1 else left[s] for s in range(4)]):
            rest = tuple(left[s] - take[s] for s in range(4))
            total += prod(comb(left[s], take[s]) for s in range(4)) * ways(i + 1, rest)
        return total

    return ways(0, start)


def compositions(total: int, bounds: list[int]) -> Iterator[tuple[int, ...]]:
    """Tuples x with 0 <= x[i] <= bounds[i] summing to total."""
    if not bounds:
        if total == 0:
            yield ()
        return
    for x in range(min(total, bounds[0]) + 1):
        for rest in compositions(total - x, bounds[1:]):
            yield (x, *rest)


# ---------------------------------------------------------------------------------------------
# Small positions with voids, found by a deterministic scan of random playouts.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    players: int
    cards: int
    trump: str  # a suit letter, "N", or "turn_up"
    wanted: Callable[[Belief], bool]  # what the position must show, besides a void

    def rules(self) -> bz.RoundRules:
        return Variant(self.trump, True, "exact").round_rules(self.players, self.cards)


def stock(b: Belief) -> int:
    return len(b.unseen) - b.hidden_card_count


def void_opponents(b: Belief) -> list[int]:
    return [q for q in opponents(b) if b.voids[q] and b.hand_sizes[q] > 0]


CASES = [
    Case("3p-stock-two-voids", 3, 16, "N", lambda b: stock(b) > 0 and len(void_opponents(b)) == 2),
    Case("3p-turn-up-stock", 3, 16, "turn_up", lambda b: stock(b) > 0),
    Case(
        "4p-full-deck-mid-trick",
        4,
        13,
        "H",
        lambda b: stock(b) == 0 and len({b.hand_sizes[q] for q in opponents(b)}) > 1,
    ),
    Case(
        "4p-stock-exchangeable",
        4,
        12,
        "S",
        # Two opponents with the same non-empty void set (one group in the sampler).
        lambda b: (
            stock(b) > 0
            and any(
                b.voids[q] == b.voids[r] and b.voids[q] and b.hand_sizes[q] and b.hand_sizes[r]
                for q, r in combinations(opponents(b), 2)
            )
        ),
    ),
    Case(
        "5p-empty-hand",
        5,
        10,
        "C",
        lambda b: any(b.hand_sizes[q] == 0 for q in opponents(b)) and stock(b) > 0,
    ),
    Case(
        "3p-17-multi-void",
        3,
        17,
        "D",
        lambda b: any(bin(b.voids[q]).count("1") >= 2 for q in void_opponents(b)),
    ),
]


def find_position(case: Case, fewest: int = 60, most: int = 1200) -> tuple[State, Belief]:
    """The first position of a deterministic scan that shows the case's features and has between
    `fewest` and `most` consistent deals."""
    rules = case.rules()
    for seed in range(300):
        rng = random.Random(seed)
        state = State(rules, seed % case.players, seed)
        while not state.is_terminal():
            state.apply_action(pick(rng, state.legal_actions()))
            if state.phase != bz.Phase.PLAY:
                continue
            for observer in range(case.players):
                b = Belief.from_state(state, observer)
                if not void_opponents(b) or not case.wanted(b):
                    continue
                if fewest <= Determinizer(b).num_consistent_deals <= most:
                    return state.clone(), b
    raise AssertionError(f"no position found for {case.name}")


def chi_square_p(samples: list[tuple[int, ...]], deals: list[tuple[int, ...]]) -> float:
    counts = Counter(samples)
    assert set(counts) <= set(deals), "a sample is not among the consistent deals"
    observed = np.array([counts[d] for d in deals], dtype=float)
    expected = np.full(len(deals), len(samples) / len(deals))
    return float(chisquare(observed, expected).pvalue)


def sampled_deals(belief: Belief, count: int, seed: int) -> list[tuple[int, ...]]:
    rows = Determinizer(belief).sample_many(count, seed)
    seats = opponents(belief)
    return [tuple(int(row[q]) for q in seats) for row in rows]


SAMPLES_PER_DEAL = 30


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_counts_match_brute_force_and_samples_are_uniform(case: Case) -> None:
    state, belief = find_position(case)
    deals = enumerate_deals(belief)
    assert len(deals) == len(set(deals))
    determinizer = Determinizer(belief)
    assert determinizer.num_consistent_deals == len(deals)
    assert count_deals(belief) == len(deals)
    # The true deal is one of them.
    truth = tuple(mask_of(state.hand(q)) for q in opponents(belief))
    assert truth in deals
    samples = sampled_deals(belief, SAMPLES_PER_DEAL * len(deals), seed=12345)
    assert chi_square_p(samples, deals) > 1e-3
    # Every deal turns up (expected 30 times each, so a missing one would be a defect).
    assert set(samples) == set(deals)


def naive_sampler(belief: Belief, rng: random.Random) -> tuple[int, ...]:
    """A plausible but biased sampler: opponents most constrained first, each taking a uniform
    draw from the unseen cards it may hold that are left, restarting when one cannot be filled."""
    seats = opponents(belief)
    while True:
        remaining = set(belief.unseen)
        hands: dict[int, tuple[int, ...]] = {}
        for q in sorted(seats, key=lambda q: -bin(belief.voids[q]).count("1")):
            allowed = sorted(c for c in remaining if not belief.voids[q] >> bz.suit_of(c) & 1)
            if len(allowed) < belief.hand_sizes[q]:
                break
            hands[q] = tuple(rng.sample(allowed, belief.hand_sizes[q]))
            remaining -= set(hands[q])
        else:
            return tuple(mask_of(hands[q]) for q in seats)


def test_the_uniformity_test_rejects_a_biased_sampler() -> None:
    # Two opponents void in different suits: greedy dealing favours some deals.
    state, belief = find_position(CASES[0])
    deals = enumerate_deals(belief)
    rng = random.Random(3)
    samples = [naive_sampler(belief, rng) for _ in range(SAMPLES_PER_DEAL * len(deals))]
    assert set(samples) <= set(deals)
    assert chi_square_p(samples, deals) < 1e-6
    # ... while the determinizer on the same position passes.
    assert chi_square_p(sampled_deals(belief, len(samples), seed=99), deals) > 1e-3


def test_sample_and_sample_many_agree() -> None:
    _, belief = find_position(CASES[2])
    d = Determinizer(belief)
    many = d.sample_many(3, seed=7)
    assert many.dtype == np.uint64 and many.shape == (3, belief.num_players)
    first = d.sample(seed=7)
    assert [mask_of(h) for h in first] == [int(x) for x in many[0]]
    assert (Determinizer(belief).sample_many(3, seed=7) == many).all()
    assert d.sample_many(0, seed=1).shape == (0, belief.num_players)
    with pytest.raises(ValueError, match="count"):
        d.sample_many(-1, seed=1)


def test_counts_without_voids_are_multinomial() -> None:
    # At the start of a round nobody has shown a void: the count is a product of binomials.
    for players, n, turn_up in ((4, 5, False), (3, 17, False), (8, 6, True), (5, 1, False)):
        rules = bz.RoundRules(players, n, trump=None if turn_up else "S", turn_up=turn_up)
        belief = Belief.from_state(State(rules, 0, players + n), 1)
        unseen = 52 - n - turn_up
        expected = 1
        for _ in range(players - 1):
            expected *= comb(unseen, n)
            unseen -= n
        assert Determinizer(belief).num_consistent_deals == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Constraints on every sample, and counts on bigger positions.
# ---------------------------------------------------------------------------------------------


def check_samples(state: State, belief: Belief, rows: np.ndarray) -> None:
    players = state.num_players
    observer = belief.observer
    unseen = mask_of(belief.unseen)
    played = mask_of(state.played)
    assert rows.shape[1] == players
    for row in rows:
        hands = [int(x) for x in row]
        assert hands[observer] == mask_of(state.hand(observer))
        assert sum(bin(h).count("1") for h in hands) == sum(belief.hand_sizes)
        union = 0
        for q, hand in enumerate(hands):
            assert bin(hand).count("1") == belief.hand_sizes[q] == len(state.hand(q))
            assert union & hand == 0, "a card is dealt twice"
            union |= hand
            assert hand & played == 0, "a played card is dealt"
            if state.turned_up is not None:
                assert not hand >> state.turned_up & 1, "the turned-up card is dealt"
            if q != observer:
                assert hand & ~unseen == 0, "an opponent gets a card the observer has seen"
                for s in range(4):
                    if belief.voids[q] >> s & 1:
                        assert hand & SUIT_MASKS[s] == 0, f"seat {q} is void in suit {s}"


@settings(max_examples=60, deadline=None)
@given(table=tables())
def test_every_sample_respects_the_belief(table: Table) -> None:
    players = table.players
    state = table.played_in()
    belief = Belief.from_state(state, table.observer)
    rows = Determinizer(belief).sample_many(40, table.seed)
    check_samples(state, belief, rows)
    # The true hands are one consistent deal, so the count is positive; it is exact (checked by
    # an independent count) where that count is cheap in Python.
    deals = Determinizer(belief).num_consistent_deals
    assert deals >= 1
    if players == 3 or belief.hidden_card_count <= 20:
        assert deals == pytest.approx(count_deals(belief), rel=1e-12)


def test_a_finished_round_leaves_one_deal_of_empty_hands() -> None:
    rules = bz.RoundRules(4, 3, trump="N")
    state = State(rules, 0, 3)
    while not state.is_terminal():
        state.apply_action(state.legal_actions()[0])
    d = Determinizer(Belief.from_state(state, 2))
    assert d.num_consistent_deals == 1
    assert d.sample(seed=5) == [[], [], [], []]


# ---------------------------------------------------------------------------------------------
# Samples depend only on the observer's information set.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("players", "n", "trump"),
    [(3, 16, "N"), (4, 13, "H"), (5, 6, "turn_up"), (8, 6, "S"), (6, 2, "D")],
)
def test_twin_states_give_identical_samples(players: int, n: int, trump: str) -> None:
    rules = Variant(trump, True, "exact").round_rules(players, n)
    tested = 0
    for seed in range(10):
        rng = random.Random(seed)
        original = State(rules, seed % players, 77 * seed + players)
        actions = []
        clone = original.clone()
        while not clone.is_terminal():
            actions.append(pick(rng, clone.legal_actions()))
            clone.apply_action(actions[-1])
        found = hidden_twin(original, actions, rng)
        if found is None:
            continue
        at_cut, twin, observer, _ = found
        a = Determinizer(Belief.from_state(at_cut, observer))
        b = Determinizer(Belief.from_state(twin, observer))
        assert a.num_consistent_deals == b.num_consistent_deals
        rows = a.sample_many(50, seed)
        assert (rows == b.sample_many(50, seed)).all()
        # ... and the samples do vary (unless only one deal is possible).
        if a.num_consistent_deals > 1:
            assert len({tuple(r) for r in rows.tolist()}) > 1
            assert not (a.sample_many(50, seed + 1) == rows).all()
        tested += 1
    assert tested >= 5


# ---------------------------------------------------------------------------------------------
# No consistent deal.
# ---------------------------------------------------------------------------------------------


def test_no_consistent_deal_raises_a_clear_value_error() -> None:
    # Seat 1 must hold 2 cards but is void in every suit that is unseen (clubs and diamonds).
    unseen = bz.parse_cards("2C 3C 4D 5D")
    own = bz.parse_cards("AS KS")
    feasible = Belief(0, 3, own, unseen, [2, 2, 2], [0, 0, 0])
    assert Determinizer(feasible).num_consistent_deals == 6
    belief = Belief(0, 3, own, unseen, [2, 2, 2], [0, 0b0011, 0])
    with pytest.raises(ValueError, match="no deal is consistent with the belief"):
        Determinizer(belief)


def test_more_hidden_cards_than_unseen_raises() -> None:
    belief = Belief(0, 3, bz.parse_cards("AS"), bz.parse_cards("2C 3C"), [1, 2, 1], [0, 0, 0])
    with pytest.raises(ValueError, match="opponents hold 3 cards but only 2 are unseen"):
        Determinizer(belief)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ((0, 3, [51], [0, 1], [1, -2, 1], [0, 0, 0]), "out of range"),
        ((0, 3, [51], [0, 1], [1, 1, 1], [0, 16, 0]), "void mask 16 of seat 1 is above 15"),
        ((3, 3, [51], [0, 1], [1, 1, 1], [0, 0, 0]), "observer 3 is outside 0..2"),
        ((0, 3, [51], [51, 1], [1, 1, 1], [0, 0, 0]), "card AS is both in the observer"),
        ((0, 3, [51, 50], [0, 1], [1, 1, 1], [0, 0, 0]), "the observer holds 2 cards"),
    ],
)
def test_invalid_beliefs_raise(fields: tuple, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=message):
        Belief(*fields)


def test_belief_update_rejects_a_state_it_did_not_follow() -> None:
    rules = bz.RoundRules(3, 5, trump="S")
    state = State(rules, 0, 1)
    for _ in range(3):
        state.apply_action(bz.BID_ACTION_BASE)
    belief = Belief.from_state(state, 0)
    card = state.legal_actions()[0]
    belief.update(state, card)
    with pytest.raises(ValueError, match="is not where this belief puts it"):
        belief.update(state, card)
    assert min(belief.hand_sizes) >= 0
