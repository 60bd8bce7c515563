#include "bindings/numpy_output.h"

#include <stdexcept>

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

}  // namespace

FloatArray CheckedFloatArray(const py::handle& object, const std::string& what, py::ssize_t rows,
                             py::ssize_t cols) {
  if (!py::isinstance<py::array>(object)) {
    throw std::invalid_argument(what + " is a " +
                                std::string(py::str(py::type::of(object).attr("__name__"))) +
                                "; expected a numpy float32 array");
  }
  const py::array array = py::reinterpret_borrow<py::array>(object);
  if (array.dtype().kind() != 'f') {
    throw std::invalid_argument(what + " has dtype " + std::string(py::str(array.dtype())) +
                                "; expected float32 (any floating dtype is accepted)");
  }
  if (array.ndim() != 2 || array.shape(0) != rows || array.shape(1) != cols) {
    throw std::invalid_argument(what + " has shape " + ShapeText(array) + "; expected (" +
                                std::to_string(rows) + ", " + std::to_string(cols) + ")");
  }
  return FloatArray::ensure(array);
}

}  // namespace blobzero::bindings
