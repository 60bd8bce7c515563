#include "blobzero/game/cards.h"

#include <cctype>
#include <stdexcept>

#include "blobzero/core/text.h"

namespace blobzero::game {
namespace {

using core::Quoted;

constexpr char kRankChars[] = "23456789TJQKA";
constexpr char kSuitChars[] = "CDHS";

}  // namespace

int CardSet::Nth(int k) const {
  uint64_t bits = bits_;
  for (int i = 0; i < k; ++i) bits &= bits - 1;
  return std::countr_zero(bits);
}

std::vector<int> CardSet::ToVector() const {
  std::vector<int> cards;
  cards.reserve(Size());
  for (int card : *this) cards.push_back(card);
  return cards;
}

std::string CardToString(int card) {
  if (card < 0 || card >= kNumCards) {
    throw std::invalid_argument("card id " + std::to_string(card) + " is outside 0..51");
  }
  return {kRankChars[RankOf(card)], kSuitChars[SuitOf(card)]};
}

int ParseCard(std::string_view text) {
  std::string_view rank_text = text.size() >= 2 ? text.substr(0, text.size() - 1) : text;
  if (text.size() < 2 || text.size() > 3) {
    throw std::invalid_argument("malformed card " + Quoted(text) +
                                ": expected rank then suit, like 'AS', 'TD' or '10H'");
  }
  int rank = -1;
  if (rank_text == "10") {
    rank = 8;
  } else if (rank_text.size() == 1) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(rank_text[0])));
    for (int r = 0; r < kNumRanks; ++r) {
      if (kRankChars[r] == c) rank = r;
    }
  }
  if (rank < 0) {
    throw std::invalid_argument("malformed card " + Quoted(text) + ": unknown rank " +
                                Quoted(rank_text) + " (expected 2-9, T, 10, J, Q, K or A)");
  }
  const char suit_char = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
  for (int s = 0; s < kNumSuits; ++s) {
    if (kSuitChars[s] == suit_char) return MakeCard(s, rank);
  }
  throw std::invalid_argument("malformed card " + Quoted(text) + ": unknown suit " +
                              Quoted(text.substr(text.size() - 1)) + " (expected C, D, H or S)");
}

CardSet ParseCards(std::string_view text) {
  CardSet cards;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ',')) ++pos;
    size_t end = pos;
    while (end < text.size() && text[end] != ' ' && text[end] != ',') ++end;
    if (end > pos) {
      const int card = ParseCard(text.substr(pos, end - pos));
      if (cards.Contains(card)) {
        throw std::invalid_argument("duplicate card " + CardToString(card) + " in " + Quoted(text));
      }
      cards.Insert(card);
    }
    pos = end;
  }
  return cards;
}

std::string CardSetToString(CardSet cards) {
  std::string text;
  for (int card : cards) {
    if (!text.empty()) text += ' ';
    text += CardToString(card);
  }
  return text;
}

char SuitChar(int suit) {
  if (suit == kNoTrump) return 'N';
  if (suit < 0 || suit >= kNumSuits) {
    throw std::invalid_argument("suit " + std::to_string(suit) + " is outside 0..3");
  }
  return kSuitChars[suit];
}

int ParseSuit(std::string_view text) {
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "N" || upper == "NT") return kNoTrump;
  if (upper.size() == 1) {
    for (int s = 0; s < kNumSuits; ++s) {
      if (kSuitChars[s] == upper[0]) return s;
    }
  }
  throw std::invalid_argument("malformed suit " + Quoted(text) +
                              " (expected C, D, H, S or N for no trump)");
}

}  // namespace blobzero::game
