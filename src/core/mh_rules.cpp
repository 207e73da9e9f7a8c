#include "core/mh_rules.hpp"

#include <cctype>
#include <cstdio>
#include <vector>

namespace concordat::mh {

MhaRules RulesOn(Timestamp at, const MentalHealthPolicy& p) {
  MhaRules r;
  if (at < kPaca2017InForce) {
    // Mental Health Act 1983 s135/s136 before the Policing and Crime Act 2017: a 72-hour
    // period, no extension, s136 only in "a place to which the public have access", no duty to
    // consult, no statutory bar on police stations (Home Office Circular 07/2017).
    r.paca2017 = false;
    r.period = Hours(72);
    r.max_extension = 0;
    r.dwelling_block = false;
    r.public_place_only = true;
    r.consultation_required = false;
    r.child_station_ban = false;
    r.adult_station_conditions = false;
  }
  // Mental Health Act 2025: police stations cease to be places of safety on commencement.
  if (p.police_stations_removed_from && at >= *p.police_stations_removed_from) {
    r.police_stations = false;
  }
  return r;
}

AgeFacts AgeAt(const DetainedPerson& p, Timestamp at) {
  AgeFacts a;
  if (!p.date_of_birth.empty()) {
    auto dob = ParseDate(p.date_of_birth);
    if (dob.ok()) {
      a.years = AgeOn(*dob, LondonDate(at));
      a.known = true;
    }
  } else if (p.age) {
    a.years = *p.age;
    a.known = true;
  }
  a.child = a.years ? *a.years < 18 : p.appears_child;
  return a;
}

bool UnderSixteen(const AgeFacts& a) { return a.years && *a.years < 16; }

namespace {
constexpr const char* kRanks[] = {"constable",
                                  "sergeant",
                                  "inspector",
                                  "chief_inspector",
                                  "superintendent",
                                  "chief_superintendent",
                                  "commander",
                                  "deputy_assistant_commissioner",
                                  "assistant_commissioner",
                                  "deputy_commissioner",
                                  "commissioner"};
}  // namespace

int RankOrder(std::string_view rank) {
  for (int i = 0; i < static_cast<int>(std::size(kRanks)); ++i) {
    if (rank == kRanks[i]) {
      return i;
    }
  }
  return -1;
}

const char* RankList() {
  return "constable, sergeant, inspector, chief_inspector, superintendent, "
         "chief_superintendent, commander, deputy_assistant_commissioner, "
         "assistant_commissioner, deputy_commissioner, commissioner";
}

std::string TrustCore(std::string_view name) {
  // Lower-case words, bracketed notes dropped, "&" as "and".
  std::vector<std::string> words;
  std::string cur;
  int depth = 0;
  auto flush = [&] {
    if (!cur.empty()) words.push_back(cur);
    cur.clear();
  };
  for (char ch : name) {
    if (ch == '(') {
      flush();
      ++depth;
    } else if (ch == ')') {
      depth = depth > 0 ? depth - 1 : 0;
    } else if (depth > 0) {
      continue;
    } else if (ch == '&') {
      flush();
      words.emplace_back("and");
    } else if (std::isalnum(static_cast<unsigned char>(ch))) {
      cur += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else if (ch != '\'') {
      flush();
    }
  }
  flush();
  // Generic trailing words: "... Mental Health NHS Foundation Trust", "NHS FT", "MH Trust".
  static const std::vector<std::string> kGeneric = {"nhs",    "ft",     "foundation", "trust",
                                                    "mental", "health", "mh"};
  while (!words.empty() &&
         std::find(kGeneric.begin(), kGeneric.end(), words.back()) != kGeneric.end()) {
    words.pop_back();
  }
  std::string out;
  for (const auto& w : words) {
    out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

bool SameTrust(std::string_view agency_name, std::string_view site_trust) {
  const std::string a = TrustCore(agency_name);
  const std::string b = TrustCore(site_trust);
  if (a.empty() || b.empty()) {
    return false;
  }
  if (a == b) {
    return true;
  }
  // A name given by its leading words ("South London and Maudsley") still matches, on a word
  // boundary only, so "East London" never matches "North East London".
  const std::string& shorter = a.size() < b.size() ? a : b;
  const std::string& longer = a.size() < b.size() ? b : a;
  return longer.compare(0, shorter.size(), shorter) == 0 && longer[shorter.size()] == ' ' &&
         shorter.find(' ') != std::string::npos;
}

std::string LondonClock(Timestamp t) {
  const CivilTime c = ToLondon(t);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", c.hour, c.minute);
  return buf;
}

}  // namespace concordat::mh
