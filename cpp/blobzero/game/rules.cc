#include "blobzero/game/rules.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include "blobzero/core/text.h"

namespace blobzero::game {
namespace {

std::string Str(int value) { return std::to_string(value); }

void CheckPlayers(int num_players, int max_players) {
  if (num_players < kMinPlayers || num_players > max_players) {
    throw std::invalid_argument("num_players = " + Str(num_players) + " is outside " +
                                Str(kMinPlayers) + ".." + Str(max_players));
  }
}

// The largest hand for P players; one card fewer per player when a card is turned up.
int LargestHand(int num_players, bool turn_up) {
  return (kNumCards - (turn_up ? 1 : 0)) / num_players;
}

void CheckHandSize(int num_cards, int num_players, bool turn_up, const std::string& field) {
  const int largest = LargestHand(num_players, turn_up);
  if (num_cards < 1 || num_cards > largest) {
    std::string why = turn_up ? " (n * P must stay below 52 with a turned-up card)"
                              : " (n * P must not exceed the 52-card deck)";
    throw std::invalid_argument(field + " = " + Str(num_cards) + " is outside 1.." + Str(largest) +
                                " for " + Str(num_players) + " players" + why);
  }
}

template <typename Enum, size_t N>
Enum ParseName(std::string_view name, const std::array<std::pair<const char*, Enum>, N>& names,
               const char* what) {
  for (const auto& [text, value] : names) {
    if (name == text) return value;
  }
  std::string accepted;
  for (const auto& [text, value] : names)
    accepted += std::string(accepted.empty() ? "" : ", ") + text;
  throw std::invalid_argument("unknown " + std::string(what) + " " + core::Quoted(name) +
                              " (expected one of: " + accepted + ")");
}

constexpr std::array<std::pair<const char*, ScheduleKind>, 5> kScheduleNames{{
    {"down_up", ScheduleKind::kDownUp},
    {"down", ScheduleKind::kDown},
    {"up", ScheduleKind::kUp},
    {"fixed", ScheduleKind::kFixed},
    {"explicit", ScheduleKind::kExplicit},
}};
constexpr std::array<std::pair<const char*, TrumpMode>, 3> kTrumpNames{{
    {"rotation", TrumpMode::kRotation},
    {"turn_up", TrumpMode::kTurnUp},
    {"none", TrumpMode::kNone},
}};
constexpr std::array<std::pair<const char*, Scoring>, 3> kScoringNames{{
    {"exact", Scoring::kExact},
    {"oh_hell", Scoring::kOhHell},
    {"oh_hell_penalty", Scoring::kOhHellPenalty},
}};

template <typename Enum, size_t N>
std::string NameOf(Enum value, const std::array<std::pair<const char*, Enum>, N>& names) {
  for (const auto& [text, v] : names) {
    if (v == value) return text;
  }
  throw std::invalid_argument("invalid enum value " + Str(static_cast<int>(value)));
}

}  // namespace

void RoundRules::Validate() const {
  CheckPlayers(num_players, kMaxPlayers);
  CheckHandSize(num_cards, num_players, turn_up, "num_cards");
  if (!turn_up && trump_suit != kNoTrump && (trump_suit < 0 || trump_suit >= kNumSuits)) {
    throw std::invalid_argument("trump_suit = " + Str(trump_suit) +
                                " is neither a suit 0..3 nor no trump (-1)");
  }
  NameOf(scoring, kScoringNames);
}

int RoundRules::MinScore() const { return scoring == Scoring::kOhHellPenalty ? -num_cards : 0; }

int RoundRules::MaxScore() const { return 10 + num_cards; }

int Rules::EffectiveMaxCards() const {
  return max_cards != 0 ? max_cards : std::min(10, kNumCards / num_players);
}

void Rules::Validate() const {
  CheckPlayers(num_players, kMaxPlayers);
  NameOf(schedule, kScheduleNames);
  NameOf(trump_mode, kTrumpNames);
  NameOf(scoring, kScoringNames);
  const bool turn_up = trump_mode == TrumpMode::kTurnUp;
  if (schedule == ScheduleKind::kExplicit) {
    if (explicit_cards.empty()) {
      throw std::invalid_argument("explicit_cards is empty: an explicit schedule needs hand sizes");
    }
    for (size_t i = 0; i < explicit_cards.size(); ++i) {
      CheckHandSize(explicit_cards[i], num_players, turn_up, "explicit_cards[" + Str(i) + "]");
    }
  } else {
    if (!explicit_cards.empty()) {
      throw std::invalid_argument("explicit_cards is only allowed with schedule 'explicit'");
    }
    if (max_cards != 0) CheckHandSize(max_cards, num_players, turn_up, "max_cards");
    CheckHandSize(EffectiveMaxCards(), num_players, turn_up, "max_cards");
  }
  if (num_rounds < 0) {
    throw std::invalid_argument("num_rounds = " + Str(num_rounds) + " is negative");
  }
  if (num_rounds != 0 && schedule != ScheduleKind::kFixed) {
    throw std::invalid_argument("num_rounds is only allowed with schedule 'fixed'");
  }
  if (one_card_rounds < 1 || one_card_rounds > 100) {
    throw std::invalid_argument("one_card_rounds = " + Str(one_card_rounds) + " is outside 1..100");
  }
}

std::vector<int> Rules::CardsPerRound() const {
  Validate();
  const int c = EffectiveMaxCards();
  std::vector<int> base;
  switch (schedule) {
    case ScheduleKind::kDownUp:
      for (int n = c; n >= 1; --n) base.push_back(n);
      for (int n = 2; n <= c; ++n) base.push_back(n);
      break;
    case ScheduleKind::kDown:
      for (int n = c; n >= 1; --n) base.push_back(n);
      break;
    case ScheduleKind::kUp:
      for (int n = 1; n <= c; ++n) base.push_back(n);
      break;
    case ScheduleKind::kFixed:
      base.assign(num_rounds != 0 ? num_rounds : num_players, c);
      break;
    case ScheduleKind::kExplicit:
      base = explicit_cards;
      break;
  }
  std::vector<int> rounds;
  for (int n : base) rounds.insert(rounds.end(), n == 1 ? one_card_rounds : 1, n);
  return rounds;
}

int RotationTrump(int round_index) {
  if (round_index < 0) {
    throw std::invalid_argument("round_index = " + std::to_string(round_index) +
                                " must not be negative");
  }
  constexpr int kRotation[] = {static_cast<int>(Suit::kSpades), static_cast<int>(Suit::kHearts),
                               static_cast<int>(Suit::kClubs), static_cast<int>(Suit::kDiamonds),
                               kNoTrump};
  return kRotation[round_index % 5];
}

RoundRules Rules::RoundAt(int round_index) const {
  const std::vector<int> cards = CardsPerRound();
  if (round_index < 0 || round_index >= static_cast<int>(cards.size())) {
    throw std::out_of_range("round index " + Str(round_index) + " is outside 0.." +
                            Str(static_cast<int>(cards.size()) - 1));
  }
  RoundRules round;
  round.num_players = num_players;
  round.num_cards = cards[round_index];
  round.turn_up = trump_mode == TrumpMode::kTurnUp;
  round.trump_suit = trump_mode == TrumpMode::kRotation ? RotationTrump(round_index) : kNoTrump;
  round.hook_rule = hook_rule;
  round.scoring = scoring;
  return round;
}

Rules Preset(std::string_view name, int num_players, int num_cards) {
  Rules rules;
  if (name == "blob") {
    CheckPlayers(num_players, kMaxPlayers);
    rules.num_players = num_players;
    rules.max_cards = num_cards != 0 ? num_cards : std::min(10, kNumCards / num_players);
  } else if (name == "openspiel_oh_hell") {
    CheckPlayers(num_players, kMaxOpenSpielPlayers);
    rules.num_players = num_players;
    rules.schedule = ScheduleKind::kFixed;
    rules.num_rounds = 1;
    rules.max_cards =
        num_cards != 0 ? num_cards : std::min(10, LargestHand(num_players, /*turn_up=*/true));
    rules.trump_mode = TrumpMode::kTurnUp;
    rules.hook_rule = true;
    rules.scoring = Scoring::kOhHell;
  } else {
    throw std::invalid_argument("unknown preset " + core::Quoted(name) +
                                " (expected one of: blob, openspiel_oh_hell)");
  }
  rules.Validate();
  return rules;
}

std::vector<std::string> PresetNames() { return {"blob", "openspiel_oh_hell"}; }

std::string ToString(ScheduleKind kind) { return NameOf(kind, kScheduleNames); }
std::string ToString(TrumpMode mode) { return NameOf(mode, kTrumpNames); }
std::string ToString(Scoring scoring) { return NameOf(scoring, kScoringNames); }
ScheduleKind ParseScheduleKind(std::string_view name) {
  return ParseName(name, kScheduleNames, "schedule");
}
TrumpMode ParseTrumpMode(std::string_view name) {
  return ParseName(name, kTrumpNames, "trump mode");
}
Scoring ParseScoring(std::string_view name) { return ParseName(name, kScoringNames, "scoring"); }

int RoundScore(Scoring scoring, int bid, int tricks) {
  const bool made = bid == tricks;
  switch (scoring) {
    case Scoring::kExact:
      return made ? 10 + bid : 0;
    case Scoring::kOhHell:
      return made ? tricks + 10 : tricks;
    case Scoring::kOhHellPenalty:
      return made ? tricks + 10 : -std::abs(tricks - bid);
  }
  return 0;
}

}  // namespace blobzero::game
