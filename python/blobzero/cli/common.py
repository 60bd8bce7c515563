"""Command-line pieces the blobzero commands share: argument types and ``--version``."""

from __future__ import annotations

import argparse

from blobzero import __version__

__all__ = ["add_version", "seed_arg"]


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
