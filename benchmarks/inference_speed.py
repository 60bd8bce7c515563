"""One network's forward pass in each inference mode on one fixed batch of real positions.

    python benchmarks/inference_speed.py --threads 2 --batch 128

Prints the median milliseconds a call (``--repeats`` x ``--calls`` calls) of the shipped network
(or ``--checkpoint``) run by ``InferenceModel`` in each of ``--modes``, with ``--threads`` torch
threads (onnxruntime gets the same). Self-play's end-to-end speed per mode is
``benchmarks/selfplay_throughput.py --modes ...``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from blobzero.cli.export import sample_positions
from blobzero.nn.checkpoint import load_network
from blobzero.nn.inference import InferenceModel
from blobzero.nn.pretrained import pretrained_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", default=None, help="default: the shipped network")
    parser.add_argument("--modes", default="torchscript,onnxruntime")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    net = load_network(args.checkpoint or pretrained_path())
    features, masks = sample_positions(args.batch, seed=3)
    models = {mode: InferenceModel(net, mode=mode) for mode in args.modes.split(",")}
    for model in models.values():
        for _ in range(10):
            model(features, masks)
    times: dict[str, list[float]] = {mode: [] for mode in models}
    for _ in range(args.repeats):  # interleaved, so that a slow moment hits every mode
        for mode, model in models.items():
            start = time.perf_counter()
            for _ in range(args.calls):
                model(features, masks)
            times[mode].append((time.perf_counter() - start) / args.calls * 1e3)
    print(f"{net.config}, batch {args.batch}, {args.threads} threads")
    for mode, values in times.items():
        median = statistics.median(values)
        print(f"  {mode:<12} {median:6.2f} ms a call  {args.batch / median * 1e3:8.0f} rows/s")


if __name__ == "__main__":
    main()
