#include "blobzero/game/serialize.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <stdexcept>
#include <vector>

#include "blobzero/core/text.h"

namespace blobzero::game {
namespace {

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

int ParseInt(std::string_view text, std::string_view field) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw std::invalid_argument("serialized state: field '" + std::string(field) +
                                "' is not an integer: " + core::Quoted(text));
  }
  return value;
}

bool ParseFlag(std::string_view text, std::string_view field) {
  if (text == "0") return false;
  if (text == "1") return true;
  throw std::invalid_argument("serialized state: field '" + std::string(field) +
                              "' must be 0 or 1, not " + core::Quoted(text));
}

std::string Join(const std::vector<int>& cards, char sep) {
  std::string text;
  for (int card : cards) {
    if (!text.empty()) text += sep;
    text += CardToString(card);
  }
  return text;
}

}  // namespace

std::string Serialize(const State& state) {
  const RoundRules& rules = state.rules();
  std::string text(kRoundFormatTag);
  text += " players=" + std::to_string(rules.num_players);
  text += " cards=" + std::to_string(rules.num_cards);
  text +=
      " trump=" + (rules.turn_up ? std::string("up") : std::string(1, SuitChar(rules.trump_suit)));
  text += " hook=" + std::string(rules.hook_rule ? "1" : "0");
  text += " scoring=" + ToString(rules.scoring);
  text += " dealer=" + std::to_string(state.dealer());
  text += " turned_up=" + (state.turned_up() == kNoCard ? "-" : CardToString(state.turned_up()));
  text += " hands=";
  for (int p = 0; p < rules.num_players; ++p) {
    if (p > 0) text += '|';
    text += Join(state.initial_hand(p).ToVector(), ',');
  }
  text += " actions=";
  const std::vector<int> history = state.History();
  for (size_t i = 0; i < history.size(); ++i) {
    if (i > 0) text += ',';
    text += IsBidAction(history[i]) ? "b" + std::to_string(BidOfAction(history[i]))
                                    : CardToString(history[i]);
  }
  return text;
}

State Deserialize(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  std::vector<std::string_view> tokens = Split(text, ' ');
  if (tokens.empty() || tokens[0] != kRoundFormatTag) {
    throw std::invalid_argument("serialized state must start with '" +
                                std::string(kRoundFormatTag) + "'");
  }
  static const std::vector<std::string_view> kKeys = {
      "players", "cards", "trump", "hook", "scoring", "dealer", "turned_up", "hands", "actions"};
  std::map<std::string_view, std::string_view> fields;
  for (size_t i = 1; i < tokens.size(); ++i) {
    const size_t eq = tokens[i].find('=');
    const std::string_view key = tokens[i].substr(0, eq);
    if (eq == std::string_view::npos || std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      throw std::invalid_argument("serialized state: unknown field " + core::Quoted(tokens[i]));
    }
    if (!fields.emplace(key, tokens[i].substr(eq + 1)).second) {
      throw std::invalid_argument("serialized state: field '" + std::string(key) +
                                  "' appears twice");
    }
  }
  for (std::string_view key : kKeys) {
    if (!fields.contains(key)) {
      throw std::invalid_argument("serialized state: missing field '" + std::string(key) + "'");
    }
  }
  RoundRules rules;
  rules.num_players = ParseInt(fields["players"], "players");
  rules.num_cards = ParseInt(fields["cards"], "cards");
  rules.turn_up = fields["trump"] == "up";
  rules.trump_suit = rules.turn_up ? kNoTrump : ParseSuit(fields["trump"]);
  rules.hook_rule = ParseFlag(fields["hook"], "hook");
  rules.scoring = ParseScoring(fields["scoring"]);
  rules.Validate();
  Deal deal;
  deal.dealer = ParseInt(fields["dealer"], "dealer");
  deal.turned_up = fields["turned_up"] == "-" ? kNoCard : ParseCard(fields["turned_up"]);
  const std::vector<std::string_view> hands = Split(fields["hands"], '|');
  if (static_cast<int>(hands.size()) != rules.num_players) {
    throw std::invalid_argument("serialized state: 'hands' lists " + std::to_string(hands.size()) +
                                " hands for " + std::to_string(rules.num_players) + " players");
  }
  for (int p = 0; p < rules.num_players; ++p) deal.hands[p] = ParseCards(hands[p]);
  std::vector<int> actions;
  if (!fields["actions"].empty()) {
    for (std::string_view action : Split(fields["actions"], ',')) {
      actions.push_back(State::ParseAction(action));
    }
  }
  return State::Replay(rules, deal, actions);
}

}  // namespace blobzero::game
