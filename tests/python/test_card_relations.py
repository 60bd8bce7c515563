"""The card relations a network may embed (``NetConfig.card_relations``), checked against a
reference computed from the rules and the observer's view, for observation and world features."""

from __future__ import annotations

import dataclasses

import numpy as np
import torch
from hypothesis import given, settings

import blobzero as bz
import reference_rules as ref
from blobzero.nn.checkpoint import net_config_from_dict, net_config_to_dict
from blobzero.nn.net_config import SIZES
from blobzero.nn.network import BlobNet, CardRelations
from support import Table, tables

TRICK = CardRelations.TRICK_RELATIONS
OUTRANKED_MAX = CardRelations.OUTRANKED_MAX


def _may_hold(view: bz.ObserverView, seat: int, card: int) -> bool:
    """Whether, as ``view``'s observer knows, ``seat`` may hold the unseen ``card``."""
    return view.hand_sizes[seat] > 0 and not view.voids[seat] >> ref.suit(card) & 1


def _reference(state: bz.State, observer: int, world: bool) -> np.ndarray:
    view = state.observe(observer)
    seats = [s for s in range(state.rules.num_players) if s != observer]
    if world:
        others = {c for s in seats for c in state.hand(s)}
    else:
        others = {c for c in view.unseen if any(_may_hold(view, s, c) for s in seats)}
    trick = view.current_trick
    leader = view.current_trick_leader
    in_play = [((leader or 0) + i, card) for i, card in enumerate(trick)]
    trump = view.trump_suit
    expected = np.zeros((52, 2), dtype=np.int64)
    for card in range(52):
        if trick and card in trick:
            winner = ref.trick_winner(in_play, trump)
            expected[card, 0] = 1 if dict(in_play)[winner] == card else 2
        elif trick and card in view.own_hand:
            wins = ref.trick_winner([*in_play, (-1, card)], trump) == -1
            expected[card, 0] = 3 if wins else 4
        if card in view.own_hand or card in others or card in view.unseen:
            outranking = [
                c for c in others if ref.suit(c) == ref.suit(card) and ref.rank(c) > ref.rank(card)
            ]
            expected[card, 1] = TRICK + min(len(outranking), OUTRANKED_MAX)
        else:
            expected[card, 1] = TRICK + OUTRANKED_MAX + 1
    return expected


@settings(max_examples=150, deadline=None)
@given(table=tables())
def test_relations_match_the_rules(table: Table) -> None:
    state = table.played_in()
    for world in (False, True):
        features, _ = bz.encode(state, table.observer, world=world)
        relations = CardRelations(8).relations(torch.from_numpy(features[None]))[0].numpy()
        np.testing.assert_array_equal(relations, _reference(state, table.observer, world))


def test_only_networks_with_relations_have_their_weights_and_old_configs_load() -> None:
    plain = SIZES["tiny"]
    related = dataclasses.replace(plain, card_relations=True)
    assert not any("relation" in key for key in BlobNet(plain).state_dict())
    assert any("relation" in key for key in BlobNet(related).state_dict())
    old = {k: v for k, v in net_config_to_dict(plain).items() if k != "card_relations"}
    assert net_config_from_dict(old) == plain
    assert net_config_from_dict(net_config_to_dict(related)) == related
