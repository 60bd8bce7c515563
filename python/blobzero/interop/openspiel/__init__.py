"""OpenSpiel's ``oh_hell`` game and blobzero's ``openspiel_oh_hell`` preset: card, action, rules
and state translation both ways (``translate``), and players across the bridge (``players``).
"""

from __future__ import annotations

from blobzero.interop.openspiel import players
from blobzero.interop.openspiel.players import *  # noqa: F403
from blobzero.interop.openspiel.translate import *  # noqa: F403
from blobzero.interop.openspiel.translate import __all__ as _translate

__all__ = [*_translate, *players.__all__, "BlobzeroBot"]  # noqa: F405


def __getattr__(name: str) -> object:
    # BlobzeroBot subclasses pyspiel.Bot, so it is made (importing pyspiel) when first asked for.
    if name == "BlobzeroBot":
        return players.BlobzeroBot
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
