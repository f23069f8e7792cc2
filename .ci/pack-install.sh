#!/usr/bin/env bash
# The npm package installs and mines: pack the built tree, install the tarball globally into a
# temporary prefix (dependencies from the registry, native modules built by their install
# scripts), run the installed `hashdeck` on the built-in emulator for 5 s and check its summary
# line. Run after `npm run build` (CI: .ci/run, before npm test).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/pack"

test -s out/main/cli.js || { echo "pack-install: out/main/cli.js is missing; run npm run build first"; exit 1; }
tarball=$(npm pack --silent --pack-destination "$tmp/pack" | tail -n 1)
echo "packed $tarball ($(du -k "$tmp/pack/$tarball" | cut -f1) KiB)"

npm install -g --prefix "$tmp" --no-audit --no-fund --loglevel=error "$tmp/pack/$tarball"

"$tmp/bin/hashdeck" mine --device emulator:1 --duration 5 --json --data-dir "$tmp/data" > "$tmp/mine.jsonl"

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
let s;
try { s = JSON.parse(lines.at(-1)); } catch { console.error("pack-install: the last line is not JSON:", lines.at(-1)); process.exit(1); }
const problems = [];
if (s.type !== "summary") problems.push(`type is ${s.type}, not summary`);
if (!(s.validNonces > 0)) problems.push(`validNonces is ${s.validNonces}`);
if (s.hwErrors !== 0) problems.push(`hwErrors is ${s.hwErrors}`);
if (problems.length > 0) { console.error("pack-install: bad summary:", problems.join("; "), "\n" + lines.join("\n")); process.exit(1); }
console.log(`installed hashdeck mined: ${s.validNonces} valid nonces, ${s.hwErrors} hardware errors in ${s.durationS} s`);
' "$tmp/mine.jsonl"

echo "pack-install passed in $(( $(date +%s) - started )) s"
