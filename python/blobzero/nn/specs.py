"""Networks as a person names them: a checkpoint file (``PATH``, ``PATH:model`` or
``PATH:best_model``) or ``pretrained`` (the network shipped with blobzero)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from blobzero.nn.pretrained import PRETRAINED_SPEC, pretrained_path

if TYPE_CHECKING:
    from blobzero.nn.checkpoint import PlaySettings
    from blobzero.nn.network import BlobNet

__all__ = ["CHECKPOINT_PARTS", "NamedNetwork", "checkpoint_spec", "load_named_network"]

CHECKPOINT_PARTS = ("model", "best_model")


def checkpoint_spec(spec: str) -> tuple[str, str] | None:
    """(path, part) when ``spec`` names an existing checkpoint file or is ``pretrained``, else
    None."""
    if spec.strip().lower() == PRETRAINED_SPEC:
        try:
            return str(pretrained_path()), "model"
        except FileNotFoundError as error:
            raise ValueError(str(error)) from None
    if os.path.isfile(spec):
        return spec, "model"
    path, sep, part = spec.rpartition(":")
    if sep and part in CHECKPOINT_PARTS and os.path.isfile(path):
        return path, part
    return None


@dataclass(frozen=True)
class NamedNetwork:
    """A loaded network, how its checkpoint says it plays, and a name for display."""

    net: BlobNet
    play: PlaySettings
    name: str


def load_named_network(spec: str, device: str = "cpu") -> NamedNetwork:
    """The network ``spec`` names, in eval mode on ``device``, with its checkpoint's play
    settings. Raises ValueError naming ``spec`` and the problem (not a checkpoint, damaged,
    unreadable)."""
    found = checkpoint_spec(spec)
    if found is None:
        raise ValueError(f"{spec!r} is neither a checkpoint file nor {PRETRAINED_SPEC!r}")
    path, part = found
    from blobzero.nn.checkpoint import load_network, load_play_settings

    try:
        net = load_network(path, which=part, device=device)
        play = load_play_settings(path)
    except (ValueError, KeyError, OSError, RuntimeError) as error:
        raise ValueError(f"cannot load {spec!r}: {error}") from None
    if spec.strip().lower() == PRETRAINED_SPEC:
        name = PRETRAINED_SPEC
    else:
        name = os.path.basename(path) + ("" if part == "model" else f":{part}")
    return NamedNetwork(net, play, name)
