#pragma once
// The batch scheduler: many concurrent games over worker threads, their network evaluations
// gathered into batches. It knows nothing of what a game is: self-play (engine.h) and the arena
// (arena.h) supply the games as GameSlots and keep their own results.
//
// K worker threads each own many game slots and a few batch buffers (KataGo style: all
// per-thread state lives in its Worker). A worker advances its games one after the other; a game
// whose search needs evaluations by model m writes the features of its leaves straight into rows
// of the worker's buffer for model m (GameSlot::SelectLeaves into the buffer), parks, and the
// worker moves on to the next game. A buffer holds rows for one model only; it goes to the ready
// queue as soon as it cannot take another search step or no other game of the worker can add to
// it. Whoever evaluates -- a Python loop (through the bindings) or C++ Evaluators (EvaluateAll)
// -- pulls ready batches with NextBatch, fills their logits and values with the batch's model and
// hands them back with Submit; the worker then backs up every game parked on that buffer and
// packs again. With more buffers than models a worker packs while another buffer is evaluated.
//
// Games: a run plays games first_game_id .. first_game_id + n - 1; a worker claims the next id
// for an idle slot (GameSlot::Begin). What a game is, how it is seeded and where its result goes
// is the slot's business; the scheduler only counts finished games. A slot whose results depend
// only on its game id (and on model outputs that depend only on their row) makes a run's results
// independent of the thread count, the batch size and the timing.
//
// Threading contract:
//   - Start, Cancel, Shutdown and Finish may block (they join threads); they are serialised
//     against each other. NextBatch (may block up to its timeout), Submit, Done, Running and
//     Stats are thread-safe and may be called from any thread, also while another thread is in
//     Cancel or Shutdown.
//   - Worker threads never call back into the caller: they only run slots and fill and drain
//     batch buffers, so no Python and no GIL is ever touched by them. A slot is used by its
//     worker's thread only.
//   - A batch returned by NextBatch belongs to the caller until it is submitted; its inputs are
//     valid until then (the memory itself lives as long as the shared_ptr). Submitting a batch
//     twice, or one of a cancelled run, throws std::invalid_argument.
//   - No busy waiting: workers and NextBatch wait on condition variables.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "blobzero/encode/encoder.h"
#include "blobzero/game/state.h"
#include "blobzero/search/evaluator.h"

namespace blobzero::selfplay {

// Where a slot's search writes the rows it asks to be evaluated: rows of encode::kFeatureSize
// feature bytes, encode::kMaskSize mask bytes, and the leaf state pointers.
struct BatchRows {
  uint8_t* features = nullptr;
  uint8_t* masks = nullptr;
  const game::State** states = nullptr;
};

// One game at a time, played on a worker thread: the game policy's side of the scheduler.
class GameSlot {
 public:
  virtual ~GameSlot() = default;
  // Sets up game `game_id` of the run (the slot was idle).
  virtual void Begin(int64_t game_id) = 0;
  // Plays on until the game's search needs evaluations and returns the model to ask (0 <= m <
  // the scheduler's num_models), or returns -1 once the game has finished (its result kept
  // wherever the game policy keeps results). While a search waits to select leaves, calling it
  // again returns the same model and changes nothing.
  virtual int Advance() = 0;
  // Writes the rows the current search asks for (at most the scheduler's max_step_rows) and
  // returns their count; 0 when the search is finished (the next Advance plays its move).
  virtual int SelectLeaves(const BatchRows& rows) = 0;
  // The outputs for the rows of the last SelectLeaves: logits [n, kNumActions] and values
  // [n, kValueSize].
  virtual void Backup(const float* logits, const float* values) = 0;
};

// A new slot for worker `worker` (0-based); called by Start on the calling thread.
using SlotFactory = std::function<std::unique_ptr<GameSlot>(int worker)>;

struct SchedulerStats {
  int64_t games_total = 0;  // games of the current (or last) run
  int64_t games_finished = 0;
  int64_t evaluations = 0;  // rows sent for evaluation
  int64_t batches = 0;
  int num_threads = 0;
  int games_per_thread = 0;
};

// Rows of positions to evaluate by one model, owned by one worker; the unit handed to the
// evaluator.
class BatchBuffer {
 public:
  BatchBuffer(int capacity, int worker, int index);

  // A number unique within the scheduler, increasing in the order batches became ready.
  int64_t id() const { return id_; }
  int size() const { return size_; }
  int capacity() const { return capacity_; }
  // The model that must evaluate these rows.
  int model() const { return model_; }
  // Inputs: [size, kFeatureSize] features, [size, kMaskSize] masks (observer = the player to
  // act of each row), [size] the leaf states (determinized worlds; for C++ evaluators).
  const uint8_t* features() const { return features_.data(); }
  const uint8_t* masks() const { return masks_.data(); }
  const game::State* const* states() const { return states_.data(); }
  // Outputs, written by the evaluator before Submit: [size, kNumActions], [size, kValueSize].
  // Like id() and size(), read or write these only while the batch is handed out to you.
  float* logits() { return logits_.data(); }
  float* values() { return values_.data(); }

 private:
  friend class BatchScheduler;
  enum class Stage { kFree, kReady, kWithEvaluator, kSubmitting, kReturned };
  // The rows of one parked game.
  struct Entry {
    int slot;
    int row;
  };

  BatchRows RowsAt(int row);

  const void* owner_ = nullptr;  // the scheduler
  int capacity_;
  int worker_;
  int index_;
  int model_ = 0;
  int64_t id_ = -1;
  int size_ = 0;
  uint64_t generation_ = 0;
  Stage stage_ = Stage::kFree;  // guarded by the scheduler's mutex
  std::vector<uint8_t> features_;
  std::vector<uint8_t> masks_;
  std::vector<const game::State*> states_;
  std::vector<float> logits_;
  std::vector<float> values_;
  std::vector<Entry> entries_;
};

// A batch handed to the evaluator: its buffer, and the id, size and model it had when handed out
// (the buffer itself is reused once the batch is submitted; these stay).
struct Batch {
  std::shared_ptr<BatchBuffer> buffer;
  int64_t id = -1;
  int size = 0;
  int model = 0;

  explicit operator bool() const { return buffer != nullptr; }
  BatchBuffer* operator->() const { return buffer.get(); }
  // The rows as an Evaluator's input, its outputs the buffer's logits() and values() (zeroed).
  search::EvalBatch ForEvaluator() const;
};

struct SchedulerConfig {
  // Names the engine in errors ("self-play", "arena").
  std::string name = "engine";
  // Models the games ask (batches are per model); at least 1.
  int num_models = 1;
  // Rows per batch buffer; at least max_step_rows.
  int max_batch_size = 256;
  // The most rows one GameSlot::SelectLeaves writes.
  int max_step_rows = 1;
  // Buffers per worker; at least 1 (more than num_models overlaps packing and evaluation).
  int batches_per_thread = 2;

  // Throws std::invalid_argument naming the first bad field.
  void Validate() const;
};

class BatchScheduler {
 public:
  // Throws std::invalid_argument for a bad config. Starts no thread.
  explicit BatchScheduler(const SchedulerConfig& config);
  // Shutdown().
  ~BatchScheduler();
  BatchScheduler(const BatchScheduler&) = delete;
  BatchScheduler& operator=(const BatchScheduler&) = delete;

  const SchedulerConfig& config() const { return config_; }

  // Starts a run of games first_game_id .. first_game_id + num_games - 1 on `num_threads` fresh
  // worker threads (fewer when there are fewer games), each with `games_per_thread` slots from
  // `make_slot` (fewer when that is more than its share of games), and returns at once. Clears
  // the stats. Throws std::logic_error when a run is in progress (Finish or Cancel it first) or
  // after Shutdown, std::invalid_argument for a negative count or a thread or slot count below 1.
  // May block briefly (thread start).
  void Start(int64_t num_games, int64_t first_game_id, int num_threads, int games_per_thread,
             const SlotFactory& make_slot);

  // The next ready batch, waiting up to `timeout_s` seconds; an empty Batch on timeout and at
  // once when the run is done. Throws std::runtime_error when a worker failed (with its message)
  // or the run was cancelled while waiting, std::logic_error when no run is in progress.
  // Thread-safe; may block.
  Batch NextBatch(double timeout_s);

  // Hands a batch back once its outputs are written: from `logits`/`values` (copied; rows of
  // kNumActions and kValueSize floats) or, when they are null, from the batch's own logits()
  // and values(). Throws std::invalid_argument for a non-finite output (naming the row and the
  // column; the batch stays with the caller) or a batch that is not waiting for an evaluation
  // (submitted already, of a run that ended, or of another scheduler). Thread-safe; does not
  // block on evaluation.
  void Submit(const Batch& batch, const float* logits = nullptr, const float* values = nullptr);

  // True when every game of the run has finished. Thread-safe.
  bool Done() const;
  // True between Start and Finish/Cancel.
  bool Running() const;

  // Ends a finished run: joins its threads (the slots' results are then complete). Throws
  // std::runtime_error when a worker failed, std::logic_error when no run is in progress or it
  // has not finished. May block briefly.
  void Finish();

  // Stops the run in progress, if any: wakes and joins every worker thread and discards its
  // unfinished games. The scheduler can start again. Idempotent; may block briefly.
  void Cancel();
  // Cancel, then refuse any further Start. Idempotent.
  void Shutdown();

  SchedulerStats Stats() const;

  // Evaluates the run in progress on the calling thread until it is done: every batch of model
  // m by evaluators[m] (C++ mode, for benchmarks and sanitizer tests). An exception (from an
  // evaluator or a worker) cancels the run and propagates. Does not Finish.
  void EvaluateAll(const std::vector<search::Evaluator*>& evaluators);

 private:
  struct Slot;
  struct Worker;

  void WorkerMain(Worker& worker);
  // Packs the worker's runnable games into buffers until no game is runnable or no buffer is
  // free; every buffer it filled is then enqueued.
  void FillBatches(Worker& worker);
  // Advances the slot at the front of the runnable queue by one step: claims a game for an idle
  // slot, retires a finished one, or parks its search's rows in the buffer of its model. False
  // when the model's buffer is needed and none is free.
  bool Step(Worker& worker);
  void BackupBatch(Worker& worker, BatchBuffer& buffer);
  void Enqueue(Worker& worker, BatchBuffer& buffer);
  void Fail(int worker_index, std::exception_ptr error);
  // Stops and joins the workers; the caller holds control_mutex_.
  void StopWorkers();
  void ThrowIfFailedLocked() const;

  const SchedulerConfig config_;

  // Serialises Start, Cancel, Shutdown and Finish.
  std::mutex control_mutex_;

  // Guards everything below it except the atomics.
  mutable std::mutex mutex_;
  std::condition_variable queue_cv_;  // ready_ grew, the run finished, failed or stopped
  std::vector<std::unique_ptr<Worker>> workers_;
  std::deque<std::shared_ptr<BatchBuffer>> ready_;
  std::exception_ptr error_;
  bool running_ = false;
  bool closed_ = false;
  // Bumped by every Start and Cancel: batches of an older generation are refused.
  uint64_t generation_ = 0;
  int64_t run_games_ = 0;
  int64_t games_finished_ = 0;
  int64_t next_batch_id_ = 0;
  int64_t evaluations_ = 0;
  int64_t batches_ = 0;
  int num_threads_ = 0;
  int games_per_thread_ = 0;

  std::atomic<bool> stop_{false};
  std::atomic<int64_t> next_game_{0};
  int64_t run_end_ = 0;  // written by Start before any worker starts
};

}  // namespace blobzero::selfplay
