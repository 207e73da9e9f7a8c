// concordat_ws_fanout: WebSocket fan-out of GET /api/stream to N clients (DESIGN.md §7: 10,000
// clients, p99 event-to-delivery under 50 ms, at most 32 KB of server memory per connection).
//
// The real server (cli::Stack, as `concordat serve`: SQLite WAL, demo seed, default threads) runs
// on 127.0.0.1 with an ephemeral port in the PARENT process; the clients run in a forked CHILD.
// Two processes because (a) the server's memory per connection must not include the clients'
// own WebSocket state, and (b) 10,000 connections need 10,000 descriptors at each end, which
// together exceed a typical hard RLIMIT_NOFILE of 20,000. The fork happens before any thread
// exists. The parent subscribes to the engine and writes, for each committed event, its seq and
// CLOCK_MONOTONIC commit time into shared memory; CLOCK_MONOTONIC is system-wide, so the child
// computes commit-to-arrival per event per client.
//
// With --floor-bytes B, first (before the server exists) the floor: the same fan-out as plain
// write() calls to --clients loopback sockets, read by one epoll loop (see RawFloor).
// Per phase (first the baseline of --baseline clients, default 100, then --clients, default
// 10,000):
//   1. read the server's VmRSS (/proc/<server>/status);
//   2. open the connections with --threads client threads (Beast async, not a thread per client),
//      each sending {"type":"hello","token":...,"since":<head>} and waiting for "ready";
//   3. read VmRSS again: (after - before) / N is the server's memory per connection;
//   4. POST /api/incidents --events times at --rate per second (one keep-alive connection,
//      answered once durable), then wait (bounded) until every client has the last event;
//   5. check each client's seqs: strictly increasing, every seq from its "ready" head to the final
//      head present once (nothing lost, nothing duplicated); latency p50/p99/max over all
//      (event, client) pairs.
// Prints a table, and JSON with --json FILE (bench/report.py --ws reads it). Exit 0 when every
// phase delivered everything, 1 otherwise, 2 on bad arguments.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <concordat/version.hpp>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <thread>

#include "bench_http.hpp"
#include "bench_support.hpp"
#include "cli/stack.hpp"

namespace concordat::bench {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Request = HttpRequest;

struct Options {
  int clients = 10000;
  int baseline = 100;
  int events = 200;
  double rate = 20;  // events (POSTs) per second
  int threads = 2;
  double wait_seconds = 60;  // bound on connecting and on draining
  int io_threads = 0;        // server I/O threads; 0 = the product default (server.io_threads)
  int floor_bytes = 0;       // size of the floor's messages; 0 = no floor phase
  std::string json_out;
};

std::int64_t MonoNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Shared between the server (parent) and the clients (child), MAP_SHARED before fork.
constexpr size_t kSlots = 1 << 16;
struct Shared {
  std::atomic<std::uint64_t> head{0};
  struct Slot {
    std::atomic<std::uint64_t> seq{0};
    std::atomic<std::int64_t> ns{0};
  } slots[kSlots];
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

// Commit time of `seq`, or -1 when unknown (overwritten or never seen).
std::int64_t CommitNs(const Shared& sh, std::uint64_t seq) {
  const auto& s = sh.slots[seq % kSlots];
  const auto ns = s.ns.load(std::memory_order_acquire);
  return s.seq.load(std::memory_order_acquire) == seq ? ns : -1;
}

long VmRssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::strtol(line.c_str() + 6, nullptr, 10);
    }
  }
  return -1;
}

// p50 / p99 / max of latencies in nanoseconds, in milliseconds (sorts `ns`).
struct Spread {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};
Spread SpreadOf(std::vector<std::int64_t>& ns) {
  Spread out;
  std::sort(ns.begin(), ns.end());
  if (!ns.empty()) {
    out.p50_ms = static_cast<double>(ns[ns.size() / 2]) / 1e6;
    out.p99_ms = static_cast<double>(ns[std::min(ns.size() - 1, ns.size() * 99 / 100)]) / 1e6;
    out.max_ms = static_cast<double>(ns.back()) / 1e6;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Client side (child process)

struct Tally {  // per client thread, merged at the end of a phase
  std::vector<std::int64_t> latency_ns;
  std::uint64_t unknown_commit = 0;
  std::uint64_t event_bytes = 0;  // payload bytes of the live event messages
};

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(net::io_context& ioc, Tally& tally, const Shared& sh) : ws_(ioc), tally_(tally), sh_(sh) {}

  void Start(unsigned short port, std::string hello, std::function<void()> on_settled) {
    hello_ = std::move(hello);
    on_settled_ = std::move(on_settled);
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(ws_).async_connect(
        tcp::endpoint(net::ip::make_address_v4("127.0.0.1"), port),
        [self = shared_from_this()](beast::error_code ec) {
          if (ec) {
            return self->Fail("connect: " + ec.message());
          }
          self->ws_.async_handshake("127.0.0.1", "/api/stream", [self](beast::error_code ec2) {
            if (ec2) {
              return self->Fail("handshake: " + ec2.message());
            }
            beast::get_lowest_layer(self->ws_).expires_never();
            self->ws_.text(true);
            self->ws_.async_write(net::buffer(self->hello_), [self](beast::error_code ec3, size_t) {
              if (ec3) {
                return self->Fail("hello: " + ec3.message());
              }
              self->Read();
            });
          });
        });
  }

  void Close() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  bool ready() const { return ready_; }
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  std::uint64_t ready_head() const { return ready_head_; }
  std::uint64_t last_seq() const { return last_seq_; }
  std::uint64_t received() const { return received_; }
  std::uint64_t out_of_order() const { return out_of_order_; }
  const std::vector<std::uint64_t>& seqs() const { return seqs_; }

 private:
  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        return self->Fail("read: " + ec.message());
      }
      self->OnMessage();
      self->buffer_.consume(self->buffer_.size());
      self->Read();
    });
  }

  // Messages are {"type":"event","seq":N,...} (boost::json keeps insertion order), so the seq is
  // found without parsing the whole event: cheap enough that the client side stays light.
  void OnMessage() {
    const auto now = MonoNs();
    const auto data = buffer_.cdata();
    const std::string_view text(static_cast<const char*>(data.data()), data.size());
    static constexpr std::string_view kEvent = R"({"type":"event","seq":)";
    if (text.starts_with(kEvent)) {
      std::uint64_t seq = 0;
      const char* p = text.data() + kEvent.size();
      std::from_chars(p, text.data() + text.size(), seq);
      if (!ready_) {
        return;  // catch-up (since = head, so normally none): not a live delivery
      }
      received_++;
      tally_.event_bytes += text.size();
      if (seq <= last_seq_) {
        out_of_order_++;
      }
      last_seq_ = std::max(last_seq_, seq);
      seqs_.push_back(seq);
      const auto c = CommitNs(sh_, seq);
      if (c < 0) {
        tally_.unknown_commit++;
      } else {
        tally_.latency_ns.push_back(now - c);
      }
      return;
    }
    if (text.find(R"("type":"ready")") != std::string_view::npos) {
      const auto v = boost::json::parse(text);
      ready_head_ = v.at("head").to_number<std::uint64_t>();
      last_seq_ = ready_head_;
      ready_ = true;
      Settle();
      return;
    }
    Fail("unexpected message: " + std::string(text.substr(0, 200)));
  }

  void Fail(std::string why) {
    if (error_.empty()) {
      error_ = std::move(why);
    }
    Settle();
  }

  void Settle() {
    if (on_settled_) {
      auto f = std::move(on_settled_);
      on_settled_ = nullptr;
      f();
    }
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  Tally& tally_;
  const Shared& sh_;
  std::string hello_;
  std::function<void()> on_settled_;
  bool ready_ = false;
  std::string error_;
  std::uint64_t ready_head_ = 0;
  std::uint64_t last_seq_ = 0;
  std::uint64_t received_ = 0;
  std::uint64_t out_of_order_ = 0;
  std::vector<std::uint64_t> seqs_;
};

// A blocking keep-alive HTTP connection (login, the driver's POSTs).
class HttpClient {
 public:
  explicit HttpClient(unsigned short port) : s_(ioc_) {
    s_.connect(tcp::endpoint(net::ip::make_address_v4("127.0.0.1"), port));
  }
  http::response<http::string_body> Do(const Request& req) {
    http::write(s_, req);
    http::response<http::string_body> res;
    http::read(s_, b_, res);
    return res;
  }

 private:
  net::io_context ioc_;
  beast::tcp_stream s_;
  beast::flat_buffer b_;
};

std::string IncidentBody(std::uint64_t n) {
  return boost::json::serialize(boost::json::object{
      {"channel", "999"},
      {"caller", {{"name", "Fan-out Caller"}, {"phone", "07700 900457"}}},
      {"location",
       {{"lat", 51.5072 + 0.0001 * static_cast<double>(n % 7)},
        {"lon", -0.1276 - 0.0001 * static_cast<double>(n % 5)},
        {"address", std::to_string(n) + " Fan-out Road"}}},
      {"type", "concern_for_welfare"},  // no mental-health flag: no access logging per client
      {"grade", "S"},
      {"description", "Benchmark incident for the stream fan-out."}});
}

struct PhaseResult {
  int clients = 0;
  int connected = 0;
  int connect_failures = 0;
  std::string first_error;
  double connect_seconds = 0;
  long rss_before_kb = 0;
  long rss_after_kb = 0;
  double kb_per_connection = 0;
  int posts = 0;
  int post_errors = 0;
  double achieved_rate = 0;
  std::uint64_t events = 0;  // events committed during the drive (final head - ready head)
  std::uint64_t expected = 0;
  std::uint64_t delivered = 0;
  std::uint64_t missing = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t out_of_order = 0;
  std::uint64_t unknown_commit = 0;
  int clients_incomplete = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  double mean_message_bytes = 0;
  bool drained = false;
  bool ok() const {
    return connected == clients && post_errors == 0 && missing == 0 && duplicates == 0 &&
           out_of_order == 0 && drained && delivered > 0;
  }
};

PhaseResult RunPhase(const Options& o, int n, unsigned short port, const std::string& token,
                     const Shared& sh, pid_t server, std::uint64_t& post_counter) {
  PhaseResult r;
  r.clients = n;
  const int nthreads = std::max(1, std::min(o.threads, n));
  std::vector<std::unique_ptr<net::io_context>> iocs;
  std::vector<Tally> tallies(static_cast<size_t>(nthreads));
  for (int t = 0; t < nthreads; ++t) {
    iocs.push_back(std::make_unique<net::io_context>(1));
  }
  std::vector<std::shared_ptr<Client>> clients;
  clients.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    clients.push_back(std::make_shared<Client>(*iocs[static_cast<size_t>(i % nthreads)],
                                               tallies[static_cast<size_t>(i % nthreads)], sh));
  }
  r.rss_before_kb = VmRssKb(server);
  const std::string hello = boost::json::serialize(
      boost::json::object{{"type", "hello"}, {"token", token}, {"since", sh.head.load()}});

  // Connect with a bounded window per thread (a burst of 10,000 SYNs overflows the listen
  // backlog); each settled client (ready or failed) starts the next one on its thread.
  std::atomic<int> settled{0};
  const int window = 64;
  const auto t0 = MonoNs();
  std::vector<std::thread> threads;
  for (int t = 0; t < nthreads; ++t) {
    threads.emplace_back([&, t] {
      auto& ioc = *iocs[static_cast<size_t>(t)];
      // Client indices of this thread: t, t + nthreads, ...
      auto next = std::make_shared<int>(t);
      std::function<void()> launch = [&, next]() {
        if (*next >= n) {
          return;
        }
        auto& c = clients[static_cast<size_t>(*next)];
        *next += nthreads;
        c->Start(port, hello, [&] {
          settled.fetch_add(1);
          launch();
        });
      };
      net::post(ioc, [&] {
        for (int k = 0; k < window; ++k) {
          launch();
        }
      });
      auto guard = net::make_work_guard(ioc);
      ioc.run();
    });
  }
  const auto connect_deadline = t0 + static_cast<std::int64_t>(o.wait_seconds * 1e9);
  while (settled.load() < n && MonoNs() < connect_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  r.connect_seconds = static_cast<double>(MonoNs() - t0) / 1e9;
  // Let the server settle (catch-up tasks finish, buffers shrink) before reading its memory.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  r.rss_after_kb = VmRssKb(server);
  r.kb_per_connection =
      n > 0 ? static_cast<double>(r.rss_after_kb - r.rss_before_kb) / static_cast<double>(n) : 0;
  // Counted on the client threads, read here after a post round-trip on each thread.
  auto on_threads = [&](auto fn) {
    std::atomic<int> done{0};
    for (int t = 0; t < nthreads; ++t) {
      net::post(*iocs[static_cast<size_t>(t)], [&, t] {
        fn(t);
        done.fetch_add(1);
      });
    }
    const auto deadline = MonoNs() + 10'000'000'000LL;
    while (done.load() < static_cast<int>(iocs.size()) && MonoNs() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
  std::mutex mu;
  on_threads([&](int t) {
    for (size_t i = static_cast<size_t>(t); i < clients.size();
         i += static_cast<size_t>(nthreads)) {
      const auto& c = clients[i];
      std::lock_guard lock(mu);
      if (c->ready() && !c->failed()) {
        r.connected++;
      } else {
        r.connect_failures++;
        if (r.first_error.empty()) {
          r.first_error = c->failed() ? c->error() : "not ready within the time limit";
        }
      }
    }
  });

  // Drive: POST /api/incidents at a steady rate, each answered once durable.
  if (r.connected > 0) {
    HttpClient driver(port);
    const auto interval = static_cast<std::int64_t>(1e9 / o.rate);
    const auto d0 = MonoNs();
    for (int k = 0; k < o.events; ++k) {
      const auto due = d0 + interval * k;
      while (MonoNs() < due) {
        std::this_thread::sleep_for(
            std::chrono::nanoseconds(std::min<std::int64_t>(due - MonoNs(), 5'000'000)));
      }
      const auto n_post = post_counter++;
      const auto res = driver.Do(
          MakeRequest(http::verb::post, "/api/incidents", token, IncidentBody(n_post),
                      "ws-fanout-" + std::to_string(getpid()) + "-" + std::to_string(n_post)));
      r.posts++;
      if (res.result_int() < 200 || res.result_int() >= 300) {
        if (r.post_errors++ == 0) {
          std::fprintf(stderr, "ws_fanout: POST /api/incidents answered %d: %s\n", res.result_int(),
                       res.body().substr(0, 300).c_str());
        }
      }
    }
    r.achieved_rate = static_cast<double>(o.events) / (static_cast<double>(MonoNs() - d0) / 1e9);
  }
  // Wait (bounded) until every ready client has the head as it is now.
  const std::uint64_t final_head = sh.head.load();
  const auto drain_deadline = MonoNs() + static_cast<std::int64_t>(o.wait_seconds * 1e9);
  while (true) {
    std::atomic<int> behind{0};
    on_threads([&](int t) {
      for (size_t i = static_cast<size_t>(t); i < clients.size();
           i += static_cast<size_t>(nthreads)) {
        const auto& c = clients[i];
        if (c->ready() && !c->failed() && c->last_seq() < final_head) {
          behind.fetch_add(1);
        }
      }
    });
    if (behind.load() == 0) {
      r.drained = true;
      break;
    }
    if (MonoNs() > drain_deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Stop the client threads, then inspect without races.
  for (auto& ioc : iocs) {
    ioc->stop();
  }
  for (auto& th : threads) {
    th.join();
  }
  std::uint64_t min_ready = final_head;
  std::vector<std::int64_t> lat;
  std::uint64_t event_bytes = 0;
  for (auto& t : tallies) {
    lat.insert(lat.end(), t.latency_ns.begin(), t.latency_ns.end());
    r.unknown_commit += t.unknown_commit;
    event_bytes += t.event_bytes;
  }
  for (const auto& c : clients) {
    if (!c->ready() || c->failed()) {
      continue;
    }
    min_ready = std::min(min_ready, c->ready_head());
    const std::uint64_t expect = final_head > c->ready_head() ? final_head - c->ready_head() : 0;
    std::vector<std::uint64_t> s = c->seqs();
    std::sort(s.begin(), s.end());
    const auto uniq_end = std::unique(s.begin(), s.end());
    const auto uniq = static_cast<std::uint64_t>(uniq_end - s.begin());
    std::uint64_t in_range = 0;
    for (auto it = s.begin(); it != uniq_end; ++it) {
      in_range += (*it > c->ready_head() && *it <= final_head) ? 1 : 0;
    }
    r.expected += expect;
    r.delivered += c->received();
    r.duplicates += c->received() - uniq;
    r.missing += expect - std::min(expect, in_range);
    r.out_of_order += c->out_of_order();
    r.clients_incomplete += in_range < expect ? 1 : 0;
  }
  r.events = final_head > min_ready ? final_head - min_ready : 0;
  r.mean_message_bytes =
      r.delivered > 0 ? static_cast<double>(event_bytes) / static_cast<double>(r.delivered) : 0;
  const Spread spread = SpreadOf(lat);
  r.p50_ms = spread.p50_ms;
  r.p99_ms = spread.p99_ms;
  r.max_ms = spread.max_ms;
  for (auto& c : clients) {
    c->Close();
  }
  clients.clear();
  // Give the server time to notice the closes before the next phase measures its memory.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  return r;
}

boost::json::object ToJson(const PhaseResult& r) {
  return {{"clients", r.clients},
          {"connected", r.connected},
          {"connect_failures", r.connect_failures},
          {"first_error", r.first_error},
          {"connect_seconds", r.connect_seconds},
          {"rss_before_kb", r.rss_before_kb},
          {"rss_after_kb", r.rss_after_kb},
          {"kb_per_connection", r.kb_per_connection},
          {"posts", r.posts},
          {"post_errors", r.post_errors},
          {"achieved_rate", r.achieved_rate},
          {"events", r.events},
          {"expected", r.expected},
          {"delivered", r.delivered},
          {"missing", r.missing},
          {"duplicates", r.duplicates},
          {"out_of_order", r.out_of_order},
          {"unknown_commit", r.unknown_commit},
          {"clients_incomplete", r.clients_incomplete},
          {"drained", r.drained},
          {"p50_ms", r.p50_ms},
          {"p99_ms", r.p99_ms},
          {"max_ms", r.max_ms},
          {"mean_message_bytes", r.mean_message_bytes},
          {"ok", r.ok()}};
}

// ---------------------------------------------------------------------------------------------
// The floor (--floor-bytes B): what this machine's kernel alone takes to put one message of B
// bytes on each of N loopback TCP connections, measured the same way as the server, so that the
// server's figure has a baseline from the same run (DESIGN.md §7). No WebSocket, no JSON, no
// Asio: a process with --io-threads threads (the server's I/O threads) calls write() on its share
// of the N accepted sockets; a child process reads them all with one epoll loop (a cheaper
// client than the Beast clients of the phases). Events are paced at --rate like the POSTs, and
// each message's latency runs from its due time (the analogue of the commit) to its arrival,
// so a round that overruns delays the next one as a backlog of events would.

struct FloorResult {
  bool ran = false;
  std::string error;
  int clients = 0;
  int connected = 0;
  int rounds = 0;
  int writers = 0;
  int bytes = 0;
  std::uint64_t expected = 0;
  std::uint64_t delivered = 0;
  Spread spread;
  double writer_cpu_ms_per_round = 0;
};

struct FloorShared {
  std::atomic<int> connected{0};
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<bool> done{false};
  Spread spread;
};  // followed in the same mapping by std::int64_t due_ns[rounds]

std::int64_t* DueTimes(FloorShared& fs) {
  static_assert(sizeof(FloorShared) % alignof(std::int64_t) == 0);
  return reinterpret_cast<std::int64_t*>(reinterpret_cast<char*>(&fs) + sizeof(FloorShared));
}

// Child: connect n sockets to `port`, read every message, record latencies, exit.
[[noreturn]] void FloorReader(int n, int rounds, int bytes, unsigned short port, FloorShared& fs) {
  const int ep = epoll_create1(0);
  std::vector<int> fds;
  std::vector<std::string> partial(static_cast<size_t>(n));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  for (int i = 0; i < n; ++i) {
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      std::perror("ws_fanout floor: connect");
      _exit(1);
    }
    fcntl(s, F_SETFL, O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    fds.push_back(s);
    fs.connected.fetch_add(1);
  }
  const std::int64_t* due = DueTimes(fs);
  std::vector<std::int64_t> lat;
  lat.reserve(static_cast<size_t>(n) * static_cast<size_t>(rounds));
  const std::uint64_t want = static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(rounds);
  std::vector<char> buf(64 * 1024);
  epoll_event evs[512];
  while (lat.size() < want) {
    const int k = epoll_wait(ep, evs, 512, 10'000);
    if (k <= 0) {
      break;  // nothing for 10 s: the writer is gone; report what arrived
    }
    for (int j = 0; j < k; ++j) {
      const auto i = evs[j].data.u32;
      while (true) {
        const auto got = read(fds[i], buf.data(), buf.size());
        if (got <= 0) {
          break;
        }
        const auto now = MonoNs();
        auto& part = partial[i];
        part.append(buf.data(), static_cast<size_t>(got));
        size_t off = 0;
        for (; off + static_cast<size_t>(bytes) <= part.size(); off += static_cast<size_t>(bytes)) {
          std::int32_t round = 0;
          std::memcpy(&round, part.data() + off, sizeof round);
          if (round >= 0 && round < rounds) {
            lat.push_back(now - due[round]);
          }
        }
        part.erase(0, off);
      }
    }
  }
  fs.spread = SpreadOf(lat);
  fs.delivered.store(lat.size());
  fs.done.store(true);
  _exit(0);
}

// Parent side. Must run while the process has no other thread (it forks).
FloorResult RawFloor(const Options& o) {
  FloorResult r;
  r.ran = true;
  r.clients = o.clients;
  r.rounds = o.events;
  // As many writers as the server will have I/O threads (its default unless --io-threads).
  r.writers = o.io_threads > 0 ? o.io_threads : static_cast<int>(cli::Config{}.io_threads);
  r.bytes = std::max(o.floor_bytes, 8);
  r.expected = static_cast<std::uint64_t>(r.clients) * static_cast<std::uint64_t>(r.rounds);
  const int ls = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t alen = sizeof a;
  if (ls < 0 || bind(ls, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(ls, 4096) != 0 ||
      getsockname(ls, reinterpret_cast<sockaddr*>(&a), &alen) != 0) {
    r.error = std::string("listen: ") + std::strerror(errno);
    return r;
  }
  const size_t shared_size =
      sizeof(FloorShared) + sizeof(std::int64_t) * static_cast<size_t>(r.rounds);
  void* mem = mmap(nullptr, shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) {
    close(ls);
    r.error = "mmap failed";
    return r;
  }
  auto* fs = new (mem) FloorShared();
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    close(ls);
    FloorReader(r.clients, r.rounds, r.bytes, ntohs(a.sin_port), *fs);
  }
  std::vector<int> conns;
  if (child > 0) {
    while (static_cast<int>(conns.size()) < r.clients) {
      const int c = accept(ls, nullptr, nullptr);
      if (c < 0) {
        r.error = std::string("accept: ") + std::strerror(errno);
        break;
      }
      conns.push_back(c);
    }
  } else {
    r.error = "fork failed";
  }
  close(ls);
  r.connected = static_cast<int>(conns.size());
  if (r.error.empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::string msg(static_cast<size_t>(r.bytes), 'x');
    const auto interval = static_cast<std::int64_t>(1e9 / o.rate);
    timespec c0{}, c1{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    const auto t0 = MonoNs() + 10'000'000;
    for (int k = 0; k < r.rounds; ++k) {
      const auto due = t0 + interval * k;
      while (MonoNs() < due) {
        std::this_thread::sleep_for(
            std::chrono::nanoseconds(std::min<std::int64_t>(due - MonoNs(), 5'000'000)));
      }
      DueTimes(*fs)[k] = due;
      std::memcpy(msg.data(), &k, sizeof k);
      auto write_share = [&](size_t first) {
        for (size_t i = first; i < conns.size(); i += static_cast<size_t>(r.writers)) {
          size_t off = 0;
          while (off < msg.size()) {
            const auto w = write(conns[i], msg.data() + off, msg.size() - off);
            if (w <= 0) {
              break;
            }
            off += static_cast<size_t>(w);
          }
        }
      };
      std::vector<std::thread> writers;
      for (int t = 1; t < r.writers; ++t) {
        writers.emplace_back(write_share, static_cast<size_t>(t));
      }
      write_share(0);
      for (auto& w : writers) {
        w.join();
      }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    r.writer_cpu_ms_per_round = (static_cast<double>(c1.tv_sec - c0.tv_sec) * 1e3 +
                                 static_cast<double>(c1.tv_nsec - c0.tv_nsec) / 1e6) /
                                r.rounds;
  }
  if (child > 0) {
    int status = 0;
    waitpid(child, &status, 0);
  }
  for (const int c : conns) {
    close(c);
  }
  r.delivered = fs->delivered.load();
  r.spread = fs->spread;
  if (r.error.empty() && !fs->done.load()) {
    r.error = "the reader did not finish";
  }
  munmap(mem, shared_size);
  return r;
}

boost::json::object ToJson(const FloorResult& r) {
  return {{"clients", r.clients},
          {"connected", r.connected},
          {"rounds", r.rounds},
          {"writers", r.writers},
          {"bytes", r.bytes},
          {"expected", r.expected},
          {"delivered", r.delivered},
          {"p50_ms", r.spread.p50_ms},
          {"p99_ms", r.spread.p99_ms},
          {"max_ms", r.spread.max_ms},
          {"writer_cpu_ms_per_round", r.writer_cpu_ms_per_round},
          {"error", r.error},
          {"ok", r.error.empty() && r.delivered == r.expected}};
}

int ClientMain(const Options& o, unsigned short port, const Shared& sh, pid_t server, long nofile,
               const FloorResult& floor) {
  HttpClient login(port);
  const auto res =
      login.Do(MakeRequest(http::verb::post, "/api/auth/login", "",
                           boost::json::serialize(boost::json::object{
                               {"username", "controller"}, {"password", cli::kDemoPassword}})));
  if (res.result_int() != 200) {
    std::fprintf(stderr, "ws_fanout: login failed (%d)\n", res.result_int());
    return 1;
  }
  const std::string token(boost::json::parse(res.body()).at("token").as_string());
  std::uint64_t post_counter = 0;
  std::vector<PhaseResult> results;
  for (int n : {o.baseline, o.clients}) {
    if (n <= 0) {
      continue;
    }
    std::fprintf(stderr, "ws_fanout: %d clients ...\n", n);
    results.push_back(RunPhase(o, n, port, token, sh, server, post_counter));
    const auto& r = results.back();
    if (!r.first_error.empty()) {
      std::fprintf(stderr, "ws_fanout: %d of %d clients not connected; first error: %s\n",
                   r.connect_failures, n, r.first_error.c_str());
    }
  }
  std::printf("%8s %9s %8s %7s %10s %10s %8s %5s %9s %9s %9s %9s\n", "clients", "connected",
              "conn s", "events", "expected", "delivered", "missing", "dups", "p50 ms", "p99 ms",
              "max ms", "KB/conn");
  boost::json::array phases;
  bool ok = true;
  for (const auto& r : results) {
    std::printf(
        "%8d %9d %8.1f %7llu %10llu %10llu %8llu %5llu %9.2f %9.2f %9.2f %9.1f\n", r.clients,
        r.connected, r.connect_seconds, static_cast<unsigned long long>(r.events),
        static_cast<unsigned long long>(r.expected), static_cast<unsigned long long>(r.delivered),
        static_cast<unsigned long long>(r.missing), static_cast<unsigned long long>(r.duplicates),
        r.p50_ms, r.p99_ms, r.max_ms, r.kb_per_connection);
    phases.push_back(ToJson(r));
    ok = ok && r.ok();
  }
  if (!o.json_out.empty()) {
    std::ofstream(o.json_out) << boost::json::serialize(boost::json::object{
        {"clients", o.clients},
        {"baseline_clients", o.baseline},
        {"events", o.events},
        {"rate", o.rate},
        {"client_threads", o.threads},
        {"server_io_threads", o.io_threads},
        {"nofile_limit", nofile},
        {"phases", phases},
        {"floor", floor.ran ? boost::json::value(ToJson(floor)) : boost::json::value(nullptr)}});
  }
  return ok ? 0 : 1;
}

// Raises RLIMIT_NOFILE to `need` (soft, up to the hard limit). Returns the soft limit reached.
long RaiseNoFile(long need) {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur != RLIM_INFINITY && static_cast<long>(rl.rlim_cur) < need) {
    rl.rlim_cur = (rl.rlim_max == RLIM_INFINITY || static_cast<long>(rl.rlim_max) >= need)
                      ? static_cast<rlim_t>(need)
                      : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  return rl.rlim_cur == RLIM_INFINITY ? need : static_cast<long>(rl.rlim_cur);
}

int Main(const Options& o) {
  spdlog::set_level(spdlog::level::warn);
  // Each process holds one end of every connection, plus SQLite, listener, epoll, pipes.
  const long need = std::max(o.clients, o.baseline) + 256;
  const long nofile = RaiseNoFile(need);
  if (nofile < need) {
    std::fprintf(stderr,
                 "ws_fanout: RLIMIT_NOFILE is %ld (hard limit); %d clients need %ld descriptors "
                 "per process. Raise the hard limit (ulimit -Hn) or use --clients %ld.\n",
                 nofile, std::max(o.clients, o.baseline), need, nofile - 256);
    return 1;
  }
  FloorResult floor;
  if (o.floor_bytes > 0) {
    std::fprintf(stderr, "ws_fanout: floor, %d loopback sockets, write() of %d bytes ...\n",
                 o.clients, o.floor_bytes);
    floor = RawFloor(o);
    if (!floor.error.empty()) {
      std::fprintf(stderr, "ws_fanout: floor: %s\n", floor.error.c_str());
    }
  }
  void* mem =
      mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) {
    std::perror("ws_fanout: mmap");
    return 1;
  }
  auto* sh = new (mem) Shared();
  int port_pipe[2];
  if (pipe(port_pipe) != 0) {
    std::perror("ws_fanout: pipe");
    return 1;
  }
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child < 0) {
    std::perror("ws_fanout: fork");
    return 1;
  }
  if (child == 0) {
    // Clients. No thread exists yet in this process.
    close(port_pipe[1]);
    unsigned short port = 0;
    const auto got = read(port_pipe[0], &port, sizeof port);
    close(port_pipe[0]);
    if (got != sizeof port || port == 0) {
      _exit(1);  // the server did not start; the parent says why
    }
    int rc = 1;
    try {
      rc = ClientMain(o, port, *sh, getppid(), nofile, floor);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ws_fanout: client side: %s\n", e.what());
    }
    std::fflush(nullptr);
    _exit(rc);
  }
  // Server.
  close(port_pipe[0]);
  const std::string dir = ScratchDir("ws");
  cli::StackOptions so = cli::StackOptionsFromConfig(cli::Config{});
  so.data_dir = dir;
  so.password_cost = PasswordCost::Minimum();
  so.demo = true;
  so.app.version = kVersion;
  so.server.host = "127.0.0.1";
  so.server.port = 0;
  if (o.io_threads > 0) {
    so.server.io_threads = static_cast<size_t>(o.io_threads);
  }
  auto stack = cli::Stack::Open(so);
  unsigned short port = 0;
  std::uint64_t sub = 0;
  if (stack.ok() && (*stack)->Start().ok()) {
    cli::Stack& st = **stack;
    sh->head.store(st.engine().HeadSeq());
    sub = st.engine().Subscribe([sh](const Engine::EventBatch& events) {
      const auto now = MonoNs();
      for (const auto& e : *events) {
        auto& s = sh->slots[e.seq % kSlots];
        s.seq.store(0, std::memory_order_release);
        s.ns.store(now, std::memory_order_release);
        s.seq.store(e.seq, std::memory_order_release);
        sh->head.store(std::max(sh->head.load(), e.seq), std::memory_order_release);
      }
    });
    port = st.port();
  } else {
    std::fprintf(stderr, "ws_fanout: the server did not start\n");
  }
  [[maybe_unused]] const auto w = write(port_pipe[1], &port, sizeof port);
  close(port_pipe[1]);
  int status = 0;
  waitpid(child, &status, 0);
  if (port != 0) {
    (*stack)->engine().Unsubscribe(sub);
    (*stack)->Stop();
  }
  if (stack.ok()) {
    stack->reset();  // the Stack closes its files before the folder goes
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  munmap(mem, sizeof(Shared));
  if (port == 0) {
    return 1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace
}  // namespace concordat::bench

int main(int argc, char** argv) {
  concordat::bench::Options o;
  const char* usage =
      "usage: concordat_ws_fanout [--clients N (1..60000, default 10000)] [--baseline N (0..60000, "
      "default 100)] [--events K (1..60000, default 200)] [--rate PER_S (0.1..10000, default 20)] "
      "[--threads T (1..64, default 2)] [--io-threads T (1..64, default: the server's "
      "default)] [--floor-bytes B (0..65536, default 0: no floor)] [--wait S (1..3600, default "
      "60)] "
      "[--json FILE]\n";
  namespace b = concordat::bench;
  const auto one = [&o](const std::string& flag, const std::string& value) {
    if (flag == "--clients") return b::ParseInt(value, 1, 60000, o.clients);
    if (flag == "--baseline") return b::ParseInt(value, 0, 60000, o.baseline);
    if (flag == "--events") return b::ParseInt(value, 1, 60000, o.events);
    if (flag == "--rate") return b::ParseDouble(value, 0.1, 10000, o.rate);
    if (flag == "--threads") return b::ParseInt(value, 1, 64, o.threads);
    if (flag == "--io-threads") return b::ParseInt(value, 1, 64, o.io_threads);
    if (flag == "--floor-bytes") return b::ParseInt(value, 0, 65536, o.floor_bytes);
    if (flag == "--wait") return b::ParseDouble(value, 1, 3600, o.wait_seconds);
    if (flag == "--json" && !value.empty()) {
      o.json_out = value;
      return true;
    }
    return false;
  };
  if (!b::ParseFlags(argc, argv, "concordat_ws_fanout", usage, one)) {
    return 2;
  }
  return concordat::bench::Main(o);
}
