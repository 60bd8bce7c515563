"""Shared helpers of the tests: rules variants, random play, the reference model of a State."""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import product

from hypothesis import strategies as st

import blobzero as bz
import reference_rules as ref

# Every way a round's trump can be chosen: a fixed suit, no trump, or a turned-up card.
TRUMPS = ("C", "D", "H", "S", "N", "turn_up")
HOOKS = (True, False)
SCORINGS = ref.SCORINGS


@dataclass(frozen=True)
class Variant:
    trump: str  # a suit letter, "N" for no trump, or "turn_up"
    hook_rule: bool
    scoring: str

    @property
    def turn_up(self) -> bool:
        return self.trump == "turn_up"

    def reference_trump(self) -> int | None:
        """The trump suit by the rules prose (None: no trump, or set by the turned-up card)."""
        if self.trump in ("N", "turn_up"):
            return None
        return ref.SUIT_LETTERS.index(self.trump)

    def round_rules(self, num_players: int, num_cards: int) -> bz.RoundRules:
        return bz.RoundRules(
            num_players=num_players,
            num_cards=num_cards,
            trump=None if self.turn_up else self.trump,
            turn_up=self.turn_up,
            hook_rule=self.hook_rule,
            scoring=self.scoring,
        )

    def __str__(self) -> str:
        return f"{self.trump}-{'hook' if self.hook_rule else 'nohook'}-{self.scoring}"


ALL_VARIANTS = tuple(Variant(t, h, s) for t, h, s in product(TRUMPS, HOOKS, SCORINGS))


def max_hand(num_players: int, turn_up: bool) -> int:
    return ref.largest_hand(num_players, turn_up)


def reference_of(state: bz.State, variant: Variant) -> ref.ReferenceRound:
    """A fresh reference round (no actions applied) with the deal of `state`.

    The deal is the only input taken from the engine; the rules come from `variant`.
    """
    deal = state.initial_deal()
    return ref.ReferenceRound(
        num_players=state.num_players,
        num_cards=state.num_cards,
        trump=variant.reference_trump(),
        turned_up=deal.turned_up,
        hook_rule=variant.hook_rule,
        scoring=variant.scoring,
        dealer=deal.dealer,
        initial_hands=[list(h) for h in deal.hands],
    )


def pick(rng: random.Random, options: list[int]) -> int:
    """A uniformly random element, using only Random.random() (stable across Python versions)."""
    return options[int(rng.random() * len(options))]


def random_playout(state: bz.State, rng: random.Random) -> list[int]:
    """Plays uniformly random legal actions to the end of the round; returns them."""
    actions = []
    while not state.is_terminal():
        action = pick(rng, state.legal_actions())
        state.apply_action(action)
        actions.append(action)
    return actions


def finished_round(rules: bz.RoundRules, dealer: int, seed: int) -> bz.State:
    """A seeded deal of ``rules`` played to the end, always the first legal action."""
    state = bz.State(rules, dealer=dealer, seed=seed)
    while not state.is_terminal():
        state.apply_action(state.legal_actions()[0])
    return state


@dataclass(frozen=True)
class Table:
    """A drawn round for property tests: a variant's rules at a table, the deal seed (the dealer
    is ``seed % players``), an observer, and ``cut``, the share of the round to play in."""

    players: int
    num_cards: int
    variant: Variant
    seed: int
    observer: int
    cut: float

    @property
    def rules(self) -> bz.RoundRules:
        return self.variant.round_rules(self.players, self.num_cards)

    def deal(self) -> bz.State:
        """The round before any action."""
        return bz.State(self.rules, self.seed % self.players, self.seed)

    def played_in(self) -> bz.State:
        """The round after ``cut`` of its P * (n + 1) actions, random ones from ``seed``."""
        rng = random.Random(self.seed)
        state = self.deal()
        for _ in range(int(self.cut * self.players * (self.num_cards + 1))):
            if state.is_terminal():
                break
            state.apply_action(pick(rng, state.legal_actions()))
        return state


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """Any table size, rules variant and hand size that fits, observer, seed and cut."""
    players = draw(st.integers(3, 8), label="players")
    variant = draw(st.sampled_from(ALL_VARIANTS), label="variant")
    num_cards = draw(st.integers(1, max_hand(players, variant.turn_up)), label="n")
    observer = draw(st.integers(0, players - 1), label="observer")
    seed = draw(st.integers(0, 2**32 - 1), label="seed")
    cut = draw(st.floats(0.0, 1.0), label="cut")
    return Table(players, num_cards, variant, seed, observer, cut)
