"""The engine's rule options as configs and commands spell them, from the bound enums."""

from __future__ import annotations

from blobzero._core.game import Scoring, TrumpMode

__all__ = ["SCORINGS", "TRUMP_MODES"]

TRUMP_MODES = tuple(name.lower() for name in TrumpMode.__members__)  # rotation, turn_up, none
SCORINGS = tuple(name.lower() for name in Scoring.__members__)  # exact, oh_hell, ...
