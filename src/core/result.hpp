// Errors as values. Every fallible operation in Concordat returns Result<T> (or Status for
// operations without a value). The error codes are the only ones the product uses; the API maps
// them to HTTP statuses in exactly one place (src/api/errors.cpp).
//
// When to use which code:
//   kInvalidArgument    the input does not parse or validate; `field` names the offending field.
//   kNotFound           the thing named does not exist (or the caller may not know it exists).
//   kAlreadyExists      a create collided with something that exists.
//   kConflict           the request conflicts with the current state (e.g. closing twice).
//   kFailedPrecondition a rule said no (law, policy, state machine); retrying unchanged won't help.
//   kAborted            a concurrency conflict; retry after re-reading.
//   kUnavailable        try again later.
//   kPermissionDenied   authenticated but not allowed.
//   kUnauthenticated    no or bad credentials.
//   kResourceExhausted  throttled or over a limit.
//   kInternal           a bug or an unexpected environment failure; never caused by client input.
//
// Thread-safety: plain values.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <utility>
#include <variant>

namespace concordat {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kConflict,
  kFailedPrecondition,
  kAborted,
  kUnavailable,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kInternal,
};

// The wire name of a code ("invalid_argument", ...).
const char* ErrorCodeName(ErrorCode code);
// Parses a wire name; returns false when unknown.
bool ParseErrorCode(std::string_view name, ErrorCode* out);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;           // the offending input field, when there is one
  boost::json::value details;  // optional structured details (e.g. an advisory)

  static Error InvalidArgument(std::string field, std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(field), {}};
  }
  static Error NotFound(std::string message) {
    return Error{ErrorCode::kNotFound, std::move(message), {}, {}};
  }
  static Error Conflict(std::string message) {
    return Error{ErrorCode::kConflict, std::move(message), {}, {}};
  }
  static Error FailedPrecondition(std::string message, std::string field = {}) {
    return Error{ErrorCode::kFailedPrecondition, std::move(message), std::move(field), {}};
  }
  static Error PermissionDenied(std::string message) {
    return Error{ErrorCode::kPermissionDenied, std::move(message), {}, {}};
  }
  static Error Internal(std::string message) {
    return Error{ErrorCode::kInternal, std::move(message), {}, {}};
  }
  static Error Unavailable(std::string message) {
    return Error{ErrorCode::kUnavailable, std::move(message), {}, {}};
  }

  // {"code","message","field"?,"details"?}
  boost::json::value ToJson() const;
  static Error FromJson(const boost::json::value& v);
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}    // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status OkStatus() { return Status(); }

}  // namespace concordat
