#pragma once
// One interface for every player: random, heuristic, IS-MCTS, PIMC with any evaluator.
//
// Contract: Act(state, observer) returns a legal action for `observer`, who must be the player
// to act (std::invalid_argument otherwise, and for a finished round). A bot may read only what
// `observer` may know: the public history and the observer's own hand (bots that search sample
// the rest from the observer's Belief). Each bot owns a random stream, so a game between seeded
// bots is reproducible.
//
// Threading: a Bot is used by one thread at a time.

#include <cstdint>
#include <memory>
#include <string>

#include "blobzero/game/state.h"

namespace blobzero::search {

class Bot {
 public:
  virtual ~Bot() = default;
  virtual int Act(const game::State& state, int observer) = 0;
  virtual std::string Name() const = 0;
  // Restarts the bot's random stream.
  virtual void Reseed(uint64_t seed) = 0;
};

// Throws std::invalid_argument unless `observer` is the player to act in an unfinished round.
void CheckCanAct(const game::State& state, int observer);

}  // namespace blobzero::search
