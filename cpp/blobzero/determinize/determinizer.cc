#include "blobzero/determinize/determinizer.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace blobzero::determinize {
namespace {

using game::CardSet;

// Binomial coefficients C(n, k) for n <= 52, exact.
struct Binomials {
  Count c[game::kNumCards + 1][game::kNumCards + 1] = {};
  Binomials() {
    for (int n = 0; n <= game::kNumCards; ++n) {
      c[n][0] = 1;
      for (int k = 1; k <= n; ++k) c[n][k] = c[n - 1][k - 1] + (k <= n - 1 ? c[n - 1][k] : 0);
    }
  }
};
const Binomials kBinomials;

// Uniform integer in [0, bound), bound > 0, without bias.
Count UniformBelow(core::Rng& rng, Count bound) {
  if (bound <= UINT64_MAX) {
    const uint64_t b = static_cast<uint64_t>(bound);
    const uint64_t limit = UINT64_MAX - (UINT64_MAX % b + 1) % b;
    uint64_t r;
    do r = rng.Next();
    while (r > limit);
    return r % b;
  }
  const Count max = ~Count{0};
  const Count limit = max - (max % bound + 1) % bound;
  Count r;
  do r = (Count{rng.Next()} << 64) | rng.Next();
  while (r > limit);
  return r % bound;
}

// Makes items[0..k) a uniformly random ordered selection from items[0..n) (partial
// Fisher-Yates); items[k..n) hold the rest.
template <typename T>
void PartialShuffle(T* items, int n, int k, core::Rng& rng) {
  for (int i = 0; i < k && i < n - 1; ++i) {
    std::swap(items[i], items[i + rng.Below(static_cast<uint32_t>(n - i))]);
  }
}

}  // namespace

Determinizer::Determinizer(const belief::Belief& belief) : belief_(belief) {
  belief.Validate();
  const int hidden = belief.HiddenCardCount();
  const int unseen = belief.unseen.Size();
  if (hidden > unseen) {
    throw std::invalid_argument("no deal is consistent with the belief: opponents hold " +
                                std::to_string(hidden) + " cards but only " +
                                std::to_string(unseen) + " are unseen");
  }
  for (int s = 0; s < game::kNumSuits; ++s) {
    for (int card : belief.unseen.InSuit(s)) {
      unseen_by_suit_[s][unseen_counts_[s]++] = static_cast<int8_t>(card);
    }
  }
  // Group exchangeable holders by their allowed suits; the undealt pile may hold any suit.
  auto group_for = [this](uint8_t allowed) -> Group& {
    for (Group& g : groups_) {
      if (g.allowed_suits == allowed) return g;
    }
    groups_.push_back(Group{allowed, 0, {}, {}});
    return groups_.back();
  };
  for (int p = 0; p < belief.num_players; ++p) {
    if (p == belief.observer || belief.hand_sizes[p] == 0) continue;
    Group& g = group_for(static_cast<uint8_t>(~belief.voids[p] & 0xF));
    g.size += belief.hand_sizes[p];
    g.members.push_back(p);
    g.member_sizes.push_back(belief.hand_sizes[p]);
  }
  if (unseen > hidden) {
    Group& g = group_for(0xF);
    g.size += unseen - hidden;
    g.members.push_back(-1);
    g.member_sizes.push_back(unseen - hidden);
  }
  // Most constrained groups first: the last group's take is forced, best spent on the freest.
  std::stable_sort(groups_.begin(), groups_.end(), [](const Group& a, const Group& b) {
    return std::popcount(a.allowed_suits) < std::popcount(b.allowed_suits);
  });
  total_ = groups_.empty() ? 1 : Ways(0, unseen_counts_);
  if (total_ == 0) {
    throw std::invalid_argument(
        "no deal is consistent with the belief: the opponents' voids leave too few cards of the "
        "suits they may hold");
  }
}

double Determinizer::NumConsistentDeals() const {
  // Deals counted by Ways() differ in which cards each group takes; within a group the split
  // among members multiplies the count by H! / prod h_i!, the undealt pile counting as a member.
  // Assignments to opponents do not distinguish the undealt pile's order, which that formula
  // already ignores (the pile is one member).
  double count = static_cast<double>(total_);
  for (const Group& g : groups_) {
    double split = 1;
    int remaining = g.size;
    for (int size : g.member_sizes) {
      split *= static_cast<double>(kBinomials.c[remaining][size]);
      remaining -= size;
    }
    count *= split;
  }
  return count;
}

int Determinizer::Key(int group, const SuitCounts& remaining) {
  int key = group;
  for (int s = 0; s < game::kNumSuits; ++s) key = key * kSuitBase + remaining[s];
  return key;
}

Count Determinizer::ChoicesOfCards(const SuitCounts& remaining, const SuitCounts& take,
                                   SuitCounts& rest) {
  Count ways = 1;
  for (int s = 0; s < game::kNumSuits; ++s) {
    ways *= kBinomials.c[remaining[s]][take[s]];
    rest[s] = remaining[s] - take[s];
  }
  return ways;
}

template <typename Visit>
void Determinizer::ForEachTake(int group, const SuitCounts& remaining, Visit&& visit) const {
  const Group& g = groups_[group];
  SuitCounts most{};
  for (int s = 0; s < game::kNumSuits; ++s) {
    most[s] = (g.allowed_suits >> s) & 1 ? std::min(g.size, remaining[s]) : 0;
  }
  // Per-suit counts summing to the group's size: the last suit takes what is left.
  SuitCounts take{};
  for (take[0] = 0; take[0] <= most[0]; ++take[0]) {
    for (take[1] = 0; take[1] <= most[1] && take[0] + take[1] <= g.size; ++take[1]) {
      for (take[2] = 0; take[2] <= most[2] && take[0] + take[1] + take[2] <= g.size; ++take[2]) {
        take[3] = g.size - take[0] - take[1] - take[2];
        if (take[3] <= most[3]) visit(static_cast<const SuitCounts&>(take));
      }
    }
  }
}

bool Determinizer::TakesAll(int group, const SuitCounts& remaining) const {
  for (int s = 0; s < game::kNumSuits; ++s) {
    if (remaining[s] > 0 && !((groups_[group].allowed_suits >> s) & 1)) return false;
  }
  return true;
}

Count Determinizer::Ways(int group, const SuitCounts& remaining) {
  // The last group takes exactly what remains (the sizes add up), if its voids allow it.
  if (group == static_cast<int>(groups_.size()) - 1) return TakesAll(group, remaining) ? 1 : 0;
  const int key = Key(group, remaining);
  if (auto it = ways_.find(key); it != ways_.end()) return it->second;
  Count ways = 0;
  ForEachTake(group, remaining, [&](const SuitCounts& take) {
    SuitCounts rest;
    const Count weight = ChoicesOfCards(remaining, take, rest);
    ways += weight * Ways(group + 1, rest);
  });
  ways_.emplace(key, ways);
  return ways;
}

const std::vector<Determinizer::Choice>& Determinizer::Choices(int group,
                                                               const SuitCounts& remaining) {
  const int key = Key(group, remaining);
  if (auto it = choices_.find(key); it != choices_.end()) return it->second;
  std::vector<Choice> choices;
  Count cumulative = 0;
  ForEachTake(group, remaining, [&](const SuitCounts& take) {
    SuitCounts rest;
    const Count weight = ChoicesOfCards(remaining, take, rest) * Ways(group + 1, rest);
    if (weight == 0) return;
    cumulative += weight;
    Choice choice{cumulative, {}};
    for (int s = 0; s < game::kNumSuits; ++s) choice.take[s] = static_cast<int8_t>(take[s]);
    choices.push_back(choice);
  });
  return choices_.emplace(key, std::move(choices)).first->second;
}

Hands Determinizer::Sample(core::Rng& rng) {
  Hands hands{};
  hands[belief_.observer] = belief_.own_hand;
  const int num_groups = static_cast<int>(groups_.size());
  if (num_groups == 0) return hands;
  // 1. How many cards of each suit each group takes.
  std::array<SuitCounts, game::kMaxPlayers + 1> takes{};
  SuitCounts remaining = unseen_counts_;
  for (int g = 0; g < num_groups; ++g) {
    if (g == num_groups - 1) {
      takes[g] = remaining;
      break;
    }
    const std::vector<Choice>& choices = Choices(g, remaining);
    const Count r = UniformBelow(rng, choices.back().cumulative);
    const auto chosen = std::upper_bound(
        choices.begin(), choices.end(), r,
        [](Count value, const Choice& choice) { return value < choice.cumulative; });
    for (int s = 0; s < game::kNumSuits; ++s) {
      takes[g][s] = chosen->take[s];
      remaining[s] -= chosen->take[s];
    }
  }
  // 2. Which cards of each suit: a uniform selection for every group but the last, which takes
  //    the rest.
  std::array<std::array<int8_t, game::kNumCards>, game::kMaxPlayers + 1> group_cards;
  std::array<int, game::kMaxPlayers + 1> group_fill{};
  for (int s = 0; s < game::kNumSuits; ++s) {
    std::array<int8_t, game::kNumRanks> cards = unseen_by_suit_[s];
    PartialShuffle(cards.data(), unseen_counts_[s], unseen_counts_[s] - takes[num_groups - 1][s],
                   rng);
    int next = 0;
    for (int g = 0; g < num_groups; ++g) {
      for (int k = 0; k < takes[g][s]; ++k) group_cards[g][group_fill[g]++] = cards[next++];
    }
  }
  // 3. A uniform split of each group's cards among its members; the last member (the undealt
  //    pile when the group has it) takes what the others leave.
  for (int g = 0; g < num_groups; ++g) {
    const Group& group = groups_[g];
    if (group.members.size() > 1) {
      PartialShuffle(group_cards[g].data(), group_fill[g],
                     group_fill[g] - group.member_sizes.back(), rng);
    }
    int next = 0;
    for (size_t m = 0; m < group.members.size(); ++m) {
      const int seat = group.members[m];
      for (int k = 0; k < group.member_sizes[m]; ++k, ++next) {
        if (seat >= 0) hands[seat].Insert(group_cards[g][next]);
      }
    }
  }
  return hands;
}

}  // namespace blobzero::determinize
