"""
Exactly uniform sampling of hidden hands.
"""
from __future__ import annotations
import blobzero._core.belief
import numpy
import numpy.typing
import typing
__all__: list[str] = ['Determinizer']
class Determinizer:
    """
    Draws hidden hands exactly uniformly among the deals consistent with a Belief (hand sizes, voids, unseen cards). Reads nothing but the belief. Raises ValueError when no deal is consistent.
    """
    def __init__(self, belief: blobzero._core.belief.Belief) -> None:
        ...
    def sample(self, seed: typing.SupportsInt | typing.SupportsIndex) -> list[list[int]]:
        """
        Current hands of every seat (card id lists): the observer's own and a uniform draw.
        """
    def sample_many(self, count: typing.SupportsInt | typing.SupportsIndex, seed: typing.SupportsInt | typing.SupportsIndex) -> numpy.typing.NDArray[numpy.uint64]:
        """
        numpy uint64 [count, P]: each row the hands of one draw as 64-bit card masks.
        """
    @property
    def num_consistent_deals(self) -> float:
        """
        Number of consistent assignments of unseen cards to opponents.
        """
