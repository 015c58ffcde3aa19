// Digital Bazaar's JavaScript verifier (@digitalbazaar/vc with the eddsa-rdfc-2022
// cryptosuite) timed on one credential: the reference stack that issue 11 compares
// `nansen_wallet::data_integrity::verify_credential` with. Run by scripts/di-bench.sh:
//
//   node bench.mjs CREDENTIAL.json CONTEXTS_DIR SECONDS
//
// The document loader serves the project's bundled contexts (wallet-cli/contexts) and
// did:key documents, nothing from the network, as the Rust verifier does. Prints
// `js-bench di_verify_per_second N`.

import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as didKey from '@digitalbazaar/did-method-key';

const [credentialPath, contextsDir, secondsText] = process.argv.slice(2);
const credential = JSON.parse(readFileSync(credentialPath, 'utf8'));
const seconds = Number(secondsText || '3');

// URL -> file, as wallet-cli/src/context.rs bundles them.
const CONTEXTS = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
  'https://w3id.org/nansen/civil-status/v1': 'civil-status-v1.jsonld',
};
const contexts = new Map(Object.entries(CONTEXTS).map(
  ([url, file]) => [url, JSON.parse(readFileSync(join(contextsDir, file), 'utf8'))]));

const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

async function documentLoader(url) {
  if (contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if (url.startsWith('did:key:')) {
    const document = await didKeyDriver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`document not bundled: ${url}`);
}

const suite = new DataIntegrityProof({cryptosuite});
// The credential's validFrom is the issuance time; check it an hour later.
const now = new Date(Date.parse(credential.validFrom) + 3_600_000);

async function verifyOnce() {
  const result = await vc.verifyCredential({credential, suite, documentLoader, now});
  if (!result.verified) {
    throw new Error('the reference verifier refused the credential: ' +
      JSON.stringify(result.error ?? result, null, 1).slice(0, 2000));
  }
}

// Warm up (the reference caches processed contexts across calls), then count for `seconds`.
for (let i = 0; i < 20; i++) await verifyOnce();
let count = 0;
const start = process.hrtime.bigint();
const limit = BigInt(Math.round(seconds * 1e9));
while (process.hrtime.bigint() - start < limit) {
  await verifyOnce();
  count++;
}
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`js-bench di_verify_per_second ${(count / elapsed).toFixed(0)}`);
