#pragma once
// Checks of float arrays a Python model or evaluator returns.
#include <pybind11/numpy.h>

#include <string>

namespace blobzero::bindings {

using FloatArray = pybind11::array_t<float, pybind11::array::c_style | pybind11::array::forcecast>;

// `object` as a C-contiguous float32 array of shape [rows, cols] (any floating dtype is
// converted). Throws std::invalid_argument (ValueError) naming `what` and the problem: not a
// numpy array, not a floating dtype, another shape. Needs the GIL.
FloatArray CheckedFloatArray(const pybind11::handle& object, const std::string& what,
                             pybind11::ssize_t rows, pybind11::ssize_t cols);

}  // namespace blobzero::bindings
