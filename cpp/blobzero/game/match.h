#pragma once
// A match: the rounds of a schedule played in order, the dealer moving one seat left each round,
// scores accumulating. Deals are drawn from the match seed (round r uses DeriveSeed(seed, r)),
// so a (rules, seed, actions) triple replays a match exactly.
//
// Threading: not thread-safe.

#include <cstdint>
#include <vector>

#include "blobzero/game/rules.h"
#include "blobzero/game/state.h"

namespace blobzero::game {

class Match {
 public:
  // first_dealer = -1 draws d_0 from the seed. Throws std::invalid_argument for bad rules and
  // std::out_of_range for a dealer outside 0..P-1.
  Match(const Rules& rules, uint64_t seed, int first_dealer = -1);

  const Rules& rules() const { return rules_; }
  uint64_t seed() const { return seed_; }
  int num_rounds() const { return static_cast<int>(cards_per_round_.size()); }
  const std::vector<int>& cards_per_round() const { return cards_per_round_; }
  // Index of the round in play; num_rounds() once the match is over.
  int round_index() const { return round_index_; }
  int first_dealer() const { return first_dealer_; }
  bool IsOver() const { return round_index_ == num_rounds(); }
  // The round in play (the last round once the match is over).
  const State& state() const { return state_; }
  // Applies an action to the round in play; when it ends the round, scores it and deals the
  // next. Throws std::invalid_argument for an illegal action or once the match is over.
  void ApplyAction(int action);
  // Cumulative scores per seat.
  const std::vector<int>& totals() const { return totals_; }
  // Scores of every finished round, per seat.
  const std::vector<std::vector<int>>& round_scores() const { return round_scores_; }
  // Seats with the highest total (several when tied). Throws before the match is over.
  std::vector<int> Winners() const;
  // The deal of round `round_index` (0..num_rounds() - 1) as the match deals it: that round's
  // rules, the dealer rotated from first_dealer(), the cards from the match seed. Throws
  // std::out_of_range for an index outside the schedule.
  State DealRound(int round_index) const;

 private:
  Rules rules_;
  uint64_t seed_;
  int first_dealer_;
  std::vector<int> cards_per_round_;
  int round_index_ = 0;
  State state_;
  std::vector<int> totals_;
  std::vector<std::vector<int>> round_scores_;
};

}  // namespace blobzero::game
