// The network layer: HTTP/1.1 keep-alive and the WebSocket stream on one port (Boost.Beast on
// Asio). The only part of Concordat that includes Beast; everything else sees App.
//
// Limits: request header and body sizes, a read timeout, one request in flight per connection,
// a bounded outgoing queue per WebSocket. Requests are handled on the App's worker pool, never on
// the I/O threads.
#pragma once

#include <memory>
#include <string>

#include "api/app.hpp"

namespace concordat::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 = any free port
  size_t io_threads = 2;
  std::string web_dir;  // the built web app; "" or missing = API only
  size_t header_limit = 16 * 1024;
  size_t body_limit = 1024 * 1024;
  int read_timeout_seconds = 30;
  int ws_hello_seconds = 30;  // a WebSocket client that has not said hello by then is dropped
};

class Server {
 public:
  Server(App& app, ServerOptions options);
  ~Server();
  // Binds and starts serving; returns the bound port.
  Result<unsigned short> Start();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace concordat::api
