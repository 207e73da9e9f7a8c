#include "engine/clock.hpp"

#include <chrono>

namespace concordat {

Timestamp RealClock::Now() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace concordat
