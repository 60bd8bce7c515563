#include "blobzero/search/bots.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <mutex>
#include <sstream>

#include "blobzero/search/evaluator.h"

namespace blobzero::search {
namespace {

using game::CardSet;
using game::ObserverView;
using game::RankOf;
using game::SuitOf;

// P(X <= k) for X ~ Binomial(n, p).
double BinomialCdf(int n, double p, int k) {
  if (k >= n) return 1.0;
  double term = std::pow(1.0 - p, n);  // P(X = 0)
  double cdf = term;
  for (int j = 1; j <= k; ++j) {
    if (p >= 1.0) return j == n ? 1.0 : 0.0;
    term *= static_cast<double>(n - j + 1) / j * p / (1.0 - p);
    cdf += term;
  }
  return std::min(1.0, cdf);
}

// The unseen cards of `card`'s suit that outrank it.
int HigherUnseen(const ObserverView& view, int card) {
  const CardSet suit = view.unseen.InSuit(SuitOf(card));
  return CardSet(suit.bits() & ~((uint64_t{2} << card) - 1)).Size();
}

// The card winning the current trick so far (kNoCard when nothing is led).
int WinningCard(const std::vector<int>& trick, int trump) {
  if (trick.empty()) return game::kNoCard;
  int best = trick[0];
  for (size_t i = 1; i < trick.size(); ++i) {
    const int card = trick[i];
    const bool beats =
        SuitOf(card) == SuitOf(best) ? RankOf(card) > RankOf(best) : SuitOf(card) == trump;
    if (beats) best = card;
  }
  return best;
}

bool Beats(int card, int winning, int trump) {
  return SuitOf(card) == SuitOf(winning) ? RankOf(card) > RankOf(winning) : SuitOf(card) == trump;
}

// Among `cards`, the one maximising score(card); ties go to the lowest id.
template <typename Score>
int ArgMax(CardSet cards, Score score) {
  int best = game::kNoCard;
  double best_score = -1e300;
  for (int card : cards) {
    const double s = score(card);
    if (s > best_score) {
      best_score = s;
      best = card;
    }
  }
  return best;
}

// The cards the observer may play.
CardSet LegalCards(const ObserverView& view) {
  if (!view.current_trick.empty()) {
    const CardSet follow = view.own_hand.InSuit(SuitOf(view.current_trick[0]));
    if (!follow.Empty()) return follow;
  }
  return view.own_hand;
}

enum class Aim { kWin, kLose };

Aim PlayAim(const ObserverView& view) {
  const int me = view.observer;
  const int need = view.bids[me] - view.tricks_won[me];
  const int left = view.own_hand.Size();
  if (need > 0 && need <= left) return Aim::kWin;
  if (need == 0) return Aim::kLose;
  if (need > left) return Aim::kWin;  // the bid is lost: more tricks score (or miss by less)
  // Over the bid already: under oh_hell every trick still scores; otherwise misses hurt.
  return view.rules.scoring == game::Scoring::kOhHell ? Aim::kWin : Aim::kLose;
}

// The sum over the hand of each card's chance to take a trick (see HeuristicBot), before the
// table-wide correction.
double RawExpectedTricks(const ObserverView& view) {
  const int num_players = view.rules.num_players;
  const int trump = view.trump_suit;
  const CardSet hand = view.own_hand;
  const int hand_size = hand.Size();
  const int unseen = std::max(1, view.unseen.Size());
  int opponent_cards = 0;
  for (int p = 0; p < num_players; ++p) {
    if (p != view.observer) opponent_cards += view.hand_sizes[p];
  }
  // The chance that one given unseen card sits with an opponent (rather than undealt).
  const double held = std::min(1.0, static_cast<double>(opponent_cards) / unseen);
  const int opponent_hand = std::max(1, opponent_cards / std::max(1, num_players - 1));
  // The chance that an opponent holds at least one trump.
  const double has_trump =
      trump < 0
          ? 0.0
          : 1.0 - BinomialCdf(opponent_hand,
                              static_cast<double>(view.unseen.InSuit(trump).Size()) / unseen, 0);
  double expected = 0;
  std::array<double, game::kNumRanks> trump_values{};
  int num_trumps = 0;
  double ruff_chances = 0;  // side suits short enough to ruff
  for (int suit = 0; suit < game::kNumSuits; ++suit) {
    const CardSet mine = hand.InSuit(suit);
    const double suit_share = static_cast<double>(view.unseen.InSuit(suit).Size()) / unseen;
    const int length = mine.Size();
    int depth = 0;  // my cards of the suit above this one
    for (int bits_card = mine.Empty() ? -1 : mine.Highest(); bits_card >= 0; ++depth) {
      const int card = bits_card;
      const int higher = HigherUnseen(view, card);
      const int guards = length - 1 - depth;  // my lower cards of the suit
      // x higher cards with opponents (binomial in `held`): the card can only survive them with
      // as many lower cards to play under them, and even then about half the time each (who
      // plays last), and the suit must go round depth + x + 1 times without being ruffed.
      double win = 0;
      double p_x = std::pow(1.0 - held, higher);
      for (int x = 0; x <= std::min(higher, guards); ++x) {
        double survive = p_x * std::pow(0.5, x);
        if (suit != trump) {
          const double void_by_then = BinomialCdf(opponent_hand, suit_share, depth + x);
          survive *= std::pow(1.0 - void_by_then * has_trump, num_players - 1);
        }
        win += survive;
        if (held >= 1.0) break;
        p_x *= static_cast<double>(higher - x) / (x + 1) * held / (1.0 - held);
      }
      if (suit != trump) {
        expected += win;
      } else {
        trump_values[num_trumps++] = win;
      }
      const CardSet lower(mine.bits() & ((uint64_t{1} << card) - 1));
      bits_card = lower.Empty() ? -1 : lower.Highest();
    }
    if (suit != trump && trump >= 0) {
      if (mine.Empty())
        ruff_chances += 1.0;
      else if (mine.Size() == 1)
        ruff_chances += 0.5;
    }
  }
  // Trumps: their own chance of being top, raised to a ruffing chance for the low ones while
  // the hand has short side suits to ruff in.
  std::sort(trump_values.begin(), trump_values.begin() + num_trumps);  // weakest first
  constexpr double kRuffValue = 0.55;
  for (int i = 0; i < num_trumps; ++i) {
    double value = trump_values[i];
    if (ruff_chances > 0 && value < kRuffValue) {
      const double use = std::min(1.0, ruff_chances);
      value = value + use * (kRuffValue - value);
      ruff_chances -= use;
    }
    expected += value;
  }
  return std::clamp(expected, 0.0, static_cast<double>(hand_size));
}

// The mean of RawExpectedTricks over random hands of a fresh round of `rules` (computed once per
// table size, hand size and kind of trump from a fixed seed, then cached; thread-safe).
double MeanRawExpectedTricks(const game::RoundRules& rules) {
  static std::mutex mutex;
  static std::map<std::array<int, 4>, double> cache;
  const std::array<int, 4> key = {rules.num_players, rules.num_cards, rules.turn_up ? 1 : 0,
                                  rules.trump_suit == game::kNoTrump ? 1 : 0};
  const std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  constexpr int kSamples = 1000;
  core::Rng rng(0x5EED0FB10BULL);
  double total = 0;
  for (int i = 0; i < kSamples; ++i) {
    const game::Deal deal = game::RandomDeal(rules, 0, rng);
    ObserverView view;
    view.observer = 1;
    view.rules = rules;
    view.dealer = 0;
    view.turned_up = deal.turned_up;
    view.trump_suit = rules.turn_up ? SuitOf(deal.turned_up) : rules.trump_suit;
    view.own_hand = deal.hands[1];
    view.unseen = CardSet::Full() - view.own_hand;
    if (deal.turned_up != game::kNoCard) view.unseen.Erase(deal.turned_up);
    for (int p = 0; p < rules.num_players; ++p)
      view.hand_sizes[p] = static_cast<int8_t>(rules.num_cards);
    total += RawExpectedTricks(view);
  }
  return cache.emplace(key, total / kSamples).first->second;
}

}  // namespace

int RandomBot::Act(const game::State& state, int observer) {
  CheckCanAct(state, observer);
  return RandomLegalAction(state, rng_);
}

double HeuristicBot::ExpectedTricks(const ObserverView& view) {
  // The raw estimate misses tricks that middling cards take once the top cards have gone (many
  // with big hands) and overrates long suits at no trump: it is corrected by the difference
  // between the n / P tricks an average hand takes and the average hand's raw estimate.
  const game::RoundRules& rules = view.rules;
  const double raw = RawExpectedTricks(view);
  const double mean_raw = MeanRawExpectedTricks(rules);
  const double correction = static_cast<double>(rules.num_cards) / rules.num_players - mean_raw;
  // Weak hands take few of the missing tricks: a shortfall is shared in proportion to the raw
  // estimate (up to the average hand's); an excess is taken off equally.
  const double share = correction > 0 && mean_raw > 0 ? std::min(1.0, raw / mean_raw) : 1.0;
  return std::clamp(raw + correction * share, 0.0, static_cast<double>(view.own_hand.Size()));
}

int HeuristicBot::ChooseBid(const ObserverView& view) {
  const int n = view.rules.num_cards;
  const double expected = ExpectedTricks(view);
  int bid = std::clamp(static_cast<int>(std::lround(expected)), 0, n);
  // The hook rule: the dealer may not make the bids sum to n.
  int forbidden = game::kNoBid;
  if (view.rules.hook_rule && view.observer == view.dealer) {
    int sum = 0;
    for (int p = 0; p < view.rules.num_players; ++p) {
      if (p != view.observer && view.bids[p] != game::kNoBid) sum += view.bids[p];
    }
    if (n - sum >= 0) forbidden = n - sum;
  }
  if (bid == forbidden) {
    const int lower = bid - 1;
    const int higher = bid + 1;
    if (lower < 0) {
      bid = higher;
    } else if (higher > n) {
      bid = lower;
    } else {
      bid = std::abs(expected - higher) < std::abs(expected - lower) ? higher : lower;
    }
  }
  return game::BidAction(bid);
}

int HeuristicBot::ChooseCard(const ObserverView& view) {
  const int trump = view.trump_suit;
  const int num_players = view.rules.num_players;
  const CardSet legal = LegalCards(view);
  Aim aim = PlayAim(view);
  if (aim == Aim::kWin && trump >= 0) {
    // Top trumps win whenever they are played: with enough of them for the tricks still
    // needed (and more tricks to play), duck the others and cash them later.
    const int need = view.bids[view.observer] - view.tricks_won[view.observer];
    int sure = 0;
    for (int card : view.own_hand.InSuit(trump)) sure += HigherUnseen(view, card) == 0;
    if (need > 0 && need < view.own_hand.Size() && sure >= need) aim = Aim::kLose;
  }
  const auto& trick = view.current_trick;
  // Whether an unseen card could beat `card` if it were winning the trick.
  auto unbeatable = [&](int card, int led_suit) {
    if (HigherUnseen(view, card) > 0) return false;
    if (trump < 0 || SuitOf(card) == trump || view.unseen.InSuit(trump).Empty()) return true;
    // A side-suit top card: safe unless someone still to play may ruff the led suit. Players
    // known void in it may; others have shown nothing.
    const int first = trick.empty() ? view.observer : view.current_trick_leader;
    for (int k = static_cast<int>(trick.size()) + 1; k < num_players; ++k) {
      const int seat = (first + k) % num_players;
      if ((view.voids[seat] >> led_suit) & 1) return false;
    }
    return true;
  };
  if (trick.empty()) {
    if (aim == Aim::kWin) {
      // Lead the strongest card: unbeatable ones first, then high ranks, trumps above.
      return ArgMax(legal, [&](int card) {
        double score = RankOf(card) + (SuitOf(card) == trump ? 6.0 : 0.0);
        if (unbeatable(card, SuitOf(card))) score += 100;
        return score;
      });
    }
    // Lead low: the card with the most unseen cards above it, away from trumps; among equals
    // the longer suit (more cards to shed).
    return ArgMax(legal, [&](int card) {
      return HigherUnseen(view, card) - (SuitOf(card) == trump ? 13.0 : 0.0) +
             0.01 * view.own_hand.InSuit(SuitOf(card)).Size();
    });
  }
  const int led_suit = SuitOf(trick[0]);
  const int winning = WinningCard(trick, trump);
  const bool last = static_cast<int>(trick.size()) == num_players - 1;
  CardSet winners;
  for (int card : legal) {
    if (Beats(card, winning, trump)) winners.Insert(card);
  }
  const CardSet losers = legal - winners;
  if (aim == Aim::kWin) {
    if (winners.Empty()) {
      // Cannot win: shed the least useful card (the lowest, side suits before trumps).
      return ArgMax(
          legal, [&](int card) { return -(RankOf(card) + (SuitOf(card) == trump ? 13.0 : 0.0)); });
    }
    if (last) return winners.Lowest();  // every winner is one suit; the lowest is cheapest
    CardSet safe;
    for (int card : winners) {
      if (unbeatable(card, led_suit)) safe.Insert(card);
    }
    // The cheapest winner: an unbeatable one if any, else the lowest.
    return safe.Empty() ? winners.Lowest() : safe.Lowest();
  }
  // Aim to lose the trick.
  if (!losers.Empty()) {
    // The most dangerous card that still loses: high ranks, trumps above side suits.
    return ArgMax(losers,
                  [&](int card) { return RankOf(card) + (SuitOf(card) == trump ? 13.0 : 0.0); });
  }
  // Every card wins so far: when last, win with the most dangerous one; otherwise play the
  // lowest and hope to be overtaken.
  return last ? winners.Highest() : winners.Lowest();
}

int HeuristicBot::Act(const game::State& state, int observer) {
  CheckCanAct(state, observer);
  const ObserverView view = game::Observe(state, observer);
  return view.phase == game::Phase::kBidding ? ChooseBid(view) : ChooseCard(view);
}

int IsmctsBot::Act(const game::State& state, int observer) {
  CheckCanAct(state, observer);
  last_result_ = search_.Run(state, rng_.Next());
  return last_result_.action;
}

std::string IsmctsBot::Name() const {
  std::ostringstream name;
  name << "ismcts(simulations=" << search_.config().simulations
       << ", uct_c=" << search_.config().uct_c << ")";
  return name.str();
}

}  // namespace blobzero::search
