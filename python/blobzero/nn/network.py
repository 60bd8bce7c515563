"""BlobNet: a token transformer over the encoder's compact integer features.

Input: ``features`` uint8 [B, 61, 8] (layout: ``blobzero.encode``; world features of a sampled
deal, an observer's observation, or its holder features, as ``NetConfig.features`` says) and
``masks`` uint8/bool [B, 70]. Every (token kind, field,
value) triple has its own embedding; a token's embedding is the sum over its 8 fields plus a
learned embedding of its position (so card tokens know their card, seat tokens their relative
seat). A pre-norm transformer encoder mixes the 61 tokens.
Card logits come from the 52 card tokens, bid logits and the value vector from the global
token. Illegal actions get a logit of ``ILLEGAL_LOGIT`` before any softmax.

Outputs: policy logits [B, 70] (for the player to act) and values [B, 8] (one per seat relative
to the features' observer, 0 = the observer).

A network on "observation+world" features has two such transformers: the policy reads the
observation the holder features contain, a critic reads the world features they contain and
gives the values.
"""

from __future__ import annotations

import dataclasses

import torch
from torch import nn

from blobzero._core.encode import (
    GLOBAL_TOKEN,
    HOLDER_SHIFT,
    IN_OTHER_HAND,
    NUM_CARD_TOKENS,
    NUM_FIELDS,
    NUM_TOKENS,
)
from blobzero._core.game import BID_ACTION_BASE, MAX_HAND_SIZE, MAX_PLAYERS, NUM_ACTIONS
from blobzero.nn.net_config import NetConfig, net_config

ILLEGAL_LOGIT = -1.0e9
_FIELD_VALUES = 256  # every field is a uint8
_NUM_BID_ACTIONS = NUM_ACTIONS - BID_ACTION_BASE


class CardRelations(nn.Module):
    """The card relations of ``NetConfig.card_relations``: ``forward(features) -> [B, 52, d]``,
    the embedding of two relations per card token of ``features`` [B, 61, 8] (any feature
    kind), both functions of the features alone (``relations``):

    0. against the current trick: 1 the card in the trick that is winning it, 2 another card in
       the trick, 3 a card in the observer's hand that would win the trick if played now, 4 one
       that would not; 0 otherwise (no trick in progress, or the card is elsewhere).
    1. ``TRICK_RELATIONS`` + the number of cards of its suit that outrank it and that another
       player may hold (location "in another hand", or unseen with a possible holder), at most
       ``OUTRANKED_MAX``; one more for a card already played or turned up.
    """

    TRICK_RELATIONS = 5
    OUTRANKED_MAX = 3
    __constants__ = [
        "num_card_tokens",
        "global_token",
        "in_other_hand",
        "trick_relations",
        "outranked_max",
    ]

    def __init__(self, d_model: int) -> None:
        super().__init__()
        self.num_card_tokens = NUM_CARD_TOKENS
        self.global_token = GLOBAL_TOKEN
        self.in_other_hand = IN_OTHER_HAND
        self.trick_relations = self.TRICK_RELATIONS
        self.outranked_max = self.OUTRANKED_MAX
        self.embedding = nn.Embedding(self.TRICK_RELATIONS + self.OUTRANKED_MAX + 2, d_model)
        nn.init.normal_(self.embedding.weight, std=0.02)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        embedded: torch.Tensor = self.embedding(self.relations(features))
        return embedded.sum(dim=2)

    def relations(self, features: torch.Tensor) -> torch.Tensor:
        """The relations' embedding rows, [B, 52, 2] int64."""
        cards = features[:, : self.num_card_tokens].long()
        rank, suit, location = cards[:, :, 0], cards[:, :, 1], cards[:, :, 3]
        game = features[:, self.global_token].long()
        trumps = suit == game[:, 3, None]  # global field 3: the trump suit (4: none)
        follows = suit == game[:, 6, None]  # global field 6: the led suit (4: none)
        # A card's strength in the current trick: 0 if it cannot win it, trumps above the rest.
        strength = torch.where(trumps | follows, rank + 1 + 16 * trumps.long(), 0)
        in_trick = location == 3  # card location 3: in the current trick, 1: in the hand
        best = torch.where(in_trick, strength, 0).amax(dim=1, keepdim=True)
        trick = torch.where(in_trick, torch.where(strength == best, 1, 2), 0)
        in_hand = (location == 1) & (best > 0)
        trick = torch.where(in_hand, torch.where(strength > best, 3, 4), trick)
        outstanding = (location == self.in_other_hand) | ((location == 0) & (cards[:, :, 6] != 0))
        outranks = (
            (suit[:, None, :] == suit[:, :, None])
            & (rank[:, None, :] > rank[:, :, None])
            & outstanding[:, None, :]
        )
        count = outranks.long().sum(dim=2).clamp(max=self.outranked_max)
        unplayed = (location <= 1) | (location == self.in_other_hand)
        outranked = torch.where(unplayed, count, self.outranked_max + 1)
        return torch.stack([trick, self.trick_relations + outranked], dim=2)


def _token_kinds() -> torch.Tensor:
    """Token kind per position: 0 card, 1 seat, 2 global."""
    kinds = torch.ones(NUM_TOKENS, dtype=torch.long)
    kinds[:NUM_CARD_TOKENS] = 0
    kinds[GLOBAL_TOKEN] = 2
    return kinds


def _holder_bits() -> torch.Tensor:
    """World-feature field 6 of a card held by relative seat h (index h; 0 for no holder)."""
    bits = torch.zeros(MAX_PLAYERS, dtype=torch.uint8)
    bits[1:] = torch.tensor([1 << (h - 1) for h in range(1, MAX_PLAYERS)], dtype=torch.uint8)
    return bits


# Classes of the tricks head: a seat takes 0..MAX_HAND_SIZE tricks in a round.
TRICK_CLASSES = MAX_HAND_SIZE + 1


class BlobNet(nn.Module):
    """The policy-value network. ``forward(features, masks) -> (logits, values)``; ``outputs``
    adds the tricks head's predictions."""

    __constants__ = [
        "num_card_tokens",
        "global_token",
        "illegal_logit",
        "holder_shift",
        "in_other_hand",
        "max_players",
        "trick_classes",
    ]

    def __init__(self, config: NetConfig | str = "small") -> None:
        super().__init__()
        self.config = net_config(config)
        self.num_card_tokens = NUM_CARD_TOKENS
        self.global_token = GLOBAL_TOKEN
        self.illegal_logit = ILLEGAL_LOGIT
        d = self.config.d_model
        # Row (kind * NUM_FIELDS + field) * 256 + value of one table embeds every field value.
        kinds = _token_kinds()
        field_base = (
            (kinds[:, None] * NUM_FIELDS + torch.arange(NUM_FIELDS)[None, :]) * _FIELD_VALUES
        ).to(torch.int64)
        self.register_buffer("field_base", field_base, persistent=False)
        self.field_embedding = nn.Embedding(3 * NUM_FIELDS * _FIELD_VALUES, d)
        self.position_embedding = nn.Parameter(torch.zeros(NUM_TOKENS, d))
        layer = nn.TransformerEncoderLayer(
            d_model=d,
            nhead=self.config.num_heads,
            dim_feedforward=self.config.ff_multiplier * d,
            dropout=self.config.dropout,
            activation="gelu",
            batch_first=True,
            norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(
            layer, num_layers=self.config.num_layers, enable_nested_tensor=False
        )
        self.final_norm = nn.LayerNorm(d)
        self.card_head = nn.Linear(d, 1)
        self.bid_head = nn.Linear(d, _NUM_BID_ACTIONS)
        self.value_head = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.Linear(d, MAX_PLAYERS))
        nn.init.normal_(self.field_embedding.weight, std=0.02)
        nn.init.normal_(self.position_embedding, std=0.02)
        # The critic of "observation+world" features: a network of the same size on world
        # features whose values replace this one's (empty otherwise, so other networks' weights
        # are unchanged).
        self.holder_shift = HOLDER_SHIFT
        self.in_other_hand = IN_OTHER_HAND
        self.register_buffer("holder_bits", _holder_bits(), persistent=False)
        # The card relations' embedding (empty without them, so other networks' weights are
        # unchanged).
        self.relation_embedding = nn.ModuleList()
        if self.config.card_relations:
            self.relation_embedding.append(CardRelations(d))
        self.critic = nn.ModuleList()
        if self.config.features == "observation+world":
            critic_config = dataclasses.replace(self.config, features="world", tricks_head=False)
            self.critic.append(BlobNet(critic_config))
        # The tricks head (empty without it, so other networks' weights are unchanged).
        self.max_players = MAX_PLAYERS
        self.trick_classes = TRICK_CLASSES
        self.tricks_head = nn.ModuleList()
        if self.config.tricks_head:
            self.tricks_head.append(nn.Linear(d, MAX_PLAYERS * TRICK_CLASSES))

    def forward(
        self, features: torch.Tensor, masks: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        logits, values, _ = self.outputs(features, masks)
        return logits, values

    def outputs(
        self, features: torch.Tensor, masks: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(logits [B, 70], values [B, 8], tricks logits [B, 8, TRICK_CLASSES]): ``forward``'s
        two and, per seat relative to the observer, logits over the tricks that seat will have
        taken when the round ends (shape [B, 0] without a tricks head)."""
        critic_values: list[torch.Tensor] = []
        for critic in self.critic:
            observation, world = self.split_holder_features(features)
            features = observation
            critic_values.append(critic(world, masks)[1])
        logits, values, summary = self.policy_value(features, masks)
        for critic_value in critic_values:
            values = critic_value
        tricks = summary.new_zeros((summary.shape[0], 0))
        for head in self.tricks_head:
            tricks = head(summary).view(-1, self.max_players, self.trick_classes)
        return logits, values, tricks

    def split_holder_features(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Holder features [B, 61, 8] -> (the observation, the world features) they contain
        (``blobzero.encode``)."""
        cards = features[:, : self.num_card_tokens]
        holder = torch.bitwise_right_shift(cards[:, :, 7], self.holder_shift).long()
        held = holder > 0
        observation = features.clone()
        observation[:, : self.num_card_tokens, 7] = cards[:, :, 7] & 1
        world = observation.clone()
        location = cards[:, :, 3]
        world[:, : self.num_card_tokens, 3] = torch.where(
            held, torch.full_like(location, self.in_other_hand), location
        )
        unseen_holders = torch.where(location == 0, torch.zeros_like(location), cards[:, :, 6])
        world[:, : self.num_card_tokens, 6] = torch.where(
            held,
            self.holder_bits[holder],  # type: ignore[index]
            unseen_holders,
        )
        return observation, world

    def policy_value(
        self, features: torch.Tensor, masks: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """This transformer's logits and values for features it reads directly, and the global
        token's final hidden state [B, d_model] that the value and bid heads read."""
        # Plain lookups and a sum: faster than embedding_bag on the CPU here, and exported to ONNX
        # as a gather (embedding_bag becomes a loop there).
        index = features.long() + self.field_base  # type: ignore[operator]
        tokens = self.field_embedding(index).sum(dim=2) + self.position_embedding
        for relations in self.relation_embedding:
            cards = tokens[:, : self.num_card_tokens] + relations(features)
            tokens = torch.cat([cards, tokens[:, self.num_card_tokens :]], dim=1)
        hidden = self.final_norm(self.encode_tokens(tokens))
        card_logits = self.card_head(hidden[:, : self.num_card_tokens]).squeeze(-1)
        global_token = hidden[:, self.global_token]
        logits = torch.cat([card_logits, self.bid_head(global_token)], dim=1)
        # float32 before the fill: -1e9 does not fit in fp16 under autocast
        logits = logits.float().masked_fill(masks == 0, self.illegal_logit)
        values = self.value_head(global_token)
        return logits, values, global_token

    def encode_tokens(self, x: torch.Tensor) -> torch.Tensor:
        """``self.encoder(x)`` computed layer by layer with the same weights and the same
        arithmetic (pre-norm, GELU, dropout where training), but with attention by
        ``scaled_dot_product_attention``: on CPU its fused kernel beats the encoder's own
        inference fast path (about 1.4x for the tiny and small nets, TorchScript, 61 tokens)."""
        batch, length, d = x.shape
        for layer in self.encoder.layers:
            attention = layer.self_attn
            heads = attention.num_heads
            h = layer.norm1(x)
            qkv = nn.functional.linear(h, attention.in_proj_weight, attention.in_proj_bias)
            qkv = qkv.view(batch, length, 3, heads, d // heads).permute(2, 0, 3, 1, 4)
            mixed = nn.functional.scaled_dot_product_attention(
                qkv[0], qkv[1], qkv[2], dropout_p=attention.dropout if self.training else 0.0
            )
            mixed = attention.out_proj(mixed.transpose(1, 2).reshape(batch, length, d))
            x = x + layer.dropout1(mixed)
            h = layer.linear2(layer.dropout(nn.functional.gelu(layer.linear1(layer.norm2(x)))))
            x = x + layer.dropout2(h)
        return x
