#!/usr/bin/env bash
# Benchmarks `defuse lsp` (latency from an edit to its diagnostics, completion latency,
# memory over 2,000 edits) on generated 1,000- and 10,000-node scripts. Figures go into
# docs/performance.md by hand ("Language server" section).
#
#   bash bench/lsp.sh            # a few minutes on 2 cores
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin defuse --example gen_corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for nodes in 1000 10000; do
  target/release/examples/gen_corpus --scripts 1 --nodes "$nodes" --out "$work/n$nodes" 2>/dev/null
  script=$(find "$work/n$nodes" -path '*/team_*' -name '*.defuse' | head -n 1)
  edits=0
  [ "$nodes" = 1000 ] && edits=2000
  echo "nodes=$nodes $(python3 bench/lsp_bench.py --defuse target/release/defuse --script "$script" --edits "$edits")"
done
