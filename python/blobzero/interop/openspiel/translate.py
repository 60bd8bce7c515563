"""Translation between OpenSpiel's ``oh_hell`` game and blobzero's ``openspiel_oh_hell`` preset.

The two engines play the same game (DESIGN.md section 1.2) but number it differently. This module
is the one place that knows both numberings; everything else speaks blobzero.

Numbering:

- Cards. blobzero: ``13 * suit + rank`` with suits C, D, H, S = 0..3. OpenSpiel:
  ``4 * rank + suit`` with suits C, D, S, H = 0..3 (so ``0 = 'C2'``, ``1 = 'D2'``, ``2 = 'S2'``,
  ``3 = 'H2'``). Ranks 2..A = 0..12 in both.
- Actions. A card action is the card's id in each engine; a bid of ``b`` is ``52 + b`` in both.
  OpenSpiel's action space is ``52 + max_tricks + 1`` wide (58 for a fixed 5-trick game),
  blobzero's is always 70; bid ids agree, so only card ids need translating.

An OpenSpiel ``oh_hell`` round starts with chance actions, in this order:

1. the number of tricks ``n`` (the action *is* ``n``; fixed by the ``num_tricks_fixed`` game
   parameter, uniform in ``1..51 // P`` when it is ``-1``);
2. the dealer ``0..P-1``;
3. ``n * P`` cards, one at a time: the ``i``-th card dealt goes to player ``i % P`` (player 0
   first, whoever deals);
4. one more card, turned up: its suit is trump.

Bidding then starts at ``dealer + 1``; the dealer, bidding last, may not make the bids sum to
``n`` (blobzero's hook rule). Returns are ``points_per_trick * tricks + 10`` for an exact bid,
else ``points_per_trick * tricks`` (``off_bid_penalty=False``) or ``-points_per_trick * |tricks -
bid|`` (``off_bid_penalty=True``). With ``points_per_trick=1`` these are blobzero's ``oh_hell``
and ``oh_hell_penalty`` scorings.

OpenSpiel's Python ``apply_action`` does not check that an action is legal for this game, and
``num_tricks_fixed`` is not range-checked when the game is loaded. The functions here validate
everything they read from or write to OpenSpiel.

``pyspiel`` is imported only when a function needs it; ``import blobzero`` never requires it.
"""

from __future__ import annotations

import importlib
import operator
from types import ModuleType
from typing import Any, Final, Protocol, SupportsIndex, TypeAlias

import blobzero

__all__ = [
    "GAME_NAME",
    "MAX_PLAYERS",
    "MIN_PLAYERS",
    "OpenSpielGame",
    "OpenSpielBot",
    "OpenSpielGameType",
    "OpenSpielState",
    "PyspielGame",
    "PyspielState",
    "action_from_openspiel",
    "action_to_openspiel",
    "card_from_openspiel",
    "card_to_openspiel",
    "chance_actions",
    "game_for",
    "history_to_openspiel",
    "openspiel_parameters",
    "round_rules_from_openspiel",
    "state_from_openspiel",
    "state_to_openspiel",
]

GAME_NAME: Final = "oh_hell"
MIN_PLAYERS: Final = 3
MAX_PLAYERS: Final = 7

_NUM_CARDS: Final = 52
_NUM_SUITS: Final = 4
_NUM_RANKS: Final = 13
_BID_ACTION_BASE: Final = 52
_NUM_ACTIONS: Final = 70
# Chance actions before the cards: the number of tricks, then the dealer.
_PRE_DEAL_CHANCE_ACTIONS: Final = 2
_RANDOM_NUM_TRICKS: Final = -1
# OpenSpiel parameters that blobzero cannot vary: the full deck, one point a trick.
_FIXED_PARAMETERS: Final[dict[str, int]] = {
    "num_suits": _NUM_SUITS,
    "num_cards_per_suit": _NUM_RANKS,
    "points_per_trick": 1,
}
# OpenSpiel's defaults for the parameters that do vary.
_DEFAULT_PARAMETERS: Final[dict[str, int | bool]] = {
    "players": MIN_PLAYERS,
    "num_tricks_fixed": _RANDOM_NUM_TRICKS,
    "off_bid_penalty": False,
}


# --------------------------------------------------------------------------------------------
# pyspiel types. pyspiel ships no type information: what this module returns is typed Any (a
# pyspiel.Game or pyspiel.State, with all of its methods); what it reads from its arguments is
# stated by the protocols below, which pyspiel's objects satisfy.

PyspielGame: TypeAlias = Any
PyspielState: TypeAlias = Any
PyspielBot: TypeAlias = Any


class OpenSpielGameType(Protocol):
    """What is read from ``pyspiel.GameType``."""

    @property
    def short_name(self) -> str: ...


class OpenSpielGame(Protocol):
    """What is used of ``pyspiel.Game``."""

    def get_type(self) -> OpenSpielGameType: ...

    def get_parameters(self) -> dict[str, Any]: ...

    def new_initial_state(self) -> OpenSpielState: ...


class OpenSpielState(Protocol):
    """What is used of ``pyspiel.State``."""

    def get_game(self) -> OpenSpielGame: ...

    def history(self) -> list[int]: ...

    def apply_action(self, action: int) -> None: ...


class OpenSpielBot(Protocol):
    """What OpenSpielPlayer uses of a ``pyspiel.Bot``."""

    def step(self, state: Any) -> int: ...

    def restart(self) -> None: ...


def _pyspiel() -> ModuleType:
    """The ``pyspiel`` module; ImportError saying how to install it when it is missing."""
    try:
        return importlib.import_module("pyspiel")
    except ImportError as error:
        raise ImportError(
            "blobzero.interop.openspiel needs OpenSpiel's Python package (pyspiel): "
            "pip install open-spiel"
        ) from error


# --------------------------------------------------------------------------------------------
# Numbering: cards and actions.

# Suit s of blobzero (C, D, H, S) is suit _SUIT_TO_OPENSPIEL[s] of OpenSpiel (C, D, S, H).
_SUIT_TO_OPENSPIEL: Final = (0, 1, 3, 2)
_CARD_TO_OPENSPIEL: Final[tuple[int, ...]] = tuple(
    _NUM_SUITS * (card % _NUM_RANKS) + _SUIT_TO_OPENSPIEL[card // _NUM_RANKS]
    for card in range(_NUM_CARDS)
)
_CARD_FROM_OPENSPIEL: Final[tuple[int, ...]] = tuple(
    sorted(range(_NUM_CARDS), key=lambda card: _CARD_TO_OPENSPIEL[card])
)


def _as_id(value: object, what: str) -> int:
    """``value`` as a plain int (numpy integers accepted); TypeError for bools and non-integers."""
    if isinstance(value, bool) or not isinstance(value, SupportsIndex):
        raise TypeError(f"{what} must be an integer, got {type(value).__name__}")
    return operator.index(value)


def card_to_openspiel(card: SupportsIndex) -> int:
    """OpenSpiel's id of blobzero card ``card``.

    Raises ValueError if ``card`` is outside 0..51 (as blobzero's own card functions do) and
    TypeError if it is not an integer (numpy integers are accepted).
    """
    card_id = _as_id(card, "card id")
    if not 0 <= card_id < _NUM_CARDS:
        raise ValueError(f"card id {card_id} is outside 0..{_NUM_CARDS - 1}")
    return _CARD_TO_OPENSPIEL[card_id]


def card_from_openspiel(card: SupportsIndex) -> int:
    """blobzero's id of OpenSpiel card ``card`` (``4 * rank + suit``, suits C, D, S, H).

    Raises ValueError if ``card`` is outside 0..51 and TypeError if it is not an integer.
    """
    card_id = _as_id(card, "OpenSpiel card id")
    if not 0 <= card_id < _NUM_CARDS:
        raise ValueError(f"OpenSpiel card id {card_id} is outside 0..{_NUM_CARDS - 1}")
    return _CARD_FROM_OPENSPIEL[card_id]


def action_to_openspiel(action: SupportsIndex) -> int:
    """OpenSpiel's id of blobzero action ``action``: card plays are translated, bids kept.

    Raises IndexError if ``action`` is outside 0..69 (as blobzero's State does) and TypeError if
    it is not an integer.
    """
    action_id = _as_id(action, "action")
    if not 0 <= action_id < _NUM_ACTIONS:
        raise IndexError(f"action {action_id} is outside 0..{_NUM_ACTIONS - 1}")
    return _CARD_TO_OPENSPIEL[action_id] if action_id < _BID_ACTION_BASE else action_id


def action_from_openspiel(action: SupportsIndex) -> int:
    """blobzero's id of an OpenSpiel ``oh_hell`` player action (a card play or ``52 + bid``).

    Raises IndexError if ``action`` is outside 0..69, the widest action space of a full-deck
    ``oh_hell`` game, and TypeError if it is not an integer.
    """
    action_id = _as_id(action, "OpenSpiel action")
    if not 0 <= action_id < _NUM_ACTIONS:
        raise IndexError(f"OpenSpiel action {action_id} is outside 0..{_NUM_ACTIONS - 1}")
    return _CARD_FROM_OPENSPIEL[action_id] if action_id < _BID_ACTION_BASE else action_id


# --------------------------------------------------------------------------------------------
# Rules and games.


def openspiel_parameters(rules: blobzero.RoundRules) -> dict[str, int | bool]:
    """The ``oh_hell`` game parameters that play one round of ``rules``.

    The result fixes ``players``, ``num_tricks_fixed`` and ``off_bid_penalty``; the other
    parameters keep OpenSpiel's defaults (52 cards, one point a trick), which is what blobzero
    plays. Raises ValueError naming the first rule OpenSpiel cannot express: a player count
    outside 3..7, a trump not taken from a turned-up card, no hook rule, or ``exact`` scoring.
    """
    if not isinstance(rules, blobzero.RoundRules):
        raise TypeError(f"rules must be a blobzero.RoundRules, got {type(rules).__name__}")
    num_players = int(rules.num_players)
    if not MIN_PLAYERS <= num_players <= MAX_PLAYERS:
        raise ValueError(
            f"OpenSpiel's oh_hell seats {MIN_PLAYERS}..{MAX_PLAYERS} players; "
            f"these rules seat {num_players}"
        )
    if not rules.turn_up:
        raise ValueError(
            "OpenSpiel's oh_hell takes trump from a turned-up card; rules with a fixed trump "
            "suit or no trump (turn_up=False) have no OpenSpiel equivalent"
        )
    if not rules.hook_rule:
        raise ValueError(
            "OpenSpiel's oh_hell always forbids the dealer the bid that makes the bids sum to "
            "the number of tricks; rules with hook_rule=False have no OpenSpiel equivalent"
        )
    if rules.scoring == blobzero.Scoring.OH_HELL:
        off_bid_penalty = False
    elif rules.scoring == blobzero.Scoring.OH_HELL_PENALTY:
        off_bid_penalty = True
    else:
        raise ValueError(
            f"OpenSpiel's oh_hell scores 'oh_hell' or 'oh_hell_penalty'; scoring "
            f"'{rules.scoring.name.lower()}' has no OpenSpiel equivalent"
        )
    return {
        "players": num_players,
        "num_tricks_fixed": int(rules.num_cards),
        "off_bid_penalty": off_bid_penalty,
    }


def _checked_parameters(game: OpenSpielGame) -> dict[str, Any]:
    """All parameters of ``game``; ValueError unless it is an ``oh_hell`` game on blobzero's deck
    and scoring scale."""
    name = game.get_type().short_name
    if name != GAME_NAME:
        raise ValueError(f"expected an OpenSpiel '{GAME_NAME}' game, got '{name}'")
    parameters = {**_DEFAULT_PARAMETERS, **_FIXED_PARAMETERS, **game.get_parameters()}
    for key, expected in _FIXED_PARAMETERS.items():
        if parameters[key] != expected:
            raise ValueError(
                f"OpenSpiel parameter {key}={parameters[key]} has no blobzero equivalent "
                f"(blobzero plays a 52-card deck, one point a trick: {key}={expected})"
            )
    return parameters


def round_rules_from_openspiel(
    game: OpenSpielGame, num_tricks: int | None = None
) -> blobzero.RoundRules:
    """The blobzero RoundRules of OpenSpiel ``oh_hell`` game ``game``.

    ``num_tricks`` is the hand size of the round; it is required when the game draws the number
    of tricks at random (``num_tricks_fixed=-1``) and must agree with ``num_tricks_fixed``
    otherwise. Raises ValueError if ``game`` is not ``oh_hell``, if a parameter has no blobzero
    equivalent (a short deck, ``points_per_trick`` other than 1), or if the number of tricks is
    missing, disagrees, or is outside ``1..51 // players`` (OpenSpiel does not check
    ``num_tricks_fixed`` itself).
    """
    parameters = _checked_parameters(game)
    num_players = int(parameters["players"])
    fixed = int(parameters["num_tricks_fixed"])
    if fixed != _RANDOM_NUM_TRICKS:
        if num_tricks is not None and num_tricks != fixed:
            raise ValueError(
                f"{num_tricks} tricks disagrees with the game's num_tricks_fixed={fixed}"
            )
        num_tricks = fixed
    elif num_tricks is None:
        raise ValueError(
            "the game draws the number of tricks at random (num_tricks_fixed=-1); pass num_tricks"
        )
    max_tricks = (_NUM_CARDS - 1) // num_players
    if not 1 <= num_tricks <= max_tricks:
        raise ValueError(
            f"{num_tricks} tricks is outside 1..{max_tricks} for {num_players} players "
            "(one card is kept back to be turned up)"
        )
    scoring = "oh_hell_penalty" if parameters["off_bid_penalty"] else "oh_hell"
    return blobzero.RoundRules(
        num_players=num_players,
        num_cards=num_tricks,
        turn_up=True,
        hook_rule=True,
        scoring=scoring,
    )


def _round_rules(
    rules: int | blobzero.RoundRules | blobzero.Rules, num_cards: int | None
) -> blobzero.RoundRules:
    """The round that game_for translates; see there."""
    if num_cards is not None and _as_id(num_cards, "num_cards") < 1:
        raise ValueError(f"num_cards must be at least 1, got {num_cards}")
    if isinstance(rules, blobzero.RoundRules):
        if num_cards is not None and num_cards != rules.num_cards:
            raise ValueError(f"num_cards={num_cards} disagrees with the rules' {rules.num_cards}")
        return rules
    if isinstance(rules, blobzero.Rules):
        cards_per_round = list(rules.cards_per_round())
        if num_cards is None:
            if len(set(cards_per_round)) != 1:
                raise ValueError(
                    f"the match deals rounds of several hand sizes {sorted(set(cards_per_round))}; "
                    "pass num_cards to choose one"
                )
            return rules.round_at(0)
        if num_cards not in cards_per_round:
            raise ValueError(
                f"the match has no round of {num_cards} cards (hand sizes {cards_per_round})"
            )
        return rules.round_at(cards_per_round.index(num_cards))
    if isinstance(rules, bool):
        raise TypeError("rules must be a player count, RoundRules or Rules, got a bool")
    num_players = _as_id(rules, "rules (a player count, RoundRules or Rules)")
    return blobzero.preset("openspiel_oh_hell", num_players, num_cards or 0).round_at(0)


def game_for(
    rules: int | blobzero.RoundRules | blobzero.Rules, num_cards: int | None = None
) -> PyspielGame:
    """The ``pyspiel.Game`` (``oh_hell``) that plays a round of ``rules``.

    ``rules`` is one of:

    - a player count: the ``openspiel_oh_hell`` preset for that many players, with
      ``num_cards`` cards (default: the preset's, ``min(10, 51 // players)``);
    - a RoundRules: that round (``num_cards``, if given, must agree);
    - a Rules: its one hand size, or the round of ``num_cards`` cards when the match deals
      several sizes.

    The game fixes the number of tricks (``num_tricks_fixed``); the dealer and the cards stay
    chance events. Raises ValueError if the rules have no OpenSpiel equivalent (see
    openspiel_parameters), ImportError if OpenSpiel is not installed.
    """
    parameters = openspiel_parameters(_round_rules(rules, num_cards))
    return _pyspiel().load_game(GAME_NAME, parameters)


# --------------------------------------------------------------------------------------------
# States.


def chance_actions(rules: blobzero.RoundRules, deal: blobzero.Deal) -> list[int]:
    """The OpenSpiel chance actions that deal ``deal`` under ``rules``.

    They are: the number of tricks, the dealer, the hands' cards in OpenSpiel's dealing order
    (card ``k`` of every seat before card ``k + 1``; within a hand in increasing blobzero id),
    and the turned-up card. Raises ValueError if the rules have no OpenSpiel equivalent or the
    deal does not fit them.
    """
    openspiel_parameters(rules)
    blobzero.State(rules, deal)  # validates the deal against the rules
    turned_up = deal.turned_up
    assert turned_up is not None  # the rules turn a card up, so a valid deal has one
    hands = deal.hands
    dealt = [
        _CARD_TO_OPENSPIEL[hands[seat][k]]
        for k in range(rules.num_cards)
        for seat in range(rules.num_players)
    ]
    return [rules.num_cards, deal.dealer, *dealt, _CARD_TO_OPENSPIEL[turned_up]]


def history_to_openspiel(state: blobzero.State) -> list[int]:
    """The full OpenSpiel history of ``state``: chance_actions of its deal, then its bids and
    card plays translated. Raises ValueError if its rules have no OpenSpiel equivalent."""
    return chance_actions(state.rules, state.initial_deal()) + [
        action_to_openspiel(action) for action in state.history
    ]


def state_to_openspiel(state: blobzero.State, game: OpenSpielGame | None = None) -> PyspielState:
    """A new ``pyspiel.State`` at the same point as blobzero ``state``.

    The OpenSpiel state holds the same deal (same dealer, hands and turned-up card) and has
    applied the same bids and plays, so its legal actions, current player and returns agree with
    ``state``'s once translated. ``game`` defaults to ``game_for(state.rules)``; a given game must
    play the same rules (its ``num_tricks_fixed`` may be -1). Raises ValueError if the rules have
    no OpenSpiel equivalent or ``game`` plays other rules, ImportError if OpenSpiel is missing.
    """
    rules = state.rules
    parameters = openspiel_parameters(rules)
    if game is None:
        game = _pyspiel().load_game(GAME_NAME, parameters)
    else:
        game_rules = round_rules_from_openspiel(game, int(state.num_cards))
        if game_rules != rules:
            raise ValueError(f"the OpenSpiel game plays {game_rules!r}, the state {rules!r}")
    os_state = game.new_initial_state()
    for action in history_to_openspiel(state):
        os_state.apply_action(action)
    return os_state


def state_from_openspiel(os_state: OpenSpielState) -> blobzero.State:
    """The blobzero State at the same point as OpenSpiel ``oh_hell`` state ``os_state``.

    Reads the chance history (number of tricks, dealer, the cards dealt, the turned-up card),
    builds that deal, then replays the player actions, each validated. The result compares equal
    to any State with the same rules, deal and actions. Raises ValueError if the state is still
    in its chance phase before the deal is complete (there is no blobzero state then), if its
    game's parameters have no blobzero equivalent (see round_rules_from_openspiel), or if its
    history is not a legal round (OpenSpiel's ``apply_action`` accepts illegal actions).
    """
    history = [int(action) for action in os_state.history()]
    game = os_state.get_game()
    if not history:
        _checked_parameters(game)  # so that a wrong game is reported as such
        raise ValueError(
            "the OpenSpiel state is in its chance phase before the deal is complete: "
            "not even the number of tricks has been chosen"
        )
    rules = round_rules_from_openspiel(game, num_tricks=history[0])
    num_players, num_cards = int(rules.num_players), int(rules.num_cards)
    deal_length = _PRE_DEAL_CHANCE_ACTIONS + num_players * num_cards + 1
    if len(history) < deal_length:
        raise ValueError(
            "the OpenSpiel state is in its chance phase before the deal is complete: "
            f"{len(history)} of its {deal_length} chance actions (number of tricks, dealer, "
            f"{num_players * num_cards} cards, turned-up card) have been applied"
        )
    try:
        dealt = [
            card_from_openspiel(card)
            for card in history[_PRE_DEAL_CHANCE_ACTIONS : deal_length - 1]
        ]
        hands = [dealt[seat::num_players] for seat in range(num_players)]
        turned_up = card_from_openspiel(history[deal_length - 1])
        actions = [action_from_openspiel(action) for action in history[deal_length:]]
        deal = blobzero.Deal(dealer=history[1], hands=hands, turned_up=turned_up)
        state: blobzero.State = blobzero.State.replay(rules, deal, actions)
    except (ValueError, IndexError) as error:
        raise ValueError(
            f"the OpenSpiel history is not a legal {GAME_NAME} round: {error}"
        ) from error
    return state
