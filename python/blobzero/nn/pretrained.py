"""The network shipped with blobzero, the agent spec ``pretrained``.

``pretrained_path()`` is the checkpoint file inside the installed package (a weights-only torch
file holding ``net_config``, ``model`` and ``about``, how it was trained); ``load_pretrained()``
loads it like any checkpoint (``blobzero.nn.checkpoint.load_network``). ``blobzero-arena pretrained
heuristic`` plays it with its default search (3 x 30 = 90 network evaluations a move).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

    from blobzero.nn.network import BlobNet

PRETRAINED_SPEC = "pretrained"
_FILE = Path(__file__).resolve().parent / "data" / "pretrained.pt"


def pretrained_path() -> Path:
    """The shipped checkpoint. Raises FileNotFoundError naming the path if the installed
    package lacks it."""
    if not _FILE.is_file():
        raise FileNotFoundError(f"the pretrained network {str(_FILE)!r} is not installed")
    return _FILE


def load_pretrained(device: str | torch.device = "cpu") -> BlobNet:
    """The shipped network on ``device``, in eval mode."""
    from blobzero.nn.checkpoint import load_network

    return load_network(pretrained_path(), device=device)
