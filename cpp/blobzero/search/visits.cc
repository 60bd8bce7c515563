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
  const int best = MostVisited(visits);
  if (best < 0 || temperature <= 0) return best;
  std::array<double, game::kNumActions> weights{};
  double total = 0;
  for (int a = 0; a < game::kNumActions; ++a) {
    if (visits[a] <= 0) continue;
    // Relative to the most visited, so that a small temperature cannot overflow.
    weights[a] = std::pow(static_cast<double>(visits[a]) / visits[best], 1.0 / temperature);
    total += weights[a];
  }
  double r = rng.Uniform() * total;
  int chosen = best;
  for (int a = 0; a < game::kNumActions; ++a) {
    if (weights[a] <= 0) continue;
    chosen = a;
    if ((r -= weights[a]) < 0) break;
  }
  return chosen;
}

}  // namespace blobzero::search
