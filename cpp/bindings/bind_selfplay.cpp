// Python bindings of blobzero::selfplay: the engine's config, batches, records and stats.
//
// The Python side drives the engine (python/blobzero/selfplay/engine.py): start(), then
// next_batch() -> run the model -> submit() until done(), then take_records(). next_batch waits
// with the GIL released (in slices, checking for Ctrl-C between them); the worker threads never
// touch Python.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "bindings/batch_protocol.h"
#include "bindings/bind.h"
#include "bindings/numpy_output.h"
#include "blobzero/core/rng.h"
#include "blobzero/encode/encoder.h"
#include "blobzero/game/rules.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/search/pimc.h"
#include "blobzero/selfplay/engine.h"
#include "blobzero/selfplay/game_setup.h"
#include "blobzero/selfplay/record_table.h"

namespace py = pybind11;

namespace blobzero::bindings {
namespace {

using selfplay::Batch;
using selfplay::GameRecord;
using selfplay::SelfPlayConfig;
using selfplay::SelfPlayEngine;
using selfplay::SelfPlayStats;

using PlayersArg = std::variant<int, std::vector<int>, std::map<int, double>>;

template <typename Enum>
Enum ToEnum(const std::variant<Enum, std::string>& value, Enum (*parse)(std::string_view)) {
  if (const auto* text = std::get_if<std::string>(&value)) return parse(*text);
  return std::get<Enum>(value);
}

// An int (fixed), a list (uniform over its entries) or a dict {players: weight}.
selfplay::PlayerWeights ToPlayerWeights(const PlayersArg& players) {
  return std::visit([](const auto& value) { return selfplay::PlayerWeightsOf(value); }, players);
}

using TrumpModeArg = std::variant<game::TrumpMode, std::string>;
using ScoringArg = std::variant<game::Scoring, std::string>;

selfplay::GameSetup MakeSetup(const PlayersArg& num_players, const std::vector<int>& hand_sizes,
                              const TrumpModeArg& trump_mode, double no_trump_weight,
                              bool hook_rule, const ScoringArg& scoring) {
  selfplay::GameSetup setup;
  setup.player_weights = ToPlayerWeights(num_players);
  setup.hand_sizes = hand_sizes;
  setup.trump_mode = ToEnum(trump_mode, game::ParseTrumpMode);
  setup.no_trump_weight = no_trump_weight;
  setup.hook_rule = hook_rule;
  setup.scoring = ToEnum(scoring, game::ParseScoring);
  return setup;
}

SelfPlayConfig MakeConfig(const PlayersArg& num_players, const std::vector<int>& hand_sizes,
                          const TrumpModeArg& trump_mode, double no_trump_weight, bool hook_rule,
                          const ScoringArg& scoring,
                          const std::optional<search::PuctConfig>& search,
                          const std::vector<std::pair<int, double>>& temperature_schedule,
                          uint64_t seed, int num_threads, int games_per_thread, int max_batch_size,
                          int batches_per_thread, int64_t cache_capacity,
                          bool record_opponent_views, int teacher_simulations, int teacher_seats,
                          double root_value_weight) {
  SelfPlayConfig config;
  config.setup =
      MakeSetup(num_players, hand_sizes, trump_mode, no_trump_weight, hook_rule, scoring);
  if (search) config.search = *search;
  config.temperature_schedule.clear();
  for (const auto& [move, temperature] : temperature_schedule) {
    config.temperature_schedule.push_back({move, temperature});
  }
  config.seed = seed;
  config.num_threads = num_threads;
  config.games_per_thread = games_per_thread;
  config.max_batch_size = max_batch_size;
  config.batches_per_thread = batches_per_thread;
  config.cache_capacity = cache_capacity;
  config.record_opponent_views = record_opponent_views;
  config.teacher_simulations = teacher_simulations;
  config.teacher_seats = teacher_seats;
  config.root_value_weight = root_value_weight;
  config.Validate();
  return config;
}

std::map<int, double> PlayerWeights(const SelfPlayConfig& config) {
  std::map<int, double> weights;
  for (int i = 0; i < selfplay::kNumPlayerCounts; ++i) {
    if (config.setup.player_weights[i] > 0) {
      weights[game::kMinPlayers + i] = config.setup.player_weights[i];
    }
  }
  return weights;
}

std::vector<std::pair<int, double>> TemperatureSchedule(const SelfPlayConfig& config) {
  std::vector<std::pair<int, double>> schedule;
  for (const auto& step : config.temperature_schedule) {
    schedule.emplace_back(step.first_move, step.temperature);
  }
  return schedule;
}

// A zero-copy view of a batch's rows, keeping the batch object alive. Writable (torch warns on
// read-only arrays), but the engine never reads these rows back: writing to them changes nothing.
py::array BatchView(const py::object& self, const uint8_t* data, std::vector<py::ssize_t> shape) {
  return py::array(py::dtype::of<uint8_t>(), std::move(shape), data, self);
}

// A column as a numpy array that owns the column's memory (no copy).
template <typename T>
py::array ColumnArray(selfplay::Column<T>&& column) {
  auto* values = new std::vector<T>(std::move(column.values));
  py::capsule owner(values, [](void* data) { delete static_cast<std::vector<T>*>(data); });
  const std::vector<py::ssize_t> shape(column.shape.begin(), column.shape.end());
  return py::array_t<T>(shape, values->data(), owner);
}

// A 0/1 column as a numpy bool array.
py::array BoolColumnArray(selfplay::Column<uint8_t>&& column) {
  const std::vector<py::ssize_t> shape(column.shape.begin(), column.shape.end());
  py::array_t<bool> array(shape);
  bool* out = array.mutable_data();
  for (size_t i = 0; i < column.values.size(); ++i) out[i] = column.values[i] != 0;
  return array;
}

// Records as numpy arrays: {"positions": {...}, "games": {...}}, the columns of
// selfplay::ToColumns under their names.
py::dict RecordsToNumpy(const std::vector<GameRecord>& games) {
  selfplay::RecordColumns columns = selfplay::ToColumns(games);
  selfplay::PositionColumns& p = columns.positions;
  py::dict positions;
  positions["features"] = ColumnArray(std::move(p.features));
  positions["masks"] = ColumnArray(std::move(p.masks));
  positions["policy"] = ColumnArray(std::move(p.policy));
  positions["value"] = ColumnArray(std::move(p.value));
  positions["num_players"] = ColumnArray(std::move(p.num_players));
  positions["observer"] = ColumnArray(std::move(p.observer));
  positions["game_id"] = ColumnArray(std::move(p.game_id));
  positions["move_number"] = ColumnArray(std::move(p.move_number));
  positions["game_seed"] = ColumnArray(std::move(p.game_seed));
  selfplay::GameColumns& g = columns.games;
  py::dict summaries;
  summaries["game_id"] = ColumnArray(std::move(g.game_id));
  summaries["game_seed"] = ColumnArray(std::move(g.game_seed));
  summaries["num_players"] = ColumnArray(std::move(g.num_players));
  summaries["num_cards"] = ColumnArray(std::move(g.num_cards));
  summaries["dealer"] = ColumnArray(std::move(g.dealer));
  summaries["trump_suit"] = ColumnArray(std::move(g.trump_suit));
  summaries["turn_up"] = BoolColumnArray(std::move(g.turn_up));
  summaries["turned_up"] = ColumnArray(std::move(g.turned_up));
  summaries["hook_rule"] = BoolColumnArray(std::move(g.hook_rule));
  summaries["scoring"] = ColumnArray(std::move(g.scoring));
  summaries["hands"] = ColumnArray(std::move(g.hands));
  summaries["actions"] = ColumnArray(std::move(g.actions));
  summaries["num_actions"] = ColumnArray(std::move(g.num_actions));
  summaries["scores"] = ColumnArray(std::move(g.scores));
  summaries["num_positions"] = ColumnArray(std::move(g.num_positions));
  py::dict result;
  result["positions"] = positions;
  result["games"] = summaries;
  return result;
}

py::dict TakeRecords(SelfPlayEngine& engine) {
  std::vector<GameRecord> games;
  {
    py::gil_scoped_release release;
    games = engine.TakeRecords();
  }
  return RecordsToNumpy(games);
}

py::dict Generate(SelfPlayEngine& engine, const std::shared_ptr<search::Evaluator>& evaluator,
                  int64_t num_games, const std::optional<int64_t>& first_game_id) {
  if (!evaluator) throw std::invalid_argument("generate_with needs an Evaluator, got None");
  std::vector<GameRecord> games;
  {
    py::gil_scoped_release release;
    games = engine.Generate(num_games, *evaluator, first_game_id.value_or(-1));
  }
  return RecordsToNumpy(games);
}

py::dict StatsToDict(const SelfPlayStats& s) {
  py::dict d;
  d["games_total"] = s.games_total;
  d["games_finished"] = s.games_finished;
  d["positions"] = s.positions;
  d["forced_moves"] = s.forced_moves;
  d["evaluations"] = s.evaluations;
  d["cache_hits"] = s.cache_hits;
  d["cache_hit_rate"] = s.cache_hit_rate();
  d["batches"] = s.batches;
  d["mean_batch_size"] = s.mean_batch_size();
  d["cache_entries"] = s.cache_entries;
  d["num_threads"] = s.num_threads;
  d["games_per_thread"] = s.games_per_thread;
  return d;
}

void BindConfig(py::module_& m) {
  py::class_<SelfPlayConfig>(
      m, "SelfPlayConfig",
      "Settings of a self-play run: game setup, search, temperature schedule, threads, batches.")
      .def(py::init(&MakeConfig), py::kw_only(), py::arg("num_players") = 4,
           py::arg("hand_sizes") = std::vector<int>(),
           py::arg("trump_mode") = std::string("rotation"), py::arg("no_trump_weight") = 1.0,
           py::arg("hook_rule") = true, py::arg("scoring") = std::string("exact"),
           py::arg("search") = py::none(),
           py::arg("temperature_schedule") =
               std::vector<std::pair<int, double>>{{0, 1.0}, {11, 0.5}, {21, 0.1}},
           py::arg("seed") = 0, py::arg("num_threads") = 0, py::arg("games_per_thread") = 0,
           py::arg("max_batch_size") = 256, py::arg("batches_per_thread") = 2,
           py::arg("cache_capacity") = int64_t{1} << 18, py::arg("record_opponent_views") = false,
           py::arg("teacher_simulations") = 0, py::arg("teacher_seats") = 0,
           py::arg("root_value_weight") = 0.0,
           R"doc(Every argument is keyword-only; a bad value raises ValueError naming it.

num_players: an int (every game), a list (uniform over its entries) or a dict
    {players: weight} over 3..8.
hand_sizes: sizes drawn uniformly (those too large for a table are skipped for it); empty means
    1..min(10, 52 // P).
trump_mode: 'rotation' (trump drawn from C, D, H, S, no trump), 'turn_up', 'none'.
no_trump_weight: rotation only, the weight of no trump against 1 for each suit (1 = uniform;
    any other value with another trump_mode is a ValueError).
hook_rule, scoring ('exact', 'oh_hell', 'oh_hell_penalty'): the round's rules.
search: a PuctConfig; None means 3 worlds x 30 simulations with Dirichlet noise (fraction 0.25,
    alpha 0.3) at the roots. Its temperature is ignored: temperature_schedule applies.
temperature_schedule: [(first_move, T), ...] from move 0; T = 0 plays the most visited move.
seed: the run seed; game g is seeded with derive_seed(seed, g).
num_threads: worker threads, 0 = cores - 1. games_per_thread: 0 = enough to fill the buffers.
max_batch_size: rows per batch. batches_per_thread: buffers per worker (2+ overlaps packing
    and inference). cache_capacity: entries of the shared evaluation cache (0 = per search).
record_opponent_views: also record each decision as every other seat sees it (observation,
    encode_actor_mask, the same policy); needs search.information_set_tree.
teacher_simulations: when > 0, SO-ISMCTS with this many simulations (random playouts, no
    network) plays and labels every decision instead of the network search; the records look
    the same (features as search would encode them, its root visits as the policy) and no batch
    reaches the model.
teacher_seats: with a teacher, 0 = it plays every seat; k in 1..8 = it plays min(k, P - 1)
    seats drawn for each game from the game's seed, and the network search plays the others.
root_value_weight: in [0, 1]; the value target of a network-searched decision is
    (1 - w) * the outcome + w * the search's mean root values; with a teacher every decision
    keeps the outcome.)doc")
      .def_property_readonly("num_players", &PlayerWeights,
                             "{players: weight} of the player counts drawn.")
      .def_property_readonly("hand_sizes",
                             [](const SelfPlayConfig& c) { return c.setup.hand_sizes; })
      .def_property_readonly("trump_mode",
                             [](const SelfPlayConfig& c) { return c.setup.trump_mode; })
      .def_property_readonly("no_trump_weight",
                             [](const SelfPlayConfig& c) { return c.setup.no_trump_weight; })
      .def_property_readonly("hook_rule", [](const SelfPlayConfig& c) { return c.setup.hook_rule; })
      .def_property_readonly("scoring", [](const SelfPlayConfig& c) { return c.setup.scoring; })
      .def_readonly("search", &SelfPlayConfig::search)
      .def_property_readonly("temperature_schedule", &TemperatureSchedule)
      .def_readonly("seed", &SelfPlayConfig::seed)
      .def_readonly("num_threads", &SelfPlayConfig::num_threads)
      .def_readonly("games_per_thread", &SelfPlayConfig::games_per_thread)
      .def_readonly("max_batch_size", &SelfPlayConfig::max_batch_size)
      .def_readonly("batches_per_thread", &SelfPlayConfig::batches_per_thread)
      .def_readonly("cache_capacity", &SelfPlayConfig::cache_capacity)
      .def_property_readonly(
          "expected_moves_per_game",
          [](const SelfPlayConfig& c) { return c.setup.ExpectedMoves(); },
          "The mean number of decisions (bids and card plays) of a game this config draws.")
      .def_readonly("record_opponent_views", &SelfPlayConfig::record_opponent_views)
      .def_readonly("teacher_simulations", &SelfPlayConfig::teacher_simulations)
      .def_readonly("teacher_seats", &SelfPlayConfig::teacher_seats)
      .def_readonly("root_value_weight", &SelfPlayConfig::root_value_weight)
      .def_property_readonly("effective_num_threads", &SelfPlayConfig::EffectiveNumThreads)
      .def("temperature_at", &SelfPlayConfig::TemperatureAt, py::arg("move_number"));
}

void BindStats(py::module_& m) {
  py::class_<SelfPlayStats>(m, "SelfPlayStats", "Counters of the current (or last) run.")
      .def_readonly("games_total", &SelfPlayStats::games_total)
      .def_readonly("games_finished", &SelfPlayStats::games_finished)
      .def_readonly("positions", &SelfPlayStats::positions, "Records written.")
      .def_readonly("forced_moves", &SelfPlayStats::forced_moves,
                    "Moves with one legal action: played without search, not recorded.")
      .def_readonly("evaluations", &SelfPlayStats::evaluations, "Rows sent to the model.")
      .def_readonly("cache_hits", &SelfPlayStats::cache_hits,
                    "Leaves answered without the model (cache, or a duplicate in the batch).")
      .def_readonly("batches", &SelfPlayStats::batches)
      .def_readonly("cache_entries", &SelfPlayStats::cache_entries)
      .def_readonly("num_threads", &SelfPlayStats::num_threads)
      .def_readonly("games_per_thread", &SelfPlayStats::games_per_thread)
      .def_property_readonly("mean_batch_size", &SelfPlayStats::mean_batch_size)
      .def_property_readonly("cache_hit_rate", &SelfPlayStats::cache_hit_rate)
      .def("to_dict", &StatsToDict)
      .def("__repr__", [](const SelfPlayStats& s) {
        return "<SelfPlayStats games=" + std::to_string(s.games_finished) + "/" +
               std::to_string(s.games_total) + " positions=" + std::to_string(s.positions) +
               " evaluations=" + std::to_string(s.evaluations) +
               " batches=" + std::to_string(s.batches) + ">";
      });
}

void BindEngine(py::module_& m) {
  py::class_<SelfPlayEngine>(
      m, "SelfPlayEngine",
      "The C++ self-play engine. Use blobzero.selfplay.SelfPlayEngine, which drives it with a "
      "model; this class is the raw protocol: start, next_batch/submit until done, take_records.")
      .def(py::init<const SelfPlayConfig&>(), py::arg("config"))
      .def_property_readonly("config", &SelfPlayEngine::config)
      .def(
          "start",
          [](SelfPlayEngine& e, int64_t n, const std::optional<int64_t>& first) {
            py::gil_scoped_release release;
            e.Start(n, first.value_or(-1));
          },
          py::arg("num_games"), py::arg("first_game_id") = py::none(),
          "Starts a run on fresh worker threads and returns at once. Game ids continue from the "
          "previous run unless first_game_id is given. Clears the cache and the stats.")
      .def("next_batch", &NextBatch<SelfPlayEngine>, py::arg("timeout_s") = 0.05,
           "The next batch to evaluate, or None after timeout_s seconds or once done() (GIL "
           "released while waiting). Raises RuntimeError if a worker failed or the run was "
           "cancelled.")
      .def("submit", &Submit<SelfPlayEngine>, py::arg("batch"), py::arg("logits"),
           py::arg("values"),
           "Hands back the model's output for a batch: float arrays [size, 70] and [size, 8]. "
           "Raises ValueError naming a wrong type, dtype, shape or a non-finite number.")
      .def(
          "done", [](const SelfPlayEngine& e) { return e.batches().Done(); },
          "True when every game of the run has finished.")
      .def_property_readonly("running",
                             [](const SelfPlayEngine& e) { return e.batches().Running(); })
      .def("take_records", &TakeRecords,
           "The records of a finished run as numpy arrays, sorted by game id and move number; "
           "ends the run and joins its threads.")
      .def("cancel", &SelfPlayEngine::Cancel, py::call_guard<py::gil_scoped_release>(),
           "Stops the run in progress (joins its threads, drops its games). The engine stays "
           "usable. Idempotent.")
      .def("shutdown", &SelfPlayEngine::Shutdown, py::call_guard<py::gil_scoped_release>(),
           "cancel(), then refuse further runs. Idempotent; also done when the engine is freed.")
      .def_property_readonly("stats", &SelfPlayEngine::Stats)
      .def("generate_with", &Generate, py::arg("evaluator"), py::arg("num_games"),
           py::arg("first_game_id") = py::none(),
           "A whole run evaluated by a C++ Evaluator on this thread (GIL released): the "
           "engine's own speed, without Python in the loop.");
}

}  // namespace

void BindBatch(py::module_& m) {
  py::class_<Batch>(
      m, "Batch",
      "Positions to evaluate. features/masks are zero-copy views of the engine's buffer, valid "
      "until the batch is submitted (the engine never reads them back).")
      .def_readonly("id", &Batch::id)
      .def_readonly("size", &Batch::size)
      .def_readonly("model", &Batch::model, "The model that must evaluate these rows.")
      .def("__len__", [](const Batch& b) { return b.size; })
      .def_property_readonly(
          "features",
          [](const py::object& self) {
            const auto& b = self.cast<const Batch&>();
            return BatchView(self, b->features(), {b.size, encode::kNumTokens, encode::kNumFields});
          },
          "uint8 [size, 61, 8]: one leaf per row, encoded as the search's PuctConfig says.")
      .def_property_readonly(
          "masks",
          [](const py::object& self) {
            const auto& b = self.cast<const Batch&>();
            return BatchView(self, b->masks(), {b.size, encode::kMaskSize});
          },
          "uint8 [size, 70]: legal actions of each row.")
      .def("__repr__", [](const Batch& b) {
        return "<Batch id=" + std::to_string(b.id) + " size=" + std::to_string(b.size) + ">";
      });
}

void BindSelfPlay(py::module_ m) {
  m.doc() = R"doc(Self-play: many concurrent games over worker threads, batched evaluation.

take_records() returns {"positions": {...}, "games": {...}} of numpy arrays:
positions (N records, sorted by game_id then move_number):
  features uint8 [N, 61, 8], masks uint8 [N, 70], policy float32 [N, 70] (search visits
  normalised; sums to 1 over legal actions), value float32 [N, 8] (final values per seat
  relative to the observer, 0 past the table size), num_players uint8, observer uint8 (absolute
  seat), game_id int64, move_number int16 (actions taken before this one), game_seed uint64.
games (G games, sorted by game_id):
  game_id int64, game_seed uint64, num_players uint8, num_cards uint8, dealer uint8,
  trump_suit int8 (-1 no trump, or turn-up), turn_up bool, turned_up int8 (-1 none),
  hook_rule bool, scoring uint8 (0 exact, 1 oh_hell, 2 oh_hell_penalty), hands uint64 [G, 8]
  (card bit masks as dealt), actions int8 [G, 60] (-1 padded), num_actions int16,
  scores int16 [G, 8], num_positions int32.)doc";
  m.def("derive_seed", &core::DeriveSeed, py::arg("seed"), py::arg("stream"),
        "The child seed of stream `stream` of `seed`: game g of a run is seeded with "
        "derive_seed(config.seed, g).");
  m.def(
      "draw_game",
      [](uint64_t seed, const PlayersArg& num_players, const std::vector<int>& hand_sizes,
         const TrumpModeArg& trump_mode, double no_trump_weight, bool hook_rule,
         const ScoringArg& scoring) {
        const selfplay::GameSetup setup =
            MakeSetup(num_players, hand_sizes, trump_mode, no_trump_weight, hook_rule, scoring);
        setup.RequireEveryHandSizeFits();
        setup.Validate();
        core::Rng rng(seed);
        return selfplay::DrawGame(setup, rng);
      },
      py::arg("seed"), py::kw_only(), py::arg("num_players"), py::arg("hand_sizes"),
      py::arg("trump_mode") = "rotation", py::arg("no_trump_weight") = 1.0,
      py::arg("hook_rule") = true, py::arg("scoring") = "exact",
      R"(The start of a game drawn from `seed` exactly as self-play draws game g from
derive_seed(config.seed, g): a table size (num_players as in SelfPlayConfig), a hand size
uniformly from hand_sizes ([] = 1..min(10, 52 div P)), a trump per trump_mode and
no_trump_weight, a dealer, the cards. Unlike self-play, which skips a hand size that does not
fit a table, every size must fit every table drawn: ValueError names the first that does not.)");
  BindConfig(m);
  BindStats(m);
  BindBatch(m);
  BindEngine(m);
}

}  // namespace blobzero::bindings
