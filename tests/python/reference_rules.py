"""A slow, independent, obviously-correct model of the Blob rules (DESIGN.md section 1.1).

Written from the rules prose, not from the C++ engine, so that the conformance tests compare two
independent implementations. Nothing here is optimised: hands are Python sets, tricks are lists,
legal actions are recomputed from scratch on every call.

Numbering (DESIGN.md section 1.3): card id = 13 * suit + rank with suits C, D, H, S = 0..3 and
ranks 2..A = 0..12; action 0..51 plays that card, action 52 + b bids b.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NUM_CARDS = 52
BID_BASE = 52
CLUBS, DIAMONDS, HEARTS, SPADES = 0, 1, 2, 3
SUIT_LETTERS = "CDHS"
RANK_LETTERS = "23456789TJQKA"
SCORINGS = ("exact", "oh_hell", "oh_hell_penalty")
# Rotation trump: spades, hearts, clubs, diamonds, no trump (None), cycling with the round.
ROTATION = (SPADES, HEARTS, CLUBS, DIAMONDS, None)


def suit(card: int) -> int:
    return card // 13


def rank(card: int) -> int:
    return card % 13


def card_text(card: int) -> str:
    return RANK_LETTERS[rank(card)] + SUIT_LETTERS[suit(card)]


def largest_hand(num_players: int, turn_up: bool) -> int:
    """The most cards each player can be dealt (one card is kept back for a turned-up card)."""
    cards_available = NUM_CARDS - 1 if turn_up else NUM_CARDS
    return cards_available // num_players


def round_score(scoring: str, bid: int, tricks: int) -> int:
    made = tricks == bid
    if scoring == "exact":
        return 10 + bid if made else 0
    if scoring == "oh_hell":
        return tricks + 10 if made else tricks
    if scoring == "oh_hell_penalty":
        return tricks + 10 if made else -abs(tricks - bid)
    raise ValueError(f"unknown scoring {scoring!r}")


def score_range(scoring: str, num_cards: int) -> tuple[int, int]:
    """(lowest, highest) score possible in a round, by brute force over every bid and outcome."""
    scores = [
        round_score(scoring, bid, tricks)
        for bid in range(num_cards + 1)
        for tricks in range(num_cards + 1)
    ]
    return min(scores), max(scores)


def trick_winner(cards_in_order: list[tuple[int, int]], trump: int | None) -> int:
    """The seat that wins a trick given [(seat, card), ...] in play order."""
    led = suit(cards_in_order[0][1])
    trumps = [
        (rank(c), seat) for seat, c in cards_in_order if trump is not None and suit(c) == trump
    ]
    if trumps:
        return max(trumps)[1]
    followers = [(rank(c), seat) for seat, c in cards_in_order if suit(c) == led]
    return max(followers)[1]


@dataclass
class ReferenceRound:
    """One round of Blob. Build it from a deal, then call apply() for each action."""

    num_players: int
    num_cards: int
    trump: int | None  # the trump suit, None for no trump; ignored when turned_up is given
    turned_up: int | None
    hook_rule: bool
    scoring: str
    dealer: int
    initial_hands: list[list[int]]
    hands: list[set[int]] = field(init=False)
    bids: list[int | None] = field(init=False)
    tricks: list[list[tuple[int, int]]] = field(init=False)  # completed tricks, (seat, card)
    winners: list[int] = field(init=False)
    current: list[tuple[int, int]] = field(init=False)  # the trick being played
    history: list[int] = field(init=False)

    def __post_init__(self) -> None:
        p, n = self.num_players, self.num_cards
        assert 3 <= p <= 8, p
        assert len(self.initial_hands) == p
        assert all(len(h) == n for h in self.initial_hands)
        dealt = [c for h in self.initial_hands for c in h]
        if self.turned_up is not None:
            dealt.append(self.turned_up)
            self.trump = suit(self.turned_up)
        assert len(set(dealt)) == len(dealt), "a card is dealt twice"
        assert all(0 <= c < NUM_CARDS for c in dealt)
        assert 1 <= n <= largest_hand(p, self.turned_up is not None)
        assert self.scoring in SCORINGS
        self.hands = [set(h) for h in self.initial_hands]
        self.bids = [None] * p
        self.tricks = []
        self.winners = []
        self.current = []
        self.history = []

    # --- whose turn ---------------------------------------------------------------------------

    def first_seat(self) -> int:
        return (self.dealer + 1) % self.num_players

    def bidding(self) -> bool:
        return any(b is None for b in self.bids)

    def terminal(self) -> bool:
        return not self.bidding() and len(self.tricks) == self.num_cards

    def phase(self) -> str:
        if self.bidding():
            return "bidding"
        return "terminal" if self.terminal() else "play"

    def to_act(self) -> int | None:
        if self.terminal():
            return None
        if self.bidding():
            num_bids = sum(b is not None for b in self.bids)
            return (self.first_seat() + num_bids) % self.num_players
        leader = self.winners[-1] if self.winners else self.first_seat()
        return (leader + len(self.current)) % self.num_players

    def trick_leader(self) -> int:
        return self.winners[-1] if self.winners else self.first_seat()

    # --- legal actions ------------------------------------------------------------------------

    def hook_forbidden_bid(self) -> int | None:
        """The bid the hook rule forbids the player to act now, if any."""
        if not self.hook_rule or not self.bidding():
            return None
        if self.to_act() != self.dealer:
            return None
        others = sum(b for b in self.bids if b is not None)
        forbidden = self.num_cards - others
        return forbidden if 0 <= forbidden <= self.num_cards else None

    def legal_actions(self) -> list[int]:
        if self.terminal():
            return []
        if self.bidding():
            forbidden = self.hook_forbidden_bid()
            return [BID_BASE + b for b in range(self.num_cards + 1) if b != forbidden]
        hand = self.hands[self.to_act()]
        if self.current:
            led = suit(self.current[0][1])
            following = [c for c in hand if suit(c) == led]
            if following:
                return sorted(following)
        return sorted(hand)

    # --- applying actions ---------------------------------------------------------------------

    def apply(self, action: int) -> None:
        legal = self.legal_actions()
        if action not in legal:
            raise ValueError(f"illegal action {action}; legal: {legal}")
        seat = self.to_act()
        assert seat is not None
        self.history.append(action)
        if action >= BID_BASE:
            self.bids[seat] = action - BID_BASE
            return
        self.hands[seat].remove(action)
        self.current.append((seat, action))
        if len(self.current) == self.num_players:
            self.winners.append(trick_winner(self.current, self.trump))
            self.tricks.append(self.current)
            self.current = []

    # --- derived public facts -----------------------------------------------------------------

    def tricks_won(self) -> list[int]:
        return [self.winners.count(p) for p in range(self.num_players)]

    def played(self) -> set[int]:
        cards = {c for t in self.tricks for _, c in t}
        return cards | {c for _, c in self.current}

    def voids(self) -> list[int]:
        """Per seat, bitmask of suits the seat has shown it lacks (failed to follow)."""
        result = [0] * self.num_players
        for trick in [*self.tricks, self.current]:
            if not trick:
                continue
            led = suit(trick[0][1])
            for seat, c in trick:
                if suit(c) != led:
                    result[seat] |= 1 << led
        return result

    def hand_sizes(self) -> list[int]:
        return [len(h) for h in self.hands]

    def unseen_by(self, observer: int) -> set[int]:
        seen = set(self.hands[observer]) | self.played()
        if self.turned_up is not None:
            seen.add(self.turned_up)
        return set(range(NUM_CARDS)) - seen

    # --- results ------------------------------------------------------------------------------

    def scores(self) -> list[int]:
        assert self.terminal()
        won = self.tricks_won()
        return [
            round_score(self.scoring, bid, won[p])
            for p, bid in enumerate(self.bids)
            if bid is not None
        ]

    def values(self, relative: bool = False) -> list[float]:
        lo, hi = score_range(self.scoring, self.num_cards)
        absolute = [2 * (s - lo) / (hi - lo) - 1 for s in self.scores()]
        if not relative:
            return absolute
        p = self.num_players
        return [v - (sum(absolute) - v) / (p - 1) for v in absolute]


# --- matches ------------------------------------------------------------------------------------


def default_max_cards(num_players: int) -> int:
    return min(10, NUM_CARDS // num_players)


def cards_per_round(
    num_players: int,
    schedule: str | list[int] = "down_up",
    max_cards: int = 0,
    num_rounds: int = 0,
    one_card_rounds: int = 1,
) -> list[int]:
    """n_r of every round of a match (DESIGN.md section 1.1, 'Schedule')."""
    c = max_cards or default_max_cards(num_players)
    if isinstance(schedule, list):
        base = list(schedule)
    elif schedule == "down_up":
        base = list(range(c, 0, -1)) + list(range(2, c + 1))
    elif schedule == "down":
        base = list(range(c, 0, -1))
    elif schedule == "up":
        base = list(range(1, c + 1))
    elif schedule == "fixed":
        base = [c] * (num_rounds or num_players)
    else:
        raise ValueError(f"unknown schedule {schedule!r}")
    rounds: list[int] = []
    for n in base:
        rounds.extend([n] * (one_card_rounds if n == 1 else 1))
    return rounds


def round_trump(trump_mode: str, round_index: int) -> int | None:
    """Trump suit of round r (None: no trump, or decided by the turned-up card)."""
    if trump_mode == "rotation":
        return ROTATION[round_index % len(ROTATION)]
    return None


def round_dealer(first_dealer: int, round_index: int, num_players: int) -> int:
    return (first_dealer + round_index) % num_players


def match_winners(totals: list[int]) -> list[int]:
    best = max(totals)
    return [p for p, t in enumerate(totals) if t == best]
