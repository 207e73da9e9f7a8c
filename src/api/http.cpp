#include "api/http.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "core/json_text.hpp"

namespace concordat::api {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kConflict:
    case ErrorCode::kAborted:
      return 409;
    case ErrorCode::kFailedPrecondition:
      return 422;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse JsonResponse(int status, const boost::json::value& v) {
  HttpResponse r;
  r.status = status;
  r.body = JsonText(v);
  return r;
}

HttpResponse ErrorResponse(const Error& e) {
  return JsonResponse(HttpStatusFor(e.code), boost::json::object{{"error", e.ToJson()}});
}

bool ParseTarget(const std::string& target, std::string* path,
                 std::map<std::string, std::string>* query) {
  auto u = boost::urls::parse_origin_form(target);
  if (!u) {
    return false;
  }
  *path = u->path();
  for (auto p : u->params()) {
    (*query)[p.key] = p.has_value ? p.value : std::string();
  }
  return true;
}

}  // namespace concordat::api
