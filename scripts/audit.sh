#!/usr/bin/env bash
# The supply-chain gate: advisories against the RustSec snapshot the repository carries,
# licences and sources (cargo-deny, deny.toml), and crypto crates in one version unless a
# second is listed with its reason (supply-chain/crypto-duplicates.txt). Installs cargo-audit
# and cargo-deny when they are missing; fetches nothing else. Any finding fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
install() { # tool version
  if ! cargo "${1#cargo-}" --version >/dev/null 2>&1; then
    echo "audit: installing $1 $2" >&2
    cargo install "$1" --version "$2" --locked
  fi
}
install cargo-audit 0.22.2
install cargo-deny 0.20.2

# 1. Advisories: vulnerabilities, and every warning (unmaintained, unsound, yanked) unless
#    .cargo/audit.toml lists it with its reason.
cargo audit --db supply-chain/advisory-db --no-fetch --deny warnings

# 2. Licences (an allow-list) and sources (the default registry only).
cargo deny --workspace --offline check licenses sources bans

# 3. One version of each crypto crate, or a listed reason for a second.
crypto='^(aead|aes|aes-gcm|argon2|blake2|blake3|block-buffer|chacha20|chacha20poly1305|cipher|crypto-bigint|crypto-common|curve25519-dalek|der|digest|ecdsa|ed25519|ed25519-dalek|elliptic-curve|getrandom|hkdf|hmac|k256|p256|p384|pbkdf2|pkcs8|poly1305|rand|rand_core|ring|scrypt|sha1|sha2|sha3|signature|spki|subtle|universal-hash|x25519-dalek|zeroize)$'
found=0
duplicates=$(awk '/^name = /{n=$3} /^version = /{v=$3; gsub(/"/,"",n); gsub(/"/,"",v); print n, v}' Cargo.lock \
  | sort -u -k1,1 -k2,2V \
  | awk '{v[$1] = v[$1] " " $2; c[$1]++} END {for (k in c) if (c[k] > 1) print k v[k]}' | sort)
while read -r name versions; do
  [[ -n "$name" && "$name" =~ $crypto ]] || continue
  listed=$(awk -v n="$name" '$1 == n { sub(/ :.*/, ""); $1 = ""; print }' \
    supply-chain/crypto-duplicates.txt | xargs)
  if [ "$listed" != "$versions" ]; then
    echo "audit: $name is in versions $versions; supply-chain/crypto-duplicates.txt lists: ${listed:-none}" >&2
    found=1
  fi
done <<< "$duplicates"
# Listed duplicates that no longer exist are stale reasons: remove them.
while read -r name _; do
  [ -z "$name" ] && continue
  count=$(grep -c "^name = \"$name\"$" Cargo.lock || true)
  if [ "$count" -le 1 ]; then
    echo "audit: supply-chain/crypto-duplicates.txt lists $name, now in one version: remove the line" >&2
    found=1
  fi
done < <(grep -v '^#' supply-chain/crypto-duplicates.txt | awk 'NF {print $1}')
if [ "$found" -ne 0 ]; then exit 1; fi
echo "audit: advisories, licences, sources and crypto versions pass" >&2
