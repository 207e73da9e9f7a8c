// Training and competence (DESIGN.md §4): a catalogue of courses with refresh intervals,
// sessions with partner co-facilitators and service-user input, completions per officer, and the
// CSV import of completions. An import is one decision: every accepted row lands in one event (one
// transaction) or none does; each rejected row is reported with its line and the reason.
#include <algorithm>

#include "core/csv.hpp"
#include "core/team_internal.hpp"

namespace concordat::team {
namespace {

const std::initializer_list<std::string_view> kKinds = {"mh_one_day", "respond_role_play",
                                                        "peqf_module", "local_update", "custom"};
constexpr size_t kMaxImportRows = 50'000;

bool ValidCode(const std::string& s) {
  return !s.empty() && s.size() <= 40 &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
}

Result<Decision> DecideCourse(const State& s, const Command& c, const Context&) {
  FieldReader r(c.body);
  const std::string id = r.String("id", 40);
  const std::string title = r.String("title", 200);
  const std::string kind = r.Enum("kind", kKinds);
  const auto months = r.Integer("refresh_months", 0, 120);
  const auto counts = r.OptionalBool("counts_for_coverage");
  const auto description = r.OptionalString("description", 4000);
  if (!r.ok()) return r.error();
  if (!ValidCode(id)) {
    return Error::InvalidArgument("id", "id must be a lower-case code such as mh-one-day");
  }
  if (s.team.training.courses.contains(id)) return Error::Conflict("course " + id + " exists");
  const std::string cid = id;
  return OneEvent(
      NewEvent{TrainingStream(),
               "training.course_created",
               classification::kOperational,
               {{"id", id},
                {"title", title},
                {"kind", kind},
                {"refresh_months", months},
                {"counts_for_coverage", counts.value_or(kind == "mh_one_day")},
                {"description", description.value_or("")}}},
      [cid](const State& st) -> boost::json::value {
        return CourseJson(st.team.training.courses.at(cid));
      },
      201);
}

Result<Decision> DecideSession(const State& s, const Command& c, const Context& ctx) {
  FieldReader r(c.body);
  const std::string course = r.String("course_id", 40);
  const std::string date = r.String("date", 10);
  const std::string bcu = r.String("bcu", 10);
  const auto location = r.OptionalString("location", 500);
  const auto facilitators = r.StringList("facilitators", 20);
  const auto co = ReadPartnerLeads(r, c.body, "co_facilitators");
  const bool service_user = r.Bool("service_user_input");
  const auto note = r.OptionalString("service_user_note", 2000);
  const auto capacity = r.OptionalInteger("capacity", 0, 1000);
  if (!r.ok()) return r.error();
  if (!s.team.training.courses.contains(course)) {
    return Error::InvalidArgument("course_id", "no course " + course);
  }
  if (auto d = ParseDate(date); !d.ok()) return d.error();
  if (ctx.ref->FindBcu(bcu) == nullptr) return Error::InvalidArgument("bcu", "no BCU " + bcu);
  const std::string id = "session-" + std::to_string(s.team.training.next_session);
  return OneEvent(
      NewEvent{TrainingStream(),
               "training.session_created",
               classification::kOperational,
               {{"id", id},
                {"course_id", course},
                {"date", date},
                {"bcu", bcu},
                {"location", location.value_or("")},
                {"facilitators", StrArray(facilitators)},
                {"co_facilitators", PartnerLeadsJson(co)},
                {"service_user_input", service_user},
                {"service_user_note", note.value_or("")},
                {"capacity", capacity.value_or(0)}}},
      [id](const State& st) -> boost::json::value {
        return SessionJson(st.team.training.sessions.at(id));
      },
      201);
}

struct Row {
  std::string collar, name, bcu, course, completed_on, session;
};

// Why a completion cannot be recorded: {field, reason}, or an empty reason when it can.
std::pair<std::string, std::string> Check(const State& s, const Context& ctx, const Row& row) {
  if (row.collar.empty() || row.collar.size() > 40)
    return {"collar", "collar is empty or too long"};
  if (row.name.empty() || row.name.size() > 200) return {"name", "name is empty or too long"};
  if (ctx.ref->FindBcu(row.bcu) == nullptr) return {"bcu", "unknown BCU '" + row.bcu + "'"};
  if (!s.team.training.courses.contains(row.course)) {
    return {"course_id", "unknown course '" + row.course + "'"};
  }
  auto d = ParseDate(row.completed_on);
  if (!d.ok()) {
    return {"completed_on", "completed_on '" + row.completed_on + "' is not a date (YYYY-MM-DD)"};
  }
  if (DaysFromCivil(*d) > DaysFromCivil(LondonDate(ctx.now))) {
    return {"completed_on", "completed_on is in the future"};
  }
  // A mistyped year (1900 for 2019) would count as training long lapsed; no serving officer
  // trained half a century ago.
  if (DaysFromCivil(*d) < DaysFromCivil(LondonDate(ctx.now)) - 50 * 365) {
    return {"completed_on",
            "completed_on '" + row.completed_on + "' is more than 50 years ago: check the year"};
  }
  if (!row.session.empty()) {
    auto it = s.team.training.sessions.find(row.session);
    if (it == s.team.training.sessions.end()) {
      return {"session_id", "unknown session '" + row.session + "'"};
    }
    if (it->second.course_id != row.course) {
      return {"session_id", "session " + row.session + " was a session of " + it->second.course_id};
    }
  }
  return {};
}

bool AlreadyRecorded(const State& s, const Row& row) {
  auto it = s.team.training.officers.find(row.collar);
  if (it == s.team.training.officers.end()) return false;
  return std::any_of(it->second.completions.begin(), it->second.completions.end(),
                     [&](const Completion& c) {
                       return c.course_id == row.course && c.completed_on == row.completed_on;
                     });
}

boost::json::object RowJson(const Row& r) {
  return {{"collar", r.collar},
          {"name", r.name},
          {"bcu", r.bcu},
          {"course_id", r.course},
          {"completed_on", r.completed_on},
          {"session_id", r.session}};
}

Result<Decision> DecideRecord(const State& s, const Command& c, const Context& ctx) {
  FieldReader r(c.body);
  Row row{r.String("collar", 40),       r.String("name", 200),
          r.String("bcu", 10),          r.String("course_id", 40),
          r.String("completed_on", 10), r.OptionalString("session_id", 40).value_or("")};
  if (!r.ok()) return r.error();
  if (auto [field, why] = Check(s, ctx, row); !why.empty()) {
    return Error::InvalidArgument(field, why);
  }
  if (AlreadyRecorded(s, row)) return Error::Conflict("this completion is already recorded");
  const std::string collar = row.collar;
  const Context cx = ctx;
  return OneEvent(
      NewEvent{TrainingStream(),
               "training.completions_recorded",
               classification::kPersonal,
               {{"rows", boost::json::array{RowJson(row)}}, {"source", "recorded"}}},
      [collar, cx](const State& st) -> boost::json::value {
        return TrainingOfficerJson(st, st.team.training.officers.at(collar), cx);
      },
      201);
}

Result<Decision> DecideImport(const State& s, const Command& c, const Context& ctx) {
  FieldReader r(c.body);
  const std::string text = r.String("csv", 8'000'000);
  const std::string mode =
      r.OptionalEnum("mode", {"all_or_nothing", "valid_rows"}).value_or("all_or_nothing");
  const std::string file = r.OptionalString("file_name", 500).value_or("");
  if (!r.ok()) return r.error();
  auto table = ParseCsv(text);
  if (!table.ok()) return Error::InvalidArgument("csv", table.error().message);
  static const char* kRequired[] = {"collar", "name", "bcu", "course", "completed_on"};
  for (const char* col : kRequired) {
    if (table->Column(col) < 0) {
      return Error::InvalidArgument("csv", std::string("the header has no column ") + col +
                                               "; columns are collar, name, bcu, course, "
                                               "completed_on and optionally session_id");
    }
  }
  if (table->rows.size() > kMaxImportRows) {
    return Error::InvalidArgument("csv",
                                  "at most " + std::to_string(kMaxImportRows) + " rows per import");
  }
  const int session_col = table->Column("session_id");
  boost::json::array accepted, rejected, skipped;
  std::map<std::string, size_t> seen;  // collar|course|date → line
  for (const auto& row : table->rows) {
    if (row.fields.size() != table->header.size()) {
      rejected.push_back({{"line", static_cast<std::int64_t>(row.line)},
                          {"reason", "expected " + std::to_string(table->header.size()) +
                                         " fields, found " + std::to_string(row.fields.size())}});
      continue;
    }
    auto field = [&](int col) {
      return col < 0 ? std::string() : row.fields[static_cast<size_t>(col)];
    };
    Row x{field(table->Column("collar")),       field(table->Column("name")),
          field(table->Column("bcu")),          field(table->Column("course")),
          field(table->Column("completed_on")), field(session_col)};
    if (auto [field, why] = Check(s, ctx, x); !why.empty()) {
      rejected.push_back(
          {{"line", static_cast<std::int64_t>(row.line)}, {"collar", x.collar}, {"reason", why}});
      continue;
    }
    const std::string key = x.collar + "|" + x.course + "|" + x.completed_on;
    if (auto it = seen.find(key); it != seen.end()) {
      skipped.push_back({{"line", static_cast<std::int64_t>(row.line)},
                         {"collar", x.collar},
                         {"reason", "duplicate of line " + std::to_string(it->second)}});
      continue;
    }
    seen[key] = row.line;
    if (AlreadyRecorded(s, x)) {
      skipped.push_back({{"line", static_cast<std::int64_t>(row.line)},
                         {"collar", x.collar},
                         {"reason", "already recorded"}});
      continue;
    }
    accepted.push_back(RowJson(x));
  }
  boost::json::object report{{"mode", mode},
                             {"file_name", file},
                             {"rows", static_cast<std::int64_t>(table->rows.size())},
                             {"imported", mode == "all_or_nothing" && !rejected.empty()
                                              ? std::int64_t{0}
                                              : static_cast<std::int64_t>(accepted.size())},
                             {"rejected", rejected},
                             {"skipped", skipped}};
  if (mode == "all_or_nothing" && !rejected.empty()) {
    Error e = Error::FailedPrecondition(std::to_string(rejected.size()) +
                                            " row(s) rejected; nothing was imported (fix them, or "
                                            "import with mode valid_rows)",
                                        "csv");
    e.details = report;
    return e;
  }
  Decision d;
  if (!accepted.empty()) {
    d.events.push_back(NewEvent{TrainingStream(),
                                "training.completions_recorded",
                                classification::kPersonal,
                                {{"rows", accepted},
                                 {"source", "import"},
                                 {"file_name", file},
                                 {"rejected", rejected.size()},
                                 {"skipped", skipped.size()}}});
  }
  d.reply = [report](const State&) -> boost::json::value { return report; };
  d.status = 201;
  return d;
}

}  // namespace

void RegisterTraining(Domain& d) {
  d.OnCommand("training.course_create", DecideCourse);
  d.OnCommand("training.session_create", DecideSession);
  d.OnCommand("training.completion_record", DecideRecord);
  d.OnCommand("training.import", DecideImport);

  d.OnEvent("training.course_created", [](State& s, const Event& e) {
    Course c;
    c.id = Str(e.data, "id");
    c.title = Str(e.data, "title");
    c.kind = Str(e.data, "kind");
    c.refresh_months = static_cast<int>(e.data.at("refresh_months").to_number<std::int64_t>());
    c.counts_for_coverage = e.data.at("counts_for_coverage").as_bool();
    c.description = Str(e.data, "description");
    s.team.training.courses[c.id] = std::move(c);
  });
  d.OnEvent("training.session_created", [](State& s, const Event& e) {
    TrainingSession t;
    t.id = Str(e.data, "id");
    t.course_id = Str(e.data, "course_id");
    t.date = Str(e.data, "date");
    t.bcu = Str(e.data, "bcu");
    t.location = Str(e.data, "location");
    t.facilitators = StrList(e.data, "facilitators");
    t.co_facilitators = PartnerLeadsFrom(e.data, "co_facilitators");
    t.service_user_input = e.data.at("service_user_input").as_bool();
    t.service_user_note = Str(e.data, "service_user_note");
    t.capacity = static_cast<int>(e.data.at("capacity").to_number<std::int64_t>());
    s.team.training.next_session++;
    s.team.training.sessions[t.id] = std::move(t);
  });
  d.OnEvent("training.completions_recorded", [](State& s, const Event& e) {
    const std::string source = Str(e.data, "source");
    for (const auto& v : e.data.at("rows").as_array()) {
      const auto& row = v.as_object();
      TrainedOfficer& o = s.team.training.officers[Str(row, "collar")];
      o.collar = Str(row, "collar");
      o.name = Str(row, "name");
      o.bcu = Str(row, "bcu");
      o.completions.push_back(Completion{Str(row, "course_id"), Str(row, "completed_on"),
                                         Str(row, "session_id"), source, e.at, e.actor.user_id});
    }
    if (source == "import") s.team.training.imports++;
  });
}

}  // namespace concordat::team
