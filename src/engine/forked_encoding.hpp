// Encoding a large value off the calling thread without copying it first: fork() gives a child
// process the caller's memory exactly as it is at that moment (copy-on-write, so the fork costs
// page tables, not the memory), the child encodes from it and streams the bytes back through a
// pipe, and the caller goes on changing its own copy at once. The engine takes its snapshots
// this way: encoding a force's state of two million incidents took the writer 4-5 s, with every
// command waiting (docs/PERFORMANCE.md, "Taking a snapshot").
//
// The child runs only `encode` and then _exit()s: no destructors, no atexit handlers, no other
// thread (fork copies only the calling one), every inherited file descriptor but the pipe closed
// first (so a client connection the parent closes is not held open by the child); if the parent
// dies, the child ends at its first write to the pipe. `encode` must therefore touch nothing but
// memory: no locks another thread might have held at the fork, no logging, no database handles.
// (jemalloc and glibc's malloc make allocation safe in the child.)
//
// Example (on the thread that owns `state`, with it locked):
//   auto child = ForkedEncoding::Start([&] { return state.ToSnapshot(); });
//   ... unlock, go on; then on any thread:
//   Result<std::string> bytes = child->Collect();
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "core/result.hpp"

namespace concordat {

class ForkedEncoding {
 public:
  // The child's nice value. Encoding a snapshot is background work and should not compete on
  // equal terms with the commands it runs beside; at 10 a busy core still gives it about a tenth
  // of its time (at 19, about 1.5%, a 10-million-event state would take minutes to encode under
  // sustained load, and the tail a restart replays would grow meanwhile). Only the child: the
  // thread that stores the bytes writes to the database, and starving it there would hold up the
  // engine's commits.
  static constexpr int kChildNice = 10;

  // Forks; the child runs `encode`. Unavailable if the process cannot fork (then nothing ran).
  static Result<ForkedEncoding> Start(const std::function<std::string()>& encode);

  ForkedEncoding(ForkedEncoding&& other) noexcept;
  ForkedEncoding& operator=(ForkedEncoding&&) = delete;
  ForkedEncoding(const ForkedEncoding&) = delete;
  ~ForkedEncoding();  // a child never collected is killed and reaped

  // Reads every byte the child writes and reaps it. Internal error when the child failed,
  // died, or its bytes came short of the length it announced. Call once.
  Result<std::string> Collect();

  pid_t pid() const { return pid_; }

 private:
  ForkedEncoding(pid_t pid, int fd) : pid_(pid), fd_(fd) {}
  pid_t pid_ = -1;
  int fd_ = -1;
};

}  // namespace concordat
