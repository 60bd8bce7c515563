#pragma once
// The move a search plays from its root visit counts (or from another non-negative weight per
// action, such as an improved policy): one rule for every search and for self-play.
// Threading: pure functions (the Rng is the caller's).

#include <array>
#include <cstdint>

#include "blobzero/core/rng.h"
#include "blobzero/game/rules.h"

namespace blobzero::search {

using Visits = std::array<int32_t, game::kNumActions>;

// The most visited action, the lowest id among ties; -1 when no action was visited.
int MostVisited(const Visits& visits);

// The most visited action at temperature 0; otherwise an action drawn with probability
// proportional to visits^(1/T) (one draw of `rng`). -1 when no action was visited.
int ChooseByVisits(const Visits& visits, double temperature, core::Rng& rng);

// ChooseByVisits for any non-negative weights: the largest at temperature 0 (lowest id among
// ties), otherwise one drawn with probability proportional to weight^(1/T). -1 when no weight is
// positive.
int ChooseByWeight(const std::array<double, game::kNumActions>& weights, double temperature,
                   core::Rng& rng);

}  // namespace blobzero::search
