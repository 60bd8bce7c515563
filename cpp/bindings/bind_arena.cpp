// Python bindings of the arena engine (blobzero::selfplay::ArenaEngine), in the selfplay
// submodule beside the self-play engine whose Batch type and protocol it shares: start(), then
// next_batch() -> run the batch's model -> submit() until done(), then take_results().
// python/blobzero/evaluation/arena.py drives it.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "bindings/batch_protocol.h"
#include "bindings/bind.h"
#include "blobzero/search/bot.h"
#include "blobzero/selfplay/arena.h"

namespace py = pybind11;

namespace blobzero::bindings {
namespace {

using selfplay::ArenaAgent;
using selfplay::ArenaConfig;
using selfplay::ArenaEngine;
using selfplay::ArenaGame;
using selfplay::ArenaResult;
using Kind = ArenaAgent::Kind;

constexpr std::pair<Kind, const char*> kKindNames[] = {
    {Kind::kNetwork, "network"},          {Kind::kRandom, "random"},
    {Kind::kHeuristic, "heuristic"},      {Kind::kIsmcts, "ismcts"},
    {Kind::kPuctRollout, "puct_rollout"},
};

std::string KindName(Kind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

ArenaAgent MakeAgent(const std::string& kind, const std::optional<search::PuctConfig>& puct,
                     const std::optional<search::IsmctsConfig>& ismcts, int model) {
  ArenaAgent agent;
  bool known = false;
  for (const auto& [k, name] : kKindNames) {
    if (kind == name) {
      agent.kind = k;
      known = true;
    }
  }
  if (!known) {
    throw std::invalid_argument("unknown arena agent kind '" + kind +
                                "' (network, random, heuristic, ismcts, puct_rollout)");
  }
  if (puct) agent.puct = *puct;
  if (ismcts) agent.ismcts = *ismcts;
  agent.model = model;
  agent.Validate();
  return agent;
}

std::vector<ArenaGame> MakeGames(const std::vector<game::State>& starts,
                                 const std::vector<std::vector<int>>& seatings,
                                 const std::vector<uint64_t>& agent_seeds) {
  if (seatings.size() != starts.size() || agent_seeds.size() != starts.size()) {
    throw std::invalid_argument(
        "starts, seatings and agent_seeds must have one entry per game, got " +
        std::to_string(starts.size()) + ", " + std::to_string(seatings.size()) + " and " +
        std::to_string(agent_seeds.size()));
  }
  std::vector<ArenaGame> games(starts.size());
  for (size_t i = 0; i < starts.size(); ++i) {
    games[i].start = starts[i];
    games[i].seating = seatings[i];
    games[i].agent_seed = agent_seeds[i];
  }
  return games;
}

// Per seat: scores, bids, tricks.
using SeatResults = std::tuple<std::vector<int>, std::vector<int>, std::vector<int>>;

// Per game; None for a game that did not finish.
std::vector<std::optional<SeatResults>> ResultsToPython(const std::vector<ArenaResult>& results) {
  std::vector<std::optional<SeatResults>> out;
  for (const ArenaResult& r : results) {
    if (r.finished) {
      out.emplace_back(SeatResults{r.scores, r.bids, r.tricks});
    } else {
      out.emplace_back(std::nullopt);
    }
  }
  return out;
}

// Ends the run with `end` (TakeResults or Cancel, GIL released) and returns its results.
std::vector<std::optional<SeatResults>> EndRun(ArenaEngine& engine,
                                               std::vector<ArenaResult> (ArenaEngine::*end)()) {
  std::vector<ArenaResult> results;
  {
    py::gil_scoped_release release;
    results = (engine.*end)();
  }
  return ResultsToPython(results);
}

}  // namespace

void BindArena(py::module_ m) {
  py::class_<ArenaAgent>(m, "ArenaAgent", "A player of arena games (see ArenaEngine).")
      .def(py::init(&MakeAgent), py::arg("kind"), py::kw_only(), py::arg("puct") = py::none(),
           py::arg("ismcts") = py::none(), py::arg("model") = 0,
           "kind: 'network' (a PUCT search, `puct`, whose leaves model `model` evaluates), "
           "'random', 'heuristic', 'ismcts' (SO-ISMCTS, `ismcts`) or 'puct_rollout' (a PUCT "
           "search, `puct`, over random playouts). Raises ValueError naming a bad field.")
      .def_property_readonly("kind", [](const ArenaAgent& a) { return KindName(a.kind); })
      .def_readonly("puct", &ArenaAgent::puct)
      .def_readonly("ismcts", &ArenaAgent::ismcts)
      .def_readonly("model", &ArenaAgent::model)
      .def("__repr__", [](const ArenaAgent& a) {
        return "<ArenaAgent " + KindName(a.kind) +
               (a.kind == Kind::kNetwork ? " model=" + std::to_string(a.model) : "") + ">";
      });
  m.def(
      "make_bot",
      [](const ArenaAgent& agent, uint64_t seed) {
        return std::shared_ptr<search::Bot>(selfplay::MakeBot(agent, seed));
      },
      py::arg("agent"), py::arg("seed") = 0,
      "The bot an agent that is not a network plays as, seeded `seed`.");

  py::class_<ArenaEngine>(
      m, "ArenaEngine",
      "Arena games of network agents and bots on the self-play engine's worker threads and "
      "batches. Use blobzero.evaluation.arena.play_match; this class is the raw protocol: "
      "start, next_batch/submit until done (each batch to the model it names), take_results.")
      .def(py::init([](const std::vector<ArenaAgent>& agents, int num_threads, int games_per_thread,
                       int max_batch_size, int batches_per_thread, int64_t cache_capacity) {
             ArenaConfig config;
             config.agents = agents;
             config.num_threads = num_threads;
             config.games_per_thread = games_per_thread;
             config.max_batch_size = max_batch_size;
             config.batches_per_thread = batches_per_thread;
             config.cache_capacity = cache_capacity;
             return std::make_unique<ArenaEngine>(config);
           }),
           py::arg("agents"), py::kw_only(), py::arg("num_threads") = 0,
           py::arg("games_per_thread") = 0, py::arg("max_batch_size") = 256,
           py::arg("batches_per_thread") = 0, py::arg("cache_capacity") = int64_t{1} << 18,
           "num_threads: worker threads (0: cores - 1); games_per_thread: 0 fills the buffers; "
           "batches_per_thread: 0 = two per model; cache_capacity: entries per model's cache.")
      .def_property_readonly("num_models", &ArenaEngine::num_models)
      .def(
          "start",
          [](ArenaEngine& e, const std::vector<game::State>& starts,
             const std::vector<std::vector<int>>& seatings,
             const std::vector<uint64_t>& agent_seeds) {
            std::vector<ArenaGame> games = MakeGames(starts, seatings, agent_seeds);
            py::gil_scoped_release release;
            e.Start(std::move(games));
          },
          py::arg("starts"), py::arg("seatings"), py::arg("agent_seeds"),
          "Starts game i from starts[i] (a deal before any action) with agent seatings[i][seat] "
          "in each seat, every agent reseeded with agent_seeds[i]; returns at once.")
      .def("next_batch", &NextBatch<ArenaEngine>, py::arg("timeout_s") = 0.05,
           "The next batch to evaluate (by model batch.model), or None after timeout_s seconds "
           "or once done() (GIL released while waiting).")
      .def("submit", &Submit<ArenaEngine>, py::arg("batch"), py::arg("logits"), py::arg("values"),
           "Hands back the model's output for a batch: float arrays [size, 70] and [size, 8].")
      .def(
          "done", [](ArenaEngine& e) { return e.batches().Done(); },
          "True when every game of the run has finished.")
      .def(
          "take_results", [](ArenaEngine& e) { return EndRun(e, &ArenaEngine::TakeResults); },
          "[(scores, bids, tricks)] per game in order, each a list per seat; ends the run.")
      .def(
          "cancel", [](ArenaEngine& e) { return EndRun(e, &ArenaEngine::Cancel); },
          "Stops the run (joins its threads) and returns the results not yet taken, None for "
          "the games it did not finish. Idempotent.")
      .def("shutdown", &ArenaEngine::Shutdown, py::call_guard<py::gil_scoped_release>(),
           "Cancels and refuses further runs. Idempotent; also done when the engine is freed.")
      .def_property_readonly(
          "games_finished", [](const ArenaEngine& e) { return e.Stats().games_finished; },
          "Games of the current (or last) run that have finished.");
}

}  // namespace blobzero::bindings
