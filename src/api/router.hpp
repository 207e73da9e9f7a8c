// Routes: method + path pattern ("/api/incidents/{id}/assignments") → permission + handler.
// The router authenticates the caller, checks the permission table (roles.hpp), parses a JSON
// body when the route takes one, and hands the handler a Call. The OpenAPI document is generated
// from the same table, so it lists exactly the endpoints that exist.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/http.hpp"
#include "store/users_store.hpp"

namespace concordat::api {

// One request in flight. Handlers may reply at once or later (from any thread), exactly once.
class Call {
 public:
  using Responder = std::function<void(HttpResponse)>;
  Call(HttpRequest req, Responder respond) : req_(std::move(req)), respond_(std::move(respond)) {}

  const HttpRequest& req() const { return req_; }
  const User& user() const { return user_; }
  bool authenticated() const { return authenticated_; }
  const std::string& token() const { return token_; }
  const std::string& param(const std::string& name) const;
  const boost::json::object& body() const { return body_; }
  const std::string& route() const { return route_; }

  void Reply(HttpResponse r);
  void Json(int status, const boost::json::value& v) { Reply(JsonResponse(status, v)); }
  void Fail(const Error& e) { Reply(ErrorResponse(e)); }

 private:
  friend class Router;
  HttpRequest req_;
  Responder respond_;
  User user_;
  bool authenticated_ = false;
  std::string token_;
  std::map<std::string, std::string> params_;
  boost::json::object body_;
  std::string route_;
  bool replied_ = false;
};

using Handler = std::function<void(const std::shared_ptr<Call>&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string permission;  // "" = no authentication needed
  std::string summary;
  Handler handler;
  bool json_body = false;  // parse the body as a JSON object (required)
  std::string tag = "platform";
  // True when the handler only reads the request and submits a command (it never blocks): it
  // then runs on the I/O thread that read the request instead of a worker, which saves a hand-over
  // between threads each way on the busiest path. Authentication runs there too (a cache hit,
  // or one indexed read of the users' file).
  bool on_io_thread = false;
  // Query parameters the handler reads: (name, description), listed in the OpenAPI document.
  std::vector<std::pair<std::string, std::string>> query = {};
};

class Router {
 public:
  using Authenticator = std::function<Result<SessionInfo>(const std::string& token)>;
  explicit Router(Authenticator auth) : auth_(std::move(auth)) {}

  void Add(Route r);
  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    bool path_matched = false;  // some route has this path but not this method
    std::vector<std::string> allowed;  // then: the methods it has
  };
  Match Find(const std::string& method, const std::string& path) const;
  // Runs the whole pipeline for one request, `m` being Find's answer for it (call on a worker
  // thread unless m.route->on_io_thread: auth may block).
  void Dispatch(const std::shared_ptr<Call>& call, Match m) const;
  boost::json::value OpenApi(const std::string& version) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  Authenticator auth_;
  std::vector<Route> routes_;
  // Each route's pattern split at '/', made once by Add (Find runs on every request).
  std::vector<std::vector<std::string>> patterns_;
};

}  // namespace concordat::api
