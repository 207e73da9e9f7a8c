#include "sim/simulator.hpp"

#include <sys/resource.h>

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

#include "sim/demand.hpp"
#include "sim/window.hpp"

namespace concordat::sim {
namespace {

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Pct(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

void SimTotals::Add(const SimTotals& o) {
  contacts += o.contacts;
  duplicates += o.duplicates;
  referred += o.referred;
  attended += o.attended;
  mh_contacts += o.mh_contacts;
  mh_attended += o.mh_attended;
  for (size_t h = 0; h < 24; ++h) contacts_by_hour[h] += o.contacts_by_hour[h];
  for (size_t d = 0; d < 7; ++d) contacts_by_weekday[d] += o.contacts_by_weekday[d];
  incidents += o.incidents;
  s136 += o.s136;
  emergencies += o.emergencies;
  units = std::max(units, o.units);
  windows += o.windows;
  dispatches += o.dispatches;
  self_deployments += o.self_deployments;
  advisory_heeded += o.advisory_heeded;
  stood_down += o.stood_down;
  over_attended += o.over_attended;
  officer_hours += o.officer_hours;
  excess_officer_hours += o.excess_officer_hours;
  i_arrivals += o.i_arrivals;
  i_met += o.i_met;
  s_arrivals += o.s_arrivals;
  s_met += o.s_met;
  handovers += o.handovers;
  handovers_over_60 += o.handovers_over_60;
  commands += o.commands;
  rejected += o.rejected;
  events += o.events;
  timers_fired += o.timers_fired;
  clock_advances += o.clock_advances;
  payload_bytes += o.payload_bytes;
  for (const auto& e : o.errors) {
    if (errors.size() < 20) errors.push_back(e);
  }
  peak_rss_kb = std::max(peak_rss_kb, o.peak_rss_kb);
}

boost::json::object SimTotals::ToJson() const {
  boost::json::array by_hour(contacts_by_hour.begin(), contacts_by_hour.end());
  boost::json::array by_day(contacts_by_weekday.begin(), contacts_by_weekday.end());
  boost::json::array errs;
  for (const auto& e : errors) errs.emplace_back(e);
  return {{"contacts", contacts},
          {"duplicates", duplicates},
          {"referred", referred},
          {"attended", attended},
          {"mh_contacts", mh_contacts},
          {"mh_attended", mh_attended},
          {"contacts_by_hour", by_hour},
          {"contacts_by_weekday", by_day},
          {"incidents", incidents},
          {"s136", s136},
          {"emergencies", emergencies},
          {"units", units},
          {"windows", windows},
          {"dispatches", dispatches},
          {"self_deployments", self_deployments},
          {"advisory_heeded", advisory_heeded},
          {"stood_down", stood_down},
          {"over_attended", over_attended},
          {"officer_hours", officer_hours},
          {"excess_officer_hours", excess_officer_hours},
          {"i_arrivals", i_arrivals},
          {"i_met", i_met},
          {"s_arrivals", s_arrivals},
          {"s_met", s_met},
          {"handovers", handovers},
          {"handovers_over_60", handovers_over_60},
          {"commands", commands},
          {"rejected", rejected},
          {"events", events},
          {"timers_fired", timers_fired},
          {"clock_advances", clock_advances},
          {"payload_bytes", payload_bytes},
          {"errors", errs},
          {"wall_seconds", wall_seconds},
          {"cpu_seconds", cpu_seconds},
          {"events_per_second", EventsPerSecond()},
          {"contacts_per_second", ContactsPerSecond()},
          {"peak_rss_kb", peak_rss_kb}};
}

std::string SimTotals::Text() const {
  std::string s;
  auto line = [&s](const std::string& k, const std::string& v) {
    s += "  " + k + std::string(k.size() < 28 ? 28 - k.size() : 1, ' ') + v + "\n";
  };
  auto n = [](std::uint64_t v) { return std::to_string(v); };
  line("contacts", n(contacts) + "  (MH " + n(mh_contacts) + " = " +
                       Fmt("%.2f%%", Pct(mh_contacts, contacts)) + ", further calls " +
                       n(duplicates) + ")");
  line("incidents", n(incidents) + "  (attended " + n(attended) + ", MH attended " +
                        n(mh_attended) + ", not deployed " + n(referred) + ")");
  line("s136 detentions", n(s136) + "  (handovers over 60 min " + n(handovers_over_60) + " of " +
                              n(handovers) + ")");
  line("emergency button", n(emergencies) + "  (self-deployed " + n(self_deployments) +
                               ", heeded advisory " + n(advisory_heeded) + ", stood down " +
                               n(stood_down) + ")");
  line("over-attended incidents", n(over_attended));
  line("officer-hours committed", Fmt("%.0f", officer_hours) + "  (beyond the recommended attendance " +
                                      Fmt("%.1f", excess_officer_hours) + ")");
  line("grade I arrivals in 15 min", n(i_met) + " of " + n(i_arrivals) + " (" +
                                         Fmt("%.1f%%", Pct(i_met, i_arrivals)) + ")");
  line("grade S arrivals in 60 min", n(s_met) + " of " + n(s_arrivals) + " (" +
                                         Fmt("%.1f%%", Pct(s_met, s_arrivals)) + ")");
  line("units", n(units) + " (windows " + n(windows) + ")");
  line("engine commands", n(commands) + "  (rejected " + n(rejected) + ", clock advances " +
                              n(clock_advances) + ")");
  line("engine events", n(events) + "  (timers fired " + n(timers_fired) + ")");
  line("wall time", Fmt("%.2f s", wall_seconds) + " (CPU " + Fmt("%.2f s", cpu_seconds) + ", " +
                        Fmt("%.0f", EventsPerSecond()) +
                        " events/s, " + Fmt("%.0f", ContactsPerSecond()) + " contacts/s, peak RSS " +
                        Fmt("%.0f MB", static_cast<double>(peak_rss_kb) / 1024) + ")");
  for (const auto& e : errors) s += "  rejected: " + e + "\n";
  return s;
}

Result<SimTotals> RunSimulation(const SimConfig& cfg, const RefData& ref, const SimOptions& opt) {
  if (opt.days < 1 || opt.days > 3660) {
    return Error::InvalidArgument("days", "--days must be between 1 and 3660");
  }
  if (auto st = ValidateSimConfig(cfg); !st.ok()) return st.error();
  if (ref.bcus.empty() || ref.boroughs.empty()) {
    return Error::InvalidArgument("refdata", "the London reference data has no BCUs or boroughs");
  }
  auto start = StartTime(cfg);
  if (!start.ok()) return start.error();
  SimConfig run_cfg = cfg;
  // AVL is modelled as a fix on arrival only, so fixes are trusted for longer than in service.
  run_cfg.policy.recommend.max_fix_age = Hours(24);
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSeconds();
  Domain domain;
  RegisterAllDomains(domain);
  const DemandGenerator demand(run_cfg, ref, opt.seed);
  SimTotals totals;
  const Timestamp end = *start + static_cast<Timestamp>(opt.days) * kMicrosPerDay;
  const Timestamp step = static_cast<Timestamp>(run_cfg.window_days) * kMicrosPerDay;
  std::vector<std::pair<Timestamp, Timestamp>> windows;
  for (Timestamp from = *start; from < end; from += step) {
    windows.emplace_back(from, std::min(end, from + step));
  }
  // Windows are independent: `jobs` threads each take the next window not yet taken, run it on
  // its own engine, and free it, so no thread waits for a slower partner (windows used to run in
  // lockstep groups, which left about a fifth of two cores idle over a year). Results are added in
  // window order, so the totals do not depend on `jobs`. `on_window` is called in window order
  // too: a thread that finishes ahead of an earlier window then waits for that one to be reported
  // first (it reads the window's state, which the thread frees afterwards). Without `on_window`
  // (a benchmark run) nothing is reported as it goes, so a finished thread never waits: it takes
  // the next window at once (waiting left a core idle for as long as an earlier window ran on).
  const size_t jobs = std::min(static_cast<size_t>(std::max(1, opt.jobs)), windows.size());
  const bool in_order = static_cast<bool>(opt.on_window);
  std::vector<SimTotals> per_window(windows.size());
  std::vector<Status> outcome(windows.size(), OkStatus());
  std::mutex mu;
  std::condition_variable reported_cv;
  size_t next_window = 0;    // the next one to take
  size_t next_reported = 0;  // every window before it has been reported (in order only)
  bool failed = false;       // a window failed: nothing more is taken or reported
  auto worker = [&] {
    while (true) {
      size_t k = 0;
      {
        std::lock_guard lock(mu);
        if (failed || next_window == windows.size()) return;
        k = next_window++;
      }
      const auto [from, to] = windows[k];
      auto w =
          std::make_unique<Window>(run_cfg, ref, domain, opt.seed * 0x2545F4914F6CDD1DULL + k + 1,
                                   from, to, opt.json_bodies);
      Status st = w->Run(demand.Generate(from, to));
      std::unique_lock lock(mu);
      if (in_order) reported_cv.wait(lock, [&] { return failed || next_reported == k; });
      if (!st.ok()) {
        outcome[k] = std::move(st);
        failed = true;
      } else if (!(in_order && failed)) {
        per_window[k] = w->totals();
        if (in_order) {
          w->engine().Read([&](const State& s) {
            opt.on_window(s, run_cfg.policy, from, to);
            return 0;
          });
          ++next_reported;
        }
      }
      lock.unlock();
      reported_cv.notify_all();
      w.reset();  // this window's state is freed on this thread, alongside the others' work
    }
  };
  std::vector<std::thread> threads;
  for (size_t j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  for (const Status& st : outcome) {
    if (!st.ok()) return st.error();  // the first window, in order, that failed
  }
  for (const auto& t : per_window) totals.Add(t);
  totals.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  totals.cpu_seconds = CpuSeconds() - cpu_start;
  return totals;
}

std::string CompareTable(const SimTotals& a, const SimTotals& b, const std::string& a_name,
                         const std::string& b_name) {
  struct Row {
    const char* name;
    double x, y;
    int decimals;
    bool count;  // a count of events: its chance spread is shown (Poisson, 2 sigma of the diff)
  };
  const auto c = [](std::uint64_t v) { return static_cast<double>(v); };
  const Row rows[] = {
      {"officer-hours committed", a.officer_hours, b.officer_hours, 0, false},
      {"officer-hours over rec.", a.excess_officer_hours, b.excess_officer_hours, 1, false},
      {"over-attended incidents", c(a.over_attended), c(b.over_attended), 0, true},
      {"self-deployments", c(a.self_deployments), c(b.self_deployments), 0, true},
      {"stood down", c(a.stood_down), c(b.stood_down), 0, true},
      {"grade I at scene <15 min %", Pct(a.i_met, a.i_arrivals), Pct(b.i_met, b.i_arrivals), 1,
       false},
      {"grade S at scene <60 min %", Pct(a.s_met, a.s_arrivals), Pct(b.s_met, b.s_arrivals), 1,
       false},
      {"MH incidents attended", c(a.mh_attended), c(b.mh_attended), 0, true},
      {"s136 detentions", c(a.s136), c(b.s136), 0, true},
      {"handovers over 60 min", c(a.handovers_over_60), c(b.handovers_over_60), 0, true},
      {"emergency button presses", c(a.emergencies), c(b.emergencies), 0, true},
  };
  auto pad = [](std::string s, size_t w) {
    if (s.size() < w) s.insert(0, w - s.size(), ' ');
    return s;
  };
  // Every figure is rounded as shown before the difference is taken, so that the difference
  // is the one between the figures on the line (99.9 and 99.9 differ by 0.0, not -0.1).
  auto rounded = [](double v, int decimals) {
    const double scale = decimals == 0 ? 1.0 : 10.0;
    return std::round(v * scale) / scale;
  };
  const size_t w = std::max<size_t>(12, std::max(a_name.size(), b_name.size()) + 2);
  std::string out = std::string("measure") + std::string(27 - 7, ' ') + pad(a_name, w) +
                    pad(b_name, w) + pad("difference", 12) + pad("change", 10) +
                    pad("chance (2 sd)", 15) + "\n";
  for (const auto& r : rows) {
    std::string name = r.name;
    name.resize(27, ' ');
    const double x = rounded(r.x, r.decimals), y = rounded(r.y, r.decimals);
    const double diff = y - x;
    const char* f = r.decimals == 0 ? "%.0f" : "%.1f";
    const std::string change = x != 0 ? Fmt("%+.1f%%", 100.0 * diff / x) : "-";
    // Counts of independent events vary by about their square root from run to run: a
    // difference within twice the spread of (y - x) is what another seed could give as well.
    const std::string spread = r.count ? Fmt("+/-%.0f", 2.0 * std::sqrt(x + y)) : "-";
    out += name + pad(Fmt(f, x), w) + pad(Fmt(f, y), w) +
           pad(diff == 0 ? std::string(r.decimals == 0 ? "0" : "0.0")
                         : Fmt(r.decimals == 0 ? "%+.0f" : "%+.1f", diff),
               12) +
           pad(change, 10) + pad(spread, 15) + "\n";
  }
  out +=
      "\nThese are the simulator's own counts as it ran: arrivals are units reaching the scene\n"
      "(AVL), among incidents that had one, and detentions are every one it made, those finished\n"
      "after the last day included. The reports above count what the log records within each\n"
      "window, so their figures can differ. A difference inside the chance column is what another\n"
      "--seed could give as well: simulate more days, or several seeds, before reading it as the\n"
      "policy's effect.\n";
  return out;
}

}  // namespace concordat::sim
