// Tests of the rules, their validation, schedules and presets.
#include "blobzero/game/rules.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "test_util.h"

namespace blobzero::game {
namespace {

using testing::Throws;

constexpr int kClubs = static_cast<int>(Suit::kClubs);
constexpr int kDiamonds = static_cast<int>(Suit::kDiamonds);
constexpr int kHearts = static_cast<int>(Suit::kHearts);
constexpr int kSpades = static_cast<int>(Suit::kSpades);

std::vector<int> Range(int from, int to) {  // from..to inclusive, either direction
  std::vector<int> values;
  for (int v = from;; v += from <= to ? 1 : -1) {
    values.push_back(v);
    if (v == to) break;
  }
  return values;
}

std::vector<int> Concat(std::vector<int> a, const std::vector<int>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ActionIds, AreTheSameForEveryTableSize) {
  EXPECT_EQ(kNumActions, 70);
  EXPECT_EQ(kMaxHandSize, 17);
  EXPECT_EQ(BidAction(0), 52);
  EXPECT_EQ(BidAction(17), 69);
  EXPECT_EQ(BidOfAction(55), 3);
  EXPECT_TRUE(IsBidAction(52));
  EXPECT_FALSE(IsBidAction(51));
}

TEST(Schedule, BlobDefaultIsDownUpFromMinTenAndDeckDivPlayers) {
  EXPECT_EQ(Preset("blob", 4).CardsPerRound(), Concat(Range(10, 1), Range(2, 10)));
  EXPECT_EQ(Preset("blob", 3).CardsPerRound(), Concat(Range(10, 1), Range(2, 10)));
  EXPECT_EQ(Preset("blob", 5).CardsPerRound(), Concat(Range(10, 1), Range(2, 10)));
  EXPECT_EQ(Preset("blob", 6).CardsPerRound(), Concat(Range(8, 1), Range(2, 8)));
  EXPECT_EQ(Preset("blob", 7).CardsPerRound(), Concat(Range(7, 1), Range(2, 7)));
  EXPECT_EQ(Preset("blob", 8).CardsPerRound(), Concat(Range(6, 1), Range(2, 6)));
  EXPECT_EQ(Preset("blob", 4, 5).CardsPerRound(), Concat(Range(5, 1), Range(2, 5)));
  EXPECT_EQ(Preset("blob", 3).EffectiveMaxCards(), 10);
  EXPECT_EQ(Preset("blob", 8).EffectiveMaxCards(), 6);
}

TEST(Schedule, EveryKind) {
  Rules rules;
  rules.num_players = 5;
  rules.max_cards = 4;
  rules.schedule = ScheduleKind::kDown;
  EXPECT_EQ(rules.CardsPerRound(), Range(4, 1));
  rules.schedule = ScheduleKind::kUp;
  EXPECT_EQ(rules.CardsPerRound(), Range(1, 4));
  rules.schedule = ScheduleKind::kFixed;
  EXPECT_EQ(rules.CardsPerRound(), std::vector<int>(5, 4));  // one round per player
  rules.num_rounds = 3;
  EXPECT_EQ(rules.CardsPerRound(), std::vector<int>(3, 4));
  rules.num_rounds = 0;
  rules.max_cards = 0;
  EXPECT_EQ(rules.CardsPerRound(), std::vector<int>(5, 10));
  rules.schedule = ScheduleKind::kExplicit;
  rules.explicit_cards = {3, 1, 7};
  EXPECT_EQ(rules.CardsPerRound(), (std::vector<int>{3, 1, 7}));
}

TEST(Schedule, OneCardRoundsRepeatEveryOneCardRound) {
  Rules rules;
  rules.max_cards = 3;
  rules.one_card_rounds = 3;
  EXPECT_EQ(rules.CardsPerRound(), (std::vector<int>{3, 2, 1, 1, 1, 2, 3}));
  rules.schedule = ScheduleKind::kExplicit;
  rules.max_cards = 0;
  rules.explicit_cards = {1, 2, 1};
  rules.one_card_rounds = 2;
  EXPECT_EQ(rules.CardsPerRound(), (std::vector<int>{1, 1, 2, 1, 1}));
}

TEST(Schedule, RoundAtGivesHandSizeTrumpAndRuleFlags) {
  Rules rules = Preset("blob", 4, 3);  // 3 2 1 2 3
  rules.hook_rule = false;
  rules.scoring = Scoring::kOhHellPenalty;
  const int expected_trumps[] = {kSpades, kHearts, kClubs, kDiamonds, kNoTrump};
  const int expected_cards[] = {3, 2, 1, 2, 3};
  for (int r = 0; r < 5; ++r) {
    const RoundRules round = rules.RoundAt(r);
    EXPECT_EQ(round.num_players, 4);
    EXPECT_EQ(round.num_cards, expected_cards[r]);
    EXPECT_EQ(round.trump_suit, expected_trumps[r]) << "round " << r;
    EXPECT_FALSE(round.turn_up);
    EXPECT_FALSE(round.hook_rule);
    EXPECT_EQ(round.scoring, Scoring::kOhHellPenalty);
    EXPECT_NO_THROW(round.Validate());
  }
  for (int r = 0; r < 12; ++r) EXPECT_EQ(RotationTrump(r), expected_trumps[r % 5]);

  rules.trump_mode = TrumpMode::kTurnUp;
  EXPECT_TRUE(rules.RoundAt(0).turn_up);
  rules.trump_mode = TrumpMode::kNone;
  for (int r = 0; r < 5; ++r) EXPECT_EQ(rules.RoundAt(r).trump_suit, kNoTrump);
  EXPECT_FALSE(rules.RoundAt(0).turn_up);
}

TEST(Schedule, RoundAtOutOfRangeThrows) {
  const Rules rules = Preset("blob", 4);
  EXPECT_TRUE(
      Throws<std::out_of_range>([&] { rules.RoundAt(19); }, {"round index 19", "outside 0..18"}));
  EXPECT_TRUE(Throws<std::out_of_range>([&] { rules.RoundAt(-1); }, {"round index -1"}));
}

TEST(Presets, OpenSpielOhHell) {
  const Rules rules = Preset("openspiel_oh_hell", 4);
  EXPECT_EQ(rules.CardsPerRound(), std::vector<int>{10});
  const RoundRules round = rules.RoundAt(0);
  EXPECT_TRUE(round.turn_up);
  EXPECT_TRUE(round.hook_rule);
  EXPECT_EQ(round.scoring, Scoring::kOhHell);
  EXPECT_EQ(Preset("openspiel_oh_hell", 7).CardsPerRound(), std::vector<int>{7});
  EXPECT_EQ(Preset("openspiel_oh_hell", 3, 17).CardsPerRound(), std::vector<int>{17});
  EXPECT_EQ(Preset("openspiel_oh_hell", 5, 2).CardsPerRound(), std::vector<int>{2});
  EXPECT_EQ(PresetNames(), (std::vector<std::string>{"blob", "openspiel_oh_hell"}));
}

TEST(Presets, BadArgumentsThrow) {
  EXPECT_TRUE(Throws<std::invalid_argument>([] { Preset("whist", 4); },
                                            {"unknown preset 'whist'", "blob, openspiel_oh_hell"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { Preset("blob", 2); },
                                            {"num_players = 2 is outside 3..8"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { Preset("blob", 9); },
                                            {"num_players = 9 is outside 3..8"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { Preset("openspiel_oh_hell", 8); },
                                            {"num_players = 8 is outside 3..7"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { Preset("blob", 4, 14); },
                                            {"max_cards = 14 is outside 1..13 for 4 players"}));
  // A turned-up card needs one card of the deck: 4 x 13 no longer fits.
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [] { Preset("openspiel_oh_hell", 4, 13); },
      {"max_cards = 13 is outside 1..12 for 4 players", "turned-up card"}));
}

TEST(RulesValidate, NamesTheFirstBadField) {
  auto with = [](auto change) {
    Rules rules;
    change(rules);
    return [rules] { rules.Validate(); };
  };
  EXPECT_NO_THROW(Rules().Validate());
  EXPECT_TRUE(Throws<std::invalid_argument>(with([](Rules& r) { r.num_players = 1; }),
                                            {"num_players = 1 is outside 3..8"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(with([](Rules& r) { r.max_cards = -2; }),
                                            {"max_cards = -2 is outside 1..13"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      with([](Rules& r) {
        r.num_players = 8;
        r.max_cards = 7;
      }),
      {"max_cards = 7 is outside 1..6 for 8 players", "52-card deck"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      with([](Rules& r) { r.schedule = ScheduleKind::kExplicit; }), {"explicit_cards is empty"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(with([](Rules& r) {
                                              r.schedule = ScheduleKind::kExplicit;
                                              r.explicit_cards = {3, 0, 2};
                                            }),
                                            {"explicit_cards[1] = 0 is outside 1..13"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(with([](Rules& r) {
                                              r.schedule = ScheduleKind::kExplicit;
                                              r.trump_mode = TrumpMode::kTurnUp;
                                              r.explicit_cards = {13};
                                            }),
                                            {"explicit_cards[0] = 13 is outside 1..12"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(with([](Rules& r) { r.explicit_cards = {3}; }),
                                            {"explicit_cards is only allowed with schedule "
                                             "'explicit'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(with([](Rules& r) {
                                              r.schedule = ScheduleKind::kFixed;
                                              r.num_rounds = -1;
                                            }),
                                            {"num_rounds = -1 is negative"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(with([](Rules& r) { r.num_rounds = 3; }),
                                            {"num_rounds is only allowed with schedule 'fixed'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(with([](Rules& r) { r.one_card_rounds = 0; }),
                                            {"one_card_rounds = 0 is outside 1..100"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(with([](Rules& r) { r.one_card_rounds = 101; }),
                                            {"one_card_rounds = 101"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      with([](Rules& r) { r.schedule = static_cast<ScheduleKind>(9); }), {"invalid enum value 9"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      with([](Rules& r) { r.scoring = static_cast<Scoring>(5); }), {"invalid enum value 5"}));
  // CardsPerRound and RoundAt validate first.
  Rules bad;
  bad.num_players = 10;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { bad.CardsPerRound(); }, {"num_players = 10"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { bad.RoundAt(0); }, {"num_players = 10"}));
}

TEST(RoundRulesValidate, NamesTheFirstBadField) {
  EXPECT_NO_THROW(RoundRules().Validate());
  EXPECT_NO_THROW(testing::Round(3, 17, kNoTrump).Validate());
  EXPECT_NO_THROW(testing::Round(8, 6, kHearts).Validate());
  EXPECT_TRUE(Throws<std::invalid_argument>([] { testing::Round(9, 5, kSpades).Validate(); },
                                            {"num_players = 9 is outside 3..8"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { testing::Round(4, 0, kSpades).Validate(); },
                                            {"num_cards = 0 is outside 1..13 for 4 players"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { testing::Round(5, 11, kSpades).Validate(); },
                                            {"num_cards = 11 is outside 1..10 for 5 players"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { testing::Round(3, 18, kSpades).Validate(); },
                                            {"num_cards = 18 is outside 1..17"}));
  RoundRules turn_up = testing::Round(4, 13, kNoTrump);
  EXPECT_NO_THROW(turn_up.Validate());
  turn_up.turn_up = true;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { turn_up.Validate(); },
                                            {"num_cards = 13 is outside 1..12", "turned-up"}));
  EXPECT_TRUE(
      Throws<std::invalid_argument>([] { testing::Round(4, 5, 4).Validate(); },
                                    {"trump_suit = 4 is neither a suit 0..3 nor no trump (-1)"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { testing::Round(4, 5, -2).Validate(); },
                                            {"trump_suit = -2"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [] { testing::Round(4, 5, kSpades, true, static_cast<Scoring>(3)).Validate(); },
      {"invalid enum value 3"}));
}

TEST(RoundRules, ScoreRange) {
  EXPECT_EQ(testing::Round(4, 5, kSpades).MinScore(), 0);
  EXPECT_EQ(testing::Round(4, 5, kSpades).MaxScore(), 15);
  EXPECT_EQ(testing::Round(4, 5, kSpades, true, Scoring::kOhHell).MinScore(), 0);
  EXPECT_EQ(testing::Round(4, 5, kSpades, true, Scoring::kOhHellPenalty).MinScore(), -5);
  EXPECT_EQ(testing::Round(4, 5, kSpades, true, Scoring::kOhHellPenalty).MaxScore(), 15);
}

TEST(Scoring, EveryVariant) {
  EXPECT_EQ(RoundScore(Scoring::kExact, 2, 2), 12);
  EXPECT_EQ(RoundScore(Scoring::kExact, 0, 0), 10);
  EXPECT_EQ(RoundScore(Scoring::kExact, 2, 1), 0);
  EXPECT_EQ(RoundScore(Scoring::kExact, 0, 3), 0);
  EXPECT_EQ(RoundScore(Scoring::kOhHell, 2, 2), 12);
  EXPECT_EQ(RoundScore(Scoring::kOhHell, 0, 0), 10);
  EXPECT_EQ(RoundScore(Scoring::kOhHell, 2, 3), 3);
  EXPECT_EQ(RoundScore(Scoring::kOhHell, 4, 1), 1);
  EXPECT_EQ(RoundScore(Scoring::kOhHellPenalty, 2, 2), 12);
  EXPECT_EQ(RoundScore(Scoring::kOhHellPenalty, 2, 4), -2);
  EXPECT_EQ(RoundScore(Scoring::kOhHellPenalty, 3, 1), -2);
  EXPECT_EQ(RoundScore(Scoring::kOhHellPenalty, 0, 5), -5);
}

TEST(Names, RoundTripAndListTheAcceptedNames) {
  for (ScheduleKind kind : {ScheduleKind::kDownUp, ScheduleKind::kDown, ScheduleKind::kUp,
                            ScheduleKind::kFixed, ScheduleKind::kExplicit}) {
    EXPECT_EQ(ParseScheduleKind(ToString(kind)), kind);
  }
  for (TrumpMode mode : {TrumpMode::kRotation, TrumpMode::kTurnUp, TrumpMode::kNone}) {
    EXPECT_EQ(ParseTrumpMode(ToString(mode)), mode);
  }
  for (Scoring scoring : {Scoring::kExact, Scoring::kOhHell, Scoring::kOhHellPenalty}) {
    EXPECT_EQ(ParseScoring(ToString(scoring)), scoring);
  }
  EXPECT_EQ(ToString(ScheduleKind::kDownUp), "down_up");
  EXPECT_EQ(ToString(TrumpMode::kTurnUp), "turn_up");
  EXPECT_EQ(ToString(Scoring::kOhHellPenalty), "oh_hell_penalty");
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [] { ParseScheduleKind("zigzag"); },
      {"unknown schedule 'zigzag'", "down_up, down, up, fixed, explicit"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseTrumpMode("Rotation"); },
                                            {"unknown trump mode 'Rotation'", "turn_up"}));
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [] { ParseScoring(""); }, {"unknown scoring ''", "exact, oh_hell, oh_hell_penalty"}));
}

}  // namespace
}  // namespace blobzero::game
