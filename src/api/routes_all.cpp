// Every domain's routes, added in one place (the platform's own are in routes_platform.cpp).
#include "api/app.hpp"

namespace concordat::api {

void AddCadRoutes(App& app);
void AddPartnerRoutes(App& app);
void AddTeamRoutes(App& app);
void AddMentalHealthRoutes(App& app);
void AddReportRoutes(App& app);
void AddAccountRoutes(App& app);

void AddAllRoutes(App& app) {
  AddCadRoutes(app);
  AddPartnerRoutes(app);
  AddTeamRoutes(app);
  AddMentalHealthRoutes(app);
  AddReportRoutes(app);  // after the s136 return's own route, which matches first
  AddAccountRoutes(app);
}

}  // namespace concordat::api
