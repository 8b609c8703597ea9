#!/usr/bin/env bash
# What two target locales cost `defuse check` over the example scripts (issue 32: at most 1.5×
# `check` without locales). Prints one line per case; docs/performance.md has the figures.
#
#   bash bench/locales.sh
#
# The translations are made by `defuse strings merge` and filled with each line's own text, so
# every line of both locales is a used translation and every per-locale rule reads every line:
# the most work a locale can cost. Needs hyperfine (installed from Debian's packages when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq hyperfine >/dev/null
fi
cargo build --release --quiet --bin defuse
defuse=$PWD/target/release/defuse
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp -r scripts "$work/project"
cd "$work/project"
rm -rf tests
printf '[locales]\ntargets = ["es", "fr"]\n' > defuse.toml
"$defuse" strings merge . >/dev/null 2>&1
# Each empty msgstr of an entry gets its msgid: a translation that is used, and as long as the source.
python3 - <<'EOF'
import pathlib, re
for po in pathlib.Path("locales").glob("*/*.po"):
    text = po.read_text()
    text = re.sub(r'(msgid "(.*)"\n)msgstr ""\n', lambda m: m.group(1) + 'msgstr "' + m.group(2) + '"\n' if m.group(2) else m.group(0), text)
    po.write_text(text)
EOF
"$defuse" check . --locale es --locale fr >/dev/null || true
lines=$(cat locales/es/*.po | grep -c '^msgstr "[^"]')
echo "example scripts: $(ls ./*.defuse lib/*.defuse | wc -l) files, $lines translated lines per locale"
hyperfine -i --warmup 3 --runs 21 --style none --export-json "$work/times.json" \
  -n "check, no locale" "$defuse check . --locale none" \
  -n "check, es and fr" "$defuse check ." >/dev/null 2>&1 || true
python3 - "$work/times.json" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
for result in results:
    print(f'{result["command"]}: {result["median"] * 1000:.1f} ms median ({result["median"] / base:.2f}×)')
EOF
