#include "blobzero/selfplay/engine.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "blobzero/search/visits.h"

namespace blobzero::selfplay {
namespace {

using game::kNumActions;
using search::kValueSize;

std::string Str(int64_t value) { return std::to_string(value); }

void Require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

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
}

int SelfPlayConfig::EffectiveNumThreads() const {
  if (num_threads > 0) return num_threads;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores - 1);
}

int SelfPlayConfig::EffectiveGamesPerThread() const {
  if (games_per_thread > 0) return games_per_thread;
  if (teacher_simulations > 0) return 1;  // teacher games never wait for an evaluation
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
// Per-thread state

BatchBuffer::BatchBuffer(int capacity, int worker, int index)
    : capacity_(capacity),
      worker_(worker),
      index_(index),
      features_(static_cast<size_t>(capacity) * encode::kFeatureSize),
      masks_(static_cast<size_t>(capacity) * encode::kMaskSize),
      states_(capacity, nullptr),
      logits_(static_cast<size_t>(capacity) * kNumActions),
      values_(static_cast<size_t>(capacity) * kValueSize) {
  entries_.reserve(capacity);
}

// One game in progress (or an idle slot). Touched only by its worker's thread.
struct SelfPlayEngine::GameSlot {
  GameSlot(const search::PuctConfig& config, int teacher_simulations)
      : search(config, /*needs_features=*/true) {
    if (teacher_simulations > 0) {
      search::IsmctsConfig teacher_config;
      teacher_config.simulations = teacher_simulations;
      teacher_config.relative_values = config.relative_values;
      teacher = std::make_unique<search::IsmctsSearch>(teacher_config);
    }
  }

  bool active = false;
  bool searching = false;
  int64_t game_id = 0;
  uint64_t game_seed = 0;
  core::Rng rng;
  game::State state;
  search::PimcSearch search;
  std::unique_ptr<search::IsmctsSearch> teacher;  // set when the config has a teacher
  std::vector<PositionRecord> positions;
};

// Everything one worker thread owns. Fields above `cv` are touched only by the worker's own
// thread (and by Start before the thread exists); `cv` and `returned` are guarded by the
// engine's mutex.
struct SelfPlayEngine::Worker {
  int index = 0;
  std::vector<std::unique_ptr<GameSlot>> slots;
  std::vector<std::shared_ptr<BatchBuffer>> buffers;
  std::vector<int> free_buffers;  // indices into buffers
  std::deque<int> runnable;       // slots not parked on a buffer
  int active_games = 0;

  std::condition_variable cv;  // a buffer came back, or stop
  std::vector<int> returned;   // buffers handed back by Submit
  std::thread thread;
};

// ---------------------------------------------------------------------------------------------
// Engine

SelfPlayEngine::SelfPlayEngine(const SelfPlayConfig& config) : config_(config) {
  config_.Validate();
  search_config_ = config_.search;
  search_config_.temperature = 0;  // moves are sampled by the engine's schedule
}

SelfPlayEngine::~SelfPlayEngine() { Shutdown(); }

void SelfPlayEngine::Start(int64_t num_games, int64_t first_game_id) {
  std::lock_guard<std::mutex> control(control_mutex_);
  if (num_games < 0) throw std::invalid_argument("num_games = " + Str(num_games) + " is negative");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) throw std::logic_error("the self-play engine was shut down");
    if (running_) {
      throw std::logic_error(
          "a self-play run is in progress: take its records or cancel it before starting another");
    }
  }
  const int64_t first = first_game_id >= 0 ? first_game_id : next_first_game_;
  const int num_threads = static_cast<int>(
      std::min<int64_t>(config_.EffectiveNumThreads(), std::max<int64_t>(1, num_games)));
  const int games_per_thread = static_cast<int>(
      std::min<int64_t>(config_.EffectiveGamesPerThread(),
                        std::max<int64_t>(1, (num_games + num_threads - 1) / num_threads)));

  std::unique_ptr<search::SharedEvaluationCache> cache;
  if (config_.cache_capacity > 0 && config_.search.use_cache) {
    cache = std::make_unique<search::SharedEvaluationCache>(config_.cache_capacity);
  }
  std::vector<std::unique_ptr<Worker>> workers;
  if (num_games > 0) {
    for (int w = 0; w < num_threads; ++w) {
      auto worker = std::make_unique<Worker>();
      worker->index = w;
      for (int s = 0; s < games_per_thread; ++s) {
        worker->slots.push_back(
            std::make_unique<GameSlot>(search_config_, config_.teacher_simulations));
        worker->slots.back()->search.set_cache(cache.get());
        worker->runnable.push_back(s);
      }
      for (int b = 0; b < config_.batches_per_thread; ++b) {
        worker->buffers.push_back(std::make_shared<BatchBuffer>(config_.max_batch_size, w, b));
        worker->buffers.back()->owner_ = this;
        worker->free_buffers.push_back(b);
      }
      workers.push_back(std::move(worker));
    }
  }

  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++generation_;
    workers_ = std::move(workers);
    cache_ = std::move(cache);
    ready_.clear();
    results_.clear();
    error_ = nullptr;
    running_ = true;
    run_games_ = num_games;
    games_finished_ = 0;
    evaluations_ = 0;
    batches_ = 0;
    num_threads_ = num_games > 0 ? num_threads : 0;
    games_per_thread_ = num_games > 0 ? games_per_thread : 0;
    next_first_game_ = first + num_games;
    stop_.store(false);
    next_game_.store(first);
    run_end_ = first + num_games;
    positions_.store(0);
    forced_moves_.store(0);
    cache_hits_.store(0);
  }
  // The threads read workers_ only through their own Worker; std::thread's start synchronises.
  try {
    for (auto& worker : workers_) {
      Worker* w = worker.get();
      w->thread = std::thread([this, w] { WorkerMain(*w); });
    }
  } catch (...) {
    StopWorkers();
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
    throw;
  }
}

void SelfPlayEngine::WorkerMain(Worker& worker) {
  try {
    std::vector<int> returned;
    while (true) {
      // Every game of this worker is done (an active game is always runnable or parked on an
      // outstanding buffer, so nothing can come back).
      if (worker.active_games == 0 && worker.runnable.empty()) return;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        const bool can_fill = !worker.free_buffers.empty() && !worker.runnable.empty();
        if (!can_fill) {
          worker.cv.wait(lock, [&] { return stop_.load() || !worker.returned.empty(); });
        }
        if (stop_.load()) return;
        returned.swap(worker.returned);
      }
      for (int b : returned) {
        BackupBatch(worker, *worker.buffers[b]);
        worker.free_buffers.push_back(b);
      }
      returned.clear();
      while (!worker.free_buffers.empty() && !worker.runnable.empty()) {
        if (stop_.load(std::memory_order_relaxed)) return;
        const int b = worker.free_buffers.back();
        worker.free_buffers.pop_back();
        BatchBuffer& buffer = *worker.buffers[b];
        FillBatch(worker, buffer);
        if (buffer.size_ > 0) {
          Enqueue(worker, buffer);
        } else {
          worker.free_buffers.push_back(b);
        }
      }
    }
  } catch (...) {
    Fail(worker.index, std::current_exception());
  }
}

void SelfPlayEngine::FillBatch(Worker& worker, BatchBuffer& buffer) {
  buffer.size_ = 0;
  buffer.entries_.clear();
  const int step_rows = worker.slots.front()->search.max_requests();
  while (!worker.runnable.empty() && buffer.size_ + step_rows <= buffer.capacity_) {
    const int s = worker.runnable.front();
    worker.runnable.pop_front();
    const int rows = AdvanceGame(worker, *worker.slots[s], buffer, buffer.size_);
    if (rows == 0) continue;  // the slot has no game left
    buffer.entries_.push_back({s, buffer.size_});
    buffer.size_ += rows;
  }
}

int SelfPlayEngine::AdvanceGame(Worker& worker, GameSlot& slot, BatchBuffer& buffer, int row) {
  while (true) {
    if (!slot.active) {
      if (!ClaimGame(worker, slot)) return 0;
    }
    if (slot.searching) {
      const int rows = slot.search.SelectLeaves(
          buffer.features_.data() + static_cast<size_t>(row) * encode::kFeatureSize,
          buffer.masks_.data() + static_cast<size_t>(row) * encode::kMaskSize,
          buffer.states_.data() + row);
      if (rows > 0) return rows;
      FinishSearch(slot);
      continue;
    }
    if (slot.state.IsTerminal()) {
      FinishGame(slot);
      slot.active = false;
      --worker.active_games;
      continue;
    }
    if (NumLegalActions(slot.state) == 1) {
      slot.state.ApplyActionUnchecked(slot.state.LegalActions().front());
      forced_moves_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (slot.teacher) {
      TeacherMove(slot);
      continue;
    }
    slot.search.Start(slot.state, slot.rng.Next());
    slot.searching = true;
  }
}

bool SelfPlayEngine::ClaimGame(Worker& worker, GameSlot& slot) {
  const int64_t id = next_game_.fetch_add(1);
  if (id >= run_end_) return false;
  slot.game_id = id;
  slot.game_seed = core::DeriveSeed(config_.seed, static_cast<uint64_t>(id));
  slot.rng.Seed(slot.game_seed);
  const GameDraw draw = DrawGame(config_.setup, slot.rng);
  slot.state = game::State(draw.rules, draw.dealer, slot.rng.Next());
  slot.positions.clear();
  slot.searching = false;
  slot.active = true;
  ++worker.active_games;
  return true;
}

void SelfPlayEngine::FinishSearch(GameSlot& slot) {
  const search::SearchResult result = slot.search.Result();
  slot.searching = false;
  cache_hits_.fetch_add(result.cache_hits, std::memory_order_relaxed);
  RecordAndPlay(slot, result.policy, result.visits, result.action);
}

void SelfPlayEngine::TeacherMove(GameSlot& slot) {
  const search::IsmctsResult result = slot.teacher->Run(slot.state, slot.rng.Next());
  RecordAndPlay(slot, result.policy, result.visits, result.action);
}

void SelfPlayEngine::RecordAndPlay(GameSlot& slot, const std::array<float, kNumActions>& policy,
                                   const search::Visits& visits, int fallback) {
  const game::State& state = slot.state;
  const int actor = state.current_player();
  const search::PuctConfig& search = config_.search;
  for (int observer = 0; observer < state.num_players(); ++observer) {
    if (observer != actor && !config_.record_opponent_views) continue;
    PositionRecord& record = slot.positions.emplace_back();
    if (search.world_critic) {
      encode::EncodeWithHolders(state, observer, record.features.data());
    } else if (search.information_set_tree) {
      encode::Encode(state, observer, record.features.data());
    } else {
      encode::EncodeWorld(state, observer, record.features.data());
    }
    encode::EncodeActorMask(state, observer, record.mask.data());
    record.policy = policy;
    record.num_players = static_cast<int8_t>(state.num_players());
    record.observer = static_cast<int8_t>(observer);
    record.move_number = static_cast<int16_t>(state.num_actions());
  }
  const int chosen =
      search::ChooseByVisits(visits, config_.TemperatureAt(state.num_actions()), slot.rng);
  slot.state.ApplyAction(chosen >= 0 ? chosen : fallback);  // no visits: the search's fallback
  positions_.fetch_add(1, std::memory_order_relaxed);
}

void SelfPlayEngine::FinishGame(GameSlot& slot) {
  const game::State& state = slot.state;
  const int p = state.num_players();
  const std::vector<double> values = state.Values(config_.search.relative_values);
  for (PositionRecord& record : slot.positions) {
    record.value.fill(0.0f);
    for (int k = 0; k < p; ++k)
      record.value[k] = static_cast<float>(values[(record.observer + k) % p]);
  }
  GameRecord game;
  game.game_id = slot.game_id;
  game.game_seed = slot.game_seed;
  game.rules = state.rules();
  game.deal = state.InitialDeal();
  game.actions = state.History();
  game.scores = state.Scores();
  game.positions = std::move(slot.positions);
  slot.positions = {};
  std::lock_guard<std::mutex> lock(mutex_);
  results_.push_back(std::move(game));
  ++games_finished_;
  if (games_finished_ == run_games_) queue_cv_.notify_all();
}

void SelfPlayEngine::BackupBatch(Worker& worker, BatchBuffer& buffer) {
  for (const BatchBuffer::Entry& entry : buffer.entries_) {
    GameSlot& slot = *worker.slots[entry.slot];
    slot.search.Backup(buffer.logits_.data() + static_cast<size_t>(entry.row) * kNumActions,
                       buffer.values_.data() + static_cast<size_t>(entry.row) * kValueSize);
    worker.runnable.push_back(entry.slot);
  }
  buffer.entries_.clear();
  buffer.size_ = 0;
}

void SelfPlayEngine::Enqueue(Worker& worker, BatchBuffer& buffer) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Once stopping, no batch may become visible: its generation would be the new one.
  if (stop_.load()) return;
  buffer.id_ = next_batch_id_++;
  buffer.generation_ = generation_;
  buffer.stage_ = BatchBuffer::Stage::kReady;
  ready_.push_back(worker.buffers[buffer.index_]);
  evaluations_ += buffer.size_;
  ++batches_;
  queue_cv_.notify_one();
}

void SelfPlayEngine::Fail(int worker_index, std::exception_ptr error) {
  std::string what = "unknown error";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (!error_) {
    error_ = std::make_exception_ptr(
        std::runtime_error("self-play worker " + Str(worker_index) + " failed: " + what));
  }
  stop_.store(true);
  for (auto& worker : workers_) worker->cv.notify_all();
  queue_cv_.notify_all();
}

void SelfPlayEngine::ThrowIfFailedLocked() const {
  if (error_) std::rethrow_exception(error_);
}

Batch SelfPlayEngine::NextBatch(double timeout_s) {
  if (!(timeout_s >= 0)) {
    throw std::invalid_argument("timeout_s = " + std::to_string(timeout_s) + " must be >= 0");
  }
  const auto timeout = std::chrono::duration<double>(std::min(timeout_s, 1e6));
  std::unique_lock<std::mutex> lock(mutex_);
  if (!running_) throw std::logic_error("no self-play run is in progress");
  const uint64_t generation = generation_;
  queue_cv_.wait_for(lock, timeout, [&] {
    return generation_ != generation || error_ || stop_.load() || !ready_.empty() ||
           games_finished_ == run_games_;
  });
  ThrowIfFailedLocked();
  if (generation_ != generation || stop_.load()) {
    throw std::runtime_error("the self-play run was cancelled");
  }
  Batch batch;
  if (ready_.empty()) return batch;
  batch.buffer = std::move(ready_.front());
  ready_.pop_front();
  batch.buffer->stage_ = BatchBuffer::Stage::kWithEvaluator;
  batch.id = batch.buffer->id_;
  batch.size = batch.buffer->size_;
  return batch;
}

void SelfPlayEngine::Submit(const Batch& batch, const float* logits, const float* values) {
  if (!batch) throw std::invalid_argument("submit needs a batch, got none");
  BatchBuffer& buffer = *batch.buffer;
  if (buffer.owner_ != this) {
    throw std::invalid_argument("batch " + Str(batch.id) + " belongs to another engine");
  }
  // Handed out to the caller, and still the same hand-out (the buffer is reused afterwards).
  const auto check_outstanding = [&] {
    if (buffer.generation_ != generation_ || buffer.stage_ != BatchBuffer::Stage::kWithEvaluator ||
        buffer.id_ != batch.id) {
      throw std::invalid_argument("batch " + Str(batch.id) +
                                  " is not waiting for an evaluation (already submitted, or its "
                                  "run has ended)");
    }
  };
  {
    std::lock_guard<std::mutex> lock(mutex_);
    check_outstanding();
  }
  // The batch is the caller's until it is handed back: only this thread touches its rows.
  const int n = batch.size;
  search::CheckEvaluations(logits ? logits : buffer.logits_.data(),
                           values ? values : buffer.values_.data(), n);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    check_outstanding();
    buffer.stage_ = BatchBuffer::Stage::kSubmitting;
  }
  if (logits) std::memcpy(buffer.logits_.data(), logits, sizeof(float) * n * kNumActions);
  if (values) std::memcpy(buffer.values_.data(), values, sizeof(float) * n * kValueSize);
  std::lock_guard<std::mutex> lock(mutex_);
  if (buffer.generation_ != generation_ || stop_.load() ||
      buffer.worker_ >= static_cast<int>(workers_.size())) {
    return;  // the run ended meanwhile: nobody waits for this batch any more
  }
  buffer.stage_ = BatchBuffer::Stage::kReturned;
  Worker& worker = *workers_[buffer.worker_];
  worker.returned.push_back(buffer.index_);
  worker.cv.notify_one();
}

bool SelfPlayEngine::Done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_ && !error_ && games_finished_ == run_games_;
}

bool SelfPlayEngine::Running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

std::vector<GameRecord> SelfPlayEngine::TakeRecords() {
  std::lock_guard<std::mutex> control(control_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) throw std::logic_error("no self-play run to take records from");
    ThrowIfFailedLocked();
    if (games_finished_ != run_games_) {
      throw std::logic_error("the self-play run has not finished: " + Str(games_finished_) +
                             " of " + Str(run_games_) + " games done");
    }
  }
  // Every game is finished, so every worker is leaving its loop on its own.
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<GameRecord> records = std::move(results_);
  results_.clear();
  std::sort(records.begin(), records.end(),
            [](const GameRecord& a, const GameRecord& b) { return a.game_id < b.game_id; });
  workers_.clear();
  ready_.clear();
  running_ = false;
  ++generation_;
  return records;
}

void SelfPlayEngine::StopWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
    ++generation_;
    for (auto& worker : workers_) worker->cv.notify_all();
    queue_cv_.notify_all();
  }
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  workers_.clear();
  ready_.clear();
  results_.clear();
}

void SelfPlayEngine::Cancel() {
  std::lock_guard<std::mutex> control(control_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
  }
  StopWorkers();
  std::lock_guard<std::mutex> lock(mutex_);
  error_ = nullptr;
  running_ = false;
  stop_.store(false);
}

void SelfPlayEngine::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;  // from here on Start refuses
  }
  Cancel();
  std::lock_guard<std::mutex> control(control_mutex_);
  std::lock_guard<std::mutex> lock(mutex_);
  cache_.reset();
}

SelfPlayStats SelfPlayEngine::Stats() const {
  SelfPlayStats stats;
  std::lock_guard<std::mutex> lock(mutex_);
  stats.games_total = run_games_;
  stats.games_finished = games_finished_;
  stats.positions = positions_.load();
  stats.forced_moves = forced_moves_.load();
  stats.evaluations = evaluations_;
  stats.cache_hits = cache_hits_.load();
  stats.batches = batches_;
  stats.cache_entries = cache_ ? cache_->Stats().size : 0;
  stats.num_threads = num_threads_;
  stats.games_per_thread = games_per_thread_;
  return stats;
}

std::vector<GameRecord> SelfPlayEngine::Generate(int64_t num_games, search::Evaluator& evaluator,
                                                 int64_t first_game_id) {
  Start(num_games, first_game_id);
  try {
    while (true) {
      const Batch batch = NextBatch(0.1);
      if (!batch) {
        if (Done()) break;
        continue;
      }
      search::EvalBatch eval;
      eval.size = batch.size;
      eval.features = batch->features();
      eval.masks = batch->masks();
      eval.states = batch->states();
      eval.policy_logits = batch->logits();
      eval.values = batch->values();
      std::fill(eval.policy_logits, eval.policy_logits + eval.size * kNumActions, 0.0f);
      std::fill(eval.values, eval.values + eval.size * kValueSize, 0.0f);
      evaluator.Evaluate(eval);
      Submit(batch);
    }
    return TakeRecords();
  } catch (...) {
    Cancel();
    throw;
  }
}

}  // namespace blobzero::selfplay
