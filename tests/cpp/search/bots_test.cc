// Random, heuristic and IS-MCTS bots: the Bot contract, information hiding, the heuristic's
// rules, its strength against random play, and reproducible seeded games.
#include "blobzero/search/bots.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/game/observation.h"
#include "blobzero/game/rules.h"
#include "blobzero/game/state.h"
#include "test_util.h"

namespace blobzero::search {
namespace {

using game::CardSet;
using game::State;
using testing::MakeDeal;
using testing::Play;
using testing::Round;
using testing::Throws;

// Plays one round with bots[seat] acting for each seat; returns the final state.
State PlayRound(State state, const std::vector<Bot*>& bots) {
  while (!state.IsTerminal()) {
    const int seat = state.current_player();
    const int action = bots[seat]->Act(state, seat);
    EXPECT_TRUE(state.IsLegal(action))
        << bots[seat]->Name() << " chose illegal " << State::ActionToString(action);
    state.ApplyAction(action);
  }
  return state;
}

TEST(CheckCanAct, RejectsAnyoneButThePlayerToAct) {
  State state(Round(4, 3, 0), 0, 5);
  EXPECT_NO_THROW(CheckCanAct(state, 1));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { CheckCanAct(state, 2); },
                                            {"player 2", "not the player to act", "player 1"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { CheckCanAct(state, 4); }, {"observer 4"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { CheckCanAct(state, -1); }, {"observer -1"}));
  core::Rng rng(1);
  while (!state.IsTerminal()) state.ApplyAction(testing::RandomLegalAction(state, rng));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { CheckCanAct(state, 0); }, {"round is over"}));
  RandomBot random(1);
  HeuristicBot heuristic(1);
  IsmctsBot ismcts(IsmctsConfig(), 1);
  for (Bot* bot : std::vector<Bot*>{&random, &heuristic, &ismcts}) {
    EXPECT_TRUE(Throws<std::invalid_argument>([&] { bot->Act(state, 0); }, {"round is over"}));
  }
  State fresh(Round(4, 3, 0), 0, 5);
  for (Bot* bot : std::vector<Bot*>{&random, &heuristic, &ismcts}) {
    EXPECT_TRUE(Throws<std::invalid_argument>([&] { bot->Act(fresh, 3); }, {"not the player"}));
  }
}

TEST(Bots, PlayOnlyLegalActionsUnderEveryRuleVariant) {
  RandomBot random(7);
  HeuristicBot heuristic(7);
  IsmctsConfig config;
  config.simulations = 30;
  IsmctsBot ismcts(config, 7);
  uint64_t seed = 0;
  for (const game::RoundRules& rules : testing::RuleVariants()) {
    for (int deal = 0; deal < 3; ++deal, ++seed) {
      // ISMCTS in one seat of one deal per variant (its determinizer set-up is the slow part
      // under the sanitizers); heuristic and random players elsewhere.
      std::vector<Bot*> bots;
      for (int p = 0; p < rules.num_players; ++p) {
        bots.push_back(deal == 0 && p == 1   ? static_cast<Bot*>(&ismcts)
                       : (p + deal) % 2 == 0 ? static_cast<Bot*>(&heuristic)
                                             : static_cast<Bot*>(&random));
      }
      const State end =
          PlayRound(State(rules, static_cast<int>(seed % rules.num_players), seed), bots);
      EXPECT_TRUE(end.IsTerminal());
    }
  }
}

TEST(HeuristicBot, PlaysLegallyInManyRandomPositions) {
  // Every seat heuristic, many deals of every variant: bids respect the hook rule, cards follow
  // suit.
  HeuristicBot heuristic(0);
  uint64_t seed = 100;
  for (const game::RoundRules& rules : testing::RuleVariants()) {
    for (int deal = 0; deal < 10; ++deal, ++seed) {
      std::vector<Bot*> bots(rules.num_players, &heuristic);
      PlayRound(State(rules, static_cast<int>(seed % rules.num_players), seed), bots);
    }
  }
}

// Another state with the same information set for the player to act: two opponents swap an
// unplayed card their voids allow, or one swaps with an undealt card.
bool SwapHidden(const State& state, core::Rng& rng, State& out) {
  const int me = state.current_player();
  const int p = state.num_players();
  std::array<CardSet, game::kMaxPlayers> hands{};
  CardSet dealt;
  for (int s = 0; s < p; ++s) {
    hands[s] = state.hand(s);
    dealt |= state.initial_hand(s);
  }
  CardSet undealt = CardSet::Full() - dealt;
  if (state.turned_up() != game::kNoCard) undealt.Erase(state.turned_up());
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int a = static_cast<int>(rng.Below(p));
    const int b = static_cast<int>(rng.Below(p));
    if (a == me || b == me || a == b || hands[a].Empty() || hands[b].Empty()) continue;
    const int ca = hands[a].Nth(static_cast<int>(rng.Below(hands[a].Size())));
    const int cb = hands[b].Nth(static_cast<int>(rng.Below(hands[b].Size())));
    if (((state.voids(a) >> game::SuitOf(cb)) & 1) || ((state.voids(b) >> game::SuitOf(ca)) & 1)) {
      continue;
    }
    hands[a] = (hands[a] - CardSet::Single(ca)) | CardSet::Single(cb);
    hands[b] = (hands[b] - CardSet::Single(cb)) | CardSet::Single(ca);
    if (!undealt.Empty()) {
      const int cu = undealt.Nth(static_cast<int>(rng.Below(undealt.Size())));
      const int cx = hands[a].Lowest();
      if (!((state.voids(a) >> game::SuitOf(cu)) & 1)) {
        hands[a] = (hands[a] - CardSet::Single(cx)) | CardSet::Single(cu);
      }
    }
    out = state.WithHands(hands);
    return true;
  }
  return false;
}

TEST(HeuristicBot, ReadsOnlyTheObserversInformation) {
  core::Rng rng(3);
  HeuristicBot heuristic(0);
  RandomBot random(1);
  int compared = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    const game::RoundRules rules = seed % 3 == 0 ? Round(4, 5, 1)
                                   : seed % 3 == 1
                                       ? game::Preset("openspiel_oh_hell", 5, 7).RoundAt(0)
                                       : Round(3, 10, game::kNoTrump);
    State state(rules, static_cast<int>(seed % rules.num_players), seed);
    const int steps = static_cast<int>(rng.Below(rules.num_players * (rules.num_cards + 1)));
    for (int i = 0; i < steps; ++i) state.ApplyAction(random.Act(state, state.current_player()));
    State other;
    if (!SwapHidden(state, rng, other)) continue;
    const int me = state.current_player();
    ASSERT_EQ(game::Observe(state, me), game::Observe(other, me));
    EXPECT_EQ(heuristic.Act(state, me), heuristic.Act(other, me)) << "seed " << seed;
    ++compared;
  }
  EXPECT_GE(compared, 150);
}

TEST(HeuristicBot, BidsItsStrengthAndHonoursTheHookRule) {
  // Three players, two cards, spades trump; seat 2 deals and bids last.
  const game::RoundRules rules = Round(3, 2, 3, /*hook_rule=*/true);
  {
    // AS KS: two sure tricks, but 0 + 0 + 2 = 2 is forbidden: the nearest allowed bid is 1.
    State state(rules, MakeDeal(2, {"2C 3D", "4C 5D", "AS KS"}));
    Play(state, "b0 b0");
    EXPECT_EQ(state.HookForbiddenBid(), 2);
    HeuristicBot bot;
    EXPECT_GT(HeuristicBot::ExpectedTricks(game::Observe(state, 2)), 1.5);
    EXPECT_EQ(bot.Act(state, 2), game::BidAction(1));
  }
  {
    // Without the hook the same hand bids 2.
    State state(Round(3, 2, 3, /*hook_rule=*/false), MakeDeal(2, {"2C 3D", "4C 5D", "AS KS"}));
    Play(state, "b0 b0");
    EXPECT_EQ(HeuristicBot().Act(state, 2), game::BidAction(2));
  }
  {
    // 2C 3D: no tricks, but 1 + 1 + 0 = 2 is forbidden: bid 1.
    State state(rules, MakeDeal(2, {"AS KH", "AH KS", "2C 3D"}));
    Play(state, "b1 b1");
    EXPECT_LT(HeuristicBot::ExpectedTricks(game::Observe(state, 2)), 0.5);
    EXPECT_EQ(HeuristicBot().Act(state, 2), game::BidAction(1));
  }
  {
    // First to bid: a weak hand bids 0, a strong one 2.
    State weak(rules, MakeDeal(2, {"2C 3D", "AS KS", "4C 5D"}));
    EXPECT_EQ(HeuristicBot().Act(weak, 0), game::BidAction(0));
    State strong(rules, MakeDeal(2, {"AS KS", "2C 3D", "4C 5D"}));
    EXPECT_EQ(HeuristicBot().Act(strong, 0), game::BidAction(2));
  }
}

TEST(HeuristicBot, PlaysForItsBid) {
  // Four players, spades trump, seat 3 plays last to a heart trick that QH is winning.
  const game::RoundRules rules = Round(4, 3, 3, /*hook_rule=*/false);
  const game::Deal deal = MakeDeal(3, {"QH 2C 3C", "5H 4C 5C", "7H 6C 7C", "AH KH 2H"});
  {
    // Still needs a trick: wins with the cheapest winner, KH.
    State state(rules, deal);
    Play(state, "b0 b0 b0 b1 QH 5H 7H");
    EXPECT_EQ(HeuristicBot().Act(state, 3), game::ParseCard("KH"));
  }
  {
    // Needs none: the highest card that still loses, 2H (the only loser).
    State state(rules, deal);
    Play(state, "b0 b0 b0 b0 QH 5H 7H");
    EXPECT_EQ(HeuristicBot().Act(state, 3), game::ParseCard("2H"));
  }
  {
    // Leading while needing tricks: the unbeatable ace; needing none: the lowest card.
    State state(rules, MakeDeal(0, {"2C 3C 4C", "AH 2H 3D", "5C 6C 7C", "8C 9C TC"}));
    Play(state, "b2 b0 b0 b0");
    EXPECT_EQ(HeuristicBot().Act(state, 1), game::ParseCard("AH"));
    State duck(rules, MakeDeal(0, {"2C 3C 4C", "AH 2H 3D", "5C 6C 7C", "8C 9C TC"}));
    Play(duck, "b0 b0 b0 b0");
    EXPECT_EQ(HeuristicBot().Act(duck, 1), game::ParseCard("2H"));
  }
  {
    // Void in the led suit and needing none: sheds its most dangerous card, the ace of hearts.
    State state(rules, MakeDeal(3, {"2C 3C 4C", "AH 2H 3D", "5C 6C 7C", "8C 9C TC"}));
    Play(state, "b0 b0 b0 b0 2C");
    EXPECT_EQ(HeuristicBot().Act(state, 1), game::ParseCard("AH"));
  }
}

// Duplicate rounds: every deal is played twice, heuristic at seats 0 and 2 then at 1 and 3, with
// random players elsewhere; returns the heuristic's mean score minus the random players'.
TEST(HeuristicBot, BeatsRandomPlayByAWideMargin) {
  const game::RoundRules rules = Round(4, 5, 0);  // blob scoring: 10 + bid if exact
  HeuristicBot heuristic(1);
  RandomBot random(2);
  double diff_sum = 0;
  double diff_sq = 0;
  int made = 0;
  int heuristic_rounds = 0;
  const int num_deals = 300;
  for (int deal = 0; deal < num_deals; ++deal) {
    const State start(rules, deal % 4, 1000 + deal);
    double diff = 0;
    for (int parity = 0; parity < 2; ++parity) {
      std::vector<Bot*> bots(4);
      for (int p = 0; p < 4; ++p) {
        bots[p] = p % 2 == parity ? static_cast<Bot*>(&heuristic) : static_cast<Bot*>(&random);
      }
      const State end = PlayRound(start, bots);
      const std::vector<int> scores = end.Scores();
      for (int p = 0; p < 4; ++p) {
        if (p % 2 == parity) {
          diff += scores[p] / 4.0;
          made += end.bid(p) == end.tricks_won(p);
          ++heuristic_rounds;
        } else {
          diff -= scores[p] / 4.0;
        }
      }
    }
    diff_sum += diff;
    diff_sq += diff * diff;
  }
  const double mean = diff_sum / num_deals;
  const double stderr_mean = std::sqrt((diff_sq / num_deals - mean * mean) / num_deals);
  RecordProperty("mean_score_margin", std::to_string(mean));
  RecordProperty("heuristic_bid_accuracy",
                 std::to_string(static_cast<double>(made) / heuristic_rounds));
  // A wide margin: several points a round and far outside the noise.
  EXPECT_GT(mean, 3.0) << "stderr " << stderr_mean;
  EXPECT_GT(mean, 8 * stderr_mean);
  EXPECT_GT(static_cast<double>(made) / heuristic_rounds, 0.45);
}

TEST(Bots, SeededGamesAreReproducible) {
  const game::RoundRules rules = game::Preset("openspiel_oh_hell", 4, 5).RoundAt(0);
  IsmctsConfig config;
  config.simulations = 200;
  auto play = [&](uint64_t seed) {
    IsmctsBot ismcts(config, seed);
    HeuristicBot heuristic(seed + 1);
    RandomBot random_a(seed + 2);
    RandomBot random_b(seed + 3);
    std::vector<Bot*> bots = {&ismcts, &random_a, &heuristic, &random_b};
    std::vector<int> history;
    for (int round = 0; round < 4; ++round) {
      history.push_back(-1);
      const State end = PlayRound(State(rules, round, 77 + round), bots);
      const std::vector<int> actions = end.History();
      history.insert(history.end(), actions.begin(), actions.end());
    }
    return history;
  };
  const std::vector<int> first = play(5);
  EXPECT_EQ(first, play(5));
  EXPECT_NE(first, play(6));
  // Reseed restarts the stream.
  RandomBot bot(9);
  State state(rules, 0, 1);
  const int a = bot.Act(state, 1);
  bot.Reseed(9);
  EXPECT_EQ(bot.Act(state, 1), a);
}

}  // namespace
}  // namespace blobzero::search
