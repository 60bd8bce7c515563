"""A game between a person and agents, one round after another: the logic the terminal and the
browser table share.

``TableGame`` holds the deals of the game (a match's rounds or single rounds), whose round is
being played, and the totals. The agents move on their own: ``start``, ``play`` (the person's
action) and ``next_round`` play every agent move up to the person's next decision or the end of
the round and return those moves as ``Move`` events. A decision of the person with a single
legal action is played for them. A finished round adds its scores to the totals and is appended
to the record file (``blobzero.play.records``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from blobzero._core.game import State
from blobzero.evaluation.players import Player
from blobzero.play.records import append_record, record_of

__all__ = ["Move", "Seat", "TableGame"]


@dataclass(frozen=True)
class Seat:
    """Who sits in a seat: an agent, or the person (``player`` None)."""

    name: str
    player: Player | None = None


@dataclass(frozen=True)
class Move:
    """One action of the round; ``trick``/``winner`` are set when it completed a trick."""

    seat: int
    action: int
    trick: int | None = None
    winner: int | None = None


class TableGame:
    """The person in ``human_seat`` of ``seats`` playing ``rounds`` in order."""

    def __init__(
        self,
        seats: Sequence[Seat],
        human_seat: int,
        rounds: Sequence[State],
        record_path: str | Path | None = None,
    ) -> None:
        if not 0 <= human_seat < len(seats) or seats[human_seat].player is not None:
            raise ValueError(f"seat {human_seat} must be the person's (an empty seat)")
        if not rounds:
            raise ValueError("a game needs at least one round")
        for state in rounds:
            if state.num_players != len(seats):
                raise ValueError(f"a round for {state.num_players} players at {len(seats)} seats")
        self.seats = list(seats)
        self.human = human_seat
        self.rounds = list(rounds)
        self.record_path = record_path
        self.round_index = 0
        self.state = self.rounds[0].clone()
        self.round_scores: list[list[int]] = []
        self.totals = [0] * len(seats)

    @property
    def human_to_act(self) -> bool:
        return not self.state.is_terminal() and self.state.current_player == self.human

    @property
    def round_over(self) -> bool:
        return self.state.is_terminal()

    @property
    def match_over(self) -> bool:
        return self.round_over and self.round_index == len(self.rounds) - 1

    def start(self) -> list[Move]:
        """The moves before the person's first decision of the current round."""
        return self._advance()

    def play(self, action: int) -> list[Move]:
        """Plays the person's ``action``, then the agents' moves up to the person's next
        decision or the round's end (the person's move first). Raises ValueError when it is not
        the person's turn or the action is illegal (the state is unchanged)."""
        if not self.human_to_act:
            raise ValueError("it is not your turn")
        if not self.state.is_legal(action):
            raise ValueError(f"action {action} is not legal here")
        return [self._apply(action), *self._advance()]

    def next_round(self) -> list[Move]:
        """Deals the next round and plays up to the person's first decision. Raises ValueError
        while a round is in progress or after the last one."""
        if not self.round_over or self.match_over:
            raise ValueError("the next round starts when this one is over, before the last")
        self.round_index += 1
        self.state = self.rounds[self.round_index].clone()
        return self._advance()

    def _apply(self, action: int) -> Move:
        state = self.state
        seat = state.current_player
        assert seat is not None
        tricks = state.num_tricks_completed
        state.apply_action(action)
        if state.num_tricks_completed > tricks:
            move = Move(seat, action, tricks, state.trick_winner(tricks))
        else:
            move = Move(seat, action)
        if state.is_terminal():
            self._finish_round()
        return move

    def _advance(self) -> list[Move]:
        moves = []
        while not self.state.is_terminal():
            seat = self.state.current_player
            assert seat is not None
            player = self.seats[seat].player
            legal = self.state.legal_actions()
            if player is None and len(legal) > 1:
                break
            action = legal[0] if player is None else player.act(self.state, seat)
            moves.append(self._apply(action))
        return moves

    def _finish_round(self) -> None:
        scores = self.state.scores()
        self.round_scores.append(scores)
        self.totals = [a + b for a, b in zip(self.totals, scores, strict=True)]
        if self.record_path is not None:
            names = [seat.name for seat in self.seats]
            record = record_of(self.state, names, self.round_index, self.totals)
            append_record(self.record_path, record)
