#pragma once
// Caches of evaluations keyed by the hash of an encoded information set.
//
// The evaluator's answer for a position (policy logits over the kNumActions actions and one
// value per relative seat) is a function of the position's features alone, so positions with
// equal encode::HashFeatures share one evaluation: within one search (the worlds of an
// information-set tree reach each node with the searcher's same observation), between the moves
// of a game, and — with a cache shared by many searches — between games and threads.
//
// EvaluationCache is the interface a PimcSearch consults (PimcSearch::set_cache).
// SharedEvaluationCache is the bounded, thread-safe implementation the self-play engine shares
// between all its games and worker threads.

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "blobzero/game/rules.h"

namespace blobzero::search {

class EvaluationCache {
 public:
  // Sizes of one entry's arrays.
  static constexpr int kLogitsSize = game::kNumActions;
  static constexpr int kValuesSize = game::kMaxPlayers;

  virtual ~EvaluationCache() = default;
  // Copies the evaluation stored under `key` to logits[kLogitsSize] and values[kValuesSize] and
  // returns true, or returns false (outputs untouched) when there is none.
  virtual bool Lookup(uint64_t key, float* logits, float* values) = 0;
  // Stores an evaluation under `key`, possibly evicting another entry.
  virtual void Insert(uint64_t key, const float* logits, const float* values) = 0;
};

struct CacheStats {
  int64_t capacity = 0;
  int64_t lookups = 0;
  int64_t hits = 0;
  int64_t insertions = 0;
  // Entries now held (at most capacity).
  int64_t size = 0;
};

// A fixed table of `capacity` entries (about 320 bytes each) in shards with one mutex each.
// Every key has one slot (direct mapped); an insertion replaces whatever held that slot, so
// memory never grows past the table, whose pages the operating system zero-fills on first use
// (a large, sparsely used table costs only what it touches).
//
// Threading: Lookup, Insert, Stats and Clear are thread-safe; a call holds one shard's mutex
// for a copy of one entry (Stats and Clear take every shard in turn). Never blocks otherwise.
class SharedEvaluationCache : public EvaluationCache {
 public:
  // `capacity` >= 1 entries (rounded up to a multiple of the shard count). Throws
  // std::invalid_argument for capacity < 1, std::bad_alloc when the table cannot be reserved.
  explicit SharedEvaluationCache(int64_t capacity, int num_shards = 64);
  ~SharedEvaluationCache() override;
  SharedEvaluationCache(const SharedEvaluationCache&) = delete;
  SharedEvaluationCache& operator=(const SharedEvaluationCache&) = delete;

  bool Lookup(uint64_t key, float* logits, float* values) override;
  // Key 0 is reserved for empty slots and is never stored.
  void Insert(uint64_t key, const float* logits, const float* values) override;

  int64_t capacity() const { return capacity_; }
  CacheStats Stats() const;
  // Removes every entry and resets the counters.
  void Clear();

 private:
  struct Entry {
    uint64_t key;  // 0: empty
    float logits[kLogitsSize];
    float values[kValuesSize];
  };
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    int64_t lookups = 0;
    int64_t hits = 0;
    int64_t insertions = 0;
    int64_t size = 0;
  };
  struct FreeDeleter {
    void operator()(Entry* entries) const;
  };

  // The shard and the slot of `key`.
  Shard& ShardOf(uint64_t key) const;
  Entry& SlotOf(uint64_t key) const;

  int64_t capacity_ = 0;
  int num_shards_ = 0;
  int64_t slots_per_shard_ = 0;
  std::unique_ptr<Entry[], FreeDeleter> entries_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace blobzero::search
