#include "blobzero/search/pimc_bot.h"

#include <stdexcept>
#include <utility>

namespace blobzero::search {

PimcBot::PimcBot(const PuctConfig& config, std::shared_ptr<Evaluator> evaluator, uint64_t seed)
    : evaluator_(std::move(evaluator)),
      search_(config, evaluator_ ? evaluator_->NeedsFeatures() : true),
      rng_(seed) {
  if (!evaluator_) throw std::invalid_argument("PimcBot needs an evaluator");
}

int PimcBot::Act(const game::State& state, int observer) {
  CheckCanAct(state, observer);
  last_result_ = search_.Run(state, rng_.Next(), *evaluator_);
  return last_result_.action;
}

}  // namespace blobzero::search
