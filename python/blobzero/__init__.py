"""blobzero: AlphaZero-style self-play for Blob (Oh Hell).

The rules engine, search and self-play run in the C++ extension ``blobzero._core``; this package
is its public Python API.
"""

from __future__ import annotations

from blobzero._core.game import (
    BID_ACTION_BASE,
    MAX_HAND_SIZE,
    MAX_PLAYERS,
    MIN_PLAYERS,
    NUM_ACTIONS,
    NUM_CARDS,
    Deal,
    Match,
    ObserverView,
    Phase,
    RoundRules,
    Rules,
    Schedule,
    Scoring,
    State,
    TrumpMode,
    action_to_string,
    card_to_string,
    cards_to_string,
    make_card,
    parse_action,
    parse_card,
    parse_cards,
    parse_suit,
    preset,
    preset_names,
    rank_of,
    rotation_trump,
    round_score,
    suit_char,
    suit_of,
)

__version__ = "0.1.0"

__all__ = [
    "BID_ACTION_BASE",
    "MAX_HAND_SIZE",
    "MAX_PLAYERS",
    "MIN_PLAYERS",
    "NUM_ACTIONS",
    "NUM_CARDS",
    "Deal",
    "Match",
    "ObserverView",
    "Phase",
    "RoundRules",
    "Rules",
    "Schedule",
    "Scoring",
    "State",
    "TrumpMode",
    "action_to_string",
    "card_to_string",
    "cards_to_string",
    "make_card",
    "parse_action",
    "parse_card",
    "parse_cards",
    "parse_suit",
    "preset",
    "preset_names",
    "rank_of",
    "rotation_trump",
    "round_score",
    "suit_char",
    "suit_of",
]
