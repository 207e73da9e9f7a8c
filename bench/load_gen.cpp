// concordat_load_gen: HTTP load against the real server, started in-process on 127.0.0.1 (the
// same cli::Stack as `concordat serve`: SQLite file in WAL with synchronous=FULL, real clock,
// demo seed, default thread counts). A C++ client because Python threads cannot load the server
// honestly; one Beast client thread drives N keep-alive connections in a closed loop (each sends
// its next request when the last answer arrives).
//
// Phases, each with a warm-up that is not measured:
//   health        GET /api/health           the trivial JSON response: the baseline
//   board         GET /api/board            on the demo state
//   board_busy    GET /api/board            with --open-incidents incidents open
//   board_render  GET /api/board            right after a change, one at a time (a render every
//                                           time, not the cached one), behind --history closed
//                                           incidents closed an hour before, one in fifty with an
//                                           ended s136 detention and one in ten with an answered
//                                           referral to the police (not by default)
//   command       POST /api/incidents       a new incident per request, unique Idempotency-Key
//                                           (a time-ordered UUID, as the web app sends; --keys
//                                           uuid4 for random ones, sequential for "load-N");
//                                           answered only once durable (group commit)
// Prints a table, and JSON with --json FILE (scripts/bench.sh reads it).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <concordat/version.hpp>
#include <cstdio>
#include <fstream>
#include <functional>
#include <latch>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "bench_http.hpp"
#include "bench_support.hpp"
#include "cli/stack.hpp"
#include "sim/rng.hpp"

namespace concordat::bench {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using Request = HttpRequest;

const std::set<std::string> kPhases{"health",       "board",     "board_busy",
                                    "board_render", "list_scan", "command"};
const std::set<std::string> kDefaultPhases{"health", "board", "board_busy", "command"};

struct Options {
  int connections = 64;
  double seconds = 5;
  double warmup = 1;
  int open_incidents = 200;
  int io_threads = 0;  // server I/O threads; 0 = the product default (server.io_threads)
  // Engine snapshots: -1 = the product's defaults (engine.snapshot_every, snapshot_min_seconds);
  // N >= 0 = every N events (0 = never) with no minimum interval, as before 2026-11-28.
  int snapshot_every = -1;
  std::set<std::string> phases = kDefaultPhases;
  // Incidents created and closed before board_render, which then runs an hour later on the
  // server's virtual clock (so none of them is among the board's recently closed); 0 = none.
  int history = 0;
  std::string json_out;
  // Idempotency-Keys of the command phase: time-ordered UUIDs (version 7), as the web app makes
  // them (web/src/lib/uuid.ts); random ones (version 4), as the web app made them until
  // 2026-11-29 and as a client may; or "load-N" in order. The log's index of command ids is a
  // B-tree: keys in order land on its last page, random ones on a different page each.
  std::string keys = "uuid7";
  // AppOptions::list_slice for the list_scan phase (0: the product's default).
  int list_slice = 0;
};

// The n-th key of the kind asked for. UUIDs take their random bits from the simulator's
// generator seeded with n (122 or 74 random bits, so no two keys of a run coincide in practice);
// a version-7 key starts with the Unix time in milliseconds when it is made (RFC 9562).
std::string CommandKey(const std::string& kind, std::uint64_t n) {
  if (kind == "sequential") return "load-" + std::to_string(n);
  sim::Rng rng(n);
  std::uint64_t hi = rng.Next();
  const std::uint64_t lo = rng.Next();
  unsigned version = 4;
  if (kind == "uuid7") {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    hi = (static_cast<std::uint64_t>(ms) << 16) | (hi & 0xffff);
    version = 7;
  }
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%x%03x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), version,
                static_cast<unsigned>(hi & 0xfff),
                static_cast<unsigned>(0x8000 | ((lo >> 48) & 0x3fff)),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

// "board_busy,command" → those phases; false for an empty list or an unknown name.
bool ParsePhases(const std::string& text, std::set<std::string>& out) {
  std::set<std::string> got;
  size_t from = 0;
  while (from <= text.size()) {
    const size_t comma = std::min(text.find(',', from), text.size());
    const std::string name = text.substr(from, comma - from);
    if (!kPhases.contains(name)) {
      return false;
    }
    got.insert(name);
    from = comma + 1;
  }
  out = std::move(got);
  return true;
}

struct PhaseResult {
  std::string name;
  double rps = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::uint64_t ok = 0;
  std::uint64_t errors = 0;
  double mean_batch = 0;  // commands per commit (command phase)
  std::uint64_t snapshots = 0;  // snapshots the engine started during the phase
};

// One phase of closed-loop load over all connections.
struct Phase {
  std::function<Request(std::uint64_t)> make;
  SteadyClock::time_point measure_from;
  SteadyClock::time_point measure_to;
  bool stopping = false;
  std::uint64_t issued = 0;
  std::vector<double> latencies_ms;
  std::uint64_t ok = 0;
  std::uint64_t errors = 0;
  int active = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  static constexpr size_t kReadBuffer = 64 * 1024;
  // The read buffer starts with room for a whole board (16 KB gzipped at 200 incidents): Beast
  // sizes each read by the buffer's free room (at least 512 bytes), so a buffer that starts empty
  // stays small, a response takes many receive calls, and the single client thread then costs
  // more than the server it measures.
  explicit Connection(net::io_context& ioc) : stream_(ioc) { buffer_.reserve(kReadBuffer); }
  bool Connect(unsigned short port) {
    beast::error_code ec;
    stream_.socket().connect(tcp::endpoint(net::ip::make_address_v4("127.0.0.1"), port), ec);
    return !ec;
  }
  void Run(Phase* phase) {
    phase_ = phase;
    phase_->active++;
    Next();
  }

 private:
  void Next() {
    if (phase_->stopping) {
      phase_->active--;
      return;
    }
    req_ = phase_->make(phase_->issued++);
    started_ = SteadyClock::now();
    http::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        return self->Fail();
      }
      self->res_ = {};
      http::async_read(self->stream_, self->buffer_, self->res_,
                       [self](beast::error_code ec2, size_t) {
                         if (ec2) {
                           return self->Fail();
                         }
                         self->Done();
                       });
    });
  }
  void Done() {
    const auto now = SteadyClock::now();
    if (now >= phase_->measure_from && now < phase_->measure_to) {
      phase_->latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(now - started_).count());
      const int status = res_.result_int();
      (status >= 200 && status < 300 ? phase_->ok : phase_->errors)++;
    }
    Next();
  }
  void Fail() {
    phase_->errors++;
    phase_->active--;
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  Request req_;
  http::response<http::string_body> res_;
  Phase* phase_ = nullptr;
  SteadyClock::time_point started_;
};

std::string IncidentBody(const RefData& ref, std::uint64_t n) {
  const auto& b = ref.boroughs[n % ref.boroughs.size()];
  return boost::json::serialize(boost::json::object{
      {"channel", "999"},
      {"caller", {{"name", "Load Caller"}, {"phone", "07700 900456"}}},
      {"location",
       {{"lat", b.centroid.lat + 0.0001 * static_cast<double>(n % 7)},
        {"lon", b.centroid.lon - 0.0001 * static_cast<double>(n % 5)},
        {"address", std::to_string(n) + " Station Road"}}},
      {"type", "mental_health"},
      {"grade", n % 3 == 0 ? "I" : "S"},
      {"flags", boost::json::array{"mental_health"}},
      {"description", "Woman in crisis at the bus stop, says she has taken tablets."}});
}

PhaseResult RunPhase(net::io_context& ioc, std::vector<std::shared_ptr<Connection>>& conns,
                     const Options& o, const std::string& name,
                     std::function<Request(std::uint64_t)> make) {
  Phase phase;
  phase.make = std::move(make);
  const auto start = SteadyClock::now();
  phase.measure_from = start + std::chrono::duration_cast<SteadyClock::duration>(
                                   std::chrono::duration<double>(o.warmup));
  phase.measure_to = phase.measure_from + std::chrono::duration_cast<SteadyClock::duration>(
                                              std::chrono::duration<double>(o.seconds));
  net::steady_timer timer(ioc, phase.measure_to);
  timer.async_wait([&phase](beast::error_code) { phase.stopping = true; });
  for (auto& c : conns) {
    c->Run(&phase);
  }
  ioc.restart();
  ioc.run();
  PhaseResult r;
  r.name = name;
  r.ok = phase.ok;
  r.errors = phase.errors;
  auto& v = phase.latencies_ms;
  std::sort(v.begin(), v.end());
  r.rps = static_cast<double>(v.size()) / o.seconds;
  if (!v.empty()) {
    r.p50_ms = v[v.size() / 2];
    r.p99_ms = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  }
  return r;
}

// One blocking exchange on a fresh connection (set-up only, never timed).
std::string Exchange(unsigned short port, Request req) {
  net::io_context ioc;
  beast::tcp_stream s(ioc);
  s.connect(tcp::endpoint(net::ip::make_address_v4("127.0.0.1"), port));
  http::write(s, req);
  beast::flat_buffer b;
  http::response<http::string_body> res;
  http::read(s, b, res);
  return res.body();
}

std::string Login(unsigned short port, const std::string& user) {
  const std::string body =
      Exchange(port, MakeRequest(http::verb::post, "/api/auth/login", "",
                                 boost::json::serialize(boost::json::object{
                                     {"username", user}, {"password", cli::kDemoPassword}})));
  return std::string(boost::json::parse(body).at("token").as_string());
}

// A board read as a browser makes it: it accepts gzip (and the server, which caches the board
// per second, sends it compressed).
Request BoardRequest(const std::string& token) {
  Request r = MakeRequest(http::verb::get, "/api/board", token);
  r.set(http::field::accept_encoding, "gzip, deflate, br");
  return r;
}

// The board's size as the phases see it: {"bytes","wire_bytes","incidents","units"}.
boost::json::object BoardShape(unsigned short port, const std::string& token) {
  const std::string body = Exchange(port, MakeRequest(http::verb::get, "/api/board", token));
  const std::string wire = Exchange(port, BoardRequest(token));
  const auto v = boost::json::parse(body);
  return {{"bytes", body.size()},
          {"wire_bytes", wire.size()},
          {"incidents", v.at("incidents").as_array().size()},
          {"units", v.at("units").as_array().size()}};
}

// Runs `commands` through the engine, up to 8,192 at a time in flight (group commit makes a
// preload of hundreds of thousands quick); false, with the first error printed, if any failed.
bool RunAll(Engine& engine, std::vector<Command> commands) {
  constexpr size_t kInFlight = 8192;
  for (size_t from = 0; from < commands.size(); from += kInFlight) {
    const size_t n = std::min(kInFlight, commands.size() - from);
    std::latch done(static_cast<std::ptrdiff_t>(n));
    std::atomic<bool> failed{false};
    std::mutex mu;
    std::string first_error;
    for (size_t i = from; i < from + n; ++i) {
      engine.Submit(std::move(commands[i]), [&](Outcome out) {
        if (!out.ok && !failed.exchange(true)) {
          std::lock_guard lock(mu);
          first_error = out.error.message;
        }
        done.count_down();
      });
    }
    done.wait();
    if (failed) {
      std::fprintf(stderr, "load_gen: history preload failed: %s\n", first_error.c_str());
      return false;
    }
  }
  return true;
}

// `n` incidents created and closed, then the virtual clock moved on an hour. One in fifty had a
// s136 detention, ended before the close, and for one in ten a partner raised a referral to the
// police that the control room answered: the records a year leaves behind besides incidents,
// which the board, an incident's page and a close must not visit one by one either.
bool PreloadHistory(cli::Stack& st, int n) {
  const Actor handler{"load", "call_handler", "mps"};
  const Actor controller{"load", "controller", "mps"};
  const Actor officer{"load-officer", "officer", "mps", "AW-1001"};
  const Actor amhp{"load-amhp", "amhp", "amhp-lambeth", ""};
  struct Next {
    std::uint64_t incident, detention, referral;
  };
  const Next first = st.engine().Read([](const State& s) {
    return Next{s.cad.next_incident, s.mh.next_detention, s.partners.next_referral};
  });
  std::vector<Command> creates, detain, end, raise, answer, closes;
  for (int k = 0; k < n; ++k) {
    const auto u = static_cast<std::uint64_t>(k);
    const std::string inc = "inc-" + std::to_string(first.incident + u);
    const std::string key = std::to_string(k);
    creates.push_back(Command{"incident.create", "",
                              boost::json::parse(IncidentBody(st.ref(), u)).as_object(), handler,
                              "history-" + key});
    if (k % 50 == 0) {
      const std::string det = "det-" + std::to_string(first.detention + detain.size());
      detain.push_back(
          Command{"detention.create",
                  inc,
                  {{"power", "s136"},
                   {"location_type", "public_place"},
                   {"grounds",
                    {{"mental_disorder", "history"},
                     {"care_or_control", "history"},
                     {"necessity", "history"}}},
                   {"person", {{"age", 30}}},
                   {"consultation",
                    {{"name", "Nurse"}, {"role", "registered_nurse"}, {"advice", "history"}}}},
                  officer,
                  "history-detain-" + key});
      end.push_back(Command{"detention.outcome",
                            det,
                            {{"outcome", "no_mental_disorder"}},
                            officer,
                            "history-end-" + key});
    }
    if (k % 10 == 0) {
      const std::string ref = "ref-" + std::to_string(first.referral + raise.size());
      raise.push_back(Command{"referral.raise",
                              "",
                              {{"type", "amhp_assessment"}, {"note", "history"}},
                              amhp,
                              "history-raise-" + key});
      answer.push_back(
          Command{"referral.acknowledge", ref, {}, controller, "history-answer-" + key});
    }
    closes.push_back(Command{"incident.close",
                             inc,
                             {{"result_code", "advice_given"}, {"summary", "history"}},
                             controller,
                             "history-close-" + key});
  }
  // In order: each creation's id is the next number, so the later steps can be made in advance.
  for (auto* step : {&creates, &detain, &end, &raise, &answer, &closes}) {
    if (!RunAll(st.engine(), std::move(*step))) return false;
  }
  return st.engine().AdvanceClock(Hours(1), controller, "history-advance").ok;
}

// An open incident for a phase to make its changes on ("" with the reason printed when none).
std::string AnOpenIncident(cli::Stack& st, const char* phase) {
  const std::string open = st.engine().Read([](const State& s) {
    return s.cad.open_ids.empty() ? std::string() : *s.cad.open_ids.begin();
  });
  if (open.empty()) std::fprintf(stderr, "load_gen: %s needs an open incident to change\n", phase);
  return open;
}

// The board rendered afresh: a change (a log entry on an open incident), then one GET, timed,
// `rounds` times. p50 and max in ms; nothing (with the reason printed) when no change could be
// made or the board did not answer, since a cached answer would then be timed instead.
std::optional<std::pair<double, double>> TimeBoardRenders(cli::Stack& st, unsigned short port,
                                                          const std::string& token, int rounds) {
  const std::string open = AnOpenIncident(st, "board_render");
  if (open.empty()) return std::nullopt;
  std::vector<double> ms;
  for (int k = 0; k < rounds; ++k) {
    const Outcome changed = st.engine().Execute(Command{"incident.log",
                                                        open,
                                                        {{"text", "render " + std::to_string(k)}},
                                                        Actor{"load", "call_handler", "mps"},
                                                        "render-" + std::to_string(k)});
    if (!changed.ok) {
      std::fprintf(stderr, "load_gen: board_render change failed: %s\n",
                   changed.error.message.c_str());
      return std::nullopt;
    }
    const auto t0 = SteadyClock::now();
    const std::string board = Exchange(port, BoardRequest(token));
    ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
    if (board.empty()) {
      std::fprintf(stderr, "load_gen: the board did not answer\n");
      return std::nullopt;
    }
  }
  std::sort(ms.begin(), ms.end());
  return std::make_pair(ms[ms.size() / 2], ms.back());
}

// What a list query with no index (GET /api/incidents?bcu=...: every incident kept is visited)
// costs the commands that arrive while it runs: `rounds` such queries, one after another on a
// thread of their own, while this thread executes commands (a log entry on an open incident) one
// at a time and times each. Returns {the queries' p50 ms, the commands' p50 ms, the commands' max
// ms, commands timed}; nothing when no command could be made.
struct ListScanResult {
  double query_p50_ms = 0, command_p50_ms = 0, command_max_ms = 0;
  std::uint64_t commands = 0;
};
std::optional<ListScanResult> TimeListScans(cli::Stack& st, unsigned short port,
                                            const std::string& token, int rounds) {
  const std::string open = AnOpenIncident(st, "list_scan");
  if (open.empty()) return std::nullopt;
  std::atomic<bool> scanning{true};
  std::vector<double> query_ms;
  std::thread queries([&] {
    for (int k = 0; k < rounds; ++k) {
      const auto t0 = SteadyClock::now();
      const std::string body =
          Exchange(port, MakeRequest(http::verb::get, "/api/incidents?bcu=AW&limit=50", token));
      query_ms.push_back(
          std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
      if (body.empty()) std::fprintf(stderr, "load_gen: the list did not answer\n");
    }
    scanning = false;
  });
  std::vector<double> command_ms;
  for (std::uint64_t n = 0; scanning; ++n) {
    const auto t0 = SteadyClock::now();
    const Outcome o = st.engine().Execute(Command{"incident.log",
                                                  open,
                                                  {{"text", "during a list " + std::to_string(n)}},
                                                  Actor{"load", "call_handler", "mps"},
                                                  "list-scan-" + std::to_string(n)});
    command_ms.push_back(
        std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
    if (!o.ok) {
      std::fprintf(stderr, "load_gen: list_scan change failed: %s\n", o.error.message.c_str());
      scanning = false;
    }
  }
  queries.join();
  if (command_ms.empty() || query_ms.empty()) return std::nullopt;
  std::sort(query_ms.begin(), query_ms.end());
  std::sort(command_ms.begin(), command_ms.end());
  return ListScanResult{query_ms[query_ms.size() / 2], command_ms[command_ms.size() / 2],
                        command_ms.back(), command_ms.size()};
}

int Main(const Options& o) {
  spdlog::set_level(spdlog::level::warn);
  const std::string dir = ScratchDir("http");
  cli::StackOptions so = cli::StackOptionsFromConfig(cli::Config{});
  so.data_dir = dir;
  so.password_cost = PasswordCost::Minimum();
  so.demo = true;
  so.app.version = kVersion;
  so.server.host = "127.0.0.1";
  so.server.port = 0;
  if (o.snapshot_every >= 0) {
    so.snapshot_every = static_cast<std::uint64_t>(o.snapshot_every);
    so.snapshot_min_interval = std::chrono::milliseconds(0);
  }
  if (o.list_slice > 0) so.app.list_slice = static_cast<size_t>(o.list_slice);
  if (o.io_threads > 0) {
    so.server.io_threads = static_cast<size_t>(o.io_threads);
  }
  if (o.history > 0) so.virtual_clock = true;  // the history is aged an hour (PreloadHistory)
  auto stack = cli::Stack::Open(so);
  if (!stack.ok() || !(*stack)->Start().ok()) {
    std::fprintf(stderr, "load_gen: the server did not start\n");
    return 1;
  }
  cli::Stack& st = **stack;
  const unsigned short port = st.port();
  const std::string token = Login(port, "controller");

  net::io_context ioc;
  std::vector<std::shared_ptr<Connection>> conns;
  for (int i = 0; i < o.connections; ++i) {
    conns.push_back(std::make_shared<Connection>(ioc));
    if (!conns.back()->Connect(port)) {
      std::fprintf(stderr, "load_gen: cannot connect\n");
      return 1;
    }
  }
  std::vector<PhaseResult> results;
  if (o.phases.contains("health")) {
    results.push_back(RunPhase(ioc, conns, o, "health", [](std::uint64_t) {
      return MakeRequest(http::verb::get, "/api/health", "");
    }));
  }
  const auto board = [&token](std::uint64_t) { return BoardRequest(token); };
  boost::json::object shapes;
  shapes["board"] = BoardShape(port, token);
  if (o.phases.contains("board")) {
    results.push_back(RunPhase(ioc, conns, o, "board", board));
  }
  const size_t open_now = st.engine().Read([](const State& s) { return s.cad.incidents.size(); });
  for (auto n = open_now; n < static_cast<size_t>(o.open_incidents); ++n) {
    Outcome out = st.engine().Execute(
        Command{"incident.create", "", boost::json::parse(IncidentBody(st.ref(), n)).as_object(),
                Actor{"load", "call_handler", "mps"}, "preload-" + std::to_string(n)});
    if (!out.ok) {
      std::fprintf(stderr, "load_gen: preload failed: %s\n", out.error.message.c_str());
      return 1;
    }
  }
  shapes["board_busy"] = BoardShape(port, token);
  if (o.phases.contains("board_busy")) {
    results.push_back(RunPhase(ioc, conns, o, "board_busy", board));
  }
  bool preloaded = false;
  if (o.phases.contains("board_render")) {
    if (o.history > 0 && !PreloadHistory(st, o.history)) return 1;
    preloaded = true;
    constexpr int kRounds = 25;
    const auto timed = TimeBoardRenders(st, port, token, kRounds);
    if (!timed) return 1;
    const auto [p50, max] = *timed;
    const auto kept = st.engine().Read([](const State& s) { return s.cad.incidents.size(); });
    PhaseResult r;
    r.name = "board_render";
    r.rps = 0;
    r.p50_ms = p50;
    r.p99_ms = max;  // the largest of the rounds
    r.ok = kRounds;
    results.push_back(r);
    shapes["board_render"] = BoardShape(port, token);
    shapes["board_render"].as_object()["incidents_kept"] = kept;
  }
  if (o.phases.contains("list_scan")) {
    if (!preloaded && o.history > 0 && !PreloadHistory(st, o.history)) return 1;
    constexpr int kRounds = 10;
    const auto timed = TimeListScans(st, port, token, kRounds);
    if (!timed) return 1;
    PhaseResult r;
    r.name = "list_scan";
    r.rps = 0;
    r.p50_ms = timed->command_p50_ms;  // the commands made while the lists were read
    r.p99_ms = timed->command_max_ms;  // the largest of them
    r.ok = timed->commands;
    results.push_back(r);
    shapes["list_scan"] = boost::json::object{
        {"query_p50_ms", timed->query_p50_ms},
        {"incidents_kept", st.engine().Read([](const State& s) { return s.cad.incidents.size(); })},
        {"list_slice", st.app().options().list_slice}};
    std::printf(
        "list_scan: %d lists of GET /api/incidents?bcu=AW&limit=50 over %zu incidents "
        "(slices of %zu), p50 %.1f ms each; %llu commands meanwhile\n",
        kRounds, static_cast<size_t>(shapes["list_scan"].at("incidents_kept").as_uint64()),
        st.app().options().list_slice, timed->query_p50_ms,
        static_cast<unsigned long long>(timed->commands));
  }
  if (o.phases.contains("command")) {
    const auto commits_before = st.engine().stats().commits.load();
    const auto commands_before = st.engine().stats().commands.load();
    const auto snapshots_before = st.engine().stats().snapshots.load();
    results.push_back(RunPhase(ioc, conns, o, "command", [&](std::uint64_t n) {
      return MakeRequest(http::verb::post, "/api/incidents", token, IncidentBody(st.ref(), n),
                         CommandKey(o.keys, n));
    }));
    const auto commits = st.engine().stats().commits.load() - commits_before;
    results.back().snapshots = st.engine().stats().snapshots.load() - snapshots_before;
    results.back().mean_batch =
        commits == 0 ? 0
                     : static_cast<double>(st.engine().stats().commands.load() - commands_before) /
                           static_cast<double>(commits);
  }
  conns.clear();
  st.Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);

  boost::json::object phases;
  std::printf("%-11s %10s %9s %9s %9s %7s\n", "phase", "req/s", "p50 ms", "p99 ms", "ok", "errors");
  for (const auto& r : results) {
    std::printf("%-11s %10.0f %9.3f %9.3f %9llu %7llu\n", r.name.c_str(), r.rps, r.p50_ms, r.p99_ms,
                static_cast<unsigned long long>(r.ok), static_cast<unsigned long long>(r.errors));
    if (r.name == "command") {
      std::printf("            (mean batch %.1f, snapshots started %llu, %s keys)\n", r.mean_batch,
                  static_cast<unsigned long long>(r.snapshots), o.keys.c_str());
    }
    phases[r.name] = {
        {"rps", r.rps},       {"p50_ms", r.p50_ms},         {"p99_ms", r.p99_ms},      {"ok", r.ok},
        {"errors", r.errors}, {"mean_batch", r.mean_batch}, {"snapshots", r.snapshots}};
  }
  if (!o.json_out.empty()) {
    std::ofstream(o.json_out) << boost::json::serialize(
        boost::json::object{{"connections", o.connections},
                            {"seconds", o.seconds},
                            {"open_incidents", o.open_incidents},
                            {"history", o.history},
                            {"keys", o.keys},
                            {"board_shapes", shapes},
                            {"phases", phases}});
  }
  bool failed = false;
  for (const auto& r : results) {
    failed = failed || r.errors > 0 || r.ok == 0;
  }
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace concordat::bench

int main(int argc, char** argv) {
  namespace b = concordat::bench;
  b::Options o;
  const char* usage =
      "usage: concordat_load_gen [--connections N (1..10000, default 64)] [--seconds S (0.1..3600, "
      "default 5)] [--warmup S (0..3600, default 1)] [--open-incidents N (0..100000, default 200)] "
      "[--io-threads N (1..64, default: the server's)] [--phases LIST (of health, board, "
      "board_busy, board_render, list_scan, command; default all but board_render and list_scan)] "
      "[--list-slice N (incidents visited under one read by a list with no index; default: the "
      "product's)] [--snapshot-every N "
      "(0..1e9 events, no minimum interval; "
      "default: the product's)] [--keys uuid7|uuid4|sequential (Idempotency-Keys; default uuid7, "
      "time-ordered, as the web app sends)] [--history N (0..2000000 incidents closed an hour "
      "before board_render, one in 50 with an ended detention and one in 10 with an answered "
      "referral, on a virtual clock; default 0)] [--json FILE]\n";
  const auto one = [&o](const std::string& flag, const std::string& value) {
    if (flag == "--connections") return b::ParseInt(value, 1, 10000, o.connections);
    if (flag == "--seconds") return b::ParseDouble(value, 0.1, 3600, o.seconds);
    if (flag == "--warmup") return b::ParseDouble(value, 0, 3600, o.warmup);
    if (flag == "--open-incidents") return b::ParseInt(value, 0, 100000, o.open_incidents);
    if (flag == "--io-threads") return b::ParseInt(value, 1, 64, o.io_threads);
    if (flag == "--history") return b::ParseInt(value, 0, 2'000'000, o.history);
    if (flag == "--list-slice") return b::ParseInt(value, 1, 100'000'000, o.list_slice);
    if (flag == "--phases") return b::ParsePhases(value, o.phases);
    if (flag == "--snapshot-every") return b::ParseInt(value, 0, 1'000'000'000, o.snapshot_every);
    if (flag == "--keys" && (value == "uuid7" || value == "uuid4" || value == "sequential")) {
      o.keys = value;
      return true;
    }
    if (flag == "--json" && !value.empty()) {
      o.json_out = value;
      return true;
    }
    return false;
  };
  if (!b::ParseFlags(argc, argv, "concordat_load_gen", usage, one)) {
    return 2;
  }
  return b::Main(o);
}
