#include "api/worker_pool.hpp"

namespace concordat::api {

WorkerPool::WorkerPool(size_t threads) {
  for (size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { Run(); });
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    t.join();
  }
}

void WorkerPool::Post(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    work_.push_back(std::move(fn));
  }
  cv_.notify_one();
}

size_t WorkerPool::queued() const {
  std::lock_guard lock(mu_);
  return work_.size();
}

void WorkerPool::Run() {
  while (true) {
    std::function<void()> fn;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !work_.empty(); });
      if (work_.empty()) {
        return;
      }
      fn = std::move(work_.front());
      work_.pop_front();
    }
    fn();
  }
}

}  // namespace concordat::api
