#pragma once
// Text helpers for error messages.

#include <cstdint>
#include <string>
#include <string_view>

namespace blobzero::core {

// `text` in single quotes, with every byte outside printable ASCII written as \xNN, so that a
// message quoting user input is always valid, readable ASCII (partial UTF-8 sequences included).
std::string Quoted(std::string_view text);

// A number in a message.
inline std::string Str(int64_t value) { return std::to_string(value); }

// Throws std::invalid_argument(message) unless `ok`: how a config's Validate names a bad field.
void Require(bool ok, const std::string& message);

}  // namespace blobzero::core
