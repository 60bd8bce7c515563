"""Draws a training run's curves from its ``metrics.jsonl`` into PNG files.

    python benchmarks/plot_training.py runs/default --out docs/images

writes ``<out>/losses.png`` (policy and value loss on each iteration's fresh self-play before the
network trains on it, beside the levels of a network that learned nothing, and on the training
batches) and ``<out>/elo.png`` (Elo of each
generation, and the arena margins against the fixed opponents with their 95% intervals).
Needs matplotlib (``pip install ".[plot]"``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def read_metrics(run_dir: Path) -> list[dict[str, Any]]:
    path = run_dir / "metrics.jsonl"
    if not path.is_file():
        raise SystemExit(f"{path} does not exist: is {run_dir} a blobzero-train run directory?")
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return sorted(rows, key=lambda row: row["iteration"])


def series(rows: list[dict[str, Any]], key: str) -> tuple[list[int], list[float]]:
    points = [(row["iteration"], row[key]) for row in rows if key in row]
    return [x for x, _ in points], [y for _, y in points]


Curve = tuple[str, str, str]  # metrics key, legend label, line style ("-" gets markers too)


def draw_curves(ax: Any, rows: list[dict[str, Any]], curves: tuple[Curve, ...], title: str) -> None:
    for key, label, style in curves:
        x, y = series(rows, key)
        ax.plot(x, y, ls=style, marker="o" if style == "-" else None, ms=3, label=label)
    ax.set_xlabel("iteration")
    ax.set_title(title)
    ax.legend(fontsize=7)


NEW_DATA = "on each iteration's new self-play, before training on it"


def plot_losses(rows: list[dict[str, Any]], out: Path, title: str) -> None:
    import matplotlib.pyplot as plt

    fig, (policy_ax, value_ax) = plt.subplots(1, 2, figsize=(10, 3.8))
    policy_curves = (
        ("held_out/uniform_policy_loss", "uniform policy (learned nothing)", ":"),
        ("held_out/policy_loss", NEW_DATA, "-"),
        ("training/policy_loss", "on training batches", "--"),
        ("held_out/policy_entropy_target", "floor: entropy of the search policies", "-."),
    )
    draw_curves(policy_ax, rows, policy_curves, "policy loss (cross-entropy)")
    value_curves = (
        ("held_out/zero_value_loss", "predicting 0 (learned nothing)", ":"),
        ("held_out/value_loss", NEW_DATA, "-"),
        ("training/value_loss", "on training batches", "--"),
    )
    draw_curves(value_ax, rows, value_curves, "value loss (MSE per seat)")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(out / "losses.png", dpi=120)
    plt.close(fig)


def plot_elo(rows: list[dict[str, Any]], out: Path, title: str) -> None:
    import matplotlib.pyplot as plt

    fig, (elo_ax, margin_ax) = plt.subplots(1, 2, figsize=(10, 3.8))
    x, y = series(rows, "arena/elo")
    elo_ax.plot(x, y, marker="o", ms=3)
    elo_ax.set_xlabel("iteration")
    elo_ax.set_title("Elo of each generation (generation 0 starts at 1000)")
    opponents = sorted(
        {
            key[len("arena/vs_") : -len("_margin")]
            for row in rows
            for key in row
            if key.startswith("arena/vs_") and key.endswith("_margin")
        }
    )
    for name in opponents:
        x, y = series(rows, f"arena/vs_{name}_margin")
        _, ci = series(rows, f"arena/vs_{name}_ci95")
        margin_ax.errorbar(x, y, yerr=ci, marker="o", ms=3, capsize=2, label=f"vs {name}")
    margin_ax.axhline(0.0, color="grey", lw=0.8)
    margin_ax.set_xlabel("iteration")
    margin_ax.set_title("arena margin, points per seat-round (95% CI)")
    margin_ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(out / "elo.png", dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="default: the run directory")
    parser.add_argument("--title", default=None)
    args = parser.parse_args()
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError:
        raise SystemExit(
            "plot_training.py needs matplotlib: pip install matplotlib (or '.[plot]')"
        ) from None
    rows = read_metrics(args.run_dir)
    out = args.out or args.run_dir
    out.mkdir(parents=True, exist_ok=True)
    title = args.title or str(args.run_dir)
    plot_losses(rows, out, title)
    plot_elo(rows, out, title)
    print(f"wrote {out / 'losses.png'} and {out / 'elo.png'}")


if __name__ == "__main__":
    main()
