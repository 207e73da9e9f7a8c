// Configuration: a TOML file, then environment variables, then command-line flags, each
// overriding the one before (DESIGN.md §5). docs/CONFIG.md describes every key;
// data/concordat.example.toml lists them with their defaults.
#pragma once

#include <string>

#include "core/policy.hpp"
#include "core/result.hpp"

namespace concordat::cli {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "var";
  // "" = the embedded SQLite store in data_dir; a PostgreSQL URL = several servers sharing that
  // database (DESIGN.md §6).
  std::string database_url;
  std::string refdata_dir;  // "" = the data/refdata/london folder shipped with the build
  std::string web_dir;      // "" = web/dist beside the source tree, when present
  size_t io_threads = 2;
  size_t worker_threads = 4;
  long token_ttl_minutes = 12 * 60;
  int max_failed_logins = 5;
  long failed_login_window_minutes = 15;
  std::uint64_t snapshot_every = 50'000;
  long snapshot_min_seconds = 30;
  std::string password_cost = "interactive";  // or "minimum" (tests only)
  Policy policy;
};

// Reads `path` (TOML) into `cfg`. invalid_argument (field "config", the message naming the file
// and the key) for a syntax error, an unknown key, a wrong type or a value out of range; `cfg` is
// then left as it was.
Status LoadConfigFile(const std::string& path, Config& cfg);
// Applies CONCORDAT_LISTEN, CONCORDAT_DATA, CONCORDAT_DATABASE, CONCORDAT_WEB, CONCORDAT_REFDATA.
void ApplyEnvironment(Config& cfg);
// "host:port" → parts; invalid_argument naming `listen` when malformed.
Status ParseListen(const std::string& listen, std::string* host, unsigned short* port);

std::string DefaultRefdataDir();
std::string DefaultWebDir();

}  // namespace concordat::cli
