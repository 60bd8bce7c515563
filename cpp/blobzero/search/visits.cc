#include "blobzero/search/visits.h"

#include <cmath>

namespace blobzero::search {

int MostVisited(const Visits& visits) {
  int best = -1;
  for (int a = 0; a < game::kNumActions; ++a) {
    if (visits[a] > 0 && (best < 0 || visits[a] > visits[best])) best = a;
  }
  return best;
}

int ChooseByVisits(const Visits& visits, double temperature, core::Rng& rng) {
  std::array<double, game::kNumActions> weights{};
  for (int a = 0; a < game::kNumActions; ++a) weights[a] = visits[a];
  return ChooseByWeight(weights, temperature, rng);
}

int ChooseByWeight(const std::array<double, game::kNumActions>& weights, double temperature,
                   core::Rng& rng) {
  int best = -1;
  for (int a = 0; a < game::kNumActions; ++a) {
    if (weights[a] > 0 && (best < 0 || weights[a] > weights[best])) best = a;
  }
  if (best < 0 || temperature <= 0) return best;
  std::array<double, game::kNumActions> powered{};
  double total = 0;
  for (int a = 0; a < game::kNumActions; ++a) {
    if (weights[a] <= 0) continue;
    // Relative to the largest, so that a small temperature cannot overflow.
    powered[a] = std::pow(weights[a] / weights[best], 1.0 / temperature);
    total += powered[a];
  }
  double r = rng.Uniform() * total;
  int chosen = best;
  for (int a = 0; a < game::kNumActions; ++a) {
    if (powered[a] <= 0) continue;
    chosen = a;
    if ((r -= powered[a]) < 0) break;
  }
  return chosen;
}

}  // namespace blobzero::search
