#include "api/app.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>

#include "api/roles.hpp"
#include "core/json_fields.hpp"
#include "core/json_text.hpp"
#include "core/partners.hpp"
#include "core/state.hpp"

namespace concordat::api {

Result<std::optional<size_t>> QueryLimit(const Call& c, size_t max) {
  const auto it = c.req().query.find("limit");
  if (it == c.req().query.end()) return std::optional<size_t>();
  const std::string& v = it->second;
  size_t n = 0;
  const bool digits = !v.empty() && v.size() <= 9 && v.find_first_not_of("0123456789") == v.npos;
  if (digits) n = std::stoul(v);
  if (!digits || n < 1 || n > max) {
    return Error::InvalidArgument("limit",
                                  "limit must be a number from 1 to " + std::to_string(max));
  }
  return std::optional<size_t>(n);
}

std::uint64_t IdNumber(std::string_view id) {
  const auto dash = id.rfind('-');
  std::uint64_t n = 0;
  for (char ch : id.substr(dash == std::string_view::npos ? 0 : dash + 1)) {
    if (ch < '0' || ch > '9') return 0;
    n = n * 10 + static_cast<std::uint64_t>(ch - '0');
  }
  return n;
}

boost::json::object UserToJson(const User& u) {
  return boost::json::object{{"id", u.id},
                             {"username", u.username},
                             {"name", u.name},
                             {"role", u.role},
                             {"collar", u.collar},
                             {"demo", u.demo},
                             {"agency", {{"id", u.agency_id}, {"name", u.agency_name}}}};
}

App::App(Engine& engine, UsersStore& users, AccessLog& access, const RefData& ref,
         AppOptions options)
    : engine_(engine),
      users_(users),
      access_(access),
      ref_(ref),
      options_(std::move(options)),
      router_([this](const std::string& token) { return Authenticate(token); }),
      pool_(options_.worker_threads) {
  stream_ = std::make_unique<StreamHub>(
      engine_, pool_, metrics_, [this](const std::string& t) { return Authenticate(t); },
      [](const User& u) { return StreamAudience(u); },
      [this](const std::vector<const User*>& users, const Event& e,
             const std::shared_ptr<const std::string>& standard) {
        return StreamMessage(users, e, standard);
      },
      options_.stream);
  AddPlatformRoutes();
  AddAllRoutes(*this);
}

App::~App() { stream_.reset(); }

Result<SessionInfo> App::Authenticate(const std::string& token) {
  return users_.ValidateToken(token, engine_.clock().Now());
}

boost::json::array App::Timeline(const User& user, const std::vector<Event>& events,
                                bool without_timers) const {
  boost::json::array timeline;
  for (const auto& e : events) {
    if ((without_timers && e.type == "timer.fired") || !Visible(user, e)) continue;
    timeline.push_back({{"seq", e.seq},
                        {"at", FormatIso(e.at)},
                        {"type", e.type},
                        {"actor", {{"user_id", e.actor.user_id}, {"role", e.actor.role}}},
                        {"data", e.data}});
  }
  return timeline;
}

bool App::Visible(const User& user, const Event& event) const {
  if (!IsPartnerRole(user.role)) {
    return true;
  }
  return engine_.Read([&](const State& s) {
    return PartnerEventData(s, event, user.agency_id, engine_.clock().Now()).has_value();
  });
}

std::string App::StreamAudience(const User& user) {
  if (!IsPartnerRole(user.role)) {
    return "police";
  }
  // PartnerEventData depends on the agency only; the role is kept in the class for safety.
  return "partner\n" + user.role + "\n" + user.agency_id;
}

std::shared_ptr<const std::string> App::StreamMessage(
    const std::vector<const User*>& users, const Event& event,
    const std::shared_ptr<const std::string>& standard) {
  if (users.empty()) {
    return nullptr;
  }
  const User& first = *users.front();
  if (!IsPartnerRole(first.role)) {
    return standard;
  }
  const Timestamp now = engine_.clock().Now();
  auto data = engine_.Read(
      [&](const State& s) { return PartnerEventData(s, event, first.agency_id, now); });
  if (!data) {
    return nullptr;
  }
  // A disclosure to another agency: logged for each recipient before it is sent (one commit).
  std::vector<AccessEntry> entries;
  entries.reserve(users.size());
  for (const User* u : users) {
    entries.push_back(AccessEntry{
        0, now, u->id, u->role, u->agency_id, "disclosure", event.stream, event.classification,
        "shared under an information-sharing agreement", u->agency_id, "stream"});
  }
  if (!access_.RecordMany(std::move(entries)).ok()) {
    return nullptr;
  }
  Event redacted = event;
  redacted.data = std::move(*data);
  return std::make_shared<const std::string>(StreamHub::EventMessage(redacted));
}

Status App::RecordAccess(const Call& call, const std::string& what, const std::string& categories,
                         const std::string& justification, const std::string& recipient) {
  const User& u = call.user();
  return access_.Record(AccessEntry{0, engine_.clock().Now(), u.id, u.role, u.agency_id,
                                    recipient.empty() ? "consultation" : "disclosure", what,
                                    categories, justification, recipient, call.route()});
}

Status App::RecordAccessMany(const Call& call, const std::vector<std::string>& whats,
                             const std::string& categories, const std::string& justification) {
  const User& u = call.user();
  const Timestamp now = engine_.clock().Now();
  std::vector<AccessEntry> entries;
  entries.reserve(whats.size());
  for (const auto& what : whats) {
    entries.push_back(AccessEntry{0, now, u.id, u.role, u.agency_id, "consultation", what,
                                  categories, justification, "", call.route()});
  }
  return access_.RecordMany(std::move(entries));
}

std::string App::Justification(const Call& call) {
  auto it = call.req().query.find("justification");
  if (it != call.req().query.end() && !it->second.empty()) {
    return it->second.substr(0, 1000);
  }
  return call.req().Header("x-justification").substr(0, 1000);
}

void App::Handle(HttpRequest req, Call::Responder respond) {
  const auto started = std::chrono::steady_clock::now();
  auto shared_req_method = req.method;
  auto call_holder = std::make_shared<std::shared_ptr<Call>>();
  auto wrapped = [this, started, respond = std::move(respond), shared_req_method,
                  call_holder](HttpResponse r) {
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string route = *call_holder ? (*call_holder)->route() : std::string();
    metrics_.ObserveRequest(shared_req_method, route, r.status, secs);
    call_holder->reset();
    respond(std::move(r));
  };
  auto call = std::make_shared<Call>(std::move(req), std::move(wrapped));
  *call_holder = call;
  Router::Match m = router_.Find(call->req().method, call->req().path);
  auto dispatch = [this, call](Router::Match& m) {
    try {
      router_.Dispatch(call, std::move(m));
    } catch (const std::exception& e) {
      // A bug, never client input: answer rather than drop the connection.
      call->Fail(Error::Internal(std::string("unexpected failure: ") + e.what()));
    }
  };
  if (m.route != nullptr && m.route->on_io_thread) {
    dispatch(m);
    return;
  }
  pool_.Post([dispatch, m = std::move(m)]() mutable { dispatch(m); });
}

namespace {
// A command id for a request sent without an Idempotency-Key: the time first (microseconds, as
// hexadecimal of fixed width), then 64 random bits. The log keeps every command id in a B-tree
// index; ids that start with the time are added on its newest pages, as the web app's time-ordered
// keys are (web/src/lib/uuid.ts), where random ones would each dirty a page of their own.
std::string RandomCommandId() {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  unsigned char raw[8];
  randombytes_buf(raw, sizeof raw);
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return fmt::format("auto-{:016x}{}", static_cast<std::uint64_t>(us), hex);
}
}  // namespace

Route CommandRoute(App& app, std::string method, std::string pattern, std::string permission,
                   std::string summary, std::string command_type, std::string tag,
                   std::vector<std::string> params_into_body) {
  Route r{std::move(method), std::move(pattern), std::move(permission), std::move(summary),
          [&app, type = std::move(command_type),
           params = std::move(params_into_body)](const std::shared_ptr<Call>& c) {
            boost::json::object body = c->body();
            for (const auto& p : params) body[p] = c->param(p);
            app.Submit(c, type, c->param("id"), std::move(body));
          }};
  r.json_body = true;
  r.tag = std::move(tag);
  r.on_io_thread = true;
  return r;
}

void App::Submit(const std::shared_ptr<Call>& call, std::string type, std::string target,
                 boost::json::object body) {
  std::string key = call->req().Header("idempotency-key");
  if (key.empty()) {
    key = RandomCommandId();
  } else if (key.size() > 128 || key.find_first_of("\r\n\t") != std::string::npos) {
    call->Fail(Error::InvalidArgument("Idempotency-Key",
                                      "Idempotency-Key must be 1-128 printable characters"));
    return;
  }
  const User& u = call->user();
  Command c{std::move(type), std::move(target), std::move(body),
            Actor{u.id, u.role, u.agency_id, u.collar, u.agency_name}, std::move(key)};
  c.reply_as_text = true;  // sent as it is: the engine may write it without building it first
  c.fingerprint = RequestFingerprint(c);
  std::string request = c.fingerprint;
  engine_.Submit(std::move(c), [call, request = std::move(request)](Outcome o) {
    if (o.duplicate && !o.request.empty() && o.request != request) {
      // The key was used before for another request of this user's: the first one's outcome
      // would tell the client that this one was done.
      call->Fail(Error::Conflict(
          "this Idempotency-Key was already used for another request; send this one with a new "
          "key"));
      return;
    }
    if (!o.ok) {
      call->Fail(o.error);
      return;
    }
    HttpResponse r;
    r.status = o.status;
    r.body = o.reply_text.empty() ? JsonText(o.reply) : std::move(o.reply_text);
    if (o.duplicate) {
      r.headers.emplace_back("Idempotent-Replayed", "true");
    }
    r.headers.emplace_back("X-Log-Seq", std::to_string(o.seq));
    call->Reply(std::move(r));
  });
}

void App::Login(const std::shared_ptr<Call>& call) {
  FieldReader r(call->body());
  const std::string username = r.String("username", 64);
  const std::string password = r.String("password", 512);
  if (!r.ok()) {
    call->Fail(r.error());
    return;
  }
  const Timestamp now = engine_.clock().Now();
  // Counted in the accounts store: every server sharing it counts the same guesses.
  auto locked_until = users_.SignInLockedUntil(username, now, options_.sign_in_limit);
  if (!locked_until.ok()) {
    call->Fail(locked_until.error());
    return;
  }
  if (*locked_until > now) {
    const auto seconds = (*locked_until - now + kMicrosPerSecond - 1) / kMicrosPerSecond;
    const auto minutes = (seconds + 59) / 60;
    HttpResponse r = ErrorResponse(
        Error{ErrorCode::kResourceExhausted,
              "too many failed sign-ins for this account; try again in " + std::to_string(minutes) +
                  (minutes == 1 ? " minute" : " minutes") + " or ask an administrator to unlock it",
              {},
              boost::json::object{{"retry_after_seconds", seconds},
                                  {"locked_until", FormatIso(*locked_until)}}});
    r.headers.emplace_back("Retry-After", std::to_string(seconds));
    call->Reply(std::move(r));
    return;
  }
  auto user = users_.CheckPassword(username, password);
  if (!user.ok()) {
    if (user.error().code == ErrorCode::kUnauthenticated) {
      if (auto st = users_.RecordFailedSignIn(username, now, options_.sign_in_limit); !st.ok()) {
        call->Fail(st.error());
        return;
      }
    }
    call->Fail(user.error());
    return;
  }
  if (auto st = users_.ClearFailedSignIns(username); !st.ok()) {
    call->Fail(st.error());
    return;
  }
  auto session = users_.CreateSession(*user, now, options_.token_ttl);
  if (!session.ok()) {
    call->Fail(session.error());
    return;
  }
  call->Json(200, boost::json::object{{"token", session->token},
                                      {"user", UserToJson(session->user)},
                                      {"expires_at", FormatIso(session->expires_at)}});
}

}  // namespace concordat::api
