#!/usr/bin/env bash
# Runs every fuzz target in turn, MINUTES each (default 10), at the lowest
# CPU priority, one job at a time. Corpora grow in corpus/<target>/, crashes
# land in artifacts/<target>/, and each run's log in logs/<target>.log.
# Usage: fuzz/run.sh [MINUTES] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
minutes="${1:-10}"; shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=($(cargo fuzz list))
export RUSTC_BOOTSTRAP=1 # cargo-fuzz needs nightly flags; this stable toolchain allows them so
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "== $t: $minutes min"
  nice -n 19 cargo fuzz run -s none "$t" "corpus/$t" -- \
    -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    > "logs/$t.log" 2>&1
  echo "   exit $?: $(grep -E '^stat::number_of_executed_units' "logs/$t.log")"
done
