#include "blobzero/game/state.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

#include "blobzero/core/text.h"

namespace blobzero::game {
namespace {

std::string Str(int value) { return std::to_string(value); }

std::string SeatName(int seat) { return "player " + Str(seat); }

}  // namespace

Deal RandomDeal(const RoundRules& rules, int dealer, core::Rng& rng) {
  rules.Validate();
  if (dealer < 0 || dealer >= rules.num_players) {
    throw std::invalid_argument("dealer " + Str(dealer) + " is outside 0.." +
                                Str(rules.num_players - 1));
  }
  // Partial Fisher-Yates over the deck: position i receives a uniform card among the rest.
  std::array<int8_t, kNumCards> deck;
  for (int i = 0; i < kNumCards; ++i) deck[i] = static_cast<int8_t>(i);
  const int dealt = rules.num_players * rules.num_cards + (rules.turn_up ? 1 : 0);
  for (int i = 0; i < dealt; ++i) {
    const int j = i + static_cast<int>(rng.Below(static_cast<uint32_t>(kNumCards - i)));
    std::swap(deck[i], deck[j]);
  }
  Deal deal;
  deal.dealer = dealer;
  // Cards go round the table one at a time, starting left of the dealer.
  for (int i = 0; i < rules.num_players * rules.num_cards; ++i) {
    const int seat = (dealer + 1 + i) % rules.num_players;
    deal.hands[seat].Insert(deck[i]);
  }
  if (rules.turn_up) deal.turned_up = deck[dealt - 1];
  return deal;
}

State::State(const RoundRules& rules, const Deal& deal) { Init(rules, deal); }

State::State(const RoundRules& rules, int dealer, uint64_t seed) {
  core::Rng rng(seed);
  Init(rules, RandomDeal(rules, dealer, rng));
}

State State::Replay(const RoundRules& rules, const Deal& deal, const std::vector<int>& actions) {
  State state(rules, deal);
  for (size_t i = 0; i < actions.size(); ++i) {
    try {
      state.ApplyAction(actions[i]);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("replay action " + Str(static_cast<int>(i)) + ": " + e.what());
    }
  }
  return state;
}

void State::Init(const RoundRules& rules, const Deal& deal) {
  rules.Validate();
  const int p = rules.num_players;
  if (deal.dealer < 0 || deal.dealer >= p) {
    throw std::invalid_argument("dealer " + Str(deal.dealer) + " is outside 0.." + Str(p - 1));
  }
  CardSet seen;
  for (int seat = 0; seat < kMaxPlayers; ++seat) {
    const CardSet hand = deal.hands[seat];
    if (seat >= p) {
      if (!hand.Empty()) {
        throw std::invalid_argument("the deal gives cards to seat " + Str(seat) + " but only " +
                                    Str(p) + " players sit at the table");
      }
      continue;
    }
    if (hand.Size() != rules.num_cards) {
      throw std::invalid_argument("the hand of " + SeatName(seat) + " has " + Str(hand.Size()) +
                                  " cards; the round deals " + Str(rules.num_cards));
    }
    if (!(seen & hand).Empty()) {
      throw std::invalid_argument("card " + CardToString((seen & hand).Lowest()) +
                                  " is dealt twice");
    }
    if ((hand - CardSet::Full()).bits() != 0) {
      throw std::invalid_argument("the hand of " + SeatName(seat) + " holds an invalid card id");
    }
    seen |= hand;
  }
  if (rules.turn_up) {
    if (deal.turned_up < 0 || deal.turned_up >= kNumCards) {
      throw std::invalid_argument("the rules turn up a trump card but the deal has none");
    }
    if (seen.Contains(deal.turned_up)) {
      throw std::invalid_argument("the turned-up card " + CardToString(deal.turned_up) +
                                  " is also in a hand");
    }
  } else if (deal.turned_up != kNoCard) {
    throw std::invalid_argument("the deal turns up " +
                                (deal.turned_up >= 0 && deal.turned_up < kNumCards
                                     ? CardToString(deal.turned_up)
                                     : "card " + Str(deal.turned_up)) +
                                " but the rules fix the trump (turn_up is off)");
  }
  rules_ = rules;
  // trump_suit is ignored with a turned-up card: store it as kNoTrump so that states that differ
  // only in that ignored field compare equal and Serialize ("trump=up") round-trips exactly.
  if (rules_.turn_up) rules_.trump_suit = kNoTrump;
  dealer_ = static_cast<int8_t>(deal.dealer);
  turned_up_ = static_cast<int8_t>(deal.turned_up);
  trump_suit_ = static_cast<int8_t>(rules.turn_up ? SuitOf(deal.turned_up) : rules.trump_suit);
  phase_ = Phase::kBidding;
  current_player_ = static_cast<int8_t>(NextSeat(deal.dealer));
  bids_.fill(kNoBid);
  hands_ = deal.hands;
  initial_hands_ = deal.hands;
}

int State::CheckedSeat(int player) const {
  if (player < 0 || player >= rules_.num_players) {
    throw std::out_of_range("player " + Str(player) + " is outside 0.." +
                            Str(rules_.num_players - 1));
  }
  return player;
}

Deal State::InitialDeal() const {
  Deal deal;
  deal.dealer = dealer_;
  deal.hands = initial_hands_;
  deal.turned_up = turned_up_;
  return deal;
}

int State::trick_leader(int trick) const {
  const int started = phase_ == Phase::kPlay ? num_tricks_completed_ + 1 : num_tricks_completed_;
  if (trick < 0 || trick >= started) {
    throw std::out_of_range("trick " + Str(trick) + " has not started");
  }
  return trick_leaders_[trick];
}

int State::trick_winner(int trick) const {
  if (trick < 0 || trick >= num_tricks_completed_) {
    throw std::out_of_range("trick " + Str(trick) + " is not complete");
  }
  return trick_winners_[trick];
}

std::vector<int> State::trick_cards(int trick) const {
  trick_leader(trick);  // validates
  const int first = rules_.num_players + trick * rules_.num_players;
  const int last = std::min<int>(num_actions_, first + rules_.num_players);
  return std::vector<int>(actions_.begin() + first, actions_.begin() + std::max(first, last));
}

std::vector<int> State::CurrentTrick() const {
  if (cards_in_trick_ == 0) return {};
  return trick_cards(num_tricks_completed_);
}

int State::HookForbiddenBid() const {
  if (phase_ != Phase::kBidding || !rules_.hook_rule || current_player_ != dealer_) return kNoBid;
  const int forbidden = rules_.num_cards - bid_sum_;
  return forbidden >= 0 ? forbidden : kNoBid;
}

uint32_t State::LegalBids() const {
  if (phase_ != Phase::kBidding) return 0;
  uint32_t bids = (uint32_t{1} << (rules_.num_cards + 1)) - 1;
  const int forbidden = HookForbiddenBid();
  if (forbidden != kNoBid) bids &= ~(uint32_t{1} << forbidden);
  return bids;
}

CardSet State::LegalCards() const {
  if (phase_ != Phase::kPlay) return CardSet();
  const CardSet hand = hands_[current_player_];
  if (cards_in_trick_ > 0) {
    const CardSet follow = hand.InSuit(SuitOf(led_card_));
    if (!follow.Empty()) return follow;
  }
  return hand;
}

std::vector<int> State::LegalActions() const {
  std::vector<int> actions;
  if (phase_ == Phase::kPlay) {
    actions = LegalCards().ToVector();
  } else if (phase_ == Phase::kBidding) {
    for (uint32_t bids = LegalBids(); bids != 0; bids &= bids - 1) {
      actions.push_back(BidAction(std::countr_zero(bids)));
    }
  }
  return actions;
}

ActionMask State::LegalMask() const {
  ActionMask mask;
  for (int action : LegalActions()) mask.set(action);
  return mask;
}

bool State::IsLegal(int action) const {
  if (action < 0 || action >= kNumActions) return false;
  if (IsBidAction(action)) return (LegalBids() >> BidOfAction(action)) & 1;
  return LegalCards().Contains(action);
}

void State::ValidateAction(int action) const {
  if (action < 0 || action >= kNumActions) {
    throw std::out_of_range("action " + Str(action) + " is outside 0.." + Str(kNumActions - 1));
  }
  const std::string who = SeatName(current_player_);
  if (phase_ == Phase::kTerminal) {
    throw std::invalid_argument("action " + ActionToString(action) + " after the round is over");
  }
  if (phase_ == Phase::kBidding) {
    if (!IsBidAction(action)) {
      throw std::invalid_argument("card " + ActionToString(action) + " played during bidding (" +
                                  who + " must bid)");
    }
    const int bid = BidOfAction(action);
    if (bid > rules_.num_cards) {
      throw std::invalid_argument(who + " bids " + Str(bid) + ", more than the " +
                                  Str(rules_.num_cards) + " cards of the round");
    }
    if (bid == HookForbiddenBid()) {
      throw std::invalid_argument("hook rule: the dealer (" + who + ") may not bid " + Str(bid) +
                                  " because the bids would sum to " + Str(rules_.num_cards));
    }
    return;
  }
  if (IsBidAction(action)) {
    throw std::invalid_argument(ActionToString(action) + " during play (" + who +
                                " must play a card)");
  }
  if (!hands_[current_player_].Contains(action)) {
    throw std::invalid_argument(who + " does not hold " + ActionToString(action));
  }
  if (!LegalCards().Contains(action)) {
    throw std::invalid_argument(who + " must follow suit " +
                                std::string(1, SuitChar(SuitOf(led_card_))) + " and cannot play " +
                                ActionToString(action));
  }
}

void State::ApplyAction(int action) {
  ValidateAction(action);
  ApplyActionUnchecked(action);
}

void State::ApplyActionUnchecked(int action) {
  actions_[num_actions_++] = static_cast<uint8_t>(action);
  if (phase_ == Phase::kBidding) {
    ApplyBid(BidOfAction(action));
  } else {
    ApplyPlay(action);
  }
}

void State::ApplyBid(int bid) {
  bids_[current_player_] = static_cast<int8_t>(bid);
  bid_sum_ = static_cast<int8_t>(bid_sum_ + bid);
  if (current_player_ == dealer_) {
    phase_ = Phase::kPlay;
    trick_leaders_[0] = static_cast<int8_t>(NextSeat(dealer_));
  }
  current_player_ = static_cast<int8_t>(NextSeat(current_player_));
}

void State::ApplyPlay(int card) {
  const int player = current_player_;
  hands_[player].Erase(card);
  played_.Insert(card);
  const int suit = SuitOf(card);
  if (cards_in_trick_ == 0) {
    led_card_ = winning_card_ = static_cast<int8_t>(card);
    winner_ = static_cast<int8_t>(player);
  } else {
    const int led_suit = SuitOf(led_card_);
    if (suit != led_suit) voids_[player] |= static_cast<uint8_t>(1u << led_suit);
    const int winning_suit = SuitOf(winning_card_);
    const bool beats =
        suit == winning_suit ? RankOf(card) > RankOf(winning_card_) : suit == trump_suit_;
    if (beats) {
      winning_card_ = static_cast<int8_t>(card);
      winner_ = static_cast<int8_t>(player);
    }
  }
  if (++cards_in_trick_ < rules_.num_players) {
    current_player_ = static_cast<int8_t>(NextSeat(player));
    return;
  }
  // The trick is complete.
  ++tricks_won_[winner_];
  trick_winners_[num_tricks_completed_] = winner_;
  ++num_tricks_completed_;
  cards_in_trick_ = 0;
  if (num_tricks_completed_ == rules_.num_cards) {
    phase_ = Phase::kTerminal;
    return;
  }
  trick_leaders_[num_tricks_completed_] = winner_;
  current_player_ = winner_;
}

State State::WithHands(const std::array<CardSet, kMaxPlayers>& hands) const {
  State world = *this;
  for (int p = 0; p < rules_.num_players; ++p) {
    world.initial_hands_[p] = hands[p] | (initial_hands_[p] - hands_[p]);
    world.hands_[p] = hands[p];
  }
  return world;
}

std::vector<int> State::History() const {
  return std::vector<int>(actions_.begin(), actions_.begin() + num_actions_);
}

std::vector<int> State::Scores() const {
  if (phase_ != Phase::kTerminal) {
    throw std::invalid_argument("scores are only defined once the round is over");
  }
  std::vector<int> scores(rules_.num_players);
  for (int p = 0; p < rules_.num_players; ++p) {
    scores[p] = RoundScore(rules_.scoring, bids_[p], tricks_won_[p]);
  }
  return scores;
}

std::vector<double> State::Values(bool relative) const {
  Scores();  // validates the phase
  std::vector<double> values(rules_.num_players);
  ValuesInto(relative, values.data());
  return values;
}

void State::ValuesInto(bool relative, double* values) const {
  const double lo = rules_.MinScore();
  const double span = rules_.MaxScore() - lo;
  const int p = rules_.num_players;
  double total = 0;
  for (int i = 0; i < p; ++i) {
    values[i] = 2.0 * (RoundScore(rules_.scoring, bids_[i], tricks_won_[i]) - lo) / span - 1.0;
    total += values[i];
  }
  if (relative) {
    for (int i = 0; i < p; ++i) values[i] -= (total - values[i]) / (p - 1);
  }
}

std::string State::ActionToString(int action) {
  if (action < 0 || action >= kNumActions) {
    throw std::out_of_range("action " + Str(action) + " is outside 0.." + Str(kNumActions - 1));
  }
  return IsBidAction(action) ? "bid " + Str(BidOfAction(action)) : CardToString(action);
}

int State::ParseAction(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view digits;
  if (lower.rfind("bid ", 0) == 0) {
    digits = std::string_view(lower).substr(4);
  } else if (lower.size() >= 2 && lower[0] == 'b' &&
             std::isdigit(static_cast<unsigned char>(lower[1]))) {
    digits = std::string_view(lower).substr(1);
  } else {
    return ParseCard(text);
  }
  if (digits.empty() || digits.size() > 2 || !std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    throw std::invalid_argument("malformed bid " + core::Quoted(text));
  }
  const int bid = std::stoi(std::string(digits));
  if (bid >= kNumBidActions) {
    throw std::invalid_argument("bid " + Str(bid) + " is outside 0.." + Str(kNumBidActions - 1));
  }
  return BidAction(bid);
}

bool State::operator==(const State& other) const {
  return rules_ == other.rules_ && InitialDeal() == other.InitialDeal() &&
         num_actions_ == other.num_actions_ &&
         std::equal(actions_.begin(), actions_.begin() + num_actions_, other.actions_.begin());
}

}  // namespace blobzero::game
