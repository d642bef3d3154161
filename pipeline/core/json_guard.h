// GuardJson: the boundary between outside JSON and the code that reads it.
//
// Readers of schemas/ and of DOC.json take values with nlohmann's get<>() and
// value(), which throw on a value of the wrong type (a string where a list
// was expected); std::stoi and friends throw on a malformed number. Such a
// file is bad input, not a program error: run the reader through GuardJson
// and it comes back as a Result error naming the file, never as an
// exception across a stage boundary.
#pragma once

#include <exception>
#include <string>
#include <utility>

#include "pipeline/core/result.h"

namespace juesuan {

template <typename T, typename Reader>
Result<T> GuardJson(const std::string& what, Reader&& read) {
  try {
    return std::forward<Reader>(read)();
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, what + ": " + e.what());
  }
}

}  // namespace juesuan
