#include "blobzero/selfplay/engine.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "blobzero/core/text.h"
#include "blobzero/search/visits.h"

namespace blobzero::selfplay {
namespace {

using core::Require;
using core::Str;
using game::kNumActions;

int NumLegalActions(const game::State& state) {
  if (state.phase() == game::Phase::kPlay) return state.LegalCards().Size();
  return std::popcount(state.LegalBids());
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Config

search::PuctConfig SelfPlayConfig::DefaultSearchConfig() {
  search::PuctConfig config;
  config.dirichlet_alpha = 0.3;
  config.dirichlet_fraction = 0.25;
  return config;
}

void SelfPlayConfig::Validate() const {
  setup.Validate();
  search.Validate();
  Require(
      !search.perfect_information,
      "search.perfect_information searches the true deal: self-play must not read hidden cards");
  Require(!temperature_schedule.empty(), "temperature_schedule is empty");
  Require(
      temperature_schedule[0].first_move == 0,
      "temperature_schedule must start at move 0, not " + Str(temperature_schedule[0].first_move));
  for (size_t i = 0; i < temperature_schedule.size(); ++i) {
    const TemperatureStep& step = temperature_schedule[i];
    Require(std::isfinite(step.temperature) && step.temperature >= 0,
            "temperature_schedule[" + Str(static_cast<int64_t>(i)) + "]: temperature " +
                std::to_string(step.temperature) + " must be finite and not negative");
    Require(i == 0 || step.first_move > temperature_schedule[i - 1].first_move,
            "temperature_schedule[" + Str(static_cast<int64_t>(i)) + "]: first move " +
                Str(step.first_move) + " must be above the previous step's");
  }
  Require(num_threads >= 0 && num_threads <= 1024,
          "num_threads = " + Str(num_threads) + " is outside 0..1024 (0: cores - 1)");
  Require(games_per_thread >= 0 && games_per_thread <= 1000000,
          "games_per_thread = " + Str(games_per_thread) + " is outside 0..1000000 (0: automatic)");
  const int rows_per_step = search.num_worlds * search.leaves_per_tree;
  Require(max_batch_size >= rows_per_step && max_batch_size <= (1 << 20),
          "max_batch_size = " + Str(max_batch_size) + " is outside " + Str(rows_per_step) +
              "..1048576 (it must hold one search step: num_worlds * leaves_per_tree rows)");
  Require(batches_per_thread >= 1 && batches_per_thread <= 64,
          "batches_per_thread = " + Str(batches_per_thread) + " is outside 1..64");
  Require(!record_opponent_views || search.information_set_tree,
          "record_opponent_views needs search.information_set_tree (only that search asks the "
          "network about another player's move)");
  Require(cache_capacity >= 0 && cache_capacity <= (int64_t{1} << 32),
          "cache_capacity = " + Str(cache_capacity) + " is outside 0..2^32");
  Require(teacher_simulations >= 0 && teacher_simulations <= search::kMaxIsmctsSimulations,
          "teacher_simulations = " + Str(teacher_simulations) + " is outside 0.." +
              Str(search::kMaxIsmctsSimulations) + " (0: the network search plays)");
  Require(teacher_seats >= 0 && teacher_seats <= game::kMaxPlayers,
          "teacher_seats = " + Str(teacher_seats) + " is outside 0.." + Str(game::kMaxPlayers) +
              " (0: the teacher plays every seat)");
  Require(teacher_seats == 0 || teacher_simulations > 0,
          "teacher_seats = " + Str(teacher_seats) + " needs teacher_simulations > 0");
  Require(root_value_weight >= 0 && root_value_weight <= 1,
          "root_value_weight = " + Str(root_value_weight) + " is outside [0, 1]");
}

int SelfPlayConfig::EffectiveNumThreads() const {
  if (num_threads > 0) return num_threads;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores - 1);
}

int SelfPlayConfig::EffectiveGamesPerThread() const {
  if (games_per_thread > 0) return games_per_thread;
  // Games taught at every seat never wait for an evaluation.
  if (teacher_simulations > 0 && teacher_seats == 0) return 1;
  const int rows_per_step = search.num_worlds * search.leaves_per_tree;
  return std::max(1, (batches_per_thread * max_batch_size + rows_per_step - 1) / rows_per_step);
}

double SelfPlayConfig::TemperatureAt(int move_number) const {
  double temperature = temperature_schedule.front().temperature;
  for (const TemperatureStep& step : temperature_schedule) {
    if (step.first_move > move_number) break;
    temperature = step.temperature;
  }
  return temperature;
}

// ---------------------------------------------------------------------------------------------
// A game

// One game at a time on a worker thread: deal, search or teach every decision, record, play.
class SelfPlayEngine::Game : public GameSlot {
 public:
  Game(SelfPlayEngine& engine, search::SharedEvaluationCache* cache)
      : engine_(engine), search_(engine.search_config_, /*needs_features=*/true) {
    search_.set_cache(cache);
    const SelfPlayConfig& config = engine.config_;
    if (config.teacher_simulations > 0) {
      search::IsmctsConfig teacher_config;
      teacher_config.simulations = config.teacher_simulations;
      teacher_config.relative_values = config.search.relative_values;
      teacher_ = std::make_unique<search::IsmctsSearch>(teacher_config);
    }
  }

  void Begin(int64_t game_id) override {
    game_id_ = game_id;
    game_seed_ = core::DeriveSeed(engine_.config_.seed, static_cast<uint64_t>(game_id));
    rng_.Seed(game_seed_);
    state_ = DrawGame(engine_.config_.setup, rng_);
    DrawTeacherSeats();
    positions_.clear();
    searching_ = false;
    search_done_ = false;
  }

  int Advance() override {
    if (searching_) {
      if (!search_done_) return 0;
      FinishSearch();
    }
    while (true) {
      if (state_.IsTerminal()) {
        FinishGame();
        return -1;
      }
      if (NumLegalActions(state_) == 1) {
        state_.ApplyActionUnchecked(state_.LegalActions().front());
        engine_.forced_moves_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (teacher_seat_[state_.current_player()]) {
        const search::IsmctsResult result = teacher_->Run(state_, rng_.Next());
        RecordAndPlay(result.policy, result.visits, result.action, /*root_values=*/{});
        continue;
      }
      search_.Start(state_, rng_.Next());
      searching_ = true;
      search_done_ = false;
      return 0;
    }
  }

  int SelectLeaves(const BatchRows& rows) override {
    const int n = search_.SelectLeaves(rows.features, rows.masks, rows.states);
    search_done_ = n == 0;
    return n;
  }

  void Backup(const float* logits, const float* values) override { search_.Backup(logits, values); }

 private:
  // teacher_seat_ for the game just drawn: every seat, none, or min(k, P - 1) seats drawn
  // uniformly with the game's generator (SelfPlayConfig::teacher_seats = k).
  void DrawTeacherSeats() {
    teacher_seat_.fill(false);
    if (!teacher_) return;
    const int p = state_.num_players();
    const int k = engine_.config_.teacher_seats;
    if (k == 0) {
      std::fill_n(teacher_seat_.begin(), p, true);
      return;
    }
    std::array<int, game::kMaxPlayers> seats{};
    std::iota(seats.begin(), seats.begin() + p, 0);
    for (int i = 0; i < std::min(k, p - 1); ++i) {  // a partial Fisher-Yates shuffle
      const int j = i + static_cast<int>(rng_.Below(static_cast<uint32_t>(p - i)));
      std::swap(seats[i], seats[j]);
      teacher_seat_[seats[i]] = true;
    }
  }

  void FinishSearch() {
    const search::SearchResult result = search_.Result();
    searching_ = false;
    engine_.cache_hits_.fetch_add(result.cache_hits, std::memory_order_relaxed);
    RecordAndPlay(result.policy, result.visits, result.action, result.root_values);
  }

  // Records the decision (every seat's view with record_opponent_views) with `policy`, then
  // plays an action sampled from `visits` by the temperature schedule (`fallback` when nothing
  // was visited). With root_value_weight > 0 each record's `value` holds the search's
  // `root_values` (per absolute seat; empty for a teacher) rotated to its observer until
  // FinishGame mixes in the outcome.
  void RecordAndPlay(const std::array<float, kNumActions>& policy, const search::Visits& visits,
                     int fallback, const std::vector<float>& root_values) {
    const SelfPlayConfig& config = engine_.config_;
    const int actor = state_.current_player();
    for (int observer = 0; observer < state_.num_players(); ++observer) {
      if (observer != actor && !config.record_opponent_views) continue;
      PositionRecord& record = positions_.emplace_back();
      if (config.search.world_critic) {
        encode::EncodeWithHolders(state_, observer, record.features.data());
      } else if (config.search.information_set_tree) {
        encode::Encode(state_, observer, record.features.data());
      } else {
        encode::EncodeWorld(state_, observer, record.features.data());
      }
      encode::EncodeActorMask(state_, observer, record.mask.data());
      record.policy = policy;
      record.num_players = static_cast<int8_t>(state_.num_players());
      record.observer = static_cast<int8_t>(observer);
      record.move_number = static_cast<int16_t>(state_.num_actions());
      if (config.root_value_weight > 0 && !root_values.empty()) {
        for (int k = 0; k < state_.num_players(); ++k)
          record.value[k] = root_values[(observer + k) % state_.num_players()];
      }
    }
    const int chosen =
        search::ChooseByVisits(visits, config.TemperatureAt(state_.num_actions()), rng_);
    state_.ApplyAction(chosen >= 0 ? chosen : fallback);  // no visits: the search's fallback
    engine_.positions_.fetch_add(1, std::memory_order_relaxed);
  }

  void FinishGame() {
    const int p = state_.num_players();
    const std::vector<double> values = state_.Values(engine_.config_.search.relative_values);
    const double w = teacher_ ? 0.0 : engine_.config_.root_value_weight;
    for (PositionRecord& record : positions_) {
      for (int k = 0; k < p; ++k) {
        const double root = w > 0 ? record.value[k] : 0.0;  // see RecordAndPlay
        record.value[k] =
            static_cast<float>((1 - w) * values[(record.observer + k) % p] + w * root);
      }
    }
    GameRecord game;
    game.game_id = game_id_;
    game.game_seed = game_seed_;
    game.rules = state_.rules();
    game.deal = state_.InitialDeal();
    game.actions = state_.History();
    game.scores = state_.Scores();
    game.positions = std::move(positions_);
    positions_ = {};
    engine_.AddResult(std::move(game));
  }

  SelfPlayEngine& engine_;
  search::PimcSearch search_;
  std::unique_ptr<search::IsmctsSearch> teacher_;       // set when the config has a teacher
  std::array<bool, game::kMaxPlayers> teacher_seat_{};  // the seats the teacher plays this game
  int64_t game_id_ = 0;
  uint64_t game_seed_ = 0;
  core::Rng rng_;
  game::State state_;
  bool searching_ = false;    // a network search of the current decision is in progress
  bool search_done_ = false;  // ... and has selected its last leaves
  std::vector<PositionRecord> positions_;
};

// ---------------------------------------------------------------------------------------------
// Engine

namespace {

SchedulerConfig SchedulerConfigOf(const SelfPlayConfig& config) {
  config.Validate();
  SchedulerConfig scheduler;
  scheduler.name = "self-play";
  scheduler.num_models = 1;
  scheduler.max_batch_size = config.max_batch_size;
  scheduler.max_step_rows = config.search.num_worlds * config.search.leaves_per_tree;
  scheduler.batches_per_thread = config.batches_per_thread;
  return scheduler;
}

}  // namespace

SelfPlayEngine::SelfPlayEngine(const SelfPlayConfig& config)
    : config_(config), scheduler_(SchedulerConfigOf(config)) {
  search_config_ = config_.search;
  search_config_.temperature = 0;  // moves are sampled by the engine's schedule
}

SelfPlayEngine::~SelfPlayEngine() { Shutdown(); }

void SelfPlayEngine::Start(int64_t num_games, int64_t first_game_id) {
  std::lock_guard<std::mutex> control(control_mutex_);
  if (num_games < 0) throw std::invalid_argument("num_games = " + Str(num_games) + " is negative");
  if (scheduler_.Running()) {
    throw std::logic_error(
        "a self-play run is in progress: take its records or cancel it before starting another");
  }
  const int64_t first = first_game_id >= 0 ? first_game_id : next_first_game_;
  std::unique_ptr<search::SharedEvaluationCache> fresh_cache;
  if (config_.cache_capacity > 0 && config_.search.use_cache) {
    fresh_cache = std::make_unique<search::SharedEvaluationCache>(config_.cache_capacity);
  }
  {
    std::lock_guard<std::mutex> lock(results_mutex_);
    cache_ = std::move(fresh_cache);
    results_.clear();
  }
  positions_.store(0);
  forced_moves_.store(0);
  cache_hits_.store(0);
  search::SharedEvaluationCache* cache = cache_.get();
  scheduler_.Start(num_games, first, config_.EffectiveNumThreads(),
                   config_.EffectiveGamesPerThread(),
                   [this, cache](int) { return std::make_unique<Game>(*this, cache); });
  next_first_game_ = first + num_games;
}

void SelfPlayEngine::AddResult(GameRecord&& game) {
  std::lock_guard<std::mutex> lock(results_mutex_);
  results_.push_back(std::move(game));
}

std::vector<GameRecord> SelfPlayEngine::TakeRecords() {
  std::lock_guard<std::mutex> control(control_mutex_);
  scheduler_.Finish();
  std::vector<GameRecord> records;
  {
    std::lock_guard<std::mutex> lock(results_mutex_);
    records = std::move(results_);
    results_.clear();
  }
  std::sort(records.begin(), records.end(),
            [](const GameRecord& a, const GameRecord& b) { return a.game_id < b.game_id; });
  return records;
}

void SelfPlayEngine::Shutdown() {
  scheduler_.Shutdown();
  std::lock_guard<std::mutex> control(control_mutex_);
  std::lock_guard<std::mutex> lock(results_mutex_);
  cache_.reset();
}

SelfPlayStats SelfPlayEngine::Stats() const {
  const SchedulerStats scheduled = scheduler_.Stats();
  SelfPlayStats stats;
  stats.games_total = scheduled.games_total;
  stats.games_finished = scheduled.games_finished;
  stats.positions = positions_.load();
  stats.forced_moves = forced_moves_.load();
  stats.evaluations = scheduled.evaluations;
  stats.cache_hits = cache_hits_.load();
  stats.batches = scheduled.batches;
  {
    std::lock_guard<std::mutex> lock(results_mutex_);
    stats.cache_entries = cache_ ? cache_->Stats().size : 0;
  }
  stats.num_threads = scheduled.num_threads;
  stats.games_per_thread = scheduled.games_per_thread;
  return stats;
}

std::vector<GameRecord> SelfPlayEngine::Generate(int64_t num_games, search::Evaluator& evaluator,
                                                 int64_t first_game_id) {
  Start(num_games, first_game_id);
  scheduler_.EvaluateAll({&evaluator});
  return TakeRecords();
}

}  // namespace blobzero::selfplay
