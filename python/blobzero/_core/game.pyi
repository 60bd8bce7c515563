"""
Cards, rules, round states and matches.
"""
from __future__ import annotations
import collections.abc
import numpy
import numpy.typing
import typing
__all__: list[str] = ['BID_ACTION_BASE', 'Deal', 'MAX_HAND_SIZE', 'MAX_PLAYERS', 'MIN_PLAYERS', 'Match', 'NO_TRUMP', 'NUM_ACTIONS', 'NUM_CARDS', 'ObserverView', 'Phase', 'RoundRules', 'Rules', 'Schedule', 'Scoring', 'State', 'TrumpMode', 'action_to_string', 'card_to_string', 'cards_to_string', 'make_card', 'parse_action', 'parse_card', 'parse_cards', 'parse_suit', 'preset', 'preset_names', 'rank_of', 'rotation_trump', 'round_score', 'suit_char', 'suit_of']
class Phase:
    """
    Phase of a round.
    
    Members:
    
      BIDDING
    
      PLAY
    
      TERMINAL
    """
    BIDDING: typing.ClassVar[Phase]
    PLAY: typing.ClassVar[Phase]
    TERMINAL: typing.ClassVar[Phase]
    __members__: typing.ClassVar[dict[str, Phase]]
    @typing.overload
    def __eq__(self, other: Phase) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: object) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: Phase) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: object) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class Schedule:
    """
    Hand sizes across the rounds of a match.
    
    Members:
    
      DOWN_UP
    
      DOWN
    
      UP
    
      FIXED
    
      EXPLICIT
    """
    DOWN: typing.ClassVar[Schedule]
    DOWN_UP: typing.ClassVar[Schedule]
    EXPLICIT: typing.ClassVar[Schedule]
    FIXED: typing.ClassVar[Schedule]
    UP: typing.ClassVar[Schedule]
    __members__: typing.ClassVar[dict[str, Schedule]]
    @typing.overload
    def __eq__(self, other: Schedule) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: object) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: Schedule) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: object) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class TrumpMode:
    """
    How each round's trump is chosen.
    
    Members:
    
      ROTATION
    
      TURN_UP
    
      NONE
    """
    NONE: typing.ClassVar[TrumpMode]
    ROTATION: typing.ClassVar[TrumpMode]
    TURN_UP: typing.ClassVar[TrumpMode]
    __members__: typing.ClassVar[dict[str, TrumpMode]]
    @typing.overload
    def __eq__(self, other: TrumpMode) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: object) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: TrumpMode) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: object) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class Scoring:
    """
    How a round is scored.
    
    Members:
    
      EXACT
    
      OH_HELL
    
      OH_HELL_PENALTY
    """
    EXACT: typing.ClassVar[Scoring]
    OH_HELL: typing.ClassVar[Scoring]
    OH_HELL_PENALTY: typing.ClassVar[Scoring]
    __members__: typing.ClassVar[dict[str, Scoring]]
    @typing.overload
    def __eq__(self, other: Scoring) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: object) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: Scoring) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: object) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class RoundRules:
    """
    The rules of one round (deal).
    """
    __hash__: typing.ClassVar[None] = None  # type: ignore[assignment]
    def __eq__(self, arg0: object) -> bool:
        ...
    def __init__(self, num_players: typing.SupportsInt | typing.SupportsIndex = 4, num_cards: typing.SupportsInt | typing.SupportsIndex = 5, trump: typing.SupportsInt | typing.SupportsIndex | str | None = 'S', turn_up: bool = False, hook_rule: bool = True, scoring: Scoring | str = 'exact') -> None:
        """
        trump: a suit letter or id, or None/'N' for no trump; ignored when turn_up.
        """
    def __repr__(self) -> str:
        ...
    @property
    def hook_rule(self) -> bool:
        ...
    @property
    def max_score(self) -> int:
        ...
    @property
    def min_score(self) -> int:
        ...
    @property
    def num_cards(self) -> int:
        ...
    @property
    def num_players(self) -> int:
        ...
    @property
    def scoring(self) -> Scoring:
        ...
    @property
    def trump_suit(self) -> int | None:
        ...
    @property
    def turn_up(self) -> bool:
        ...
class Rules:
    """
    The rules of a match: schedule, trump, hook, scoring.
    """
    __hash__: typing.ClassVar[None] = None  # type: ignore[assignment]
    def __eq__(self, arg0: object) -> bool:
        ...
    def __init__(self, num_players: typing.SupportsInt | typing.SupportsIndex = 4, schedule: Schedule | str | collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] = 'down_up', max_cards: typing.SupportsInt | typing.SupportsIndex = 0, num_rounds: typing.SupportsInt | typing.SupportsIndex = 0, one_card_rounds: typing.SupportsInt | typing.SupportsIndex = 1, trump_mode: TrumpMode | str = 'rotation', hook_rule: bool = True, scoring: Scoring | str = 'exact') -> None:
        """
        schedule: 'down_up', 'down', 'up', 'fixed' or an explicit list of hand sizes.
        """
    def __repr__(self) -> str:
        ...
    def cards_per_round(self) -> list[int]:
        """
        Hand size of every round.
        """
    def round_at(self, round_index: typing.SupportsInt | typing.SupportsIndex) -> RoundRules:
        """
        RoundRules of one round of the match.
        """
    @property
    def effective_max_cards(self) -> int:
        ...
    @property
    def explicit_cards(self) -> list[int]:
        ...
    @property
    def hook_rule(self) -> bool:
        ...
    @property
    def max_cards(self) -> int:
        ...
    @property
    def num_players(self) -> int:
        ...
    @property
    def num_rounds(self) -> int:
        ...
    @property
    def one_card_rounds(self) -> int:
        ...
    @property
    def schedule(self) -> Schedule:
        ...
    @property
    def scoring(self) -> Scoring:
        ...
    @property
    def trump_mode(self) -> TrumpMode:
        ...
class Deal:
    """
    The hands dealt, the dealer and the turned-up card.
    """
    __hash__: typing.ClassVar[None] = None  # type: ignore[assignment]
    def __eq__(self, arg0: object) -> bool:
        ...
    def __init__(self, dealer: typing.SupportsInt | typing.SupportsIndex, hands: collections.abc.Sequence[str | collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]], turned_up: typing.SupportsInt | typing.SupportsIndex | str | None = None) -> None:
        """
        hands: one entry per seat, card text ('AS KD') or a list of ids.
        """
    @property
    def dealer(self) -> int:
        ...
    @property
    def hands(self) -> list[list[int]]:
        ...
    @property
    def turned_up(self) -> int | None:
        ...
class ObserverView:
    """
    What one player may know: its information set, nothing more.
    """
    __hash__: typing.ClassVar[None] = None  # type: ignore[assignment]
    def __eq__(self, arg0: object) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def render(self) -> str:
        ...
    @property
    def bids(self) -> list[int | None]:
        ...
    @property
    def current_player(self) -> int | None:
        ...
    @property
    def current_trick(self) -> list[int]:
        ...
    @property
    def current_trick_leader(self) -> int | None:
        ...
    @property
    def dealer(self) -> int:
        ...
    @property
    def hand_sizes(self) -> list[int]:
        ...
    @property
    def history(self) -> list[int]:
        ...
    @property
    def last_trick(self) -> list[int]:
        ...
    @property
    def last_trick_leader(self) -> int | None:
        ...
    @property
    def last_trick_winner(self) -> int | None:
        ...
    @property
    def observer(self) -> int:
        ...
    @property
    def own_hand(self) -> list[int]:
        ...
    @property
    def phase(self) -> Phase:
        ...
    @property
    def played(self) -> list[int]:
        ...
    @property
    def rules(self) -> RoundRules:
        ...
    @property
    def tricks_won(self) -> list[int]:
        ...
    @property
    def trump_suit(self) -> int | None:
        ...
    @property
    def turned_up(self) -> int | None:
        ...
    @property
    def unseen(self) -> list[int]:
        ...
    @property
    def voids(self) -> list[int]:
        ...
class State:
    """
    One round of Blob: deal, bidding, trick play, scoring.
    """
    __hash__: typing.ClassVar[None] = None  # type: ignore[assignment]
    @staticmethod
    def deserialize(text: str) -> State:
        ...
    @staticmethod
    def replay(rules: RoundRules, deal: Deal, actions: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]) -> State:
        """
        The state after applying `actions` to `deal`, each validated.
        """
    def __copy__(self) -> State:
        ...
    def __deepcopy__(self, memo: dict[str, typing.Any]) -> State:
        ...
    def __eq__(self, arg0: object) -> bool:
        ...
    @typing.overload
    def __init__(self, rules: RoundRules, dealer: typing.SupportsInt | typing.SupportsIndex = 0, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        """
        A seeded random deal.
        """
    @typing.overload
    def __init__(self, rules: RoundRules, deal: Deal) -> None:
        """
        An explicit deal.
        """
    def __repr__(self) -> str:
        ...
    def __str__(self) -> str:
        ...
    def apply_action(self, action: typing.SupportsInt | typing.SupportsIndex | str) -> None:
        """
        Apply an action id or text ('AS', 'bid 2'); raises ValueError if illegal.
        """
    def clone(self) -> State:
        ...
    def hand(self, player: typing.SupportsInt | typing.SupportsIndex) -> list[int]:
        ...
    def initial_deal(self) -> Deal:
        ...
    def initial_hand(self, player: typing.SupportsInt | typing.SupportsIndex) -> list[int]:
        ...
    def is_legal(self, action: typing.SupportsInt | typing.SupportsIndex | str) -> bool:
        ...
    def is_terminal(self) -> bool:
        ...
    def legal_actions(self) -> list[int]:
        ...
    def legal_mask(self) -> numpy.typing.NDArray[numpy.bool]:
        """
        numpy bool[70]: True for each legal action.
        """
    def observe(self, observer: typing.SupportsInt | typing.SupportsIndex) -> ObserverView:
        ...
    def render(self) -> str:
        ...
    def scores(self) -> list[int]:
        ...
    def serialize(self) -> str:
        ...
    def trick_cards(self, trick: typing.SupportsInt | typing.SupportsIndex) -> list[int]:
        ...
    def trick_leader(self, trick: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    def trick_winner(self, trick: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    def values(self, relative: bool = False) -> list[float]:
        ...
    def with_hands(self, hands: collections.abc.Sequence[str | collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]]) -> State:
        """
        The same round with every seat's current hand replaced by `hands` (a determinization): rules, history and every public fact stay. Raises ValueError unless the hands fit the public facts (sizes, cards still in play, voids).
        """
    @property
    def bids(self) -> list[int | None]:
        """
        Per seat, the bid, or None before the seat has bid.
        """
    @property
    def current_player(self) -> int | None:
        ...
    @property
    def current_trick(self) -> list[int]:
        ...
    @property
    def dealer(self) -> int:
        ...
    @property
    def history(self) -> list[int]:
        ...
    @property
    def hook_forbidden_bid(self) -> int | None:
        ...
    @property
    def led_suit(self) -> int | None:
        ...
    @property
    def num_cards(self) -> int:
        ...
    @property
    def num_players(self) -> int:
        ...
    @property
    def num_tricks_completed(self) -> int:
        ...
    @property
    def phase(self) -> Phase:
        ...
    @property
    def played(self) -> list[int]:
        ...
    @property
    def rules(self) -> RoundRules:
        ...
    @property
    def tricks_won(self) -> list[int]:
        ...
    @property
    def trump_suit(self) -> int | None:
        ...
    @property
    def turned_up(self) -> int | None:
        ...
    @property
    def voids(self) -> list[int]:
        """
        Per seat, a bitmask of suits the seat has shown it lacks.
        """
class Match:
    """
    A match: rounds of a schedule with a rotating dealer.
    """
    def __init__(self, rules: Rules, seed: typing.SupportsInt | typing.SupportsIndex = 0, first_dealer: typing.SupportsInt | typing.SupportsIndex | None = None) -> None:
        ...
    def apply_action(self, action: typing.SupportsInt | typing.SupportsIndex | str) -> None:
        ...
    def deal_round(self, round_index: typing.SupportsInt | typing.SupportsIndex) -> State:
        """
        The deal of round `round_index` as this match deals it (its rules, the rotated dealer, the cards from the match seed). IndexError outside the schedule.
        """
    def is_over(self) -> bool:
        ...
    def winners(self) -> list[int]:
        ...
    @property
    def cards_per_round(self) -> list[int]:
        ...
    @property
    def first_dealer(self) -> int:
        ...
    @property
    def num_rounds(self) -> int:
        ...
    @property
    def round_index(self) -> int:
        ...
    @property
    def round_scores(self) -> list[list[int]]:
        ...
    @property
    def rules(self) -> Rules:
        ...
    @property
    def seed(self) -> int:
        ...
    @property
    def state(self) -> State:
        """
        A copy of the round in play.
        """
    @property
    def totals(self) -> list[int]:
        ...
def action_to_string(action: typing.SupportsInt | typing.SupportsIndex) -> str:
    ...
def card_to_string(card: typing.SupportsInt | typing.SupportsIndex) -> str:
    """
    'AS' for card id 51.
    """
def cards_to_string(cards: str | collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]) -> str:
    """
    Space-separated text of cards, in id order.
    """
def make_card(suit: typing.SupportsInt | typing.SupportsIndex, rank: typing.SupportsInt | typing.SupportsIndex) -> int:
    ...
def parse_action(text: str) -> int:
    ...
def parse_card(text: str) -> int:
    """
    Card id of 'AS', 'td', '10H', ... Raises ValueError for malformed text.
    """
def parse_cards(text: str) -> list[int]:
    """
    Sorted card ids of 'AS KD 10H' (spaces or commas).
    """
def parse_suit(text: str) -> int:
    ...
def preset(name: str, num_players: typing.SupportsInt | typing.SupportsIndex = 4, num_cards: typing.SupportsInt | typing.SupportsIndex = 0) -> Rules:
    """
    Rules of a named preset ('blob' or 'openspiel_oh_hell'); num_cards=0 keeps its default.
    """
def preset_names() -> list[str]:
    ...
def rank_of(card: typing.SupportsInt | typing.SupportsIndex) -> int:
    ...
def rotation_trump(round_index: typing.SupportsInt | typing.SupportsIndex) -> int | None:
    """
    Trump suit of round r under rotation, None for no trump.
    """
def round_score(scoring: Scoring | str, bid: typing.SupportsInt | typing.SupportsIndex, tricks: typing.SupportsInt | typing.SupportsIndex) -> int:
    """
    Score of one player with `bid` and `tricks` under a scoring rule (enum or name).
    """
def suit_char(suit: typing.SupportsInt | typing.SupportsIndex) -> str:
    ...
def suit_of(card: typing.SupportsInt | typing.SupportsIndex) -> int:
    ...
BID_ACTION_BASE: int = 52
MAX_HAND_SIZE: int = 17
MAX_PLAYERS: int = 8
MIN_PLAYERS: int = 3
NO_TRUMP: int = -1
NUM_ACTIONS: int = 70
NUM_CARDS: int = 52
