// blobzero._core: creates one submodule per layer and hands each to its Bind function.
#include <pybind11/pybind11.h>

#include "bindings/bind.h"

PYBIND11_MODULE(_core, m) {
  namespace b = blobzero::bindings;
  namespace py = pybind11;
  m.doc() = "blobzero's C++ engine. Use the public API in the blobzero package.";
  b::BindGame(m.def_submodule("game", "Cards, rules, round states and matches."));
  b::BindBelief(m.def_submodule("belief", "What an observer may infer about hidden cards."));
  b::BindDeterminize(m.def_submodule("determinize", "Exactly uniform sampling of hidden hands."));
  b::BindEncode(m.def_submodule("encode", "Information sets as compact network features."));
  b::BindSearch(m.def_submodule("search", "Evaluators, PIMC-PUCT, IS-MCTS and bots."));
  py::module_ selfplay = m.def_submodule(
      "selfplay", "Self-play and arena games over worker threads, their evaluations batched.");
  b::BindSelfPlay(selfplay);
  b::BindArena(selfplay);
}
