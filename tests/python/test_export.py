"""Exported networks (TorchScript, ONNX) compute what the network computes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import torch

from blobzero.cli import export as export_cli
from blobzero.nn.export import export_onnx, export_torchscript, max_onnx_difference
from blobzero.nn.net_config import SIZES
from blobzero.nn.network import BlobNet
from blobzero.nn.pretrained import load_pretrained

FEATURES, MASKS = export_cli.sample_positions(64)


def critic_net() -> BlobNet:
    torch.manual_seed(0)
    return BlobNet(dataclasses.replace(SIZES["tiny"], features="observation+world")).eval()


def relations_net() -> BlobNet:
    torch.manual_seed(0)
    return BlobNet(dataclasses.replace(SIZES["tiny"], card_relations=True)).eval()


def tricks_net() -> BlobNet:
    """A tricks head, which the exported file leaves out: it takes no part in the search."""
    torch.manual_seed(0)
    config = dataclasses.replace(SIZES["tiny"], features="observation+world", tricks_head=True)
    return BlobNet(config).eval()


NETS = {
    "pretrained": load_pretrained,
    "critic": critic_net,
    "relations": relations_net,
    "tricks": tricks_net,
}


@pytest.mark.filterwarnings("ignore:`torch.jit.load` is deprecated")
@pytest.mark.parametrize("which", sorted(NETS))
def test_torchscript_files_compute_what_the_network_computes(which: str, tmp_path: Path) -> None:
    net = NETS[which]()
    path = tmp_path / "net.pt"
    export_torchscript(net, path)
    loaded = torch.jit.load(str(path))
    f, m = torch.from_numpy(FEATURES), torch.from_numpy(MASKS)
    with torch.no_grad():
        for a, b in zip(loaded(f, m), net(f, m), strict=True):
            torch.testing.assert_close(a, b)


@pytest.mark.parametrize("which", sorted(NETS))
def test_onnx_files_run_in_onnxruntime_like_pytorch(which: str, tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    net = NETS[which]()
    path = tmp_path / "net.onnx"
    export_onnx(net, path)
    assert max_onnx_difference(net, path, FEATURES, MASKS) < 1e-4
    # Any batch size: one position alone.
    assert max_onnx_difference(net, path, FEATURES[:1], MASKS[:1]) < 1e-4


def test_cli_exports_and_reports_the_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("onnxruntime")
    out = tmp_path / "blob.onnx"
    assert export_cli.main(["pretrained", "--format", "onnx", "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert out.is_file() and "max abs difference" in printed
    difference = float(printed.rsplit("difference ", 1)[1])
    assert difference < 1e-4 and np.isfinite(difference)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nonesuch.pt", "--format", "onnx", "--output", "x"], "is neither a checkpoint file nor"),
        (["pretrained", "--format", "tflite", "--output", "x"], "invalid choice"),
    ],
)
def test_cli_bad_arguments_exit_2_with_a_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        export_cli.main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
