//! RFC 8032 and Wycheproof Ed25519 vectors through the ledger's signature
//! path: key derivation, signing, strict verification, and batch
//! verification (`verify_many`), which must agree with strict verification
//! on every case.

use ledger::signing::{verify_many, verify_strict_raw, KeyPair, SignatureCheck};
use ledger::types::{PublicKeyBytes, SignatureBytes};
use serde_json::Value;

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(path).expect("vector file");
    serde_json::from_str(&text).expect("vector JSON")
}

fn hex32(v: &Value) -> Option<[u8; 32]> {
    hex::decode(v.as_str()?).ok()?.try_into().ok()
}

#[test]
fn rfc8032_vectors_derive_sign_and_verify() {
    let doc = load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/rfc8032/rfc8032_7.1_ed25519.json"
    ));
    let vectors = doc["vectors"].as_array().expect("vectors");
    assert_eq!(vectors.len(), 5);
    for v in vectors {
        let seed = hex32(&v["secretKey"]).expect("seed");
        let public = hex32(&v["publicKey"]).expect("public key");
        let message = hex::decode(v["message"].as_str().expect("message")).expect("hex");
        let signature = hex::decode(v["signature"].as_str().expect("signature")).expect("hex");
        let key = KeyPair::from_seed(&seed);
        assert_eq!(key.public().0, public, "{}", v["name"]);
        let signed = key.sign_raw(&message);
        assert_eq!(signed.0.to_vec(), signature, "{}", v["name"]);
        assert_eq!(
            verify_strict_raw(&PublicKeyBytes(public), &message, &signed),
            Ok(())
        );
    }
}

struct Case {
    id: u64,
    key: Option<[u8; 32]>,
    message: Vec<u8>,
    signature: Option<[u8; 64]>,
    valid: bool,
}

fn wycheproof_cases() -> Vec<Case> {
    let doc = load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/wycheproof/ed25519_test.json"
    ));
    let mut cases = Vec::new();
    for group in doc["testGroups"].as_array().expect("groups") {
        let key = hex32(&group["publicKey"]["pk"]);
        for t in group["tests"].as_array().expect("tests") {
            let result = t["result"].as_str().expect("result");
            assert_ne!(
                result, "acceptable",
                "no 'acceptable' cases expected for Ed25519"
            );
            cases.push(Case {
                id: t["tcId"].as_u64().expect("id"),
                key,
                message: hex::decode(t["msg"].as_str().expect("msg")).expect("hex"),
                signature: hex::decode(t["sig"].as_str().expect("sig"))
                    .ok()
                    .and_then(|s| s.try_into().ok()),
                valid: result == "valid",
            });
        }
    }
    cases
}

#[test]
fn wycheproof_results_match_strict_verification_exactly() {
    let cases = wycheproof_cases();
    assert_eq!(cases.len(), 151);
    for c in &cases {
        let verdict = match (c.key, c.signature) {
            (Some(k), Some(s)) => {
                verify_strict_raw(&PublicKeyBytes(k), &c.message, &SignatureBytes(s)).is_ok()
            }
            _ => false,
        };
        assert_eq!(verdict, c.valid, "tcId {}", c.id);
    }
}

#[test]
fn batch_verification_agrees_with_strict_on_every_wycheproof_case() {
    let cases = wycheproof_cases();
    let usable: Vec<&Case> = cases
        .iter()
        .filter(|c| c.key.is_some() && c.signature.is_some())
        .collect();
    let checks: Vec<SignatureCheck<'_>> = usable
        .iter()
        .map(|c| SignatureCheck {
            key: PublicKeyBytes(c.key.unwrap_or_default()),
            domain: b"",
            message: &c.message,
            signature: SignatureBytes(c.signature.unwrap_or([0; 64])),
        })
        .collect();
    // All together (mixed valid and invalid), and each valid one in an
    // all-valid batch.
    let verdicts = verify_many(&checks);
    for (c, v) in usable.iter().zip(&verdicts) {
        assert_eq!(*v, c.valid, "tcId {} in a mixed batch", c.id);
    }
    let valid: Vec<SignatureCheck<'_>> = usable
        .iter()
        .zip(&checks)
        .filter(|(c, _)| c.valid)
        .map(|(_, s)| s.clone())
        .collect();
    assert!(verify_many(&valid).iter().all(|v| *v));
}

/// A key holder can make a signature whose `R` carries a small-order
/// component: cofactored or randomised batch equations may accept it, strict
/// verification does not. `verify_many` must refuse it, in any batch.
#[test]
fn batch_verification_refuses_mixed_order_r_like_strict_does() {
    use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
    use curve25519_dalek::scalar::Scalar;
    use sha2::{Digest, Sha512};

    let seed = [42u8; 32];
    let key = KeyPair::from_seed(&seed);
    let expanded = Sha512::digest(seed);
    let mut a_bytes: [u8; 32] = expanded[..32].try_into().expect("32 bytes");
    a_bytes[0] &= 248;
    a_bytes[31] &= 127;
    a_bytes[31] |= 64;
    let a = Scalar::from_bytes_mod_order(a_bytes);
    let message = b"mixed-order R";
    let r = Scalar::from_bytes_mod_order([7u8; 32]);
    let big_r = (ED25519_BASEPOINT_POINT * r + EIGHT_TORSION[1]).compress();
    let k = Scalar::from_bytes_mod_order_wide(
        &Sha512::new()
            .chain_update(big_r.as_bytes())
            .chain_update(key.public().0)
            .chain_update(message)
            .finalize()
            .into(),
    );
    let s = r + k * a;
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(big_r.as_bytes());
    sig[32..].copy_from_slice(s.as_bytes());
    let forged = SignatureCheck {
        key: key.public(),
        domain: b"",
        message,
        signature: SignatureBytes(sig),
    };
    assert!(verify_strict_raw(&key.public(), message, &forged.signature).is_err());
    // The cofactored equation holds: the signature is "valid" to a lax verifier.
    let honest: Vec<Vec<u8>> = (0..63u8).map(|i| vec![i]).collect();
    let mut batch: Vec<SignatureCheck<'_>> = honest
        .iter()
        .map(|m| SignatureCheck {
            key: key.public(),
            domain: b"",
            message: m,
            signature: key.sign_raw(m),
        })
        .collect();
    batch.push(forged);
    let verdicts = verify_many(&batch);
    assert!(verdicts[..63].iter().all(|v| *v));
    assert!(
        !verdicts[63],
        "mixed-order R accepted by batch verification"
    );
}
