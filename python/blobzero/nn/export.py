"""A trained network as a file other programs run: TorchScript or ONNX.

Both take ``features`` uint8 [B, 61, 8] and ``masks`` uint8 [B, 70] (``blobzero.encode``) and
give ``logits`` float32 [B, 70] (illegal actions at ``ILLEGAL_LOGIT``) and ``values`` float32
[B, 8], the batch size free. ``export_onnx`` needs the ``onnx`` extra (``pip install
".[onnx]"``); ``max_onnx_difference`` runs an exported file in onnxruntime beside PyTorch.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch

from blobzero.atomic_file import write_atomically
from blobzero.nn.network import BlobNet

__all__ = [
    "FORMATS",
    "export",
    "export_onnx",
    "export_torchscript",
    "max_onnx_difference",
    "onnx_model",
]

FORMATS = ("torchscript", "onnx")
_INPUTS = ("features", "masks")
_OUTPUTS = ("logits", "values")


def _example_inputs(batch: int = 4) -> tuple[torch.Tensor, torch.Tensor]:
    from blobzero._core.encode import encode_batch
    from blobzero._core.game import RoundRules, State

    states = [
        State(RoundRules(num_players=4, num_cards=5), dealer=i % 4, seed=i) for i in range(batch)
    ]
    features, masks = encode_batch(states)
    return torch.from_numpy(features), torch.from_numpy(masks)


def export_torchscript(net: BlobNet, path: str | os.PathLike[str]) -> None:
    """Writes ``net`` (in eval mode, on the CPU) as a TorchScript file, atomically."""
    module = BlobNet(net.config).eval()
    module.load_state_dict(net.state_dict())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "`torch.jit", DeprecationWarning)  # torch 2.10+
        scripted = torch.jit.script(module)
        write_atomically(path, lambda file: torch.jit.save(scripted, file))


@contextlib.contextmanager
def _quiet_logging() -> Iterator[None]:
    """The exporter logs warnings about optional packages it does not need here."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(previous)


def onnx_model(net: BlobNet) -> bytes:
    """``net`` as a serialized ONNX model with a free batch size. Raises ImportError saying what
    to install when the exporter's packages are missing."""
    try:
        import onnxscript  # noqa: F401 - the exporter needs it
    except ImportError:
        raise ImportError('ONNX export needs the onnx extra: pip install ".[onnx]"') from None
    module = BlobNet(net.config).eval()
    module.load_state_dict({k: v.cpu() for k, v in net.state_dict().items()})
    batch = torch.export.Dim("batch")
    with warnings.catch_warnings(), _quiet_logging():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            module,
            _example_inputs(),
            dynamo=True,
            input_names=list(_INPUTS),
            output_names=list(_OUTPUTS),
            dynamic_shapes={name: {0: batch} for name in _INPUTS},
            verbose=False,
        )
    assert program is not None
    return bytes(program.model_proto.SerializeToString())


def export_onnx(net: BlobNet, path: str | os.PathLike[str]) -> None:
    """Writes ``onnx_model(net)`` to ``path``, atomically."""
    model = onnx_model(net)
    write_atomically(path, lambda file: file.write(model))


def export(net: BlobNet, path: str | os.PathLike[str], fmt: str) -> None:
    """``export_torchscript`` or ``export_onnx`` by ``fmt`` (one of ``FORMATS``)."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of: {', '.join(FORMATS)}")
    (export_onnx if fmt == "onnx" else export_torchscript)(net, path)


def max_onnx_difference(
    net: BlobNet, path: str | os.PathLike[str], features: np.ndarray, masks: np.ndarray
) -> float:
    """The largest absolute difference between ``net`` in PyTorch and the ONNX file ``path`` in
    onnxruntime over the values and the logits of legal actions of the given positions."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(Path(path)), providers=["CPUExecutionProvider"])
    logits, values = session.run(None, {"features": features, "masks": masks})
    with torch.no_grad():
        expected_logits, expected_values = net.eval()(
            torch.from_numpy(features), torch.from_numpy(masks)
        )
    legal = masks == 1
    return float(
        max(
            np.abs(logits[legal] - expected_logits.numpy()[legal]).max(initial=0.0),
            np.abs(values - expected_values.numpy()).max(initial=0.0),
        )
    )
