// What partners see: every data category × agreement state × share state, on the pure core.
#include "core/partners.hpp"

#include "cad_fixture.hpp"

namespace concordat::testing {
namespace {

class PartnersTest : public CadTest {
 protected:
  std::string Agreement(const std::string& agency, boost::json::array cats, Timestamp start,
                        Timestamp end) {
    Outcome o = MustRun("agreement.create", "",
                        {{"agency_id", agency},
                         {"categories", cats},
                         {"regime", "uk_gdpr_art9"},
                         {"condition", "sch1_para2_health_social_care"},
                         {"purpose", "test"},
                         {"start", FormatIso(start)},
                         {"end", FormatIso(end)},
                         {"review_date", FormatIso(end)}});
    return o.ok ? std::string(o.reply.at("id").as_string()) : "";
  }
  std::string Refer(const std::string& incident, const std::string& agency,
                    const std::string& type = "street_triage") {
    Outcome o = MustRun("referral.create", incident, {{"agency_id", agency}, {"type", type}});
    return o.ok ? std::string(o.reply.at("id").as_string()) : "";
  }
  std::optional<boost::json::object> View(const std::string& incident, const std::string& agency) {
    return Read([&](const State& s) {
      return PartnerIncidentJson(s, Inc(s, incident), agency, policy_, clock_.Now());
    });
  }
  Actor Partner(const std::string& agency) { return Actor{"user-p", "clinician", agency, ""}; }
};

// The fields each category discloses in the incident view.
const std::map<std::string, std::vector<std::string>> kFields = {
    {"incident_summary", {"reference", "type", "grade", "status", "description"}},
    {"location", {"location", "borough"}},
    {"mental_health_flags", {"flags"}},
    {"person_identity", {"caller", "persons"}},
    {"health_information", {"thrive"}},
    {"detention_record", {"detentions"}},
};

TEST_F(PartnersTest, EachCategoryDisclosesExactlyItsFields) {
  for (const auto& cat : DataCategories()) {
    const std::string agency = "amhp-lambeth";
    const std::string id = CreateIncident(kLat, kLon);
    // Agreements from earlier iterations are revoked so each cell stands alone.
    for (const auto& aid : Read([&](const State& s) {
           std::vector<std::string> v;
           for (const auto& [k, a] : s.partners.agreements) {
             if (!a.revoked_at) v.push_back(k);
           }
           return v;
         })) {
      MustRun("agreement.revoke", aid, {{"reason", "next cell"}});
    }
    Agreement(agency, {cat}, clock_.Now() - Hours(1), clock_.Now() + Hours(24));
    Refer(id, agency, "amhp_assessment");
    auto v = View(id, agency);
    ASSERT_TRUE(v.has_value()) << cat;
    for (const auto& [other, fields] : kFields) {
      for (const auto& f : fields) {
        EXPECT_EQ(v->contains(f), other == cat) << "category " << cat << ", field " << f;
      }
    }
  }
}

TEST_F(PartnersTest, AgreementStatesDecideDisclosure) {
  const std::string id = CreateIncident(kLat, kLon);
  const Timestamp now = clock_.Now();
  struct Cell {
    const char* agency;
    const char* type;  // a referral the agency takes
    Timestamp start, end;
    bool revoke;
    bool shared;
    bool expect;
  };
  const Cell cells[] = {
      {"las", "ambulance_conveyance", now - Hours(1), now + Hours(1), false, true, true},  // active
      {"trust-elft", "crisis_team", now - Hours(1), now + Hours(1), false, false,
       false},  // unshared
      {"trust-oxleas", "crisis_team", now - Hours(2), now - Hours(1), false, true,
       false},                                                                            // expired
      {"trust-cnwl", "crisis_team", now + Hours(1), now + Hours(2), false, true, false},  // not yet
      {"trust-wlt", "crisis_team", now - Hours(1), now + Hours(1), true, true, false},    // revoked
      {"nhs111-mh-london", "nhs111_hub", 0, 0, false, true, false},  // no agreement
  };
  for (const auto& c : cells) {
    if (c.end != 0) {
      const std::string aid = Agreement(c.agency, {"incident_summary"}, c.start, c.end);
      if (c.revoke) MustRun("agreement.revoke", aid, {{"reason", "ended"}});
    }
    if (c.shared) Refer(id, c.agency, c.type);
    EXPECT_EQ(View(id, c.agency).has_value(), c.expect) << c.agency;
  }
}

TEST_F(PartnersTest, DisclosureStopsAtTheAgreementsEnd) {
  const std::string id = CreateIncident(kLat, kLon);
  Agreement("las", {"incident_summary"}, clock_.Now(), clock_.Now() + Seconds(600));
  Refer(id, "las", "ambulance_conveyance");
  Advance(599);
  EXPECT_TRUE(View(id, "las").has_value());
  Advance(1);
  EXPECT_FALSE(View(id, "las").has_value());
}

TEST_F(PartnersTest, DeclinedReferralWithdrawsTheShare) {
  const std::string id = CreateIncident(kLat, kLon);
  Agreement("trust-slam", {"incident_summary"}, clock_.Now() - Hours(1), clock_.Now() + Hours(9));
  const std::string ref = Refer(id, "trust-slam");
  EXPECT_TRUE(View(id, "trust-slam").has_value());
  // Only the receiving agency responds.
  EXPECT_EQ(Run("referral.decline", ref, {{"reason", "x"}}, Partner("las")).error.code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(Run("referral.decline", ref, {}, Partner("trust-slam")).error.field, "reason");
  ASSERT_TRUE(
      Run("referral.decline", ref, {{"reason", "not known to us"}}, Partner("trust-slam")).ok);
  EXPECT_FALSE(View(id, "trust-slam").has_value());
}

TEST_F(PartnersTest, ReferralLifecycleAndOverdueAlert) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string ref = Refer(id, "trust-slam", "street_triage");  // 15 minutes to acknowledge
  Advance(14 * 60 + 59);
  EXPECT_TRUE(AlertsOfType("referral_overdue").empty());
  Advance(1);
  ASSERT_EQ(AlertsOfType("referral_overdue").size(), 1u);
  const Actor slam = Partner("trust-slam");
  EXPECT_EQ(Run("referral.complete", ref, {}, slam).error.code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(AlertsOfType("referral_overdue")[0].message.find(
                "(street triage) from the police to South London and Maudsley NHS Foundation "
                "Trust has not been acknowledged by its deadline"),
            std::string::npos)
      << AlertsOfType("referral_overdue")[0].message;
  EXPECT_FALSE(AlertsOfType("referral_overdue")[0].acknowledged_at.has_value());
  ASSERT_TRUE(Run("referral.acknowledge", ref, {}, slam).ok);
  // Answered: the overdue alert closes itself.
  EXPECT_EQ(AlertsOfType("referral_overdue")[0].acknowledged_by, "system");
  ASSERT_TRUE(Run("referral.accept", ref, {{"note", "RMN on the way"}}, slam).ok);
  EXPECT_EQ(Read([&](const State& s) { return s.partners.referrals.at(ref).accept_note; }),
            "RMN on the way");
  ASSERT_TRUE(Run("referral.complete", ref, {{"outcome", "seen by street triage"}}, slam).ok);
  EXPECT_EQ(Read([&](const State& s) { return s.partners.referrals.at(ref).state; }), "completed");
  // An acknowledged referral raises no alert.
  const std::string quick = Refer(CreateIncident(kLat, kLon), "trust-slam");
  ASSERT_TRUE(Run("referral.acknowledge", quick, {}, slam).ok);
  Advance(3600);
  EXPECT_EQ(AlertsOfType("referral_overdue").size(), 1u);
}

TEST_F(PartnersTest, AReferralGoesOnlyToAKindOfAgencyThatTakesItAndARefusalChangesNothing) {
  const std::string id = CreateIncident(kLat, kLon);
  const auto before = log_->HeadSeq();
  struct Case {
    const char* agency;
    const char* type;
    const char* says;
  };
  for (const Case& c : {
           Case{"nhs111-mh-london", "street_triage",
                "is the NHS 111 mental-health hub: referrals for street triage go to a "
                "mental-health trust"},
           Case{"las", "crisis_team", "referrals for crisis team go to a mental-health trust"},
           Case{"trust-slam", "amhp_assessment",
                "referrals for AMHP assessment go to a local authority's AMHP service"},
           Case{"partnership-sel", "safeguarding", "is a strategic partnership"},
           Case{"trust-slam", "police_assistance", "what a partner asks of the police"},
       }) {
    Outcome o = Run("referral.create", id, {{"agency_id", c.agency}, {"type", c.type}});
    ASSERT_FALSE(o.ok) << c.agency << " " << c.type;
    EXPECT_EQ(o.error.code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(o.error.field, "type");
    EXPECT_NE(o.error.message.find(c.says), std::string::npos) << o.error.message;
  }
  EXPECT_EQ(log_->HeadSeq(), before);
  EXPECT_TRUE(Read([](const State& s) { return s.partners.referrals.empty(); }));
  // Safeguarding goes to the local authority or a trust.
  EXPECT_FALSE(Refer(id, "amhp-lambeth", "safeguarding").empty());
  EXPECT_FALSE(Refer(id, "trust-slam", "safeguarding").empty());
}

TEST_F(PartnersTest, WhoTakesWhichReferralIsTheForcesConfiguration) {
  const std::string id = CreateIncident(kLat, kLon);
  EXPECT_FALSE(Run("referral.create", id, {{"agency_id", "las"}, {"type", "safeguarding"}}).ok);
  policy_.partners.referral_recipients["safeguarding"] = {"ambulance_service"};
  EXPECT_FALSE(Refer(id, "las", "safeguarding").empty());
  Outcome o = Run("referral.create", id, {{"agency_id", "amhp-lambeth"}, {"type", "safeguarding"}});
  ASSERT_FALSE(o.ok);
  EXPECT_NE(o.error.message.find("go to the ambulance service"), std::string::npos)
      << o.error.message;
  policy_.partners.referral_recipients.erase("crisis_team");
  o = Run("referral.create", id, {{"agency_id", "trust-slam"}, {"type", "crisis_team"}});
  ASSERT_FALSE(o.ok);
  EXPECT_NE(o.error.message.find("no agency under this force's configuration"), std::string::npos)
      << o.error.message;
}

TEST_F(PartnersTest, AReferralWithoutAnActiveAgreementSaysWhatThePartnerWillSee) {
  const std::string id = CreateIncident(kLat, kLon);
  Outcome bare =
      MustRun("referral.create", id, {{"agency_id", "trust-elft"}, {"type", "crisis_team"}});
  ASSERT_TRUE(bare.reply.as_object().contains("warnings"));
  const auto& w = bare.reply.at("warnings").as_array();
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(std::string(w.at(0).as_string())
                .find("No active information-sharing agreement with East London"),
            std::string::npos)
      << w.at(0);
  Agreement("trust-oxleas", {"incident_summary"}, clock_.Now() - Hours(1), clock_.Now() + Hours(9));
  Outcome covered =
      MustRun("referral.create", id, {{"agency_id", "trust-oxleas"}, {"type", "crisis_team"}});
  EXPECT_FALSE(covered.reply.as_object().contains("warnings")) << covered.reply;
}

TEST_F(PartnersTest, APartnersReferralToThePoliceNeedsWordsAndItsAlertClosesWhenAnswered) {
  const Actor amhp{"user-a", "amhp", "amhp-lambeth", ""};
  EXPECT_EQ(
      Run("referral.raise", "", {{"type", "police_assistance"}, {"note", "   "}}, amhp).error.field,
      "note");
  Outcome o =
      Run("referral.raise", "",
          {{"type", "amhp_assessment"}, {"note", "s135 warrant at 10:00, 4 Acre Lane"}}, amhp);
  ASSERT_TRUE(o.ok) << o.error.message;
  const std::string ref(o.reply.at("id").as_string());
  Advance(24 * 3600);
  auto alerts = AlertsOfType("referral_overdue");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(
      alerts[0].message.find("(AMHP assessment) from Lambeth Council AMHP Service to the police"),
      std::string::npos)
      << alerts[0].message;
  ASSERT_TRUE(Run("referral.acknowledge", ref, {}).ok);  // the control room
  EXPECT_EQ(AlertsOfType("referral_overdue")[0].acknowledged_by, "system");
}

TEST_F(PartnersTest, StreamEventsAreCutToTheAgreement) {
  const std::string id = CreateIncident(kLat, kLon);
  Agreement("las", {"incident_summary", "location"}, clock_.Now() - Hours(1),
            clock_.Now() + Hours(9));
  Refer(id, "las", "ambulance_conveyance");
  std::map<std::string, std::optional<boost::json::object>> seen;
  const auto events = log_->ReadAfter(0, 100000);
  for (const auto& e : events.value()) {
    if (e.stream != "incident/" + id) continue;
    seen[e.type] =
        Read([&](const State& s) { return PartnerEventData(s, e, "las", clock_.Now()); });
  }
  ASSERT_TRUE(seen["incident.created"].has_value());
  const auto& created = *seen["incident.created"];
  EXPECT_TRUE(created.contains("reference"));
  EXPECT_TRUE(created.contains("location"));
  EXPECT_FALSE(created.contains("caller"));  // person_identity not covered
  EXPECT_FALSE(created.contains("flags"));   // mental_health_flags not covered
  EXPECT_TRUE(seen["incident.shared"].has_value());
  // An agency the incident is not shared with gets nothing.
  for (const auto& e : events.value()) {
    if (e.stream == "incident/" + id) {
      EXPECT_FALSE(Read([&](const State& s) {
                     return PartnerEventData(s, e, "trust-slam", clock_.Now());
                   }).has_value());
    }
  }
}

TEST_F(PartnersTest, AgreementsValidateAgencyCategoriesAndMergers) {
  auto body = [](const char* agency, boost::json::array cats) {
    return boost::json::object{{"agency_id", agency},
                               {"categories", cats},
                               {"regime", "uk_gdpr_art9"},
                               {"condition", "c"},
                               {"purpose", "p"},
                               {"start", "2026-01-01T00:00:00Z"},
                               {"end", "2027-01-01T00:00:00Z"},
                               {"review_date", "2026-06-01T00:00:00Z"}};
  };
  EXPECT_EQ(Run("agreement.create", "", body("nobody", {"location"})).error.field, "agency_id");
  EXPECT_EQ(Run("agreement.create", "", body("las", {"gossip"})).error.field, "categories");
  // Camden and Islington merged into North London NHS FT on 1 November 2024.
  Outcome merged = Run("agreement.create", "", body("trust-candi", {"location"}));
  EXPECT_EQ(merged.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(merged.error.message.find("trust-nlft"), std::string::npos);
}

TEST_F(PartnersTest, ALiaisonMeetingIsRecordedOnceHeldWithActionsDueAfterIt) {
  const Timestamp now = clock_.Now();
  auto meeting = [&](Timestamp date, Timestamp due) {
    return Run(
        "meeting.create", "",
        {{"bcu", "CS"},
         {"agency_id", "trust-slam"},
         {"date", FormatIso(date)},
         {"attendees", {"Insp Shah", "Dr Okafor"}},
         {"actions",
          {{{"text", "Share the crisis plan"}, {"owner", "SLaM"}, {"due", FormatIso(due)}}}}});
  };
  Outcome future = meeting(now + Hours(48), now + Hours(72));
  EXPECT_EQ(future.error.field, "date") << future.error.message;
  Outcome early = meeting(now - Hours(1), now - Hours(2));
  EXPECT_EQ(early.error.field, "actions[0].due") << early.error.message;
  EXPECT_NE(early.error.message.find("before the meeting"), std::string::npos);
  EXPECT_TRUE(Read([](const State& s) { return s.partners.meetings.empty(); }));

  Outcome held = meeting(now - Hours(1), now + Hours(24 * 7));
  ASSERT_TRUE(held.ok) << held.error.message;
  // The reply is the meeting as GET /api/liaison-meetings gives it: ISO times, the agency named.
  EXPECT_EQ(held.reply.at("date"), boost::json::value(FormatIso(now - Hours(1))));
  EXPECT_EQ(held.reply.at("agency_name"), "South London and Maudsley NHS Foundation Trust");
  const auto& action = held.reply.at("actions").at(0);
  EXPECT_EQ(action.at("due"), boost::json::value(FormatIso(now + Hours(24 * 7))));
  EXPECT_EQ(action.at("overdue"), false);
  Outcome done = MustRun("meeting.action_done", std::string(held.reply.at("id").as_string()),
                         {{"action_id", action.at("id")}});
  EXPECT_TRUE(done.reply.at("actions").at(0).at("done_at").is_string()) << done.reply;
}

TEST_F(PartnersTest, ARegisterEntryNamesItsPartiesAndAnAgreementIsReviewedWhileInForce) {
  const Timestamp now = clock_.Now();
  Outcome blank = Run("register.create", "",
                      {{"kind", "mou"},
                       {"title", "Police attendance in mental-health settings"},
                       {"parties", {"mps", "   "}},
                       {"status", "active"},
                       {"review_date", FormatIso(now + Hours(24 * 90))}});
  EXPECT_EQ(blank.error.field, "parties") << blank.error.message;
  Outcome entry = MustRun("register.create", "",
                          {{"kind", "mou"},
                           {"title", "Police attendance in mental-health settings"},
                           {"parties", {"mps", "trust-slam"}},
                           {"status", "active"},
                           {"review_date", FormatIso(now + Hours(24 * 90))}});
  EXPECT_EQ(entry.reply.at("review_date"), boost::json::value(FormatIso(now + Hours(24 * 90))));
  EXPECT_EQ(entry.reply.at("review_overdue"), false);

  Outcome late = Run("agreement.create", "",
                     {{"agency_id", "trust-oxleas"},
                      {"categories", {"incident_summary"}},
                      {"regime", "uk_gdpr_art9"},
                      {"condition", "sch1_para2_health_social_care"},
                      {"purpose", "test"},
                      {"start", FormatIso(now)},
                      {"end", FormatIso(now + Hours(24 * 365))},
                      {"review_date", FormatIso(now + Hours(24 * 400))}});
  EXPECT_EQ(late.error.field, "review_date") << late.error.message;
}

}  // namespace
}  // namespace concordat::testing
