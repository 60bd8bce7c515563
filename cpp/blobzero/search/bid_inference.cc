#include "blobzero/search/bid_inference.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "blobzero/belief/belief.h"
#include "blobzero/game/observation.h"
#include "blobzero/search/bots.h"

namespace blobzero::search {

double BidProbability(int bid, double expected_tricks, uint32_t legal_bids, double spread) {
  if (bid < 0 || bid >= 32 || !((legal_bids >> bid) & 1)) return 0.0;
  const double scale = 1.0 / (2.0 * spread * spread);
  double total = 0;
  for (int b = 0; b < 32; ++b) {
    if ((legal_bids >> b) & 1)
      total += std::exp(-(b - expected_tricks) * (b - expected_tricks) * scale);
  }
  return std::exp(-(bid - expected_tricks) * (bid - expected_tricks) * scale) / total;
}

double BidLikelihood(const game::State& world, int searcher, double spread) {
  // Replays the bids from the world's deal, so that each bidder's view is exactly what it saw.
  game::State replay(world.rules(), world.InitialDeal());
  const int bids_made = std::min(world.num_actions(), world.num_players());
  double likelihood = 1.0;
  for (int i = 0; i < bids_made; ++i) {
    const int bidder = replay.current_player();
    const int action = world.action_at(i);
    if (bidder != searcher) {
      const double expected = HeuristicBot::ExpectedTricks(game::Observe(replay, bidder));
      likelihood *=
          BidProbability(action - game::kBidActionBase, expected, replay.LegalBids(), spread);
    }
    replay.ApplyActionUnchecked(action);
  }
  return likelihood;
}

WorldSampler::WorldSampler(const game::State& state, int candidates, double spread, core::Rng& rng)
    : determinizer_(belief::Belief::FromState(state, state.current_player())) {
  if (candidates < 0) throw std::invalid_argument("inference candidates must not be negative");
  if (candidates == 0) return;
  if (!(spread > 0) || !std::isfinite(spread)) {
    throw std::invalid_argument("the bid model's spread must be a positive number");
  }
  const int searcher = state.current_player();
  candidates_.reserve(candidates);
  cumulative_.reserve(candidates);
  double total = 0;
  double total_squares = 0;
  for (int k = 0; k < candidates; ++k) {
    candidates_.push_back(determinizer_.Sample(rng));
    const double weight = BidLikelihood(state.WithHands(candidates_.back()), searcher, spread);
    total += weight;
    total_squares += weight * weight;
    cumulative_.push_back(total);
  }
  if (!(total > 0)) {
    // Every weight underflowed: the candidates stay uniform.
    for (int k = 0; k < candidates; ++k) cumulative_[k] = k + 1;
    total = candidates;
    total_squares = candidates;
  }
  effective_size_ = total * total / total_squares;
}

determinize::Hands WorldSampler::Sample(core::Rng& rng) {
  if (candidates_.empty()) return determinizer_.Sample(rng);
  const double r = rng.Uniform() * cumulative_.back();
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), r);
  const size_t index = std::min<size_t>(it - cumulative_.begin(), candidates_.size() - 1);
  return candidates_[index];
}

double WorldSampler::EffectiveSampleSize() const {
  return candidates_.empty() ? 0.0 : effective_size_;
}

}  // namespace blobzero::search
