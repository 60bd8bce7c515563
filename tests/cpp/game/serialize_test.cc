// Tests of the text form of a round state.
#include "blobzero/game/serialize.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "test_util.h"

namespace blobzero::game {
namespace {

using testing::MakeDeal;
using testing::Play;
using testing::RandomLegalAction;
using testing::Round;
using testing::Throws;

constexpr std::string_view kExample =
    "blobzero.round.v1 players=4 cards=3 trump=S hook=1 scoring=exact dealer=3 turned_up=- "
    "hands=2C,3C,KH|5C,QD,AH|4C,2H,2S|KD,AD,3H actions=b0,b2,b1,b1,KH";

State ExampleState() {
  State state(Round(4, 3, static_cast<int>(Suit::kSpades)),
              MakeDeal(3, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KD"}));
  Play(state, "b0 b2 b1 b1 KH");
  return state;
}

// kExample with `from` replaced by `to` (which must occur).
std::string Edited(std::string_view from, std::string_view to) {
  std::string text(kExample);
  const size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

TEST(Serialize, GivesTheDocumentedText) {
  EXPECT_EQ(Serialize(ExampleState()), kExample);
  EXPECT_EQ(Deserialize(kExample), ExampleState());
}

TEST(Serialize, NoTrumpIsN) {
  const State state(Round(3, 1, kNoTrump), MakeDeal(1, {"2C", "3C", "4C"}));
  EXPECT_TRUE(Serialize(state).starts_with("blobzero.round.v1 players=3 cards=1 trump=N hook=1 "));
  EXPECT_EQ(Deserialize(Serialize(state)), state);
}

TEST(Serialize, TurnedUpCardsAndOtherRules) {
  RoundRules rules = Round(3, 2, kNoTrump, /*hook_rule=*/false, Scoring::kOhHellPenalty);
  rules.turn_up = true;
  const State state(rules, MakeDeal(0, {"2C AS", "3C KS", "4C QS"}, "10h"));
  const std::string text = Serialize(state);
  EXPECT_EQ(text,
            "blobzero.round.v1 players=3 cards=2 trump=up hook=0 "
            "scoring=oh_hell_penalty dealer=0 turned_up=TH hands=2C,AS|3C,KS|4C,QS actions=");
  EXPECT_EQ(Deserialize(text), state);
  EXPECT_EQ(Deserialize(text).trump_suit(), static_cast<int>(Suit::kHearts));
}

TEST(Serialize, TurnUpRoundTripsWhateverTheIgnoredTrumpSuit) {
  // trump_suit is ignored with a turned-up card (a default RoundRules says spades); the state
  // must still round-trip through "trump=up".
  RoundRules rules;
  rules.turn_up = true;
  core::Rng rng(1);
  const State state(rules, RandomDeal(rules, 0, rng));
  EXPECT_EQ(state.rules().trump_suit, kNoTrump);
  EXPECT_EQ(Deserialize(Serialize(state)), state);
  RoundRules other = rules;
  other.trump_suit = static_cast<int>(Suit::kHearts);
  EXPECT_EQ(State(other, state.InitialDeal()), state);
}

TEST(Serialize, RoundTripsRandomStatesOfEveryVariant) {
  core::Rng rng(271828);
  int checked = 0;
  for (const RoundRules& rules : testing::RuleVariants()) {
    State state(rules, static_cast<int>(rng.Below(rules.num_players)), rng.Next());
    while (true) {
      const std::string text = Serialize(state);
      const State back = Deserialize(text);
      ASSERT_EQ(back, state) << text;
      ASSERT_EQ(Serialize(back), text);
      ASSERT_EQ(back.current_player(), state.current_player());
      ASSERT_EQ(back.LegalActions(), state.LegalActions());
      for (int p = 0; p < rules.num_players; ++p) ASSERT_EQ(back.hand(p), state.hand(p));
      ++checked;
      if (state.IsTerminal()) break;
      state.ApplyAction(RandomLegalAction(state, rng));
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(Deserialize, NamesTheMalformedField) {
  auto fails = [](const std::string& text, std::initializer_list<std::string_view> parts) {
    return Throws<std::invalid_argument>([&] { Deserialize(text); }, parts);
  };
  EXPECT_TRUE(fails("", {"must start with 'blobzero.round.v1'"}));
  EXPECT_TRUE(fails(Edited("v1", "v2"), {"must start with 'blobzero.round.v1'"}));
  EXPECT_TRUE(fails(std::string(kExample) + " colour=red", {"unknown field 'colour=red'"}));
  EXPECT_TRUE(fails(std::string(kExample) + " cards", {"unknown field 'cards'"}));
  EXPECT_TRUE(fails(std::string(kExample) + " cards=3", {"field 'cards' appears twice"}));
  EXPECT_TRUE(fails(Edited(" hook=1", ""), {"missing field 'hook'"}));
  EXPECT_TRUE(fails(Edited(" actions=b0,b2,b1,b1,KH", ""), {"missing field 'actions'"}));
  EXPECT_TRUE(
      fails(Edited("players=4", "players=four"), {"field 'players' is not an integer: 'four'"}));
  EXPECT_TRUE(fails(Edited("cards=3", "cards=3x"), {"field 'cards' is not an integer: '3x'"}));
  EXPECT_TRUE(fails(Edited("dealer=3", "dealer="), {"field 'dealer' is not an integer: ''"}));
  EXPECT_TRUE(fails(Edited("trump=S", "trump=up"),
                    {"the rules turn up a trump card but the deal has none"}));
  EXPECT_TRUE(fails(Edited("hook=1", "hook=yes"), {"field 'hook' must be 0 or 1, not 'yes'"}));
  EXPECT_TRUE(fails(Edited("scoring=exact", "scoring=close"), {"unknown scoring 'close'"}));
  EXPECT_TRUE(fails(Edited("trump=S", "trump=X"), {"malformed suit 'X'"}));
  EXPECT_TRUE(fails(Edited("trump=S", "trump=UP"), {"malformed suit 'UP'"}));
  EXPECT_TRUE(fails(Edited("trump=S", "trump=S turn_up=0"), {"unknown field 'turn_up=0'"}));
  EXPECT_TRUE(fails(Edited("players=4", "players=9"), {"num_players = 9"}));
  EXPECT_TRUE(fails(Edited("|KD,AD,3H", ""), {"'hands' lists 3 hands for 4 players"}));
  EXPECT_TRUE(fails(Edited("KD,AD,3H", "KD,AD,3X"), {"malformed card '3X'"}));
  EXPECT_TRUE(fails(Edited("KD,AD,3H", "KD,AD,2C"), {"card 2C is dealt twice"}));
  EXPECT_TRUE(fails(Edited("dealer=3", "dealer=7"), {"dealer 7 is outside 0..3"}));
  EXPECT_TRUE(fails(Edited("turned_up=-", "turned_up=9S"), {"turns up 9S"}));
  EXPECT_TRUE(fails(Edited("b1,b1,KH", "b1,b0,KH"), {"replay action 3: ", "hook rule"}));
  EXPECT_TRUE(fails(Edited("b1,KH", "b1,QD"), {"replay action 4: ", "does not hold QD"}));
  EXPECT_TRUE(fails(Edited("b1,KH", "b1,b19"), {"bid 19 is outside 0..17"}));
  EXPECT_TRUE(fails(Edited("b1,KH", "b1,"), {"malformed card ''"}));
}

}  // namespace
}  // namespace blobzero::game
