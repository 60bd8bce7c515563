"""What a config means on this machine: the self-play engine's settings for an iteration, the
device, and torch's threads. The pipeline's half of the config (``blobzero.config`` holds only
what a file says)."""

from __future__ import annotations

import os
import re
import typing

from blobzero._core.search import PuctConfig
from blobzero._core.selfplay import SelfPlayConfig
from blobzero.config import ConfigError, HardwareSettings, SelfPlaySettings
from blobzero.config.schema import MAX_SEED, _is_int

CUDA_AUTO_MAX_BATCH_SIZE = 1024


def _device_kind(device: str) -> str:
    text = str(device)
    if text == "cpu":
        return "cpu"
    if re.fullmatch(r"cuda(:[0-9]+)?", text):
        return "cuda"
    raise ValueError(f"device must be 'cpu' or 'cuda[:N]', got {device!r}")


def selfplay_config(
    settings: SelfPlaySettings,
    iteration: int,
    seed: int,
    hardware: HardwareSettings,
    device: str,
    features: str = "world",
) -> SelfPlayConfig:
    """The engine's ``SelfPlayConfig`` for the self-play ``settings`` of ``iteration`` with run
    seed ``seed``, the model on ``device`` ("cpu" or "cuda[:N]", as ``resolve_device`` gives),
    for a network reading ``features`` (``blobzero.nn.net_config.FEATURE_KINDS``).

    Search: ``settings.search_budget(iteration)`` worlds x simulations, c_puct, Dirichlet noise,
    relative values, rollout weight, the cap on network evaluations; the tree
    ``blobzero.nn.net_config.tree_shape`` gives the features (an information-set tree records
    every other seat's view of each decision when ``opponent_views``). Threads and batch size:
    the hardware values, or where they are 0 (auto)
    ``blobzero.selfplay.engine.cpu_inference_settings()`` on the CPU and cores - 1 worker
    threads with batches of 1024 on CUDA. In a teacher iteration (``settings.teacher_plays``)
    SO-ISMCTS plays every decision and auto threads are every core (no network runs); after it,
    with ``settings.teacher_opponents``, SO-ISMCTS plays that many seats of each game."""
    kind = _device_kind(device)
    worlds, sims = settings.search_budget(iteration)
    if not _is_int(seed) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an int in 0..2**64-1, got {seed!r}")
    threads, batch = hardware.selfplay_threads, hardware.max_batch_size
    teacher = settings.teacher_plays(iteration)
    if teacher:
        threads = threads or (os.cpu_count() or 1)
    if kind == "cpu":
        from blobzero.selfplay.engine import cpu_inference_settings

        auto = cpu_inference_settings()
        threads = threads or auto.engine_threads
        batch = batch or auto.max_batch_size
    else:
        threads = threads or max(1, (os.cpu_count() or 1) - 1)
        batch = batch or CUDA_AUTO_MAX_BATCH_SIZE
    # SelfPlayConfig takes {players: weight} with int keys (the TOML table's are strings).
    num_players: dict[typing.SupportsInt | typing.SupportsIndex, typing.SupportsFloat] = {
        players: weight for players, weight in settings.player_weights().items()
    }
    from blobzero.nn.net_config import tree_shape

    shape = tree_shape(features)
    search = PuctConfig(
        num_worlds=worlds,
        simulations_per_world=sims,
        **shape,
        rollout_weight=settings.rollout_weight,
        max_evaluations=settings.max_evaluations,
        improved_policy_scale=settings.improved_policy_scale,
        c_puct=settings.c_puct,
        dirichlet_alpha=settings.dirichlet_alpha,
        dirichlet_fraction=settings.dirichlet_fraction,
        relative_values=settings.relative_values,
    )
    return SelfPlayConfig(
        num_players=num_players,
        hand_sizes=list(settings.hand_sizes),
        trump_mode=settings.trump_mode,
        no_trump_weight=settings.no_trump_weight,
        hook_rule=settings.hook_rule,
        scoring=settings.scoring,
        search=search,
        temperature_schedule=list(settings.temperature_schedule),
        seed=seed,
        num_threads=threads,
        max_batch_size=batch,
        cache_capacity=hardware.cache_capacity,
        record_opponent_views=shape["information_set_tree"] and settings.opponent_views,
        teacher_simulations=(
            settings.teacher_simulations if teacher or settings.teacher_opponents else 0
        ),
        teacher_seats=0 if teacher else settings.teacher_opponents,
        root_value_weight=settings.root_value_weight,
    )


def resolve_device(hardware: HardwareSettings) -> str:
    """The device ``hardware`` runs on (``blobzero.nn.device.resolve_device``). Raises
    ConfigError naming ``hardware.device`` if it asks for CUDA and torch has none."""
    from blobzero.nn.device import resolve_device as resolve

    try:
        return resolve(hardware.device)
    except ValueError as error:
        raise ConfigError(f"hardware.device: {error}", "hardware.device") from None


def torch_threads_for(hardware: HardwareSettings, device: str) -> int:
    """torch's intra-op threads for a run on ``device``: ``hardware.torch_threads``, or for 0 (auto)
    ``cpu_inference_settings().torch_threads`` on the CPU and 1 on CUDA (the GPU does the
    work; self-play's workers take the other cores)."""
    kind = _device_kind(device)
    if hardware.torch_threads:
        return hardware.torch_threads
    if kind == "cpu":
        from blobzero.selfplay.engine import cpu_inference_settings

        return cpu_inference_settings().torch_threads
    return 1
