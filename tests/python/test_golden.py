"""Golden transcripts: fixed seeds and a fixed action policy give a fixed text, byte for byte.

Each transcript is a seeded deal (State(rules, dealer, seed)) played to the end by a
deterministic policy, written as render() and serialize() after every action. A change in the
deal drawn from a seed, in the rules, in the rendering or in the serialization format shows up as
a diff against tests/python/golden/<name>.txt.

To regenerate the files after an intended change, run

    BLOBZERO_UPDATE_GOLDEN=1 python -m pytest tests/python/test_golden.py

and read the diff before committing it.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import blobzero as bz
import reference_rules as ref
from blobzero import State

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("BLOBZERO_UPDATE_GOLDEN") == "1"

Policy = Callable[[State], int]


def lowest_legal(state: State) -> int:
    return state.legal_actions()[0]


def seeded_random(seed: int) -> Policy:
    """Uniform choice among legal actions drawn with Random.random(), which Python keeps stable
    across versions for a given seed (unlike choice() and randrange())."""
    rng = random.Random(seed)

    def policy(state: State) -> int:
        legal = state.legal_actions()
        return legal[int(rng.random() * len(legal))]

    return policy


@dataclass(frozen=True)
class Case:
    name: str
    rules: bz.RoundRules
    dealer: int
    seed: int
    policy: str  # "lowest" or "random:<seed>"

    def make_policy(self) -> Policy:
        if self.policy == "lowest":
            return lowest_legal
        kind, _, seed = self.policy.partition(":")
        assert kind == "random"
        return seeded_random(int(seed))


CASES = [
    Case("blob_p4_n5_seed1", bz.RoundRules(4, 5), dealer=0, seed=1, policy="random:1"),
    Case("blob_p4_n5_seed1_lowest", bz.RoundRules(4, 5), dealer=0, seed=1, policy="lowest"),
    Case(
        "p3_n17_hearts_oh_hell",
        bz.RoundRules(3, 17, trump="H", scoring="oh_hell"),
        dealer=2,
        seed=17,
        policy="random:17",
    ),
    Case(
        "p8_n6_clubs_no_hook",
        bz.RoundRules(8, 6, trump="C", hook_rule=False),
        dealer=5,
        seed=8,
        policy="random:8",
    ),
    Case(
        "openspiel_oh_hell_p4_n7",
        bz.preset("openspiel_oh_hell", 4, 7).round_at(0),
        dealer=1,
        seed=4,
        policy="random:4",
    ),
    Case(
        "no_trump_p5_n8_penalty",
        bz.RoundRules(5, 8, trump=None, scoring="oh_hell_penalty"),
        dealer=3,
        seed=5,
        policy="random:5",
    ),
]


def transcript(case: Case) -> tuple[str, State]:
    state = State(case.rules, case.dealer, case.seed)
    policy = case.make_policy()
    lines = [
        f"# blobzero golden transcript {case.name}",
        f"# {case.rules!r}",
        f"# State(rules, dealer={case.dealer}, seed={case.seed}), policy {case.policy}",
        "",
        state.render().rstrip("\n"),
        f"serialize: {state.serialize()}",
    ]
    step = 0
    while not state.is_terminal():
        player = state.current_player
        action = policy(state)
        state.apply_action(action)
        step += 1
        lines += [
            "",
            f"--- action {step}: player {player} {bz.action_to_string(action)}",
            state.render().rstrip("\n"),
            f"serialize: {state.serialize()}",
        ]
    lines += [
        "",
        f"scores: {state.scores()}",
        "values: " + " ".join(f"{v:+.6f}" for v in state.values()),
        "relative values: " + " ".join(f"{v:+.6f}" for v in state.values(relative=True)),
    ]
    return "\n".join(lines) + "\n", state


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_golden_transcript(case: Case) -> None:
    text, final = transcript(case)
    path = GOLDEN_DIR / f"{case.name}.txt"
    if UPDATE:
        GOLDEN_DIR.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"missing {path}; run with BLOBZERO_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text()
    assert text == expected, (
        f"{path.name} differs from the engine's transcript; if the change is intended, "
        "regenerate with BLOBZERO_UPDATE_GOLDEN=1 and review the diff"
    )
    # The frozen transcript is also right by the rules: replay it in the reference model.
    deal = final.initial_deal()
    trump = case.rules.trump_suit
    model = ref.ReferenceRound(
        num_players=case.rules.num_players,
        num_cards=case.rules.num_cards,
        trump=trump,
        turned_up=deal.turned_up,
        hook_rule=case.rules.hook_rule,
        scoring=case.rules.scoring.name.lower(),
        dealer=case.dealer,
        initial_hands=[list(h) for h in deal.hands],
    )
    for action in final.history:
        model.apply(action)
    assert model.terminal()
    assert model.scores() == final.scores()
    assert f"scores: {model.scores()}\n" in expected
    last = expected.rstrip("\n").split("\n")
    serialized = [line for line in last if line.startswith("serialize: ")]
    assert len(serialized) == len(final.history) + 1
    assert State.deserialize(serialized[-1].removeprefix("serialize: ")) == final


def test_every_golden_file_belongs_to_a_case() -> None:
    names = {f"{case.name}.txt" for case in CASES}
    assert {p.name for p in GOLDEN_DIR.glob("*.txt")} == names
