#include "blobzero/encode/encoder.h"

#include <cstring>

#include "blobzero/belief/belief.h"
#include "blobzero/core/rng.h"

namespace blobzero::encode {
namespace {

inline uint8_t* Token(uint8_t* features, int token) { return features + token * kNumFields; }

}  // namespace

void Encode(const game::State& state, int observer, uint8_t* features) {
  const belief::Belief belief = belief::Belief::FromState(state, observer);  // validates
  const int p = state.num_players();
  const int trump = state.trump_suit();
  const auto relative = [p, observer](int seat) {
    return static_cast<uint8_t>((seat - observer + p) % p);
  };
  std::memset(features, 0, kFeatureSize);

  const bool my_turn = state.current_player() == observer;
  const game::CardSet legal = my_turn ? state.LegalCards() : game::CardSet();
  for (int card = 0; card < game::kNumCards; ++card) {
    uint8_t* t = Token(features, card);
    t[0] = static_cast<uint8_t>(game::RankOf(card));
    t[1] = static_cast<uint8_t>(game::SuitOf(card));
    t[2] = game::SuitOf(card) == trump;
    t[3] = belief.own_hand.Contains(card) ? kInMyHand : kUnseen;
    t[4] = kNotPlayedSeat;
    t[5] = kNotPlayedTrick;
    uint8_t holders = 0;
    for (uint32_t bits = belief.PossibleHolders(card); bits != 0; bits &= bits - 1) {
      holders |= static_cast<uint8_t>(1u << (relative(std::countr_zero(bits)) - 1));
    }
    t[6] = holders;
    t[7] = legal.Contains(card);
  }
  if (state.turned_up() != game::kNoCard) Token(features, state.turned_up())[3] = kTurnedUp;
  // Cards played: action p + k is card k of the play, in trick k / p.
  const int num_plays = state.num_actions() - p;
  const int current_trick = state.num_tricks_completed();
  for (int k = 0; k < num_plays; ++k) {
    const int trick = k / p;
    const int seat = (state.trick_leader(trick) + k % p) % p;
    uint8_t* t = Token(features, state.action_at(p + k));
    t[3] = trick == current_trick && !state.IsTerminal() ? kInCurrentTrick : kPlayedEarlier;
    t[4] = relative(seat);
    t[5] = static_cast<uint8_t>(trick);
  }

  const int dealer = state.dealer();
  for (int seat = 0; seat < p; ++seat) {
    uint8_t* t = Token(features, kSeatTokenBase + relative(seat));
    const int bid = state.bid(seat);
    t[0] = 1;
    t[1] = bid == game::kNoBid ? kNoBidCode : static_cast<uint8_t>(bid);
    t[2] = static_cast<uint8_t>(state.tricks_won(seat));
    t[3] = belief.voids[seat];
    t[4] = static_cast<uint8_t>(belief.hand_sizes[seat]);
    t[5] = seat == dealer;
    t[6] = seat == state.current_player();
    t[7] = static_cast<uint8_t>((seat - dealer - 1 + 2 * p) % p);
  }

  uint8_t* g = Token(features, kGlobalToken);
  const game::RoundRules& rules = state.rules();
  g[0] = static_cast<uint8_t>(state.phase());
  g[1] = static_cast<uint8_t>(rules.num_cards);
  g[2] = static_cast<uint8_t>(p);
  g[3] = trump == game::kNoTrump ? kNoTrumpCode : static_cast<uint8_t>(trump);
  const int forbidden = my_turn ? state.HookForbiddenBid() : game::kNoBid;
  g[4] = forbidden == game::kNoBid ? kNoBidCode : static_cast<uint8_t>(forbidden);
  g[5] = static_cast<uint8_t>(current_trick);
  g[6] = state.led_suit() < 0 ? kNoSuitCode : static_cast<uint8_t>(state.led_suit());
  g[7] = static_cast<uint8_t>(4 * static_cast<int>(rules.scoring) + 2 * rules.hook_rule +
                              rules.turn_up);
}

void EncodeWorld(const game::State& state, int observer, uint8_t* features) {
  Encode(state, observer, features);
  for (int card = 0; card < game::kNumCards; ++card) {
    uint8_t* t = Token(features, card);
    if (t[3] == kUnseen) t[6] = 0;  // undealt unless a hand below holds it
  }
  const int p = state.num_players();
  for (int seat = 0; seat < p; ++seat) {
    if (seat == observer) continue;
    const int relative = (seat - observer + p) % p;
    for (int card : state.hand(seat)) {
      uint8_t* t = Token(features, card);
      t[3] = kInOtherHand;
      t[6] = static_cast<uint8_t>(1u << (relative - 1));
    }
  }
}

void EncodeWithHolders(const game::State& state, int observer, uint8_t* features) {
  Encode(state, observer, features);
  const int p = state.num_players();
  for (int seat = 0; seat < p; ++seat) {
    if (seat == observer) continue;
    const int relative = (seat - observer + p) % p;
    for (int card : state.hand(seat)) {
      Token(features, card)[7] |= static_cast<uint8_t>(relative << kHolderShift);
    }
  }
}

void EncodeLegalMask(const game::State& state, int observer, uint8_t* mask) {
  std::memset(mask, 0, kMaskSize);
  state.hand(observer);  // validates the seat
  if (state.current_player() != observer) return;
  for (int card : state.LegalCards()) mask[card] = 1;
  for (uint32_t bids = state.LegalBids(); bids != 0; bids &= bids - 1) {
    mask[game::BidAction(std::countr_zero(bids))] = 1;
  }
}

void EncodeActorMask(const game::State& state, int observer, uint8_t* mask) {
  const int actor = state.IsTerminal() ? -1 : state.current_player();
  if (actor < 0 || actor == observer) {
    EncodeLegalMask(state, observer, mask);
    return;
  }
  std::memset(mask, 0, kMaskSize);
  if (state.phase() != game::Phase::kPlay) {
    state.hand(observer);  // validates the seat
    for (uint32_t bids = state.LegalBids(); bids != 0; bids &= bids - 1) {
      mask[game::BidAction(std::countr_zero(bids))] = 1;
    }
    return;
  }
  const belief::Belief belief = belief::Belief::FromState(state, observer);
  for (int card : belief.unseen) {
    if ((belief.PossibleHolders(card) >> actor) & 1) mask[card] = 1;
  }
}

uint64_t HashFeatures(const uint8_t* features) {
  // Each 64-bit word (one token) is folded in through a full SplitMix64 mix, so a change in any
  // byte reaches every bit of the hash.
  uint64_t hash = 0x243F6A8885A308D3ULL;
  for (int i = 0; i < kFeatureSize; i += 8) {
    uint64_t word;
    std::memcpy(&word, features + i, 8);
    uint64_t state = hash ^ word;
    hash = core::SplitMix64(state);
  }
  return hash;
}

}  // namespace blobzero::encode
