"""A person plays one seat in the terminal against agents: a single round or a whole match.

``TerminalTable.play(rounds)`` deals each round, asks the person for every bid and card of their
seat and lets the agents play the others, announcing each move and each trick's winner, then
the round's scores and the match totals. Each finished round is appended to a record file
(``blobzero.play.records``). Input: a bid as its number; a card as its text ("QS", "10h") or its
number in the list of legal cards; ``h`` shows the hint agent's advice, ``q`` quits. Anything
else is explained and asked again. A decision with one legal action is played for the person.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from blobzero._core.game import (
    BID_ACTION_BASE,
    Phase,
    State,
    card_to_string,
    parse_card,
    suit_char,
)
from blobzero._core.search import PimcBot
from blobzero.evaluation.players import Player
from blobzero.play.advice import advise
from blobzero.play.records import append_record, record_of

__all__ = ["QuitGame", "Seat", "TerminalTable"]


class QuitGame(Exception):
    """The person asked to stop."""


@dataclass(frozen=True)
class Seat:
    """Who sits in a seat: an agent, or the person (``player`` None)."""

    name: str
    player: Player | None = None


class TerminalTable:
    """A table of ``seats`` with the person in ``human_seat``. ``write`` prints a block of text
    and ``read`` asks for a line (raising EOFError when input ends). ``hint`` is the agent
    whose advice ``h`` shows (``show_hints`` shows it before every decision). Finished rounds are
    appended to ``record_path`` (None: not recorded)."""

    def __init__(
        self,
        seats: Sequence[Seat],
        human_seat: int,
        write: Callable[[str], None],
        read: Callable[[str], str],
        *,
        hint: PimcBot | None = None,
        show_hints: bool = False,
        record_path: str | Path | None = None,
    ) -> None:
        if not 0 <= human_seat < len(seats) or seats[human_seat].player is not None:
            raise ValueError(f"seat {human_seat} must be the person's (an empty seat)")
        self.seats = list(seats)
        self.human = human_seat
        self.write = write
        self.read = read
        self.hint = hint
        self.show_hints = show_hints
        self.record_path = record_path

    def name(self, seat: int) -> str:
        return "you" if seat == self.human else f"seat {seat} ({self.seats[seat].name})"

    def play(self, rounds: Sequence[State]) -> list[int]:
        """Plays every round of ``rounds`` (a match's, or single rounds) and returns the totals.
        Raises QuitGame when the person quits (finished rounds stay recorded)."""
        num_rounds = len(rounds)
        totals = [0] * len(self.seats)
        for index, state in enumerate(rounds):
            final = self.play_round(state, index, num_rounds)
            totals = [a + b for a, b in zip(totals, final.scores(), strict=True)]
            self.write(self._round_summary(final, totals, index))
            if self.record_path is not None:
                names = [seat.name for seat in self.seats]
                names[self.human] = "you"
                append_record(self.record_path, record_of(final, names, index, totals))
        if num_rounds > 1:
            best = max(totals)
            winners = ", ".join(self.name(s) for s, total in enumerate(totals) if total == best)
            self.write(f"Match over: {winners} won with {best} points.")
        return totals

    def play_round(self, state: State, index: int, num_rounds: int) -> State:
        state = state.clone()
        rules = state.rules
        trump = "no trump" if rules.trump_suit is None else f"trump {suit_char(rules.trump_suit)}"
        if state.turned_up is not None:
            trump += f" (turned up {card_to_string(state.turned_up)})"
        self.write(
            f"\n=== Round {index + 1}/{num_rounds}: {rules.num_cards} cards, {trump}, "
            f"dealer {self.name(state.dealer)} ==="
        )
        while not state.is_terminal():
            seat = state.current_player
            assert seat is not None
            player = self.seats[seat].player
            action = self._ask(state) if player is None else player.act(state, seat)
            tricks = state.num_tricks_completed
            state.apply_action(action)
            if action >= BID_ACTION_BASE:
                self.write(f"{self.name(seat)} bid {action - BID_ACTION_BASE}")
            else:
                self.write(f"{self.name(seat)} played {card_to_string(action)}")
            if state.num_tricks_completed > tricks:
                cards = " ".join(card_to_string(c) for c in state.trick_cards(tricks))
                winner = state.trick_winner(tricks)
                self.write(f"  trick {tricks + 1}: {cards} -> won by {self.name(winner)}")
        return state

    def _ask(self, state: State) -> int:
        """The person's action; a single legal action is played without asking."""
        legal = state.legal_actions()
        if len(legal) == 1:
            return legal[0]
        view = state.observe(self.human).render()
        bidding = state.phase == Phase.BIDDING
        if bidding:
            choices = "bids: " + " ".join(str(a - BID_ACTION_BASE) for a in legal)
            forbidden = state.hook_forbidden_bid
            if forbidden is not None:
                choices += f"  (not {forbidden}: the bids may not add up to the cards)"
        else:
            choices = "cards: " + "  ".join(
                f"{i + 1}) {card_to_string(a)}" for i, a in enumerate(legal)
            )
        self.write(f"\n{view}{choices}")
        if self.show_hints:
            self._show_hint(state)
        prompt = "Your bid" if bidding else "Your card"
        while True:
            text = self.read(f"{prompt} (h = hint, q = quit): ").strip()
            if text.lower() in ("q", "quit"):
                raise QuitGame
            if text.lower() in ("h", "hint"):
                self._show_hint(state)
                continue
            action, problem = self._parse(state, text, legal)
            if action is not None:
                return action
            self.write(problem)

    def _parse(self, state: State, text: str, legal: list[int]) -> tuple[int | None, str]:
        """The action ``text`` means, or None and why it cannot be played."""
        if not text:
            return None, "Type a bid, a card or its number."
        if state.phase == Phase.BIDDING:
            words = text.lower().removeprefix("bid").strip()
            if not words.isdigit():
                return None, f"{text!r} is not a bid: type a number from 0 to {state.num_cards}."
            bid = int(words)
            if BID_ACTION_BASE + bid in legal:
                return BID_ACTION_BASE + bid, ""
            if bid == state.hook_forbidden_bid:
                return None, (
                    f"You cannot bid {bid}: as dealer your bid may not make the bids add up to "
                    f"{state.num_cards} (the hook rule)."
                )
            return None, f"You cannot bid {bid}: bids run from 0 to {state.num_cards}."
        if text.isdigit():
            number = int(text)
            if 1 <= number <= len(legal):
                return legal[number - 1], ""
            return None, f"There is no card number {number}: pick 1 to {len(legal)}."
        try:
            card = parse_card(text)
        except ValueError:
            return None, f"{text!r} is not a card: type it like QS, 10h or td, or its number."
        if card in legal:
            return card, ""
        name = card_to_string(card)
        if card not in state.hand(self.human):
            return None, f"You do not hold {name}."
        led = state.led_suit
        assert led is not None
        return None, f"You must follow suit: {name} is not {suit_char(led)} and you hold one."

    def _show_hint(self, state: State) -> None:
        if self.hint is None:
            self.write("No hint agent: start with --hint.")
            return
        self.write("hint: " + advise(state, self.hint).format())

    def _round_summary(self, final: State, totals: list[int], index: int) -> str:
        lines = [f"Round {index + 1} over:"]
        bids = final.bids
        tricks = final.tricks_won
        for seat, score in enumerate(final.scores()):
            lines.append(
                f"  {self.name(seat):<28} bid {bids[seat]}  took {tricks[seat]}  "
                f"score {score:>3}  total {totals[seat]:>4}"
            )
        return "\n".join(lines)
