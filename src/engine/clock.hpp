// The injected clock. The real clock reads the system time; the virtual clock moves only when
// told to (tests, `serve --virtual-clock`, the simulator).
#pragma once

#include <atomic>

#include "core/time.hpp"

namespace concordat {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
  virtual bool IsVirtual() const { return false; }
};

class RealClock final : public Clock {
 public:
  Timestamp Now() const override;
};

class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(Timestamp start) : now_(start) {}
  Timestamp Now() const override { return now_.load(std::memory_order_acquire); }
  bool IsVirtual() const override { return true; }
  void Set(Timestamp t) { now_.store(t, std::memory_order_release); }

 private:
  std::atomic<Timestamp> now_;
};

}  // namespace concordat
