#include "blobzero/game/observation.h"

namespace blobzero::game {

ObserverView Observe(const State& state, int observer) {
  ObserverView view;
  view.own_hand = state.hand(observer);  // validates the seat
  view.observer = observer;
  view.rules = state.rules();
  view.dealer = state.dealer();
  view.trump_suit = state.trump_suit();
  view.turned_up = state.turned_up();
  view.phase = state.phase();
  view.current_player = state.current_player();
  view.history = state.History();
  view.played = state.played();
  view.bids.fill(kNoBid);
  for (int p = 0; p < state.num_players(); ++p) {
    view.bids[p] = static_cast<int8_t>(state.bid(p));
    view.tricks_won[p] = static_cast<int8_t>(state.tricks_won(p));
    view.voids[p] = static_cast<uint8_t>(state.voids(p));
    // Public: the cards dealt minus the cards this seat has played.
    view.hand_sizes[p] = static_cast<int8_t>(state.num_cards() - state.num_tricks_completed());
  }
  view.current_trick = state.CurrentTrick();
  if (!view.current_trick.empty()) {
    view.current_trick_leader = state.trick_leader(state.num_tricks_completed());
    for (size_t k = 0; k < view.current_trick.size(); ++k) {
      --view.hand_sizes[(view.current_trick_leader + k) % state.num_players()];
    }
  }
  if (const int done = state.num_tricks_completed(); done > 0) {
    view.last_trick = state.trick_cards(done - 1);
    view.last_trick_leader = state.trick_leader(done - 1);
    view.last_trick_winner = state.trick_winner(done - 1);
  }
  CardSet unseen = CardSet::Full() - view.own_hand - view.played;
  if (view.turned_up != kNoCard) unseen.Erase(view.turned_up);
  view.unseen = unseen;
  return view;
}

}  // namespace blobzero::game
