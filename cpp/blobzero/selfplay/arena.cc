#include "blobzero/selfplay/arena.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "blobzero/core/text.h"
#include "blobzero/search/bots.h"
#include "blobzero/search/pimc_bot.h"

namespace blobzero::selfplay {
namespace {

using core::Require;
using core::Str;

constexpr int kMaxModels = 64;

}  // namespace

void ArenaAgent::Validate() const {
  switch (kind) {
    case Kind::kNetwork:
      Require(model >= 0 && model < kMaxModels,
              "network agent: model = " + Str(model) + " is outside 0.." + Str(kMaxModels - 1));
      [[fallthrough]];
    case Kind::kPuctRollout:
      puct.Validate();
      Require(!puct.perfect_information,
              "an arena agent must not read hidden cards (puct.perfect_information)");
      return;
    case Kind::kIsmcts:
      ismcts.Validate();
      return;
    case Kind::kRandom:
    case Kind::kHeuristic:
      return;
  }
  throw std::invalid_argument("unknown arena agent kind " + Str(static_cast<int>(kind)));
}

std::unique_ptr<search::Bot> MakeBot(const ArenaAgent& agent, uint64_t seed) {
  agent.Validate();
  switch (agent.kind) {
    case ArenaAgent::Kind::kRandom:
      return std::make_unique<search::RandomBot>(seed);
    case ArenaAgent::Kind::kHeuristic:
      return std::make_unique<search::HeuristicBot>(seed);
    case ArenaAgent::Kind::kIsmcts:
      return std::make_unique<search::IsmctsBot>(agent.ismcts, seed);
    case ArenaAgent::Kind::kPuctRollout:
      return std::make_unique<search::PimcBot>(
          agent.puct, std::make_shared<search::RolloutEvaluator>(seed), seed);
    case ArenaAgent::Kind::kNetwork:
      break;
  }
  throw std::invalid_argument("a network agent is played by the arena engine, not as a bot");
}

void ArenaConfig::Validate() const {
  Require(!agents.empty(), "an arena needs at least one agent");
  for (size_t i = 0; i < agents.size(); ++i) {
    try {
      agents[i].Validate();
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("agents[" + Str(static_cast<int64_t>(i)) + "]: " + e.what());
    }
  }
  Require(num_threads >= 0 && num_threads <= 1024,
          "num_threads = " + Str(num_threads) + " is outside 0..1024 (0: cores - 1)");
  Require(games_per_thread >= 0 && games_per_thread <= 1000000,
          "games_per_thread = " + Str(games_per_thread) + " is outside 0..1000000 (0: automatic)");
  Require(batches_per_thread >= 0 && batches_per_thread <= 64,
          "batches_per_thread = " + Str(batches_per_thread) + " is outside 0..64 (0: 2 per model)");
  Require(cache_capacity >= 0 && cache_capacity <= (int64_t{1} << 32),
          "cache_capacity = " + Str(cache_capacity) + " is outside 0..2^32");
}

int ArenaConfig::NumModels() const {
  int models = 1;
  for (const ArenaAgent& agent : agents) {
    if (agent.kind == ArenaAgent::Kind::kNetwork) models = std::max(models, agent.model + 1);
  }
  return models;
}

namespace {

int MaxStepRows(const ArenaConfig& config) {
  int rows = 1;
  for (const ArenaAgent& agent : config.agents) {
    if (agent.kind == ArenaAgent::Kind::kNetwork) {
      rows = std::max(rows, agent.puct.num_worlds * agent.puct.leaves_per_tree);
    }
  }
  return rows;
}

SchedulerConfig SchedulerConfigOf(const ArenaConfig& config) {
  config.Validate();
  SchedulerConfig scheduler;
  scheduler.name = "arena";
  scheduler.num_models = config.NumModels();
  scheduler.max_batch_size = config.max_batch_size;
  scheduler.max_step_rows = MaxStepRows(config);
  scheduler.batches_per_thread =
      config.batches_per_thread > 0 ? config.batches_per_thread : 2 * scheduler.num_models;
  return scheduler;
}

}  // namespace

// One arena game at a time on a worker thread: every agent of the game, its state, its search.
class ArenaEngine::Game : public GameSlot {
 public:
  explicit Game(ArenaEngine& engine) : engine_(engine) {
    const std::vector<ArenaAgent>& agents = engine.config_.agents;
    players_.resize(agents.size());
    for (size_t i = 0; i < agents.size(); ++i) {
      if (agents[i].kind != ArenaAgent::Kind::kNetwork) continue;
      Player& player = players_[i];
      player.search = std::make_unique<search::PimcSearch>(agents[i].puct, true);
      player.search->set_cache(engine.caches_[agents[i].model].get());
    }
  }

  void Begin(int64_t game_id) override {
    game_id_ = game_id;
    const ArenaGame& game = engine_.games_[game_id];
    state_ = game.start;
    const std::vector<ArenaAgent>& agents = engine_.config_.agents;
    for (size_t i = 0; i < agents.size(); ++i) {
      Player& player = players_[i];
      if (player.search) {
        player.rng.Seed(game.agent_seed);
      } else if (!player.bot || agents[i].kind == ArenaAgent::Kind::kPuctRollout) {
        player.bot = MakeBot(agents[i], game.agent_seed);  // rebuilt: its evaluator's stream too
      } else {
        player.bot->Reseed(game.agent_seed);
      }
    }
    searching_ = -1;
    search_done_ = false;
  }

  int Advance() override {
    const std::vector<ArenaAgent>& agents = engine_.config_.agents;
    if (searching_ >= 0) {
      if (!search_done_) return agents[searching_].model;
      const search::SearchResult result = players_[searching_].search->Result();
      searching_ = -1;
      state_.ApplyAction(result.action);
    }
    const std::vector<int>& seating = engine_.games_[game_id_].seating;
    while (!state_.IsTerminal()) {
      const int seat = state_.current_player();
      const int agent = seating[seat];
      Player& player = players_[agent];
      if (player.search) {
        player.search->Start(state_, player.rng.Next());
        searching_ = agent;
        search_done_ = false;
        return agents[agent].model;
      }
      state_.ApplyAction(player.bot->Act(state_, seat));
    }
    ArenaResult& result = engine_.results_[game_id_];
    result.finished = true;
    result.scores = state_.Scores();
    for (int seat = 0; seat < state_.num_players(); ++seat) {
      result.bids.push_back(state_.bid(seat));
      result.tricks.push_back(state_.tricks_won(seat));
    }
    return -1;
  }

  int SelectLeaves(const BatchRows& rows) override {
    const int n = players_[searching_].search->SelectLeaves(rows.features, rows.masks, rows.states);
    search_done_ = n == 0;
    return n;
  }

  void Backup(const float* logits, const float* values) override {
    players_[searching_].search->Backup(logits, values);
  }

 private:
  // One agent of the game: a network search and its stream, or a bot.
  struct Player {
    std::unique_ptr<search::PimcSearch> search;
    core::Rng rng;
    std::unique_ptr<search::Bot> bot;
  };

  ArenaEngine& engine_;
  std::vector<Player> players_;  // per agent
  int64_t game_id_ = 0;
  game::State state_;
  int searching_ = -1;        // the agent whose network search is in progress
  bool search_done_ = false;  // ... and has selected its last leaves
};

ArenaEngine::ArenaEngine(const ArenaConfig& config)
    : config_(config), scheduler_(SchedulerConfigOf(config)) {}

ArenaEngine::~ArenaEngine() { Shutdown(); }

void ArenaEngine::Start(std::vector<ArenaGame> games) {
  std::lock_guard<std::mutex> control(control_mutex_);
  if (scheduler_.Running()) {
    throw std::logic_error(
        "an arena run is in progress: take its results or cancel it before starting another");
  }
  const int num_agents = static_cast<int>(config_.agents.size());
  for (size_t i = 0; i < games.size(); ++i) {
    const ArenaGame& game = games[i];
    const std::string where = "games[" + Str(static_cast<int64_t>(i)) + "]: ";
    Require(game.start.num_actions() == 0 && !game.start.IsTerminal(),
            where + "the start state must be a deal before any action");
    Require(static_cast<int>(game.seating.size()) == game.start.num_players(),
            where + "seating has " + Str(static_cast<int64_t>(game.seating.size())) +
                " seats for a table of " + Str(game.start.num_players()));
    for (int agent : game.seating) {
      Require(agent >= 0 && agent < num_agents,
              where + "seating names agent " + Str(agent) + " of " + Str(num_agents));
    }
  }
  games_ = std::move(games);
  results_.assign(games_.size(), ArenaResult{});
  caches_.clear();
  for (int m = 0; m < num_models(); ++m) {
    caches_.push_back(config_.cache_capacity > 0
                          ? std::make_unique<search::SharedEvaluationCache>(config_.cache_capacity)
                          : nullptr);
  }
  const int threads = config_.num_threads > 0
                          ? config_.num_threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
  const SchedulerConfig& scheduler = scheduler_.config();
  const int slots = config_.games_per_thread > 0
                        ? config_.games_per_thread
                        : std::max(1, scheduler.batches_per_thread * scheduler.max_batch_size /
                                          (scheduler.max_step_rows * scheduler.num_models));
  scheduler_.Start(static_cast<int64_t>(games_.size()), 0, threads, slots,
                   [this](int) { return std::make_unique<Game>(*this); });
}

std::vector<ArenaResult> ArenaEngine::EndRun(void (BatchScheduler::*end)()) {
  std::lock_guard<std::mutex> control(control_mutex_);
  (scheduler_.*end)();
  std::vector<ArenaResult> results = std::move(results_);
  results_.clear();
  return results;
}

std::vector<ArenaResult> ArenaEngine::TakeResults() { return EndRun(&BatchScheduler::Finish); }

std::vector<ArenaResult> ArenaEngine::Cancel() { return EndRun(&BatchScheduler::Cancel); }

std::vector<ArenaResult> ArenaEngine::Play(std::vector<ArenaGame> games,
                                           const std::vector<search::Evaluator*>& evaluators) {
  Start(std::move(games));
  scheduler_.EvaluateAll(evaluators);
  return TakeResults();
}

}  // namespace blobzero::selfplay
