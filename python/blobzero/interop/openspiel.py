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

Bots cross over both ways (see the section on bots below): ``OpenSpielPlayer`` seats a pyspiel
bot (e.g. ``pyspiel.ISMCTSBot``, built by ``openspiel_ismcts_bot``) at a blobzero table, and
``BlobzeroBot`` is a ``pyspiel.Bot`` that seats any blobzero player in an OpenSpiel game.

``pyspiel`` is imported only when a function needs it; ``import blobzero`` never requires it.
"""

from __future__ import annotations

import importlib
import math
import operator
import random
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final, Protocol, SupportsIndex, TypeAlias

import blobzero
from blobzero.bots import Player

__all__ = [
    "BlobzeroBot",
    "FINAL_POLICIES",
    "GAME_NAME",
    "MAX_PLAYERS",
    "MIN_PLAYERS",
    "OpenSpielGame",
    "OpenSpielBot",
    "OpenSpielGameType",
    "OpenSpielPlayer",
    "OpenSpielState",
    "PyspielGame",
    "PyspielState",
    "action_from_openspiel",
    "action_to_openspiel",
    "card_from_openspiel",
    "card_to_openspiel",
    "chance_actions",
    "conceal_hidden_cards",
    "game_for",
    "history_to_openspiel",
    "openspiel_ismcts_bot",
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


# --------------------------------------------------------------------------------------------
# Bots, both ways.
#
# A blobzero player is anything with ``act(state, observer) -> action`` (blobzero.Player): it is
# handed the true State and must read only what ``observer`` may know. A pyspiel bot has
# ``step(state) -> action`` and is handed a pyspiel.State, from which OpenSpiel's own algorithms
# read the information state (ISMCTSBot resamples the hidden cards through the game's
# ResampleFromInfostate). The adapters translate states and actions with the functions above.

# Final policies of pyspiel.ISMCTSBot, by the names blobzero.IsmctsConfig uses.
FINAL_POLICIES: Final = ("max_visit_count", "normalized_visit_count", "max_value")
_FINAL_POLICY_TYPES: Final = {
    "max_visit_count": "MAX_VISIT_COUNT",
    "normalized_visit_count": "NORMALIZED_VISIT_COUNT",
    "max_value": "MAX_VALUE",
}
# OpenSpiel's ISMCTSBot draws a fresh world for every simulation (kUnlimitedNumWorldSamples).
_UNLIMITED_WORLD_SAMPLES: Final = -1
_MAX_OPENSPIEL_SEED: Final = 2**31 - 1


def _check_can_act(state: blobzero.State, observer: int) -> None:
    """ValueError unless ``observer`` is the player to act in an unfinished round (the messages
    of blobzero's C++ bots)."""
    num_players = int(state.num_players)
    if not 0 <= observer < num_players:
        raise ValueError(f"observer {observer} is outside 0..{num_players - 1}")
    if state.is_terminal():
        raise ValueError(f"the round is over: player {observer} has nothing to act on")
    if state.current_player != observer:
        raise ValueError(
            f"player {observer} is not the player to act (player {state.current_player} is)"
        )


def _played_by(state: blobzero.State) -> list[list[int]]:
    """The cards each seat has played so far, read from the public tricks."""
    num_players = int(state.num_players)
    played: list[list[int]] = [[] for _ in range(num_players)]
    tricks = int(state.num_tricks_completed) + (1 if state.current_trick else 0)
    for trick in range(tricks):
        leader = int(state.trick_leader(trick))
        for offset, card in enumerate(state.trick_cards(trick)):
            played[(leader + offset) % num_players].append(int(card))
    return played


def conceal_hidden_cards(state: blobzero.State, observer: int, seed: int) -> blobzero.State:
    """A state that ``observer`` cannot tell from ``state``, with every card hidden from it drawn
    anew: the opponents' unplayed cards and the undealt stock are a uniform draw of
    blobzero.Determinizer over the observer's Belief (hand sizes and revealed voids respected),
    so the result carries no information about the true hidden cards. The rules, dealer,
    turned-up card, the observer's hand and the history are those of ``state``, and every action
    of the history stays legal. Deterministic in (information set, seed).
    """
    belief = blobzero.Belief.from_state(state, observer)
    hands = blobzero.Determinizer(belief).sample(seed)
    initial = [
        sorted(played + [int(card) for card in hand])
        for played, hand in zip(_played_by(state), hands, strict=True)
    ]
    deal = blobzero.Deal(state.dealer, initial, turned_up=state.turned_up)
    world: blobzero.State = blobzero.State.replay(state.rules, deal, state.history)
    return world


class OpenSpielPlayer:
    """A pyspiel bot (e.g. ``pyspiel.ISMCTSBot``) seated at a blobzero table.

    ``act(state, observer)`` translates ``state`` to an OpenSpiel ``oh_hell`` state
    (state_to_openspiel), asks ``bot.step`` for a move and translates it back; it satisfies
    blobzero.Player, so play_round and the arena can seat it. ``state``'s rules must have an
    OpenSpiel equivalent (openspiel_parameters): the ``openspiel_oh_hell`` preset.

    Arguments:

    - ``bot``: the pyspiel bot. It is treated as stateless between its decisions: each one gets
      a freshly built state holding the whole history, and ``inform_action`` is never called.
      ``bot.restart()`` is called before the first decision of every round (a round is new when
      its rules, deal or history do not continue the last one seen). OpenSpiel's ISMCTSBot,
      MCTSBot and random bots need nothing more; a bot that follows the game only through
      ``inform_action`` is not supported. A bot built for one seat
      (``pyspiel.make_uniform_random_bot(player_id, seed)``) must only play that seat: asked
      about another, OpenSpiel's C++ may crash the process.
    - ``game``: the pyspiel ``oh_hell`` game to build states of; by default, ``game_for`` the
      state's rules (loaded once per rules). A given game must play the states' rules.
    - ``hide_hidden_cards`` (default True): the OpenSpiel state is built from
      conceal_hidden_cards(state, observer, seed) rather than the true deal, so the bot cannot
      read cards its seat may not know. OpenSpiel's ``oh_hell`` ResampleFromInfostate (what
      ISMCTSBot samples its worlds with) keeps the set of cards the opponents were really dealt
      and only moves them between the opponents, which leaks where the undealt cards are; with
      False, the bot gets the true state and that leak, as it would inside OpenSpiel. The price
      of concealing: ISMCTSBot then keeps the concealed set for all the simulations of one
      decision, i.e. it searches one draw of which cards are out rather than all of them.
    - ``seed``: seeds the concealing draws (one per decision, from a stream restarted by
      nothing); the bot's own randomness is seeded where it is built.

    The concealing draws are reproducible: given the same sequence of decisions and ``seed``,
    the bot is handed the same states. Its moves are then as reproducible as the bot is
    (pyspiel's seeded random bots are; ISMCTSBot is not always: see openspiel_ismcts_bot).

    ``act`` raises ValueError if ``observer`` is not the player to act in an unfinished round,
    if the rules have no OpenSpiel equivalent or disagree with ``game``, or if the bot returns
    an action that is not legal. Not thread-safe.
    """

    def __init__(
        self,
        bot: OpenSpielBot,
        game: OpenSpielGame | None = None,
        *,
        hide_hidden_cards: bool = True,
        seed: int = 0,
    ) -> None:
        if not callable(getattr(bot, "step", None)):
            raise TypeError(f"bot must be a pyspiel.Bot (with step), got {type(bot).__name__}")
        if game is not None:
            _checked_parameters(game)
        self.bot = bot
        self.game = game
        self.hide_hidden_cards = bool(hide_hidden_cards)
        self._seed = _as_id(seed, "seed")
        self._rng = random.Random(self._seed)
        self._games: dict[tuple[tuple[str, int | bool], ...], PyspielGame] = {}
        # (rules, deal, history) of the last decision, to tell when a new round starts.
        self._last: tuple[blobzero.RoundRules, blobzero.Deal, list[int]] | None = None

    def __repr__(self) -> str:
        return f"OpenSpielPlayer({self.bot!r}, hide_hidden_cards={self.hide_hidden_cards})"

    def _game_for(self, rules: blobzero.RoundRules) -> OpenSpielGame:
        if self.game is not None:
            return self.game
        parameters = openspiel_parameters(rules)
        key = tuple(sorted(parameters.items()))
        game = self._games.get(key)
        if game is None:
            game = self._games[key] = _pyspiel().load_game(GAME_NAME, parameters)
        return game  # type: ignore[no-any-return]

    def _continues_last_round(self, state: blobzero.State) -> bool:
        if self._last is None:
            return False
        rules, deal, history = self._last
        now = list(state.history)
        return (
            rules == state.rules and deal == state.initial_deal() and now[: len(history)] == history
        )

    def act(self, state: blobzero.State, observer: int) -> int:
        """The bot's move for ``observer``, the player to act in ``state``; see the class."""
        if not isinstance(state, blobzero.State):
            raise TypeError(f"state must be a blobzero.State, got {type(state).__name__}")
        observer = _as_id(observer, "observer")
        _check_can_act(state, observer)
        game = self._game_for(state.rules)
        world = (
            conceal_hidden_cards(state, observer, self._rng.getrandbits(63))
            if self.hide_hidden_cards
            else state
        )
        os_state = state_to_openspiel(world, game)
        if not self._continues_last_round(state):
            self.bot.restart()
        self._last = (state.rules, state.initial_deal(), list(state.history))
        os_action = self.bot.step(os_state)
        try:
            action = action_from_openspiel(os_action)
        except (IndexError, TypeError) as error:
            raise ValueError(f"the OpenSpiel bot returned {os_action!r}: {error}") from error
        if not state.is_legal(action):
            raise ValueError(
                f"the OpenSpiel bot chose {os_action} ({blobzero.action_to_string(action)}), "
                f"which player {observer} may not play; legal: "
                f"{[blobzero.action_to_string(a) for a in state.legal_actions()]}"
            )
        return action


class _BlobzeroBot:
    """A blobzero player seated in an OpenSpiel ``oh_hell`` game: a ``pyspiel.Bot``.

    ``BlobzeroBot(player, player_id=None)`` wraps any blobzero.Player (a C++ bot such as
    blobzero.HeuristicBot or IsmctsBot, or a Python object with ``act``). ``step(state)``
    translates the pyspiel state (state_from_openspiel), asks ``player.act`` for the move of the
    player to act, checks it is legal and returns its OpenSpiel id (a card in OpenSpiel's
    numbering, or ``52 + bid``: OpenSpiel's action space is ``52 + n + 1`` wide). The player gets
    the true state and, by blobzero's Player contract, reads only what its seat may know.

    The bot keeps no state of its own between steps: ``restart``, ``restart_at`` and
    ``inform_action`` do nothing, so it may play from any state (``pyspiel.evaluate_bots``
    calls them). It provides neither a policy nor forced actions. With ``player_id`` given,
    ``step`` raises ValueError when asked to move for anyone else.

    Raises ValueError (through OpenSpiel as well) for a chance or terminal state, a game whose
    parameters have no blobzero equivalent, and an illegal move from the player. Not
    thread-safe; the player's randomness is seeded where it is built, so games are reproducible.
    """

    def __init__(self, player: Player, player_id: int | None = None) -> None:
        _pyspiel().Bot.__init__(self)
        if not callable(getattr(player, "act", None)):
            raise TypeError(
                f"player must be a blobzero player (with act), got {type(player).__name__}"
            )
        self.player = player
        self.player_id = None if player_id is None else _as_id(player_id, "player_id")

    def __repr__(self) -> str:
        return f"BlobzeroBot({self.player!r})"

    def step(self, state: PyspielState) -> int:
        """The OpenSpiel id of the player's move in ``state``; see the class."""
        _checked_parameters(state.get_game())
        if state.is_chance_node() or state.is_terminal():
            raise ValueError("BlobzeroBot.step needs a state where a player is to act")
        bz_state = state_from_openspiel(state)
        observer = bz_state.current_player
        assert observer is not None  # not terminal
        if self.player_id is not None and observer != self.player_id:
            raise ValueError(
                f"BlobzeroBot for player {self.player_id} asked to act for player {observer}"
            )
        action = self.player.act(bz_state, observer)
        if not bz_state.is_legal(action):
            raise ValueError(
                f"player {observer} ({self.player!r}) chose {action}, which is not legal; "
                f"legal: {bz_state.legal_actions()}"
            )
        return action_to_openspiel(action)

    def restart(self) -> None:
        """Does nothing: the bot keeps no state between steps."""

    def restart_at(self, state: PyspielState) -> None:
        """Does nothing: the bot keeps no state between steps."""

    def inform_action(self, state: PyspielState, player_id: int, action: int) -> None:
        """Does nothing: every step reads the whole history from its state."""

    def provides_policy(self) -> bool:
        return False

    def provides_force_action(self) -> bool:
        return False


_blobzero_bot_class: type[_BlobzeroBot] | None = None


def _make_blobzero_bot_class() -> type[_BlobzeroBot]:
    """BlobzeroBot: _BlobzeroBot's methods on a ``pyspiel.Bot`` subclass, built once, when first
    used (so that importing this module does not import pyspiel)."""
    global _blobzero_bot_class
    if _blobzero_bot_class is None:
        cls = type(
            "BlobzeroBot",
            (_BlobzeroBot, _pyspiel().Bot),
            {"__doc__": _BlobzeroBot.__doc__, "__module__": __name__},
        )
        _blobzero_bot_class = cls
    return _blobzero_bot_class


if TYPE_CHECKING:
    BlobzeroBot = _BlobzeroBot
else:

    def __getattr__(name: str) -> Any:
        if name == "BlobzeroBot":
            return _make_blobzero_bot_class()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def openspiel_ismcts_bot(
    game: OpenSpielGame,
    simulations: int = 1000,
    uct_c: float = 5.0,
    seed: int = 0,
    final_policy: str = "max_visit_count",
) -> PyspielBot:
    """OpenSpiel's IS-MCTS bot for ``game`` (an ``oh_hell`` game), set up as blobzero compares
    with it: ``pyspiel.ISMCTSBot`` with ``pyspiel.RandomRolloutEvaluator(1 rollout, seed)``, a
    fresh world per simulation (unlimited world samples), information-state keys, consistent
    action sets.

    ``uct_c`` is on OpenSpiel's scale of raw returns (``oh_hell``: tricks + 10 if exact). OpenSpiel
    gives no default; 5.0 is the constant of its own IS-MCTS tests, and
    blobzero.uct_c_from_raw_scores gives the equivalent on blobzero's value scale.
    ``final_policy`` is one of FINAL_POLICIES: ``max_visit_count`` (the default here, like
    blobzero's IsmctsConfig) plays the most visited move; OpenSpiel's own default,
    ``normalized_visit_count``, samples the move in proportion to the visits.

    Reproducibility is limited by OpenSpiel: ``seed`` fixes the bot's random streams, but its
    tree nodes keep their children in ``absl::flat_hash_map``s whose iteration order follows
    memory addresses, and that order breaks exact UCB ties (common while children have equal
    visits and returns) and ties for the most visits. Two bots with one seed can therefore
    search differently; a clearly best move is stable, a visit-proportional draw is not. Raises
    ValueError for a game that is not a blobzero-compatible ``oh_hell``, ``simulations < 1``,
    a negative or non-finite ``uct_c``, a seed outside 0..2**31-1 or an unknown final policy.
    """
    _checked_parameters(game)
    simulations = _as_id(simulations, "simulations")
    if simulations < 1:
        raise ValueError(f"simulations must be at least 1, got {simulations}")
    if not (isinstance(uct_c, int | float) and math.isfinite(uct_c) and uct_c >= 0):
        raise ValueError(f"uct_c must be a finite number >= 0, got {uct_c!r}")
    seed = _as_id(seed, "seed")
    if not 0 <= seed <= _MAX_OPENSPIEL_SEED:
        raise ValueError(f"seed must be in 0..{_MAX_OPENSPIEL_SEED} (a C++ int), got {seed}")
    if final_policy not in _FINAL_POLICY_TYPES:
        raise ValueError(
            f"unknown final_policy {final_policy!r} (expected one of {', '.join(FINAL_POLICIES)})"
        )
    pyspiel = _pyspiel()
    policy_type = getattr(pyspiel.ISMCTSFinalPolicyType, _FINAL_POLICY_TYPES[final_policy])
    evaluator = pyspiel.RandomRolloutEvaluator(1, seed)
    return pyspiel.ISMCTSBot(
        seed,
        evaluator,
        float(uct_c),
        simulations,
        _UNLIMITED_WORLD_SAMPLES,
        policy_type,
        False,  # use_observation_string: key nodes by information state strings
        False,  # allow_inconsistent_action_sets
    )
