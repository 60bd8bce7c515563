#include "blobzero/search/ismcts.h"

#include <bit>
#include <cassert>
#include <cmath>
#include <stdexcept>
#include <string>

#include "blobzero/belief/belief.h"
#include "blobzero/core/interrupt.h"
#include "blobzero/determinize/determinizer.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/search/visits.h"

namespace blobzero::search {
namespace {

// The legal actions of the player to act as bits: card ids in play, bids in bidding.
inline uint64_t LegalBits(const game::State& state) {
  return state.phase() == game::Phase::kPlay ? state.LegalCards().bits()
                                             : uint64_t{state.LegalBids()};
}

inline int ActionOfBit(int bit, bool play) { return play ? bit : game::BidAction(bit); }

// The k-th lowest set bit of `bits` (k < popcount(bits)).
inline int NthBit(uint64_t bits, uint32_t k) {
  for (; k > 0; --k) bits &= bits - 1;
  return std::countr_zero(bits);
}

}  // namespace

void IsmctsConfig::Validate() const {
  if (simulations < 1 || simulations > kMaxIsmctsSimulations) {
    throw std::invalid_argument("simulations = " + std::to_string(simulations) + " is outside 1.." +
                                std::to_string(kMaxIsmctsSimulations));
  }
  if (!(uct_c >= 0) || !std::isfinite(uct_c)) {
    throw std::invalid_argument("uct_c = " + std::to_string(uct_c) +
                                " must be finite and not negative");
  }
  if (final_policy != IsmctsFinalPolicy::kMaxVisitCount &&
      final_policy != IsmctsFinalPolicy::kNormalizedVisitCount) {
    throw std::invalid_argument("final_policy = " + std::to_string(static_cast<int>(final_policy)) +
                                " is not a known final policy");
  }
}

double UctCFromRawScores(double raw_uct_c, const game::RoundRules& rules) {
  rules.Validate();
  return raw_uct_c * 2.0 / (rules.MaxScore() - rules.MinScore());
}

IsmctsSearch::IsmctsSearch(const IsmctsConfig& config) : config_(config) {
  config_.Validate();
  // Every simulation adds at most one node to the root.
  nodes_.reserve(static_cast<size_t>(config_.simulations) + 1);
  sqrt_log_.resize(static_cast<size_t>(config_.simulations) + 1);
  sqrt_log_[0] = 0.0;
  for (int n = 1; n <= config_.simulations; ++n) {
    sqrt_log_[n] = std::sqrt(std::log(static_cast<double>(n)));
  }
}

int32_t IsmctsSearch::AddChild(int32_t parent, int bit, bool play, int player) {
  assert(nodes_.size() < nodes_.capacity());
  const int32_t index = static_cast<int32_t>(nodes_.size());
  Node& child = nodes_.emplace_back();
  Node& node = nodes_[parent];
  child.action = static_cast<uint8_t>(ActionOfBit(bit, play));
  child.bit = static_cast<uint8_t>(bit);
  child.player = static_cast<int8_t>(player);
  child.available = 1;
  child.next_sibling = node.first_child;
  node.first_child = index;
  node.tried |= uint64_t{1} << bit;
  return index;
}

void IsmctsSearch::Simulate() {
  game::State& world = world_;
  int path_length = 0;
  int32_t node = 0;
  path_[path_length++] = node;
  // Selection and expansion.
  while (!world.IsTerminal()) {
    const bool play = world.phase() == game::Phase::kPlay;
    const uint64_t legal = LegalBits(world);
    const int player = world.current_player();
    const uint64_t untried = legal & ~nodes_[node].tried;
    if (untried != 0) {
      for (int32_t k = nodes_[node].first_child; k >= 0; k = nodes_[k].next_sibling) {
        Node& child = nodes_[k];
        child.available += static_cast<int32_t>((legal >> child.bit) & 1);
      }
      const int bit = NthBit(untried, rng_.Below(static_cast<uint32_t>(std::popcount(untried))));
      node = AddChild(node, bit, play, player);
      path_[path_length++] = node;
      world.ApplyActionUnchecked(ActionOfBit(bit, play));
      break;
    }
    int32_t best = -1;
    double best_score = -1e300;
    for (int32_t k = nodes_[node].first_child; k >= 0; k = nodes_[k].next_sibling) {
      Node& child = nodes_[k];
      if (!((legal >> child.bit) & 1)) continue;
      ++child.available;
      // mean + uct_c * sqrt(ln(available) / visits)
      const double score = child.mean + child.explore * sqrt_log_[child.available];
      if (score > best_score) {
        best_score = score;
        best = k;
      }
    }
    node = best;
    path_[path_length++] = node;
    world.ApplyActionUnchecked(nodes_[node].action);
  }
  // Rollout.
  RandomPlayout(world, rng_);
  // Backup.
  double values[game::kMaxPlayers];
  world.ValuesInto(config_.relative_values, values);
  const double uct_c = config_.uct_c;
  ++nodes_[0].visits;
  for (int i = 1; i < path_length; ++i) {
    Node& n = nodes_[path_[i]];
    ++n.visits;
    n.reward_sum += values[n.player];
    n.mean = n.reward_sum / n.visits;
    n.explore = uct_c / std::sqrt(static_cast<double>(n.visits));
  }
}

IsmctsResult IsmctsSearch::Run(const game::State& state, uint64_t seed) {
  if (state.IsTerminal()) throw std::invalid_argument("cannot search a finished round");
  rng_.Seed(seed);
  const int searcher = state.current_player();
  const bool play = state.phase() == game::Phase::kPlay;
  IsmctsResult result;
  const uint64_t root_legal = LegalBits(state);
  if (std::popcount(root_legal) == 1) {
    result.action = ActionOfBit(std::countr_zero(root_legal), play);
    result.policy[result.action] = 1.0f;
    result.num_nodes = 1;
    return result;
  }
  determinize::Determinizer determinizer(belief::Belief::FromState(state, searcher));
  nodes_.clear();
  nodes_.emplace_back();
  for (int sim = 0; sim < config_.simulations; ++sim) {
    if (sim % kInterruptPollSimulations == 0) core::PollInterrupt();
    world_ = state.WithHands(determinizer.Sample(rng_));
    if (world_callback_) world_callback_(world_);
    Simulate();
  }
  result.simulations = config_.simulations;
  result.num_nodes = static_cast<int>(nodes_.size());
  int64_t total = 0;
  for (int32_t k = nodes_[0].first_child; k >= 0; k = nodes_[k].next_sibling) {
    const Node& child = nodes_[k];
    result.visits[child.action] = child.visits;
    result.mean_values[child.action] =
        child.visits > 0 ? static_cast<float>(child.reward_sum / child.visits) : 0.0f;
    total += child.visits;
  }
  for (int a = 0; a < game::kNumActions; ++a) {
    result.policy[a] = static_cast<float>(static_cast<double>(result.visits[a]) / total);
  }
  result.action = MostVisited(result.visits);
  if (config_.final_policy == IsmctsFinalPolicy::kNormalizedVisitCount) {
    int64_t r = static_cast<int64_t>(rng_.Below(static_cast<uint32_t>(total)));
    for (int a = 0; a < game::kNumActions; ++a) {
      if ((r -= result.visits[a]) < 0) {
        result.action = a;
        break;
      }
    }
  }
  return result;
}

}  // namespace blobzero::search
