#include "blobzero/search/eval_cache.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

namespace blobzero::search {

void SharedEvaluationCache::FreeDeleter::operator()(Entry* entries) const { std::free(entries); }

SharedEvaluationCache::SharedEvaluationCache(int64_t capacity, int num_shards) {
  if (capacity < 1) {
    throw std::invalid_argument("cache capacity = " + std::to_string(capacity) +
                                " must be at least 1");
  }
  if (num_shards < 1) {
    throw std::invalid_argument("num_shards = " + std::to_string(num_shards) +
                                " must be at least 1");
  }
  num_shards_ = num_shards;
  slots_per_shard_ = (capacity + num_shards - 1) / num_shards;
  capacity_ = slots_per_shard_ * num_shards;
  // calloc: zero pages on demand, so untouched parts of a large table cost nothing.
  void* memory = std::calloc(static_cast<size_t>(capacity_), sizeof(Entry));
  if (memory == nullptr) throw std::bad_alloc();
  entries_.reset(static_cast<Entry*>(memory));
  shards_ = std::make_unique<Shard[]>(static_cast<size_t>(num_shards_));
}

SharedEvaluationCache::~SharedEvaluationCache() = default;

SharedEvaluationCache::Shard& SharedEvaluationCache::ShardOf(uint64_t key) const {
  return shards_[key % static_cast<uint64_t>(num_shards_)];
}

SharedEvaluationCache::Entry& SharedEvaluationCache::SlotOf(uint64_t key) const {
  const uint64_t shard = key % static_cast<uint64_t>(num_shards_);
  const uint64_t slot =
      (key / static_cast<uint64_t>(num_shards_)) % static_cast<uint64_t>(slots_per_shard_);
  return entries_[shard * static_cast<uint64_t>(slots_per_shard_) + slot];
}

bool SharedEvaluationCache::Lookup(uint64_t key, float* logits, float* values) {
  Shard& shard = ShardOf(key);
  const Entry& entry = SlotOf(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  ++shard.lookups;
  if (key == 0 || entry.key != key) return false;
  ++shard.hits;
  std::memcpy(logits, entry.logits, sizeof(entry.logits));
  std::memcpy(values, entry.values, sizeof(entry.values));
  return true;
}

void SharedEvaluationCache::Insert(uint64_t key, const float* logits, const float* values) {
  if (key == 0) return;
  Shard& shard = ShardOf(key);
  Entry& entry = SlotOf(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  ++shard.insertions;
  if (entry.key == 0) ++shard.size;
  entry.key = key;
  std::memcpy(entry.logits, logits, sizeof(entry.logits));
  std::memcpy(entry.values, values, sizeof(entry.values));
}

CacheStats SharedEvaluationCache::Stats() const {
  CacheStats stats;
  stats.capacity = capacity_;
  for (int s = 0; s < num_shards_; ++s) {
    std::lock_guard<std::mutex> lock(shards_[s].mutex);
    stats.lookups += shards_[s].lookups;
    stats.hits += shards_[s].hits;
    stats.insertions += shards_[s].insertions;
    stats.size += shards_[s].size;
  }
  return stats;
}

void SharedEvaluationCache::Clear() {
  for (int s = 0; s < num_shards_; ++s) {
    Shard& shard = shards_[s];
    std::lock_guard<std::mutex> lock(shard.mutex);
    Entry* first = entries_.get() + static_cast<size_t>(s) * slots_per_shard_;
    for (int64_t i = 0; i < slots_per_shard_; ++i) first[i].key = 0;
    shard.lookups = shard.hits = shard.insertions = shard.size = 0;
  }
}

}  // namespace blobzero::search
