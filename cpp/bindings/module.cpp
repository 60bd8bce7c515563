// blobzero._core: creates one submodule per layer and hands each to its Bind function.
#include <pybind11/pybind11.h>

#include "bindings/bind.h"

PYBIND11_MODULE(_core, m) {
  m.doc() = "blobzero's C++ engine. Use the public API in the blobzero package.";
  blobzero::bindings::BindGame(m.def_submodule("game", "Cards, rules, round states and matches."));
}
