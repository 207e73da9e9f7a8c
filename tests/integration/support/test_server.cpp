// The only integration-test file that includes Beast: blocking clients built on one private
// io_context each, every wait bounded by a deadline.
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <concordat/version.hpp>
#include <deque>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "cli/stack.hpp"

namespace concordat::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kHttpTimeout = std::chrono::seconds(30);
constexpr auto kConnectTimeout = std::chrono::seconds(10);

tcp::endpoint Loopback(unsigned short port) {
  return tcp::endpoint(net::ip::make_address_v4("127.0.0.1"), port);
}

// Runs `ioc` until `done` is set, the deadline passes or the context runs out of work.
bool RunUntil(net::io_context& ioc, const bool& done, Clock::time_point deadline) {
  while (!done) {
    if (ioc.stopped()) {
      ioc.restart();
    }
    if (ioc.run_one_until(deadline) == 0) {
      break;
    }
  }
  return done;
}

boost::json::value ParseOrNull(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? boost::json::value(nullptr) : v;
}

std::string Lower(std::string s) {
  for (auto& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

}  // namespace

// ---- HttpClient ----

struct HttpClient::Impl {
  unsigned short port;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  explicit Impl(unsigned short p) : port(p) {}

  bool Connect() {
    stream.emplace(ioc);
    buffer.clear();
    bool done = false;
    beast::error_code ec;
    stream->expires_after(kConnectTimeout);
    stream->async_connect(Loopback(port), [&](beast::error_code e) {
      ec = e;
      done = true;
    });
    if (!RunUntil(ioc, done, Clock::now() + kConnectTimeout + std::chrono::seconds(1)) || ec) {
      stream.reset();
      return false;
    }
    return true;
  }

  void Drop() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().close(ignored);
      ioc.restart();
      ioc.poll();  // let aborted handlers finish before the stream goes
      stream.reset();
    }
  }

  // One request/response on the open connection. The write and the read run together, so a
  // server that answers before reading the whole body (413) is still heard.
  bool Exchange(const http::request<http::string_body>& req, HttpResult& out, bool& got_bytes) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    bool write_done = false;
    bool read_done = false;
    beast::error_code read_ec;
    stream->expires_after(kHttpTimeout);
    http::async_write(*stream, req, [&](beast::error_code, std::size_t) { write_done = true; });
    http::async_read(*stream, buffer, parser, [&](beast::error_code e, std::size_t) {
      read_ec = e;
      read_done = true;
    });
    RunUntil(ioc, read_done, Clock::now() + kHttpTimeout + std::chrono::seconds(1));
    got_bytes = parser.got_some();
    if (!read_done || read_ec || !write_done) {
      Drop();  // the connection's state is unknown: never reuse it
      if (!read_done || read_ec) {
        return false;
      }
    }
    auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    out.body = res.body();
    for (const auto& f : res) {
      out.headers[Lower(std::string(f.name_string()))] = std::string(f.value());
    }
    out.json = ParseOrNull(out.body);
    if (!res.keep_alive()) {
      Drop();
    }
    return true;
  }
};

HttpClient::HttpClient(unsigned short port) : impl_(std::make_unique<Impl>(port)) {}
HttpClient::~HttpClient() {
  if (impl_) {
    impl_->Drop();
  }
}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResult HttpClient::Send(const std::string& method, const std::string& target,
                            const std::string& body,
                            const std::map<std::string, std::string>& headers) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1:" + std::to_string(impl_->port));
  for (const auto& [k, v] : headers) {
    req.set(k, v);
  }
  req.body() = body;
  req.prepare_payload();
  if (method == "GET" && body.empty()) {
    req.erase(http::field::content_length);
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = impl_->stream.has_value();
    if (!reused && !impl_->Connect()) {
      return {};
    }
    HttpResult out;
    bool got_bytes = false;
    if (impl_->Exchange(req, out, got_bytes)) {
      return out;
    }
    if (!reused || got_bytes) {
      return {};  // a fresh connection failed, or the server had started answering
    }
  }
  return {};
}

HttpResult HttpClient::Get(const std::string& target, const std::string& token) {
  std::map<std::string, std::string> h;
  if (!token.empty()) {
    h["Authorization"] = "Bearer " + token;
  }
  return Send("GET", target, "", h);
}

HttpResult HttpClient::Post(const std::string& target, const std::string& token,
                            const boost::json::value& body, const std::string& idempotency_key) {
  std::map<std::string, std::string> h{{"Content-Type", "application/json"}};
  if (!token.empty()) {
    h["Authorization"] = "Bearer " + token;
  }
  if (!idempotency_key.empty()) {
    h["Idempotency-Key"] = idempotency_key;
  }
  return Send("POST", target, boost::json::serialize(body), h);
}

// ---- WsClient ----

struct WsClient::Impl {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  std::deque<std::string> inbox;
  bool reading = false;
  bool closed = false;

  void StartRead() {
    reading = true;
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      reading = false;
      if (ec) {
        closed = true;
        return;
      }
      inbox.push_back(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
    });
  }

  void Drop() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws).socket().close(ignored);
    closed = true;
    ioc.restart();
    ioc.poll();
  }
};

WsClient::WsClient() = default;
WsClient::~WsClient() {
  if (impl_) {
    impl_->Drop();
  }
}
WsClient::WsClient(WsClient&&) noexcept = default;
WsClient& WsClient::operator=(WsClient&&) noexcept = default;

bool WsClient::Connect(unsigned short port, const std::string& target) {
  if (impl_) {
    impl_->Drop();
  }
  impl_ = std::make_unique<Impl>();
  auto& lowest = beast::get_lowest_layer(impl_->ws);
  const auto deadline = Clock::now() + kConnectTimeout;
  lowest.expires_after(kConnectTimeout);
  bool done = false;
  beast::error_code ec;
  lowest.async_connect(Loopback(port), [&](beast::error_code e) {
    ec = e;
    done = true;
  });
  if (!RunUntil(impl_->ioc, done, deadline) || ec) {
    impl_->Drop();
    return false;
  }
  done = false;
  impl_->ws.async_handshake("127.0.0.1:" + std::to_string(port), target, [&](beast::error_code e) {
    ec = e;
    done = true;
  });
  if (!RunUntil(impl_->ioc, done, deadline) || ec) {
    impl_->Drop();
    return false;
  }
  lowest.expires_never();
  impl_->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  impl_->ws.read_message_max(64u << 20);
  return true;
}

void WsClient::Send(const std::string& text) {
  if (!impl_ || impl_->closed) {
    return;
  }
  bool done = false;
  beast::error_code ec;
  impl_->ws.text(true);
  impl_->ws.async_write(net::buffer(text), [&](beast::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  if (!RunUntil(impl_->ioc, done, Clock::now() + std::chrono::seconds(10)) || ec) {
    impl_->Drop();
  }
}

std::optional<boost::json::value> WsClient::Next(std::chrono::milliseconds timeout) {
  if (!impl_) {
    return std::nullopt;
  }
  const auto deadline = Clock::now() + timeout;
  while (impl_->inbox.empty() && !impl_->closed) {
    if (!impl_->reading) {
      impl_->StartRead();
    }
    if (impl_->ioc.stopped()) {
      impl_->ioc.restart();
    }
    if (impl_->ioc.run_one_until(deadline) == 0) {
      break;
    }
  }
  if (impl_->inbox.empty()) {
    return std::nullopt;
  }
  std::string text = std::move(impl_->inbox.front());
  impl_->inbox.pop_front();
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? boost::json::value(text) : v;
}

void WsClient::Close() {
  if (impl_) {
    impl_->Drop();
  }
}

bool WsClient::closed() const { return !impl_ || (impl_->closed && impl_->inbox.empty()); }

// ---- TestServer ----

namespace {

std::string MakeTempDir() {
  std::string dir = (std::filesystem::temp_directory_path() / "concordat-it-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) {
    throw std::runtime_error("TestServer: cannot make a temporary folder");
  }
  return dir;
}

// Builds and starts the stack on `dir`; nullptr when the port cannot be bound.
std::unique_ptr<cli::Stack> StartStack(const TestServerOptions& o, const std::string& dir,
                                       unsigned short port) {
  cli::StackOptions so = cli::StackOptionsFromConfig(cli::Config{});
  so.data_dir = dir;
  so.database_url = o.database_url;
  so.password_cost = PasswordCost::Minimum();
  so.demo = o.demo;
  so.virtual_clock = o.virtual_clock;
  if (o.virtual_clock && !o.virtual_start.empty()) {
    auto t = ParseIso(o.virtual_start, "virtual_start");
    if (!t.ok()) {
      throw std::runtime_error("TestServer: " + t.error().message);
    }
    so.virtual_start = *t;
  }
  so.app.version = kVersion;
  if (o.list_slice != 0) so.app.list_slice = o.list_slice;
  // Scenarios move the virtual clock by days; sessions outlive them (expiry has its own test).
  so.app.token_ttl = Hours(24 * 400);
  so.server.host = "127.0.0.1";
  so.server.ws_hello_seconds = o.ws_hello_seconds;
  so.server.port = port;
  auto stack = cli::Stack::Open(so);
  if (!stack.ok()) {
    throw std::runtime_error("TestServer: " + stack.error().message);
  }
  if (auto st = (*stack)->Start(); !st.ok()) {
    if (port != 0) {
      return nullptr;
    }
    throw std::runtime_error("TestServer: " + st.error().message);
  }
  return std::move(*stack);
}

// The demo seed runs a few hundred commands, one fsync each. On a virtual clock the result is the
// same every time, so it is made once per process and start time, and each server starts from a
// copy of those files (re-running the seed then finds every command already done).
class SeedTemplates {
 public:
  ~SeedTemplates() {
    for (const auto& [start, dir] : dirs_) {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  }
  void CopyInto(const TestServerOptions& o, const std::string& target) {
    std::string source;
    {
      std::lock_guard lock(mu_);
      auto it = dirs_.find(o.virtual_start);
      if (it == dirs_.end()) {
        const std::string dir = MakeTempDir();
        StartStack(o, dir, 0).reset();  // seeds, then shuts down cleanly
        it = dirs_.emplace(o.virtual_start, dir).first;
      }
      source = it->second;
    }
    for (const auto& entry : std::filesystem::directory_iterator(source)) {
      if (!entry.path().string().ends_with("-shm")) {
        std::filesystem::copy_file(entry.path(),
                                   std::filesystem::path(target) / entry.path().filename());
      }
    }
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> dirs_;  // virtual start → seeded data folder
};

}  // namespace

TestServer::TestServer(TestServerOptions o) : options_(std::move(o)) {
  spdlog::set_level(spdlog::level::warn);
  data_dir_ = MakeTempDir();
  if (options_.demo && options_.virtual_clock) {
    static SeedTemplates templates;
    templates.CopyInto(options_, data_dir_);
  }
  Start(0);
}

TestServer::~TestServer() {
  stack_.reset();
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
}

void TestServer::Start(unsigned short port) {
  stack_ = StartStack(options_, data_dir_, port);
  if (!stack_) {
    stack_ = StartStack(options_, data_dir_, 0);  // the old port is taken: any free one will do
  }
  port_ = stack_->port();
}

unsigned short TestServer::port() const { return port_; }

std::string TestServer::Login(const std::string& username, const std::string& password) {
  HttpClient http(port_);
  auto r = http.Post("/api/auth/login", "",
                     boost::json::object{{"username", username}, {"password", password}});
  if (r.status != 200 || !r.json.is_object() || !r.json.as_object().contains("token")) {
    ADD_FAILURE() << "sign-in as " << username << " failed: " << r.status << " " << r.body;
    return "";
  }
  return std::string(r.json.at("token").as_string());
}

concordat::Engine& TestServer::engine() { return stack_->engine(); }
concordat::api::App& TestServer::app() { return stack_->app(); }
concordat::UsersStore& TestServer::users() { return stack_->users(); }
const std::string& TestServer::data_dir() const { return data_dir_; }

void TestServer::Restart() {
  const unsigned short old_port = port_;
  stack_.reset();
  Start(old_port);
}

HttpResult TestServer::Advance(int seconds) {
  if (admin_token_.empty()) {
    admin_token_ = Login("admin");
  }
  static std::atomic<std::uint64_t> counter{0};
  const std::string key = "test-advance-" +
                          std::to_string(Clock::now().time_since_epoch().count()) + "-" +
                          std::to_string(counter.fetch_add(1)) + "-" + std::to_string(++advances_);
  HttpClient http(port_);
  return http.Post("/api/admin/clock/advance", admin_token_,
                   boost::json::object{{"seconds", seconds}}, key);
}

boost::json::object WelfareIncidentBody(const std::string& caller, const std::string& phone) {
  return {{"channel", "999"},
          {"caller", {{"name", caller}, {"phone", phone}}},
          {"location",
           {{"lat", 51.4613},
            {"lon", -0.1156},
            {"address", "1 Acre Lane"},
            {"type", "private_dwelling"}}},
          {"type", "concern_for_welfare"},
          {"grade", "S"},
          {"flags", {"mental_health"}},
          {"description", "welfare concern"}};
}

std::string RawWebSocketExchange(unsigned short port, const std::string& frames,
                                 std::chrono::milliseconds wait, const std::string& target) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(Loopback(port), ec);
  if (ec) {
    return "";
  }
  const std::string upgrade = "GET " + target +
                              " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Key: "
                              "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  net::write(socket, net::buffer(upgrade), ec);
  std::string in;
  std::array<char, 4096> buf{};
  const auto deadline = Clock::now() + wait;
  // Reads what has come, waiting up to the deadline; false once the server has closed (or the
  // deadline passed).
  auto read_some = [&]() {
    while (Clock::now() < deadline) {
      pollfd pfd{socket.native_handle(), POLLIN, 0};
      if (::poll(&pfd, 1, 20) > 0) {
        const size_t n = socket.read_some(net::buffer(buf), ec);
        if (ec) return false;
        in.append(buf.data(), n);
        return true;
      }
    }
    return false;
  };
  while (in.find("\r\n\r\n") == std::string::npos) {
    if (!read_some()) return "";
  }
  const size_t end = in.find("\r\n\r\n") + 4;
  if (in.rfind("HTTP/1.1 101", 0) != 0) {
    return "";
  }
  in.erase(0, end);
  net::write(socket, net::buffer(frames), ec);
  while (read_some()) {
  }
  return in;
}

std::string MaskedFrame(unsigned char opcode, const std::string& payload, bool final) {
  std::string f;
  f.push_back(static_cast<char>((final ? 0x80 : 0x00) | opcode));
  const size_t n = payload.size();
  if (n < 126) {
    f.push_back(static_cast<char>(0x80 | n));
  } else if (n <= 0xFFFF) {
    f.push_back(static_cast<char>(0x80 | 126));
    f.push_back(static_cast<char>(n >> 8));
    f.push_back(static_cast<char>(n & 0xFF));
  } else {
    f.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      f.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xFF));
    }
  }
  const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
  f.append(reinterpret_cast<const char*>(key), 4);
  for (size_t i = 0; i < n; ++i) {
    f.push_back(static_cast<char>(static_cast<unsigned char>(payload[i]) ^ key[i % 4]));
  }
  return f;
}

std::vector<WsFrame> ServerFrames(const std::string& bytes) {
  std::vector<WsFrame> out;
  size_t pos = 0;
  while (bytes.size() - pos >= 2) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
    std::uint64_t len = p[1] & 0x7F;
    const size_t ext = len == 126 ? 2 : len == 127 ? 8 : 0;
    if (bytes.size() - pos < 2 + ext) break;
    if (ext > 0) {
      len = 0;
      for (size_t i = 0; i < ext; ++i) len = (len << 8) | p[2 + i];
    }
    if (bytes.size() - pos < 2 + ext + len) break;
    out.push_back(WsFrame{static_cast<unsigned char>(p[0] & 0x0F),
                          bytes.substr(pos + 2 + ext, static_cast<size_t>(len))});
    pos += 2 + ext + static_cast<size_t>(len);
  }
  return out;
}

}  // namespace concordat::testing
