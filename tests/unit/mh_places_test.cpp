// Places of safety (RULES.md A10): live availability kept by the site's trust, the nearest
// suitable suggestion, and the other kinds of place with their consent rules.
#include "core/mh_rules.hpp"
#include "core/partners.hpp"
#include "mh_fixture.hpp"

namespace concordat::testing {
namespace {

class PlacesTest : public MhTest {
 protected:
  const Actor slam_{"user-cl", "clinician", "trust-slam", "",
                    "South London and Maudsley NHS Foundation Trust"};
  Outcome Report(const Actor& a, const std::string& site, boost::json::object body) {
    return As(a, "place_of_safety.availability", site, std::move(body));
  }
  SuggestResult Suggest(std::optional<int> age, bool child = false) {
    return Read([&](const State& s) {
      return SuggestPlaceOfSafety(s, LondonRef(), policy_, {kLat, kLon}, age, child);
    });
  }
};

TEST(TrustNames, NormalisedNamesMatchAndNeighboursDoNot) {
  using mh::SameTrust;
  EXPECT_TRUE(SameTrust("South London and Maudsley NHS Foundation Trust",
                        "South London and Maudsley NHS FT"));
  EXPECT_TRUE(SameTrust("North London NHS Foundation Trust",
                        "North London NHS FT (formerly Camden and Islington NHS FT)"));
  EXPECT_TRUE(SameTrust("South West London and St George's Mental Health NHS Trust",
                        "South West London and St George's Mental Health NHS Trust"));
  EXPECT_TRUE(
      SameTrust("Central & North West London NHS FT", "Central and North West London NHS FT"));
  EXPECT_FALSE(SameTrust("East London NHS Foundation Trust", "North East London NHS FT"));
  EXPECT_FALSE(SameTrust("London Ambulance Service NHS Trust", "South London and Maudsley NHS FT"));
  EXPECT_FALSE(SameTrust("", "Oxleas NHS FT"));
}

// The trust that runs the chosen HBPoS receives the person: the incident is shared with it (a
// logged act, as a referral's is) and it sees the detention as its agreement allows — live too.
// Another trust sees nothing; without an agreement the running trust sees nothing either.
TEST_F(PlacesTest, TheTrustRunningTheChosenPlaceOfSafetySeesTheDetentionUnderItsAgreement) {
  MustRun("agreement.create", "",
          {{"agency_id", "trust-slam"},
           {"categories", {"incident_summary", "detention_record"}},
           {"regime", "uk_gdpr_art9"},
           {"condition", "sch1_para2_health_social_care"},
           {"purpose", "receiving people detained under s136 at the Maudsley HBPoS"},
           {"start", FormatIso(Now() - Hours(1))},
           {"end", FormatIso(Now() + Hours(24))},
           {"review_date", FormatIso(Now() + Hours(24))}});
  const std::string incident = CreateIncident(kLat, kLon);
  const std::string det = Detain(incident);
  EXPECT_FALSE(Read([&](const State& s) { return s.partners.SharedWith(incident, "trust-slam"); }));
  Step("detention.place", det, Hbpos());  // the Maudsley: run by SLaM
  Read([&](const State& s) {
    EXPECT_TRUE(s.partners.SharedWith(incident, "trust-slam"));
    EXPECT_FALSE(s.partners.SharedWith(incident, "trust-elft"));
    auto view = PartnerIncidentJson(s, Inc(s, incident), "trust-slam", policy_, Now());
    EXPECT_TRUE(view.has_value());
    if (view) {
      const auto& dets = view->at("detentions").as_array();
      EXPECT_EQ(dets.size(), 1u);
      if (!dets.empty()) {
        EXPECT_FALSE(dets[0].as_object().contains("officer_collar"));
        EXPECT_FALSE(dets[0].at("person").as_object().contains("date_of_birth"));
      }
    }
    EXPECT_FALSE(PartnerIncidentJson(s, Inc(s, incident), "trust-elft", policy_, Now()));
    return 0;
  });
  // The detention's own events reach the trust's stream, cut to its agreement.
  auto events = log_->ReadAfter(0, 100000);
  ASSERT_TRUE(events.ok());
  int for_slam = 0, for_elft = 0;
  Read([&](const State& s) {
    for (auto& e : *events) {
      if (e.stream != "detention/" + det) continue;
      if (auto data = PartnerEventData(s, e, "trust-slam", Now())) {
        ++for_slam;
        EXPECT_FALSE(data->contains("officer_collar")) << e.type;
      }
      for_elft += PartnerEventData(s, e, "trust-elft", Now()).has_value();
    }
    return 0;
  });
  EXPECT_GE(for_slam, 2);  // created, place chosen
  EXPECT_EQ(for_elft, 0);
  // Choosing again at the same trust's site (a transfer later) shares nothing twice.
  Step("detention.arrival", det);
  const auto shares = Read([&](const State& s) { return s.partners.shares.size(); });
  EXPECT_EQ(shares, 1u);
}

TEST_F(PlacesTest, OnlyTheSitesOwnTrustOrASupervisorUpdatesAvailability) {
  Outcome ok = Report(slam_, kMaudsley, {{"suites_free", 2}, {"note", "two rooms being cleaned"}});
  ASSERT_TRUE(ok.ok) << ok.error.message;
  EXPECT_EQ(ok.reply.at("suites_free").as_int64(), 2);
  EXPECT_EQ(ok.reply.at("suites_total").as_int64(), 6);
  EXPECT_EQ(ok.reply.at("updated_by_agency"), "South London and Maudsley NHS Foundation Trust");
  Outcome other = Report(slam_, kOxleas, {{"suites_free", 0}});
  EXPECT_EQ(other.error.code, ErrorCode::kPermissionDenied);
  const Actor supervisor{"user-sup", "supervisor", "mps", ""};
  EXPECT_TRUE(Report(supervisor, kOxleas, {{"suites_free", 0}}).ok);
  EXPECT_EQ(Report(slam_, kMaudsley, {{"suites_free", 9}}).error.field, "suites_free");
  EXPECT_EQ(Report(slam_, "pos-nowhere", {{"suites_free", 1}}).error.code, ErrorCode::kNotFound);
}

TEST_F(PlacesTest, SuggestionIsTheNearestOpenSiteWithAFreeSuiteThatTakesTheAge) {
  auto first = Suggest(30);
  ASSERT_FALSE(first.sites.empty());
  EXPECT_EQ(first.sites[0].site_id, kMaudsley);  // nearest to Westminster Bridge
  EXPECT_GT(first.sites[0].travel, 0);
  EXPECT_LT(first.sites[0].distance_m, 6000);
  // Full: the next nearest is suggested.
  ASSERT_TRUE(Report(slam_, kMaudsley, {{"suites_free", 0}}).ok);
  EXPECT_NE(Suggest(30).sites[0].site_id, kMaudsley);
  // Free again but adults only: a 16-year-old, or an unknown-age child, goes elsewhere.
  ASSERT_TRUE(Report(slam_, kMaudsley, {{"suites_free", 3}, {"min_age", 18}}).ok);
  EXPECT_EQ(Suggest(30).sites[0].site_id, kMaudsley);
  EXPECT_NE(Suggest(16).sites[0].site_id, kMaudsley);
  EXPECT_NE(Suggest(std::nullopt, true).sites[0].site_id, kMaudsley);
  // Closed sites never appear; historic ones are closed from the reference data.
  for (const auto& s : Suggest(30, false).sites) {
    EXPECT_NE(s.site_id, "pos-green-parks-house-princess-royal-university-hospital");
  }
}

// A report counts free suites at its time; people who arrive after it take them. Until the trust
// reports again, the board, the choice of place and the suggestion count on the report less the
// arrivals since (the walk-through's "5 of 6 free · 2 detained here").
TEST_F(PlacesTest, ArrivalsAfterTheLastReportTakeTheSuitesItCountedFree) {
  ASSERT_TRUE(Report(slam_, kMaudsley, {{"suites_free", 2}, {"suites_total", 6}}).ok);
  auto maudsley = [&] {
    return Read([&](const State& s) {
      for (const auto& p : PlacesOfSafetyJson(s, LondonRef())) {
        if (p.at("id") == boost::json::value(kMaudsley)) return p.as_object();
      }
      return boost::json::object{};
    });
  };
  EXPECT_EQ(maudsley().at("suites_free_now").as_int64(), 2);
  AdvanceBy(Minutes(5));
  DetainedAt(Hbpos());
  auto after_one = maudsley();
  EXPECT_EQ(after_one.at("suites_free").as_int64(), 2);  // as reported
  EXPECT_EQ(after_one.at("arrived_since_report").as_int64(), 1);
  EXPECT_EQ(after_one.at("suites_free_now").as_int64(), 1);
  EXPECT_EQ(Suggest(30).sites[0].site_id, kMaudsley);
  EXPECT_EQ(Suggest(30).sites[0].suites_free, 1);
  DetainedAt(Hbpos());
  EXPECT_EQ(maudsley().at("suites_free_now").as_int64(), 0);
  EXPECT_NE(Suggest(30).sites[0].site_id, kMaudsley);  // full now: the next nearest
  // Choosing it anyway is allowed, with the warning.
  const std::string third = Detain(CreateIncident(kLat, kLon));
  Outcome chosen = Step("detention.place", third, Hbpos());
  bool warned = false;
  for (const auto& w : chosen.reply.at("warnings").as_array()) {
    warned = warned || std::string(w.as_string()).find("no free suite") != std::string::npos;
  }
  EXPECT_TRUE(warned);
  // The trust's next report counts everyone already there.
  AdvanceBy(Minutes(5));
  ASSERT_TRUE(Report(slam_, kMaudsley, {{"suites_free", 1}}).ok);
  EXPECT_EQ(maudsley().at("arrived_since_report").as_int64(), 0);
  EXPECT_EQ(maudsley().at("suites_free_now").as_int64(), 1);
}

TEST_F(PlacesTest, WhenNothingFitsTheReasonsAndTheNearestEmergencyDepartmentAreGiven) {
  const Actor admin{"user-adm", "admin", "mps", ""};
  for (const auto& site : LondonRef().places_of_safety) {
    ASSERT_TRUE(Report(admin, site.id, {{"suites_free", 0}}).ok);
  }
  auto none = Suggest(30);
  EXPECT_TRUE(none.sites.empty());
  ASSERT_FALSE(none.why_none.empty());
  EXPECT_NE(none.why_none.back().find("St Thomas' Hospital"), std::string::npos);
}

TEST_F(PlacesTest, A10OtherPlacesNeedConsentAndPlaceChoicesWarnAboutAvailability) {
  const std::string det = Detain(CreateIncident(kLat, kLon));
  const std::string home = Refused(
      "detention.place", det,
      {{"kind", "other"}, {"other_type", "private_home"}, {"consent", {{"occupier", true}}}});
  EXPECT_EQ(home.rfind("s135(7):", 0), 0u) << home;
  EXPECT_EQ(
      Refused("detention.place", det, {{"kind", "other"}, {"other_type", "other_suitable_place"}})
          .rfind("s135(6):", 0),
      0u);
  Step("detention.place", det,
       {{"kind", "other"},
        {"other_type", "private_home"},
        {"consent", {{"occupier", true}, {"person", true}}}});
  ASSERT_TRUE(Report(slam_, kMaudsley, {{"suites_free", 0}}).ok);
  Outcome o = Step("detention.place", det, Hbpos());  // guidance: a warning, not a block
  EXPECT_EQ(o.reply.at("warnings").as_array().size(), 1u);
  Refused("detention.place", det, {{"kind", "hbpos"}, {"site_id", "nope"}},
          ErrorCode::kInvalidArgument);
  Refused("detention.place", det, {{"kind", "emergency_department"}, {"site_id", "XX1"}},
          ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace concordat::testing
