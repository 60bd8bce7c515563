"""Elo ratings of players (network generations, bots) from match scores.

    tracker = EloTracker(k=32.0)
    tracker.add_player("gen-0", iteration=0)
    tracker.add_player("gen-1", tracker.rating("gen-0"), iteration=1)
    tracker.update("gen-1", "gen-0", score_a=0.58, games=200, iteration=1)
    if should_promote(0.58, threshold=0.55): ...
    tracker.save(run_dir / "elo.json")

A score is the fraction of points a player took in a match: 1 per win, 1/2 per tie. Ratings use
the usual logistic scale: a player rated 400 points above another is expected to score 10/11.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from blobzero.atomic_file import write_atomically

__all__ = [
    "ELO_FORMAT",
    "EloTracker",
    "elo_difference",
    "expected_score",
    "should_promote",
]

ELO_FORMAT = "blobzero.elo.v1"

HistoryEntry = tuple[int, str, float]


def _finite(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


def _score(name: str, value: object) -> float:
    score = _finite(name, value)
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {score}")
    return score


def _check_iteration(iteration: int | None) -> None:
    if iteration is not None and (
        isinstance(iteration, bool) or not isinstance(iteration, int) or iteration < 0
    ):
        raise ValueError(f"iteration must be an int >= 0, got {iteration!r}")


def expected_score(rating_a: float, rating_b: float) -> float:
    """The score a player rated ``rating_a`` is expected to take from one rated ``rating_b``:
    ``1 / (1 + 10 ** ((rating_b - rating_a) / 400))``; 0.5 when equal."""
    ra = _finite("rating_a", rating_a)
    rb = _finite("rating_b", rating_b)
    return 1.0 / (1.0 + math.pow(10.0, (rb - ra) / 400.0))


def elo_difference(score: float, games: int | None = None) -> float:
    """The rating difference (A minus B) at which A's expected score is ``score``, the inverse
    of ``expected_score``: ``-400 * log10(1 / score - 1)``.

    With ``games`` (the number of results the score averages), the score is first clipped to
    ``[1 / (2 games), 1 - 1 / (2 games)]`` so that a clean sweep gives a finite difference;
    without it a score of 0 or 1 gives -inf or +inf. Raises ValueError for a score outside
    [0, 1] or games < 1."""
    value = _score("score", score)
    if games is not None:
        if isinstance(games, bool) or not isinstance(games, int) or games < 1:
            raise ValueError(f"games must be a positive int, got {games!r}")
        margin = 1.0 / (2.0 * games)
        value = min(max(value, margin), 1.0 - margin)
    if value <= 0.0:
        return -math.inf
    if value >= 1.0:
        return math.inf
    return 0.0 - 400.0 * math.log10(1.0 / value - 1.0)  # 0.0 - ...: no -0.0


def should_promote(score: float, threshold: float = 0.55) -> bool:
    """True when a candidate's score against the best player reaches ``threshold``
    (``score >= threshold``). Raises ValueError for values outside [0, 1]."""
    return _score("score", score) >= _score("threshold", threshold)


class EloTracker:
    """Ratings of named players and a history of ratings by iteration.

    ``history`` is a list of ``(iteration, name, rating)`` snapshots in the order they were
    made. ``add_player`` and ``update`` append to it when given ``iteration=`` (one entry per
    player they rate); a caller may also append snapshots itself. The tracker round-trips through
    ``to_dict``/``from_dict`` (plain JSON types, for checkpoints) and ``save``/``load`` (a JSON
    file written atomically).
    """

    def __init__(self, k: float = 32.0, initial: float = 1000.0) -> None:
        self.k = _finite("k", k)
        if self.k <= 0:
            raise ValueError(f"k must be positive, got {self.k}")
        self.initial = _finite("initial", initial)
        self._ratings: dict[str, float] = {}
        self.history: list[HistoryEntry] = []
        """``(iteration, name, rating)`` snapshots, oldest first; callers may append their own."""

    @property
    def ratings(self) -> dict[str, float]:
        """A copy of the current rating of every player, in the order they were added."""
        return dict(self._ratings)

    @property
    def players(self) -> list[str]:
        return list(self._ratings)

    def __contains__(self, name: object) -> bool:
        return name in self._ratings

    def __len__(self) -> int:
        return len(self._ratings)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EloTracker):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        ratings = ", ".join(f"{name}={rating:.1f}" for name, rating in self._ratings.items())
        return f"EloTracker(k={self.k}, initial={self.initial}, {ratings})"

    def rating(self, name: str) -> float:
        """The current rating of ``name``; ValueError if unknown."""
        self._check_known(name)
        return self._ratings[name]

    def _check_known(self, name: str) -> None:
        if name not in self._ratings:
            raise ValueError(f"unknown player {name!r} (add it with add_player first)")

    def add_player(
        self, name: str, rating: float | None = None, *, iteration: int | None = None
    ) -> float:
        """Adds ``name`` with ``rating`` (default: ``initial``), recorded in the history at
        ``iteration`` when given. Returns the rating. Raises ValueError if the player exists or
        the name is empty."""
        if not isinstance(name, str) or not name:
            raise ValueError(f"player name must be a non-empty str, got {name!r}")
        if name in self._ratings:
            raise ValueError(f"player {name!r} is already rated")
        value = self.initial if rating is None else _finite("rating", rating)
        _check_iteration(iteration)
        self._ratings[name] = value
        if iteration is not None:
            self.history.append((iteration, name, value))
        return value

    def update(
        self,
        a: str,
        b: str,
        score_a: float,
        games: int = 1,
        *,
        iteration: int | None = None,
    ) -> tuple[float, float]:
        """Updates the ratings of ``a`` and ``b`` after a match in which ``a`` scored ``score_a``
        (in [0, 1]) over ``games`` independent results (for a duplicate arena: its deals).

        The match counts as ``games`` consecutive games, each scoring ``score_a``, each moving
        the ratings by ``k * (score_a - expected_score)`` in opposite directions. One game is the
        plain Elo step; over many games the step shrinks as the difference nears the match's
        measured difference ``elo_difference(score_a)``, so a long match moves the ratings most
        of the way to what it measured and never past it (a short one moves them less). The
        update is zero-sum and symmetric: ``update(b, a, 1 - score_a, games)`` gives the same
        ratings. With ``iteration``, both new ratings are recorded in the history. Returns the
        new ratings ``(a, b)``.
        """
        self._check_known(a)
        self._check_known(b)
        if a == b:
            raise ValueError(f"a player cannot play itself ({a!r})")
        score = _score("score_a", score_a)
        if isinstance(games, bool) or not isinstance(games, int) or games < 1:
            raise ValueError(f"games must be a positive int, got {games!r}")
        _check_iteration(iteration)
        ra, rb = self._ratings[a], self._ratings[b]
        for _ in range(games):
            delta = self.k * (score - expected_score(ra, rb))
            ra += delta
            rb -= delta
        self._ratings[a], self._ratings[b] = ra, rb
        if iteration is not None:
            self.history.append((iteration, a, ra))
            self.history.append((iteration, b, rb))
        return ra, rb

    def to_dict(self) -> dict[str, Any]:
        """The tracker as plain JSON types: format, k, initial, ratings, history."""
        return {
            "format": ELO_FORMAT,
            "k": self.k,
            "initial": self.initial,
            "ratings": dict(self._ratings),
            "history": [[step, name, rating] for step, name, rating in self.history],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EloTracker:
        """Rebuilds a tracker from ``to_dict``'s output. Raises ValueError (TypeError for a
        non-mapping) naming the first bad key."""
        if not isinstance(data, Mapping):
            raise TypeError(f"Elo data must be a mapping, got {type(data).__name__}")
        if data.get("format") != ELO_FORMAT:
            raise ValueError(f"format: expected {ELO_FORMAT!r}, got {data.get('format')!r}")
        unknown = sorted(set(data) - {"format", "k", "initial", "ratings", "history"})
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r}")
        for key in ("k", "initial", "ratings", "history"):
            if key not in data:
                raise ValueError(f"{key}: missing")
        try:
            tracker = cls(k=data["k"], initial=data["initial"])
        except (TypeError, ValueError) as error:
            raise ValueError(str(error)) from error
        ratings = data["ratings"]
        if not isinstance(ratings, Mapping):
            raise ValueError(f"ratings: expected an object, got {type(ratings).__name__}")
        for name, rating in ratings.items():
            if not isinstance(name, str) or not name:
                raise ValueError(f"ratings: player name must be a non-empty str, got {name!r}")
            try:
                tracker._ratings[name] = _finite(f"ratings[{name!r}]", rating)
            except TypeError as error:
                raise ValueError(str(error)) from error
        history = data["history"]
        if not isinstance(history, list):
            raise ValueError(f"history: expected a list, got {type(history).__name__}")
        for i, entry in enumerate(history):
            if (
                not isinstance(entry, list | tuple)
                or len(entry) != 3
                or isinstance(entry[0], bool)
                or not isinstance(entry[0], int)
                or entry[0] < 0
                or not isinstance(entry[1], str)
                or isinstance(entry[2], bool)
                or not isinstance(entry[2], int | float)
                or not math.isfinite(entry[2])
            ):
                raise ValueError(
                    f"history[{i}]: expected [iteration >= 0, name, finite rating], got {entry!r}"
                )
            tracker.history.append((entry[0], entry[1], float(entry[2])))
        return tracker

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the tracker to ``path`` as JSON, atomically (a temporary file in the same
        folder, flushed and synced, then renamed over ``path``: ``blobzero.atomic_file``)."""
        text = json.dumps(self.to_dict(), indent=1, allow_nan=False)
        write_atomically(path, lambda file: file.write(text.encode("utf-8")))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> EloTracker:
        """Reads a tracker written by ``save``. Raises ValueError naming ``path`` when the file
        is missing, unreadable, not JSON or not a valid tracker."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError as error:
            raise ValueError(f"{os.fspath(path)}: no such Elo file") from error
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"{os.fspath(path)}: cannot read Elo file: {error}") from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{os.fspath(path)}: not valid JSON: {error}") from error
        try:
            return cls.from_dict(data)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{os.fspath(path)}: {error}") from error
