#include "engine/forked_encoding.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace concordat {
namespace {

// The child's exit codes.
constexpr int kEncodeThrew = 2;
constexpr int kWriteFailed = 3;

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads up to n bytes; fewer only at end of file or on an error (then `error` is set).
size_t ReadAll(int fd, char* p, size_t n, int& error) {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      error = errno;
      break;
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

// No PR_SET_PDEATHSIG: it fires when the *thread* that forked ends (the engine's writer, at
// every stop), not the process. A child whose parent died ends at its first write instead (the
// pipe has no reader: SIGPIPE, or EPIPE where the signal is ignored).
[[noreturn]] void RunChild(int out, const std::function<std::string()>& encode) {
  // Background work: at a lower priority the child yields most of a busy core to the parent's
  // threads (commands, replies) and has all of an idle one (see kChildNice). Failing to lower it
  // is harmless, so the result is not checked.
  (void)::setpriority(PRIO_PROCESS, 0, ForkedEncoding::kChildNice);
  // Keep only the pipe: an inherited socket would keep a connection the parent closes open.
  if (out > 0) ::close_range(0, static_cast<unsigned>(out) - 1, 0);
  ::close_range(static_cast<unsigned>(out) + 1, ~0U, 0);
  std::string bytes;
  try {
    bytes = encode();
  } catch (...) {
    ::_exit(kEncodeThrew);
  }
  // The length first, so that the parent can tell a whole encoding from one cut short.
  unsigned char header[8];
  std::uint64_t n = bytes.size();
  for (unsigned char& b : header) {
    b = static_cast<unsigned char>(n & 0xff);
    n >>= 8;
  }
  if (!WriteAll(out, reinterpret_cast<const char*>(header), sizeof header) ||
      !WriteAll(out, bytes.data(), bytes.size())) {
    ::_exit(kWriteFailed);
  }
  ::_exit(0);
}

}  // namespace

Result<ForkedEncoding> ForkedEncoding::Start(const std::function<std::string()>& encode) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return Error::Unavailable(std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return Error::Unavailable(std::string("cannot fork: ") + std::strerror(e));
  }
  if (pid == 0) {
    RunChild(fds[1], encode);
  }
  ::close(fds[1]);
  return ForkedEncoding(pid, fds[0]);
}

ForkedEncoding::ForkedEncoding(ForkedEncoding&& other) noexcept : pid_(other.pid_), fd_(other.fd_) {
  other.pid_ = -1;
  other.fd_ = -1;
}

ForkedEncoding::~ForkedEncoding() {
  if (fd_ >= 0) ::close(fd_);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

Result<std::string> ForkedEncoding::Collect() {
  if (pid_ <= 0 || fd_ < 0) return Error::Internal("the encoding was already collected");
  int read_error = 0;
  unsigned char header[8];
  std::string bytes;
  bool whole = false;
  if (ReadAll(fd_, reinterpret_cast<char*>(header), sizeof header, read_error) == sizeof header) {
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | header[i];
    if (n < (std::uint64_t{1} << 40)) {  // a length from a child that went wrong is not trusted
      bytes.resize(n);
      whole = ReadAll(fd_, bytes.data(), n, read_error) == n;
      char extra = 0;
      whole = whole && ReadAll(fd_, &extra, 1, read_error) == 0;
    }
  }
  ::close(fd_);
  fd_ = -1;
  int status = 0;
  pid_t reaped = -1;
  do {
    reaped = ::waitpid(pid_, &status, 0);
  } while (reaped < 0 && errno == EINTR);
  const pid_t pid = pid_;
  pid_ = -1;
  // ECHILD: someone else reaped it (SIGCHLD ignored); the bytes alone then decide.
  const bool exited_ok =
      reaped < 0 ? errno == ECHILD : WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (whole && exited_ok) return bytes;
  std::string why = "the encoding process " + std::to_string(pid);
  if (reaped == pid && WIFSIGNALED(status)) {
    why += " was killed by signal " + std::to_string(WTERMSIG(status));
  } else if (reaped == pid && WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    why += " failed (exit code " + std::to_string(WEXITSTATUS(status)) + ")";
  } else if (read_error != 0) {
    why += ": reading its output: " + std::string(std::strerror(read_error));
  } else {
    why += " ended before its output was whole";
  }
  return Error::Internal(why);
}

}  // namespace concordat
