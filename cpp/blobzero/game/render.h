#pragma once
// Human-readable multi-line text of a round, for logs, debugging and the demo.

#include <string>

#include "blobzero/game/observation.h"
#include "blobzero/game/state.h"

namespace blobzero::game {

// Everything, every hand included.
std::string Render(const State& state);
// What the observer knows: its own hand; other hands only as their sizes.
std::string Render(const ObserverView& view);

std::string ToString(Phase phase);

}  // namespace blobzero::game
