#include "bindings/py_evaluator.h"

#include <pybind11/numpy.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "blobzero/encode/encoder.h"

namespace py = pybind11;

namespace blobzero::bindings {
namespace {

std::string ShapeText(const py::array& array) {
  std::string text = "(";
  for (py::ssize_t d = 0; d < array.ndim(); ++d) {
    text += (d ? ", " : "") + std::to_string(array.shape(d));
  }
  return text + (array.ndim() == 1 ? ",)" : ")");
}

// Checks `object` is a float array of shape [rows, cols] and copies it.
void CopyOutput(const py::handle& object, const char* name, py::ssize_t rows, py::ssize_t cols,
                float* out) {
  if (!py::isinstance<py::array>(object)) {
    throw std::invalid_argument(std::string("evaluator returned ") + name + " of type " +
                                std::string(py::str(py::type::of(object).attr("__name__"))) +
                                "; expected a numpy float array");
  }
  const py::array array = py::reinterpret_borrow<py::array>(object);
  if (array.dtype().kind() != 'f') {
    throw std::invalid_argument(std::string("evaluator returned ") + name + " of dtype " +
                                std::string(py::str(array.dtype())) +
                                "; expected a floating dtype (float32)");
  }
  if (array.ndim() != 2 || array.shape(0) != rows || array.shape(1) != cols) {
    throw std::invalid_argument(std::string("evaluator returned ") + name + " of shape " +
                                ShapeText(array) + "; expected (" + std::to_string(rows) + ", " +
                                std::to_string(cols) + ")");
  }
  const auto values = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(array);
  std::memcpy(out, values.data(), sizeof(float) * rows * cols);
}

}  // namespace

PyEvaluator::PyEvaluator(py::object callable) : callable_(std::move(callable)) {
  if (!PyCallable_Check(callable_.ptr())) {
    throw std::invalid_argument("the evaluator must be callable as fn(features, masks)");
  }
}

PyEvaluator::~PyEvaluator() {
  py::gil_scoped_acquire gil;
  callable_ = py::object();
}

void PyEvaluator::Evaluate(const search::EvalBatch& batch) {
  py::gil_scoped_acquire gil;
  const py::ssize_t n = batch.size;
  py::array_t<uint8_t> features({n, py::ssize_t{encode::kNumTokens}, py::ssize_t{encode::kNumFields}});
  py::array_t<uint8_t> masks({n, py::ssize_t{encode::kMaskSize}});
  std::memcpy(features.mutable_data(), batch.features, static_cast<size_t>(n) * encode::kFeatureSize);
  std::memcpy(masks.mutable_data(), batch.masks, static_cast<size_t>(n) * encode::kMaskSize);
  ++num_calls_;
  num_positions_ += n;
  const py::object result = callable_(features, masks);
  if (!py::isinstance<py::tuple>(result) || py::len(result) != 2) {
    throw std::invalid_argument(
        "evaluator must return a tuple (policy_logits, values), got " +
        std::string(py::str(py::type::of(result).attr("__name__"))));
  }
  const py::tuple pair = result.cast<py::tuple>();
  CopyOutput(pair[0], "policy_logits", n, game::kNumActions, batch.policy_logits);
  CopyOutput(pair[1], "values", n, search::kValueSize, batch.values);
  search::CheckEvaluations(batch.policy_logits, batch.values, batch.size);
}

}  // namespace blobzero::bindings
