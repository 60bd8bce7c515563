#pragma once
// The self-play engine: games of one round of Blob (set up by GameSetup) played by PIMC-PUCT
// self-play on the batch scheduler (scheduler.h: worker threads, game slots, batches of leaves
// for one model), returning one training record per searched decision. This file is the game
// policy: how a game is drawn and seeded, how moves are chosen (temperature), what a record
// holds; the scheduler only packs and hands out batches.
//
// Games: game g of the engine (ids count up across runs, or start where Start says) is seeded
// with core::DeriveSeed(config.seed, g); its deal, dealer, table, search seeds and the sampling
// of its moves all come from that seed. As long as the evaluator's answer for a row depends
// only on that row, a game's records do not depend on which worker plays it, on the number of
// threads, or on what the shared evaluation cache happened to hold.
//
// Moves: a decision with one legal action is applied without search and not recorded. Other
// decisions are searched (Dirichlet noise at the roots as the search config says); the record
// holds the true state encoded for the player to act, as the search encodes its leaves (world
// features for PIMC trees, the observation for an information-set tree), its legal mask and the
// search policy (root visits, normalised). With record_opponent_views every other seat gets a
// record of the same decision too: its observation, the mask of what the player to act may do
// as far as it knows (encode::EncodeActorMask) and the same policy, which teaches the network
// the priors an information-set search asks for at other players' nodes. The move is sampled from
// visits^(1/T) with T from the temperature schedule by move number (the number of actions already
// taken in the round, bids included). When the round ends every record gets its value target:
// State::Values (relative if the search uses relative values) rotated to the record's observer
// (entry k for the seat k places to its left), 0 past P; with root_value_weight w > 0 the
// records of a network-searched decision get (1 - w) * that + w * the search's mean root values
// (SearchResult::root_values, the same scale and rotation), the lower-variance estimate of
// the same quantity.
//
// Teacher: with teacher_simulations > 0 every decision is searched by SO-ISMCTS (search::
// IsmctsSearch, random playouts, no network) instead, on the worker's thread; the records are
// the same (features as the network search would encode them, masks, the teacher's root visits
// as the policy, the outcome as the value) and the move is sampled from the teacher's visits by
// the same temperature schedule. Such a run sends no batch to the evaluator: it bootstraps a
// network (expert iteration) at a small fraction of the network search's cost. With
// teacher_seats = k > 0 the teacher plays only k seats of each game (min(k, P - 1), drawn
// uniformly from the game's seed) and the network search the others, so the network learns
// its values and its opponents' moves at a table with SO-ISMCTS players; every decision is
// recorded as above.
//
// Threading: the scheduler's contract (scheduler.h). Start, Cancel, Shutdown and TakeRecords may
// block and are serialised against each other; the batch protocol (batches()) and Stats are
// thread-safe. The worker threads never touch Python.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/encode/encoder.h"
#include "blobzero/game/state.h"
#include "blobzero/search/eval_cache.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/search/ismcts.h"
#include "blobzero/search/pimc.h"
#include "blobzero/search/visits.h"
#include "blobzero/selfplay/game_setup.h"
#include "blobzero/selfplay/scheduler.h"

namespace blobzero::selfplay {

// From move number first_move on (until the next step) moves are sampled at `temperature`;
// 0 plays the most visited action.
struct TemperatureStep {
  int first_move = 0;
  double temperature = 1.0;
  bool operator==(const TemperatureStep&) const = default;
};

struct SelfPlayConfig {
  GameSetup setup;
  // The search of every decision. Its `temperature` is ignored (the schedule below applies);
  // self-play defaults add Dirichlet noise (fraction 0.25, alpha 0.3) at the roots.
  search::PuctConfig search = DefaultSearchConfig();
  // Default: 1.0 for moves 0..10, 0.5 for 11..20, 0.1 after.
  std::vector<TemperatureStep> temperature_schedule{{0, 1.0}, {11, 0.5}, {21, 0.1}};
  uint64_t seed = 0;
  // Worker threads; 0 means the number of cores minus one (at least 1).
  int num_threads = 0;
  // Game slots per worker; 0 picks enough to fill batches_per_thread buffers
  // (batches_per_thread * max_batch_size / rows per search step), 1 with a teacher of every seat.
  int games_per_thread = 0;
  // Rows per batch buffer; at least one search step (num_worlds * leaves_per_tree).
  int max_batch_size = 256;
  // Buffers per worker: with 2 or more, packing overlaps evaluation.
  int batches_per_thread = 2;
  // Entries of the evaluation cache shared by all games and threads (about 320 bytes each,
  // committed only as used; cleared at every Start). 0: each search caches only its own.
  int64_t cache_capacity = int64_t{1} << 18;
  // Also record each decision as every other seat sees it (needs search.information_set_tree).
  bool record_opponent_views = false;
  // SO-ISMCTS simulations of the teacher that plays and labels every decision (see the header
  // comment); 0 = the network search plays. 0..search::kMaxIsmctsSimulations.
  int teacher_simulations = 0;
  // With a teacher: 0 = it plays every seat; k > 0 = it plays min(k, P - 1) seats drawn for each
  // game, the network search the rest (see the header comment). 0..game::kMaxPlayers.
  int teacher_seats = 0;
  // Share of the network search's root values in the value target of its decisions, in [0, 1]
  // (see the header comment); with a teacher every decision keeps the outcome alone.
  double root_value_weight = 0.0;

  static search::PuctConfig DefaultSearchConfig();
  // Throws std::invalid_argument naming the first bad field.
  void Validate() const;
  int EffectiveNumThreads() const;
  int EffectiveGamesPerThread() const;
  double TemperatureAt(int move_number) const;
};

// One searched decision.
struct PositionRecord {
  // The true state seen by `observer` as the search encodes it: world features
  // (encode::EncodeWorld) for PIMC trees, the observation (encode::Encode) for an
  // information-set tree, holder features (encode::EncodeWithHolders) for one with a world critic.
  std::array<uint8_t, encode::kFeatureSize> features{};
  // encode::EncodeActorMask for `observer`: the legal mask when it is the player to act.
  std::array<uint8_t, encode::kMaskSize> mask{};
  // Root visits normalised; non-zero only on legal actions; sums to 1.
  std::array<float, game::kNumActions> policy{};
  // Final values per relative seat (0 = the observer), 0 past the table size.
  std::array<float, search::kValueSize> value{};
  int8_t num_players = 0;
  // The absolute seat whose view `features` encodes: the player to act, or another seat's
  // record of the same decision (record_opponent_views).
  int8_t observer = 0;
  int16_t move_number = 0;
};

// One finished game and its records.
struct GameRecord {
  int64_t game_id = 0;
  uint64_t game_seed = 0;
  game::RoundRules rules;
  game::Deal deal;
  // Every action of the round, bids then cards (forced ones included).
  std::vector<int> actions;
  std::vector<int> scores;
  std::vector<PositionRecord> positions;
};

struct SelfPlayStats {
  int64_t games_total = 0;  // games of the current (or last) run
  int64_t games_finished = 0;
  int64_t positions = 0;     // records written (searched decisions)
  int64_t forced_moves = 0;  // decisions with one legal action, not searched
  int64_t evaluations = 0;   // rows sent for evaluation
  int64_t cache_hits = 0;    // leaves answered without evaluation (cache or same batch)
  int64_t batches = 0;
  int64_t cache_entries = 0;  // entries now in the shared cache
  int num_threads = 0;
  int games_per_thread = 0;

  double mean_batch_size() const {
    return batches > 0 ? static_cast<double>(evaluations) / batches : 0.0;
  }
  // Share of evaluation requests answered without the evaluator.
  double cache_hit_rate() const {
    const int64_t total = evaluations + cache_hits;
    return total > 0 ? static_cast<double>(cache_hits) / total : 0.0;
  }
};

class SelfPlayEngine {
 public:
  // Throws std::invalid_argument for a bad config. Starts no thread.
  explicit SelfPlayEngine(const SelfPlayConfig& config);
  // Shutdown().
  ~SelfPlayEngine();
  SelfPlayEngine(const SelfPlayEngine&) = delete;
  SelfPlayEngine& operator=(const SelfPlayEngine&) = delete;

  const SelfPlayConfig& config() const { return config_; }

  // Starts a run of `num_games` games on fresh worker threads and returns at once. Game ids
  // run from `first_game_id`, or (when negative) from where the previous run's ids ended (0 for
  // the first run). Clears the evaluation cache and the stats. Throws std::logic_error when a
  // run is in progress (take its records or Cancel it first) or after Shutdown,
  // std::invalid_argument for a negative count. May block briefly (thread start).
  void Start(int64_t num_games, int64_t first_game_id = -1);

  // The run's batches (all for model 0): NextBatch, Submit, Done (records can be taken),
  // Running (between Start and TakeRecords/Cancel).
  BatchScheduler& batches() { return scheduler_; }
  const BatchScheduler& batches() const { return scheduler_; }

  // The records of a finished run, sorted by game id (positions by move number); ends the run
  // and joins its threads. Throws std::runtime_error when a worker failed, std::logic_error when
  // no run is in progress or it has not finished. May block briefly.
  std::vector<GameRecord> TakeRecords();

  // Stops the run in progress, if any, discarding its unfinished games and records. The engine
  // can start again. Idempotent; may block briefly.
  void Cancel() { scheduler_.Cancel(); }
  // Cancel, then refuse any further Start. Idempotent.
  void Shutdown();

  SelfPlayStats Stats() const;

  // A whole run evaluated by `evaluator` on the calling thread (the engine's C++ mode, for
  // benchmarks and sanitizer tests): Start, BatchScheduler::EvaluateAll, TakeRecords. An
  // exception (from the evaluator or a worker) cancels the run and propagates.
  std::vector<GameRecord> Generate(int64_t num_games, search::Evaluator& evaluator,
                                   int64_t first_game_id = -1);

 private:
  class Game;

  void AddResult(GameRecord&& game);

  const SelfPlayConfig config_;
  search::PuctConfig search_config_;  // config_.search with temperature 0

  // Serialises Start and TakeRecords.
  std::mutex control_mutex_;
  int64_t next_first_game_ = 0;  // guarded by control_mutex_
  // Guards the two below (the cache object itself is thread-safe).
  mutable std::mutex results_mutex_;
  std::unique_ptr<search::SharedEvaluationCache> cache_;  // replaced only between runs
  std::vector<GameRecord> results_;                       // finished games of the run

  std::atomic<int64_t> positions_{0};
  std::atomic<int64_t> forced_moves_{0};
  std::atomic<int64_t> cache_hits_{0};

  // Last member: destroyed first, so that no worker outlives what its games use.
  BatchScheduler scheduler_;
};

}  // namespace blobzero::selfplay
