// Learning recommendations (DESIGN.md §4): a register of external recommendations (the IOPC's,
// a coroner's, an inspectorate's), the force's response, its rationale, actions with owners and
// due dates, evidence and status.
#include "core/team_internal.hpp"

namespace concordat::team {
namespace {

const std::initializer_list<std::string_view> kResponses = {
    "accepted", "partially_accepted", "not_accepted", "not_accepted_as_a_whole",
    "not_accepted_in_current_form"};
const std::initializer_list<std::string_view> kStatuses = {"open", "in_progress", "implemented",
                                                           "closed"};
const std::initializer_list<std::string_view> kActionStatuses = {"open", "in_progress", "done"};

std::function<boost::json::value(const State&)> Reply(const std::string& id) {
  return
      [id](const State& st) -> boost::json::value { return LearningJson(st.team.learning.at(id)); };
}

Result<Decision> DecideCreate(const State& s, const Command& c, const Context&) {
  FieldReader r(c.body);
  boost::json::object data{{"source", r.String("source", 100)},
                           {"reference", r.String("reference", 100)},
                           {"number", r.String("number", 100)},
                           {"title", r.String("title", 300)},
                           {"summary", r.String("summary", 8000)},
                           {"text_verified", r.OptionalBool("text_verified").value_or(false)},
                           {"source_url", r.OptionalString("source_url", 1000).value_or("")},
                           {"response", r.Enum("response", kResponses)},
                           {"rationale", r.String("rationale", 8000)},
                           {"owner", r.String("owner", 200)},
                           {"due_on", r.String("due_on", 10)},
                           {"status", r.OptionalEnum("status", kStatuses).value_or("open")}};
  const auto evidence = r.StringList("evidence", 50);
  boost::json::array actions;
  if (const auto* a = c.body.if_contains("actions"); a != nullptr && !a->is_null()) {
    if (!a->is_array()) return Error::InvalidArgument("actions", "actions must be a list");
    size_t n = 0;
    for (const auto& item : a->as_array()) {
      const std::string at = "actions[" + std::to_string(n++) + "]";
      if (!item.is_object()) return Error::InvalidArgument(at, at + " must be an object");
      FieldReader ar(item.as_object());
      boost::json::object act{
          {"text", ar.String("text", 2000)},
          {"owner", ar.String("owner", 200)},
          {"due_on", ar.String("due_on", 10)},
          {"status", ar.OptionalEnum("status", kActionStatuses).value_or("open")},
          {"evidence", ar.OptionalString("evidence", 2000).value_or("")}};
      if (!ar.ok()) return Error::InvalidArgument(at + "." + ar.error().field, ar.error().message);
      if (auto d = ParseDate(act.at("due_on").as_string(), "due_on"); !d.ok()) {
        return Error::InvalidArgument(at + ".due_on", d.error().message);
      }
      actions.push_back(std::move(act));
    }
  }
  if (!r.ok()) return r.error();
  if (auto d = ParseDate(data.at("due_on").as_string(), "due_on"); !d.ok()) return d.error();
  for (const auto& [id, rec] : s.team.learning) {
    if (rec.reference == data.at("reference").as_string() &&
        rec.number == data.at("number").as_string()) {
      return Error::Conflict("recommendation " + rec.number + " is already registered as " + id);
    }
  }
  const std::string id = "rec-" + std::to_string(s.team.next_learning);
  data["id"] = id;
  data["actions"] = std::move(actions);
  data["evidence"] = StrArray(evidence);
  return OneEvent(NewEvent{LearningStream(id), "learning.registered", classification::kOperational,
                           std::move(data)},
                  Reply(id), 201);
}

Result<Decision> DecideUpdate(const State& s, const Command& c, const Context&) {
  auto it = s.team.learning.find(c.target);
  if (it == s.team.learning.end()) return Error::NotFound("no recommendation " + c.target);
  FieldReader r(c.body);
  const auto status = r.OptionalEnum("status", kStatuses);
  const auto evidence = r.OptionalString("evidence", 2000);
  const auto index = r.OptionalInteger("action.index", 0, 1000);
  const auto action_status = r.OptionalEnum("action.status", kActionStatuses);
  const auto action_evidence = r.OptionalString("action.evidence", 2000);
  if (!r.ok()) return r.error();
  boost::json::object data{{"recommendation_id", c.target}};
  if (status) data["status"] = *status;
  if (evidence) data["evidence"] = *evidence;
  if (index) {
    if (*index >= static_cast<std::int64_t>(it->second.actions.size())) {
      return Error::InvalidArgument("action.index", "no action " + std::to_string(*index));
    }
    data["action_index"] = *index;
    if (action_status) data["action_status"] = *action_status;
    if (action_evidence) data["action_evidence"] = *action_evidence;
  }
  if (data.size() == 1) {
    return Error::InvalidArgument("status", "give a status, evidence or an action update");
  }
  return OneEvent(NewEvent{LearningStream(c.target), "learning.updated",
                           classification::kOperational, std::move(data)},
                  Reply(c.target));
}

}  // namespace

void RegisterLearning(Domain& d) {
  d.OnCommand("learning.create", DecideCreate);
  d.OnCommand("learning.update", DecideUpdate);
  d.OnEvent("learning.registered", [](State& s, const Event& e) {
    LearningRecommendation r;
    r.id = Str(e.data, "id");
    r.source = Str(e.data, "source");
    r.reference = Str(e.data, "reference");
    r.number = Str(e.data, "number");
    r.title = Str(e.data, "title");
    r.summary = Str(e.data, "summary");
    r.text_verified = e.data.at("text_verified").as_bool();
    r.source_url = Str(e.data, "source_url");
    r.response = Str(e.data, "response");
    r.rationale = Str(e.data, "rationale");
    r.owner = Str(e.data, "owner");
    r.due_on = Str(e.data, "due_on");
    r.status = Str(e.data, "status");
    r.evidence = StrList(e.data, "evidence");
    for (const auto& v : e.data.at("actions").as_array()) {
      const auto& a = v.as_object();
      r.actions.push_back(LearningAction{Str(a, "text"), Str(a, "owner"), Str(a, "due_on"),
                                         Str(a, "status"), Str(a, "evidence")});
    }
    r.created_at = r.updated_at = e.at;
    s.team.next_learning++;
    s.team.learning[r.id] = std::move(r);
  });
  d.OnEvent("learning.updated", [](State& s, const Event& e) {
    auto it = s.team.learning.find(Str(e.data, "recommendation_id"));
    if (it == s.team.learning.end()) return;
    LearningRecommendation& r = it->second;
    if (e.data.contains("status")) r.status = Str(e.data, "status");
    if (e.data.contains("evidence")) r.evidence.push_back(Str(e.data, "evidence"));
    if (const auto* i = e.data.if_contains("action_index")) {
      const auto idx = static_cast<size_t>(i->to_number<std::int64_t>());
      if (idx < r.actions.size()) {
        if (e.data.contains("action_status")) r.actions[idx].status = Str(e.data, "action_status");
        if (e.data.contains("action_evidence")) {
          r.actions[idx].evidence = Str(e.data, "action_evidence");
        }
      }
    }
    r.updated_at = e.at;
  });
}

}  // namespace concordat::team

namespace concordat {

boost::json::object LearningJson(const LearningRecommendation& r) {
  boost::json::array actions;
  for (const auto& a : r.actions) {
    actions.push_back({{"text", a.text},
                       {"owner", a.owner},
                       {"due_on", a.due_on},
                       {"status", a.status},
                       {"evidence", a.evidence}});
  }
  return {{"id", r.id},
          {"source", r.source},
          {"reference", r.reference},
          {"number", r.number},
          {"title", r.title},
          {"summary", r.summary},
          {"text_verified", r.text_verified},
          {"source_url", r.source_url},
          {"response", r.response},
          {"rationale", r.rationale},
          {"owner", r.owner},
          {"due_on", r.due_on},
          {"actions", actions},
          {"evidence", team::StrArray(r.evidence)},
          {"status", r.status},
          {"created_at", FormatIso(r.created_at)},
          {"updated_at", FormatIso(r.updated_at)}};
}

}  // namespace concordat
