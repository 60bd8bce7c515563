"""BlobNet and its inference wrapper: shapes, masking, modes, input validation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

import blobzero as bz
from blobzero.nn.inference import InferenceModel
from blobzero.nn.net_config import SIZES, NetConfig, net_config, search_config, tree_shape
from blobzero.nn.network import ILLEGAL_LOGIT, BlobNet


def _batch(count: int = 6) -> tuple[np.ndarray, np.ndarray]:
    states = []
    for i in range(count):
        state = bz.State(bz.RoundRules(num_players=3 + i % 6, num_cards=3), dealer=0, seed=i)
        for _ in range(i % 5):
            state.apply_action(state.legal_actions()[0])
        states.append(state)
    return bz.encode_batch(states)


def test_outputs_have_fixed_shapes_and_mask_illegal_actions() -> None:
    torch.manual_seed(0)
    features, masks = _batch()
    logits, values = InferenceModel(BlobNet("tiny"), mode="eager")(features, masks)
    assert logits.shape == (6, 70) and values.shape == (6, 8)
    assert logits.dtype == np.float32 and values.dtype == np.float32
    assert np.all(logits[masks == 0] == ILLEGAL_LOGIT)
    assert np.all(np.abs(logits[masks == 1]) < 100)
    probabilities = torch.softmax(torch.from_numpy(logits), dim=1).numpy()
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert np.all(probabilities[masks == 0] == 0)


# torch.compile's own machinery calls torch.jit.script_method, deprecated in torch 2.10+.
@pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated")
@pytest.mark.parametrize("mode", ["torchscript", "eager", "compile", "onnxruntime"])
def test_modes_agree(mode: str) -> None:
    torch.manual_seed(1)
    net = BlobNet("tiny").eval()
    features, masks = _batch()
    expected_logits, expected_values = net(torch.from_numpy(features), torch.from_numpy(masks))
    logits, values = InferenceModel(net, mode=mode)(features, masks)
    np.testing.assert_allclose(logits, expected_logits.detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(values, expected_values.detach().numpy(), rtol=1e-5, atol=1e-5)


def test_rows_are_independent() -> None:
    torch.manual_seed(2)
    model = InferenceModel(BlobNet("tiny"))
    features, masks = _batch()
    logits, values = model(features, masks)
    one_logits, one_values = model(features[2:3], masks[2:3])
    np.testing.assert_allclose(one_logits[0], logits[2], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(one_values[0], values[2], rtol=1e-5, atol=1e-5)


def test_load_weights_updates_the_inference_copy() -> None:
    torch.manual_seed(3)
    net = BlobNet("tiny")
    model = InferenceModel(net)
    features, masks = _batch()
    before, _ = model(features, masks)
    with torch.no_grad():
        net.card_head.bias.add_(1.0)
    unchanged, _ = model(features, masks)
    np.testing.assert_array_equal(before, unchanged)
    model.load_weights(net)
    after, _ = model(features, masks)
    legal = masks[:, :52] == 1
    np.testing.assert_allclose(after[:, :52][legal], before[:, :52][legal] + 1.0, atol=1e-4)


def test_network_sizes() -> None:
    assert SIZES["base"] == NetConfig(d_model=256, num_layers=6, num_heads=8, ff_multiplier=4)
    assert net_config("small") is SIZES["small"]
    with pytest.raises(ValueError, match="unknown network size 'huge'"):
        net_config("huge")
    with pytest.raises(ValueError, match="d_model = 30 is not divisible by num_heads = 4"):
        NetConfig(d_model=30, num_heads=4)
    with pytest.raises(ValueError, match="unknown inference mode 'onnx'"):
        InferenceModel(BlobNet("tiny"), mode="onnx")


def test_bad_batches_raise_value_errors() -> None:
    model = InferenceModel(BlobNet("tiny"))
    features, masks = _batch(2)
    with pytest.raises(
        ValueError, match="features must be a uint8 numpy array, got an array of dtype int64"
    ):
        model(features.astype(np.int64), masks)
    with pytest.raises(
        ValueError, match=r"features must have shape \(B, 61, 8\), got \(2, 60, 8\)"
    ):
        model(features[:, :60], masks)
    with pytest.raises(ValueError, match=r"masks must have shape \(2, 70\), got \(1, 70\)"):
        model(features, masks[:1])
    with pytest.raises(ValueError, match="masks must be a uint8 or bool numpy array, got list"):
        model(features, masks.tolist())  # type: ignore[arg-type]


def test_a_network_drives_a_search() -> None:
    torch.manual_seed(4)
    model = InferenceModel(BlobNet("tiny"))
    state = bz.State(bz.RoundRules(num_players=4, num_cards=5), dealer=1, seed=9)
    result = bz.PimcSearch(bz.PuctConfig(num_worlds=2, simulations_per_world=20), model).run(
        state, 5
    )
    assert result.action in state.legal_actions()
    assert result.num_evaluations > 0
    assert result.policy.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("size", ["tiny", "small"])
def test_token_encoder_matches_torch_transformer_encoder(size: str) -> None:
    # BlobNet runs its nn.TransformerEncoder's weights layer by layer (encode_tokens, for speed):
    # the result must be the encoder's own, in inference and in training with gradients.
    torch.manual_seed(5)
    net = BlobNet(size)
    tokens = torch.randn(7, bz.NUM_TOKENS, net.config.d_model)
    with torch.inference_mode():
        net.eval()
        torch.testing.assert_close(net.encode_tokens(tokens), net.encoder(tokens))
    net.train()
    ours = net.encode_tokens(tokens.clone().requires_grad_(True))
    theirs = net.encoder(tokens)
    torch.testing.assert_close(ours, theirs)
    ours.square().sum().backward()
    grad = net.encoder.layers[0].self_attn.in_proj_weight.grad
    assert grad is not None and bool(torch.isfinite(grad).all()) and grad.abs().sum() > 0


def test_token_encoder_applies_dropout_in_training_only() -> None:
    torch.manual_seed(6)
    net = BlobNet(NetConfig(d_model=32, num_layers=1, num_heads=2, dropout=0.5))
    tokens = torch.randn(3, bz.NUM_TOKENS, 32)
    net.train()
    assert not torch.equal(net.encode_tokens(tokens), net.encode_tokens(tokens))
    net.eval()
    with torch.no_grad():
        torch.testing.assert_close(net.encode_tokens(tokens), net.encoder(tokens))


def _holder_batch() -> tuple[np.ndarray, np.ndarray]:
    states = []
    for i in range(5):
        state = bz.State(bz.RoundRules(num_players=3 + i, num_cards=4), dealer=i % 3, seed=i)
        for _ in range(2 * i):
            state.apply_action(state.legal_actions()[-1])
        states.append(state)
    return bz.encode_batch(states, holders=True)


def test_a_world_critic_gives_the_values_and_the_policy_reads_only_the_observation() -> None:
    torch.manual_seed(4)
    config = dataclasses.replace(SIZES["tiny"], features="observation+world")
    net = BlobNet(config).eval()
    (critic,) = net.critic
    assert critic.config.features == "world"
    features, masks = _holder_batch()
    f, m = torch.from_numpy(features), torch.from_numpy(masks)
    observation, world = net.split_holder_features(f)
    with torch.no_grad():
        logits, values = net(f, m)
        own_logits, _, _ = net.policy_value(observation, m)
        _, critic_values = critic(world, m)
    assert torch.equal(logits, own_logits) and torch.equal(values, critic_values)
    # Moving the hidden cards between the other seats changes the values, never the policy.
    moved = features.copy()
    holders = moved[:, :52, 7] >> 1
    moved[:, :52, 7] = (moved[:, :52, 7] & 1) | (np.where(holders > 0, 1, 0) << 1).astype(np.uint8)
    with torch.no_grad():
        moved_logits, moved_values = net(torch.from_numpy(moved), m)
    assert torch.equal(moved_logits, logits)
    assert not torch.allclose(moved_values, values)
    scripted_logits, scripted_values = InferenceModel(net)(features, masks)
    np.testing.assert_allclose(scripted_values, values.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(scripted_logits, logits.numpy(), rtol=1e-5, atol=1e-5)


def test_only_world_critic_networks_have_critic_weights() -> None:
    keys = set(BlobNet("tiny").state_dict())
    assert not any(k.startswith("critic.") for k in keys)
    critic = BlobNet(dataclasses.replace(SIZES["tiny"], features="observation+world"))
    critic_keys = set(critic.state_dict())
    assert keys < critic_keys
    assert {k.removeprefix("critic.0.") for k in critic_keys - keys} == keys


@pytest.mark.parametrize(
    ("features", "information_set_tree", "world_critic"),
    [("world", False, False), ("observation", True, False), ("observation+world", True, True)],
)
def test_the_features_choose_the_tree(
    features: str, information_set_tree: bool, world_critic: bool
) -> None:
    config = search_config(dataclasses.replace(SIZES["tiny"], features=features), 2, 5)
    assert config.information_set_tree == information_set_tree
    assert config.world_critic == world_critic
    assert (config.num_worlds, config.simulations_per_world) == (2, 5)
    with pytest.raises(ValueError, match="features"):
        tree_shape("holders")


def test_torchscript_inference_warns_nothing() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        InferenceModel(BlobNet("tiny"), mode="torchscript")


def test_onnxruntime_inference_follows_load_weights_and_runs_on_the_cpu_only() -> None:
    torch.manual_seed(5)
    net = BlobNet("tiny")
    model = InferenceModel(net, mode="onnxruntime")
    features, masks = _batch()
    before = model(features, masks)[1]
    with torch.no_grad():
        for parameter in net.value_head.parameters():
            parameter.add_(0.1)
    model.load_weights(net)
    after = model(features, masks)[1]
    expected = net.eval()(torch.from_numpy(features), torch.from_numpy(masks))[1]
    np.testing.assert_allclose(after, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    assert not np.allclose(before, after)
    with pytest.raises(ValueError, match="runs on the CPU"):
        InferenceModel(net, device="cuda", mode="onnxruntime")
