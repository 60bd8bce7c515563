// Python bindings of blobzero::determinize.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <vector>

#include "bindings/bind.h"
#include "blobzero/core/rng.h"
#include "blobzero/determinize/determinizer.h"

namespace py = pybind11;

namespace blobzero::bindings {
namespace {

using determinize::Determinizer;

std::vector<std::vector<int>> SampleHands(Determinizer& d, uint64_t seed) {
  core::Rng rng(seed);
  const determinize::Hands hands = d.Sample(rng);
  std::vector<std::vector<int>> out;
  for (int p = 0; p < d.belief().num_players; ++p) out.push_back(hands[p].ToVector());
  return out;
}

py::array_t<uint64_t> SampleMany(Determinizer& d, int count, uint64_t seed) {
  if (count < 0) throw std::invalid_argument("count must not be negative");
  const int p = d.belief().num_players;
  py::array_t<uint64_t> out({count, p});
  auto view = out.mutable_unchecked<2>();
  core::Rng rng(seed);
  for (int i = 0; i < count; ++i) {
    const determinize::Hands hands = d.Sample(rng);
    for (int s = 0; s < p; ++s) view(i, s) = hands[s].bits();
  }
  return out;
}

}  // namespace

void BindDeterminize(py::module_ m) {
  py::class_<Determinizer>(
      m, "Determinizer",
      "Draws hidden hands exactly uniformly among the deals consistent with a Belief (hand sizes, "
      "voids, unseen cards). Reads nothing but the belief. Raises ValueError when no deal is "
      "consistent.")
      .def(py::init<const belief::Belief&>(), py::arg("belief"))
      .def_property_readonly("num_consistent_deals", &Determinizer::NumConsistentDeals,
                             "Number of consistent assignments of unseen cards to opponents.")
      .def("sample", &SampleHands, py::arg("seed"),
           "Current hands of every seat (card id lists): the observer's own and a uniform draw.")
      .def("sample_many", &SampleMany, py::arg("count"), py::arg("seed"),
           "numpy uint64 [count, P]: each row the hands of one draw as 64-bit card masks.");
}

}  // namespace blobzero::bindings
