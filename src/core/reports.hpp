// Reports (issue 8): what happened and how well, computed from the domain state for a window.
// Each report is a few tables of rows plus a summary of headline numbers; the API serves them as
// JSON or one table as CSV, the CLI writes them, and the simulator prints them for its period.
//
//   attendance       incidents attended beyond the recommendation (by how much, for how long),
//                    self-deployments after the advisory, stand-downs
//   record-quality   status-update lag (AVL arrival vs recorded arrival), unrecorded attendances,
//                    prompts and alerts, per BCU and per shift
//   response         grade targets met (I within 15 min, S within 60 min) per BCU and hour
//   mental-health    MH demand per BCU and hour, RCRP outcomes, s136 durations, time to place of
//                    safety, handover waits over 60 minutes, conveyance mode, police-station use,
//                    extensions
//   teams            repeat demand, HIU cases and demand change, training coverage against target
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/domain.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace concordat {

namespace reports {

struct Column {
  std::string key;
  std::string label;
  std::string unit;  // "", "minutes", "hours", "percent", "count"
};

struct Table {
  std::string name;
  std::string title;
  std::vector<Column> columns;
  std::vector<boost::json::object> rows;  // keyed by column key
  // What the table says when it has no rows: most tables are of the window, a few (HIU cases,
  // training) of everything the force holds, and "none in this window" would mislead there.
  std::string empty = "None in this window.";
};

struct Report {
  std::string name;
  std::string title;
  Timestamp from = 0;
  Timestamp to = 0;
  Timestamp generated_at = 0;
  boost::json::object summary;  // headline numbers, e.g. {"incidents": 120, "met_pct": 91.7}
  std::vector<Table> tables;
  const Table* Find(std::string_view table) const;
};

struct Request {
  std::string name;  // one of Catalogue()
  Timestamp from = 0;
  Timestamp to = 0;  // exclusive
  std::string bcu;   // optional filter (BCU code)
};

// (name, title) of every report.
const std::vector<std::pair<std::string, std::string>>& Catalogue();

// Builds one report as at ctx.now (ctx.policy and ctx.ref are required); an unknown name or an
// empty/inverted window is kInvalidArgument.
Result<Report> Build(const State& s, const Context& ctx, const Request& req);

boost::json::object ToJson(const Report& r);
// One table as CSV (RFC 4180, header row of column keys).
std::string TableCsv(const Table& t);

}  // namespace reports
}  // namespace concordat
