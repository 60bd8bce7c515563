"""Sum and min trees over priorities, for the replay buffer's prioritized sampling."""

from __future__ import annotations

import numpy as np


class PriorityTree:
    """Sum and min trees over ``capacity`` leaves (scaled priorities p^alpha), vectorised over
    batches: an update or a batch of draws costs O(B log capacity) numpy work, not O(capacity).
    Empty leaves hold 0 in the sum tree and +inf in the min tree."""

    def __init__(self, capacity: int) -> None:
        self.leaves = 1 << max(0, (capacity - 1).bit_length())
        self.sums = np.zeros(2 * self.leaves, dtype=np.float64)
        self.mins = np.full(2 * self.leaves, np.inf, dtype=np.float64)

    def clear(self) -> None:
        self.sums.fill(0.0)
        self.mins.fill(np.inf)

    @property
    def total(self) -> float:
        return float(self.sums[1])

    @property
    def minimum(self) -> float:
        return float(self.mins[1])

    def value(self, slots: np.ndarray) -> np.ndarray:
        values: np.ndarray = self.sums[self.leaves + slots]
        return values

    def set(self, slots: np.ndarray, values: np.ndarray) -> None:
        """Sets leaves ``slots`` (for a repeated slot the last value wins) to ``values``."""
        nodes = self.leaves + np.asarray(slots, dtype=np.int64)
        self.sums[nodes] = values
        self.mins[nodes] = values
        if nodes.size * 8 > self.leaves:  # many leaves: rebuild every level from the bottom
            self._rebuild()
            return
        nodes = np.unique(nodes >> 1)
        while nodes.size and nodes[0] >= 1:
            self.sums[nodes] = self.sums[2 * nodes] + self.sums[2 * nodes + 1]
            self.mins[nodes] = np.minimum(self.mins[2 * nodes], self.mins[2 * nodes + 1])
            if nodes[0] == 1:
                break
            nodes = np.unique(nodes >> 1)

    def _rebuild(self) -> None:
        width = self.leaves
        while width > 1:
            lo, hi = width // 2, width
            self.sums[lo:hi] = self.sums[2 * lo : 2 * hi : 2] + self.sums[2 * lo + 1 : 2 * hi : 2]
            self.mins[lo:hi] = np.minimum(
                self.mins[2 * lo : 2 * hi : 2], self.mins[2 * lo + 1 : 2 * hi : 2]
            )
            width //= 2

    def find(self, masses: np.ndarray) -> np.ndarray:
        """For each mass u in [0, total): the leaf whose prefix-sum interval holds u."""
        nodes = np.ones(masses.shape[0], dtype=np.int64)
        remaining = masses.astype(np.float64, copy=True)
        for _ in range(self.leaves.bit_length() - 1):  # one level down per step
            left = self.sums[2 * nodes]
            right = remaining >= left
            remaining -= np.where(right, left, 0.0)
            nodes = 2 * nodes + right
        return nodes - self.leaves
