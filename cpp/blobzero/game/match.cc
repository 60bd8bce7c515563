#include "blobzero/game/match.h"

#include <algorithm>
#include <stdexcept>

#include "blobzero/core/rng.h"

namespace blobzero::game {
namespace {

// The stream of the match seed that chooses the first dealer; rounds use streams 0, 1, ...
constexpr uint64_t kDealerStream = ~uint64_t{0};

const Rules& Validated(const Rules& rules) {
  rules.Validate();
  return rules;
}

int ChooseFirstDealer(const Rules& rules, uint64_t seed, int first_dealer) {
  if (first_dealer == -1) {
    core::Rng rng(core::DeriveSeed(seed, kDealerStream));
    return static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players)));
  }
  if (first_dealer < 0 || first_dealer >= rules.num_players) {
    throw std::out_of_range("first_dealer " + std::to_string(first_dealer) + " is outside 0.." +
                            std::to_string(rules.num_players - 1));
  }
  return first_dealer;
}

}  // namespace

Match::Match(const Rules& rules, uint64_t seed, int first_dealer)
    : rules_(Validated(rules)),
      seed_(seed),
      first_dealer_(ChooseFirstDealer(rules, seed, first_dealer)),
      cards_per_round_(rules.CardsPerRound()),
      state_(DealRound(0)),
      totals_(rules.num_players, 0) {}

State Match::DealRound(int round_index) const {
  if (round_index < 0 || round_index >= num_rounds()) {
    throw std::out_of_range("round_index " + std::to_string(round_index) + " is outside 0.." +
                            std::to_string(num_rounds() - 1));
  }
  return State(rules_.RoundAt(round_index), (first_dealer_ + round_index) % rules_.num_players,
               core::DeriveSeed(seed_, static_cast<uint64_t>(round_index)));
}

void Match::ApplyAction(int action) {
  if (IsOver()) throw std::invalid_argument("action after the match is over");
  state_.ApplyAction(action);
  if (!state_.IsTerminal()) return;
  const std::vector<int> scores = state_.Scores();
  for (int p = 0; p < rules_.num_players; ++p) totals_[p] += scores[p];
  round_scores_.push_back(scores);
  ++round_index_;
  if (!IsOver()) state_ = DealRound(round_index_);
}

std::vector<int> Match::Winners() const {
  if (!IsOver()) throw std::invalid_argument("the match is not over");
  const int best = *std::max_element(totals_.begin(), totals_.end());
  std::vector<int> winners;
  for (int p = 0; p < rules_.num_players; ++p) {
    if (totals_[p] == best) winners.push_back(p);
  }
  return winners;
}

}  // namespace blobzero::game
