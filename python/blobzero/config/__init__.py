"""Training configuration: TOML files read into frozen, validated dataclasses.

    from blobzero.config import load_config

    config = load_config("configs/default.toml", ["training.batch_size=512", "seed=3"])
    config.training.batch_size                       # 512
    config.selfplay.search_budget(iteration=7)       # (num_worlds, simulations_per_world)

A file has a few top-level keys (``seed``, ``iterations``, ``run_dir``) and one table per
section: ``[network]``, ``[selfplay]``, ``[replay]``, ``[training]``, ``[evaluation]``,
``[hardware]``, ``[cluster]``, ``[checkpoint]``, ``[logging]``. Every key is optional: a missing
key takes the dataclass default below. ``configs/default.toml`` lists and explains every key.

Validation. Every dataclass checks its fields in ``__post_init__``, so a ``Config`` is valid
however it was built. Anything wrong raises ``ConfigError`` (a ``ValueError``) whose message
starts with the dotted key, e.g. ``training.batch_size: expected int, got str 'x'``:
unknown keys (with a "did you mean" suggestion), wrong types (an int is accepted where a float
is expected and converted; a bool is never an int), unknown choices, out-of-range values.

Overrides. ``"section.key=value"`` (or ``"key=value"`` for a top-level key) replaces one value;
the value is read as a TOML value (``256``, ``1e-3``, ``true``, ``[1, 2]``, ``"x"``,
``{"3" = 1, "4" = 2}``), and anything that is not valid TOML is taken as a bare string
(``hardware.device=cuda``).

``config_to_dict`` gives plain TOML/JSON types (lists, not tuples; string keys) that
``config_from_dict`` reads back to an equal ``Config``; ``config_to_toml`` writes them as TOML.
"""

from __future__ import annotations

from blobzero.config.files import load_config, resolve_config_path, shipped_configs
from blobzero.config.schema import ConfigError
from blobzero.config.sections import (
    CheckpointSettings,
    ClusterSettings,
    Config,
    EvaluationSettings,
    HardwareSettings,
    LoggingSettings,
    NetworkSettings,
    ReplaySettings,
    SelfPlaySettings,
    TrainingSettings,
    apply_overrides,
    config_from_dict,
    config_to_dict,
    config_to_toml,
)

__all__ = [
    "CheckpointSettings",
    "ClusterSettings",
    "Config",
    "ConfigError",
    "EvaluationSettings",
    "HardwareSettings",
    "LoggingSettings",
    "NetworkSettings",
    "ReplaySettings",
    "SelfPlaySettings",
    "TrainingSettings",
    "apply_overrides",
    "config_from_dict",
    "config_to_dict",
    "config_to_toml",
    "load_config",
    "resolve_config_path",
    "shipped_configs",
]
