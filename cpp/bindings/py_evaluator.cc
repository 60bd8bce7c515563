#include "bindings/py_evaluator.h"

#include <pybind11/numpy.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "bindings/numpy_output.h"
#include "blobzero/encode/encoder.h"

namespace py = pybind11;

namespace blobzero::bindings {

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
  py::array_t<uint8_t> features(
      {n, py::ssize_t{encode::kNumTokens}, py::ssize_t{encode::kNumFields}});
  py::array_t<uint8_t> masks({n, py::ssize_t{encode::kMaskSize}});
  std::memcpy(features.mutable_data(), batch.features,
              static_cast<size_t>(n) * encode::kFeatureSize);
  std::memcpy(masks.mutable_data(), batch.masks, static_cast<size_t>(n) * encode::kMaskSize);
  ++num_calls_;
  num_positions_ += n;
  const py::object result = callable_(features, masks);
  if (!py::isinstance<py::tuple>(result) || py::len(result) != 2) {
    throw std::invalid_argument("evaluator must return a tuple (policy_logits, values), got " +
                                std::string(py::str(py::type::of(result).attr("__name__"))));
  }
  const py::tuple pair = result.cast<py::tuple>();
  const FloatArray logits =
      CheckedFloatArray(pair[0], "evaluator output policy_logits", n, game::kNumActions);
  const FloatArray values =
      CheckedFloatArray(pair[1], "evaluator output values", n, search::kValueSize);
  std::memcpy(batch.policy_logits, logits.data(), sizeof(float) * n * game::kNumActions);
  std::memcpy(batch.values, values.data(), sizeof(float) * n * search::kValueSize);
  search::CheckEvaluations(batch.policy_logits, batch.values, batch.size);
}

}  // namespace blobzero::bindings
