"""Self-play on Ray actors, driven by the training pipeline (``[cluster] backend = "ray"``).

    with RaySelfPlay(config) as cluster:
        records, stats = cluster.play(iteration, net, games)

The driver (the pipeline's process) keeps the learner, replay buffer, arena, checkpoints and
logs. For each iteration it puts the network's weights into Ray's object store once, tagged
with a version (the iteration), and splits the iteration's games into shards of consecutive
game ids. Actors (``cluster.num_actors``, each reserving ``cpus_per_actor`` CPUs and
``gpus_per_actor`` GPUs) hold a ``SelfPlayEngine`` with their own worker threads; an actor
reloads the weights when their version changes and plays a shard exactly as the local engine
plays those game ids (game g of iteration i is seeded with ``derive_seed(derive_seed(seed, i),
g)``). The shards' records, concatenated in game-id order, are therefore the games of a local
run, for any number of actors (up to the last bits a batch of a different size may round
differently in).

Bounds: each actor has at most ``max_pending_shards`` shards queued, and the driver waits for
every shard of an iteration before training on it, so every game is played with the newest
weights (a policy lag of 0 versions) and no more than ``num_actors * max_pending_shards`` shards
of records are in flight.

Faults: an actor that dies is replaced by a new one and its unfinished shards are queued again;
a shard's records are taken once, so none is lost or counted twice. After 4 replacements per
actor a run stops with RuntimeError. An interrupt (Ctrl-C) or any error kills every actor;
``close`` also shuts down a Ray instance this object started.
"""

from __future__ import annotations

import collections
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ray
import torch
from ray.exceptions import ActorDiedError, ActorUnavailableError, RayActorError

from blobzero.config import Config, HardwareSettings, config_from_dict, config_to_dict
from blobzero.nn.inference import InferenceModel
from blobzero.nn.network import BlobNet
from blobzero.selfplay.engine import SelfPlayEngine, SelfPlayRecords, derive_seed
from blobzero.training.runtime import selfplay_config

__all__ = ["RaySelfPlay", "Shard", "ShardResult", "ShardStats"]

_ACTOR_LOST = (ActorDiedError, ActorUnavailableError, RayActorError)


@dataclass(frozen=True)
class Shard:
    """Games ``first_game .. first_game + games - 1`` of ``iteration``: the unit of work."""

    index: int
    iteration: int
    first_game: int
    games: int


@dataclass(frozen=True)
class ShardStats:
    """Network evaluations, cache hits, batches and the seconds an actor spent playing, of one
    shard (or a sum of shards)."""

    evaluations: int = 0
    cache_hits: int = 0
    batches: int = 0
    seconds: float = 0.0

    def __add__(self, other: ShardStats) -> ShardStats:
        return ShardStats(
            self.evaluations + other.evaluations,
            self.cache_hits + other.cache_hits,
            self.batches + other.batches,
            self.seconds + other.seconds,
        )

    @property
    def cache_hit_rate(self) -> float:
        looked_up = self.evaluations + self.cache_hits
        return self.cache_hits / looked_up if looked_up else 0.0

    @property
    def mean_batch_size(self) -> float:
        return self.evaluations / self.batches if self.batches else 0.0


@dataclass(frozen=True)
class ShardResult:
    """A shard's records, the weights version that played them and the actor's counts."""

    shard: Shard
    weights_version: int
    records: SelfPlayRecords
    stats: ShardStats


def actor_hardware(config: Config) -> HardwareSettings:
    """The hardware settings an actor runs its engine with: ``cpus_per_actor`` worker and torch
    threads (at least 1), the network on CUDA when it reserves a GPU, else on the CPU."""
    cluster = config.cluster
    threads = max(1, int(cluster.cpus_per_actor))
    return HardwareSettings(
        device="cuda" if cluster.gpus_per_actor > 0 else "cpu",
        torch_threads=threads,
        selfplay_threads=threads,
        max_batch_size=config.hardware.max_batch_size,
        cache_capacity=config.hardware.cache_capacity,
    )


class SelfPlayActor:
    """One actor's engine: a network copy, reloaded when the weights' version changes."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config_from_dict(config)
        self._hardware = actor_hardware(self._config)
        torch.set_num_threads(self._hardware.torch_threads)
        device = self._hardware.device
        self._net = BlobNet(self._config.network.net_config()).to(device).eval()
        self._model: InferenceModel | None = None
        self._version = -1

    def play(self, shard: Shard, weights: tuple[int, dict[str, Any]]) -> ShardResult:
        start = time.perf_counter()
        config, device = self._config, self._hardware.device
        version, state = weights
        if version != self._version:
            self._net.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})
            self._model = InferenceModel(self._net, device, mode=config.network.inference_mode)
            self._version = version
        engine_config = selfplay_config(
            config.selfplay,
            shard.iteration,
            derive_seed(config.seed, shard.iteration),
            self._hardware,
            device,
            features=config.network.features,
        )
        with SelfPlayEngine(self._model, engine_config) as engine:
            records = engine.generate_games(shard.games, first_game_id=shard.first_game)
            core = engine.stats
        seconds = time.perf_counter() - start
        stats = ShardStats(int(core.evaluations), int(core.cache_hits), int(core.batches), seconds)
        return ShardResult(shard, version, records, stats)

    def pid(self) -> int:
        """The actor's process id."""
        return os.getpid()


Progress = Callable[[int, int], None]
"""``progress(games_done, games_total)``, called as shards finish."""


class RaySelfPlay:
    """The driver's side; see the module documentation. Starts (``address`` "") or joins Ray
    and its actors on construction; ``close`` (or leaving a ``with`` block) ends them."""

    def __init__(self, config: Config) -> None:
        self.config = config
        cluster = config.cluster
        self._started_ray = False
        if not ray.is_initialized():
            ray.init(address=cluster.address or None, log_to_driver=False)
            self._started_ray = not cluster.address
        self._config_dict = config_to_dict(config)
        self._actor_class = ray.remote(
            num_cpus=cluster.cpus_per_actor, num_gpus=cluster.gpus_per_actor
        )(SelfPlayActor)
        self.actors: list[Any] = [self._new_actor() for _ in range(cluster.num_actors)]
        self.restarts = 0
        # Actors a run may replace before it stops: deaths that repeat are not chance.
        self._restart_limit = 4 * cluster.num_actors
        self.weights_version = -1

    def _new_actor(self) -> Any:
        return self._actor_class.remote(self._config_dict)

    def shards(self, iteration: int, games: int) -> list[Shard]:
        """The iteration's games split into shards of consecutive game ids."""
        cluster = self.config.cluster
        size = cluster.games_per_shard or max(1, -(-games // (4 * cluster.num_actors)))
        return [
            Shard(index, iteration, first, min(size, games - first))
            for index, first in enumerate(range(0, games, size))
        ]

    def play(
        self, iteration: int, net: BlobNet, games: int, progress: Progress | None = None
    ) -> tuple[SelfPlayRecords, ShardStats, list[ShardResult]]:
        """Plays ``games`` games of ``iteration`` with ``net``'s weights on the actors. Returns the
        records in game-id order, the summed counts, and every shard's result."""
        state = {k: v.detach().cpu().numpy() for k, v in net.state_dict().items()}
        self.weights_version = iteration
        weights = ray.put((iteration, state))
        queue = collections.deque(self.shards(iteration, games))
        pending: dict[Any, tuple[int, Shard]] = {}  # object ref -> (actor index, shard)
        results: dict[int, ShardResult] = {}
        done_games = 0
        try:
            while queue or pending:
                for a in range(len(self.actors)):
                    queued = sum(1 for actor, _ in pending.values() if actor == a)
                    while queue and queued < self.config.cluster.max_pending_shards:
                        shard = queue.popleft()
                        pending[self.actors[a].play.remote(shard, weights)] = (a, shard)
                        queued += 1
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    a, shard = pending.pop(ref)
                    try:
                        result: ShardResult = ray.get(ref)
                    except _ACTOR_LOST:
                        if self.restarts >= self._restart_limit:
                            raise RuntimeError(
                                f"Ray self-play: {self.restarts} actors died; giving up "
                                "(see the Ray logs, e.g. /tmp/ray/session_latest/logs)"
                            ) from None
                        self._replace(a, pending, queue)
                        queue.appendleft(shard)
                        continue
                    if shard.index in results:
                        continue
                    results[shard.index] = result
                    done_games += shard.games
                    if progress is not None:
                        progress(done_games, games)
        except BaseException:
            self.close()
            raise
        ordered = [results[i] for i in sorted(results)]
        stats = ShardStats()
        for result in ordered:
            stats = stats + result.stats
        return SelfPlayRecords.concatenate([r.records for r in ordered]), stats, ordered

    def _replace(
        self, index: int, pending: dict[Any, tuple[int, Shard]], queue: collections.deque[Shard]
    ) -> None:
        """Replaces dead actor ``index``; its other unfinished shards go back to the queue."""
        for ref, (a, shard) in list(pending.items()):
            if a == index:
                del pending[ref]
                queue.appendleft(shard)
        ray.kill(self.actors[index], no_restart=True)
        self.actors[index] = self._new_actor()
        self.restarts += 1

    def close(self) -> None:
        """Kills the actors, and shuts Ray down if this object started it. Idempotent."""
        for actor in self.actors:
            ray.kill(actor, no_restart=True)
        self.actors = []
        if self._started_ray and ray.is_initialized():
            ray.shutdown()
        self._started_ray = False

    def __enter__(self) -> RaySelfPlay:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
