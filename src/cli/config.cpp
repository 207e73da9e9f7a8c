#include "cli/config.hpp"

#include <cstdlib>
#include <filesystem>
#include <set>
#include <toml++/toml.h>

#include "refdata/london.hpp"

#ifndef CONCORDAT_SOURCE_DIR
#define CONCORDAT_SOURCE_DIR "."
#endif

namespace concordat::cli {

Status LoadConfigFile(const std::string& path, Config& cfg) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error::InvalidArgument("config", path + ": " + std::string(e.description()) +
                                                " (line " +
                                                std::to_string(e.source().begin.line) + ")");
  }
  static const std::set<std::string> kKnown = {
      "server.listen",          "server.data",           "server.web",
      "server.refdata",         "server.io_threads",     "server.worker_threads",
      "auth.token_ttl_minutes", "auth.max_failed_logins", "auth.password_cost",
      "engine.snapshot_every",  "grades",
      // Mental-health pathway (core/policy.hpp MentalHealthPolicy; docs/RULES.md).
      "mental_health.police_stations_removed_from", "mental_health.welfare_grace_minutes",
      "mental_health.custody_review_minutes", "mental_health.handover_alert_minutes",
      "mental_health.ambulance_wait_minutes"};
  for (const auto& [section, value] : t) {
    if (std::string(section.str()) == "grades") {
      continue;
    }
    const auto* tbl = value.as_table();
    if (tbl == nullptr) {
      return Error::InvalidArgument("config", path + ": unknown key " + std::string(section.str()));
    }
    for (const auto& [key, v] : *tbl) {
      const std::string full = std::string(section.str()) + "." + std::string(key.str());
      if (!kKnown.contains(full)) {
        return Error::InvalidArgument("config", path + ": unknown key " + full);
      }
    }
  }
  if (auto v = t["server"]["listen"].value<std::string>()) cfg.listen = *v;
  if (auto v = t["server"]["data"].value<std::string>()) cfg.data_dir = *v;
  if (auto v = t["server"]["web"].value<std::string>()) cfg.web_dir = *v;
  if (auto v = t["server"]["refdata"].value<std::string>()) cfg.refdata_dir = *v;
  if (auto v = t["server"]["io_threads"].value<int64_t>()) cfg.io_threads = static_cast<size_t>(*v);
  if (auto v = t["server"]["worker_threads"].value<int64_t>()) {
    cfg.worker_threads = static_cast<size_t>(*v);
  }
  if (auto v = t["auth"]["token_ttl_minutes"].value<int64_t>()) cfg.token_ttl_minutes = *v;
  if (auto v = t["auth"]["max_failed_logins"].value<int64_t>()) {
    cfg.max_failed_logins = static_cast<int>(*v);
  }
  if (auto v = t["auth"]["password_cost"].value<std::string>()) cfg.password_cost = *v;
  if (auto v = t["engine"]["snapshot_every"].value<int64_t>()) {
    cfg.snapshot_every = static_cast<std::uint64_t>(*v);
  }
  {
    auto& mh = cfg.policy.mental_health;
    if (auto v = t["mental_health"]["police_stations_removed_from"].value<std::string>()) {
      // A London date: the Mental Health Act 2025's commencement for police stations.
      auto d = ParseDate(*v, "mental_health.police_stations_removed_from");
      if (!d.ok()) return Error::InvalidArgument("config", path + ": " + d.error().message);
      const Timestamp midnight_utc = DaysFromCivil(*d) * kMicrosPerDay;
      mh.police_stations_removed_from = midnight_utc - LondonOffsetMicros(midnight_utc);
    }
    if (auto v = t["mental_health"]["welfare_grace_minutes"].value<int64_t>()) {
      mh.welfare_grace = Minutes(*v);
    }
    if (auto v = t["mental_health"]["custody_review_minutes"].value<int64_t>()) {
      mh.custody_review_every = Minutes(*v);
    }
    if (auto v = t["mental_health"]["handover_alert_minutes"].value<int64_t>()) {
      mh.handover_alert_after = Minutes(*v);
    }
    if (auto v = t["mental_health"]["ambulance_wait_minutes"].value<int64_t>()) {
      mh.ambulance_wait = Minutes(*v);
    }
    if (mh.welfare_grace < 0 || mh.custody_review_every < Minutes(1) ||
        mh.handover_alert_after < Minutes(1) || mh.ambulance_wait < 0) {
      return Error::InvalidArgument("config", path + ": mental_health minutes must be positive");
    }
  }
  if (const auto* grades = t["grades"].as_table()) {
    for (const auto& [code, g] : *grades) {
      const auto* gt = g.as_table();
      if (gt == nullptr) {
        return Error::InvalidArgument("config", path + ": grades." + std::string(code.str()) +
                                                    " must be a table");
      }
      GradePolicy gp;
      gp.code = std::string(code.str());
      gp.name = (*gt)["name"].value_or(gp.code);
      gp.target = Minutes((*gt)["target_minutes"].value_or<int64_t>(0));
      gp.deploys = (*gt)["deploys"].value_or(true);
      bool replaced = false;
      for (auto& existing : cfg.policy.grades) {
        if (existing.code == gp.code) {
          existing = gp;
          replaced = true;
        }
      }
      if (!replaced) {
        cfg.policy.grades.push_back(gp);
      }
    }
  }
  if (cfg.io_threads < 1 || cfg.io_threads > 64 || cfg.worker_threads < 1 ||
      cfg.worker_threads > 256) {
    return Error::InvalidArgument("config", path + ": thread counts must be 1-64 / 1-256");
  }
  if (cfg.password_cost != "interactive" && cfg.password_cost != "minimum") {
    return Error::InvalidArgument("config",
                                  path + ": auth.password_cost must be interactive or minimum");
  }
  return OkStatus();
}

void ApplyEnvironment(Config& cfg) {
  if (const char* v = std::getenv("CONCORDAT_LISTEN")) cfg.listen = v;
  if (const char* v = std::getenv("CONCORDAT_DATA")) cfg.data_dir = v;
  if (const char* v = std::getenv("CONCORDAT_WEB")) cfg.web_dir = v;
  if (const char* v = std::getenv("CONCORDAT_REFDATA")) cfg.refdata_dir = v;
}

Status ParseListen(const std::string& listen, std::string* host, unsigned short* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= listen.size()) {
    return Error::InvalidArgument("listen", "listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  *host = listen.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  const std::string p = listen.substr(colon + 1);
  if (p.find_first_not_of("0123456789") != std::string::npos || p.size() > 5 ||
      std::stoi(p) > 65535) {
    return Error::InvalidArgument("listen", "the port must be a number 0-65535");
  }
  *port = static_cast<unsigned short>(std::stoi(p));
  return OkStatus();
}

std::string DefaultRefdataDir() { return DefaultDataDir() + "/refdata/london"; }

std::string DefaultWebDir() { return std::string(CONCORDAT_SOURCE_DIR) + "/web/dist"; }

}  // namespace concordat::cli
