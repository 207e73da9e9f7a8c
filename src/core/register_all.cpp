// The one place the product's domain is assembled. Each aggregate adds its Register call here.
#include "core/cad.hpp"
#include "core/domain.hpp"

namespace concordat {

void RegisterAllDomains(Domain& d) {
  RegisterCoreDomain(d);
  RegisterCad(d);
}

}  // namespace concordat
