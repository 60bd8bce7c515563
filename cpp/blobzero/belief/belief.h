#pragma once
// What an observer may infer about the cards it cannot see.
//
// A Belief holds the observer's own hand, the cards it has not seen (in opponents' hands or not
// dealt at all), every seat's current hand size and every seat's revealed voids. It is built
// only from public information and the observer's hand, and updated incrementally as actions
// are applied. The determinizer samples hidden hands from a Belief alone, so it cannot peek.
//
// Threading: a plain value; not synchronised.

#include <array>
#include <cstdint>

#include "blobzero/game/cards.h"
#include "blobzero/game/observation.h"
#include "blobzero/game/state.h"

namespace blobzero::belief {

using game::CardSet;

struct Belief {
  int observer = 0;
  int num_players = 0;
  game::CardSet own_hand;
  // Cards the observer has not seen: held by an opponent or not dealt.
  game::CardSet unseen;
  // Current hand size of every seat (the observer's included); unused seats are 0.
  std::array<int8_t, game::kMaxPlayers> hand_sizes{};
  // Per seat, bit s set when the seat has shown it holds no card of suit s.
  std::array<uint8_t, game::kMaxPlayers> voids{};

  // From explicit fields; Validate()s them.
  static Belief FromFields(int observer, int num_players, game::CardSet own_hand,
                           game::CardSet unseen,
                           const std::array<int8_t, game::kMaxPlayers>& hand_sizes,
                           const std::array<uint8_t, game::kMaxPlayers>& voids);
  // From the observer's view of a state.
  static Belief FromView(const game::ObserverView& view);
  // From a state, reading only public information and the observer's hand.
  static Belief FromState(const game::State& state, int observer);

  // Updates the belief for `action` taken by the player to act in `before` (the state before
  // the action). Bids change nothing; a card leaves the unseen set or the observer's hand, its
  // player's hand shrinks, and a failure to follow suit reveals a void. Throws
  // std::invalid_argument if `before` has another table size, if the action is illegal there,
  // or if the card is neither unseen nor in the observer's hand (a state this belief did not
  // follow).
  void Update(const game::State& before, int action);

  // Throws std::invalid_argument naming the first inconsistency: seats out of range, hand sizes
  // outside 0..17, the observer's hand size differing from its hand, unseen cards in the
  // observer's hand, void masks above 15.
  void Validate() const;

  // Number of unseen cards that are dealt to opponents (the rest are not in play).
  int HiddenCardCount() const;
  // Opponents that may still hold `card`: a bitmask over absolute seats.
  uint32_t PossibleHolders(int card) const;

  bool operator==(const Belief&) const = default;
};

}  // namespace blobzero::belief
