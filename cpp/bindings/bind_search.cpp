// Python bindings of blobzero::search: evaluators, PIMC-PUCT, IS-MCTS and bots.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "bindings/bind.h"
#include "bindings/py_evaluator.h"
#include "blobzero/core/interrupt.h"
#include "blobzero/search/bot.h"
#include "blobzero/search/bots.h"
#include "blobzero/search/evaluator.h"
#include "blobzero/search/ismcts.h"
#include "blobzero/search/pimc.h"
#include "blobzero/search/pimc_bot.h"

namespace py = pybind11;

namespace blobzero::bindings {
namespace {

using search::Evaluator;
using search::PuctConfig;
using search::SearchResult;

// An Evaluator from a Python value: an Evaluator object, or a callable fn(features, masks).
std::shared_ptr<Evaluator> ToEvaluator(const py::object& value) {
  if (py::isinstance<Evaluator>(value)) return value.cast<std::shared_ptr<Evaluator>>();
  if (PyCallable_Check(value.ptr())) return std::make_shared<PyEvaluator>(value);
  throw py::type_error("expected an Evaluator or a callable fn(features, masks), got " +
                       std::string(py::str(py::type::of(value).attr("__name__"))));
}

// A PIMC-PUCT search bound to its evaluator.
// What a long search polls (core::PollInterrupt): a signal Python has caught, Ctrl-C above all,
// is thrown through the search as that Python exception (KeyboardInterrupt).
void ThrowPendingPythonSignal() {
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

struct BoundSearch {
  BoundSearch(const PuctConfig& config, const py::object& evaluator_value)
      : evaluator(ToEvaluator(evaluator_value)), search(config, evaluator->NeedsFeatures()) {}
  SearchResult Run(const game::State& state, uint64_t seed) {
    py::gil_scoped_release release;
    return search.Run(state, seed, *evaluator);
  }
  std::shared_ptr<Evaluator> evaluator;
  search::PimcSearch search;
};

PuctConfig MakePuctConfig(int num_worlds, int simulations_per_world, double c_puct,
                          int leaves_per_tree, double virtual_loss, double fpu_reduction,
                          double dirichlet_alpha, double dirichlet_fraction, double temperature,
                          bool relative_values, bool perfect_information, bool use_cache,
                          bool information_set_tree, bool world_critic, double rollout_weight,
                          int inference_candidates, double bid_spread, int max_evaluations,
                          double improved_policy_scale) {
  PuctConfig c;
  c.num_worlds = num_worlds;
  c.simulations_per_world = simulations_per_world;
  c.c_puct = c_puct;
  c.leaves_per_tree = leaves_per_tree;
  c.virtual_loss = virtual_loss;
  c.fpu_reduction = fpu_reduction;
  c.dirichlet_alpha = dirichlet_alpha;
  c.dirichlet_fraction = dirichlet_fraction;
  c.temperature = temperature;
  c.relative_values = relative_values;
  c.perfect_information = perfect_information;
  c.use_cache = use_cache;
  c.information_set_tree = information_set_tree;
  c.world_critic = world_critic;
  c.rollout_weight = rollout_weight;
  c.inference_candidates = inference_candidates;
  c.bid_spread = bid_spread;
  c.max_evaluations = max_evaluations;
  c.improved_policy_scale = improved_policy_scale;
  c.Validate();
  return c;
}

template <typename T, size_t N>
py::array_t<T> ToArray(const std::array<T, N>& values) {
  py::array_t<T> array(N);
  std::copy(values.begin(), values.end(), array.mutable_data());
  return array;
}

void BindEvaluators(py::module_& m) {
  py::class_<Evaluator, std::shared_ptr<Evaluator>>(
      m, "Evaluator",
      "Scores batches of positions for search: policy logits [B, 70] and values [B, 8] per "
      "relative seat. Any callable fn(features, masks) -> (logits, values) may stand in for one.")
      .def_property_readonly("needs_features", &Evaluator::NeedsFeatures);
  py::class_<search::RolloutEvaluator, Evaluator, std::shared_ptr<search::RolloutEvaluator>>(
      m, "RolloutEvaluator", "Uniform priors; values from random playouts of the leaf position.")
      .def(py::init<uint64_t, int, bool>(), py::arg("seed") = 0, py::arg("num_rollouts") = 1,
           py::arg("relative_values") = false);
  py::class_<search::ConstantEvaluator, Evaluator, std::shared_ptr<search::ConstantEvaluator>>(
      m, "ConstantEvaluator", "Uniform priors and one constant value: measures the search alone.")
      .def(py::init<float, bool>(), py::arg("value") = 0.0f, py::arg("needs_features") = true);
  py::class_<PyEvaluator, Evaluator, std::shared_ptr<PyEvaluator>>(
      m, "PythonEvaluator",
      "Calls fn(features uint8 [B,61,8], masks uint8 [B,70]) -> (logits [B,70], values [B,8]) "
      "once per batch. Bad output (shape, dtype, NaN) raises ValueError.")
      .def(py::init<py::object>(), py::arg("fn"))
      .def_property_readonly("num_calls", &PyEvaluator::num_calls)
      .def_property_readonly("num_positions", &PyEvaluator::num_positions);
}

void BindPimc(py::module_& m) {
  py::class_<PuctConfig>(
      m, "PuctConfig",
      "Settings of a PUCT search: PIMC trees over num_worlds sampled worlds (world features), or "
      "with "
      "information_set_tree one tree over the searcher's information sets of num_worlds * "
      "simulations_per_world simulations, each in its own sampled world (observation features; "
      "with world_critic holder features, for a network whose value reads the leaf's world). "
      "inference_candidates > 0 draws the worlds in proportion to how likely the opponents' "
      "bids are in them (a bid model of spread bid_spread tricks). improved_policy_scale > 0 "
      "plays and reports Gumbel AlphaZero's completed-Q improved policy instead of the visits.")
      .def(py::init(&MakePuctConfig), py::arg("num_worlds") = 3,
           py::arg("simulations_per_world") = 30, py::arg("c_puct") = 1.5,
           py::arg("leaves_per_tree") = 1, py::arg("virtual_loss") = 1.0,
           py::arg("fpu_reduction") = 0.2, py::arg("dirichlet_alpha") = 0.3,
           py::arg("dirichlet_fraction") = 0.0, py::arg("temperature") = 0.0,
           py::arg("relative_values") = false, py::arg("perfect_information") = false,
           py::arg("use_cache") = true, py::arg("information_set_tree") = false,
           py::arg("world_critic") = false, py::arg("rollout_weight") = 0.0,
           py::arg("inference_candidates") = 0, py::arg("bid_spread") = 1.0,
           py::arg("max_evaluations") = 0, py::arg("improved_policy_scale") = 0.0)
      .def_readonly("num_worlds", &PuctConfig::num_worlds)
      .def_readonly("simulations_per_world", &PuctConfig::simulations_per_world)
      .def_readonly("c_puct", &PuctConfig::c_puct)
      .def_readonly("leaves_per_tree", &PuctConfig::leaves_per_tree)
      .def_readonly("virtual_loss", &PuctConfig::virtual_loss)
      .def_readonly("fpu_reduction", &PuctConfig::fpu_reduction)
      .def_readonly("dirichlet_alpha", &PuctConfig::dirichlet_alpha)
      .def_readonly("dirichlet_fraction", &PuctConfig::dirichlet_fraction)
      .def_readonly("temperature", &PuctConfig::temperature)
      .def_readonly("relative_values", &PuctConfig::relative_values)
      .def_readonly("perfect_information", &PuctConfig::perfect_information)
      .def_readonly("use_cache", &PuctConfig::use_cache)
      .def_readonly("information_set_tree", &PuctConfig::information_set_tree)
      .def_readonly("world_critic", &PuctConfig::world_critic)
      .def_readonly("rollout_weight", &PuctConfig::rollout_weight)
      .def_readonly("inference_candidates", &PuctConfig::inference_candidates)
      .def_readonly("bid_spread", &PuctConfig::bid_spread)
      .def_readonly("max_evaluations", &PuctConfig::max_evaluations)
      .def_readonly("improved_policy_scale", &PuctConfig::improved_policy_scale);

  py::class_<SearchResult>(m, "SearchResult", "What a search found at its root.")
      .def_readonly("action", &SearchResult::action)
      .def_property_readonly(
          "visits", [](const SearchResult& r) { return ToArray(r.visits); },
          "int32 [70]: root visits per action, summed over worlds.")
      .def_property_readonly(
          "policy", [](const SearchResult& r) { return ToArray(r.policy); },
          "float32 [70]: the policy target: the visits normalised, or the completed-Q improved "
          "policy when improved_policy_scale > 0.")
      .def_readonly("root_values", &SearchResult::root_values, "Mean root value per absolute seat.")
      .def_property_readonly(
          "action_values", [](const SearchResult& r) { return ToArray(r.action_values); },
          "float32 [70]: the searcher's mean value through each root action (0 where unvisited).")
      .def_readonly("num_evaluations", &SearchResult::num_evaluations)
      .def_readonly("cache_hits", &SearchResult::cache_hits)
      .def_readonly("num_batches", &SearchResult::num_batches)
      .def_readonly("terminal_leaves", &SearchResult::terminal_leaves)
      .def("__repr__", [](const SearchResult& r) {
        return "<SearchResult action=" + game::State::ActionToString(r.action) +
               " evaluations=" + std::to_string(r.num_evaluations) + ">";
      });

  py::class_<BoundSearch>(
      m, "PimcSearch",
      "PIMC-PUCT: D determinizations of the searcher's information set, S PUCT simulations "
      "each, leaves of all trees evaluated in one batch, root visits summed over worlds.")
      .def(py::init<const PuctConfig&, const py::object&>(), py::arg("config"),
           py::arg("evaluator"))
      .def_property_readonly("config", [](const BoundSearch& s) { return s.search.config(); })
      .def("run", &BoundSearch::Run, py::arg("state"), py::arg("seed") = 0,
           "Searches the decision of the player to act in `state`.");
}

search::IsmctsConfig MakeIsmctsConfig(int simulations, double uct_c, bool relative_values,
                                      const std::string& final_policy) {
  search::IsmctsConfig c;
  c.simulations = simulations;
  c.uct_c = uct_c;
  c.relative_values = relative_values;
  if (final_policy == "max_visit_count") {
    c.final_policy = search::IsmctsFinalPolicy::kMaxVisitCount;
  } else if (final_policy == "normalized_visit_count") {
    c.final_policy = search::IsmctsFinalPolicy::kNormalizedVisitCount;
  } else {
    throw std::invalid_argument("unknown final_policy '" + final_policy +
                                "' (expected max_visit_count or normalized_visit_count)");
  }
  c.Validate();
  return c;
}

// An IS-MCTS search with a Run that releases the GIL.
struct BoundIsmcts {
  explicit BoundIsmcts(const search::IsmctsConfig& config) : search(config) {}
  search::IsmctsResult Run(const game::State& state, uint64_t seed) {
    py::gil_scoped_release release;
    return search.Run(state, seed);
  }
  search::IsmctsSearch search;
};

void BindIsmcts(py::module_& m) {
  py::class_<search::IsmctsConfig>(m, "IsmctsConfig", "Settings of an SO-ISMCTS search.")
      .def(py::init(&MakeIsmctsConfig), py::arg("simulations") = 1000,
           py::arg("uct_c") = search::kDefaultIsmctsUctC, py::arg("relative_values") = false,
           py::arg("final_policy") = std::string("max_visit_count"),
           "uct_c is on the [-1, 1] value scale; uct_c_from_raw_scores converts OpenSpiel's.")
      .def_readonly("simulations", &search::IsmctsConfig::simulations)
      .def_readonly("uct_c", &search::IsmctsConfig::uct_c)
      .def_readonly("relative_values", &search::IsmctsConfig::relative_values);
  py::class_<search::IsmctsResult>(m, "IsmctsResult", "What an IS-MCTS search found.")
      .def_readonly("action", &search::IsmctsResult::action)
      .def_property_readonly("visits",
                             [](const search::IsmctsResult& r) { return ToArray(r.visits); })
      .def_property_readonly("policy",
                             [](const search::IsmctsResult& r) { return ToArray(r.policy); })
      .def_property_readonly("mean_values",
                             [](const search::IsmctsResult& r) { return ToArray(r.mean_values); })
      .def_readonly("simulations", &search::IsmctsResult::simulations)
      .def_readonly("num_nodes", &search::IsmctsResult::num_nodes);
  py::class_<BoundIsmcts>(
      m, "IsmctsSearch",
      "SO-ISMCTS: one tree over the searcher's information sets, a fresh uniform "
      "determinization per simulation, UCB1 with availability counts, random rollouts.")
      .def(py::init<const search::IsmctsConfig&>(), py::arg("config"))
      .def("run", &BoundIsmcts::Run, py::arg("state"), py::arg("seed") = 0);
  m.def("uct_c_from_raw_scores", &search::UctCFromRawScores, py::arg("raw_uct_c"), py::arg("rules"),
        "Our exploration constant equivalent to one on raw round scores.");
}

std::shared_ptr<search::PimcBot> MakePimcBot(const PuctConfig& config, const py::object& evaluator,
                                             uint64_t seed) {
  return std::make_shared<search::PimcBot>(config, ToEvaluator(evaluator), seed);
}

void BindBots(py::module_& m) {
  using search::Bot;
  py::class_<Bot, std::shared_ptr<Bot>>(
      m, "Bot",
      "A player: act(state, observer) returns a legal action for `observer`, the player to "
      "act, reading only what that player may know.")
      .def("act", &Bot::Act, py::arg("state"), py::arg("observer"),
           py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("name", &Bot::Name)
      .def("reseed", &Bot::Reseed, py::arg("seed"), "Restarts the bot's random stream.")
      .def("__repr__", [](const Bot& b) { return "<Bot " + b.Name() + ">"; });
  py::class_<search::RandomBot, Bot, std::shared_ptr<search::RandomBot>>(
      m, "RandomBot", "Uniformly random legal moves.")
      .def(py::init<uint64_t>(), py::arg("seed") = 0);
  py::class_<search::HeuristicBot, Bot, std::shared_ptr<search::HeuristicBot>>(
      m, "HeuristicBot",
      "Rule-based: bids from high cards, trumps and short suits; plays to make exactly its bid.")
      .def(py::init<uint64_t>(), py::arg("seed") = 0);
  py::class_<search::IsmctsBot, Bot, std::shared_ptr<search::IsmctsBot>>(
      m, "IsmctsBot", "Plays the move of an SO-ISMCTS search.")
      .def(py::init<const search::IsmctsConfig&, uint64_t>(),
           py::arg_v("config", search::IsmctsConfig(), "IsmctsConfig()"), py::arg("seed") = 0)
      .def_property_readonly("last_result", &search::IsmctsBot::last_result);
  py::class_<search::PimcBot, Bot, std::shared_ptr<search::PimcBot>>(
      m, "PimcBot", "Plays the move of a PUCT search (PuctConfig) with any evaluator.")
      .def(py::init(&MakePimcBot), py::arg("config"), py::arg("evaluator"), py::arg("seed") = 0)
      .def_property_readonly("config", &search::PimcBot::config)
      .def_property_readonly("last_result", &search::PimcBot::last_result);
}

}  // namespace

void BindSearch(py::module_ m) {
  core::SetInterruptCheck(&ThrowPendingPythonSignal);
  BindEvaluators(m);
  BindPimc(m);
  BindIsmcts(m);
  BindBots(m);
}

}  // namespace blobzero::bindings
