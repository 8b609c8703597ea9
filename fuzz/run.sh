#!/usr/bin/env bash
# Fuzzes the whole pipeline (fuzz_targets/pipeline.rs) for SECONDS (default 600), seeded
# (`run.sh SECONDS po` fuzzes the PO reader and writer instead, fuzz_targets/po.rs),
# with every example script and test fixture. Needs cargo-fuzz (`cargo install cargo-fuzz`);
# RUSTC_BOOTSTRAP lets the stable toolchain build with the fuzzer's instrumentation.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
mkdir -p corpus/pipeline
find ../scripts ../tests/fixtures -name '*.defuse' -exec cp {} corpus/pipeline/ \;
target="${2:-pipeline}"
if [ "$target" = po ]; then
  mkdir -p corpus/po
  find ../tests/fixtures ../locales -name '*.po' -exec cp {} corpus/po/ \; 2>/dev/null || true
  RUSTC_BOOTSTRAP=1 cargo fuzz run po corpus/po -- -max_total_time="$seconds" -max_len=4096 -timeout=10
  exit
fi
RUSTC_BOOTSTRAP=1 cargo fuzz run pipeline corpus/pipeline -- -max_total_time="$seconds" -max_len=4096 -timeout=10
