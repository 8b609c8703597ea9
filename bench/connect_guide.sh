#!/usr/bin/env bash
# Benchmarks `build --emit connect-guide` (issue 31) and prints a section for
# docs/performance.md. Goals: a script at Amazon Connect's limits (as many nodes as fit in 250
# flow actions, about 240) exports in under 2× the time of `--emit json`, and a 100,000-node
# script is refused with the limit error in under 2× the time of `check`.
#
#   bash bench/connect_guide.sh   # about a minute on 2 cores
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

# The largest generated script whose guide fits: fewer nodes until the build succeeds.
nodes=250
while :; do
  rm -rf "$work/limit"
  target/release/examples/gen_corpus --scripts 1 --nodes "$nodes" --out "$work/limit" 2>/dev/null
  touch "$work/limit/defuse.toml" # the project root, so the script's `use "../lib/…"` is inside it
  limit=$(find "$work/limit" -name '*.defuse' -not -path '*/lib/*' | head -1)
  "$defuse" build "$limit" --emit connect-guide >"$work/guide.json" 2>/dev/null && break
  nodes=$((nodes - 1))
  ((nodes >= 8)) || { echo "no generated script builds a guide" >&2; exit 1; }
done
steps=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1])); print(len(json.loads(t['Resources']['Guide']['Properties']['Content']['Fn::Sub'])['Actions']))" "$work/guide.json")
bytes=$(wc -c <"$work/guide.json")

target/release/examples/gen_corpus --scripts 1 --nodes 100000 --out "$work/huge" 2>/dev/null
touch "$work/huge/defuse.toml"
huge=$(find "$work/huge" -name '*.defuse' -not -path '*/lib/*' | head -1)
if "$defuse" build "$huge" --emit connect-guide >/dev/null 2>"$work/refused"; then
  echo "the 100,000-node guide was not refused" >&2; exit 1
fi
grep -q "flow actions" "$work/refused"

hyperfine -N --style none --warmup 3 --runs 41 --export-json "$work/limit.json" \
  "$defuse build $limit --emit json" "$defuse build $limit --emit connect-guide" >/dev/null
hyperfine -N --style none --warmup 1 --runs 5 -i --export-json "$work/huge.json" \
  "$defuse check $work/huge" "$defuse build $huge --emit connect-guide" >/dev/null
python3 - "$work/limit.json" "$work/huge.json" "$nodes" "$steps" "$bytes" "$(nproc)" <<'PY'
import json, sys, datetime
def figures(path):
    """Median wall time and mean CPU time (user + system) of each command, in ms."""
    return [(r["median"] * 1000, (r["user"] + r["system"]) * 1000) for r in json.load(open(path))["results"]]
limit, huge = figures(sys.argv[1]), figures(sys.argv[2])
nodes, steps, size, cores = sys.argv[3:7]
print("## Connect guide (issue 31)")
print()
print(f"Measured by `bash bench/connect_guide.sh` on {cores} cores, {datetime.date.today()}, release build:")
print("hyperfine's median wall time and mean CPU time (user + system), 41 runs at the limit, 5 for 100,000")
print("nodes. Both builds include the check. Goal: both ratios under 2.")
print()
print("| case | baseline | baseline wall / CPU (ms) | connect-guide wall / CPU (ms) | ratio wall / CPU |")
print("|------|----------|-------------------------:|------------------------------:|-----------------:|")
def row(case, baseline, pair, digits):
    (bw, bc), (gw, gc) = pair
    print(f"| {case} | {baseline} | {bw:.{digits}f} / {bc:.{digits}f} | {gw:.{digits}f} / {gc:.{digits}f} | "
          f"{gw / bw:.2f} / {gc / bc:.2f} |")
row(f"at the limit: {nodes} script nodes, {steps} flow actions, {int(size):,} bytes", "`build --emit json`", limit, 1)
row("100,000 nodes, refused (exit 1)", "`check`", huge, 0)
PY
