#!/usr/bin/env bash
# The test suite, all of it, from a fresh clone: what CI runs (.ci/run calls this script).
# Installs what is missing (cargo-audit, cargo-deny, cargo-fuzz from the package registry; the
# wasm32-unknown-unknown target with rustup; Debian's chromium and chromium-driver), then:
# formatting, the supply-chain gate, lints, the ledger core and the verifier in WebAssembly,
# every test of the workspace (the browser verifier's in headless Chromium among them), and a
# bounded fuzzing run.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# proptest cases from a fixed seed: a run is reproducible (NANSEN_FUZZ_RANDOM=1 and an unset
# seed explore fresh ones).
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261129}"
cargo fmt --all -- --check
# Supply chain: advisories (the snapshot in supply-chain/), licences, sources, crypto versions.
bash scripts/audit.sh
cargo clippy --workspace --all-targets --locked -- -D warnings
# The ledger core builds and runs for WebAssembly without sled (the pure-core check).
bash scripts/wasm-check.sh --locked
# The browser verifier's committed module is the one this source builds (specs/credentials.md 15.3).
bash scripts/verifier-page.sh
# Chromium and chromedriver for the browser verifier's test (wallet-cli/tests/browser.rs).
bash scripts/browser-setup.sh
cargo test --workspace --locked
# The unsound im / sized-chunks code (under the JSON-LD stack) stays out of the wallet binary
# that `cargo test` just built (specs/credentials.md 14.1); the JSON-LD code itself is there.
nansen_bin="${CARGO_TARGET_DIR:-target}/debug/nansen"
# The symbols are read whole first: `nm | grep -q` would fail under pipefail when grep stops early.
symbols="$(nm -C "$nansen_bin")"
if grep -qE '(^|[ <])(im|sized_chunks|bitmaps)::' <<<"$symbols"; then
  echo "test: $nansen_bin now holds code of im, sized_chunks or bitmaps (specs/credentials.md 14.1)" >&2
  exit 1
fi
if ! grep -qE '(^|[ <])json_ld_core::' <<<"$symbols"; then
  echo "test: the im check found no JSON-LD code in $nansen_bin" >&2
  exit 1
fi
bash scripts/fuzz.sh 20
