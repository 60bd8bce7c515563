#pragma once
// How the self-play engine sets up each game: one round of Blob with a drawn table size, hand
// size, trump and dealer.
//
// A game's draw is a pure function of its Rng, so a game seeded from the run seed and its game
// id is the same game whichever worker thread plays it.
// Threading: plain values and pure functions.

#include <array>
#include <map>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/game/rules.h"
#include "blobzero/game/state.h"

namespace blobzero::selfplay {

inline constexpr int kNumPlayerCounts = game::kMaxPlayers - game::kMinPlayers + 1;

struct GameSetup {
  // Relative weights of tables of 3..8 players (index P - 3); at least one must be positive.
  // The default plays 4-player games only.
  std::array<double, kNumPlayerCounts> player_weights{0, 1, 0, 0, 0, 0};
  // Hand sizes drawn uniformly; a size too large for a table is skipped for that table. Empty
  // means every size 1..min(10, 52 div P) (the hands of the blob schedule).
  std::vector<int> hand_sizes;
  // rotation: the trump is drawn from clubs, diamonds, hearts, spades and no trump;
  // turn_up: the card after the deal is turned up and names the trump; none: no trump.
  game::TrumpMode trump_mode = game::TrumpMode::kRotation;
  // Rotation only: the weight of no trump against 1 for each suit (1 = all five alike, as a
  // match's rounds cycle through them; 0 = never no trump). Must be 1 in the other modes.
  double no_trump_weight = 1.0;
  bool hook_rule = true;
  game::Scoring scoring = game::Scoring::kExact;

  // Throws std::invalid_argument naming the first bad field (a negative or non-finite weight,
  // no positive weight, a no_trump_weight other than 1 outside rotation, a hand size outside 1..17,
  // a player count with no hand size that fits).
  void Validate() const;
  // Throws std::invalid_argument naming the first entry of hand_sizes that some table the setup
  // draws cannot be dealt ("hand_sizes[i] = n does not fit a table of P players (1..L cards
  // each)"). Self-play skips such sizes for that table; a match of fixed tables refuses them.
  void RequireEveryHandSizeFits() const;
  // The hand sizes a table of `num_players` draws from, ascending.
  std::vector<int> HandSizesFor(int num_players) const;
  // The mean number of decisions (bids and card plays, P * (n + 1)) of a drawn game. The setup
  // must be valid.
  double ExpectedMoves() const;
};

using PlayerWeights = std::array<double, kNumPlayerCounts>;

// GameSetup::player_weights from the ways a config names table sizes: one count, a list drawn
// uniformly (a count listed twice weighs double) or {count: weight}. Throws
// std::invalid_argument naming "num_players" for a count outside 3..8 or an empty list.
PlayerWeights PlayerWeightsOf(int num_players);
PlayerWeights PlayerWeightsOf(const std::vector<int>& num_players);
PlayerWeights PlayerWeightsOf(const std::map<int, double>& weights);

// Draws a game's start: player count by weight, then a hand size, a trump (rotation mode) and a
// dealer, each uniformly, then the cards (seeded by the next number of `rng`). Deterministic in
// `rng`'s state: self-play and the arena both start their games here. The setup must be valid.
game::State DrawGame(const GameSetup& setup, core::Rng& rng);

}  // namespace blobzero::selfplay
