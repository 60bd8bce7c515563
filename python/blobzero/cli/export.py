"""``blobzero-export``: a checkpoint's network as a TorchScript or ONNX file.

    blobzero-export pretrained --format onnx --output blob.onnx
    blobzero-export runs/default/checkpoints/iteration_0040.pt:best_model --format torchscript \\
        --output blob.pt

The file takes ``features`` uint8 [B, 61, 8] and ``masks`` uint8 [B, 70] and gives ``logits``
float32 [B, 70] and ``values`` float32 [B, 8] (``blobzero.nn.export``). After an ONNX export the
command runs the file in onnxruntime on 64 real positions and prints the largest difference from
PyTorch. Exit status: 0 when written, 2 for bad arguments or an unreadable checkpoint (a message,
no traceback).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence

import numpy as np

from blobzero.cli.common import add_version
from blobzero.nn.export import FORMATS
from blobzero.nn.specs import load_named_network


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blobzero-export", description="Write a network as a TorchScript or ONNX file."
    )
    parser.add_argument("checkpoint", help="checkpoint file (PATH, PATH:best_model) or pretrained")
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--output", required=True, help="the file to write")
    add_version(parser)
    return parser


def sample_positions(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Features and masks of ``count`` positions of random play at 3..8 players."""
    import blobzero as bz

    rng = random.Random(seed)
    states: list[bz.State] = []
    while len(states) < count:
        state = bz.State(
            bz.RoundRules(num_players=rng.randint(3, 8), num_cards=rng.randint(1, 6)),
            dealer=0,
            seed=rng.randrange(2**32),
        )
        for _ in range(rng.randint(0, 30)):
            if state.is_terminal():
                break
            state.apply_action(rng.choice(state.legal_actions()))
        if not state.is_terminal():
            states.append(state)
    return bz.encode_batch(states)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from blobzero.nn.export import export, max_onnx_difference

    try:
        net = load_named_network(args.checkpoint).net
        export(net, args.output, args.format)
    except (ValueError, ImportError, OSError) as error:
        parser.error(str(error))
    print(f"wrote {args.output} ({args.format}, features {net.config.features})")
    if args.format == "onnx":
        features, masks = sample_positions(64)
        difference = max_onnx_difference(net, args.output, features, masks)
        print(f"onnxruntime vs PyTorch on 64 positions: max abs difference {difference:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
