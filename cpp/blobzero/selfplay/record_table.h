#pragma once
// The training-record layout: a run's records as columns, one row per recorded decision
// (positions) and one row per game (games). The bindings hand every column to Python as a numpy
// array of the same name, dtype and shape (blobzero.selfplay.engine.SelfPlayRecords), so this
// file is the one definition of the layout.
//
// Threading: pure functions of their arguments.

#include <cstdint>
#include <vector>

#include "blobzero/selfplay/engine.h"

namespace blobzero::selfplay {

// One column: row-major values and the shape (rows first).
template <typename T>
struct Column {
  std::vector<int64_t> shape;
  std::vector<T> values;
};

struct PositionColumns {
  Column<uint8_t> features;     // [rows, kNumTokens, kNumFields]: PositionRecord::features
  Column<uint8_t> masks;        // [rows, kMaskSize]
  Column<float> policy;         // [rows, kNumActions]
  Column<float> value;          // [rows, kValueSize]
  Column<uint8_t> num_players;  // [rows]
  Column<uint8_t> observer;     // [rows]
  Column<int64_t> game_id;      // [rows]
  Column<int16_t> move_number;  // [rows]
  Column<uint64_t> game_seed;   // [rows]
};

struct GameColumns {
  Column<int64_t> game_id;        // [games]
  Column<uint64_t> game_seed;     // [games]
  Column<uint8_t> num_players;    // [games]
  Column<uint8_t> num_cards;      // [games]
  Column<uint8_t> dealer;         // [games]
  Column<int8_t> trump_suit;      // [games]: the suit, game::kNoTrump for none or a turn-up deal
  Column<uint8_t> turn_up;        // [games]: 0 or 1 (a bool column in numpy)
  Column<int8_t> turned_up;       // [games]: the card, or -1
  Column<uint8_t> hook_rule;      // [games]: 0 or 1 (a bool column in numpy)
  Column<uint8_t> scoring;        // [games]: game::Scoring
  Column<uint64_t> hands;         // [games, kMaxPlayers]: initial hands as card-set bits, 0 past P
  Column<int8_t> actions;         // [games, kMaxRoundActions]: the round's actions, -1 after
  Column<int16_t> num_actions;    // [games]
  Column<int16_t> scores;         // [games, kMaxPlayers]: 0 past P
  Column<int32_t> num_positions;  // [games]: the game's rows in PositionColumns, in order
};

struct RecordColumns {
  PositionColumns positions;
  GameColumns games;
};

// The columns of `games` (records in the given order, positions game after game).
RecordColumns ToColumns(const std::vector<GameRecord>& games);

}  // namespace blobzero::selfplay
