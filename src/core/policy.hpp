// Policy as data: the configurable values the domain uses, with MPS-like defaults. The CLI loads
// them from the TOML configuration file (src/cli/config.cpp); the core only reads them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace concordat {

struct GradePolicy {
  std::string code;          // "I"
  std::string name;          // "Immediate"
  Timestamp target = 0;      // 0 = no deployment target
  bool deploys = true;       // false for R
};

struct Policy {
  // RULES.md C21: MPS defaults.
  std::vector<GradePolicy> grades = {
      {"I", "Immediate", Minutes(15), true},
      {"S", "Significant", Minutes(60), true},
      {"E", "Extended", Hours(48), true},
      {"R", "Referred", 0, false},
  };
  const GradePolicy* FindGrade(std::string_view code) const {
    for (const auto& g : grades) {
      if (g.code == code) {
        return &g;
      }
    }
    return nullptr;
  }
};

}  // namespace concordat
