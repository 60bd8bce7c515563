// PIMC-PUCT (the default tree shape): its budget, legal and reproducible choices, the values it
// backs up, and that it reads nothing the searcher cannot know.
#include "blobzero/search/pimc.h"

#include <gtest/gtest.h>

#include <numeric>

#include "blobzero/belief/belief.h"
#include "blobzero/core/rng.h"
#include "blobzero/determinize/determinizer.h"
#include "blobzero/game/state.h"
#include "blobzero/search/evaluator.h"
#include "test_util.h"

namespace blobzero {
namespace {

using search::PimcSearch;
using search::PuctConfig;

game::State RandomState(core::Rng& rng) {
  const int players = 3 + static_cast<int>(rng.Below(4));
  game::State state(testing::Round(players, 4, static_cast<int>(rng.Below(5)) - 1),
                    static_cast<int>(rng.Below(static_cast<uint32_t>(players))), rng.Next());
  const int plays = static_cast<int>(rng.Below(static_cast<uint32_t>(players * 4)));
  for (int i = 0; i < plays && !state.IsTerminal(); ++i) {
    state.ApplyAction(testing::RandomLegalAction(state, rng));
  }
  return state;
}

PuctConfig Config(int worlds, int sims) {
  PuctConfig config;
  config.num_worlds = worlds;
  config.simulations_per_world = sims;
  return config;
}

TEST(PimcPuct, SpendsItsBudgetInEveryWorldAndChoosesALegalAction) {
  core::Rng rng(1);
  for (int i = 0; i < 40; ++i) {
    const game::State state = RandomState(rng);
    if (state.IsTerminal()) continue;
    testing::HashEvaluator evaluator;
    PimcSearch search(Config(3, 16), /*needs_features=*/true);
    const search::SearchResult result = search.Run(state, rng.Next(), evaluator);
    const int visits = std::accumulate(result.visits.begin(), result.visits.end(), 0);
    // Each world's first simulation evaluates its root; the rest pass one of its children.
    EXPECT_EQ(visits, 3 * (16 - 1));
    EXPECT_EQ(result.num_evaluations + result.cache_hits + result.terminal_leaves, 3 * 16);
    EXPECT_TRUE(state.IsLegal(result.action));
    for (int a = 0; a < game::kNumActions; ++a) {
      if (result.visits[a] > 0) {
        EXPECT_TRUE(state.IsLegal(a)) << a;
      }
    }
    EXPECT_EQ(static_cast<int>(result.root_values.size()), state.num_players());
  }
}

TEST(PimcPuct, IsReproducibleAndReadsOnlyTheSearchersInformation) {
  core::Rng rng(2);
  int compared = 0;
  for (int i = 0; i < 30; ++i) {
    const game::State state = RandomState(rng);
    if (state.IsTerminal()) continue;
    determinize::Determinizer worlds(belief::Belief::FromState(state, state.current_player()));
    const game::State twin = state.WithHands(worlds.Sample(rng));
    PuctConfig config = Config(3, 20);
    config.leaves_per_tree = 2;
    config.dirichlet_fraction = 0.25;
    for (const bool rollouts : {false, true}) {
      config.rollout_weight = rollouts ? 0.5 : 0.0;
      testing::HashEvaluator evaluator;
      PimcSearch search(config, /*needs_features=*/true);
      const search::SearchResult a = search.Run(state, 11, evaluator);
      const search::SearchResult b = search.Run(twin, 11, evaluator);
      const search::SearchResult c = search.Run(state, 11, evaluator);
      EXPECT_EQ(a.visits, b.visits);
      EXPECT_EQ(a.root_values, b.root_values);
      EXPECT_EQ(a.visits, c.visits);
    }
    ++compared;
  }
  EXPECT_GT(compared, 20);
}

TEST(PimcPuct, FindsTheBidThatIsMadeInEveryWorld) {
  // The dealer (seat 0, bidding last, no hook rule) holds the ace of trumps in a one-card
  // round: it wins the trick in every world, so only a bid of 1 is made.
  game::State state(testing::Round(4, 1, game::SuitOf(game::ParseCard("AS")), /*hook_rule=*/false),
                    testing::MakeDeal(0, {"AS", "2C", "3C", "4C"}));
  testing::Play(state, "b0 b0 b0");
  ASSERT_EQ(state.current_player(), 0);
  search::RolloutEvaluator evaluator(3);
  PimcSearch search(Config(4, 60), /*needs_features=*/false);
  EXPECT_EQ(search.Run(state, 5, evaluator).action, game::BidAction(1));
}

}  // namespace
}  // namespace blobzero
