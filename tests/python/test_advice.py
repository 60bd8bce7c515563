"""Advice for a real table: positions typed as a person knows them (``table_position``) rebuild
exactly the seat's observation, impossible positions are refused by name, the advice reads only
the seat's information, and ``blobzero-advise`` prints it as a table or JSON."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import blobzero as bz
from blobzero._core.search import PimcBot, PuctConfig, RolloutEvaluator
from blobzero.play.advice import advise
from blobzero.play.position import table_position
from support import finished_round


def random_position(seed: int) -> bz.State:
    """A state of random play at a random table, rules and moment (not finished)."""
    rng = random.Random(seed)
    players = rng.randint(3, 8)
    turn_up = rng.random() < 0.3
    cards = rng.randint(1, min(10, (52 - turn_up) // players))
    rules = bz.RoundRules(
        num_players=players,
        num_cards=cards,
        trump=rng.choice(["C", "D", "H", "S", "N"]),
        turn_up=turn_up,
        hook_rule=rng.random() < 0.7,
        scoring=rng.choice(["exact", "oh_hell", "oh_hell_penalty"]),
    )
    state = bz.State(rules, dealer=rng.randrange(players), seed=rng.randrange(2**32))
    for _ in range(rng.randint(0, players + players * cards - 1)):
        state.apply_action(rng.choice(state.legal_actions()))
    return state


def typed(state: bz.State) -> dict[str, object]:
    """What the player to act would type about ``state``."""
    rules = state.rules
    seat = state.current_player
    history = state.history
    trump: dict[str, object]
    if rules.turn_up:
        trump = {"turned_up": state.turned_up}
    else:
        suit = rules.trump_suit
        trump = {"trump": "N" if suit is None else bz.suit_char(suit)}
    return dict(
        num_players=rules.num_players,
        dealer=state.dealer,
        seat=seat,
        hand=state.hand(seat),
        bids=[action - bz.BID_ACTION_BASE for action in history if action >= bz.BID_ACTION_BASE],
        played=[action for action in history if action < bz.BID_ACTION_BASE],
        hook_rule=rules.hook_rule,
        scoring=rules.scoring.name.lower(),
        **trump,
    )


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_a_typed_position_rebuilds_the_seats_observation(seed: int, deal_seed: int) -> None:
    state = random_position(seed)
    seat = state.current_player
    rebuilt = table_position(**typed(state), seed=deal_seed)  # type: ignore[arg-type]
    assert rebuilt.current_player == seat
    assert rebuilt.rules == state.rules
    assert rebuilt.observe(seat) == state.observe(seat)
    for a, b in zip(bz.encode(rebuilt, seat), bz.encode(state, seat), strict=True):
        assert np.array_equal(a, b)


def test_cards_may_be_typed_as_text() -> None:
    state = table_position(
        num_players=4, dealer=0, seat=3, turned_up="QD", hand="9S 8h 3C 4H",
        bids=[0, 1, 1, 0], played="AH 2H",
    )  # fmt: skip
    assert state.turned_up == bz.parse_card("QD")
    assert sorted(state.hand(3)) == sorted(bz.parse_cards("9S 8H 3C 4H"))
    assert state.current_trick == [bz.parse_card("AH"), bz.parse_card("2H")]  # in played order


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hand": "AS KS AS"}, "card AS appears twice (in your hand)"),
        ({"hand": [bz.parse_card("AS")] * 2}, "card AS appears twice (in your hand)"),
        ({"played": "AS"}, "card AS appears twice (in your hand and the played cards)"),
        ({"trump": None}, "give exactly one of trump"),
        ({"turned_up": "QD"}, "give exactly one of trump"),
        ({"trump": "X"}, "trump: malformed suit"),
        ({"hand": "AS KS ZZ"}, "hand: malformed card"),
        ({"bids": [1, 2]}, "it is seat 3's turn to bid, not seat 1's"),
        ({"bids": [1, 2, 3, 4, 5]}, "5 bids for 4 players"),
        ({"bids": [1], "played": "2C"}, "cards were played after 1 of 4 bids"),
        ({"bids": [-1]}, "bid 1 must be a non-negative int"),
        ({"bids": [7]}, "bid 1 (7 by seat 1) is not legal"),
        ({"num_players": 9}, "num_players must be 3..8"),
        ({"dealer": 4}, "dealer must be a seat 0..3"),
        (
            {"hand": "AS KS QS JS 10S 9S 8S 7S 6S 5S 4S 3S 2S AH"},
            "a round of 14 cards (your hand plus your played cards) does not fit 4 players",
        ),
    ],
)
def test_impossible_positions_are_named(changes: dict[str, object], message: str) -> None:
    position: dict[str, object] = dict(num_players=4, dealer=0, seat=1, hand="AS KS", trump="H")
    position.update(changes)
    with pytest.raises(ValueError, match=f"^{_escape(message)}"):
        table_position(**position)  # type: ignore[arg-type]


def _escape(text: str) -> str:
    import re

    return re.escape(text)


def test_an_impossible_history_is_named() -> None:
    # Seat 1 led hearts, seat 2 discarded a club (no hearts), then later followed with a heart.
    base = dict(num_players=3, dealer=0, trump="S", bids=[0, 0, 0])
    message = r"played card 2 \(2C by seat 2\) is not legal: player 2 must follow suit H"
    with pytest.raises(ValueError, match=message):
        table_position(**base, seat=0, hand="QD", played="AH 2C KH 4H 3H")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="it is seat 1's turn to play, not seat 0's"):
        table_position(**base, seat=0, hand="QD KD", played="AH 2C 3H")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="the round is over"):
        table_position(**base, seat=0, hand="", played="AH 2C 3H")  # type: ignore[arg-type]


def rollout_bot(seed: int = 5) -> PimcBot:
    config = PuctConfig(
        num_worlds=2, simulations_per_world=40, information_set_tree=True, dirichlet_fraction=0.0
    )
    return PimcBot(config, RolloutEvaluator(seed), seed)


def test_advice_reads_only_the_seats_information() -> None:
    for seed in range(6):
        state = random_position(100 + seed)
        advices = [
            advise(table_position(**typed(state), seed=deal), rollout_bot())  # type: ignore[arg-type]
            for deal in (1, 2)
        ]
        assert advices[0] == advices[1]
        assert advise(state, rollout_bot()) == advices[0]


def test_advice_lists_every_legal_action_with_its_share_value_and_score() -> None:
    state = table_position(num_players=4, dealer=3, seat=0, trump="H", hand="AS KS 10H 4D 2C")
    advice = advise(state, rollout_bot())
    assert [row.action_id for row in advice.actions] != []
    assert sorted(row.action_id for row in advice.actions) == state.legal_actions()
    assert sum(row.visit_share for row in advice.actions) == pytest.approx(1.0)
    assert advice.recommended == advice.actions[0].action
    assert advice.simulations == 79  # the first of the 80 simulations evaluates the root
    rules = state.rules
    for row in advice.actions:
        if row.value is None:
            assert row.visit_share == 0 and row.expected_score is None
        else:
            score = rules.min_score + (row.value + 1) * (rules.max_score - rules.min_score) / 2
            assert row.expected_score == pytest.approx(score)
    assert "expected score" in advice.format()
    with pytest.raises(ValueError, match="round is over"):
        advise(finished_round(bz.RoundRules(num_players=3, num_cards=1), 0, 3), rollout_bot())


def run_advise(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "blobzero.cli.advise", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_blobzero_advise_prints_the_pretrained_networks_advice() -> None:
    position = ["--players", "4", "--dealer", "0", "--seat", "3", "--turn-up", "QD"]
    position += ["--hand", "9S 8H 3C 4H", "--bids", "0 1 1 0", "--played", "AH 2H"]
    table = run_advise(*position)
    assert table.returncode == 0, table.stderr
    assert "trick led by 1: AH 2H" in table.stdout
    assert "pretrained: seat 3:" in table.stdout and "8H" in table.stdout
    as_json = run_advise(*position, "--json")
    assert as_json.returncode == 0, as_json.stderr
    advice = json.loads(as_json.stdout)
    assert advice["agent"] == "pretrained" and advice["seat"] == 3
    assert {row["action"] for row in advice["actions"]} == {"8H", "4H"}
    assert advice["recommended"] in {"8H", "4H"}


def test_blobzero_advise_names_a_bad_position() -> None:
    bad = run_advise(
        "--players", "4", "--dealer", "0", "--seat", "1", "--trump", "H", "--hand", "AS KS",
        "--bids", "0 1 0 1", "--played", "AS",
    )  # fmt: skip
    assert bad.returncode == 2
    assert (
        "card AS appears twice (in your hand and the played cards)" in bad.stderr
        and "Traceback" not in bad.stderr
    )
