"""``blobzero-train``: runs a TrainingPipeline from a TOML config.

    blobzero-train --config configs/default.toml [--iterations N] [--resume FILE|RUN_DIR|auto]
                   [--device cpu|cuda|cuda:N] [--set training.batch_size=256 ...]
                   [--print-config] [--version]

``--config`` takes a file or the name of a shipped config (``default``, ``tiny``, ``cpu_1h``,
``gpu``, ``strength``). The effective config (file plus overrides) is printed at the start and
saved as ``config.toml`` in the run directory; ``--print-config`` prints it and exits.

Exit status: 0 when the iterations are done, 2 for a bad command line, config or run directory,
1 when the run's files cannot be written (a full disk: the last complete checkpoint stands), 130
after Ctrl-C (the iteration in progress is dropped; ``--resume auto`` continues from the last
checkpoint).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from blobzero.cli.common import add_version
from blobzero.config import Config, ConfigError, config_to_toml, load_config, shipped_configs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blobzero-train",
        description="AlphaZero-style self-play training for Blob (Oh Hell).",
    )
    parser.add_argument(
        "--config",
        required=True,
        help="TOML config file, or the name of a shipped one: "
        + ", ".join(shipped_configs() or ["default"]),
    )
    parser.add_argument(
        "--iterations",
        type=int,
        default=None,
        help="total iterations to reach (default: the config's iterations)",
    )
    parser.add_argument(
        "--resume",
        default=None,
        metavar="FILE|RUN_DIR|auto",
        help="continue from a checkpoint file, a run directory (its newest checkpoint), or "
        "'auto' for the newest one in the config's run directory",
    )
    parser.add_argument(
        "--device", default=None, help="overrides hardware.device: auto, cpu, cuda or cuda:N"
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="overrides one config key, e.g. --set training.batch_size=256 (repeatable)",
    )
    parser.add_argument(
        "--print-config", action="store_true", help="print the effective config and exit"
    )
    add_version(parser)
    return parser


def load_train_config(args: argparse.Namespace) -> Config:
    overrides = list(args.overrides)
    if args.iterations is not None:
        overrides.append(f"iterations={args.iterations}")
    if args.device is not None:
        overrides.append(f"hardware.device={json.dumps(args.device)}")
    return load_config(args.config, overrides)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = load_train_config(args)
    except ConfigError as error:
        parser.error(str(error))
    if args.print_config:
        print(config_to_toml(config), end="")
        return 0

    from rich.markup import escape

    from blobzero.training.pipeline import TrainingPipeline
    from blobzero.training.progress import PhaseProgress

    progress = PhaseProgress(config.logging.progress)
    try:
        pipeline = TrainingPipeline(config, resume=args.resume, progress=progress)
    except ValueError as error:
        progress.print(f"[red]error:[/] {error}")
        return 2
    progress.print(escape(config_to_toml(config)))
    progress.print(
        f"blobzero-train: run directory {config.run_dir} (config saved as config.toml there), "
        f"device {pipeline.device}, iteration {pipeline.iteration} of {config.iterations}"
    )
    start = time.monotonic()
    try:
        summaries = pipeline.run()
    except OSError as error:  # disk full, directory removed, ...: the last checkpoint stands
        from blobzero.training.pipeline import latest_checkpoint

        newest = latest_checkpoint(config.run_dir)
        progress.print(
            f"[red]error:[/] cannot write the run's files: {escape(str(error))}. "
            f"The newest complete checkpoint is {newest}; make room and continue with: "
            f"blobzero-train --config {args.config} --resume auto"
        )
        return 1
    except KeyboardInterrupt:
        progress.print(
            f"interrupted; iteration {pipeline.iteration} is the last checkpoint. "
            f"Continue with: blobzero-train --config {args.config} --resume auto"
        )
        return 130
    progress.print(escape(pipeline.closing_summary(summaries, time.monotonic() - start)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
