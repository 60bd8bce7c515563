// Python bindings of blobzero::belief.
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bindings/bind.h"
#include "blobzero/belief/belief.h"

namespace py = pybind11;

namespace blobzero::bindings {
namespace {

template <typename T, size_t N>
std::vector<int> Seats(const std::array<T, N>& values, int num_players) {
  return std::vector<int>(values.begin(), values.begin() + num_players);
}

std::vector<int> SeatsOf(uint32_t mask) {
  std::vector<int> seats;
  for (; mask != 0; mask &= mask - 1) seats.push_back(std::countr_zero(mask));
  return seats;
}

game::CardSet ToSet(const std::vector<int>& cards) {
  game::CardSet set;
  for (int card : cards) {
    game::CardToString(card);  // validates the id
    if (set.Contains(card))
      throw std::invalid_argument("duplicate card " + game::CardToString(card));
    set.Insert(card);
  }
  return set;
}

template <typename T>
std::array<T, game::kMaxPlayers> PerSeat(const std::vector<int>& values, const char* name) {
  if (values.size() > static_cast<size_t>(game::kMaxPlayers)) {
    throw std::invalid_argument(std::string(name) + " has more than 8 entries");
  }
  std::array<T, game::kMaxPlayers> out{};
  for (size_t p = 0; p < values.size(); ++p) {
    if (values[p] < 0 || values[p] > 255) {
      throw std::invalid_argument(std::string(name) + "[" + std::to_string(p) +
                                  "] = " + std::to_string(values[p]) + " is out of range");
    }
    out[p] = static_cast<T>(values[p]);
  }
  return out;
}

belief::Belief MakeBelief(int observer, int num_players, const std::vector<int>& own_hand,
                          const std::vector<int>& unseen, const std::vector<int>& hand_sizes,
                          const std::vector<int>& voids) {
  for (const auto& [name, values] : {std::pair{"hand_sizes", &hand_sizes}, {"voids", &voids}}) {
    if (values->size() != static_cast<size_t>(num_players)) {
      throw std::invalid_argument(std::string(name) + " has " + std::to_string(values->size()) +
                                  " entries for " + std::to_string(num_players) + " players");
    }
  }
  return belief::Belief::FromFields(observer, num_players, ToSet(own_hand), ToSet(unseen),
                                    PerSeat<int8_t>(hand_sizes, "hand_sizes"),
                                    PerSeat<uint8_t>(voids, "voids"));
}

}  // namespace

void BindBelief(py::module_ m) {
  using belief::Belief;
  py::class_<Belief>(m, "Belief",
                     "What an observer may infer about the cards it cannot see: its own hand, the "
                     "unseen cards, every seat's hand size and revealed voids.")
      .def(py::init(&MakeBelief), py::arg("observer"), py::arg("num_players"), py::arg("own_hand"),
           py::arg("unseen"), py::arg("hand_sizes"), py::arg("voids"),
           "A belief from explicit fields (validated): for hand-built positions and tests.")
      .def_static("from_state", &Belief::FromState, py::arg("state"), py::arg("observer"),
                  "From a state, reading only public information and the observer's hand.")
      .def_static("from_view", &Belief::FromView, py::arg("view"))
      .def_readonly("observer", &Belief::observer)
      .def_readonly("num_players", &Belief::num_players)
      .def_property_readonly("own_hand", [](const Belief& b) { return b.own_hand.ToVector(); })
      .def_property_readonly("unseen", [](const Belief& b) { return b.unseen.ToVector(); })
      .def_property_readonly("hand_sizes",
                             [](const Belief& b) { return Seats(b.hand_sizes, b.num_players); })
      .def_property_readonly(
          "voids", [](const Belief& b) { return Seats(b.voids, b.num_players); },
          "Per seat, a bitmask of suits the seat has shown it lacks.")
      .def_property_readonly("hidden_card_count", &Belief::HiddenCardCount,
                             "Unseen cards held by opponents (the rest are not dealt).")
      .def(
          "possible_holders",
          [](const Belief& b, int card) {
            game::CardToString(card);  // validates the id
            return SeatsOf(b.PossibleHolders(card));
          },
          py::arg("card"), "Opponents that may still hold `card`.")
      .def("update", &Belief::Update, py::arg("before"), py::arg("action"),
           "Updates the belief for `action` applied to the state `before`.")
      .def(py::self == py::self)
      .def("__repr__", [](const Belief& b) {
        return "<Belief of player " + std::to_string(b.observer) + ", " +
               std::to_string(b.unseen.Size()) + " unseen cards>";
      });
}

}  // namespace blobzero::bindings
