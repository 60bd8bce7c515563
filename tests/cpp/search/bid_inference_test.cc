// Bid inference: the bid model, the likelihood of a world, and that the weighted sampler's
// worlds follow the exact posterior, computed by enumerating every consistent world.
#include "blobzero/search/bid_inference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/game/observation.h"
#include "blobzero/game/state.h"
#include "blobzero/search/bots.h"
#include "test_util.h"

namespace blobzero {
namespace {

using game::State;
using search::BidLikelihood;
using search::BidProbability;
using search::WorldSampler;

TEST(BidModel, IsADistributionOverTheLegalBidsPeakedAtTheExpectedTricks) {
  const uint32_t all = 0b111111;  // bids 0..5
  for (double expected : {0.0, 1.3, 2.5, 4.9}) {
    double total = 0;
    int best = -1;
    for (int b = 0; b <= 5; ++b) {
      total += BidProbability(b, expected, all, 0.8);
      if (best < 0 ||
          BidProbability(b, expected, all, 0.8) > BidProbability(best, expected, all, 0.8)) {
        best = b;
      }
    }
    EXPECT_NEAR(total, 1.0, 1e-12);
    EXPECT_LE(std::abs(best - expected), 0.5 + 1e-12);
  }
  // The hook rule's forbidden bid has no probability; the rest renormalise.
  const uint32_t hooked = all & ~(1u << 2);
  EXPECT_EQ(BidProbability(2, 2.0, hooked, 1.0), 0.0);
  EXPECT_NEAR(BidProbability(1, 2.0, hooked, 1.0), BidProbability(3, 2.0, hooked, 1.0), 1e-12);
  EXPECT_GT(BidProbability(1, 2.0, hooked, 1.0), BidProbability(1, 2.0, all, 1.0));
  EXPECT_EQ(BidProbability(6, 2.0, all, 1.0), 0.0);
  // A wider spread is flatter.
  EXPECT_LT(BidProbability(2, 2.0, all, 2.0), BidProbability(2, 2.0, all, 0.5));
}

TEST(BidModel, ALikelihoodMultipliesTheOpponentsBidsAsEachSawItsHand) {
  // 3 players, 2 cards, hearts trump, dealer 2: seat 0 bids first, then 1, then the dealer.
  const game::RoundRules rules = testing::Round(3, 2, 2);
  State world(rules, testing::MakeDeal(2, {"AH KH", "2C 3D", "AS 4C"}));
  EXPECT_EQ(BidLikelihood(world, 2, 1.0), 1.0);  // nobody has bid
  testing::Play(world, "b2 b0");
  const double expected0 = [&] {
    State at_bid(rules, world.InitialDeal());
    return search::HeuristicBot::ExpectedTricks(game::Observe(at_bid, 0));
  }();
  const double expected1 = [&] {
    State at_bid(rules, world.InitialDeal());
    testing::Play(at_bid, "b2");
    return search::HeuristicBot::ExpectedTricks(game::Observe(at_bid, 1));
  }();
  EXPECT_GT(expected0, 1.2);  // two top trumps
  EXPECT_LT(expected1, 0.3);
  const double want =
      BidProbability(2, expected0, 0b111, 1.0) * BidProbability(0, expected1, 0b111, 1.0);
  EXPECT_NEAR(BidLikelihood(world, 2, 1.0), want, 1e-12);
  // The searcher's own bid does not count.
  EXPECT_NEAR(BidLikelihood(world, 0, 1.0), BidProbability(0, expected1, 0b111, 1.0), 1e-12);
  // Swapping the hands makes those bids unlikely.
  State swapped(rules, testing::MakeDeal(2, {"2C 3D", "AH KH", "AS 4C"}));
  testing::Play(swapped, "b2 b0");
  EXPECT_LT(BidLikelihood(swapped, 2, 1.0), 0.05 * BidLikelihood(world, 2, 1.0));
}

// The sampler's worlds against the exact posterior: 3 players, 1 card, spades trump, the dealer
// (seat 2) to bid after seat 0 bid 1 and seat 1 bid 0. Every consistent world (51 x 50 of them)
// is enumerated with its likelihood.
TEST(WorldSampler, DrawsWorldsFromTheExactPosteriorOfTheBids) {
  const game::RoundRules rules = testing::Round(3, 1, 3);
  State state(rules, testing::MakeDeal(2, {"2H", "3H", "7D"}));
  testing::Play(state, "b1 b0");
  const double spread = 0.5;
  const int searcher = 2;
  const game::CardSet own = state.hand(searcher);
  // P(seat 0 holds a spade) and P(seat 1 holds a spade), exactly.
  double total = 0;
  double spade0 = 0;
  double spade1 = 0;
  int worlds = 0;
  for (int c0 = 0; c0 < game::kNumCards; ++c0) {
    for (int c1 = 0; c1 < game::kNumCards; ++c1) {
      if (c0 == c1 || own.Contains(c0) || own.Contains(c1)) continue;
      std::array<game::CardSet, game::kMaxPlayers> hands{};
      hands[0].Insert(c0);
      hands[1].Insert(c1);
      hands[2] = own;
      const double weight = BidLikelihood(state.WithHands(hands), searcher, spread);
      total += weight;
      if (game::SuitOf(c0) == 3) spade0 += weight;
      if (game::SuitOf(c1) == 3) spade1 += weight;
      ++worlds;
    }
  }
  ASSERT_EQ(worlds, 51 * 50);
  spade0 /= total;
  spade1 /= total;
  // The bids move the posterior well away from the uniform 13/51 = 0.255.
  EXPECT_GT(spade0, 0.35);  // 0.396
  EXPECT_LT(spade1, 0.2);   // 0.178

  core::Rng rng(5);
  int draws = 0;
  int sampled0 = 0;
  int sampled1 = 0;
  for (int s = 0; s < 200; ++s) {
    WorldSampler sampler(state, 4096, spread, rng);
    EXPECT_GT(sampler.EffectiveSampleSize(), 100.0);
    EXPECT_LT(sampler.EffectiveSampleSize(), 4096.0);
    for (int k = 0; k < 100; ++k) {
      const determinize::Hands hands = sampler.Sample(rng);
      EXPECT_EQ(hands[searcher], own);
      sampled0 += game::SuitOf(hands[0].Lowest()) == 3;
      sampled1 += game::SuitOf(hands[1].Lowest()) == 3;
      ++draws;
    }
  }
  EXPECT_NEAR(static_cast<double>(sampled0) / draws, spade0, 0.015);
  EXPECT_NEAR(static_cast<double>(sampled1) / draws, spade1, 0.015);

  // Without candidates the draws are uniform.
  WorldSampler uniform(state, 0, spread, rng);
  EXPECT_EQ(uniform.EffectiveSampleSize(), 0.0);
  int uniform0 = 0;
  for (int k = 0; k < 20000; ++k) uniform0 += game::SuitOf(uniform.Sample(rng)[0].Lowest()) == 3;
  EXPECT_NEAR(uniform0 / 20000.0, 13.0 / 51.0, 0.015);
}

TEST(WorldSampler, RefusesBadSettings) {
  const State state(testing::Round(4, 5, 0), 0, 1);
  core::Rng rng(1);
  EXPECT_TRUE(testing::Throws<std::invalid_argument>([&] { WorldSampler(state, -1, 1.0, rng); },
                                                     {"candidates"}));
  EXPECT_TRUE(testing::Throws<std::invalid_argument>([&] { WorldSampler(state, 8, 0.0, rng); },
                                                     {"spread"}));
}

}  // namespace
}  // namespace blobzero
