"""Random, truncated and bit-flipped input through every public entry point raises the documented
exception (ValueError, TypeError or IndexError, ConfigError for configs) naming the problem, and
never crashes, hangs or returns garbage. The C++ side of these entry points is fuzzed under
AddressSanitizer and UBSan by tests/cpp/fuzz_test.cc."""

from __future__ import annotations

import contextlib
import random
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import blobzero as bz
from blobzero._core.search import IsmctsConfig, PuctConfig
from blobzero.config import ConfigError, load_config
from blobzero.nn.checkpoint import (
    load_checkpoint,
    load_network,
    net_config_to_dict,
    save_checkpoint,
)
from blobzero.nn.network import BlobNet
from blobzero.training.replay import ReplayBuffer

BAD_INPUT = (ValueError, TypeError, IndexError)
REPO = Path(__file__).resolve().parents[2]

# Values of every kind a caller might pass by mistake.
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(-3, 80), max_size=12),
)


def some_state(seed: int) -> bz.State:
    rng = random.Random(seed)
    players = rng.randint(3, 8)
    state = bz.State(bz.RoundRules(num_players=players, num_cards=rng.randint(1, 6)), seed=seed)
    for _ in range(rng.randint(0, 20)):
        if state.is_terminal():
            break
        state.apply_action(rng.choice(state.legal_actions()))
    return state


def mutations(data: bytes, rng: random.Random) -> list[bytes]:
    """The input truncated at random, with a flipped bit, and with a zeroed block."""
    cut = data[: rng.randrange(len(data))]
    flipped = bytearray(data)
    flipped[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    zeroed = bytearray(data)
    start = rng.randrange(len(data))
    zeroed[start : start + 64] = bytes(min(64, len(data) - start))
    return [cut, bytes(flipped), bytes(zeroed)]


@settings(max_examples=150, deadline=None)
@given(
    kwargs=st.dictionaries(
        st.sampled_from(["num_players", "num_cards", "trump", "hook_rule", "scoring", "turn_up"]),
        ANY_VALUE,
        max_size=4,
    )
)
def test_round_rules(kwargs: dict[str, object]) -> None:
    try:
        rules = bz.RoundRules(**kwargs)  # type: ignore[arg-type]
    except BAD_INPUT:
        return
    assert 3 <= rules.num_players <= 8 and rules.num_cards >= 1


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**20), action=ANY_VALUE)
def test_apply_action_leaves_the_state_alone_on_bad_input(seed: int, action: object) -> None:
    state = some_state(seed)
    before = state.serialize()
    try:
        state.apply_action(action)  # type: ignore[arg-type]
    except BAD_INPUT:
        assert state.serialize() == before
        return
    assert isinstance(action, int | str) and not isinstance(action, bool)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**20), cut_seed=st.integers(0, 2**20), text=st.text(max_size=80))
def test_deserialize(seed: int, cut_seed: int, text: str) -> None:
    valid = some_state(seed).serialize()
    rng = random.Random(cut_seed)
    broken = list(valid)
    broken[rng.randrange(len(broken))] = chr(rng.randrange(32, 127))
    for candidate in (text, valid[: rng.randrange(len(valid))], "".join(broken)):
        try:
            state = bz.State.deserialize(candidate)
        except BAD_INPUT:
            continue
        assert bz.State.deserialize(state.serialize()) == state


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**20), observer=ANY_VALUE, world=st.booleans())
def test_encode(seed: int, observer: object, world: bool) -> None:
    state = some_state(seed)
    try:
        features, mask = bz.encode(state, observer, world=world)  # type: ignore[arg-type]
    except BAD_INPUT:
        return
    assert features.shape == (61, 8) and mask.shape == (70,)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    observer=st.integers(-2, 9),
    players=st.integers(1, 10),
    own=st.lists(st.integers(-2, 60), max_size=8),
    unseen=st.lists(st.integers(-2, 60), max_size=30),
    sizes=st.lists(st.integers(-2, 20), max_size=9),
    voids=st.lists(st.integers(-2, 20), max_size=9),
    seed=st.integers(0, 2**32),
)
def test_belief_and_determinizer(
    observer: int,
    players: int,
    own: list[int],
    unseen: list[int],
    sizes: list[int],
    voids: list[int],
    seed: int,
) -> None:
    try:
        belief = bz.Belief(observer, players, own, unseen, sizes, voids)
        hands = bz.Determinizer(belief).sample(seed)
    except BAD_INPUT:
        return
    dealt = [card for hand in hands for card in hand]
    assert len(dealt) == len(set(dealt))


@settings(max_examples=150, deadline=None)
@given(
    kwargs=st.dictionaries(
        st.sampled_from(
            [
                "num_worlds",
                "simulations_per_world",
                "c_puct",
                "leaves_per_tree",
                "virtual_loss",
                "dirichlet_alpha",
                "dirichlet_fraction",
                "temperature",
                "rollout_weight",
            ]
        ),
        ANY_VALUE,
        max_size=3,
    ),
    simulations=ANY_VALUE,
)
def test_search_configs(kwargs: dict[str, object], simulations: object) -> None:
    with contextlib.suppress(BAD_INPUT):
        PuctConfig(**kwargs)  # type: ignore[arg-type]
    with contextlib.suppress(BAD_INPUT):
        IsmctsConfig(simulations=simulations)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    directory = tmp_path_factory.mktemp("valid")
    net = BlobNet("tiny")
    checkpoint = directory / "net.pt"
    save_checkpoint(
        checkpoint, {"net_config": net_config_to_dict(net.config), "model": net.state_dict()}
    )
    buffer = ReplayBuffer(8, seed=1)
    buffer_file = directory / "replay.npz"
    buffer.save(buffer_file)
    return {
        "checkpoint": checkpoint.read_bytes(),
        "buffer": buffer_file.read_bytes(),
        "config": (REPO / "configs" / "tiny.toml").read_bytes(),
    }


@pytest.mark.parametrize("seed", range(40))
def test_damaged_files(seed: int, valid_files: dict[str, bytes], tmp_path: Path) -> None:
    rng = random.Random(seed)
    loaders = {
        "checkpoint": (lambda p: load_network(p), ValueError),
        "buffer": (lambda p: ReplayBuffer.from_file(p), ValueError),
        "config": (lambda p: load_config(p), ConfigError),
    }
    for kind, data in valid_files.items():
        load, error = loaders[kind]
        for i, damaged in enumerate([*mutations(data, rng), rng.randbytes(rng.randrange(200))]):
            path = tmp_path / f"{kind}{i}{'.toml' if kind == 'config' else ''}"
            path.write_bytes(damaged)
            try:
                load(path)
            except error as raised:
                assert str(raised)
            except zipfile.BadZipFile as raised:  # pragma: no cover - a failure
                pytest.fail(f"{kind}: raw {type(raised).__name__} escaped: {raised}")


def test_checkpoint_loader_refuses_every_damaged_byte_run(
    valid_files: dict[str, bytes], tmp_path: Path
) -> None:
    # A zeroed block anywhere inside the tensors' data is caught by the CRC check.
    data = valid_files["checkpoint"]
    path = tmp_path / "net.pt"
    for start in np.linspace(len(data) // 4, 3 * len(data) // 4, 8).astype(int):
        damaged = bytearray(data)
        damaged[start : start + 16] = (
            bytes(16) if any(damaged[start : start + 16]) else b"\xff" * 16
        )
        path.write_bytes(bytes(damaged))
        with pytest.raises(ValueError):
            load_checkpoint(path)
