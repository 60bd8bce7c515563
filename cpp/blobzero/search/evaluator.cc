#include "blobzero/search/evaluator.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

namespace blobzero::search {

namespace {

void CheckFinite(const float* data, int rows, int cols, const char* what,
                 bool allow_minus_infinity) {
  for (int i = 0; i < rows * cols; ++i) {
    const float x = data[i];
    if (std::isfinite(x) || (allow_minus_infinity && std::isinf(x) && x < 0)) continue;
    throw std::invalid_argument(std::string("evaluator returned a non-finite ") + what + " (" +
                                std::to_string(x) + ") at row " + std::to_string(i / cols) +
                                ", column " + std::to_string(i % cols));
  }
}

}  // namespace

void CheckEvaluations(const float* logits, const float* values, int rows) {
  CheckFinite(logits, rows, game::kNumActions, "policy logit", /*allow_minus_infinity=*/true);
  CheckFinite(values, rows, kValueSize, "value", /*allow_minus_infinity=*/false);
}

int RandomLegalAction(const game::State& state, core::Rng& rng) {
  if (state.phase() == game::Phase::kPlay) {
    const game::CardSet legal = state.LegalCards();
    return legal.Nth(static_cast<int>(rng.Below(static_cast<uint32_t>(legal.Size()))));
  }
  uint32_t bids = state.LegalBids();
  for (uint32_t k = rng.Below(static_cast<uint32_t>(std::popcount(bids))); k > 0; --k) {
    bids &= bids - 1;
  }
  return game::BidAction(std::countr_zero(bids));
}

void RandomPlayout(game::State& state, core::Rng& rng) {
  while (!state.IsTerminal()) state.ApplyActionUnchecked(RandomLegalAction(state, rng));
}

RolloutEvaluator::RolloutEvaluator(uint64_t seed, int num_rollouts, bool relative_values)
    : rng_(seed), num_rollouts_(num_rollouts), relative_values_(relative_values) {
  if (num_rollouts < 1) {
    throw std::invalid_argument("num_rollouts = " + std::to_string(num_rollouts) +
                                " must be at least 1");
  }
}

void RolloutEvaluator::Evaluate(const EvalBatch& batch) {
  std::fill(batch.policy_logits, batch.policy_logits + batch.size * game::kNumActions, 0.0f);
  std::fill(batch.values, batch.values + batch.size * kValueSize, 0.0f);
  for (int i = 0; i < batch.size; ++i) {
    const game::State& leaf = *batch.states[i];
    const int p = leaf.num_players();
    const int to_act = leaf.current_player();
    float* values = batch.values + i * kValueSize;
    for (int r = 0; r < num_rollouts_; ++r) {
      game::State world = leaf;
      RandomPlayout(world, rng_);
      const std::vector<double> outcome = world.Values(relative_values_);
      for (int k = 0; k < p; ++k) values[k] += static_cast<float>(outcome[(to_act + k) % p]);
    }
    for (int k = 0; k < p; ++k) values[k] /= static_cast<float>(num_rollouts_);
  }
}

void ConstantEvaluator::Evaluate(const EvalBatch& batch) {
  std::fill(batch.policy_logits, batch.policy_logits + batch.size * game::kNumActions, 0.0f);
  std::fill(batch.values, batch.values + batch.size * kValueSize, value_);
}

}  // namespace blobzero::search
