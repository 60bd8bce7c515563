// The self-play engine with C++ evaluators: game setup, record validity against the rules engine,
// determinism across thread counts and cache settings, error paths and cancellation. Run under
// ThreadSanitizer by the tsan preset (ctest --preset tsan).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/encode/encoder.h"
#include "blobzero/game/state.h"
#include "blobzero/search/eval_cache.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/selfplay/engine.h"
#include "blobzero/selfplay/game_setup.h"
#include "blobzero/selfplay/record_table.h"
#include "test_util.h"

namespace blobzero::selfplay {
namespace {

using blobzero::testing::HashEvaluator;
using blobzero::testing::Throws;
using game::kNumActions;
using search::kValueSize;

class ThrowingEvaluator : public search::Evaluator {
 public:
  explicit ThrowingEvaluator(int fail_at) : fail_at_(fail_at) {}
  void Evaluate(const search::EvalBatch& batch) override {
    if (calls_++ == fail_at_) throw std::runtime_error("model exploded");
    inner_.Evaluate(batch);
  }

 private:
  int fail_at_;
  int calls_ = 0;
  HashEvaluator inner_;
};

class NanEvaluator : public search::Evaluator {
 public:
  void Evaluate(const search::EvalBatch& batch) override {
    inner_.Evaluate(batch);
    batch.values[batch.size * kValueSize - 1] = std::nanf("");
  }

 private:
  HashEvaluator inner_;
};

SelfPlayConfig SmallConfig(int num_threads) {
  SelfPlayConfig config;
  config.setup.player_weights = {1, 1, 1, 0, 0, 1};  // 3, 4, 5 and 8 players
  config.setup.hand_sizes = {1, 2, 3};
  config.search.num_worlds = 2;
  config.search.simulations_per_world = 8;
  config.seed = 1234;
  config.num_threads = num_threads;
  config.games_per_thread = 4;
  config.max_batch_size = 8;
  config.cache_capacity = 1 << 12;
  return config;
}

// Whole records, byte for byte.
void ExpectSameRecords(const std::vector<GameRecord>& a, const std::vector<GameRecord>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t g = 0; g < a.size(); ++g) {
    SCOPED_TRACE("game " + std::to_string(a[g].game_id));
    EXPECT_EQ(a[g].game_id, b[g].game_id);
    EXPECT_EQ(a[g].game_seed, b[g].game_seed);
    EXPECT_EQ(a[g].rules, b[g].rules);
    EXPECT_EQ(a[g].deal, b[g].deal);
    EXPECT_EQ(a[g].actions, b[g].actions);
    EXPECT_EQ(a[g].scores, b[g].scores);
    ASSERT_EQ(a[g].positions.size(), b[g].positions.size());
    for (size_t i = 0; i < a[g].positions.size(); ++i) {
      const PositionRecord& x = a[g].positions[i];
      const PositionRecord& y = b[g].positions[i];
      EXPECT_EQ(x.features, y.features);
      EXPECT_EQ(x.mask, y.mask);
      EXPECT_EQ(x.policy, y.policy);
      EXPECT_EQ(x.value, y.value);
      EXPECT_EQ(x.observer, y.observer);
      EXPECT_EQ(x.move_number, y.move_number);
    }
  }
}

// Replays every game with the rules engine and checks each record against it.
void ExpectValidRecords(const std::vector<GameRecord>& games, const SelfPlayConfig& config,
                        int64_t first_id, int64_t count) {
  ASSERT_EQ(static_cast<int64_t>(games.size()), count);
  for (int64_t g = 0; g < count; ++g) {
    const GameRecord& game = games[g];
    SCOPED_TRACE("game " + std::to_string(game.game_id));
    EXPECT_EQ(game.game_id, first_id + g);
    EXPECT_EQ(game.game_seed, core::DeriveSeed(config.seed, static_cast<uint64_t>(game.game_id)));
    const game::State final_state = game::State::Replay(game.rules, game.deal, game.actions);
    ASSERT_TRUE(final_state.IsTerminal());
    EXPECT_EQ(final_state.Scores(), game.scores);
    const std::vector<double> values = final_state.Values(config.search.relative_values);
    const int p = game.rules.num_players;
    int last_move = -1;
    for (const PositionRecord& record : game.positions) {
      EXPECT_GT(record.move_number, last_move);
      last_move = record.move_number;
      const std::vector<int> prefix(game.actions.begin(),
                                    game.actions.begin() + record.move_number);
      const game::State state = game::State::Replay(game.rules, game.deal, prefix);
      EXPECT_EQ(record.observer, state.current_player());
      EXPECT_EQ(record.num_players, p);
      uint8_t features[encode::kFeatureSize];
      uint8_t mask[encode::kMaskSize];
      encode::EncodeWorld(state, state.current_player(), features);
      encode::EncodeLegalMask(state, state.current_player(), mask);
      EXPECT_EQ(0, std::memcmp(features, record.features.data(), sizeof(features)));
      EXPECT_EQ(0, std::memcmp(mask, record.mask.data(), sizeof(mask)));
      int legal = 0;
      double total = 0;
      for (int a = 0; a < kNumActions; ++a) {
        legal += mask[a];
        total += record.policy[a];
        EXPECT_GE(record.policy[a], 0.0f);
        if (!mask[a]) {
          EXPECT_EQ(record.policy[a], 0.0f) << "action " << a;
        }
      }
      EXPECT_GE(legal, 2) << "forced moves are not recorded";
      EXPECT_NEAR(total, 1.0, 1e-5);
      for (int k = 0; k < kValueSize; ++k) {
        const float expected = k < p ? static_cast<float>(values[(record.observer + k) % p]) : 0.0f;
        EXPECT_EQ(record.value[k], expected) << "seat " << k;
      }
    }
  }
}

TEST(GameSetupTest, ValidatesFields) {
  GameSetup setup;
  setup.player_weights = {0, 0, 0, 0, 0, 0};
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { setup.Validate(); }, {"player_weights"}));
  setup.player_weights = {0, -1, 0, 0, 0, 0};
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { setup.Validate(); }, {"player_weights", "4"}));
  setup.player_weights = {0, 1, 0, 0, 0, 1};
  setup.hand_sizes = {18};
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { setup.Validate(); }, {"hand_sizes[0]", "18"}));
  setup.hand_sizes = {7, 13};
  EXPECT_TRUE(
      Throws<std::invalid_argument>([&] { setup.Validate(); }, {"hand_sizes", "8 players"}));
  setup.hand_sizes = {6, 13};
  EXPECT_NO_THROW(setup.Validate());
  EXPECT_EQ(setup.HandSizesFor(8), std::vector<int>({6}));
  EXPECT_EQ(setup.HandSizesFor(4), std::vector<int>({6, 13}));
  setup.trump_mode = game::TrumpMode::kTurnUp;  // 13 * 4 = 52 leaves no card to turn up
  EXPECT_EQ(setup.HandSizesFor(4), std::vector<int>({6}));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { setup.RequireEveryHandSizeFits(); },
                                            {"hand_sizes[1] = 13", "4 players", "1..12"}));
  setup.hand_sizes = {6};
  EXPECT_NO_THROW(setup.RequireEveryHandSizeFits());
  setup.hand_sizes = {};
  EXPECT_EQ(setup.HandSizesFor(3).back(), 10);
  EXPECT_EQ(setup.HandSizesFor(8).back(), 6);
}

TEST(GameSetupTest, DrawsEveryAllowedTableAndNothingElse) {
  GameSetup setup;
  setup.player_weights = {1, 0, 2, 0, 0, 1};
  core::Rng rng(7);
  std::map<int, int> players;
  std::set<int> trumps;
  std::set<int> sizes8;
  for (int i = 0; i < 4000; ++i) {
    const game::State start = DrawGame(setup, rng);
    const game::RoundRules& rules = start.rules();
    EXPECT_NO_THROW(rules.Validate());
    ++players[rules.num_players];
    trumps.insert(rules.trump_suit);
    EXPECT_GE(start.dealer(), 0);
    EXPECT_LT(start.dealer(), rules.num_players);
    if (rules.num_players == 8) sizes8.insert(rules.num_cards);
  }
  EXPECT_EQ(players.size(), 3u);
  EXPECT_NEAR(players[5] / 4000.0, 0.5, 0.05);
  EXPECT_EQ(trumps, std::set<int>({game::kNoTrump, 0, 1, 2, 3}));
  EXPECT_EQ(sizes8, std::set<int>({1, 2, 3, 4, 5, 6}));
}

TEST(GameSetupTest, NoTrumpWeightSetsTheShareOfRoundsWithoutTrump) {
  GameSetup setup;
  setup.no_trump_weight = -1;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { setup.Validate(); }, {"no_trump_weight"}));
  setup.no_trump_weight = std::nan("");
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { setup.Validate(); }, {"no_trump_weight"}));
  setup.no_trump_weight = 2;
  setup.trump_mode = game::TrumpMode::kTurnUp;
  EXPECT_TRUE(
      Throws<std::invalid_argument>([&] { setup.Validate(); }, {"no_trump_weight", "rotation"}));
  setup.trump_mode = game::TrumpMode::kRotation;
  for (const double weight : {0.0, 3.0}) {
    setup.no_trump_weight = weight;
    EXPECT_NO_THROW(setup.Validate());
    core::Rng rng(11);
    std::map<int, int> trumps;
    const int draws = 7000;
    for (int i = 0; i < draws; ++i) ++trumps[DrawGame(setup, rng).rules().trump_suit];
    const double no_trump_share = weight / (game::kNumSuits + weight);
    EXPECT_NEAR(trumps[game::kNoTrump] / double(draws), no_trump_share, 0.02) << weight;
    for (int suit = 0; suit < game::kNumSuits; ++suit) {
      EXPECT_NEAR(trumps[suit] / double(draws), (1 - no_trump_share) / 4, 0.02) << weight;
    }
  }
}

TEST(GameSetupTest, PlayerWeightsFromACountAListOrATable) {
  EXPECT_EQ(PlayerWeightsOf(5), (PlayerWeights{0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(PlayerWeightsOf(std::vector<int>{3, 4, 4}), (PlayerWeights{1, 2, 0, 0, 0, 0}));
  EXPECT_EQ(PlayerWeightsOf(std::map<int, double>{{8, 0.5}, {3, 2.0}}),
            (PlayerWeights{2.0, 0, 0, 0, 0, 0.5}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { PlayerWeightsOf(9); }, {"num_players: 9"}));
  EXPECT_TRUE(Throws<std::invalid_argument>([] { PlayerWeightsOf(std::vector<int>{}); },
                                            {"num_players: the list is empty"}));
}

TEST(SelfPlayConfigTest, ValidatesFields) {
  SelfPlayConfig config;
  EXPECT_NO_THROW(config.Validate());
  EXPECT_DOUBLE_EQ(config.TemperatureAt(0), 1.0);
  EXPECT_DOUBLE_EQ(config.TemperatureAt(10), 1.0);
  EXPECT_DOUBLE_EQ(config.TemperatureAt(11), 0.5);
  EXPECT_DOUBLE_EQ(config.TemperatureAt(20), 0.5);
  EXPECT_DOUBLE_EQ(config.TemperatureAt(21), 0.1);
  config.max_batch_size = 2;  // below one search step of 3 worlds
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { config.Validate(); }, {"max_batch_size"}));
  config = SelfPlayConfig();
  config.temperature_schedule = {{0, 1.0}, {5, 0.5}, {5, 0.1}};
  EXPECT_TRUE(
      Throws<std::invalid_argument>([&] { config.Validate(); }, {"temperature_schedule[2]"}));
  config.temperature_schedule = {{3, 1.0}};
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { config.Validate(); }, {"move 0"}));
  config = SelfPlayConfig();
  config.batches_per_thread = 0;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { SelfPlayEngine engine(config); },
                                            {"batches_per_thread"}));
  config = SelfPlayConfig();
  config.teacher_simulations = -1;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { config.Validate(); }, {"teacher_simulations"}));
  config = SelfPlayConfig();
  config.teacher_seats = 1;  // without a teacher
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { config.Validate(); }, {"teacher_seats"}));
  config.teacher_simulations = 10;
  config.teacher_seats = game::kMaxPlayers + 1;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { config.Validate(); }, {"teacher_seats"}));
  for (double weight : {-0.1, 1.5}) {
    config = SelfPlayConfig();
    config.root_value_weight = weight;
    EXPECT_TRUE(Throws<std::invalid_argument>([&] { config.Validate(); }, {"root_value_weight"}));
  }
}

TEST(SelfPlayEngineTest, RecordsMatchTheRulesEngine) {
  const SelfPlayConfig config = SmallConfig(2);
  SelfPlayEngine engine(config);
  HashEvaluator evaluator;
  const std::vector<GameRecord> games = engine.Generate(10, evaluator);
  ExpectValidRecords(games, config, 0, 10);
  const SelfPlayStats stats = engine.Stats();
  EXPECT_EQ(stats.games_finished, 10);
  EXPECT_EQ(stats.games_total, 10);
  int64_t positions = 0;
  for (const GameRecord& game : games) positions += static_cast<int64_t>(game.positions.size());
  EXPECT_EQ(stats.positions, positions);
  EXPECT_GT(stats.evaluations, 0);
  EXPECT_GT(stats.batches, 0);
  EXPECT_LE(stats.mean_batch_size(), config.max_batch_size);
  EXPECT_LT(stats.cache_hits, stats.evaluations);
}

TEST(SelfPlayEngineTest, RelativeValuesAndTurnUp) {
  SelfPlayConfig config = SmallConfig(2);
  config.search.relative_values = true;
  config.setup.trump_mode = game::TrumpMode::kTurnUp;
  config.setup.scoring = game::Scoring::kOhHellPenalty;
  SelfPlayEngine engine(config);
  HashEvaluator evaluator;
  const std::vector<GameRecord> games = engine.Generate(6, evaluator);
  ExpectValidRecords(games, config, 0, 6);
  for (const GameRecord& game : games) EXPECT_TRUE(game.rules.turn_up);
}

TEST(SelfPlayEngineTest, SameRecordsForOneAndThreeThreads) {
  std::vector<std::vector<GameRecord>> runs;
  for (int threads : {1, 3}) {
    SelfPlayConfig config = SmallConfig(threads);
    SelfPlayEngine engine(config);
    HashEvaluator evaluator;
    runs.push_back(engine.Generate(12, evaluator));
  }
  ExpectSameRecords(runs[0], runs[1]);
}

// The record columns hold every record, game after game, with the documented shapes.
TEST(SelfPlayEngineTest, RecordColumnsHoldEveryRecordInOrder) {
  const SelfPlayConfig config = SmallConfig(2);
  SelfPlayEngine engine(config);
  HashEvaluator evaluator;
  const std::vector<GameRecord> games = engine.Generate(6, evaluator);
  const RecordColumns columns = ToColumns(games);
  const int64_t g = static_cast<int64_t>(games.size());
  int64_t n = 0;
  for (const GameRecord& game : games) n += static_cast<int64_t>(game.positions.size());
  EXPECT_EQ(columns.positions.features.shape,
            (std::vector<int64_t>{n, encode::kNumTokens, encode::kNumFields}));
  EXPECT_EQ(columns.positions.policy.shape, (std::vector<int64_t>{n, kNumActions}));
  EXPECT_EQ(columns.games.hands.shape, (std::vector<int64_t>{g, game::kMaxPlayers}));
  EXPECT_EQ(columns.games.actions.shape, (std::vector<int64_t>{g, game::kMaxRoundActions}));
  int64_t row = 0;
  for (int64_t i = 0; i < g; ++i) {
    const GameRecord& game = games[i];
    EXPECT_EQ(columns.games.game_id.values[i], game.game_id);
    EXPECT_EQ(columns.games.num_positions.values[i], static_cast<int32_t>(game.positions.size()));
    const int8_t* actions = &columns.games.actions.values[i * game::kMaxRoundActions];
    for (int a = 0; a < game::kMaxRoundActions; ++a) {
      const int expected = a < static_cast<int>(game.actions.size()) ? game.actions[a] : -1;
      EXPECT_EQ(actions[a], expected);
    }
    for (int s = 0; s < game::kMaxPlayers; ++s) {
      EXPECT_EQ(columns.games.hands.values[i * game::kMaxPlayers + s], game.deal.hands[s].bits());
    }
    for (const PositionRecord& record : game.positions) {
      EXPECT_EQ(0, std::memcmp(&columns.positions.features.values[row * encode::kFeatureSize],
                               record.features.data(), encode::kFeatureSize));
      EXPECT_EQ(columns.positions.move_number.values[row], record.move_number);
      EXPECT_EQ(columns.positions.game_id.values[row], game.game_id);
      ++row;
    }
  }
  EXPECT_EQ(row, n);
}

// The SO-ISMCTS teacher plays every decision on the worker threads: no evaluation at all, valid
// records whose policies are root visits of teacher_simulations simulations, the same records
// for any thread count.
TEST(SelfPlayEngineTest, TeacherPlaysWithoutTheEvaluatorAndLabelsWithItsVisits) {
  std::vector<std::vector<GameRecord>> runs;
  for (int threads : {1, 3}) {
    SelfPlayConfig config = SmallConfig(threads);
    config.teacher_simulations = 40;
    SelfPlayEngine engine(config);
    ThrowingEvaluator refuses(/*fail_at=*/0);
    runs.push_back(engine.Generate(8, refuses));
    EXPECT_EQ(engine.Stats().evaluations, 0);
    ExpectValidRecords(runs.back(), config, 0, 8);
    for (const GameRecord& game : runs.back()) {
      for (const PositionRecord& record : game.positions) {
        for (float share : record.policy) {
          EXPECT_NEAR(share * 40, std::round(share * 40), 1e-3);
        }
      }
    }
  }
  ExpectSameRecords(runs[0], runs[1]);
}

// root_value_weight w: the same games, the same records except the value targets, which are
// (1 - w) * the outcome + w * the search's root values: a game's first decision searched again
// with the seed the engine gave it yields exactly the values its w = 1 record holds. Teacher
// decisions keep the outcome.
TEST(SelfPlayEngineTest, RootValueWeightMixesTheSearchsRootValuesIntoTheValueTarget) {
  const int kGames = 8;
  std::map<double, std::vector<GameRecord>> runs;
  for (double weight : {0.0, 0.5, 1.0}) {
    SelfPlayConfig config = SmallConfig(2);
    config.root_value_weight = weight;
    SelfPlayEngine engine(config);
    HashEvaluator evaluator;
    runs[weight] = engine.Generate(kGames, evaluator);
  }
  const SelfPlayConfig config = SmallConfig(2);
  ExpectValidRecords(runs[0.0], config, 0, kGames);
  int differing = 0;
  for (int g = 0; g < kGames; ++g) {
    const GameRecord& outcome = runs[0.0][g];
    const GameRecord& half = runs[0.5][g];
    const GameRecord& root = runs[1.0][g];
    ASSERT_EQ(outcome.actions, root.actions);
    ASSERT_EQ(outcome.actions, half.actions);
    ASSERT_EQ(outcome.positions.size(), root.positions.size());
    const int p = outcome.rules.num_players;
    for (size_t i = 0; i < outcome.positions.size(); ++i) {
      const PositionRecord& z = outcome.positions[i];
      EXPECT_EQ(z.policy, root.positions[i].policy);
      EXPECT_EQ(z.features, root.positions[i].features);
      for (int k = 0; k < kValueSize; ++k) {
        const float mixed = 0.5f * z.value[k] + 0.5f * root.positions[i].value[k];
        EXPECT_NEAR(half.positions[i].value[k], mixed, 1e-6);
        if (k >= p) {
          EXPECT_EQ(root.positions[i].value[k], 0.0f);
        }
      }
      differing += z.value != root.positions[i].value;
    }
    // The first decision searched again: its root values, rotated to the record's observer.
    core::Rng rng(root.game_seed);
    const game::State state = DrawGame(config.setup, rng);
    search::PuctConfig search_config = config.search;
    search_config.temperature = 0;
    search::PimcSearch search(search_config, /*needs_features=*/true);
    HashEvaluator evaluator;
    const search::SearchResult result = search.Run(state, rng.Next(), evaluator);
    const PositionRecord& first = root.positions.front();
    ASSERT_EQ(first.move_number, 0);
    for (int k = 0; k < p; ++k) {
      EXPECT_FLOAT_EQ(first.value[k], result.root_values[(first.observer + k) % p]) << k;
    }
  }
  EXPECT_GT(differing, 0);

  SelfPlayConfig teacher = SmallConfig(2);
  teacher.teacher_simulations = 40;
  SelfPlayEngine outcome_engine(teacher);
  teacher.root_value_weight = 1.0;
  SelfPlayEngine root_engine(teacher);
  HashEvaluator evaluator;
  ExpectSameRecords(outcome_engine.Generate(4, evaluator), root_engine.Generate(4, evaluator));
}

TEST(SelfPlayEngineTest, SameRecordsWhateverTheBatchingAndCache) {
  SelfPlayConfig config = SmallConfig(2);
  SelfPlayEngine reference(config);
  HashEvaluator evaluator;
  const std::vector<GameRecord> expected = reference.Generate(8, evaluator);
  config.cache_capacity = 0;  // per-search caches only
  config.games_per_thread = 1;
  config.max_batch_size = 2;
  config.batches_per_thread = 1;
  SelfPlayEngine other(config);
  ExpectSameRecords(expected, other.Generate(8, evaluator));
}

TEST(SelfPlayEngineTest, GameIdsContinueAcrossRunsOrStartWhereAsked) {
  const SelfPlayConfig config = SmallConfig(2);
  SelfPlayEngine engine(config);
  HashEvaluator evaluator;
  const std::vector<GameRecord> first = engine.Generate(3, evaluator);
  const std::vector<GameRecord> second = engine.Generate(3, evaluator);
  ExpectValidRecords(second, config, 3, 3);
  SelfPlayEngine fresh(config);
  const std::vector<GameRecord> all = fresh.Generate(6, evaluator);
  ExpectSameRecords(std::vector<GameRecord>(all.begin() + 3, all.end()), second);
  ExpectSameRecords(fresh.Generate(3, evaluator, /*first_game_id=*/0), first);
  EXPECT_TRUE(fresh.Generate(0, evaluator).empty());
}

TEST(SelfPlayEngineTest, EvaluatorExceptionCancelsTheRunAndTheEngineStaysUsable) {
  const SelfPlayConfig config = SmallConfig(3);
  SelfPlayEngine engine(config);
  ThrowingEvaluator throwing(/*fail_at=*/3);
  EXPECT_TRUE(
      Throws<std::runtime_error>([&] { engine.Generate(20, throwing); }, {"model exploded"}));
  EXPECT_FALSE(engine.batches().Running());
  HashEvaluator evaluator;
  ExpectValidRecords(engine.Generate(4, evaluator), config, 20, 4);
}

TEST(SelfPlayEngineTest, NonFiniteOutputIsRefusedByName) {
  SelfPlayEngine engine(SmallConfig(2));
  NanEvaluator nan;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { engine.Generate(4, nan); },
                                            {"non-finite value", "column 7"}));
  EXPECT_FALSE(engine.batches().Running());
}

TEST(SelfPlayEngineTest, RolloutEvaluatorReadsTheLeafStates) {
  const SelfPlayConfig config = SmallConfig(2);
  SelfPlayEngine engine(config);
  search::RolloutEvaluator rollouts(5);
  ExpectValidRecords(engine.Generate(4, rollouts), config, 0, 4);
}

// The Python-facing protocol: batches pulled and submitted by another thread.
TEST(SelfPlayEngineTest, ManualProtocolFromAnotherThread) {
  const SelfPlayConfig config = SmallConfig(2);
  SelfPlayEngine engine(config);
  EXPECT_TRUE(
      Throws<std::logic_error>([&] { engine.batches().NextBatch(0.0); }, {"no self-play run"}));
  engine.Start(6);
  EXPECT_TRUE(Throws<std::logic_error>([&] { engine.Start(1); }, {"in progress"}));
  std::vector<GameRecord> games;
  std::thread evaluator_thread([&] {
    HashEvaluator evaluator;
    std::vector<float> logits;
    std::vector<float> values;
    bool double_submit_checked = false;
    while (true) {
      const Batch batch = engine.batches().NextBatch(0.05);
      if (!batch) {
        if (engine.batches().Done()) break;
        continue;
      }
      search::EvalBatch eval = batch.ForEvaluator();
      evaluator.Evaluate(eval);
      // Submitted from the caller's arrays, as the bindings do.
      logits.assign(eval.policy_logits, eval.policy_logits + batch.size * kNumActions);
      values.assign(eval.values, eval.values + batch.size * kValueSize);
      engine.batches().Submit(batch, logits.data(), values.data());
      if (!double_submit_checked) {
        double_submit_checked = true;
        EXPECT_TRUE(Throws<std::invalid_argument>(
            [&] { engine.batches().Submit(batch, logits.data(), values.data()); },
            {"already submitted"}));
      }
    }
    games = engine.TakeRecords();
  });
  evaluator_thread.join();
  ExpectValidRecords(games, config, 0, 6);
  SelfPlayEngine reference(config);
  HashEvaluator evaluator;
  ExpectSameRecords(reference.Generate(6, evaluator), games);
}

TEST(SelfPlayEngineTest, CancelFromAnotherThreadWakesTheEvaluatorAndJoins) {
  SelfPlayConfig config = SmallConfig(3);
  config.search.simulations_per_world = 50;
  SelfPlayEngine engine(config);
  engine.Start(1000);
  std::atomic<int> batches{0};
  std::atomic<bool> cancelled{false};
  std::thread evaluator_thread([&] {
    HashEvaluator evaluator;
    try {
      while (true) {
        const Batch batch = engine.batches().NextBatch(0.05);
        if (!batch) continue;
        evaluator.Evaluate(batch.ForEvaluator());
        try {
          engine.batches().Submit(batch);
        } catch (const std::invalid_argument&) {
          // The run ended between NextBatch and Submit.
        }
        ++batches;
      }
    } catch (const std::exception& e) {
      cancelled = true;
    }
  });
  while (batches < 5) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  engine.Cancel();
  evaluator_thread.join();
  EXPECT_TRUE(cancelled);
  EXPECT_FALSE(engine.batches().Running());
  engine.Cancel();  // idempotent
  engine.Shutdown();
  engine.Shutdown();
  HashEvaluator evaluator;
  EXPECT_TRUE(Throws<std::logic_error>([&] { engine.Generate(1, evaluator); }, {"shut down"}));
}

TEST(SelfPlayEngineTest, AbandonedRunIsJoinedByTheDestructor) {
  SelfPlayConfig config = SmallConfig(2);
  auto engine = std::make_unique<SelfPlayEngine>(config);
  engine->Start(50);
  const Batch batch = engine->batches().NextBatch(5.0);
  ASSERT_TRUE(batch);
  engine.reset();  // a batch still out: the workers wait for it, and are stopped and joined
  EXPECT_GT(batch.size, 0);  // the memory outlives the engine
}

TEST(SharedEvaluationCacheTest, StoresBoundedAndCountsHits) {
  search::SharedEvaluationCache cache(100, 4);
  EXPECT_EQ(cache.capacity(), 100);
  float logits[kNumActions];
  float values[kValueSize];
  float out_logits[kNumActions];
  float out_values[kValueSize];
  for (int a = 0; a < kNumActions; ++a) logits[a] = static_cast<float>(a);
  for (int k = 0; k < kValueSize; ++k) values[k] = -static_cast<float>(k);
  EXPECT_FALSE(cache.Lookup(42, out_logits, out_values));
  cache.Insert(42, logits, values);
  ASSERT_TRUE(cache.Lookup(42, out_logits, out_values));
  EXPECT_EQ(0, std::memcmp(logits, out_logits, sizeof(logits)));
  EXPECT_EQ(0, std::memcmp(values, out_values, sizeof(values)));
  for (uint64_t key = 1; key < 10000; ++key) cache.Insert(key * 7919, logits, values);
  const search::CacheStats stats = cache.Stats();
  EXPECT_LE(stats.size, 100);
  EXPECT_EQ(stats.hits, 1);
  EXPECT_EQ(stats.lookups, 2);
  cache.Clear();
  EXPECT_EQ(cache.Stats().size, 0);
  EXPECT_TRUE(
      Throws<std::invalid_argument>([] { search::SharedEvaluationCache bad(0); }, {"capacity"}));
}

TEST(SharedEvaluationCacheTest, ConcurrentUse) {
  search::SharedEvaluationCache cache(1 << 10);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      float logits[kNumActions] = {};
      float values[kValueSize] = {};
      for (uint64_t i = 1; i < 2000; ++i) {
        const uint64_t key = core::DeriveSeed(i % 300, 1);
        if (cache.Lookup(key, logits, values)) {
          EXPECT_EQ(logits[0], static_cast<float>(key % 1000));
        } else {
          logits[0] = static_cast<float>(key % 1000);
          cache.Insert(key, logits, values);
        }
        (void)t;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_GT(cache.Stats().hits, 0);
}

}  // namespace
}  // namespace blobzero::selfplay
