// Microbenchmarks of the SO-ISMCTS baseline (search/ismcts.h) on OpenSpiel's oh_hell setting:
// 4 players x 5 cards, turned-up trump, 1,000 simulations per move, one core.
//
//   BM_IsmctsGame       every decision of a round searched by ISMCTS (as in a match between
//                       ISMCTS bots); forced moves are answered without searching and add no
//                       simulations. The figure to compare with OpenSpiel's ISMCTSBot.
//   BM_IsmctsFirstBid   one search of the first bid of a fresh deal (the widest tree).
//   BM_IsmctsMidPlay    one search at the first card of the second trick.
//   BM_HeuristicRound   a round of four HeuristicBots (how cheap the CPU opponent is).
//
// Counter sims/s = simulations per second of the thread's CPU time. Run
// build/dev/benchmarks/search_bench.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/game/rules.h"
#include "blobzero/game/state.h"
#include "blobzero/search/bots.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/search/ismcts.h"

namespace blobzero {
namespace {

using game::State;

game::RoundRules OhHell(int num_players, int num_cards) {
  return game::Preset("openspiel_oh_hell", num_players, num_cards).RoundAt(0);
}

search::IsmctsConfig Config(int simulations) {
  search::IsmctsConfig config;
  config.simulations = simulations;
  return config;
}

void SetSimulationCounters(benchmark::State& bm, int64_t simulations) {
  bm.counters["sims/s"] =
      benchmark::Counter(static_cast<double>(simulations), benchmark::Counter::kIsRate);
  bm.counters["sims/iter"] =
      benchmark::Counter(static_cast<double>(simulations), benchmark::Counter::kAvgIterations);
}

void BM_IsmctsGame(benchmark::State& bm) {
  const game::RoundRules rules =
      OhHell(static_cast<int>(bm.range(0)), static_cast<int>(bm.range(1)));
  search::IsmctsSearch search(Config(static_cast<int>(bm.range(2))));
  core::Rng rng(20261125);
  int64_t simulations = 0;
  int64_t moves = 0;
  uint64_t deal = 0;
  for (auto _ : bm) {
    State state(rules, static_cast<int>(deal % rules.num_players), deal);
    ++deal;
    while (!state.IsTerminal()) {
      const search::IsmctsResult result = search.Run(state, rng.Next());
      simulations += result.simulations;
      ++moves;
      state.ApplyActionUnchecked(result.action);
    }
  }
  SetSimulationCounters(bm, simulations);
  bm.counters["moves/s"] =
      benchmark::Counter(static_cast<double>(moves), benchmark::Counter::kIsRate);
}
// Deals differ a lot in cost (the determinizer's set-up depends on the revealed voids), so each
// figure averages over a few hundred of them.
BENCHMARK(BM_IsmctsGame)
    ->Args({4, 5, 1000})
    ->Args({4, 10, 1000})
    ->Args({6, 8, 1000})
    ->MinTime(3.0)
    ->Unit(benchmark::kMillisecond);

void BM_IsmctsFirstBid(benchmark::State& bm) {
  const game::RoundRules rules = OhHell(4, 5);
  search::IsmctsSearch search(Config(1000));
  int64_t simulations = 0;
  uint64_t deal = 0;
  for (auto _ : bm) {
    const State state(rules, 0, deal++);
    simulations += search.Run(state, deal).simulations;
  }
  SetSimulationCounters(bm, simulations);
}
BENCHMARK(BM_IsmctsFirstBid)->Unit(benchmark::kMicrosecond);

void BM_IsmctsMidPlay(benchmark::State& bm) {
  const game::RoundRules rules = OhHell(4, 5);
  // Positions at the lead of the second trick, reached by random play.
  std::vector<State> positions;
  core::Rng rng(7);
  for (uint64_t deal = 0; positions.size() < 64; ++deal) {
    State state(rules, static_cast<int>(deal % 4), deal);
    while (state.num_tricks_completed() < 1) {
      state.ApplyActionUnchecked(search::RandomLegalAction(state, rng));
    }
    if (state.LegalCards().Size() > 1) positions.push_back(state);
  }
  search::IsmctsSearch search(Config(1000));
  int64_t simulations = 0;
  size_t next = 0;
  for (auto _ : bm) {
    simulations += search.Run(positions[next], next).simulations;
    next = (next + 1) % positions.size();
  }
  SetSimulationCounters(bm, simulations);
}
BENCHMARK(BM_IsmctsMidPlay)->Unit(benchmark::kMicrosecond);

void BM_HeuristicRound(benchmark::State& bm) {
  const game::RoundRules rules = OhHell(4, 5);
  search::HeuristicBot bot(1);
  uint64_t deal = 0;
  for (auto _ : bm) {
    State state(rules, static_cast<int>(deal % 4), deal);
    ++deal;
    while (!state.IsTerminal()) {
      state.ApplyActionUnchecked(bot.Act(state, state.current_player()));
    }
    benchmark::DoNotOptimize(state);
  }
  bm.counters["rounds/s"] =
      benchmark::Counter(static_cast<double>(bm.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_HeuristicRound)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace blobzero

BENCHMARK_MAIN();
