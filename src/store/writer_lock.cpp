#include "store/writer_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace concordat {

StoreWriterLock::StoreWriterLock(StoreWriterLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)) {}

StoreWriterLock& StoreWriterLock::operator=(StoreWriterLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

StoreWriterLock::~StoreWriterLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<StoreWriterLock> StoreWriterLock::Acquire(const std::string& store_path) {
  const std::string path = store_path + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error::Unavailable("cannot open " + path + ": " + std::strerror(errno));
  }
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  if (::fcntl(fd, F_SETLK, &lock) == 0) {
    return StoreWriterLock(fd);
  }
  const int err = errno;
  struct flock holder {};
  holder.l_type = F_WRLCK;
  holder.l_whence = SEEK_SET;
  const bool known = ::fcntl(fd, F_GETLK, &holder) == 0 && holder.l_type != F_UNLCK;
  ::close(fd);
  if (err != EACCES && err != EAGAIN) {
    return Error::Unavailable("cannot lock " + path + ": " + std::strerror(err));
  }
  return Error::FailedPrecondition(
      store_path + " is in use by another Concordat process" +
      (known ? " (pid " + std::to_string(holder.l_pid) + ")" : std::string()) +
      ", such as `concordat serve`; stop it first. Two processes appending to one log would "
      "break its sequence.");
}

bool StoreWriterLock::HeldByAnother(const std::string& store_path) {
  const std::string path = store_path + ".lock";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  const bool held = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
  ::close(fd);
  return held;
}

}  // namespace concordat
