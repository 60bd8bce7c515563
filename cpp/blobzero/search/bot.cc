#include "blobzero/search/bot.h"

#include <stdexcept>
#include <string>

namespace blobzero::search {

void CheckCanAct(const game::State& state, int observer) {
  if (observer < 0 || observer >= state.num_players()) {
    throw std::invalid_argument("observer " + std::to_string(observer) + " is outside 0.." +
                                std::to_string(state.num_players() - 1));
  }
  if (state.IsTerminal()) {
    throw std::invalid_argument("the round is over: player " + std::to_string(observer) +
                                " has nothing to act on");
  }
  if (state.current_player() != observer) {
    throw std::invalid_argument("player " + std::to_string(observer) +
                                " is not the player to act (player " +
                                std::to_string(state.current_player()) + " is)");
  }
}

}  // namespace blobzero::search
