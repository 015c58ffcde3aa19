//! SD-JWT VC securing of a civil-status credential, through `ssi-sd-jwt`.
//!
//! Media type: `dc+sd-jwt` (the `typ` of the issuer JWT). The IETF SD-JWT VC draft moved from
//! `vc+sd-jwt` to `dc+sd-jwt` because `vc+sd-jwt` is registered by the W3C for securing
//! JSON-LD VCs with SD-JWT, a different payload shape; the published vectors use `dc+sd-jwt`.
//!
//! Issuer JWT payload: `iss` (registrar did:key), `iat`, `nbf` (= `validFrom`), `vct`, `jti`
//! (credential id), `sub` (holder did:key), `cnf.jwk` (holder's Ed25519 key), `_sd_alg`
//! `sha-256`, and one `_sd` digest per event claim: every event claim is selectively
//! disclosable. Header: `alg` `EdDSA`, `typ` `dc+sd-jwt`, `kid` = the registrar's did:key
//! verification method.
//!
//! A presentation is `<issuer JWT>~<chosen disclosures>~...~<KB-JWT>`, the KB-JWT signed by
//! the `cnf` key with `nonce` (the verifier's challenge), `aud` (the verifier), `iat` and
//! `sd_hash` (SHA-256 of everything before the KB-JWT).

use crate::event::CredentialKind as _;
use std::borrow::Cow;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use ssi_claims_core::{Invalid, VerificationParameters};
use ssi_jwk::JWK;
use ssi_jws::JwsPayload;
use ssi_sd_jwt::{JsonPointerBuf, KbJwtPayload, SdAlg, SdJwt, SdJwtBuf, SdJwtPayload};

use crate::credential::{id_from_urn, id_to_urn, CredentialDraft};
use crate::data_integrity::signing_jwk;
use crate::did;
use crate::digest;
use crate::error::CredentialError;
use crate::event::{EventClaims, EventKind};
use crate::runtime::block_on_here as block_on;

/// `typ` of the issuer-signed JWT.
pub const SD_JWT_VC_TYP: &str = "dc+sd-jwt";

/// `typ` of the key-binding JWT.
pub const KB_JWT_TYP: &str = "kb+jwt";

/// Registered (always visible) claims of the issuer JWT; everything else is an event claim.
const VISIBLE_CLAIMS: [&str; 9] = [
    "iss", "iat", "nbf", "exp", "vct", "jti", "sub", "cnf", "status",
];

/// The issuer JWT payload with the SD-JWT VC `typ` header.
struct SdJwtVcPayload(SdJwtPayload);

impl JwsPayload for SdJwtVcPayload {
    fn typ(&self) -> Option<&str> {
        Some(SD_JWT_VC_TYP)
    }

    fn payload_bytes(&self) -> Cow<'_, [u8]> {
        // Serializing a map of JSON values cannot fail.
        Cow::Owned(serde_json::to_vec(&self.0).unwrap_or_default())
    }
}

/// The KB-JWT payload as written by the holder: exactly `iat`, `aud`, `nonce`, `sd_hash`
/// (no `null` members), with the `kb+jwt` type header.
struct KbJwtClaims(Value);

impl JwsPayload for KbJwtClaims {
    fn typ(&self) -> Option<&str> {
        Some(KB_JWT_TYP)
    }

    fn payload_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Owned(serde_json::to_vec(&self.0).unwrap_or_default())
    }
}

/// The public JWK (`cnf.jwk`) of an Ed25519 key.
pub fn ed25519_public_jwk(public_key: &[u8; 32]) -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(public_key)})
}

fn public_jwk(public_key: &[u8; 32]) -> Result<JWK, CredentialError> {
    serde_json::from_value(ed25519_public_jwk(public_key))
        .map_err(|_| CredentialError::InvalidPublicKey)
}

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
    let mut pointers = Vec::new();
    for (name, value) in draft.claims.iter() {
        claims.insert(name.to_owned(), value.into());
        pointers.push(pointer(name)?);
    }
    let (mut payload, disclosures) =
        SdJwtPayload::conceal(&Value::Object(claims), SdAlg::Sha256, &pointers)
            .map_err(|e| CredentialError::Signing(e.to_string()))?;
    // Digests in sorted order, so their position says nothing about which claim they hide.
    if let Some(Value::Array(digests)) = payload.claims.get_mut("_sd") {
        digests.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    let mut jwk = signing_jwk(seed)?;
    jwk.key_id = Some(did::verification_method(&issuer_did)?);
    let jws = block_on(SdJwtVcPayload(payload).sign(&jwk))
        .map_err(|e| CredentialError::Signing(e.to_string()))?;
    let mut out = jws.into_string();
    out.push('~');
    for disclosure in &disclosures {
        out.push_str(disclosure.encoded.as_str());
        out.push('~');
    }
    Ok(out)
}

fn pointer(claim: &str) -> Result<JsonPointerBuf, CredentialError> {
    JsonPointerBuf::new(format!("/{}", claim.replace('~', "~0").replace('/', "~1")))
        .map_err(|_| CredentialError::NoSuchClaim(claim.to_owned()))
}

/// Builds a holder presentation: the issuer JWT, the disclosures of the claims named in
/// `disclose` only, and a KB-JWT signed with the holder's seed (`nonce`, `aud`, `iat` = `now`,
/// `sd_hash`).
pub fn present(
    issued: &str,
    disclose: &[&str],
    holder_seed: &[u8; 32],
    nonce: &str,
    audience: &str,
    now: i64,
) -> Result<String, CredentialError> {
    let sd_jwt = SdJwt::new(issued).map_err(|e| CredentialError::MalformedSdJwt(e.to_string()))?;
    let mut revealed = sd_jwt
        .decode_reveal_any()
        .map_err(|e| CredentialError::MalformedSdJwt(e.to_string()))?;
    let pointers = disclose
        .iter()
        .map(|c| pointer(c))
        .collect::<Result<Vec<_>, _>>()?;
    for (claim, p) in disclose.iter().zip(&pointers) {
        if !revealed.disclosures.contains_key(p) {
            return Err(CredentialError::NoSuchClaim((*claim).to_owned()));
        }
    }
    revealed.retain(&pointers);
    let mut presentation: SdJwtBuf = revealed.into_encoded();
    let kb_payload = KbJwtClaims(json!({
        "iat": now,
        "aud": audience,
        "nonce": nonce,
        "sd_hash": URL_SAFE_NO_PAD.encode(digest_sha256(presentation.trim_kb().as_bytes())),
    }));
    let kb_jwt = block_on(kb_payload.sign(signing_jwk(holder_seed)?))
        .map_err(|e| CredentialError::Signing(e.to_string()))?;
    presentation.set_kb(&kb_jwt);
    Ok(presentation.into_string())
}

fn digest_sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}

/// What a verifier expects of the key binding.
#[derive(Debug, Clone, Copy)]
pub struct KeyBindingRequest<'a> {
    /// The challenge the verifier gave the holder (KB-JWT `nonce`).
    pub nonce: &'a str,
    /// The verifier's identity (KB-JWT `aud`).
    pub audience: &'a str,
    /// The verifier's clock, Unix seconds.
    pub now: i64,
    /// How far (seconds) the KB-JWT `iat` may be from `now`, either way.
    pub max_age_secs: i64,
}

fn map_issuer_invalid(invalid: Invalid) -> CredentialError {
    match invalid {
        Invalid::Claims(c) => CredentialError::InvalidIssuerClaims(c.to_string()),
        Invalid::Proof(_) => CredentialError::InvalidIssuerSignature,
    }
}

/// Verifies the issuer part of an SD-JWT (issued form or presentation) against a known issuer
/// key at time `now`; returns the revealed payload (registered claims and disclosed claims;
/// `_sd` and `_sd_alg` removed) and the hash algorithm. No key-binding check.
///
/// Checks, in order: syntax; `alg` EdDSA (and `typ` when `expected_typ` is given); the issuer
/// signature and its time claims; every disclosure is committed to by the payload.
pub fn verify_issuer_part(
    sd_jwt: &str,
    issuer_public_key: &[u8; 32],
    expected_typ: Option<&str>,
    now: i64,
) -> Result<Map<String, Value>, CredentialError> {
    let sd_jwt = SdJwt::new(sd_jwt).map_err(|e| CredentialError::MalformedSdJwt(e.to_string()))?;
    let decoded = sd_jwt
        .decode()
        .map_err(|e| CredentialError::MalformedSdJwt(e.to_string()))?;
    let header = &decoded.jwt.signing_bytes.header;
    let alg = header.algorithm.to_string();
    if alg != "EdDSA" {
        return Err(CredentialError::WrongJwtAlgorithm(alg));
    }
    if let Some(typ) = expected_typ {
        let found = header.type_.clone().unwrap_or_default();
        if found != typ {
            return Err(CredentialError::WrongJwtType(found));
        }
    }
    let mut params = VerificationParameters::from_resolver(public_jwk(issuer_public_key)?);
    if let Some(date_time) = ssi_claims_core::chrono::DateTime::from_timestamp(now, 0) {
        params = params.with_date_time(date_time);
    }
    block_on(decoded.verify_concealed(&params))
        .map_err(|_| CredentialError::InvalidIssuerSignature)?
        .map_err(map_issuer_invalid)?;
    let revealed = decoded
        .reveal_any()
        .map_err(|e| CredentialError::UnknownDisclosure(e.to_string()))?;
    block_on(revealed.verify(&params))
        .map_err(|_| CredentialError::InvalidIssuerSignature)?
        .map_err(map_issuer_invalid)?;
    let mut claims = match serde_json::to_value(revealed.claims()) {
        Ok(Value::Object(map)) => map,
        _ => {
            return Err(CredentialError::MalformedSdJwt(
                "payload is not an object".into(),
            ))
        }
    };
    claims.remove("_sd");
    claims.remove("_sd_alg");
    Ok(claims)
}

/// Verifies an SD-JWT presentation against a known issuer key; returns the revealed payload
/// (registered claims and disclosed claims; `_sd` and `_sd_alg` removed).
///
/// Checks, in order: everything [`verify_issuer_part`] checks; a KB-JWT is present; `cnf.jwk`
/// is an Ed25519 key; the KB-JWT `typ` and its signature by that key; `nonce`; `aud`; `iat`
/// within the window; `sd_hash`.
pub fn verify_with_issuer_key(
    presentation: &str,
    issuer_public_key: &[u8; 32],
    expected_typ: Option<&str>,
    request: &KeyBindingRequest<'_>,
) -> Result<Map<String, Value>, CredentialError> {
    let claims = verify_issuer_part(presentation, issuer_public_key, expected_typ, request.now)?;
    let sd_jwt =
        SdJwt::new(presentation).map_err(|e| CredentialError::MalformedSdJwt(e.to_string()))?;
    let kb = sd_jwt
        .decode_kb()
        .map_err(|e| CredentialError::MalformedKeyBinding(e.to_string()))?
        .ok_or(CredentialError::MissingKeyBinding)?;
    let cnf_key = claims
        .get("cnf")
        .and_then(|c| c.get("jwk"))
        .filter(|j| j.get("kty") == Some(&json!("OKP")) && j.get("crv") == Some(&json!("Ed25519")))
        .and_then(|j| j.get("x"))
        .and_then(Value::as_str)
        .and_then(|x| URL_SAFE_NO_PAD.decode(x).ok())
        .and_then(|x| <[u8; 32]>::try_from(x).ok())
        .ok_or(CredentialError::MissingHolderKey)?;
    if kb.signing_bytes.header.type_.as_deref() != Some(KB_JWT_TYP) {
        return Err(CredentialError::MalformedKeyBinding(
            "typ is not kb+jwt".into(),
        ));
    }
    let kb_payload = kb.signing_bytes.payload.clone();
    // Signature by the cnf key (ssi also checks iat/exp against its own clock: only the
    // signature outcome is taken from it, time is checked below against the window).
    let far_future = ssi_claims_core::chrono::DateTime::from_timestamp(i64::from(i32::MAX) * 8, 0);
    let mut kb_params = VerificationParameters::from_resolver(public_jwk(&cnf_key)?);
    if let Some(t) = far_future {
        kb_params = kb_params.with_date_time(t);
    }
    match block_on(kb.verify(&kb_params)) {
        Ok(Ok(())) | Ok(Err(Invalid::Claims(_))) => {}
        Ok(Err(Invalid::Proof(_))) | Err(_) => {
            return Err(CredentialError::InvalidKeyBindingSignature)
        }
    }
    if kb_payload.nonce.0 != request.nonce {
        return Err(CredentialError::NonceMismatch);
    }
    if kb_payload.aud != request.audience {
        return Err(CredentialError::AudienceMismatch);
    }
    let iat = kb_iat(&kb)?;
    if (request.now - iat).abs() > request.max_age_secs {
        return Err(CredentialError::StaleKeyBinding {
            iat,
            now: request.now,
        });
    }
    if !kb_payload.sd_hash.verify(SdAlg::Sha256, sd_jwt) {
        return Err(CredentialError::SdHashMismatch);
    }
    Ok(claims)
}

fn kb_iat(kb: &ssi_jws::DecodedJws<'_, KbJwtPayload>) -> Result<i64, CredentialError> {
    let payload = serde_json::to_value(&kb.signing_bytes.payload)
        .map_err(|e| CredentialError::MalformedKeyBinding(e.to_string()))?;
    payload
        .get("iat")
        .and_then(Value::as_f64)
        .filter(|f| f.is_finite())
        .map(|f| f as i64)
        .ok_or_else(|| CredentialError::MalformedKeyBinding("iat".into()))
}

/// The claims a verifier learns from an SD-JWT VC presentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosedCredential {
    /// The credential id (`jti`).
    pub id: [u8; 16],
    /// The registrar's did:key (`iss`).
    pub issuer_did: String,
    /// The holder's did:key (`sub`).
    pub holder_did: String,
    /// The event kind (from `vct`).
    pub kind: EventKind,
    /// Issuance time (`iat`), Unix seconds.
    pub issued_at: i64,
    /// The disclosed event claims, and only those.
    pub claims: Map<String, Value>,
    /// The ledger digest of the issuer JWT.
    pub sd_digest: [u8; 32],
}

/// Verifies a holder's SD-JWT VC presentation of a civil-status credential.
///
/// The issuer key is the did:key in `iss` (whether that registrar is accredited is the
/// ledger's question, answered by the caller with `sd_digest`). Then every check of
/// [`verify_with_issuer_key`] with `typ` `dc+sd-jwt`, then the disclosed claims are checked
/// against the event kind named by `vct`.
pub fn verify_presentation(
    presentation: &str,
    request: &KeyBindingRequest<'_>,
) -> Result<DisclosedCredential, CredentialError> {
    let issuer_jwt = presentation.split('~').next().unwrap_or_default();
    let payload_b64 = issuer_jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| CredentialError::MalformedSdJwt("issuer JWT".into()))?;
    let unverified: Value = URL_SAFE_NO_PAD
        .decode(payload_b64)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| CredentialError::MalformedSdJwt("issuer JWT payload".into()))?;
    let iss = unverified
        .get("iss")
        .and_then(Value::as_str)
        .ok_or_else(|| CredentialError::MalformedSdJwt("iss".into()))?;
    let issuer_key = did::public_key_from_did_key(iss)?;
    let mut claims =
        verify_with_issuer_key(presentation, &issuer_key, Some(SD_JWT_VC_TYP), request)?;

    let text = |claims: &Map<String, Value>, name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| CredentialError::MalformedSdJwt(format!("missing {name}")))
    };
    let vct = text(&claims, "vct")?;
    let kind = EventKind::ALL
        .into_iter()
        .find(|k| k.vct() == vct)
        .ok_or_else(|| CredentialError::MalformedSdJwt(format!("unknown vct {vct}")))?;
    let id = id_from_urn(&text(&claims, "jti")?)?;
    let holder_did = text(&claims, "sub")?;
    did::public_key_from_did_key(&holder_did)?;
    let issued_at = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or_else(|| CredentialError::MalformedSdJwt("iat".into()))?;
    for name in VISIBLE_CLAIMS {
        claims.remove(name);
    }
    EventClaims::check_partial(kind, &claims)?;
    Ok(DisclosedCredential {
        id,
        issuer_did: iss.to_owned(),
        holder_did,
        kind,
        issued_at,
        claims,
        sd_digest: digest::sd_digest(presentation),
    })
}
