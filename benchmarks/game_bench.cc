// Microbenchmarks of the rules engine: random full rounds (deal included), legal-action
// generation, and clone + apply. Run benchmarks/run_cpp_benchmarks.sh; figures are recorded in
// benchmarks/RESULTS.md.
//
// A random playout picks uniformly among the legal actions with core::Rng: CardSet::Nth of
// LegalCards() in play, a random set bit of LegalBids() in bidding.
#include <benchmark/benchmark.h>

#include <bit>
#include <cstdint>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/game/cards.h"
#include "blobzero/game/rules.h"
#include "blobzero/game/state.h"

namespace blobzero {
namespace {

using game::CardSet;
using game::RoundRules;
using game::State;

RoundRules Rules(int num_players, int num_cards) {
  RoundRules rules;
  rules.num_players = num_players;
  rules.num_cards = num_cards;
  rules.trump_suit = static_cast<int>(game::Suit::kSpades);
  return rules;
}

// A uniformly random legal action of the player to act (the state must not be terminal).
inline int RandomAction(const State& state, core::Rng& rng) {
  if (state.phase() == game::Phase::kPlay) {
    const CardSet legal = state.LegalCards();
    return legal.Nth(static_cast<int>(rng.Below(static_cast<uint32_t>(legal.Size()))));
  }
  uint32_t bids = state.LegalBids();
  for (uint32_t k = rng.Below(static_cast<uint32_t>(std::popcount(bids))); k > 0; --k) {
    bids &= bids - 1;
  }
  return game::BidAction(std::countr_zero(bids));
}

// Plays `state` to the end with random legal actions; returns the sum of the round scores
// (computed without allocating, as a self-play loop would).
inline int PlayOut(State& state, core::Rng& rng) {
  while (!state.IsTerminal()) state.ApplyActionUnchecked(RandomAction(state, rng));
  int total = 0;
  for (int p = 0; p < state.num_players(); ++p) {
    total += game::RoundScore(state.rules().scoring, state.bid(p), state.tricks_won(p));
  }
  return total;
}

void SetRoundCounters(benchmark::State& bm, int num_players, int num_cards) {
  bm.counters["rounds/s"] =
      benchmark::Counter(static_cast<double>(bm.iterations()), benchmark::Counter::kIsRate);
  const double actions = static_cast<double>(num_players) * (num_cards + 1);
  bm.counters["actions/s"] = benchmark::Counter(static_cast<double>(bm.iterations()) * actions,
                                                benchmark::Counter::kIsRate);
}

// A full random round: RandomDeal from one running Rng, then State(rules, deal), 4 bids and
// P * n card plays, then scoring. The dealer rotates.
void BM_RandomRound(benchmark::State& bm) {
  const int num_players = static_cast<int>(bm.range(0));
  const int num_cards = static_cast<int>(bm.range(1));
  const RoundRules rules = Rules(num_players, num_cards);
  core::Rng rng(20261125);
  int dealer = 0;
  int64_t checksum = 0;
  for (auto _ : bm) {
    State state(rules, game::RandomDeal(rules, dealer, rng));
    checksum += PlayOut(state, rng);
    dealer = dealer + 1 == num_players ? 0 : dealer + 1;
  }
  benchmark::DoNotOptimize(checksum);
  SetRoundCounters(bm, num_players, num_cards);
}
BENCHMARK(BM_RandomRound)
    ->ArgNames({"players", "cards"})
    ->Args({4, 5})
    ->Args({4, 13})
    ->Args({8, 6});

// The same with the seeded constructor State(rules, dealer, seed): a fresh Rng per deal, seeds
// from DeriveSeed as a self-play worker would draw them.
void BM_RandomRoundSeeded(benchmark::State& bm) {
  const int num_players = static_cast<int>(bm.range(0));
  const int num_cards = static_cast<int>(bm.range(1));
  const RoundRules rules = Rules(num_players, num_cards);
  core::Rng rng(7);
  uint64_t game_index = 0;
  int dealer = 0;
  int64_t checksum = 0;
  for (auto _ : bm) {
    State state(rules, dealer, core::DeriveSeed(20261125, game_index++));
    checksum += PlayOut(state, rng);
    dealer = dealer + 1 == num_players ? 0 : dealer + 1;
  }
  benchmark::DoNotOptimize(checksum);
  SetRoundCounters(bm, num_players, num_cards);
}
BENCHMARK(BM_RandomRoundSeeded)->ArgNames({"players", "cards"})->Args({4, 5});

// A pool of random positions of one phase, so that the legal-action benchmarks see varied
// hands, led suits and bid sums rather than one cached state.
std::vector<State> PositionPool(const RoundRules& rules, game::Phase phase, int size) {
  std::vector<State> pool;
  core::Rng rng(99);
  while (static_cast<int>(pool.size()) < size) {
    State state(rules, static_cast<int>(rng.Below(static_cast<uint32_t>(rules.num_players))),
                rng.Next());
    std::vector<State> candidates;
    while (!state.IsTerminal()) {
      if (state.phase() == phase) candidates.push_back(state);
      state.ApplyActionUnchecked(RandomAction(state, rng));
    }
    pool.push_back(candidates[rng.Below(static_cast<uint32_t>(candidates.size()))]);
  }
  return pool;
}

constexpr int kPoolSize = 1024;

void BM_LegalCards(benchmark::State& bm) {
  const std::vector<State> pool =
      PositionPool(Rules(static_cast<int>(bm.range(0)), static_cast<int>(bm.range(1))),
                   game::Phase::kPlay, kPoolSize);
  size_t i = 0;
  for (auto _ : bm) {
    benchmark::DoNotOptimize(pool[i].LegalCards());
    i = (i + 1) & (kPoolSize - 1);
  }
  bm.SetItemsProcessed(bm.iterations());
}
BENCHMARK(BM_LegalCards)->ArgNames({"players", "cards"})->Args({4, 5})->Args({4, 13});

void BM_LegalBids(benchmark::State& bm) {
  const std::vector<State> pool =
      PositionPool(Rules(static_cast<int>(bm.range(0)), static_cast<int>(bm.range(1))),
                   game::Phase::kBidding, kPoolSize);
  size_t i = 0;
  for (auto _ : bm) {
    benchmark::DoNotOptimize(pool[i].LegalBids());
    i = (i + 1) & (kPoolSize - 1);
  }
  bm.SetItemsProcessed(bm.iterations());
}
BENCHMARK(BM_LegalBids)->ArgNames({"players", "cards"})->Args({4, 5})->Args({4, 13});

// The allocating vector form, for comparison: bidding and play positions alternate.
void BM_LegalActions(benchmark::State& bm) {
  const RoundRules rules = Rules(static_cast<int>(bm.range(0)), static_cast<int>(bm.range(1)));
  const std::vector<State> play = PositionPool(rules, game::Phase::kPlay, kPoolSize / 2);
  const std::vector<State> bidding = PositionPool(rules, game::Phase::kBidding, kPoolSize / 2);
  std::vector<const State*> pool;
  for (int k = 0; k < kPoolSize / 2; ++k) {
    pool.push_back(&play[k]);
    pool.push_back(&bidding[k]);
  }
  size_t i = 0;
  for (auto _ : bm) {
    std::vector<int> actions = pool[i]->LegalActions();
    benchmark::DoNotOptimize(actions.data());
    i = (i + 1) & (kPoolSize - 1);
  }
  bm.SetItemsProcessed(bm.iterations());
}
BENCHMARK(BM_LegalActions)->ArgNames({"players", "cards"})->Args({4, 5})->Args({4, 13});

// Clone a position and apply one legal action to the copy, as a tree search expanding a child
// does. `checked` = 1 uses the validating ApplyAction.
void BM_CloneAndApply(benchmark::State& bm) {
  const RoundRules rules = Rules(static_cast<int>(bm.range(0)), static_cast<int>(bm.range(1)));
  const bool checked = bm.range(2) != 0;
  std::vector<State> pool = PositionPool(rules, game::Phase::kPlay, kPoolSize / 2);
  const std::vector<State> bidding = PositionPool(rules, game::Phase::kBidding, kPoolSize / 2);
  pool.insert(pool.end(), bidding.begin(), bidding.end());
  std::vector<int> actions;
  core::Rng rng(5);
  for (const State& state : pool) actions.push_back(RandomAction(state, rng));
  size_t i = 0;
  for (auto _ : bm) {
    State child = pool[i];
    if (checked) {
      child.ApplyAction(actions[i]);
    } else {
      child.ApplyActionUnchecked(actions[i]);
    }
    benchmark::DoNotOptimize(child);
    i = (i + 1) & (kPoolSize - 1);
  }
  bm.SetItemsProcessed(bm.iterations());
}
BENCHMARK(BM_CloneAndApply)
    ->ArgNames({"players", "cards", "checked"})
    ->Args({4, 5, 0})
    ->Args({4, 5, 1})
    ->Args({4, 13, 0});

// Clone a mid-round position and finish it randomly: one rollout of a Monte-Carlo search.
void BM_CloneAndRollout(benchmark::State& bm) {
  const RoundRules rules = Rules(static_cast<int>(bm.range(0)), static_cast<int>(bm.range(1)));
  const std::vector<State> pool = PositionPool(rules, game::Phase::kPlay, kPoolSize);
  core::Rng rng(6);
  size_t i = 0;
  int64_t checksum = 0;
  for (auto _ : bm) {
    State rollout = pool[i];
    checksum += PlayOut(rollout, rng);
    i = (i + 1) & (kPoolSize - 1);
  }
  benchmark::DoNotOptimize(checksum);
  bm.SetItemsProcessed(bm.iterations());
}
BENCHMARK(BM_CloneAndRollout)->ArgNames({"players", "cards"})->Args({4, 5})->Args({4, 13});

}  // namespace
}  // namespace blobzero

BENCHMARK_MAIN();
