#pragma once
// One Bind function per layer of cpp/blobzero/, each defined in bind_<layer>.cpp.
#include <pybind11/pybind11.h>

namespace blobzero::bindings {

void BindGame(pybind11::module_ m);
void BindBelief(pybind11::module_ m);
void BindDeterminize(pybind11::module_ m);
void BindEncode(pybind11::module_ m);
void BindSearch(pybind11::module_ m);
void BindSelfPlay(pybind11::module_ m);
void BindArena(pybind11::module_ m);

}  // namespace blobzero::bindings
