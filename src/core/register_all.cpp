// The one place the product's domain is assembled. Each aggregate adds its Register call here.
#include "core/cad.hpp"
#include "core/domain.hpp"
#include "core/mh.hpp"
#include "core/partners.hpp"
#include "core/team.hpp"

namespace concordat {

void RegisterAllDomains(Domain& d) {
  RegisterCoreDomain(d);
  RegisterCad(d);
  RegisterMentalHealth(d);
  RegisterPartners(d);
  RegisterTeam(d);
}

}  // namespace concordat
