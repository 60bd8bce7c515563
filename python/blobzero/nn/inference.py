"""Running a BlobNet for search: ``InferenceModel`` turns numpy batches into numpy outputs."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch
from torch import nn

from blobzero._core.encode import NUM_FIELDS, NUM_TOKENS
from blobzero._core.game import NUM_ACTIONS
from blobzero.nn.network import BlobNet

INFERENCE_MODES = ("torchscript", "eager", "compile", "onnxruntime")


class InferenceModel:
    """Runs a BlobNet on numpy batches, as the self-play engine's evaluator.

    ``model(features, masks) -> (logits, values)`` takes uint8 arrays [B, 61, 8] and [B, 70] and
    returns float32 arrays [B, 70] and [B, 8]. The network runs as a TorchScript module by
    default (``mode="eager"`` or ``"compile"`` select the others), in inference mode, on
    ``device``; ``mode="onnxruntime"`` exports it to ONNX and runs it in onnxruntime on the CPU
    with torch's thread count (the onnx extra). On CUDA, inputs go through pinned host buffers
    with non-blocking copies and the forward pass runs under bf16 autocast (fp16 where bf16 is
    unsupported) unless ``autocast=False``.

    The wrapper holds its own copy of the weights: call ``load_weights`` after training.
    Threading: one thread at a time.
    """

    def __init__(
        self,
        net: BlobNet,
        device: str | torch.device = "cpu",
        mode: str = "torchscript",
        autocast: bool = True,
    ) -> None:
        if mode not in INFERENCE_MODES:
            raise ValueError(
                f"unknown inference mode {mode!r} (expected one of: {', '.join(INFERENCE_MODES)})"
            )
        self.device = torch.device(device)
        if mode == "onnxruntime" and self.device.type != "cpu":
            raise ValueError(f"inference mode 'onnxruntime' runs on the CPU, not {device}")
        self.mode = mode
        self._session: Any = None
        self.net = BlobNet(net.config).to(self.device).eval()
        self.net.load_state_dict(net.state_dict())
        self.autocast_dtype: torch.dtype | None = None
        if autocast and self.device.type == "cuda":
            self.autocast_dtype = (
                torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
            )
        self._pinned: dict[str, torch.Tensor] = {}
        self.module: nn.Module = self._build()

    def _build(self) -> nn.Module:
        if self.mode == "torchscript":
            with warnings.catch_warnings():
                # TorchScript is the default on purpose (the fastest CPU inference here); torch
                # 2.10+ marks torch.jit.script (and script_method) deprecated on every call.
                warnings.filterwarnings("ignore", "`torch.jit.script", DeprecationWarning)
                return torch.jit.script(self.net)
        if self.mode == "compile":
            return torch.compile(self.net, dynamic=True)  # type: ignore[return-value]
        if self.mode == "onnxruntime":
            import onnxruntime

            from blobzero.nn.export import onnx_model

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = torch.get_num_threads()
            options.inter_op_num_threads = 1
            self._session = onnxruntime.InferenceSession(
                onnx_model(self.net), options, providers=["CPUExecutionProvider"]
            )
        return self.net

    def load_weights(self, net: BlobNet) -> None:
        """Copies `net`'s weights into the inference copy."""
        self.net.load_state_dict(net.state_dict())
        self.module = self._build()

    def _to_device(self, name: str, array: np.ndarray) -> torch.Tensor:
        tensor = torch.from_numpy(array)
        if self.device.type != "cuda":
            return tensor
        buffer = self._pinned.get(name)
        if buffer is None or buffer.shape[0] < tensor.shape[0]:
            buffer = torch.empty(
                (max(tensor.shape[0], 1),) + tuple(tensor.shape[1:]),
                dtype=tensor.dtype,
                pin_memory=True,
            )
            self._pinned[name] = buffer
        staged = buffer[: tensor.shape[0]]
        staged.copy_(tensor)
        return staged.to(self.device, non_blocking=True)

    def __call__(self, features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        check_batch(features, masks)
        if self._session is not None:
            logits, values = self._session.run(
                None, {"features": features, "masks": masks.astype(np.uint8, copy=False)}
            )
            return logits, values
        with torch.inference_mode():
            f = self._to_device("features", features)
            m = self._to_device("masks", masks)
            if self.autocast_dtype is not None:
                with torch.autocast(self.device.type, dtype=self.autocast_dtype):
                    logits, values = self.module(f, m)
            else:
                logits, values = self.module(f, m)
            return (
                logits.float().cpu().numpy(),
                values.float().cpu().numpy(),
            )


def check_batch(features: np.ndarray, masks: np.ndarray) -> None:
    """Raises ValueError unless features is uint8 [B, 61, 8] and masks uint8/bool [B, 70]."""
    if not isinstance(features, np.ndarray) or features.dtype != np.uint8:
        raise ValueError(f"features must be a uint8 numpy array, got {_describe(features)}")
    if features.ndim != 3 or features.shape[1:] != (NUM_TOKENS, NUM_FIELDS):
        raise ValueError(
            f"features must have shape (B, {NUM_TOKENS}, {NUM_FIELDS}), got {features.shape}"
        )
    if not isinstance(masks, np.ndarray) or masks.dtype not in (np.uint8, np.bool_):
        raise ValueError(f"masks must be a uint8 or bool numpy array, got {_describe(masks)}")
    if masks.shape != (features.shape[0], NUM_ACTIONS):
        raise ValueError(
            f"masks must have shape ({features.shape[0]}, {NUM_ACTIONS}), got {masks.shape}"
        )


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}"
    return type(value).__name__
