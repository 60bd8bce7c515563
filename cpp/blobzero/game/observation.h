#pragma once
// What one player may know about a round: its information set.
//
// The view holds the rules, the observer's own hand, the turned-up card, the dealer, and the
// public history (every bid and every card played, with who played it), plus facts derived from
// them: voids, unseen cards, hand sizes, tricks won. It holds nothing else: two states that
// differ only in cards hidden from the observer give equal views.

#include <array>
#include <cstdint>
#include <vector>

#include "blobzero/game/state.h"

namespace blobzero::game {

struct ObserverView {
  int observer = 0;
  RoundRules rules;
  int dealer = 0;
  int trump_suit = kNoTrump;
  int turned_up = kNoCard;
  Phase phase = Phase::kBidding;
  // kNoPlayer once terminal.
  int current_player = kNoPlayer;
  CardSet own_hand;
  // The public action history: bids then cards, in order.
  std::vector<int> history;
  // Per seat (absolute seats; entries past num_players are unused).
  std::array<int8_t, kMaxPlayers> bids{};
  std::array<int8_t, kMaxPlayers> tricks_won{};
  std::array<uint8_t, kMaxPlayers> voids{};
  std::array<int8_t, kMaxPlayers> hand_sizes{};
  CardSet played;
  // Cards the observer has not seen: not in its hand, not played, not turned up.
  CardSet unseen;
  // The current trick in play order and its leader (kNoPlayer between tricks).
  std::vector<int> current_trick;
  int current_trick_leader = kNoPlayer;
  // The last completed trick in play order, its leader and its winner (empty / kNoPlayer before
  // the first trick is complete).
  std::vector<int> last_trick;
  int last_trick_leader = kNoPlayer;
  int last_trick_winner = kNoPlayer;

  bool operator==(const ObserverView&) const = default;
};

// The view of `observer` (0..P-1). Throws std::out_of_range for a bad seat.
ObserverView Observe(const State& state, int observer);

}  // namespace blobzero::game
