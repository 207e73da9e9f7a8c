// Every domain's routes, added in one place (the platform's own are in routes_platform.cpp).
#include "api/app.hpp"

namespace concordat::api {

void AddBoardRoutes(App& app);

void AddAllRoutes(App& app) { AddBoardRoutes(app); }

}  // namespace concordat::api
