// The demo seed's mental-health pathway (issue 4): three live s136 detentions at different stages
// so the board shows real clocks — one at the Maudsley HBPoS with about 20 hours left (handed
// over), one at the Royal London ED waiting 50 minutes for a handover (its 60-minute alert fires
// ten minutes after start-up), one just decided and not yet at a place of safety — and the
// Maudsley suite reported by its trust. Fixed command ids (`demo-seed:mh:...`): a restart adds
// nothing twice.
#pragma once

#include "engine/engine.hpp"

namespace concordat::cli {

Status SeedMentalHealth(Engine& engine, Timestamp now);

}  // namespace concordat::cli
