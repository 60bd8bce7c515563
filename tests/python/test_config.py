"""Training configuration: shipped files, defaults, validation messages, overrides, round trips,
and the self-play settings built from a config."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import torch

from blobzero.config import (
    Config,
    ConfigError,
    HardwareSettings,
    NetworkSettings,
    SelfPlaySettings,
    TrainingSettings,
    apply_overrides,
    config_from_dict,
    config_to_dict,
    config_to_toml,
    load_config,
)
from blobzero.nn.net_config import SIZES, NetConfig
from blobzero.selfplay.engine import cpu_inference_settings
from blobzero.training.runtime import resolve_device, selfplay_config, torch_threads_for

CONFIG_DIR = Path(__file__).resolve().parents[2] / "configs"
SHIPPED = sorted(CONFIG_DIR.glob("*.toml"))


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and not prefix and key in _SECTION_NAMES:
            flat.update(_flatten(value, f"{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


_SECTION_NAMES = [
    f.name for f in dataclasses.fields(Config) if dataclasses.is_dataclass(f.default_factory)
]


def _schema_keys() -> set[str]:
    return set(_flatten(config_to_dict(Config())))


# -- shipped files ----------------------------------------------------------------------------


def test_the_three_configs_ship() -> None:
    assert {path.name for path in SHIPPED} >= {"default.toml", "tiny.toml", "gpu.toml"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_shipped_config_loads_sets_every_key_and_comments_it(path: Path) -> None:
    config = load_config(path)
    assert isinstance(config, Config)
    with path.open("rb") as file:
        data = tomllib.load(file)
    assert set(_flatten(data)) == _schema_keys()
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if re.match(r"\s*\w+\s*=", line):
            assert "#" in line, f"{path.name}:{number} has no comment: {line}"


EXPECTED = {
    "default.toml": {
        "seed": 0,
        "iterations": 20,
        "run_dir": "runs/default",
        "network.size": "small",
        "network.inference_mode": "torchscript",
        "selfplay.games_per_iteration": 400,
        "selfplay.num_players": 4,
        "selfplay.hand_sizes": [5],
        "selfplay.trump_mode": "rotation",
        "selfplay.hook_rule": True,
        "selfplay.scoring": "exact",
        "selfplay.num_worlds": 3,
        "selfplay.simulations_per_world": 30,
        "selfplay.c_puct": 1.5,
        "selfplay.dirichlet_alpha": 0.3,
        "selfplay.dirichlet_fraction": 0.25,
        "selfplay.temperature_schedule": [(0, 1.0), (11, 0.5), (21, 0.1)],
        "selfplay.curriculum": [],
        "replay.capacity": 200000,
        "replay.min_size": 2000,
        "replay.augment_suits": True,
        "replay.prioritized": False,
        "training.batch_size": 256,
        "training.steps_per_iteration": 200,
        "training.learning_rate": 1e-3,
        "training.weight_decay": 1e-4,
        "training.lr_schedule": "cosine",
        "training.warmup_steps": 100,
        "training.grad_clip": 1.0,
        "training.policy_weight": 1.0,
        "training.value_weight": 1.0,
        "training.amp": "auto",
        "evaluation.arena_every": 2,
        "evaluation.arena_deals": 100,
        "evaluation.num_players": 4,
        "evaluation.hand_sizes": [5],
        "evaluation.num_worlds": 3,
        "evaluation.simulations_per_world": 30,
        "evaluation.promotion_threshold": 0.55,
        "evaluation.opponents": ["heuristic"],
        "evaluation.elo_k": 32.0,
        "hardware.device": "auto",
        "hardware.torch_threads": 0,
        "hardware.selfplay_threads": 0,
        "hardware.max_batch_size": 0,
        "checkpoint.keep_last": 3,
        "checkpoint.save_buffer": True,
        "logging.tensorboard": True,
        "logging.wandb": False,
        "logging.progress": True,
        "logging.log_every_steps": 50,
    },
    "tiny.toml": {
        "iterations": 2,
        "run_dir": "runs/tiny",
        "network.size": "tiny",
        "selfplay.games_per_iteration": 6,
        "selfplay.num_players": 3,
        "selfplay.hand_sizes": [2, 3],
        "selfplay.num_worlds": 2,
        "selfplay.simulations_per_world": 8,
        "replay.capacity": 5000,
        "replay.min_size": 16,
        "training.batch_size": 32,
        "training.steps_per_iteration": 4,
        "training.warmup_steps": 2,
        "evaluation.arena_every": 1,
        "evaluation.arena_deals": 2,
        "evaluation.num_players": 3,
        "evaluation.hand_sizes": [2],
        "evaluation.num_worlds": 2,
        "evaluation.simulations_per_world": 4,
        "evaluation.opponents": ["random"],
        "hardware.device": "cpu",
        "hardware.selfplay_threads": 1,
        "hardware.torch_threads": 1,
        "logging.progress": False,
    },
    "gpu.toml": {
        "iterations": 100,
        "network.size": "base",
        "selfplay.games_per_iteration": 20000,
        "selfplay.num_players": {"3": 1.0, "4": 2.0, "5": 1.0, "6": 1.0},
        "selfplay.hand_sizes": [],
        "selfplay.curriculum": [(0, 3, 30), (20, 4, 50), (50, 6, 100)],
        "replay.capacity": 2000000,
        "replay.min_size": 50000,
        "training.batch_size": 1024,
        "training.steps_per_iteration": 1000,
        "training.learning_rate": 5e-4,
        "training.amp": "bf16",
        "evaluation.arena_deals": 400,
        "evaluation.opponents": ["heuristic", "ismcts:1000"],
        "hardware.device": "cuda",
        "hardware.selfplay_threads": 15,
        "hardware.max_batch_size": 1024,
    },
}


def _get(config: Config, dotted: str) -> Any:
    value: Any = config
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_config_values(name: str) -> None:
    config = load_config(CONFIG_DIR / name)
    for dotted, expected in EXPECTED[name].items():
        assert _get(config, dotted) == expected, dotted


def test_the_shipped_network_sizes_are_the_presets() -> None:
    for path in SHIPPED:
        network = load_config(path).network
        assert network.net_config() == dataclasses.replace(
            SIZES[network.size], features=network.features, card_relations=False
        )


# -- defaults ---------------------------------------------------------------------------------


def test_defaults() -> None:
    config = Config()
    assert config_from_dict({}) == config
    assert (config.seed, config.run_dir) == (0, "runs/default")
    assert config.network.size == "small" and config.network.inference_mode == "torchscript"
    selfplay = config.selfplay
    assert selfplay.num_players == 4 and selfplay.hand_sizes == []
    assert (selfplay.trump_mode, selfplay.hook_rule, selfplay.scoring) == (
        "rotation",
        True,
        "exact",
    )
    assert (selfplay.num_worlds, selfplay.simulations_per_world, selfplay.c_puct) == (3, 30, 1.5)
    assert (selfplay.dirichlet_alpha, selfplay.dirichlet_fraction) == (0.3, 0.25)
    assert selfplay.temperature_schedule == [(0, 1.0), (11, 0.5), (21, 0.1)]
    assert selfplay.relative_values is False and selfplay.curriculum == []
    replay = config.replay
    assert (replay.capacity, replay.augment_suits, replay.prioritized) == (500_000, True, False)
    assert (replay.priority_alpha, replay.priority_beta) == (0.6, 0.4)
    training = config.training
    assert (training.batch_size, training.learning_rate, training.weight_decay) == (256, 1e-3, 1e-4)
    assert (training.lr_schedule, training.warmup_steps, training.lr_gamma) == ("cosine", 100, 0.5)
    assert (training.min_lr_ratio, training.grad_clip, training.amp) == (0.05, 1.0, "auto")
    assert (training.policy_weight, training.value_weight) == (1.0, 1.0)
    evaluation = config.evaluation
    assert (evaluation.arena_every, evaluation.num_players, evaluation.hand_sizes) == (1, 4, [5])
    assert (evaluation.trump_mode, evaluation.num_worlds, evaluation.simulations_per_world) == (
        "rotation",
        3,
        30,
    )
    assert evaluation.promotion_threshold == 0.55 and evaluation.opponents == ["heuristic"]
    assert evaluation.elo_k == 32.0
    assert config.hardware == HardwareSettings(
        device="auto", torch_threads=0, selfplay_threads=0, max_batch_size=0, cache_capacity=262144
    )
    assert (config.checkpoint.keep_last, config.checkpoint.save_buffer) == (3, True)
    logging = config.logging
    assert (logging.tensorboard, logging.wandb, logging.wandb_project) == (True, False, "blobzero")
    assert (logging.progress, logging.log_every_steps) == (True, 50)
    assert config.total_training_steps == config.iterations * training.steps_per_iteration


def test_defaults_are_not_shared_between_instances() -> None:
    a, b = SelfPlaySettings(), SelfPlaySettings()
    assert a.temperature_schedule == b.temperature_schedule
    assert a.temperature_schedule is not b.temperature_schedule


def test_config_is_frozen() -> None:
    config = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.seed = 3  # type: ignore[misc]


def test_ints_are_accepted_for_floats_and_converted() -> None:
    config = config_from_dict({"training": {"learning_rate": 1, "grad_clip": 0}})
    assert config.training.learning_rate == 1.0 and isinstance(config.training.learning_rate, float)
    assert isinstance(config.training.grad_clip, float)
    settings = SelfPlaySettings(temperature_schedule=[(0, 1), (5, 0)])  # type: ignore[list-item]
    assert settings.temperature_schedule == [(0, 1.0), (5, 0.0)]
    assert all(isinstance(t, float) for _, t in settings.temperature_schedule)


def test_int_keys_of_num_players_become_strings() -> None:
    settings = SelfPlaySettings(num_players={3: 1, 5: 2})  # type: ignore[dict-item]
    assert settings.num_players == {"3": 1.0, "5": 2.0}


def test_custom_network_size() -> None:
    network = NetworkSettings(size="custom", d_model=48, num_layers=3, num_heads=6, ff_multiplier=3)
    assert network.net_config() == NetConfig(d_model=48, num_layers=3, num_heads=6, ff_multiplier=3)
    # The custom keys are ignored for a preset.
    assert NetworkSettings(size="base", d_model=10, num_heads=3).net_config() == SIZES["base"]


def test_card_relations_reach_the_network_config() -> None:
    config = load_config(CONFIG_DIR / "strength.toml", ["network.card_relations=true"])
    assert config.network.net_config() == dataclasses.replace(
        SIZES["tiny"], features="observation", card_relations=True
    )
    custom = NetworkSettings(size="custom", d_model=48, num_heads=6, card_relations=True)
    assert custom.net_config().card_relations
    with pytest.raises(ConfigError, match="network.card_relations"):
        load_config(CONFIG_DIR / "default.toml", ["network.card_relations=1"])


# -- validation -------------------------------------------------------------------------------

BAD: list[tuple[dict[str, Any], str, str]] = [
    # unknown keys, with suggestions
    ({"sed": 1}, "sed", "did you mean 'seed'"),
    ({"trainig": {}}, "trainig", "did you mean 'training'"),
    ({"training": {"batch_sise": 3}}, "training.batch_sise", "did you mean 'training.batch_size'"),
    ({"training": {"num_worlds": 3}}, "training.num_worlds", "did you mean 'selfplay.num_worlds'"),
    ({"batch_size": 3}, "batch_size", "did you mean 'training.batch_size'"),
    ({"replay": {"zzz": 3}}, "replay.zzz", "capacity"),
    # wrong types
    ({"training": {"batch_size": "x"}}, "training.batch_size", "expected int, got str 'x'"),
    ({"training": {"batch_size": True}}, "training.batch_size", "expected int, got bool"),
    ({"training": {"batch_size": 2.0}}, "training.batch_size", "expected int, got float"),
    ({"training": {"learning_rate": "fast"}}, "training.learning_rate", "expected float"),
    ({"training": {"learning_rate": False}}, "training.learning_rate", "expected float"),
    ({"training": {"learning_rate": float("nan")}}, "training.learning_rate", "finite"),
    ({"seed": "1"}, "seed", "expected int"),
    ({"run_dir": 3}, "run_dir", "expected str"),
    ({"logging": {"wandb": 1}}, "logging.wandb", "expected bool, got int"),
    ({"training": 5}, "training", "expected a table"),
    ({"selfplay": {"hand_sizes": 5}}, "selfplay.hand_sizes", "expected list[int]"),
    ({"selfplay": {"hand_sizes": [3, "4"]}}, "selfplay.hand_sizes[1]", "expected int"),
    ({"selfplay": {"num_players": "4"}}, "selfplay.num_players", "int | list[int]"),
    ({"selfplay": {"num_players": {"4": "x"}}}, "selfplay.num_players.4", "expected float"),
    (
        {"selfplay": {"temperature_schedule": [[0, 1.0, 2]]}},
        "selfplay.temperature_schedule[0]",
        "2",
    ),
    ({"selfplay": {"curriculum": [[0, 3]]}}, "selfplay.curriculum[0]", "3 entries"),
    ({"evaluation": {"opponents": "heuristic"}}, "evaluation.opponents", "expected list[str]"),
    # bad choices
    ({"network": {"size": "huge"}}, "network.size", "'huge' is not one of"),
    ({"network": {"size": "smal"}}, "network.size", "did you mean 'small'"),
    ({"network": {"inference_mode": "jit"}}, "network.inference_mode", "torchscript"),
    ({"selfplay": {"trump_mode": "random"}}, "selfplay.trump_mode", "rotation"),
    ({"selfplay": {"scoring": "oh-hell"}}, "selfplay.scoring", "did you mean 'oh_hell'"),
    ({"training": {"lr_schedule": "linear"}}, "training.lr_schedule", "cosine"),
    ({"training": {"amp": "fp32"}}, "training.amp", "bf16"),
    ({"evaluation": {"trump_mode": "x"}}, "evaluation.trump_mode", "rotation"),
    ({"hardware": {"device": "gpu"}}, "hardware.device", "cuda"),
    ({"hardware": {"device": "cuda:x"}}, "hardware.device", "cuda"),
    ({"evaluation": {"opponents": ["ismcts"]}}, "evaluation.opponents[0]", "ismcts:<simulations>"),
    (
        {"evaluation": {"trump_mode": "turn_up", "hand_sizes": [13]}},
        "evaluation.hand_sizes[0]",
        "1..12 cards each with a card turned up",
    ),
    ({"evaluation": {"opponents": ["ismcts:0"]}}, "evaluation.opponents[0]", "agent spec"),
    ({"evaluation": {"opponents": ["random", "random"]}}, "evaluation.opponents", "twice"),
    # out of range
    ({"seed": -1}, "seed", "0..2**64-1"),
    ({"iterations": 0}, "iterations", "positive"),
    ({"run_dir": ""}, "run_dir", "empty"),
    (
        {"network": {"size": "custom", "d_model": 30, "num_heads": 4}},
        "network.d_model",
        "divisible",
    ),
    ({"network": {"num_layers": 0}}, "network.num_layers", "positive"),
    ({"selfplay": {"games_per_iteration": 0}}, "selfplay.games_per_iteration", "positive"),
    ({"selfplay": {"num_players": 2}}, "selfplay.num_players", "outside 3..8"),
    ({"selfplay": {"num_players": 9}}, "selfplay.num_players", "outside 3..8"),
    ({"selfplay": {"num_players": [3, 9]}}, "selfplay.num_players[1]", "outside 3..8"),
    ({"selfplay": {"num_players": []}}, "selfplay.num_players", "at least one"),
    ({"selfplay": {"num_players": {"x": 1.0}}}, "selfplay.num_players", "not a player count"),
    ({"selfplay": {"no_trump_weight": -0.5}}, "selfplay.no_trump_weight", ">= 0"),
    (
        {"selfplay": {"trump_mode": "turn_up", "no_trump_weight": 2.0}},
        "selfplay.no_trump_weight",
        'trump_mode = "rotation", not "turn_up"',
    ),
    ({"selfplay": {"num_players": {"2": 1.0}}}, "selfplay.num_players.2", "outside 3..8"),
    ({"selfplay": {"num_players": {"3": -1.0, "4": 1}}}, "selfplay.num_players.3", ">= 0"),
    ({"selfplay": {"num_players": {"3": 0.0}}}, "selfplay.num_players", "positive weight"),
    ({"selfplay": {"hand_sizes": [0]}}, "selfplay.hand_sizes[0]", "outside 1..17"),
    ({"selfplay": {"hand_sizes": [18]}}, "selfplay.hand_sizes[0]", "outside 1..17"),
    ({"selfplay": {"num_players": 8, "hand_sizes": [7, 9]}}, "selfplay.hand_sizes", "8 players"),
    ({"selfplay": {"num_worlds": 0}}, "selfplay.num_worlds", "positive"),
    ({"selfplay": {"simulations_per_world": -3}}, "selfplay.simulations_per_world", "positive"),
    ({"selfplay": {"c_puct": 0}}, "selfplay.c_puct", "positive"),
    ({"selfplay": {"dirichlet_alpha": 0.0}}, "selfplay.dirichlet_alpha", "positive"),
    ({"selfplay": {"dirichlet_fraction": 1.5}}, "selfplay.dirichlet_fraction", "[0, 1]"),
    ({"selfplay": {"temperature_schedule": []}}, "selfplay.temperature_schedule", "at least one"),
    ({"selfplay": {"temperature_schedule": [[1, 1.0]]}}, "selfplay.temperature_schedule", "move 0"),
    (
        {"selfplay": {"temperature_schedule": [[0, 1.0], [5, 0.5], [5, 0.1]]}},
        "selfplay.temperature_schedule[2]",
        "increase",
    ),
    ({"selfplay": {"temperature_schedule": [[0, -1]]}}, "selfplay.temperature_schedule[0]", ">= 0"),
    ({"selfplay": {"curriculum": [[-1, 3, 30]]}}, "selfplay.curriculum[0]", ">= 0"),
    (
        {"selfplay": {"curriculum": [[5, 3, 30], [2, 4, 50]]}},
        "selfplay.curriculum[1]",
        "sorted",
    ),
    ({"selfplay": {"curriculum": [[0, 0, 30]]}}, "selfplay.curriculum[0]", "positive"),
    ({"selfplay": {"curriculum": [[0, 3, 0]]}}, "selfplay.curriculum[0]", "positive"),
    ({"replay": {"capacity": 0}}, "replay.capacity", "positive"),
    ({"replay": {"min_size": -1}}, "replay.min_size", ">= 0"),
    ({"replay": {"capacity": 10, "min_size": 11}}, "replay.min_size", "exceeds"),
    ({"replay": {"priority_alpha": 1.5}}, "replay.priority_alpha", "[0, 1]"),
    ({"replay": {"priority_beta": -0.1}}, "replay.priority_beta", "[0, 1]"),
    ({"training": {"batch_size": 0}}, "training.batch_size", "positive"),
    ({"training": {"steps_per_iteration": 0}}, "training.steps_per_iteration", "positive"),
    ({"training": {"learning_rate": 0}}, "training.learning_rate", "positive"),
    ({"training": {"weight_decay": -1e-4}}, "training.weight_decay", ">= 0"),
    ({"training": {"warmup_steps": -1}}, "training.warmup_steps", ">= 0"),
    ({"training": {"lr_step_size": 0}}, "training.lr_step_size", "positive"),
    ({"training": {"lr_gamma": 0}}, "training.lr_gamma", "(0, 1]"),
    ({"training": {"min_lr_ratio": 2}}, "training.min_lr_ratio", "[0, 1]"),
    ({"training": {"grad_clip": -1}}, "training.grad_clip", ">= 0"),
    ({"training": {"policy_weight": -1}}, "training.policy_weight", ">= 0"),
    ({"training": {"policy_weight": 0, "value_weight": 0}}, "training.value_weight", "both 0"),
    ({"evaluation": {"arena_every": -1}}, "evaluation.arena_every", ">= 0"),
    ({"evaluation": {"arena_deals": 0}}, "evaluation.arena_deals", "positive"),
    ({"evaluation": {"num_players": 2}}, "evaluation.num_players", "outside 3..8"),
    ({"evaluation": {"hand_sizes": []}}, "evaluation.hand_sizes", "at least one"),
    ({"evaluation": {"num_players": 8, "hand_sizes": [5, 7]}}, "evaluation.hand_sizes[1]", "fit"),
    ({"evaluation": {"num_worlds": 0}}, "evaluation.num_worlds", "positive"),
    ({"evaluation": {"promotion_threshold": 0.5}}, "evaluation.promotion_threshold", "(0.5, 1)"),
    ({"evaluation": {"promotion_threshold": 1}}, "evaluation.promotion_threshold", "(0.5, 1)"),
    ({"evaluation": {"elo_k": 0}}, "evaluation.elo_k", "positive"),
    ({"hardware": {"torch_threads": -1}}, "hardware.torch_threads", ">= 0"),
    ({"hardware": {"selfplay_threads": -1}}, "hardware.selfplay_threads", ">= 0"),
    ({"hardware": {"max_batch_size": -1}}, "hardware.max_batch_size", ">= 0"),
    ({"hardware": {"cache_capacity": -1}}, "hardware.cache_capacity", ">= 0"),
    ({"checkpoint": {"keep_last": -1}}, "checkpoint.keep_last", ">= 0"),
    ({"logging": {"log_every_steps": 0}}, "logging.log_every_steps", "positive"),
    ({"logging": {"wandb_project": ""}}, "logging.wandb_project", "empty"),
    ({"selfplay": {"max_evaluations": -1}}, "selfplay.max_evaluations", ">= 0"),
    ({"selfplay": {"improved_policy_scale": -0.1}}, "selfplay.improved_policy_scale", ">= 0"),
    ({"selfplay": {"root_value_weight": 1.5}}, "selfplay.root_value_weight", "[0, 1]"),
    ({"cluster": {"backend": "slurm"}}, "cluster.backend", "ray"),
    ({"cluster": {"num_actors": 0}}, "cluster.num_actors", "positive"),
    ({"cluster": {"cpus_per_actor": 0}}, "cluster.cpus_per_actor", "positive"),
    ({"cluster": {"gpus_per_actor": -0.5}}, "cluster.gpus_per_actor", ">= 0"),
    ({"cluster": {"max_pending_shards": 0}}, "cluster.max_pending_shards", "positive"),
]


@pytest.mark.parametrize(
    ("data", "key", "detail"), BAD, ids=[f"{key}-{i}" for i, (_, key, _) in enumerate(BAD)]
)
def test_bad_config_raises_config_error_naming_the_key(
    data: dict[str, Any], key: str, detail: str
) -> None:
    with pytest.raises(ConfigError) as info:
        config_from_dict(data)
    message = str(info.value)
    assert message.startswith(f"{key}:"), message
    assert detail in message, message
    assert info.value.key == key
    assert isinstance(info.value, ValueError)


def test_constructors_validate_too() -> None:
    with pytest.raises(ConfigError, match=r"^training\.batch_size: must be positive"):
        TrainingSettings(batch_size=0)
    with pytest.raises(ConfigError, match=r"^selfplay\.num_players: 9 is outside 3\.\.8"):
        SelfPlaySettings(num_players=9)
    with pytest.raises(ConfigError, match=r"^iterations: must be positive"):
        Config(iterations=0)
    with pytest.raises(ConfigError, match=r"^training: expected TrainingSettings, got dict"):
        Config(training={"batch_size": 3})  # type: ignore[arg-type]


def test_valid_edge_values_pass() -> None:
    config = config_from_dict(
        {
            "seed": 2**64 - 1,
            "selfplay": {
                "num_players": {"3": 0.0, "8": 1},
                "hand_sizes": [6, 17],  # 17 fits no 8-player table, but 6 does
                "dirichlet_fraction": 0,
                "temperature_schedule": [[0, 0]],
                "curriculum": [[3, 1, 1]],
            },
            "replay": {"capacity": 10, "min_size": 10},
            "training": {"grad_clip": 0, "policy_weight": 0, "lr_gamma": 1},
            "evaluation": {"arena_every": 0, "num_players": 8, "hand_sizes": [6]},
            "hardware": {"device": "cuda:1"},
            "checkpoint": {"keep_last": 0},
        }
    )
    assert config.selfplay.player_weights() == {8: 1.0}


# -- files ------------------------------------------------------------------------------------


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match=re.escape(str(path))):
        load_config(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path)


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[training]\nbatch_size = = 3\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}: not a valid TOML file")):
        load_config(path)
    path.write_bytes(b"seed = 1\nrun_dir = '\xff'\n")
    with pytest.raises(ConfigError, match=re.escape(str(path))):
        load_config(str(path))


def test_bad_value_in_file_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[training]\nbatch_size = "x"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}: training.batch_size: expected int, got str 'x'"
    assert info.value.key == "training.batch_size"


def test_partial_file_takes_defaults(tmp_path: Path) -> None:
    path = tmp_path / "partial.toml"
    path.write_text("iterations = 7\n[training]\nbatch_size = 64\n")
    config = load_config(path)
    expected = dataclasses.replace(Config(), iterations=7, training=TrainingSettings(batch_size=64))
    assert config == expected


# -- overrides --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "key", "value"),
    [
        ("training.batch_size=512", "training.batch_size", 512),
        ("training.learning_rate=1e-3", "training.learning_rate", 1e-3),
        ("training.learning_rate=2", "training.learning_rate", 2.0),
        ("logging.wandb=true", "logging.wandb", True),
        ("selfplay.hand_sizes=[1, 2,3]", "selfplay.hand_sizes", [1, 2, 3]),
        ("selfplay.hand_sizes=[]", "selfplay.hand_sizes", []),
        ('run_dir="runs/x y"', "run_dir", "runs/x y"),
        ("run_dir=runs/bare", "run_dir", "runs/bare"),
        ("run_dir=2024-01-01", "run_dir", "2024-01-01"),
        ("hardware.device=cuda", "hardware.device", "cuda"),
        (" seed = 3 ", "seed", 3),
        ('selfplay.num_players={"3" = 1, "5" = 2}', "selfplay.num_players", {"3": 1.0, "5": 2.0}),
        ("selfplay.num_players=[3, 4]", "selfplay.num_players", [3, 4]),
        (
            "selfplay.curriculum=[[0, 1, 2], [4, 2, 8]]",
            "selfplay.curriculum",
            [(0, 1, 2), (4, 2, 8)],
        ),
        ("selfplay.temperature_schedule=[[0, 1]]", "selfplay.temperature_schedule", [(0, 1.0)]),
        (
            "evaluation.opponents=[\"random\", 'ismcts:50']",
            "evaluation.opponents",
            ["random", "ismcts:50"],
        ),
    ],
)
def test_override_values_are_read_as_toml(override: str, key: str, value: Any) -> None:
    config = load_config(CONFIG_DIR / "default.toml", [override])
    assert _get(config, key) == value
    assert type(_get(config, key)) is type(value)


def test_overrides_apply_in_order_and_keep_other_keys() -> None:
    base = load_config(CONFIG_DIR / "default.toml")
    config = load_config(
        CONFIG_DIR / "default.toml",
        ["training.batch_size=64", "training.batch_size=128", "selfplay.num_worlds=5"],
    )
    assert config.training.batch_size == 128 and config.selfplay.num_worlds == 5
    assert config.training.learning_rate == base.training.learning_rate
    assert config.selfplay.simulations_per_world == base.selfplay.simulations_per_world


def test_apply_overrides_updates_the_dict_in_place_and_creates_sections() -> None:
    data: dict[str, Any] = {"seed": 1}
    result = apply_overrides(data, ["training.batch_size=8", "seed=2"])
    assert result is data
    assert data == {"seed": 2, "training": {"batch_size": 8}}
    assert config_from_dict(data).training.batch_size == 8


@pytest.mark.parametrize(
    ("override", "detail"),
    [
        (
            "training.batch_sise=3",
            "training.batch_sise: unknown config key; did you mean 'training.batch_size'",
        ),
        ("trainig.batch_size=3", "trainig: unknown config key; did you mean 'training'"),
        ("sed=3", "sed: unknown config key; did you mean 'seed'"),
        ("batch_size=3", "did you mean 'training.batch_size'"),
        ("training.batch_size", "expected the form section.key=value"),
        ("=3", "expected the form section.key=value"),
        ("training..batch_size=3", "not a key of the form section.key"),
        ("selfplay.num_players.3=2", "not a key of the form section.key"),
        ("training=3", "'training' is a section"),
    ],
)
def test_bad_overrides_raise(override: str, detail: str) -> None:
    with pytest.raises(ConfigError) as info:
        apply_overrides({}, [override])
    assert detail in str(info.value)


def test_bad_override_value_names_the_key() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(CONFIG_DIR / "tiny.toml", ["training.batch_size=big"])
    message = str(info.value)
    assert "tiny.toml with overrides: training.batch_size: expected int, got str 'big'" in message


def test_overrides_must_be_a_sequence_of_strings() -> None:
    with pytest.raises(TypeError, match="not a str"):
        apply_overrides({}, "seed=1")


# -- round trips ------------------------------------------------------------------------------


def _plain_types_only(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_types_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_types_only(item) for item in value)
    return isinstance(value, (str, int, float, bool))


def _round_trip_configs() -> list[Config]:
    custom = config_from_dict(
        {
            "seed": 2**63 + 5,
            "run_dir": 'runs/odd "name"\\ünï\tcode',
            "network": {"size": "custom", "d_model": 48, "num_heads": 6},
            "selfplay": {
                "num_players": [3, 5, 5],
                "curriculum": [[0, 1, 2], [7, 3, 4]],
                "temperature_schedule": [[0, 1], [3, 0.25]],
            },
            "training": {"learning_rate": 1e-7},
        }
    )
    return [load_config(path) for path in SHIPPED] + [Config(), custom]


@pytest.mark.parametrize("config", _round_trip_configs())
def test_round_trip_through_dict_toml_and_json(config: Config) -> None:
    data = config_to_dict(config)
    assert _plain_types_only(data)
    assert config_from_dict(data) == config
    assert config_from_dict(tomllib.loads(config_to_toml(config))) == config
    assert tomllib.loads(config_to_toml(config)) == data
    assert config_from_dict(json.loads(json.dumps(data))) == config
    # The dict is a copy: changing it leaves the config alone.
    data["selfplay"]["hand_sizes"].append(99)
    assert 99 not in config.selfplay.hand_sizes


def test_to_dict_turns_tuples_into_lists() -> None:
    data = config_to_dict(load_config(CONFIG_DIR / "gpu.toml"))
    assert data["selfplay"]["curriculum"] == [[0, 3, 30], [20, 4, 50], [50, 6, 100]]
    assert data["selfplay"]["temperature_schedule"] == [[0, 1.0], [11, 0.5], [21, 0.1]]
    assert data["selfplay"]["num_players"] == {"3": 1.0, "4": 2.0, "5": 1.0, "6": 1.0}


# -- search budget and the self-play config ---------------------------------------------------


def test_search_budget_follows_the_curriculum() -> None:
    settings = SelfPlaySettings(
        num_worlds=2, simulations_per_world=10, curriculum=[(5, 3, 30), (20, 4, 50), (50, 6, 100)]
    )
    expected = {0: (2, 10), 4: (2, 10), 5: (3, 30), 19: (3, 30), 20: (4, 50), 49: (4, 50)}
    expected |= {50: (6, 100), 1000: (6, 100)}
    for iteration, budget in expected.items():
        assert settings.search_budget(iteration) == budget, iteration
    assert SelfPlaySettings().search_budget(7) == (3, 30)
    gpu = load_config(CONFIG_DIR / "gpu.toml").selfplay
    assert [gpu.search_budget(i) for i in (0, 19, 20, 50, 99)] == [
        (3, 30),
        (3, 30),
        (4, 50),
        (6, 100),
        (6, 100),
    ]
    with pytest.raises(ValueError, match="iteration"):
        settings.search_budget(-1)


def test_selfplay_config_on_cpu_uses_the_cpu_inference_settings() -> None:
    config = load_config(CONFIG_DIR / "default.toml", ["selfplay.curriculum=[[3, 4, 12]]"])
    auto = cpu_inference_settings()
    sp = selfplay_config(config.selfplay, 3, 1234, config.hardware, "cpu")
    assert sp.num_players == {4: 1.0}
    assert sp.hand_sizes == [5]
    assert str(sp.trump_mode).lower().endswith("rotation")
    assert sp.no_trump_weight == 1.0
    assert str(sp.scoring).lower().endswith("exact")
    assert sp.hook_rule is True
    assert (sp.search.num_worlds, sp.search.simulations_per_world) == (4, 12)
    assert sp.search.c_puct == pytest.approx(1.5)
    assert sp.search.dirichlet_alpha == pytest.approx(0.3)
    assert sp.search.dirichlet_fraction == pytest.approx(0.25)
    assert sp.search.relative_values is False
    assert sp.search.max_evaluations == 0
    assert sp.temperature_schedule == [(0, 1.0), (11, 0.5), (21, 0.1)]
    assert sp.seed == 1234
    assert (sp.num_threads, sp.max_batch_size) == (auto.engine_threads, auto.max_batch_size)
    assert sp.cache_capacity == config.hardware.cache_capacity
    before = selfplay_config(config.selfplay, 2, 0, config.hardware, "cpu")
    assert (before.search.num_worlds, before.search.simulations_per_world) == (3, 30)
    assert sp.search.information_set_tree is False and sp.record_opponent_views is False


@pytest.mark.parametrize(
    ("opponent_views", "features"),
    [(True, "observation"), (False, "observation"), (True, "observation+world")],
)
def test_observation_networks_search_an_information_set_tree(
    opponent_views: bool, features: str
) -> None:
    config = load_config(
        CONFIG_DIR / "default.toml",
        [
            f"network.features='{features}'",
            f"selfplay.opponent_views={str(opponent_views).lower()}",
        ],
    )
    assert config.network.net_config().features == features
    sp = selfplay_config(
        config.selfplay, 0, 1, config.hardware, "cpu", features=config.network.features
    )
    assert sp.search.information_set_tree is True
    assert sp.search.world_critic is (features == "observation+world")
    assert sp.record_opponent_views is opponent_views
    assert sp.search.rollout_weight == 0.0
    mixed = load_config(CONFIG_DIR / "default.toml", ["selfplay.rollout_weight=0.25"])
    sp = selfplay_config(mixed.selfplay, 0, 1, mixed.hardware, "cpu")
    assert sp.search.rollout_weight == 0.25
    for key in ("selfplay.rollout_weight", "evaluation.rollout_weight"):
        with pytest.raises(ConfigError, match=key):
            load_config(CONFIG_DIR / "default.toml", [f"{key}=1.5"])
    for value in ("0", "-0.5"):
        with pytest.raises(ConfigError, match="evaluation.c_puct"):
            load_config(CONFIG_DIR / "default.toml", [f"evaluation.c_puct={value}"])
    with pytest.raises(ValueError, match="features"):
        selfplay_config(config.selfplay, 0, 1, config.hardware, "cpu", features="clairvoyant")
    with pytest.raises(ConfigError, match="network.features"):
        load_config(CONFIG_DIR / "default.toml", ["network.features='clairvoyant'"])


def test_selfplay_can_cap_the_network_evaluations_of_its_searches() -> None:
    config = load_config(
        CONFIG_DIR / "strength.toml",
        [
            "selfplay.max_evaluations=90",
            "selfplay.num_worlds=10",
            "selfplay.simulations_per_world=100",
        ],
    )
    sp = selfplay_config(config.selfplay, 40, 1, config.hardware, "cpu", features="observation")
    assert sp.search.max_evaluations == 90
    assert (sp.search.num_worlds, sp.search.simulations_per_world) == (10, 100)


def test_selfplay_can_train_on_the_improved_policy() -> None:
    config = load_config(CONFIG_DIR / "strength.toml")
    sp = selfplay_config(config.selfplay, 40, 1, config.hardware, "cpu", features="observation")
    assert sp.search.improved_policy_scale == 0.0
    config = load_config(CONFIG_DIR / "strength.toml", ["selfplay.improved_policy_scale=0.1"])
    sp = selfplay_config(config.selfplay, 40, 1, config.hardware, "cpu", features="observation")
    assert sp.search.improved_policy_scale == 0.1


def test_selfplay_can_mix_root_values_into_the_value_target() -> None:
    config = load_config(CONFIG_DIR / "strength.toml")
    sp = selfplay_config(config.selfplay, 40, 1, config.hardware, "cpu", features="observation")
    assert sp.root_value_weight == 0.0
    config = load_config(CONFIG_DIR / "strength.toml", ["selfplay.root_value_weight=0.5"])
    sp = selfplay_config(config.selfplay, 40, 1, config.hardware, "cpu", features="observation")
    assert sp.root_value_weight == 0.5


def test_selfplay_config_on_cuda_and_explicit_hardware() -> None:
    config = load_config(CONFIG_DIR / "gpu.toml", ["selfplay.relative_values=true"])
    sp = selfplay_config(config.selfplay, 60, 7, config.hardware, "cuda")
    assert sp.num_players == {3: 1.0, 4: 2.0, 5: 1.0, 6: 1.0}
    assert sp.hand_sizes == []
    assert (sp.search.num_worlds, sp.search.simulations_per_world) == (6, 100)
    assert sp.search.relative_values is True
    assert (sp.num_threads, sp.max_batch_size) == (15, 1024)
    auto = HardwareSettings(cache_capacity=0)
    sp = selfplay_config(config.selfplay, 0, 7, auto, "cuda:0")
    assert sp.num_threads == max(1, (os.cpu_count() or 1) - 1)
    assert sp.max_batch_size == 1024 and sp.cache_capacity == 0
    sp = selfplay_config(config.selfplay, 0, 7, HardwareSettings(max_batch_size=64), "cpu")
    assert (sp.num_threads, sp.max_batch_size) == (cpu_inference_settings().engine_threads, 64)
    with pytest.raises(ValueError, match="device"):
        selfplay_config(config.selfplay, 0, 7, auto, "tpu")
    with pytest.raises(ValueError, match="seed"):
        selfplay_config(config.selfplay, 0, -1, auto, "cpu")


def test_resolve_device_and_torch_threads() -> None:
    assert resolve_device(HardwareSettings(device="cpu")) == "cpu"
    cuda = torch.cuda.is_available()
    assert resolve_device(HardwareSettings()) == ("cuda" if cuda else "cpu")
    if not cuda:
        with pytest.raises(ConfigError, match=r"^hardware\.device: 'cuda'"):
            resolve_device(HardwareSettings(device="cuda"))
    assert torch_threads_for(HardwareSettings(), "cpu") == cpu_inference_settings().torch_threads
    assert torch_threads_for(HardwareSettings(), "cuda") == 1
    assert torch_threads_for(HardwareSettings(torch_threads=3), "cpu") == 3
    assert torch_threads_for(HardwareSettings(torch_threads=3), "cuda:0") == 3


def test_deeply_nested_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("seed = " + "[" * 20000 + "]" * 20000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(path)
