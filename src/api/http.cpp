#include "api/http.hpp"

#include <zlib.h>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <stdexcept>

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

bool AcceptsGzip(const std::string& accept_encoding) {
  // Codings are comma-separated, each with optional parameters: "gzip, deflate, br;q=0.5".
  size_t pos = 0;
  while (pos <= accept_encoding.size()) {
    size_t end = accept_encoding.find(',', pos);
    if (end == std::string::npos) end = accept_encoding.size();
    std::string item = accept_encoding.substr(pos, end - pos);
    pos = end + 1;
    std::string coding = item.substr(0, item.find(';'));
    std::erase_if(coding, [](char ch) { return ch == ' ' || ch == '\t'; });
    for (auto& ch : coding) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (coding != "gzip" && coding != "x-gzip") continue;
    std::string params = item.find(';') == std::string::npos ? "" : item.substr(item.find(';') + 1);
    std::erase_if(params, [](char ch) { return ch == ' ' || ch == '\t'; });
    // q=0, q=0.0, q=0.00, q=0.000: refused.
    if (params.starts_with("q=0") && params.find_first_not_of("0.", 2) == std::string::npos) {
      return false;
    }
    return true;
  }
  return false;
}

std::string Gzip(std::string_view text) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  return out;
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
