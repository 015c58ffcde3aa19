#!/usr/bin/env bash
# Builds the ledger's pure core (no default features: no sled, no threads,
# no OS randomness) for WebAssembly, the check that it stays pure.
# Installs the wasm32-unknown-unknown target first when it is missing.
# Extra arguments go to cargo (e.g. --locked, --release).
set -euo pipefail
cd "$(dirname "$0")/.."
target=wasm32-unknown-unknown
if ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
fi
cargo build -p ledger --no-default-features --target "$target" "$@"
