"""Training losses of a BlobNet: the loss terms of one batch, and losses on held-out positions.

``compute_losses``: policy cross-entropy against the search policy over the legal actions, value
mean squared error over the seats at the table and, for a network with a tricks head, the
cross-entropy of each seat's predicted tricks, all weighted per example by the batch's
importance weights. ``evaluate_positions``: the same losses on positions the network has not
trained on, beside those of a network that learned nothing.
"""

from __future__ import annotations

from typing import Protocol, TypeAlias

import numpy as np
import torch

from blobzero._core.game import MAX_PLAYERS, NUM_ACTIONS
from blobzero.nn.network import ILLEGAL_LOGIT, TRICK_CLASSES, BlobNet

LossTerms: TypeAlias = dict[str, torch.Tensor]
"""What ``compute_losses`` returns. Scalars: ``total``, ``policy``, ``value`` (and ``tricks``
when it was given tricks logits; with gradients) and the detached metrics ``policy_top1``,
``value_mae``, ``policy_entropy_target``, ``policy_kl``; plus ``policy_per_example`` (detached,
[B]: each example's unweighted policy cross-entropy, the priority for prioritized replay)."""


class TrainingBatchLike(Protocol):
    """What the trainer reads from a batch (``blobzero.training.replay.TrainingBatch``), all on one
    device: features uint8 [B, 61, 8], masks bool [B, 70], policy float32 [B, 70], value
    float32 [B, 8], num_players long [B], indices long [B], weights float32 [B], tricks long
    [B, 8] or None (``TrainingBatch.tricks``)."""

    @property
    def features(self) -> torch.Tensor: ...
    @property
    def masks(self) -> torch.Tensor: ...
    @property
    def policy(self) -> torch.Tensor: ...
    @property
    def value(self) -> torch.Tensor: ...
    @property
    def num_players(self) -> torch.Tensor: ...
    @property
    def indices(self) -> torch.Tensor: ...
    @property
    def weights(self) -> torch.Tensor: ...
    @property
    def tricks(self) -> torch.Tensor | None: ...


# --------------------------------------------------------------------------------------------
# Losses


def compute_losses(
    logits: torch.Tensor,
    values: torch.Tensor,
    batch: TrainingBatchLike,
    policy_weight: float = 1.0,
    value_weight: float = 1.0,
    tricks_logits: torch.Tensor | None = None,
    tricks_weight: float = 0.0,
) -> LossTerms:
    """Losses of the network outputs ``logits`` [B, 70] and ``values`` [B, 8] (and a tricks
    head's ``tricks_logits`` [B, 8, TRICK_CLASSES], ``BlobNet.outputs``) against ``batch``.

    All arithmetic is float32 whatever the outputs' dtype.
    - ``policy``: per example ``-sum(target * log_softmax(logits))`` over the legal actions
      (``batch.masks``); target mass on illegal actions is ignored. Mean over the batch of
      ``weights * cross_entropy``.
    - ``value``: per example the mean squared error over the seats ``< num_players``; mean over
      the batch of ``weights * mse``.
    - ``tricks`` (only with ``tricks_logits`` of a tricks head and ``batch.tricks``): per example
      the mean over the seats whose tricks are known (``batch.tricks`` >= 0) of the
      cross-entropy of the predicted tricks; mean over the batch of ``weights * that``.
    - ``total`` = ``policy_weight * policy + value_weight * value`` (+ ``tricks_weight *
      tricks``).
    - Metrics (no gradient): ``policy_top1`` (fraction of examples whose most likely legal action
      is the target's most likely action), ``value_mae`` (mean absolute error per seat at the
      table, averaged over examples), ``policy_entropy_target`` (weighted mean entropy of the
      targets: the least the policy loss can reach), ``policy_kl`` = ``policy`` -
      ``policy_entropy_target``, and ``policy_per_example`` [B] (unweighted cross-entropy).

    Raises ValueError naming the tensor when a shape does not match.
    """
    batch_size = batch.policy.shape[0]
    expected = {
        "logits": (logits, (batch_size, NUM_ACTIONS)),
        "values": (values, (batch_size, MAX_PLAYERS)),
        "batch.masks": (batch.masks, (batch_size, NUM_ACTIONS)),
        "batch.policy": (batch.policy, (batch_size, NUM_ACTIONS)),
        "batch.value": (batch.value, (batch_size, MAX_PLAYERS)),
        "batch.num_players": (batch.num_players, (batch_size,)),
        "batch.weights": (batch.weights, (batch_size,)),
    }
    for name, (tensor, shape) in expected.items():
        if tuple(tensor.shape) != shape:
            raise ValueError(f"{name} must have shape {shape}, got {tuple(tensor.shape)}")

    legal = batch.masks.bool()
    target = batch.policy.float()
    weights = batch.weights.float()
    # Re-mask in float32: under fp16 autocast the network's illegal logits may have become -inf.
    masked_logits = logits.float().masked_fill(~legal, ILLEGAL_LOGIT)
    log_probs = torch.where(legal, torch.log_softmax(masked_logits, dim=1), 0.0)
    cross_entropy = -(target * log_probs).sum(dim=1)
    policy = (weights * cross_entropy).mean()

    seats = torch.arange(MAX_PLAYERS, device=values.device)
    at_table = seats[None, :] < batch.num_players[:, None]
    seat_count = at_table.sum(dim=1).clamp(min=1)
    error = torch.where(at_table, values.float() - batch.value.float(), 0.0)
    mse = error.square().sum(dim=1) / seat_count
    value = (weights * mse).mean()

    total = policy_weight * policy + value_weight * value
    terms: LossTerms = {}
    if tricks_logits is not None and tricks_logits.numel() > 0 and batch.tricks is not None:
        shape = (batch_size, MAX_PLAYERS, TRICK_CLASSES)
        if tuple(tricks_logits.shape) != shape:
            raise ValueError(
                f"tricks_logits must have shape {shape}, got {tuple(tricks_logits.shape)}"
            )
        known = batch.tricks >= 0
        log_probs_tricks = torch.log_softmax(tricks_logits.float(), dim=2)
        picked = log_probs_tricks.gather(2, batch.tricks.clamp(min=0).unsqueeze(2)).squeeze(2)
        per_seat = torch.where(known, -picked, 0.0)
        per_example = per_seat.sum(dim=1) / known.sum(dim=1).clamp(min=1)
        terms["tricks"] = (weights * per_example).mean()
        total = total + tricks_weight * terms["tricks"]

    with torch.no_grad():
        positive = legal & (target > 0)
        target_log = torch.where(positive, torch.log(torch.where(positive, target, 1.0)), 0.0)
        entropy = -(target * target_log).sum(dim=1)
        policy_entropy_target = (weights * entropy).mean()
        legal_target = torch.where(legal, target, -1.0)
        top1 = (masked_logits.argmax(dim=1) == legal_target.argmax(dim=1)).float().mean()
        value_mae = (error.abs().sum(dim=1) / seat_count).mean()
        policy_kl = policy.detach() - policy_entropy_target
    return terms | {
        "total": total,
        "policy": policy,
        "value": value,
        "policy_top1": top1,
        "value_mae": value_mae,
        "policy_entropy_target": policy_entropy_target,
        "policy_kl": policy_kl,
        "policy_per_example": cross_entropy.detach(),
    }


# --------------------------------------------------------------------------------------------
# Held-out positions


def evaluate_positions(
    net: BlobNet,
    features: np.ndarray,
    masks: np.ndarray,
    policy: np.ndarray,
    value: np.ndarray,
    num_players: np.ndarray,
    device: str | torch.device = "cpu",
    batch_size: int = 1024,
    tricks: np.ndarray | None = None,
) -> dict[str, float]:
    """Losses of ``net`` on positions it has not trained on (e.g. the records of the self-play
    that just ended), with the levels that mean "learned nothing" beside them.

    Arrays as in ``SelfPlayRecords``. Returns the mean over positions of ``policy_loss``,
    ``value_loss``, ``policy_top1``, ``policy_entropy_target`` (the floor of the policy loss) as
    ``compute_losses`` defines them, plus ``uniform_policy_loss`` (the policy loss of a uniform
    policy over the legal actions: log of their number) and ``zero_value_loss`` (the value loss
    of predicting 0 for every seat), and with ``tricks`` (``replay.tricks_targets``) for a
    network with a tricks head, ``tricks_loss``. An empty input gives an empty dict. ``net`` is
    put in eval mode and left there."""
    from blobzero.training.replay import TrainingBatch

    count = int(features.shape[0])
    if count == 0:
        return {}
    net.eval()
    sums: dict[str, float] = {}
    with torch.inference_mode():
        for start in range(0, count, batch_size):
            rows = slice(start, min(start + batch_size, count))
            batch = TrainingBatch(
                features=torch.from_numpy(features[rows]).to(device),
                masks=torch.from_numpy(masks[rows]).to(device).bool(),
                policy=torch.from_numpy(policy[rows]).to(device).float(),
                value=torch.from_numpy(value[rows]).to(device).float(),
                num_players=torch.from_numpy(num_players[rows]).to(device).long(),
                indices=torch.arange(rows.start, rows.stop, device=device),
                weights=torch.ones(rows.stop - rows.start, device=device),
                tricks=None if tricks is None else torch.from_numpy(tricks[rows]).to(device).long(),
            )
            tricks_logits = None
            if tricks is None:
                logits, values = net(batch.features, batch.masks)
            else:
                logits, values, tricks_logits = net.outputs(batch.features, batch.masks)
            terms = compute_losses(logits, values, batch, tricks_logits=tricks_logits)
            seats = torch.arange(MAX_PLAYERS, device=device) < batch.num_players[:, None]
            squared = (batch.value**2 * seats).sum(dim=1) / seats.sum(dim=1)
            size = float(rows.stop - rows.start)
            observed = {
                "policy_loss": terms["policy"],
                "value_loss": terms["value"],
                "policy_top1": terms["policy_top1"],
                "policy_entropy_target": terms["policy_entropy_target"],
                "uniform_policy_loss": batch.masks.sum(dim=1).float().log().mean(),
                "zero_value_loss": squared.mean(),
            }
            if "tricks" in terms:
                observed["tricks_loss"] = terms["tricks"]
            for name, tensor in observed.items():
                sums[name] = sums.get(name, 0.0) + float(tensor) * size
    return {name: total / count for name, total in sums.items()}
