"""
blobzero's C++ engine. Use the public API in the blobzero package.
"""
from __future__ import annotations
from . import game
from . import belief
from . import determinize
from . import encode
from . import search
from . import selfplay
__all__: list[str] = ['belief', 'determinize', 'encode', 'game', 'search', 'selfplay']
