"""The config's sections as frozen dataclasses, each validated on construction, the ``Config`` of
all of them, and their conversions to and from plain dicts, TOML and overrides."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from blobzero._core.game import MAX_PLAYERS
from blobzero._core.search import PuctConfig
from blobzero._core.selfplay import SelfPlayConfig
from blobzero.config.schema import (
    MAX_SEED,
    ConfigError,
    _is_int,
    _parse_value,
    _Section,
    _show,
    _suggest,
    _toml_value,
)
from blobzero.game_names import SCORINGS, TRUMP_MODES
from blobzero.nn.net_config import FEATURE_KINDS, SIZES, NetConfig, net_config


def _unknown_key(dotted: str, name: str, siblings: Sequence[str], where: str) -> ConfigError:
    """The error for an unknown key ``dotted`` (last part ``name``) among ``siblings``."""
    suggestion = _suggest(name, siblings)
    if suggestion:
        prefix = dotted[: len(dotted) - len(name)]
        hint = f"did you mean '{prefix}{suggestion}'?"
    else:
        elsewhere = [key for key in _all_keys() if key.rsplit(".", 1)[-1] == name]
        if elsewhere:
            hint = f"did you mean '{elsewhere[0]}'?"
        else:
            hint = f"known keys {where}: {', '.join(siblings)}"
    return ConfigError(f"{dotted}: unknown config key; {hint}", dotted)


NETWORK_SIZES = (*SIZES, "custom")

# The engine's defaults, where the config's are the same.
_ENGINE_SEARCH = PuctConfig()
_ENGINE_SELFPLAY = SelfPlayConfig()


@dataclass(frozen=True)
class NetworkSettings(_Section):
    """``[network]``: the network's size and how self-play runs it.

    ``size``: "tiny" | "small" | "base" (presets of ``blobzero.nn.net_config.SIZES``) or "custom"
    (then ``d_model``, ``num_layers``, ``num_heads``, ``ff_multiplier`` give the size; otherwise
    they are ignored). ``inference_mode``: "torchscript" | "eager" | "compile". ``features``:
    "world" (PIMC-PUCT over world features), "observation" (information-set PUCT over the
    searcher's observation) or "observation+world" (information-set PUCT whose leaf values come
    from a critic that sees each leaf's sampled world); self-play, the arena and every network
    agent search accordingly. ``card_relations``: the network also embeds each card's relation to
    the current trick and how many cards that others may hold outrank it
    (``NetConfig.card_relations``). ``tricks_head``: the network also predicts each seat's tricks
    taken by the end of the round, trained as an auxiliary target weighted by
    ``training.tricks_weight`` (``NetConfig.tricks_head``).
    """

    SECTION: ClassVar[str] = "network"

    size: str = "small"
    d_model: int = 64
    num_layers: int = 2
    num_heads: int = 4
    ff_multiplier: int = 2
    inference_mode: str = "torchscript"
    features: str = "world"
    card_relations: bool = False
    tricks_head: bool = False

    def _validate(self) -> None:
        self._choice("size", NETWORK_SIZES)
        self._choice("features", FEATURE_KINDS)
        from blobzero.nn.inference import INFERENCE_MODES

        self._choice("inference_mode", INFERENCE_MODES)
        self._positive("d_model", "num_layers", "num_heads", "ff_multiplier")
        if self.size == "custom" and self.d_model % self.num_heads != 0:
            raise self._fail(
                "d_model", f"{self.d_model} is not divisible by num_heads = {self.num_heads}"
            )

    def net_config(self) -> NetConfig:
        """The ``blobzero.nn.net_config.NetConfig`` of this size."""
        if self.size == "custom":
            return NetConfig(
                d_model=self.d_model,
                num_layers=self.num_layers,
                num_heads=self.num_heads,
                ff_multiplier=self.ff_multiplier,
                features=self.features,
                card_relations=self.card_relations,
                tricks_head=self.tricks_head,
            )
        return dataclasses.replace(
            net_config(self.size),
            features=self.features,
            card_relations=self.card_relations,
            tricks_head=self.tricks_head,
        )


@dataclass(frozen=True)
class SelfPlaySettings(_Section):
    """``[selfplay]``: the games self-play plays and the search that picks their moves.

    ``num_players``: an int, a list (uniform over its entries) or a table {"players": weight}
    (TOML keys are strings; ints are accepted from Python and stored as strings), over 3..8.
    ``hand_sizes``: sizes drawn uniformly; those too large for a table are skipped for it; empty
    means 1..min(10, 52 // players). ``no_trump_weight``: with ``trump_mode = "rotation"`` the
    weight of no trump against 1 for each suit (1 = the five equally often, as a match rotates
    them; another value with another trump mode is an error). ``temperature_schedule``:
    [(first_move, T), ...] from move 0, moves increasing; T = 0 plays the most visited move.
    ``curriculum``: rows (first_iteration, num_worlds, simulations_per_world), first iterations
    strictly increasing; a row's budget applies from its iteration on, replacing ``num_worlds``
    and ``simulations_per_world`` (which apply before the first row). ``max_evaluations``: the most
    network evaluations a self-play search makes (0 = every leaf); past it leaves take uniform
    priors and a random playout's values (``PuctConfig.max_evaluations``), so a search can run
    many more simulations than network calls. ``improved_policy_scale``: 0 trains the policy on
    the root visits; > 0 on Gumbel AlphaZero's completed-Q improved policy with this scale
    (``PuctConfig.improved_policy_scale``). ``root_value_weight``: the value target of a
    network-searched decision is (1 - w) * the outcome + w * the search's mean root values
    (games with a teacher keep it), in [0, 1]. ``teacher_iterations``: the
    first iterations are played and labelled by SO-ISMCTS with ``teacher_simulations`` (no
    network; ``teacher_games`` games each, 0 = ``games_per_iteration``), which bootstraps the
    network at a small fraction of the network search's cost (expert iteration).
    ``teacher_opponents``: after the teacher phase, the teacher plays this many seats of every
    self-play game (at most all but one, drawn for each game) and the network search the
    others, so the network learns values and opponents' moves at tables with SO-ISMCTS players;
    0 = the network plays every seat.
    """

    SECTION: ClassVar[str] = "selfplay"

    games_per_iteration: int = 400
    num_players: int | list[int] | dict[str, float] = 4
    hand_sizes: list[int] = field(default_factory=list)
    trump_mode: str = "rotation"
    no_trump_weight: float = 1.0
    hook_rule: bool = True
    scoring: str = "exact"
    num_worlds: int = _ENGINE_SEARCH.num_worlds
    simulations_per_world: int = _ENGINE_SEARCH.simulations_per_world
    c_puct: float = _ENGINE_SEARCH.c_puct
    dirichlet_alpha: float = _ENGINE_SEARCH.dirichlet_alpha
    dirichlet_fraction: float = 0.25
    temperature_schedule: list[tuple[int, float]] = field(
        default_factory=lambda: list(_ENGINE_SELFPLAY.temperature_schedule)
    )
    relative_values: bool = False
    curriculum: list[tuple[int, int, int]] = field(default_factory=list)
    opponent_views: bool = True
    rollout_weight: float = 0.0
    max_evaluations: int = 0
    improved_policy_scale: float = 0.0
    root_value_weight: float = 0.0
    teacher_iterations: int = 0
    teacher_simulations: int = 1000
    teacher_games: int = 0
    teacher_opponents: int = 0

    def _validate(self) -> None:
        self._positive("games_per_iteration", "num_worlds", "simulations_per_world", "c_puct")
        self._positive("teacher_simulations")
        self._at_least("teacher_iterations", 0)
        self._at_least("max_evaluations", 0)
        self._at_least("improved_policy_scale", 0)
        self._at_least("teacher_games", 0)
        self._at_least("teacher_opponents", 0)
        if self.teacher_opponents > MAX_PLAYERS:
            raise self._fail(
                "teacher_opponents", f"must be <= {MAX_PLAYERS}, got {self.teacher_opponents!r}"
            )
        self._positive("dirichlet_alpha")
        self._fraction("dirichlet_fraction", "rollout_weight", "root_value_weight")
        self._choice("trump_mode", TRUMP_MODES)
        self._at_least("no_trump_weight", 0)
        if self.no_trump_weight != 1 and self.trump_mode != "rotation":
            raise self._fail(
                "no_trump_weight",
                f'weighs the trumps of trump_mode = "rotation", not "{self.trump_mode}"; '
                "leave it at 1",
            )
        self._choice("scoring", SCORINGS)
        self._hand_sizes("hand_sizes", list(self.player_weights()))
        self._validate_temperature()
        self._validate_curriculum()

    def _validate_temperature(self) -> None:
        schedule = self.temperature_schedule
        if not schedule:
            raise self._fail("temperature_schedule", "must have at least one [move, T] row")
        if schedule[0][0] != 0:
            raise self._fail(
                "temperature_schedule", f"must start at move 0, not move {schedule[0][0]}"
            )
        for i, (move, temperature) in enumerate(schedule):
            if i > 0 and move <= schedule[i - 1][0]:
                raise self._fail(
                    f"temperature_schedule[{i}]",
                    f"moves must increase, got {move} after {schedule[i - 1][0]}",
                )
            if temperature < 0:
                raise self._fail(
                    f"temperature_schedule[{i}]", f"temperature must be >= 0, got {temperature}"
                )

    def _validate_curriculum(self) -> None:
        for i, (first_iteration, worlds, sims) in enumerate(self.curriculum):
            if first_iteration < 0:
                raise self._fail(
                    f"curriculum[{i}]", f"first iteration must be >= 0, got {first_iteration}"
                )
            if i > 0 and first_iteration <= self.curriculum[i - 1][0]:
                raise self._fail(
                    f"curriculum[{i}]",
                    "rows must be sorted by first iteration (strictly increasing), got "
                    f"{first_iteration} after {self.curriculum[i - 1][0]}",
                )
            if worlds < 1 or sims < 1:
                raise self._fail(
                    f"curriculum[{i}]",
                    f"num_worlds and simulations_per_world must be positive, got {worlds}, {sims}",
                )

    def player_weights(self) -> dict[int, float]:
        """``num_players`` as {players: weight}, validated (the form SelfPlayConfig takes).

        Raises ConfigError naming ``selfplay.num_players`` for a count outside 3..8, a negative
        weight, or no positive weight."""
        value = self.num_players
        if isinstance(value, int):
            self._players("num_players", value)
            return {value: 1.0}
        if isinstance(value, list):
            if not value:
                raise self._fail("num_players", "must list at least one player count")
            weights: dict[int, float] = {}
            for i, players in enumerate(value):
                self._players("num_players", players, f"num_players[{i}]")
                weights[players] = weights.get(players, 0.0) + 1.0
            return weights
        weights = {}
        for name, weight in value.items():
            try:
                players = int(name)
            except ValueError:
                raise self._fail(
                    "num_players", f"key {name!r} is not a player count 3..8"
                ) from None
            self._players("num_players", players, f"num_players.{name}")
            if weight < 0:
                raise self._fail(f"num_players.{name}", f"weight must be >= 0, got {weight}")
            weights[players] = weights.get(players, 0.0) + weight
        if not any(weight > 0 for weight in weights.values()):
            raise self._fail("num_players", "no player count has a positive weight")
        return {players: weight for players, weight in weights.items() if weight > 0}

    def teacher_plays(self, iteration: int) -> bool:
        """Whether SO-ISMCTS (the teacher) plays self-play in ``iteration`` (counted from 1)."""
        return 0 < iteration <= self.teacher_iterations

    def games_in(self, iteration: int) -> int:
        """Self-play games of ``iteration``: ``teacher_games`` (when set) in teacher iterations,
        else ``games_per_iteration``."""
        if self.teacher_plays(iteration) and self.teacher_games > 0:
            return self.teacher_games
        return self.games_per_iteration

    def search_budget(self, iteration: int) -> tuple[int, int]:
        """``(num_worlds, simulations_per_world)`` for self-play in ``iteration`` (>= 0): the
        last curriculum row whose first iteration is <= ``iteration``, else the base budget."""
        if not _is_int(iteration) or iteration < 0:
            raise ValueError(f"iteration must be a non-negative int, got {iteration!r}")
        budget = (self.num_worlds, self.simulations_per_world)
        for first_iteration, worlds, sims in self.curriculum:
            if first_iteration > iteration:
                break
            budget = (worlds, sims)
        return budget


@dataclass(frozen=True)
class ReplaySettings(_Section):
    """``[replay]``: the replay buffer. ``min_size``: positions held before training starts
    (<= capacity). ``priority_alpha``/``priority_beta`` apply when ``prioritized``."""

    SECTION: ClassVar[str] = "replay"

    capacity: int = 500_000
    min_size: int = 2000
    augment_suits: bool = True
    prioritized: bool = False
    priority_alpha: float = 0.6
    priority_beta: float = 0.4

    def _validate(self) -> None:
        self._positive("capacity")
        self._non_negative("min_size")
        if self.min_size > self.capacity:
            raise self._fail(
                "min_size", f"{self.min_size} exceeds replay.capacity = {self.capacity}"
            )
        self._fraction("priority_alpha", "priority_beta")


@dataclass(frozen=True)
class TrainingSettings(_Section):
    """``[training]``: optimisation. ``lr_schedule``: "cosine" (linear warmup, then cosine down
    to ``min_lr_ratio`` x the rate over iterations x steps_per_iteration steps), "step" (x
    ``lr_gamma`` every ``lr_step_size`` steps) or "constant". ``grad_clip`` 0 = off.
    ``amp``: "auto" (bf16 on CUDA if supported else fp16; off on the CPU), "bf16", "fp16", "off".
    ``tricks_weight``: the weight of the tricks loss of a network with ``network.tricks_head``.
    """

    SECTION: ClassVar[str] = "training"

    batch_size: int = 256
    steps_per_iteration: int = 200
    learning_rate: float = 1e-3
    weight_decay: float = 1e-4
    lr_schedule: str = "cosine"
    warmup_steps: int = 100
    lr_step_size: int = 2000
    lr_gamma: float = 0.5
    min_lr_ratio: float = 0.05
    grad_clip: float = 1.0
    policy_weight: float = 1.0
    value_weight: float = 1.0
    tricks_weight: float = 1.0
    amp: str = "auto"

    def _validate(self) -> None:
        self._positive("batch_size", "steps_per_iteration", "learning_rate", "lr_step_size")
        self._non_negative("weight_decay", "warmup_steps", "grad_clip")
        self._non_negative("policy_weight", "value_weight", "tricks_weight")
        from blobzero.training.trainer import AMP_MODES, LR_SCHEDULES

        self._choice("lr_schedule", LR_SCHEDULES)
        self._choice("amp", AMP_MODES)
        if not 0.0 < self.lr_gamma <= 1.0:
            raise self._fail("lr_gamma", f"must be in (0, 1], got {self.lr_gamma!r}")
        self._fraction("min_lr_ratio")
        if self.policy_weight == 0 and self.value_weight == 0:
            raise self._fail("value_weight", "policy_weight and value_weight are both 0")


@dataclass(frozen=True)
class EvaluationSettings(_Section):
    """``[evaluation]``: the arena. ``arena_every``: iterations between arenas (0 = never).
    ``arena_deals``: duplicate deals per match. ``promotion_threshold``: the candidate's score
    against the best network that promotes it, in (0.5, 1). ``opponents``: agents every arena
    also measures against: "heuristic", "random", "ismcts:<sims>", "pimc-rollout:<w>x<s>",
    "is-rollout:<w>x<s>".
    ``parallel_games``: games played at once, their network calls batched together (1 makes
    a match exactly reproducible; more can differ in a float's last bits with the batch sizes).
    """

    SECTION: ClassVar[str] = "evaluation"

    arena_every: int = 1
    arena_deals: int = 100
    num_players: int = 4
    hand_sizes: list[int] = field(default_factory=lambda: [5])
    trump_mode: str = "rotation"
    num_worlds: int = _ENGINE_SEARCH.num_worlds
    simulations_per_world: int = _ENGINE_SEARCH.simulations_per_world
    rollout_weight: float = 0.0
    c_puct: float = _ENGINE_SEARCH.c_puct
    promotion_threshold: float = 0.55
    opponents: list[str] = field(default_factory=lambda: ["heuristic"])
    elo_k: float = 32.0
    parallel_games: int = 16

    def _validate(self) -> None:
        self._non_negative("arena_every")
        self._positive(
            "arena_deals",
            "num_worlds",
            "simulations_per_world",
            "c_puct",
            "elo_k",
            "parallel_games",
        )
        self._players("num_players", self.num_players)
        if not self.hand_sizes:
            raise self._fail("hand_sizes", "must list at least one hand size")
        self._hand_sizes("hand_sizes", [self.num_players])
        self._choice("trump_mode", TRUMP_MODES)
        from blobzero.evaluation.arena import make_deal, parse_agent_spec

        for i, size in enumerate(self.hand_sizes):
            try:  # the arena's own deal, so that what loads also plays
                make_deal(
                    0,
                    0,
                    num_players=self.num_players,
                    hand_sizes=[size],
                    trump_mode=self.trump_mode,
                )
            except ValueError as error:
                raise self._fail(f"hand_sizes[{i}]", str(error)) from None
        self._fraction("rollout_weight")
        if not 0.5 < self.promotion_threshold < 1.0:
            raise self._fail(
                "promotion_threshold", f"must be in (0.5, 1), got {self.promotion_threshold!r}"
            )
        for i, spec in enumerate(self.opponents):
            try:
                parse_agent_spec(spec)
            except ValueError as error:
                raise self._fail(f"opponents[{i}]", str(error)) from None
        if len(set(self.opponents)) != len(self.opponents):
            raise self._fail("opponents", f"lists an agent twice: {self.opponents}")


@dataclass(frozen=True)
class HardwareSettings(_Section):
    """``[hardware]``: where things run. ``device``: "auto" (CUDA if available), "cpu", "cuda"
    or "cuda:<index>". ``torch_threads``, ``selfplay_threads``, ``max_batch_size``: 0 = auto
    (see ``blobzero.training.runtime``).
    ``cache_capacity``: entries of self-play's shared evaluation cache (0 = one per search).
    """

    SECTION: ClassVar[str] = "hardware"

    device: str = "auto"
    torch_threads: int = 0
    selfplay_threads: int = 0
    max_batch_size: int = 0
    cache_capacity: int = 262144

    def _validate(self) -> None:
        from blobzero.nn.device import is_device_name

        if not is_device_name(self.device):
            raise self._fail(
                "device", f"{self.device!r} is not 'auto', 'cpu', 'cuda' or 'cuda:<index>'"
            )
        self._non_negative("torch_threads", "selfplay_threads", "max_batch_size")
        self._non_negative("cache_capacity")


CLUSTER_BACKENDS = ("local", "ray")


@dataclass(frozen=True)
class ClusterSettings(_Section):
    """``[cluster]``: where self-play runs. ``backend``: "local" (in this process) or "ray"
    (``num_actors`` Ray actors, each with ``cpus_per_actor`` CPUs and ``gpus_per_actor`` GPUs,
    a fraction allowed; the learner, replay buffer, arena and checkpoints stay in this process on
    ``hardware.device``). ``address``: "" starts a Ray instance on this machine, "auto" joins the
    running cluster, "ray://host:port" a remote one. An iteration's games are split into shards of
    ``games_per_shard`` (0 = about four per actor); each actor has at most ``max_pending_shards``
    shards queued, so memory stays bounded. Needs the ``ray`` extra."""

    SECTION: ClassVar[str] = "cluster"

    backend: str = "local"
    address: str = ""
    num_actors: int = 2
    cpus_per_actor: float = 1.0
    gpus_per_actor: float = 0.0
    games_per_shard: int = 0
    max_pending_shards: int = 2

    def _validate(self) -> None:
        self._choice("backend", CLUSTER_BACKENDS)
        self._positive("num_actors", "cpus_per_actor", "max_pending_shards")
        self._non_negative("gpus_per_actor", "games_per_shard")


@dataclass(frozen=True)
class CheckpointSettings(_Section):
    """``[checkpoint]``: ``keep_last`` checkpoints are kept (0 = all); ``save_buffer``: save the
    newest replay buffer with them, so a resumed run keeps its data."""

    SECTION: ClassVar[str] = "checkpoint"

    keep_last: int = 3
    save_buffer: bool = True

    def _validate(self) -> None:
        self._non_negative("keep_last")


@dataclass(frozen=True)
class LoggingSettings(_Section):
    """``[logging]``: TensorBoard scalars, Weights & Biases (project ``wandb_project``), progress
    bars, and training metrics every ``log_every_steps`` steps."""

    SECTION: ClassVar[str] = "logging"

    tensorboard: bool = True
    wandb: bool = False
    wandb_project: str = "blobzero"
    progress: bool = True
    log_every_steps: int = 50

    def _validate(self) -> None:
        if not self.wandb_project:
            raise self._fail("wandb_project", "must not be empty")
        self._positive("log_every_steps")


@dataclass(frozen=True)
class Config(_Section):
    """A whole training run. ``seed``: the run seed (0..2**64-1); ``iterations``: self-play /
    train / evaluate iterations; ``run_dir``: where checkpoints and logs go."""

    seed: int = 0
    iterations: int = 20
    run_dir: str = "runs/default"
    network: NetworkSettings = field(default_factory=NetworkSettings)
    selfplay: SelfPlaySettings = field(default_factory=SelfPlaySettings)
    replay: ReplaySettings = field(default_factory=ReplaySettings)
    training: TrainingSettings = field(default_factory=TrainingSettings)
    evaluation: EvaluationSettings = field(default_factory=EvaluationSettings)
    hardware: HardwareSettings = field(default_factory=HardwareSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    checkpoint: CheckpointSettings = field(default_factory=CheckpointSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)

    def _validate(self) -> None:
        if not 0 <= self.seed <= MAX_SEED:
            raise self._fail("seed", f"must be in 0..2**64-1, got {self.seed}")
        self._positive("iterations")
        if not self.run_dir:
            raise self._fail("run_dir", "must not be empty")

    @property
    def total_training_steps(self) -> int:
        """``iterations * training.steps_per_iteration``: the cosine schedule's length."""
        return self.iterations * self.training.steps_per_iteration


_SECTIONS: dict[str, type[_Section]] = {
    f.name: f.default_factory  # type: ignore[misc]
    for f in dataclasses.fields(Config)
    if f.default_factory is not dataclasses.MISSING
}
_TOP_LEVEL = [f.name for f in dataclasses.fields(Config)]


def _section_keys(section: str) -> list[str]:
    return [f.name for f in dataclasses.fields(_SECTIONS[section])]


def _all_keys() -> list[str]:
    keys = [name for name in _TOP_LEVEL if name not in _SECTIONS]
    for section in _SECTIONS:
        keys.extend(f"{section}.{name}" for name in _section_keys(section))
    return keys


# -- dicts, files, overrides ------------------------------------------------------------------


def config_from_dict(data: Mapping[str, Any]) -> Config:
    """A validated ``Config`` from a nested mapping (as ``tomllib`` reads a config file).
    Missing keys take their defaults. Raises ConfigError naming the dotted key at fault."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"config: expected a table, got {_show(data)}")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name not in _TOP_LEVEL:
            raise _unknown_key(str(name), str(name), _TOP_LEVEL, "at the top level")
        section = _SECTIONS.get(name)
        if section is None:
            kwargs[name] = value
            continue
        if not isinstance(value, Mapping):
            raise ConfigError(f"{name}: expected a table [{name}], got {_show(value)}", name)
        known = _section_keys(name)
        for key in value:
            if key not in known:
                raise _unknown_key(f"{name}.{key}", str(key), known, f"in [{name}]")
        kwargs[name] = section(**value)
    return Config(**kwargs)


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def config_to_dict(config: Config) -> dict[str, Any]:
    """The config as plain TOML/JSON types: nested dicts with string keys, lists (never tuples),
    str, int, float, bool. ``config_from_dict(config_to_dict(c)) == c``."""
    result: dict[str, Any] = _plain(config)
    return result


def config_to_toml(config: Config) -> str:
    """The config as a TOML document (every key, no comments) that ``tomllib`` reads back to
    ``config_to_dict(config)``."""
    data = config_to_dict(config)
    lines = [f"{key} = {_toml_value(value)}" for key, value in data.items() if key not in _SECTIONS]
    for section in _SECTIONS:
        lines.append("")
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in data[section].items())
    return "\n".join(lines) + "\n"


def apply_overrides(data: dict[str, Any], overrides: Sequence[str]) -> dict[str, Any]:
    """Applies ``"section.key=value"`` / ``"key=value"`` overrides to the nested dict ``data``
    in place (creating missing section tables) and returns it. The value is parsed as a TOML
    value, falling back to the bare string. Raises ConfigError for an override without "=", or
    naming an unknown key (values are checked later, by ``config_from_dict``)."""
    if isinstance(overrides, str):
        raise TypeError("overrides must be a sequence of 'section.key=value' strings, not a str")
    for override in overrides:
        if not isinstance(override, str):
            raise ConfigError(f"override {override!r}: expected a 'section.key=value' string")
        dotted, sep, text = override.partition("=")
        dotted = dotted.strip()
        if not sep or not dotted:
            raise ConfigError(f"override {override!r}: expected the form section.key=value")
        parts = [part.strip() for part in dotted.split(".")]
        dotted = ".".join(parts)
        if len(parts) > 2 or not all(parts):
            raise ConfigError(
                f"override {override!r}: {dotted!r} is not a key of the form section.key", dotted
            )
        value = _parse_value(text)
        if len(parts) == 1:
            (name,) = parts
            if name not in _TOP_LEVEL:
                raise _unknown_key(name, name, _TOP_LEVEL, "at the top level")
            if name in _SECTIONS:
                raise ConfigError(
                    f"override {override!r}: {name!r} is a section; give {name}.<key>=value",
                    name,
                )
            data[name] = value
            continue
        section, name = parts
        if section not in _SECTIONS:
            sections = list(_SECTIONS)
            raise _unknown_key(section, section, sections, "(sections)")
        known = _section_keys(section)
        if name not in known:
            raise _unknown_key(dotted, name, known, f"in [{section}]")
        table = data.setdefault(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{section}: expected a table [{section}], got {_show(table)}")
        table[name] = value
    return data
