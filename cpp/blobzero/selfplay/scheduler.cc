#include "blobzero/selfplay/scheduler.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "blobzero/core/text.h"

namespace blobzero::selfplay {
namespace {

using game::kNumActions;
using search::kValueSize;

using core::Require;
using core::Str;

}  // namespace

void SchedulerConfig::Validate() const {
  Require(num_models >= 1 && num_models <= 64,
          "num_models = " + Str(num_models) + " is outside 1..64");
  Require(max_step_rows >= 1, "max_step_rows = " + Str(max_step_rows) + " must be at least 1");
  Require(max_batch_size >= max_step_rows && max_batch_size <= (1 << 20),
          "max_batch_size = " + Str(max_batch_size) + " is outside " + Str(max_step_rows) +
              "..1048576 (it must hold one search step: num_worlds * leaves_per_tree rows)");
  Require(batches_per_thread >= 1 && batches_per_thread <= 64,
          "batches_per_thread = " + Str(batches_per_thread) + " is outside 1..64");
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

BatchRows BatchBuffer::RowsAt(int row) {
  return {features_.data() + static_cast<size_t>(row) * encode::kFeatureSize,
          masks_.data() + static_cast<size_t>(row) * encode::kMaskSize, states_.data() + row};
}

search::EvalBatch Batch::ForEvaluator() const {
  search::EvalBatch eval;
  eval.size = size;
  eval.features = buffer->features();
  eval.masks = buffer->masks();
  eval.states = buffer->states();
  eval.policy_logits = buffer->logits();
  eval.values = buffer->values();
  std::fill(eval.policy_logits, eval.policy_logits + size * kNumActions, 0.0f);
  std::fill(eval.values, eval.values + size * kValueSize, 0.0f);
  return eval;
}

struct BatchScheduler::Slot {
  std::unique_ptr<GameSlot> game;
  bool active = false;  // playing a claimed game
};

// Everything one worker thread owns. Fields above `cv` are touched only by the worker's own
// thread (and by Start before the thread exists); `cv` and `returned` are guarded by the
// scheduler's mutex.
struct BatchScheduler::Worker {
  int index = 0;
  std::vector<Slot> slots;
  std::vector<std::shared_ptr<BatchBuffer>> buffers;
  std::vector<int> free_buffers;  // indices into buffers
  std::vector<int> filling;       // per model: the buffer being packed, or -1
  std::deque<int> runnable;       // slots not parked on a buffer
  int active_games = 0;

  std::condition_variable cv;  // a buffer came back, or stop
  std::vector<int> returned;   // buffers handed back by Submit
  std::thread thread;
};

// ---------------------------------------------------------------------------------------------
// Scheduler

BatchScheduler::BatchScheduler(const SchedulerConfig& config) : config_(config) {
  config_.Validate();
}

BatchScheduler::~BatchScheduler() { Shutdown(); }

void BatchScheduler::Start(int64_t num_games, int64_t first_game_id, int num_threads,
                           int games_per_thread, const SlotFactory& make_slot) {
  std::lock_guard<std::mutex> control(control_mutex_);
  if (num_games < 0) throw std::invalid_argument("num_games = " + Str(num_games) + " is negative");
  if (first_game_id < 0) {
    throw std::invalid_argument("first_game_id = " + Str(first_game_id) + " is negative");
  }
  if (num_threads < 1 || games_per_thread < 1) {
    throw std::invalid_argument("num_threads and games_per_thread must be at least 1, got " +
                                Str(num_threads) + " and " + Str(games_per_thread));
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) throw std::logic_error("the " + config_.name + " engine was shut down");
    if (running_) {
      throw std::logic_error("a " + config_.name +
                             " run is in progress: finish or cancel it before starting another");
    }
  }
  const int threads =
      static_cast<int>(std::min<int64_t>(num_threads, std::max<int64_t>(1, num_games)));
  const int slots = static_cast<int>(std::min<int64_t>(
      games_per_thread, std::max<int64_t>(1, (num_games + threads - 1) / threads)));

  std::vector<std::unique_ptr<Worker>> workers;
  if (num_games > 0) {
    for (int w = 0; w < threads; ++w) {
      auto worker = std::make_unique<Worker>();
      worker->index = w;
      for (int s = 0; s < slots; ++s) {
        worker->slots.push_back({make_slot(w), false});
        worker->runnable.push_back(s);
      }
      for (int b = 0; b < config_.batches_per_thread; ++b) {
        worker->buffers.push_back(std::make_shared<BatchBuffer>(config_.max_batch_size, w, b));
        worker->buffers.back()->owner_ = this;
        worker->free_buffers.push_back(b);
      }
      worker->filling.assign(config_.num_models, -1);
      workers.push_back(std::move(worker));
    }
  }

  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++generation_;
    workers_ = std::move(workers);
    ready_.clear();
    error_ = nullptr;
    running_ = true;
    run_games_ = num_games;
    games_finished_ = 0;
    evaluations_ = 0;
    batches_ = 0;
    num_threads_ = num_games > 0 ? threads : 0;
    games_per_thread_ = num_games > 0 ? slots : 0;
    stop_.store(false);
    next_game_.store(first_game_id);
    run_end_ = first_game_id + num_games;
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

void BatchScheduler::WorkerMain(Worker& worker) {
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
      FillBatches(worker);
    }
  } catch (...) {
    Fail(worker.index, std::current_exception());
  }
}

void BatchScheduler::FillBatches(Worker& worker) {
  while (!worker.runnable.empty()) {
    if (stop_.load(std::memory_order_relaxed)) return;
    if (!Step(worker)) break;
  }
  // No other game of this worker can add to these buffers now.
  for (int& b : worker.filling) {
    if (b < 0) continue;
    BatchBuffer& buffer = *worker.buffers[b];
    if (buffer.size_ > 0) {
      Enqueue(worker, buffer);
    } else {
      worker.free_buffers.push_back(b);
    }
    b = -1;
  }
}

bool BatchScheduler::Step(Worker& worker) {
  const int s = worker.runnable.front();
  Slot& slot = worker.slots[s];
  if (!slot.active) {
    const int64_t id = next_game_.fetch_add(1);
    if (id >= run_end_) {
      worker.runnable.pop_front();  // no game left for this slot
      return true;
    }
    slot.game->Begin(id);
    slot.active = true;
    ++worker.active_games;
  }
  const int model = slot.game->Advance();
  if (model < 0) {
    slot.active = false;
    --worker.active_games;
    std::lock_guard<std::mutex> lock(mutex_);
    ++games_finished_;
    if (games_finished_ == run_games_) queue_cv_.notify_all();
    return true;
  }
  if (model >= config_.num_models) {
    throw std::logic_error("a game asked for model " + Str(model) + " of " +
                           Str(config_.num_models));
  }
  int& b = worker.filling[model];
  if (b < 0) {
    if (worker.free_buffers.empty()) return false;
    b = worker.free_buffers.back();
    worker.free_buffers.pop_back();
    BatchBuffer& fresh = *worker.buffers[b];
    fresh.model_ = model;
    fresh.size_ = 0;
    fresh.entries_.clear();
  }
  BatchBuffer& buffer = *worker.buffers[b];
  const int rows = slot.game->SelectLeaves(buffer.RowsAt(buffer.size_));
  if (rows == 0) return true;  // the search is finished: the next Advance plays its move
  worker.runnable.pop_front();
  buffer.entries_.push_back({s, buffer.size_});
  buffer.size_ += rows;
  if (buffer.size_ + config_.max_step_rows > buffer.capacity_) {
    Enqueue(worker, buffer);
    b = -1;
  }
  return true;
}

void BatchScheduler::BackupBatch(Worker& worker, BatchBuffer& buffer) {
  for (const BatchBuffer::Entry& entry : buffer.entries_) {
    worker.slots[entry.slot].game->Backup(
        buffer.logits_.data() + static_cast<size_t>(entry.row) * kNumActions,
        buffer.values_.data() + static_cast<size_t>(entry.row) * kValueSize);
    worker.runnable.push_back(entry.slot);
  }
  buffer.entries_.clear();
  buffer.size_ = 0;
}

void BatchScheduler::Enqueue(Worker& worker, BatchBuffer& buffer) {
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

void BatchScheduler::Fail(int worker_index, std::exception_ptr error) {
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
        std::runtime_error(config_.name + " worker " + Str(worker_index) + " failed: " + what));
  }
  stop_.store(true);
  for (auto& worker : workers_) worker->cv.notify_all();
  queue_cv_.notify_all();
}

void BatchScheduler::ThrowIfFailedLocked() const {
  if (error_) std::rethrow_exception(error_);
}

Batch BatchScheduler::NextBatch(double timeout_s) {
  if (!(timeout_s >= 0)) {
    throw std::invalid_argument("timeout_s = " + std::to_string(timeout_s) + " must be >= 0");
  }
  const auto timeout = std::chrono::duration<double>(std::min(timeout_s, 1e6));
  std::unique_lock<std::mutex> lock(mutex_);
  if (!running_) throw std::logic_error("no " + config_.name + " run is in progress");
  const uint64_t generation = generation_;
  queue_cv_.wait_for(lock, timeout, [&] {
    return generation_ != generation || error_ || stop_.load() || !ready_.empty() ||
           games_finished_ == run_games_;
  });
  ThrowIfFailedLocked();
  if (generation_ != generation || stop_.load()) {
    throw std::runtime_error("the " + config_.name + " run was cancelled");
  }
  Batch batch;
  if (ready_.empty()) return batch;
  batch.buffer = std::move(ready_.front());
  ready_.pop_front();
  batch.buffer->stage_ = BatchBuffer::Stage::kWithEvaluator;
  batch.id = batch.buffer->id_;
  batch.size = batch.buffer->size_;
  batch.model = batch.buffer->model_;
  return batch;
}

void BatchScheduler::Submit(const Batch& batch, const float* logits, const float* values) {
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

bool BatchScheduler::Done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_ && !error_ && games_finished_ == run_games_;
}

bool BatchScheduler::Running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

void BatchScheduler::Finish() {
  std::lock_guard<std::mutex> control(control_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) throw std::logic_error("no " + config_.name + " run to finish");
    ThrowIfFailedLocked();
    if (games_finished_ != run_games_) {
      throw std::logic_error("the " + config_.name + " run has not finished: " +
                             Str(games_finished_) + " of " + Str(run_games_) + " games done");
    }
  }
  // Every game is finished, so every worker is leaving its loop on its own.
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  workers_.clear();
  ready_.clear();
  running_ = false;
  ++generation_;
}

void BatchScheduler::StopWorkers() {
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
}

void BatchScheduler::Cancel() {
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

void BatchScheduler::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;  // from here on Start refuses
  }
  Cancel();
}

SchedulerStats BatchScheduler::Stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {run_games_, games_finished_, evaluations_, batches_, num_threads_, games_per_thread_};
}

void BatchScheduler::EvaluateAll(const std::vector<search::Evaluator*>& evaluators) {
  try {
    if (static_cast<int>(evaluators.size()) != config_.num_models) {
      throw std::invalid_argument("EvaluateAll needs " + Str(config_.num_models) +
                                  " evaluators (one per model), got " + Str(evaluators.size()));
    }
    for (const search::Evaluator* evaluator : evaluators) {
      if (evaluator == nullptr) throw std::invalid_argument("EvaluateAll got a null evaluator");
    }
    while (true) {
      const Batch batch = NextBatch(0.1);
      if (!batch) {
        if (Done()) return;
        continue;
      }
      evaluators[batch.model]->Evaluate(batch.ForEvaluator());
      Submit(batch);
    }
  } catch (...) {
    Cancel();
    throw;
  }
}

}  // namespace blobzero::selfplay
