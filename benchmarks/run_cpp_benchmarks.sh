#!/usr/bin/env bash
# Configures the dev preset (RelWithDebInfo, portable flags), builds the C++ benchmark program and
# runs it. Extra arguments go to Google Benchmark, e.g.
#   benchmarks/run_cpp_benchmarks.sh --benchmark_filter=RandomRound
#   MIN_TIME=2 REPETITIONS=10 benchmarks/run_cpp_benchmarks.sh --benchmark_out=bench.json
# Results are recorded in benchmarks/RESULTS.md. Run on an otherwise idle machine: the figures
# are per core, and the program is single-threaded.
set -euo pipefail
cd "$(dirname "$0")/.."

MIN_TIME="${MIN_TIME:-0.5}"      # seconds per repetition
REPETITIONS="${REPETITIONS:-5}"  # the median of the repetitions is reported

cmake --preset dev >/dev/null
cmake --build --preset dev --target game_bench
exec build/dev/benchmarks/game_bench \
  --benchmark_min_time="${MIN_TIME}" \
  --benchmark_repetitions="${REPETITIONS}" \
  --benchmark_report_aggregates_only=true \
  "$@"
