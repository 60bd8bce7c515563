// Tests of a match: rounds of a schedule, rotating dealers, accumulated scores.
#include "blobzero/game/match.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <vector>

#include "test_util.h"

namespace blobzero::game {
namespace {

using testing::RandomLegalAction;
using testing::Throws;

struct Finished {
  std::vector<Deal> deals;
  std::vector<std::vector<int>> scores;
};

// Plays `match` to the end with random legal actions, checking each round as it starts and
// recording every deal and the scores of every round.
Finished PlayOut(Match& match, core::Rng& rng) {
  Finished finished;
  while (!match.IsOver()) {
    const int r = match.round_index();
    const State& state = match.state();
    EXPECT_EQ(state.num_actions(), 0);
    EXPECT_EQ(state.rules(), match.rules().RoundAt(r));
    EXPECT_EQ(state.dealer(), (match.first_dealer() + r) % match.rules().num_players);
    EXPECT_EQ(state.num_cards(), match.cards_per_round()[r]);
    finished.deals.push_back(state.InitialDeal());
    State last = state;
    while (true) {
      const int action = RandomLegalAction(match.state(), rng);
      last = match.state();
      last.ApplyAction(action);
      match.ApplyAction(action);
      if (last.IsTerminal()) break;
      EXPECT_EQ(match.round_index(), r);
    }
    finished.scores.push_back(last.Scores());
    EXPECT_EQ(match.round_index(), r + 1);
    EXPECT_EQ(match.round_scores().back(), last.Scores());
  }
  return finished;
}

TEST(Match, PlaysEveryRoundWithRotatingDealersAndAccumulatesScores) {
  const Rules rules = Preset("blob", 4, 3);
  Match match(rules, 7, /*first_dealer=*/1);
  EXPECT_EQ(match.rules(), rules);
  EXPECT_EQ(match.seed(), 7u);
  EXPECT_EQ(match.first_dealer(), 1);
  EXPECT_EQ(match.num_rounds(), 5);
  EXPECT_EQ(match.cards_per_round(), (std::vector<int>{3, 2, 1, 2, 3}));
  EXPECT_EQ(match.round_index(), 0);
  EXPECT_FALSE(match.IsOver());
  EXPECT_EQ(match.totals(), (std::vector<int>{0, 0, 0, 0}));
  EXPECT_TRUE(match.round_scores().empty());
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { match.Winners(); }, {"the match is not over"}));
  // Round r is dealt from DeriveSeed(seed, r).
  EXPECT_EQ(match.state(), State(rules.RoundAt(0), 1, core::DeriveSeed(7, 0)));
  EXPECT_EQ(match.state().trump_suit(), static_cast<int>(Suit::kSpades));

  core::Rng rng(3);
  const Finished finished = PlayOut(match, rng);
  ASSERT_TRUE(match.IsOver());
  EXPECT_EQ(match.round_index(), 5);
  ASSERT_EQ(finished.deals.size(), 5u);
  for (int r = 0; r < 5; ++r) {
    EXPECT_EQ(finished.deals[r],
              State(rules.RoundAt(r), (1 + r) % 4, core::DeriveSeed(7, static_cast<uint64_t>(r)))
                  .InitialDeal());
    EXPECT_EQ(match.DealRound(r).InitialDeal(), finished.deals[r]);
  }
  EXPECT_TRUE(Throws<std::out_of_range>([&] { match.DealRound(5); }, {"round_index 5", "0..4"}));
  EXPECT_EQ(match.round_scores(), finished.scores);
  std::vector<int> totals(4, 0);
  for (const std::vector<int>& round : finished.scores) {
    for (int p = 0; p < 4; ++p) totals[p] += round[p];
  }
  EXPECT_EQ(match.totals(), totals);
  const int best = *std::max_element(totals.begin(), totals.end());
  std::vector<int> winners;
  for (int p = 0; p < 4; ++p) {
    if (totals[p] == best) winners.push_back(p);
  }
  EXPECT_EQ(match.Winners(), winners);
  // The last round stays visible, and nothing more can be played.
  EXPECT_TRUE(match.state().IsTerminal());
  EXPECT_EQ(match.state().dealer(), (1 + 4) % 4);
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { match.ApplyAction(BidAction(0)); },
                                            {"action after the match is over"}));
}

TEST(Match, IsDeterministicInTheSeed) {
  const Rules rules = Preset("blob", 5, 4);
  Match a(rules, 1234), b(rules, 1234), c(rules, 1235);
  core::Rng ra(8), rb(8), rc(8);
  const Finished fa = PlayOut(a, ra), fb = PlayOut(b, rb), fc = PlayOut(c, rc);
  EXPECT_EQ(a.first_dealer(), b.first_dealer());
  EXPECT_EQ(fa.deals, fb.deals);
  EXPECT_EQ(a.totals(), b.totals());
  EXPECT_NE(fa.deals, fc.deals);
}

TEST(Match, FirstDealerDrawnFromTheSeed) {
  const Rules rules = Preset("blob", 6, 2);
  std::set<int> dealers;
  for (uint64_t seed = 0; seed < 60; ++seed) {
    const Match match(rules, seed);
    EXPECT_GE(match.first_dealer(), 0);
    EXPECT_LT(match.first_dealer(), 6);
    EXPECT_EQ(Match(rules, seed).first_dealer(), match.first_dealer());
    EXPECT_EQ(match.state().dealer(), match.first_dealer());
    dealers.insert(match.first_dealer());
  }
  EXPECT_EQ(dealers.size(), 6u);
}

TEST(Match, RejectsBadArgumentsAndIllegalActions) {
  EXPECT_TRUE(Throws<std::out_of_range>([] { Match(Preset("blob", 4), 1, 4); },
                                        {"first_dealer 4 is outside 0..3"}));
  EXPECT_TRUE(
      Throws<std::out_of_range>([] { Match(Preset("blob", 4), 1, -2); }, {"first_dealer -2"}));
  Rules bad;
  bad.one_card_rounds = 0;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { Match(bad, 1); }, {"one_card_rounds = 0"}));

  Match match(Preset("blob", 4, 2), 5, 0);
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { match.ApplyAction(BidAction(3)); },
                                            {"bids 3, more than the 2 cards"}));
  EXPECT_TRUE(Throws<std::out_of_range>([&] { match.ApplyAction(99); }, {"action 99"}));
  EXPECT_EQ(match.state().num_actions(), 0);
  EXPECT_EQ(match.round_index(), 0);
}

TEST(Match, TiesShareTheWin) {
  // One 1-card round, 3 players, no hook: everybody bids 0, so the trick winner scores 0 and the
  // two others tie with 10.
  Rules rules;
  rules.num_players = 3;
  rules.schedule = ScheduleKind::kFixed;
  rules.num_rounds = 1;
  rules.max_cards = 1;
  rules.hook_rule = false;
  Match match(rules, 11, 2);
  core::Rng rng(1);
  for (int i = 0; i < 3; ++i) match.ApplyAction(BidAction(0));
  while (!match.IsOver()) match.ApplyAction(RandomLegalAction(match.state(), rng));
  const std::vector<int>& totals = match.totals();
  EXPECT_EQ(std::count(totals.begin(), totals.end(), 10), 2);
  EXPECT_EQ(std::count(totals.begin(), totals.end(), 0), 1);
  const std::vector<int> winners = match.Winners();
  ASSERT_EQ(winners.size(), 2u);
  for (int p : winners) EXPECT_EQ(totals[p], 10);
}

TEST(Match, OpenSpielPresetIsOneTurnUpRound) {
  Match match(Preset("openspiel_oh_hell", 5, 3), 42);
  EXPECT_EQ(match.num_rounds(), 1);
  EXPECT_NE(match.state().turned_up(), kNoCard);
  EXPECT_EQ(match.state().trump_suit(), SuitOf(match.state().turned_up()));
  core::Rng rng(2);
  PlayOut(match, rng);
  EXPECT_TRUE(match.IsOver());
  EXPECT_FALSE(match.Winners().empty());
}

}  // namespace
}  // namespace blobzero::game
