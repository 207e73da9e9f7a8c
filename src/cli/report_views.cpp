// `concordat report <name>` for the reports of issue 8 (attendance, record-quality, response,
// mental-health, teams) and `concordat report access` (issue 5): computed offline from a data
// folder, read-only.
//
//   concordat report response --from 2026-11-01T00:00:00Z --to 2026-11-08T00:00:00Z [--bcu AW]
//       [--format json|csv] [--table by_bcu] [--data DIR] [--out FILE]
//   concordat report access --person p-3 [--from …] [--to …] [--data DIR] [--format csv|json]
#include <fmt/format.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "cli/config.hpp"
#include "cli/report.hpp"
#include "cli/store_open.hpp"
#include "core/csv.hpp"
#include "core/json_text.hpp"
#include "core/reports.hpp"
#include "engine/clock.hpp"
#include "refdata/london.hpp"
#include "store/access_log.hpp"

namespace concordat::cli {
namespace {

struct WindowOpts {
  std::string from, to, out, format, config;
  StoreFlags store;
};

void AddWindow(CLI::App* cmd, WindowOpts& o, const char* default_format) {
  o.format = default_format;
  cmd->add_option("--from", o.from, "Window start, ISO 8601 (default: 7 days before --to)");
  cmd->add_option("--to", o.to,
                  "Window end, ISO 8601, exclusive (default: now while a server writes the "
                  "store, else just after its last event)");
  AddStoreOptions(cmd, o.store);
  cmd->add_option("--out", o.out, "Write here (default: standard output)");
  cmd->add_option("--format", o.format, "json or csv")
      ->check(CLI::IsMember({"json", "csv"}))
      ->capture_default_str();
}

Status Window(const WindowOpts& o, Timestamp last, Timestamp* from, Timestamp* to) {
  *to = last + 1;
  if (!o.to.empty()) {
    auto t = ParseIso(o.to, "--to");
    if (!t.ok()) return t.error();
    *to = *t;
  }
  *from = *to - Hours(24 * 7);
  if (!o.from.empty()) {
    auto t = ParseIso(o.from, "--from");
    if (!t.ok()) return t.error();
    *from = *t;
  }
  if (*to <= *from) return Error::InvalidArgument("--to", "--to must be after --from");
  return OkStatus();
}

// The moment a report is computed at. While a server writes the store (it holds the writer
// lock) that is now, as the web app's reports; a stopped store's is its last event, so that the
// clocks it left open (a detention, a handover wait) run to when it stopped, not to today. Said
// on standard error, so that the figures are not read as of the wrong moment.
Timestamp ReportNow(const StoreFlags& store, const State& state, const std::string& name) {
  if (ServedNow(store)) {
    const Timestamp now = RealClock().Now();
    fmt::print(stderr, "report {}: as at now, {} ({})\n", name, FormatIso(now),
               store.shared() ? "a shared store, served while it exists"
                              : "a server is writing this store");
    return now;
  }
  fmt::print(stderr, "report {}: as at the store's last event, {} (no server is writing it)\n",
             name, FormatIso(state.last_at));
  return state.last_at;
}

int Write(const WindowOpts& o, const std::string& text, const char* what) {
  if (o.out.empty()) {
    fmt::print("{}", text);
    return 0;
  }
  std::ofstream f(o.out, std::ios::binary);
  f << text;
  if (!f) {
    fmt::print(stderr, "report {}: cannot write {}\n", what, o.out);
    return 1;
  }
  return 0;
}

void AddOne(CLI::App& parent, const std::string& name, const std::string& title, int& exit_code) {
  auto* cmd = parent.add_subcommand(name, title);
  auto o = std::make_shared<WindowOpts>();
  auto bcu = std::make_shared<std::string>();
  auto table = std::make_shared<std::string>();
  AddWindow(cmd, *o, "json");
  cmd->add_option("--bcu", *bcu, "Only this BCU (code, e.g. AW)");
  cmd->add_option("--table", *table, "With --format csv: the table to write");
  cmd->add_option("--config", o->config, "Configuration file (TOML) with the policy");
  cmd->callback([o, bcu, table, name, &exit_code] {
    auto fail = [&](const std::string& m) {
      fmt::print(stderr, "report {}: {}\n", name, m);
      exit_code = 2;
    };
    Config cfg;
    if (!o->config.empty()) {
      if (auto st = LoadConfigFile(o->config, cfg); !st.ok()) return fail(st.error().message);
    }
    auto ref = LoadLondonRefData(DefaultRefdataDir());
    if (!ref.ok()) return fail(ref.error().message);
    auto state = ReplayState(o->store);
    if (!state.ok()) return fail(state.error().message);
    reports::Request req{name, 0, 0, *bcu};
    const Timestamp now = ReportNow(o->store, *state, name);
    if (auto st = Window(*o, now, &req.from, &req.to); !st.ok()) {
      return fail(st.error().field.empty() ? st.error().message
                                           : st.error().field + ": " + st.error().message);
    }
    const Context ctx{std::max(now, req.from), &*ref, &cfg.policy};
    auto report = reports::Build(*state, ctx, req);
    if (!report.ok()) return fail(report.error().message);
    if (!table->empty() && o->format != "csv") {
      return fail("--table names the table to write as CSV: give --format csv with it");
    }
    std::string text;
    if (o->format == "csv") {
      const reports::Table* t = report->Find(*table);
      if (t == nullptr) {
        std::string names;
        for (const auto& x : report->tables) names += (names.empty() ? "" : ", ") + x.name;
        return fail("--format csv needs --table, one of: " + names);
      }
      text = reports::TableCsv(*t);
    } else {
      text = JsonText(reports::ToJson(*report)) + "\n";
    }
    exit_code = Write(*o, text, name.c_str());
  });
}

// Who consulted or was disclosed data about one person: the person record, every incident the
// person is linked to and every detention of the person (DPA 2018 s62; RULES.md G33).
void AddAccess(CLI::App& parent, int& exit_code) {
  auto* cmd = parent.add_subcommand(
      "access", "Access log for one person: who read or was disclosed what, when, why (CSV/JSON)");
  auto o = std::make_shared<WindowOpts>();
  auto person = std::make_shared<std::string>();
  AddWindow(cmd, *o, "csv");
  cmd->add_option("--person", *person, "Person id (e.g. p-3)")->required();
  cmd->callback([o, person, &exit_code] {
    auto fail = [&](const std::string& m) {
      fmt::print(stderr, "report access: {}\n", m);
      exit_code = 2;
    };
    auto state = ReplayState(o->store);
    if (!state.ok()) return fail(state.error().message);
    if (!state->team.persons.contains(*person)) return fail("no person " + *person);
    AccessQuery q;
    if (auto st = Window(*o, INT64_MAX - 1, &q.from, &q.to); !st.ok()) {
      return fail(st.error().field.empty() ? st.error().message
                                           : st.error().field + ": " + st.error().message);
    }
    if (o->from.empty()) q.from = 0;  // without --from: from the beginning
    q.limit = 1'000'000;
    q.whats.push_back("person/" + *person);
    for (const auto& [id, i] : state->cad.incidents) {
      for (const auto& p : i.persons) {
        if (p == *person) q.whats.push_back("incident/" + id);
      }
    }
    for (const auto& [id, d] : state->mh.detentions) {
      if (d.person.person_id == *person) q.whats.push_back("detention/" + id);
    }
    auto log = OpenAccessLogOf(o->store);
    if (!log.ok()) return fail(log.error().message);
    auto rows = (*log)->Query(q);
    if (!rows.ok()) return fail(rows.error().message);
    std::string text;
    if (o->format == "json") {
      boost::json::array out;
      for (const auto& r : *rows) {
        out.push_back({{"at", FormatIso(r.at)},       {"user_id", r.user_id},
                       {"role", r.role},              {"agency_id", r.agency_id},
                       {"action", r.action},          {"what", r.what},
                       {"categories", r.categories},  {"justification", r.justification},
                       {"recipient", r.recipient},    {"route", r.route}});
      }
      text = JsonText(boost::json::object{
                 {"person_id", *person}, {"records", q.whats.size()}, {"entries", out}}) +
             "\n";
    } else {
      text = "at,user_id,role,agency_id,action,what,categories,justification,recipient,route\r\n";
      for (const auto& r : *rows) {
        for (const std::string* f : {&r.user_id, &r.role, &r.agency_id, &r.action, &r.what,
                                     &r.categories, &r.justification, &r.recipient, &r.route}) {
          if (f == &r.user_id) text += FormatIso(r.at);
          text += "," + CsvQuote(*f);
        }
        text += "\r\n";
      }
    }
    exit_code = Write(*o, text, "access");
  });
}

}  // namespace

void AddReportViews(CLI::App& report, int& exit_code) {
  for (const auto& [name, title] : reports::Catalogue()) AddOne(report, name, title, exit_code);
  AddAccess(report, exit_code);
}

}  // namespace concordat::cli
