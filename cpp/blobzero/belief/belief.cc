#include "blobzero/belief/belief.h"

namespace blobzero::belief {

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
  if (before.phase() != game::Phase::kPlay) return;
  const int player = before.current_player();
  const int led_suit = before.led_suit();
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
