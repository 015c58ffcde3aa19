//! The published test vectors, copied under `tests/vectors/` with their SOURCE and LICENSE:
//! RFC 8785 JCS, did:key, W3C vc-di-eddsa (eddsa-rdfc-2022 and eddsa-jcs-2022) and the
//! reproducible Ed25519 SD-JWT set.

use std::fs;
use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey};
use nansen_wallet::context::context_loader_with;
use nansen_wallet::data_integrity;
use nansen_wallet::sd_jwt::{self, KeyBindingRequest};
use nansen_wallet::{did, jcs};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");

fn read(path: &str) -> String {
    fs::read_to_string(format!("{VECTORS}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_json(path: &str) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

// ---------------------------------------------------------------- RFC 8785 -----------------

#[test]
fn jcs_reproduces_every_rfc8785_output() {
    for name in [
        "arrays",
        "french",
        "structures",
        "unicode",
        "values",
        "weird",
    ] {
        let input: Value = serde_json::from_str(&read(&format!("jcs/input/{name}.json"))).unwrap();
        let want = fs::read(format!("{VECTORS}/jcs/output/{name}.json")).unwrap();
        let got = jcs::canonicalize(&input).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
            "{name}"
        );
        let outhex: String = read(&format!("jcs/outhex/{name}.txt"))
            .split_whitespace()
            .collect();
        assert_eq!(hex::encode(&got), outhex, "{name} (outhex)");
    }
}

// ---------------------------------------------------------------- did:key ------------------

#[test]
fn did_key_vectors_map_seed_to_did_and_back() {
    let vectors = read_json("did-key/ed25519-x25519.json");
    let vectors = vectors.as_object().unwrap();
    assert_eq!(vectors.len(), 5);
    for (did_str, v) in vectors {
        let seed: [u8; 32] = hex::decode(v["seed"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        assert_eq!(&did::did_key_from_seed(&seed), did_str);
        let public = did::public_key_from_did_key(did_str).unwrap();
        let pair = &v["verificationKeyPair"];
        if let Some(b58) = pair["publicKeyBase58"].as_str() {
            assert_eq!(bs58::encode(public).into_string(), b58);
        } else {
            let x = pair["publicKeyJwk"]["x"].as_str().unwrap();
            assert_eq!(URL_SAFE_NO_PAD.encode(public), x);
            let d = pair["privateKeyJwk"]["d"].as_str().unwrap();
            assert_eq!(URL_SAFE_NO_PAD.encode(seed), d);
        }
        assert_eq!(did::did_key_from_public_key(&public), *did_str);
        let vm = &v["didDocument"]["verificationMethod"][0]["id"];
        assert_eq!(
            did::verification_method(did_str).unwrap(),
            vm.as_str().unwrap()
        );
    }
}

// ---------------------------------------------------------------- vc-di-eddsa --------------

const DI: &str = "vc-di-eddsa/TestVectors";

/// The vectors' Multikey secret key: `z` base58btc of 0x80 0x26 + 32-byte seed.
fn vector_seed() -> [u8; 32] {
    let pair = read_json(&format!("{DI}/keyPair.json"));
    let secret = pair["privateKeyMultibase"].as_str().unwrap();
    let bytes = bs58::decode(&secret[1..]).into_vec().unwrap();
    assert_eq!(&bytes[..2], &[0x80, 0x26]);
    let seed: [u8; 32] = bytes[2..].try_into().unwrap();
    let public = pair["publicKeyMultibase"].as_str().unwrap();
    assert_eq!(
        did::public_key_multibase(&did::public_key_from_seed(&seed)),
        public
    );
    seed
}

fn text(path: &str) -> String {
    read(path).trim_end_matches('\n').to_owned()
}

#[test]
fn eddsa_jcs_2022_vector_reproduces_every_intermediate() {
    let seed = vector_seed();
    let unsigned = read_json(&format!("{DI}/unsigned.json"));
    let config = read_json(&format!("{DI}/eddsa-jcs-2022/proofConfigJCS.json"));

    let canon_doc = jcs::canonicalize(&unsigned).unwrap();
    assert_eq!(
        String::from_utf8(canon_doc.clone()).unwrap(),
        text(&format!("{DI}/eddsa-jcs-2022/canonDocJCS.txt"))
    );
    assert_eq!(
        sha256_hex(&canon_doc),
        text(&format!("{DI}/eddsa-jcs-2022/docHashJCS.txt"))
    );
    let canon_proof = jcs::canonicalize(&config).unwrap();
    assert_eq!(
        String::from_utf8(canon_proof.clone()).unwrap(),
        text(&format!("{DI}/eddsa-jcs-2022/proofCanonJCS.txt"))
    );
    assert_eq!(
        sha256_hex(&canon_proof),
        text(&format!("{DI}/eddsa-jcs-2022/proofHashJCS.txt"))
    );
    let hash_data = data_integrity::jcs_hash_data(&unsigned, &config).unwrap();
    assert_eq!(
        hex::encode(hash_data),
        text(&format!("{DI}/eddsa-jcs-2022/combinedHashJCS.txt"))
    );

    let signed = data_integrity::sign_jcs_with_options(
        &unsigned,
        config.as_object().unwrap().clone(),
        &seed,
    )
    .unwrap();
    let proof_value = signed["proof"]["proofValue"].as_str().unwrap();
    assert_eq!(
        proof_value,
        text(&format!("{DI}/eddsa-jcs-2022/sigBTC58JCS.txt"))
    );
    let sig = bs58::decode(&proof_value[1..]).into_vec().unwrap();
    assert_eq!(
        hex::encode(sig),
        text(&format!("{DI}/eddsa-jcs-2022/sigHexJCS.txt"))
    );
    assert_eq!(
        signed,
        read_json(&format!("{DI}/eddsa-jcs-2022/signedJCS.json"))
    );

    let public = did::public_key_from_seed(&seed);
    data_integrity::verify_jcs_signature(&signed, &public).unwrap();
    let mut tampered = signed.clone();
    tampered["credentialSubject"]["alumniOf"] = "Another School".into();
    assert!(data_integrity::verify_jcs_signature(&tampered, &public).is_err());
}

fn examples_loader() -> &'static ssi_json_ld::ContextLoader {
    static LOADER: std::sync::OnceLock<ssi_json_ld::ContextLoader> = std::sync::OnceLock::new();
    LOADER.get_or_init(|| {
        let examples = read("../../contexts/credentials-examples-v2.jsonld");
        context_loader_with(&[("https://www.w3.org/ns/credentials/examples/v2", &examples)])
            .unwrap()
    })
}

#[test]
fn eddsa_rdfc_2022_vector_reproduces_every_intermediate() {
    let seed = vector_seed();
    let dir = format!("{DI}/eddsa-rdfc-2022");
    let unsigned = read_json(&format!("{DI}/unsigned.json"));
    let loader = examples_loader();

    // Canonical document (RDFC-1.0 through ssi-rdf) and its hash.
    let lines = data_integrity::rdfc_canonical_document(&unsigned, loader).unwrap();
    let canon_doc: String = lines.concat();
    assert_eq!(canon_doc, read(&format!("{dir}/canonDocDataInt.txt")));
    assert_eq!(
        sha256_hex(canon_doc.as_bytes()),
        text(&format!("{dir}/docHashDataInt.txt"))
    );

    // Proof configuration hash, combined hash, signature.
    let canon_proof = read(&format!("{dir}/proofCanonDataInt.txt"));
    assert_eq!(
        sha256_hex(canon_proof.as_bytes()),
        text(&format!("{dir}/proofHashDataInt.txt"))
    );
    let combined = [
        Sha256::digest(canon_proof.as_bytes()),
        Sha256::digest(canon_doc.as_bytes()),
    ]
    .concat();
    assert_eq!(
        hex::encode(&combined),
        text(&format!("{dir}/combinedHashDataInt.txt"))
    );
    let signature = SigningKey::from_bytes(&seed).sign(&combined);
    assert_eq!(
        hex::encode(signature.to_bytes()),
        text(&format!("{dir}/sigHexDataInt.txt"))
    );

    // The whole signing pipeline yields the same proofValue and the same signed credential.
    let created = nansen_wallet::credential::parse_timestamp("2023-02-24T23:36:38Z").unwrap();
    let signed = data_integrity::sign_rdfc_with_loader(&unsigned, &seed, created, loader).unwrap();
    assert_eq!(
        signed["proof"]["proofValue"].as_str().unwrap(),
        text(&format!("{dir}/sigBTC58DataInt.txt"))
    );
    let published = read_json(&format!("{dir}/signedDataInt.json"));
    assert_eq!(signed, published);

    // The published credential verifies, and is rejected once altered.
    data_integrity::verify_rdfc_credential_signature(&published, created, loader).unwrap();
    let mut tampered = published.clone();
    tampered["credentialSubject"]["alumniOf"] = "Another School".into();
    assert!(data_integrity::verify_rdfc_credential_signature(&tampered, created, loader).is_err());
}

// ---------------------------------------------------------------- SD-JWT (Ed25519) ---------

const SD: &str = "sd-jwt/eddsa-generated";
const SD_CASES: [&str; 10] = [
    "ietf-arf-pid",
    "ietf-complex_ekyc",
    "ietf-simple",
    "pylib-array_recursive_sd_some_disclosed",
    "pylib-key_binding",
    "pylib-object_data_types",
    "pylib-recursions",
    "sd-jwt-vc-01",
    "sd-jwt-vc-02",
    "sd-jwt-vc-03-pid",
];
// From settings.yml: issuer = RFC 8032 TEST 1, holder = TEST 2.
const ISSUER_D: &str = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
const HOLDER_D: &str = "TM0Imyj_ltqdtsNG7BFOD1uKMZ81q6Yk2oz27U-4pvs";
const NONCE: &str = "1234567890";
const VERIFIER: &str = "https://example.com/verifier";
const IAT: i64 = 1_683_000_000;

fn seed_of(d: &str) -> [u8; 32] {
    URL_SAFE_NO_PAD.decode(d).unwrap().try_into().unwrap()
}

fn ed25519_sign_b64(seed: &[u8; 32], signing_input: &str) -> String {
    URL_SAFE_NO_PAD.encode(
        SigningKey::from_bytes(seed)
            .sign(signing_input.as_bytes())
            .to_bytes(),
    )
}

#[test]
fn sd_jwt_eddsa_vectors_verify_and_reveal_the_expected_claims() {
    let issuer_seed = seed_of(ISSUER_D);
    let holder_seed = seed_of(HOLDER_D);
    let issuer_public = did::public_key_from_seed(&issuer_seed);
    for case in SD_CASES {
        let dir = format!("{SD}/{case}");
        let issued = text(&format!("{dir}/sd_jwt_issuance.txt"));
        let presentation = text(&format!("{dir}/sd_jwt_presentation.txt"));
        let jws_part = text(&format!("{dir}/sd_jwt_jws_part.txt"));
        let expected: Map<String, Value> = read_json(&format!("{dir}/verified_contents.json"))
            .as_object()
            .unwrap()
            .clone();

        // The issuer JWT is the issued SD-JWT up to its first '~', and its Ed25519 signature
        // is reproduced byte for byte.
        assert_eq!(issued.split('~').next().unwrap(), jws_part, "{case}");
        let (signing_input, sig) = jws_part.rsplit_once('.').unwrap();
        assert_eq!(ed25519_sign_b64(&issuer_seed, signing_input), sig, "{case}");
        let payload: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(signing_input.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            payload,
            read_json(&format!("{dir}/sd_jwt_payload.json")),
            "{case}"
        );

        // The issued form verifies and reveals everything.
        sd_jwt::verify_issuer_part(&issued, &issuer_public, None, IAT)
            .unwrap_or_else(|e| panic!("{case}: {e}"));

        let has_kb = Path::new(&format!("{VECTORS}/{dir}/kb_jwt_serialized.txt")).exists();
        let revealed = if has_kb {
            let kb = text(&format!("{dir}/kb_jwt_serialized.txt"));
            assert!(presentation.ends_with(&kb), "{case}");
            let (kb_input, kb_sig) = kb.rsplit_once('.').unwrap();
            assert_eq!(
                ed25519_sign_b64(&holder_seed, kb_input),
                kb_sig,
                "{case}: KB-JWT signature"
            );
            let kb_payload = read_json(&format!("{dir}/kb_jwt_payload.json"));
            let before_kb = &presentation[..presentation.len() - kb.len()];
            assert_eq!(
                kb_payload["sd_hash"].as_str().unwrap(),
                URL_SAFE_NO_PAD.encode(Sha256::digest(before_kb.as_bytes())),
                "{case}: sd_hash"
            );
            let request = KeyBindingRequest {
                nonce: NONCE,
                audience: VERIFIER,
                now: IAT,
                max_age_secs: 300,
            };
            let revealed =
                sd_jwt::verify_with_issuer_key(&presentation, &issuer_public, None, &request)
                    .unwrap_or_else(|e| panic!("{case}: {e}"));
            let wrong = KeyBindingRequest {
                nonce: "0987654321",
                ..request
            };
            assert!(matches!(
                sd_jwt::verify_with_issuer_key(&presentation, &issuer_public, None, &wrong),
                Err(nansen_wallet::CredentialError::NonceMismatch)
            ));
            revealed
        } else {
            sd_jwt::verify_issuer_part(&presentation, &issuer_public, None, IAT)
                .unwrap_or_else(|e| panic!("{case}: {e}"))
        };
        assert_eq!(
            Value::Object(revealed),
            Value::Object(expected),
            "{case}: disclosed claims"
        );
    }
}

#[test]
fn sd_jwt_vector_with_another_issuer_key_is_rejected() {
    let other = did::public_key_from_seed(&[9; 32]);
    let issued = text(&format!("{SD}/sd-jwt-vc-01/sd_jwt_issuance.txt"));
    assert!(matches!(
        sd_jwt::verify_issuer_part(&issued, &other, Some("dc+sd-jwt"), IAT),
        Err(nansen_wallet::CredentialError::InvalidIssuerSignature)
    ));
}
