#include "blobzero/search/pimc.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "blobzero/core/interrupt.h"
#include "blobzero/core/text.h"
#include "blobzero/search/visits.h"

namespace blobzero::search {
namespace {

using core::Require;

// Whether `action` is among the legal cards or bids given as bits.
inline bool IsIn(int action, uint64_t cards, uint32_t bids) {
  return action < game::kNumCards ? (cards >> action) & 1
                                  : (bids >> (action - game::kBidActionBase)) & 1;
}

}  // namespace

void PuctConfig::Validate() const {
  Require(num_worlds >= 1 && num_worlds <= kMaxWorlds,
          "num_worlds = " + std::to_string(num_worlds) + " is outside 1.." +
              std::to_string(kMaxWorlds));
  Require(simulations_per_world >= 1 && simulations_per_world <= kMaxSimulations,
          "simulations_per_world = " + std::to_string(simulations_per_world) + " is outside 1.." +
              std::to_string(kMaxSimulations));
  Require(static_cast<int64_t>(num_worlds) * simulations_per_world <= kMaxSimulations,
          "num_worlds * simulations_per_world = " +
              std::to_string(static_cast<int64_t>(num_worlds) * simulations_per_world) +
              " is more than " + std::to_string(kMaxSimulations) + " simulations a decision");
  Require(leaves_per_tree >= 1 && leaves_per_tree <= kMaxLeavesPerTree,
          "leaves_per_tree = " + std::to_string(leaves_per_tree) + " is outside 1.." +
              std::to_string(kMaxLeavesPerTree));
  for (const auto& [name, value] : {std::pair{"c_puct", c_puct},
                                    {"virtual_loss", virtual_loss},
                                    {"fpu_reduction", fpu_reduction},
                                    {"dirichlet_alpha", dirichlet_alpha},
                                    {"dirichlet_fraction", dirichlet_fraction},
                                    {"temperature", temperature},
                                    {"rollout_weight", rollout_weight},
                                    {"improved_policy_scale", improved_policy_scale}}) {
    Require(std::isfinite(value),
            std::string(name) + " = " + std::to_string(value) + " must be a finite number");
  }
  Require(c_puct > 0, "c_puct must be positive");
  Require(virtual_loss >= 0, "virtual_loss must not be negative");
  Require(dirichlet_alpha > 0, "dirichlet_alpha must be positive");
  Require(dirichlet_fraction >= 0 && dirichlet_fraction <= 1,
          "dirichlet_fraction must be within 0..1");
  Require(temperature >= 0, "temperature must not be negative");
  Require(rollout_weight >= 0 && rollout_weight <= 1, "rollout_weight must be within 0..1");
  Require(max_evaluations >= 0, "max_evaluations must not be negative");
  Require(improved_policy_scale >= 0, "improved_policy_scale must not be negative");
  Require(inference_candidates >= 0 && inference_candidates <= kMaxInferenceCandidates,
          "inference_candidates = " + std::to_string(inference_candidates) + " is outside 0.." +
              std::to_string(kMaxInferenceCandidates));
  Require(std::isfinite(bid_spread) && bid_spread > 0, "bid_spread must be a positive number");
  Require(!(perfect_information && inference_candidates > 0),
          "perfect_information searches the true deal: inference_candidates must be 0");
  Require(!(perfect_information && information_set_tree),
          "perfect_information and information_set_tree exclude each other");
  Require(!world_critic || information_set_tree, "world_critic needs information_set_tree");
}

PimcSearch::PimcSearch(const PuctConfig& config, bool needs_features)
    : config_(config), needs_features_(needs_features) {
  config_.Validate();
  const int max_leaves = config_.num_worlds * config_.leaves_per_tree;
  pending_.resize(max_leaves);
  request_states_.resize(max_leaves);
  request_hashes_.resize(max_leaves);
  if (needs_features_) {
    features_.resize(static_cast<size_t>(max_leaves) * encode::kFeatureSize);
    masks_.resize(static_cast<size_t>(max_leaves) * encode::kMaskSize);
  }
}

void PimcSearch::Start(const game::State& state, uint64_t seed) {
  if (state.IsTerminal()) throw std::invalid_argument("cannot search a finished round");
  rng_.Seed(seed);
  searcher_ = state.current_player();
  num_players_ = state.num_players();
  stats_ = SearchResult();
  root_priors_.fill(0.0);
  cache_.clear();
  num_pending_ = 0;
  const bool one_tree = config_.perfect_information || config_.information_set_tree;
  trees_.resize(one_tree ? 1 : config_.num_worlds);
  simulations_per_tree_ = config_.simulations_per_world;
  leaves_per_tree_ = config_.leaves_per_tree;
  if (config_.information_set_tree) {
    simulations_per_tree_ *= config_.num_worlds;
    leaves_per_tree_ *= config_.num_worlds;
  }
  worlds_.reset();
  if (!config_.perfect_information) {
    worlds_.emplace(state, config_.inference_candidates, config_.bid_spread, rng_);
  }
  for (Tree& tree : trees_) {
    // An information-set tree keeps the true state only to rebuild it with sampled hands.
    const bool sample = worlds_ && !config_.information_set_tree;
    tree.root = sample ? state.WithHands(worlds_->Sample(rng_)) : state;
    tree.nodes.clear();
    tree.nodes.emplace_back();
    tree.completed = 0;
  }
}

bool PimcSearch::Finished() const {
  for (const Tree& tree : trees_) {
    if (tree.completed < simulations_per_tree_) return false;
  }
  return num_pending_ == 0;
}

int PimcSearch::SelectChild(const Tree& tree, const Node& node, const game::State& state) const {
  const int player = state.current_player();
  const int end = node.first_child + node.num_children;
  // In an information-set tree only the children legal in this world compete, their priors
  // renormalised; a PIMC tree was built in its world, so every child is legal.
  uint64_t legal_cards = ~uint64_t{0};
  uint32_t legal_bids = ~uint32_t{0};
  double prior_scale = 1.0;
  if (config_.information_set_tree) {
    const bool play = state.phase() == game::Phase::kPlay;
    legal_cards = play ? state.LegalCards().bits() : 0;
    legal_bids = play ? 0 : state.LegalBids();
    double prior_total = 0;
    for (int c = node.first_child; c < end; ++c) {
      if (IsIn(tree.nodes[c].action, legal_cards, legal_bids)) prior_total += tree.nodes[c].prior;
    }
    if (prior_total > 0) prior_scale = 1.0 / prior_total;
  }
  const double parent_visits = node.visits + node.virtual_visits;
  const double sqrt_visits = std::sqrt(std::max(1.0, parent_visits));
  const double fpu =
      (node.visits > 0 ? node.value_sum[player] / node.visits : 0.0) - config_.fpu_reduction;
  int best = -1;
  double best_score = -1e300;
  for (int c = node.first_child; c < end; ++c) {
    const Node& child = tree.nodes[c];
    if (!IsIn(child.action, legal_cards, legal_bids)) continue;
    const int n = child.visits + child.virtual_visits;
    const double q =
        n > 0 ? (child.value_sum[player] - config_.virtual_loss * child.virtual_visits) / n : fpu;
    const double score = q + config_.c_puct * child.prior * prior_scale * sqrt_visits / (1 + n);
    if (score > best_score) {
      best_score = score;
      best = c;
    }
  }
  if (best < 0) {
    throw std::logic_error("information-set search: no child of the node is legal in its world");
  }
  return best;
}

PimcSearch::Selection PimcSearch::SelectOne(int tree_index, PendingLeaf& leaf) {
  Tree& tree = trees_[tree_index];
  leaf.tree = tree_index;
  leaf.state =
      config_.information_set_tree ? tree.root.WithHands(worlds_->Sample(rng_)) : tree.root;
  leaf.path.clear();
  int node = 0;
  leaf.path.push_back(node);
  while (tree.nodes[node].expanded && !leaf.state.IsTerminal()) {
    node = SelectChild(tree, tree.nodes[node], leaf.state);
    leaf.state.ApplyActionUnchecked(tree.nodes[node].action);
    leaf.path.push_back(node);
  }
  if (leaf.state.IsTerminal()) {
    double values[game::kMaxPlayers];
    leaf.state.ValuesInto(config_.relative_values, values);
    float absolute[game::kMaxPlayers] = {};
    for (int p = 0; p < num_players_; ++p) absolute[p] = static_cast<float>(values[p]);
    for (int32_t n : leaf.path) ++tree.nodes[n].virtual_visits;
    BackupPath(tree, leaf.path, absolute);
    ++tree.completed;
    ++stats_.terminal_leaves;
    return Selection::kTerminal;
  }
  if (tree.nodes[node].pending) return Selection::kCollision;
  tree.nodes[node].pending = true;
  for (int32_t n : leaf.path) ++tree.nodes[n].virtual_visits;
  return Selection::kNeedsEvaluation;
}

int PimcSearch::max_requests() const {
  return (config_.perfect_information ? 1 : config_.num_worlds) * config_.leaves_per_tree;
}

void PimcSearch::ChildMask(const game::State& state, uint8_t* mask) const {
  if (config_.information_set_tree) {
    encode::EncodeActorMask(state, searcher_, mask);
  } else {
    encode::EncodeLegalMask(state, state.current_player(), mask);
  }
}

int PimcSearch::SelectLeaves() { return SelectLeaves(features_.data(), masks_.data(), nullptr); }

int PimcSearch::SelectLeaves(uint8_t* out_features, uint8_t* out_masks,
                             const game::State** out_states) {
  if (num_pending_ != 0) throw std::logic_error("SelectLeaves called before Backup");
  if (needs_features_ && (out_features == nullptr || out_masks == nullptr)) {
    throw std::invalid_argument("SelectLeaves needs feature and mask rows to write to");
  }
  while (!Finished()) {
    int num_requests = 0;
    batch_rows_.clear();
    for (int t = 0; t < static_cast<int>(trees_.size()); ++t) {
      int in_flight = 0;
      for (int l = 0; l < leaves_per_tree_; ++l) {
        if (trees_[t].completed + in_flight >= simulations_per_tree_) break;
        PendingLeaf& leaf = pending_[num_pending_];
        const Selection selection = SelectOne(t, leaf);
        if (selection == Selection::kTerminal) continue;
        if (selection == Selection::kCollision) break;
        ++in_flight;
        ++num_pending_;
        leaf.request = -1;
        leaf.playouts_only = false;
        if (!needs_features_) {
          request_states_[num_requests] = &leaf.state;
          if (out_states != nullptr) out_states[num_requests] = &leaf.state;
          leaf.request = num_requests++;
          continue;
        }
        uint8_t* row = out_features + static_cast<size_t>(num_requests) * encode::kFeatureSize;
        if (config_.world_critic) {
          encode::EncodeWithHolders(leaf.state, searcher_, row);
        } else if (config_.information_set_tree) {
          encode::Encode(leaf.state, searcher_, row);
        } else {
          encode::EncodeWorld(leaf.state, leaf.state.current_player(), row);
        }
        const uint64_t hash = encode::HashFeatures(row);
        if (config_.use_cache) {
          if (external_cache_ != nullptr) {
            if (external_cache_->Lookup(hash, leaf.cached.logits.data(),
                                        leaf.cached.values.data())) {
              ++stats_.cache_hits;
              continue;
            }
          } else if (auto hit = cache_.find(hash); hit != cache_.end()) {
            leaf.cached = hit->second;
            ++stats_.cache_hits;
            continue;
          }
          if (auto same = batch_rows_.find(hash); same != batch_rows_.end()) {
            leaf.request = same->second;
            ++stats_.cache_hits;
            continue;
          }
        }
        if (config_.max_evaluations > 0 &&
            stats_.num_evaluations + num_requests >= config_.max_evaluations) {
          leaf.playouts_only = true;
          leaf.cached.logits.fill(0.0f);
          leaf.cached.values.fill(0.0f);
          continue;
        }
        if (config_.use_cache) batch_rows_.emplace(hash, num_requests);
        ChildMask(leaf.state, out_masks + static_cast<size_t>(num_requests) * encode::kMaskSize);
        request_states_[num_requests] = &leaf.state;
        if (out_states != nullptr) out_states[num_requests] = &leaf.state;
        request_hashes_[num_requests] = hash;
        leaf.request = num_requests++;
      }
    }
    if (num_requests > 0) {
      stats_.num_evaluations += num_requests;
      ++stats_.num_batches;
      return num_requests;
    }
    // Every leaf of this round was answered by the cache (or was terminal).
    Backup(nullptr, nullptr);
  }
  return 0;
}

void PimcSearch::Backup(const float* policy_logits, const float* values) {
  for (int i = 0; i < num_pending_; ++i) {
    const int row = pending_[i].request;
    if (row < 0) continue;
    CheckEvaluations(policy_logits + row * game::kNumActions, values + row * kValueSize, 1);
  }
  for (int i = 0; i < num_pending_; ++i) {
    PendingLeaf& leaf = pending_[i];
    if (leaf.request < 0) {
      FinishLeaf(leaf, leaf.cached.logits.data(), leaf.cached.values.data());
      continue;
    }
    const float* logits = policy_logits + leaf.request * game::kNumActions;
    const float* leaf_values = values + leaf.request * kValueSize;
    if (needs_features_ && config_.use_cache) {
      if (external_cache_ != nullptr) {
        external_cache_->Insert(request_hashes_[leaf.request], logits, leaf_values);
      } else {
        Evaluation& entry = cache_[request_hashes_[leaf.request]];
        std::memcpy(entry.logits.data(), logits, sizeof(entry.logits));
        std::memcpy(entry.values.data(), leaf_values, sizeof(entry.values));
      }
    }
    FinishLeaf(leaf, logits, leaf_values);
  }
  num_pending_ = 0;
}

void PimcSearch::FinishLeaf(PendingLeaf& leaf, const float* logits, const float* relative_values) {
  Tree& tree = trees_[leaf.tree];
  const int node = leaf.path.back();
  Expand(tree, node, leaf.state, logits);
  tree.nodes[node].pending = false;
  // Values are relative to the features' observer; state-only evaluators answer for the player
  // to act (evaluator.h).
  const int observer =
      config_.information_set_tree && needs_features_ ? searcher_ : leaf.state.current_player();
  float absolute[game::kMaxPlayers] = {};
  for (int k = 0; k < num_players_; ++k) {
    absolute[(observer + k) % num_players_] = relative_values[k];
  }
  const double w = leaf.playouts_only ? 1.0 : config_.rollout_weight;
  if (w > 0) {
    game::State world = leaf.state;
    RandomPlayout(world, rng_);
    double playout[game::kMaxPlayers];
    world.ValuesInto(config_.relative_values, playout);
    for (int p = 0; p < num_players_; ++p) {
      absolute[p] = static_cast<float>((1 - w) * absolute[p] + w * playout[p]);
    }
  }
  BackupPath(tree, leaf.path, absolute);
  ++tree.completed;
}

void PimcSearch::Expand(Tree& tree, int node_index, const game::State& state, const float* logits) {
  uint8_t mask[encode::kMaskSize];
  ChildMask(state, mask);
  std::vector<int> actions;
  for (int a = 0; a < encode::kMaskSize; ++a) {
    if (mask[a]) actions.push_back(a);
  }
  const int first = static_cast<int>(tree.nodes.size());
  float max_logit = -std::numeric_limits<float>::infinity();
  for (int a : actions) max_logit = std::max(max_logit, logits[a]);
  std::vector<double> priors(actions.size(), 1.0 / actions.size());
  if (std::isfinite(max_logit)) {  // otherwise every legal action was ruled out: uniform
    double total = 0;
    for (size_t i = 0; i < actions.size(); ++i) {
      priors[i] = std::exp(static_cast<double>(logits[actions[i]] - max_logit));
      total += priors[i];
    }
    for (double& p : priors) p /= total;
  }
  if (node_index == 0) {
    for (size_t i = 0; i < actions.size(); ++i) {
      root_priors_[actions[i]] += priors[i] / static_cast<double>(trees_.size());
    }
  }
  if (node_index == 0 && config_.dirichlet_fraction > 0) {
    std::vector<double> noise(actions.size());
    double noise_total = 0;
    for (double& x : noise) noise_total += (x = rng_.Gamma(config_.dirichlet_alpha));
    for (size_t i = 0; i < actions.size(); ++i) {
      const double n = noise_total > 0 ? noise[i] / noise_total : 1.0 / actions.size();
      priors[i] = (1 - config_.dirichlet_fraction) * priors[i] + config_.dirichlet_fraction * n;
    }
  }
  for (size_t i = 0; i < actions.size(); ++i) {
    Node child;
    child.action = static_cast<uint8_t>(actions[i]);
    child.prior = static_cast<float>(priors[i]);
    tree.nodes.push_back(child);
  }
  Node& node = tree.nodes[node_index];
  node.first_child = first;
  node.num_children = static_cast<int16_t>(actions.size());
  node.expanded = true;
}

void PimcSearch::BackupPath(Tree& tree, const std::vector<int32_t>& path,
                            const float* absolute_values) {
  for (int32_t n : path) {
    Node& node = tree.nodes[n];
    --node.virtual_visits;
    ++node.visits;
    for (int p = 0; p < num_players_; ++p) node.value_sum[p] += absolute_values[p];
  }
}

SearchResult PimcSearch::Result() {
  if (!Finished()) throw std::logic_error("the search is not finished");
  SearchResult result = stats_;
  result.root_values.assign(num_players_, 0.0f);
  std::array<double, game::kNumActions> value_sums{};
  for (const Tree& tree : trees_) {
    const Node& root = tree.nodes[0];
    for (int c = root.first_child; c < root.first_child + root.num_children; ++c) {
      result.visits[tree.nodes[c].action] += tree.nodes[c].visits;
      value_sums[tree.nodes[c].action] += tree.nodes[c].value_sum[searcher_];
    }
    for (int p = 0; p < num_players_; ++p) {
      result.root_values[p] += root.value_sum[p] / std::max(1, root.visits) / trees_.size();
    }
  }
  int64_t total = 0;
  for (int32_t v : result.visits) total += v;
  for (int a = 0; a < game::kNumActions; ++a) {
    result.policy[a] = total > 0 ? static_cast<float>(result.visits[a]) / total : 0.0f;
    if (result.visits[a] > 0) {
      result.action_values[a] = static_cast<float>(value_sums[a] / result.visits[a]);
    }
  }
  if (total == 0) {
    // Every simulation ended at the root's own evaluation (S = 1): the root priors, averaged
    // over worlds, are the only information; play their argmax.
    for (const Tree& tree : trees_) {
      const Node& root = tree.nodes[0];
      for (int c = root.first_child; c < root.first_child + root.num_children; ++c) {
        result.policy[tree.nodes[c].action] += tree.nodes[c].prior / trees_.size();
      }
    }
    result.action = static_cast<int>(std::max_element(result.policy.begin(), result.policy.end()) -
                                     result.policy.begin());
  } else if (config_.improved_policy_scale > 0) {
    const std::array<double, game::kNumActions> improved = ImprovedPolicy(result);
    for (int a = 0; a < game::kNumActions; ++a) result.policy[a] = static_cast<float>(improved[a]);
    result.action = ChooseByWeight(improved, config_.temperature, rng_);
  } else {
    result.action = ChooseByVisits(result.visits, config_.temperature, rng_);
  }
  return result;
}

std::array<double, game::kNumActions> PimcSearch::ImprovedPolicy(const SearchResult& result) const {
  int max_visits = 0;
  double visited_prior = 0;
  double visited_value = 0;
  for (int a = 0; a < game::kNumActions; ++a) {
    if (root_priors_[a] <= 0 || result.visits[a] <= 0) continue;
    max_visits = std::max(max_visits, result.visits[a]);
    visited_prior += root_priors_[a];
    visited_value += root_priors_[a] * result.action_values[a];
  }
  const double unvisited_value = visited_prior > 0 ? visited_value / visited_prior : 0.0;
  const double sigma_scale =
      (kImprovedPolicyVisitOffset + max_visits) * config_.improved_policy_scale;
  std::array<double, game::kNumActions> logits{};
  double max_logit = -std::numeric_limits<double>::infinity();
  for (int a = 0; a < game::kNumActions; ++a) {
    if (root_priors_[a] <= 0) continue;
    const double q = result.visits[a] > 0 ? result.action_values[a] : unvisited_value;
    logits[a] = std::log(root_priors_[a]) + sigma_scale * q;
    max_logit = std::max(max_logit, logits[a]);
  }
  std::array<double, game::kNumActions> policy{};
  double total = 0;
  for (int a = 0; a < game::kNumActions; ++a) {
    if (root_priors_[a] <= 0) continue;
    policy[a] = std::exp(logits[a] - max_logit);
    total += policy[a];
  }
  for (double& p : policy) p /= total;
  return policy;
}

SearchResult PimcSearch::Run(const game::State& state, uint64_t seed, Evaluator& evaluator) {
  if (running_) {
    throw std::logic_error(
        "a search was started again from inside its own evaluator: use a separate search");
  }
  running_ = true;
  struct Finally {
    bool& flag;
    ~Finally() { flag = false; }
  } finally{running_};
  Start(state, seed);
  std::vector<float> logits;
  std::vector<float> values;
  while (const int n = SelectLeaves()) {
    core::PollInterrupt();
    logits.assign(static_cast<size_t>(n) * game::kNumActions, 0.0f);
    values.assign(static_cast<size_t>(n) * kValueSize, 0.0f);
    EvalBatch batch;
    batch.size = n;
    batch.features = needs_features_ ? features() : nullptr;
    batch.masks = needs_features_ ? masks() : nullptr;
    batch.states = leaf_states();
    batch.policy_logits = logits.data();
    batch.values = values.data();
    evaluator.Evaluate(batch);
    Backup(logits.data(), values.data());
  }
  return Result();
}

}  // namespace blobzero::search
