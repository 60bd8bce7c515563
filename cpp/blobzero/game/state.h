#pragma once
// The state of one round (deal) of Blob: deal, bidding, trick play, scoring.
//
// Contract (in the manner of OpenSpiel's State):
//   - A State is built from RoundRules and either a seeded random deal or an explicit Deal.
//   - phase() is kBidding, then kPlay, then kTerminal. current_player() is the seat to act
//     (meaningless once terminal).
//   - LegalActions()/LegalMask() list the actions of the player to act: bids 52 + b in the
//     bidding phase, card ids in the play phase, nothing once terminal.
//   - ApplyAction() validates and throws std::invalid_argument (or std::out_of_range for an id
//     outside 0..69) naming the problem; ApplyActionUnchecked() is for hot loops that only pass
//     legal actions.
//   - Scores()/Values() are defined once terminal.
//   - A State is a plain value: copying it is a clone (a few hundred bytes, no heap memory).
// Threading: a State is not thread-safe; const methods may be called concurrently.

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/game/cards.h"
#include "blobzero/game/rules.h"

namespace blobzero::game {

enum class Phase : int8_t { kBidding, kPlay, kTerminal };

inline constexpr int kNoBid = -1;
inline constexpr int kNoPlayer = -1;

using ActionMask = std::bitset<kNumActions>;

// The cards each seat holds at the start of a round, the dealer, and the turned-up card.
struct Deal {
  int dealer = 0;
  std::array<CardSet, kMaxPlayers> hands{};
  int turned_up = kNoCard;
  bool operator==(const Deal&) const = default;
};

// A uniformly random deal for `rules` with the given dealer; deterministic in `rng`'s state.
Deal RandomDeal(const RoundRules& rules, int dealer, core::Rng& rng);

class State {
 public:
  // A placeholder with no cards, only to be assigned over (for containers); not a valid round.
  State() = default;
  // An explicit deal. Throws std::invalid_argument if the rules or the deal are invalid (wrong
  // hand sizes, a card dealt twice, a turned-up card missing or present against the rules, ...).
  State(const RoundRules& rules, const Deal& deal);
  // A random deal drawn from `seed`.
  State(const RoundRules& rules, int dealer, uint64_t seed);
  // Replays `actions` from `deal`, validating each one.
  static State Replay(const RoundRules& rules, const Deal& deal, const std::vector<int>& actions);

  const RoundRules& rules() const { return rules_; }
  int num_players() const { return rules_.num_players; }
  int num_cards() const { return rules_.num_cards; }
  int dealer() const { return dealer_; }
  // 0..3 or kNoTrump.
  int trump_suit() const { return trump_suit_; }
  // The turned-up card, or kNoCard.
  int turned_up() const { return turned_up_; }
  Phase phase() const { return phase_; }
  bool IsTerminal() const { return phase_ == Phase::kTerminal; }
  // The seat to act; kNoPlayer once terminal.
  int current_player() const { return phase_ == Phase::kTerminal ? kNoPlayer : current_player_; }

  // The cards `player` holds now / was dealt.
  CardSet hand(int player) const { return hands_[CheckedSeat(player)]; }
  CardSet initial_hand(int player) const { return initial_hands_[CheckedSeat(player)]; }
  // The number of cards `player` holds now (public knowledge).
  int hand_size(int player) const { return hands_[CheckedSeat(player)].Size(); }
  Deal InitialDeal() const;
  // The bid of `player`, or kNoBid.
  int bid(int player) const { return bids_[CheckedSeat(player)]; }
  int tricks_won(int player) const { return tricks_won_[CheckedSeat(player)]; }
  // Bitmask of suits `player` has shown to be void in (bit s set: no card of suit s).
  int voids(int player) const { return voids_[CheckedSeat(player)]; }
  // Every card played so far, including the current trick.
  CardSet played() const { return played_; }

  // Trick bookkeeping. Tricks are numbered from 0; the current trick is the one being played
  // (or the last one once terminal).
  int num_tricks_completed() const { return num_tricks_completed_; }
  int trick_leader(int trick) const;
  // The seat that won a completed trick.
  int trick_winner(int trick) const;
  // Cards of trick `trick` in play order (the first led by trick_leader(trick)).
  std::vector<int> trick_cards(int trick) const;
  // The current trick's cards in play order; empty between tricks.
  std::vector<int> CurrentTrick() const;
  // The led suit of the current trick, or -1 when no card has been led.
  int led_suit() const { return cards_in_trick_ > 0 ? SuitOf(led_card_) : -1; }
  int num_cards_in_trick() const { return cards_in_trick_; }

  // Legal actions of the player to act, in increasing id order.
  std::vector<int> LegalActions() const;
  ActionMask LegalMask() const;
  // Hot-path forms: the legal cards (empty unless in play) and the legal bids as a bitmask
  // (bit b = bid b; zero unless bidding).
  CardSet LegalCards() const;
  uint32_t LegalBids() const;
  // The bid the hook rule forbids the dealer now, or kNoBid when none is forbidden.
  int HookForbiddenBid() const;
  bool IsLegal(int action) const;

  void ApplyAction(int action);
  void ApplyActionUnchecked(int action);

  // Everything applied so far: bids then cards, in order.
  std::vector<int> History() const;
  int num_actions() const { return num_actions_; }
  // The i-th action applied, 0 <= i < num_actions() (unchecked). Actions num_players() + k are
  // the cards played, card k being the (k mod P)-th of trick k div P.
  int action_at(int i) const { return actions_[i]; }

  // The same round with every seat's current hand replaced by `hands` (a determinization): the
  // rules, the public history and every public fact stay; the initial hands become the new
  // hands plus the cards each seat has played. The caller guarantees `hands` is consistent with
  // the public information (hand sizes, voids, no played or turned-up card).
  State WithHands(const std::array<CardSet, kMaxPlayers>& hands) const;

  // Round scores (terminal only; throws std::invalid_argument before).
  std::vector<int> Scores() const;
  // Scores on the network's scale: 2 * (score - min) / (max - min) - 1, so -1 is the worst score
  // possible in this round and +1 the best (exact scoring: -1 = missed, +1 = bid n and made it).
  // With `relative`, each value minus the mean of the other players' values.
  std::vector<double> Values(bool relative = false) const;
  // The same written to values[0..num_players()) without allocating; the round must be over
  // (unchecked: for hot loops).
  void ValuesInto(bool relative, double* values) const;

  // Action text: "AS" for a card, "bid 2" for a bid.
  static std::string ActionToString(int action);
  // Parses "AS" / "10h" / "bid 2" / "b2". Throws std::invalid_argument.
  static int ParseAction(std::string_view text);

  // Two states are equal when rules, deal and history are equal.
  bool operator==(const State& other) const;

 private:
  void Init(const RoundRules& rules, const Deal& deal);
  int CheckedSeat(int player) const;
  void ValidateAction(int action) const;
  void ApplyBid(int bid);
  void ApplyPlay(int card);
  int NextSeat(int seat) const { return seat + 1 == rules_.num_players ? 0 : seat + 1; }

  RoundRules rules_;
  int8_t dealer_ = 0;
  int8_t trump_suit_ = kNoTrump;
  int8_t turned_up_ = kNoCard;
  Phase phase_ = Phase::kBidding;
  int8_t current_player_ = 0;
  int8_t bid_sum_ = 0;
  int8_t num_actions_ = 0;
  int8_t num_tricks_completed_ = 0;
  // Current trick: number of cards in it, its first card, the card winning it so far, its holder.
  int8_t cards_in_trick_ = 0;
  int8_t led_card_ = kNoCard;
  int8_t winning_card_ = kNoCard;
  int8_t winner_ = kNoPlayer;
  std::array<int8_t, kMaxPlayers> bids_{};
  std::array<int8_t, kMaxPlayers> tricks_won_{};
  std::array<uint8_t, kMaxPlayers> voids_{};
  std::array<int8_t, kMaxHandSize> trick_leaders_{};
  std::array<int8_t, kMaxHandSize> trick_winners_{};
  std::array<uint8_t, kMaxRoundActions> actions_{};
  CardSet played_;
  std::array<CardSet, kMaxPlayers> hands_{};
  std::array<CardSet, kMaxPlayers> initial_hands_{};
};

}  // namespace blobzero::game
