#!/usr/bin/env bash
# Benchmarks `defuse strings extract` and `merge` on one generated 10,000-node script (issue 32:
# extract + merge under 1 s) and prints the figures for docs/performance.md.
#
#   bash bench/strings.sh            # NODES=10000 RUNS=5 by default
#
# Cases: extract (templates written), merge creating two POs (es, fr), a merge with nothing to
# do, and a merge of two fully translated POs after a tenth of the source lines were reworded
# (fuzzy matching at its busiest). Median wall and CPU time of RUNS runs, peak resident set
# size. Needs GNU time and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
cargo build --release --quiet --bin defuse --example gen_corpus
defuse=$PWD/target/release/defuse
nodes=${NODES:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

target/release/examples/gen_corpus --scripts 1 --nodes "$nodes" --out "$work/project/scripts" >/dev/null
printf '[locales]\ntargets = ["es", "fr"]\n' > "$work/project/defuse.toml"
cd "$work/project"
script=$(find scripts -name '*.defuse' -not -path '*/lib/*' | head -1)
echo "script: $(wc -l < "$script") lines, $(grep -cE '^  [a-z-]+ [a-z_0-9]+ \{' "$script") nodes"

measure() { # measure LABEL SETUP COMMAND...: median wall time and peak RSS of RUNS runs
  local label=$1 setup=$2; shift 2
  local times=() cpus=() peaks=() wall user sys peak
  for _ in $(seq "${RUNS:-5}"); do
    eval "$setup"
    /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" >/dev/null 2>&1
    read -r wall user sys peak < <(tail -1 "$work/time")
    times+=("$wall"); cpus+=("$(printf '%.2f' "$(echo "$user + $sys" | bc)")"); peaks+=("$peak")
  done
  local middle=$(((${#times[@]} + 1) / 2))
  wall=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "${middle}p")
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${middle}p")
  peak=$(printf '%s\n' "${peaks[@]}" | sort -n | tail -1)
  printf '| %s | %s s | %s s | %s MB |\n' "$label" "$wall" "$cpu" "$((peak / 1024))"
}

echo "| case | wall (median) | CPU, user + sys (median) | peak RSS |"
echo "|---|---|---|---|"
measure "extract (write the POT)" "rm -rf locales" "$defuse" strings extract
measure "merge, creating es and fr" "rm -rf locales/es locales/fr" "$defuse" strings merge
measure "merge, nothing to do" "" "$defuse" strings merge
# Every line translated (the msgstr is the msgid), then a tenth of the sentences reworded.
for po in locales/es/*.po locales/fr/*.po; do
  python3 - "$po" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
def fill(block):
    m = re.search(r'^msgid (".*")\nmsgstr ""$', block, re.M)
    if not m or m.group(1) == '""':
        return block
    return block[: m.end() - 2] + m.group(1)
open(path, "w", encoding="utf-8").write("\n\n".join(fill(b) for b in text.split("\n\n")))
PY
done
cp -r locales "$work/translated"
cp "$script" "$work/source.defuse"
awk 'NR % 10 == 0 { sub(/ask "/, "ask \"So, ") } { print }' "$work/source.defuse" > "$script"
measure "merge of 2 translated POs, 10% reworded" "rm -rf locales; cp -r '$work/translated' locales" "$defuse" strings merge
measure "extract + merge (both locales), 10% reworded" "rm -rf locales; cp -r '$work/translated' locales" sh -c "'$defuse' strings extract && '$defuse' strings merge"
