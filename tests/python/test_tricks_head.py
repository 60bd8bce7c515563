"""The tricks head (``NetConfig.tricks_head``): an auxiliary target that predicts each seat's
tricks taken by the end of the round. It leaves the policy and values alone, its loss is the
cross-entropy over the seats whose tricks are known, and training on real self-play lowers it."""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch

import blobzero as bz
from blobzero.config import ConfigError, TrainingSettings, load_config
from blobzero.nn.checkpoint import net_config_from_dict, net_config_to_dict
from blobzero.nn.net_config import SIZES
from blobzero.nn.network import TRICK_CLASSES, BlobNet
from blobzero.selfplay.engine import SelfPlayConfig, SelfPlayEngine
from blobzero.training.losses import compute_losses
from blobzero.training.replay import UNKNOWN_TRICKS, ReplayBuffer, TrainingBatch
from blobzero.training.trainer import NetworkTrainer

TINY = dataclasses.replace(SIZES["tiny"], features="observation")
WITH_HEAD = dataclasses.replace(TINY, tricks_head=True)


def _batch(size: int = 64) -> TrainingBatch:
    config = SelfPlayConfig(
        num_players=4,
        hand_sizes=[3],
        search=bz.PuctConfig(num_worlds=1, simulations_per_world=4, information_set_tree=True),
        num_threads=1,
        seed=3,
    )
    with SelfPlayEngine(bz.ConstantEvaluator(0.0), config) as engine:
        records = engine.generate_games(12)
    buffer = ReplayBuffer(10_000, seed=1)
    buffer.add(records)
    return buffer.sample_batch(size)


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")
def test_the_head_leaves_policy_and_values_unchanged() -> None:
    torch.manual_seed(0)
    plain = BlobNet(TINY).eval()
    headed = BlobNet(WITH_HEAD).eval()
    missing, unexpected = headed.load_state_dict(plain.state_dict(), strict=False)
    assert sorted(missing) == ["tricks_head.0.bias", "tricks_head.0.weight"] and not unexpected
    batch = _batch(16)
    with torch.no_grad():
        expected = plain(batch.features, batch.masks)
        logits, values, tricks = headed.outputs(batch.features, batch.masks)
        scripted = torch.jit.script(headed)(batch.features, batch.masks)
    assert torch.equal(logits, expected[0]) and torch.equal(values, expected[1])
    assert torch.equal(scripted[0], expected[0]) and torch.equal(scripted[1], expected[1])
    assert tricks.shape == (16, 8, TRICK_CLASSES)
    assert plain.outputs(batch.features, batch.masks)[2].shape == (16, 0)


def test_the_tricks_loss_counts_the_known_seats_only() -> None:
    batch = _batch(8)
    uniform = torch.zeros(8, 8, TRICK_CLASSES)
    logits, values = BlobNet(TINY)(batch.features, batch.masks)
    terms = compute_losses(logits, values, batch, tricks_logits=uniform, tricks_weight=2.0)
    assert terms["tricks"].item() == pytest.approx(math.log(TRICK_CLASSES))
    without = compute_losses(logits, values, batch)
    assert "tricks" not in without
    assert terms["total"].item() == pytest.approx(without["total"].item() + 2 * math.log(18))
    # Certain of the right count at every known seat, anything at the unknown ones: no loss.
    assert batch.tricks is not None
    known = batch.tricks >= 0
    assert bool(known[:, :4].all()) and bool((batch.tricks[:, 4:] == UNKNOWN_TRICKS).all())
    certain = torch.full((8, 8, TRICK_CLASSES), -50.0)
    certain.scatter_(2, batch.tricks.clamp(min=0).unsqueeze(2), 50.0)
    certain[:, 4:] = torch.randn(8, 4, TRICK_CLASSES)
    exact = compute_losses(logits, values, batch, tricks_logits=certain)
    assert exact["tricks"].item() == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(ValueError, match="tricks_logits"):
        compute_losses(logits, values, batch, tricks_logits=torch.zeros(8, 8, 5))


def test_training_lowers_the_tricks_loss() -> None:
    torch.manual_seed(0)
    batch = _batch(64)
    settings = TrainingSettings(
        batch_size=64, steps_per_iteration=40, learning_rate=3e-3, lr_schedule="constant"
    )
    trainer = NetworkTrainer(BlobNet(WITH_HEAD), settings, "cpu", total_steps=40)
    first = trainer.train_step(batch)["tricks_loss"]
    for _ in range(39):
        last = trainer.train_step(batch)["tricks_loss"]
    assert last < 0.8 * first
    plain = NetworkTrainer(BlobNet(TINY), settings, "cpu", total_steps=40)
    assert "tricks_loss" not in plain.train_step(batch)


def test_config_and_checkpoints_carry_the_head(tmp_path: object) -> None:
    config = load_config("configs/tiny.toml", ["network.tricks_head=true"])
    assert config.network.net_config().tricks_head
    assert net_config_from_dict(net_config_to_dict(WITH_HEAD)) == WITH_HEAD
    older = {k: v for k, v in net_config_to_dict(TINY).items() if k != "tricks_head"}
    assert net_config_from_dict(older).tricks_head is False
    with pytest.raises(ValueError, match="tricks_head"):
        net_config_from_dict({**net_config_to_dict(TINY), "tricks_head": 1})
    with pytest.raises(ConfigError, match="training.tricks_weight"):
        load_config("configs/tiny.toml", ["training.tricks_weight=-1"])
