"""Bridges between blobzero and other game engines.

Submodules:

- :mod:`blobzero.interop.openspiel`: OpenSpiel's ``oh_hell`` game and blobzero's
  ``openspiel_oh_hell`` preset: card, action, rules and state translation both ways.

Importing this package never imports an optional dependency; each bridge imports its engine only
when one of its functions needs it, and says how to install it when it is missing.
"""

from __future__ import annotations

from blobzero.interop import openspiel

__all__ = ["openspiel"]
