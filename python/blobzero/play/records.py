"""Played rounds as replayable records: one JSON object a line, in a file that only grows.

A record holds the round's rules, the deal (every initial hand, the dealer, the turned-up card),
every action in order, the scores, who sat where and the match totals after the round. Reading
a record replays it with the rules engine and checks the scores, so a file that was edited or
cut short is refused with the line and the problem named.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from blobzero._core.game import (
    Deal,
    RoundRules,
    State,
    action_to_string,
    card_to_string,
    parse_action,
    parse_card,
    suit_char,
)
from blobzero.atomic_file import write_atomically

__all__ = ["RECORD_FORMAT", "RoundRecord", "append_record", "read_records", "record_of"]

RECORD_FORMAT = "blobzero-round/1"


@dataclass(frozen=True)
class RoundRecord:
    """One finished round. Cards and actions are text ("QS", "bid 2"); seats count from 0."""

    num_players: int
    num_cards: int
    trump: str  # "C", "D", "H", "S", or "N" for no trump
    turn_up: bool
    hook_rule: bool
    scoring: str
    dealer: int
    hands: list[str]  # every seat's initial hand
    turned_up: str | None
    actions: list[str]
    scores: list[int]
    players: list[str]  # who sat in each seat
    round_index: int = 0  # the round's place in its match
    totals: list[int] = field(default_factory=list)  # match totals after the round
    format: str = RECORD_FORMAT

    def rules(self) -> RoundRules:
        return RoundRules(
            num_players=self.num_players,
            num_cards=self.num_cards,
            trump=self.trump,
            turn_up=self.turn_up,
            hook_rule=self.hook_rule,
            scoring=self.scoring,
        )

    def initial_state(self) -> State:
        turned_up = None if self.turned_up is None else parse_card(self.turned_up)
        return State(self.rules(), Deal(self.dealer, self.hands, turned_up))

    def states(self) -> Iterator[State]:
        """The round's state before the first action and after each one."""
        state = self.initial_state()
        yield state.clone()
        for action in self.actions:
            state.apply_action(parse_action(action))
            yield state.clone()


def record_of(
    final: State, players: Sequence[str], round_index: int = 0, totals: Sequence[int] = ()
) -> RoundRecord:
    """The record of the finished round ``final``."""
    if not final.is_terminal():
        raise ValueError("only a finished round can be recorded")
    rules = final.rules
    deal = final.initial_deal()
    suit = rules.trump_suit
    return RoundRecord(
        num_players=rules.num_players,
        num_cards=rules.num_cards,
        trump="N" if suit is None else suit_char(suit),
        turn_up=rules.turn_up,
        hook_rule=rules.hook_rule,
        scoring=rules.scoring.name.lower(),
        dealer=deal.dealer,
        hands=[" ".join(card_to_string(card) for card in hand) for hand in deal.hands],
        turned_up=None if deal.turned_up is None else card_to_string(deal.turned_up),
        actions=[action_to_string(action) for action in final.history],
        scores=list(final.scores()),
        players=list(players),
        round_index=round_index,
        totals=list(totals),
    )


def append_record(path: str | os.PathLike[str], record: RoundRecord) -> None:
    """Adds ``record`` as the last line of ``path`` (created if missing); the file is replaced
    atomically, so it holds either every line before or every line after."""
    target = Path(path)
    old = target.read_bytes() if target.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    line = json.dumps(asdict(record), separators=(",", ":")).encode() + b"\n"
    write_atomically(target, lambda file: file.write(old + line))


def _check(record: RoundRecord) -> None:
    if record.format != RECORD_FORMAT:
        raise ValueError(f"format {record.format!r} is not {RECORD_FORMAT!r}")
    if len(record.players) != record.num_players:
        raise ValueError(f"{len(record.players)} players named for {record.num_players} seats")
    final = record.initial_state()
    for action in record.actions:
        final.apply_action(parse_action(action))
    if not final.is_terminal():
        raise ValueError(f"the round ends after {len(record.actions)} actions, unfinished")
    if list(final.scores()) != list(record.scores):
        raise ValueError(f"scores {record.scores} differ from the replay's {final.scores()}")


def read_records(path: str | os.PathLike[str]) -> list[RoundRecord]:
    """Every record of ``path``, each replayed and checked. Raises ValueError naming the file,
    the line and the problem; OSError when the file cannot be read."""
    records = []
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                data: Any = json.loads(line)
                if not isinstance(data, dict):
                    raise ValueError("a record must be a JSON object")
                record = RoundRecord(**data)
                _check(record)
            except (ValueError, TypeError) as error:
                raise ValueError(
                    f"{path}, line {number}: not a valid round record: {error}"
                ) from None
            records.append(record)
    return records
