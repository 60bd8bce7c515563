// The arena engine: games of network agents and bots on the batch scheduler give exactly the
// results of playing them one by one with the same agents and seeds, for any thread count and
// batch size; batches carry their model; bad games are refused. Run under ThreadSanitizer by the
// tsan preset.
#include "blobzero/selfplay/arena.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/game/state.h"
#include "blobzero/search/bots.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/search/pimc_bot.h"
#include "blobzero/selfplay/game_setup.h"
#include "test_util.h"

namespace blobzero::selfplay {
namespace {

using blobzero::testing::HashEvaluator;
using blobzero::testing::Throws;

ArenaAgent Network(int model, bool information_set_tree) {
  ArenaAgent agent;
  agent.kind = ArenaAgent::Kind::kNetwork;
  agent.model = model;
  agent.puct.num_worlds = 2;
  agent.puct.simulations_per_world = 6;
  agent.puct.information_set_tree = information_set_tree;
  agent.puct.temperature = 0;
  agent.puct.dirichlet_fraction = 0;
  return agent;
}

ArenaAgent Bot(ArenaAgent::Kind kind) {
  ArenaAgent agent;
  agent.kind = kind;
  agent.ismcts.simulations = 40;
  agent.puct.num_worlds = 2;
  agent.puct.simulations_per_world = 5;
  agent.puct.temperature = 0;
  agent.puct.dirichlet_fraction = 0;
  return agent;
}

// Games of 3..5 players with every agent seated somewhere.
std::vector<ArenaGame> Games(int count, int num_agents) {
  GameSetup setup;
  setup.player_weights = PlayerWeightsOf(std::vector<int>{3, 4, 5});
  setup.hand_sizes = {2, 3, 4};
  std::vector<ArenaGame> games;
  for (int g = 0; g < count; ++g) {
    core::Rng rng(core::DeriveSeed(7, g));
    ArenaGame game;
    game.start = DrawGame(setup, rng);
    for (int seat = 0; seat < game.start.rules().num_players; ++seat) {
      game.seating.push_back((seat + g) % num_agents);
    }
    game.agent_seed = rng.Next();
    games.push_back(game);
  }
  return games;
}

// The reference: each game played on this thread by one agent object per agent index, reseeded
// as the engine reseeds them, network agents as PimcBots over `evaluators`.
std::vector<ArenaResult> PlayOneByOne(
    const ArenaConfig& config, const std::vector<ArenaGame>& games,
    const std::vector<std::shared_ptr<search::Evaluator>>& evaluators) {
  std::vector<ArenaResult> results;
  for (const ArenaGame& game : games) {
    std::vector<std::unique_ptr<search::Bot>> agents;
    for (const ArenaAgent& agent : config.agents) {
      if (agent.kind == ArenaAgent::Kind::kNetwork) {
        agents.push_back(std::make_unique<search::PimcBot>(agent.puct, evaluators[agent.model],
                                                           game.agent_seed));
      } else {
        agents.push_back(MakeBot(agent, game.agent_seed));
      }
    }
    game::State state = game.start;
    while (!state.IsTerminal()) {
      const int seat = state.current_player();
      state.ApplyAction(agents[game.seating[seat]]->Act(state, seat));
    }
    ArenaResult& result = results.emplace_back();
    result.finished = true;
    result.scores = state.Scores();
    for (int seat = 0; seat < state.num_players(); ++seat) {
      result.bids.push_back(state.bid(seat));
      result.tricks.push_back(state.tricks_won(seat));
    }
  }
  return results;
}

void ExpectSameResults(const std::vector<ArenaResult>& got,
                       const std::vector<ArenaResult>& expected) {
  ASSERT_EQ(got.size(), expected.size());
  for (size_t g = 0; g < got.size(); ++g) {
    EXPECT_TRUE(got[g].finished) << "game " << g;
    EXPECT_EQ(got[g].scores, expected[g].scores) << "game " << g;
    EXPECT_EQ(got[g].bids, expected[g].bids) << "game " << g;
    EXPECT_EQ(got[g].tricks, expected[g].tricks) << "game " << g;
  }
}

TEST(ArenaEngineTest, BotsPlayAsTheyDoOneByOne) {
  ArenaConfig config;
  config.agents = {Bot(ArenaAgent::Kind::kHeuristic), Bot(ArenaAgent::Kind::kIsmcts),
                   Bot(ArenaAgent::Kind::kPuctRollout), Bot(ArenaAgent::Kind::kRandom)};
  config.num_threads = 2;
  const std::vector<ArenaGame> games = Games(12, 4);
  const std::vector<ArenaResult> expected = PlayOneByOne(config, games, {});
  ArenaEngine engine(config);
  HashEvaluator unused;
  ExpectSameResults(engine.Play(games, {&unused}), expected);
  EXPECT_EQ(engine.Stats().batches, 0);
}

TEST(ArenaEngineTest, NetworksAndBotsGiveTheOneByOneResultsForAnyThreadsAndBatches) {
  ArenaConfig config;
  config.agents = {Network(0, true), Network(1, false), Bot(ArenaAgent::Kind::kHeuristic)};
  const std::vector<ArenaGame> games = Games(10, 3);
  auto model0 = std::make_shared<HashEvaluator>();
  auto model1 = std::make_shared<HashEvaluator>();
  const std::vector<ArenaResult> expected = PlayOneByOne(config, games, {model0, model1});
  for (const auto& [threads, batch] : std::vector<std::pair<int, int>>{{1, 2}, {3, 64}}) {
    ArenaConfig run = config;
    run.num_threads = threads;
    run.max_batch_size = batch;
    ArenaEngine engine(run);
    EXPECT_EQ(engine.num_models(), 2);
    ExpectSameResults(engine.Play(games, {model0.get(), model1.get()}), expected);
  }
}

// Counts the rows it is asked about; checks they are all of one kind of search's features.
class CountingEvaluator : public search::Evaluator {
 public:
  void Evaluate(const search::EvalBatch& batch) override {
    rows += batch.size;
    inner_.Evaluate(batch);
  }
  std::atomic<int64_t> rows{0};

 private:
  HashEvaluator inner_;
};

TEST(ArenaEngineTest, EachBatchGoesToTheModelOfItsAgent) {
  ArenaConfig config;
  config.agents = {Network(0, true), Bot(ArenaAgent::Kind::kHeuristic), Network(1, true)};
  config.num_threads = 2;
  std::vector<ArenaGame> games = Games(6, 2);  // agents 0 and 1 only: model 1 is never asked
  ArenaEngine engine(config);
  CountingEvaluator model0;
  CountingEvaluator model1;
  engine.Play(games, {&model0, &model1});
  EXPECT_GT(model0.rows.load(), 0);
  EXPECT_EQ(model1.rows.load(), 0);
  EXPECT_EQ(engine.Stats().evaluations, model0.rows.load());
}

TEST(ArenaEngineTest, RefusesBadAgentsAndGames) {
  ArenaConfig config;
  EXPECT_TRUE(
      Throws<std::invalid_argument>([&] { ArenaEngine engine(config); }, {"at least one agent"}));
  ArenaAgent clairvoyant = Network(0, false);
  clairvoyant.puct.perfect_information = true;
  config.agents = {clairvoyant};
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { ArenaEngine engine(config); },
                                            {"agents[0]", "hidden cards"}));
  config.agents = {Network(0, true), Bot(ArenaAgent::Kind::kHeuristic)};
  ArenaEngine engine(config);
  std::vector<ArenaGame> games = Games(2, 2);
  games[1].seating.pop_back();
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { engine.Start(games); }, {"games[1]", "seats"}));
  games = Games(2, 2);
  games[0].seating[0] = 2;
  EXPECT_TRUE(
      Throws<std::invalid_argument>([&] { engine.Start(games); }, {"games[0]", "agent 2 of 2"}));
  games = Games(2, 2);
  games[1].start.ApplyAction(games[1].start.LegalActions().front());
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { engine.Start(games); },
                                            {"games[1]", "before any action"}));
  HashEvaluator model;
  EXPECT_TRUE(Throws<std::invalid_argument>(
      [&] {
        engine.Play(Games(2, 2), {&model, &model});
      },
      {"1 evaluators"}));
  EXPECT_TRUE(
      Throws<std::invalid_argument>([&] { MakeBot(Network(0, true), 1); }, {"network agent"}));
}

}  // namespace
}  // namespace blobzero::selfplay
