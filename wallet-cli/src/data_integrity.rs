//! Data Integrity proofs (`DataIntegrityProof`) with Ed25519: credentials and presentations.
//!
//! Two cryptosuites:
//!
//! - `eddsa-rdfc-2022`, composed here on `ssi-json-ld` (expansion with the bundled JSON-LD
//!   contexts, nothing fetched) and `ssi-rdf` (RDFC-1.0): the proof configuration (the proof
//!   without `proofValue`, with the document's `@context`) and the document without `proof` are
//!   each canonicalized and hashed with SHA-256; Ed25519 signs `hash(config) || hash(document)`;
//!   the `proofValue` is `z` + base58btc(signature). This is the form `issue` produces.
//! - `eddsa-jcs-2022`, composed the same way with JCS (RFC 8785) instead of RDFC-1.0: the proof options (with the
//!   document's `@context`) and the document without `proof` are each canonicalized with JCS
//!   (RFC 8785) and hashed with SHA-256; Ed25519 signs `hash(options) || hash(document)`; the
//!   `proofValue` is `z` + base58btc(signature).
//!
//! A presentation is a `VerifiablePresentation` holding one credential, signed by the holder with
//! `eddsa-rdfc-2022`, proof purpose `authentication`, carrying the verifier's `challenge` and
//! `domain`.

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use ssi_json_ld::ContextLoader;

use crate::context::{
    context_loader, CIVIL_STATUS_CONTEXT_URL, CREDENTIALS_V1_CONTEXT_URL,
    CREDENTIALS_V2_CONTEXT_URL,
};
use crate::credential::{format_timestamp, CredentialContents};
use crate::did;
use crate::digest;
use crate::error::CredentialError;
use crate::jcs;
use crate::runtime::block_on;

/// The proof type of both suites.
pub const DATA_INTEGRITY_PROOF: &str = "DataIntegrityProof";
/// The RDF-canonicalization Ed25519 cryptosuite.
pub const EDDSA_RDFC_2022: &str = "eddsa-rdfc-2022";
/// The JCS Ed25519 cryptosuite.
pub const EDDSA_JCS_2022: &str = "eddsa-jcs-2022";
/// Proof purpose of a registrar's signature on a credential.
pub const ASSERTION_METHOD: &str = "assertionMethod";
/// Proof purpose of a holder's signature on a presentation.
pub const AUTHENTICATION: &str = "authentication";

/// Which cryptosuite secures a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cryptosuite {
    /// `eddsa-rdfc-2022`.
    EddsaRdfc2022,
    /// `eddsa-jcs-2022`.
    EddsaJcs2022,
}

impl Cryptosuite {
    /// The suite's name as written in `proof.cryptosuite`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cryptosuite::EddsaRdfc2022 => EDDSA_RDFC_2022,
            Cryptosuite::EddsaJcs2022 => EDDSA_JCS_2022,
        }
    }

    fn from_name(name: &str) -> Result<Self, CredentialError> {
        match name {
            EDDSA_RDFC_2022 => Ok(Cryptosuite::EddsaRdfc2022),
            EDDSA_JCS_2022 => Ok(Cryptosuite::EddsaJcs2022),
            other => Err(CredentialError::UnsupportedCryptosuite(other.to_owned())),
        }
    }
}

/// The proof options of a `DataIntegrityProof` (without `proofValue`): type, suite, `created`
/// (Unix seconds), verification method, purpose, and for a presentation the verifier's
/// `challenge` and `domain`.
fn proof_options(
    suite: Cryptosuite,
    verification_method: &str,
    purpose: &str,
    created: i64,
    challenge_domain: Option<(&str, &str)>,
) -> Result<Map<String, Value>, CredentialError> {
    let mut options = Map::new();
    options.insert("type".into(), DATA_INTEGRITY_PROOF.into());
    options.insert("cryptosuite".into(), suite.as_str().into());
    options.insert("created".into(), format_timestamp(created)?.into());
    options.insert("verificationMethod".into(), verification_method.into());
    options.insert("proofPurpose".into(), purpose.into());
    if let Some((challenge, domain)) = challenge_domain {
        options.insert("challenge".into(), challenge.into());
        options.insert("domain".into(), domain.into());
    }
    Ok(options)
}

/// The first `@context` entry of a document, when it is a string.
fn base_context(document: &Value) -> Option<&str> {
    match document.get("@context")? {
        Value::Array(list) => list.first()?.as_str(),
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn has_type(document: &Value, required: &str) -> bool {
    match document.get("type") {
        Some(Value::Array(list)) => list.iter().any(|t| t == required),
        Some(Value::String(s)) => s == required,
        _ => false,
    }
}

/// The shape a credential must have to be signed: the base context of VCDM 2.0 or 1.1 first,
/// `type` naming `VerifiableCredential`, an issuer (a string or an object with an `id`), one
/// or more subjects, and no proof yet.
fn check_signable_credential(document: &Value) -> Result<(), CredentialError> {
    let malformed = || CredentialError::MalformedDocument("not a VC 2.0 or 1.1 credential");
    let base = base_context(document);
    if base != Some(CREDENTIALS_V2_CONTEXT_URL) && base != Some(CREDENTIALS_V1_CONTEXT_URL) {
        return Err(malformed());
    }
    if !has_type(document, "VerifiableCredential") {
        return Err(malformed());
    }
    let issuer_ok = match document.get("issuer") {
        Some(Value::String(_)) => true,
        Some(Value::Object(o)) => o.get("id").is_some_and(Value::is_string),
        _ => false,
    };
    let subjects_ok = match document.get("credentialSubject") {
        Some(Value::Array(list)) => !list.is_empty() && list.iter().all(Value::is_object),
        Some(one) => one.is_object(),
        None => false,
    };
    if !issuer_ok || !subjects_ok {
        return Err(malformed());
    }
    Ok(())
}

/// Deepest nesting of arrays and objects in a document this module signs, canonicalizes or
/// verifies (the document itself is level 1). A civil-status presentation needs 5; JSON-LD
/// processing recurses per level, so deeper input is refused before it reaches `ssi` or JCS.
pub const MAX_DOCUMENT_DEPTH: usize = 16;

/// Longest `proofValue` accepted: `z` and the base58 of a 64-byte signature (at most 88
/// characters), with room to spare.
pub const MAX_PROOF_VALUE_CHARS: usize = 100;

/// Refuses, before `ssi` or JCS sees it, a document nested deeper than [`MAX_DOCUMENT_DEPTH`]
/// ([`CredentialError::TooDeeplyNested`]). Iterative: no recursion on the input.
pub fn check_depth(document: &Value) -> Result<(), CredentialError> {
    let mut stack = vec![(document, 1usize)];
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(a) => Box::new(a.iter()),
            Value::Object(o) => Box::new(o.values()),
            _ => continue,
        };
        if depth > MAX_DOCUMENT_DEPTH {
            return Err(CredentialError::TooDeeplyNested {
                limit: MAX_DOCUMENT_DEPTH,
            });
        }
        stack.extend(children.map(|c| (c, depth + 1)));
    }
    Ok(())
}

/// Refuses a document whose conversion to `ssi`'s JSON-LD value fails (a number such as `1e300`
/// or an integer beyond 64 bits): `ssi-json-ld` cannot represent it, so the document is refused
/// by name before expansion.
fn check_ld_value(document: &Value) -> Result<(), CredentialError> {
    let malformed =
        || CredentialError::MalformedDocument("a number JSON-LD processing cannot represent");
    let ld: ssi_json_ld::syntax::Value =
        serde_json::from_value(document.clone()).map_err(|_| malformed())?;
    ssi_json_ld::syntax::to_value(&ld)
        .map(drop)
        .map_err(|_| malformed())
}

/// Signs an unsigned credential with `eddsa-rdfc-2022`, proof purpose
/// `assertionMethod`, `created` = `created` (Unix seconds), verification method = the
/// did:key of `seed`.
pub fn sign_rdfc(
    unsigned: &Value,
    seed: &[u8; 32],
    created: i64,
) -> Result<Value, CredentialError> {
    sign_rdfc_with_loader(unsigned, seed, created, context_loader())
}

/// [`sign_rdfc`] with another set of static JSON-LD contexts (e.g. one adding the W3C
/// examples context of the published vectors).
pub fn sign_rdfc_with_loader(
    unsigned: &Value,
    seed: &[u8; 32],
    created: i64,
    loader: &'static ContextLoader,
) -> Result<Value, CredentialError> {
    check_depth(unsigned)?;
    // VCDM 1.1 (for the VC API) or 2.0.
    check_signable_credential(unsigned)?;
    check_ld_value(unsigned)?;
    let vm = did::verification_method(&did::did_key_from_seed(seed))?;
    let options = proof_options(
        Cryptosuite::EddsaRdfc2022,
        &vm,
        ASSERTION_METHOD,
        created,
        None,
    )?;
    sign_rdfc_with_options(unsigned, options, seed, loader)
}

/// Signs `unsigned` with `eddsa-rdfc-2022` under the given proof options (which must not hold a
/// `proofValue`); returns the document with `proof` = options + `proofValue`.
fn sign_rdfc_with_options(
    unsigned: &Value,
    options: Map<String, Value>,
    seed: &[u8; 32],
    loader: &'static ContextLoader,
) -> Result<Value, CredentialError> {
    let document = unsigned_object(unsigned)?;
    let hash_data = rdfc_hash_data(unsigned, &options, loader).map_err(|e| match e {
        CredentialError::Canonicalization(m) => CredentialError::Signing(m),
        other => other,
    })?;
    Ok(with_proof(document, options, &hash_data, seed))
}

/// `unsigned` as a JSON object that has no `proof` yet.
fn unsigned_object(unsigned: &Value) -> Result<Map<String, Value>, CredentialError> {
    let document = unsigned
        .as_object()
        .ok_or(CredentialError::MalformedDocument(
            "document is not an object",
        ))?;
    if document.contains_key("proof") {
        return Err(CredentialError::MalformedDocument(
            "document already has a proof",
        ));
    }
    Ok(document.clone())
}

/// `document` with `proof` = `options` + `proofValue`, the multibase (base58btc, `z`) Ed25519
/// signature of `hash_data` by `seed`.
fn with_proof(
    mut document: Map<String, Value>,
    mut options: Map<String, Value>,
    hash_data: &[u8],
    seed: &[u8; 32],
) -> Value {
    let signature = SigningKey::from_bytes(seed).sign(hash_data);
    options.insert(
        "proofValue".into(),
        Value::String(format!(
            "z{}",
            bs58::encode(signature.to_bytes()).into_string()
        )),
    );
    document.insert("proof".into(), Value::Object(options));
    Value::Object(document)
}

/// The `eddsa-jcs-2022` hash data: `SHA-256(JCS(proof options)) || SHA-256(JCS(document))`.
///
/// `document` is the document without `proof`; `proof_options` is the proof without
/// `proofValue`.
pub fn jcs_hash_data(document: &Value, proof_options: &Value) -> Result<[u8; 64], CredentialError> {
    check_depth(document)?;
    check_depth(proof_options)?;
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&Sha256::digest(jcs::canonicalize(proof_options)?));
    out[32..].copy_from_slice(&Sha256::digest(jcs::canonicalize(document)?));
    Ok(out)
}

/// Signs `unsigned` with `eddsa-jcs-2022` under the given proof options (which must not hold a
/// `proofValue`); returns the document with `proof` = options + `proofValue`.
pub fn sign_jcs_with_options(
    unsigned: &Value,
    proof_options: Map<String, Value>,
    seed: &[u8; 32],
) -> Result<Value, CredentialError> {
    let document = unsigned_object(unsigned)?;
    let hash_data = jcs_hash_data(unsigned, &Value::Object(proof_options.clone()))?;
    Ok(with_proof(document, proof_options, &hash_data, seed))
}

/// Signs an unsigned credential with `eddsa-jcs-2022`: `DataIntegrityProof`, purpose
/// `assertionMethod`, `created`, the did:key verification method of `seed`, and the document's
/// `@context` repeated in the proof (as the suite requires when the document has one).
pub fn sign_jcs(unsigned: &Value, seed: &[u8; 32], created: i64) -> Result<Value, CredentialError> {
    let vm = did::verification_method(&did::did_key_from_seed(seed))?;
    let mut options = Map::new();
    options.insert("type".into(), DATA_INTEGRITY_PROOF.into());
    options.insert("cryptosuite".into(), EDDSA_JCS_2022.into());
    options.insert("created".into(), format_timestamp(created)?.into());
    options.insert("verificationMethod".into(), vm.into());
    options.insert("proofPurpose".into(), ASSERTION_METHOD.into());
    if let Some(context) = unsigned.get("@context") {
        options.insert("@context".into(), context.clone());
    }
    sign_jcs_with_options(unsigned, options, seed)
}

fn decode_proof_value(proof: &Map<String, Value>) -> Result<Signature, CredentialError> {
    let text = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .ok_or(CredentialError::MalformedProofValue)?;
    let encoded = text
        .strip_prefix('z')
        .ok_or(CredentialError::MalformedProofValue)?;
    let bytes = bs58::decode(encoded)
        .into_vec()
        .map_err(|_| CredentialError::MalformedProofValue)?;
    let bytes: [u8; 64] = bytes
        .try_into()
        .map_err(|_| CredentialError::MalformedProofValue)?;
    Ok(Signature::from_bytes(&bytes))
}

/// Checks an `eddsa-jcs-2022` proof on `signed` against an Ed25519 public key (strict
/// verification). Only the cryptography: purpose and method are checked by the callers.
pub fn verify_jcs_signature(signed: &Value, public_key: &[u8; 32]) -> Result<(), CredentialError> {
    let mut document = signed
        .as_object()
        .ok_or(CredentialError::MalformedDocument(
            "document is not an object",
        ))?
        .clone();
    let mut proof = match document.remove("proof") {
        Some(Value::Object(p)) => p,
        Some(_) => {
            return Err(CredentialError::MalformedDocument(
                "proof is not one object",
            ))
        }
        None => return Err(CredentialError::MissingProof),
    };
    let signature = decode_proof_value(&proof)?;
    proof.remove("proofValue");
    if let Some(context) = proof.get("@context") {
        if Some(context) != document.get("@context") {
            return Err(CredentialError::MalformedDocument(
                "proof @context differs from the document's",
            ));
        }
    }
    let hash_data = jcs_hash_data(&Value::Object(document), &Value::Object(proof))?;
    let key =
        VerifyingKey::from_bytes(public_key).map_err(|_| CredentialError::InvalidPublicKey)?;
    key.verify_strict(&hash_data, &signature)
        .map_err(|_| CredentialError::InvalidSignature)
}

/// What an `eddsa-rdfc-2022` document is: a credential (its validity period is checked) or a
/// presentation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RdfcDocument {
    Credential,
    Presentation,
}

/// Checks the one `eddsa-rdfc-2022` proof of a VCDM 2.0 credential or presentation at time
/// `now`: the base context and type, the did:key verification method (its key), for a
/// credential `validFrom` <= `now` < `validUntil`, and the signature over the document with the
/// contexts of `loader`. Purpose, controller, challenge and domain are the callers' checks.
fn verify_rdfc_signature(
    signed: &Value,
    kind: RdfcDocument,
    now: i64,
    loader: &'static ContextLoader,
) -> Result<(), CredentialError> {
    check_depth(signed)?;
    let required = match kind {
        RdfcDocument::Credential => "VerifiableCredential",
        RdfcDocument::Presentation => "VerifiablePresentation",
    };
    if base_context(signed) != Some(CREDENTIALS_V2_CONTEXT_URL) || !has_type(signed, required) {
        return Err(CredentialError::VerificationFailed(format!(
            "not a VC 2.0 {required}"
        )));
    }
    check_ld_value(signed)?;
    let (proof, suite) = proof_of(signed)?;
    if suite != Cryptosuite::EddsaRdfc2022 {
        return Err(CredentialError::UnsupportedCryptosuite(
            suite.as_str().to_owned(),
        ));
    }
    let method = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let key = check_method(proof, did::did_of(method))?;
    if kind == RdfcDocument::Credential {
        let time = |name: &str| -> Result<Option<i64>, CredentialError> {
            match signed.get(name) {
                None => Ok(None),
                Some(v) => v
                    .as_str()
                    .and_then(crate::vc_api::parse_date_time_stamp)
                    .map(Some)
                    .ok_or_else(|| {
                        CredentialError::VerificationFailed(format!(
                            "{name} is not a dateTimeStamp"
                        ))
                    }),
            }
        };
        // A credential outside its validity period fails as its signature would.
        if time("validFrom")?.is_some_and(|t| t > now)
            || time("validUntil")?.is_some_and(|t| now >= t)
        {
            return Err(CredentialError::InvalidSignature);
        }
    }
    let mut unsecured = signed.clone();
    if let Some(map) = unsecured.as_object_mut() {
        map.remove("proof");
    }
    verify_rdfc_proof(&unsecured, proof, &key, loader).map_err(|e| match e {
        CredentialError::Canonicalization(m) => CredentialError::VerificationFailed(m),
        other => other,
    })
}

/// Checks only the `eddsa-rdfc-2022` signature of a credential (and its validity period), with the given
/// static contexts (no shape or issuer checks: see [`verify_credential`] for those).
pub fn verify_rdfc_credential_signature(
    signed: &Value,
    now: i64,
    loader: &'static ContextLoader,
) -> Result<(), CredentialError> {
    verify_rdfc_signature(signed, RdfcDocument::Credential, now, loader)
}

/// The RDFC-1.0 canonical N-Quads lines of a credential (without its proof), as
/// `eddsa-rdfc-2022` hashes them.
pub fn rdfc_canonical_document(
    unsigned: &Value,
    loader: &'static ContextLoader,
) -> Result<Vec<String>, CredentialError> {
    check_depth(unsigned)?;
    if base_context(unsigned) != Some(CREDENTIALS_V2_CONTEXT_URL)
        || !has_type(unsigned, "VerifiableCredential")
    {
        return Err(CredentialError::MalformedDocument(
            "not a VC 2.0 credential",
        ));
    }
    check_ld_value(unsigned)?;
    rdfc_canonical_lines(unsigned, loader)
}

/// The single proof object of a document, with its suite checked.
fn proof_of(signed: &Value) -> Result<(&Map<String, Value>, Cryptosuite), CredentialError> {
    let proof = match signed.get("proof") {
        Some(Value::Object(p)) => p,
        Some(_) => {
            return Err(CredentialError::MalformedDocument(
                "proof is not one object",
            ))
        }
        None => return Err(CredentialError::MissingProof),
    };
    let proof_type = proof
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if proof_type != DATA_INTEGRITY_PROOF {
        return Err(CredentialError::UnsupportedCryptosuite(
            proof_type.to_owned(),
        ));
    }
    let suite = proof
        .get("cryptosuite")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // Base58 decoding is quadratic in the length: a signature is 64 bytes (at most 88
    // characters); refuse a longer proofValue before any decoder sees it.
    if proof
        .get("proofValue")
        .and_then(Value::as_str)
        .is_some_and(|v| v.len() > MAX_PROOF_VALUE_CHARS)
    {
        return Err(CredentialError::MalformedProofValue);
    }
    Ok((proof, Cryptosuite::from_name(suite)?))
}

fn check_purpose(
    proof: &Map<String, Value>,
    expected: &'static str,
) -> Result<(), CredentialError> {
    let found = proof
        .get("proofPurpose")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if found != expected {
        return Err(CredentialError::WrongProofPurpose {
            expected,
            found: found.to_owned(),
        });
    }
    Ok(())
}

/// Checks that the proof's verification method is the did:key key of `controller`; returns
/// that key.
fn check_method(proof: &Map<String, Value>, controller: &str) -> Result<[u8; 32], CredentialError> {
    let method = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mismatch = || CredentialError::VerificationMethodMismatch {
        method: method.to_owned(),
        expected_controller: controller.to_owned(),
    };
    if did::did_of(method) != controller || !method.contains('#') {
        return Err(mismatch());
    }
    did::public_key_from_did_key(method).map_err(|_| mismatch())
}

/// The RDFC-1.0 canonical N-Quads of any JSON-LD document (expanded through `ssi-json-ld` with the
/// contexts of `loader`; a term the contexts do not define is an error).
pub fn rdfc_canonical_json_ld(
    document: &Value,
    loader: &'static ContextLoader,
) -> Result<String, CredentialError> {
    Ok(rdfc_canonical_lines(document, loader)?.concat())
}

/// The RDFC-1.0 canonical N-Quads lines of a JSON-LD document (see [`rdfc_canonical_json_ld`]).
fn rdfc_canonical_lines(
    document: &Value,
    loader: &'static ContextLoader,
) -> Result<Vec<String>, CredentialError> {
    check_depth(document)?;
    block_on(canonical_lines(document, loader)).map_err(CredentialError::Canonicalization)
}

/// [`rdfc_canonical_lines`] as a future, for [`block_on`] (which runs on a thread of its own:
/// callers needing several canonical forms run them in one future). `document`'s depth must
/// have been checked ([`check_depth`]).
async fn canonical_lines(
    document: &Value,
    loader: &'static ContextLoader,
) -> Result<Vec<String>, String> {
    use ssi_json_ld::Expand as _;
    use ssi_rdf::AnyLdEnvironment as _;
    // The top-level `@context` is processed once per process (`processed_context`) and the
    // rest of the document expanded with it: what expansion does with the `@context` entry
    // (JSON-LD 1.1 Expansion, step 9), without processing the same contexts at every call.
    let (context, body) = match document {
        Value::Object(map) => {
            let mut body = map.clone();
            (body.remove("@context"), Value::Object(body))
        }
        other => (None, other.clone()),
    };
    let json: ssi_json_ld::syntax::Value =
        serde_json::from_value(body).map_err(|e| e.to_string())?;
    let active = match &context {
        Some(context) => crate::context::processed_context(context, loader)
            .await?
            .as_ref()
            .clone(),
        None => crate::context::ProcessedContext::default(),
    };
    let mut ld = ssi_rdf::LdEnvironment::default();
    let expanded = json
        .expand_full(
            &mut ld.vocabulary,
            active,
            None,
            loader,
            expansion_options(),
            (),
        )
        .await
        .map_err(|e| e.to_string())?;
    ld.canonical_form_of(&expanded).map_err(|e| e.to_string())
}

/// The expansion options of `ssi`'s JSON-LD expansion (`CompactJsonLd::expand_with`): an
/// invalid or undefined term is an error, not dropped.
fn expansion_options() -> ssi_json_ld::expansion::Options {
    ssi_json_ld::expansion::Options {
        policy: ssi_json_ld::expansion::Policy {
            invalid: ssi_json_ld::expansion::Action::Reject,
            allow_undefined: false,
            ..Default::default()
        },
        ..Default::default()
    }
}

/// The `eddsa-rdfc-2022` hash data: `SHA-256(RDFC(proof configuration)) ||
/// SHA-256(RDFC(document))`, the configuration being `options` (no `proofValue`) with the
/// document's `@context`.
fn rdfc_hash_data(
    unsecured: &Value,
    options: &Map<String, Value>,
    loader: &'static ContextLoader,
) -> Result<[u8; 64], CredentialError> {
    let mut config = options.clone();
    config.remove("proofValue");
    match unsecured.get("@context") {
        Some(context) => config.insert("@context".into(), context.clone()),
        None => config.remove("@context"),
    };
    let config = Value::Object(config);
    check_depth(&config)?;
    check_depth(unsecured)?;
    // Both canonical forms in one future: one thread for `block_on`, not two.
    let (config_lines, document_lines) = block_on(async {
        let config_lines = canonical_lines(&config, loader).await?;
        let document_lines = canonical_lines(unsecured, loader).await?;
        Ok::<_, String>((config_lines, document_lines))
    })
    .map_err(CredentialError::Canonicalization)?;
    let mut hash_data = [0u8; 64];
    hash_data[..32].copy_from_slice(&Sha256::digest(config_lines.concat().as_bytes()));
    hash_data[32..].copy_from_slice(&Sha256::digest(document_lines.concat().as_bytes()));
    Ok(hash_data)
}

/// Checks one `eddsa-rdfc-2022` proof (vc-di-eddsa §3.2.2 "Verify Proof") over `unsecured`
/// (the document as it was when the proof was added): the proof configuration (the proof
/// without `proofValue`, with the document's `@context`) and the document are canonicalized
/// with RDFC-1.0 and hashed with SHA-256; Ed25519 (strict) checks the concatenation.
pub fn verify_rdfc_proof(
    unsecured: &Value,
    proof: &Map<String, Value>,
    public_key: &[u8; 32],
    loader: &'static ContextLoader,
) -> Result<(), CredentialError> {
    let signature = decode_proof_value(proof)?;
    let hash_data = rdfc_hash_data(unsecured, proof, loader)?;
    let key =
        VerifyingKey::from_bytes(public_key).map_err(|_| CredentialError::InvalidPublicKey)?;
    key.verify_strict(&hash_data, &signature)
        .map_err(|_| CredentialError::InvalidSignature)
}

fn verify_proof_over(
    unsecured: &Value,
    proof: &Map<String, Value>,
    suite: Cryptosuite,
    key: &[u8; 32],
    loader: &'static ContextLoader,
) -> Result<(), CredentialError> {
    match suite {
        Cryptosuite::EddsaRdfc2022 => verify_rdfc_proof(unsecured, proof, key, loader),
        Cryptosuite::EddsaJcs2022 => {
            let signature = decode_proof_value(proof)?;
            let mut options = proof.clone();
            options.remove("proofValue");
            if let Some(context) = options.get("@context") {
                if Some(context) != unsecured.get("@context") {
                    return Err(CredentialError::MalformedDocument(
                        "proof @context differs from the document's",
                    ));
                }
            }
            let hash_data = jcs_hash_data(unsecured, &Value::Object(options))?;
            let key =
                VerifyingKey::from_bytes(key).map_err(|_| CredentialError::InvalidPublicKey)?;
            key.verify_strict(&hash_data, &signature)
                .map_err(|_| CredentialError::InvalidSignature)
        }
    }
}

/// Checks the Data Integrity proof(s) of any JSON-LD credential or presentation (VCDM 2.0 or
/// 1.1; for the VC API), with the JSON-LD contexts of `loader`.
///
/// `proof` is one proof object or a proof set/chain (an array, VC Data Integrity §2.1.1–2.1.2).
/// Every proof must verify: a `DataIntegrityProof` with a supported cryptosuite, purpose
/// `purpose`, a did:key verification method, and the signature. A proof with `previousProof`
/// must name proofs of the set by `id`, and is checked over the document holding those proofs
/// as its `proof` (§4.5 "Verify Proof Sets and Chains"); the others over the document without
/// proofs. At least one proof must be by a key of `controller` (the issuer or holder). Returns
/// the suite of that proof.
pub fn verify_proof(
    signed: &Value,
    purpose: &'static str,
    controller: &str,
    loader: &'static ContextLoader,
) -> Result<Cryptosuite, CredentialError> {
    check_depth(signed)?;
    let Value::Object(object) = signed else {
        return Err(CredentialError::MalformedDocument(
            "document is not an object",
        ));
    };
    let proofs: Vec<&Value> = match object.get("proof") {
        Some(Value::Array(list)) if !list.is_empty() => list.iter().collect(),
        Some(Value::Array(_)) | None => return Err(CredentialError::MissingProof),
        Some(one) => vec![one],
    };
    let mut unsecured = object.clone();
    unsecured.remove("proof");
    let unsecured = Value::Object(unsecured);
    let mut by_controller = None;
    let mut first_error = None;
    for proof in &proofs {
        let mut single = Map::new();
        single.insert("proof".into(), (*proof).clone());
        let single = Value::Object(single);
        let (proof, suite) = proof_of(&single)?;
        check_purpose(proof, purpose)?;
        let method = proof
            .get("verificationMethod")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let key = check_method(proof, did::did_of(method))?;
        let previous: Vec<&Value> = match proof.get("previousProof") {
            None => Vec::new(),
            Some(Value::Array(list)) => list.iter().collect(),
            Some(one) => vec![one],
        };
        let mut matching = Vec::new();
        for id in previous {
            let found = proofs
                .iter()
                .find(|p| id.is_string() && p.get("id") == Some(id))
                .ok_or(CredentialError::MalformedDocument(
                    "previousProof names no proof of the set",
                ))?;
            matching.push((*found).clone());
        }
        let result = if matching.is_empty() {
            verify_proof_over(&unsecured, proof, suite, &key, loader)
        } else {
            let mut chained = unsecured.clone();
            if let Some(map) = chained.as_object_mut() {
                let value = if matching.len() == 1 {
                    matching.remove(0)
                } else {
                    Value::Array(matching)
                };
                map.insert("proof".into(), value);
            }
            verify_proof_over(&chained, proof, suite, &key, loader)
        };
        match result {
            Ok(()) => {}
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        }
        if did::did_of(method) == controller {
            by_controller.get_or_insert(suite);
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    by_controller.ok_or_else(|| CredentialError::VerificationMethodMismatch {
        method: proofs
            .iter()
            .filter_map(|p| p.get("verificationMethod").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(", "),
        expected_controller: controller.to_owned(),
    })
}

/// A credential that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCredential {
    /// What the credential says.
    pub contents: CredentialContents,
    /// The suite that secured it.
    pub cryptosuite: Cryptosuite,
    /// Its ledger digest (to compare with the attestation on the ledger).
    pub di_digest: [u8; 32],
}

/// Verifies a signed civil-status credential (either suite) at time `now` (Unix seconds).
///
/// Checks, in order: one `DataIntegrityProof` with a supported cryptosuite; purpose
/// `assertionMethod`; the credential's shape and claims; the verification method is the
/// issuer's did:key; `validFrom` is not after `now`; the signature.
pub fn verify_credential(signed: &Value, now: i64) -> Result<VerifiedCredential, CredentialError> {
    let (proof, cryptosuite) = proof_of(signed)?;
    check_purpose(proof, ASSERTION_METHOD)?;
    let mut unsigned = signed.clone();
    if let Some(map) = unsigned.as_object_mut() {
        map.remove("proof");
    }
    let contents = CredentialContents::from_json(&unsigned)?;
    let issuer_key = check_method(proof, &contents.issuer_did)?;
    if contents.valid_from > now {
        return Err(CredentialError::NotYetValid {
            valid_from: contents.valid_from,
            now,
        });
    }
    match cryptosuite {
        Cryptosuite::EddsaRdfc2022 => {
            verify_rdfc_signature(signed, RdfcDocument::Credential, now, context_loader())?
        }
        Cryptosuite::EddsaJcs2022 => verify_jcs_signature(signed, &issuer_key)?,
    }
    Ok(VerifiedCredential {
        contents,
        cryptosuite,
        di_digest: digest::di_digest(signed)?,
    })
}

/// Wraps a signed credential in a `VerifiablePresentation` signed by the holder
/// (`eddsa-rdfc-2022`, purpose `authentication`, the verifier's `challenge` and `domain`).
pub fn present(
    signed_credential: &Value,
    holder_seed: &[u8; 32],
    challenge: &str,
    domain: &str,
    now: i64,
) -> Result<Value, CredentialError> {
    let holder = did::did_key_from_seed(holder_seed);
    let presentation = json!({
        "@context": [CREDENTIALS_V2_CONTEXT_URL, CIVIL_STATUS_CONTEXT_URL],
        "type": ["VerifiablePresentation"],
        "holder": holder,
        "verifiableCredential": [signed_credential],
    });
    check_depth(&presentation)?;
    check_ld_value(&presentation)?;
    let vm = did::verification_method(&holder)?;
    let options = proof_options(
        Cryptosuite::EddsaRdfc2022,
        &vm,
        AUTHENTICATION,
        now,
        Some((challenge, domain)),
    )?;
    sign_rdfc_with_options(&presentation, options, holder_seed, context_loader())
}

/// A presentation that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPresentation {
    /// The holder's did:key (who signed the presentation, and the credential's subject).
    pub holder_did: String,
    /// The presented credential, itself verified.
    pub credential: VerifiedCredential,
}

/// Verifies a Data Integrity presentation for a verifier that issued `challenge` and calls
/// itself `domain`, at time `now`.
///
/// Checks, in order: shape (one credential, a holder); one `eddsa-rdfc-2022`
/// `DataIntegrityProof`; purpose `authentication`; the method is the holder's did:key;
/// `challenge`; `domain`; the holder's signature; the embedded credential
/// ([`verify_credential`]); the credential's subject is the holder.
pub fn verify_presentation(
    presentation: &Value,
    challenge: &str,
    domain: &str,
    now: i64,
) -> Result<VerifiedPresentation, CredentialError> {
    let object = presentation
        .as_object()
        .ok_or(CredentialError::MalformedDocument(
            "presentation is not an object",
        ))?;
    let is_vp = object
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|t| t.iter().any(|t| t == "VerifiablePresentation"));
    if !is_vp {
        return Err(CredentialError::MalformedDocument(
            "not a VerifiablePresentation",
        ));
    }
    let holder = object
        .get("holder")
        .and_then(Value::as_str)
        .ok_or(CredentialError::MalformedDocument("holder"))?;
    let credential = match object.get("verifiableCredential") {
        Some(Value::Array(list)) if list.len() == 1 => &list[0],
        Some(Value::Object(_)) => &object["verifiableCredential"],
        _ => return Err(CredentialError::CredentialCount),
    };
    let (proof, suite) = proof_of(presentation)?;
    if suite != Cryptosuite::EddsaRdfc2022 {
        return Err(CredentialError::UnsupportedCryptosuite(
            suite.as_str().to_owned(),
        ));
    }
    check_purpose(proof, AUTHENTICATION)?;
    check_method(proof, holder)?;
    if proof.get("challenge").and_then(Value::as_str) != Some(challenge) {
        return Err(CredentialError::ChallengeMismatch);
    }
    if proof.get("domain").and_then(Value::as_str) != Some(domain) {
        return Err(CredentialError::DomainMismatch);
    }
    verify_rdfc_signature(
        presentation,
        RdfcDocument::Presentation,
        now,
        context_loader(),
    )?;
    let credential = verify_credential(credential, now)?;
    if credential.contents.holder_did != holder {
        return Err(CredentialError::HolderMismatch {
            holder: holder.to_owned(),
            subject: credential.contents.holder_did.clone(),
        });
    }
    Ok(VerifiedPresentation {
        holder_did: holder.to_owned(),
        credential,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{context_loader, vc_api_context_loader};

    /// The canonical form through `ssi`'s own expansion, which processes the `@context` at
    /// every call: what [`rdfc_canonical_lines`] must equal.
    fn reference_lines(document: &Value, loader: &ContextLoader) -> Option<Vec<String>> {
        use ssi_json_ld::{CompactJsonLd, Expandable as _};
        use ssi_rdf::AnyLdEnvironment as _;
        let json: ssi_json_ld::syntax::Value = serde_json::from_value(document.clone()).unwrap();
        let mut ld = ssi_rdf::LdEnvironment::default();
        let expanded = block_on(CompactJsonLd(json).expand_with(&mut ld, loader)).ok()?;
        ld.canonical_form_of(&expanded).ok()
    }

    #[test]
    fn cached_contexts_give_the_canonical_form_of_a_fresh_expansion() {
        let holder = did::did_key_from_seed(&[0x22; 32]);
        let claims = json!({
            "givenName": "Amal", "familyName": "Haddad", "birthDate": "2024-02-29",
            "birthPlace": "Zaatari camp, Mafraq", "sex": "female", "nationality": "SYR",
            "registrationNumber": "JO-ZA-2024-000123", "registrationDate": "2024-03-04"
        });
        let issued = crate::issue(
            crate::EventKind::Birth,
            &claims,
            &holder,
            &[7; 32],
            1_700_000_000,
        )
        .unwrap();
        let signed = &issued.data_integrity;
        let mut unsecured = signed.clone();
        let proof = unsecured.as_object_mut().unwrap().remove("proof").unwrap();
        let mut config = proof.as_object().unwrap().clone();
        config.remove("proofValue");
        config.insert("@context".into(), signed["@context"].clone());
        // An inline context beside the bundled ones, and a document with no context at all (an
        // undefined term: an error both ways).
        let mut inline = unsecured.clone();
        inline["@context"]
            .as_array_mut()
            .unwrap()
            .push(json!({"note": "https://example.org/note"}));
        inline["note"] = json!("a term of the inline context");
        assert!(reference_lines(&unsecured, context_loader()).is_some());
        assert!(reference_lines(&inline, context_loader()).is_some());
        for document in [unsecured, Value::Object(config), inline, json!({"a": 1})] {
            for loader in [context_loader(), vc_api_context_loader()] {
                // Twice: the second run takes the processed context from the cache.
                for _ in 0..2 {
                    assert_eq!(
                        rdfc_canonical_lines(&document, loader).ok(),
                        reference_lines(&document, loader),
                        "{document}"
                    );
                }
            }
        }
        // A context that cannot be processed is an error, not a cached success.
        let unknown = json!({"@context": ["https://example.org/unknown/v1"], "a": 1});
        for _ in 0..2 {
            assert!(rdfc_canonical_lines(&unknown, context_loader()).is_err());
        }
    }
}
