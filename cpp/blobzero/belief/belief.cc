#include "blobzero/belief/belief.h"

#include <stdexcept>
#include <string>

namespace blobzero::belief {

Belief Belief::FromFields(int observer, int num_players, game::CardSet own_hand,
                          game::CardSet unseen,
                          const std::array<int8_t, game::kMaxPlayers>& hand_sizes,
                          const std::array<uint8_t, game::kMaxPlayers>& voids) {
  Belief belief;
  belief.observer = observer;
  belief.num_players = num_players;
  belief.own_hand = own_hand;
  belief.unseen = unseen;
  belief.hand_sizes = hand_sizes;
  belief.voids = voids;
  belief.Validate();
  return belief;
}

void Belief::Validate() const {
  const auto fail = [](const std::string& message) {
    throw std::invalid_argument("invalid belief: " + message);
  };
  if (num_players < game::kMinPlayers || num_players > game::kMaxPlayers) {
    fail("num_players = " + std::to_string(num_players) + " is outside 3..8");
  }
  if (observer < 0 || observer >= num_players) {
    fail("observer " + std::to_string(observer) + " is outside 0.." +
         std::to_string(num_players - 1));
  }
  for (int p = 0; p < game::kMaxPlayers; ++p) {
    const int size = hand_sizes[p];
    if (size < 0 || size > game::kMaxHandSize || (p >= num_players && size != 0)) {
      fail("hand size " + std::to_string(size) + " of seat " + std::to_string(p) +
           " is out of range");
    }
    if (voids[p] > 15)
      fail("void mask " + std::to_string(voids[p]) + " of seat " + std::to_string(p) +
           " is above 15");
  }
  if (own_hand.Size() != hand_sizes[observer]) {
    fail("the observer holds " + std::to_string(own_hand.Size()) + " cards but its hand size is " +
         std::to_string(hand_sizes[observer]));
  }
  if (!(own_hand & unseen).Empty()) {
    fail("card " + game::CardToString((own_hand & unseen).Lowest()) +
         " is both in the observer's hand and unseen");
  }
}

Belief Belief::FromView(const game::ObserverView& view) {
  Belief belief;
  belief.observer = view.observer;
  belief.num_players = view.rules.num_players;
  belief.own_hand = view.own_hand;
  belief.unseen = view.unseen;
  belief.hand_sizes = view.hand_sizes;
  belief.voids = view.voids;
  return belief;
}

Belief Belief::FromState(const game::State& state, int observer) {
  Belief belief;
  belief.own_hand = state.hand(observer);  // validates the seat
  belief.observer = observer;
  belief.num_players = state.num_players();
  CardSet unseen = CardSet::Full() - belief.own_hand - state.played();
  if (state.turned_up() != game::kNoCard) unseen.Erase(state.turned_up());
  belief.unseen = unseen;
  for (int p = 0; p < belief.num_players; ++p) {
    belief.hand_sizes[p] = static_cast<int8_t>(state.hand_size(p));
    belief.voids[p] = static_cast<uint8_t>(state.voids(p));
  }
  return belief;
}

void Belief::Update(const game::State& before, int action) {
  if (before.num_players() != num_players) {
    throw std::invalid_argument("belief update: the state has " +
                                std::to_string(before.num_players()) + " players, the belief " +
                                std::to_string(num_players));
  }
  if (!before.IsLegal(action)) {
    throw std::invalid_argument("belief update: action " + std::to_string(action) +
                                " is not legal in the given state");
  }
  if (before.phase() != game::Phase::kPlay) return;
  const int player = before.current_player();
  const int led_suit = before.led_suit();
  if (player == observer ? !own_hand.Contains(action) : !unseen.Contains(action)) {
    throw std::invalid_argument("belief update: card " + game::CardToString(action) +
                                " is not where this belief puts it (a state it did not follow)");
  }
  if (player == observer) {
    own_hand.Erase(action);
  } else {
    unseen.Erase(action);
  }
  --hand_sizes[player];
  if (led_suit >= 0 && game::SuitOf(action) != led_suit) voids[player] |= 1u << led_suit;
}

int Belief::HiddenCardCount() const {
  int count = 0;
  for (int p = 0; p < num_players; ++p) {
    if (p != observer) count += hand_sizes[p];
  }
  return count;
}

uint32_t Belief::PossibleHolders(int card) const {
  if (!unseen.Contains(card)) return 0;
  const int suit = game::SuitOf(card);
  uint32_t holders = 0;
  for (int p = 0; p < num_players; ++p) {
    if (p != observer && hand_sizes[p] > 0 && !((voids[p] >> suit) & 1)) holders |= 1u << p;
  }
  return holders;
}

}  // namespace blobzero::belief
