"""Command-line pieces the blobzero commands share: argument types, ``--version``, and how a
command line names a checkpoint."""

from __future__ import annotations

import argparse
import os

from blobzero import __version__
from blobzero.nn.pretrained import PRETRAINED_SPEC, pretrained_path

__all__ = ["CHECKPOINT_PARTS", "add_version", "checkpoint_spec", "seed_arg"]

CHECKPOINT_PARTS = ("model", "best_model")


def seed_arg(text: str) -> int:
    """argparse type of a seed: an integer in 0..2**64-1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer seed, got {text!r}") from None
    if not 0 <= value < 2**64:
        raise argparse.ArgumentTypeError(f"seed must be in [0, 2**64), got {text!r}")
    return value


def add_version(parser: argparse.ArgumentParser) -> None:
    """``--version``: prints the program name and blobzero's version, then exits."""
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")


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
