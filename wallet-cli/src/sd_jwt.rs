//! SD-JWT VC securing of a civil-status credential: issuance here, everything else
//! (presenting, verifying, the format's description) in [`nansen_verifier::sd_jwt`], the one
//! implementation the `nansen` binary and the browser verifier share.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

pub use nansen_verifier::sd_jwt::*;

use crate::credential::{id_to_urn, CredentialDraft};
use crate::did;
use crate::error::CredentialError;
use crate::event::CredentialKind as _;

/// Issues the SD-JWT VC form of a credential, signed with the registrar's seed at `now`.
pub fn issue(
    draft: &CredentialDraft<'_>,
    seed: &[u8; 32],
    now: i64,
) -> Result<String, CredentialError> {
    let issuer_did = did::did_key_from_seed(seed);
    if issuer_did != draft.issuer_did {
        return Err(CredentialError::VerificationMethodMismatch {
            method: issuer_did,
            expected_controller: draft.issuer_did.to_owned(),
        });
    }
    let holder_key = did::public_key_from_did_key(draft.holder_did)?;
    let mut claims = Map::new();
    claims.insert("iss".into(), issuer_did.clone().into());
    claims.insert("iat".into(), now.into());
    claims.insert("nbf".into(), draft.valid_from.into());
    claims.insert("vct".into(), draft.claims.kind().vct().into());
    claims.insert("jti".into(), id_to_urn(&draft.id).into());
    claims.insert("sub".into(), draft.holder_did.into());
    claims.insert(
        "cnf".into(),
        json!({ "jwk": ed25519_public_jwk(&holder_key) }),
    );
    // Every event claim becomes a disclosure `[salt, name, value]` and a digest in `_sd`.
    let mut digests = Vec::new();
    let mut disclosures = Vec::new();
    for (name, value) in draft.claims.iter() {
        claims.remove(name);
        let mut salt = [0u8; SALT_BYTES];
        getrandom::fill(&mut salt).map_err(|_| CredentialError::Randomness)?;
        let disclosure = json!([URL_SAFE_NO_PAD.encode(salt), name, value]).to_string();
        let disclosure = URL_SAFE_NO_PAD.encode(disclosure);
        digests.push(sha256_b64(&disclosure));
        disclosures.push(disclosure);
    }
    // Digests in sorted order, so their position says nothing about which claim they hide.
    digests.sort();
    claims.insert(
        "_sd".into(),
        Value::Array(digests.into_iter().map(Value::String).collect()),
    );
    // `_sd_alg` first, then the claims (never empty: `iss` is one).
    let claims =
        serde_json::to_string(&claims).map_err(|e| CredentialError::Signing(e.to_string()))?;
    let payload = format!("{{\"_sd_alg\":\"{SD_ALG}\",{}", &claims[1..]);
    let kid = did::verification_method(&issuer_did)?;
    let mut out = sign_jws(SD_JWT_VC_TYP, Some(&kid), &payload, seed)?;
    out.push('~');
    for disclosure in &disclosures {
        out.push_str(disclosure);
        out.push('~');
    }
    Ok(out)
}
