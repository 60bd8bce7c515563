"""A position as a person at a real table knows it: the table, the trump, one's own hand, the bids
and the cards played so far. ``table_position`` turns it into a ``State`` the searches accept.

Only the seat's own information goes in, so the other hands of the returned state are one deal
consistent with it (every card the others played is theirs, no one holds a suit they have shown
out of), drawn uniformly by the determinizer; a search reads only the seat's information, so
its answer does not depend on which deal that is.
"""

from __future__ import annotations

from collections.abc import Sequence

from blobzero._core.belief import Belief
from blobzero._core.determinize import Determinizer
from blobzero._core.game import (
    BID_ACTION_BASE,
    Deal,
    RoundRules,
    State,
    card_to_string,
    parse_card,
    parse_suit,
    suit_char,
    suit_of,
)

__all__ = ["CardsArg", "table_position"]

CardsArg = str | Sequence[int]
_DECK = 52


def _cards(text: CardsArg, what: str) -> list[int]:
    """The cards of ``text`` in the order given (text: separated by spaces or commas)."""
    if isinstance(text, str):
        try:
            return [parse_card(token) for token in text.replace(",", " ").split()]
        except ValueError as error:
            raise ValueError(f"{what}: {error}") from None
    cards = list(text)
    for card in cards:
        if isinstance(card, bool) or not isinstance(card, int) or not 0 <= card < _DECK:
            raise ValueError(f"{what}: {card!r} is not a card id 0..51")
    return cards


def _check_seat(name: str, value: int, num_players: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < num_players:
        raise ValueError(f"{name} must be a seat 0..{num_players - 1}, got {value!r}")


def _trick_winner(trick: Sequence[int], leader: int, trump: str, num_players: int) -> int:
    """The seat that wins a full trick led by ``leader``, as the rules engine decides it: a
    one-card round in which each seat holds its card of the trick."""
    rules = RoundRules(num_players=num_players, num_cards=1, trump=trump, hook_rule=False)
    hands: list[list[int]] = [[] for _ in range(num_players)]
    for i, card in enumerate(trick):
        hands[(leader + i) % num_players] = [card]
    state = State(rules, Deal((leader - 1) % num_players, hands))
    for _ in range(num_players):
        state.apply_action(BID_ACTION_BASE)
    for card in trick:
        state.apply_action(card)
    return state.trick_winner(0)


def table_position(
    *,
    num_players: int,
    dealer: int,
    seat: int,
    hand: CardsArg,
    trump: str | None = None,
    turned_up: str | int | None = None,
    bids: Sequence[int] = (),
    played: CardsArg = (),
    hook_rule: bool = True,
    scoring: str = "exact",
    seed: int = 0,
) -> State:
    """The position of ``seat`` at a table of ``num_players`` dealt by ``dealer`` (seats count
    0..P-1 clockwise; the seat left of the dealer bids and leads first): ``hand`` the cards the
    seat holds now, ``bids`` the bids made so far in bidding order, ``played`` every card played
    so far this round in order (the seat's own included). Trump: ``trump`` a suit ("C", "D",
    "H", "S") or "N" for no trump, or ``turned_up`` the card turned up (its suit is trump);
    exactly one of them. The round's size is the seat's cards now plus those it played. It must
    be ``seat``'s turn.

    Cards are text ("QS 10h 2c") or card ids. Returns a State whose hidden hands are drawn
    consistently with what the seat knows (see the module documentation), with ``seed``.
    Raises ValueError naming the problem: a card given twice, an impossible history (a card
    or bid the rules forbid there, a seat holding a suit it showed out of), a round that does
    not fit the deck, or another seat's turn."""
    if isinstance(num_players, bool) or not isinstance(num_players, int):
        raise ValueError(f"num_players must be an int 3..8, got {num_players!r}")
    if not 3 <= num_players <= 8:
        raise ValueError(f"num_players must be 3..8, got {num_players}")
    _check_seat("dealer", dealer, num_players)
    _check_seat("seat", seat, num_players)
    own = _cards(hand, "hand")
    history = _cards(played, "played cards")
    if (trump is None) == (turned_up is None):
        raise ValueError("give exactly one of trump (a suit or N) and turned_up (a card)")
    up: int | None = None
    if turned_up is not None:
        up_cards = _cards(
            turned_up if isinstance(turned_up, str) else [turned_up], "turned-up card"
        )
        if len(up_cards) != 1:
            raise ValueError(f"turned_up must be one card, got {turned_up!r}")
        up = up_cards[0]
        trump_text = suit_char(suit_of(up))
    else:
        assert trump is not None
        try:
            trump_text = "N" if parse_suit(trump) is None else suit_char(parse_suit(trump))
        except ValueError as error:
            raise ValueError(f"trump: {error}") from None

    seen: dict[int, str] = {}
    for where, cards in (
        ("your hand", own),
        ("the played cards", history),
        ("the turned-up card", [] if up is None else [up]),
    ):
        for card in cards:
            if card in seen:
                first = seen[card]
                place = where if where == first else f"{first} and {where}"
                raise ValueError(f"card {card_to_string(card)} appears twice (in {place})")
            seen[card] = where

    bid_list = list(bids)
    for i, bid in enumerate(bid_list):
        if isinstance(bid, bool) or not isinstance(bid, int) or bid < 0:
            raise ValueError(f"bid {i + 1} must be a non-negative int, got {bid!r}")
    if len(bid_list) > num_players:
        raise ValueError(f"{len(bid_list)} bids for {num_players} players")
    if history and len(bid_list) < num_players:
        raise ValueError(
            f"cards were played after {len(bid_list)} of {num_players} bids: every seat bids first"
        )

    # Who played each card, and the suits each seat has shown out of.
    owners: list[int] = []
    voids = [0] * num_players
    leader = (dealer + 1) % num_players
    for start in range(0, len(history), num_players):
        trick = history[start : start + num_players]
        seats = [(leader + i) % num_players for i in range(len(trick))]
        owners += seats
        led = suit_of(trick[0])
        for card, player in zip(trick, seats, strict=True):
            if suit_of(card) != led:
                voids[player] |= 1 << led
        if len(trick) == num_players:
            leader = _trick_winner(trick, leader, trump_text, num_players)
    played_by: list[list[int]] = [[] for _ in range(num_players)]
    for card, player in zip(history, owners, strict=True):
        played_by[player].append(card)

    num_cards = len(own) + len(played_by[seat])
    if num_cards < 1:
        raise ValueError("your hand is empty and you played no card: the round has no cards")
    capacity = (_DECK - (up is not None)) // num_players
    if num_cards > capacity:
        raise ValueError(
            f"a round of {num_cards} cards (your hand plus your played cards) does not fit "
            f"{num_players} players{' and a turned-up card' if up is not None else ''} "
            f"(at most {capacity})"
        )
    hand_sizes = [num_cards - len(cards) for cards in played_by]
    for player, size in enumerate(hand_sizes):
        if size < 0:
            raise ValueError(
                f"seat {player} played {len(played_by[player])} cards in a round of {num_cards}"
            )
    unseen = [card for card in range(_DECK) if card not in seen]
    try:
        belief = Belief(seat, num_players, own, unseen, hand_sizes, voids)
        hidden = Determinizer(belief).sample(seed)
    except ValueError as error:
        raise ValueError(f"no deal fits this position: {error}") from None
    hands = [sorted(hidden[player] + played_by[player]) for player in range(num_players)]
    hands[seat] = sorted(own + played_by[seat])
    rules = RoundRules(
        num_players=num_players,
        num_cards=num_cards,
        trump=trump_text,
        turn_up=up is not None,
        hook_rule=hook_rule,
        scoring=scoring,
    )
    state = State(rules, Deal(dealer, hands, up))
    for i, bid in enumerate(bid_list):
        bidder = state.current_player
        try:
            state.apply_action(BID_ACTION_BASE + bid)
        except ValueError as error:
            raise ValueError(
                f"bid {i + 1} ({bid} by seat {bidder}) is not legal: {error}"
            ) from None
    for i, card in enumerate(history):
        actor = state.current_player
        try:
            state.apply_action(card)
        except ValueError as error:
            raise ValueError(
                f"played card {i + 1} ({card_to_string(card)} by seat {actor}) is not legal: "
                f"{error}"
            ) from None
    if state.is_terminal():
        raise ValueError("the round is over: every card has been played")
    if state.current_player != seat:
        action = "bid" if len(bid_list) < num_players else "play"
        raise ValueError(f"it is seat {state.current_player}'s turn to {action}, not seat {seat}'s")
    return state
