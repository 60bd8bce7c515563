"""Players and a loop that seats them at a table.

Every player has ``act(state, observer) -> action``: the C++ bots (``RandomBot``,
``HeuristicBot``, ``IsmctsBot``, ``PimcBot``) and any Python object with that method.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from blobzero._core.game import State


class Player(Protocol):
    """Anything that can take a seat: returns a legal action for ``observer``, the player to
    act, using only what that player may know."""

    def act(self, state: State, observer: int) -> int: ...


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
