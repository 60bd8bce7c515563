"""
What an observer may infer about hidden cards.
"""
from __future__ import annotations
import blobzero._core.game
import collections.abc
import typing
__all__: list[str] = ['Belief']
class Belief:
    """
    What an observer may infer about the cards it cannot see: its own hand, the unseen cards, every seat's hand size and revealed voids.
    """
    __hash__: typing.ClassVar[None] = None  # type: ignore[assignment]
    @staticmethod
    def from_state(state: blobzero._core.game.State, observer: typing.SupportsInt | typing.SupportsIndex) -> Belief:
        """
        From a state, reading only public information and the observer's hand.
        """
    @staticmethod
    def from_view(view: blobzero._core.game.ObserverView) -> Belief:
        ...
    def __eq__(self, arg0: object) -> bool:
        ...
    def __init__(self, observer: typing.SupportsInt | typing.SupportsIndex, num_players: typing.SupportsInt | typing.SupportsIndex, own_hand: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], unseen: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], hand_sizes: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], voids: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]) -> None:
        """
        A belief from explicit fields (validated): for hand-built positions and tests.
        """
    def __repr__(self) -> str:
        ...
    def possible_holders(self, card: typing.SupportsInt | typing.SupportsIndex) -> list[int]:
        """
        Opponents that may still hold `card`.
        """
    def update(self, before: blobzero._core.game.State, action: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Updates the belief for `action` applied to the state `before`.
        """
    @property
    def hand_sizes(self) -> list[int]:
        ...
    @property
    def hidden_card_count(self) -> int:
        """
        Unseen cards held by opponents (the rest are not dealt).
        """
    @property
    def num_players(self) -> int:
        ...
    @property
    def observer(self) -> int:
        ...
    @property
    def own_hand(self) -> list[int]:
        ...
    @property
    def unseen(self) -> list[int]:
        ...
    @property
    def voids(self) -> list[int]:
        """
        Per seat, a bitmask of suits the seat has shown it lacks.
        """
