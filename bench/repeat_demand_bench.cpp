// Repeat demand at force scale (issue 6; DESIGN.md §7): five years of synthetic London incidents
// (20 million by default), generated in-process from a fixed seed, fed to the incremental
// repeat-demand index the engine keeps (RepeatDemandIndex) and loaded into SQLite, then the
// repeat-demand question — persons and addresses over the RULES.md F30 thresholds, ranked by
// officer-hours — answered both ways on the same data and checked to agree.
//
//   repeat_demand_bench [--incidents N] [--years Y] [--dir D] [--runs R] [--keep-db]
//
// The SQL is what an analyst would write against an incidents table, a person-link table and an
// attendance table, with the indexes an analyst would have: on the columns filtered — the received
// time, and (mental_health, received_at) so that the mental-health contacts in a window are a
// range, not a scan of every incident in it — and on the join keys (incident_persons.incident_id,
// attendance.incident_id; persons and incidents by primary key). The bench exits 1, naming the
// differences, unless both sides flag the same persons and addresses with the same contacts and
// officer time, and someone is flagged.
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/team_demand_index.hpp"
#include "core/team_policy.hpp"
#include "core/time.hpp"

namespace concordat::bench {
namespace {

using Clock = std::chrono::steady_clock;
double Secs(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

struct Rng {  // SplitMix64: fast, seeded, the same stream on every machine
  std::uint64_t x;
  std::uint64_t Next() {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }
};

const char* const kBcus[] = {"AW", "CN", "CE", "CS", "NA", "NE",
                             "NW", "EA", "SE", "SN", "SW", "WA"};
const double kBcuWeight[] = {5.3, 4.3, 5.7, 6.3, 5.9, 6.3, 9.9, 7.9, 8.4, 9.3, 9.1, 9.6};  // pop.

constexpr double kMhShare = 0.0225;  // ~90,000 of ~4 million contacts a year (DESIGN.md §7)
constexpr std::uint64_t kSlot = 90;  // days: frequent callers are active for a season
// Per 90-day slot at force volume (4 million incidents a year); the pools scale with the volume
// asked for, so a smaller run has the same shape (and people over the thresholds) instead of an
// empty answer that agrees with anything. At 20 million over 5 years they are exactly these.
constexpr std::uint64_t kFrequentPerSlot = 300;
constexpr std::uint64_t kCommunalPerSlot = 60;
constexpr double kIncidentsPerYear = 4'000'000;

struct Incident {
  std::int64_t id;
  Timestamp at;
  int bcu;
  bool mh;
  std::string address;  // a normalised key
  std::vector<std::int64_t> persons;
  struct Att {
    Timestamp at_scene, left_scene;
    int officers;
  };
  std::vector<Att> attendance;
};

// Incident n of `total` over [start, end): time-ordered, with everything the question needs.
class Generator {
 public:
  Generator(std::uint64_t total, Timestamp start, Timestamp end)
      : total_(total), start_(start), span_(end - start), rng_{20191122} {
    const double scale =
        static_cast<double>(total) /
        (kIncidentsPerYear * static_cast<double>(span_) / static_cast<double>(365 * kMicrosPerDay));
    frequent_ =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(kFrequentPerSlot * scale + 0.5));
    communal_ =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(kCommunalPerSlot * scale + 0.5));
    double sum = 0;
    for (double w : kBcuWeight) sum += w;
    double acc = 0;
    for (double w : kBcuWeight) cumulative_.push_back(acc += w / sum);
  }
  void Make(std::uint64_t n, Incident& out) {
    out.id = static_cast<std::int64_t>(n + 1);
    out.at =
        start_ + static_cast<Timestamp>((static_cast<double>(n) + rng_.Unit()) /
                                        static_cast<double>(total_) * static_cast<double>(span_));
    const double u = rng_.Unit();
    out.bcu = static_cast<int>(std::lower_bound(cumulative_.begin(), cumulative_.end(), u) -
                               cumulative_.begin());
    if (out.bcu > 11) out.bcu = 11;
    out.mh = rng_.Unit() < kMhShare;
    out.persons.clear();
    out.attendance.clear();
    const std::uint64_t slot =
        static_cast<std::uint64_t>((out.at - start_) / (kMicrosPerDay * kSlot));
    if (out.mh) {
      const double p = rng_.Unit();
      const int links = p < 0.05 ? 0 : p < 0.90 ? 1 : 2;
      for (int k = 0; k < links; ++k) {
        // 10% of mental-health contacts are people in a season of frequent crises.
        const auto p =
            rng_.Unit() < 0.10
                ? static_cast<std::int64_t>(10'000'000 + slot * frequent_ + rng_.Below(frequent_))
                : static_cast<std::int64_t>(5'000'000 + rng_.Below(400'000));
        if (out.persons.empty() || out.persons[0] != p) out.persons.push_back(p);
      }
      out.address = rng_.Unit() < 0.4
                        ? "C" + std::to_string(slot * communal_ + rng_.Below(communal_))
                        : "M" + std::to_string(rng_.Below(300'000));
    } else {
      if (rng_.Unit() < 0.3)
        out.persons.push_back(static_cast<std::int64_t>(rng_.Below(3'000'000)));
      out.address = "A" + std::to_string(rng_.Below(2'000'000));
    }
    const int units = rng_.Unit() < 0.7 ? 1 : 2;
    for (int k = 0; k < units; ++k) {
      const Timestamp arrive = out.at + Minutes(5 + static_cast<std::int64_t>(rng_.Below(25)));
      out.attendance.push_back({arrive,
                                arrive + Minutes(10 + static_cast<std::int64_t>(rng_.Below(170))),
                                1 + static_cast<int>(rng_.Below(2))});
    }
  }

 private:
  std::uint64_t total_;
  Timestamp start_, span_;
  Rng rng_;
  std::uint64_t frequent_ = kFrequentPerSlot, communal_ = kCommunalPerSlot;
  std::vector<double> cumulative_;
};

// Persons' dates of birth: about 8% are children on the query date.
std::string DateOfBirth(std::int64_t person, CivilDate today) {
  const std::uint64_t h = static_cast<std::uint64_t>(person) * 0x9E3779B97F4A7C15ULL;
  const int age_days = (h >> 40) % 100 < 8 ? static_cast<int>(h % (17 * 365)) + 200
                                           : 18 * 366 + static_cast<int>(h % (60 * 365));
  return FormatDate(CivilFromDays(DaysFromCivil(today) - age_days));
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite: %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(2);
  }
}
void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n  in: %s\n", err, sql);
    std::exit(2);
  }
}

constexpr const char* kPersonsSql = R"(
WITH contacts AS (
  SELECT ip.person_id, i.id AS incident_id, i.received_at
  FROM incidents i JOIN incident_persons ip ON ip.incident_id = i.id
  WHERE i.mental_health = 1 AND i.received_at > :now - :d180 AND i.received_at <= :now
    AND (:bcu IS NULL OR ip.person_id IN (
      SELECT ip2.person_id FROM incidents i2 JOIN incident_persons ip2 ON ip2.incident_id = i2.id
      WHERE i2.mental_health = 1 AND i2.bcu = :bcu
        AND i2.received_at > :now - :d180 AND i2.received_at <= :now))
),
counts AS (
  SELECT person_id, SUM(received_at > :now - :d30) AS c30, SUM(received_at > :now - :d90) AS c90,
         COUNT(*) AS c180
  FROM contacts GROUP BY person_id
),
flagged AS (
  SELECT k.person_id,
         CASE WHEN p.date_of_birth > :dob18 AND k.c180 >= 3 THEN :d180
              WHEN k.c90 >= 12 THEN :d90 ELSE :d30 END AS win
  FROM counts k JOIN persons p ON p.id = k.person_id
  WHERE k.c30 >= 5 OR k.c90 >= 12 OR (p.date_of_birth > :dob18 AND k.c180 >= 3)
)
SELECT f.person_id, COUNT(DISTINCT c.incident_id) AS contacts,
       COALESCE(SUM((a.left_scene - a.at_scene) * a.officers), 0) AS officer_micros
FROM flagged f
JOIN contacts c ON c.person_id = f.person_id AND c.received_at > :now - f.win
LEFT JOIN attendance a ON a.incident_id = c.incident_id
GROUP BY f.person_id
ORDER BY officer_micros DESC, contacts DESC
)";

constexpr const char* kAddressesSql = R"(
WITH c AS (
  SELECT id, address_key FROM incidents
  WHERE mental_health = 1 AND received_at > :now - :d30 AND received_at <= :now
    AND (:bcu IS NULL OR address_key IN (
      SELECT address_key FROM incidents WHERE mental_health = 1 AND bcu = :bcu
        AND received_at > :now - :d180 AND received_at <= :now))
),
k AS (SELECT address_key, COUNT(*) AS n FROM c GROUP BY address_key HAVING n >= 15)
SELECT k.address_key, k.n, COALESCE(SUM((a.left_scene - a.at_scene) * a.officers), 0)
FROM k JOIN c ON c.address_key = k.address_key LEFT JOIN attendance a ON a.incident_id = c.id
GROUP BY k.address_key ORDER BY 3 DESC
)";

struct Answer {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> persons, addresses;  // n, micros
};

Answer RunSql(sqlite3* db, Timestamp now, const std::string& dob18, const char* bcu) {
  Answer a;
  for (int part = 0; part < 2; ++part) {
    sqlite3_stmt* st = nullptr;
    Check(sqlite3_prepare_v2(db, part == 0 ? kPersonsSql : kAddressesSql, -1, &st, nullptr), db,
          "prepare");
    auto bind = [&](const char* name, std::int64_t v) {
      if (int i = sqlite3_bind_parameter_index(st, name); i > 0) sqlite3_bind_int64(st, i, v);
    };
    bind(":now", now);
    bind(":d30", 30 * kMicrosPerDay);
    bind(":d90", 90 * kMicrosPerDay);
    bind(":d180", 180 * kMicrosPerDay);
    if (int i = sqlite3_bind_parameter_index(st, ":dob18"); i > 0) {
      sqlite3_bind_text(st, i, dob18.c_str(), -1, SQLITE_TRANSIENT);
    }
    if (int i = sqlite3_bind_parameter_index(st, ":bcu"); i > 0) {
      if (bcu)
        sqlite3_bind_text(st, i, bcu, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null(st, i);
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const std::string key = part == 0 ? "p" + std::to_string(sqlite3_column_int64(st, 0))
                                        : reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      (part == 0 ? a.persons : a.addresses)[key] = {sqlite3_column_int64(st, 1),
                                                    sqlite3_column_int64(st, 2)};
    }
    Check(rc, db, "step");
    sqlite3_finalize(st);
  }
  return a;
}

Answer FromReport(const DemandReport& r) {
  Answer a;
  for (const auto& s : r.persons) a.persons[s.id] = {s.demand.contacts, s.demand.officer_micros};
  for (const auto& s : r.addresses)
    a.addresses[s.id] = {s.demand.contacts, s.demand.officer_micros};
  return a;
}

// True when both sides flag the same subjects with the same contacts and officer time; prints
// every difference (up to 10 per list) to stderr so a mismatch is seen, not just counted.
bool Agree(const char* what, const Answer& index, const Answer& sql) {
  bool same = true;
  auto compare = [&](const char* kind, const auto& a, const auto& b) {
    int differ = 0;
    auto report = [&](const std::string& key, const char* ix, const char* sq) {
      same = false;
      ++differ;
      if (differ <= 10)
        std::fprintf(stderr, "  MISMATCH %s %s %s: index %s, sql %s\n", what, kind, key.c_str(), ix,
                     sq);
    };
    auto str = [](const std::pair<std::int64_t, std::int64_t>& v) {
      return std::to_string(v.first) + " contacts/" + std::to_string(v.second) + " us";
    };
    for (const auto& [k, v] : a) {
      auto it = b.find(k);
      if (it == b.end())
        report(k, str(v).c_str(), "absent");
      else if (it->second != v)
        report(k, str(v).c_str(), str(it->second).c_str());
    }
    for (const auto& [k, v] : b) {
      if (!a.contains(k)) report(k, "absent", str(v).c_str());
    }
    if (differ > 0) {
      std::fprintf(stderr, "  MISMATCH %s %s: index %zu, sql %zu\n", what, kind, a.size(),
                   b.size());
    }
  };
  compare("persons", index.persons, sql.persons);
  compare("addresses", index.addresses, sql.addresses);
  return same;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

long PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

}  // namespace
}  // namespace concordat::bench

int main(int argc, char** argv) {
  using namespace concordat;
  using namespace concordat::bench;
  std::uint64_t total = 20'000'000;
  int years = 5;
  int runs = 5;
  bool keep = false;
  std::string dir = std::filesystem::temp_directory_path().string();
  if (const char* d = std::getenv("CONCORDAT_BENCH_DIR")) dir = d;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--incidents" && i + 1 < argc)
      total = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--years" && i + 1 < argc)
      years = std::atoi(argv[++i]);
    else if (a == "--runs" && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--dir" && i + 1 < argc)
      dir = argv[++i];
    else if (a == "--keep-db")
      keep = true;
    else {
      std::fprintf(stderr,
                   "usage: %s [--incidents N] [--years Y] [--dir D] [--runs R] [--keep-db]\n",
                   argv[0]);
      return 2;
    }
  }
  const Timestamp end = *ParseIso("2026-11-27T10:00:00Z");
  const Timestamp start = end - static_cast<Timestamp>(years) * 365 * kMicrosPerDay;
  const CivilDate today = LondonDate(end);
  const std::string dob18 = FormatDate({today.year - 18, today.month, today.day});
  std::printf("repeat demand: %llu incidents over %d years, seed 20191122\n",
              static_cast<unsigned long long>(total), years);

  // 1. The index, fed incident by incident as the engine's appliers feed it.
  RepeatDemandIndex ix;
  std::set<std::string> children;
  Generator gen(total, start, end);
  Incident inc;
  std::uint64_t mh = 0;
  auto t = Clock::now();
  for (std::uint64_t n = 0; n < total; ++n) {
    gen.Make(n, inc);
    if (!inc.mh) continue;
    ++mh;
    const std::string id = "inc-" + std::to_string(inc.id);
    ix.AddContact(id, inc.at, kBcus[inc.bcu], inc.address);
    for (auto p : inc.persons) ix.LinkPerson(id, "p" + std::to_string(p));
    Timestamp closed = 0;
    for (const auto& a : inc.attendance) closed += (a.left_scene - a.at_scene) * a.officers;
    ix.SetAttendance(id, closed, {});
  }
  const double index_build = Secs(t);
  std::printf(
      "  index: %llu mental-health contacts indexed in %.1f s (generation included); "
      "peak RSS %ld MB\n",
      static_cast<unsigned long long>(mh), index_build, PeakRssMb());

  const auto rules = TeamPolicy{}.repeat_rules;
  auto under18 = [&](const std::string& p) {
    return DateOfBirth(std::atoll(p.c_str() + 1), today) > dob18;
  };
  std::vector<double> force_times, bcu_times;
  DemandReport force_report, bcu_report;
  for (int r = 0; r < std::max(runs, 20); ++r) {
    t = Clock::now();
    force_report = ix.Query(rules, end, "", under18);
    force_times.push_back(Secs(t));
    t = Clock::now();
    bcu_report = ix.Query(rules, end, "CS", under18);
    bcu_times.push_back(Secs(t));
  }
  std::printf(
      "  index query: force %.3f ms (%zu persons, %zu addresses, %zu contacts scanned); "
      "one BCU %.3f ms\n",
      Median(force_times) * 1e3, force_report.persons.size(), force_report.addresses.size(),
      force_report.contacts_scanned, Median(bcu_times) * 1e3);

  // 2. The same data in SQLite.
  const std::string path = dir + "/concordat-repeat-demand-" + std::to_string(::getpid()) + ".db";
  std::filesystem::remove(path);
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;");
  Exec(db,
       "CREATE TABLE incidents(id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, bcu TEXT NOT "
       "NULL, mental_health INTEGER NOT NULL, address_key TEXT);"
       "CREATE TABLE incident_persons(incident_id INTEGER NOT NULL, person_id INTEGER NOT NULL);"
       "CREATE TABLE persons(id INTEGER PRIMARY KEY, date_of_birth TEXT);"
       "CREATE TABLE attendance(incident_id INTEGER NOT NULL, at_scene INTEGER NOT NULL, "
       "left_scene INTEGER NOT NULL, officers INTEGER NOT NULL);");
  t = Clock::now();
  Exec(db, "BEGIN");
  sqlite3_stmt *si, *sp, *sa, *sper;
  sqlite3_prepare_v2(db, "INSERT INTO incidents VALUES(?,?,?,?,?)", -1, &si, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO incident_persons VALUES(?,?)", -1, &sp, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO attendance VALUES(?,?,?,?)", -1, &sa, nullptr);
  sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO persons VALUES(?,?)", -1, &sper, nullptr);
  Generator gen2(total, start, end);
  std::uint64_t rows = 0;
  for (std::uint64_t n = 0; n < total; ++n) {
    gen2.Make(n, inc);
    sqlite3_bind_int64(si, 1, inc.id);
    sqlite3_bind_int64(si, 2, inc.at);
    sqlite3_bind_text(si, 3, kBcus[inc.bcu], 2, SQLITE_STATIC);
    sqlite3_bind_int(si, 4, inc.mh ? 1 : 0);
    sqlite3_bind_text(si, 5, inc.address.c_str(), static_cast<int>(inc.address.size()),
                      SQLITE_TRANSIENT);
    Check(sqlite3_step(si), db, "insert incident");
    sqlite3_reset(si);
    ++rows;
    for (auto p : inc.persons) {
      sqlite3_bind_int64(sp, 1, inc.id);
      sqlite3_bind_int64(sp, 2, p);
      Check(sqlite3_step(sp), db, "insert link");
      sqlite3_reset(sp);
      const std::string dob = DateOfBirth(p, today);
      sqlite3_bind_int64(sper, 1, p);
      sqlite3_bind_text(sper, 2, dob.c_str(), -1, SQLITE_TRANSIENT);
      Check(sqlite3_step(sper), db, "insert person");
      sqlite3_reset(sper);
      rows += 2;
    }
    for (const auto& a : inc.attendance) {
      sqlite3_bind_int64(sa, 1, inc.id);
      sqlite3_bind_int64(sa, 2, a.at_scene);
      sqlite3_bind_int64(sa, 3, a.left_scene);
      sqlite3_bind_int(sa, 4, a.officers);
      Check(sqlite3_step(sa), db, "insert attendance");
      sqlite3_reset(sa);
      ++rows;
    }
    if (n % 1'000'000 == 999'999) {
      Exec(db, "COMMIT; BEGIN");
      std::fprintf(stderr, "\r  sqlite load: %llu of %llu incidents",
                   static_cast<unsigned long long>(n + 1), static_cast<unsigned long long>(total));
    }
  }
  Exec(db, "COMMIT");
  for (auto* s : {si, sp, sa, sper}) sqlite3_finalize(s);
  const double load = Secs(t);
  t = Clock::now();
  Exec(db,
       "CREATE INDEX incidents_received ON incidents(received_at);"
       "CREATE INDEX incidents_mh_received ON incidents(mental_health, received_at);"
       "CREATE INDEX incident_persons_incident ON incident_persons(incident_id);"
       "CREATE INDEX attendance_incident ON attendance(incident_id); ANALYZE;");
  const double indexing = Secs(t);
  std::fprintf(stderr, "\n");
  std::printf("  sqlite: %llu rows loaded in %.1f s, indexes built in %.1f s, file %.2f GB\n",
              static_cast<unsigned long long>(rows), load, indexing,
              static_cast<double>(std::filesystem::file_size(path)) / 1e9);

  std::vector<double> sql_force, sql_bcu;
  Answer sql_force_answer, sql_bcu_answer;
  for (int r = 0; r < runs; ++r) {
    t = Clock::now();
    sql_force_answer = RunSql(db, end, dob18, nullptr);
    sql_force.push_back(Secs(t));
    t = Clock::now();
    sql_bcu_answer = RunSql(db, end, dob18, "CS");
    sql_bcu.push_back(Secs(t));
  }
  std::printf("  sql query: force %.1f ms (first run %.1f ms); one BCU %.1f ms (median of %d)\n",
              Median(sql_force) * 1e3, sql_force[0] * 1e3, Median(sql_bcu) * 1e3, runs);

  std::printf("  peak RSS so far (index + SQLite page cache): %ld MB\n", PeakRssMb());

  // 3. Both must give the same answer.
  // Agreement on an empty answer proves nothing, so the force-wide answer must flag someone.
  const bool agree = Agree("force", FromReport(force_report), sql_force_answer) &
                     Agree("BCU CS", FromReport(bcu_report), sql_bcu_answer);
  const bool vacuous = force_report.persons.empty() || force_report.addresses.empty();
  const bool same = agree && !vacuous;
  std::printf(
      "  answers agree: %s (force: persons %zu/%zu, addresses %zu/%zu; BCU CS: persons %zu/%zu, "
      "addresses %zu/%zu; index/sql)\n",
      agree ? (vacuous ? "VACUOUS (nothing over a threshold)" : "yes") : "NO",
      force_report.persons.size(), sql_force_answer.persons.size(), force_report.addresses.size(),
      sql_force_answer.addresses.size(), bcu_report.persons.size(), sql_bcu_answer.persons.size(),
      bcu_report.addresses.size(), sql_bcu_answer.addresses.size());
  if (!same)
    std::fprintf(stderr, "repeat_demand_bench: FAILED: the two answers %s\n",
                 agree ? "are empty" : "differ");
  std::printf("\n| %llu incidents | index | SQLite | ratio |\n|---|---|---|---|\n",
              static_cast<unsigned long long>(total));
  std::printf("| force-wide query | %.2f ms | %.0f ms | %.0fx |\n", Median(force_times) * 1e3,
              Median(sql_force) * 1e3, Median(sql_force) / Median(force_times));
  std::printf("| one BCU (CS) | %.2f ms | %.0f ms | %.0fx |\n", Median(bcu_times) * 1e3,
              Median(sql_bcu) * 1e3, Median(sql_bcu) / Median(bcu_times));
  std::printf("| build | %.1f s (incremental, in the engine) | %.1f s load + %.1f s indexes | |\n",
              index_build, load, indexing);
  sqlite3_close(db);
  if (!keep) std::filesystem::remove(path);
  return same ? 0 : 1;
}
