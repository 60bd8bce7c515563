#pragma once
// Information set -> network features: compact integer tokens, one layout for every table size.
//
// A position is kNumTokens = 61 tokens of kNumFields = 8 uint8 fields (488 bytes), seen by one
// observer. Seats are relative to the observer: r = (seat - observer) mod P, so 0 is "me",
// 1 my left-hand neighbour, and so on.
//
// Tokens 0..51, one per card (token c is card c):
//   0 rank 0..12          1 suit 0..3          2 is trump 0/1
//   3 location: 0 unseen, 1 in my hand, 2 played in an earlier trick, 3 in the current trick,
//     4 turned up, 5 in another player's hand (world features only)
//   4 relative seat that played it 0..7, 8 if not played
//   5 trick it was played in 0..16, 17 if not played
//   6 relative seats that may still hold it (bit r-1 for relative seat r = 1..7; 0 when known)
//   7 legal for me to play now 0/1
// Tokens 52..59, one per relative seat r = 0..7 (all zero for r >= P):
//   0 present 1              1 bid 0..17, 18 before it bids
//   2 tricks won 0..17       3 void suits, bitmask 0..15
//   4 cards in hand 0..17    5 is dealer 0/1
//   6 is to act 0/1          7 position in the bidding order 0..7 (0 bids first)
// Token 60, global:
//   0 phase: 0 bidding, 1 play, 2 over     1 cards per player n 1..17
//   2 players P 3..8                       3 trump suit 0..3, 4 no trump
//   4 bid the hook rule forbids me now 0..17, 18 none
//   5 tricks completed 0..17               6 led suit of the current trick 0..3, 4 none
//   7 rules: 4 * scoring (exact 0, oh_hell 1, oh_hell_penalty 2) + 2 * hook rule + turn-up
//
// The legal mask is kNumActions = 70 bytes, 1 for each legal action of the observer (all zero
// when the observer is not to act).
//
// Only public information and the observer's own hand reach the features: two states that
// differ only in cards hidden from the observer encode identically (tested).
//
// World features (EncodeWorld) describe a whole deal for evaluating it: the observer's features
// with every card held by another seat r marked location 5 and field 6 = bit r-1 alone, and
// field 6 = 0 on the undealt cards (location 0). The search encodes its determinized worlds this
// way, so a leaf's value sees the hands the world gives every player; those worlds come from the
// searcher's belief, never from hidden cards. Self-play records the true deal's world features
// as training input.
//
// Holder features (EncodeWithHolders) carry both views in one row: the observer's features with
// field 7 of each card token = legal + 2 * h, where h is the relative seat 1..7 of the other
// player that holds the card in `state` (0 for every card no other seat holds). Field 7 & 1 gives
// back Encode exactly; setting location 5 and field 6 = bit h-1 on the cards with h > 0, field
// 6 = 0 on the other unseen cards and field 7 to its low bit gives back EncodeWorld exactly. A
// network reads its policy from the first and its value from the second, so an information-set
// tree evaluates each leaf's world with a critic that sees it, while its priors see only the
// observer's information.
// Threading: pure functions; safe to call concurrently.

#include <cstdint>

#include "blobzero/game/rules.h"
#include "blobzero/game/state.h"

namespace blobzero::encode {

inline constexpr int kNumCardTokens = game::kNumCards;
inline constexpr int kNumSeatTokens = game::kMaxPlayers;
inline constexpr int kNumTokens = kNumCardTokens + kNumSeatTokens + 1;
inline constexpr int kNumFields = 8;
inline constexpr int kFeatureSize = kNumTokens * kNumFields;
inline constexpr int kSeatTokenBase = kNumCardTokens;
inline constexpr int kGlobalToken = kNumCardTokens + kNumSeatTokens;
inline constexpr int kMaskSize = game::kNumActions;

// Card token locations.
enum CardLocation : uint8_t {
  kUnseen = 0,
  kInMyHand = 1,
  kPlayedEarlier = 2,
  kInCurrentTrick = 3,
  kTurnedUp = 4,
  kInOtherHand = 5
};
inline constexpr uint8_t kNotPlayedSeat = 8;
inline constexpr uint8_t kNotPlayedTrick = game::kMaxHandSize;
inline constexpr uint8_t kNoBidCode = game::kMaxHandSize + 1;
inline constexpr uint8_t kNoTrumpCode = 4;
inline constexpr uint8_t kNoSuitCode = 4;
// Field 7 of a card token in holder features: legal bit, then the holder's relative seat.
inline constexpr int kHolderShift = 1;

// Writes the kFeatureSize bytes of `observer`'s view of `state` to `features`.
// Throws std::out_of_range for a bad observer.
void Encode(const game::State& state, int observer, uint8_t* features);
// Writes the kFeatureSize bytes of the world features of `state` for `observer` (see above).
void EncodeWorld(const game::State& state, int observer, uint8_t* features);
// Writes the kFeatureSize bytes of the holder features of `state` for `observer` (see above).
void EncodeWithHolders(const game::State& state, int observer, uint8_t* features);
// Writes the kMaskSize-byte legal mask of `observer` to `mask`.
void EncodeLegalMask(const game::State& state, int observer, uint8_t* mask);
// Writes the kMaskSize-byte mask of the actions the player to act may take as far as `observer`
// knows: the legal mask when `observer` is to act; otherwise the legal bids (public) in the
// bidding, and in the play every card the player to act may hold by the observer's belief
// (unseen by the observer, not of a suit it has shown void in). A superset of the legal actions
// of every deal consistent with the observer's information; reads nothing else. All zero when
// the round is over. Throws std::out_of_range for a bad observer.
void EncodeActorMask(const game::State& state, int observer, uint8_t* mask);

// 64-bit hash of an encoded position, for evaluation caches (the features determine the mask).
uint64_t HashFeatures(const uint8_t* features);

}  // namespace blobzero::encode
