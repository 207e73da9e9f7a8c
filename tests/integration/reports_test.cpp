// Reports through the HTTP API (issue 8) and the access report from the command line (issue 5),
// on the real server and its SQLite file.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "cli/commands.hpp"
#include "core/csv.hpp"
#include "core/json_text.hpp"
#include "core/time.hpp"
#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

constexpr double kLat = 51.50081;
constexpr double kLon = -0.12186;

class ReportsApi : public ::testing::Test {
 protected:
  ReportsApi() : http_(server_.port()) {}
  std::string Token(const std::string& role) {
    auto it = tokens_.find(role);
    if (it == tokens_.end()) it = tokens_.emplace(role, server_.Login(role)).first;
    return it->second;
  }
  boost::json::value MustPost(const std::string& role, const std::string& target,
                              boost::json::value body, int status = 200) {
    HttpResult r = http_.Post(target, Token(role), body, "rep-" + std::to_string(++key_));
    EXPECT_EQ(r.status, status) << target << " " << r.body;
    return r.json;
  }
  std::string NewIncident(const std::string& grade) {
    auto r = MustPost("controller", "/api/incidents",
                      {{"channel", "999"},
                       {"location",
                        {{"lat", kLat},
                         {"lon", kLon},
                         {"address", "Westminster Bridge"},
                         {"type", "public_place"}}},
                       {"type", "mental_health"},
                       {"grade", grade},
                       {"flags", {"mental_health"}}},
                      201);
    return std::string(r.at("id").as_string());
  }
  // Runs `concordat report ...` in-process; returns its exit code.
  int Cli(std::vector<std::string> args) {
    CLI::App app("concordat");
    int code = -1;
    cli::AddReportCommand(app, code);
    args.insert(args.begin(), "report");
    std::reverse(args.begin(), args.end());
    try {
      app.parse(args);
    } catch (const CLI::ParseError& e) {
      return app.exit(e);
    }
    return code;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

  TestServer server_;
  HttpClient http_;
  std::map<std::string, std::string> tokens_;
  int key_ = 0;
};

TEST_F(ReportsApi, ResponseReportAsJsonAndCsvWithRolesAndBadInput) {
  const std::string inc = NewIncident("I");
  MustPost("controller", "/api/incidents/" + inc + "/assignments",
           {{"unit_id", "unit-AW11"}, {"mode", "dispatched"}}, 201);
  ASSERT_EQ(server_.Advance(8 * 60).status, 200);
  for (const char* st : {"en_route", "at_scene"}) {
    MustPost("controller", "/api/incidents/" + inc + "/assignments/unit-AW11/state",
             {{"state", st}});
  }
  auto list = http_.Get("/api/reports", Token("analyst"));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json.at("reports").as_array().size(), 6u);  // five + the s136 return

  auto r = http_.Get("/api/reports/response?bcu=AW", Token("analyst"));
  ASSERT_EQ(r.status, 200) << r.body;
  bool found = false;
  for (const auto& row : r.json.at("tables").at(0).at("rows").as_array()) {
    if (row.at("bcu") == "AW" && row.at("grade") == "I") {
      found = true;
      EXPECT_GE(row.at("met").as_int64(), 1);
    }
  }
  EXPECT_TRUE(found) << r.body;

  auto csv = http_.Get("/api/reports/response?format=csv&table=by_hour", Token("supervisor"));
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers["content-type"].rfind("text/csv", 0), 0u);
  auto table = ParseCsv(csv.body);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->rows.size(), 24u * 3u);  // each hour × I, S, E

  EXPECT_EQ(http_.Get("/api/reports/response", Token("officer")).status, 403);
  EXPECT_EQ(http_.Get("/api/reports/response", "").status, 401);
  auto bad_table = http_.Get("/api/reports/response?format=csv&table=nope", Token("analyst"));
  EXPECT_EQ(bad_table.status, 400);
  EXPECT_EQ(bad_table.json.at("error").at("field"), "table");
  auto bad_from = http_.Get("/api/reports/attendance?from=yesterday", Token("analyst"));
  EXPECT_EQ(bad_from.status, 400);
  EXPECT_EQ(bad_from.json.at("error").at("field"), "from");
  EXPECT_EQ(http_.Get("/api/reports/nope", Token("analyst")).status, 404);
  EXPECT_EQ(http_.Get("/api/reports/response?bcu=ZZ", Token("analyst")).status, 400);
  EXPECT_EQ(http_.Get("/api/reports/response?format=xml", Token("analyst")).status, 400);
}

TEST_F(ReportsApi, AccessReportListsEveryReadOfAPersonAndTheirIncidents) {
  auto person = MustPost("controller", "/api/persons",
                         {{"name", "Sam Audit"},
                          {"date_of_birth", "1990-05-06"},
                          {"address", "1 Audit Row, London SW1A 1AA"}},
                         201);
  const std::string pid(person.at("id").as_string());
  const std::string inc = NewIncident("S");
  MustPost("controller", "/api/incidents/" + inc + "/persons", {{"person_id", pid}});
  const std::string other = NewIncident("S");  // not about this person

  ASSERT_EQ(http_.Get("/api/persons/" + pid, Token("mh_team")).status, 200);
  ASSERT_EQ(http_.Get("/api/incidents/" + inc, Token("supervisor")).status, 200);
  ASSERT_EQ(http_.Get("/api/incidents/" + other, Token("supervisor")).status, 200);

  const std::string out = server_.data_dir() + "/access.csv";
  ASSERT_EQ(Cli({"access", "--person", pid, "--data", server_.data_dir(), "--out", out}), 0);
  auto table = ParseCsv(Slurp(out));
  ASSERT_TRUE(table.ok()) << Slurp(out);
  std::set<std::string> whats, users;
  for (const auto& row : table->rows) {
    whats.insert(row.fields[table->Column("what")]);
    users.insert(row.fields[table->Column("user_id")]);
  }
  EXPECT_TRUE(whats.contains("person/" + pid));
  EXPECT_TRUE(whats.contains("incident/" + inc));
  EXPECT_FALSE(whats.contains("incident/" + other));
  EXPECT_TRUE(users.contains("user-mh_team"));
  EXPECT_TRUE(users.contains("user-supervisor"));

  // A window before any of it: the header only.
  ASSERT_EQ(Cli({"access", "--person", pid, "--data", server_.data_dir(), "--out", out, "--to",
                 "2020-01-01T00:00:00Z", "--from", "2019-01-01T00:00:00Z"}),
            0);
  auto empty = ParseCsv(Slurp(out));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->rows.empty());
  // Unknown person, bad time: exit code 2, nothing written.
  EXPECT_EQ(Cli({"access", "--person", "nobody", "--data", server_.data_dir()}), 2);
  EXPECT_EQ(Cli({"access", "--person", pid, "--data", server_.data_dir(), "--from", "soon"}), 2);
}

TEST_F(ReportsApi, CliReportsMatchTheApiForTheSameWindow) {
  NewIncident("I");
  NewIncident("S");
  const std::string from = "2026-11-27T00:00:00Z", to = "2026-11-28T00:00:00Z";
  auto api = http_.Get("/api/reports/mental-health?from=" + from + "&to=" + to, Token("analyst"));
  ASSERT_EQ(api.status, 200);
  const std::string out = server_.data_dir() + "/mh.json";
  ASSERT_EQ(Cli({"mental-health", "--data", server_.data_dir(), "--from", from, "--to", to,
                 "--out", out}),
            0);
  const std::string text = Slurp(out);
  auto cli = boost::json::parse(text);
  EXPECT_EQ(cli.at("summary").at("incidents"), api.json.at("summary").at("incidents"));
  // Numbers as people write them (42.9, 0.0), as the API writes them: never 4.29E1 or 0E0.
  EXPECT_FALSE(std::regex_search(text, std::regex("[0-9][eE][-+]?[0-9]"))) << text;
  EXPECT_EQ(JsonText(cli.at("summary")), JsonText(api.json.at("summary")));
  EXPECT_GE(cli.at("summary").at("incidents").as_int64(), 2);
  EXPECT_EQ(Cli({"mental-health", "--data", server_.data_dir(), "--format", "csv"}), 2);  // table?
  // A table asked for without CSV is a mistake to name, not to ignore.
  EXPECT_EQ(Cli({"mental-health", "--data", server_.data_dir(), "--table", "demand"}), 2);
}

}  // namespace
}  // namespace concordat::testing
