"""PIMC-PUCT search (DESIGN.md 2.1, 2.2).

- Values are vectors, one entry per seat, and at every node the player to act maximises its own
  entry: checked against an exhaustive max-n solver written here in Python, on hand-built and on
  random endgames searched with perfect information.
- Determinism: a seed fixes the result; different seeds give different worlds.
- Batching: a Python evaluator is called once per batch with at most num_worlds * leaves_per_tree
  rows; the cache accounts for every leaf and never sends the same position twice.
- Bad evaluator output and bad use raise clear errors.
- Visit counts, the policy target, Dirichlet noise and temperature.
- Information hiding: the search reads only the searcher's information set.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from scipy.stats import chisquare

import blobzero as bz
from blobzero import State
from blobzero._core.encode import hash_features
from blobzero._core.search import (
    ConstantEvaluator,
    PimcSearch,
    PuctConfig,
    PythonEvaluator,
    RolloutEvaluator,
    SearchResult,
)
from support import pick
from test_information_hiding import resample_hidden

Outcome = tuple[float, ...]


def build(
    hands: list[str],
    bids: list[int],
    trump: str,
    scoring: str = "exact",
    plays: tuple[str, ...] = (),
) -> State:
    """A round with the given hands (the last seat deals, so seat 0 bids first and leads), bids
    and card plays, without the hook rule."""
    players, n = len(hands), len(hands[0].split())
    rules = bz.RoundRules(players, n, trump=trump, hook_rule=False, scoring=scoring)
    state = State(rules, bz.Deal(players - 1, hands))
    for bid in bids:
        state.apply_action(bz.BID_ACTION_BASE + bid)
    for card in plays:
        state.apply_action(card)
    return state


def perfect(simulations: int) -> PuctConfig:
    return PuctConfig(num_worlds=1, simulations_per_world=simulations, perfect_information=True)


def search(
    state: State, config: PuctConfig, evaluator: object = None, seed: int = 0
) -> SearchResult:
    return PimcSearch(config, evaluator or RolloutEvaluator(seed)).run(state, seed=seed)


def text(actions: list[int] | set[int]) -> list[str]:
    return sorted(bz.action_to_string(a) for a in actions)


# ---------------------------------------------------------------------------------------------
# An exhaustive max-n solver.
# ---------------------------------------------------------------------------------------------


def maxn(state: State) -> tuple[set[Outcome], dict[int, set[Outcome]]]:
    """Outcomes of max-n play (each player maximises its own value), over every way of breaking
    ties: (all outcomes, {root action: the outcomes it can lead to when chosen})."""
    if state.is_terminal():
        return {tuple(round(v, 9) for v in state.values())}, {}
    player = state.current_player
    children = {}
    for action in state.legal_actions():
        child = state.clone()
        child.apply_action(action)
        children[action] = maxn(child)[0]
    chosen = {}
    for action, outcomes in children.items():
        # `action` can be the choice when some tie-breaking below makes every other action no
        # better for the player.
        floor = max(
            (min(o[player] for o in other) for b, other in children.items() if b != action),
            default=-np.inf,
        )
        selectable = {o for o in outcomes if o[player] >= floor}
        if selectable:
            chosen[action] = selectable
    return set().union(*chosen.values()), chosen


def value_for_root(state: State, others: str) -> dict[int, float]:
    """The root player's value of each action when the others help it ("help") or oppose it
    ("oppose") instead of pursuing their own values."""
    me = state.current_player

    def solve(s: State) -> float:
        if s.is_terminal():
            return s.values()[me]
        values = []
        for action in s.legal_actions():
            child = s.clone()
            child.apply_action(action)
            values.append(solve(child))
        mine = s.current_player == me or others == "help"
        return max(values) if mine else min(values)

    result = {}
    for action in state.legal_actions():
        child = state.clone()
        child.apply_action(action)
        result[action] = solve(child)
    return result


def best_of(values: dict[int, float]) -> set[int]:
    top = max(values.values())
    return {a for a, v in values.items() if v == top}


def unique_maxn(state: State) -> tuple[int, Outcome]:
    outcomes, chosen = maxn(state)
    assert len(chosen) == 1 and len(outcomes) == 1, "the position must have one max-n answer"
    return next(iter(chosen)), next(iter(outcomes))


# ---------------------------------------------------------------------------------------------
# Per-player values.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("players", range(3, 9))
def test_root_values_have_one_entry_per_seat(players: int) -> None:
    state = State(bz.RoundRules(players, 2, trump="H"), 0, players)
    result = search(state, PuctConfig(num_worlds=2, simulations_per_world=20))
    assert len(result.root_values) == players
    assert all(-1.0 <= v <= 1.0 for v in result.root_values)
    assert result.action in state.legal_actions()


def test_the_player_to_act_maximises_its_own_value() -> None:
    # Seat 0 leads from AS 2S; seat 1 holds KS 3H. Leading AS wins both tricks for seat 0,
    # leading 2S gives both to seat 1. Seat 2 (clubs) never wins a trick.
    hands = ["AS 2S", "KS 3H", "2C 3C"]
    made, blobbed = 2 * 12 / 12 - 1, -1.0
    # Both bid 2: seat 0 must take both tricks, which blobs seat 1.
    greedy = build(hands, [2, 2, 0], trump="N")
    action, outcome = unique_maxn(greedy)
    assert action == bz.parse_card("AS")
    assert outcome == pytest.approx((made, blobbed, 2 * 10 / 12 - 1))
    result = search(greedy, perfect(200))
    assert bz.action_to_string(result.action) == "AS"
    assert result.visits[bz.parse_card("AS")] > 0.9 * result.visits.sum()
    assert result.root_values[0] > 0.5 and result.root_values[1] < -0.5
    # Both bid 0: now seat 0 ducks with 2S, although that hands seat 1 two tricks (a blob).
    ducking = build(hands, [0, 0, 0], trump="N")
    assert unique_maxn(ducking)[0] == bz.parse_card("2S")
    result = search(ducking, perfect(200))
    assert bz.action_to_string(result.action) == "2S"
    assert result.root_values[0] > 0.3 and result.root_values[1] < -0.5


def test_other_players_pursue_their_own_values_not_the_searchers() -> None:
    # Oh Hell scoring, hearts trump. If seat 1 and seat 2 helped seat 0, leading 4C (or JC) would
    # be best for it; but they play for themselves, and only TS is best against that.
    state = build(["4C JC TS", "2C 6C 8H", "6D 9D KD"], [0, 2, 0], trump="H", scoring="oh_hell")
    action, outcome = unique_maxn(state)
    assert bz.action_to_string(action) == "TS"
    assert action not in best_of(value_for_root(state, "help"))
    result = search(state, perfect(3000))
    assert bz.action_to_string(result.action) == "TS"
    assert result.root_values[2] == pytest.approx(outcome[2], abs=1e-5)


def test_other_players_do_not_simply_oppose_the_searcher() -> None:
    # If the others only tried to hurt seat 0, 3D or TD would look best for it; as they play for
    # themselves, 6H is best.
    state = build(["3D TD 6H", "TH 4S JS", "2D 5S QS"], [0, 2, 3], trump="H", scoring="oh_hell")
    action, _ = unique_maxn(state)
    assert bz.action_to_string(action) == "6H"
    assert action not in best_of(value_for_root(state, "oppose"))
    result = search(state, perfect(1000))
    assert bz.action_to_string(result.action) == "6H"
    assert result.visits[action] > 0.9 * result.visits.sum()


@pytest.mark.parametrize(
    ("hands", "bids", "winning"),
    [
        # Seat 0 holds three trumps and needs exactly two tricks: only leading 2S (won by seat
        # 1's 8S, which must follow) makes it; AS or KS first wins all three.
        (["2S KS AS", "AC KD 8S", "2D 3H KH"], [2, 0, 0], "2S"),
        (["5S QS KS", "4C 2H 2S", "2D 8H AH", "3C 5C 8S"], [2, 0, 1, 1], "5S"),
    ],
    ids=["3p", "4p"],
)
def test_finds_a_forced_win_of_the_last_tricks(
    hands: list[str], bids: list[int], winning: str
) -> None:
    state = build(hands, bids, trump="S")
    action, outcome = unique_maxn(state)
    assert bz.action_to_string(action) == winning
    # Forced: it wins even if everyone else opposes seat 0; nothing else makes it even with help.
    opposed, helped = value_for_root(state, "oppose"), value_for_root(state, "help")
    assert opposed[action] > 0
    assert all(helped[a] < 0 for a in state.legal_actions() if a != action)
    for seed in range(3):
        result = search(state, perfect(300), seed=seed)
        assert bz.action_to_string(result.action) == winning
        assert result.visits[action] > 0.9 * result.visits.sum()
        assert result.root_values == pytest.approx(list(outcome), abs=0.1)


def test_agrees_with_max_n_on_random_endgames() -> None:
    rng = random.Random(11)
    checked = 0
    for _ in range(400):
        players, n = rng.choice([(3, 2), (3, 3), (4, 2)])
        deck = list(range(52))
        rng.shuffle(deck)
        hands = [bz.cards_to_string(deck[i * n : (i + 1) * n]) for i in range(players)]
        bids = [rng.randrange(n + 1) for _ in range(players)]
        state = build(
            hands,
            bids,
            trump=rng.choice("CDHSN"),
            scoring=rng.choice(["exact", "oh_hell", "oh_hell_penalty"]),
        )
        if len(state.legal_actions()) < 2:
            continue
        outcomes, chosen = maxn(state)
        if len(chosen) != 1 or len(outcomes) != 1:
            continue
        # A clear margin for the player to act over its next best action under max-n.
        player = state.current_player
        action = next(iter(chosen))
        others = []
        for a in state.legal_actions():
            if a != action:
                child = state.clone()
                child.apply_action(a)
                others.append(max(o[player] for o in maxn(child)[0]))
        if next(iter(outcomes))[player] - max(others) < 0.15:
            continue
        result = search(state, perfect(2000), seed=checked)
        assert result.action == action, f"{hands} bids {bids}: {text({result.action})}"
        checked += 1
        if checked == 12:
            break
    assert checked == 12


# ---------------------------------------------------------------------------------------------
# Determinism.
# ---------------------------------------------------------------------------------------------


def midgame(players: int = 4, n: int = 5, plays: int = 3, seed: int = 7) -> State:
    """A random round after its bids and at least `plays` cards, at the first decision from
    there with a choice of 3 or more actions (or 2 in the last tricks)."""
    state = State(bz.RoundRules(players, n, trump="S"), seed % players, seed)
    rng = random.Random(seed)
    while (
        state.phase == bz.Phase.BIDDING
        or len(state.played) < plays
        or len(state.legal_actions()) < min(3, len(state.hand(state.current_player)))
        or len(state.legal_actions()) < 2
    ):
        state.apply_action(pick(rng, state.legal_actions()))
    return state


class FeatureNet:
    """A deterministic stand-in for a network: logits and values are fixed random functions of
    the features. Counts its calls and remembers each batch."""

    def __init__(self, seed: int = 0) -> None:
        g = np.random.default_rng(seed)
        self.w = g.normal(0, 0.01, (61 * 8, 70)).astype(np.float32)
        self.v = g.normal(0, 0.02, (61 * 8, 8)).astype(np.float32)
        self.batches: list[np.ndarray] = []
        self.masks: list[np.ndarray] = []

    def __call__(self, features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        assert features.dtype == np.uint8 and features.shape[1:] == (61, 8)
        assert masks.dtype == np.uint8 and masks.shape == (features.shape[0], 70)
        self.batches.append(features.copy())
        self.masks.append(masks.copy())
        x = features.reshape(len(features), -1).astype(np.float32)
        return x @ self.w, np.tanh(x @ self.v)


def same(a: SearchResult, b: SearchResult) -> bool:
    return (
        a.action == b.action
        and (a.visits == b.visits).all()
        and (a.policy == b.policy).all()
        and a.root_values == b.root_values
        and (a.num_evaluations, a.cache_hits, a.num_batches, a.terminal_leaves)
        == (b.num_evaluations, b.cache_hits, b.num_batches, b.terminal_leaves)
    )


@pytest.mark.parametrize("kind", ["rollout", "python", "constant"])
def test_seeded_runs_are_reproducible_and_seeds_matter(kind: str) -> None:
    state = midgame()
    config = PuctConfig(num_worlds=3, simulations_per_world=40, dirichlet_fraction=0.25)

    def run(seed: int) -> SearchResult:
        evaluator = {
            "rollout": lambda: RolloutEvaluator(seed=5),
            "python": lambda: FeatureNet(),
            "constant": lambda: ConstantEvaluator(0.1),
        }[kind]()
        return PimcSearch(config, evaluator).run(state, seed=seed)

    first = run(1)
    assert same(first, run(1))
    # The same search object gives the same result again (nothing carries over between runs).
    searcher = PimcSearch(config, FeatureNet())
    assert same(searcher.run(state, seed=3), searcher.run(state, seed=3))
    visit_patterns = {tuple(run(seed).visits) for seed in range(8)}
    assert len(visit_patterns) >= 6, "different seeds should draw different worlds"


# ---------------------------------------------------------------------------------------------
# Batching and the cache.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("leaves_per_tree", [1, 3])
def test_a_python_evaluator_is_called_once_per_batch(leaves_per_tree: int) -> None:
    state = midgame()
    net = FeatureNet()
    wrapped = PythonEvaluator(net)
    config = PuctConfig(num_worlds=4, simulations_per_world=50, leaves_per_tree=leaves_per_tree)
    result = PimcSearch(config, wrapped).run(state, seed=2)
    sizes = [len(b) for b in net.batches]
    assert len(sizes) == result.num_batches == wrapped.num_calls
    assert sum(sizes) == result.num_evaluations == wrapped.num_positions
    assert all(1 <= s <= 4 * leaves_per_tree for s in sizes)
    # The mask rows are the legal masks of the positions' players to act: never empty.
    assert all(m.any(axis=1).all() for m in net.masks)


def test_more_leaves_per_tree_make_bigger_and_fewer_batches() -> None:
    state = midgame()
    sizes = {}
    for leaves in (1, 4):
        net = FeatureNet()
        config = PuctConfig(num_worlds=3, simulations_per_world=60, leaves_per_tree=leaves)
        result = PimcSearch(config, net).run(state, seed=4)
        sizes[leaves] = (max(len(b) for b in net.batches), result.num_batches)
    assert sizes[1][0] <= 3
    assert sizes[4][0] > 3
    assert sizes[4][1] < sizes[1][1]


@pytest.mark.parametrize("leaves_per_tree", [1, 2])
def test_the_cache_accounts_for_every_leaf(leaves_per_tree: int) -> None:
    # Late in a round many leaves are terminal; every simulation ends in exactly one leaf that is
    # terminal, evaluated or answered by the cache.
    for plays in (2, 9):
        state = midgame(n=4, plays=plays)
        d, s = 3, 60
        config = PuctConfig(num_worlds=d, simulations_per_world=s, leaves_per_tree=leaves_per_tree)
        net = FeatureNet()
        cached = PimcSearch(config, net).run(state, seed=8)
        assert cached.num_evaluations + cached.cache_hits + cached.terminal_leaves == d * s
        # No position reaches the evaluator twice.
        hashes = [hash_features(f) for batch in net.batches for f in batch]
        assert len(hashes) == len(set(hashes)) == cached.num_evaluations
        # Without the cache the evaluator sees every leaf, duplicates included.
        plain = PuctConfig(
            num_worlds=d, simulations_per_world=s, leaves_per_tree=leaves_per_tree, use_cache=False
        )
        uncached = PimcSearch(plain, FeatureNet()).run(state, seed=8)
        assert uncached.cache_hits == 0
        assert uncached.num_evaluations + uncached.terminal_leaves == d * s
        # The evaluator is a function of the features, so caching must not change the search.
        assert (uncached.visits == cached.visits).all()
        assert uncached.root_values == pytest.approx(cached.root_values, abs=1e-6)
    # In the last trick of a full deal the third player can place every card: all its worlds
    # are the true deal, and the cache answers every world after the first.
    state = State(bz.RoundRules(4, 13, trump="S"), 0, 5)
    rng = random.Random(1)
    while state.phase == bz.Phase.BIDDING or len(state.played) < 50:
        state.apply_action(pick(rng, state.legal_actions()))
    config = PuctConfig(num_worlds=3, simulations_per_world=20)
    determined = PimcSearch(config, FeatureNet()).run(state, seed=8)
    assert determined.num_evaluations > 0
    assert determined.cache_hits == 2 * determined.num_evaluations
    # Evaluators that read states, not features, are not cached.
    rollout = search(midgame(), PuctConfig(num_worlds=3, simulations_per_world=30))
    assert rollout.cache_hits == 0


# ---------------------------------------------------------------------------------------------
# Errors.
# ---------------------------------------------------------------------------------------------


def uniform(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    b = len(features)
    return np.zeros((b, 70), np.float32), np.zeros((b, 8), np.float32)


def with_nan_logit(f: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    logits, values = uniform(f)
    logits[0, 5] = np.nan
    return logits, values


def with_inf_value(f: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    logits, values = uniform(f)
    values[-1, 0] = np.inf
    return logits, values


BAD_EVALUATORS = {
    "logits-shape": (
        lambda f, m: (np.zeros((len(f), 69), np.float32), uniform(f)[1]),
        r"evaluator output policy_logits has shape \(\d+, 69\); expected \(\d+, 70\)",
    ),
    "values-shape": (
        lambda f, m: (uniform(f)[0], np.zeros((len(f), 3), np.float32)),
        r"evaluator output values has shape \(\d+, 3\); expected \(\d+, 8\)",
    ),
    "rows": (
        lambda f, m: (np.zeros((len(f) + 1, 70), np.float32), uniform(f)[1]),
        r"policy_logits has shape",
    ),
    "int-dtype": (
        lambda f, m: (np.zeros((len(f), 70), np.int64), uniform(f)[1]),
        r"policy_logits has dtype int64; expected float32",
    ),
    "nan": (with_nan_logit, r"non-finite policy logit \(nan\) at row 0, column 5"),
    "inf": (with_inf_value, r"non-finite value \(inf\) at row"),
    "list": (lambda f, m: list(uniform(f)), r"must return a tuple \(policy_logits, values\)"),
    "triple": (lambda f, m: (*uniform(f), None), r"must return a tuple"),
    "none": (lambda f, m: None, r"must return a tuple.*NoneType"),
    "not-an-array": (
        lambda f, m: (uniform(f)[0].tolist(), uniform(f)[1]),
        r"policy_logits is a list; expected a numpy float32 array",
    ),
}


@pytest.mark.parametrize("name", BAD_EVALUATORS)
def test_bad_evaluator_output_raises_a_clear_value_error(name: str) -> None:
    fn, message = BAD_EVALUATORS[name]
    searcher = PimcSearch(PuctConfig(num_worlds=2, simulations_per_world=10), fn)
    with pytest.raises(ValueError, match=message):
        searcher.run(midgame(), seed=1)


def test_an_exception_in_the_evaluator_propagates_and_the_search_recovers() -> None:
    class Flaky:
        def __init__(self) -> None:
            self.calls = 0

        def __call__(self, f: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            self.calls += 1
            if self.calls == 3:
                raise KeyError("model exploded")
            return uniform(f)

    flaky = Flaky()
    config = PuctConfig(num_worlds=2, simulations_per_world=20)
    searcher = PimcSearch(config, flaky)
    state = midgame()
    with pytest.raises(KeyError, match="model exploded"):
        searcher.run(state, seed=1)
    # The abandoned search leaves nothing behind: the next run equals a fresh search.
    again = searcher.run(state, seed=1)
    assert same(again, PimcSearch(config, lambda f, m: uniform(f)).run(state, seed=1))


def test_bad_use_raises() -> None:
    state = midgame(n=2, plays=0)
    while not state.is_terminal():
        state.apply_action(state.legal_actions()[0])
    with pytest.raises(ValueError, match="cannot search a finished round"):
        search(state, PuctConfig())
    with pytest.raises(TypeError, match="expected an Evaluator or a callable"):
        PimcSearch(PuctConfig(), 3)
    for field, value, message in [
        ("num_worlds", 0, "num_worlds = 0 is outside 1..4096"),
        ("simulations_per_world", 0, "simulations_per_world = 0 is outside 1..10000000"),
        ("c_puct", 0.0, "c_puct must be positive"),
        ("leaves_per_tree", 0, "leaves_per_tree = 0 is outside 1..1024"),
        ("dirichlet_fraction", 1.5, "dirichlet_fraction must be within 0..1"),
        ("temperature", -1.0, "temperature must not be negative"),
    ]:
        with pytest.raises(ValueError, match=message):
            PuctConfig(**{field: value})


# ---------------------------------------------------------------------------------------------
# Visits, policy, noise and temperature.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("num_worlds", "simulations", "leaves", "perfect_information", "plays"),
    [(3, 30, 1, False, 2), (4, 25, 3, False, 0), (5, 40, 1, True, 5), (2, 50, 2, False, 10)],
)
def test_visits_and_policy(
    num_worlds: int, simulations: int, leaves: int, perfect_information: bool, plays: int
) -> None:
    state = midgame(players=4, n=4, plays=plays)
    config = PuctConfig(
        num_worlds=num_worlds,
        simulations_per_world=simulations,
        leaves_per_tree=leaves,
        perfect_information=perfect_information,
    )
    result = search(state, config, FeatureNet())
    worlds = 1 if perfect_information else num_worlds
    # Each world's first simulation expands its root and visits no child.
    assert int(result.visits.sum()) == worlds * (simulations - 1)
    assert result.visits.dtype == np.int32 and result.policy.dtype == np.float32
    legal = state.legal_mask()
    assert (result.visits[~legal] == 0).all()
    assert (result.policy[~legal] == 0).all()
    assert result.policy.sum() == pytest.approx(1.0, abs=1e-6)
    assert result.policy == pytest.approx(result.visits / result.visits.sum(), abs=1e-7)
    assert result.action == int(np.argmax(result.visits))


def test_dirichlet_noise_changes_results_reproducibly() -> None:
    state = midgame()
    plain = PuctConfig(num_worlds=1, simulations_per_world=80, perfect_information=True)
    noisy = PuctConfig(
        num_worlds=1, simulations_per_world=80, perfect_information=True, dirichlet_fraction=0.5
    )
    # Without noise a perfect-information search with a deterministic evaluator ignores the seed.
    base = search(state, plain, FeatureNet(), seed=1)
    assert same(base, search(state, plain, FeatureNet(), seed=2))
    with_noise = [search(state, noisy, FeatureNet(), seed=s) for s in range(6)]
    assert sum(not (r.visits == base.visits).all() for r in with_noise) >= 4
    assert len({tuple(r.visits) for r in with_noise}) >= 4
    assert same(with_noise[0], search(state, noisy, FeatureNet(), seed=0))


def test_temperature_samples_actions_in_proportion_to_visits() -> None:
    state = midgame(n=6, plays=0)
    visits = None
    picks: Counter[int] = Counter()
    for seed in range(300):
        config = PuctConfig(
            num_worlds=1, simulations_per_world=60, perfect_information=True, temperature=1.0
        )
        result = search(state, config, ConstantEvaluator(0.0), seed=seed)
        if visits is None:
            visits = result.visits.copy()
        assert (result.visits == visits).all(), "only the final pick may depend on the seed"
        assert visits[result.action] > 0
        picks[result.action] += 1
    assert visits is not None
    visited = np.flatnonzero(visits)
    assert len(visited) >= 3 and len(picks) >= 3
    observed = np.array([picks[a] for a in visited], dtype=float)
    expected = visits[visited] / visits.sum() * 300
    assert chisquare(observed, expected).pvalue > 1e-3
    # Temperature 0 always takes the most visited action.
    greedy = PuctConfig(num_worlds=1, simulations_per_world=60, perfect_information=True)
    for seed in range(5):
        assert search(state, greedy, ConstantEvaluator(0.0), seed=seed).action == int(
            np.argmax(visits)
        )


# ---------------------------------------------------------------------------------------------
# Information hiding.
# ---------------------------------------------------------------------------------------------


def twins() -> list[tuple[State, State]]:
    """Pairs of states that differ only in cards hidden from the player to act."""
    pairs = []
    for seed in range(40):
        rng = random.Random(seed)
        players = 3 + seed % 4
        state = midgame(players=players, n=5, plays=rng.randrange(0, 3 * players), seed=seed)
        if state.is_terminal():
            continue
        other = resample_hidden(state, state.current_player, rng)
        if other is None:
            continue
        twin = State.replay(state.rules, other, state.history)
        assert twin != state
        assert twin.observe(state.current_player) == state.observe(state.current_player)
        pairs.append((state, twin))
        if len(pairs) == 6:
            break
    assert len(pairs) == 6
    return pairs


@pytest.mark.parametrize("kind", ["rollout", "python"])
def test_the_search_reads_only_the_searchers_information(kind: str) -> None:
    differ_with_perfect_information = 0
    for state, twin in twins():
        for dirichlet in (0.0, 0.25):
            config = PuctConfig(
                num_worlds=3,
                simulations_per_world=40,
                leaves_per_tree=2,
                dirichlet_fraction=dirichlet,
            )

            def run(s: State, cfg: PuctConfig = config) -> SearchResult:
                evaluator = RolloutEvaluator(seed=9) if kind == "rollout" else FeatureNet()
                return PimcSearch(cfg, evaluator).run(s, seed=21)

            assert same(run(state), run(twin))
        # Searching the true deal (an oracle) does see the hidden cards: the check can fail.
        oracle = PuctConfig(num_worlds=1, simulations_per_world=60, perfect_information=True)
        a = PimcSearch(oracle, RolloutEvaluator(9) if kind == "rollout" else FeatureNet())
        b = PimcSearch(oracle, RolloutEvaluator(9) if kind == "rollout" else FeatureNet())
        differ_with_perfect_information += not same(a.run(state, seed=21), b.run(twin, seed=21))
    assert differ_with_perfect_information >= 3


def test_minus_infinity_logits_rule_actions_out() -> None:
    state = bz.State(bz.RoundRules(num_players=4, num_cards=5), dealer=0, seed=11)

    def only_bid_two(f: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        logits = np.full((len(f), 70), -np.inf, dtype=np.float32)
        logits[:, :52] = 0.0
        logits[:, bz.BID_ACTION_BASE + 2] = 0.0
        return logits, np.zeros((len(f), 8), dtype=np.float32)

    result = PimcSearch(PuctConfig(num_worlds=1, simulations_per_world=1), only_bid_two).run(state)
    # With one simulation the policy is the root prior: everything on bid 2.
    assert result.action == bz.BID_ACTION_BASE + 2
    assert result.policy[bz.BID_ACTION_BASE + 2] == pytest.approx(1.0)
