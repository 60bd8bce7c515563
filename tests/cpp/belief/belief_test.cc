// Belief: what an observer knows of the hidden cards, from a state and kept up to date action by
// action, and nothing the observer cannot know.
#include "blobzero/belief/belief.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "blobzero/core/rng.h"
#include "blobzero/determinize/determinizer.h"
#include "blobzero/game/state.h"
#include "test_util.h"

namespace blobzero {
namespace {

using belief::Belief;

TEST(Belief, UpdatesAlongARoundEqualTheBeliefOfEachState) {
  core::Rng rng(1);
  for (const game::RoundRules& rules : testing::RuleVariants()) {
    game::State state(rules, static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players))),
                      rng.Next());
    const int observer = static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players)));
    Belief belief = Belief::FromState(state, observer);
    while (!state.IsTerminal()) {
      const int action = testing::RandomLegalAction(state, rng);
      belief.Update(state, action);
      state.ApplyAction(action);
      ASSERT_EQ(belief, Belief::FromState(state, observer));
    }
  }
}

TEST(Belief, HoldsOnlyWhatTheObserverMayKnow) {
  core::Rng rng(2);
  int checked = 0;
  for (const game::RoundRules& rules : testing::RuleVariants()) {
    game::State state(rules, 0, rng.Next());
    const int plays = static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players * 2)));
    for (int i = 0; i < plays && !state.IsTerminal(); ++i) {
      state.ApplyAction(testing::RandomLegalAction(state, rng));
    }
    for (int observer = 0; observer < rules.num_players; ++observer) {
      const Belief belief = Belief::FromState(state, observer);
      EXPECT_EQ(belief.own_hand, state.hand(observer));
      for (int seat = 0; seat < rules.num_players; ++seat) {
        EXPECT_EQ(belief.hand_sizes[seat], state.hand(seat).Size());
        if (seat == observer) continue;
        // Every card an opponent holds is unseen and may be held by that opponent.
        for (int card : state.hand(seat)) {
          EXPECT_TRUE(belief.unseen.Contains(card));
          EXPECT_TRUE((belief.PossibleHolders(card) >> seat) & 1);
        }
      }
      // Another deal the observer cannot tell apart gives the same belief.
      determinize::Determinizer worlds(belief);
      const game::State twin = state.WithHands(worlds.Sample(rng));
      EXPECT_EQ(Belief::FromState(twin, observer), belief);
      ++checked;
    }
  }
  EXPECT_GT(checked, 500);
}

TEST(Belief, AFailureToFollowSuitRevealsAVoid) {
  game::State state(testing::Round(3, 2, game::kNoTrump),
                    testing::MakeDeal(0, {"AS 2H", "KS QS", "3D 4C"}));
  testing::Play(state, "b0 b0 b1 KS");  // seat 1 leads spades
  Belief seen_by_0 = Belief::FromState(state, 0);
  EXPECT_EQ(seen_by_0.voids[2], 0);
  testing::Play(state, "3D");  // seat 2 cannot follow
  seen_by_0 = Belief::FromState(state, 0);
  EXPECT_EQ(seen_by_0.voids[2], 1 << game::SuitOf(game::ParseCard("KS")));
  EXPECT_FALSE((seen_by_0.PossibleHolders(game::ParseCard("JS")) >> 2) & 1);
}

TEST(Belief, FieldsAreValidated) {
  const game::State state(testing::Round(4, 5, 0), 1, 7);
  const Belief belief = Belief::FromState(state, 2);
  Belief bad = belief;
  bad.own_hand.Insert(belief.unseen.Lowest());
  EXPECT_THROW(bad.Validate(), std::invalid_argument);
  bad = belief;
  bad.voids[1] = 16;
  EXPECT_THROW(bad.Validate(), std::invalid_argument);
  bad = belief;
  bad.hand_sizes[2] = 4;  // the observer holds 5
  EXPECT_THROW(bad.Validate(), std::invalid_argument);
  EXPECT_NO_THROW(belief.Validate());
}

}  // namespace
}  // namespace blobzero
