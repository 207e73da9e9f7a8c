// The London demo seed, applied only by `serve --demo`: one account per role (username = role,
// password "concordat-demo"), clearly marked demo. Idempotent: a restart with --demo adds nothing
// twice (accounts are checked by username; domain records use fixed command ids).
#pragma once

#include <string>
#include <vector>

#include "core/refdata.hpp"
#include "engine/engine.hpp"
#include "store/users_store.hpp"

namespace concordat::cli {

inline constexpr const char* kDemoPassword = "concordat-demo";

struct DemoAccount {
  std::string username;
  std::string role;
  std::string agency;
};

Result<std::vector<DemoAccount>> SeedDemo(UsersStore& users, Engine& engine, const RefData& ref,
                                          Timestamp now);

}  // namespace concordat::cli
