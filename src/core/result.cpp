#include "core/result.hpp"

#include <boost/json.hpp>

namespace concordat {
namespace {
struct CodeName {
  ErrorCode code;
  const char* name;
};
constexpr CodeName kCodeNames[] = {
    {ErrorCode::kInvalidArgument, "invalid_argument"},
    {ErrorCode::kNotFound, "not_found"},
    {ErrorCode::kAlreadyExists, "already_exists"},
    {ErrorCode::kConflict, "conflict"},
    {ErrorCode::kFailedPrecondition, "failed_precondition"},
    {ErrorCode::kAborted, "aborted"},
    {ErrorCode::kUnavailable, "unavailable"},
    {ErrorCode::kPermissionDenied, "permission_denied"},
    {ErrorCode::kUnauthenticated, "unauthenticated"},
    {ErrorCode::kResourceExhausted, "resource_exhausted"},
    {ErrorCode::kInternal, "internal"},
};
}  // namespace

const char* ErrorCodeName(ErrorCode code) {
  for (const auto& c : kCodeNames) {
    if (c.code == code) {
      return c.name;
    }
  }
  return "internal";
}

bool ParseErrorCode(std::string_view name, ErrorCode* out) {
  for (const auto& c : kCodeNames) {
    if (name == c.name) {
      *out = c.code;
      return true;
    }
  }
  return false;
}

boost::json::value Error::ToJson() const {
  boost::json::object o;
  o["code"] = ErrorCodeName(code);
  o["message"] = message;
  if (!field.empty()) {
    o["field"] = field;
  }
  if (!details.is_null()) {
    o["details"] = details;
  }
  return o;
}

Error Error::FromJson(const boost::json::value& v) {
  Error e;
  const auto* o = v.if_object();
  if (o == nullptr) {
    return Error::Internal("malformed stored error");
  }
  if (const auto* c = o->if_contains("code"); c && c->is_string()) {
    ParseErrorCode(c->as_string(), &e.code);
  }
  if (const auto* m = o->if_contains("message"); m && m->is_string()) {
    e.message = m->as_string();
  }
  if (const auto* f = o->if_contains("field"); f && f->is_string()) {
    e.field = f->as_string();
  }
  if (const auto* d = o->if_contains("details")) {
    e.details = *d;
  }
  return e;
}

}  // namespace concordat
