#pragma once
// PUCT search over an imperfect-information round, in one of two tree shapes.
//
// PIMC-PUCT (the default): perfect-information Monte-Carlo over determinizations, each searched
// with PUCT. For the player to act (the searcher), D worlds are drawn uniformly from its
// information set (Determinizer over its Belief; with inference_candidates, in proportion to how
// well they explain the opponents' bids, bid_inference.h; the true hidden cards are overwritten,
// never read). Each world gets its own PUCT tree of S simulations. Non-terminal leaves take
// the evaluator's value vector and priors given the leaf's world features (encode::EncodeWorld)
// for the player to act there. The result sums root visit counts over worlds.
//
// Information-set PUCT (PuctConfig::information_set_tree): one tree over the searcher's
// information sets (a node is the action sequence since the root, as in SO-ISMCTS, ismcts.h)
// and D * S simulations, each in a world freshly drawn from the searcher's belief. A simulation
// descends by PUCT among the children legal in its world (priors renormalised over them) and
// asks the evaluator about the leaf as the *searcher* sees it: the searcher's observation
// features (encode::Encode) and the mask of what the player to act may do as far as the searcher
// knows (encode::EncodeActorMask), whose actions become the node's children. Priors at another
// player's node are therefore the network's prediction of that player's move from the
// searcher's information, and every value is the searcher's estimate of every seat's value, so
// an evaluation depends on the node alone, never on the world (with world_critic the features
// also name the holder of each card in the leaf's world, for a value that sees it). Up to
// D * leaves_per_tree simulations are in flight under virtual loss.
//
// In both shapes values are vectors with one entry per seat; at every node the player to act
// maximises its own entry; terminal leaves take the exact round values of their world
// (State::Values); with rollout_weight > 0 other leaves mix in the values of one random
// playout of their world (as AlphaGo mixed its value network with rollouts); past
// max_evaluations leaves take uniform priors and the playout's values alone. Leaves of all
// trees are evaluated in one batch.
//
// The search is a resumable state machine so that a caller can interleave many searches and
// batch their leaves together: Start(), then repeatedly SelectLeaves() -> evaluate -> Backup()
// until Finished(); Run() does this loop with one Evaluator. A caller that packs the leaves of
// many searches into one batch buffer passes the buffer's rows to SelectLeaves(features, masks,
// states), and may share one EvaluationCache between all its searches (set_cache).
//
// Threading: a PimcSearch is used by one thread at a time. A cache given to set_cache may be
// shared with searches on other threads if it is thread-safe (SharedEvaluationCache is).

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/encode/encoder.h"
#include "blobzero/game/state.h"
#include "blobzero/search/bid_inference.h"
#include "blobzero/search/eval_cache.h"
#include "blobzero/search/evaluator.h"

namespace blobzero::search {

// Bounds on a search's size: its trees hold one node per simulation.
inline constexpr int kMaxWorlds = 4096;
inline constexpr int kMaxSimulations = 10'000'000;  // also on num_worlds * simulations_per_world
inline constexpr int kMaxLeavesPerTree = 1024;
inline constexpr int kMaxInferenceCandidates = 65536;
// c_visit of the completed-Q improved policy (PuctConfig::improved_policy_scale), the paper's 50.
inline constexpr double kImprovedPolicyVisitOffset = 50.0;

struct PuctConfig {
  int num_worlds = 3;              // D, 1..kMaxWorlds
  int simulations_per_world = 30;  // S, 1..kMaxSimulations
  double c_puct = 1.5;
  // Leaves selected per tree per batch; above 1, virtual loss spreads them apart.
  int leaves_per_tree = 1;
  double virtual_loss = 1.0;
  // Unvisited children are valued at the parent's mean value minus this.
  double fpu_reduction = 0.2;
  // Root priors become (1 - fraction) * prior + fraction * Dirichlet(alpha); fraction 0 = off.
  double dirichlet_alpha = 0.3;
  double dirichlet_fraction = 0.0;
  // 0 picks the most visited action; otherwise samples proportionally to visits^(1/T).
  double temperature = 0.0;
  // Values are own minus the mean of the others (State::Values(relative = true)).
  bool relative_values = false;
  // Search the true deal as the only world: a perfect-information oracle for tests/analysis.
  bool perfect_information = false;
  // One information-set tree of num_worlds * simulations_per_world simulations, each in its
  // own world, evaluated on the searcher's observation (see the header comment) instead of
  // one PIMC tree per world evaluated on world features.
  bool information_set_tree = false;
  // Information-set tree only: leaves are encoded as the searcher's holder features
  // (encode::EncodeWithHolders of the leaf's world), for a network whose priors read the
  // observation and whose values read the world (a world critic). Evaluations then depend on
  // the world as well as the node.
  bool world_critic = false;
  // Bid inference (bid_inference.h): 0 draws every world uniformly from the searcher's
  // information set; N > 0 draws N candidate worlds uniformly at the start of a search and
  // then every world (of a PIMC tree or a simulation of the information-set tree) from them in
  // proportion to the likelihood of the opponents' bids under a bid model of this spread
  // (tricks). 0..kMaxInferenceCandidates.
  int inference_candidates = 0;
  double bid_spread = 1.0;
  // Leaf values mix the evaluator's with one random playout of the leaf's world:
  // (1 - rollout_weight) * evaluator + rollout_weight * playout, in [0, 1].
  double rollout_weight = 0.0;
  // The most positions a search sends to an evaluator that needs features (a network; 0 = no
  // limit). Once it has sent that many, leaves the cache cannot answer are expanded with
  // uniform priors and valued by one random playout alone, so a search may run many more
  // simulations than network evaluations: the network guides the top of the tree, playouts
  // the rest.
  int max_evaluations = 0;
  // Reuse evaluations of identical encoded positions: within one search, or through the cache
  // given to PimcSearch::set_cache.
  bool use_cache = true;
  // 0: the search's policy (SearchResult::policy, the training target) is the root visits
  // normalised and it plays by visits. > 0: both come from the completed-Q improved policy of
  // Gumbel AlphaZero (Danihelka et al., ICLR 2022) with this scale c:
  //   softmax(log prior(a) + (kImprovedPolicyVisitOffset + max_b N(b)) * c * completed_q(a)),
  // over the root's actions, where prior is the root's network prior before Dirichlet noise
  // (averaged over PIMC trees), N the root visits and completed_q(a) the searcher's mean value
  // through a, or for an unvisited action the prior-weighted mean of the visited ones' values.
  // Values are not rescaled: c = 0.1 turns a value difference of 0.1 into about 1 logit at
  // 50 visits. The move is that policy's most likely action (sampled at temperature > 0).
  double improved_policy_scale = 0.0;

  // Throws std::invalid_argument naming the first bad field.
  void Validate() const;
};

struct SearchResult {
  int action = -1;
  // Root visits summed over worlds, per action, and the search's policy: their normalisation,
  // or the improved policy (PuctConfig::improved_policy_scale).
  std::array<int32_t, game::kNumActions> visits{};
  std::array<float, game::kNumActions> policy{};
  // Mean root value per absolute seat (num_players entries).
  std::vector<float> root_values;
  // The searcher's mean value over the simulations through each root action (0 where
  // unvisited), on the search's value scale.
  std::array<float, game::kNumActions> action_values{};
  int num_evaluations = 0;  // positions sent to the evaluator
  int cache_hits = 0;       // positions answered from the cache
  int num_batches = 0;
  int terminal_leaves = 0;
};

class PimcSearch {
 public:
  // `needs_features`: encode leaves for the evaluator (false for rollout evaluators).
  PimcSearch(const PuctConfig& config, bool needs_features);

  const PuctConfig& config() const { return config_; }

  // Makes the search consult and fill `cache` instead of its own per-search cache (which every
  // Start clears); nullptr restores the per-search cache. Not owned: it must outlive the
  // search's use of it. Has no effect unless config().use_cache and features are needed.
  void set_cache(EvaluationCache* cache) { external_cache_ = cache; }
  EvaluationCache* cache() const { return external_cache_; }
  // The most positions one SelectLeaves can return (num_worlds * leaves_per_tree, or
  // leaves_per_tree for a perfect-information search). Features are encode::Encode of the
  // searcher with information_set_tree (encode::EncodeWithHolders with world_critic), else
  // encode::EncodeWorld of the player to act.
  int max_requests() const;

  // Begins a search of the decision of `state`'s player to act, abandoning any search in
  // progress (also one left by an exception). Throws std::invalid_argument if the state is
  // terminal.
  void Start(const game::State& state, uint64_t seed);
  // Selects leaves until every tree waits for an evaluation or has spent its budget. Returns
  // the number of positions to evaluate: their states are leaf_states()[0..n), their features
  // and masks the first n rows of features()/masks() when features are needed. 0 means the
  // search is finished.
  int SelectLeaves();
  // SelectLeaves writing straight into the caller's arrays of at least max_requests() rows
  // (e.g. a slice of a batch buffer shared by many searches): rows of encode::kFeatureSize
  // feature bytes and encode::kMaskSize mask bytes (both ignored, and may be null, when
  // features are not needed), and the leaf state pointers (may be null; leaf_states() has them
  // too). Rows past the returned count may be overwritten. The state pointers stay valid until
  // Backup; features()/masks() are not written by this form.
  int SelectLeaves(uint8_t* features, uint8_t* masks, const game::State** states);
  const game::State* const* leaf_states() const { return request_states_.data(); }
  const uint8_t* features() const { return features_.data(); }
  const uint8_t* masks() const { return masks_.data(); }
  // Supplies the evaluations of the positions of the last SelectLeaves, in order: logits
  // [n, kNumActions] and values [n, kValueSize]. Throws std::invalid_argument for non-finite
  // numbers.
  void Backup(const float* policy_logits, const float* values);
  bool Finished() const;
  // The result; valid once Finished().
  SearchResult Result();

  // Start + the select/evaluate/backup loop with `evaluator`, polling core::PollInterrupt once
  // a batch. Throws std::logic_error when called again from inside `evaluator` while this
  // search runs (it would abandon the search).
  SearchResult Run(const game::State& state, uint64_t seed, Evaluator& evaluator);

 private:
  struct Node {
    int32_t first_child = -1;
    int16_t num_children = 0;
    uint8_t action = 0;
    bool expanded = false;
    bool pending = false;
    float prior = 0.0f;
    int32_t visits = 0;
    int32_t virtual_visits = 0;
    std::array<float, game::kMaxPlayers> value_sum{};
  };
  struct Tree {
    game::State root;
    std::vector<Node> nodes;
    int completed = 0;
  };
  struct Evaluation {
    std::array<float, game::kNumActions> logits;
    std::array<float, kValueSize> values;
  };
  // A leaf waiting for its evaluation.
  struct PendingLeaf {
    int tree = 0;
    int request = -1;  // row in this batch, or -1 when answered by cached
    Evaluation cached;
    bool playouts_only = false;  // past max_evaluations: uniform priors, playout values
    std::vector<int32_t> path;
    game::State state;
  };
  enum class Selection { kNeedsEvaluation, kTerminal, kCollision };

  Selection SelectOne(int tree_index, PendingLeaf& leaf);
  // The PUCT choice among `node`'s children for `state`'s player to act; with an
  // information-set tree only among the children legal in `state`'s world.
  int SelectChild(const Tree& tree, const Node& node, const game::State& state) const;
  // Writes the actions of the children a leaf in `state` gets: the legal ones in a PIMC tree,
  // encode::EncodeActorMask for the searcher in an information-set tree.
  void ChildMask(const game::State& state, uint8_t* mask) const;
  void Expand(Tree& tree, int node_index, const game::State& state, const float* logits);
  void BackupPath(Tree& tree, const std::vector<int32_t>& path, const float* absolute_values);
  // The completed-Q improved policy from the root priors, visits and action values.
  std::array<double, game::kNumActions> ImprovedPolicy(const SearchResult& result) const;
  void FinishLeaf(PendingLeaf& leaf, const float* logits, const float* relative_values);

  PuctConfig config_;
  bool needs_features_;
  core::Rng rng_;
  std::vector<Tree> trees_;
  // The root priors before Dirichlet noise, averaged over trees.
  std::array<double, game::kNumActions> root_priors_{};
  int searcher_ = 0;
  int num_players_ = 0;
  // Simulations of each tree, and leaves one tree may have in flight at once.
  int simulations_per_tree_ = 0;
  int leaves_per_tree_ = 0;
  // Draws the worlds: each PIMC tree's, or each simulation's in an information-set tree.
  std::optional<WorldSampler> worlds_;
  SearchResult stats_;
  std::vector<PendingLeaf> pending_;
  int num_pending_ = 0;
  std::vector<const game::State*> request_states_;
  std::vector<uint64_t> request_hashes_;
  std::vector<uint8_t> features_;
  std::vector<uint8_t> masks_;
  std::unordered_map<uint64_t, Evaluation> cache_;
  EvaluationCache* external_cache_ = nullptr;
  std::unordered_map<uint64_t, int> batch_rows_;
  bool running_ = false;  // inside Run
};

}  // namespace blobzero::search
