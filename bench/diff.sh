#!/usr/bin/env bash
# Benchmarks `defuse diff` of two versions of a 100,000-node script against checking both
# versions (the goal: the diff within 2× the two checks), and prints a row for
# docs/performance.md.
#
#   bash bench/diff.sh           # about a minute on 2 cores
#
# NEW differs from OLD in 1% of its questions (reworded) and one close's outcome, so the
# comparisons of lines, outcomes, edges, paths, reachability, diagnostics and timing all run.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null 2>&1 || {
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq hyperfine >/dev/null
}

cargo build --release --quiet --bin defuse --example gen_corpus
defuse=target/release/defuse
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

target/release/examples/gen_corpus --scripts 1 --nodes 100000 --out "$work/old" 2>/dev/null
cp -r "$work/old" "$work/new"
script=$(find "$work/new" -name '*.defuse' -not -path '*/lib/*' | head -1)
# Reword every hundredth question, and change one library close's outcome.
awk '/ask "/ && ++n % 100 == 0 { sub(/ask "/, "ask \"Sorry, one more thing: ") } { print }' "$script" >"$work/tmp"
mv "$work/tmp" "$script"
sed -i '0,/outcome callback/s//outcome ended/' "$work/new/lib/closings.defuse"

"$defuse" diff "$work/old" "$work/new" --format json --fail-on never >"$work/report.json"
changes=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(d['summary'].values()))" "$work/report.json")

hyperfine --style none --warmup 1 --runs 5 --export-json "$work/times.json" \
  "$defuse check $work/old" "$defuse check $work/new" \
  "$defuse diff $work/old $work/new --fail-on never" >/dev/null
python3 - "$work/times.json" "$changes" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
old, new, diff = (r["median"] for r in results)
print(f"| 100,000-node script, {sys.argv[2]} changes | {old:.3f} | {new:.3f} | {diff:.3f} | {diff / (old + new):.2f}× |")
PY
