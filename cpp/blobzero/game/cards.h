#pragma once
// Cards, suits and 64-bit card sets.
//
// Card id = 13 * suit + rank, suits clubs, diamonds, hearts, spades = 0..3, ranks 2..A = 0..12.
// Text form is rank then suit: "AS", "TD", "2C". Parsing accepts either case and "10" for "T".
// A CardSet is a 64-bit mask with bit `card` set for each member; bits 52..63 are always clear.

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace blobzero::game {

inline constexpr int kNumSuits = 4;
inline constexpr int kNumRanks = 13;
inline constexpr int kNumCards = 52;
inline constexpr int kNoCard = -1;
// The suit value meaning "no trump" wherever a trump suit is stored.
inline constexpr int kNoTrump = -1;

enum class Suit : int8_t { kClubs = 0, kDiamonds = 1, kHearts = 2, kSpades = 3 };

constexpr int MakeCard(int suit, int rank) { return kNumRanks * suit + rank; }
constexpr int SuitOf(int card) { return card / kNumRanks; }
constexpr int RankOf(int card) { return card % kNumRanks; }

class CardSet {
 public:
  constexpr CardSet() = default;
  constexpr explicit CardSet(uint64_t bits) : bits_(bits) {}

  static constexpr CardSet Full() { return CardSet((uint64_t{1} << kNumCards) - 1); }
  static constexpr CardSet Single(int card) { return CardSet(uint64_t{1} << card); }
  // All 13 cards of `suit`.
  static constexpr CardSet OfSuit(int suit) {
    return CardSet(((uint64_t{1} << kNumRanks) - 1) << (kNumRanks * suit));
  }

  constexpr uint64_t bits() const { return bits_; }
  constexpr bool Empty() const { return bits_ == 0; }
  constexpr int Size() const { return std::popcount(bits_); }
  constexpr bool Contains(int card) const { return (bits_ >> card) & 1; }
  constexpr void Insert(int card) { bits_ |= uint64_t{1} << card; }
  constexpr void Erase(int card) { bits_ &= ~(uint64_t{1} << card); }
  // Lowest card id in the set; the set must not be empty.
  constexpr int Lowest() const { return std::countr_zero(bits_); }
  // Highest card id in the set; the set must not be empty.
  constexpr int Highest() const { return 63 - std::countl_zero(bits_); }
  // The k-th lowest card (k counts from 0); requires k < Size().
  int Nth(int k) const;
  constexpr CardSet InSuit(int suit) const { return *this & OfSuit(suit); }
  constexpr bool HasSuit(int suit) const { return !InSuit(suit).Empty(); }

  constexpr CardSet operator|(CardSet o) const { return CardSet(bits_ | o.bits_); }
  constexpr CardSet operator&(CardSet o) const { return CardSet(bits_ & o.bits_); }
  constexpr CardSet operator-(CardSet o) const { return CardSet(bits_ & ~o.bits_); }
  constexpr CardSet& operator|=(CardSet o) {
    bits_ |= o.bits_;
    return *this;
  }
  constexpr CardSet& operator&=(CardSet o) {
    bits_ &= o.bits_;
    return *this;
  }
  constexpr CardSet& operator-=(CardSet o) {
    bits_ &= ~o.bits_;
    return *this;
  }
  constexpr bool operator==(const CardSet&) const = default;

  // Iterates card ids in increasing order.
  class Iterator {
   public:
    constexpr explicit Iterator(uint64_t bits) : bits_(bits) {}
    constexpr int operator*() const { return std::countr_zero(bits_); }
    constexpr Iterator& operator++() {
      bits_ &= bits_ - 1;
      return *this;
    }
    constexpr bool operator!=(const Iterator& o) const { return bits_ != o.bits_; }

   private:
    uint64_t bits_;
  };
  constexpr Iterator begin() const { return Iterator(bits_); }
  constexpr Iterator end() const { return Iterator(0); }

  std::vector<int> ToVector() const;

 private:
  uint64_t bits_ = 0;
};

// "AS", "TD", ... Throws std::invalid_argument for an id outside 0..51.
std::string CardToString(int card);
// Parses one card ("AS", "as", "10h", "Td"). Throws std::invalid_argument naming the text.
int ParseCard(std::string_view text);
// Parses cards separated by spaces or commas ("AS KD 10H"); duplicates are an error.
CardSet ParseCards(std::string_view text);
// Space-separated text of the cards in increasing id order.
std::string CardSetToString(CardSet cards);
// 'C', 'D', 'H', 'S'; kNoTrump -> 'N'.
char SuitChar(int suit);
// Parses a suit letter (either case) or "N"/"NT" for no trump. Throws std::invalid_argument.
int ParseSuit(std::string_view text);

}  // namespace blobzero::game
