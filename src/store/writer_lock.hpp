// One process at a time appends to a store. The log's sequence is gapless and hash-chained, and
// the engine keeps the head in memory: a second process appending to the same file (say
// `concordat import calls` run beside `concordat serve`) would move the head underneath the first,
// whose every later write would then fail. So every process that opens a store to append takes
// this lock first, and a second one is refused with the first one's pid.
//
// A POSIX record lock on "<store>.lock" (fcntl F_SETLK): released when the process ends however
// it ends, and not inherited by a forked child (the engine forks to encode snapshots, and a
// child outliving a killed server must not keep a restarted one out). Within one process it does
// not exclude (tests open a store twice); it guards against other processes.
#pragma once

#include <string>

#include "core/result.hpp"

namespace concordat {

class StoreWriterLock {
 public:
  StoreWriterLock() = default;
  StoreWriterLock(StoreWriterLock&& other) noexcept;
  StoreWriterLock& operator=(StoreWriterLock&& other) noexcept;
  StoreWriterLock(const StoreWriterLock&) = delete;
  StoreWriterLock& operator=(const StoreWriterLock&) = delete;
  ~StoreWriterLock();

  // Takes the lock for the store at `store_path`, or says who holds it.
  static Result<StoreWriterLock> Acquire(const std::string& store_path);

  bool held() const { return fd_ >= 0; }

  // True when another process holds the lock of the store at `store_path` now (a server is
  // writing it), without taking it.
  static bool HeldByAnother(const std::string& store_path);

 private:
  explicit StoreWriterLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace concordat
