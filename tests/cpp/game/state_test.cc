// Tests of the round state: deal validation, bidding with the hook rule, trick play, voids,
// scoring, error messages, random playouts with invariants, and value semantics.
#include "blobzero/game/state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_util.h"

namespace blobzero::game {
namespace {

using testing::MakeDeal;
using testing::Play;
using testing::RandomLegalAction;
using testing::Round;
using testing::Throws;

constexpr int kClubs = static_cast<int>(Suit::kClubs);
constexpr int kDiamonds = static_cast<int>(Suit::kDiamonds);
constexpr int kHearts = static_cast<int>(Suit::kHearts);
constexpr int kSpades = static_cast<int>(Suit::kSpades);

int C(std::string_view text) { return ParseCard(text); }

std::vector<int> Cards(std::string_view text) { return ParseCards(text).ToVector(); }

// A 4-player, 3-card spades round with dealer 3 whose play is scripted in the tests below:
//   trick 0, led by 0:  KH AH 2H 3H   -> 1 (highest of the led suit)
//   trick 1, led by 1:  QD 2S AD 3C   -> 2 (a trump beats the led suit; 3C is a discard)
//   trick 2, led by 2:  4C KD 2C 5C   -> 1 (the off-suit KD loses to the led suit)
Deal ScriptedDeal() { return MakeDeal(3, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KD"}); }
constexpr std::string_view kScriptedBids = "b0 b2 b1 b1";
constexpr std::string_view kScriptedPlay = "KH AH 2H 3H QD 2S AD 3C 4C KD 2C 5C";

// The winner of a complete trick by the rules, computed independently of State.
int ReferenceWinner(const std::vector<int>& cards, int leader, int trump, int num_players) {
  int best = 0;
  for (int i = 1; i < static_cast<int>(cards.size()); ++i) {
    const int card = cards[i], top = cards[best];
    const bool card_trump = SuitOf(card) == trump, top_trump = SuitOf(top) == trump;
    if (card_trump && !top_trump) {
      best = i;
    } else if (card_trump == top_trump && SuitOf(card) == SuitOf(top) &&
               RankOf(card) > RankOf(top)) {
      best = i;
    }
  }
  return (leader + best) % num_players;
}

TEST(State, StartsInBiddingLeftOfTheDealer) {
  const State state(Round(4, 3, kSpades), ScriptedDeal());
  EXPECT_EQ(state.phase(), Phase::kBidding);
  EXPECT_FALSE(state.IsTerminal());
  EXPECT_EQ(state.dealer(), 3);
  EXPECT_EQ(state.current_player(), 0);
  EXPECT_EQ(state.trump_suit(), kSpades);
  EXPECT_EQ(state.turned_up(), kNoCard);
  EXPECT_EQ(state.num_players(), 4);
  EXPECT_EQ(state.num_cards(), 3);
  EXPECT_EQ(state.LegalActions(), (std::vector<int>{52, 53, 54, 55}));
  EXPECT_EQ(state.LegalBids(), 0b1111u);
  EXPECT_TRUE(state.LegalCards().Empty());
  EXPECT_EQ(state.HookForbiddenBid(), kNoBid);
  EXPECT_EQ(state.led_suit(), -1);
  EXPECT_EQ(state.num_actions(), 0);
  EXPECT_TRUE(state.History().empty());
  EXPECT_TRUE(state.played().Empty());
  EXPECT_TRUE(state.CurrentTrick().empty());
  for (int p = 0; p < 4; ++p) {
    EXPECT_EQ(state.bid(p), kNoBid);
    EXPECT_EQ(state.tricks_won(p), 0);
    EXPECT_EQ(state.voids(p), 0);
    EXPECT_EQ(state.hand(p), ScriptedDeal().hands[p]);
    EXPECT_EQ(state.initial_hand(p), ScriptedDeal().hands[p]);
  }
  EXPECT_EQ(state.InitialDeal(), ScriptedDeal());
  // Dealer 1 of 5: seat 2 bids first.
  EXPECT_EQ(
      State(Round(5, 1, kSpades), MakeDeal(1, {"2C", "3C", "4C", "5C", "6C"})).current_player(), 2);
  // The last seat deals: seat 0 bids first.
  EXPECT_EQ(State(Round(3, 1, kSpades), MakeDeal(2, {"2C", "3C", "4C"})).current_player(), 0);
}

TEST(State, ScriptedRoundTricksVoidsAndScores) {
  State state(Round(4, 3, kSpades), ScriptedDeal());
  Play(state, "b0 b2 b1");
  EXPECT_EQ(state.current_player(), 3);
  // The dealer may not bid 0: the bids would sum to 3.
  EXPECT_EQ(state.HookForbiddenBid(), 0);
  EXPECT_EQ(state.LegalBids(), 0b1110u);
  Play(state, "b1");
  EXPECT_EQ(state.phase(), Phase::kPlay);
  EXPECT_EQ(state.current_player(), 0);
  EXPECT_EQ(state.trick_leader(0), 0);
  EXPECT_EQ(state.HookForbiddenBid(), kNoBid);
  EXPECT_EQ(state.LegalBids(), 0u);
  EXPECT_EQ(state.LegalCards(), state.hand(0));  // the leader may lead anything
  EXPECT_EQ(state.LegalActions(), Cards("2C 3C KH"));

  Play(state, "KH");
  EXPECT_EQ(state.led_suit(), kHearts);
  EXPECT_EQ(state.num_cards_in_trick(), 1);
  EXPECT_EQ(state.current_player(), 1);
  EXPECT_EQ(state.LegalActions(), Cards("AH"));  // must follow hearts
  EXPECT_TRUE(
      Throws<std::out_of_range>([&] { state.trick_winner(0); }, {"trick 0 is not complete"}));
  Play(state, "AH 2H");
  EXPECT_EQ(state.CurrentTrick(), (std::vector<int>{C("KH"), C("AH"), C("2H")}));
  EXPECT_EQ(state.trick_cards(0), state.CurrentTrick());
  Play(state, "3H");
  EXPECT_EQ(state.num_tricks_completed(), 1);
  EXPECT_EQ(state.trick_winner(0), 1);  // highest card of the led suit
  EXPECT_EQ(state.current_player(), 1);
  EXPECT_EQ(state.trick_leader(1), 1);
  EXPECT_TRUE(state.CurrentTrick().empty());
  EXPECT_EQ(state.led_suit(), -1);
  EXPECT_EQ(state.trick_cards(0), (std::vector<int>{C("KH"), C("AH"), C("2H"), C("3H")}));

  Play(state, "QD");
  EXPECT_EQ(state.LegalActions(), Cards("2S 4C"));  // seat 2 has no diamond: anything goes
  Play(state, "2S AD");
  EXPECT_EQ(state.LegalActions(), Cards("2C 3C"));
  Play(state, "3C");
  EXPECT_EQ(state.trick_winner(1), 2);  // the lone trump beats the ace of the led suit
  EXPECT_EQ(state.voids(0), 1 << kDiamonds);
  EXPECT_EQ(state.voids(2), 1 << kDiamonds);
  EXPECT_EQ(state.voids(1), 0);
  EXPECT_EQ(state.voids(3), 0);

  Play(state, "4C KD 2C 5C");
  EXPECT_EQ(state.trick_winner(2), 1);  // KD is a discard: 5C is the highest club
  EXPECT_EQ(state.voids(3), 1 << kClubs);
  EXPECT_TRUE(state.IsTerminal());
  EXPECT_EQ(state.phase(), Phase::kTerminal);
  EXPECT_EQ(state.current_player(), kNoPlayer);
  EXPECT_TRUE(state.LegalActions().empty());
  EXPECT_TRUE(state.LegalMask().none());
  EXPECT_EQ(state.num_tricks_completed(), 3);
  EXPECT_EQ(state.num_actions(), 16);
  EXPECT_EQ(state.played(), ScriptedDeal().hands[0] | ScriptedDeal().hands[1] |
                                ScriptedDeal().hands[2] | ScriptedDeal().hands[3]);
  for (int p = 0; p < 4; ++p) EXPECT_TRUE(state.hand(p).Empty());
  EXPECT_EQ(state.tricks_won(0), 0);
  EXPECT_EQ(state.tricks_won(1), 2);
  EXPECT_EQ(state.tricks_won(2), 1);
  EXPECT_EQ(state.tricks_won(3), 0);
  EXPECT_EQ(state.Scores(), (std::vector<int>{10, 12, 11, 0}));
  const std::vector<double> values = state.Values();
  ASSERT_EQ(values.size(), 4u);
  EXPECT_DOUBLE_EQ(values[0], 2.0 * 10 / 13 - 1);
  EXPECT_DOUBLE_EQ(values[1], 2.0 * 12 / 13 - 1);
  EXPECT_DOUBLE_EQ(values[2], 2.0 * 11 / 13 - 1);
  EXPECT_DOUBLE_EQ(values[3], -1.0);
  const std::vector<double> relative = state.Values(/*relative=*/true);
  for (int p = 0; p < 4; ++p) {
    double others = 0;
    for (int q = 0; q < 4; ++q) others += q == p ? 0 : values[q];
    EXPECT_DOUBLE_EQ(relative[p], values[p] - others / 3);
  }
  const std::vector<int> expected_history = {52,      54,      53,      53,      C("KH"), C("AH"),
                                             C("2H"), C("3H"), C("QD"), C("2S"), C("AD"), C("3C"),
                                             C("4C"), C("KD"), C("2C"), C("5C")};
  EXPECT_EQ(state.History(), expected_history);
  EXPECT_EQ(state.trick_cards(2), (std::vector<int>{C("4C"), C("KD"), C("2C"), C("5C")}));
  EXPECT_EQ(state.trick_leader(2), 2);
}

TEST(State, ScriptedRoundPlaysTheSameFromItsTranscript) {
  State state(Round(4, 3, kSpades), ScriptedDeal());
  Play(state, kScriptedBids);
  Play(state, kScriptedPlay);
  EXPECT_TRUE(state.IsTerminal());
  EXPECT_EQ(state.Scores(), (std::vector<int>{10, 12, 11, 0}));
}

TEST(State, NoTrumpDiscardsNeverWin) {
  State state(Round(4, 3, kNoTrump), ScriptedDeal());
  Play(state, kScriptedBids);
  Play(state, "KH AH 2H 3H QD 2S AD 3C");
  EXPECT_EQ(state.trick_winner(1), 3);  // 2S is only a discard without trump: AD wins
  EXPECT_EQ(state.current_player(), 3);
  EXPECT_EQ(state.LegalActions(), Cards("KD"));
  Play(state, "KD 2C 5C 4C");
  EXPECT_EQ(state.trick_winner(2), 3);
  EXPECT_EQ(state.tricks_won(3), 2);
  EXPECT_EQ(state.tricks_won(1), 1);
  EXPECT_EQ(state.voids(0), (1 << kDiamonds));
  EXPECT_EQ(state.voids(1), (1 << kDiamonds));
  EXPECT_EQ(state.voids(2), (1 << kDiamonds));
}

TEST(State, HigherTrumpBeatsLowerTrumpAndTrumpLeadsWin) {
  // 4 players, 1 card each, hearts trump, dealer 3.
  State overtrump(Round(4, 1, kHearts, /*hook_rule=*/false), MakeDeal(3, {"5C", "2H", "9H", "AC"}));
  Play(overtrump, "b0 b0 b0 b0 5C 2H 9H AC");
  EXPECT_EQ(overtrump.trick_winner(0), 2);
  EXPECT_EQ(overtrump.Scores(), (std::vector<int>{10, 10, 0, 10}));

  State trump_lead(Round(4, 1, kHearts, false), MakeDeal(3, {"2H", "AC", "AD", "AS"}));
  Play(trump_lead, "b1 b0 b0 b0 2H AC AD AS");
  EXPECT_EQ(trump_lead.trick_winner(0), 0);
  EXPECT_EQ(trump_lead.Scores(), (std::vector<int>{11, 10, 10, 10}));

  // The first trump played after the lead beats a higher card of the led suit played later.
  State late(Round(4, 1, kClubs, false), MakeDeal(0, {"AD", "KD", "2C", "3D"}));
  Play(late, "b0 b0 b0 b0 KD 2C 3D AD");  // seat 1 leads (dealer 0)
  EXPECT_EQ(late.trick_winner(0), 2);
}

TEST(State, TurnedUpCardSetsTrump) {
  RoundRules rules = Round(4, 1, kNoTrump, false);
  rules.turn_up = true;
  State state(rules, MakeDeal(3, {"5C", "2D", "AC", "KH"}, "7D"));
  EXPECT_EQ(state.trump_suit(), kDiamonds);
  EXPECT_EQ(state.turned_up(), C("7D"));
  EXPECT_EQ(state.InitialDeal().turned_up, C("7D"));
  Play(state, "b0 b1 b0 b0 5C 2D AC KH");
  EXPECT_EQ(state.trick_winner(0), 1);
  EXPECT_FALSE(state.played().Contains(C("7D")));
  EXPECT_EQ(state.Scores(), (std::vector<int>{10, 11, 10, 10}));
}

TEST(HookRule, ForbidsTheDealerTheBidThatMakesTheSumEqualN) {
  const RoundRules rules = Round(4, 2, kSpades);
  const Deal deal = MakeDeal(3, {"2C 3C", "4C 5C", "6C 7C", "8C 9C"});
  State state(rules, deal);
  Play(state, "b1");
  EXPECT_EQ(state.HookForbiddenBid(), kNoBid);  // only the dealer is restricted
  Play(state, "b0 b0");
  EXPECT_EQ(state.current_player(), 3);
  EXPECT_EQ(state.HookForbiddenBid(), 1);
  EXPECT_EQ(state.LegalBids(), 0b101u);
  EXPECT_EQ(state.LegalActions(), (std::vector<int>{BidAction(0), BidAction(2)}));
  EXPECT_FALSE(state.IsLegal(BidAction(1)));
  EXPECT_TRUE(state.IsLegal(BidAction(0)));
  EXPECT_TRUE(state.IsLegal(BidAction(2)));
  EXPECT_FALSE(state.IsLegal(BidAction(3)));
  EXPECT_FALSE(state.LegalMask().test(BidAction(1)));
  EXPECT_EQ(state.LegalMask().count(), 2u);
  const State before = state;
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] { state.ApplyAction(BidAction(1)); },
      {"hook rule", "dealer (player 3)", "may not bid 1", "sum to 2"}));
  EXPECT_EQ(state, before);  // a rejected action changes nothing
  EXPECT_EQ(state.current_player(), 3);

  // Bids already summing past n: nothing is forbidden.
  State over(rules, deal);
  Play(over, "b2 b2 b0");
  EXPECT_EQ(over.HookForbiddenBid(), kNoBid);
  EXPECT_EQ(over.LegalBids(), 0b111u);
  // Bids summing to n: the dealer may not bid 0.
  State exact(rules, deal);
  Play(exact, "b1 b1 b0");
  EXPECT_EQ(exact.HookForbiddenBid(), 0);
  EXPECT_EQ(exact.LegalBids(), 0b110u);
  // Without the hook rule every bid 0..n is legal for the dealer.
  State free(Round(4, 2, kSpades, /*hook_rule=*/false), deal);
  Play(free, "b1 b0 b0");
  EXPECT_EQ(free.HookForbiddenBid(), kNoBid);
  EXPECT_EQ(free.LegalBids(), 0b111u);
  Play(free, "b1");
  EXPECT_EQ(free.phase(), Phase::kPlay);
  EXPECT_EQ(free.bid(3), 1);
}

TEST(ApplyAction, ErrorMessagesNameTheProblem) {
  State state(Round(4, 3, kSpades), ScriptedDeal());
  EXPECT_TRUE(
      Throws<std::out_of_range>([&] { state.ApplyAction(-1); }, {"action -1 is outside 0..69"}));
  EXPECT_TRUE(
      Throws<std::out_of_range>([&] { state.ApplyAction(70); }, {"action 70 is outside 0..69"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] { state.ApplyAction(C("AS")); }, {"card AS played during bidding", "player 0 must bid"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { state.ApplyAction(BidAction(4)); },
                                            {"player 0 bids 4, more than the 3 cards"}));
  EXPECT_TRUE(
      Throws<std::invalid_argument>([&] { state.ApplyAction(BidAction(17)); }, {"bids 17"}));
  Play(state, kScriptedBids);
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { state.ApplyAction(BidAction(1)); },
                                            {"bid 1 during play", "player 0 must play a card"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { state.ApplyAction(C("AS")); },
                                            {"player 0 does not hold AS"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { state.ApplyAction(C("AH")); },
                                            {"player 0 does not hold AH"}));
  Play(state, "KH");
  const State before = state;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { state.ApplyAction(C("QD")); },
                                            {"player 1 must follow suit H", "cannot play QD"}));
  EXPECT_EQ(state, before);
  EXPECT_EQ(state.hand(1), ScriptedDeal().hands[1]);
  Play(state, "AH 2H 3H QD 2S AD 3C 4C KD 2C 5C");
  ASSERT_TRUE(state.IsTerminal());
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { state.ApplyAction(BidAction(0)); },
                                            {"action bid 0 after the round is over"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { state.ApplyAction(C("2C")); },
                                            {"action 2C after the round is over"}));
  for (int action = -1; action <= kNumActions; ++action) EXPECT_FALSE(state.IsLegal(action));
}

TEST(State, AccessorsRejectBadSeatsAndTricks) {
  State state(Round(4, 3, kSpades), ScriptedDeal());
  EXPECT_TRUE(Throws<std::out_of_range>([&] { state.hand(4); }, {"player 4 is outside 0..3"}));
  EXPECT_TRUE(Throws<std::out_of_range>([&] { state.hand(-1); }, {"player -1 is outside 0..3"}));
  EXPECT_TRUE(Throws<std::out_of_range>([&] { state.initial_hand(4); }, {"player 4"}));
  EXPECT_TRUE(Throws<std::out_of_range>([&] { state.bid(7); }, {"player 7"}));
  EXPECT_TRUE(Throws<std::out_of_range>([&] { state.tricks_won(4); }, {"player 4"}));
  EXPECT_TRUE(Throws<std::out_of_range>([&] { state.voids(-3); }, {"player -3"}));
  EXPECT_TRUE(
      Throws<std::out_of_range>([&] { state.trick_leader(0); }, {"trick 0 has not started"}));
  EXPECT_TRUE(
      Throws<std::out_of_range>([&] { state.trick_cards(0); }, {"trick 0 has not started"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { state.Scores(); },
                                            {"scores are only defined once the round is over"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { state.Values(); }, {"once the round is over"}));
  Play(state, kScriptedBids);
  EXPECT_EQ(state.trick_leader(0), 0);
  EXPECT_TRUE(state.trick_cards(0).empty());
  EXPECT_TRUE(
      Throws<std::out_of_range>([&] { state.trick_leader(1); }, {"trick 1 has not started"}));
  EXPECT_TRUE(
      Throws<std::out_of_range>([&] { state.trick_winner(0); }, {"trick 0 is not complete"}));
  EXPECT_TRUE(Throws<std::out_of_range>([&] { state.trick_winner(-1); }, {"trick -1"}));
}

TEST(DealValidation, RejectsBadDealsNamingTheProblem) {
  const RoundRules rules = Round(4, 3, kSpades);
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        State(rules, MakeDeal(3, {"KH 3C 2C", "AH QD", "2H 2S 4C", "3H AD KD"}));
      },
      {"the hand of player 1 has 2 cards; the round deals 3"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        State(rules, MakeDeal(3, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C"}));
      },
      {"the hand of player 3 has 0 cards"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        State(rules, MakeDeal(3, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KH"}));
      },
      {"card KH is dealt twice"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        State(rules, MakeDeal(3, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KD", "9S"}));
      },
      {"the deal gives cards to seat 4 but only 4 players sit at the table"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        State(rules, MakeDeal(4, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KD"}));
      },
      {"dealer 4 is outside 0..3"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        State(rules, MakeDeal(-1, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KD"}));
      },
      {"dealer -1 is outside 0..3"}));
  Deal bad_id = ScriptedDeal();
  bad_id.hands[2] = CardSet((uint64_t{1} << 60) | ParseCards("2H 2S").bits());
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { State(rules, bad_id); },
                                            {"the hand of player 2 holds an invalid card id"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        State(rules, MakeDeal(3, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KD"}, "7D"));
      },
      {"the deal turns up 7D but the rules fix the trump (turn_up is off)"}));
  Deal bad_turn_up = ScriptedDeal();
  bad_turn_up.turned_up = 60;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { State(rules, bad_turn_up); },
                                            {"the deal turns up card 60"}));

  RoundRules turn_up = rules;
  turn_up.turn_up = true;
  EXPECT_TRUE(
      Throws<std::invalid_argument>([&] { State(turn_up, ScriptedDeal()); },
                                    {"the rules turn up a trump card but the deal has none"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        State(turn_up, MakeDeal(3, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KD"}, "QD"));
      },
      {"the turned-up card QD is also in a hand"}));
  EXPECT_NO_THROW(
      State(turn_up, MakeDeal(3, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KD"}, "AS")));

  EXPECT_TRUE(Throws<std::invalid_argument>([&] { State(Round(2, 3, kSpades), ScriptedDeal()); },
                                            {"num_players = 2"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { State(Round(4, 3, 9), ScriptedDeal()); },
                                            {"trump_suit = 9"}));
}

TEST(Replay, ReplaysValidHistoriesAndNamesTheBadAction) {
  const RoundRules rules = Round(4, 3, kSpades);
  State played(rules, ScriptedDeal());
  Play(played, kScriptedBids);
  Play(played, "KH AH");
  const State replayed = State::Replay(rules, ScriptedDeal(), played.History());
  EXPECT_EQ(replayed, played);
  EXPECT_EQ(replayed.current_player(), 2);
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        State::Replay(rules, ScriptedDeal(), {52, 54, 53, 52});
      },
      {"replay action 3: ", "hook rule", "may not bid 0"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        State::Replay(rules, ScriptedDeal(), {52, 54, 53, 53, C("KH"), C("QD")});
      },
      {"replay action 5: ", "must follow suit H"}));
}

TEST(ActionText, PrintsAndParsesCardsAndBids) {
  EXPECT_EQ(State::ActionToString(51), "AS");
  EXPECT_EQ(State::ActionToString(0), "2C");
  EXPECT_EQ(State::ActionToString(52), "bid 0");
  EXPECT_EQ(State::ActionToString(69), "bid 17");
  for (int action = 0; action < kNumActions; ++action) {
    EXPECT_EQ(State::ParseAction(State::ActionToString(action)), action);
  }
  EXPECT_EQ(State::ParseAction("b2"), BidAction(2));
  EXPECT_EQ(State::ParseAction("B17"), BidAction(17));
  EXPECT_EQ(State::ParseAction("BID 10"), BidAction(10));
  EXPECT_EQ(State::ParseAction("10h"), C("TH"));
  EXPECT_TRUE(
      Throws<std::out_of_range>([] { State::ActionToString(70); }, {"action 70 is outside 0..69"}));
  EXPECT_TRUE(Throws<std::out_of_range>([] { State::ActionToString(-1); }, {"action -1"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { State::ParseAction("bid 18"); },
                                            {"bid 18 is outside 0..17"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { State::ParseAction("bid x"); },
                                            {"malformed bid 'bid x'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { State::ParseAction("bid "); }, {"malformed bid"}));
  EXPECT_TRUE(
      Throws<std::invalid_argument>([] { State::ParseAction("b123"); }, {"malformed bid 'b123'"}));
  EXPECT_TRUE(
      Throws<std::invalid_argument>([] { State::ParseAction("bid -1"); }, {"malformed bid"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { State::ParseAction("XX"); }, {"'XX'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { State::ParseAction(""); }, {"malformed"}));
}

TEST(Scoring, TerminalScoresFollowTheVariant) {
  // Same play under three scorings: seat 0 bids 1 and wins 2 tricks, seat 1 bids 0 and wins 0,
  // seat 2 bids 2 and wins 0, seat 3 (dealer) bids 0 and wins 0.
  const Deal deal = MakeDeal(3, {"AS KS", "2C 3C", "4C 5C", "6C 7C"});
  struct Case {
    Scoring scoring;
    std::vector<int> scores;
  };
  for (const Case& c :
       {Case{Scoring::kExact, {0, 10, 0, 10}}, Case{Scoring::kOhHell, {2, 10, 0, 10}},
        Case{Scoring::kOhHellPenalty, {-1, 10, -2, 10}}}) {
    State state(Round(4, 2, kHearts, true, c.scoring), deal);
    Play(state, "b1 b0 b2 b0 AS 2C 4C 6C KS 3C 5C 7C");
    EXPECT_EQ(state.Scores(), c.scores) << ToString(c.scoring);
    const RoundRules& rules = state.rules();
    const std::vector<double> values = state.Values();
    for (int p = 0; p < 4; ++p) {
      EXPECT_DOUBLE_EQ(
          values[p],
          2.0 * (c.scores[p] - rules.MinScore()) / (rules.MaxScore() - rules.MinScore()) - 1.0);
    }
  }
  // Exact scoring: bidding n and making it is +1, a miss is -1.
  State all(Round(4, 2, kHearts, true), deal);
  Play(all, "b2 b0 b1 b0 AS 2C 4C 6C KS 3C 5C 7C");
  EXPECT_EQ(all.Scores(), (std::vector<int>{12, 10, 0, 10}));
  EXPECT_DOUBLE_EQ(all.Values()[0], 1.0);
  EXPECT_DOUBLE_EQ(all.Values()[2], -1.0);
}

// Checks the invariants that hold at every point of every round.
void CheckInvariants(const State& state) {
  const RoundRules& rules = state.rules();
  const int p_count = rules.num_players, n = rules.num_cards;
  // Cards: hands, played cards and the turned-up card partition the initial deal.
  CardSet dealt, held;
  for (int p = 0; p < p_count; ++p) {
    ASSERT_TRUE((held & state.hand(p)).Empty());
    ASSERT_EQ(state.hand(p) - state.initial_hand(p), CardSet());
    held |= state.hand(p);
    dealt |= state.initial_hand(p);
  }
  ASSERT_TRUE((held & state.played()).Empty());
  ASSERT_EQ(held | state.played(), dealt);
  if (state.turned_up() != kNoCard) {
    ASSERT_FALSE(dealt.Contains(state.turned_up()));
  }
  ASSERT_EQ(dealt.Size(), p_count * n);

  // Legal actions: the three forms agree.
  const std::vector<int> legal = state.LegalActions();
  const ActionMask mask = state.LegalMask();
  ASSERT_EQ(mask.count(), legal.size());
  for (int action = -2; action < kNumActions + 2; ++action) {
    const bool listed = std::find(legal.begin(), legal.end(), action) != legal.end();
    ASSERT_EQ(state.IsLegal(action), listed) << "action " << action;
    if (action >= 0 && action < kNumActions) {
      ASSERT_EQ(mask.test(action), listed);
    }
  }
  ASSERT_TRUE(std::is_sorted(legal.begin(), legal.end()));
  ASSERT_EQ(static_cast<int>(state.History().size()), state.num_actions());

  int tricks = 0;
  for (int p = 0; p < p_count; ++p) tricks += state.tricks_won(p);
  ASSERT_EQ(tricks, state.num_tricks_completed());

  // Voids are facts: a seat marked void in a suit holds none of it.
  for (int p = 0; p < p_count; ++p) {
    for (int suit = 0; suit < kNumSuits; ++suit) {
      if (state.voids(p) & (1 << suit)) {
        ASSERT_FALSE(state.hand(p).HasSuit(suit));
      }
    }
  }

  switch (state.phase()) {
    case Phase::kBidding: {
      ASSERT_LT(state.num_actions(), p_count);
      ASSERT_EQ(state.current_player(), (state.dealer() + 1 + state.num_actions()) % p_count);
      ASSERT_FALSE(legal.empty());
      ASSERT_EQ(state.LegalCards(), CardSet());
      ASSERT_EQ(std::popcount(state.LegalBids()), static_cast<int>(legal.size()));
      for (int action : legal) ASSERT_TRUE(IsBidAction(action));
      ASSERT_EQ(held, dealt);
      break;
    }
    case Phase::kPlay: {
      ASSERT_EQ(state.LegalBids(), 0u);
      ASSERT_EQ(state.played().Size(), state.num_actions() - p_count);
      const CardSet hand = state.hand(state.current_player());
      const CardSet legal_cards = state.LegalCards();
      ASSERT_EQ(legal_cards.ToVector(), legal);
      ASSERT_FALSE(legal_cards.Empty());
      if (state.led_suit() >= 0 && hand.HasSuit(state.led_suit())) {
        ASSERT_EQ(legal_cards, hand.InSuit(state.led_suit()));
      } else {
        ASSERT_EQ(legal_cards, hand);
      }
      // Hand sizes: n minus the tricks completed, minus one for seats already in this trick.
      const int leader = state.trick_leader(state.num_tricks_completed());
      for (int k = 0; k < p_count; ++k) {
        const int seat = (leader + k) % p_count;
        const int in_trick = k < state.num_cards_in_trick() ? 1 : 0;
        ASSERT_EQ(state.hand(seat).Size(), n - state.num_tricks_completed() - in_trick);
      }
      ASSERT_EQ(state.current_player(), (leader + state.num_cards_in_trick()) % p_count);
      ASSERT_EQ(static_cast<int>(state.CurrentTrick().size()), state.num_cards_in_trick());
      break;
    }
    case Phase::kTerminal:
      ASSERT_TRUE(legal.empty());
      ASSERT_EQ(state.current_player(), kNoPlayer);
      ASSERT_EQ(state.num_tricks_completed(), n);
      ASSERT_EQ(tricks, n);
      ASSERT_EQ(state.num_actions(), p_count * (n + 1));
      ASSERT_EQ(held, CardSet());
      ASSERT_EQ(state.played(), dealt);
      break;
  }

  // Every completed trick was won by the reference winner, who led the next trick.
  for (int t = 0; t < state.num_tricks_completed(); ++t) {
    const std::vector<int> cards = state.trick_cards(t);
    ASSERT_EQ(static_cast<int>(cards.size()), p_count);
    ASSERT_EQ(state.trick_winner(t),
              ReferenceWinner(cards, state.trick_leader(t), state.trump_suit(), p_count));
    if (t + 1 < n) {
      ASSERT_EQ(state.trick_leader(t + 1), state.trick_winner(t));
    }
  }
}

// Checks what holds once a round is over.
void CheckTerminal(const State& state) {
  const RoundRules& rules = state.rules();
  const int p_count = rules.num_players;
  int bid_sum = 0;
  const std::vector<int> scores = state.Scores();
  ASSERT_EQ(static_cast<int>(scores.size()), p_count);
  for (int p = 0; p < p_count; ++p) {
    ASSERT_GE(state.bid(p), 0);
    ASSERT_LE(state.bid(p), rules.num_cards);
    bid_sum += state.bid(p);
    ASSERT_EQ(scores[p], RoundScore(rules.scoring, state.bid(p), state.tricks_won(p)));
    ASSERT_GE(scores[p], rules.MinScore());
    ASSERT_LE(scores[p], rules.MaxScore());
  }
  if (rules.hook_rule) {
    ASSERT_NE(bid_sum, rules.num_cards);
  }
  const std::vector<double> values = state.Values();
  for (double v : values) {
    ASSERT_GE(v, -1.0);
    ASSERT_LE(v, 1.0);
  }
  const std::vector<double> relative = state.Values(/*relative=*/true);
  ASSERT_NEAR(std::accumulate(relative.begin(), relative.end(), 0.0), 0.0, 1e-9);
  // The history replays to an equal state.
  ASSERT_EQ(State::Replay(rules, state.InitialDeal(), state.History()), state);
}

TEST(RandomPlayouts, KeepEveryInvariantUnderEveryRuleVariant) {
  const std::vector<RoundRules> variants = testing::RuleVariants();
  ASSERT_GT(variants.size(), 100u);
  core::Rng rng(20261125);
  int rounds = 0;
  for (const RoundRules& rules : variants) {
    for (int trial = 0; trial < 4; ++trial) {
      const int dealer = static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players)));
      State state(rules, dealer, rng.Next());
      while (!state.IsTerminal()) {
        ASSERT_NO_FATAL_FAILURE(CheckInvariants(state));
        const int action = RandomLegalAction(state, rng);
        ASSERT_TRUE(state.IsLegal(action));
        // Checked and unchecked application agree.
        State unchecked = state;
        unchecked.ApplyActionUnchecked(action);
        state.ApplyAction(action);
        ASSERT_EQ(state, unchecked);
      }
      ASSERT_NO_FATAL_FAILURE(CheckInvariants(state));
      ASSERT_NO_FATAL_FAILURE(CheckTerminal(state));
      ++rounds;
    }
  }
  EXPECT_EQ(rounds, 4 * static_cast<int>(variants.size()));
}

TEST(RandomPlayouts, EveryTableSizeReachesEveryScoreAndTrickCount) {
  // Over many random 4-player 2-card rounds every trick count 0..2 and both made and missed bids
  // occur: the random policy explores the whole game.
  core::Rng rng(5);
  std::vector<int> trick_counts(3, 0);
  int made = 0, missed = 0;
  for (int i = 0; i < 2000; ++i) {
    State state(Round(4, 2, RotationTrump(i)), i % 4, rng.Next());
    while (!state.IsTerminal()) state.ApplyActionUnchecked(RandomLegalAction(state, rng));
    for (int p = 0; p < 4; ++p) {
      ++trick_counts[state.tricks_won(p)];
      (state.bid(p) == state.tricks_won(p) ? made : missed)++;
    }
  }
  for (int count : trick_counts) EXPECT_GT(count, 0);
  EXPECT_GT(made, 0);
  EXPECT_GT(missed, 0);
}

TEST(State, CopyIsAnIndependentClone) {
  core::Rng rng(9);
  State original(Round(5, 6, kDiamonds), 2, 1234);
  for (int i = 0; i < 12; ++i) original.ApplyAction(RandomLegalAction(original, rng));
  const std::vector<int> history = original.History();
  const std::vector<CardSet> hands = {original.hand(0), original.hand(1), original.hand(2),
                                      original.hand(3), original.hand(4)};
  State clone = original;
  EXPECT_EQ(clone, original);
  while (!clone.IsTerminal()) clone.ApplyAction(RandomLegalAction(clone, rng));
  EXPECT_NE(clone, original);
  EXPECT_EQ(original.History(), history);
  EXPECT_EQ(original.num_actions(), 12);
  for (int p = 0; p < 5; ++p) EXPECT_EQ(original.hand(p), hands[p]);
  EXPECT_FALSE(original.IsTerminal());
  // The original can still be played to the end on its own.
  State assigned = clone;
  assigned = original;
  EXPECT_EQ(assigned, original);
  while (!original.IsTerminal()) original.ApplyAction(RandomLegalAction(original, rng));
  EXPECT_EQ(assigned.History(), history);
}

TEST(State, HandSizesAndActionsByIndex) {
  State state(Round(4, 3, kSpades), ScriptedDeal());
  Play(state, kScriptedBids);
  Play(state, "KH AH");
  EXPECT_EQ(state.hand_size(0), 2);
  EXPECT_EQ(state.hand_size(1), 2);
  EXPECT_EQ(state.hand_size(2), 3);
  EXPECT_TRUE(Throws<std::out_of_range>([&] { state.hand_size(4); }, {"player 4"}));
  const std::vector<int> history = state.History();
  for (int i = 0; i < state.num_actions(); ++i) EXPECT_EQ(state.action_at(i), history[i]);
  EXPECT_EQ(state.action_at(4), C("KH"));  // card k of the round is action P + k
}

TEST(State, WithHandsKeepsThePublicHistory) {
  // Re-dealing the unplayed cards consistently with the public facts (same hand sizes, voids
  // respected) gives a state with the same history, whose initial deal replays to it.
  core::Rng rng(17);
  int checked = 0;
  for (const RoundRules& rules : testing::RuleVariants()) {
    State state(rules, static_cast<int>(rng.Below(rules.num_players)), rng.Next());
    const int stop = static_cast<int>(rng.Below(rules.num_players * (rules.num_cards + 1)));
    for (int i = 0; i < stop; ++i) state.ApplyAction(RandomLegalAction(state, rng));
    const int p_count = rules.num_players;
    std::array<CardSet, kMaxPlayers> same{};
    for (int p = 0; p < p_count; ++p) same[p] = state.hand(p);
    EXPECT_EQ(state.WithHands(same), state);
    // Rotate one suit's unplayed cards among the seats that hold that suit, keeping counts.
    std::array<CardSet, kMaxPlayers> hands = same;
    const int suit = static_cast<int>(rng.Below(kNumSuits));
    std::vector<int> holders, cards;
    for (int p = 0; p < p_count; ++p) {
      for (int card : hands[p].InSuit(suit)) cards.push_back(card);
      if (hands[p].HasSuit(suit)) holders.push_back(p);
    }
    if (cards.size() < 2 || holders.size() < 2) continue;
    std::rotate(cards.begin(), cards.begin() + 1, cards.end());
    size_t next = 0;
    for (int p : holders) {
      const int count = hands[p].InSuit(suit).Size();
      hands[p] -= CardSet::OfSuit(suit);
      for (int k = 0; k < count; ++k) hands[p].Insert(cards[next++]);
    }
    const State world = state.WithHands(hands);
    for (int p = 0; p < p_count; ++p) {
      EXPECT_EQ(world.hand(p), hands[p]);
      EXPECT_EQ(world.initial_hand(p), hands[p] | (state.initial_hand(p) - state.hand(p)));
      EXPECT_EQ(world.bid(p), state.bid(p));
      EXPECT_EQ(world.tricks_won(p), state.tricks_won(p));
      EXPECT_EQ(world.voids(p), state.voids(p));
    }
    EXPECT_EQ(world.History(), state.History());
    EXPECT_EQ(world.current_player(), state.current_player());
    EXPECT_EQ(world.played(), state.played());
    ASSERT_EQ(State::Replay(rules, world.InitialDeal(), world.History()), world);
    State rest = world;
    while (!rest.IsTerminal()) rest.ApplyAction(RandomLegalAction(rest, rng));
    ASSERT_NO_FATAL_FAILURE(CheckTerminal(rest));
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

TEST(State, EqualityComparesRulesDealAndHistory) {
  const State a(Round(4, 3, kSpades), ScriptedDeal());
  EXPECT_EQ(a, State(Round(4, 3, kSpades), ScriptedDeal()));
  EXPECT_NE(a, State(Round(4, 3, kHearts), ScriptedDeal()));
  EXPECT_NE(a, State(Round(4, 3, kSpades, /*hook_rule=*/false), ScriptedDeal()));
  Deal other = ScriptedDeal();
  std::swap(other.hands[0], other.hands[1]);
  EXPECT_NE(a, State(Round(4, 3, kSpades), other));
  State b = a;
  Play(b, "b0");
  EXPECT_NE(a, b);
  State c = a;
  Play(c, "b1");
  EXPECT_NE(b, c);
}

TEST(RandomDeal, IsValidForEveryRuleVariant) {
  core::Rng rng(1);
  for (const RoundRules& rules : testing::RuleVariants()) {
    for (int dealer = 0; dealer < rules.num_players; ++dealer) {
      const Deal deal = RandomDeal(rules, dealer, rng);
      EXPECT_EQ(deal.dealer, dealer);
      CardSet seen;
      for (int p = 0; p < kMaxPlayers; ++p) {
        ASSERT_EQ(deal.hands[p].Size(), p < rules.num_players ? rules.num_cards : 0);
        ASSERT_TRUE((seen & deal.hands[p]).Empty());
        seen |= deal.hands[p];
      }
      ASSERT_EQ(seen - CardSet::Full(), CardSet());
      if (rules.turn_up) {
        ASSERT_GE(deal.turned_up, 0);
        ASSERT_LT(deal.turned_up, kNumCards);
        ASSERT_FALSE(seen.Contains(deal.turned_up));
      } else {
        ASSERT_EQ(deal.turned_up, kNoCard);
      }
      ASSERT_NO_THROW(State(rules, deal));
    }
  }
}

TEST(RandomDeal, IsDeterministicInTheRngState) {
  RoundRules rules = Round(4, 13, kSpades);
  core::Rng a(77), b(77);
  const Deal first = RandomDeal(rules, 0, a);
  EXPECT_EQ(first, RandomDeal(rules, 0, b));
  const Deal second = RandomDeal(rules, 0, a);
  EXPECT_NE(first, second);  // the rng advanced
  EXPECT_EQ(second, RandomDeal(rules, 0, b));
  // The seeded constructor draws the same deal from Rng(seed).
  core::Rng c(4242);
  EXPECT_EQ(State(rules, 2, 4242), State(rules, RandomDeal(rules, 2, c)));
  EXPECT_EQ(State(rules, 2, 4242).InitialDeal().dealer, 2);
  EXPECT_NE(State(rules, 2, 4242), State(rules, 2, 4243));
}

TEST(RandomDeal, CardsGoRoundTheTableFromTheDealersLeft) {
  // The same shuffle with a different dealer deals the same hands, rotated with the dealer.
  const RoundRules rules = Round(5, 7, kSpades);
  for (int dealer = 0; dealer < 5; ++dealer) {
    core::Rng base(31), moved(31);
    const Deal d0 = RandomDeal(rules, 0, base);
    const Deal d = RandomDeal(rules, dealer, moved);
    for (int k = 0; k < 5; ++k) EXPECT_EQ(d.hands[(dealer + 1 + k) % 5], d0.hands[(1 + k) % 5]);
  }
}

TEST(RandomDeal, IsRoughlyUniform) {
  // Every card reaches seat 0 with probability 5/52 and is turned up with probability 1/52.
  RoundRules rules = Round(4, 5, kNoTrump);
  rules.turn_up = true;
  core::Rng rng(8);
  const int kDeals = 26000;
  std::vector<int> in_hand(kNumCards, 0), turned(kNumCards, 0);
  for (int i = 0; i < kDeals; ++i) {
    const Deal deal = RandomDeal(rules, 3, rng);
    for (int card : deal.hands[0]) ++in_hand[card];
    ++turned[deal.turned_up];
  }
  auto chi2 = [](const std::vector<int>& counts, double expected) {
    double sum = 0;
    for (int c : counts) sum += (c - expected) * (c - expected) / expected;
    return sum;
  };
  // 51 degrees of freedom: mean 51, sd 10.1; the bound is 6 sd above the mean. (The hand counts
  // are slightly under-dispersed, a multinomial without replacement, which only helps.)
  EXPECT_LT(chi2(in_hand, kDeals * 5.0 / kNumCards), 51 + 6 * 10.1);
  EXPECT_LT(chi2(turned, kDeals * 1.0 / kNumCards), 51 + 6 * 10.1);
}

TEST(RandomDeal, RejectsBadRulesAndDealers) {
  core::Rng rng(1);
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { RandomDeal(Round(4, 5, kSpades), 4, rng); },
                                            {"dealer 4 is outside 0..3"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { RandomDeal(Round(4, 5, kSpades), -1, rng); },
                                            {"dealer -1"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { RandomDeal(Round(4, 14, kSpades), 0, rng); },
                                            {"num_cards = 14"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { State(Round(3, 5, kSpades), 3, 1); },
                                            {"dealer 3 is outside 0..2"}));
}

}  // namespace
}  // namespace blobzero::game
