#include "blobzero/core/text.h"

#include <stdexcept>

namespace blobzero::core {

void Require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

std::string Quoted(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string quoted = "'";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '\\') {
      quoted += c;
    } else {
      quoted += "\\x";
      quoted += kHex[byte >> 4];
      quoted += kHex[byte & 15];
    }
  }
  return quoted + "'";
}

}  // namespace blobzero::core
