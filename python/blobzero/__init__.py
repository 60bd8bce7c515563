"""blobzero: AlphaZero-style self-play for Blob (Oh Hell).

The rules engine, beliefs, determinization, the encoder, search and bots run in the C++
extension ``blobzero._core``; this package is its public Python API. The Python layers (``nn``,
``selfplay``, ``training``, ``evaluation``, ``config``) re-export their main names here, loaded
on first use so that ``import blobzero`` does not import torch.
"""

from __future__ import annotations

from blobzero._core.belief import Belief
from blobzero._core.determinize import Determinizer
from blobzero._core.encode import (
    GLOBAL_TOKEN,
    MASK_SIZE,
    NUM_CARD_TOKENS,
    NUM_FIELDS,
    NUM_TOKENS,
    SEAT_TOKEN_BASE,
    encode,
    encode_batch,
    hash_features,
)
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
from blobzero._core.search import (
    Bot,
    ConstantEvaluator,
    Evaluator,
    HeuristicBot,
    IsmctsBot,
    IsmctsConfig,
    IsmctsResult,
    IsmctsSearch,
    PimcBot,
    PimcSearch,
    PuctConfig,
    PythonEvaluator,
    RandomBot,
    RolloutEvaluator,
    SearchResult,
    uct_c_from_raw_scores,
)
from blobzero.evaluation.players import Player, play_round

__version__ = "0.1.0"

# Name -> module of the Python layers' public names, imported on first access.
_LAZY = {
    "BlobNet": "blobzero.nn.network",
    "NetConfig": "blobzero.nn.net_config",
    "InferenceModel": "blobzero.nn.inference",
    "load_network": "blobzero.nn.checkpoint",
    "load_play_settings": "blobzero.nn.checkpoint",
    "load_pretrained": "blobzero.nn.pretrained",
    "pretrained_path": "blobzero.nn.pretrained",
    "SelfPlayConfig": "blobzero.selfplay.engine",
    "SelfPlayEngine": "blobzero.selfplay.engine",
    "SelfPlayRecords": "blobzero.selfplay.engine",
    "ReplayBuffer": "blobzero.training.replay",
    "NetworkTrainer": "blobzero.training.trainer",
    "TrainingPipeline": "blobzero.training.pipeline",
    "Config": "blobzero.config",
    "load_config": "blobzero.config",
    "make_agent": "blobzero.evaluation.arena",
    "network_agent": "blobzero.evaluation.arena",
    "named_network_agent": "blobzero.evaluation.arena",
    "play_match": "blobzero.evaluation.arena",
    "MatchResult": "blobzero.evaluation.arena",
    "EloTracker": "blobzero.evaluation.elo",
    "load_named_network": "blobzero.nn.specs",
    "table_position": "blobzero.play.position",
    "advise": "blobzero.play.advice",
    "Advice": "blobzero.play.advice",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'blobzero' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    *_LAZY,
    "uct_c_from_raw_scores",
    "play_round",
    "RandomBot",
    "Player",
    "PimcBot",
    "IsmctsSearch",
    "IsmctsResult",
    "IsmctsConfig",
    "IsmctsBot",
    "HeuristicBot",
    "Bot",
    "BID_ACTION_BASE",
    "GLOBAL_TOKEN",
    "MASK_SIZE",
    "MAX_HAND_SIZE",
    "MAX_PLAYERS",
    "MIN_PLAYERS",
    "NUM_ACTIONS",
    "NUM_CARDS",
    "NUM_CARD_TOKENS",
    "NUM_FIELDS",
    "NUM_TOKENS",
    "SEAT_TOKEN_BASE",
    "Belief",
    "ConstantEvaluator",
    "Deal",
    "Determinizer",
    "Evaluator",
    "Match",
    "ObserverView",
    "Phase",
    "PimcSearch",
    "PuctConfig",
    "PythonEvaluator",
    "RolloutEvaluator",
    "RoundRules",
    "Rules",
    "Schedule",
    "Scoring",
    "SearchResult",
    "State",
    "TrumpMode",
    "action_to_string",
    "card_to_string",
    "cards_to_string",
    "encode",
    "encode_batch",
    "hash_features",
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
