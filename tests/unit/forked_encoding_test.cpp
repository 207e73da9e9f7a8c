#include "engine/forked_encoding.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>

namespace concordat {
namespace {

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 7) % 251);
  return s;
}

// More than a pipe holds (64 KB), so the child blocks writing until the parent reads.
TEST(ForkedEncoding, TheChildsBytesComeBackWhole) {
  const std::string value = Pattern(3u << 20);
  auto child = ForkedEncoding::Start([&] { return value; });
  ASSERT_TRUE(child.ok()) << child.error().message;
  auto bytes = child->Collect();
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(*bytes, value);
}

TEST(ForkedEncoding, AnEmptyEncodingIsWholeToo) {
  auto child = ForkedEncoding::Start([] { return std::string(); });
  ASSERT_TRUE(child.ok());
  auto bytes = child->Collect();
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_TRUE(bytes->empty());
}

// The child encodes the memory as it was at the fork, whatever the parent does next.
TEST(ForkedEncoding, TheChildSeesTheMemoryAsItWasAtTheFork) {
  std::string value = "before";
  auto child = ForkedEncoding::Start([&] { return value; });
  ASSERT_TRUE(child.ok());
  value = "after, and longer than before";
  auto bytes = child->Collect();
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(*bytes, "before");
}

// The child encodes at a lower priority than the parent's: it is background work.
TEST(ForkedEncoding, TheChildRunsAtALowerPriority) {
  errno = 0;
  const int parent = ::getpriority(PRIO_PROCESS, 0);
  ASSERT_EQ(errno, 0);
  if (parent >= ForkedEncoding::kChildNice) {
    GTEST_SKIP() << "the test runs at nice " << parent << ", not above the child's";
  }
  auto child = ForkedEncoding::Start([] {
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, 0);
    return errno == 0 ? std::to_string(nice) : std::string("getpriority failed");
  });
  ASSERT_TRUE(child.ok());
  auto bytes = child->Collect();
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(*bytes, std::to_string(ForkedEncoding::kChildNice));
  EXPECT_EQ(::getpriority(PRIO_PROCESS, 0), parent) << "the parent's priority is unchanged";
}

TEST(ForkedEncoding, AnEncodingThatThrowsIsAnErrorNotBytes) {
  auto child = ForkedEncoding::Start([]() -> std::string { throw std::runtime_error("no"); });
  ASSERT_TRUE(child.ok());
  auto bytes = child->Collect();
  ASSERT_FALSE(bytes.ok());
  EXPECT_NE(bytes.error().message.find("exit code 2"), std::string::npos) << bytes.error().message;
  EXPECT_FALSE(child->Collect().ok()) << "collected twice";
}

// A descriptor the parent has open (a client's socket, the database) is closed in the child
// before it encodes: the child cannot hold a connection open that the parent closes.
TEST(ForkedEncoding, TheChildHoldsNoDescriptorOfTheParent) {
  const int fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  auto child = ForkedEncoding::Start([fd] {
    return std::string(::fcntl(fd, F_GETFD) == -1 && errno == EBADF ? "closed" : "open");
  });
  ::close(fd);
  ASSERT_TRUE(child.ok());
  auto bytes = child->Collect();
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(*bytes, "closed");
}

// A child never collected is killed and reaped: no process and no zombie is left behind.
TEST(ForkedEncoding, AChildNotCollectedIsKilledAndReaped) {
  pid_t pid = -1;
  {
    auto child = ForkedEncoding::Start([] {
      ::pause();  // would wait for ever
      return std::string();
    });
    ASSERT_TRUE(child.ok());
    pid = child->pid();
    ASSERT_GT(pid, 0);
  }
  errno = 0;
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

}  // namespace
}  // namespace concordat
