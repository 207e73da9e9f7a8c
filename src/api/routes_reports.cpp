// Reports (issue 8): `GET /api/reports` lists them; `GET /api/reports/{name}` builds one for a
// window (from, to: ISO times; default the last 7 days) and an optional BCU, as JSON or — with
// format=csv&table=NAME — one of its tables as CSV. The s136 annual return keeps its own route
// (routes_mh.cpp), which the router matches first.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "core/reports.hpp"
#include "core/state.hpp"

namespace concordat::api {
namespace {

using CallPtr = std::shared_ptr<Call>;

std::string Q(const Call& c, const char* key) {
  auto it = c.req().query.find(key);
  return it == c.req().query.end() ? std::string() : it->second;
}

Result<reports::Request> ParseRequest(const Call& c, Timestamp now) {
  reports::Request req;
  req.name = c.param("name");
  req.bcu = Q(c, "bcu");
  req.to = now;
  if (const std::string to = Q(c, "to"); !to.empty()) {
    auto t = ParseIso(to, "to");
    if (!t.ok()) return t.error();
    req.to = *t;
  }
  req.from = req.to - Hours(24 * 7);
  if (const std::string from = Q(c, "from"); !from.empty()) {
    auto t = ParseIso(from, "from");
    if (!t.ok()) return t.error();
    req.from = *t;
  }
  return req;
}

void Serve(App& app, const CallPtr& c) {
  const Context ctx = app.engine().MakeContext(app.engine().clock().Now());
  auto req = ParseRequest(*c, ctx.now);
  if (!req.ok()) return c->Fail(req.error());
  const std::string format = Q(*c, "format");
  if (!format.empty() && format != "json" && format != "csv") {
    return c->Fail(Error::InvalidArgument("format", "format is json or csv"));
  }
  auto report = app.engine().Read(
      [&](const State& s) { return reports::Build(s, ctx, *req); });
  if (!report.ok()) return c->Fail(report.error());
  if (format != "csv") return c->Json(200, reports::ToJson(*report));
  const std::string table = Q(*c, "table");
  const reports::Table* t = report->Find(table);
  if (t == nullptr) {
    std::string names;
    for (const auto& x : report->tables) names += (names.empty() ? "" : ", ") + x.name;
    return c->Fail(Error::InvalidArgument(
        "table", "format=csv needs table=NAME, one of: " + names));
  }
  HttpResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = reports::TableCsv(*t);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + report->name + "-" +
                                                    t->name + ".csv\"");
  c->Reply(std::move(r));
}

}  // namespace

void AddReportRoutes(App& app) {
  Router& r = app.mutable_router();
  r.Add({"GET", "/api/reports", "report.read", "The reports there are",
         [](const CallPtr& c) {
           boost::json::array list;
           for (const auto& [name, title] : reports::Catalogue()) {
             list.push_back({{"name", name}, {"title", title}});
           }
           list.push_back({{"name", "s136"},
                           {"title", "Home Office s136 annual return (CSV, ?year=)"}});
           c->Json(200, boost::json::object{{"reports", list}});
         },
         false, "reports"});
  Route one{"GET",
            "/api/reports/{name}",
            "report.read",
            "One report for a window (from, to, bcu); format=csv&table=NAME for one table as CSV",
            [&app](const CallPtr& c) { Serve(app, c); },
            false,
            "reports"};
  one.query = {{"from", "Window start, ISO 8601 with a zone (default: 7 days before `to`)"},
               {"to", "Window end, exclusive, ISO 8601 with a zone (default: now)"},
               {"bcu", "Only this BCU (code, e.g. AW; default: the whole force)"},
               {"format", "json (default) or csv"},
               {"table", "With format=csv: the table to write (the report's `tables[].name`)"}};
  r.Add(std::move(one));
}

}  // namespace concordat::api
