#pragma once
// A Bot that plays the action chosen by a PIMC-PUCT search with any Evaluator.

#include <cstdint>
#include <memory>
#include <string>

#include "blobzero/core/rng.h"
#include "blobzero/search/bot.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/search/pimc.h"

namespace blobzero::search {

class PimcBot : public Bot {
 public:
  // The bot shares ownership of `evaluator`; each move's search gets a seed drawn from the
  // bot's own stream.
  PimcBot(const PuctConfig& config, std::shared_ptr<Evaluator> evaluator, uint64_t seed = 0);
  int Act(const game::State& state, int observer) override;
  std::string Name() const override { return "pimc"; }
  void Reseed(uint64_t seed) override { rng_.Seed(seed); }
  const PuctConfig& config() const { return search_.config(); }
  // The result of the last Act.
  const SearchResult& last_result() const { return last_result_; }

 private:
  std::shared_ptr<Evaluator> evaluator_;
  PimcSearch search_;
  core::Rng rng_;
  SearchResult last_result_;
};

}  // namespace blobzero::search
