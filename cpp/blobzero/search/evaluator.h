#pragma once
// The interface between search and whatever scores positions (a network, rollouts, a constant).
//
// A search gathers leaves into an EvalBatch and calls Evaluate once per batch. For each leaf the
// evaluator returns policy logits over the 70 actions (actions outside the leaf's mask are
// ignored) and a value per seat relative to the leaf's observer (0 = the observer, 1 = its
// left-hand neighbour, ...; entries past the table size are ignored), on the scale of
// State::Values. The observer is the one the features were encoded for: the player to act at
// the leaf, except in an information-set tree (PuctConfig::information_set_tree), where it is
// the searcher. Evaluators that read only states (NeedsFeatures false) always answer for the
// player to act at the leaf.
//
// Threading: a search calls Evaluate from its own thread, one batch at a time. An evaluator
// shared between searches must be thread-safe; the built-in ones here are not shared.

#include <cstdint>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/encode/encoder.h"
#include "blobzero/game/state.h"

namespace blobzero::search {

inline constexpr int kValueSize = game::kMaxPlayers;

struct EvalBatch {
  int size = 0;
  // [size, encode::kFeatureSize] and [size, encode::kMaskSize]; filled only when the evaluator
  // NeedsFeatures(). Their observer: see the header comment.
  const uint8_t* features = nullptr;
  const uint8_t* masks = nullptr;
  // [size] the leaf positions themselves (a determinized world in imperfect-information search).
  const game::State* const* states = nullptr;
  // Outputs: [size, game::kNumActions] and [size, kValueSize].
  float* policy_logits = nullptr;
  float* values = nullptr;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // Whether Evaluate reads features and masks (a network) rather than only states.
  virtual bool NeedsFeatures() const { return true; }
  // Fills the batch's outputs. May block; throws to abort the search.
  virtual void Evaluate(const EvalBatch& batch) = 0;
};

// Uniform priors and the values of random playouts from the leaf (averaged over
// `num_rollouts`). Needs no network. Deterministic in its seed and the sequence of calls.
class RolloutEvaluator : public Evaluator {
 public:
  explicit RolloutEvaluator(uint64_t seed = 0, int num_rollouts = 1, bool relative_values = false);
  bool NeedsFeatures() const override { return false; }
  void Evaluate(const EvalBatch& batch) override;

 private:
  core::Rng rng_;
  int num_rollouts_;
  bool relative_values_;
};

// Uniform priors and constant values; the cheapest evaluator, for measuring the search itself.
class ConstantEvaluator : public Evaluator {
 public:
  explicit ConstantEvaluator(float value = 0.0f, bool needs_features = true)
      : value_(value), needs_features_(needs_features) {}
  bool NeedsFeatures() const override { return needs_features_; }
  void Evaluate(const EvalBatch& batch) override;

 private:
  float value_;
  bool needs_features_;
};

// Checks `rows` evaluations (logits [rows, kNumActions], values [rows, kValueSize]): throws
// std::invalid_argument naming the row and column of the first NaN or infinity. A logit of
// -infinity is allowed (it rules the action out).
void CheckEvaluations(const float* logits, const float* values, int rows);

// Plays uniformly random legal actions from `state` to the end of the round.
void RandomPlayout(game::State& state, core::Rng& rng);
// A uniformly random legal action of the player to act (the state must not be terminal).
int RandomLegalAction(const game::State& state, core::Rng& rng);

}  // namespace blobzero::search
