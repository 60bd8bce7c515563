// Tests of blobzero::core's seeded, splittable random numbers.
#include "blobzero/core/rng.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

namespace blobzero::core {
namespace {

// Pearson's chi-square statistic of `counts` against a uniform expectation.
double ChiSquare(const std::vector<int>& counts, int total) {
  const double expected = static_cast<double>(total) / static_cast<double>(counts.size());
  double chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  return chi2;
}

// A loose upper bound for a chi-square statistic with `dof` degrees of freedom: mean + 6 standard
// deviations. A correct generator fails it with probability far below 1e-6; a biased one (say
// modulo bias or an off-by-one) fails it at these sample sizes.
double LooseBound(int dof) { return dof + 6.0 * std::sqrt(2.0 * dof); }

TEST(SplitMix64, MatchesTheReferenceSequence) {
  // The published SplitMix64 outputs for state 0.
  uint64_t state = 0;
  EXPECT_EQ(SplitMix64(state), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(SplitMix64(state), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(SplitMix64(state), 0x06C45D188009454FULL);
}

TEST(Rng, MatchesXoshiro256PlusPlusSeededBySplitMix) {
  // Golden values from an independent implementation of the reference xoshiro256++ with the four
  // state words drawn from SplitMix64(seed): the stream is part of the reproducibility contract.
  Rng zero(0);
  EXPECT_EQ(zero.Next(), 0x53175D61490B23DFULL);
  EXPECT_EQ(zero.Next(), 0x61DA6F3DC380D507ULL);
  EXPECT_EQ(zero.Next(), 0x5C0FDF91EC9A7BFCULL);
  Rng answer(42);
  EXPECT_EQ(answer.Next(), 0xD0764D4F4476689FULL);
  EXPECT_EQ(answer.Next(), 0x519E4174576F3791ULL);
  EXPECT_EQ(answer.Next(), 0xFBE07CFB0C24ED8CULL);
}

TEST(Rng, SameSeedGivesSameSequence) {
  Rng a(123456789), b(123456789);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Next(), b.Next()) << "draw " << i;
}

TEST(Rng, ReseedingRestartsTheSequence) {
  Rng a(7);
  std::vector<uint64_t> first;
  for (int i = 0; i < 10; ++i) first.push_back(a.Next());
  a.Seed(7);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.Next(), first[i]);
}

TEST(Rng, CopyContinuesTheSameSequenceIndependently) {
  Rng a(99);
  a.Next();
  Rng b = a;
  const uint64_t from_a = a.Next();
  EXPECT_EQ(b.Next(), from_a);
  a.Next();  // advancing a leaves b alone
  Rng c = b;
  EXPECT_EQ(b.Next(), c.Next());
}

TEST(Rng, DifferentSeedsGiveDifferentSequences) {
  std::set<uint64_t> firsts;
  for (uint64_t seed = 0; seed < 1000; ++seed) firsts.insert(Rng(seed).Next());
  EXPECT_EQ(firsts.size(), 1000u);
}

TEST(DeriveSeed, IsDeterministicAndGoldenValued) {
  EXPECT_EQ(DeriveSeed(12345, 7), DeriveSeed(12345, 7));
  EXPECT_EQ(DeriveSeed(0, 0), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(DeriveSeed(12345, 7), 0x9706C8672B51C63CULL);
}

TEST(DeriveSeed, DistinctStreamsAndSeedsGiveDistinctChildren) {
  std::set<uint64_t> children;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    for (uint64_t stream = 0; stream < 200; ++stream) children.insert(DeriveSeed(seed, stream));
    children.insert(DeriveSeed(seed, ~uint64_t{0}));
  }
  EXPECT_EQ(children.size(), 50u * 201u);
  // A child seed is not the parent seed or the stream index.
  for (uint64_t s = 0; s < 100; ++s) {
    EXPECT_NE(DeriveSeed(s, 0), s);
    EXPECT_NE(DeriveSeed(0, s), s);
  }
}

TEST(DeriveSeed, ChildrenOfNeighbouringStreamsLookIndependent) {
  // Neighbouring streams should differ in about half of their bits (avalanche), and sequences
  // drawn from children of neighbouring streams should agree on about half of their bits.
  const int kStreams = 2000;
  double total_distance = 0;
  for (int stream = 0; stream < kStreams; ++stream) {
    total_distance += std::popcount(DeriveSeed(2026, stream) ^ DeriveSeed(2026, stream + 1));
  }
  EXPECT_NEAR(total_distance / kStreams, 32.0, 1.0);

  Rng a(DeriveSeed(2026, 0)), b(DeriveSeed(2026, 1));
  double agree = 0;
  const int kDraws = 4000;
  for (int i = 0; i < kDraws; ++i) agree += 64 - std::popcount(a.Next() ^ b.Next());
  EXPECT_NEAR(agree / kDraws, 32.0, 0.5);

  // The low bits of consecutive children are uniform (chi-square over 64 buckets).
  std::vector<int> counts(64, 0);
  const int kChildren = 64000;
  for (int stream = 0; stream < kChildren; ++stream) ++counts[DeriveSeed(1, stream) & 63];
  EXPECT_LT(ChiSquare(counts, kChildren), LooseBound(63));
}

TEST(Rng, BelowStaysInRange) {
  Rng rng(5);
  EXPECT_EQ(rng.Below(1), 0u);
  for (uint32_t n : {1u, 2u, 3u, 7u, 52u, 1000u, (1u << 31) + 1, 0xFFFFFFFFu}) {
    for (int i = 0; i < 2000; ++i) ASSERT_LT(rng.Below(n), n) << "n = " << n;
  }
}

TEST(Rng, BelowIsRoughlyUniform) {
  Rng rng(2026);
  for (uint32_t n : {2u, 3u, 7u, 13u, 52u, 70u}) {
    const int total = 20000 * static_cast<int>(n) > 400000 ? 400000 : 20000 * static_cast<int>(n);
    std::vector<int> counts(n, 0);
    for (int i = 0; i < total; ++i) ++counts[rng.Below(n)];
    EXPECT_LT(ChiSquare(counts, total), LooseBound(static_cast<int>(n) - 1)) << "n = " << n;
  }
}

TEST(Rng, BelowHasNoModuloBiasForHugeRanges) {
  // With n = 3 * 2^30 a modulo reduction of 32 random bits would give [0, 2^30) twice the
  // probability of the rest; Lemire's method keeps the three thirds equal.
  Rng rng(77);
  const uint32_t n = 3u << 30;
  std::vector<int> thirds(3, 0);
  const int total = 300000;
  for (int i = 0; i < total; ++i) ++thirds[rng.Below(n) >> 30];
  EXPECT_LT(ChiSquare(thirds, total), LooseBound(2));
}

TEST(Rng, UniformIsInTheUnitIntervalWithMeanOneHalf) {
  Rng rng(3);
  double sum = 0;
  const int total = 200000;
  for (int i = 0; i < total; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  // Standard error of the mean is sqrt(1/12 / total) ~ 0.00065.
  EXPECT_NEAR(sum / total, 0.5, 0.004);
}

}  // namespace
}  // namespace blobzero::core
