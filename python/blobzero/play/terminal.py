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
from blobzero.play.advice import advise
from blobzero.play.game import Move, Seat, TableGame

__all__ = ["QuitGame", "TerminalTable"]


class QuitGame(Exception):
    """The person asked to stop."""


class TerminalTable:
    """A table of ``seats`` with the person in ``human_seat``. ``write`` prints a block of text
    and ``read`` asks for a line (raising EOFError when input ends). ``hint`` is the agent whose
    advice ``h`` shows (``show_hints`` shows it before every decision). Finished rounds are
    appended to ``record_path`` (None: not recorded). The seats are checked when ``play`` starts
    (``TableGame``)."""

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
        game = TableGame(self.seats, self.human, rounds, self.record_path)
        self._announce_round(game)
        moves = game.start()
        while True:
            self._announce(game, moves)
            if game.round_over:
                self.write(self._round_summary(game))
                if game.match_over:
                    break
                moves = game.next_round()
                self._announce_round(game)
                continue
            moves = game.play(self._ask(game.state))
        if len(rounds) > 1:
            best = max(game.totals)
            winners = ", ".join(
                self.name(s) for s, total in enumerate(game.totals) if total == best
            )
            self.write(f"Match over: {winners} won with {best} points.")
        return game.totals

    def _announce_round(self, game: TableGame) -> None:
        state = game.state
        rules = state.rules
        trump = "no trump" if rules.trump_suit is None else f"trump {suit_char(rules.trump_suit)}"
        if state.turned_up is not None:
            trump += f" (turned up {card_to_string(state.turned_up)})"
        self.write(
            f"\n=== Round {game.round_index + 1}/{len(game.rounds)}: {rules.num_cards} cards, "
            f"{trump}, dealer {self.name(state.dealer)} ==="
        )

    def _announce(self, game: TableGame, moves: list[Move]) -> None:
        for move in moves:
            if move.action >= BID_ACTION_BASE:
                self.write(f"{self.name(move.seat)} bid {move.action - BID_ACTION_BASE}")
            else:
                self.write(f"{self.name(move.seat)} played {card_to_string(move.action)}")
            if move.trick is not None and move.winner is not None:
                cards = " ".join(card_to_string(c) for c in game.state.trick_cards(move.trick))
                self.write(f"  trick {move.trick + 1}: {cards} -> won by {self.name(move.winner)}")

    def _ask(self, state: State) -> int:
        """The person's action (TableGame plays a single legal action without asking)."""
        legal = state.legal_actions()
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

    def _round_summary(self, game: TableGame) -> str:
        final = game.state
        lines = [f"Round {game.round_index + 1} over:"]
        for seat, score in enumerate(final.scores()):
            lines.append(
                f"  {self.name(seat):<28} bid {final.bids[seat]}  took {final.tricks_won[seat]}  "
                f"score {score:>3}  total {game.totals[seat]:>4}"
            )
        return "\n".join(lines)
