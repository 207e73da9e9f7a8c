#include "api/server.hpp"

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/json_fields.hpp"

namespace concordat::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Expected disconnects are not errors worth logging.
bool Benign(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
         ec == beast::error::timeout || ec == websocket::error::closed ||
         ec == net::error::connection_reset || ec == net::error::eof ||
         ec == net::error::broken_pipe;
}

std::string ContentType(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".geojson", "application/geo+json"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}};
  for (const auto& [ext, type] : kTypes) {
    if (path.size() >= std::strlen(ext) && path.ends_with(ext)) {
      return type;
    }
  }
  return "application/octet-stream";
}

HttpResponse StaticFile(const std::string& web_dir, const std::string& path) {
  namespace fs = std::filesystem;
  if (web_dir.empty() || !fs::exists(web_dir + "/index.html")) {
    return ErrorResponse(Error::NotFound(
        "the web app is not built here; run the README's run command (it builds web/dist)"));
  }
  if (path.find("..") != std::string::npos || path.find('\0') != std::string::npos) {
    return ErrorResponse(Error::InvalidArgument("path", "bad path"));
  }
  std::string rel = path == "/" ? "/index.html" : path;
  fs::path full = fs::path(web_dir) / rel.substr(1);
  std::error_code ec;
  if (!fs::is_regular_file(full, ec)) {
    // Client-side routes (no file extension) get the app shell.
    const auto last = rel.substr(rel.rfind('/') + 1);
    if (last.find('.') != std::string::npos) {
      return ErrorResponse(Error::NotFound("no file " + path));
    }
    full = fs::path(web_dir) / "index.html";
    rel = "/index.html";
  }
  std::ifstream in(full, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  HttpResponse r;
  r.content_type = ContentType(rel);
  r.body = ss.str();
  r.headers.emplace_back("Cache-Control",
                         rel.starts_with("/assets/") ? "public, max-age=31536000" : "no-cache");
  return r;
}

// One WebSocket connection. Beast does the handshake; from then on the session reads the
// client's frames itself and frames its own writes, so that every frame queued while the
// previous write was in flight goes out in one write (one system call) rather than one write per
// event. Reads take the hello, then only watch for ping, close and loss (later client messages
// are ignored, as StreamHub says). Beast's
// keep-alive pings are replaced by the same here: after 150 s with nothing heard a ping, after
// 300 s the connection is dropped.
//
// Why not Beast's websocket::stream for the writes and reads too (the project prefers the
// library to hand-written protocol code): measured A/B, with the hub changes and SendAll kept
// and only the session differing (Beast variant: one ws_.async_write per queued frame in turn,
// an async_read loop, timeout::suggested(server), async_close). concordat_ws_fanout --baseline
// 100 --events 200 --rate 20, runs interleaved hand/Beast x3, shared 2-core machine (load ~4);
// CPU is user+sys of the whole bench (server and client processes), medians:
//   10,000 clients: hand p50 470 ms, p99 1,771 ms, CPU 45.8 s;
//                   Beast p50 638 ms, p99 6,702 ms, CPU 83.8 s (p99 3.8x, CPU 1.8x; per run
//                   p99 hand 2,601/1,288/1,771, Beast 6,702/15,230/2,977 ms).
//    1,000 clients: hand p50 14.3 ms, p99 38.1 ms, CPU 9.2 s;
//                   Beast p50 13.4 ms, p99 46.5 ms, CPU 8.7 s (within noise).
// At the design load (DESIGN.md §7) one write per frame costs the single I/O thread too much,
// so the framing stays here; below ~1,000 clients Beast alone would do.
class WsSession : public StreamSink, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket&& socket, App& app, int hello_seconds)
      : ws_(std::move(socket)), app_(app), timer_(ws_.get_executor()),
        hello_seconds_(hello_seconds) {}

  void Start(http::request<http::string_body> req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept(req, beast::bind_front_handler(&WsSession::OnAccept, shared_from_this()));
  }

  void Send(std::shared_ptr<const std::string> text) override {
    std::vector<std::shared_ptr<const std::string>> v;
    v.push_back(std::move(text));
    SendAll(std::move(v));
  }

  void SendAll(std::vector<std::shared_ptr<const std::string>> texts) override {
    if (texts.empty()) {
      return;
    }
    queued_.fetch_add(texts.size(), std::memory_order_relaxed);
    // One task for the lot (the hub sends each client everything of a pass at once).
    net::post(ws_.get_executor(), [self = shared_from_this(), texts = std::move(texts)]() mutable {
      if (self->closed_ || self->close_queued_) {
        self->queued_.fetch_sub(texts.size(), std::memory_order_relaxed);
        return;
      }
      for (auto& t : texts) {
        self->queue_.push_back(Frame{std::move(t), kText});
      }
      self->WriteNext();
    });
  }

  size_t Queued() const override { return queued_.load(std::memory_order_relaxed); }

  void Close(const std::string&) override {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      if (self->closed_ || self->close_queued_) {
        return;
      }
      self->close_queued_ = true;
      self->queue_.push_back(Frame{CloseFrame(websocket::close_code::normal), kClose});
      self->WriteNext();
    });
  }

 private:
  static constexpr unsigned char kText = 0x1;
  static constexpr unsigned char kClose = 0x8;
  static constexpr unsigned char kPing = 0x9;
  static constexpr unsigned char kPong = 0xA;
  static constexpr size_t kMaxWrite = 64 * 1024;  // frames joined into one write, up to this
  static constexpr size_t kMaxHello = 64 * 1024;

  struct Frame {
    std::shared_ptr<const std::string> payload;
    unsigned char opcode;
  };

  static std::shared_ptr<const std::string> CloseFrame(std::uint16_t code) {
    std::string p;
    p.push_back(static_cast<char>(code >> 8));
    p.push_back(static_cast<char>(code & 0xFF));
    return std::make_shared<const std::string>(std::move(p));
  }

  // A server frame (RFC 6455 5.2): final, unmasked.
  static void AppendFrame(std::string& out, unsigned char opcode, const std::string& payload) {
    const std::uint64_t n = payload.size();
    out.push_back(static_cast<char>(0x80 | opcode));
    if (n < 126) {
      out.push_back(static_cast<char>(n));
    } else if (n <= 0xFFFF) {
      out.push_back(static_cast<char>(126));
      out.push_back(static_cast<char>(n >> 8));
      out.push_back(static_cast<char>(n & 0xFF));
    } else {
      out.push_back(static_cast<char>(127));
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((n >> shift) & 0xFF));
      }
    }
    out += payload;
  }

  void OnAccept(beast::error_code ec) {
    if (ec) {
      return;
    }
    // Beast is done with: its timer off, so that it never writes (pings) or closes by itself.
    // The hello is read here too, not with Beast's async_read: Beast reads ahead into a buffer of
    // its own, so a frame that came in the same packet as the hello (a ping, a close) was lost.
    ws_.set_option(websocket::stream_base::timeout{websocket::stream_base::none(),
                                                   websocket::stream_base::none(), false});
    sub_ = app_.stream().Open(weak_from_this());
    timer_.expires_after(std::chrono::seconds(hello_seconds_));
    timer_.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e && self->awaiting_hello_) {
        self->Finish();  // connected but never said hello
      }
    });
    Read();
  }

  // A client frame's payload (RFC 6455 5.3: XOR with the 4-byte key before it), appended to out.
  static void AppendUnmasked(std::string& out, const unsigned char* frame, size_t hdr, size_t len) {
    const unsigned char* key = frame + hdr - 4;
    const size_t start = out.size();
    out.append(reinterpret_cast<const char*>(frame + hdr), len);
    for (size_t i = 0; i < len; ++i) {
      out[start + i] = static_cast<char>(static_cast<unsigned char>(out[start + i]) ^ key[i % 4]);
    }
  }

  // A fragment of the first data message (Parse has checked its size): the whole message is
  // handed to the hub.
  void OnHelloFrame(const unsigned char* frame, size_t hdr, size_t len) {
    AppendUnmasked(hello_, frame, hdr, len);
    if ((frame[0] & 0x80) != 0) {  // the final fragment
      awaiting_hello_ = false;
      std::string text;
      text.swap(hello_);
      ArmIdle();
      app_.stream().OnText(sub_, text);
    }
  }

  void Read() {
    ws_.next_layer().async_read_some(
        net::buffer(rbuf_), beast::bind_front_handler(&WsSession::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t n) {
    if (ec || closed_) {
      Finish();
      return;
    }
    heard_ = true;
    in_.append(rbuf_.data(), n);
    if (!Parse()) {
      Finish();
      return;
    }
    Read();
  }

  // The client's frames: the hello taken, later data skipped, a ping answered, a close answered
  // and then the connection ended once the answer is written. False on a protocol error or when
  // the peer closed after us.
  bool Parse() {
    size_t pos = 0;
    while (true) {
      if (skip_ > 0) {
        const auto k = static_cast<size_t>(std::min<std::uint64_t>(skip_, in_.size() - pos));
        pos += k;
        skip_ -= k;
        if (skip_ > 0) {
          break;
        }
        continue;
      }
      const size_t avail = in_.size() - pos;
      if (avail < 2) {
        break;
      }
      const auto* p = reinterpret_cast<const unsigned char*>(in_.data() + pos);
      const unsigned char op = p[0] & 0x0F;
      std::uint64_t len = p[1] & 0x7F;
      const size_t ext = len == 126 ? 2 : len == 127 ? 8 : 0;
      const size_t hdr = 2 + ext + 4;  // clients always mask (RFC 6455 5.1)
      if ((p[1] & 0x80) == 0) {
        return false;
      }
      if (avail < hdr) {
        break;
      }
      if (ext > 0) {
        len = 0;
        for (size_t i = 0; i < ext; ++i) {
          len = (len << 8) | p[2 + i];
        }
      }
      if (op < 0x8) {
        if (awaiting_hello_) {
          if (len > kMaxHello - hello_.size()) {
            return false;  // larger than a hello can be
          }
          if (avail < hdr + len) {
            break;  // each fragment is taken whole
          }
          OnHelloFrame(p, hdr, static_cast<size_t>(len));
          pos += hdr + static_cast<size_t>(len);
          continue;
        }
        pos += hdr;
        skip_ = len;
        continue;
      }
      if (len > 125 || (p[0] & 0x80) == 0) {
        return false;  // control frames are short and never fragmented
      }
      if (avail < hdr + len) {
        break;
      }
      std::string payload;
      AppendUnmasked(payload, p, hdr, static_cast<size_t>(len));
      pos += hdr + len;
      if (op == kPing && !close_queued_) {
        queue_.push_back(Frame{std::make_shared<const std::string>(std::move(payload)), kPong});
        WriteNext();
      } else if (op == kClose) {
        peer_closed_ = true;
        if (close_sent_) {
          return false;  // the answer to ours: done
        }
        if (!close_queued_) {
          // Answer now, ahead of anything still queued (the peer reads no more).
          close_queued_ = true;
          for (const auto& f : queue_) {
            queued_.fetch_sub(f.opcode == kText ? 1 : 0, std::memory_order_relaxed);
          }
          queue_.clear();
          queue_.push_back(Frame{CloseFrame(websocket::close_code::normal), kClose});
          WriteNext();
        }
        in_.clear();
        skip_ = 0;
        return true;
      }
    }
    in_.erase(0, pos);
    return true;
  }

  void WriteNext() {
    if (writing_) {
      return;
    }
    if (closed_) {
      queued_.store(0);
      queue_.clear();
      return;
    }
    if (queue_.empty()) {
      return;
    }
    out_.clear();
    while (!queue_.empty() &&
           (out_.empty() || out_.size() + queue_.front().payload->size() + 14 <= kMaxWrite)) {
      const Frame& f = queue_.front();
      AppendFrame(out_, f.opcode, *f.payload);
      writing_data_ += f.opcode == kText ? 1 : 0;
      const bool close = f.opcode == kClose;
      queue_.pop_front();
      if (close) {
        writing_close_ = true;
        for (const auto& rest : queue_) {  // nothing follows a close
          queued_.fetch_sub(rest.opcode == kText ? 1 : 0, std::memory_order_relaxed);
        }
        queue_.clear();
        break;
      }
    }
    writing_ = true;
    net::async_write(ws_.next_layer(), net::buffer(out_),
                     beast::bind_front_handler(&WsSession::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    writing_ = false;
    queued_.fetch_sub(writing_data_, std::memory_order_relaxed);
    writing_data_ = 0;
    if (out_.capacity() > 16 * 1024) {
      std::string().swap(out_);  // memory per connection stays small after a burst
    }
    if (ec) {
      Finish();
      return;
    }
    if (writing_close_) {
      writing_close_ = false;
      close_sent_ = true;
      if (peer_closed_) {
        Finish();
        return;
      }
      beast::error_code ignored;  // the peer answers our close, then the read side ends
      ws_.next_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    WriteNext();
  }

  void ArmIdle() {
    timer_.expires_after(std::chrono::seconds(150));
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) {
        self->OnIdle();
      }
    });
  }

  void OnIdle() {
    if (closed_) {
      return;
    }
    if (heard_) {
      heard_ = false;
      pinged_ = false;
    } else if (!pinged_) {
      pinged_ = true;
      if (!close_queued_) {
        queue_.push_back(Frame{std::make_shared<const std::string>(), kPing});
        WriteNext();
      }
    } else {
      Finish();  // nothing heard for 300 s, not even a pong: the peer is gone
      return;
    }
    ArmIdle();
  }

  // The connection is over: the socket closed, the subscription ended (once).
  void Finish() {
    if (closed_) {
      return;
    }
    closed_ = true;
    queue_.clear();
    queued_.store(0);
    timer_.cancel();
    beast::error_code ignored;
    ws_.next_layer().socket().close(ignored);
    app_.stream().OnClosed(sub_);
  }

  websocket::stream<beast::tcp_stream> ws_;
  App& app_;
  net::steady_timer timer_;
  const int hello_seconds_;  // to say hello after the handshake
  std::shared_ptr<StreamHub::Subscription> sub_;
  std::deque<Frame> queue_;
  std::string out_;  // the write in flight
  size_t writing_data_ = 0;
  std::array<char, 256> rbuf_{};
  std::string in_;  // client bytes not yet parsed (a frame header, a control frame, the hello)
  std::string hello_;  // the hello's fragments so far
  bool awaiting_hello_ = true;
  std::uint64_t skip_ = 0;  // bytes of an ignored client data frame still to come
  std::atomic<size_t> queued_{0};
  bool writing_ = false;
  bool writing_close_ = false;
  bool close_queued_ = false;
  bool close_sent_ = false;
  bool peer_closed_ = false;
  bool heard_ = false;
  bool pinged_ = false;
  bool closed_ = false;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, App& app, const ServerOptions& opts)
      : stream_(std::move(socket)), app_(app), opts_(opts) {}

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&HttpSession::DoRead, shared_from_this()));
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(opts_.header_limit));
    parser_->body_limit(opts_.body_limit);
    stream_.expires_after(std::chrono::seconds(opts_.read_timeout_seconds));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit || ec == http::error::header_limit ||
        ec == http::error::buffer_overflow) {
      const bool body = ec == http::error::body_limit;
      Error e{ErrorCode::kInvalidArgument,
              body
                  ? "the request body is larger than " + std::to_string(opts_.body_limit) + " bytes"
                  : "the request headers are too large",
              body ? "body" : "headers",
              {}};
      WriteError(413, e, false);
      return;
    }
    if (ec) {
      if (!Benign(ec)) {
        // A malformed request: answer 400, then close (OnWrite shuts the connection down).
        WriteError(400,
                   Error::InvalidArgument("request", "malformed HTTP request: " + ec.message()),
                   false);
        return;
      }
      if (ec != http::error::end_of_stream) {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      }
      return;
    }
    auto req = parser_->release();
    if (websocket::is_upgrade(req)) {
      if (req.target() == "/api/stream" || req.target().starts_with("/api/stream?")) {
        stream_.expires_never();
        std::make_shared<WsSession>(stream_.release_socket(), app_, opts_.ws_hello_seconds)
            ->Start(std::move(req));
        return;
      }
      WriteError(404, Error::NotFound("no WebSocket endpoint here; use /api/stream"), false);
      return;
    }
    keep_alive_ = req.keep_alive();
    HttpRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    if (!ParseTarget(r.target, &r.path, &r.query)) {
      WriteError(400, Error::InvalidArgument("target", "malformed request target"), keep_alive_);
      return;
    }
    for (const auto& f : req) {
      std::string name(f.name_string());
      for (auto& ch : name) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      r.headers[name] = std::string(f.value());
    }
    r.body = std::move(req.body());
    beast::error_code ep_ec;
    auto ep = stream_.socket().remote_endpoint(ep_ec);
    if (!ep_ec) {
      r.remote = ep.address().to_string();
    }
    stream_.expires_never();
    if (r.path.starts_with("/api/") || r.path == "/api" || r.path == "/metrics") {
      app_.Handle(std::move(r), [self = shared_from_this()](HttpResponse resp) {
        net::post(self->stream_.get_executor(),
                  [self, resp = std::move(resp)]() mutable { self->Write(std::move(resp)); });
      });
      return;
    }
    if (r.method != "GET" && r.method != "HEAD") {
      WriteError(404, Error::NotFound("no such endpoint"), keep_alive_);
      return;
    }
    Write(StaticFile(opts_.web_dir, r.path));
  }

  void WriteError(int status, const Error& e, bool keep_alive) {
    keep_alive_ = keep_alive;
    HttpResponse r = ErrorResponse(e);
    r.status = status;
    Write(std::move(r));
  }

  void Write(HttpResponse r) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), 11);
    res->set(http::field::server, "concordat");
    res->set(http::field::content_type, r.content_type);
    res->set("X-Content-Type-Options", "nosniff");
    for (const auto& [k, v] : r.headers) {
      res->set(k, v);
    }
    res->keep_alive(keep_alive_);
    res->body() = std::move(r.body);
    res->prepare_payload();
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                        self->OnWrite(ec, res->keep_alive());
                      });
  }

  void OnWrite(beast::error_code ec, bool keep_alive) {
    if (ec) {
      return;
    }
    if (!keep_alive) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    DoRead();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  App& app_;
  const ServerOptions& opts_;
  bool keep_alive_ = true;
};

}  // namespace

struct Server::Impl {
  App& app;
  ServerOptions opts;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> guard;

  Impl(App& a, ServerOptions o) : app(a), opts(std::move(o)) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == net::error::operation_aborted) {
        return;
      }
      if (!ec) {
        std::make_shared<HttpSession>(std::move(s), app, opts)->Start();
      }
      Accept();
    });
  }
};

Server::Server(App& app, ServerOptions options)
    : impl_(std::make_unique<Impl>(app, std::move(options))) {}

Server::~Server() { Stop(); }

Result<unsigned short> Server::Start() {
  beast::error_code ec;
  auto addr = net::ip::make_address(impl_->opts.host, ec);
  if (ec) {
    return Error::InvalidArgument("listen", "bad listen address " + impl_->opts.host);
  }
  tcp::endpoint ep(addr, impl_->opts.port);
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::Unavailable("cannot listen on " + impl_->opts.host + ":" +
                              std::to_string(impl_->opts.port) + ": " + ec.message());
  }
  const unsigned short port = acc.local_endpoint().port();
  impl_->guard.emplace(impl_->ioc.get_executor());
  impl_->Accept();
  for (size_t i = 0; i < std::max<size_t>(1, impl_->opts.io_threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
  return port;
}

void Server::Stop() {
  if (!impl_ || impl_->threads.empty()) {
    return;
  }
  net::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  impl_->guard.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->threads) {
    t.join();
  }
  impl_->threads.clear();
}

}  // namespace concordat::api
