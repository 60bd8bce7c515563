#pragma once
// SO-ISMCTS: single-observer information-set Monte-Carlo tree search (Cowling, Powley and
// Whitehouse, "Information Set Monte Carlo Tree Search", IEEE TCIAIG 2012), the classical
// baseline that blobzero's PIMC-PUCT search and networks are measured against.
//
// One tree over the searcher's information sets: a node is the sequence of actions taken since
// the root, whoever took them (the searcher cannot tell two worlds apart by anything else, and
// in Blob whose turn it is follows from the public history, so every node has one player to
// act). Each simulation
//   1. draws a fresh world uniformly from the searcher's information set: the Determinizer over
//      Belief::FromState(state, searcher), the world being state.WithHands(sample) -- the true
//      hidden hands are overwritten, never read;
//   2. descends while every action legal in that world already has a child: among the children
//      legal in the world, UCB1 with availability counts picks
//          mean reward of the player to act + uct_c * sqrt(ln(availability) / visits),
//      where a child's availability counts the simulations that reached its parent with the
//      child's action legal (this one included);
//   3. expands one untried legal action drawn uniformly at random;
//   4. plays uniformly random legal actions to the end of the round (RandomPlayout);
//   5. backs up the value vector (State::Values, per absolute seat): each node accumulates the
//      value of the player who chose the action leading to it.
// The move is the root action with the most visits (ties: the lowest action id), or one drawn in
// proportion to the visits (IsmctsFinalPolicy::kNormalizedVisitCount). A decision with a single
// legal action is answered without searching (0 simulations), as OpenSpiel's ISMCTSBot does.
//
// Speed: nodes live in one pool preallocated for the whole search (a simulation adds at most one
// node), children form sibling lists, sqrt(ln(availability)) comes from a table, each node keeps
// its mean and uct_c / sqrt(visits) up to date, and the value vector is computed in place; a
// simulation allocates nothing on the heap. Everything random flows from the seed of Run, so a
// search is deterministic given (state's information set, config, seed).
//
// Exploration constant. Rewards are State::Values, v = 2 (score - min) / (max - min) - 1, so a
// UCB constant c on this scale equals c * (max - min) / 2 on raw scores. OpenSpiel's ISMCTSBot
// backs up raw returns (oh_hell: tricks + 10 if exact, 0..15 with 5 cards), so its uct_c = k
// matches ours = k * 2 / 15 there; UctCFromRawScores does the conversion. The default 0.67 is
// OpenSpiel's 5.0 (the constant of OpenSpiel's own IS-MCTS tests; its C++ bot has no default)
// at 5 cards, and lies in the flat optimum of a sweep against HeuristicBot (4 x 5 oh_hell,
// 1,000 simulations: 0.5 to 2.5 within noise, 0.2 clearly worse).
//
// Against OpenSpiel's ISMCTSBot (open_spiel/algorithms/is_mcts.cc), for fair comparisons: give
// it the same simulations, RandomRolloutEvaluator(n_rollouts = 1), uct_c = ours * 15 / 2 at 5
// cards, and final_policy_type = MAX_VISIT_COUNT (its default NORMALIZED_VISIT_COUNT makes Step
// sample in proportion to visits: our kNormalizedVisitCount). Differences that remain: it keys
// nodes by (player to act, that player's information state string in the sampled world), so
// opponents' nodes split by their sampled hands, and its UCB uses the parent's visit count (no
// availability counts); its oh_hell ResampleFromInfostate only permutes the opponents' actual
// unplayed cards among them, so it never puts an undealt card in an opponent's hand.
//
// Threading: an IsmctsSearch is used by one thread at a time; separate searches share nothing.

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/game/rules.h"
#include "blobzero/game/state.h"

namespace blobzero::search {

// How the move is chosen from the root visit counts.
enum class IsmctsFinalPolicy : int8_t {
  // The most visited action; ties go to the lowest action id.
  kMaxVisitCount,
  // An action drawn with probability visits / total (OpenSpiel's ISMCTSBot::Step default).
  kNormalizedVisitCount,
};

// The default exploration constant on the value scale of State::Values (see the header comment).
inline constexpr double kDefaultIsmctsUctC = 0.67;

// The most simulations one decision may take (its tree holds one node per simulation).
inline constexpr int kMaxIsmctsSimulations = 10'000'000;
// Run() checks core::PollInterrupt every this many simulations.
inline constexpr int kInterruptPollSimulations = 4096;

struct IsmctsConfig {
  // Simulations (determinization + descent + expansion + rollout) per decision,
  // 1..kMaxIsmctsSimulations.
  int simulations = 1000;
  // UCB1 exploration constant on the [-1, 1] value scale.
  double uct_c = kDefaultIsmctsUctC;
  // Rewards are own value minus the mean of the others' (State::Values(relative = true)).
  bool relative_values = false;
  IsmctsFinalPolicy final_policy = IsmctsFinalPolicy::kMaxVisitCount;

  // Throws std::invalid_argument naming the first bad field.
  void Validate() const;
};

// The exploration constant on our value scale equivalent to `raw_uct_c` on raw round scores
// (OpenSpiel's returns) for `rules`: raw_uct_c * 2 / (MaxScore - MinScore).
double UctCFromRawScores(double raw_uct_c, const game::RoundRules& rules);

struct IsmctsResult {
  int action = -1;
  // Root visits per action id (zero for actions never tried) and their normalisation; for a
  // single legal action the policy is 1 on it and no visits are counted.
  std::array<int32_t, game::kNumActions> visits{};
  std::array<float, game::kNumActions> policy{};
  // The searcher's mean reward after each root action (0 where unvisited).
  std::array<float, game::kNumActions> mean_values{};
  int simulations = 0;  // simulations run
  int num_nodes = 0;    // tree nodes, the root included
};

class IsmctsSearch {
 public:
  // Throws std::invalid_argument for a bad config. Preallocates the node pool.
  explicit IsmctsSearch(const IsmctsConfig& config);

  const IsmctsConfig& config() const { return config_; }

  // Searches the decision of `state`'s player to act, reading only that player's information
  // set. Deterministic in (information set, config, seed). Throws std::invalid_argument for a
  // finished round, or if no deal is consistent with the searcher's belief.
  IsmctsResult Run(const game::State& state, uint64_t seed);

  // For tests and analysis: called with every simulation's determinized world before the
  // descent (nullptr = none). Slows the search down.
  void set_world_callback(std::function<void(const game::State&)> callback) {
    world_callback_ = std::move(callback);
  }

 private:
  struct Node {
    // Bits of the actions that have a child: the card id in play, the bid in bidding.
    uint64_t tried = 0;
    // Sum of the rewards of `player` over the simulations through this node, their mean, and
    // uct_c / sqrt(visits): kept up to date by the backup so that selection needs neither a
    // division nor a square root per child.
    double reward_sum = 0;
    double mean = 0;
    double explore = 0;
    int32_t first_child = -1;
    int32_t next_sibling = -1;
    int32_t visits = 0;
    int32_t available = 0;
    uint8_t action = 0;  // the action leading here
    uint8_t bit = 0;     // its bit in the parent's `tried`
    int8_t player = 0;   // who chose `action`: the player to act at the parent
  };

  // One simulation from the determinized world in world_ (consumed).
  void Simulate();
  // Index of a new child of `parent` for `bit`, linked first in the parent's sibling list.
  int32_t AddChild(int32_t parent, int bit, bool play, int player);

  IsmctsConfig config_;
  core::Rng rng_;
  std::vector<Node> nodes_;
  // sqrt_log_[n] = sqrt(ln(n)) for availability counts 0..simulations.
  std::vector<double> sqrt_log_;
  std::array<int32_t, game::kMaxRoundActions + 2> path_{};
  game::State world_;
  std::function<void(const game::State&)> world_callback_;
};

}  // namespace blobzero::search
