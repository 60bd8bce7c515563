"""Training of a BlobNet on replay batches (the losses of ``training.losses``).

``NetworkTrainer`` runs AdamW with a warmup + cosine / step / constant learning-rate schedule,
gradient clipping and mixed precision on GPU; its state (optimizer, scheduler, loss scaler,
step) and the process's random streams (``capture_rng_state``) go into checkpoints so a resumed
run continues exactly where it stopped.
"""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeAlias

import numpy as np
import torch
from torch import nn

from blobzero.nn.network import BlobNet
from blobzero.training.losses import TrainingBatchLike, compute_losses

LR_SCHEDULES = ("cosine", "step", "constant")
AMP_MODES = ("auto", "bf16", "fp16", "off")

ProgressCallback: TypeAlias = Callable[[int, dict[str, float]], None]
"""``callback(steps_done, metrics_of_that_step)``, called after every step of ``train``."""


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
    def tricks_weight(self) -> float: ...
    @property
    def amp(self) -> str: ...


class BatchSource(Protocol):
    """A replay buffer as ``NetworkTrainer.train`` uses it. A buffer with a true
    ``prioritized`` attribute also gets ``update_priorities(indices, priorities)`` calls."""

    def sample_batch(self, batch_size: int, device: torch.device, /) -> TrainingBatchLike: ...


# --------------------------------------------------------------------------------------------
# Optimizer, schedule, precision


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
            logits, values, tricks = self.net.outputs(batch.features, batch.masks)
        terms = compute_losses(
            logits,
            values,
            batch,
            settings.policy_weight,
            settings.value_weight,
            tricks_logits=tricks,
            tricks_weight=settings.tricks_weight,
        )
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
        if "tricks" in terms:
            names["tricks_loss"] = "tricks"
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
        ``policy``, ``value``), ``tricks_loss`` (its ``tricks``, for a network with a tricks
        head), ``policy_top1``, ``value_mae``, ``policy_entropy_target``,
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
