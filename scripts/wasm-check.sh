#!/usr/bin/env bash
# Builds the ledger's pure core (no default features: no sled, no threads,
# no OS randomness) and the verifier core built on it (nansen-verifier, what
# the browser verifier runs) and the QR finder and encoder (nansen-qr, which the page runs
# too) for WebAssembly, the check that they stay pure; then
# builds the smoke module (ledger/examples/wasm_smoke.rs) and, when Node.js
# is installed, runs it: the core must compute the pinned Merkle root in
# WebAssembly too (scripts/wasm-smoke.mjs).
# Installs the wasm32-unknown-unknown target first when it is missing.
# Extra arguments go to cargo (e.g. --locked, --release).
set -euo pipefail
cd "$(dirname "$0")/.."
target=wasm32-unknown-unknown
if ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
fi
cargo build -p ledger --no-default-features --target "$target" "$@"
cargo build -p nansen-verifier --target "$target" "$@"
cargo build -p nansen-qr --target "$target" "$@"
cargo build -p ledger --no-default-features --target "$target" --example wasm_smoke "$@"
if command -v node >/dev/null; then
    profile=debug
    for arg in "$@"; do
        if [ "$arg" = "--release" ]; then profile=release; fi
    done
    dir=$(cargo metadata --format-version 1 --no-deps | node -e '
        let s = ""; process.stdin.on("data", d => s += d)
            .on("end", () => console.log(JSON.parse(s).target_directory));')
    node scripts/wasm-smoke.mjs "$dir/$target/$profile/examples/wasm_smoke.wasm"
else
    echo "wasm-check: Node.js not found, the smoke module was built but not run" >&2
fi
