"""Training of a BlobNet on replay batches, and checkpoint files.

Losses (``compute_losses``): policy cross-entropy against the search policy over the legal
actions, value mean squared error over the seats at the table, both weighted per example by the
batch's importance weights. ``NetworkTrainer`` runs AdamW with a warmup + cosine / step /
constant learning-rate schedule, gradient clipping and mixed precision on GPU; its state
(optimizer, scheduler, loss scaler, step) goes into checkpoints so a resumed run continues
exactly where it stopped.

Checkpoints are ``torch.save`` files holding only tensors and plain containers (dict, list,
tuple, str, int, float, bool, None), written atomically and read with ``weights_only=True``:
no file is ever unpickled. Payload keys (written by the training pipeline):
``"format"`` = ``CHECKPOINT_FORMAT``, ``"iteration"``, ``"net_config"`` (``net_config_to_dict``),
``"model"`` and ``"best_model"`` (state dicts), ``"trainer"`` (``NetworkTrainer.state_dict()``),
``"config"``, ``"elo"``, ``"rng"`` (``capture_rng_state()``).
"""

from __future__ import annotations

import dataclasses
import math
import os
import random
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, TypeAlias

import numpy as np
import torch
from torch import nn

from blobzero._core.game import MAX_PLAYERS, NUM_ACTIONS
from blobzero.atomic_file import write_atomically
from blobzero.network import ILLEGAL_LOGIT, BlobNet, NetConfig

CHECKPOINT_FORMAT = "blobzero.checkpoint.v2"
LR_SCHEDULES = ("cosine", "step", "constant")
AMP_MODES = ("auto", "bf16", "fp16", "off")

LossTerms: TypeAlias = dict[str, torch.Tensor]
"""What ``compute_losses`` returns. Scalars: ``total``, ``policy``, ``value`` (with gradients)
and the detached metrics ``policy_top1``, ``value_mae``, ``policy_entropy_target``,
``policy_kl``; plus ``policy_per_example`` (detached, [B]: each example's unweighted policy
cross-entropy, the priority for prioritized replay)."""

ProgressCallback: TypeAlias = Callable[[int, dict[str, float]], None]
"""``callback(steps_done, metrics_of_that_step)``, called after every step of ``train``."""


class TrainingBatchLike(Protocol):
    """What the trainer reads from a batch (``blobzero.replay.TrainingBatch``), all on one
    device: features uint8 [B, 61, 8], masks bool [B, 70], policy float32 [B, 70], value
    float32 [B, 8], num_players long [B], indices long [B], weights float32 [B]."""

    @property
    def features(self) -> torch.Tensor: ...
    @property
    def masks(self) -> torch.Tensor: ...
    @property
    def policy(self) -> torch.Tensor: ...
    @property
    def value(self) -> torch.Tensor: ...
    @property
    def num_players(self) -> torch.Tensor: ...
    @property
    def indices(self) -> torch.Tensor: ...
    @property
    def weights(self) -> torch.Tensor: ...


class TrainingSettingsLike(Protocol):
    """The fields of ``blobzero.config.TrainingSettings`` the trainer uses."""

    @property
    def batch_size(self) -> int: ...
    @property
    def learning_rate(self) -> float: ...
    @property
    def weight_decay(self) -> float: ...
    @property
    def lr_schedule(self) -> str: ...
    @property
    def warmup_steps(self) -> int: ...
    @property
    def lr_step_size(self) -> int: ...
    @property
    def lr_gamma(self) -> float: ...
    @property
    def min_lr_ratio(self) -> float: ...
    @property
    def grad_clip(self) -> float: ...
    @property
    def policy_weight(self) -> float: ...
    @property
    def value_weight(self) -> float: ...
    @property
    def amp(self) -> str: ...


class BatchSource(Protocol):
    """A replay buffer as ``NetworkTrainer.train`` uses it. A buffer with a true
    ``prioritized`` attribute also gets ``update_priorities(indices, priorities)`` calls."""

    def sample_batch(self, batch_size: int, device: torch.device, /) -> TrainingBatchLike: ...


# --------------------------------------------------------------------------------------------
# Losses


def compute_losses(
    logits: torch.Tensor,
    values: torch.Tensor,
    batch: TrainingBatchLike,
    policy_weight: float = 1.0,
    value_weight: float = 1.0,
) -> LossTerms:
    """Losses of the network outputs ``logits`` [B, 70] and ``values`` [B, 8] against ``batch``.

    All arithmetic is float32 whatever the outputs' dtype.
    - ``policy``: per example ``-sum(target * log_softmax(logits))`` over the legal actions
      (``batch.masks``); target mass on illegal actions is ignored. Mean over the batch of
      ``weights * cross_entropy``.
    - ``value``: per example the mean squared error over the seats ``< num_players``; mean over
      the batch of ``weights * mse``.
    - ``total`` = ``policy_weight * policy + value_weight * value``.
    - Metrics (no gradient): ``policy_top1`` (fraction of examples whose most likely legal action
      is the target's most likely action), ``value_mae`` (mean absolute error per seat at the
      table, averaged over examples), ``policy_entropy_target`` (weighted mean entropy of the
      targets: the least the policy loss can reach), ``policy_kl`` = ``policy`` -
      ``policy_entropy_target``, and ``policy_per_example`` [B] (unweighted cross-entropy).

    Raises ValueError naming the tensor when a shape does not match.
    """
    batch_size = batch.policy.shape[0]
    expected = {
        "logits": (logits, (batch_size, NUM_ACTIONS)),
        "values": (values, (batch_size, MAX_PLAYERS)),
        "batch.masks": (batch.masks, (batch_size, NUM_ACTIONS)),
        "batch.policy": (batch.policy, (batch_size, NUM_ACTIONS)),
        "batch.value": (batch.value, (batch_size, MAX_PLAYERS)),
        "batch.num_players": (batch.num_players, (batch_size,)),
        "batch.weights": (batch.weights, (batch_size,)),
    }
    for name, (tensor, shape) in expected.items():
        if tuple(tensor.shape) != shape:
            raise ValueError(f"{name} must have shape {shape}, got {tuple(tensor.shape)}")

    legal = batch.masks.bool()
    target = batch.policy.float()
    weights = batch.weights.float()
    # Re-mask in float32: under fp16 autocast the network's illegal logits may have become -inf.
    masked_logits = logits.float().masked_fill(~legal, ILLEGAL_LOGIT)
    log_probs = torch.where(legal, torch.log_softmax(masked_logits, dim=1), 0.0)
    cross_entropy = -(target * log_probs).sum(dim=1)
    policy = (weights * cross_entropy).mean()

    seats = torch.arange(MAX_PLAYERS, device=values.device)
    at_table = seats[None, :] < batch.num_players[:, None]
    seat_count = at_table.sum(dim=1).clamp(min=1)
    error = torch.where(at_table, values.float() - batch.value.float(), 0.0)
    mse = error.square().sum(dim=1) / seat_count
    value = (weights * mse).mean()

    total = policy_weight * policy + value_weight * value

    with torch.no_grad():
        positive = legal & (target > 0)
        target_log = torch.where(positive, torch.log(torch.where(positive, target, 1.0)), 0.0)
        entropy = -(target * target_log).sum(dim=1)
        policy_entropy_target = (weights * entropy).mean()
        legal_target = torch.where(legal, target, -1.0)
        top1 = (masked_logits.argmax(dim=1) == legal_target.argmax(dim=1)).float().mean()
        value_mae = (error.abs().sum(dim=1) / seat_count).mean()
        policy_kl = policy.detach() - policy_entropy_target
    return {
        "total": total,
        "policy": policy,
        "value": value,
        "policy_top1": top1,
        "value_mae": value_mae,
        "policy_entropy_target": policy_entropy_target,
        "policy_kl": policy_kl,
        "policy_per_example": cross_entropy.detach(),
    }


# --------------------------------------------------------------------------------------------
# Optimizer, schedule, precision


def evaluate_positions(
    net: nn.Module,
    features: np.ndarray,
    masks: np.ndarray,
    policy: np.ndarray,
    value: np.ndarray,
    num_players: np.ndarray,
    device: str | torch.device = "cpu",
    batch_size: int = 1024,
) -> dict[str, float]:
    """Losses of ``net`` on positions it has not trained on (e.g. the records of the self-play
    that just ended), with the levels that mean "learned nothing" beside them.

    Arrays as in ``SelfPlayRecords``. Returns the mean over positions of ``policy_loss``,
    ``value_loss``, ``policy_top1``, ``policy_entropy_target`` (the floor of the policy loss) as
    ``compute_losses`` defines them, plus ``uniform_policy_loss`` (the policy loss of a uniform
    policy over the legal actions: log of their number) and ``zero_value_loss`` (the value loss
    of predicting 0 for every seat). An empty input gives an empty dict. ``net`` is put in eval
    mode and left there."""
    from blobzero.replay import TrainingBatch

    count = int(features.shape[0])
    if count == 0:
        return {}
    net.eval()
    sums: dict[str, float] = {}
    with torch.inference_mode():
        for start in range(0, count, batch_size):
            rows = slice(start, min(start + batch_size, count))
            batch = TrainingBatch(
                features=torch.from_numpy(features[rows]).to(device),
                masks=torch.from_numpy(masks[rows]).to(device).bool(),
                policy=torch.from_numpy(policy[rows]).to(device).float(),
                value=torch.from_numpy(value[rows]).to(device).float(),
                num_players=torch.from_numpy(num_players[rows]).to(device).long(),
                indices=torch.arange(rows.start, rows.stop, device=device),
                weights=torch.ones(rows.stop - rows.start, device=device),
            )
            logits, values = net(batch.features, batch.masks)
            terms = compute_losses(logits, values, batch)
            seats = torch.arange(MAX_PLAYERS, device=device) < batch.num_players[:, None]
            squared = (batch.value**2 * seats).sum(dim=1) / seats.sum(dim=1)
            size = float(rows.stop - rows.start)
            observed = {
                "policy_loss": terms["policy"],
                "value_loss": terms["value"],
                "policy_top1": terms["policy_top1"],
                "policy_entropy_target": terms["policy_entropy_target"],
                "uniform_policy_loss": batch.masks.sum(dim=1).float().log().mean(),
                "zero_value_loss": squared.mean(),
            }
            for name, tensor in observed.items():
                sums[name] = sums.get(name, 0.0) + float(tensor) * size
    return {name: total / count for name, total in sums.items()}


def lr_multiplier(step: int, settings: TrainingSettingsLike, total_steps: int) -> float:
    """The factor on ``settings.learning_rate`` for optimizer step ``step`` (0-based).

    Linear warmup over the first ``warmup_steps`` steps (``(step + 1) / warmup_steps``), then:
    ``cosine`` from 1 at ``warmup_steps`` down to ``min_lr_ratio`` at ``total_steps`` (and
    ``min_lr_ratio`` after); ``step``: ``lr_gamma ** (step // lr_step_size)`` (counted from step
    0); ``constant``: 1.
    """
    warmup = settings.warmup_steps
    if step < warmup:
        return (step + 1) / warmup
    schedule = settings.lr_schedule
    if schedule == "cosine":
        span = total_steps - warmup
        progress = 1.0 if span <= 0 else min(1.0, (step - warmup) / span)
        ratio = settings.min_lr_ratio
        return ratio + (1.0 - ratio) * 0.5 * (1.0 + math.cos(math.pi * progress))
    if schedule == "step":
        return float(settings.lr_gamma ** (step // settings.lr_step_size))
    if schedule == "constant":
        return 1.0
    raise ValueError(
        f"training.lr_schedule: unknown schedule {schedule!r} "
        f"(expected one of: {', '.join(LR_SCHEDULES)})"
    )


def resolve_amp(amp: str, device: str | torch.device) -> torch.dtype | None:
    """The autocast dtype for ``settings.amp`` on ``device``, None for full precision.

    ``auto``: bf16 on CUDA when supported, else fp16 on CUDA, off elsewhere. ``bf16``/``fp16``
    are honoured on any device (CPU autocast supports both); ``bf16`` on a CUDA device without
    bf16 support is an error. ``off``: None.
    """
    device = torch.device(device)
    if amp == "off":
        return None
    if amp == "auto":
        if device.type != "cuda":
            return None
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if amp == "bf16":
        if device.type == "cuda" and not torch.cuda.is_bf16_supported():
            raise ValueError("training.amp: bf16 is not supported on this CUDA device")
        return torch.bfloat16
    if amp == "fp16":
        return torch.float16
    raise ValueError(
        f"training.amp: unknown mode {amp!r} (expected one of: {', '.join(AMP_MODES)})"
    )


def _check_settings(settings: TrainingSettingsLike, total_steps: int) -> None:
    if not isinstance(total_steps, int) or isinstance(total_steps, bool) or total_steps < 0:
        raise ValueError(f"total_steps must be a non-negative int, got {total_steps!r}")
    if settings.batch_size < 1:
        raise ValueError(f"training.batch_size must be positive, got {settings.batch_size}")
    if not settings.learning_rate > 0:
        raise ValueError(f"training.learning_rate must be positive, got {settings.learning_rate}")
    if settings.weight_decay < 0:
        raise ValueError(f"training.weight_decay must be >= 0, got {settings.weight_decay}")
    if settings.warmup_steps < 0:
        raise ValueError(f"training.warmup_steps must be >= 0, got {settings.warmup_steps}")
    if settings.lr_schedule not in LR_SCHEDULES:
        raise ValueError(
            f"training.lr_schedule: unknown schedule {settings.lr_schedule!r} "
            f"(expected one of: {', '.join(LR_SCHEDULES)})"
        )
    if settings.lr_schedule == "step":
        if settings.lr_step_size < 1:
            raise ValueError(
                f"training.lr_step_size must be positive for the step schedule, "
                f"got {settings.lr_step_size}"
            )
        if not settings.lr_gamma > 0:
            raise ValueError(f"training.lr_gamma must be positive, got {settings.lr_gamma}")
    if not 0.0 <= settings.min_lr_ratio <= 1.0:
        raise ValueError(f"training.min_lr_ratio must be in [0, 1], got {settings.min_lr_ratio}")
    if settings.grad_clip < 0:
        raise ValueError(f"training.grad_clip must be >= 0 (0 = off), got {settings.grad_clip}")
    if settings.policy_weight < 0 or settings.value_weight < 0:
        raise ValueError(
            "training.policy_weight and training.value_weight must be >= 0, got "
            f"{settings.policy_weight} and {settings.value_weight}"
        )


_NO_DECAY_MODULES = (nn.LayerNorm, nn.Embedding, nn.EmbeddingBag, nn.BatchNorm1d, nn.GroupNorm)


def parameter_groups(net: nn.Module, weight_decay: float) -> list[dict[str, Any]]:
    """AdamW parameter groups: weight matrices decay by ``weight_decay``; biases, norm
    parameters, embeddings (modules and parameters named ``*embedding*``) and any other
    parameter of fewer than 2 dimensions do not."""
    decay: list[nn.Parameter] = []
    no_decay: list[nn.Parameter] = []
    for module in net.modules():
        for name, param in module.named_parameters(recurse=False):
            if not param.requires_grad:
                continue
            if (
                isinstance(module, _NO_DECAY_MODULES)
                or param.ndim < 2
                or name.endswith("bias")
                or "embedding" in name
            ):
                no_decay.append(param)
            else:
                decay.append(param)
    return [
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]


# --------------------------------------------------------------------------------------------
# Trainer


class NetworkTrainer:
    """Optimizes ``net`` (moved to ``device``) on replay batches.

    ``total_steps`` is the run's planned number of optimizer steps (iterations *
    steps_per_iteration): the cosine schedule ends there. The learning rate of step ``k``
    (counted over the whole run, including steps before a resume) is
    ``settings.learning_rate * lr_multiplier(k, settings, total_steps)``.

    Threading: one thread at a time. Raises ValueError naming the setting for bad settings.
    """

    def __init__(
        self,
        net: BlobNet,
        settings: TrainingSettingsLike,
        device: str | torch.device,
        total_steps: int,
    ) -> None:
        _check_settings(settings, total_steps)
        self.device = torch.device(device)
        self.settings = settings
        self.total_steps = total_steps
        self.net = net.to(self.device)
        self.amp_dtype = resolve_amp(settings.amp, self.device)
        self.step = 0
        self.optimizer = torch.optim.AdamW(
            parameter_groups(self.net, settings.weight_decay), lr=settings.learning_rate
        )

        def multiplier(step: int) -> float:
            return lr_multiplier(step, settings, total_steps)

        # A plain function: LambdaLR then keeps it out of its state dict.
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lr_lambda=[multiplier] * len(self.optimizer.param_groups)
        )
        self.scaler: torch.amp.GradScaler | None = None
        if self.amp_dtype == torch.float16:
            self.scaler = torch.amp.GradScaler(self.device.type)

    @property
    def lr(self) -> float:
        """The learning rate the next step will use."""
        return float(self.optimizer.param_groups[0]["lr"])

    def _step(self, batch: TrainingBatchLike) -> tuple[dict[str, float], torch.Tensor]:
        settings = self.settings
        self.net.train()
        self.optimizer.zero_grad(set_to_none=True)
        lr = self.lr
        with torch.autocast(
            self.device.type,
            dtype=self.amp_dtype or torch.float32,
            enabled=self.amp_dtype is not None,
        ):
            logits, values = self.net(batch.features, batch.masks)
        terms = compute_losses(logits, values, batch, settings.policy_weight, settings.value_weight)
        total = terms["total"]
        if not bool(torch.isfinite(total)):
            raise FloatingPointError(
                f"training loss is not finite at step {self.step}: policy "
                f"{terms['policy'].item():.6g}, value {terms['value'].item():.6g}"
            )
        if self.scaler is not None:
            torch.autograd.backward(self.scaler.scale(total))
            self.scaler.unscale_(self.optimizer)
        else:
            torch.autograd.backward(total)
        clip = settings.grad_clip if settings.grad_clip > 0 else math.inf
        grad_norm = nn.utils.clip_grad_norm_(self.net.parameters(), clip)
        if self.scaler is not None:
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            self.optimizer.step()
        with warnings.catch_warnings():
            # A loss-scaler step skipped for overflowing gradients still advances the schedule.
            warnings.filterwarnings("ignore", "Detected call of `lr_scheduler.step\\(\\)`")
            self.scheduler.step()
        self.step += 1
        # Metric name -> compute_losses key.
        names = {
            "loss": "total",
            "policy_loss": "policy",
            "value_loss": "value",
            "policy_top1": "policy_top1",
            "value_mae": "value_mae",
            "policy_entropy_target": "policy_entropy_target",
            "policy_kl": "policy_kl",
        }
        scalars = [terms[key].detach().float() for key in names.values()]
        values_list = torch.stack([*scalars, grad_norm.float()]).tolist()
        metrics = dict(zip(names, values_list[:-1], strict=True))
        metrics["grad_norm"] = values_list[-1]
        metrics["grad_clipped"] = float(settings.grad_clip > 0 and values_list[-1] > clip)
        metrics["lr"] = lr
        return metrics, terms["policy_per_example"]

    def train_step(self, batch: TrainingBatchLike) -> dict[str, float]:
        """One optimizer step on ``batch`` (tensors on the trainer's device).

        Returns ``loss``, ``policy_loss``, ``value_loss`` (``compute_losses``' ``total``,
        ``policy``, ``value``), ``policy_top1``, ``value_mae``, ``policy_entropy_target``,
        ``policy_kl`` (all measured before the update), ``grad_norm`` (the gradient norm before
        clipping), ``grad_clipped`` (1.0 when clipping scaled the gradient) and ``lr`` (the
        learning rate of this step). Raises FloatingPointError, before touching the weights,
        when the loss is not finite.
        """
        metrics, _ = self._step(batch)
        return metrics

    def train(
        self,
        buffer: BatchSource,
        steps: int,
        progress_callback: ProgressCallback | None = None,
    ) -> dict[str, float]:
        """``steps`` train steps on batches of ``settings.batch_size`` from
        ``buffer.sample_batch``. When the buffer is prioritized (``buffer.prioritized`` true and
        an ``update_priorities`` method), after each step it gets
        ``update_priorities(indices, priorities)`` with numpy arrays: int64 buffer slots and
        float64 per-example policy cross-entropy (at least 1e-6). Returns the mean of each
        ``train_step`` metric over the steps plus ``steps`` (an empty dict when ``steps`` = 0).
        """
        if steps < 0:
            raise ValueError(f"steps must be >= 0, got {steps}")
        update = getattr(buffer, "update_priorities", None)
        if not (getattr(buffer, "prioritized", False) and callable(update)):
            update = None
        sums: dict[str, float] = {}
        for done in range(1, steps + 1):
            batch = buffer.sample_batch(self.settings.batch_size, self.device)
            metrics, per_example = self._step(batch)
            if update is not None:
                indices = batch.indices.detach().cpu().numpy().astype(np.int64)
                priorities = per_example.double().clamp(min=1e-6).cpu().numpy()
                update(indices, priorities)
            for name, value in metrics.items():
                sums[name] = sums.get(name, 0.0) + value
            if progress_callback is not None:
                progress_callback(done, metrics)
        if steps == 0:
            return {}
        means = {name: total / steps for name, total in sums.items()}
        means["steps"] = float(steps)
        return means

    def state_dict(self) -> dict[str, Any]:
        """Optimizer, scheduler, loss scaler and step count; weights-only loadable. The network's
        weights are not included (they go into the checkpoint's ``"model"``)."""
        return {
            "step": self.step,
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "scaler": self.scaler.state_dict() if self.scaler is not None else {},
        }

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restores ``state_dict()``'s output. Training then continues exactly as if it had not
        stopped (bit for bit on CPU, given the same weights, batches and RNG states). A loss
        scaler state is ignored when this trainer runs without fp16. Raises ValueError naming the
        missing or bad key."""
        if not isinstance(state, Mapping):
            raise ValueError(f"trainer state must be a dict, got {type(state).__name__}")
        for key in ("step", "optimizer", "scheduler", "scaler"):
            if key not in state:
                raise ValueError(f"trainer state: missing key {key!r}")
        step = state["step"]
        if not isinstance(step, int) or isinstance(step, bool) or step < 0:
            raise ValueError(f"trainer state['step'] must be a non-negative int, got {step!r}")
        for key in ("optimizer", "scheduler", "scaler"):
            if not isinstance(state[key], Mapping):
                raise ValueError(f"trainer state[{key!r}] must be a dict")
        try:
            self.optimizer.load_state_dict(dict(state["optimizer"]))
        except (ValueError, KeyError, RuntimeError) as error:
            raise ValueError(
                f"trainer state['optimizer'] does not fit this network: {error}"
            ) from error
        self.scheduler.load_state_dict(dict(state["scheduler"]))
        if self.scaler is not None and state["scaler"]:
            self.scaler.load_state_dict(dict(state["scaler"]))
        self.step = step


# --------------------------------------------------------------------------------------------
# RNG state


def capture_rng_state() -> dict[str, Any]:
    """The global RNG states of Python ``random``, numpy's legacy global generator, torch CPU
    and (when available) every CUDA device, as weights-only loadable values: ``"python"`` and
    ``"numpy"`` are JSON-able dicts, ``"torch"`` a uint8 tensor, ``"torch_cuda"`` a list of
    them (only when CUDA is available)."""
    version, internal, gauss_next = random.getstate()
    name, key, pos, has_gauss, cached_gaussian = np.random.get_state(legacy=True)
    state: dict[str, Any] = {
        "python": {"version": version, "state": list(internal), "gauss_next": gauss_next},
        "numpy": {
            "bit_generator": str(name),
            "key": [int(k) for k in key],
            "pos": int(pos),
            "has_gauss": int(has_gauss),
            "cached_gaussian": float(cached_gaussian),
        },
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["torch_cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng_state(state: Mapping[str, Any]) -> None:
    """Restores ``capture_rng_state()``'s output. CUDA states are restored for the devices both
    the state and this machine have, and ignored without CUDA. Raises ValueError naming the
    missing or malformed key; on error no generator has been changed."""
    if not isinstance(state, Mapping):
        raise ValueError(f"rng state must be a dict, got {type(state).__name__}")
    for key in ("python", "numpy", "torch"):
        if key not in state:
            raise ValueError(f"rng state: missing key {key!r}")
    try:
        py = state["python"]
        python_state = (int(py["version"]), tuple(int(v) for v in py["state"]), py["gauss_next"])
        np_state = state["numpy"]
        numpy_state = (
            str(np_state["bit_generator"]),
            np.asarray(np_state["key"], dtype=np.uint32),
            int(np_state["pos"]),
            int(np_state["has_gauss"]),
            float(np_state["cached_gaussian"]),
        )
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise ValueError(f"rng state: malformed python or numpy state: {error!r}") from error
    torch_state = state["torch"]
    if not isinstance(torch_state, torch.Tensor) or torch_state.dtype != torch.uint8:
        raise ValueError("rng state['torch'] must be a uint8 tensor")
    cuda_states = state.get("torch_cuda", [])
    if not isinstance(cuda_states, list | tuple) or not all(
        isinstance(s, torch.Tensor) for s in cuda_states
    ):
        raise ValueError("rng state['torch_cuda'] must be a list of tensors")
    # Validate everything before changing anything.
    probe_python = random.Random()
    probe_numpy = np.random.RandomState()
    try:
        probe_python.setstate(python_state)
        probe_numpy.set_state(numpy_state)
    except (TypeError, ValueError) as error:
        raise ValueError(f"rng state: malformed python or numpy state: {error}") from error
    random.setstate(python_state)
    np.random.set_state(numpy_state)
    torch.set_rng_state(torch_state.cpu())
    if cuda_states and torch.cuda.is_available():
        for index in range(min(len(cuda_states), torch.cuda.device_count())):
            torch.cuda.set_rng_state(cuda_states[index].cpu(), index)


# --------------------------------------------------------------------------------------------
# Checkpoint files

_LOADABLE_LEAVES = (
    str,
    int,
    float,
    bool,
    bytes,
    type(None),
    torch.dtype,
    torch.device,
    torch.Size,
    torch.Tensor,
)


def _check_loadable(value: object, where: str) -> None:
    """Raises TypeError naming the first value a weights-only load would refuse."""
    if isinstance(value, _LOADABLE_LEAVES):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str | int):
                raise TypeError(f"{where}: key {key!r} must be a str or int")
            _check_loadable(item, f"{where}[{key!r}]")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_loadable(item, f"{where}[{index}]")
        return
    raise TypeError(
        f"{where}: a {type(value).__name__} cannot go into a checkpoint "
        "(only tensors, dict, list, tuple, str, int, float, bool and None)"
    )


def save_checkpoint(path: str | os.PathLike[str], payload: Mapping[str, Any]) -> None:
    """Writes ``payload`` to ``path`` atomically: ``torch.save`` into a temporary file in the
    same directory, flush + fsync, ``os.replace``, fsync of the directory. A crash or error
    leaves any previous file at ``path`` intact and no temporary file behind. Creates missing
    parent directories. Sets ``"format"`` to ``CHECKPOINT_FORMAT`` when absent.

    Raises ValueError for a wrong ``"format"`` and TypeError naming the key of any value that
    ``torch.load(weights_only=True)`` could not read back.
    """
    if not isinstance(payload, Mapping):
        raise TypeError(f"checkpoint payload must be a dict, got {type(payload).__name__}")
    data = dict(payload)
    data.setdefault("format", CHECKPOINT_FORMAT)
    if data["format"] != CHECKPOINT_FORMAT:
        raise ValueError(
            f"checkpoint payload['format'] must be {CHECKPOINT_FORMAT!r}, got {data['format']!r}"
        )
    _check_loadable(data, "checkpoint payload")
    write_atomically(path, lambda file: torch.save(data, file))


def _check_integrity(file: Path) -> None:
    """ValueError unless ``file`` is a zip archive (torch's format) whose every member matches
    its CRC-32: torch.load itself would return damaged tensors."""
    try:
        with zipfile.ZipFile(file) as archive:
            damaged = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as error:
        raise ValueError(
            f"checkpoint {str(file)!r} cannot be read (truncated, damaged or not a torch "
            f"checkpoint): {type(error).__name__}: {error}"
        ) from None
    if damaged is not None:
        raise ValueError(f"checkpoint {str(file)!r} is damaged: {damaged!r} fails its CRC-32 check")


def load_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Reads a checkpoint with ``torch.load(weights_only=True, map_location="cpu")``.

    Raises ValueError naming the file and the problem when it is missing, unreadable, truncated
    or damaged (every member's CRC-32 is checked first), holds anything but plain data, is not
    a dict, or lacks ``"format" == CHECKPOINT_FORMAT``. The other keys are not checked here.
    """
    file = Path(path)
    if not file.is_file():
        problem = "is not a file" if file.exists() else "does not exist"
        raise ValueError(f"checkpoint {str(file)!r} {problem}")
    _check_integrity(file)
    try:
        data = torch.load(file, map_location="cpu", weights_only=True)
    except Exception as error:
        raise ValueError(
            f"checkpoint {str(file)!r} cannot be read (truncated, corrupt or not a weights-only "
            f"torch file): {type(error).__name__}: {error}"
        ) from error
    if not isinstance(data, dict):
        raise ValueError(f"checkpoint {str(file)!r} holds a {type(data).__name__}, not a dict")
    found = data.get("format")
    if found != CHECKPOINT_FORMAT:
        raise ValueError(
            f"checkpoint {str(file)!r} has format {found!r}, expected {CHECKPOINT_FORMAT!r}"
        )
    return data


def net_config_to_dict(config: NetConfig) -> dict[str, Any]:
    """A NetConfig as the checkpoint's ``"net_config"`` dict."""
    return dataclasses.asdict(config)


def net_config_from_dict(data: Mapping[str, Any]) -> NetConfig:
    """The inverse of ``net_config_to_dict``; ValueError naming an unknown or missing key or a
    bad value."""
    if not isinstance(data, Mapping):
        raise ValueError(f"net_config must be a dict, got {type(data).__name__}")
    fields = {field.name: field for field in dataclasses.fields(NetConfig)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValueError(f"net_config: unknown key {unknown[0]!r}")
    # Checkpoints written before the "features" key hold world-feature networks.
    data = {"features": "world", **data}
    missing = sorted(set(fields) - set(data))
    if missing:
        raise ValueError(f"net_config: missing key {missing[0]!r}")
    for name, value in data.items():
        wanted: type = {"dropout": float, "features": str}.get(name, int)
        ok = isinstance(value, int | float) if wanted is float else isinstance(value, wanted)
        if not ok or isinstance(value, bool):
            raise ValueError(f"net_config.{name}: expected {wanted.__name__}, got {value!r}")
    try:
        return NetConfig(**dict(data))
    except ValueError as error:
        raise ValueError(f"net_config: {error}") from error


@dataclasses.dataclass(frozen=True)
class PlaySettings:
    """How a checkpoint's network plays unless told otherwise (its ``"play"`` key): the search
    budget and the share of random playouts in its leaf values (``PuctConfig``)."""

    num_worlds: int = 3
    simulations_per_world: int = 30
    rollout_weight: float = 0.0

    def __post_init__(self) -> None:
        for name in ("num_worlds", "simulations_per_world"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"play.{name} must be a positive int, got {value!r}")
        weight = self.rollout_weight
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1:
            raise ValueError(f"play.rollout_weight must be a number in [0, 1], got {weight!r}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


DEFAULT_PLAY = PlaySettings()


def load_play_settings(path: str | os.PathLike[str]) -> PlaySettings:
    """The ``"play"`` settings of checkpoint ``path`` (``DEFAULT_PLAY`` when it has none).
    Raises ValueError naming the file and the problem."""
    play = load_checkpoint(path).get("play")
    if play is None:
        return DEFAULT_PLAY
    fields = {field.name for field in dataclasses.fields(PlaySettings)}
    if not isinstance(play, dict) or set(play) - fields:
        raise ValueError(f"checkpoint {str(Path(path))!r}: 'play' must be a dict of {fields}")
    try:
        return PlaySettings(**play)
    except ValueError as error:
        raise ValueError(f"checkpoint {str(Path(path))!r}: {error}") from None


def load_network(
    path: str | os.PathLike[str], which: str = "model", device: str | torch.device = "cpu"
) -> BlobNet:
    """The BlobNet stored in checkpoint ``path`` (``which`` = ``"model"``, the latest weights,
    or ``"best_model"``, the promoted ones), on ``device``, in eval mode. Raises ValueError
    naming the file and the problem (see ``load_checkpoint``; also a bad ``"net_config"``, a
    state dict whose keys or shapes do not fit the network, or non-finite weights)."""
    if which not in ("model", "best_model"):
        raise ValueError(f"which must be 'model' or 'best_model', got {which!r}")
    data = load_checkpoint(path)
    name = str(Path(path))
    for key in ("net_config", which):
        if key not in data:
            raise ValueError(f"checkpoint {name!r}: missing key {key!r}")
    try:
        config = net_config_from_dict(data["net_config"])
    except ValueError as error:
        raise ValueError(f"checkpoint {name!r}: {error}") from error
    state = data[which]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f"checkpoint {name!r}: {which!r} must be a dict of tensors")
    for key, tensor in state.items():
        if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
            raise ValueError(
                f"checkpoint {name!r}: {which!r} tensor {key!r} holds non-finite values"
            )
    net = BlobNet(config)
    expected = set(net.state_dict())
    missing = sorted(expected - set(state))
    unexpected = sorted(set(state) - expected)
    if missing or unexpected:
        raise ValueError(
            f"checkpoint {name!r}: {which!r} does not fit the network: "
            f"missing keys {missing}, unexpected keys {unexpected}"
        )
    try:
        net.load_state_dict(state)
    except RuntimeError as error:
        raise ValueError(
            f"checkpoint {name!r}: {which!r} does not fit the network: {error}"
        ) from error
    return net.to(torch.device(device)).eval()
