// A fixed pool of threads for blocking work (database reads, password hashing, request
// handling), so that I/O threads never block. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace concordat::api {

class WorkerPool {
 public:
  explicit WorkerPool(size_t threads);
  ~WorkerPool();
  void Post(std::function<void()> fn);
  size_t queued() const;
  size_t threads() const { return threads_.size(); }

 private:
  void Run();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> work_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace concordat::api
