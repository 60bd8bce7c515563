#pragma once
// CPU-only players: uniformly random, rule-based heuristic, and SO-ISMCTS.
//
// All of them follow the Bot contract (bot.h): Act(state, observer) needs `observer` to be the
// player to act, returns a legal action, and reads only what `observer` may know. Each owns a
// random stream seeded at construction (Reseed restarts it), so a game between seeded bots is
// reproducible.
//
// Threading: a bot is used by one thread at a time.

#include <cstdint>
#include <string>

#include "blobzero/core/rng.h"
#include "blobzero/game/observation.h"
#include "blobzero/game/state.h"
#include "blobzero/search/bot.h"
#include "blobzero/search/ismcts.h"

namespace blobzero::search {

// Plays a uniformly random legal action.
class RandomBot : public Bot {
 public:
  explicit RandomBot(uint64_t seed = 0) : rng_(seed) {}
  int Act(const game::State& state, int observer) override;
  std::string Name() const override { return "random"; }
  void Reseed(uint64_t seed) override { rng_.Seed(seed); }

 private:
  core::Rng rng_;
};

// A rule-based player that tries to take exactly its bid.
//
// Bidding: the expected number of tricks of its hand, summed card by card. A card counts the
// chance that the opponents hold no more higher cards of its suit than it has lower cards to
// play under them (each unseen card is with an opponent in proportion to the cards they hold,
// so this scales with the table size and the hand size), halved for each such higher card, and,
// for a side suit, times the chance that no opponent void in the suit by then ruffs it (likelier
// with more players, shorter suits left and deeper cards). Low trumps add ruffing tricks for
// voids and singletons in side suits. A table-wide correction, fixed per (players, cards, kind of
// trump), brings the average hand's estimate to the n / P tricks it takes on average (the raw
// sum misses tricks that middling cards take late in big hands). The bid is the nearest
// integer; when the hook rule forbids it, the nearest allowed bid (the closer to the estimate).
//
// Play: while it still needs tricks it wins cheaply -- the lowest card that beats the current
// winner and cannot be beaten by an unseen card, else the lowest winner -- and leads its
// strongest cards (unbeatable ones first); holding enough top trumps for the tricks it still
// needs, it ducks until it has to cash them. Once it has its bid it ducks: the highest card that
// still loses (shedding dangerous high cards and trumps when it cannot follow suit), the lowest
// card when every card would win so far (the highest when it plays last), and leads the card
// with the most unseen cards above it, away from trumps. When the bid can no longer be made it
// plays for the scoring rule: more tricks under oh_hell, fewer missed under oh_hell_penalty.
//
// It reads only the observer's view (game::Observe): its hand, the turned-up card, bids, tricks
// won, the current trick, the played and unseen cards and revealed voids. Deterministic: the
// random stream is unused. Thread-safe across instances (a shared table of corrections is
// guarded by a mutex).
class HeuristicBot : public Bot {
 public:
  explicit HeuristicBot(uint64_t seed = 0) : rng_(seed) {}
  int Act(const game::State& state, int observer) override;
  std::string Name() const override { return "heuristic"; }
  void Reseed(uint64_t seed) override { rng_.Seed(seed); }

  // The decisions on a view (the view's current player must be its observer, in an unfinished
  // round). Exposed for tests.
  static int ChooseBid(const game::ObserverView& view);
  static int ChooseCard(const game::ObserverView& view);
  // The expected number of tricks of the observer's hand, as used for bidding.
  static double ExpectedTricks(const game::ObserverView& view);

 private:
  core::Rng rng_;
};

// SO-ISMCTS (ismcts.h); each decision's search seed is the next value of the bot's stream.
class IsmctsBot : public Bot {
 public:
  // Throws std::invalid_argument for a bad config.
  explicit IsmctsBot(const IsmctsConfig& config = IsmctsConfig(), uint64_t seed = 0)
      : search_(config), rng_(seed) {}
  int Act(const game::State& state, int observer) override;
  std::string Name() const override;
  void Reseed(uint64_t seed) override { rng_.Seed(seed); }
  // The result of the last search.
  const IsmctsResult& last_result() const { return last_result_; }

 private:
  IsmctsSearch search_;
  core::Rng rng_;
  IsmctsResult last_result_;
};

}  // namespace blobzero::search
