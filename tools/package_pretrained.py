"""Writes the shipped network, python/blobzero/nn/data/pretrained.pt, from a training checkpoint.

    python tools/package_pretrained.py runs/strength/checkpoints/iteration_0064.pt \
        --about "configs/strength.toml, iteration 64" [--rollout-weight 0.5] [--c-puct 0.75]

Keeps only what playing needs: ``net_config``, the ``model`` weights (``--which best_model`` for
the promoted ones), the ``play`` settings (the checkpoint's, each overridable) and ``about``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from blobzero.nn.checkpoint import (
    CHECKPOINT_FORMAT,
    PlaySettings,
    load_checkpoint,
    load_network,
    load_play_settings,
    net_config_to_dict,
    save_checkpoint,
)

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "python" / "blobzero" / "nn" / "data" / "pretrained.pt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("--which", choices=("model", "best_model"), default="model")
    parser.add_argument("--about", required=True, help="how the network was trained")
    parser.add_argument("--num-worlds", type=int)
    parser.add_argument("--simulations-per-world", type=int)
    parser.add_argument("--rollout-weight", type=float)
    parser.add_argument("--c-puct", type=float)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    net = load_network(args.checkpoint, which=args.which)
    play = load_play_settings(args.checkpoint)
    play = PlaySettings(
        args.num_worlds or play.num_worlds,
        args.simulations_per_world or play.simulations_per_world,
        play.rollout_weight if args.rollout_weight is None else args.rollout_weight,
        play.c_puct if args.c_puct is None else args.c_puct,
    )
    source = load_checkpoint(args.checkpoint)
    save_checkpoint(
        args.out,
        {
            "format": CHECKPOINT_FORMAT,
            "iteration": source.get("iteration", 0),
            "net_config": net_config_to_dict(net.config),
            "model": {k: v.clone() for k, v in net.state_dict().items()},
            "play": play.to_dict(),
            "about": args.about,
        },
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB), play {play}")


if __name__ == "__main__":
    main()
