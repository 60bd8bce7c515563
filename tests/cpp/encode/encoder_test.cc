// The encoder: the features hold what the observer may know and nothing else, world features
// add exactly the other hands, and the legal mask is the observer's legal actions.
#include "blobzero/encode/encoder.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "blobzero/belief/belief.h"
#include "blobzero/core/rng.h"
#include "blobzero/determinize/determinizer.h"
#include "blobzero/game/state.h"
#include "test_util.h"

namespace blobzero {
namespace {

using Features = std::array<uint8_t, encode::kFeatureSize>;

game::State RandomState(const game::RoundRules& rules, core::Rng& rng) {
  game::State state(rules, static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players))),
                    rng.Next());
  const int plays =
      static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players * (rules.num_cards + 1))));
  for (int i = 0; i < plays && !state.IsTerminal(); ++i) {
    state.ApplyAction(testing::RandomLegalAction(state, rng));
  }
  return state;
}

TEST(Encoder, DealsTheObserverCannotTellApartEncodeIdentically) {
  core::Rng rng(1);
  int differing_worlds = 0;
  for (const game::RoundRules& rules : testing::RuleVariants()) {
    const game::State state = RandomState(rules, rng);
    const int observer = static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players)));
    determinize::Determinizer worlds(belief::Belief::FromState(state, observer));
    const game::State twin = state.WithHands(worlds.Sample(rng));
    Features a{}, b{}, world_a{}, world_b{};
    encode::Encode(state, observer, a.data());
    encode::Encode(twin, observer, b.data());
    ASSERT_EQ(a, b);
    ASSERT_EQ(encode::HashFeatures(a.data()), encode::HashFeatures(b.data()));
    // World features see the other hands: they differ wherever the deals do.
    encode::EncodeWorld(state, observer, world_a.data());
    encode::EncodeWorld(twin, observer, world_b.data());
    bool same_hands = true;
    for (int seat = 0; seat < rules.num_players; ++seat) {
      same_hands = same_hands && state.hand(seat) == twin.hand(seat);
    }
    ASSERT_EQ(world_a == world_b, same_hands);
    differing_worlds += !same_hands;
  }
  EXPECT_GT(differing_worlds, 100);
}

TEST(Encoder, TheMaskIsTheObserversLegalActions) {
  core::Rng rng(2);
  for (const game::RoundRules& rules : testing::RuleVariants()) {
    const game::State state = RandomState(rules, rng);
    for (int observer = 0; observer < rules.num_players; ++observer) {
      std::array<uint8_t, encode::kMaskSize> mask{};
      encode::EncodeLegalMask(state, observer, mask.data());
      const bool to_act = !state.IsTerminal() && state.current_player() == observer;
      for (int action = 0; action < encode::kMaskSize; ++action) {
        ASSERT_EQ(mask[action] == 1, to_act && state.IsLegal(action)) << action;
      }
    }
  }
}

TEST(Encoder, EveryFieldStaysWithinItsDocumentedRange) {
  core::Rng rng(3);
  for (const game::RoundRules& rules : testing::RuleVariants()) {
    const game::State state = RandomState(rules, rng);
    Features f{};
    encode::EncodeWorld(state, 0, f.data());
    for (int card = 0; card < encode::kNumCardTokens; ++card) {
      const uint8_t* t = f.data() + card * encode::kNumFields;
      ASSERT_LE(t[0], 12);
      ASSERT_LE(t[1], 3);
      ASSERT_LE(t[3], encode::kInOtherHand);
      ASSERT_LE(t[4], encode::kNotPlayedSeat);
      ASSERT_LE(t[5], encode::kNotPlayedTrick);
      ASSERT_LE(t[7], 1);
    }
    const uint8_t* g = f.data() + encode::kGlobalToken * encode::kNumFields;
    ASSERT_EQ(g[1], rules.num_cards);
    ASSERT_EQ(g[2], rules.num_players);
  }
}

}  // namespace
}  // namespace blobzero
