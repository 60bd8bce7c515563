"""Players across the OpenSpiel bridge, both ways: ``OpenSpielPlayer`` seats a pyspiel bot (e.g.
``pyspiel.ISMCTSBot``, built by ``openspiel_ismcts_bot``) at a blobzero table, and
``BlobzeroBot`` is a ``pyspiel.Bot`` that seats any blobzero player in an OpenSpiel game. States
and actions cross with ``translate``.

``pyspiel`` is imported only when a function needs it; ``import blobzero`` never requires it.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING, Any, Final

import blobzero
from blobzero.evaluation.players import Player
from blobzero.interop.openspiel.translate import (
    GAME_NAME,
    OpenSpielBot,
    OpenSpielGame,
    PyspielBot,
    PyspielGame,
    PyspielState,
    _as_id,
    _checked_parameters,
    _pyspiel,
    action_from_openspiel,
    action_to_openspiel,
    openspiel_parameters,
    state_from_openspiel,
    state_to_openspiel,
)

__all__ = [
    "FINAL_POLICIES",
    "OpenSpielPlayer",
    "conceal_hidden_cards",
    "openspiel_ismcts_bot",
]

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


def conceal_hidden_cards(state: blobzero.State, observer: int, seed: int) -> blobzero.State:
    """A state that ``observer`` cannot tell from ``state``, with every card hidden from it drawn
    anew: the opponents' unplayed cards and the undealt stock are a uniform draw of
    blobzero.Determinizer over the observer's Belief (hand sizes and revealed voids respected),
    so the result carries no information about the true hidden cards. The rules, dealer,
    turned-up card, the observer's hand and the history are those of ``state``, and every action
    of the history stays legal. Deterministic in (information set, seed).
    """
    belief = blobzero.Belief.from_state(state, observer)
    world: blobzero.State = state.with_hands(blobzero.Determinizer(belief).sample(seed))
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
