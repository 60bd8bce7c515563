#pragma once
// The arena engine: given games (a start state, who sits where, a seed) played to the end by
// agents -- network searches and CPU bots -- on the batch scheduler (scheduler.h), the same
// worker threads and batch buffers as self-play. Every network agent names the model that
// evaluates its leaves; a batch holds rows of one model, so two networks, or a network and bots,
// share a match. This file is the arena's game policy: agents, seating, results.
//
// Agents: a game has one instance of each agent, shared by all the seats it holds, reseeded
// with the game's agent seed when the game begins. A network agent searches every decision
// (PIMC-PUCT or an information-set tree, as its PuctConfig says; temperature 0 plays the most
// visited action) with a seed drawn from its stream; a bot (random, heuristic, SO-ISMCTS,
// PUCT over random playouts) acts on the worker's thread. Every decision goes to the agent,
// also one with a single legal action. Agents read only what their seat may know (bot.h).
//
// Determinism: game i's result depends only on the game and on model outputs per row, not on
// threads, batch sizes or timing (the evaluation caches are per model and only store outputs).
//
// Threading: the scheduler's contract (scheduler.h). Start, Cancel, Shutdown and TakeResults may
// block and are serialised against each other; the batch protocol (batches()) and Stats are
// thread-safe. The worker threads never touch Python.

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "blobzero/game/state.h"
#include "blobzero/search/bot.h"
#include "blobzero/search/eval_cache.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/search/ismcts.h"
#include "blobzero/search/pimc.h"
#include "blobzero/selfplay/scheduler.h"

namespace blobzero::selfplay {

// A player of arena games.
struct ArenaAgent {
  enum class Kind { kNetwork, kRandom, kHeuristic, kIsmcts, kPuctRollout };
  Kind kind = Kind::kHeuristic;
  // kNetwork and kPuctRollout: the search; its temperature chooses the move (0: most visited).
  search::PuctConfig puct;
  // kIsmcts: the search.
  search::IsmctsConfig ismcts;
  // kNetwork: the model that evaluates the agent's leaves (0 <= model < 64).
  int model = 0;

  // Throws std::invalid_argument naming the first bad field.
  void Validate() const;
};

// A bot for an agent that is not a network, seeded `seed` (kPuctRollout: PUCT over a
// RolloutEvaluator seeded `seed` too). Throws std::invalid_argument for a network agent.
std::unique_ptr<search::Bot> MakeBot(const ArenaAgent& agent, uint64_t seed);

// One game: the state it starts from (no action taken yet), the agent in each seat, and the seed
// every agent is reseeded with when the game begins.
struct ArenaGame {
  game::State start;
  std::vector<int> seating;
  uint64_t agent_seed = 0;
};

// The end of one game, per seat.
struct ArenaResult {
  bool finished = false;  // false for a game a cancelled run did not finish (the rest empty)
  std::vector<int> scores;
  std::vector<int> bids;
  std::vector<int> tricks;
};

struct ArenaConfig {
  std::vector<ArenaAgent> agents;
  // Worker threads; 0 means the number of cores minus one (at least 1).
  int num_threads = 0;
  // Game slots per worker; 0 picks enough to fill the buffers.
  int games_per_thread = 0;
  // Rows per batch buffer; at least one step of every network agent's search.
  int max_batch_size = 256;
  // Buffers per worker; 0 means two per model.
  int batches_per_thread = 0;
  // Entries of each model's evaluation cache (0: each search caches only its own).
  int64_t cache_capacity = int64_t{1} << 18;

  // Throws std::invalid_argument naming the first bad field.
  void Validate() const;
  // One more than the highest model of a network agent (at least 1).
  int NumModels() const;
};

class ArenaEngine {
 public:
  // Throws std::invalid_argument for a bad config. Starts no thread.
  explicit ArenaEngine(const ArenaConfig& config);
  ~ArenaEngine();
  ArenaEngine(const ArenaEngine&) = delete;
  ArenaEngine& operator=(const ArenaEngine&) = delete;

  const ArenaConfig& config() const { return config_; }
  int num_models() const { return scheduler_.config().num_models; }

  // Starts playing `games` and returns at once. Throws std::invalid_argument naming a game
  // that has begun, is finished, or whose seating does not name an agent for every seat,
  // std::logic_error when a run is in progress or after Shutdown.
  void Start(std::vector<ArenaGame> games);
  // The run's batches, each for the model of the network agent whose leaves it holds.
  BatchScheduler& batches() { return scheduler_; }
  // The results of a finished run, in the order of its games; ends the run.
  std::vector<ArenaResult> TakeResults();
  // Stops the run in progress, if any (joins its threads), and returns the results it has not
  // handed out yet, in the order of its games (finished = false for the unfinished ones; empty
  // when there are none). The engine can start again. May block briefly.
  std::vector<ArenaResult> Cancel();
  void Shutdown() { scheduler_.Shutdown(); }
  SchedulerStats Stats() const { return scheduler_.Stats(); }

  // Start, every batch of model m evaluated by evaluators[m] on this thread, TakeResults.
  std::vector<ArenaResult> Play(std::vector<ArenaGame> games,
                                const std::vector<search::Evaluator*>& evaluators);

 private:
  class Game;

  // Ends the run with `end` (Finish or Cancel) and hands out its results.
  std::vector<ArenaResult> EndRun(void (BatchScheduler::*end)());

  const ArenaConfig config_;
  std::mutex control_mutex_;  // serialises Start, TakeResults and Cancel
  // Set by Start while no run is in progress; read by the workers of the run.
  std::vector<ArenaGame> games_;
  std::vector<ArenaResult> results_;  // one per game, written by the game's worker
  std::vector<std::unique_ptr<search::SharedEvaluationCache>> caches_;  // per model
  // Last member: destroyed first, so that no worker outlives what its games use.
  BatchScheduler scheduler_;
};

}  // namespace blobzero::selfplay
