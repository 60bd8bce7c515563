#pragma once
// The rules of Blob (Oh Hell, Contract Whist) and their variants.
//
// One 52-card deck; P players, 3 <= P <= 8, seated 0..P-1; play passes to seat + 1 (mod P).
// A match is a sequence of rounds (deals). Round r deals n_r cards to each player, has a trump
// suit or no trump, and dealer d_r = (d_0 + r) mod P.
//
// Schedule of n_r (Rules::schedule), with C = max_cards (default min(10, 52 div P)):
//   down_up  C, C-1, ..., 1, 2, ..., C          (the default)
//   down     C, C-1, ..., 1
//   up       1, 2, ..., C
//   fixed    num_rounds rounds of C cards
//   explicit the list explicit_cards
// and one_card_rounds = k repeats every 1-card round k times (a house variant).
//
// Trump (Rules::trump_mode):
//   rotation  spades, hearts, clubs, diamonds, no trump, cycling with the round index (default)
//   turn_up   after the deal the next card of the deck is turned face up and its suit is trump;
//             the card is public and belongs to nobody; needs n * P < 52
//   none      always no trump
//
// Bidding: seat d+1 bids first, the dealer last; a bid is 0..n. Hook rule (default on): the
// dealer may not bid the value that makes the sum of all bids equal n.
// Play: seat d+1 leads the first trick. A player must follow the led suit if able, otherwise
// may play any card. The highest trump wins the trick, else the highest card of the led suit.
// The winner of a trick leads the next.
//
// Scoring of a round (Rules::scoring), with b = bid and t = tricks won:
//   exact            10 + b if t == b, else 0  (the default)
//   oh_hell          t + 10 if t == b, else t
//   oh_hell_penalty  t + 10 if t == b, else -|t - b|
// The match winner has the highest total; ties share the win.
//
// Presets: "blob" is all of the defaults above. "openspiel_oh_hell" reproduces OpenSpiel's
// `oh_hell` game: one round of n cards (3..7 players, n <= 51 div P), turned-up trump, scoring
// oh_hell, and the dealer restriction that OpenSpiel's bidding code enforces (the hook rule).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "blobzero/game/cards.h"

namespace blobzero::game {

inline constexpr int kMinPlayers = 3;
inline constexpr int kMaxPlayers = 8;
// The largest hand: 3 players can hold 17 cards each.
inline constexpr int kMaxHandSize = kNumCards / kMinPlayers;
// Actions 0..51 play that card; 52 + b bids b for b = 0..17. Same for every table size.
inline constexpr int kBidActionBase = kNumCards;
inline constexpr int kNumBidActions = kMaxHandSize + 1;
inline constexpr int kNumActions = kBidActionBase + kNumBidActions;
// The most actions one round can have: every card dealt is played, plus one bid per player.
inline constexpr int kMaxRoundActions = kNumCards + kMaxPlayers;
// OpenSpiel's oh_hell supports at most 7 players.
inline constexpr int kMaxOpenSpielPlayers = 7;

constexpr bool IsBidAction(int action) { return action >= kBidActionBase; }
constexpr int BidAction(int bid) { return kBidActionBase + bid; }
constexpr int BidOfAction(int action) { return action - kBidActionBase; }

enum class ScheduleKind : int8_t { kDownUp, kDown, kUp, kFixed, kExplicit };
enum class TrumpMode : int8_t { kRotation, kTurnUp, kNone };
enum class Scoring : int8_t { kExact, kOhHell, kOhHellPenalty };

// The rules of one round (deal): everything a State needs.
struct RoundRules {
  int num_players = 4;
  int num_cards = 5;
  // When true the trump suit is that of a card turned up after the deal; otherwise trump_suit.
  bool turn_up = false;
  // 0..3 or kNoTrump; ignored when turn_up.
  int trump_suit = static_cast<int>(Suit::kSpades);
  bool hook_rule = true;
  Scoring scoring = Scoring::kExact;

  // Throws std::invalid_argument naming the first bad field.
  void Validate() const;
  // Lowest and highest score a player can get in such a round.
  int MinScore() const;
  int MaxScore() const;
  bool operator==(const RoundRules&) const = default;
};

// The rules of a match.
struct Rules {
  int num_players = 4;
  ScheduleKind schedule = ScheduleKind::kDownUp;
  // C: the largest hand of down/up/down_up, the hand of fixed; 0 means min(10, 52 div P).
  int max_cards = 0;
  // Rounds of a fixed schedule; 0 means one per player (everybody deals once).
  int num_rounds = 0;
  std::vector<int> explicit_cards;
  int one_card_rounds = 1;
  TrumpMode trump_mode = TrumpMode::kRotation;
  bool hook_rule = true;
  Scoring scoring = Scoring::kExact;

  // Throws std::invalid_argument naming the first bad field.
  void Validate() const;
  // C after resolving the default.
  int EffectiveMaxCards() const;
  // n_r for every round of the match.
  std::vector<int> CardsPerRound() const;
  // The rules of round `round_index` (its hand size and trump). Throws std::out_of_range.
  RoundRules RoundAt(int round_index) const;
  bool operator==(const Rules&) const = default;
};

// The named presets. num_cards = 0 keeps the preset's default (blob: down_up with C =
// min(10, 52 div P); openspiel_oh_hell: min(10, 51 div P)). Throws std::invalid_argument for an
// unknown name or a player count or hand size the preset does not allow.
Rules Preset(std::string_view name, int num_players, int num_cards = 0);
std::vector<std::string> PresetNames();

// The trump of round r >= 0 under rotation: spades, hearts, clubs, diamonds, no trump, ...
// Throws std::invalid_argument for a negative r.
int RotationTrump(int round_index);

std::string ToString(ScheduleKind kind);
std::string ToString(TrumpMode mode);
std::string ToString(Scoring scoring);
// Parse the names above; throw std::invalid_argument listing the accepted names.
ScheduleKind ParseScheduleKind(std::string_view name);
TrumpMode ParseTrumpMode(std::string_view name);
Scoring ParseScoring(std::string_view name);

// The score of a player with bid `bid` and `tricks` tricks under `scoring`.
int RoundScore(Scoring scoring, int bid, int tricks);

}  // namespace blobzero::game
