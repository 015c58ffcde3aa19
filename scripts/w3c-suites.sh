#!/usr/bin/env bash
# Runs the W3C vc-di-eddsa and VC Data Model 2.0 test suites against `nansen serve-vc-api`
# and prints passed / failed / pending per suite (specs/credentials.md §13 has the results).
#
#   scripts/w3c-suites.sh [WORKDIR]        (default WORKDIR: ./target/w3c-suites)
#
# Needs git, node >= 18, npm (the npm registry must be reachable), openssl. Not part of CI:
# it fetches the suites (pinned commits below) from GitHub, or from $W3C_SOURCES/<repo> when
# that directory holds local clones. Uses $NANSEN if set, else <target>/release/nansen (built
# first with `cargo build --release -p wallet-cli`). A fresh registrar seed is made for each
# run. Per-suite mocha JSON reports are left in WORKDIR/{eddsa,vcdm2}.json.
#
# How the suites are wired (nothing in their test code is changed):
# - their `github:` dependencies (vc-test-suite-implementations,
#   data-integrity-test-suite-assertion) are replaced by `file:` copies of the same pinned
#   repositories and installed with `npm install --install-links`;
# - `localConfig.cjs` (the suites' local-implementation mechanism, read by
#   vc-test-suite-implementations) declares one implementation, "Nansen", with the issuer,
#   verifier and presentation-verifier endpoints tagged vc2.0 / eddsa-rdfc-2022 /
#   eddsa-jcs-2022, and `settings.testAllImplementations = false` so no public
#   implementation is contacted;
# - the endpoints are reached over HTTPS through a small forwarder (self-signed certificate)
#   because the VCDM 2.0 suite only unwraps the VC API's `{verifiableCredential}` issue
#   response on its HTTPS code path (the path every public implementation uses).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$root/target/w3c-suites}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

repos=(
  "w3c/vc-di-eddsa-test-suite a62061b23892deb44dbad67a0315d403fdf09440"
  "w3c/vc-data-model-2.0-test-suite 6e075243825f50c79017de4a27089d329c093d0f"
  "w3c/vc-test-suite-implementations a15c6cf73e588f93a5b532a02c051ad7b59777ab"
  "w3c-ccg/data-integrity-test-suite-assertion 8d84d182f022f02049135f7d1ad3d5d0181e5560"
)
for entry in "${repos[@]}"; do
  set -- $entry
  name="${1#*/}"
  if [ ! -d "$work/$name/.git" ]; then
    src="https://github.com/$1.git"
    [ -n "${W3C_SOURCES:-}" ] && [ -d "$W3C_SOURCES/$name" ] && src="$W3C_SOURCES/$name"
    git clone -q "$src" "$work/$name"
  fi
  git -C "$work/$name" checkout -q "$2"
done

for suite in vc-di-eddsa-test-suite vc-data-model-2.0-test-suite; do
  (
    cd "$work/$suite"
    git checkout -q package.json
    node -e '
      const fs = require("fs");
      const p = JSON.parse(fs.readFileSync("package.json"));
      for(const [k, v] of Object.entries(p.dependencies)) {
        if(v.startsWith("github:")) p.dependencies[k] = "file:../" + v.split("/")[1];
      }
      delete p.devDependencies;
      fs.writeFileSync("package.json", JSON.stringify(p, null, 2));'
    [ -d node_modules ] || npm install --install-links --no-audit --no-fund >/dev/null
    cat > localConfig.cjs <<'EOF'
// `nansen serve-vc-api` as the only implementation (written by scripts/w3c-suites.sh).
const baseUrl = process.env.NANSEN_URL;
const id = process.env.NANSEN_ISSUER;
module.exports = {
  settings: {enableInteropTests: false, testAllImplementations: false},
  implementations: [{
    name: 'Nansen',
    implementation: 'nansen serve-vc-api',
    issuers: [{
      id, endpoint: `${baseUrl}/credentials/issue`, supports: {vc: ['2.0']},
      options: {cryptosuite: 'eddsa-rdfc-2022'},
      tags: ['vc2.0', 'eddsa-rdfc-2022', 'localhost']
    }, {
      id, endpoint: `${baseUrl}/credentials/issue`, supports: {vc: ['2.0']},
      options: {cryptosuite: 'eddsa-jcs-2022'},
      tags: ['eddsa-jcs-2022', 'localhost']
    }],
    verifiers: [{
      id, endpoint: `${baseUrl}/credentials/verify`, supports: {vc: ['2.0']},
      tags: ['vc2.0', 'eddsa-rdfc-2022', 'eddsa-jcs-2022', 'localhost']
    }],
    vpVerifiers: [{
      id, endpoint: `${baseUrl}/presentations/verify`, supports: {vc: ['2.0']},
      tags: ['vc2.0', 'localhost']
    }]
  }]
};
EOF
  )
done

cat > "$work/tls-forwarder.mjs" <<'EOF'
// HTTPS -> HTTP forwarder: node tls-forwarder.mjs KEY CERT UPSTREAM_URL
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
const [key, cert, upstream] = process.argv.slice(2);
const up = new URL(upstream);
const server = https.createServer(
  {key: fs.readFileSync(key), cert: fs.readFileSync(cert)}, (req, res) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fwd = http.request({
        host: up.hostname, port: up.port, path: req.url, method: req.method,
        headers: {'content-type': 'application/json', accept: 'application/json',
          'content-length': body.length}
      }, r => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      fwd.on('error', e => {
        res.writeHead(502);
        res.end(String(e));
      });
      fwd.end(body);
    });
  });
server.listen(0, '127.0.0.1',
  () => console.log(`listening on https://127.0.0.1:${server.address().port}`));
EOF
[ -f "$work/tls-key.pem" ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
  -nodes -keyout "$work/tls-key.pem" -out "$work/tls-cert.pem" -days 3650 \
  -subj /CN=127.0.0.1 2>/dev/null

if [ -z "${NANSEN:-}" ]; then
  target="${CARGO_TARGET_DIR:-$root/target}"
  case "$target" in /*) ;; *) target="$root/$target";; esac
  (cd "$root" && cargo build --release -p wallet-cli)
  NANSEN="$target/release/nansen"
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
umask 077
openssl rand -hex 32 > "$work/registrar.hex"
"$NANSEN" serve-vc-api --registrar-key "$work/registrar.hex" --listen 127.0.0.1:0 \
  > "$work/server.out" 2> "$work/server.err" &
pids+=($!)
for _ in $(seq 50); do grep -q '^issuer=' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
addr="$(sed -n 's#^listening on http://##p' "$work/server.out")"
issuer="$(sed -n 's#^issuer=##p' "$work/server.out")"
[ -n "$addr" ] && [ -n "$issuer" ] || { cat "$work/server.err" >&2; exit 1; }
node "$work/tls-forwarder.mjs" "$work/tls-key.pem" "$work/tls-cert.pem" "http://$addr" \
  > "$work/forwarder.out" &
pids+=($!)
for _ in $(seq 50); do grep -q '^listening' "$work/forwarder.out" 2>/dev/null && break; sleep 0.1; done
export NANSEN_URL="$(sed -n 's#^listening on ##p' "$work/forwarder.out")" NANSEN_ISSUER="$issuer"
echo "nansen serve-vc-api on http://$addr (via $NANSEN_URL), issuer $issuer"

status=0
for pair in "eddsa vc-di-eddsa-test-suite" "vcdm2 vc-data-model-2.0-test-suite"; do
  set -- $pair
  (cd "$work/$2" && npx mocha tests/ --timeout 15000 --preserve-symlinks --reporter json \
    > "$work/$1.json" 2> "$work/$1.err") || true
  node -e '
    const r = require(process.argv[1]);
    const s = r.stats;
    console.log(`${process.argv[2]}: ${s.tests} tests, ${s.passes} passed, ` +
      `${s.failures} failed, ${s.pending} pending`);
    for(const t of r.failures) {
      console.log(`  FAIL ${t.fullTitle}\n       ${t.err.message.split("\n")[0]}`);
    }
    process.exit(s.failures ? 1 : 0);' "$work/$1.json" "$2" || status=1
done
exit "$status"
