#pragma once
// A compact, human-readable, exact text form of a round state: its rules, its deal and its
// action history. Deserialize(Serialize(s)) == s for every state s, and the text is stable
// across versions of the same format tag. Example:
//
//   blobzero.round.v1 players=4 cards=2 trump=S hook=1 scoring=exact dealer=3 turned_up=-
//   hands=AS,KD|2C,3C|4H,5H|TS,JS actions=b1,b0,b0,b0,AS
//
// (one line; wrapped here). trump is a suit letter, N for no trump, or "up" when the trump is
// the suit of the turned-up card.

#include <string>
#include <string_view>

#include "blobzero/game/state.h"

namespace blobzero::game {

inline constexpr std::string_view kRoundFormatTag = "blobzero.round.v1";

std::string Serialize(const State& state);
// Line ends after the text (as when it is read from a file) are ignored. Throws
// std::invalid_argument naming the malformed or missing field, or the illegal action.
State Deserialize(std::string_view text);

}  // namespace blobzero::game
