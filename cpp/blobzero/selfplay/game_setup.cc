#include "blobzero/selfplay/game_setup.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "blobzero/core/text.h"

namespace blobzero::selfplay {
namespace {

using core::Str;

// The largest hand for P players; one card fewer each when a card is turned up.
int LargestHand(int num_players, bool turn_up) {
  return (game::kNumCards - (turn_up ? 1 : 0)) / num_players;
}

int PlayerIndex(int num_players) {
  if (num_players < game::kMinPlayers || num_players > game::kMaxPlayers) {
    throw std::invalid_argument("num_players: " + Str(num_players) + " is outside 3..8");
  }
  return num_players - game::kMinPlayers;
}

}  // namespace

PlayerWeights PlayerWeightsOf(int num_players) {
  PlayerWeights weights{};
  weights[PlayerIndex(num_players)] = 1;
  return weights;
}

PlayerWeights PlayerWeightsOf(const std::vector<int>& num_players) {
  if (num_players.empty()) throw std::invalid_argument("num_players: the list is empty");
  PlayerWeights weights{};
  for (int p : num_players) weights[PlayerIndex(p)] += 1;
  return weights;
}

PlayerWeights PlayerWeightsOf(const std::map<int, double>& weights_by_count) {
  PlayerWeights weights{};
  for (const auto& [p, w] : weights_by_count) weights[PlayerIndex(p)] = w;
  return weights;
}

std::vector<int> GameSetup::HandSizesFor(int num_players) const {
  const int largest = LargestHand(num_players, trump_mode == game::TrumpMode::kTurnUp);
  std::vector<int> sizes;
  if (hand_sizes.empty()) {
    for (int n = 1; n <= std::min(10, game::kNumCards / num_players); ++n) sizes.push_back(n);
    return sizes;
  }
  for (int n : hand_sizes) {
    if (n >= 1 && n <= largest) sizes.push_back(n);
  }
  std::sort(sizes.begin(), sizes.end());
  return sizes;
}

double GameSetup::ExpectedMoves() const {
  double weighted = 0;
  double total_weight = 0;
  for (int i = 0; i < kNumPlayerCounts; ++i) {
    if (player_weights[i] <= 0) continue;
    const int p = game::kMinPlayers + i;
    const std::vector<int> sizes = HandSizesFor(p);
    double moves = 0;
    for (int n : sizes) moves += p * (n + 1);
    weighted += player_weights[i] * moves / static_cast<double>(sizes.size());
    total_weight += player_weights[i];
  }
  return weighted / total_weight;
}

void GameSetup::Validate() const {
  double total = 0;
  for (int i = 0; i < kNumPlayerCounts; ++i) {
    const double w = player_weights[i];
    if (!std::isfinite(w) || w < 0) {
      throw std::invalid_argument("player_weights: the weight of " + Str(game::kMinPlayers + i) +
                                  " players is " + std::to_string(w) +
                                  "; weights must be finite and not negative");
    }
    total += w;
  }
  if (!(total > 0)) {
    throw std::invalid_argument("player_weights: no player count 3..8 has a positive weight");
  }
  for (size_t i = 0; i < hand_sizes.size(); ++i) {
    if (hand_sizes[i] < 1 || hand_sizes[i] > game::kMaxHandSize) {
      throw std::invalid_argument("hand_sizes[" + Str(static_cast<int>(i)) + "] = " +
                                  Str(hand_sizes[i]) + " is outside 1.." + Str(game::kMaxHandSize));
    }
  }
  if (trump_mode != game::TrumpMode::kRotation && trump_mode != game::TrumpMode::kTurnUp &&
      trump_mode != game::TrumpMode::kNone) {
    throw std::invalid_argument("trump_mode is not rotation, turn_up or none");
  }
  if (!std::isfinite(no_trump_weight) || no_trump_weight < 0) {
    throw std::invalid_argument("no_trump_weight = " + std::to_string(no_trump_weight) +
                                " must be finite and >= 0");
  }
  if (no_trump_weight != 1.0 && trump_mode != game::TrumpMode::kRotation) {
    throw std::invalid_argument("no_trump_weight = " + std::to_string(no_trump_weight) +
                                " needs trump_mode rotation (it weighs the trumps rotation draws)");
  }
  if (scoring != game::Scoring::kExact && scoring != game::Scoring::kOhHell &&
      scoring != game::Scoring::kOhHellPenalty) {
    throw std::invalid_argument("scoring is not exact, oh_hell or oh_hell_penalty");
  }
  for (int i = 0; i < kNumPlayerCounts; ++i) {
    const int p = game::kMinPlayers + i;
    if (player_weights[i] > 0 && HandSizesFor(p).empty()) {
      throw std::invalid_argument(
          "hand_sizes: none fits a table of " + Str(p) + " players (at most " +
          Str(LargestHand(p, trump_mode == game::TrumpMode::kTurnUp)) + " cards each)");
    }
  }
}

void GameSetup::RequireEveryHandSizeFits() const {
  const bool turn_up = trump_mode == game::TrumpMode::kTurnUp;
  for (int i = 0; i < kNumPlayerCounts; ++i) {
    if (player_weights[i] <= 0) continue;
    const int p = game::kMinPlayers + i;
    const int largest = LargestHand(p, turn_up);
    for (size_t k = 0; k < hand_sizes.size(); ++k) {
      if (hand_sizes[k] < 1 || hand_sizes[k] > largest) {
        throw std::invalid_argument("hand_sizes[" + Str(static_cast<int>(k)) +
                                    "] = " + Str(hand_sizes[k]) + " does not fit a table of " +
                                    Str(p) + " players (1.." + Str(largest) + " cards each" +
                                    (turn_up ? " with a card turned up)" : ")"));
      }
    }
  }
}

game::State DrawGame(const GameSetup& setup, core::Rng& rng) {
  double total = 0;
  for (double w : setup.player_weights) total += w;
  double r = rng.Uniform() * total;
  int index = 0;
  for (int i = 0; i < kNumPlayerCounts; ++i) {
    if (setup.player_weights[i] <= 0) continue;
    index = i;  // the last positive weight takes any rounding remainder
    if ((r -= setup.player_weights[i]) < 0) break;
  }
  game::RoundRules rules;
  rules.num_players = game::kMinPlayers + index;
  const std::vector<int> sizes = setup.HandSizesFor(rules.num_players);
  rules.num_cards = sizes[rng.Below(static_cast<uint32_t>(sizes.size()))];
  rules.hook_rule = setup.hook_rule;
  rules.scoring = setup.scoring;
  switch (setup.trump_mode) {
    case game::TrumpMode::kRotation: {
      // 0..3 a suit, 4 no trump. Equal weights draw one number below 5, so those deals stay
      // the ones every earlier seed gave.
      int t = game::kNumSuits;
      if (setup.no_trump_weight == 1.0) {
        t = static_cast<int>(rng.Below(game::kNumSuits + 1));
      } else {
        const double u = rng.Uniform() * (game::kNumSuits + setup.no_trump_weight);
        if (u < game::kNumSuits) t = static_cast<int>(u);
      }
      rules.turn_up = false;
      rules.trump_suit = t == game::kNumSuits ? game::kNoTrump : t;
      break;
    }
    case game::TrumpMode::kTurnUp:
      rules.turn_up = true;
      rules.trump_suit = game::kNoTrump;
      break;
    case game::TrumpMode::kNone:
      rules.turn_up = false;
      rules.trump_suit = game::kNoTrump;
      break;
  }
  const int dealer = static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players)));
  return game::State(rules, dealer, rng.Next());
}

}  // namespace blobzero::selfplay
