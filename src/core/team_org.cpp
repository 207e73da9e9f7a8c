// Organisation (DESIGN.md §4): each BCU's Mental Health Team — a sergeant, two constables per
// borough each in one function, and a liaison officer. Strength and vacancies are computed from
// the posts; a team without its liaison officer or below strength raises `org_vacancy` for
// supervisors at the moment it happens: when the team is formed, when a post is vacated, or when
// the timer of a notified departure fires on the day. (The IOPC case: a BCU lost its liaison
// officer when it was formed and went over 12 months without one.)
#include <algorithm>
#include <set>

#include "core/team_internal.hpp"

namespace concordat::team {
namespace {

struct Planned {
  std::string id, kind, borough;
};

std::vector<Planned> Establishment(const Bcu& b) {
  std::vector<Planned> out{{b.code + "-sergeant", "sergeant", ""},
                           {b.code + "-liaison", "liaison", ""}};
  for (const auto& boro : b.borough_codes) {
    out.push_back({b.code + "-" + boro + "-1", "constable", boro});
    out.push_back({b.code + "-" + boro + "-2", "constable", boro});
  }
  return out;
}

std::string BcuLabel(const Context& ctx, const std::string& code) {
  const Bcu* b = ctx.ref ? ctx.ref->FindBcu(code) : nullptr;
  return b ? b->name + " (" + code + ")" : code;
}

// The alert conditions of a team whose posts are `posts` (condition → message).
std::map<std::string, std::string> Conditions(const std::vector<TeamPost>& posts,
                                              const Context& ctx, const std::string& bcu) {
  std::map<std::string, std::string> out;
  int filled = 0;
  for (const auto& p : posts) {
    filled += p.holder ? 1 : 0;
    if (p.kind == "liaison" && !p.holder) {
      out["no_liaison"] =
          BcuLabel(ctx, bcu) + " has no Mental Health Liaison Officer: the post is vacant";
    }
  }
  const int establishment = static_cast<int>(posts.size());
  const int min = ctx.policy->team.min_strength_percent;
  if (establishment > 0 && filled * 100 < min * establishment) {
    out["below_strength"] = BcuLabel(ctx, bcu) +
                            " Mental Health Team is below strength: " + std::to_string(filled) +
                            " of " + std::to_string(establishment) + " posts filled (minimum " +
                            std::to_string(min) + "%)";
  }
  return out;
}

// The alerts of conditions that were in force and that `after` no longer has are closed, saying
// why: a supervisor's board must not go on saying a BCU has no liaison officer once one is in
// post. Appended after the change's own event (whose applier forgets the condition).
void CloseCleared(const State& s, const std::string& bcu,
                  const std::map<std::string, std::string>& after, const std::string& why,
                  std::vector<NewEvent>& out) {
  auto b = s.team.bcus.find(bcu);
  if (b == s.team.bcus.end()) return;
  std::set<std::string> cleared;
  for (const auto& [cond, alert_id] : b->second.raised) {
    if (!after.contains(cond)) cleared.insert(alert_id);
  }
  if (cleared.empty()) return;
  CloseAlerts(
      s, /*incident_id=*/"", [&](const Alert& a) { return cleared.contains(a.id); }, why, out,
      /*by=*/"");
}

std::vector<TeamPost> PostsOf(const State& s, const std::string& bcu) {
  std::vector<TeamPost> out;
  auto b = s.team.bcus.find(bcu);
  if (b == s.team.bcus.end()) return out;
  for (const auto& id : b->second.post_ids) out.push_back(s.team.posts.at(id));
  return out;
}

boost::json::array ConditionNames(const std::map<std::string, std::string>& c) {
  boost::json::array a;
  for (const auto& [k, v] : c) a.emplace_back(k);
  return a;
}

// Alerts for conditions that were not in force before; appended after the change's own events.
void RaiseNew(const State& s, const std::string& bcu,
              const std::map<std::string, std::string>& after, std::vector<NewEvent>& out) {
  const TeamBcu* b = nullptr;
  if (auto it = s.team.bcus.find(bcu); it != s.team.bcus.end()) b = &it->second;
  int offset = 0;
  for (const auto& [cond, message] : after) {
    if (b != nullptr && b->raised.contains(cond)) continue;
    out.push_back(MakeAlertRaised(s, offset++, "org_vacancy", "", {}, message,
                                  {{"bcu", bcu}, {"condition", cond}}, "supervisor"));
  }
}

Result<PostHolder> ReadHolder(const State& s, const boost::json::object& body,
                              const std::string& prefix, const std::string& kind,
                              const std::set<std::string>& taken, const std::string& post_id) {
  FieldReader r(body);
  PostHolder h;
  h.collar = r.String(prefix + "collar", 40);
  h.name = r.String(prefix + "name", 200);
  h.rank = r.OptionalString(prefix + "rank", 40).value_or(kind == "sergeant" ? "PS" : "PC");
  if (kind == "constable") {
    h.function = r.Enum(prefix + "function", kFunctions);
  }
  if (!r.ok()) return r.error();
  if (taken.contains(h.collar)) {
    return Error::Conflict(h.collar + " is named for two posts");
  }
  for (const auto& [pid, p] : s.team.posts) {
    if (pid != post_id && p.holder && p.holder->collar == h.collar) {
      return Error::Conflict(h.collar + " already holds post " + pid + "; vacate it first");
    }
  }
  return h;
}

boost::json::object HolderJson(const PostHolder& h) {
  return {{"collar", h.collar},
          {"name", h.name},
          {"rank", h.rank},
          {"function", h.function},
          {"since", FormatIso(h.since)}};
}

PostHolder HolderFrom(const boost::json::object& o, Timestamp at) {
  return PostHolder{Str(o, "collar"), Str(o, "name"), Str(o, "rank"), Str(o, "function"), at};
}

Result<Decision> DecideEstablish(const State& s, const Command& c, const Context& ctx) {
  const Bcu* b = ctx.ref ? ctx.ref->FindBcu(c.target) : nullptr;
  if (b == nullptr) return Error::NotFound("no BCU " + c.target);
  if (s.team.bcus.contains(b->code)) {
    return Error::Conflict("the " + b->name + " Mental Health Team is already established");
  }
  const auto planned = Establishment(*b);
  boost::json::object holders;
  std::set<std::string> taken;
  if (const auto* h = c.body.if_contains("holders"); h != nullptr && !h->is_null()) {
    if (!h->is_object()) return Error::InvalidArgument("holders", "holders must be an object");
    for (const auto& [key, v] : h->as_object()) {
      const std::string post(key);
      auto it = std::find_if(planned.begin(), planned.end(),
                             [&](const Planned& p) { return p.id == post; });
      if (it == planned.end()) {
        return Error::InvalidArgument("holders." + post, "no post " + post + " in " + b->name +
                                                             " (posts: BCU-sergeant, BCU-liaison, "
                                                             "BCU-<borough ONS code>-1/2)");
      }
      auto holder = ReadHolder(s, c.body, "holders." + post + ".", it->kind, taken, post);
      if (!holder.ok()) return holder.error();
      taken.insert(holder->collar);
      holders[post] = HolderJson(*holder);
    }
  }
  boost::json::array posts;
  std::vector<TeamPost> after;
  for (const auto& p : planned) {
    posts.push_back({{"id", p.id}, {"kind", p.kind}, {"borough_code", p.borough}});
    TeamPost tp{p.id, b->code, p.kind, p.borough, std::nullopt, {}, {}, {}};
    if (holders.contains(p.id)) tp.holder = PostHolder{};
    after.push_back(std::move(tp));
  }
  const auto conds = Conditions(after, ctx, b->code);
  Decision d;
  d.status = 201;
  d.events.push_back(NewEvent{TeamStream(b->code),
                              "team.established",
                              classification::kPersonal,
                              {{"bcu", b->code},
                               {"posts", posts},
                               {"holders", holders},
                               {"conditions", ConditionNames(conds)}}});
  RaiseNew(s, b->code, conds, d.events);
  const std::string code = b->code;
  const Context cx = ctx;
  d.reply = [code, cx](const State& st) -> boost::json::value {
    return OrganisationJson(st, cx, code);
  };
  return d;
}

Result<const TeamPost*> FindPost(const State& s, const std::string& id) {
  auto it = s.team.posts.find(id);
  if (it == s.team.posts.end()) return Error::NotFound("no post " + id);
  return &it->second;
}

std::function<boost::json::value(const State&)> OrgReply(const std::string& bcu,
                                                         const Context& ctx) {
  const Context cx = ctx;
  return [bcu, cx](const State& st) -> boost::json::value { return OrganisationJson(st, cx, bcu); };
}

Result<Decision> DecideAssign(const State& s, const Command& c, const Context& ctx) {
  auto post = FindPost(s, c.target);
  if (!post.ok()) return post.error();
  const TeamPost& p = **post;
  FieldReader r(c.body);
  const bool replace = r.OptionalBool("replace").value_or(false);
  if (!r.ok()) return r.error();
  if (p.holder && !replace) {
    return Error::Conflict("post " + p.id + " is held by " + p.holder->collar +
                           "; vacate it first or send replace: true");
  }
  auto holder = ReadHolder(s, c.body, "", p.kind, {}, p.id);
  if (!holder.ok()) return holder.error();
  std::vector<TeamPost> after = PostsOf(s, p.bcu);
  for (auto& x : after) {
    if (x.id == p.id) x.holder = *holder;
  }
  const auto conds = Conditions(after, ctx, p.bcu);
  Decision d;
  d.events.push_back(NewEvent{TeamStream(p.bcu),
                              "team.post_assigned",
                              classification::kPersonal,
                              {{"post_id", p.id},
                               {"bcu", p.bcu},
                               {"holder", HolderJson(*holder)},
                               {"previous", p.holder ? p.holder->collar : ""},
                               {"conditions", ConditionNames(conds)}}});
  int filled = 0;
  for (const auto& x : after) filled += x.holder ? 1 : 0;
  CloseCleared(s, p.bcu, conds,
               "no longer so: " + holder->rank + " " + holder->name + " (" + holder->collar +
                   ") took post " + p.id + "; " + std::to_string(filled) + " of " +
                   std::to_string(after.size()) + " posts filled",
               d.events);
  d.reply = OrgReply(p.bcu, ctx);
  return d;
}

// The events that vacate `p` now (a command or the departure timer).
Decision VacateNow(const State& s, const TeamPost& p, const std::string& reason,
                   const Context& ctx) {
  std::vector<TeamPost> after = PostsOf(s, p.bcu);
  for (auto& x : after) {
    if (x.id == p.id) x.holder.reset();
  }
  const auto conds = Conditions(after, ctx, p.bcu);
  Decision d;
  d.events.push_back(NewEvent{TeamStream(p.bcu),
                              "team.post_vacated",
                              classification::kPersonal,
                              {{"post_id", p.id},
                               {"bcu", p.bcu},
                               {"collar", p.holder ? p.holder->collar : ""},
                               {"reason", reason},
                               {"conditions", ConditionNames(conds)}}});
  RaiseNew(s, p.bcu, conds, d.events);
  d.reply = OrgReply(p.bcu, ctx);
  return d;
}

Result<Decision> DecideVacate(const State& s, const Command& c, const Context& ctx) {
  auto post = FindPost(s, c.target);
  if (!post.ok()) return post.error();
  const TeamPost& p = **post;
  FieldReader r(c.body);
  const std::string reason = r.String("reason", 1000);
  const auto effective = r.OptionalTime("effective_at");
  if (!r.ok()) return r.error();
  if (!p.holder) return Error::Conflict("post " + p.id + " is already vacant");
  if (effective && *effective > ctx.now) {
    Decision d;
    d.events.push_back(NewEvent{TeamStream(p.bcu),
                                "team.post_vacate_notified",
                                classification::kPersonal,
                                {{"post_id", p.id},
                                 {"bcu", p.bcu},
                                 {"reason", reason},
                                 {"effective_at", FormatIso(*effective)}}});
    d.reply = OrgReply(p.bcu, ctx);
    return d;
  }
  return VacateNow(s, p, reason, ctx);
}

Result<Decision> FireVacate(const State& s, const Timer& t, const Context& ctx) {
  auto it = s.team.posts.find(Str(t.data, "post_id"));
  if (it == s.team.posts.end() || !it->second.holder || !it->second.vacates_at) return Decision{};
  return VacateNow(s, it->second, it->second.vacate_reason, ctx);
}

std::string VacateTimer(const std::string& post) { return "team.vacate:" + post; }

void KeepConditions(State& s, const Event& e) {
  auto b = s.team.bcus.find(Str(e.data, "bcu"));
  if (b == s.team.bcus.end()) return;
  const auto still = StrList(e.data, "conditions");
  std::erase_if(b->second.raised, [&](const auto& kv) {
    return std::find(still.begin(), still.end(), kv.first) == still.end();
  });
}

}  // namespace

void RegisterOrganisation(Domain& d) {
  d.OnCommand("team.establish", DecideEstablish);
  d.OnCommand("team.post_assign", DecideAssign);
  d.OnCommand("team.post_vacate", DecideVacate);
  d.OnTimer("team.post_vacates", FireVacate);

  d.OnEvent("team.established", [](State& s, const Event& e) {
    TeamBcu b;
    b.code = Str(e.data, "bcu");
    b.established_at = e.at;
    const auto* holders = e.data.if_contains("holders");
    for (const auto& pv : e.data.at("posts").as_array()) {
      const auto& po = pv.as_object();
      TeamPost p;
      p.id = Str(po, "id");
      p.bcu = b.code;
      p.kind = Str(po, "kind");
      p.borough_code = Str(po, "borough_code");
      if (holders && holders->is_object()) {
        if (const auto* h = holders->as_object().if_contains(p.id); h && h->is_object()) {
          p.holder = HolderFrom(h->as_object(), e.at);
        }
      }
      if (!p.holder) p.vacant_since = e.at;
      b.post_ids.push_back(p.id);
      s.team.posts[p.id] = std::move(p);
    }
    s.team.bcus[b.code] = std::move(b);
  });
  d.OnEvent("team.post_assigned", [](State& s, const Event& e) {
    auto it = s.team.posts.find(Str(e.data, "post_id"));
    if (it == s.team.posts.end()) return;
    it->second.holder = HolderFrom(e.data.at("holder").as_object(), e.at);
    it->second.vacant_since.reset();
    it->second.vacates_at.reset();
    it->second.vacate_reason.clear();
    s.timers.Cancel(VacateTimer(it->first));
    KeepConditions(s, e);
  });
  d.OnEvent("team.post_vacate_notified", [](State& s, const Event& e) {
    auto it = s.team.posts.find(Str(e.data, "post_id"));
    if (it == s.team.posts.end()) return;
    const Timestamp due = OptTime(e.data, "effective_at").value_or(e.at);
    it->second.vacates_at = due;
    it->second.vacate_reason = Str(e.data, "reason");
    s.timers.Schedule(Timer{VacateTimer(it->first),
                            due,
                            "team.post_vacates",
                            TeamStream(it->second.bcu),
                            {{"post_id", it->first}}});
  });
  d.OnEvent("team.post_vacated", [](State& s, const Event& e) {
    auto it = s.team.posts.find(Str(e.data, "post_id"));
    if (it == s.team.posts.end()) return;
    it->second.holder.reset();
    it->second.vacant_since = e.at;
    it->second.vacates_at.reset();
    it->second.vacate_reason = Str(e.data, "reason");
    s.timers.Cancel(VacateTimer(it->first));
    KeepConditions(s, e);
  });
  // An org_vacancy alert marks its condition as raised until the condition clears.
  d.OnEvent("alert.raised", [](State& s, const Event& e) {
    if (Str(e.data, "alert_type") != "org_vacancy") return;
    const auto* extra = e.data.if_contains("data");
    if (extra == nullptr || !extra->is_object()) return;
    auto b = s.team.bcus.find(Str(extra->as_object(), "bcu"));
    if (b == s.team.bcus.end()) return;
    b->second.raised[Str(extra->as_object(), "condition")] = Str(e.data, "alert_id");
  });
}

}  // namespace concordat::team

namespace concordat {
using team::Conditions;
using team::HolderJson;
using team::PostsOf;
using team::TimeOrNull;

boost::json::object OrganisationJson(const State& s, const Context& ctx, const std::string& only) {
  boost::json::array bcus;
  boost::json::array not_established;
  int total_posts = 0, total_filled = 0;
  for (const Bcu& ref : ctx.ref->bcus) {
    if (!only.empty() && ref.code != only) continue;
    auto bit = s.team.bcus.find(ref.code);
    if (bit == s.team.bcus.end()) {
      not_established.emplace_back(ref.code);
      continue;
    }
    const TeamBcu& b = bit->second;
    const auto posts = PostsOf(s, b.code);
    const auto conds = Conditions(posts, ctx, b.code);
    boost::json::array post_views;
    std::map<std::string, int> functions = {
        {"partnerships_crisis", 0}, {"prevention", 0}, {"high_intensity", 0}};
    int filled = 0;
    for (const auto& p : posts) {
      filled += p.holder ? 1 : 0;
      if (p.holder && p.kind == "constable") functions[p.holder->function]++;
      const Borough* boro = p.borough_code.empty() ? nullptr : ctx.ref->FindBorough(p.borough_code);
      boost::json::object v{
          {"id", p.id},
          {"kind", p.kind},
          {"borough", boro ? boost::json::value({{"code", boro->code}, {"name", boro->name}})
                           : boost::json::value(nullptr)},
          {"holder",
           p.holder ? boost::json::value(HolderJson(*p.holder)) : boost::json::value(nullptr)},
          {"vacant", !p.holder},
          {"vacant_since", TimeOrNull(p.vacant_since)},
          {"vacant_days", p.vacant_since
                              ? boost::json::value((ctx.now - *p.vacant_since) / kMicrosPerDay)
                              : boost::json::value(nullptr)},
          {"vacates_at", TimeOrNull(p.vacates_at)}};
      post_views.push_back(std::move(v));
    }
    boost::json::object fn;
    boost::json::array uncovered;
    for (const auto& [k, n] : functions) {
      fn[k] = n;
      if (n == 0) uncovered.emplace_back(k);
    }
    boost::json::array conditions;
    for (const auto& [cond, message] : conds) {
      auto raised = b.raised.find(cond);
      conditions.push_back(
          {{"condition", cond},
           {"message", message},
           {"alert_id", raised == b.raised.end() ? boost::json::value(nullptr)
                                                 : boost::json::value(raised->second)}});
    }
    const int est = static_cast<int>(posts.size());
    total_posts += est;
    total_filled += filled;
    bcus.push_back({{"code", b.code},
                    {"name", ref.name},
                    {"established_at", FormatIso(b.established_at)},
                    {"establishment", est},
                    {"strength", filled},
                    {"vacancies", est - filled},
                    {"strength_percent", est ? filled * 100 / est : 0},
                    {"min_strength_percent", ctx.policy->team.min_strength_percent},
                    {"below_strength", conds.contains("below_strength")},
                    {"has_liaison", !conds.contains("no_liaison")},
                    {"functions", fn},
                    {"functions_uncovered", uncovered},
                    {"conditions", conditions},
                    {"posts", post_views}});
  }
  return {{"bcus", bcus},
          {"not_established", not_established},
          {"establishment", total_posts},
          {"strength", total_filled},
          {"vacancies", total_posts - total_filled}};
}

}  // namespace concordat
