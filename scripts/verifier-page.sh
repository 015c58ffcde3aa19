#!/usr/bin/env bash
# Builds the browser verifier's WebAssembly module (crate nansen-verifier-wasm, profile
# wasm-release) and compares it with the committed verifier-page/assets/verifier.wasm,
# which nansen's `verifier-page` command puts in the folder it writes.
#   scripts/verifier-page.sh          check: fails when the committed module is not the one
#                                     this source builds (CI runs this)
#   scripts/verifier-page.sh --update write the built module over the committed one
# Installs the wasm32-unknown-unknown target first when it is missing. Paths of the cargo
# registry are remapped so that the module does not depend on where the sources sit.
set -euo pipefail
cd "$(dirname "$0")/.."
target=wasm32-unknown-unknown
if ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
fi
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export RUSTFLAGS="--remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$PWD=/nansen"
start=$(date +%s)
cargo build -p nansen-verifier-wasm --target "$target" --profile wasm-release --locked
dir=$(cargo metadata --format-version 1 --no-deps --locked \
    | grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)
built="$dir/$target/wasm-release/nansen_verifier_wasm.wasm"
committed=verifier-page/assets/verifier.wasm
echo "verifier-page: built in $(( $(date +%s) - start )) s: $(wc -c <"$built") bytes," \
    "$(gzip -9 -c "$built" | wc -c) gzip-compressed, sha256 $(sha256sum "$built" | cut -d' ' -f1)"
if [ "${1:-}" = "--update" ]; then
    cp "$built" "$committed"
    echo "verifier-page: $committed updated"
elif ! cmp -s "$built" "$committed"; then
    echo "verifier-page: $committed is not the module this source builds;" \
        "run scripts/verifier-page.sh --update and commit it" >&2
    exit 1
else
    echo "verifier-page: $committed is the module this source builds"
fi
