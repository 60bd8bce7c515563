#pragma once
// Exactly uniform sampling of hidden hands consistent with a Belief.
//
// A consistent deal gives every opponent exactly its current hand size, only from the unseen
// cards, and no card of a suit it has shown void in; unseen cards left over are the undealt
// part of the deck. Every consistent assignment of unseen cards to opponents is equally likely.
//
// Method. Players with the same void set are exchangeable, so they form a group (the undealt
// pile joins the group with no voids). Let u_s be the unseen cards of suit s. A group g of total
// size H_g takes x_gs cards of suit s; the number of deals is the sum over count matrices x of
// prod_s u_s! / prod_g x_gs! times a constant, computed exactly in 128-bit integers by dynamic
// programming over groups with the remaining per-suit counts as state. Sampling draws the count
// matrix group by group with exact integer weights, then the cards of each suit uniformly, then
// splits each group's cards uniformly among its members. The counts depend only on the belief,
// so they are computed once and every sample after the first costs a few table look-ups.
//
// The determinizer reads nothing but the Belief, so it cannot see the true hidden cards.
// Threading: not thread-safe (tables fill lazily); give each search its own.

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "blobzero/belief/belief.h"
#include "blobzero/core/rng.h"
#include "blobzero/game/cards.h"
#include "blobzero/game/rules.h"

namespace blobzero::determinize {

__extension__ typedef unsigned __int128 Count;

using Hands = std::array<game::CardSet, game::kMaxPlayers>;

class Determinizer {
 public:
  // Throws std::invalid_argument if the belief is invalid or no deal is consistent with it.
  explicit Determinizer(const belief::Belief& belief);

  const belief::Belief& belief() const { return belief_; }
  // The number of consistent assignments of unseen cards to opponents (exact below 2^128,
  // returned as a double).
  double NumConsistentDeals() const;
  // Current hands of every seat: the observer's own hand and a uniformly drawn consistent
  // assignment of the unseen cards to the opponents.
  Hands Sample(core::Rng& rng);

 private:
  static constexpr int kSuitBase = game::kNumRanks + 1;
  struct Group {
    uint8_t allowed_suits = 0;  // bit s: may hold suit s
    int size = 0;
    std::vector<int> members;  // seats; -1 stands for the undealt pile
    std::vector<int> member_sizes;
  };
  // A choice of per-suit counts for one group and the cumulative weight up to it.
  struct Choice {
    Count cumulative;
    std::array<int8_t, game::kNumSuits> take;
  };
  using SuitCounts = std::array<int, game::kNumSuits>;

  static int Key(int group, const SuitCounts& remaining);
  // Number of ways groups g.. can take exactly `remaining`.
  Count Ways(int group, const SuitCounts& remaining);
  const std::vector<Choice>& Choices(int group, const SuitCounts& remaining);
  // Calls visit(take) for every per-suit count the group can take from `remaining`.
  template <typename Visit>
  void ForEachTake(int group, const SuitCounts& remaining, Visit&& visit) const;
  // The number of ways to pick `take[s]` of the `remaining[s]` cards of every suit; `rest` gets
  // what is left.
  static Count ChoicesOfCards(const SuitCounts& remaining, const SuitCounts& take,
                              SuitCounts& rest);
  // Whether the group may hold every suit left in `remaining`.
  bool TakesAll(int group, const SuitCounts& remaining) const;

  belief::Belief belief_;
  std::vector<Group> groups_;
  SuitCounts unseen_counts_{};
  std::array<std::array<int8_t, game::kNumRanks>, game::kNumSuits> unseen_by_suit_{};
  Count total_ = 0;
  std::unordered_map<int, Count> ways_;
  std::unordered_map<int, std::vector<Choice>> choices_;
};

}  // namespace blobzero::determinize
