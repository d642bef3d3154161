// Result<T>: the one error convention between stages.
//
// A stage that can fail for reasons outside the program (an unreadable PDF,
// missing tessdata) returns Result<T>. Expected data problems inside a
// document (an unreadable cell, a broken identity) are not errors: they are
// findings carried in the output. Programmer errors are asserts.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace juesuan {

// The closed set of stage failure codes.
enum class ErrorCode {
  kNotFound,       // input path does not exist
  kUnreadable,     // I/O error, not a PDF, corrupt structure
  kEncrypted,      // password protected
  kEmpty,          // zero pages or no content at all
  kNotFiscal,      // a PDF, but not a 决算/绩效 disclosure
  kEngine,         // an engine (Poppler, OpenCV, Tesseract) failed
  kLimit,          // a time or memory limit was hit
  kInvalidArgument,
};

const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;  // one line, says what and where
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}        // NOLINT
  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  // REQUIRES: ok()
  T& value() & { assert(ok()); return std::get<T>(state_); }
  const T& value() const& { assert(ok()); return std::get<T>(state_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // REQUIRES: !ok()
  const Error& error() const { assert(!ok()); return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace juesuan
