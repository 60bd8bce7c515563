"""Checkpoint files: a network, its play settings and a training run's state in one file.

Checkpoints are ``torch.save`` files holding only tensors and plain containers (dict, list,
tuple, str, int, float, bool, None), written atomically and read with ``weights_only=True``:
no file is ever unpickled, and every member's CRC-32 is checked before it is read. Payload keys
(written by the training pipeline): ``"format"`` = ``CHECKPOINT_FORMAT``, ``"iteration"``,
``"net_config"`` (``net_config_to_dict``), ``"play"`` (``PlaySettings``), ``"model"`` and
``"best_model"`` (state dicts), ``"trainer"`` (``NetworkTrainer.state_dict()``), ``"config"``,
``"elo"``, ``"rng"`` (``capture_rng_state()``), ``"replay_file"``.
"""

from __future__ import annotations

import dataclasses
import math
import os
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from blobzero._core.search import PuctConfig
from blobzero.atomic_file import write_atomically
from blobzero.nn.net_config import NetConfig
from blobzero.nn.network import BlobNet

CHECKPOINT_FORMAT = "blobzero.checkpoint.v2"
_ENGINE_SEARCH = PuctConfig()  # the engine's default search budget

_LOADABLE_LEAVES = (
    str,
    int,
    float,
    bool,
    bytes,
    type(None),
    torch.dtype,
    torch.device,
    torch.Size,
    torch.Tensor,
)


def _check_loadable(value: object, where: str) -> None:
    """Raises TypeError naming the first value a weights-only load would refuse."""
    if isinstance(value, _LOADABLE_LEAVES):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str | int):
                raise TypeError(f"{where}: key {key!r} must be a str or int")
            _check_loadable(item, f"{where}[{key!r}]")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_loadable(item, f"{where}[{index}]")
        return
    raise TypeError(
        f"{where}: a {type(value).__name__} cannot go into a checkpoint "
        "(only tensors, dict, list, tuple, str, int, float, bool and None)"
    )


def save_checkpoint(path: str | os.PathLike[str], payload: Mapping[str, Any]) -> None:
    """Writes ``payload`` to ``path`` atomically: ``torch.save`` into a temporary file in the
    same directory, flush + fsync, ``os.replace``, fsync of the directory. A crash or error
    leaves any previous file at ``path`` intact and no temporary file behind. Creates missing
    parent directories. Sets ``"format"`` to ``CHECKPOINT_FORMAT`` when absent.

    Raises ValueError for a wrong ``"format"`` and TypeError naming the key of any value that
    ``torch.load(weights_only=True)`` could not read back.
    """
    if not isinstance(payload, Mapping):
        raise TypeError(f"checkpoint payload must be a dict, got {type(payload).__name__}")
    data = dict(payload)
    data.setdefault("format", CHECKPOINT_FORMAT)
    if data["format"] != CHECKPOINT_FORMAT:
        raise ValueError(
            f"checkpoint payload['format'] must be {CHECKPOINT_FORMAT!r}, got {data['format']!r}"
        )
    _check_loadable(data, "checkpoint payload")
    write_atomically(path, lambda file: torch.save(data, file))


def _check_integrity(file: Path) -> None:
    """ValueError unless ``file`` is a zip archive (torch's format) whose every member matches
    its CRC-32: torch.load itself would return damaged tensors."""
    try:
        with zipfile.ZipFile(file) as archive:
            damaged = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as error:
        raise ValueError(
            f"checkpoint {str(file)!r} cannot be read (truncated, damaged or not a torch "
            f"checkpoint): {type(error).__name__}: {error}"
        ) from None
    if damaged is not None:
        raise ValueError(f"checkpoint {str(file)!r} is damaged: {damaged!r} fails its CRC-32 check")


def load_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Reads a checkpoint with ``torch.load(weights_only=True, map_location="cpu")``.

    Raises ValueError naming the file and the problem when it is missing, unreadable, truncated
    or damaged (every member's CRC-32 is checked first), holds anything but plain data, is not
    a dict, or lacks ``"format" == CHECKPOINT_FORMAT``. The other keys are not checked here.
    """
    file = Path(path)
    if not file.is_file():
        problem = "is not a file" if file.exists() else "does not exist"
        raise ValueError(f"checkpoint {str(file)!r} {problem}")
    _check_integrity(file)
    try:
        data = torch.load(file, map_location="cpu", weights_only=True)
    except Exception as error:
        raise ValueError(
            f"checkpoint {str(file)!r} cannot be read (truncated, corrupt or not a weights-only "
            f"torch file): {type(error).__name__}: {error}"
        ) from error
    if not isinstance(data, dict):
        raise ValueError(f"checkpoint {str(file)!r} holds a {type(data).__name__}, not a dict")
    found = data.get("format")
    if found != CHECKPOINT_FORMAT:
        raise ValueError(
            f"checkpoint {str(file)!r} has format {found!r}, expected {CHECKPOINT_FORMAT!r}"
        )
    return data


def net_config_to_dict(config: NetConfig) -> dict[str, Any]:
    """A NetConfig as the checkpoint's ``"net_config"`` dict."""
    return dataclasses.asdict(config)


def net_config_from_dict(data: Mapping[str, Any]) -> NetConfig:
    """The inverse of ``net_config_to_dict``; ValueError naming an unknown or missing key or a
    bad value."""
    if not isinstance(data, Mapping):
        raise ValueError(f"net_config must be a dict, got {type(data).__name__}")
    fields = {field.name: field for field in dataclasses.fields(NetConfig)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValueError(f"net_config: unknown key {unknown[0]!r}")
    # Checkpoints written before the "features" key hold world-feature networks.
    data = {"features": "world", **data}
    # ... and before "card_relations" or "tricks_head", networks without them.
    data = {"card_relations": False, "tricks_head": False, **data}
    missing = sorted(set(fields) - set(data))
    if missing:
        raise ValueError(f"net_config: missing key {missing[0]!r}")
    for name, value in data.items():
        wanted: type = {
            "dropout": float,
            "features": str,
            "card_relations": bool,
            "tricks_head": bool,
        }.get(name, int)
        ok = isinstance(value, int | float) if wanted is float else isinstance(value, wanted)
        if not ok or (isinstance(value, bool) and wanted is not bool):
            raise ValueError(f"net_config.{name}: expected {wanted.__name__}, got {value!r}")
    try:
        return NetConfig(**dict(data))
    except ValueError as error:
        raise ValueError(f"net_config: {error}") from error


@dataclasses.dataclass(frozen=True)
class PlaySettings:
    """How a checkpoint's network plays unless told otherwise (its ``"play"`` key): the search
    budget, the share of random playouts in its leaf values and the exploration constant
    (``PuctConfig``). A checkpoint saved before ``c_puct`` was kept plays at the engine's."""

    num_worlds: int = _ENGINE_SEARCH.num_worlds
    simulations_per_world: int = _ENGINE_SEARCH.simulations_per_world
    rollout_weight: float = 0.0
    c_puct: float = _ENGINE_SEARCH.c_puct

    def __post_init__(self) -> None:
        for name in ("num_worlds", "simulations_per_world"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"play.{name} must be a positive int, got {value!r}")
        weight = self.rollout_weight
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1:
            raise ValueError(f"play.rollout_weight must be a number in [0, 1], got {weight!r}")
        c_puct = self.c_puct
        if (
            isinstance(c_puct, bool)
            or not isinstance(c_puct, int | float)
            or not math.isfinite(c_puct)
            or c_puct <= 0
        ):
            raise ValueError(f"play.c_puct must be a positive finite number, got {c_puct!r}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


DEFAULT_PLAY = PlaySettings()


def load_play_settings(path: str | os.PathLike[str]) -> PlaySettings:
    """The ``"play"`` settings of checkpoint ``path`` (``DEFAULT_PLAY`` when it has none).
    Raises ValueError naming the file and the problem."""
    play = load_checkpoint(path).get("play")
    if play is None:
        return DEFAULT_PLAY
    fields = {field.name for field in dataclasses.fields(PlaySettings)}
    if not isinstance(play, dict) or set(play) - fields:
        raise ValueError(f"checkpoint {str(Path(path))!r}: 'play' must be a dict of {fields}")
    try:
        return PlaySettings(**play)
    except ValueError as error:
        raise ValueError(f"checkpoint {str(Path(path))!r}: {error}") from None


def load_network(
    path: str | os.PathLike[str], which: str = "model", device: str | torch.device = "cpu"
) -> BlobNet:
    """The BlobNet stored in checkpoint ``path`` (``which`` = ``"model"``, the latest weights,
    or ``"best_model"``, the promoted ones), on ``device``, in eval mode. Raises ValueError
    naming the file and the problem (see ``load_checkpoint``; also a bad ``"net_config"``, a
    state dict whose keys or shapes do not fit the network, or non-finite weights)."""
    if which not in ("model", "best_model"):
        raise ValueError(f"which must be 'model' or 'best_model', got {which!r}")
    data = load_checkpoint(path)
    name = str(Path(path))
    for key in ("net_config", which):
        if key not in data:
            raise ValueError(f"checkpoint {name!r}: missing key {key!r}")
    try:
        config = net_config_from_dict(data["net_config"])
    except ValueError as error:
        raise ValueError(f"checkpoint {name!r}: {error}") from error
    state = data[which]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f"checkpoint {name!r}: {which!r} must be a dict of tensors")
    for key, tensor in state.items():
        if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
            raise ValueError(
                f"checkpoint {name!r}: {which!r} tensor {key!r} holds non-finite values"
            )
    net = BlobNet(config)
    expected = set(net.state_dict())
    missing = sorted(expected - set(state))
    unexpected = sorted(set(state) - expected)
    if missing or unexpected:
        raise ValueError(
            f"checkpoint {name!r}: {which!r} does not fit the network: "
            f"missing keys {missing}, unexpected keys {unexpected}"
        )
    try:
        net.load_state_dict(state)
    except RuntimeError as error:
        raise ValueError(
            f"checkpoint {name!r}: {which!r} does not fit the network: {error}"
        ) from error
    return net.to(torch.device(device)).eval()
