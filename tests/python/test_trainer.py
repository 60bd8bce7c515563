"""The trainer: losses, optimizer and schedule, resume, checkpoint files."""

from __future__ import annotations

import math
import random
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import blobzero as bz
from blobzero.config import TrainingSettings
from blobzero.nn.checkpoint import (
    CHECKPOINT_FORMAT,
    load_checkpoint,
    load_network,
    net_config_to_dict,
    save_checkpoint,
)
from blobzero.nn.net_config import NetConfig
from blobzero.nn.network import ILLEGAL_LOGIT, BlobNet
from blobzero.training.losses import compute_losses
from blobzero.training.replay import TrainingBatch
from blobzero.training.trainer import (
    NetworkTrainer,
    capture_rng_state,
    lr_multiplier,
    parameter_groups,
    resolve_amp,
    restore_rng_state,
)


def settings(**overrides: Any) -> TrainingSettings:
    fields: dict[str, Any] = {
        "batch_size": 8,
        "steps_per_iteration": 10,
        "learning_rate": 1e-3,
        "weight_decay": 1e-4,
        "lr_schedule": "constant",
        "warmup_steps": 0,
        "lr_step_size": 10,
        "lr_gamma": 0.5,
        "min_lr_ratio": 0.05,
        "grad_clip": 1.0,
        "policy_weight": 1.0,
        "value_weight": 1.0,
        "amp": "off",
    }
    fields.update(overrides)
    return TrainingSettings(**fields)


def make_batch(
    masks: torch.Tensor,
    policy: torch.Tensor,
    value: torch.Tensor | None = None,
    num_players: list[int] | None = None,
    weights: list[float] | None = None,
    features: torch.Tensor | None = None,
) -> TrainingBatch:
    size = masks.shape[0]
    return TrainingBatch(
        features=features if features is not None else torch.zeros(size, 61, 8, dtype=torch.uint8),
        masks=masks.bool(),
        policy=policy.float(),
        value=value if value is not None else torch.zeros(size, 8),
        num_players=torch.tensor(num_players or [4] * size, dtype=torch.long),
        indices=torch.arange(size, dtype=torch.long),
        weights=torch.tensor(weights or [1.0] * size, dtype=torch.float32),
    )


def real_batch(size: int = 8, seed: int = 0) -> TrainingBatch:
    """Encoded positions from random play, with random legal policy targets and seat values."""
    rng = random.Random(seed)
    states = []
    players = []
    for i in range(size):
        num_players = 3 + (seed + i) % 6
        state = bz.State(bz.RoundRules(num_players=num_players, num_cards=3), dealer=0, seed=i)
        for _ in range(rng.randrange(0, 2 * num_players)):
            state.apply_action(rng.choice(state.legal_actions()))
        states.append(state)
        players.append(num_players)
    features, masks = bz.encode_batch(states)
    generator = torch.Generator().manual_seed(seed)
    mask_tensor = torch.from_numpy(masks).bool()
    raw = torch.rand(size, 70, generator=generator) ** 4 * mask_tensor
    policy = raw / raw.sum(dim=1, keepdim=True)
    value = torch.rand(size, 8, generator=generator) * 2 - 1
    value = value * (torch.arange(8)[None, :] < torch.tensor(players)[:, None])
    return make_batch(mask_tensor, policy, value, players, features=torch.from_numpy(features))


def legal_masks(counts: list[int]) -> torch.Tensor:
    masks = torch.zeros(len(counts), 70, dtype=torch.bool)
    for row, count in enumerate(counts):
        masks[row, 52 + row : 52 + row + count] = True  # bids, never past action 69
    return masks


def masked(logits: torch.Tensor, masks: torch.Tensor) -> torch.Tensor:
    return logits.masked_fill(~masks, ILLEGAL_LOGIT)


# ---------------------------------------------------------------------------------------------
# Losses


def test_uniform_logits_give_log_of_legal_count() -> None:
    masks = legal_masks([2, 5, 10])
    policy = masks.float() / masks.sum(dim=1, keepdim=True)
    terms = compute_losses(
        masked(torch.zeros(3, 70), masks), torch.zeros(3, 8), make_batch(masks, policy)
    )
    expected = torch.tensor([2.0, 5.0, 10.0]).log()
    assert terms["policy"].item() == pytest.approx(expected.mean().item(), rel=1e-6)
    assert torch.allclose(terms["policy_per_example"], expected)
    assert terms["policy_entropy_target"].item() == pytest.approx(expected.mean().item(), rel=1e-6)
    assert abs(terms["policy_kl"].item()) < 1e-6


def test_perfect_prediction_gives_near_zero_loss_and_full_agreement() -> None:
    masks = legal_masks([3, 4])
    policy = torch.zeros(2, 70)
    policy[0, 53] = 1.0
    policy[1, 55] = 1.0
    logits = torch.zeros(2, 70)
    logits[0, 53] = logits[1, 55] = 30.0
    value = torch.tensor([[0.5, -0.5, 0.25, 0, 0, 0, 0, 0]] * 2)
    batch = make_batch(masks, policy, value, num_players=[3, 3])
    terms = compute_losses(masked(logits, masks), value.clone(), batch)
    assert terms["policy"].item() < 1e-10
    assert terms["value"].item() == 0.0
    assert terms["total"].item() < 1e-10
    assert terms["policy_top1"].item() == 1.0
    assert terms["value_mae"].item() == 0.0
    assert terms["policy_entropy_target"].item() == 0.0


def test_top1_compares_argmax_of_legal_logits_with_argmax_of_target() -> None:
    masks = legal_masks([3, 3])
    policy = torch.zeros(2, 70)
    policy[0, 52] = policy[1, 53] = 0.9
    policy[0, 54] = policy[1, 54] = 0.1
    logits = torch.zeros(2, 70)
    logits[:, 52] = 5.0  # right for row 0; row 1's legal actions start at 53
    logits[1, 54] = 1.0  # wrong for row 1
    terms = compute_losses(masked(logits, masks), torch.zeros(2, 8), make_batch(masks, policy))
    assert terms["policy_top1"].item() == 0.5


def test_value_loss_covers_only_seats_at_the_table() -> None:
    masks = legal_masks([2, 2])
    policy = masks.float() / 2
    target = torch.zeros(2, 8)
    prediction = torch.full((2, 8), 100.0)  # seats past the table: wildly wrong, must not count
    prediction[0, :3] = 1.0  # 3 players, error 1 on each seat: MSE 1, MAE 1
    prediction[1, :5] = torch.tensor([2.0, 0.0, 0.0, 0.0, 0.0])  # 5 players: MSE 4/5, MAE 2/5
    batch = make_batch(masks, policy, target, num_players=[3, 5])
    terms = compute_losses(masked(torch.zeros(2, 70), masks), prediction, batch)
    assert terms["value"].item() == pytest.approx((1.0 + 0.8) / 2)
    assert terms["value_mae"].item() == pytest.approx((1.0 + 0.4) / 2)


def test_example_weights_scale_each_examples_losses() -> None:
    masks = legal_masks([2, 8])
    policy = masks.float() / masks.sum(dim=1, keepdim=True)
    prediction = torch.zeros(2, 8)
    prediction[0, 0] = 1.0
    prediction[1, 0] = 3.0
    logits = masked(torch.zeros(2, 70), masks)
    batch = make_batch(masks, policy, num_players=[4, 4], weights=[2.0, 0.5])
    terms = compute_losses(logits, prediction, batch, policy_weight=2.0, value_weight=0.5)
    policy_loss = (2.0 * math.log(2) + 0.5 * math.log(8)) / 2
    value_loss = (2.0 * 1 / 4 + 0.5 * 9 / 4) / 2
    assert terms["policy"].item() == pytest.approx(policy_loss, rel=1e-6)
    assert terms["value"].item() == pytest.approx(value_loss, rel=1e-6)
    assert terms["total"].item() == pytest.approx(2.0 * policy_loss + 0.5 * value_loss, rel=1e-6)
    # The per-example policy loss (for priorities) is unweighted.
    assert torch.allclose(terms["policy_per_example"], torch.tensor([2.0, 8.0]).log())


@pytest.mark.parametrize("fill", [ILLEGAL_LOGIT, -math.inf])
def test_masked_logits_and_zero_targets_give_finite_losses_and_gradients(fill: float) -> None:
    masks = legal_masks([1, 3])
    policy = torch.zeros(2, 70)
    policy[0, 52] = 1.0
    policy[1, 54] = 1.0  # zero target on the other legal actions
    policy[1, 0] = 0.5  # mass on an illegal action is ignored
    raw = torch.randn(2, 70, requires_grad=True)
    values = torch.zeros(2, 8, requires_grad=True)
    logits = raw.masked_fill(~masks, fill)
    terms = compute_losses(logits.half().float(), values, make_batch(masks, policy))
    terms["total"].backward()
    assert all(torch.isfinite(terms[name]).all() for name in terms)
    assert raw.grad is not None and torch.isfinite(raw.grad).all()
    assert torch.all(raw.grad[~masks] == 0)


def test_wrong_shapes_are_rejected_by_name() -> None:
    masks = legal_masks([2])
    batch = make_batch(masks, masks.float() / 2)
    with pytest.raises(ValueError, match="logits"):
        compute_losses(torch.zeros(1, 52), torch.zeros(1, 8), batch)
    with pytest.raises(ValueError, match="values"):
        compute_losses(torch.zeros(1, 70), torch.zeros(1, 4), batch)


# ---------------------------------------------------------------------------------------------
# Optimizer, schedule, precision


def test_train_steps_on_a_fixed_batch_lower_the_loss() -> None:
    torch.manual_seed(0)
    batch = real_batch(16)
    trainer = NetworkTrainer(BlobNet("tiny"), settings(learning_rate=3e-3), "cpu", total_steps=30)
    first = trainer.train_step(batch)
    for _ in range(29):
        last = trainer.train_step(batch)
    assert last["loss"] < 0.7 * first["loss"]
    assert last["policy_kl"] < 0.7 * first["policy_kl"]
    assert last["policy_entropy_target"] == pytest.approx(first["policy_entropy_target"], rel=1e-5)
    assert trainer.step == 30
    assert set(first) == {
        "loss",
        "policy_loss",
        "value_loss",
        "policy_top1",
        "value_mae",
        "policy_entropy_target",
        "policy_kl",
        "grad_norm",
        "grad_clipped",
        "lr",
    }
    assert first["loss"] == pytest.approx(first["policy_loss"] + first["value_loss"], rel=1e-6)
    assert first["policy_kl"] == pytest.approx(
        first["policy_loss"] - first["policy_entropy_target"], rel=1e-5
    )


def test_no_weight_decay_on_biases_norms_and_embeddings() -> None:
    net = BlobNet("tiny")
    decay, no_decay = parameter_groups(net, 0.1)
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    names = {id(p): name for name, p in net.named_parameters()}
    decayed = {names[id(p)] for p in decay["params"]}
    kept = {names[id(p)] for p in no_decay["params"]}
    assert decayed | kept == set(names.values()) and not decayed & kept
    assert {"field_embedding.weight", "position_embedding", "final_norm.weight"} <= kept
    assert "card_head.bias" in kept and "encoder.layers.0.self_attn.in_proj_bias" in kept
    assert "encoder.layers.0.linear1.weight" in decayed
    assert "encoder.layers.0.self_attn.in_proj_weight" in decayed
    assert "bid_head.weight" in decayed
    assert all(p.ndim >= 2 for p in decay["params"])


def test_warmup_then_cosine_to_the_floor() -> None:
    s = settings(lr_schedule="cosine", warmup_steps=10, min_lr_ratio=0.1)
    factors = [lr_multiplier(step, s, 110) for step in range(130)]
    assert factors[:10] == pytest.approx([(k + 1) / 10 for k in range(10)])
    assert factors[10] == pytest.approx(1.0)
    assert factors[60] == pytest.approx(0.1 + 0.9 * 0.5)  # half way: the cosine's midpoint
    assert all(a > b for a, b in zip(factors[10:110], factors[11:111], strict=True))
    assert factors[110:] == pytest.approx([0.1] * 20)


def test_step_and_constant_schedules() -> None:
    step = settings(lr_schedule="step", warmup_steps=0, lr_step_size=5, lr_gamma=0.5)
    assert [lr_multiplier(k, step, 100) for k in (0, 4, 5, 9, 10, 17)] == [
        1,
        1,
        0.5,
        0.5,
        0.25,
        0.125,
    ]
    constant = settings(lr_schedule="constant", warmup_steps=4)
    assert [lr_multiplier(k, constant, 10) for k in (0, 1, 3, 4, 50)] == [0.25, 0.5, 1, 1, 1]


def test_trainer_steps_follow_the_schedule() -> None:
    torch.manual_seed(0)
    s = settings(lr_schedule="cosine", warmup_steps=2, learning_rate=1e-2, min_lr_ratio=0.2)
    trainer = NetworkTrainer(BlobNet("tiny"), s, "cpu", total_steps=6)
    batch = real_batch(4)
    lrs = [trainer.train_step(batch)["lr"] for _ in range(8)]
    assert lrs == pytest.approx([1e-2 * lr_multiplier(k, s, 6) for k in range(8)])
    assert lrs[0] == pytest.approx(0.5e-2) and lrs[-1] == pytest.approx(0.2e-2)
    assert trainer.lr == pytest.approx(0.2e-2)


def test_gradient_clipping_is_reported_and_applied() -> None:
    batch = real_batch(8)
    torch.manual_seed(3)
    net = BlobNet("tiny")
    unclipped = NetworkTrainer(BlobNet("tiny"), settings(grad_clip=0.0), "cpu", total_steps=1)
    unclipped.net.load_state_dict(net.state_dict())
    reference = unclipped.train_step(batch)
    assert reference["grad_clipped"] == 0.0
    clipped = NetworkTrainer(net, settings(grad_clip=1e-3), "cpu", total_steps=1)
    metrics = clipped.train_step(batch)
    assert metrics["grad_norm"] == pytest.approx(reference["grad_norm"], rel=1e-5)
    assert metrics["grad_norm"] > 1e-3 and metrics["grad_clipped"] == 1.0
    grads = [p.grad for p in clipped.net.parameters() if p.grad is not None]
    assert torch.linalg.vector_norm(torch.stack([g.norm() for g in grads])).item() <= 1e-3 * 1.001


def test_bad_settings_are_named() -> None:
    net = BlobNet("tiny")
    with pytest.raises(ValueError, match="training.lr_schedule"):
        NetworkTrainer(net, settings(lr_schedule="linear"), "cpu", total_steps=10)
    with pytest.raises(ValueError, match="training.amp"):
        NetworkTrainer(net, settings(amp="fp8"), "cpu", total_steps=10)
    with pytest.raises(ValueError, match="training.lr_step_size"):
        NetworkTrainer(net, settings(lr_schedule="step", lr_step_size=0), "cpu", total_steps=10)
    with pytest.raises(ValueError, match="total_steps"):
        NetworkTrainer(net, settings(), "cpu", total_steps=-1)


def test_amp_resolution() -> None:
    assert resolve_amp("auto", "cpu") is None
    assert resolve_amp("off", "cpu") is None
    assert resolve_amp("bf16", "cpu") == torch.bfloat16
    assert resolve_amp("fp16", "cpu") == torch.float16
    trainer = NetworkTrainer(BlobNet("tiny"), settings(amp="auto"), "cpu", total_steps=1)
    assert trainer.amp_dtype is None and trainer.scaler is None


@pytest.mark.parametrize("amp", ["bf16", "fp16"])
def test_mixed_precision_steps_keep_float32_weights_and_lower_the_loss(amp: str) -> None:
    torch.manual_seed(0)
    net = BlobNet("tiny")
    net.illegal_logit = -3.0e4  # fits in fp16
    trainer = NetworkTrainer(net, settings(amp=amp, learning_rate=3e-3), "cpu", total_steps=10)
    assert (trainer.scaler is not None) == (amp == "fp16")
    batch = real_batch(8)
    history = [trainer.train_step(batch)["loss"] for _ in range(10)]
    assert all(math.isfinite(loss) for loss in history)
    assert history[-1] < history[0]
    assert all(p.dtype == torch.float32 for p in trainer.net.parameters())
    state = trainer.state_dict()
    assert (state["scaler"] != {}) == (amp == "fp16")


def test_non_finite_loss_stops_before_the_update() -> None:
    trainer = NetworkTrainer(BlobNet("tiny"), settings(), "cpu", total_steps=1)
    before = {k: v.clone() for k, v in trainer.net.state_dict().items()}
    batch = real_batch(4)
    poisoned = make_batch(
        batch.masks,
        batch.policy,
        torch.full((4, 8), math.nan),
        batch.num_players.tolist(),
        features=batch.features,
    )
    with pytest.raises(FloatingPointError, match="step 0"):
        trainer.train_step(poisoned)
    assert all(torch.equal(before[k], v) for k, v in trainer.net.state_dict().items())
    assert trainer.step == 0


class FakeBuffer:
    def __init__(self, batches: list[TrainingBatch], prioritized: bool) -> None:
        self.batches = batches
        self.prioritized = prioritized
        self.requests: list[tuple[int, torch.device]] = []
        self.updates: list[tuple[np.ndarray, np.ndarray]] = []

    def sample_batch(self, batch_size: int, device: str | torch.device = "cpu") -> TrainingBatch:
        self.requests.append((batch_size, torch.device(device)))
        return self.batches[(len(self.requests) - 1) % len(self.batches)]

    def update_priorities(self, indices: np.ndarray, priorities: np.ndarray) -> None:
        self.updates.append((indices, priorities))


@pytest.mark.parametrize("prioritized", [False, True])
def test_train_samples_the_buffer_and_averages_metrics(prioritized: bool) -> None:
    batches = [real_batch(4, seed=1), real_batch(4, seed=2)]
    torch.manual_seed(0)
    net = BlobNet("tiny")
    reference = NetworkTrainer(BlobNet("tiny"), settings(batch_size=4), "cpu", total_steps=3)
    reference.net.load_state_dict(net.state_dict())
    expected = []
    expected_priorities = []
    for step in range(3):
        batch = batches[step % 2]
        with torch.no_grad():
            logits, values = reference.net(batch.features, batch.masks)
            expected_priorities.append(
                compute_losses(logits, values, batch)["policy_per_example"]
                .double()
                .clamp(min=1e-6)
                .numpy()
            )
        expected.append(reference.train_step(batch))

    buffer = FakeBuffer(batches, prioritized)
    trainer = NetworkTrainer(net, settings(batch_size=4), "cpu", total_steps=3)
    seen: list[tuple[int, dict[str, float]]] = []
    means = trainer.train(buffer, 3, progress_callback=lambda done, m: seen.append((done, m)))
    assert buffer.requests == [(4, torch.device("cpu"))] * 3
    assert [done for done, _ in seen] == [1, 2, 3]
    assert [m["loss"] for _, m in seen] == [m["loss"] for m in expected]
    assert means["steps"] == 3
    for name in ("loss", "policy_loss", "value_loss", "grad_norm", "lr"):
        assert means[name] == pytest.approx(sum(m[name] for m in expected) / 3)
    if not prioritized:
        assert buffer.updates == []
        return
    assert len(buffer.updates) == 3
    for step, (indices, priorities) in enumerate(buffer.updates):
        assert indices.dtype == np.int64 and np.array_equal(indices, np.arange(4))
        assert priorities.dtype == np.float64 and np.all(priorities > 0)
        np.testing.assert_allclose(priorities, expected_priorities[step], rtol=1e-5)
    assert trainer.train(buffer, 0) == {}


# ---------------------------------------------------------------------------------------------
# Resume and checkpoints


def _payload(trainer: NetworkTrainer, iteration: int) -> dict[str, Any]:
    net = trainer.net
    return {
        "format": CHECKPOINT_FORMAT,
        "iteration": iteration,
        "net_config": net_config_to_dict(net.config),
        "model": net.state_dict(),
        "best_model": net.state_dict(),
        "trainer": trainer.state_dict(),
        "config": {"training": {"batch_size": 8, "lr_schedule": "cosine"}},
        "elo": {"ratings": {"gen0": 0.0}, "history": [[0, "gen0", 0.0]]},
        "rng": capture_rng_state(),
    }


@pytest.mark.parametrize("amp", ["off", "fp16"])
def test_training_continues_bit_for_bit_after_a_checkpoint_reload(amp: str, tmp_path: Path) -> None:
    batches = [real_batch(6, seed=s) for s in range(6)]
    s = settings(lr_schedule="cosine", warmup_steps=2, amp=amp, learning_rate=3e-3)

    def fresh() -> NetworkTrainer:
        torch.manual_seed(7)
        net = BlobNet(NetConfig(d_model=16, num_layers=1, num_heads=2, ff_multiplier=2))
        net.illegal_logit = -3.0e4
        return NetworkTrainer(net, s, "cpu", total_steps=6)

    uninterrupted = fresh()
    for batch in batches:
        uninterrupted.train_step(batch)

    first = fresh()
    for batch in batches[:3]:
        first.train_step(batch)
    save_checkpoint(tmp_path / "run.pt", _payload(first, iteration=1))
    del first

    data = load_checkpoint(tmp_path / "run.pt")
    resumed = fresh()
    resumed.net.load_state_dict(data["model"])
    resumed.load_state_dict(data["trainer"])
    assert resumed.step == 3
    for batch in batches[3:]:
        resumed.train_step(batch)

    assert resumed.step == uninterrupted.step == 6
    assert resumed.lr == uninterrupted.lr
    for (name, a), b in zip(
        uninterrupted.net.state_dict().items(), resumed.net.state_dict().values(), strict=True
    ):
        assert torch.equal(a, b), name
    a_state = uninterrupted.optimizer.state_dict()["state"]
    b_state = resumed.optimizer.state_dict()["state"]
    for key in a_state:
        for field in a_state[key]:
            assert torch.equal(
                torch.as_tensor(a_state[key][field]), torch.as_tensor(b_state[key][field])
            )


def test_trainer_state_errors_name_the_key() -> None:
    trainer = NetworkTrainer(BlobNet("tiny"), settings(), "cpu", total_steps=1)
    state = trainer.state_dict()
    del state["scheduler"]
    with pytest.raises(ValueError, match="scheduler"):
        trainer.load_state_dict(state)
    other = NetworkTrainer(BlobNet("small"), settings(), "cpu", total_steps=1)
    other.train_step(real_batch(2))
    with pytest.raises(ValueError, match="optimizer"):
        trainer.load_state_dict(other.state_dict())


def test_checkpoint_round_trip_keeps_everything(tmp_path: Path) -> None:
    torch.manual_seed(0)
    trainer = NetworkTrainer(BlobNet("tiny"), settings(), "cpu", total_steps=5)
    trainer.train_step(real_batch(4))
    random.seed(11)
    np.random.seed(12)
    torch.manual_seed(13)
    payload = _payload(trainer, iteration=4)
    path = tmp_path / "nested" / "checkpoint.pt"
    save_checkpoint(path, payload)
    draws = (random.random(), np.random.random(), np.random.randn(), torch.rand(3))

    data = load_checkpoint(path)
    assert data["format"] == CHECKPOINT_FORMAT and data["iteration"] == 4
    assert data["config"] == payload["config"] and data["elo"] == payload["elo"]
    assert data["net_config"] == net_config_to_dict(BlobNet("tiny").config)
    for key, tensor in payload["model"].items():
        assert torch.equal(data["model"][key], tensor)
    assert data["trainer"]["step"] == 1
    assert data["trainer"]["scheduler"] == payload["trainer"]["scheduler"]
    exp_avg = payload["trainer"]["optimizer"]["state"][0]["exp_avg"]
    assert torch.equal(data["trainer"]["optimizer"]["state"][0]["exp_avg"], exp_avg)
    assert (
        data["trainer"]["optimizer"]["param_groups"]
        == payload["trainer"]["optimizer"]["param_groups"]
    )

    random.seed(99)
    np.random.seed(99)
    torch.manual_seed(99)
    restore_rng_state(data["rng"])
    again = (random.random(), np.random.random(), np.random.randn(), torch.rand(3))
    assert again[:3] == draws[:3] and torch.equal(again[3], draws[3])
    assert [p.name for p in tmp_path.joinpath("nested").iterdir()] == ["checkpoint.pt"]


def test_rng_state_keeps_a_cached_gaussian(tmp_path: Path) -> None:
    np.random.seed(5)
    np.random.randn()  # leaves the second Gaussian of the pair cached
    random.seed(6)
    random.gauss(0.0, 1.0)
    save_checkpoint(tmp_path / "c.pt", {"rng": capture_rng_state()})
    expected = (np.random.randn(), random.gauss(0.0, 1.0))
    restore_rng_state(load_checkpoint(tmp_path / "c.pt")["rng"])
    assert (np.random.randn(), random.gauss(0.0, 1.0)) == expected


def test_malformed_rng_state_changes_nothing() -> None:
    state = capture_rng_state()
    with pytest.raises(ValueError, match="numpy"):
        restore_rng_state({k: v for k, v in state.items() if k != "numpy"})
    bad = dict(state)
    bad["python"] = {"version": 3, "state": [1, 2, 3], "gauss_next": None}
    random.seed(1)
    expected = random.getstate()
    with pytest.raises(ValueError, match="python"):
        restore_rng_state(bad)
    assert random.getstate() == expected


def test_crash_during_write_keeps_the_previous_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "checkpoint.pt"
    save_checkpoint(path, {"iteration": 1, "model": {"w": torch.ones(3)}})

    def crashing_save(obj: object, file: Any, *args: Any, **kwargs: Any) -> None:
        file.write(b"PK\x03\x04 partial bytes of a zip archive")
        raise OSError("No space left on device")

    monkeypatch.setattr(torch, "save", crashing_save)
    with pytest.raises(OSError, match="No space left"):
        save_checkpoint(path, {"iteration": 2, "model": {"w": torch.zeros(3)}})
    monkeypatch.undo()

    data = load_checkpoint(path)
    assert data["iteration"] == 1 and torch.equal(data["model"]["w"], torch.ones(3))
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.pt"]


def test_save_rejects_values_that_cannot_be_loaded_weights_only(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"\['rng'\]\['numpy'\]"):
        save_checkpoint(tmp_path / "c.pt", {"rng": {"numpy": np.zeros(3)}})
    with pytest.raises(ValueError, match="format"):
        save_checkpoint(tmp_path / "c.pt", {"format": "something.else"})
    assert list(tmp_path.iterdir()) == []


class Unsafe:
    pass


def _write_corrupt(kind: str, path: Path) -> None:
    if kind == "truncated":
        save_checkpoint(path, {"model": {"w": torch.arange(1000.0)}})
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "garbage":
        path.write_bytes(bytes(range(256)) * 4)
    elif kind == "pickled object":
        torch.save({"format": CHECKPOINT_FORMAT, "object": Unsafe()}, path)
    elif kind == "not a dict":
        torch.save([1, 2, 3], path)
    elif kind == "no format":
        torch.save({"iteration": 1}, path)
    elif kind == "wrong format":
        torch.save({"format": "blobzero.checkpoint.v0"}, path)
    elif kind == "directory":
        path.mkdir()


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("missing", "does not exist"),
        ("directory", "is not a file"),
        ("truncated", "cannot be read"),
        ("empty", "cannot be read"),
        ("garbage", "cannot be read"),
        ("pickled object", "cannot be read"),
        ("not a dict", "holds a list, not a dict"),
        ("no format", "has format None"),
        ("wrong format", "has format 'blobzero.checkpoint.v0'"),
    ],
)
def test_bad_checkpoint_files_raise_value_errors_naming_file_and_problem(
    kind: str, message: str, tmp_path: Path
) -> None:
    path = tmp_path / f"{kind.replace(' ', '_')}.pt"
    _write_corrupt(kind, path)
    with pytest.raises(ValueError, match=message) as error:
        load_checkpoint(path)
    assert path.name in str(error.value)


def test_load_network_rebuilds_the_stored_weights(tmp_path: Path) -> None:
    torch.manual_seed(0)
    config = NetConfig(d_model=16, num_layers=2, num_heads=2, ff_multiplier=2)
    model, best = BlobNet(config), BlobNet(config)
    path = tmp_path / "c.pt"
    save_checkpoint(
        path,
        {
            "net_config": net_config_to_dict(config),
            "model": model.state_dict(),
            "best_model": best.state_dict(),
        },
    )
    batch = real_batch(4)
    for which, original in (("model", model), ("best_model", best)):
        loaded = load_network(path, which=which)
        assert loaded.config == config and not loaded.training
        with torch.no_grad():
            expected = original.eval()(batch.features, batch.masks)
            actual = loaded(batch.features, batch.masks)
        assert torch.equal(expected[0], actual[0]) and torch.equal(expected[1], actual[1])
    with pytest.raises(ValueError, match="which"):
        load_network(path, which="latest")


def test_play_settings_travel_with_checkpoints(tmp_path: Path) -> None:
    from blobzero.nn.checkpoint import DEFAULT_PLAY, PlaySettings, load_play_settings

    config = NetConfig(d_model=16, num_layers=1, num_heads=2)
    payload = {"net_config": net_config_to_dict(config), "model": BlobNet(config).state_dict()}
    path = tmp_path / "p.pt"
    save_checkpoint(path, payload)
    assert load_play_settings(path) == DEFAULT_PLAY == PlaySettings(3, 30, 0.0, 1.5)
    save_checkpoint(path, {**payload, "play": PlaySettings(2, 8, 0.5, 0.75).to_dict()})
    assert load_play_settings(path) == PlaySettings(2, 8, 0.5, 0.75)
    # Play settings saved before c_puct was kept explore at the engine's constant.
    older = {"num_worlds": 2, "simulations_per_world": 8, "rollout_weight": 0.5}
    save_checkpoint(path, {**payload, "play": older})
    assert load_play_settings(path) == PlaySettings(2, 8, 0.5, 1.5)
    for play, message in (
        ({"num_worlds": 0}, "num_worlds"),
        ({"rollout_weight": 2.0}, "rollout_weight"),
        ({"c_puct": 0.0}, "c_puct"),
        ({"c_puct": float("inf")}, "c_puct"),
        ({"c_puct": True}, "c_puct"),
        ({"depth": 3}, "'play' must be a dict"),
        ([1, 2], "'play' must be a dict"),
    ):
        save_checkpoint(path, {**payload, "play": play})
        with pytest.raises(ValueError, match=message):
            load_play_settings(path)


def test_networks_saved_before_the_features_key_read_world_features(tmp_path: Path) -> None:
    observing = NetConfig(d_model=16, num_layers=1, num_heads=2, features="observation")
    path = tmp_path / "o.pt"
    save_checkpoint(
        path,
        {"net_config": net_config_to_dict(observing), "model": BlobNet(observing).state_dict()},
    )
    assert load_network(path).config.features == "observation"
    older = {k: v for k, v in net_config_to_dict(observing).items() if k != "features"}
    save_checkpoint(path, {"net_config": older, "model": BlobNet(observing).state_dict()})
    assert load_network(path).config.features == "world"


def test_load_network_errors_name_the_problem(tmp_path: Path) -> None:
    config = BlobNet("tiny").config
    state = BlobNet("tiny").state_dict()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"model": state}, "missing key 'net_config'"),
        ({"net_config": net_config_to_dict(config)}, "missing key 'model'"),
        ({"net_config": {**net_config_to_dict(config), "depth": 3}, "model": state}, "'depth'"),
        (
            {"net_config": {**net_config_to_dict(config), "d_model": "32"}, "model": state},
            "d_model",
        ),
        (
            {
                "net_config": net_config_to_dict(config),
                "model": {**state, "extra.weight": torch.ones(1)},
            },
            "extra.weight",
        ),
        (
            {
                "net_config": net_config_to_dict(config),
                "model": {k: v for k, v in state.items() if k != "card_head.bias"},
            },
            "card_head.bias",
        ),
        (
            {"net_config": net_config_to_dict(BlobNet("small").config), "model": state},
            "does not fit",
        ),
        (
            {"net_config": {**net_config_to_dict(config), "features": "all"}, "model": state},
            "features",
        ),
        (
            {"net_config": {**net_config_to_dict(config), "card_relations": 1}, "model": state},
            "card_relations",
        ),
        (
            {"net_config": {**net_config_to_dict(config), "features": 1}, "model": state},
            "features",
        ),
    ]
    for index, (payload, message) in enumerate(cases):
        path = tmp_path / f"case{index}.pt"
        save_checkpoint(path, payload)
        with pytest.raises(ValueError, match=message) as error:
            load_network(path)
        assert path.name in str(error.value)


def test_evaluate_positions_reports_the_no_learning_levels() -> None:
    from blobzero.training.losses import evaluate_positions

    class Indifferent(torch.nn.Module):
        """Uniform over the legal actions, 0 for every seat."""

        def forward(
            self, features: torch.Tensor, masks: torch.Tensor
        ) -> tuple[torch.Tensor, torch.Tensor]:
            logits = torch.zeros(masks.shape).masked_fill(masks == 0, -1e9)
            return logits, torch.zeros(features.shape[0], 8)

    rng = np.random.default_rng(0)
    count = 37
    masks = np.zeros((count, 70), np.uint8)
    policy = np.zeros((count, 70), np.float32)
    for row in range(count):
        legal = rng.choice(70, size=int(rng.integers(1, 9)), replace=False)
        masks[row, legal] = 1
        policy[row, legal] = rng.dirichlet(np.ones(len(legal)))
    num_players = rng.integers(3, 9, size=count).astype(np.uint8)
    value = rng.uniform(-1, 1, size=(count, 8)).astype(np.float32)
    value[np.arange(8)[None, :] >= num_players[:, None]] = 0.0
    features = np.zeros((count, 61, 8), np.uint8)

    result = evaluate_positions(
        Indifferent(), features, masks, policy, value, num_players, batch_size=10
    )
    assert result["policy_loss"] == pytest.approx(result["uniform_policy_loss"], rel=1e-5)
    assert result["uniform_policy_loss"] == pytest.approx(np.log(masks.sum(1)).mean(), rel=1e-5)
    assert result["value_loss"] == pytest.approx(result["zero_value_loss"], rel=1e-5)
    seats = np.arange(8)[None, :] < num_players[:, None]
    expected = ((value**2 * seats).sum(1) / seats.sum(1)).mean()
    assert result["zero_value_loss"] == pytest.approx(expected, rel=1e-5)
    assert (
        evaluate_positions(
            Indifferent(), features[:0], masks[:0], policy[:0], value[:0], num_players[:0]
        )
        == {}
    )


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        member = max(archive.infolist(), key=lambda info: info.file_size)  # a weight tensor
    start = member.header_offset + 200 + member.file_size // 3
    if how == "flipped bit":
        data[start] ^= 0x10
    else:  # a zeroed block, as a failing disk leaves
        data[start : start + 512] = bytes(512)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["flipped bit", "zeroed block"])
def test_damaged_checkpoints_are_refused(tmp_path: Path, how: str) -> None:
    path = tmp_path / "net.pt"
    net = BlobNet("tiny")
    save_checkpoint(path, {"net_config": net_config_to_dict(net.config), "model": net.state_dict()})
    _damage(path, how)
    with pytest.raises(ValueError, match=r"net\.pt.*damaged.*CRC"):
        load_checkpoint(path)
    with pytest.raises(ValueError, match="damaged"):
        load_network(path)


def test_networks_with_non_finite_weights_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "nan.pt"
    net = BlobNet("tiny")
    state = net.state_dict()
    state["card_head.bias"] = torch.tensor([float("nan")])
    save_checkpoint(path, {"net_config": net_config_to_dict(net.config), "model": state})
    with pytest.raises(ValueError, match="tensor 'card_head.bias' holds non-finite values"):
        load_network(path)


@pytest.mark.parametrize(
    ("field", "value"),
    [("d_model", 2**20), ("num_layers", 10**6), ("num_heads", 4096), ("ff_multiplier", 10**4)],
)
def test_absurd_network_sizes_are_refused(field: str, value: int) -> None:
    with pytest.raises(ValueError, match=f"{field} = {value} is outside"):
        NetConfig(**{field: value, **({"num_heads": 1} if field == "d_model" else {})})
