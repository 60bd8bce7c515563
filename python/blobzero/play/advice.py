"""What a trained network would do in a position, and why: ``advise`` runs the network's search
for the seat to act and reports, for each legal action, its share of the root visits, the seat's
mean search value after it and the round score that value stands for."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from blobzero._core.game import State, action_to_string
from blobzero._core.search import PimcBot

__all__ = ["ActionAdvice", "Advice", "advise"]


@dataclass(frozen=True)
class ActionAdvice:
    """One legal action of the advised decision."""

    action: str  # "bid 2" or a card ("QS")
    action_id: int
    visit_share: float  # share of the search's root visits, 0..1
    # The seat's mean search value after it on the -1..1 value scale (None: never searched).
    value: float | None
    # The round score that value stands for (None: unsearched, or the search's values are relative).
    expected_score: float | None


@dataclass(frozen=True)
class Advice:
    """The search's recommendation for ``seat`` and every legal action, most visited first."""

    seat: int
    recommended: str
    actions: list[ActionAdvice]
    simulations: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def format(self) -> str:
        """A table of the actions for a terminal."""
        lines = [f"seat {self.seat}: {self.recommended}  ({self.simulations} simulations)"]
        lines.append(f"  {'action':<8} {'visits':>7} {'value':>7} {'expected score':>15}")
        for row in self.actions:
            value = "-" if row.value is None else f"{row.value:+.3f}"
            score = "-" if row.expected_score is None else f"{row.expected_score:.2f}"
            lines.append(f"  {row.action:<8} {row.visit_share:>6.1%} {value:>7} {score:>15}")
        return "\n".join(lines)


def _expected_score(value: float, state: State) -> float:
    """The round score whose value (State::Values, raw) is ``value``."""
    rules = state.rules
    low, high = rules.min_score, rules.max_score
    return low + (value + 1) * (high - low) / 2


def advise(state: State, bot: PimcBot) -> Advice:
    """``bot``'s search of the decision of ``state``'s player to act (reading only that seat's
    information), as an ``Advice``. ``bot`` is a network player
    (``blobzero.evaluation.arena.network_agent``) or any ``PimcBot``. Raises ValueError for a
    finished round."""
    if state.is_terminal():
        raise ValueError("the round is over: there is nothing to advise")
    seat = state.current_player
    assert seat is not None
    chosen = bot.act(state, seat)
    result = bot.last_result
    raw = not bot.config.relative_values
    legal = state.legal_actions()
    rows = []
    for action in legal:
        value = float(result.action_values[action]) if result.visits[action] > 0 else None
        rows.append(
            ActionAdvice(
                action=action_to_string(action),
                action_id=action,
                visit_share=float(result.policy[action]),
                value=value,
                expected_score=_expected_score(value, state) if raw and value is not None else None,
            )
        )
    rows.sort(key=lambda row: (-row.visit_share, row.action_id))
    return Advice(
        seat=seat,
        recommended=action_to_string(chosen),
        actions=rows,
        simulations=int(result.visits.sum()),
    )
