// SO-ISMCTS: configuration, determinism, information hiding, and obvious decisions.
#include "blobzero/search/ismcts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <vector>

#include "blobzero/belief/belief.h"
#include "blobzero/core/rng.h"
#include "blobzero/game/observation.h"
#include "blobzero/game/rules.h"
#include "blobzero/game/state.h"
#include "test_util.h"

// Counts every allocation of this test program, to check that a simulation allocates nothing.
// (GCC takes the malloc/free pair inside the replaced operators for a mismatch.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace blobzero::search {
namespace {

using game::CardSet;
using game::State;
using testing::MakeDeal;
using testing::Play;
using testing::Round;
using testing::Throws;

// OpenSpiel's oh_hell for 4 players and 5 cards: turned-up trump, tricks + 10 if exact.
game::RoundRules OhHell4x5() { return game::Preset("openspiel_oh_hell", 4, 5).RoundAt(0); }

// A state after `num_actions` random legal actions from a random deal (fewer if the round ends).
State RandomPosition(const game::RoundRules& rules, uint64_t seed, int num_actions) {
  core::Rng rng(seed);
  State state(rules, static_cast<int>(seed % rules.num_players), seed * 7 + 1);
  for (int i = 0; i < num_actions && !state.IsTerminal(); ++i) {
    state.ApplyAction(testing::RandomLegalAction(state, rng));
  }
  return state;
}

// As RandomPosition, then further random actions until the player to act has a choice.
State RandomDecision(const game::RoundRules& rules, uint64_t seed, int num_actions) {
  core::Rng rng(seed + 1000);
  State state = RandomPosition(rules, seed, num_actions);
  while (!state.IsTerminal() && state.LegalActions().size() < 2) {
    state.ApplyAction(testing::RandomLegalAction(state, rng));
  }
  return state;
}

IsmctsConfig Config(int simulations) {
  IsmctsConfig config;
  config.simulations = simulations;
  return config;
}

TEST(IsmctsConfig, ValidateNamesTheField) {
  IsmctsConfig config;
  EXPECT_NO_THROW(config.Validate());
  config.simulations = 0;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { config.Validate(); }, {"simulations"}));
  config = IsmctsConfig();
  config.uct_c = -0.1;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { config.Validate(); }, {"uct_c"}));
  config.uct_c = std::nan("");
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { config.Validate(); }, {"uct_c"}));
  config = IsmctsConfig();
  config.final_policy = static_cast<IsmctsFinalPolicy>(7);
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { config.Validate(); }, {"final_policy"}));
  config = IsmctsConfig();
  config.simulations = -5;
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { IsmctsSearch search(config); }, {"simulations"}));
}

TEST(IsmctsConfig, UctCFromRawScoresRescalesToTheValueRange) {
  // oh_hell with 5 cards scores 0..15: raw constant 5 is 5 * 2 / 15 on the [-1, 1] scale.
  EXPECT_DOUBLE_EQ(UctCFromRawScores(5.0, OhHell4x5()), 5.0 * 2.0 / 15.0);
  EXPECT_NEAR(UctCFromRawScores(5.0, OhHell4x5()), kDefaultIsmctsUctC, 0.01);
  game::RoundRules penalty = Round(4, 7, 0, true, game::Scoring::kOhHellPenalty);
  EXPECT_DOUBLE_EQ(UctCFromRawScores(3.0, penalty), 3.0 * 2.0 / (17 + 7));
}

TEST(Ismcts, RejectsAFinishedRound) {
  State state = RandomPosition(OhHell4x5(), 3, 1000);
  IsmctsSearch search(Config(10));
  EXPECT_TRUE(Throws<std::invalid_argument>([&] { search.Run(state, 1); }, {"finished"}));
}

TEST(Ismcts, IsDeterministicGivenTheSeed) {
  IsmctsSearch search(Config(500));
  IsmctsSearch other(Config(500));
  for (int actions : {0, 3, 4, 9, 14}) {
    const State state = RandomDecision(OhHell4x5(), 11 + actions, actions);
    ASSERT_FALSE(state.IsTerminal());
    const IsmctsResult a = search.Run(state, 42);
    const IsmctsResult b = other.Run(state, 42);
    const IsmctsResult c = search.Run(state, 42);  // the same object again: no state carried over
    EXPECT_EQ(a.action, b.action);
    EXPECT_EQ(a.visits, b.visits);
    EXPECT_EQ(a.mean_values, b.mean_values);
    EXPECT_EQ(a.num_nodes, b.num_nodes);
    EXPECT_EQ(a.visits, c.visits);
    EXPECT_EQ(a.simulations, 500);
    int total = 0;
    for (int v : a.visits) total += v;
    EXPECT_EQ(total, 500);
    EXPECT_TRUE(state.IsLegal(a.action));
    EXPECT_GE(a.num_nodes, 2);
    EXPECT_LE(a.num_nodes, 501);
  }
  // Another seed explores differently.
  const State state = RandomPosition(OhHell4x5(), 5, 0);
  EXPECT_NE(search.Run(state, 1).visits, search.Run(state, 2).visits);
}

// The same information set for the player to act with different hidden cards: two opponents
// swap an unplayed card (allowed by their voids), and one opponent swaps a card with the undealt
// part of the deck. Returns false when no such swap exists.
bool SwapHiddenCards(const State& state, core::Rng& rng, State& out) {
  const int me = state.current_player();
  const int p = state.num_players();
  std::array<CardSet, game::kMaxPlayers> hands{};
  CardSet dealt;
  for (int s = 0; s < p; ++s) {
    hands[s] = state.hand(s);
    dealt |= state.initial_hand(s);
  }
  CardSet undealt = CardSet::Full() - dealt;
  if (state.turned_up() != game::kNoCard) undealt.Erase(state.turned_up());
  bool changed = false;
  for (int attempt = 0; attempt < 50 && !changed; ++attempt) {
    const int a = static_cast<int>(rng.Below(p));
    const int b = static_cast<int>(rng.Below(p));
    if (a == me || b == me || a == b || hands[a].Empty() || hands[b].Empty()) continue;
    const int ca = hands[a].Nth(static_cast<int>(rng.Below(hands[a].Size())));
    const int cb = hands[b].Nth(static_cast<int>(rng.Below(hands[b].Size())));
    if (((state.voids(a) >> game::SuitOf(cb)) & 1) || ((state.voids(b) >> game::SuitOf(ca)) & 1)) {
      continue;
    }
    hands[a].Erase(ca);
    hands[b].Erase(cb);
    hands[a].Insert(cb);
    hands[b].Insert(ca);
    changed = true;
  }
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int a = static_cast<int>(rng.Below(p));
    if (a == me || hands[a].Empty() || undealt.Empty()) continue;
    const int ca = hands[a].Nth(static_cast<int>(rng.Below(hands[a].Size())));
    const int cu = undealt.Nth(static_cast<int>(rng.Below(undealt.Size())));
    if ((state.voids(a) >> game::SuitOf(cu)) & 1) continue;
    hands[a].Erase(ca);
    hands[a].Insert(cu);
    changed = true;
    break;
  }
  if (!changed) return false;
  out = state.WithHands(hands);
  return true;
}

TEST(Ismcts, DependsOnlyOnTheSearchersInformationSet) {
  core::Rng rng(99);
  IsmctsSearch search(Config(300));
  int compared = 0;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    game::RoundRules rules = seed % 2 == 0 ? OhHell4x5() : Round(5, 6, 2);
    const State state = RandomPosition(rules, seed, static_cast<int>(seed % 25));
    if (state.IsTerminal() || state.LegalActions().size() < 2) continue;
    State other;
    if (!SwapHiddenCards(state, rng, other)) continue;
    const int me = state.current_player();
    ASSERT_EQ(game::Observe(state, me), game::Observe(other, me));
    ASSERT_FALSE(state == other);
    const IsmctsResult a = search.Run(state, seed);
    const IsmctsResult b = search.Run(other, seed);
    EXPECT_EQ(a.action, b.action) << "seed " << seed;
    EXPECT_EQ(a.visits, b.visits) << "seed " << seed;
    EXPECT_EQ(a.mean_values, b.mean_values) << "seed " << seed;
    ++compared;
  }
  EXPECT_GE(compared, 25);
}

TEST(Ismcts, EveryWorldIsConsistentWithTheSearchersView) {
  for (uint64_t seed = 0; seed < 10; ++seed) {
    const State state = RandomPosition(OhHell4x5(), seed, 6 + static_cast<int>(seed));
    if (state.IsTerminal() || state.LegalActions().size() < 2) continue;
    const int me = state.current_player();
    const game::ObserverView view = game::Observe(state, me);
    int worlds = 0;
    int differ = 0;
    IsmctsSearch search(Config(200));
    search.set_world_callback([&](const State& world) {
      ++worlds;
      // The searcher sees exactly what it sees in the true state.
      EXPECT_EQ(game::Observe(world, me), view);
      CardSet hidden;
      for (int p = 0; p < state.num_players(); ++p) {
        EXPECT_EQ(world.hand_size(p), state.hand_size(p));
        // No card of a suit the seat showed void in.
        for (int s = 0; s < game::kNumSuits; ++s) {
          if ((state.voids(p) >> s) & 1) {
            EXPECT_FALSE(world.hand(p).HasSuit(s));
          }
        }
        if (p != me) hidden |= world.hand(p);
        if (p != me && world.hand(p) != state.hand(p)) ++differ;
      }
      EXPECT_TRUE((hidden - view.unseen).Empty());
      EXPECT_EQ(world.History(), state.History());
    });
    search.Run(state, seed);
    EXPECT_EQ(worlds, 200);
    EXPECT_GT(differ, 0) << "every world had the true hidden hands";
  }
}

TEST(Ismcts, AnswersASingleLegalActionWithoutSearching) {
  // Three players, one card each: the last card of the round.
  State state(Round(3, 1, 3, /*hook_rule=*/false), MakeDeal(2, {"KH", "QH", "AH"}));
  Play(state, "b1 b0 b0 KH QH");
  IsmctsSearch search(Config(100));
  const IsmctsResult result = search.Run(state, 1);
  EXPECT_EQ(result.action, game::ParseCard("AH"));
  EXPECT_EQ(result.simulations, 0);
  EXPECT_EQ(result.policy[result.action], 1.0f);
}

// Three players, two cards, spades trump; the searcher (seat 2, the dealer) plays last to the
// first trick after KH, QH and holds AH and 3H.
State TwoCardEndgame(int searcher_bid) {
  State state(Round(3, 2, 3, /*hook_rule=*/false), MakeDeal(2, {"KH 5C", "QH 6C", "AH 3H"}));
  Play(state, "b1 b0 b" + std::to_string(searcher_bid) + " KH QH");
  return state;
}

TEST(Ismcts, DucksWhenWinningTheTrickBreaksTheBid) {
  // Bid 0: AH takes the trick and blobs in every world; 3H keeps the bid alive.
  const State state = TwoCardEndgame(0);
  IsmctsSearch search(Config(1000));
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    const IsmctsResult result = search.Run(state, seed);
    EXPECT_EQ(result.action, game::ParseCard("3H"));
    EXPECT_GT(result.mean_values[game::ParseCard("3H")], result.mean_values[game::ParseCard("AH")]);
  }
}

TEST(Ismcts, WinsTheTrickItNeeds) {
  // Bid 1: AH takes the trick now; after 3H the ace only wins if hearts are led again.
  const State state = TwoCardEndgame(1);
  IsmctsSearch search(Config(1000));
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    EXPECT_EQ(search.Run(state, seed).action, game::ParseCard("AH"));
  }
}

TEST(Ismcts, NormalizedVisitCountDrawsAVisitedActionReproducibly) {
  IsmctsConfig config = Config(300);
  config.final_policy = IsmctsFinalPolicy::kNormalizedVisitCount;
  IsmctsSearch search(config);
  const State state = RandomDecision(OhHell4x5(), 8, 0);  // the first bid: six options
  std::vector<int> drawn;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const IsmctsResult result = search.Run(state, seed);
    EXPECT_GT(result.visits[result.action], 0);
    EXPECT_EQ(search.Run(state, seed).action, result.action);
    drawn.push_back(result.action);
  }
  // Sampling in proportion to visits draws more than one action over 20 searches of a
  // position with several reasonable moves.
  EXPECT_LT(std::count(drawn.begin(), drawn.end(), drawn[0]), 20);
}

TEST(Ismcts, AllocatesNothingPerSimulation) {
  // Positions without revealed voids: the determinizer's tables are built in its constructor,
  // so any allocation during the simulations would be the search's own.
  for (int actions : {0, 4}) {
    const State state = RandomDecision(OhHell4x5(), 21, actions);
    ASSERT_EQ(state.num_tricks_completed(), 0);
    IsmctsSearch few(Config(10));
    IsmctsSearch many(Config(5000));
    const long before_few = g_allocations.load();
    few.Run(state, 1);
    const long during_few = g_allocations.load() - before_few;
    const long before_many = g_allocations.load();
    many.Run(state, 1);
    const long during_many = g_allocations.load() - before_many;
    EXPECT_GT(during_few, 0);  // the counter works: the determinizer's tables are allocated
    EXPECT_EQ(during_few, during_many) << "allocations grow with the number of simulations";
  }
}

TEST(Ismcts, RelativeValuesSearchAndStayInRange) {
  IsmctsConfig config = Config(300);
  config.relative_values = true;
  IsmctsSearch search(config);
  const State state = RandomPosition(Round(4, 5, 0), 4, 6);
  const IsmctsResult result = search.Run(state, 3);
  EXPECT_TRUE(state.IsLegal(result.action));
  for (float v : result.mean_values) {
    EXPECT_GE(v, -2.0f * 4 / 3);
    EXPECT_LE(v, 2.0f * 4 / 3);
  }
}

}  // namespace
}  // namespace blobzero::search
