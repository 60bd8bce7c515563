// Determinizer: every drawn deal is consistent with the belief, every consistent deal is
// reachable, and the draw is uniform over them.
#include "blobzero/determinize/determinizer.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <stdexcept>

#include "blobzero/belief/belief.h"
#include "blobzero/core/rng.h"
#include "blobzero/game/state.h"
#include "test_util.h"

namespace blobzero {
namespace {

TEST(Determinizer, DrawsOnlyDealsConsistentWithTheBelief) {
  core::Rng rng(1);
  for (const game::RoundRules& rules : testing::RuleVariants()) {
    game::State state(rules, 0, rng.Next());
    const int plays = static_cast<int>(
        rng.Below(static_cast<uint32_t>(rules.num_players * (rules.num_cards + 1))));
    for (int i = 0; i < plays && !state.IsTerminal(); ++i) {
      state.ApplyAction(testing::RandomLegalAction(state, rng));
    }
    const int observer = static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players)));
    const belief::Belief belief = belief::Belief::FromState(state, observer);
    determinize::Determinizer worlds(belief);
    for (int draw = 0; draw < 4; ++draw) {
      const determinize::Hands hands = worlds.Sample(rng);
      game::CardSet dealt;
      for (int seat = 0; seat < rules.num_players; ++seat) {
        ASSERT_EQ(hands[seat].Size(), belief.hand_sizes[seat]);
        ASSERT_TRUE((dealt & hands[seat]).Empty());
        dealt = dealt | hands[seat];
        if (seat == observer) {
          ASSERT_EQ(hands[seat], belief.own_hand);
          continue;
        }
        for (int card : hands[seat]) {
          ASSERT_TRUE(belief.unseen.Contains(card));
          ASSERT_FALSE((belief.voids[seat] >> game::SuitOf(card)) & 1);
        }
      }
      // The world replays the same history: the observer cannot tell it apart.
      const game::State world = state.WithHands(hands);
      ASSERT_EQ(belief::Belief::FromState(world, observer), belief);
    }
  }
}

TEST(Determinizer, DrawsEveryConsistentDealEquallyOften) {
  // A full deck (4 x 13, no stock) played down to three cards a hand: seat 0's opponents
  // share 9 unseen cards, at most 9! / (3! 3! 3!) = 1680 deals, fewer where voids rule some out.
  core::Rng rng(5);
  game::State state(testing::Round(4, 13, 0), 0, 17);
  while (state.phase() != game::Phase::kPlay || state.num_tricks_completed() < 10 ||
         state.current_player() != 0) {
    state.ApplyAction(testing::RandomLegalAction(state, rng));
  }
  determinize::Determinizer worlds(belief::Belief::FromState(state, 0));
  const double expected_deals = worlds.NumConsistentDeals();
  ASSERT_GT(expected_deals, 5);
  std::map<std::array<uint64_t, 3>, int> counts;
  const int draws = 40000;
  for (int i = 0; i < draws; ++i) {
    const determinize::Hands hands = worlds.Sample(rng);
    ++counts[{hands[1].bits(), hands[2].bits(), hands[3].bits()}];
  }
  EXPECT_EQ(static_cast<double>(counts.size()), expected_deals);
  double chi_square = 0;
  const double mean = draws / expected_deals;
  for (const auto& [deal, count] : counts) chi_square += (count - mean) * (count - mean) / mean;
  // Far above the 99.9% point of chi-square with expected_deals - 1 degrees of freedom.
  EXPECT_LT(chi_square, 2.0 * expected_deals + 20.0);
}

TEST(Determinizer, RefusesABeliefNoDealSatisfies) {
  const game::State state(testing::Round(3, 2, 0), 0, 3);
  belief::Belief belief = belief::Belief::FromState(state, 0);
  belief.voids[1] = 15;  // seat 1 holds no suit at all, yet 2 cards
  EXPECT_THROW(determinize::Determinizer{belief}, std::invalid_argument);
}

}  // namespace
}  // namespace blobzero
