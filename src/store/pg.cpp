#include "store/pg.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace concordat::pg {

Rows& Rows::operator=(Rows&& o) noexcept {
  if (this != &o) {
    if (r_ != nullptr) {
      PQclear(r_);
    }
    r_ = o.r_;
    o.r_ = nullptr;
  }
  return *this;
}

Rows::~Rows() {
  if (r_ != nullptr) {
    PQclear(r_);
  }
}

int Rows::size() const { return r_ == nullptr ? 0 : PQntuples(r_); }

int Rows::columns() const { return r_ == nullptr ? 0 : PQnfields(r_); }

bool Rows::IsNull(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }

std::string_view Rows::View(int row, int col) const {
  return {PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col))};
}

std::int64_t Rows::Int(int row, int col) const {
  const std::string_view v = View(row, col);
  std::int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

std::int64_t Rows::Affected() const {
  const char* n = r_ == nullptr ? "" : PQcmdTuples(r_);
  std::int64_t out = 0;
  std::from_chars(n, n + std::strlen(n), out);
  return out;
}

Result<std::unique_ptr<Conn>> Conn::Open(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (c == nullptr) {
    return Error::Unavailable("PostgreSQL: out of memory connecting to " + Redacted(url));
  }
  if (PQstatus(c) != CONNECTION_OK) {
    std::string why = PQerrorMessage(c);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    PQfinish(c);
    return Error::Unavailable("cannot connect to PostgreSQL at " + Redacted(url) + ": " + why);
  }
  // Notices (e.g. "relation already exists, skipping") are not errors: keep them off stderr.
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Conn>(new Conn(c, url));
}

Conn::~Conn() {
  if (c_ != nullptr) {
    PQfinish(c_);
  }
}

std::string Conn::LastError() const {
  std::string why = PQerrorMessage(c_);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  return why;
}

std::string Conn::Redacted(const std::string& url) {
  // postgresql://user:password@host/... → postgresql://user:***@host/...
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    const auto colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) {
      return url.substr(0, colon + 1) + "***" + url.substr(at);
    }
  }
  const auto pw = url.find("password=");
  if (pw != std::string::npos) {
    auto end = url.find(' ', pw);
    return url.substr(0, pw) + "password=***" + (end == std::string::npos ? "" : url.substr(end));
  }
  return url;
}

Status Conn::EnsureConnected() {
  if (PQstatus(c_) == CONNECTION_OK) {
    return OkStatus();
  }
  PQreset(c_);
  if (PQstatus(c_) != CONNECTION_OK) {
    return Error::Unavailable("lost the connection to PostgreSQL at " + Redacted(url_) + ": " +
                              LastError());
  }
  return OkStatus();
}

Error Conn::FromResult(PGresult* r, std::string_view what) const {
  const char* state = r == nullptr ? nullptr : PQresultErrorField(r, PG_DIAG_SQLSTATE);
  std::string message = r == nullptr ? LastError() : PQresultErrorMessage(r);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (PQstatus(c_) != CONNECTION_OK) {
    return Error::Unavailable("lost the connection to PostgreSQL (" + std::string(what) +
                              "): " + message);
  }
  if (state != nullptr && (std::strcmp(state, "23505") == 0 || std::strcmp(state, "23P01") == 0)) {
    return Error::Conflict("PostgreSQL: " + message);
  }
  if (state != nullptr && std::strncmp(state, "08", 2) == 0) {
    return Error::Unavailable("PostgreSQL (" + std::string(what) + "): " + message);
  }
  return Error::Internal("PostgreSQL (" + std::string(what) + "): " + message);
}

Status Conn::Exec(std::string_view sql) {
  if (auto st = EnsureConnected(); !st.ok()) {
    return st;
  }
  const std::string text(sql);
  PGresult* r = PQexec(c_, text.c_str());
  const auto status = r == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error e = FromResult(r, text.substr(0, 40));
    PQclear(r);
    return e;
  }
  PQclear(r);
  return OkStatus();
}

Result<Rows> Conn::Query(const std::string& sql, const std::vector<Param>& params,
                         bool binary_results) {
  if (auto st = EnsureConnected(); !st.ok()) {
    return st.error();
  }
  std::vector<const char*> values(params.size());
  std::vector<int> lengths(params.size());
  std::vector<int> formats(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].value) {
      values[i] = params[i].value->data();
      lengths[i] = static_cast<int>(params[i].value->size());
    }
    formats[i] = params[i].binary ? 1 : 0;
  }
  PGresult* r = PQexecParams(c_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                             values.data(), lengths.data(), formats.data(), binary_results ? 1 : 0);
  const auto status = r == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error e = FromResult(r, sql.substr(0, 40));
    PQclear(r);
    return e;
  }
  return Rows(r);
}

Result<std::vector<std::string>> Conn::WaitNotifications(int timeout_ms) {
  if (auto st = EnsureConnected(); !st.ok()) {
    return st.error();
  }
  std::vector<std::string> out;
  auto drain = [&] {
    while (PGnotify* n = PQnotifies(c_)) {
      out.emplace_back(n->extra);
      PQfreemem(n);
    }
  };
  drain();
  if (!out.empty()) {
    return out;
  }
  pollfd p{PQsocket(c_), POLLIN, 0};
  const int ready = poll(&p, 1, timeout_ms);
  if (ready < 0 && errno != EINTR) {
    return Error::Unavailable(std::string("waiting for PostgreSQL notifications: ") +
                              std::strerror(errno));
  }
  if (ready > 0) {
    if (PQconsumeInput(c_) == 0) {
      return Error::Unavailable("lost the connection to PostgreSQL while listening: " +
                                LastError());
    }
    drain();
  }
  return out;
}

}  // namespace concordat::pg
