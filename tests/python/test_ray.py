"""Self-play on a local Ray (``[cluster] backend = "ray"``): actors play shards of an
iteration's games with the newest weights, dead actors are replaced without losing or repeating
a record, and a training run on Ray finishes and resumes. Skipped without the ``ray`` extra;
select with ``-k ray``."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip("ray")

from blobzero.cluster.ray_selfplay import RaySelfPlay  # noqa: E402
from blobzero.config import load_config  # noqa: E402
from blobzero.nn.network import BlobNet  # noqa: E402
from blobzero.selfplay.engine import SelfPlayEngine, derive_seed  # noqa: E402
from blobzero.training.pipeline import TrainingPipeline  # noqa: E402
from blobzero.training.runtime import selfplay_config  # noqa: E402

CONFIG_DIR = Path(__file__).resolve().parents[2] / "configs"


@pytest.fixture(scope="module")
def local_ray() -> object:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def tiny_config(tmp_path: Path, **cluster: object) -> object:
    config = load_config(
        CONFIG_DIR / "tiny.toml",
        [
            f'run_dir="{tmp_path / "run"}"',
            "cluster.backend=ray",
            "cluster.num_actors=2",
            "cluster.games_per_shard=2",
            "logging.progress=false",
            "logging.tensorboard=false",
            "hardware.device=cpu",
            *[f"cluster.{key}={value}" for key, value in cluster.items()],
        ],
    )
    return config


def local_records(config: object, net: BlobNet, iteration: int, games: int) -> object:
    from blobzero.nn.inference import InferenceModel

    engine_config = selfplay_config(
        config.selfplay,  # type: ignore[attr-defined]
        iteration,
        derive_seed(config.seed, iteration),  # type: ignore[attr-defined]
        config.hardware,  # type: ignore[attr-defined]
        "cpu",
        features=config.network.features,  # type: ignore[attr-defined]
    )
    with SelfPlayEngine(InferenceModel(net, "cpu"), engine_config) as engine:
        return engine.generate_games(games, first_game_id=0)


def test_two_actors_play_the_games_a_local_engine_plays(local_ray: object, tmp_path: Path) -> None:
    config = tiny_config(tmp_path)
    net = BlobNet(config.network.net_config()).eval()  # type: ignore[attr-defined]
    with RaySelfPlay(config) as cluster:  # type: ignore[arg-type]
        assert len(cluster.actors) == 2
        records, stats, shards = cluster.play(1, net, 7)
        assert [s.shard.games for s in shards] == [2, 2, 2, 1]
        assert {s.weights_version for s in shards} == {1}
        again, _, later = cluster.play(2, net, 4)
        assert {s.weights_version for s in later} == {2} and cluster.weights_version == 2
    assert list(records.games.game_id) == list(range(7))
    assert stats.evaluations > 0 and stats.mean_batch_size > 0
    reference = local_records(config, net, 1, 7)
    np.testing.assert_array_equal(records.games.game_seed, reference.games.game_seed)
    np.testing.assert_array_equal(records.games.hands, reference.games.hands)
    np.testing.assert_array_equal(records.game_id, reference.game_id)
    assert len(records) == len(reference)
    assert list(again.games.game_id) == list(range(4))


def test_a_dead_actor_is_replaced_and_no_record_is_lost_or_repeated(
    local_ray: object, tmp_path: Path
) -> None:
    config = tiny_config(tmp_path, games_per_shard=1, max_pending_shards=1)
    net = BlobNet(config.network.net_config()).eval()  # type: ignore[attr-defined]
    with RaySelfPlay(config) as cluster:  # type: ignore[arg-type]
        victim = ray.get(cluster.actors[0].pid.remote())
        killed = threading.Event()

        def kill_once(done: int, total: int) -> None:
            if not killed.is_set():
                os.kill(victim, signal.SIGKILL)
                killed.set()

        records, _, shards = cluster.play(1, net, 12, kill_once)
        assert killed.is_set() and cluster.restarts >= 1
        assert ray.get(cluster.actors[0].pid.remote()) != victim
    assert list(records.games.game_id) == list(range(12))
    assert [s.shard.index for s in shards] == list(range(12))
    assert len(np.unique(records.games.game_id)) == 12


def test_an_interrupt_stops_every_actor(local_ray: object, tmp_path: Path) -> None:
    config = tiny_config(tmp_path)
    net = BlobNet(config.network.net_config()).eval()  # type: ignore[attr-defined]
    cluster = RaySelfPlay(config)  # type: ignore[arg-type]
    actors = list(cluster.actors)

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cluster.play(1, net, 8, interrupt)
    assert cluster.actors == []
    for actor in actors:
        with pytest.raises(ray.exceptions.RayActorError):
            ray.get(actor.pid.remote(), timeout=30)


def test_a_run_on_ray_trains_checkpoints_and_resumes(local_ray: object, tmp_path: Path) -> None:
    config = tiny_config(tmp_path)
    summaries = TrainingPipeline(config, device="cpu").run(1)  # type: ignore[arg-type]
    assert summaries[0].selfplay["games"] == 6 and summaries[0].selfplay["actor_restarts"] == 0
    resumed = TrainingPipeline(config, device="cpu", resume="auto")  # type: ignore[arg-type]
    assert resumed.iteration == 1
    later = resumed.run(2)
    assert [s.iteration for s in later] == [2]
    assert (tmp_path / "run" / "checkpoints" / "iteration_0002.pt").exists()
