// HTTP requests for the benchmarks that drive the real server over loopback (load_gen,
// ws_fanout). Includes Beast: only those two benchmark programs include it.
#pragma once

#include <boost/beast/http.hpp>
#include <string>

namespace concordat::bench {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// A request to 127.0.0.1 with an optional bearer token and Idempotency-Key; POSTs carry `body`
// as JSON.
inline HttpRequest MakeRequest(boost::beast::http::verb verb, const std::string& target,
                               const std::string& token, const std::string& body = "",
                               const std::string& key = "") {
  namespace http = boost::beast::http;
  HttpRequest r{verb, target, 11};
  r.set(http::field::host, "127.0.0.1");
  if (!token.empty()) {
    r.set(http::field::authorization, "Bearer " + token);
  }
  if (!key.empty()) {
    r.set("Idempotency-Key", key);
  }
  if (verb == http::verb::post) {
    r.set(http::field::content_type, "application/json");
    r.body() = body;
  }
  r.prepare_payload();
  return r;
}

}  // namespace concordat::bench
