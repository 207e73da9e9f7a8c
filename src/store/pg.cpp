#include "store/pg.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace concordat::pg {

namespace {

// libpq's messages run over several lines ("...\n\tThis probably means..."): one line for ours.
std::string OneLine(std::string why) {
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  std::string out;
  out.reserve(why.size());
  for (size_t i = 0; i < why.size(); ++i) {
    if (why[i] == '\n') {
      out += "; ";
      while (i + 1 < why.size() && (why[i + 1] == '\t' || why[i + 1] == ' ')) ++i;
    } else {
      out += why[i];
    }
  }
  return out;
}

}  // namespace

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
    const std::string why = OneLine(PQerrorMessage(c));
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

std::string Conn::LastError() const { return OneLine(PQerrorMessage(c_)); }

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
  ++resets_;
  if (PQstatus(c_) != CONNECTION_OK) {
    return Lost();
  }
  return OkStatus();
}

Error Conn::FromResult(PGresult* r, std::string_view what) const {
  const char* state = r == nullptr ? nullptr : PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const std::string message = r == nullptr ? LastError() : OneLine(PQresultErrorMessage(r));
  if (PQstatus(c_) != CONNECTION_OK) {
    return Lost();
  }
  if (state != nullptr && (std::strcmp(state, "23505") == 0 || std::strcmp(state, "23P01") == 0)) {
    return Error::Conflict("PostgreSQL: " + message);
  }
  if (state != nullptr && std::strncmp(state, "08", 2) == 0) {
    return Lost();
  }
  return Error::Internal("PostgreSQL (" + OneLine(std::string(what)) + "…): " + message);
}

Error Conn::Lost() const {
  // Said to whoever sent the request, signed in or not: where the database is, and libpq's
  // account of why (host, port, user), stay out of it. The operator sees them when a server or
  // command first connects (Open).
  return Error::Unavailable("the database cannot be reached just now; try again");
}

Result<PGresult*> Conn::Run(const std::function<PGresult*()>& send, std::string_view what) {
  if (auto st = EnsureConnected(); !st.ok()) {
    return st.error();
  }
  // A connection the server dropped (a restart, a failover) is only noticed when a statement
  // fails. Outside a transaction nothing was done, so the statement is sent once more on a new
  // connection; inside one the transaction is gone and the caller must hear of it.
  const bool idle = PQtransactionStatus(c_) == PQTRANS_IDLE;
  PGresult* r = send();
  auto failed = [](PGresult* res) {
    const auto status = res == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(res);
    return status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK;
  };
  if (failed(r) && idle && PQstatus(c_) != CONNECTION_OK) {
    PQclear(r);
    PQreset(c_);
    ++resets_;
    if (PQstatus(c_) != CONNECTION_OK) {
      return Lost();
    }
    r = send();
  }
  if (failed(r)) {
    Error e = FromResult(r, what);
    PQclear(r);
    return e;
  }
  return r;
}

Status Conn::Exec(std::string_view sql) {
  const std::string text(sql);
  auto r = Run([&] { return PQexec(c_, text.c_str()); }, text.substr(0, 40));
  if (!r.ok()) return r.error();
  PQclear(*r);
  return OkStatus();
}

Result<Rows> Conn::Query(const std::string& sql, const std::vector<Param>& params,
                         bool binary_results) {
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
  auto r = Run(
      [&] {
        return PQexecParams(c_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                            values.data(), lengths.data(), formats.data(), binary_results ? 1 : 0);
      },
      sql.substr(0, 40));
  if (!r.ok()) return r.error();
  return Rows(*r);
}

Result<std::vector<std::string>> Conn::WaitNotifications(int timeout_ms) {
  if (PQstatus(c_) != CONNECTION_OK) {
    // Not reset here: a new connection would not be listening.
    return Lost();
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
      return Lost();
    }
    drain();
  }
  return out;
}

}  // namespace concordat::pg
