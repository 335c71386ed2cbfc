#!/usr/bin/env bash
# Runs crm-theft as N independent shards with GNU parallel, then verifies every part
# against its manifest and joins them into one CSV equal to the unsharded output.
set -euo pipefail
N=${N:-4}
OUT=${OUT:-data/crm-theft}
USERS=${USERS:-100000}
mkdir -p "$OUT"
seq 1 "$N" | parallel --halt now,fail=1 \
  npx scenario run scenarios/crm-theft.yaml --set actors.users.count="$USERS" \
  --shard {}/"$N" --workers 1 --out "$OUT/part-{}" --quiet
for i in $(seq 1 "$N"); do
  node -e '
    const m = require(process.argv[1] + "/manifest.json");
    for (const f of m.files) console.log(`${f.sha256}  ${process.argv[1]}/${f.file}`);
  ' "$OUT/part-$i" | sha256sum --check --quiet
done
for i in $(seq 1 "$N"); do cat "$OUT/part-$i/sessions.csv"; done > "$OUT/sessions.csv"
echo "joined $(($(wc -l < "$OUT/sessions.csv") - 1)) sessions into $OUT/sessions.csv"
