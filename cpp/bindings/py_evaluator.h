#pragma once
// An Evaluator that calls a Python callable once per batch.
//
// The callable receives (features, masks): numpy uint8 arrays of shape [B, 61, 8] and [B, 70]
// (see blobzero/encode/encoder.h for the layout) and must return (policy_logits, values) of
// shapes [B, 70] and [B, 8], any floating dtype. Anything else — another shape, a non-float
// dtype, a NaN or infinity, a non-tuple — raises ValueError naming the problem; an exception
// raised by the callable propagates unchanged.
//
// Threading: Evaluate acquires the GIL; call it with the GIL released (or held by this thread).

#include <pybind11/pybind11.h>

#include <cstdint>

#include "blobzero/search/evaluator.h"

namespace blobzero::bindings {

class PyEvaluator : public search::Evaluator {
 public:
  explicit PyEvaluator(pybind11::object callable);
  ~PyEvaluator() override;
  void Evaluate(const search::EvalBatch& batch) override;
  // Number of calls made to the callable (one per batch).
  int64_t num_calls() const { return num_calls_; }
  int64_t num_positions() const { return num_positions_; }

 private:
  pybind11::object callable_;
  int64_t num_calls_ = 0;
  int64_t num_positions_ = 0;
};

}  // namespace blobzero::bindings
