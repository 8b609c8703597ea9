#!/usr/bin/env bash
# Fuzzes the whole pipeline (fuzz_targets/pipeline.rs) for SECONDS (default 600), seeded
# with every example script and test fixture. Needs cargo-fuzz (`cargo install cargo-fuzz`);
# RUSTC_BOOTSTRAP lets the stable toolchain build with the fuzzer's instrumentation.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
mkdir -p corpus/pipeline
find ../scripts ../tests/fixtures -name '*.defuse' -exec cp {} corpus/pipeline/ \;
RUSTC_BOOTSTRAP=1 cargo fuzz run pipeline corpus/pipeline -- -max_total_time="$seconds" -max_len=4096 -timeout=10
