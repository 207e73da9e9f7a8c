// Plain HTTP request/response values, free of Boost.Beast so that route handlers and tests do
// not pay for the network headers. The server (server.cpp) converts to and from Beast.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace concordat::api {

struct HttpRequest {
  std::string method;  // "GET"
  std::string target;  // "/api/incidents?open=true"
  std::string path;    // "/api/incidents" (percent-decoded)
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote;  // peer address

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// The single mapping from error codes to HTTP statuses (DESIGN.md §5).
int HttpStatusFor(ErrorCode code);

HttpResponse JsonResponse(int status, const boost::json::value& v);

// True when an Accept-Encoding header value admits gzip (RFC 9110 12.5.3; "gzip;q=0" refuses).
bool AcceptsGzip(const std::string& accept_encoding);
// `text` compressed as a gzip member (zlib), for large responses that many clients read.
std::string Gzip(std::string_view text);
HttpResponse ErrorResponse(const Error& e);

// Splits "path?query" and percent-decodes both; false when the target is malformed.
bool ParseTarget(const std::string& target, std::string* path,
                 std::map<std::string, std::string>* query);

}  // namespace concordat::api
