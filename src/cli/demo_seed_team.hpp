// The demo seed's BCU mental-health teams (issue 6): every BCU's team, most posts filled — North
// without a liaison officer and East below strength, so both org_vacancy alerts show — the
// training catalogue with sessions and imported completions for the demo crews, a person over the
// repeat-demand threshold with a candidate flag, and the IOPC PC/2334/19 recommendations with the
// force's responses. Fixed command ids (`demo-seed:team:...`): a restart adds nothing twice.
#pragma once

#include "core/refdata.hpp"
#include "engine/engine.hpp"

namespace concordat::cli {

Status SeedTeams(Engine& engine, const RefData& ref, Timestamp now);

}  // namespace concordat::cli
