#pragma once
// Text helpers for error messages.

#include <string>
#include <string_view>

namespace blobzero::core {

// `text` in single quotes, with every byte outside printable ASCII written as \xNN, so that a
// message quoting user input is always valid, readable ASCII (partial UTF-8 sequences included).
std::string Quoted(std::string_view text);

}  // namespace blobzero::core
