// Tests of cards, suits and 64-bit card sets.
#include "blobzero/game/cards.h"

#include <gtest/gtest.h>

#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_util.h"

namespace blobzero::game {
namespace {

using testing::Throws;

TEST(Cards, IdsFollowSuitTimesThirteenPlusRank) {
  EXPECT_EQ(MakeCard(0, 0), 0);    // 2C
  EXPECT_EQ(MakeCard(3, 12), 51);  // AS
  EXPECT_EQ(MakeCard(1, 8), 21);   // TD
  for (int card = 0; card < kNumCards; ++card) {
    EXPECT_EQ(MakeCard(SuitOf(card), RankOf(card)), card);
    EXPECT_GE(SuitOf(card), 0);
    EXPECT_LT(SuitOf(card), kNumSuits);
  }
}

TEST(CardSet, BasicOperations) {
  CardSet set;
  EXPECT_TRUE(set.Empty());
  EXPECT_EQ(set.Size(), 0);
  set.Insert(51);
  set.Insert(0);
  set.Insert(20);
  set.Insert(20);  // inserting twice is a no-op
  EXPECT_EQ(set.Size(), 3);
  EXPECT_TRUE(set.Contains(0));
  EXPECT_TRUE(set.Contains(20));
  EXPECT_TRUE(set.Contains(51));
  EXPECT_FALSE(set.Contains(1));
  EXPECT_EQ(set.Lowest(), 0);
  EXPECT_EQ(set.Highest(), 51);
  set.Erase(0);
  set.Erase(33);  // erasing a missing card is a no-op
  EXPECT_EQ(set.Size(), 2);
  EXPECT_EQ(set.Lowest(), 20);
  EXPECT_EQ(set.bits(), (uint64_t{1} << 20) | (uint64_t{1} << 51));
  EXPECT_EQ(CardSet::Single(7), CardSet(uint64_t{1} << 7));
}

TEST(CardSet, FullAndSuitMasks) {
  EXPECT_EQ(CardSet::Full().Size(), kNumCards);
  EXPECT_EQ(CardSet::Full().bits() >> kNumCards, 0u);
  CardSet all_suits;
  for (int suit = 0; suit < kNumSuits; ++suit) {
    const CardSet s = CardSet::OfSuit(suit);
    EXPECT_EQ(s.Size(), kNumRanks);
    for (int card : s) EXPECT_EQ(SuitOf(card), suit);
    EXPECT_TRUE((all_suits & s).Empty());
    all_suits |= s;
  }
  EXPECT_EQ(all_suits, CardSet::Full());
}

TEST(CardSet, SetAlgebra) {
  const CardSet a = ParseCards("AS KS 2C");
  const CardSet b = ParseCards("KS QH 2C 3D");
  EXPECT_EQ(a | b, ParseCards("AS KS QH 2C 3D"));
  EXPECT_EQ(a & b, ParseCards("KS 2C"));
  EXPECT_EQ(a - b, ParseCards("AS"));
  EXPECT_EQ(b - a, ParseCards("QH 3D"));
  CardSet c = a;
  c |= b;
  EXPECT_EQ(c, a | b);
  c &= b;
  EXPECT_EQ(c, b);
  c -= a;
  EXPECT_EQ(c, b - a);
  EXPECT_EQ(b.InSuit(static_cast<int>(Suit::kHearts)), ParseCards("QH"));
  EXPECT_TRUE(b.HasSuit(static_cast<int>(Suit::kDiamonds)));
  EXPECT_FALSE(a.HasSuit(static_cast<int>(Suit::kHearts)));
  EXPECT_TRUE(a.InSuit(static_cast<int>(Suit::kDiamonds)).Empty());
}

TEST(CardSet, IterationIsInIncreasingOrderAndMatchesNth) {
  core::Rng rng(11);
  for (int trial = 0; trial < 500; ++trial) {
    const CardSet set(rng.Next() & CardSet::Full().bits());
    std::vector<int> expected;
    for (int card = 0; card < kNumCards; ++card) {
      if (set.Contains(card)) expected.push_back(card);
    }
    std::vector<int> iterated;
    for (int card : set) iterated.push_back(card);
    ASSERT_EQ(iterated, expected);
    ASSERT_EQ(set.ToVector(), expected);
    ASSERT_EQ(set.Size(), static_cast<int>(expected.size()));
    for (int k = 0; k < set.Size(); ++k) ASSERT_EQ(set.Nth(k), expected[k]) << "k = " << k;
    if (!set.Empty()) {
      EXPECT_EQ(set.Lowest(), expected.front());
      EXPECT_EQ(set.Highest(), expected.back());
    }
  }
  EXPECT_TRUE(CardSet().ToVector().empty());
  EXPECT_EQ(CardSet::Full().Nth(51), 51);
  EXPECT_EQ(CardSet::Single(37).Nth(0), 37);
}

TEST(CardText, PrintsRankThenSuit) {
  EXPECT_EQ(CardToString(0), "2C");
  EXPECT_EQ(CardToString(8), "TC");
  EXPECT_EQ(CardToString(21), "TD");
  EXPECT_EQ(CardToString(38), "AH");
  EXPECT_EQ(CardToString(51), "AS");
  EXPECT_EQ(CardToString(MakeCard(3, 9)), "JS");
  EXPECT_EQ(CardToString(MakeCard(2, 10)), "QH");
  EXPECT_EQ(CardToString(MakeCard(1, 11)), "KD");
}

TEST(CardText, ParseRoundTripsEveryCardInEitherCase) {
  for (int card = 0; card < kNumCards; ++card) {
    const std::string text = CardToString(card);
    EXPECT_EQ(ParseCard(text), card);
    std::string lower = text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(ParseCard(lower), card) << lower;
  }
  EXPECT_EQ(ParseCard("10H"), MakeCard(2, 8));
  EXPECT_EQ(ParseCard("10h"), ParseCard("TH"));
  EXPECT_EQ(ParseCard("aS"), 51);
}

TEST(CardText, PrintingAnInvalidIdThrows) {
  EXPECT_TRUE(Throws<std::invalid_argument>([] { CardToString(52); }, {"card id 52", "0..51"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { CardToString(-1); }, {"card id -1"}));
}

TEST(CardText, MalformedCardsThrowNamingTheText) {
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCard(""); }, {"malformed card ''"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCard("A"); }, {"malformed card 'A'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCard("10SS"); }, {"'10SS'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCard("1S"); }, {"unknown rank '1'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCard("11S"); }, {"unknown rank '11'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCard("ZS"); }, {"'ZS'", "unknown rank"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCard("AX"); }, {"'AX'", "unknown suit 'X'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCard("10X"); }, {"unknown suit 'X'"}));
}

TEST(CardText, ParseCardsAcceptsSpacesAndCommas) {
  const CardSet set = ParseCards("AS, kd 10H,2c");
  EXPECT_EQ(set.Size(), 4);
  EXPECT_EQ(set, CardSet::Single(51) | CardSet::Single(MakeCard(1, 11)) |
                     CardSet::Single(MakeCard(2, 8)) | CardSet::Single(0));
  EXPECT_TRUE(ParseCards("").Empty());
  EXPECT_TRUE(ParseCards(" , ").Empty());
  EXPECT_EQ(CardSetToString(set), "2C KD TH AS");
  EXPECT_EQ(CardSetToString(CardSet()), "");
  EXPECT_EQ(ParseCards(CardSetToString(CardSet::Full())), CardSet::Full());
}

TEST(CardText, ParseCardsRejectsDuplicatesAndBadCards) {
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCards("AS KD as"); },
                                            {"duplicate card AS", "'AS KD as'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCards("TH 10H"); }, {"duplicate card TH"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseCards("AS QQ"); }, {"'QQ'"}));
}

TEST(SuitText, RoundTripsAndAcceptsNoTrump) {
  EXPECT_EQ(SuitChar(0), 'C');
  EXPECT_EQ(SuitChar(1), 'D');
  EXPECT_EQ(SuitChar(2), 'H');
  EXPECT_EQ(SuitChar(3), 'S');
  EXPECT_EQ(SuitChar(kNoTrump), 'N');
  for (int suit = kNoTrump; suit < kNumSuits; ++suit) {
    EXPECT_EQ(ParseSuit(std::string(1, SuitChar(suit))), suit);
  }
  EXPECT_EQ(ParseSuit("s"), 3);
  EXPECT_EQ(ParseSuit("nt"), kNoTrump);
  EXPECT_EQ(ParseSuit("NT"), kNoTrump);
  EXPECT_TRUE(Throws<std::invalid_argument>([] { SuitChar(4); }, {"suit 4", "0..3"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { SuitChar(-2); }, {"suit -2"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseSuit("X"); }, {"malformed suit 'X'"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseSuit(""); }, {"malformed suit ''"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { ParseSuit("SS"); }, {"'SS'"}));
}

}  // namespace
}  // namespace blobzero::game
