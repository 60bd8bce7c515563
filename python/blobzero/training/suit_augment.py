"""Suit relabelling of encoded positions: the replay buffer's data augmentation.

The rules treat the four suits alike apart from the trump suit, so relabelling the suits of a
position by a permutation that fixes the trump suit (any permutation under no trump) gives
another legal position with the same values. ``permute_suits`` moves every suit-dependent part
of the encoding (``blobzero.encode``): the card tokens (card id = 13 * suit + rank, so the token
of card c moves to the card with the same rank in the relabelled suit, its suit field changes,
and its other fields - location, turned-up, who played it, in which trick, who may still hold
it, legality - travel with it), the void-suit bitmasks of the seat tokens, the trump and led
suits of the global token, and the mask and policy entries of the card actions 0..51. Bid
actions 52..69 and every other field (rank, is trump, bids, tricks, hand sizes, phase,
hook-forbidden bid, rules) do not depend on the suit labels and stay.
"""

from __future__ import annotations

import numpy as np

from blobzero._core.encode import GLOBAL_TOKEN, NUM_CARD_TOKENS, NUM_FIELDS, NUM_TOKENS
from blobzero._core.game import MAX_PLAYERS, NUM_ACTIONS

__all__ = [
    "GLOBAL_LED_FIELD",
    "GLOBAL_TRUMP_FIELD",
    "NO_SUIT",
    "permute_suits",
    "random_suit_permutations",
]

NUM_SUITS = 4
NUM_RANKS = 13
NO_SUIT = 4  # the trump (field 3) and led suit (field 6) code for "none" in the global token
SEAT_TOKENS = slice(NUM_CARD_TOKENS, NUM_CARD_TOKENS + MAX_PLAYERS)
CARD_SUIT_FIELD = 1
SEAT_VOIDS_FIELD = 3
GLOBAL_TRUMP_FIELD = 3
GLOBAL_LED_FIELD = 6


def random_suit_permutations(trump_suits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One uniformly random suit relabelling per position that keeps its trump suit fixed.

    ``trump_suits``: int array [B] with values 0..3 (the trump suit) or 4 (no trump), e.g.
    ``features[:, GLOBAL_TOKEN, 3]``. Returns int64 [B, 4]: row b maps old suit s to new suit
    ``perms[b, s]``; ``perms[b, t] == t`` for the trump suit t, and the other suits (all four
    under no trump) are permuted uniformly at random.
    """
    trumps = np.asarray(trump_suits)
    if trumps.ndim != 1 or not np.issubdtype(trumps.dtype, np.integer):
        raise ValueError(
            f"trump_suits must be a 1-d integer array, got {trumps.dtype} {trumps.shape}"
        )
    if trumps.size and (trumps.min() < 0 or trumps.max() > NO_SUIT):
        raise ValueError("trump_suits must hold suits 0..3 or 4 (no trump)")
    rows = np.arange(trumps.shape[0])
    has_trump = trumps < NO_SUIT
    # Both orders put the trump suit (key -1) first; the free suits follow in increasing order in
    # `fixed` and in a uniformly random order in `shuffled`. Mapping one onto the other permutes
    # exactly the free suits.
    keys = rng.random((trumps.shape[0], NUM_SUITS))
    base = np.broadcast_to(np.arange(NUM_SUITS, dtype=np.float64), keys.shape).copy()
    keys[rows[has_trump], trumps[has_trump]] = -1.0
    base[rows[has_trump], trumps[has_trump]] = -1.0
    shuffled = np.argsort(keys, axis=1)
    fixed = np.argsort(base, axis=1)
    perms = np.empty((trumps.shape[0], NUM_SUITS), dtype=np.int64)
    perms[rows[:, None], fixed] = shuffled
    return perms


def _check_perms(perms: np.ndarray, batch: int) -> np.ndarray:
    perms = np.asarray(perms)
    if perms.shape != (batch, NUM_SUITS) or not np.issubdtype(perms.dtype, np.integer):
        raise ValueError(
            f"perms must be an integer array of shape ({batch}, {NUM_SUITS}), "
            f"got {perms.dtype} {perms.shape}"
        )
    if not np.array_equal(
        np.sort(perms, axis=1), np.broadcast_to(np.arange(NUM_SUITS), perms.shape)
    ):
        raise ValueError("perms: every row must be a permutation of the suits 0..3")
    return perms.astype(np.int64, copy=False)


def permute_suits(
    features: np.ndarray, masks: np.ndarray, policy: np.ndarray, perms: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Relabels the suits of encoded positions: old suit s of position b becomes ``perms[b, s]``.

    ``features`` uint8 [B, 61, 8] (``blobzero.encode`` layout), ``masks`` [B, 70], ``policy``
    [B, 70] (any dtype; kept), ``perms`` integer [B, 4], each row a permutation of 0..3. Returns
    new arrays (the inputs are not modified) equal to the encoding of the relabelled positions:
    the token of card c = 13 * s + r moves to card 13 * perms[b, s] + r with its suit field set
    to the new suit; seat void bitmasks, the global trump and led suits (4 = none stays) are
    relabelled; mask and policy entries 0..51 move with their cards, bids 52..69 stay. Any
    permutation gives a valid encoding (if it moves the trump suit, the trump field follows it);
    ``random_suit_permutations`` draws the ones that keep the trump suit.
    """
    features = np.asarray(features)
    masks = np.asarray(masks)
    policy = np.asarray(policy)
    if features.ndim != 3 or features.shape[1:] != (NUM_TOKENS, NUM_FIELDS):
        raise ValueError(
            f"features must have shape (B, {NUM_TOKENS}, {NUM_FIELDS}), got {features.shape}"
        )
    if features.dtype != np.uint8:
        raise ValueError(f"features must be uint8, got {features.dtype}")
    batch = features.shape[0]
    for name, array in (("masks", masks), ("policy", policy)):
        if array.shape != (batch, NUM_ACTIONS):
            raise ValueError(f"{name} must have shape ({batch}, {NUM_ACTIONS}), got {array.shape}")
    perms = _check_perms(perms, batch)

    inverse = np.argsort(perms, axis=1)  # new suit -> old suit
    card = np.arange(NUM_CARD_TOKENS)
    # source[b, d]: the old card whose token lands on card d.
    source = inverse[:, card // NUM_RANKS] * NUM_RANKS + card % NUM_RANKS
    rows = np.arange(batch)[:, None]

    out = features.copy()
    cards = features[rows, source]  # [B, 52, 8]
    cards[:, :, CARD_SUIT_FIELD] = np.take_along_axis(
        perms, cards[:, :, CARD_SUIT_FIELD].astype(np.int64) % NUM_SUITS, axis=1
    )
    out[:, :NUM_CARD_TOKENS] = cards

    voids = features[:, SEAT_TOKENS, SEAT_VOIDS_FIELD].astype(np.int64)
    relabelled = np.zeros_like(voids)
    for suit in range(NUM_SUITS):  # one vectorised step per suit
        relabelled |= ((voids >> suit) & 1) << perms[:, suit : suit + 1]
    out[:, SEAT_TOKENS, SEAT_VOIDS_FIELD] = relabelled.astype(np.uint8)

    for field in (GLOBAL_TRUMP_FIELD, GLOBAL_LED_FIELD):
        suits = features[:, GLOBAL_TOKEN, field].astype(np.int64)
        has_suit = suits < NUM_SUITS
        mapped = np.take_along_axis(perms, np.where(has_suit, suits, 0)[:, None], axis=1)[:, 0]
        out[:, GLOBAL_TOKEN, field] = np.where(has_suit, mapped, suits).astype(np.uint8)

    new_masks = masks.copy()
    new_masks[:, :NUM_CARD_TOKENS] = masks[rows, source]
    new_policy = policy.copy()
    new_policy[:, :NUM_CARD_TOKENS] = policy[rows, source]
    return out, new_masks, new_policy
