#!/usr/bin/env bash
# Coverage-guided fuzzing of the ledger core (cargo fuzz, libFuzzer): installs cargo-fuzz when
# it is missing, builds every target in fuzz/, replays its committed seed corpus and fuzzes it
# for a bounded time. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] (default 20).
#
# The machine's toolchain is stable; cargo fuzz needs nightly flags for its instrumentation,
# which RUSTC_BOOTSTRAP=1 allows for this build only. No sanitizer (-s none): the targets are
# safe Rust, so the checks are panics, assertions and libFuzzer's own limits (timeouts, memory).
# New inputs the fuzzer finds go to a scratch directory, never into fuzz/corpus; a crash is
# written to fuzz/artifacts/<target>/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --version 0.13.2 --locked
fi
export RUSTC_BOOTSTRAP=1
target_dir="${NANSEN_FUZZ_TARGET_DIR:-$PWD/target/fuzz}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd fuzz
cargo fuzz build -s none --target-dir "$target_dir"
for target in $(cargo fuzz list); do
  mkdir -p "$scratch/$target"
  echo "fuzz: $target, corpus replay then ${seconds}s" >&2
  status=0
  cargo fuzz run -s none --target-dir "$target_dir" "$target" \
    "$scratch/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -seed=20261207 -timeout=10 -rss_limit_mb=2048 \
    >"$scratch/$target.log" 2>&1 || status=$?
  grep -E "^(Done [0-9]+ runs|INFO: seed corpus)" "$scratch/$target.log" >&2 || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$scratch/$target.log" >&2
    echo "fuzz: $target failed (exit $status); a failing input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
echo "fuzz: every target replayed its corpus and ran ${seconds}s without a failure" >&2
