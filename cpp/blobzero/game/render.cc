#include "blobzero/game/render.h"

#include <optional>

namespace blobzero::game {
namespace {

constexpr char kRankChars[] = "23456789TJQKA";

// "S:AK H:T9 D:- C:52" — suits high to low, ranks high to low.
std::string HandText(CardSet hand) {
  std::string text;
  for (int suit = kNumSuits - 1; suit >= 0; --suit) {
    if (!text.empty()) text += ' ';
    text += SuitChar(suit);
    text += ':';
    const CardSet cards = hand.InSuit(suit);
    if (cards.Empty()) text += '-';
    for (int rank = kNumRanks - 1; rank >= 0; --rank) {
      if (cards.Contains(MakeCard(suit, rank))) text += kRankChars[rank];
    }
  }
  return text;
}

std::string TrumpText(const RoundRules& rules, int trump_suit, int turned_up) {
  if (rules.turn_up)
    return "trump " + std::string(1, SuitChar(trump_suit)) + " (turned up " +
           CardToString(turned_up) + ")";
  return trump_suit == kNoTrump ? "no trump" : "trump " + std::string(1, SuitChar(trump_suit));
}

// The parts shared by both renderings. `hands[p]` is empty when the hand is hidden.
struct Table {
  RoundRules rules;
  int dealer, trump_suit, turned_up, current_player;
  Phase phase;
  std::array<std::optional<CardSet>, kMaxPlayers> hands;
  std::array<int, kMaxPlayers> bids, tricks_won, hand_sizes;
  std::vector<int> current_trick;
  int current_trick_leader;
  std::vector<int> last_trick;
  int last_trick_leader, last_trick_winner;
  std::optional<std::vector<int>> scores;
};

std::string TrickText(const std::vector<int>& cards) {
  std::string text;
  for (int card : cards) text += " " + CardToString(card);
  return text;
}

std::string RenderTable(const Table& t, const std::string& heading) {
  std::string text = heading;
  text += std::to_string(t.rules.num_players) + " players, " + std::to_string(t.rules.num_cards) +
          " cards, " + TrumpText(t.rules, t.trump_suit, t.turned_up) + ", hook " +
          (t.rules.hook_rule ? "on" : "off") + ", scoring " + ToString(t.rules.scoring) +
          ", dealer " + std::to_string(t.dealer) + "\n";
  text += "phase " + ToString(t.phase);
  if (t.phase != Phase::kTerminal)
    text += ", player " + std::to_string(t.current_player) + " to act";
  text += "\n";
  for (int p = 0; p < t.rules.num_players; ++p) {
    text += "  seat " + std::to_string(p) + "  bid " +
            (t.bids[p] == kNoBid ? std::string("-") : std::to_string(t.bids[p])) + "  won " +
            std::to_string(t.tricks_won[p]) + "  ";
    text += t.hands[p] ? HandText(*t.hands[p])
                       : "(" + std::to_string(t.hand_sizes[p]) + " hidden cards)";
    if (t.scores) text += "  score " + std::to_string((*t.scores)[p]);
    text += "\n";
  }
  if (!t.last_trick.empty()) {
    text += "last trick led by " + std::to_string(t.last_trick_leader) + ":" +
            TrickText(t.last_trick) + ", won by " + std::to_string(t.last_trick_winner) + "\n";
  }
  if (!t.current_trick.empty()) {
    text += "trick led by " + std::to_string(t.current_trick_leader) + ":" +
            TrickText(t.current_trick) + "\n";
  }
  return text;
}

// Everything public comes from the view; `hands` says which hands to show.
Table TableOf(const ObserverView& view) {
  Table t{view.rules,
          view.dealer,
          view.trump_suit,
          view.turned_up,
          view.current_player,
          view.phase,
          {},
          {},
          {},
          {},
          view.current_trick,
          view.current_trick_leader,
          view.last_trick,
          view.last_trick_leader,
          view.last_trick_winner,
          std::nullopt};
  for (int p = 0; p < view.rules.num_players; ++p) {
    t.bids[p] = view.bids[p];
    t.tricks_won[p] = view.tricks_won[p];
    t.hand_sizes[p] = view.hand_sizes[p];
  }
  return t;
}

}  // namespace

std::string ToString(Phase phase) {
  switch (phase) {
    case Phase::kBidding:
      return "bidding";
    case Phase::kPlay:
      return "play";
    case Phase::kTerminal:
      return "terminal";
  }
  return "?";
}

std::string Render(const State& state) {
  Table t = TableOf(Observe(state, 0));
  for (int p = 0; p < state.num_players(); ++p) t.hands[p] = state.hand(p);
  if (state.IsTerminal()) t.scores = state.Scores();
  return RenderTable(t, "");
}

std::string Render(const ObserverView& view) {
  Table t = TableOf(view);
  t.hands[view.observer] = view.own_hand;
  return RenderTable(t, "view of player " + std::to_string(view.observer) + ": ");
}

}  // namespace blobzero::game
