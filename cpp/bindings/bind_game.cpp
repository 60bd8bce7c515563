// Python bindings of blobzero::game. Conversions between Python values (card text or ids, enum
// names) and the C++ types live in the named helpers below; the bound lambdas only forward.
#include <pybind11/numpy.h>
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bindings/bind.h"
#include "blobzero/belief/belief.h"
#include "blobzero/game/cards.h"
#include "blobzero/game/match.h"
#include "blobzero/game/observation.h"
#include "blobzero/game/render.h"
#include "blobzero/game/rules.h"
#include "blobzero/game/serialize.h"
#include "blobzero/game/state.h"

namespace py = pybind11;

namespace blobzero::bindings {
namespace {
// An action id from Python: any int but a bool (True would otherwise play action 1).
struct ActionId {
  int value = 0;
};
}  // namespace
}  // namespace blobzero::bindings

namespace pybind11::detail {
template <>
struct type_caster<blobzero::bindings::ActionId> {
  PYBIND11_TYPE_CASTER(blobzero::bindings::ActionId,
                       io_name("typing.SupportsInt | typing.SupportsIndex", "int"));
  bool load(handle source, bool convert) {
    if (PyBool_Check(source.ptr())) {
      throw type_error("an action is an int id or a text such as 'AS' or 'bid 2', not a bool");
    }
    make_caster<int> id;
    if (!id.load(source, convert)) return false;
    value.value = cast_op<int>(id);
    return true;
  }
};
}  // namespace pybind11::detail

namespace blobzero::bindings {
namespace {

using game::CardSet;
using CardsArg = std::variant<std::string, std::vector<int>>;
using ActionArg = std::variant<ActionId, std::string>;
using SuitArg = std::optional<std::variant<int, std::string>>;

int CheckedCard(int card) {
  game::CardToString(card);  // validates the id
  return card;
}

CardSet ToCardSet(const CardsArg& cards) {
  if (const auto* text = std::get_if<std::string>(&cards)) return game::ParseCards(*text);
  CardSet set;
  for (int card : std::get<std::vector<int>>(cards)) {
    CheckedCard(card);
    if (set.Contains(card)) {
      throw std::invalid_argument("duplicate card " + game::CardToString(card));
    }
    set.Insert(card);
  }
  return set;
}

int CheckedMakeCard(int suit, int rank) {
  game::SuitChar(suit);  // validates the suit
  if (suit == game::kNoTrump) throw std::invalid_argument("a card needs a suit 0..3, not no trump");
  if (rank < 0 || rank >= game::kNumRanks) {
    throw std::invalid_argument("rank " + std::to_string(rank) + " is outside 0..12");
  }
  return game::MakeCard(suit, rank);
}

int ToAction(const ActionArg& action) {
  if (const auto* text = std::get_if<std::string>(&action)) return game::State::ParseAction(*text);
  return std::get<ActionId>(action).value;
}

int ToSuit(const SuitArg& suit) {
  if (!suit) return game::kNoTrump;
  if (const auto* text = std::get_if<std::string>(&*suit)) return game::ParseSuit(*text);
  const int value = std::get<int>(*suit);
  game::SuitChar(value);  // validates
  return value;
}

int ToCardOrNone(const std::optional<std::variant<int, std::string>>& card) {
  if (!card) return game::kNoCard;
  if (const auto* text = std::get_if<std::string>(&*card)) return game::ParseCard(*text);
  return CheckedCard(std::get<int>(*card));
}

std::optional<int> NoneIf(int value, int none) {
  return value == none ? std::nullopt : std::optional<int>(value);
}

template <typename Enum>
Enum ToEnum(const std::variant<Enum, std::string>& value, Enum (*parse)(std::string_view)) {
  if (const auto* text = std::get_if<std::string>(&value)) return parse(*text);
  return std::get<Enum>(value);
}

game::Deal MakeDeal(int dealer, const std::vector<CardsArg>& hands,
                    const std::optional<std::variant<int, std::string>>& turned_up) {
  if (hands.size() > static_cast<size_t>(game::kMaxPlayers)) {
    throw std::invalid_argument("a deal has at most 8 hands, got " + std::to_string(hands.size()));
  }
  game::Deal deal;
  deal.dealer = dealer;
  for (size_t p = 0; p < hands.size(); ++p) deal.hands[p] = ToCardSet(hands[p]);
  deal.turned_up = ToCardOrNone(turned_up);
  return deal;
}

game::RoundRules MakeRoundRules(int num_players, int num_cards, const SuitArg& trump, bool turn_up,
                                bool hook_rule,
                                const std::variant<game::Scoring, std::string>& scoring) {
  game::RoundRules rules;
  rules.num_players = num_players;
  rules.num_cards = num_cards;
  rules.trump_suit = turn_up ? game::kNoTrump : ToSuit(trump);
  rules.turn_up = turn_up;
  rules.hook_rule = hook_rule;
  rules.scoring = ToEnum(scoring, game::ParseScoring);
  rules.Validate();
  return rules;
}

using ScheduleArg = std::variant<game::ScheduleKind, std::string, std::vector<int>>;

game::Rules MakeRules(int num_players, const ScheduleArg& schedule, int max_cards, int num_rounds,
                      int one_card_rounds,
                      const std::variant<game::TrumpMode, std::string>& trump_mode, bool hook_rule,
                      const std::variant<game::Scoring, std::string>& scoring) {
  game::Rules rules;
  rules.num_players = num_players;
  if (const auto* cards = std::get_if<std::vector<int>>(&schedule)) {
    rules.schedule = game::ScheduleKind::kExplicit;
    rules.explicit_cards = *cards;
  } else if (const auto* text = std::get_if<std::string>(&schedule)) {
    rules.schedule = game::ParseScheduleKind(*text);
  } else {
    rules.schedule = std::get<game::ScheduleKind>(schedule);
  }
  rules.max_cards = max_cards;
  rules.num_rounds = num_rounds;
  rules.one_card_rounds = one_card_rounds;
  rules.trump_mode = ToEnum(trump_mode, game::ParseTrumpMode);
  rules.hook_rule = hook_rule;
  rules.scoring = ToEnum(scoring, game::ParseScoring);
  rules.Validate();
  if (rules.schedule != game::ScheduleKind::kExplicit) rules.max_cards = rules.EffectiveMaxCards();
  return rules;
}

py::array_t<bool> MaskArray(const game::ActionMask& mask) {
  py::array_t<bool> array(game::kNumActions);
  auto out = array.mutable_unchecked<1>();
  for (int a = 0; a < game::kNumActions; ++a) out(a) = mask.test(a);
  return array;
}

std::vector<int> PerSeat(const game::State& state, int (game::State::*get)(int) const) {
  std::vector<int> values(state.num_players());
  for (int p = 0; p < state.num_players(); ++p) values[p] = (state.*get)(p);
  return values;
}

template <typename T, size_t N>
std::vector<int> Seats(const std::array<T, N>& values, int num_players) {
  return std::vector<int>(values.begin(), values.begin() + num_players);
}

std::vector<std::optional<int>> Bids(const std::vector<int>& bids) {
  std::vector<std::optional<int>> out;
  for (int bid : bids) out.push_back(NoneIf(bid, game::kNoBid));
  return out;
}

std::string RoundRulesRepr(const game::RoundRules& r) {
  return "RoundRules(num_players=" + std::to_string(r.num_players) +
         ", num_cards=" + std::to_string(r.num_cards) +
         (r.turn_up ? ", turn_up=True"
                    : ", trump='" + std::string(1, game::SuitChar(r.trump_suit)) + "'") +
         ", hook_rule=" + (r.hook_rule ? "True" : "False") + ", scoring='" +
         game::ToString(r.scoring) + "')";
}

std::string RulesRepr(const game::Rules& r) {
  std::string schedule = "'" + game::ToString(r.schedule) + "'";
  if (r.schedule == game::ScheduleKind::kExplicit) {
    schedule = "[";
    for (size_t i = 0; i < r.explicit_cards.size(); ++i) {
      schedule += (i ? ", " : "") + std::to_string(r.explicit_cards[i]);
    }
    schedule += "]";
  }
  return "Rules(num_players=" + std::to_string(r.num_players) + ", schedule=" + schedule +
         ", max_cards=" + std::to_string(r.max_cards) +
         ", num_rounds=" + std::to_string(r.num_rounds) +
         ", one_card_rounds=" + std::to_string(r.one_card_rounds) + ", trump_mode='" +
         game::ToString(r.trump_mode) + "', hook_rule=" + (r.hook_rule ? "True" : "False") +
         ", scoring='" + game::ToString(r.scoring) + "')";
}

// State::WithHands for Python, checked: `hands` (one card list per seat) must give every seat
// as many cards as it holds now, none played, turned up or dealt twice, and none of a suit the
// seat has shown it lacks; otherwise std::invalid_argument names the problem.
game::State WithHandsChecked(const game::State& state, const std::vector<CardsArg>& hands) {
  const int p = state.num_players();
  if (static_cast<int>(hands.size()) != p) {
    throw std::invalid_argument("with_hands needs " + std::to_string(p) + " hands, got " +
                                std::to_string(hands.size()));
  }
  const belief::Belief public_facts = belief::Belief::FromState(state, 0);  // voids are public
  std::array<CardSet, game::kMaxPlayers> sets{};
  CardSet dealt;
  for (int seat = 0; seat < p; ++seat) {
    sets[seat] = ToCardSet(hands[seat]);
    const std::string who = "with_hands: seat " + std::to_string(seat);
    if (sets[seat].Size() != state.hand(seat).Size()) {
      throw std::invalid_argument(who + " holds " + std::to_string(state.hand(seat).Size()) +
                                  " cards, not " + std::to_string(sets[seat].Size()));
    }
    for (int card : sets[seat]) {
      const std::string what = who + ": " + game::CardToString(card);
      if (dealt.Contains(card)) throw std::invalid_argument(what + " is dealt twice");
      if (state.played().Contains(card) || card == state.turned_up()) {
        throw std::invalid_argument(what + " is no longer in play");
      }
      if ((public_facts.voids[seat] >> game::SuitOf(card)) & 1) {
        throw std::invalid_argument(what + " is of a suit the seat has shown it lacks");
      }
    }
    dealt |= sets[seat];
  }
  return state.WithHands(sets);
}

// A summary that shows no hidden card: reprs end up in error messages and logs (serialize()
// gives the whole deal).
std::string StateRepr(const game::State& s) {
  const int trump = s.trump_suit();
  return "<State " + std::to_string(s.num_players()) + " players, " +
         std::to_string(s.num_cards()) + " cards, trump " +
         (trump == game::kNoTrump ? std::string("none") : std::string(1, game::SuitChar(trump))) +
         ", dealer " + std::to_string(s.dealer()) + ", " + game::ToString(s.phase()) + ", " +
         std::to_string(s.num_actions()) + " actions>";
}

void BindEnums(py::module_& m) {
  py::enum_<game::Phase>(m, "Phase", "Phase of a round.")
      .value("BIDDING", game::Phase::kBidding)
      .value("PLAY", game::Phase::kPlay)
      .value("TERMINAL", game::Phase::kTerminal);
  py::enum_<game::ScheduleKind>(m, "Schedule", "Hand sizes across the rounds of a match.")
      .value("DOWN_UP", game::ScheduleKind::kDownUp)
      .value("DOWN", game::ScheduleKind::kDown)
      .value("UP", game::ScheduleKind::kUp)
      .value("FIXED", game::ScheduleKind::kFixed)
      .value("EXPLICIT", game::ScheduleKind::kExplicit);
  py::enum_<game::TrumpMode>(m, "TrumpMode", "How each round's trump is chosen.")
      .value("ROTATION", game::TrumpMode::kRotation)
      .value("TURN_UP", game::TrumpMode::kTurnUp)
      .value("NONE", game::TrumpMode::kNone);
  py::enum_<game::Scoring>(m, "Scoring", "How a round is scored.")
      .value("EXACT", game::Scoring::kExact)
      .value("OH_HELL", game::Scoring::kOhHell)
      .value("OH_HELL_PENALTY", game::Scoring::kOhHellPenalty);
}

void BindCards(py::module_& m) {
  m.attr("NUM_CARDS") = game::kNumCards;
  m.attr("NUM_ACTIONS") = game::kNumActions;
  m.attr("BID_ACTION_BASE") = game::kBidActionBase;
  m.attr("MIN_PLAYERS") = game::kMinPlayers;
  m.attr("MAX_PLAYERS") = game::kMaxPlayers;
  m.attr("MAX_HAND_SIZE") = game::kMaxHandSize;
  m.attr("NO_TRUMP") = game::kNoTrump;
  m.def("card_to_string", &game::CardToString, py::arg("card"), "'AS' for card id 51.");
  m.def("parse_card", &game::ParseCard, py::arg("text"),
        "Card id of 'AS', 'td', '10H', ... Raises ValueError for malformed text.");
  m.def(
      "parse_cards", [](const std::string& text) { return game::ParseCards(text).ToVector(); },
      py::arg("text"), "Sorted card ids of 'AS KD 10H' (spaces or commas).");
  m.def(
      "cards_to_string",
      [](const CardsArg& cards) { return game::CardSetToString(ToCardSet(cards)); },
      py::arg("cards"), "Space-separated text of cards, in id order.");
  m.def("make_card", &CheckedMakeCard, py::arg("suit"), py::arg("rank"));
  m.def(
      "suit_of", [](int card) { return game::SuitOf(CheckedCard(card)); }, py::arg("card"));
  m.def(
      "rank_of", [](int card) { return game::RankOf(CheckedCard(card)); }, py::arg("card"));
  m.def("suit_char", &game::SuitChar, py::arg("suit"));
  m.def("parse_suit", &game::ParseSuit, py::arg("text"));
  m.def("action_to_string", &game::State::ActionToString, py::arg("action"));
  m.def("parse_action", &game::State::ParseAction, py::arg("text"));
}

void BindRules(py::module_& m) {
  py::class_<game::RoundRules>(m, "RoundRules", "The rules of one round (deal).")
      .def(py::init(&MakeRoundRules), py::arg("num_players") = 4, py::arg("num_cards") = 5,
           py::arg("trump") = std::string("S"), py::arg("turn_up") = false,
           py::arg("hook_rule") = true, py::arg("scoring") = std::string("exact"),
           "trump: a suit letter or id, or None/'N' for no trump; ignored when turn_up.")
      .def_readonly("num_players", &game::RoundRules::num_players)
      .def_readonly("num_cards", &game::RoundRules::num_cards)
      .def_readonly("turn_up", &game::RoundRules::turn_up)
      .def_property_readonly("trump_suit",
                             [](const game::RoundRules& r) {
                               return NoneIf(r.turn_up ? game::kNoTrump : r.trump_suit,
                                             game::kNoTrump);
                             })
      .def_readonly("hook_rule", &game::RoundRules::hook_rule)
      .def_readonly("scoring", &game::RoundRules::scoring)
      .def_property_readonly("min_score", &game::RoundRules::MinScore)
      .def_property_readonly("max_score", &game::RoundRules::MaxScore)
      .def(py::self == py::self)
      .def("__repr__", &RoundRulesRepr);

  py::class_<game::Rules>(m, "Rules", "The rules of a match: schedule, trump, hook, scoring.")
      .def(py::init(&MakeRules), py::arg("num_players") = 4,
           py::arg("schedule") = std::string("down_up"), py::arg("max_cards") = 0,
           py::arg("num_rounds") = 0, py::arg("one_card_rounds") = 1,
           py::arg("trump_mode") = std::string("rotation"), py::arg("hook_rule") = true,
           py::arg("scoring") = std::string("exact"),
           "schedule: 'down_up', 'down', 'up', 'fixed' or an explicit list of hand sizes.")
      .def_readonly("num_players", &game::Rules::num_players)
      .def_readonly("schedule", &game::Rules::schedule)
      .def_readonly("max_cards", &game::Rules::max_cards)
      .def_readonly("num_rounds", &game::Rules::num_rounds)
      .def_readonly("explicit_cards", &game::Rules::explicit_cards)
      .def_readonly("one_card_rounds", &game::Rules::one_card_rounds)
      .def_readonly("trump_mode", &game::Rules::trump_mode)
      .def_readonly("hook_rule", &game::Rules::hook_rule)
      .def_readonly("scoring", &game::Rules::scoring)
      .def_property_readonly("effective_max_cards", &game::Rules::EffectiveMaxCards)
      .def("cards_per_round", &game::Rules::CardsPerRound, "Hand size of every round.")
      .def("round_at", &game::Rules::RoundAt, py::arg("round_index"),
           "RoundRules of one round of the match.")
      .def(py::self == py::self)
      .def("__repr__", &RulesRepr);

  m.def("preset", &game::Preset, py::arg("name"), py::arg("num_players") = 4,
        py::arg("num_cards") = 0,
        "Rules of a named preset ('blob' or 'openspiel_oh_hell'); num_cards=0 keeps its default.");
  m.def("preset_names", &game::PresetNames);
  m.def(
      "rotation_trump", [](int r) { return NoneIf(game::RotationTrump(r), game::kNoTrump); },
      py::arg("round_index"), "Trump suit of round r under rotation, None for no trump.");
  m.def(
      "round_score",
      [](const std::variant<game::Scoring, std::string>& scoring, int bid, int tricks) {
        return game::RoundScore(ToEnum(scoring, game::ParseScoring), bid, tricks);
      },
      py::arg("scoring"), py::arg("bid"), py::arg("tricks"),
      "Score of one player with `bid` and `tricks` under a scoring rule (enum or name).");
}

void BindDealAndState(py::module_& m) {
  py::class_<game::Deal>(m, "Deal", "The hands dealt, the dealer and the turned-up card.")
      .def(py::init(&MakeDeal), py::arg("dealer"), py::arg("hands"),
           py::arg("turned_up") = py::none(),
           "hands: one entry per seat, card text ('AS KD') or a list of ids.")
      .def_readonly("dealer", &game::Deal::dealer)
      .def_property_readonly("hands",
                             [](const game::Deal& d) {
                               std::vector<std::vector<int>> hands;
                               for (const CardSet& hand : d.hands) {
                                 if (!hand.Empty()) hands.push_back(hand.ToVector());
                               }
                               return hands;
                             })
      .def_property_readonly("turned_up",
                             [](const game::Deal& d) { return NoneIf(d.turned_up, game::kNoCard); })
      .def(py::self == py::self);

  py::class_<game::ObserverView>(m, "ObserverView",
                                 "What one player may know: its information set, nothing more.")
      .def_readonly("observer", &game::ObserverView::observer)
      .def_readonly("rules", &game::ObserverView::rules)
      .def_readonly("dealer", &game::ObserverView::dealer)
      .def_property_readonly(
          "trump_suit",
          [](const game::ObserverView& v) { return NoneIf(v.trump_suit, game::kNoTrump); })
      .def_property_readonly(
          "turned_up",
          [](const game::ObserverView& v) { return NoneIf(v.turned_up, game::kNoCard); })
      .def_readonly("phase", &game::ObserverView::phase)
      .def_property_readonly(
          "current_player",
          [](const game::ObserverView& v) { return NoneIf(v.current_player, game::kNoPlayer); })
      .def_property_readonly("own_hand",
                             [](const game::ObserverView& v) { return v.own_hand.ToVector(); })
      .def_readonly("history", &game::ObserverView::history)
      .def_property_readonly(
          "bids",
          [](const game::ObserverView& v) { return Bids(Seats(v.bids, v.rules.num_players)); })
      .def_property_readonly(
          "tricks_won",
          [](const game::ObserverView& v) { return Seats(v.tricks_won, v.rules.num_players); })
      .def_property_readonly(
          "voids", [](const game::ObserverView& v) { return Seats(v.voids, v.rules.num_players); })
      .def_property_readonly(
          "hand_sizes",
          [](const game::ObserverView& v) { return Seats(v.hand_sizes, v.rules.num_players); })
      .def_property_readonly("played",
                             [](const game::ObserverView& v) { return v.played.ToVector(); })
      .def_property_readonly("unseen",
                             [](const game::ObserverView& v) { return v.unseen.ToVector(); })
      .def_readonly("current_trick", &game::ObserverView::current_trick)
      .def_property_readonly("current_trick_leader",
                             [](const game::ObserverView& v) {
                               return NoneIf(v.current_trick_leader, game::kNoPlayer);
                             })
      .def_readonly("last_trick", &game::ObserverView::last_trick)
      .def_property_readonly(
          "last_trick_leader",
          [](const game::ObserverView& v) { return NoneIf(v.last_trick_leader, game::kNoPlayer); })
      .def_property_readonly(
          "last_trick_winner",
          [](const game::ObserverView& v) { return NoneIf(v.last_trick_winner, game::kNoPlayer); })
      .def("render", [](const game::ObserverView& v) { return game::Render(v); })
      .def(py::self == py::self)
      .def("__repr__", [](const game::ObserverView& v) {
        return "<ObserverView of player " + std::to_string(v.observer) + ">";
      });

  py::class_<game::State>(m, "State", "One round of Blob: deal, bidding, trick play, scoring.")
      .def(py::init<const game::RoundRules&, int, uint64_t>(), py::arg("rules"),
           py::arg("dealer") = 0, py::arg("seed") = 0, "A seeded random deal.")
      .def(py::init<const game::RoundRules&, const game::Deal&>(), py::arg("rules"),
           py::arg("deal"), "An explicit deal.")
      .def_static("replay", &game::State::Replay, py::arg("rules"), py::arg("deal"),
                  py::arg("actions"),
                  "The state after applying `actions` to `deal`, each validated.")
      .def("with_hands", &WithHandsChecked, py::arg("hands"),
           "The same round with every seat's current hand replaced by `hands` (a "
           "determinization): rules, history and every public fact stay. Raises ValueError "
           "unless the hands fit the public facts (sizes, cards still in play, voids).")
      .def_static("deserialize", &game::Deserialize, py::arg("text"))
      .def("serialize", &game::Serialize)
      .def_property_readonly("rules", &game::State::rules)
      .def_property_readonly("num_players", &game::State::num_players)
      .def_property_readonly("num_cards", &game::State::num_cards)
      .def_property_readonly("dealer", &game::State::dealer)
      .def_property_readonly(
          "trump_suit", [](const game::State& s) { return NoneIf(s.trump_suit(), game::kNoTrump); })
      .def_property_readonly(
          "turned_up", [](const game::State& s) { return NoneIf(s.turned_up(), game::kNoCard); })
      .def_property_readonly("phase", &game::State::phase)
      .def_property_readonly(
          "current_player",
          [](const game::State& s) { return NoneIf(s.current_player(), game::kNoPlayer); })
      .def("is_terminal", &game::State::IsTerminal)
      .def(
          "hand", [](const game::State& s, int p) { return s.hand(p).ToVector(); },
          py::arg("player"))
      .def(
          "initial_hand", [](const game::State& s, int p) { return s.initial_hand(p).ToVector(); },
          py::arg("player"))
      .def("initial_deal", &game::State::InitialDeal)
      .def_property_readonly(
          "bids", [](const game::State& s) { return Bids(PerSeat(s, &game::State::bid)); },
          "Per seat, the bid, or None before the seat has bid.")
      .def_property_readonly(
          "tricks_won", [](const game::State& s) { return PerSeat(s, &game::State::tricks_won); })
      .def_property_readonly(
          "voids", [](const game::State& s) { return PerSeat(s, &game::State::voids); },
          "Per seat, a bitmask of suits the seat has shown it lacks.")
      .def_property_readonly("played", [](const game::State& s) { return s.played().ToVector(); })
      .def_property_readonly("num_tricks_completed", &game::State::num_tricks_completed)
      .def("trick_leader", &game::State::trick_leader, py::arg("trick"))
      .def("trick_winner", &game::State::trick_winner, py::arg("trick"))
      .def("trick_cards", &game::State::trick_cards, py::arg("trick"))
      .def_property_readonly("current_trick", &game::State::CurrentTrick)
      .def_property_readonly("led_suit",
                             [](const game::State& s) { return NoneIf(s.led_suit(), -1); })
      .def_property_readonly(
          "hook_forbidden_bid",
          [](const game::State& s) { return NoneIf(s.HookForbiddenBid(), game::kNoBid); })
      .def("legal_actions", &game::State::LegalActions)
      .def(
          "legal_mask", [](const game::State& s) { return MaskArray(s.LegalMask()); },
          "numpy bool[70]: True for each legal action.")
      .def(
          "is_legal",
          [](const game::State& s, const ActionArg& a) { return s.IsLegal(ToAction(a)); },
          py::arg("action"))
      .def(
          "apply_action", [](game::State& s, const ActionArg& a) { s.ApplyAction(ToAction(a)); },
          py::arg("action"),
          "Apply an action id or text ('AS', 'bid 2'); raises ValueError if illegal.")
      .def_property_readonly("history", &game::State::History)
      .def("scores", &game::State::Scores)
      .def("values", &game::State::Values, py::arg("relative") = false)
      .def("observe", &game::Observe, py::arg("observer"))
      .def("clone", [](const game::State& s) { return game::State(s); })
      .def("__copy__", [](const game::State& s) { return game::State(s); })
      .def(
          "__deepcopy__", [](const game::State& s, py::dict) { return game::State(s); },
          py::arg("memo"))
      .def("render", [](const game::State& s) { return game::Render(s); })
      .def("__str__", [](const game::State& s) { return game::Render(s); })
      .def("__repr__", &StateRepr)
      .def(py::self == py::self);
}

void BindMatch(py::module_& m) {
  py::class_<game::Match>(m, "Match", "A match: rounds of a schedule with a rotating dealer.")
      .def(py::init([](const game::Rules& rules, uint64_t seed, std::optional<int> first_dealer) {
             return game::Match(rules, seed, first_dealer.value_or(-1));
           }),
           py::arg("rules"), py::arg("seed") = 0, py::arg("first_dealer") = py::none())
      .def_property_readonly("rules", &game::Match::rules)
      .def_property_readonly("seed", &game::Match::seed)
      .def_property_readonly("num_rounds", &game::Match::num_rounds)
      .def_property_readonly("cards_per_round", &game::Match::cards_per_round)
      .def_property_readonly("round_index", &game::Match::round_index)
      .def_property_readonly("first_dealer", &game::Match::first_dealer)
      .def_property_readonly(
          "state", [](const game::Match& match) { return game::State(match.state()); },
          "A copy of the round in play.")
      .def("is_over", &game::Match::IsOver)
      .def("deal_round", &game::Match::DealRound, py::arg("round_index"),
           "The deal of round `round_index` as this match deals it (its rules, the rotated "
           "dealer, the cards from the match seed). IndexError outside the schedule.")
      .def(
          "apply_action",
          [](game::Match& match, const ActionArg& a) { match.ApplyAction(ToAction(a)); },
          py::arg("action"))
      .def_property_readonly("totals", &game::Match::totals)
      .def_property_readonly("round_scores", &game::Match::round_scores)
      .def("winners", &game::Match::Winners);
}

}  // namespace

void BindGame(py::module_ m) {
  BindEnums(m);
  BindCards(m);
  BindRules(m);
  BindDealAndState(m);
  BindMatch(m);
}

}  // namespace blobzero::bindings
