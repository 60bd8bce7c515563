"""Information-set PUCT (PuctConfig(information_set_tree=True)) and the actor mask it expands.

- encode_actor_mask: the legal mask for the player to act; for anyone else a superset of what
  the player to act may legally do in every deal consistent with the observer's information,
  built from that information alone.
- The search asks the evaluator only about the searcher's view (observation features, values
  relative to the searcher), spends num_worlds * simulations_per_world simulations in one tree,
  finds exact wins at the last trick, is reproducible, and reads only the searcher's
  information (the PIMC oracle over the true deal shows the check can fail).
- Self-play records of an information-set search: the acting seat's observation and, with
  record_opponent_views, every other seat's view of the same decision.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import blobzero as bz
from blobzero import State
from blobzero._core.encode import HOLDER_SHIFT, encode_actor_mask
from blobzero._core.search import PimcSearch, PuctConfig, RolloutEvaluator, SearchResult
from blobzero.nn.network import BlobNet
from blobzero.selfplay.engine import SelfPlayConfig, SelfPlayEngine
from support import pick
from test_information_hiding import resample_hidden
from test_pimc import FeatureNet, build, midgame, same
from test_selfplay import HashModel, small_config

IN_MY_HAND = 1
IN_OTHER_HAND = 5


def random_state(seed: int, players: int, n: int, cut: float) -> State:
    """A random round of `players` x `n` stopped after a fraction `cut` of its actions."""
    rng = random.Random(seed)
    state = State(bz.RoundRules(players, n, trump=rng.choice("CDHSN")), seed % players, seed)
    total = players * (n + 1)
    for _ in range(int(cut * total)):
        if state.is_terminal():
            break
        state.apply_action(pick(rng, state.legal_actions()))
    return state


def legal_set(state: State) -> set[int]:
    return set(state.legal_actions())


# ---------------------------------------------------------------------------------------------
# The actor mask.
# ---------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    players=st.integers(3, 8),
    n=st.integers(1, 6),
    cut=st.floats(0.0, 0.95),
)
def test_actor_mask_covers_every_consistent_deal_and_reads_only_the_observer(
    seed: int, players: int, n: int, cut: float
) -> None:
    state = random_state(seed, players, n, cut)
    if state.is_terminal():
        for observer in range(players):
            assert not encode_actor_mask(state, observer).any()
        return
    actor = state.current_player
    assert np.array_equal(encode_actor_mask(state, actor).astype(bool), state.legal_mask())
    rng = random.Random(seed)
    for observer in range(players):
        mask = encode_actor_mask(state, observer)
        assert set(np.flatnonzero(mask)) >= legal_set(state)
        # Any deal the observer cannot tell apart gives the same mask, and the actor's legal
        # actions there are covered too.
        for _ in range(5):
            other = resample_hidden(state, observer, rng)
            if other is None:
                break
            twin = State.replay(state.rules, other, state.history)
            assert np.array_equal(encode_actor_mask(twin, observer), mask)
            assert set(np.flatnonzero(mask)) >= legal_set(twin)


def test_actor_mask_leaves_out_what_the_observer_knows_the_actor_cannot_play() -> None:
    state = build(["2H 3S 4S", "5C 6C 7D", "8H 9D TD", "JS QS KS"], [0, 0, 0, 0], "S")
    # A bid: the legal bids are public.
    fresh = build(["2H 3S", "5C 6C", "8H 9D", "JS QS"], [], "S")
    assert np.array_equal(encode_actor_mask(fresh, 3).astype(bool), fresh.legal_mask())
    # Seat 1 discards a club on the heart lead: it is void in hearts. Seat 3 trumps and leads.
    for card in ("2H", "5C", "8H", "JS", "QS", "3S"):
        state.apply_action(card)
    assert state.current_player == 1
    mask = encode_actor_mask(state, 2)
    cards = {bz.card_to_string(c) for c in np.flatnonzero(mask[:52])}
    assert {"6C", "7D", "AC", "AS", "KD"} <= cards
    assert not any(card.endswith("H") for card in cards)  # void
    assert cards.isdisjoint({"9D", "TD"})  # the observer's own
    assert cards.isdisjoint({"2H", "5C", "8H", "JS", "QS", "3S"})  # played
    assert not mask[52:].any()


# ---------------------------------------------------------------------------------------------
# The search.
# ---------------------------------------------------------------------------------------------


def is_config(worlds: int = 3, sims: int = 20, **options: object) -> PuctConfig:
    return PuctConfig(
        num_worlds=worlds, simulations_per_world=sims, information_set_tree=True, **options
    )


def test_the_evaluator_sees_only_the_searchers_view() -> None:
    state = midgame(seed=3)
    searcher = state.current_player
    net = FeatureNet()
    result = PimcSearch(is_config(leaves_per_tree=2), net).run(state, seed=1)
    rows = np.concatenate(net.batches)
    assert len(rows) == result.num_evaluations > 10
    own = set(state.hand(searcher))
    root, _ = bz.encode(state, searcher)
    assert np.array_equal(rows[0], root)
    for features in rows:
        location = features[:52, 3]
        assert not (location == IN_OTHER_HAND).any()  # observation features, not world ones
        assert set(np.flatnonzero(location == IN_MY_HAND)) <= own
        assert features[52, 0] == 1  # relative seat 0 (the searcher) is present
    # Every node is evaluated once: the requests are distinct positions.
    assert len({r.tobytes() for r in rows}) == len(rows)


def test_a_world_critic_is_given_each_leafs_world_beside_the_searchers_view() -> None:
    state = midgame(seed=3)
    searcher = state.current_player
    p = state.num_players
    net = FeatureNet()
    result = PimcSearch(is_config(leaves_per_tree=2, world_critic=True), net).run(state, seed=1)
    rows = np.concatenate(net.batches)
    assert len(rows) == result.num_evaluations > 10
    view = [BlobNet("tiny").split_holder_features(torch.from_numpy(r[None])) for r in rows]
    root, _ = bz.encode(state, searcher)
    assert np.array_equal(view[0][0][0].numpy(), root)
    hidden = {c for seat in range(p) if seat != searcher for c in state.hand(seat)}
    worlds = set()
    for features in rows:
        holders = features[:52, 7] >> HOLDER_SHIFT
        held = set(np.flatnonzero(holders))
        # A world deals the other seats exactly as many unseen cards as they hold, never one the
        # searcher has seen, and changes nothing the searcher knows.
        assert held <= set(np.flatnonzero(features[:52, 3] == 0))
        sizes = [int((holders == r).sum()) for r in range(1, p)]
        assert sizes == [int(features[52 + r, 4]) for r in range(1, p)]
        worlds.add(tuple(holders[sorted(hidden)]))
    assert len(worlds) > 5  # each simulation draws its own world


@pytest.mark.parametrize(("worlds", "sims", "leaves"), [(1, 30, 1), (3, 20, 1), (4, 10, 2)])
def test_one_tree_spends_worlds_times_simulations(worlds: int, sims: int, leaves: int) -> None:
    state = midgame(seed=5)
    result = PimcSearch(is_config(worlds, sims, leaves_per_tree=leaves), FeatureNet()).run(
        state, seed=2
    )
    budget = worlds * sims
    assert result.num_evaluations + result.cache_hits + result.terminal_leaves == budget
    # The first simulation evaluates the root itself; every later one passes a root child.
    assert result.visits.sum() == budget - 1
    assert set(np.flatnonzero(result.visits)) <= legal_set(state)
    assert result.policy.sum() == pytest.approx(1.0)
    assert len(result.root_values) == state.num_players


def test_values_are_relative_to_the_searcher() -> None:
    state = midgame(seed=8)
    searcher = state.current_player

    def favours_seat_two(f: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = np.zeros((len(f), 8), dtype=np.float32)
        values[:, 2] = 0.5  # relative seat 2 of the searcher
        return np.zeros((len(f), 70), dtype=np.float32), values

    result = PimcSearch(is_config(1, 40), favours_seat_two).run(state, seed=0)
    # Every leaf says 0.5 for the seat two places left of the searcher, 0 for the others; only
    # terminal leaves (none this early) could say otherwise.
    assert result.terminal_leaves == 0
    expected = [0.0] * state.num_players
    expected[(searcher + 2) % state.num_players] = 0.5
    assert result.root_values == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("hands", "bids", "plays", "best"),
    [
        # Seat 3 plays last in the last trick and needs it: only the ace of trumps wins.
        (["2C", "3C", "4C", "AS"], [0, 0, 0, 1], ("2C", "3C", "4C"), "AS"),
        # Seat 3 has bid 0 and must duck: TH wins the trick for sure, 2H may lose both.
        (["9H 3D", "TC 4D", "JC 6D", "2H TH"], [1, 0, 0, 0], ("9H", "TC", "JC"), "2H"),
    ],
)
def test_finds_the_card_that_makes_the_bid(
    hands: list[str], bids: list[int], plays: tuple[str, ...], best: str
) -> None:
    state = build(hands, bids, trump="S", plays=plays)
    assert state.current_player == 3
    for seed in range(3):
        result = PimcSearch(is_config(2, 30), RolloutEvaluator(seed)).run(state, seed=seed)
        assert bz.action_to_string(result.action) == best


def test_seeded_runs_are_reproducible_and_seeds_matter() -> None:
    state = midgame()
    config = is_config(3, 30, dirichlet_fraction=0.25)
    first = PimcSearch(config, FeatureNet()).run(state, seed=4)
    assert same(first, PimcSearch(config, FeatureNet()).run(state, seed=4))
    patterns = {tuple(PimcSearch(config, FeatureNet()).run(state, seed=s).visits) for s in range(8)}
    assert len(patterns) >= 6


@pytest.mark.parametrize(
    "kind",
    ["rollout", "python", "world critic", "bid inference", "evaluation cap", "improved policy"],
)
def test_the_search_reads_only_the_searchers_information(kind: str) -> None:
    from test_pimc import twins

    differ_with_perfect_information = 0
    for state, twin in twins():
        config = is_config(
            3,
            30,
            leaves_per_tree=2,
            dirichlet_fraction=0.25,
            world_critic=kind == "world critic",
            inference_candidates=64 if kind == "bid inference" else 0,
            max_evaluations=20 if kind == "evaluation cap" else 0,
            rollout_weight=0.5 if kind == "evaluation cap" else 0.0,
            improved_policy_scale=0.1 if kind == "improved policy" else 0.0,
        )

        def run(s: State, cfg: PuctConfig = config) -> SearchResult:
            evaluator = RolloutEvaluator(seed=9) if kind == "rollout" else FeatureNet()
            return PimcSearch(cfg, evaluator).run(s, seed=21)

        assert same(run(state), run(twin))
        oracle = PuctConfig(num_worlds=1, simulations_per_world=60, perfect_information=True)
        differ_with_perfect_information += not same(
            PimcSearch(oracle, RolloutEvaluator(9)).run(state, seed=21),
            PimcSearch(oracle, RolloutEvaluator(9)).run(twin, seed=21),
        )
    assert differ_with_perfect_information >= 3


def test_an_evaluation_cap_spends_the_rest_of_the_simulations_on_playouts() -> None:
    state = midgame()
    net = FeatureNet()
    result = PimcSearch(is_config(10, 50, max_evaluations=40), net).run(state, seed=3)
    assert result.num_evaluations == 40
    assert int(np.sum(result.visits)) == 10 * 50 - 1


def test_search_options_copy_a_config_with_fields_changed() -> None:
    from blobzero.nn.net_config import with_search_options

    base = is_config(3, 30, rollout_weight=0.5)
    changed = with_search_options(base, max_evaluations=90, num_worlds=10, bid_spread=0.7)
    assert (changed.max_evaluations, changed.num_worlds, changed.bid_spread) == (90, 10, 0.7)
    assert changed.information_set_tree and changed.rollout_weight == 0.5
    assert changed.simulations_per_world == 30 and base.max_evaluations == 0
    with pytest.raises(ValueError, match="unknown search option 'max_evals'"):
        with_search_options(base, max_evals=90)
    with pytest.raises(ValueError, match="bid_spread"):
        with_search_options(base, bid_spread=0.0)


def test_configs_that_exclude_each_other_are_refused() -> None:
    with pytest.raises(ValueError, match="perfect_information and information_set_tree"):
        PuctConfig(perfect_information=True, information_set_tree=True)
    with pytest.raises(ValueError, match="world_critic needs information_set_tree"):
        PuctConfig(world_critic=True)
    with pytest.raises(ValueError, match="record_opponent_views needs"):
        SelfPlayConfig(record_opponent_views=True)


# ---------------------------------------------------------------------------------------------
# Self-play records.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opponent_views", "world_critic"), [(False, False), (True, False), (True, True)]
)
def test_records_hold_each_seats_observation_of_each_decision(
    opponent_views: bool, world_critic: bool
) -> None:
    config = small_config(
        search=is_config(2, 8, dirichlet_fraction=0.25, world_critic=world_critic),
        record_opponent_views=opponent_views,
    )
    with SelfPlayEngine(HashModel(), config) as engine:
        records = engine.generate_games(8)
    games = records.games
    row = 0
    for i in range(len(games)):
        p = int(games.num_players[i])
        final = games.state(i)
        values = final.values()
        decisions = 0
        while row < len(records) and records.game_id[row] == games.game_id[i]:
            move = int(records.move_number[row])
            state = games.state(i, move)
            actor = state.current_player
            views = p if opponent_views else 1
            block = range(row, row + views)
            assert [int(records.observer[r]) for r in block] == (
                list(range(p)) if opponent_views else [actor]
            )
            for r in block:
                observer = int(records.observer[r])
                features, _ = bz.encode(state, observer, holders=world_critic)
                assert np.array_equal(records.features[r], features)
                assert np.array_equal(records.masks[r], encode_actor_mask(state, observer))
                assert np.array_equal(records.policy[r], records.policy[row])
                target = [values[(observer + k) % p] for k in range(p)]
                assert np.allclose(records.value[r, :p], target, atol=1e-6)
            support = set(np.flatnonzero(records.policy[row]))
            assert support <= legal_set(state)
            assert records.policy[row, games.actions_of(i)[move]] > 0
            row += views
            decisions += 1
        assert decisions > 0
    assert row == len(records)


# ---------------------------------------------------------------------------------------------
# Leaf values mixed with random playouts.
# ---------------------------------------------------------------------------------------------


def constant(value: float) -> object:
    def evaluate(f: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros((len(f), 70), np.float32), np.full((len(f), 8), value, np.float32)

    return evaluate


@pytest.mark.parametrize("information_set_tree", [False, True])
def test_rollout_weight_mixes_playouts_into_leaf_values(information_set_tree: bool) -> None:
    state = midgame(seed=4)

    def run(value: float, weight: float) -> SearchResult:
        config = PuctConfig(
            num_worlds=2,
            simulations_per_world=30,
            information_set_tree=information_set_tree,
            rollout_weight=weight,
        )
        return PimcSearch(config, constant(value)).run(state, seed=3)

    # All playouts: the evaluator's values are ignored.
    assert same(run(0.9, 1.0), run(-0.9, 1.0))
    # None: a constant evaluator gives its constant (no terminal leaf this early).
    assert run(0.9, 0.0).root_values == pytest.approx([0.9] * state.num_players)
    # Half: every leaf value is (evaluator + playout) / 2, so raising the evaluator's constant
    # from 0 to 0.9 raises every value by 0.45 and changes no choice of the search.
    low, high = run(0.0, 0.5), run(0.9, 0.5)
    assert low.terminal_leaves == 0
    assert (low.visits == high.visits).all()
    assert high.root_values == pytest.approx([v + 0.45 for v in low.root_values], abs=1e-5)
    assert low.root_values != pytest.approx(run(0.0, 1.0).root_values, abs=1e-3)
    # Action values: the searcher's mean over the simulations through each root action.
    searcher = state.current_player
    visited = low.visits > 0
    assert high.action_values[visited] - low.action_values[visited] == pytest.approx(0.45, abs=1e-5)
    assert (low.action_values[~visited] == 0).all() and (
        run(0.9, 0.0).action_values[visited] == pytest.approx(0.9)
    )
    mean = (low.visits * low.action_values).sum() / low.visits.sum()
    assert mean == pytest.approx(low.root_values[searcher], abs=0.1)


@pytest.mark.parametrize("weight", [-0.1, 1.5, float("nan")])
def test_rollout_weight_outside_zero_to_one_is_refused(weight: float) -> None:
    with pytest.raises(ValueError, match="rollout_weight"):
        PuctConfig(rollout_weight=weight)


def test_self_play_searches_keep_to_their_cap_on_network_evaluations() -> None:
    def model(features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros((len(features), 70), np.float32), np.zeros((len(features), 8), np.float32)

    search = is_config(4, 25, max_evaluations=10, rollout_weight=0.5)
    with SelfPlayEngine(model, search=search, seed=3, num_threads=1) as engine:
        records = engine.generate_games(4)
        evaluations = engine.stats.evaluations
    assert len(records) > 0
    assert evaluations <= 10 * len(records)  # one record per searched decision
    assert evaluations > 5 * len(records)


@pytest.mark.parametrize("scale", [0.0, 0.1])
def test_self_play_records_the_improved_policy_when_asked(scale: float) -> None:
    """improved_policy_scale > 0 makes the target the completed-Q improved policy, a
    distribution over every action the actor may take (unvisited ones included); 0 keeps the
    visit fractions, which leave some legal action at 0 with 4 simulations a decision."""
    search = is_config(1, 4, dirichlet_fraction=0.25, improved_policy_scale=scale)
    with SelfPlayEngine(HashModel(), small_config(search=search)) as engine:
        records = engine.generate_games(8)
    full_support = []
    for row in range(len(records)):
        legal = set(np.flatnonzero(records.masks[row]))
        support = set(np.flatnonzero(records.policy[row]))
        assert support <= legal
        assert records.policy[row].sum() == pytest.approx(1.0, abs=1e-5)
        full_support.append(support == legal)
    assert all(full_support) if scale > 0 else not all(full_support)
