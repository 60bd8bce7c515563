"""Players and a loop that seats them at a table.

Every player has ``act(state, observer) -> action``: the C++ bots (``RandomBot``,
``HeuristicBot``, ``IsmctsBot``, ``PimcBot``) and any Python object with that method.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from blobzero._core.game import Phase, State


class Player(Protocol):
    """Anything that can take a seat: returns a legal action for ``observer``, the player to
    act, using only what that player may know."""

    def act(self, state: State, observer: int) -> int: ...


class PhaseSplitPlayer:
    """Bids as ``bidder`` and plays its cards as ``card_player``: a player whose two phases come
    from different players, to measure what each phase of a player is worth against the whole
    player on the same deals. Each part sees only what it is asked (``act`` in its own phase)."""

    def __init__(self, bidder: Player, card_player: Player) -> None:
        self.bidder = bidder
        self.card_player = card_player

    def act(self, state: State, observer: int) -> int:
        part = self.bidder if state.phase == Phase.BIDDING else self.card_player
        return part.act(state, observer)

    def __repr__(self) -> str:
        return f"PhaseSplitPlayer(bidder={self.bidder!r}, card_player={self.card_player!r})"


def play_round(state: State, players: Sequence[Player]) -> State:
    """Plays ``state`` to the end with ``players[seat]`` acting for each seat; returns the
    finished state (``state`` itself is not changed). Raises ValueError if the number of
    players differs from the table size or a player returns an illegal action."""
    if len(players) != state.num_players:
        raise ValueError(
            f"play_round got {len(players)} players for a table of {state.num_players}"
        )
    state = state.clone()
    while not state.is_terminal():
        seat = state.current_player
        assert seat is not None
        action = players[seat].act(state, seat)
        try:
            state.apply_action(action)
        except (ValueError, IndexError) as error:
            raise ValueError(
                f"player at seat {seat} ({players[seat]!r}) chose {action}: {error}"
            ) from error
    return state
