#include "api/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
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
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".geojson", "application/geo+json"},
      {".woff2", "font/woff2"},              {".txt", "text/plain; charset=utf-8"},
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
  r.headers.emplace_back("Cache-Control", rel.starts_with("/assets/") ? "public, max-age=31536000"
                                                                       : "no-cache");
  return r;
}

class WsSession : public StreamSink, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket&& socket, App& app) : ws_(std::move(socket)), app_(app) {}

  void Start(http::request<http::string_body> req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(64 * 1024);
    ws_.async_accept(req, beast::bind_front_handler(&WsSession::OnAccept, shared_from_this()));
  }

  void Send(std::shared_ptr<const std::string> text) override {
    queued_.fetch_add(1, std::memory_order_relaxed);
    net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)] {
      self->queue_.push_back(text);
      if (self->queue_.size() == 1) {
        self->WriteNext();
      }
    });
  }

  size_t Queued() const override { return queued_.load(std::memory_order_relaxed); }

  void Close(const std::string&) override {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      self->close_after_queue_ = true;
      if (self->queue_.empty()) {
        self->DoClose();
      }
    });
  }

 private:
  void OnAccept(beast::error_code ec) {
    if (ec) {
      return;
    }
    sub_ = app_.stream().Open(weak_from_this());
    DoRead();
  }

  void DoRead() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec) {
      closed_ = true;
      app_.stream().OnClosed(sub_);
      return;
    }
    app_.stream().OnText(sub_, beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    DoRead();
  }

  void WriteNext() {
    if (closed_) {
      queued_.store(0);
      queue_.clear();
      return;
    }
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&WsSession::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    queue_.pop_front();
    queued_.fetch_sub(1, std::memory_order_relaxed);
    if (ec) {
      closed_ = true;
      queue_.clear();
      queued_.store(0);
      return;
    }
    if (!queue_.empty()) {
      WriteNext();
    } else if (close_after_queue_) {
      DoClose();
    }
  }

  void DoClose() {
    if (closed_) {
      return;
    }
    closed_ = true;
    ws_.async_close(websocket::close_code::normal,
                    [self = shared_from_this()](beast::error_code) {});
  }

  websocket::stream<beast::tcp_stream> ws_;
  App& app_;
  beast::flat_buffer buffer_;
  std::shared_ptr<StreamHub::Subscription> sub_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::atomic<size_t> queued_{0};
  bool close_after_queue_ = false;
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
              body ? "the request body is larger than " + std::to_string(opts_.body_limit) +
                         " bytes"
                   : "the request headers are too large",
              body ? "body" : "headers", {}};
      WriteError(413, e, false);
      return;
    }
    if (ec) {
      if (!Benign(ec)) {
        // A malformed request: answer 400, then close (OnWrite shuts the connection down).
        WriteError(400, Error::InvalidArgument("request", "malformed HTTP request: " +
                                                              ec.message()),
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
        std::make_shared<WsSession>(stream_.release_socket(), app_)->Start(std::move(req));
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
        net::post(self->stream_.get_executor(), [self, resp = std::move(resp)]() mutable {
          self->Write(std::move(resp));
        });
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
