#include "sim/window.hpp"

#include <algorithm>
#include <cmath>
#include <future>

namespace concordat::sim {
namespace {

// The simulator runs ahead of the writer by at most kMaxInFlight commands. When it reaches that
// bound it sleeps until the writer has brought the backlog down to kResumeAt, and only that
// crossing (or the last outcome, for Flush) wakes it: waking it on every outcome made the two
// threads trade the CPU once per command (with two windows on two cores, 0.6 context switches
// a command and a fifth of the CPU in the kernel).
constexpr std::uint64_t kMaxInFlight = 16'384;
constexpr std::uint64_t kResumeAt = kMaxInFlight / 2;
constexpr std::uint32_t kNoUnit = 0xffffffffu;
// User ids of the simulated staff, as short as the server's own ("user-" + a username): an
// actor is copied into every event it makes, and an id of 16 characters or more is a heap string.
const Actor kCallHandler{"sim-calltaker", "call_handler", "mps", ""};
const Actor kController{"sim-controller", "controller", "mps", ""};
const Actor kAvl{"sim-avl", "system", "mps", ""};
const Actor kClock{"sim-clock", "admin", "mps", ""};

const char* const kTypesI[] = {"assault", "domestic_abuse", "concern_for_welfare", "robbery",
                               "road_traffic_collision"};
const char* const kTypesS[] = {"disturbance", "domestic_abuse", "concern_for_welfare", "burglary",
                               "suspicious_circumstances"};
const char* const kTypesE[] = {"theft", "criminal_damage", "burglary", "anti_social_behaviour"};
const char* const kTypesR[] = {"lost_property", "advice", "theft", "fraud", "noise",
                               "anti_social_behaviour"};
const char* const kOutcomes[] = {"admitted_informally", "detained_s2", "detained_s3",
                                 "discharged_with_follow_up", "no_mental_disorder"};

template <size_t N>
const char* Pick(Rng& rng, const char* const (&list)[N]) {
  return list[rng.Below(N)];
}

// Equirectangular distance, good enough to rank units within London.
double Metres(LatLon a, LatLon b) {
  const double dy = (a.lat - b.lat) * 111'195.0;
  const double dx = (a.lon - b.lon) * 111'195.0 * 0.6225;  // cos(51.5°)
  return std::sqrt(dx * dx + dy * dy);
}

long PeakRssKb() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  long kb = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "VmHWM: %ld", &kb) == 1) break;
  }
  std::fclose(f);
  return kb;
}

}  // namespace

Window::Window(const SimConfig& cfg, const RefData& ref, const Domain& domain, std::uint64_t seed,
               Timestamp from, Timestamp to, bool json_bodies)
    : cfg_(cfg),
      ref_(ref),
      rng_(seed),
      from_(from),
      to_(to),
      json_bodies_(json_bodies),
      clock_(from),
      now_(from) {
  EngineOptions o;
  o.ref = &ref_;
  o.policy = &cfg_.policy;
  o.snapshot_every = 0;
  // The simulator's callbacks are counters and both cores are busy with windows: a completion
  // thread would only add a hand-over per batch (14-day runs: no difference either way).
  o.complete_off_writer = false;
  engine_ = std::make_unique<Engine>(log_, clock_, domain, o);
  units_by_bcu_.resize(ref.bcus.size());
  recent_by_bcu_.resize(ref.bcus.size());
}

Window::~Window() { engine_->Stop(); }

void Window::Submit(const char* type, std::string target, boost::json::object body,
                    const Actor& actor, std::string expect_id) {
  SubmitCommand(Command{type, std::move(target), std::move(body), actor, {}}, type,
                std::move(expect_id));
}

void Window::SubmitRequest(const char* type, std::string target,
                           std::shared_ptr<const CommandRequest> request, const Actor& actor,
                           std::string expect_id) {
  Command c{type, std::move(target), {}, actor, {}};
  if (json_bodies_) {
    c.body = request->ToBody();
  } else {
    c.request = std::move(request);
  }
  SubmitCommand(std::move(c), type, std::move(expect_id));
}

void Window::SubmitState(const std::string& incident_id, std::uint32_t unit, const char* state) {
  auto request = std::make_shared<AssignmentStateRequest>();
  request->unit_id = units_[unit].id;
  request->state = state;
  SubmitRequest("assignment.state", incident_id, std::move(request), units_[unit].officer);
}

void Window::SubmitCommand(Command&& c, const char* type, std::string expect_id) {
  Reserve();
  ++totals_.commands;
  c.command_id = "sim-" + std::to_string(++next_command_);
  // Only a creation's outcome is read, for the id it made, and that is in `Outcome::stream`; the
  // simulator numbers its command ids and never retries one.
  c.wants_reply = false;
  c.idempotent = false;
  engine_->Submit(std::move(c), [this, type, expect = std::move(expect_id)](Outcome o) {
    if (!o.ok) {
      rejected_.fetch_add(1, std::memory_order_relaxed);
      std::lock_guard lock(mu_);
      if (errors_.size() < 20) {
        errors_.push_back(std::string(type) + ": " + o.error.message +
                          (o.error.field.empty() ? "" : " [" + o.error.field + "]"));
      }
    } else if (!expect.empty()) {
      // "incident/inc-12" → "inc-12"
      const auto slash = o.stream.rfind('/');
      const std::string made = slash == std::string::npos ? "?" : o.stream.substr(slash + 1);
      if (made != expect) {
        std::lock_guard lock(mu_);
        if (!desync_.exchange(true)) {
          desync_what_ =
              std::string(type) + " created " + made + ", the simulator expected " + expect;
        }
      }
    }
    Release();
  });
}

void Window::Reserve() {
  if (in_flight_.load(std::memory_order_acquire) >= kMaxInFlight) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return in_flight_.load(std::memory_order_acquire) <= kResumeAt; });
  }
  in_flight_.fetch_add(1, std::memory_order_acq_rel);
}

void Window::Release() {
  const std::uint64_t left = in_flight_.fetch_sub(1, std::memory_order_acq_rel) - 1;
  if (left == kResumeAt || left == 0) {
    // Taking the lock orders this wake-up after a waiter's last look at the count.
    { std::lock_guard lock(mu_); }
    cv_.notify_all();
  }
}

Outcome Window::SubmitWait(const char* type, std::string target, boost::json::object body,
                           const Actor& actor) {
  ++totals_.commands;
  Command c{type, std::move(target), std::move(body), actor,
            "sim-" + std::to_string(++next_command_)};
  c.idempotent = false;  // numbered by the simulator, never retried
  Outcome o = engine_->Execute(std::move(c));
  if (!o.ok) {
    rejected_.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(mu_);
    if (errors_.size() < 20) errors_.push_back(std::string(type) + ": " + o.error.message);
  }
  return o;
}

void Window::Flush() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return in_flight_.load(std::memory_order_acquire) == 0; });
}

void Window::AdvanceTo(Timestamp t) {
  const Timestamp tick = Seconds(cfg_.tick_seconds);
  if (t - now_ < tick) return;
  const Timestamp delta = (t - now_) / tick * tick;
  Reserve();
  ++totals_.clock_advances;
  // Numbered like the commands and never retried: not looked up or kept for retries.
  engine_->SubmitAdvance(
      delta, kClock, "sim-clock-" + std::to_string(++next_command_),
      [this](Outcome o) {
        if (!o.ok) rejected_.fetch_add(1, std::memory_order_relaxed);
        Release();
      },
      /*idempotent=*/false);
  now_ += delta;
}

void Window::At(Timestamp at, Kind kind, std::uint32_t inc, std::uint32_t unit) {
  const std::uint32_t epoch = unit == kNoUnit ? 0 : units_[unit].epoch;
  queue_.push(Ev{at, ++next_seq_, kind, inc, unit, epoch});
}

double Window::SpeedKmh(char grade) const {
  const GradePolicy* g = cfg_.policy.FindGrade(std::string(1, grade));
  return g != nullptr && g->speed_kmh > 0 ? g->speed_kmh : 25.0;
}

Status Window::CreateFleet() {
  for (std::uint32_t b = 0; b < ref_.bcus.size(); ++b) {
    const Bcu& bcu = ref_.bcus[b];
    const int n = std::max(
        1, static_cast<int>(std::lround(bcu.population / 1e5 * cfg_.fleet.units_per_100k)));
    for (int k = 0; k < n; ++k) {
      SimUnit u;
      u.call_sign = bcu.code + std::to_string(100 + k);
      u.id = "unit-" + u.call_sign;
      u.bcu = b;
      u.pos = {bcu.centroid.lat + (rng_.Uniform() - 0.5) * 0.06,
               bcu.centroid.lon + (rng_.Uniform() - 0.5) * 0.09};
      boost::json::array crew;
      for (int m = 0; m < cfg_.fleet.crew; ++m) {
        const std::string collar = bcu.code + "-" + std::to_string((100 + k) * 10 + m);
        boost::json::array skills{"first_aid"};
        if (m == 0 && rng_.Chance(cfg_.fleet.mh_trained_share)) {
          skills.emplace_back("mental_health_trained");
        }
        crew.push_back({{"collar", collar}, {"rank", "PC"}, {"skills", skills}});
        if (m == 0) u.officer = Actor{"sim-" + collar, "officer", "mps", collar};
      }
      Submit("unit.create", "",
             {{"call_sign", u.call_sign},
              {"bcu", bcu.code},
              {"crew", crew},
              {"capabilities", boost::json::array{"response"}},
              {"status", "available"}},
             kController);
      auto fix = std::make_shared<UnitLocationRequest>();
      fix->lat = u.pos.lat;
      fix->lon = u.pos.lon;
      SubmitRequest("unit.location", u.id, std::move(fix), kAvl);
      unit_index_.emplace(u.id, static_cast<std::uint32_t>(units_.size()));
      units_by_bcu_[b].push_back(static_cast<std::uint32_t>(units_.size()));
      units_.push_back(std::move(u));
    }
  }
  totals_.units = units_.size();
  return OkStatus();
}

Status Window::Run(const std::vector<Contact>& contacts) {
  if (auto st = engine_->Start(); !st.ok()) return st;
  if (auto st = CreateFleet(); !st.ok()) return st;
  // At most one incident a contact: the vector is never moved to a larger one as it fills.
  incidents_.reserve(incidents_.size() + contacts.size());
  size_t next = 0;
  const Timestamp hard_stop = to_ + Hours(72);  // every window drains within three days
  while (next < contacts.size() || !queue_.empty()) {
    const bool contact = next < contacts.size() &&
                         (queue_.empty() || contacts[next].at <= queue_.top().at);
    const Timestamp t = contact ? contacts[next].at : queue_.top().at;
    if (t > hard_stop || desync_.load()) break;
    AdvanceTo(t);
    if (contact) {
      OnContact(contacts[next++]);
    } else {
      const Ev e = queue_.top();
      queue_.pop();
      if (e.unit != kNoUnit && units_[e.unit].epoch != e.epoch) continue;  // cancelled
      Handle(e);
    }
  }
  Flush();
  engine_->Stop();
  if (desync_.load()) {
    return Error::Internal("the simulation and the engine disagree: " + desync_what_);
  }
  const auto& st = engine_->stats();
  totals_.events = st.events.load();
  totals_.timers_fired = st.timers_fired.load();
  totals_.rejected = rejected_.load();
  totals_.payload_bytes = log_.stats().payload_bytes;
  totals_.errors = errors_;
  totals_.windows = 1;
  for (const auto& i : incidents_) {
    if (i.max_active > i.recommended + cfg_.policy.attendance.tolerance) {
      ++totals_.over_attended;
    }
  }
  totals_.peak_rss_kb = PeakRssKb();
  return OkStatus();
}

void Window::OnContact(const Contact& c) {
  auto& t = totals_;
  ++t.contacts;
  const CivilTime lt = ToLondon(c.at);
  ++t.contacts_by_hour[static_cast<size_t>(lt.hour)];
  ++t.contacts_by_weekday[static_cast<size_t>(Weekday(DaysFromCivil(lt.date)))];
  if (c.MentalHealth()) ++t.mh_contacts;
  if (c.kind == ContactKind::kDuplicate) {
    auto& recent = recent_by_bcu_[c.bcu];
    while (!recent.empty() && incidents_[recent.back()].closed) recent.pop_back();
    if (!recent.empty()) {
      // One of the latest incidents in the BCU; if it has closed meanwhile, the call is new.
      const size_t back = rng_.Below(std::min<size_t>(recent.size(), 8));
      const auto& inc = incidents_[recent[recent.size() - 1 - back]];
      if (!inc.closed) {
        ++t.duplicates;
        Submit("incident.log", inc.id, {{"text", "Further call from a member of the public"}},
               kCallHandler);
        return;
      }
    }
  }
  // A new incident.
  SimIncident inc;
  inc.id = "inc-" + std::to_string(next_incident_++);
  inc.created = now_;
  inc.point = c.point;
  inc.bcu = c.bcu;
  inc.grade = c.kind == ContactKind::kDuplicate ? 'R' : c.grade;
  inc.mh = c.MentalHealth();
  inc.s136 = c.s136;
  inc.emergency_planned = c.emergency;
  const std::string grade(1, inc.grade);
  const char* type = inc.mh             ? "mental_health"
                     : inc.grade == 'I' ? Pick(rng_, kTypesI)
                     : inc.grade == 'S' ? Pick(rng_, kTypesS)
                     : inc.grade == 'E' ? Pick(rng_, kTypesE)
                                        : Pick(rng_, kTypesR);
  auto create = std::make_shared<IncidentCreateRequest>();
  create->channel = inc.grade == 'I' || rng_.Chance(0.4) ? "999" : "101";
  create->caller_name = "Caller";
  create->caller_phone = "07700 900000";
  create->lat = c.point.lat;
  create->lon = c.point.lon;
  create->address = "Simulated location";
  create->location_type = rng_.Chance(0.5) ? "public_place" : "private_dwelling";
  create->type = type;
  create->grade = grade;
  if (inc.mh) create->flags.emplace_back("mental_health");
  create->description = "Simulated call";
  SubmitRequest("incident.create", "", std::move(create), kCallHandler, inc.id);
  ++t.incidents;
  const auto idx = static_cast<std::uint32_t>(incidents_.size());
  if (c.Attended()) {
    ++t.attended;
    if (inc.mh) ++t.mh_attended;
    inc.recommended = std::max(1, cfg_.policy.RecommendedUnits(type, grade));
    inc.needed = inc.recommended;
    const auto& tm = cfg_.timing;
    const double delay = inc.grade == 'I'   ? tm.dispatch_delay_i
                         : inc.grade == 'S' ? tm.dispatch_delay_s
                                            : tm.dispatch_delay_e;
    incidents_.push_back(std::move(inc));
    At(now_ + Mins(rng_.Exponential(std::max(delay, 0.01))), kDispatch, idx, kNoUnit);
    recent_by_bcu_[c.bcu].push_back(idx);
  } else {
    ++t.referred;
    incidents_.push_back(std::move(inc));
    At(now_ + Mins(rng_.Exponential(cfg_.timing.r_close)), kClose, idx, kNoUnit);
  }
}

void Window::Handle(const Ev& e) {
  SimIncident& inc = incidents_[e.inc];
  switch (e.kind) {
    case kDispatch:
      Dispatch(e.inc);
      break;
    case kEnRoute: {
      SubmitState(inc.id, e.unit, "en_route");
      const double km = Metres(units_[e.unit].pos, inc.point) * cfg_.timing.detour_factor / 1000;
      At(now_ + Mins(km / SpeedKmh(inc.grade) * 60 + 0.5), kArrive, e.inc, e.unit);
      break;
    }
    case kArrive:
      Arrive(e.inc, e.unit);
      break;
    case kAtScene:
      SubmitState(inc.id, e.unit, "at_scene");
      break;
    case kClear:
      SubmitState(inc.id, e.unit, "cleared");
      Release(e.unit);
      MaybeClose(e.inc);
      break;
    case kClose:
      if (!inc.closed) Close(e.inc, inc.mh ? "advice_signposted" : "no_deployment_required");
      break;
    case kPress:
      Press(e.inc, e.unit);
      break;
    case kGovern:
      Govern(e.inc);
      break;
    case kEmergencyEnd:
      if (!inc.closed) Close(e.inc, "officer_safe");
      break;
    case kDetain:
      Detain(e.inc, e.unit);
      break;
    case kPosArrive: {
      const std::string& det = inc.detention_id;
      Submit("detention.arrival", det, {}, units_[e.unit].officer);
      Submit("detention.handover", det, {{"stage", "requested"}, {"to", "nurse in charge"}},
             units_[e.unit].officer);
      inc.pos_arrival = now_;
      inc.outcome_at =
          now_ + Mins(std::min(23.0 * 60, 30 + rng_.Exponential(cfg_.timing.assessment)));
      At(now_ + Mins(rng_.Exponential(std::max(cfg_.timing.handover_wait, 0.01))), kHandover,
         e.inc, e.unit);
      break;
    }
    case kHandover: {
      const std::string& det = inc.detention_id;
      Submit("detention.handover", det, {{"stage", "accepted"}, {"by", "Nurse in charge"}},
             units_[e.unit].officer);
      Submit("detention.handover", det, {{"stage", "officers_left"}}, units_[e.unit].officer);
      ++totals_.handovers;
      if (now_ - inc.pos_arrival > Minutes(60)) ++totals_.handovers_over_60;
      SubmitState(inc.id, e.unit, "cleared");
      Release(e.unit);
      // The assessment ends after the handover, at the earliest a quarter of an hour later.
      At(std::max(inc.outcome_at, now_ + Minutes(15)), kOutcome, e.inc, kNoUnit);
      break;
    }
    case kOutcome:
      if (inc.detention_open) {
        Submit("detention.outcome", inc.detention_id,
               {{"outcome", Pick(rng_, kOutcomes)}, {"end_reason", "assessment_complete"}},
               units_[inc.detainer].officer);
        inc.detention_open = false;
        MaybeClose(e.inc);
      }
      break;
  }
}

}  // namespace concordat::sim
