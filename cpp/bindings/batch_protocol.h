#pragma once
// The Python side of the batch scheduler's protocol, shared by the engines that run on it
// (SelfPlayEngine, ArenaEngine): wait for a batch with the GIL released, hand back the model's
// outputs. BindBatch binds the Batch type once (in the selfplay submodule).
#include <pybind11/pybind11.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include "bindings/numpy_output.h"
#include "blobzero/game/cards.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/selfplay/scheduler.h"

namespace blobzero::bindings {

void BindBatch(pybind11::module_& m);

// Waits for a batch with the GIL released, in slices so that Ctrl-C is noticed within ~0.1 s.
// None on timeout or once the run is done.
template <typename Engine>
std::optional<selfplay::Batch> NextBatch(Engine& engine, double timeout_s) {
  namespace py = pybind11;
  if (!(timeout_s >= 0)) {
    throw std::invalid_argument("timeout_s = " + std::to_string(timeout_s) + " must be >= 0");
  }
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(std::min(timeout_s, 1e7)));
  while (true) {
    const double remaining = std::chrono::duration<double>(deadline - Clock::now()).count();
    selfplay::Batch batch;
    bool done = false;
    {
      py::gil_scoped_release release;
      batch = engine.batches().NextBatch(std::clamp(remaining, 0.0, 0.1));
      done = !batch && engine.batches().Done();
    }
    if (batch) return batch;
    if (done || remaining <= 0.1) return std::nullopt;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  }
}

// Checks the model's outputs for a batch (float arrays [size, 70] and [size, 8]) and submits them.
template <typename Engine>
void Submit(Engine& engine, const selfplay::Batch& batch, const pybind11::object& logits,
            const pybind11::object& values) {
  const pybind11::ssize_t n = batch.size;
  const FloatArray checked_logits =
      CheckedFloatArray(logits, "model output logits", n, game::kNumActions);
  const FloatArray checked_values =
      CheckedFloatArray(values, "model output values", n, search::kValueSize);
  const float* logits_data = checked_logits.data();
  const float* values_data = checked_values.data();
  pybind11::gil_scoped_release release;  // the arrays stay referenced by this frame
  engine.batches().Submit(batch, logits_data, values_data);
}

}  // namespace blobzero::bindings
