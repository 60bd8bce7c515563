// The C++ side of the public entry points fed random, truncated and mutated input: every
// rejection is a std::invalid_argument or std::out_of_range (which the bindings turn into
// ValueError and IndexError), never a crash or undefined behaviour. Run under AddressSanitizer
// and UBSan by .ci/run; tests/python/test_fuzz.py drives the same entry points from Python.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "blobzero/belief/belief.h"
#include "blobzero/core/rng.h"
#include "blobzero/determinize/determinizer.h"
#include "blobzero/encode/encoder.h"
#include "blobzero/game/cards.h"
#include "blobzero/game/serialize.h"
#include "blobzero/game/state.h"
#include "blobzero/search/ismcts.h"
#include "blobzero/search/pimc.h"
#include "test_util.h"

namespace blobzero {
namespace {

// Runs `fn`; true when it returned, false when it threw one of the documented exceptions. Any
// other exception fails the test.
template <typename Fn>
bool Accepts(Fn&& fn) {
  try {
    fn();
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  } catch (const std::out_of_range&) {
    return false;
  }
}

std::string RandomText(core::Rng& rng, int max_length) {
  static constexpr std::string_view kAlphabet =
      "0123456789 =|,-:.23456789TJQKACDHSxn_abcdefghijklmnopqrstuvwyz\n\t\x7f";
  std::string text(rng.Below(static_cast<uint32_t>(max_length) + 1), ' ');
  for (char& c : text) c = kAlphabet[rng.Below(static_cast<uint32_t>(kAlphabet.size()))];
  return text;
}

game::State RandomState(core::Rng& rng) {
  const int players = 3 + static_cast<int>(rng.Below(6));
  const int cards = 1 + static_cast<int>(rng.Below(6));
  const int trump = static_cast<int>(rng.Below(5)) - 1;  // -1: no trump
  game::State state(testing::Round(players, cards, trump),
                    static_cast<int>(rng.Below(static_cast<uint32_t>(players))), rng.Next());
  const int moves = static_cast<int>(rng.Below(static_cast<uint32_t>(players * (cards + 1))));
  for (int i = 0; i < moves && !state.IsTerminal(); ++i) {
    state.ApplyAction(testing::RandomLegalAction(state, rng));
  }
  return state;
}

TEST(Fuzz, DeserializeTakesRandomTruncatedAndMutatedText) {
  core::Rng rng(1);
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string valid = game::Serialize(RandomState(rng));
    std::string mutated = valid;
    mutated[rng.Below(static_cast<uint32_t>(mutated.size()))] =
        static_cast<char>(32 + rng.Below(95));
    const std::string cut = valid.substr(0, rng.Below(static_cast<uint32_t>(valid.size())));
    for (const std::string& text : {RandomText(rng, 120), cut, mutated}) {
      accepted += Accepts([&] {
        const game::State state = game::Deserialize(text);
        ASSERT_EQ(game::Deserialize(game::Serialize(state)), state);
      });
    }
  }
  EXPECT_GT(accepted, 100);  // some mutations still spell a valid state
}

TEST(Fuzz, CardAndActionParsersTakeAnyText) {
  core::Rng rng(2);
  for (int i = 0; i < 20000; ++i) {
    const std::string text = RandomText(rng, 8);
    Accepts([&] { EXPECT_LT(game::ParseCard(text), game::kNumCards); });
    Accepts([&] { game::ParseCards(text); });
    Accepts([&] { EXPECT_LT(game::State::ParseAction(text), game::kNumActions); });
  }
}

TEST(Fuzz, ActionsAndObserversOutOfRangeAreRefused) {
  core::Rng rng(3);
  for (int i = 0; i < 3000; ++i) {
    game::State state = RandomState(rng);
    const game::State before = state;
    const int action = static_cast<int>(rng.Below(200)) - 50;
    if (!Accepts([&] { state.ApplyAction(action); })) {
      EXPECT_EQ(state, before);
    }
    const int observer = static_cast<int>(rng.Below(20)) - 5;
    std::array<uint8_t, encode::kFeatureSize> features{};
    std::array<uint8_t, encode::kMaskSize> mask{};
    const bool seat = observer >= 0 && observer < state.num_players();
    EXPECT_EQ(Accepts([&] { encode::Encode(state, observer, features.data()); }), seat);
    EXPECT_EQ(Accepts([&] { encode::EncodeActorMask(state, observer, mask.data()); }), seat);
  }
}

TEST(Fuzz, BeliefFieldsAndTheirDeterminizers) {
  core::Rng rng(4);
  int accepted = 0;
  for (int i = 0; i < 5000; ++i) {
    // A consistent belief, then (three times in four) one field changed at random.
    const game::State state = RandomState(rng);
    belief::Belief b = belief::Belief::FromState(
        state, static_cast<int>(rng.Below(static_cast<uint32_t>(state.num_players()))));
    int observer = b.observer;
    int players = b.num_players;
    const int seat = static_cast<int>(rng.Below(game::kMaxPlayers));
    const int card = static_cast<int>(rng.Below(game::kNumCards));
    switch (rng.Below(8)) {
      case 0:
        b.hand_sizes[seat] = static_cast<int8_t>(static_cast<int>(rng.Below(20)) - 3);
        break;
      case 1:
        b.voids[seat] = static_cast<uint8_t>(rng.Below(256));
        break;
      case 2:
        b.own_hand.Insert(card);
        break;
      case 3:
        b.unseen.Insert(card);
        break;
      case 4:
        observer = static_cast<int>(rng.Below(12)) - 2;
        break;
      case 5:
        players = static_cast<int>(rng.Below(12));
        break;
      default:
        break;
    }
    accepted += Accepts([&] {
      const belief::Belief checked = belief::Belief::FromFields(observer, players, b.own_hand,
                                                                b.unseen, b.hand_sizes, b.voids);
      determinize::Determinizer worlds(checked);
      core::Rng sampler(rng.Next());
      worlds.Sample(sampler);
    });
  }
  EXPECT_GT(accepted, 1000);
}

TEST(Fuzz, SearchConfigsAreValidatedBeforeUse) {
  core::Rng rng(5);
  const std::array<double, 6> numbers = {-1.0, 0.0, 0.5, 1.0, 1e300, std::nan("")};
  for (int i = 0; i < 5000; ++i) {
    search::PuctConfig puct;
    puct.num_worlds = static_cast<int>(rng.Below(10000)) - 10;
    puct.simulations_per_world = static_cast<int>(rng.Next() >> 34) - 100;
    puct.leaves_per_tree = static_cast<int>(rng.Below(3000)) - 10;
    puct.c_puct = numbers[rng.Below(static_cast<uint32_t>(numbers.size()))];
    puct.rollout_weight = numbers[rng.Below(static_cast<uint32_t>(numbers.size()))];
    puct.information_set_tree = rng.Below(2) == 0;
    puct.world_critic = rng.Below(2) == 0;
    Accepts([&] { puct.Validate(); });
    search::IsmctsConfig ismcts;
    ismcts.simulations = static_cast<int>(rng.Next() >> 33) - 100;
    ismcts.uct_c = numbers[rng.Below(static_cast<uint32_t>(numbers.size()))];
    Accepts([&] { ismcts.Validate(); });
  }
}

}  // namespace
}  // namespace blobzero
