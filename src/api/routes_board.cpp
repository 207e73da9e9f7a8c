// GET /api/board: everything the control room's board shows, in one consistent read.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "core/state.hpp"

namespace concordat::api {

void AddBoardRoutes(App& app) {
  app.mutable_router().Add(
      {"GET", "/api/board", "board.read", "The control-room board: incidents, units, alerts",
       [&app](const std::shared_ptr<Call>& c) {
         auto out = app.engine().Read([&](const State& s) {
           boost::json::array alerts;
           for (auto it = s.alerts.by_id.rbegin(); it != s.alerts.by_id.rend(); ++it) {
             if (!it->second.acknowledged_at) {
               alerts.push_back(AlertToJson(it->second));
             }
           }
           return boost::json::object{{"seq", s.seq},
                                      {"now", FormatIso(app.engine().clock().Now())},
                                      {"incidents", boost::json::array{}},
                                      {"units", boost::json::array{}},
                                      {"alerts", alerts}};
         });
         c->Json(200, out);
       },
       false, "board"});
}

}  // namespace concordat::api
