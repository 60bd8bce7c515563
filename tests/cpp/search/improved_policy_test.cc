// The completed-Q improved policy (PuctConfig::improved_policy_scale): the formula, checked
// against a reference computed here from the search's own root statistics; that it improves on
// the prior; and that on small endgames it plays the action an exhaustive max^n solution finds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/encode/encoder.h"
#include "blobzero/game/state.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/search/pimc.h"
#include "test_util.h"

namespace blobzero {
namespace {

using search::PimcSearch;
using search::PuctConfig;

PuctConfig ImprovedConfig(double scale) {
  PuctConfig config;
  config.information_set_tree = true;
  config.num_worlds = 3;
  config.simulations_per_world = 30;
  config.improved_policy_scale = scale;
  return config;
}

// The root priors an information-set search starts from: the evaluator's logits on the
// searcher's observation, softmaxed over its legal actions.
std::vector<double> RootPriors(const game::State& state, search::Evaluator& evaluator) {
  uint8_t features[encode::kFeatureSize];
  uint8_t mask[encode::kMaskSize];
  encode::Encode(state, state.current_player(), features);
  encode::EncodeActorMask(state, state.current_player(), mask);
  const game::State* states[1] = {&state};
  float logits[game::kNumActions] = {};
  float values[search::kValueSize] = {};
  search::EvalBatch batch;
  batch.size = 1;
  batch.features = features;
  batch.masks = mask;
  batch.states = states;
  batch.policy_logits = logits;
  batch.values = values;
  evaluator.Evaluate(batch);
  std::vector<double> priors(game::kNumActions, 0.0);
  double total = 0;
  for (int a = 0; a < game::kNumActions; ++a) {
    if (mask[a]) total += priors[a] = std::exp(static_cast<double>(logits[a]));
  }
  for (double& p : priors) p /= total;
  return priors;
}

game::State MidRound(core::Rng& rng) {
  const int players = 3 + static_cast<int>(rng.Below(3));
  game::State state(testing::Round(players, 5, static_cast<int>(rng.Below(5)) - 1),
                    static_cast<int>(rng.Below(static_cast<uint32_t>(players))), rng.Next());
  const int actions = static_cast<int>(rng.Below(static_cast<uint32_t>(players * 3)));
  for (int i = 0; i < actions && !state.IsTerminal(); ++i) {
    state.ApplyAction(testing::RandomLegalAction(state, rng));
  }
  return state;
}

TEST(ImprovedPolicy, IsTheSoftmaxOfPriorLogitsPlusScaledCompletedQ) {
  core::Rng rng(11);
  int checked = 0;
  for (int i = 0; i < 30; ++i) {
    const game::State state = MidRound(rng);
    if (state.IsTerminal() || state.LegalActions().size() < 2) continue;
    testing::HashEvaluator evaluator;
    const double scale = 0.05 * (1 + i % 4);
    PimcSearch search(ImprovedConfig(scale), /*needs_features=*/true);
    const search::SearchResult result = search.Run(state, 3 + i, evaluator);
    const std::vector<double> priors = RootPriors(state, evaluator);

    int max_visits = 0;
    double visited_prior = 0, visited_value = 0;
    for (int a = 0; a < game::kNumActions; ++a) {
      if (result.visits[a] == 0) continue;
      max_visits = std::max(max_visits, result.visits[a]);
      visited_prior += priors[a];
      visited_value += priors[a] * result.action_values[a];
    }
    std::vector<double> completed(game::kNumActions, 0.0), expected(game::kNumActions, 0.0);
    double total = 0;
    for (int a = 0; a < game::kNumActions; ++a) {
      if (priors[a] == 0) continue;
      completed[a] = result.visits[a] > 0 ? result.action_values[a] : visited_value / visited_prior;
      total += expected[a] = priors[a] * std::exp((50.0 + max_visits) * scale * completed[a]);
    }
    double prior_q = 0, improved_q = 0;
    for (int a = 0; a < game::kNumActions; ++a) {
      expected[a] /= total;
      EXPECT_NEAR(result.policy[a], expected[a], 1e-5) << "action " << a;
      prior_q += priors[a] * completed[a];
      improved_q += result.policy[a] * completed[a];
    }
    EXPECT_GE(improved_q, prior_q - 1e-6);  // a policy improvement on the completed values
    EXPECT_EQ(result.action, std::max_element(expected.begin(), expected.end()) - expected.begin());
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

TEST(ImprovedPolicy, ScaleZeroKeepsTheVisitPolicy) {
  core::Rng rng(12);
  const game::State state = MidRound(rng);
  ASSERT_FALSE(state.IsTerminal());
  testing::HashEvaluator evaluator;
  PimcSearch search(ImprovedConfig(0.0), /*needs_features=*/true);
  const search::SearchResult result = search.Run(state, 1, evaluator);
  int total = 0;
  for (int v : result.visits) total += v;
  for (int a = 0; a < game::kNumActions; ++a) {
    EXPECT_FLOAT_EQ(result.policy[a], static_cast<float>(result.visits[a]) / total);
  }
}

// Exhaustive max^n on the true deal: every player maximises its own value (State::Values), ties
// to the lowest action id.
std::vector<double> MaxN(const game::State& state) {
  if (state.IsTerminal()) return state.Values(/*relative=*/false);
  std::vector<double> best;
  for (int action : state.LegalActions()) {
    game::State child = state;
    child.ApplyAction(action);
    std::vector<double> values = MaxN(child);
    if (best.empty() || values[state.current_player()] > best[state.current_player()]) {
      best = std::move(values);
    }
  }
  return best;
}

TEST(ImprovedPolicy, PlaysTheExhaustiveMaxNMoveOnSmallEndgames) {
  // Two cards left of a three-card round, perfect information: the tree is small enough to
  // search almost completely, so its completed Q approaches the max^n values of the root's
  // actions, and a large scale makes the improved policy play the best of them.
  core::Rng rng(13);
  int checked = 0;
  for (int i = 0; i < 200 && checked < 15; ++i) {
    const int players = 3 + static_cast<int>(rng.Below(2));
    game::State state(testing::Round(players, 3, static_cast<int>(rng.Below(5)) - 1),
                      static_cast<int>(rng.Below(static_cast<uint32_t>(players))), rng.Next());
    while (!state.IsTerminal() && state.num_tricks_completed() < 1) {
      state.ApplyAction(testing::RandomLegalAction(state, rng));
    }
    if (state.IsTerminal() || state.LegalActions().size() < 2) continue;
    const int me = state.current_player();
    std::vector<std::pair<double, int>> action_values;
    for (int action : state.LegalActions()) {
      game::State child = state;
      child.ApplyAction(action);
      action_values.emplace_back(MaxN(child)[me], action);
    }
    std::sort(action_values.rbegin(), action_values.rend());
    if (action_values[0].first - action_values[1].first < 0.5) continue;  // a clear best move only
    PuctConfig config;
    config.perfect_information = true;
    config.simulations_per_world = 3000;
    config.improved_policy_scale = 1.0;
    search::ConstantEvaluator evaluator(0.0f, /*needs_features=*/false);
    PimcSearch search(config, /*needs_features=*/false);
    EXPECT_EQ(search.Run(state, 7, evaluator).action, action_values[0].second) << "endgame " << i;
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

}  // namespace
}  // namespace blobzero
