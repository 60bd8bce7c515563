// Tests of the observer view: what one player may know, and nothing more.
#include "blobzero/game/observation.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>
#include <vector>

#include "test_util.h"

namespace blobzero::game {
namespace {

using testing::MakeDeal;
using testing::Play;
using testing::RandomLegalAction;
using testing::Round;
using testing::Throws;

Deal ScriptedDeal() { return MakeDeal(3, {"KH 3C 2C", "AH QD 5C", "2H 2S 4C", "3H AD KD"}); }

TEST(Observe, HoldsOwnHandAndPublicFacts) {
  State state(Round(4, 3, static_cast<int>(Suit::kSpades)), ScriptedDeal());
  Play(state, "b0 b2 b1 b1 KH AH 2H 3H QD 2S");
  const ObserverView view = Observe(state, 3);
  EXPECT_EQ(view.observer, 3);
  EXPECT_EQ(view.rules, state.rules());
  EXPECT_EQ(view.dealer, 3);
  EXPECT_EQ(view.trump_suit, static_cast<int>(Suit::kSpades));
  EXPECT_EQ(view.turned_up, kNoCard);
  EXPECT_EQ(view.phase, Phase::kPlay);
  EXPECT_EQ(view.current_player, 3);
  EXPECT_EQ(view.own_hand, ParseCards("AD KD"));
  EXPECT_EQ(view.history, state.History());
  EXPECT_EQ(view.played, ParseCards("KH AH 2H 3H QD 2S"));
  EXPECT_EQ(view.unseen, CardSet::Full() - ParseCards("KH AH 2H 3H QD 2S AD KD"));
  EXPECT_EQ(view.current_trick, (std::vector<int>{ParseCard("QD"), ParseCard("2S")}));
  EXPECT_EQ(view.current_trick_leader, 1);
  const std::vector<int> bids = {0, 2, 1, 1}, won = {0, 1, 0, 0}, sizes = {2, 1, 1, 2};
  for (int p = 0; p < 4; ++p) {
    EXPECT_EQ(view.bids[p], bids[p]);
    EXPECT_EQ(view.tricks_won[p], won[p]);
    EXPECT_EQ(view.hand_sizes[p], sizes[p]) << "seat " << p;
  }
  EXPECT_EQ(view.voids[2], 1 << static_cast<int>(Suit::kDiamonds));
  EXPECT_EQ(view.voids[0], 0);
  // The last completed trick is public.
  EXPECT_EQ(view.last_trick, state.trick_cards(0));
  EXPECT_EQ(view.last_trick_leader, 0);
  EXPECT_EQ(view.last_trick_winner, 1);
  State fresh(Round(4, 3, static_cast<int>(Suit::kSpades)), ScriptedDeal());
  EXPECT_TRUE(Observe(fresh, 0).last_trick.empty());
  EXPECT_EQ(Observe(fresh, 0).last_trick_winner, kNoPlayer);
  // Between tricks there is no current trick.
  Play(state, "AD 3C");
  EXPECT_TRUE(Observe(state, 0).current_trick.empty());
  EXPECT_EQ(Observe(state, 0).last_trick,
            (std::vector<int>{ParseCard("QD"), ParseCard("2S"), ParseCard("AD"), ParseCard("3C")}));
  EXPECT_EQ(Observe(state, 0).last_trick_winner, 2);
  EXPECT_EQ(Observe(state, 0).current_trick_leader, kNoPlayer);
  EXPECT_TRUE(Throws<std::out_of_range>([&] { Observe(state, 4); }, {"player 4"}));
  EXPECT_TRUE(Throws<std::out_of_range>([&] { Observe(state, -1); }, {"player -1"}));
}

TEST(Observe, TurnedUpCardIsPublicAndNotUnseen) {
  RoundRules rules = Round(4, 2, kNoTrump);
  rules.turn_up = true;
  const State state(rules, MakeDeal(0, {"2C 3C", "4C 5C", "6C 7C", "8C 9C"}, "AH"));
  const ObserverView view = Observe(state, 1);
  EXPECT_EQ(view.turned_up, ParseCard("AH"));
  EXPECT_EQ(view.trump_suit, static_cast<int>(Suit::kHearts));
  EXPECT_FALSE(view.unseen.Contains(ParseCard("AH")));
  EXPECT_EQ(view.unseen.Size(), 52 - 2 - 1);
}

// Swaps `a` and `b` between the initial hands of two seats.
Deal Swapped(Deal deal, int seat_a, int a, int seat_b, int b) {
  deal.hands[seat_a].Erase(a);
  deal.hands[seat_a].Insert(b);
  deal.hands[seat_b].Erase(b);
  deal.hands[seat_b].Insert(a);
  return deal;
}

TEST(Observe, HiddenCardsOfOtherPlayersDoNotChangeTheView) {
  // Swapping two unplayed cards of the same suit between two opponents keeps the history legal
  // (every earlier play had the same suit counts to follow) and must leave the view unchanged;
  // the opponents' own views do change.
  core::Rng rng(314);
  int checked = 0;
  for (const RoundRules& rules : testing::RuleVariants()) {
    if (rules.num_cards < 2) continue;
    State state(rules, static_cast<int>(rng.Below(rules.num_players)), rng.Next());
    const int stop = static_cast<int>(rng.Below(rules.num_players * (rules.num_cards + 1) - 1));
    for (int i = 0; i < stop; ++i) state.ApplyAction(RandomLegalAction(state, rng));
    const int p = rules.num_players;
    const int observer = static_cast<int>(rng.Below(p));
    for (int da = 1; da < p; ++da) {
      for (int db = da + 1; db < p; ++db) {
        const int qa = (observer + da) % p, qb = (observer + db) % p;
        for (int suit = 0; suit < kNumSuits; ++suit) {
          const CardSet ha = state.hand(qa).InSuit(suit), hb = state.hand(qb).InSuit(suit);
          if (ha.Empty() || hb.Empty()) continue;
          const Deal deal = Swapped(state.InitialDeal(), qa, ha.Lowest(), qb, hb.Highest());
          const State other = State::Replay(rules, deal, state.History());
          ASSERT_EQ(Observe(other, observer), Observe(state, observer));
          ASSERT_NE(Observe(other, qa), Observe(state, qa));
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(Observe, DuringBiddingOtherHandsAreInvisible) {
  core::Rng rng(2);
  const RoundRules rules = Round(5, 4, static_cast<int>(Suit::kHearts));
  State state(rules, 0, 99);
  state.ApplyAction(RandomLegalAction(state, rng));
  state.ApplyAction(RandomLegalAction(state, rng));
  Deal deal = state.InitialDeal();
  std::swap(deal.hands[2], deal.hands[4]);
  const State other = State::Replay(rules, deal, state.History());
  EXPECT_EQ(Observe(other, 0), Observe(state, 0));
  EXPECT_EQ(Observe(other, 1), Observe(state, 1));
  EXPECT_NE(Observe(other, 2), Observe(state, 2));
}

}  // namespace
}  // namespace blobzero::game
