#!/usr/bin/env bash
# Starts N Nansen nodes on loopback (ports picked by the system), each
# bootstrapping to the first, with mDNS off; prints their API URLs; stops
# them when this script exits (Ctrl-C).
#
#   scripts/start-nodes.sh 3
#
# Uses $NANSEN_NODE if set, else <target>/release/nansen-node (built first
# with `cargo build --release -p node --bins`; CARGO_TARGET_DIR is honoured).
# Files go to a temporary directory (kept if NANSEN_KEEP=1).
set -euo pipefail

n="${1:-3}"
case "$n" in ''|*[!0-9]*) echo "usage: $0 N (number of nodes)" >&2; exit 2;; esac
[ "$n" -ge 1 ] || { echo "N must be at least 1" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${NANSEN_NODE:-}" ]; then
  target="${CARGO_TARGET_DIR:-$root/target}"
  case "$target" in /*) ;; *) target="$root/$target";; esac
  echo "building nansen-node (release) ..." >&2
  (cd "$root" && "${CARGO:-cargo}" build --release -p node --bins >&2)
  NANSEN_NODE="$target/release/nansen-node"
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/nansen-nodes-XXXXXX")"
export NANSEN_PASSPHRASE="${NANSEN_PASSPHRASE:-dev passphrase (start-nodes.sh)}"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${NANSEN_KEEP:-}" ]; then echo "files kept in $dir" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

keys=()
for i in 1 2 3; do
  keys+=(--governance-key "$("$NANSEN_NODE" key generate --kind governance --out "$dir/governance-$i.key" | awk '/^public key/ {print $3}')")
done
"$NANSEN_NODE" genesis create --name nansen-local --threshold 2 "${keys[@]}" --out "$dir/genesis.cbor" >&2

wait_info() { # data dir, pid
  for _ in $(seq 1 300); do
    [ -s "$1/node.json" ] && return 0
    kill -0 "$2" 2>/dev/null || { echo "node in $1 exited; see $1/node.log" >&2; return 1; }
    sleep 0.1
  done
  echo "node in $1 wrote no node.json" >&2; return 1
}
field() { # file, key -> first string value (or first listen address)
  tr -d '\n' < "$1" | sed -E "s/.*\"$2\": *\[? *\"([^\"]*)\".*/\1/"
}

boot=""
for i in $(seq 1 "$n"); do
  d="$dir/node-$i"; mkdir -p "$d"
  args=(run --data-dir "$d" --genesis "$dir/genesis.cbor" --listen /ip4/127.0.0.1/tcp/0
        --api-listen 127.0.0.1:0 --no-mdns --cosign-secs 2 --anti-entropy-secs 5)
  [ -n "$boot" ] && args+=(--bootstrap "$boot")
  "$NANSEN_NODE" "${args[@]}" >"$d/node.log" 2>&1 &
  pids+=($!)
  wait_info "$d" "$!"
  api="$(field "$d/node.json" api)"
  [ -z "$boot" ] && boot="$(field "$d/node.json" listen)"
  echo "node $i  api $api  data $d"
done
echo "genesis $dir/genesis.cbor; governance keys $dir/governance-{1,2,3}.key (threshold 2)"
echo "passphrase: \$NANSEN_PASSPHRASE=\"$NANSEN_PASSPHRASE\""
echo "try: $NANSEN_NODE status --node <api>;  Ctrl-C stops all nodes"
wait
