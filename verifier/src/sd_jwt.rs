//! SD-JWT VC securing of a civil-status credential: SD-JWT (RFC 9901) with Ed25519 (`EdDSA`)
//! JWS, composed here on `ed25519-dalek`, `sha2` and `serde_json` (no JOSE library: the one of
//! `ssi` 0.16 brings its EIP-712 and claims stack along).
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
//!
//! Verification reveals disclosures as RFC 9901 §7.1 says: each `_sd` digest that matches a
//! disclosure (`[salt, name, value]`) becomes that member, each array element `{"...": digest}`
//! that matches one (`[salt, value]`) becomes that value, recursively; digests that match
//! nothing are decoys. A disclosure used twice or not at all, a revealed member that already
//! exists, or a disclosure of the wrong kind fails.

use crate::event::CredentialKind as _;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

use crate::did;
use crate::digest;
use crate::error::CredentialError;
use crate::event::{EventClaims, EventKind};
use crate::ids::id_from_urn;

/// `typ` of the issuer-signed JWT.
pub const SD_JWT_VC_TYP: &str = "dc+sd-jwt";

/// `typ` of the key-binding JWT.
pub const KB_JWT_TYP: &str = "kb+jwt";

/// The one disclosure digest algorithm (`_sd_alg`).
pub const SD_ALG: &str = "sha-256";

/// The JWS algorithm of every signature here (Ed25519).
const EDDSA: &str = "EdDSA";

/// Bytes of randomness in a disclosure's salt (base64url-encoded in the disclosure).
pub const SALT_BYTES: usize = 16;

/// Registered (always visible) claims of the issuer JWT; everything else is an event claim.
const VISIBLE_CLAIMS: [&str; 9] = [
    "iss", "iat", "nbf", "exp", "vct", "jti", "sub", "cnf", "status",
];

/// The public JWK (`cnf.jwk`) of an Ed25519 key.
pub fn ed25519_public_jwk(public_key: &[u8; 32]) -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(public_key)})
}

/// base64url(SHA-256(`text`)): a disclosure's digest, and the KB-JWT's `sd_hash`.
pub fn sha256_b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(text.as_bytes()))
}

/// A compact JWS, `alg` `EdDSA`, over `payload` (JSON text), signed with `seed`. The header
/// holds `alg`, then `kid` when given, then `typ`.
pub fn sign_jws(
    typ: &str,
    kid: Option<&str>,
    payload: &str,
    seed: &[u8; 32],
) -> Result<String, CredentialError> {
    let mut header = Map::new();
    header.insert("alg".into(), EDDSA.into());
    if let Some(kid) = kid {
        header.insert("kid".into(), kid.into());
    }
    header.insert("typ".into(), typ.into());
    let header =
        serde_json::to_vec(&header).map_err(|e| CredentialError::Signing(e.to_string()))?;
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = SigningKey::from_bytes(seed).sign(signing_input.as_bytes());
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    ))
}

/// A compact JWS, decoded: header, payload bytes, signing input and signature.
struct DecodedJws<'a> {
    header: Map<String, Value>,
    payload: Vec<u8>,
    signing_input: &'a str,
    signature: Vec<u8>,
}

impl DecodedJws<'_> {
    fn alg(&self) -> &str {
        self.header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn typ(&self) -> Option<&str> {
        self.header.get("typ").and_then(Value::as_str)
    }

    /// Whether this is an `EdDSA` JWS whose signature `public_key` verifies (strictly).
    fn verifies_with(&self, public_key: &[u8; 32]) -> bool {
        let Ok(key) = VerifyingKey::from_bytes(public_key) else {
            return false;
        };
        let Ok(signature) = Signature::from_slice(&self.signature) else {
            return false;
        };
        self.alg() == EDDSA
            && key
                .verify_strict(self.signing_input.as_bytes(), &signature)
                .is_ok()
    }
}

fn is_base64url(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Decodes a compact JWS (`header.payload.signature`, each base64url; the header a JSON object
/// with a string `alg`).
fn decode_jws(jws: &str) -> Result<DecodedJws<'_>, String> {
    let mut parts = jws.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not a compact JWS".into());
    };
    if ![header, payload, signature].iter().all(|p| is_base64url(p)) {
        return Err("not a compact JWS".into());
    }
    let decode = |part: &str, what: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| format!("{what} is not base64url"))
    };
    let header: Map<String, Value> = serde_json::from_slice(&decode(header, "JWS header")?)
        .map_err(|e| format!("JWS header: {e}"))?;
    if !header.get("alg").is_some_and(Value::is_string) {
        return Err("JWS header has no alg".into());
    }
    Ok(DecodedJws {
        header,
        payload: decode(payload, "JWS payload")?,
        signing_input: &jws[..jws.len() - signature.len() - 1],
        signature: decode(signature, "JWS signature")?,
    })
}

/// An SD-JWT split at its `~`: the issuer JWT, the disclosures, the KB-JWT if any.
struct Parts<'a> {
    jwt: &'a str,
    disclosures: Vec<&'a str>,
    kb: Option<&'a str>,
}

impl<'a> Parts<'a> {
    fn parse(sd_jwt: &'a str) -> Result<Self, String> {
        let (jwt, rest) = sd_jwt
            .split_once('~')
            .ok_or("an SD-JWT has a `~` after its JWT")?;
        let (disclosures, kb) = rest.rsplit_once('~').unwrap_or(("", rest));
        let disclosures: Vec<&str> = if rest.contains('~') {
            disclosures.split('~').collect()
        } else {
            Vec::new()
        };
        if !disclosures.iter().all(|d| is_base64url(d)) {
            return Err("a disclosure is not base64url".into());
        }
        decode_jws(jwt)?;
        if !kb.is_empty() {
            decode_jws(kb)?;
        }
        Ok(Parts {
            jwt,
            disclosures,
            kb: (!kb.is_empty()).then_some(kb),
        })
    }

    /// Everything before the KB-JWT (what `sd_hash` covers).
    fn without_kb(sd_jwt: &str) -> &str {
        sd_jwt.rfind('~').map_or(sd_jwt, |i| &sd_jwt[..=i])
    }
}

/// What a disclosure discloses.
#[derive(Debug, Clone)]
enum Disclosed {
    /// `[salt, name, value]`: an object member.
    Member(String, Value),
    /// `[salt, value]`: an array element.
    Element(Value),
}

fn decode_disclosure(encoded: &str) -> Result<Disclosed, String> {
    let malformed = || "a disclosure is malformed".to_owned();
    let bytes = URL_SAFE_NO_PAD.decode(encoded).map_err(|_| malformed())?;
    let json: Value = serde_json::from_slice(&bytes).map_err(|e| format!("a disclosure: {e}"))?;
    match json {
        Value::Array(items) => match items.as_slice() {
            // RFC 9901 §7.1: a disclosed member may not be named `_sd` or `...`.
            [Value::String(_), Value::String(name), _] if name == "_sd" || name == "..." => {
                Err(format!("a disclosure names the reserved claim {name}"))
            }
            [Value::String(_), Value::String(name), value] => {
                Ok(Disclosed::Member(name.clone(), value.clone()))
            }
            [Value::String(_), value] => Ok(Disclosed::Element(value.clone())),
            _ => Err(malformed()),
        },
        _ => Err(malformed()),
    }
}

/// A disclosure being matched: what it discloses and where it was used.
struct Pending {
    disclosed: Disclosed,
    pointer: Option<String>,
}

fn pointer_push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// An issuer JWT with its disclosures decoded.
struct Decoded<'a> {
    jwt: DecodedJws<'a>,
    /// The payload without `_sd_alg`.
    payload: Map<String, Value>,
    /// Each disclosure: its text and digest.
    disclosures: Vec<(&'a str, String, Disclosed)>,
}

impl<'a> Decoded<'a> {
    fn new(parts: &Parts<'a>) -> Result<Self, String> {
        let jwt = decode_jws(parts.jwt)?;
        let mut payload: Map<String, Value> = serde_json::from_slice(&jwt.payload)
            .map_err(|_| "the JWT payload is not a JSON object".to_owned())?;
        match payload.remove("_sd_alg") {
            Some(Value::String(alg)) if alg == SD_ALG => {}
            Some(Value::String(alg)) => return Err(format!("unknown _sd_alg {alg}")),
            Some(_) => return Err("_sd_alg is not a string".into()),
            None => return Err("the JWT has no _sd_alg".into()),
        }
        let disclosures = parts
            .disclosures
            .iter()
            .map(|d| Ok((*d, sha256_b64(d), decode_disclosure(d)?)))
            .collect::<Result<_, String>>()?;
        Ok(Decoded {
            jwt,
            payload,
            disclosures,
        })
    }

    /// The payload with every disclosure revealed in place, and the JSON pointer where each
    /// disclosure (in order) was used.
    fn reveal(&self) -> Result<(Map<String, Value>, Vec<String>), String> {
        let mut pending: std::collections::HashMap<&str, Pending> = self
            .disclosures
            .iter()
            .map(|(_, digest, disclosed)| {
                (
                    digest.as_str(),
                    Pending {
                        disclosed: disclosed.clone(),
                        pointer: None,
                    },
                )
            })
            .collect();
        let mut claims = self.payload.clone();
        reveal_object("", &mut claims, &mut pending)?;
        let pointers = self
            .disclosures
            .iter()
            .map(|(text, digest, _)| {
                pending
                    .get(digest.as_str())
                    .and_then(|p| p.pointer.clone())
                    .ok_or_else(|| format!("unused disclosure {text}"))
            })
            .collect::<Result<_, _>>()?;
        Ok((claims, pointers))
    }
}

fn reveal_value(
    pointer: &str,
    value: &mut Value,
    pending: &mut std::collections::HashMap<&str, Pending>,
) -> Result<(), String> {
    match value {
        Value::Object(object) => reveal_object(pointer, object, pending),
        Value::Array(items) => {
            let mut kept = Vec::with_capacity(items.len());
            for (i, mut item) in std::mem::take(items).into_iter().enumerate() {
                let here = pointer_push(pointer, &i.to_string());
                let digest = match &item {
                    Value::Object(o) if o.len() == 1 => o.get("...").and_then(Value::as_str),
                    _ => None,
                };
                match digest.map(|d| pending.get_mut(d)) {
                    // A decoy, or an element whose disclosure was not presented.
                    Some(None) => continue,
                    Some(Some(p)) => {
                        let Disclosed::Element(disclosed) = &p.disclosed else {
                            return Err("an object member disclosure where an array element \
                                        was expected"
                                .into());
                        };
                        if p.pointer.replace(here.clone()).is_some() {
                            return Err("a disclosure is used twice".into());
                        }
                        item = disclosed.clone();
                    }
                    None => {}
                }
                reveal_value(&here, &mut item, pending)?;
                kept.push(item);
            }
            *items = kept;
            Ok(())
        }
        _ => Ok(()),
    }
}

fn reveal_object(
    pointer: &str,
    object: &mut Map<String, Value>,
    pending: &mut std::collections::HashMap<&str, Pending>,
) -> Result<(), String> {
    if let Some(digests) = object.remove("_sd") {
        let digests = digests.as_array().ok_or("an `_sd` claim is not an array")?;
        let mut found = Vec::new();
        for digest in digests {
            let digest = digest.as_str().ok_or("an `_sd` digest is not a string")?;
            let Some(p) = pending.get_mut(digest) else {
                continue;
            };
            let Disclosed::Member(name, value) = &p.disclosed else {
                return Err("an array element disclosure where an object member was \
                            expected"
                    .into());
            };
            if p.pointer.replace(pointer_push(pointer, name)).is_some() {
                return Err("a disclosure is used twice".into());
            }
            found.push((name.clone(), value.clone()));
        }
        for (name, value) in found {
            if object.insert(name.clone(), value).is_some() {
                return Err(format!("disclosed claim {name} is already a claim"));
            }
        }
    }
    for (name, value) in object.iter_mut() {
        reveal_value(&pointer_push(pointer, name), value, pending)?;
    }
    Ok(())
}

/// Checks the JWT time claims (`iat` and `nbf` not after `now`, `exp` after it).
fn check_time_claims(claims: &Map<String, Value>, now: i64) -> Result<(), CredentialError> {
    let time = |name: &str| match claims.get(name) {
        None => Ok(None),
        Some(v) => v
            .as_f64()
            .filter(|t| t.is_finite())
            .map(Some)
            .ok_or_else(|| CredentialError::UnknownDisclosure(format!("{name} is not a number"))),
    };
    let now_f = now as f64;
    for name in ["iat", "nbf"] {
        if let Some(t) = time(name)? {
            if t > now_f {
                return Err(CredentialError::InvalidIssuerClaims(format!(
                    "premature: {name} {t} is after {now}"
                )));
            }
        }
    }
    if let Some(t) = time("exp")? {
        if t <= now_f {
            return Err(CredentialError::InvalidIssuerClaims(format!(
                "expired: exp {t} is not after {now}"
            )));
        }
    }
    Ok(())
}

/// The JSON pointer of a top-level claim.
fn pointer(claim: &str) -> String {
    pointer_push("", claim)
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
    let parts = Parts::parse(issued).map_err(CredentialError::MalformedSdJwt)?;
    let decoded = Decoded::new(&parts).map_err(CredentialError::MalformedSdJwt)?;
    let (_, pointers) = decoded.reveal().map_err(CredentialError::MalformedSdJwt)?;
    let wanted: Vec<String> = disclose.iter().map(|c| pointer(c)).collect();
    for (claim, p) in disclose.iter().zip(&wanted) {
        if !pointers.contains(p) {
            return Err(CredentialError::NoSuchClaim((*claim).to_owned()));
        }
    }
    let mut presentation = format!("{}~", parts.jwt);
    for (disclosure, p) in parts.disclosures.iter().zip(&pointers) {
        if wanted.contains(p) {
            presentation.push_str(disclosure);
            presentation.push('~');
        }
    }
    let kb_payload = json!({
        "iat": now,
        "aud": audience,
        "nonce": nonce,
        "sd_hash": sha256_b64(&presentation),
    });
    let kb_jwt = sign_jws(KB_JWT_TYP, None, &kb_payload.to_string(), holder_seed)?;
    presentation.push_str(&kb_jwt);
    Ok(presentation)
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

/// Verifies the issuer part of an SD-JWT (issued form or presentation) against a known issuer
/// key at time `now`; returns the revealed payload (registered claims and disclosed claims;
/// `_sd` and `_sd_alg` removed) and the hash algorithm. No key-binding check.
///
/// Checks, in order: syntax; `alg` EdDSA (and `typ` when `expected_typ` is given); the issuer
/// signature; every disclosure is committed to by the payload; the time claims.
pub fn verify_issuer_part(
    sd_jwt: &str,
    issuer_public_key: &[u8; 32],
    expected_typ: Option<&str>,
    now: i64,
) -> Result<Map<String, Value>, CredentialError> {
    let parts = Parts::parse(sd_jwt).map_err(CredentialError::MalformedSdJwt)?;
    let decoded = Decoded::new(&parts).map_err(CredentialError::MalformedSdJwt)?;
    let alg = decoded.jwt.alg();
    if alg != EDDSA {
        return Err(CredentialError::WrongJwtAlgorithm(alg.to_owned()));
    }
    if let Some(typ) = expected_typ {
        let found = decoded.jwt.typ().unwrap_or_default();
        if found != typ {
            return Err(CredentialError::WrongJwtType(found.to_owned()));
        }
    }
    if !decoded.jwt.verifies_with(issuer_public_key) {
        return Err(CredentialError::InvalidIssuerSignature);
    }
    let (mut claims, _) = decoded
        .reveal()
        .map_err(CredentialError::UnknownDisclosure)?;
    check_time_claims(&claims, now)?;
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
    let parts = Parts::parse(presentation).map_err(CredentialError::MalformedSdJwt)?;
    let kb_text = parts.kb.ok_or(CredentialError::MissingKeyBinding)?;
    let kb = decode_jws(kb_text).map_err(CredentialError::MalformedKeyBinding)?;
    let kb_payload: Map<String, Value> = serde_json::from_slice(&kb.payload)
        .map_err(|e| CredentialError::MalformedKeyBinding(e.to_string()))?;
    let member = |name: &str, ok: fn(&Value) -> bool| {
        kb_payload
            .get(name)
            .filter(|v| ok(v))
            .ok_or_else(|| CredentialError::MalformedKeyBinding(name.to_owned()))
    };
    let iat = member("iat", Value::is_number)?
        .as_f64()
        .filter(|f| f.is_finite())
        .map(|f| f as i64)
        .ok_or_else(|| CredentialError::MalformedKeyBinding("iat".into()))?;
    let aud = member("aud", Value::is_string)?;
    let kb_nonce = member("nonce", Value::is_string)?;
    let sd_hash = member("sd_hash", Value::is_string)?;
    for optional in ["exp", "nbf"] {
        if kb_payload
            .get(optional)
            .is_some_and(|v| !v.is_number() && !v.is_null())
        {
            return Err(CredentialError::MalformedKeyBinding(optional.to_owned()));
        }
    }
    let cnf_key = claims
        .get("cnf")
        .and_then(|c| c.get("jwk"))
        .filter(|j| j.get("kty") == Some(&json!("OKP")) && j.get("crv") == Some(&json!("Ed25519")))
        .and_then(|j| j.get("x"))
        .and_then(Value::as_str)
        .and_then(|x| URL_SAFE_NO_PAD.decode(x).ok())
        .and_then(|x| <[u8; 32]>::try_from(x).ok())
        .ok_or(CredentialError::MissingHolderKey)?;
    if kb.typ() != Some(KB_JWT_TYP) {
        return Err(CredentialError::MalformedKeyBinding(
            "typ is not kb+jwt".into(),
        ));
    }
    // Only the signature here: time is checked below against the window.
    if !kb.verifies_with(&cnf_key) {
        return Err(CredentialError::InvalidKeyBindingSignature);
    }
    if kb_nonce.as_str() != Some(request.nonce) {
        return Err(CredentialError::NonceMismatch);
    }
    if aud.as_str() != Some(request.audience) {
        return Err(CredentialError::AudienceMismatch);
    }
    if (request.now - iat).abs() > request.max_age_secs {
        return Err(CredentialError::StaleKeyBinding {
            iat,
            now: request.now,
        });
    }
    if sd_hash.as_str() != Some(sha256_b64(Parts::without_kb(presentation)).as_str()) {
        return Err(CredentialError::SdHashMismatch);
    }
    Ok(claims)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn disclosure(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(json)
    }

    #[test]
    fn a_disclosure_of_a_reserved_name_is_refused() {
        for name in ["_sd", "..."] {
            let d = disclosure(&format!(r#"["c2FsdA","{name}",1]"#));
            assert!(decode_disclosure(&d).is_err(), "{name}");
        }
        let ok = disclosure(r#"["c2FsdA","givenName","Amal"]"#);
        assert!(matches!(
            decode_disclosure(&ok),
            Ok(Disclosed::Member(name, _)) if name == "givenName"
        ));
        let element = disclosure(r#"["c2FsdA","JO"]"#);
        assert!(matches!(
            decode_disclosure(&element),
            Ok(Disclosed::Element(_))
        ));
    }
}
