#!/usr/bin/env bash
# Benchmarks `defuse lsp` (latency from an edit to its diagnostics, completion latency,
# memory over 2,000 edits) on generated 1,000- and 10,000-node scripts, and keystroke
# coalescing (bursts of 100 edits then a completion, bench/lsp_burst.py) on a 20,000-node one,
# and edit → preview answered (`defuse/preview`, bench/lsp_preview.py) on 60- and 1,000-node
# scripts, with memory over 2,000 edits each followed by a preview.
# Figures go into docs/performance.md by hand ("Language server" sections).
#
#   bash bench/lsp.sh            # a few minutes on 2 cores
#   DEFUSE=/path/to/defuse bash bench/lsp.sh   # another build of the server, to compare
#   BEFORE=/path/to/old/defuse bash bench/lsp.sh   # each row for that build, then this one
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin defuse --example gen_corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for nodes in 60 1000 10000 20000; do
  target/release/examples/gen_corpus --scripts 1 --nodes "$nodes" --out "$work/n$nodes" 2>/dev/null
  # A project root above the script and its library, as `defuse check DIR` has: without it the
  # script's root is its own directory, its `use "../lib/…"` is refused (use-outside-root) and
  # the graph rules, skipped for a file with a broken `use`, would not be measured.
  touch "$work/n$nodes/defuse.toml"
  script=$(find "$work/n$nodes" -path '*/team_*' -name '*.defuse' | head -n 1)
  edits=0
  [ "$nodes" = 1000 ] && edits=2000
  if [ "$nodes" -le 1000 ]; then
    echo "nodes=$nodes preview $(python3 bench/lsp_preview.py --defuse "${DEFUSE:-target/release/defuse}" --script "$script" --edits "$edits")"
  fi
  [ "$nodes" = 60 ] && continue
  for build in ${BEFORE:+"$BEFORE"} "${DEFUSE:-target/release/defuse}"; do
    label=""
    [ -n "${BEFORE:-}" ] && label="$([ "$build" = "$BEFORE" ] && echo before || echo after) "
    if [ "$nodes" = 20000 ]; then
      echo "${label}nodes=$nodes burst $(python3 bench/lsp_burst.py --defuse "$build" --script "$script")"
    else
      echo "${label}nodes=$nodes $(python3 bench/lsp_bench.py --defuse "$build" --script "$script" --edits "$edits")"
    fi
  done
done
