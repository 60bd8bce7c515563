"""
Information sets as compact network features.
"""
from __future__ import annotations
import blobzero._core.game
import collections.abc
import numpy
import numpy.typing
import typing
__all__: list[str] = ['GLOBAL_TOKEN', 'HOLDER_SHIFT', 'IN_OTHER_HAND', 'MASK_SIZE', 'NUM_CARD_TOKENS', 'NUM_FIELDS', 'NUM_TOKENS', 'SEAT_TOKEN_BASE', 'encode', 'encode_actor_mask', 'encode_batch', 'hash_features']
def encode(state: blobzero._core.game.State, observer: typing.SupportsInt | typing.SupportsIndex, *, world: bool = False, holders: bool = False) -> tuple[numpy.typing.NDArray[numpy.uint8], numpy.typing.NDArray[numpy.uint8]]:
    """
    Encodes what `observer` may know as network features.
    
    Returns (features, mask): uint8 arrays of shape (61, 8) and (70,). Seats are relative to the
    observer: r = (seat - observer) mod P, 0 being the observer.
    
    Tokens 0..51, one per card id:
      0 rank 0..12; 1 suit 0..3; 2 is trump 0/1;
      3 location: 0 unseen, 1 in my hand, 2 played in an earlier trick, 3 in the current trick,
        4 turned up, 5 in another player's hand (world features only);
      4 relative seat that played it 0..7 (8 if not played); 5 trick it was played in 0..16
        (17 if not played); 6 relative seats that may still hold it (bit r-1 for r = 1..7);
      7 legal for me to play now 0/1.
    Tokens 52..59, one per relative seat r (all zero when r >= P):
      0 present 1; 1 bid 0..17 (18 before it bids); 2 tricks won; 3 void suits bitmask;
      4 cards in hand; 5 is dealer; 6 is to act; 7 position in the bidding order (0 bids first).
    Token 60, global:
      0 phase (0 bidding, 1 play, 2 over); 1 cards per player n; 2 players P;
      3 trump suit 0..3 (4 no trump); 4 bid the hook rule forbids me now (18 none);
      5 tricks completed; 6 led suit of the current trick (4 none);
      7 rules: 4 * scoring (exact 0, oh_hell 1, oh_hell_penalty 2) + 2 * hook rule + turn-up.
    The mask is 1 for each legal action of the observer (all zero when it is not to act).
    Only public information and the observer's own hand reach the features.
    
    With world=True, the world features of the whole deal, as PIMC trees evaluate their sampled
    worlds and their self-play records its positions: every card another seat r holds has location 5 and
    field 6 = bit r-1 alone; undealt cards have location 0 and field 6 = 0.
    
    With holders=True, the holder features (both views in one row, for a network with a world
    critic): the observation with field 7 of each card token = legal + 2 * r when another seat r
    holds it in `state`; field 7 & 1 gives back the observation, and the world features follow from
    the rest exactly.
    """
def encode_actor_mask(state: blobzero._core.game.State, observer: typing.SupportsInt | typing.SupportsIndex) -> numpy.typing.NDArray[numpy.uint8]:
    """
    uint8 [70]: the actions the player to act may take as far as `observer` knows: the legal mask when observer is to act; else the legal bids, or in the play every card the player to act may hold by observer's belief. All zero when the round is over.
    """
def encode_batch(states: collections.abc.Sequence[blobzero._core.game.State], observers: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] | None = None, *, world: bool = False, holders: bool = False) -> tuple[numpy.typing.NDArray[numpy.uint8], numpy.typing.NDArray[numpy.uint8]]:
    """
    encode() over a list of states: features [B, 61, 8] and masks [B, 70]. observers defaults to each state's player to act; world and holders as in encode().
    """
def hash_features(features: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8]) -> int:
    """
    64-bit hash of one position's features (the evaluation-cache key).
    """
GLOBAL_TOKEN: int = 60
HOLDER_SHIFT: int = 1
IN_OTHER_HAND: int = 5
MASK_SIZE: int = 70
NUM_CARD_TOKENS: int = 52
NUM_FIELDS: int = 8
NUM_TOKENS: int = 61
SEAT_TOKEN_BASE: int = 52
