"""The torch device a person names: ``auto``, ``cpu``, ``cuda`` or ``cuda:N``."""

from __future__ import annotations

import re

__all__ = ["is_device_name", "resolve_device"]

_DEVICE = re.compile(r"cpu|cuda(:[0-9]+)?|auto")


def is_device_name(text: object) -> bool:
    """Whether ``text`` names a device: "auto", "cpu", "cuda" or "cuda:N"."""
    return isinstance(text, str) and _DEVICE.fullmatch(text) is not None


def resolve_device(device: str) -> str:
    """``device`` made concrete: ``auto`` is "cuda" when torch finds a GPU, else "cpu"; "cpu",
    "cuda" and "cuda:N" stay as given. Raises ValueError naming ``device`` when it is none of
    these, or asks for CUDA and torch has none."""
    if not is_device_name(device):
        raise ValueError(f"{device!r} is not a device: use 'auto', 'cpu', 'cuda' or 'cuda:N'")
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"{device!r} but torch has no CUDA device; use 'auto' or 'cpu'")
    return device
