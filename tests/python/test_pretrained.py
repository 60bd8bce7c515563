"""The shipped network (``pretrained``): it is installed, loads as any checkpoint, says how it
was trained and how it plays, and plays legal games through the arena and its command."""

from __future__ import annotations

import pytest

from blobzero.cli import arena as arena_cli
from blobzero.evaluation.arena import BotFactory, NetworkAgentFactory, play_match, seat_assignments
from blobzero.nn.checkpoint import load_checkpoint, load_play_settings
from blobzero.nn.pretrained import load_pretrained, pretrained_path


def test_the_shipped_network_loads_with_its_play_settings() -> None:
    path = pretrained_path()
    assert path.stat().st_size < 5_000_000
    data = load_checkpoint(path)
    assert isinstance(data["about"], str) and "configs/" in data["about"]
    net = load_pretrained()
    assert net.config.features in ("world", "observation") and not net.training
    play = load_play_settings(path)
    # At most 90 network evaluations a move.
    assert play.num_worlds * play.simulations_per_world <= 90


def test_pretrained_plays_legal_games_and_beats_random() -> None:
    agent = arena_cli.agent_from_spec("pretrained", inference_mode="eager")
    assert isinstance(agent, NetworkAgentFactory) and agent.name == "pretrained"
    result = play_match(agent, BotFactory("random"), deals=4, num_players=4, hand_sizes=[5], seed=3)
    assert result.games == 4 * len(seat_assignments(4))
    assert result.margin_mean > 0


def test_the_arena_command_takes_pretrained(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["pretrained", "heuristic", "--deals", "1", "--players", "3", "--cards", "2"]
    assert arena_cli.main([*argv, "--inference-mode", "eager", "--no-progress"]) == 0
    assert "pretrained vs heuristic" in capsys.readouterr().out


def test_pretrained_follows_its_own_search_settings() -> None:
    agent = arena_cli.agent_from_spec("pretrained", inference_mode="eager")
    play = load_play_settings(pretrained_path())
    config = agent.config
    assert (config.num_worlds, config.simulations_per_world) == (
        play.num_worlds,
        play.simulations_per_world,
    )
    assert config.rollout_weight == play.rollout_weight
    assert config.c_puct == play.c_puct
    assert config.information_set_tree == (load_pretrained().config.features == "observation")
