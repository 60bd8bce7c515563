#pragma once
// Bid inference: worlds drawn in proportion to how well they explain the opponents' bids.
//
// An opponent's bid says how many tricks it expects its hand to take. The determinizer draws
// worlds uniformly from the searcher's information set, as if bids said nothing. Here a world w
// gets the likelihood L(w) = prod over the opponents j that have bid of P(b_j | j's view when
// it bid, in w), under a bid model: a player bids near the tricks its hand is expected to take
// (HeuristicBot::ExpectedTricks, E), P(b) proportional to exp(-(b - E)^2 / (2 spread^2)) over the
// bids that were legal to it (the hook rule's forbidden bid excluded). The posterior over worlds
// given the bids is proportional to L (uniform prior). WorldSampler draws `candidates` worlds
// uniformly and resamples them in proportion to L (sampling-importance-resampling): as the
// number of candidates grows, its draws tend to that posterior.
//
// Information: L reads each opponent's hand in the sampled world and public facts (rules,
// dealer, turned-up card, bids) only, so a search that draws its worlds here still reads
// nothing but the searcher's information.
// Threading: WorldSampler is used by one thread at a time.

#include <optional>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/determinize/determinizer.h"
#include "blobzero/game/state.h"

namespace blobzero::search {

// The probability of `bid` (a number of tricks) under the bid model for a player with
// `expected_tricks` who may bid the bits of `legal_bids` (bit b = bid b). Zero for an illegal bid.
double BidProbability(int bid, double expected_tricks, uint32_t legal_bids, double spread);

// L(world) for `searcher`: the product over the opponents that have bid in `world` of the
// model's probability of their bid. `world` is a determinization (every hand filled in).
double BidLikelihood(const game::State& world, int searcher, double spread);

class WorldSampler {
 public:
  // Worlds for the player to act in `state` (not terminal). candidates = 0: uniform draws (the
  // determinizer's); otherwise `candidates` uniform draws from `rng` weighted by BidLikelihood.
  // Throws std::invalid_argument for candidates < 0 or spread <= 0 (when candidates > 0).
  WorldSampler(const game::State& state, int candidates, double spread, core::Rng& rng);

  // Every seat's current hand in a drawn world (the searcher's own as it is).
  determinize::Hands Sample(core::Rng& rng);
  // Kish's effective sample size of the candidates' weights, (sum w)^2 / sum w^2; 0 when the
  // draws are uniform (no candidates).
  double EffectiveSampleSize() const;

 private:
  determinize::Determinizer determinizer_;
  std::vector<determinize::Hands> candidates_;
  std::vector<double> cumulative_;  // running sums of the candidates' weights
  double effective_size_ = 0;
};

}  // namespace blobzero::search
