#pragma once
// Helpers shared by the GoogleTest files of tests/cpp/.

#include <gtest/gtest.h>

#include <bit>
#include <exception>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "blobzero/core/rng.h"
#include "blobzero/encode/encoder.h"
#include "blobzero/game/cards.h"
#include "blobzero/game/rules.h"
#include "blobzero/game/state.h"
#include "blobzero/search/evaluator.h"

namespace blobzero::testing {

// Success when `fn` throws exactly an `Exception` (or a subclass) whose what() contains every one
// of `parts`; a failure naming what happened otherwise. Use as
//   EXPECT_TRUE(Throws<std::invalid_argument>([&] { ... }, {"hook rule", "may not bid 1"}));
template <typename Exception>
::testing::AssertionResult Throws(const std::function<void()>& fn,
                                  std::initializer_list<std::string_view> parts) {
  try {
    fn();
  } catch (const Exception& e) {
    const std::string what = e.what();
    for (std::string_view part : parts) {
      if (what.find(part) == std::string::npos) {
        return ::testing::AssertionFailure()
               << "message \"" << what << "\" does not contain \"" << part << "\"";
      }
    }
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "expected " << typeid(Exception).name() << " but got "
                                         << typeid(e).name() << ": " << e.what();
  } catch (...) {
    return ::testing::AssertionFailure() << "threw something that is not a std::exception";
  }
  return ::testing::AssertionFailure() << "nothing was thrown";
}

// Round rules with the given fields; the rest keep their defaults.
inline game::RoundRules Round(int num_players, int num_cards, int trump_suit, bool hook_rule = true,
                              game::Scoring scoring = game::Scoring::kExact) {
  game::RoundRules rules;
  rules.num_players = num_players;
  rules.num_cards = num_cards;
  rules.trump_suit = trump_suit;
  rules.hook_rule = hook_rule;
  rules.scoring = scoring;
  return rules;
}

// A deal from card text, one string per seat ("AS KD"); `turned_up` empty for none.
inline game::Deal MakeDeal(int dealer, const std::vector<std::string>& hands,
                           std::string_view turned_up = "") {
  game::Deal deal;
  deal.dealer = dealer;
  for (size_t p = 0; p < hands.size(); ++p) deal.hands[p] = game::ParseCards(hands[p]);
  deal.turned_up = turned_up.empty() ? game::kNoCard : game::ParseCard(turned_up);
  return deal;
}

// Applies space-separated actions ("b1 b0 AS KD") with the checked ApplyAction.
inline void Play(game::State& state, std::string_view actions) {
  size_t pos = 0;
  while (pos < actions.size()) {
    while (pos < actions.size() && actions[pos] == ' ') ++pos;
    size_t end = pos;
    while (end < actions.size() && actions[end] != ' ') ++end;
    if (end > pos) state.ApplyAction(game::State::ParseAction(actions.substr(pos, end - pos)));
    pos = end;
  }
}

// A uniformly random legal action of the player to act (the random bot's move).
using search::RandomLegalAction;

// A spread of round rules over every table size, hand sizes, trump kinds, hook and scoring.
inline std::vector<game::RoundRules> RuleVariants() {
  std::vector<game::RoundRules> variants;
  const game::Scoring scorings[] = {game::Scoring::kExact, game::Scoring::kOhHell,
                                    game::Scoring::kOhHellPenalty};
  int k = 0;
  for (int p = game::kMinPlayers; p <= game::kMaxPlayers; ++p) {
    const int largest = game::kNumCards / p;
    for (int n : {1, 2, largest / 2 > 0 ? largest / 2 : 1, largest - 1, largest}) {
      if (n < 1) continue;
      for (int trump = game::kNoTrump; trump < game::kNumSuits; ++trump) {
        game::RoundRules rules = Round(p, n, trump, /*hook_rule=*/k % 3 != 0, scorings[k % 3]);
        ++k;
        variants.push_back(rules);
      }
      if (n * p < game::kNumCards) {
        game::RoundRules rules = Round(p, n, game::kNoTrump, k % 2 == 0, scorings[k % 3]);
        rules.turn_up = true;
        ++k;
        variants.push_back(rules);
      }
    }
  }
  return variants;
}

// Logits and values that are fixed functions of each row's feature bytes, so two searches that
// ask about the same positions get the same answers.
class HashEvaluator : public search::Evaluator {
 public:
  void Evaluate(const search::EvalBatch& batch) override {
    for (int i = 0; i < batch.size; ++i) {
      const uint64_t hash = encode::HashFeatures(batch.features + i * encode::kFeatureSize);
      for (int a = 0; a < game::kNumActions; ++a) {
        batch.policy_logits[i * game::kNumActions + a] =
            static_cast<float>((hash >> (a % 60)) & 7) / 4.0f;
      }
      for (int k = 0; k < search::kValueSize; ++k) {
        batch.values[i * search::kValueSize + k] =
            static_cast<float>((hash >> (8 * k)) & 255) / 128.0f - 1.0f;
      }
    }
  }
};

}  // namespace blobzero::testing
