// Python bindings of blobzero::encode.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "bindings/bind.h"
#include "blobzero/encode/encoder.h"

namespace py = pybind11;

namespace blobzero::bindings {
namespace {

constexpr const char* kLayoutDoc = R"doc(Encodes what `observer` may know as network features.

Returns (features, mask): uint8 arrays of shape (61, 8) and (70,). Seats are relative to the
observer: r = (seat - observer) mod P, 0 being the observer.

Tokens 0..51, one per card id:
  0 rank 0..12; 1 suit 0..3; 2 is trump 0/1;
  3 location: 0 unseen, 1 in my hand, 2 played in an earlier trick, 3 in the current trick,
    4 turned up, 5 in another player's hand (world features only);
  4 relative seat that played it 0..7 (8 if not played); 5 trick it was played in 0..16
    (17 if not played); 6 relative seats that may still hold it (bit r-1 for r = 1..7);
  7 legal for me to play now 0/1.
Tokens 52..59, one per relative seat r (all zero when r >= P):
  0 present 1; 1 bid 0..17 (18 before it bids); 2 tricks won; 3 void suits bitmask;
  4 cards in hand; 5 is dealer; 6 is to act; 7 position in the bidding order (0 bids first).
Token 60, global:
  0 phase (0 bidding, 1 play, 2 over); 1 cards per player n; 2 players P;
  3 trump suit 0..3 (4 no trump); 4 bid the hook rule forbids me now (18 none);
  5 tricks completed; 6 led suit of the current trick (4 none);
  7 rules: 4 * scoring (exact 0, oh_hell 1, oh_hell_penalty 2) + 2 * hook rule + turn-up.
The mask is 1 for each legal action of the observer (all zero when it is not to act).
Only public information and the observer's own hand reach the features.

With world=True, the world features of the whole deal, as PIMC trees evaluate their sampled
worlds and their self-play records its positions: every card another seat r holds has location 5 and
field 6 = bit r-1 alone; undealt cards have location 0 and field 6 = 0.

With holders=True, the holder features (both views in one row, for a network with a world
critic): the observation with field 7 of each card token = legal + 2 * r when another seat r
holds it in `state`; field 7 & 1 gives back the observation, and the world features follow from
the rest exactly.)doc";

void EncodeInto(const game::State& state, int observer, bool world, bool holders, uint8_t* features,
                uint8_t* mask) {
  if (world && holders) throw std::invalid_argument("world and holders exclude each other");
  if (world) {
    encode::EncodeWorld(state, observer, features);
  } else if (holders) {
    encode::EncodeWithHolders(state, observer, features);
  } else {
    encode::Encode(state, observer, features);
  }
  encode::EncodeLegalMask(state, observer, mask);
}

std::pair<py::array_t<uint8_t>, py::array_t<uint8_t>> EncodeOne(const game::State& state,
                                                                int observer, bool world,
                                                                bool holders) {
  py::array_t<uint8_t> features({encode::kNumTokens, encode::kNumFields});
  py::array_t<uint8_t> mask(encode::kMaskSize);
  EncodeInto(state, observer, world, holders, features.mutable_data(), mask.mutable_data());
  return {features, mask};
}

std::pair<py::array_t<uint8_t>, py::array_t<uint8_t>> EncodeBatch(
    const std::vector<const game::State*>& states, const std::optional<std::vector<int>>& observers,
    bool world, bool holders) {
  const py::ssize_t n = static_cast<py::ssize_t>(states.size());
  if (observers && observers->size() != states.size()) {
    throw std::invalid_argument("encode_batch got " + std::to_string(states.size()) +
                                " states but " + std::to_string(observers->size()) + " observers");
  }
  py::array_t<uint8_t> features(
      {n, py::ssize_t{encode::kNumTokens}, py::ssize_t{encode::kNumFields}});
  py::array_t<uint8_t> masks({n, py::ssize_t{encode::kMaskSize}});
  for (py::ssize_t i = 0; i < n; ++i) {
    const game::State& state = *states[i];
    int observer = observers ? (*observers)[i] : state.current_player();
    if (observer == game::kNoPlayer) {
      throw std::invalid_argument("state " + std::to_string(i) +
                                  " is finished: give its observer explicitly");
    }
    EncodeInto(state, observer, world, holders, features.mutable_data() + i * encode::kFeatureSize,
               masks.mutable_data() + i * encode::kMaskSize);
  }
  return {features, masks};
}

py::array_t<uint8_t> ActorMask(const game::State& state, int observer) {
  py::array_t<uint8_t> mask(encode::kMaskSize);
  encode::EncodeActorMask(state, observer, mask.mutable_data());
  return mask;
}

uint64_t HashArray(
    const py::array_t<uint8_t, py::array::c_style | py::array::forcecast>& features) {
  if (features.size() != encode::kFeatureSize) {
    throw std::invalid_argument("hash_features needs " + std::to_string(encode::kFeatureSize) +
                                " bytes of features, got " + std::to_string(features.size()));
  }
  return encode::HashFeatures(features.data());
}

}  // namespace

void BindEncode(py::module_ m) {
  m.attr("NUM_TOKENS") = encode::kNumTokens;
  m.attr("NUM_FIELDS") = encode::kNumFields;
  m.attr("NUM_CARD_TOKENS") = encode::kNumCardTokens;
  m.attr("SEAT_TOKEN_BASE") = encode::kSeatTokenBase;
  m.attr("GLOBAL_TOKEN") = encode::kGlobalToken;
  m.attr("MASK_SIZE") = encode::kMaskSize;
  m.attr("IN_OTHER_HAND") = static_cast<int>(encode::kInOtherHand);
  m.attr("HOLDER_SHIFT") = encode::kHolderShift;
  m.def("encode", &EncodeOne, py::arg("state"), py::arg("observer"), py::kw_only(),
        py::arg("world") = false, py::arg("holders") = false, kLayoutDoc);
  m.def("encode_batch", &EncodeBatch, py::arg("states"), py::arg("observers") = py::none(),
        py::kw_only(), py::arg("world") = false, py::arg("holders") = false,
        "encode() over a list of states: features [B, 61, 8] and masks [B, 70]. observers "
        "defaults to each state's player to act; world and holders as in encode().");
  m.def("encode_actor_mask", &ActorMask, py::arg("state"), py::arg("observer"),
        "uint8 [70]: the actions the player to act may take as far as `observer` knows: the "
        "legal mask when observer is to act; else the legal bids, or in the play every card "
        "the player to act may hold by observer's belief. All zero when the round is over.");
  m.def("hash_features", &HashArray, py::arg("features"),
        "64-bit hash of one position's features (the evaluation-cache key).");
}

}  // namespace blobzero::bindings
