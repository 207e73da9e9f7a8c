#include "api/router.hpp"

#include <boost/json.hpp>

#include "api/roles.hpp"

namespace concordat::api {

const std::string& Call::param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = params_.find(name);
  return it == params_.end() ? kEmpty : it->second;
}

void Call::Reply(HttpResponse r) {
  if (replied_) {
    return;
  }
  replied_ = true;
  respond_(std::move(r));
}

namespace {
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    out.push_back(path.substr(pos, end - pos));
    pos = end;
  }
  return out;
}
}  // namespace

void Router::Add(Route r) {
  std::vector<std::string> segments;
  for (auto seg : Segments(r.pattern)) segments.emplace_back(seg);
  patterns_.push_back(std::move(segments));
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match m;
  const auto segs = Segments(path);
  for (size_t k = 0; k < routes_.size(); ++k) {
    const Route& r = routes_[k];
    const auto& pat = patterns_[k];
    if (pat.size() != segs.size()) {
      continue;
    }
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < pat.size() && ok; ++i) {
      if (pat[i].size() > 2 && pat[i].front() == '{' && pat[i].back() == '}') {
        if (segs[i].empty() || segs[i].size() > 200) {
          ok = false;
        } else {
          params[std::string(pat[i].substr(1, pat[i].size() - 2))] = std::string(segs[i]);
        }
      } else if (pat[i] != segs[i]) {
        ok = false;
      }
    }
    if (!ok) {
      continue;
    }
    if (r.method != method) {
      m.path_matched = true;
      m.allowed.push_back(r.method);
      continue;
    }
    m.route = &r;
    m.params = std::move(params);
    return m;
  }
  return m;
}

void Router::Dispatch(const std::shared_ptr<Call>& call, Match m) const {
  if (m.route == nullptr) {
    if (m.path_matched) {
      // 405 with the methods the path takes (RFC 9110 15.5.6), in the one error shape.
      std::string allow;
      for (const auto& a : m.allowed) {
        if (allow.find(a) == std::string::npos) allow += (allow.empty() ? "" : ", ") + a;
      }
      HttpResponse r =
          ErrorResponse(Error{ErrorCode::kInvalidArgument,
                              "method " + call->req().method + " is not allowed here; use " + allow,
                              "method",
                              {}});
      r.status = 405;
      r.headers.emplace_back("Allow", allow);
      call->Reply(std::move(r));
      return;
    }
    call->Fail(Error::NotFound("no such endpoint: " + call->req().method + " " + call->req().path));
    return;
  }
  call->route_ = m.route->pattern;
  call->params_ = std::move(m.params);
  const Route& r = *m.route;
  if (!r.permission.empty()) {
    const std::string auth = call->req().Header("authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (auth.size() <= kBearer.size() || auth.compare(0, kBearer.size(), kBearer) != 0) {
      call->Fail(Error{ErrorCode::kUnauthenticated,
                       "sign in first: send Authorization: Bearer <token>", {}, {}});
      return;
    }
    call->token_ = auth.substr(kBearer.size());
    auto session = auth_(call->token_);
    if (!session.ok()) {
      call->Fail(session.error());
      return;
    }
    call->user_ = session->user;
    call->authenticated_ = true;
    if (!Allowed(call->user_.role, r.permission)) {
      call->Fail(Error::PermissionDenied("the " + call->user_.role + " role may not " +
                                         r.permission));
      return;
    }
  }
  if (r.json_body) {
    boost::system::error_code ec;
    auto v = boost::json::parse(call->req().body, ec);
    if (ec) {
      call->Fail(Error::InvalidArgument("body", "the body is not valid JSON: " + ec.message()));
      return;
    }
    if (!v.is_object()) {
      call->Fail(Error::InvalidArgument("body", "the body must be a JSON object"));
      return;
    }
    call->body_ = std::move(v.as_object());
  }
  r.handler(call);
}

boost::json::value Router::OpenApi(const std::string& version) const {
  boost::json::object paths;
  for (const auto& r : routes_) {
    boost::json::object op;
    op["summary"] = r.summary;
    op["tags"] = boost::json::array{r.tag};
    op["operationId"] = r.permission.empty() ? r.method + " " + r.pattern
                                             : r.permission + " " + r.method;
    boost::json::array params;
    for (auto seg : Segments(r.pattern)) {
      if (seg.size() > 2 && seg.front() == '{') {
        params.push_back(boost::json::object{{"name", std::string(seg.substr(1, seg.size() - 2))},
                                             {"in", "path"},
                                             {"required", true},
                                             {"schema", {{"type", "string"}}}});
      }
    }
    for (const auto& [name, description] : r.query) {
      params.push_back(boost::json::object{{"name", name},
                                           {"in", "query"},
                                           {"required", false},
                                           {"description", description},
                                           {"schema", {{"type", "string"}}}});
    }
    if (r.method == "POST" || r.method == "PUT" || r.method == "DELETE") {
      params.push_back(boost::json::object{
          {"name", "Idempotency-Key"},
          {"in", "header"},
          {"required", false},
          {"description", "Client-made command id; a retry with the same key returns the first "
                          "outcome and changes nothing."},
          {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) {
      op["parameters"] = params;
    }
    if (r.json_body) {
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    }
    if (r.permission.empty()) {
      op["security"] = boost::json::array{};
    } else {
      boost::json::array roles;
      for (const auto& role : RolesFor(r.permission)) {
        roles.emplace_back(role);
      }
      op["x-permission"] = r.permission;
      op["x-roles"] = roles;
    }
    op["responses"] = {{"default",
                        {{"description", "Success, or an error {\"error\":{code,message,field}}"},
                         {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}}};
    std::string method = r.method;
    for (auto& c : method) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto& entry = paths[r.pattern];
    if (!entry.is_object()) {
      entry.emplace_object();
    }
    entry.as_object()[method] = op;
  }
  boost::json::object doc{
      {"openapi", "3.0.3"},
      {"info", {{"title", "Concordat API"}, {"version", version}}},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security", boost::json::array{boost::json::object{{"bearer", boost::json::array{}}}}},
      {"paths", paths}};
  return doc;
}

}  // namespace concordat::api
