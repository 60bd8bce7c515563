// Tests of the human-readable text of a round.
#include "blobzero/game/render.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace blobzero::game {
namespace {

using testing::MakeDeal;
using testing::Play;
using testing::Round;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Deal ScriptedDeal() { return MakeDeal(3, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KD"}); }

TEST(Render, FullStateShowsEveryHandBidAndTrick) {
  State state(Round(4, 3, static_cast<int>(Suit::kSpades)), ScriptedDeal());
  std::string text = Render(state);
  EXPECT_TRUE(Has(text, "4 players, 3 cards, trump S, hook on, scoring exact, dealer 3")) << text;
  EXPECT_TRUE(Has(text, "phase bidding, player 0 to act")) << text;
  EXPECT_TRUE(Has(text, "seat 0  bid -  won 0  S:- H:K D:- C:32")) << text;
  EXPECT_TRUE(Has(text, "seat 3  bid -  won 0  S:- H:3 D:AK C:-")) << text;
  Play(state, "b0 b2 b1 b1 KH AH");
  text = Render(state);
  EXPECT_TRUE(Has(text, "seat 1  bid 2  won 0")) << text;
  EXPECT_TRUE(Has(text, "trick led by 0: KH AH")) << text;
  Play(state, "2H 3H QD 2S AD 3C 4C KD 2C 5C");
  text = Render(state);
  EXPECT_TRUE(Has(text, "phase terminal\n")) << text;
  EXPECT_TRUE(Has(text, "seat 1  bid 2  won 2  S:- H:- D:- C:-  score 12")) << text;
}

TEST(Render, ObserverViewHidesOtherHands) {
  State state(Round(4, 3, kNoTrump, /*hook_rule=*/false), ScriptedDeal());
  Play(state, "b0 b2");
  const std::string text = Render(Observe(state, 1));
  EXPECT_TRUE(Has(text, "view of player 1: 4 players, 3 cards, no trump, hook off")) << text;
  EXPECT_TRUE(Has(text, "seat 1  bid 2  won 0  S:- H:A D:Q C:5")) << text;
  EXPECT_TRUE(Has(text, "seat 0  bid 0  won 0  (3 hidden cards)")) << text;
  EXPECT_FALSE(Has(text, "H:K")) << text;  // seat 0's king of hearts stays hidden
}

TEST(Render, TurnedUpTrumpAndPhaseNames) {
  RoundRules rules = Round(4, 1, kNoTrump);
  rules.turn_up = true;
  const State state(rules, MakeDeal(0, {"2C", "3C", "4C", "5C"}, "7D"));
  EXPECT_TRUE(Has(Render(state), "trump D (turned up 7D)")) << Render(state);
  EXPECT_EQ(ToString(Phase::kBidding), "bidding");
  EXPECT_EQ(ToString(Phase::kPlay), "play");
  EXPECT_EQ(ToString(Phase::kTerminal), "terminal");
}

}  // namespace
}  // namespace blobzero::game
