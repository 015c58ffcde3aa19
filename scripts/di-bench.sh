#!/usr/bin/env bash
# Data Integrity verification, side by side: `nansen_wallet::data_integrity::verify_credential`
# (in process, the wallet bench) against Digital Bazaar's JavaScript verifier (@digitalbazaar/vc
# with the eddsa-rdfc-2022 cryptosuite, versions pinned in scripts/di-bench/package-lock.json)
# on the same credential, on the same machine, one after the other.
#
#   bash scripts/di-bench.sh            # full wallet bench (about a minute), 5 s of JavaScript
#   NANSEN_BENCH_SMALL=1 bash scripts/di-bench.sh   # a quick look
#
# Needs Node.js 18 or later and npm (the packages are installed once, from the npm registry,
# into target/di-bench-js). Ends with `nansen-bench di_verify_over_js RATIO` (Rust rate over the
# JavaScript rate; issue 11's goal is at least 2).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "di-bench: $tool is not installed (Debian: apt-get install nodejs npm)" >&2
    exit 2
  fi
done

repo="$PWD"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
js="$target/di-bench-js"
mkdir -p "$js"
cp scripts/di-bench/package.json scripts/di-bench/package-lock.json scripts/di-bench/bench.mjs "$js/"
if ! (cd "$js" && npm ls --omit=dev >/dev/null 2>&1); then
  echo "di-bench: installing the reference verifier into $js" >&2
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error)
fi

credential="$js/credential.json"
rust_out="$js/wallet-bench.txt"
NANSEN_BENCH_DI_OUT="$credential" cargo bench -p wallet-cli --bench wallet | tee "$rust_out"
rust_rate=$(awk '$1 == "nansen-bench" && $2 == "di_verify_per_second" {print $3}' "$rust_out")

seconds=5
if [ -n "${NANSEN_BENCH_SMALL:-}" ]; then seconds=1; fi
js_line=$(cd "$js" && node bench.mjs "$credential" "$repo/wallet-cli/contexts" "$seconds")
echo "$js_line"
js_rate=$(echo "$js_line" | awk '{print $3}')

echo "Data Integrity verification (eddsa-rdfc-2022), one credential, one thread each:"
echo "  Rust, in process: $rust_rate /s; Digital Bazaar JavaScript (Node.js $(node --version)): $js_rate /s"
awk -v r="$rust_rate" -v j="$js_rate" 'BEGIN { printf "nansen-bench di_verify_over_js %.2f\n", r / j }'
