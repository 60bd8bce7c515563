#include "blobzero/selfplay/record_table.h"

#include <algorithm>

namespace blobzero::selfplay {
namespace {

template <typename T>
Column<T> Sized(std::vector<int64_t> shape, T fill = T{}) {
  int64_t size = 1;
  for (int64_t extent : shape) size *= extent;
  return Column<T>{std::move(shape), std::vector<T>(static_cast<size_t>(size), fill)};
}

}  // namespace

RecordColumns ToColumns(const std::vector<GameRecord>& games) {
  int64_t n = 0;
  for (const GameRecord& game : games) n += static_cast<int64_t>(game.positions.size());
  const int64_t g = static_cast<int64_t>(games.size());
  constexpr int64_t kSeats = game::kMaxPlayers;
  constexpr int64_t kActions = game::kMaxRoundActions;

  RecordColumns columns;
  PositionColumns& p = columns.positions;
  p.features = Sized<uint8_t>({n, encode::kNumTokens, encode::kNumFields});
  p.masks = Sized<uint8_t>({n, encode::kMaskSize});
  p.policy = Sized<float>({n, game::kNumActions});
  p.value = Sized<float>({n, search::kValueSize});
  p.num_players = Sized<uint8_t>({n});
  p.observer = Sized<uint8_t>({n});
  p.game_id = Sized<int64_t>({n});
  p.move_number = Sized<int16_t>({n});
  p.game_seed = Sized<uint64_t>({n});
  GameColumns& s = columns.games;
  s.game_id = Sized<int64_t>({g});
  s.game_seed = Sized<uint64_t>({g});
  s.num_players = Sized<uint8_t>({g});
  s.num_cards = Sized<uint8_t>({g});
  s.dealer = Sized<uint8_t>({g});
  s.trump_suit = Sized<int8_t>({g});
  s.turn_up = Sized<uint8_t>({g});
  s.turned_up = Sized<int8_t>({g});
  s.hook_rule = Sized<uint8_t>({g});
  s.scoring = Sized<uint8_t>({g});
  s.hands = Sized<uint64_t>({g, kSeats});
  s.actions = Sized<int8_t>({g, kActions}, int8_t{-1});
  s.num_actions = Sized<int16_t>({g});
  s.scores = Sized<int16_t>({g, kSeats});
  s.num_positions = Sized<int32_t>({g});

  int64_t row = 0;
  for (int64_t i = 0; i < g; ++i) {
    const GameRecord& game = games[i];
    s.game_id.values[i] = game.game_id;
    s.game_seed.values[i] = game.game_seed;
    s.num_players.values[i] = static_cast<uint8_t>(game.rules.num_players);
    s.num_cards.values[i] = static_cast<uint8_t>(game.rules.num_cards);
    s.dealer.values[i] = static_cast<uint8_t>(game.deal.dealer);
    s.trump_suit.values[i] =
        static_cast<int8_t>(game.rules.turn_up ? game::kNoTrump : game.rules.trump_suit);
    s.turn_up.values[i] = game.rules.turn_up;
    s.turned_up.values[i] = static_cast<int8_t>(game.deal.turned_up);
    s.hook_rule.values[i] = game.rules.hook_rule;
    s.scoring.values[i] = static_cast<uint8_t>(game.rules.scoring);
    for (int64_t seat = 0; seat < kSeats; ++seat) {
      s.hands.values[i * kSeats + seat] = game.deal.hands[seat].bits();
      if (seat < static_cast<int64_t>(game.scores.size())) {
        s.scores.values[i * kSeats + seat] = static_cast<int16_t>(game.scores[seat]);
      }
    }
    const int64_t actions = std::min<int64_t>(kActions, static_cast<int64_t>(game.actions.size()));
    for (int64_t a = 0; a < actions; ++a) {
      s.actions.values[i * kActions + a] = static_cast<int8_t>(game.actions[a]);
    }
    s.num_actions.values[i] = static_cast<int16_t>(game.actions.size());
    s.num_positions.values[i] = static_cast<int32_t>(game.positions.size());
    for (const PositionRecord& record : game.positions) {
      std::copy(record.features.begin(), record.features.end(),
                p.features.values.begin() + row * encode::kFeatureSize);
      std::copy(record.mask.begin(), record.mask.end(),
                p.masks.values.begin() + row * encode::kMaskSize);
      std::copy(record.policy.begin(), record.policy.end(),
                p.policy.values.begin() + row * game::kNumActions);
      std::copy(record.value.begin(), record.value.end(),
                p.value.values.begin() + row * search::kValueSize);
      p.num_players.values[row] = static_cast<uint8_t>(record.num_players);
      p.observer.values[row] = static_cast<uint8_t>(record.observer);
      p.game_id.values[row] = game.game_id;
      p.move_number.values[row] = record.move_number;
      p.game_seed.values[row] = game.game_seed;
      ++row;
    }
  }
  return columns;
}

}  // namespace blobzero::selfplay
