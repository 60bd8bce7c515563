// Information-set PUCT (PuctConfig::information_set_tree) and the actor mask it expands:
// coverage of every consistent world, budget, determinism and information hiding.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <tuple>
#include <utility>
#include <vector>

#include "blobzero/belief/belief.h"
#include "blobzero/core/rng.h"
#include "blobzero/determinize/determinizer.h"
#include "blobzero/encode/encoder.h"
#include "blobzero/game/state.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/search/pimc.h"
#include "test_util.h"

namespace blobzero {
namespace {

using game::State;
using search::PimcSearch;
using search::PuctConfig;

// A random state of `rules` after `plays` random actions.
State RandomState(const game::RoundRules& rules, uint64_t seed, int plays) {
  core::Rng rng(seed);
  State state(rules, static_cast<int>(seed % rules.num_players), rng.Next());
  for (int i = 0; i < plays && !state.IsTerminal(); ++i) {
    state.ApplyAction(testing::RandomLegalAction(state, rng));
  }
  return state;
}

PuctConfig InformationSetConfig(int worlds, int sims) {
  PuctConfig config;
  config.num_worlds = worlds;
  config.simulations_per_world = sims;
  config.information_set_tree = true;
  return config;
}

TEST(ActorMask, CoversTheLegalActionsOfEveryWorldTheObserverCannotRuleOut) {
  core::Rng rng(5);
  int checked = 0;
  for (const game::RoundRules& rules : testing::RuleVariants()) {
    const int total = rules.num_players * (rules.num_cards + 1);
    const State state = RandomState(rules, rng.Next(), static_cast<int>(rng.Below(total)));
    if (state.IsTerminal()) continue;
    uint8_t legal[encode::kMaskSize];
    uint8_t mask[encode::kMaskSize];
    encode::EncodeLegalMask(state, state.current_player(), legal);
    encode::EncodeActorMask(state, state.current_player(), mask);
    EXPECT_EQ(std::memcmp(legal, mask, encode::kMaskSize), 0);
    for (int observer = 0; observer < rules.num_players; ++observer) {
      encode::EncodeActorMask(state, observer, mask);
      determinize::Determinizer worlds(belief::Belief::FromState(state, observer));
      for (int w = 0; w < 8; ++w) {
        const State world = state.WithHands(worlds.Sample(rng));
        uint8_t world_mask[encode::kMaskSize];
        encode::EncodeActorMask(world, observer, world_mask);
        ASSERT_EQ(std::memcmp(world_mask, mask, encode::kMaskSize), 0);
        for (int action : world.LegalActions()) ASSERT_TRUE(mask[action]) << action;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(InformationSetPuct, SpendsWorldsTimesSimulationsInOneTree) {
  const State state = RandomState(testing::Round(4, 5, 3), 11, 6);
  testing::HashEvaluator evaluator;
  PimcSearch search(InformationSetConfig(3, 20), /*needs_features=*/true);
  const search::SearchResult result = search.Run(state, 7, evaluator);
  int visits = 0;
  for (int v : result.visits) visits += v;
  EXPECT_EQ(visits, 3 * 20 - 1);  // the first simulation evaluates the root itself
  EXPECT_EQ(result.num_evaluations + result.cache_hits + result.terminal_leaves, 3 * 20);
  EXPECT_TRUE(state.IsLegal(result.action));
}

TEST(InformationSetPuct, SpendsAtMostMaxEvaluationsAndPlaysOutTheRest) {
  const State state = RandomState(testing::Round(4, 5, 3), 11, 6);
  for (const bool information_set_tree : {true, false}) {
    PuctConfig config = InformationSetConfig(4, 100);
    config.information_set_tree = information_set_tree;
    config.max_evaluations = 25;
    testing::HashEvaluator evaluator;
    PimcSearch search(config, /*needs_features=*/true);
    const search::SearchResult result = search.Run(state, 7, evaluator);
    EXPECT_EQ(result.num_evaluations, 25);
    int visits = 0;
    for (int v : result.visits) visits += v;
    // Every simulation ran: one tree of 400, or 4 of 100 (each root's first evaluates it).
    EXPECT_EQ(visits, information_set_tree ? 4 * 100 - 1 : 4 * (100 - 1));
    EXPECT_TRUE(state.IsLegal(result.action));
  }
}

TEST(InformationSetPuct, IsDeterministicAndReadsOnlyTheSearchersInformation) {
  core::Rng rng(3);
  int compared = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const State state = RandomState(testing::Round(4, 5, static_cast<int>(seed % 5) - 1), seed,
                                    static_cast<int>(4 + seed % 9));
    if (state.IsTerminal() || state.LegalActions().size() < 2) continue;
    determinize::Determinizer worlds(belief::Belief::FromState(state, state.current_player()));
    const State twin = state.WithHands(worlds.Sample(rng));
    // rollout weight, world critic, inference candidates, evaluations
    for (const auto& [rollout_weight, world_critic, inference_candidates, max_evaluations] :
         {std::tuple{0.0, false, 0, 0},
          {0.5, false, 0, 0},
          {0.0, true, 0, 0},
          {0.5, false, 64, 0},
          {0.5, false, 0, 10}}) {
      PuctConfig config = InformationSetConfig(2, 25);
      config.leaves_per_tree = 2;
      config.dirichlet_fraction = 0.25;
      config.rollout_weight = rollout_weight;
      config.world_critic = world_critic;
      config.inference_candidates = inference_candidates;
      config.max_evaluations = max_evaluations;
      testing::HashEvaluator evaluator;
      PimcSearch search(config, /*needs_features=*/true);
      const search::SearchResult a = search.Run(state, 9, evaluator);
      const search::SearchResult b = search.Run(twin, 9, evaluator);
      const search::SearchResult c = search.Run(state, 9, evaluator);
      EXPECT_EQ(a.visits, b.visits);
      EXPECT_EQ(a.root_values, b.root_values);
      EXPECT_EQ(a.visits, c.visits);
      EXPECT_EQ(a.action, b.action);
    }
    ++compared;
  }
  EXPECT_GT(compared, 10);
}

TEST(HolderFeatures, AreTheObservationWithTheHolderOfEveryCardAnotherSeatHolds) {
  core::Rng rng(8);
  int checked = 0;
  for (const game::RoundRules& rules : testing::RuleVariants()) {
    const int total = rules.num_players * (rules.num_cards + 1);
    const State state = RandomState(rules, rng.Next(), static_cast<int>(rng.Below(total)));
    const int p = rules.num_players;
    for (int observer = 0; observer < p; ++observer) {
      uint8_t seen[encode::kFeatureSize];
      uint8_t world[encode::kFeatureSize];
      uint8_t holders[encode::kFeatureSize];
      encode::Encode(state, observer, seen);
      encode::EncodeWorld(state, observer, world);
      encode::EncodeWithHolders(state, observer, holders);
      std::vector<int> holder(game::kNumCards, 0);
      for (int seat = 0; seat < p; ++seat) {
        if (seat == observer) continue;
        for (int card : state.hand(seat)) holder[card] = (seat - observer + p) % p;
      }
      for (int i = 0; i < encode::kFeatureSize; ++i) {
        const int token = i / encode::kNumFields;
        const int field = i % encode::kNumFields;
        if (token < encode::kNumCardTokens && field == 7) {
          ASSERT_EQ(holders[i], seen[i] | (holder[token] << encode::kHolderShift));
          // The world features hold the same cards: location 5 exactly where a holder is set.
          ASSERT_EQ(world[i - 4] == encode::kInOtherHand, holder[token] > 0);
        } else {
          ASSERT_EQ(holders[i], seen[i]) << "token " << token << " field " << field;
        }
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 500);
}

TEST(PuctConfig, RefusesBadSettingsAndConflictingTrees) {
  PuctConfig config;
  config.rollout_weight = 1.5;
  EXPECT_TRUE(
      testing::Throws<std::invalid_argument>([&] { config.Validate(); }, {"rollout_weight"}));
  config.rollout_weight = 0.5;
  config.perfect_information = true;
  config.information_set_tree = true;
  EXPECT_TRUE(
      testing::Throws<std::invalid_argument>([&] { config.Validate(); }, {"exclude each other"}));
  config.perfect_information = false;
  config.information_set_tree = false;
  config.world_critic = true;
  EXPECT_TRUE(testing::Throws<std::invalid_argument>([&] { config.Validate(); },
                                                     {"world_critic needs information_set_tree"}));
  config.world_critic = false;
  config.max_evaluations = -1;
  EXPECT_TRUE(
      testing::Throws<std::invalid_argument>([&] { config.Validate(); }, {"max_evaluations"}));
  config.max_evaluations = 0;
  config.inference_candidates = search::kMaxInferenceCandidates + 1;
  EXPECT_TRUE(
      testing::Throws<std::invalid_argument>([&] { config.Validate(); }, {"inference_candidates"}));
  config.inference_candidates = 8;
  config.bid_spread = 0;
  EXPECT_TRUE(testing::Throws<std::invalid_argument>([&] { config.Validate(); }, {"bid_spread"}));
  config.bid_spread = 1;
  config.perfect_information = true;
  EXPECT_TRUE(
      testing::Throws<std::invalid_argument>([&] { config.Validate(); }, {"inference_candidates"}));
}

}  // namespace
}  // namespace blobzero
