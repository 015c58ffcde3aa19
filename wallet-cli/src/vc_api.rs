//! A subset of the W3C VC API: the answers, without I/O ([`handle`]). The service that serves
//! them is the `nansen-vc-api` binary (crate `vc-api/`), on the node's HTTP server stack.
//!
//! - `POST /credentials/issue`: `{credential, options: {cryptosuite}}` (`eddsa-rdfc-2022`, the
//!   default, or `eddsa-jcs-2022`) → 201 `{verifiableCredential}`, signed by the registrar key.
//! - `POST /credentials/verify`: `{verifiableCredential}` → 200 `{verified: true, checks,
//!   warnings, errors}`, or 400 with `verified: false` and the reasons in `errors`.
//! - `POST /presentations/verify`: `{verifiablePresentation, options: {challenge, domain}}` →
//!   the same, checking the presentation's proof (purpose `authentication`, the holder's key,
//!   challenge and domain when given) and every credential in it.
//!
//! Any credential is accepted, not only civil-status ones, as long as its contexts are bundled
//! (nothing is fetched) and its issuer or holder is a did:key. Malformed requests get 400.

use serde_json::{json, Map, Value};

use crate::context::{
    vc_api_context_loader, CREDENTIALS_V1_CONTEXT_URL, CREDENTIALS_V2_CONTEXT_URL,
    DATA_INTEGRITY_V2_CONTEXT_URL,
};
use crate::data_integrity::{self, Cryptosuite, ASSERTION_METHOD, AUTHENTICATION};
use crate::{did, CredentialError};

/// Largest request body accepted.
pub const MAX_BODY: usize = 1 << 20;

/// An HTTP response: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// JSON body.
    pub body: Value,
}

/// An error answer: `verified: false`, the error's `name` and message in `errors`, and the
/// same as RFC 9457 problem details.
pub fn problem(status: u16, name: &str, message: impl std::fmt::Display) -> Response {
    Response {
        status,
        body: json!({
            "verified": false,
            "errors": [{"name": name, "message": message.to_string()}],
            "problemDetails": [{"type": name, "title": message.to_string()}],
        }),
    }
}

/// A failed check: its name (stable) and why.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The check: `proof`, `validFrom`, `validUntil`, `challenge`, `domain`, `credential`.
    pub check: &'static str,
    /// The error's name and message.
    pub message: String,
}

fn fail(check: &'static str, message: impl std::fmt::Display) -> Failure {
    Failure {
        check,
        message: message.to_string(),
    }
}

fn named(e: &CredentialError) -> String {
    let name = crate::cli::credential_error_name(e);
    format!("{name}: {e}")
}

fn id_of(v: Option<&Value>) -> Option<&str> {
    match v? {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// Parses an XML Schema `dateTimeStamp` (`YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`, the form of
/// `validFrom` and `validUntil` in VCDM 2.0) to Unix seconds.
pub fn parse_date_time_stamp(text: &str) -> Option<i64> {
    if text.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp())
}

fn is_v2(document: &Value) -> bool {
    match document.get("@context") {
        Some(Value::Array(list)) => {
            list.first().and_then(Value::as_str) == Some(CREDENTIALS_V2_CONTEXT_URL)
        }
        Some(Value::String(s)) => s == CREDENTIALS_V2_CONTEXT_URL,
        _ => false,
    }
}

/// VCDM 2.0 §4.3 and §4.5, which VCDM 1.1 shares: the first `@context` is the base context of
/// one of the two versions (any other order changes what the terms mean), and `type` names
/// `required` (`VerifiableCredential` or `VerifiablePresentation`). The error names the rule.
pub fn check_base_context_and_type(document: &Value, required: &str) -> Result<(), String> {
    let first = match document.get("@context") {
        Some(Value::Array(list)) => list.first().and_then(Value::as_str),
        Some(Value::String(s)) => Some(s.as_str()),
        _ => None,
    };
    if first != Some(CREDENTIALS_V2_CONTEXT_URL) && first != Some(CREDENTIALS_V1_CONTEXT_URL) {
        return Err(format!(
            "VCDM 2.0 §4.3: the first @context must be {CREDENTIALS_V2_CONTEXT_URL} (found {})",
            first.unwrap_or("none")
        ));
    }
    let typed = match document.get("type") {
        Some(Value::Array(list)) => list.iter().any(|t| t == required),
        Some(Value::String(s)) => s == required,
        _ => false,
    };
    if !typed {
        return Err(format!("VCDM 2.0 §4.5: type must include {required}"));
    }
    Ok(())
}

/// The `credentialStatus` entries of a credential that this verifier does not check (every
/// one: nothing is fetched, so a status list cannot be read), as warnings naming each.
fn unchecked_status_warnings(vc: &Value) -> Vec<Value> {
    let entries: Vec<&Value> = match vc.get("credentialStatus") {
        None => Vec::new(),
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
    };
    entries
        .into_iter()
        .map(|e| {
            let kind = e.get("type").and_then(Value::as_str).unwrap_or("untyped");
            let purpose = e
                .get("statusPurpose")
                .and_then(Value::as_str)
                .unwrap_or("unstated");
            json!({
                "name": "credential-status-unchecked",
                "message": format!(
                    "credentialStatus of type {kind} (purpose {purpose}) was not checked: \
                     this verifier fetches no status list; the credential may be revoked"
                ),
            })
        })
        .collect()
}

/// `name` or `description`: a string, a language value object (`@value` with optional
/// `@language` and `@direction`, nothing else), or a list of those (VCDM 2.0 §4.6, §11.1).
fn check_language_value(field: &str, value: &Value) -> Result<(), String> {
    let one = |v: &Value| match v {
        Value::String(_) => true,
        Value::Object(o) => {
            o.get("@value").is_some_and(Value::is_string)
                && o.iter().all(|(k, v)| match k.as_str() {
                    "@value" => true,
                    "@language" | "@direction" => v.is_string(),
                    _ => false,
                })
        }
        _ => false,
    };
    let ok = match value {
        Value::Array(list) => list.iter().all(one),
        v => one(v),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{field} is not a string or a language value object (@value, @language, @direction)"
        ))
    }
}

/// The VCDM 2.0 rules that JSON-LD processing does not enforce: `id`, if present, is a URL;
/// `issuer` is a URL or an object
/// with an `id` URL; `credentialSubject` is one or more non-empty objects (§4.8); `name` and
/// `description` (of the credential and of an issuer object) are
/// strings or language value objects; every `relatedResource` is an object with a unique `id`
/// and a `digestSRI` or `digestMultibase` (§5.3). Digests are not checked against the resources
/// (nothing is fetched). VCDM 1.1 credentials are left to JSON-LD processing.
pub fn check_data_model(credential: &Value) -> Result<(), String> {
    check_base_context_and_type(credential, "VerifiableCredential")?;
    if !is_v2(credential) {
        return Ok(());
    }
    let is_url = |v: Option<&Value>| v.and_then(Value::as_str).is_some_and(|s| s.contains(':'));
    // §4.4: an `id`, when present, is one URL. (JSON-LD drops an `id` that is not an IRI,
    // such as "", from the signed graph, so the signature alone would not catch it.)
    if let Some(id) = credential.get("id") {
        if !is_url(Some(id)) {
            return Err("id is not a URL".into());
        }
    }
    match credential.get("issuer") {
        Some(Value::Object(o)) => {
            if !is_url(o.get("id")) {
                return Err("issuer.id is not a URL".into());
            }
            for field in ["name", "description"] {
                if let Some(v) = o.get(field) {
                    check_language_value(&format!("issuer.{field}"), v)?;
                }
            }
        }
        v @ Some(_) if is_url(v) => {}
        _ => return Err("issuer is not a URL or an object with an id URL".into()),
    }
    let claims = |v: &Value| v.as_object().is_some_and(|o| !o.is_empty());
    let subjects_ok = match credential.get("credentialSubject") {
        Some(Value::Array(list)) => !list.is_empty() && list.iter().all(claims),
        Some(one) => claims(one),
        None => false,
    };
    if !subjects_ok {
        return Err("credentialSubject is not one or more objects holding claims".into());
    }
    for field in ["name", "description"] {
        if let Some(v) = credential.get(field) {
            check_language_value(field, v)?;
        }
    }
    if let Some(related) = credential.get("relatedResource") {
        let list: Vec<&Value> = match related {
            Value::Array(list) => list.iter().collect(),
            one => vec![one],
        };
        let mut seen = Vec::new();
        for r in list {
            let Value::Object(o) = r else {
                return Err("relatedResource is not an object".into());
            };
            let Some(id) = o
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| s.contains(':'))
            else {
                return Err("relatedResource has no id URL".into());
            };
            if seen.contains(&id) {
                return Err(format!("relatedResource id {id} is repeated"));
            }
            seen.push(id);
            let digest = |k: &str| o.get(k).is_some_and(Value::is_string);
            if !digest("digestSRI") && !digest("digestMultibase") {
                return Err(format!(
                    "relatedResource {id} has no digestSRI or digestMultibase"
                ));
            }
        }
    }
    Ok(())
}

/// Verifies any credential (VCDM 2.0 or 1.1): the data model rules ([`check_data_model`]),
/// every proof (issuer's did:key, purpose `assertionMethod`), `validFrom` and `validUntil` at
/// `now`. Returns the checks passed.
pub fn verify_credential(vc: &Value, now: i64) -> Result<Vec<&'static str>, Failure> {
    if !vc.is_object() {
        return Err(fail("credential", "not a JSON object"));
    }
    check_data_model(vc).map_err(|m| fail("credential", m))?;
    let issuer = id_of(vc.get("issuer")).ok_or_else(|| fail("credential", "no issuer id"))?;
    data_integrity::verify_proof(vc, ASSERTION_METHOD, issuer, vc_api_context_loader())
        .map_err(|e| fail("proof", named(&e)))?;
    let mut checks = vec!["proof"];
    for (field, check) in [("validFrom", "validFrom"), ("validUntil", "validUntil")] {
        let Some(v) = vc.get(field) else { continue };
        let t = v
            .as_str()
            .and_then(parse_date_time_stamp)
            .ok_or_else(|| fail(check, format!("{field} is not an XML Schema dateTimeStamp")))?;
        if field == "validFrom" && t > now {
            return Err(fail(check, "the credential is not yet valid"));
        }
        if field == "validUntil" && t < now {
            return Err(fail(check, "the credential has expired"));
        }
        checks.push(check);
    }
    Ok(checks)
}

/// Verifies any presentation: its proof (purpose `authentication`, the holder's did:key, or
/// the method's DID when there is no holder), the challenge and domain when expected, and
/// every credential in it.
pub fn verify_presentation(
    vp: &Value,
    challenge: Option<&str>,
    domain: Option<&str>,
    now: i64,
) -> Result<Vec<&'static str>, Failure> {
    let object = vp
        .as_object()
        .ok_or_else(|| fail("presentation", "not a JSON object"))?;
    check_base_context_and_type(vp, "VerifiablePresentation")
        .map_err(|m| fail("presentation", m))?;
    let proof = object
        .get("proof")
        .and_then(Value::as_object)
        .ok_or_else(|| fail("proof", "MissingProof: no single proof object"))?;
    let method = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let holder = id_of(object.get("holder")).unwrap_or_else(|| did::did_of(method));
    let mut checks = Vec::new();
    if let Some(c) = challenge {
        if proof.get("challenge").and_then(Value::as_str) != Some(c) {
            return Err(fail("challenge", "ChallengeMismatch"));
        }
        checks.push("challenge");
    }
    if let Some(d) = domain {
        let ok = match proof.get("domain") {
            Some(Value::String(s)) => s == d,
            Some(Value::Array(a)) => a.iter().any(|v| v == d),
            _ => false,
        };
        if !ok {
            return Err(fail("domain", "DomainMismatch"));
        }
        checks.push("domain");
    }
    data_integrity::verify_proof(vp, AUTHENTICATION, holder, vc_api_context_loader())
        .map_err(|e| fail("proof", named(&e)))?;
    checks.insert(0, "proof");
    let credentials: Vec<&Value> = match object.get("verifiableCredential") {
        None => Vec::new(),
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
    };
    for (i, vc) in credentials.into_iter().enumerate() {
        verify_credential(vc, now).map_err(|f| {
            fail(
                "credential",
                format!("verifiableCredential[{i}]: {}: {}", f.check, f.message),
            )
        })?;
    }
    checks.push("credential");
    Ok(checks)
}

/// The VC API's answer to a verification. A credential status this verifier could not check
/// is a warning beside `verified: true`, never silence.
fn verification_response(
    result: Result<Vec<&'static str>, Failure>,
    warnings: Vec<Value>,
) -> Response {
    match result {
        Ok(checks) => Response {
            status: 200,
            body: json!({"verified": true, "checks": checks, "warnings": warnings, "errors": [],
                         "problemDetails": []}),
        },
        Err(f) => Response {
            status: 400,
            body: json!({
                "verified": false,
                "checks": [],
                "warnings": [],
                "errors": [{"name": f.check, "message": f.message}],
                "problemDetails": [{"type": f.check, "title": f.message}],
            }),
        },
    }
}

/// VC Data Integrity §2.4 (context injection): a VCDM 1.1 credential's base context does not
/// define `DataIntegrityProof`, so the Data Integrity context is appended when absent.
fn inject_data_integrity_context(credential: &mut Map<String, Value>) {
    let contexts = match credential.get("@context") {
        Some(Value::String(s)) => vec![Value::String(s.clone())],
        Some(Value::Array(list)) => list.clone(),
        _ => return,
    };
    let has = |url: &str| contexts.iter().any(|c| c == url);
    if contexts.first().and_then(Value::as_str) == Some(CREDENTIALS_V1_CONTEXT_URL)
        && !has(DATA_INTEGRITY_V2_CONTEXT_URL)
        && !has(CREDENTIALS_V2_CONTEXT_URL)
    {
        let mut contexts = contexts;
        contexts.push(Value::String(DATA_INTEGRITY_V2_CONTEXT_URL.into()));
        credential.insert("@context".into(), Value::Array(contexts));
    }
}

fn issue(body: &Map<String, Value>, seed: &[u8; 32], now: i64) -> Response {
    let Some(Value::Object(credential)) = body.get("credential") else {
        return problem(400, "MalformedRequest", "no credential object");
    };
    if credential.contains_key("proof") {
        return problem(
            400,
            "MalformedRequest",
            "the credential already has a proof",
        );
    }
    let suite = match body
        .get("options")
        .and_then(|o| o.get("cryptosuite"))
        .map(Value::as_str)
    {
        None => Cryptosuite::EddsaRdfc2022,
        Some(Some(data_integrity::EDDSA_RDFC_2022)) => Cryptosuite::EddsaRdfc2022,
        Some(Some(data_integrity::EDDSA_JCS_2022)) => Cryptosuite::EddsaJcs2022,
        Some(other) => {
            return problem(
                400,
                "UnsupportedCryptosuite",
                format!("cryptosuite {other:?} (use eddsa-rdfc-2022 or eddsa-jcs-2022)"),
            )
        }
    };
    let issuer_did = did::did_key_from_seed(seed);
    let mut credential = credential.clone();
    // An absent issuer (or an issuer object without `id`) is this service; a null one is not.
    match credential.get_mut("issuer") {
        None => {
            credential.insert("issuer".into(), Value::String(issuer_did.clone()));
        }
        Some(Value::Object(o)) if !o.contains_key("id") => {
            o.insert("id".into(), Value::String(issuer_did.clone()));
        }
        Some(_) => {}
    }
    match id_of(credential.get("issuer")) {
        Some(id) if id == issuer_did => {}
        Some(id) => {
            return problem(
                400,
                "IssuerMismatch",
                format!("this service issues as {issuer_did}, not {id}"),
            )
        }
        None => return problem(400, "MalformedCredential", "issuer is not a URL"),
    }
    inject_data_integrity_context(&mut credential);
    let unsigned = Value::Object(credential);
    if let Err(m) = check_data_model(&unsigned) {
        return problem(400, "MalformedCredential", m);
    }
    let signed = match suite {
        Cryptosuite::EddsaRdfc2022 => {
            data_integrity::sign_rdfc_with_loader(&unsigned, seed, now, vc_api_context_loader())
        }
        Cryptosuite::EddsaJcs2022 => data_integrity::sign_jcs(&unsigned, seed, now),
    };
    match signed {
        Ok(vc) => Response {
            status: 201,
            body: json!({"verifiableCredential": vc}),
        },
        Err(e) => problem(400, &crate::cli::credential_error_name(&e), e),
    }
}

/// Answers one request (no I/O). `seed` is the registrar's signing seed, `now` Unix seconds.
pub fn handle(method: &str, path: &str, body: &[u8], seed: &[u8; 32], now: i64) -> Response {
    let routes = [
        "/credentials/issue",
        "/credentials/verify",
        "/presentations/verify",
    ];
    let path = path.split('?').next().unwrap_or_default();
    if !routes.contains(&path) {
        return problem(404, "NotFound", format!("no route {path}"));
    }
    if method != "POST" {
        return problem(405, "MethodNotAllowed", "use POST");
    }
    let body = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => o,
        _ => return problem(400, "MalformedRequest", "the body is not a JSON object"),
    };
    match path {
        "/credentials/issue" => issue(&body, seed, now),
        "/credentials/verify" => match body.get("verifiableCredential") {
            Some(vc) => {
                verification_response(verify_credential(vc, now), unchecked_status_warnings(vc))
            }
            None => problem(400, "MalformedRequest", "no verifiableCredential"),
        },
        _ => {
            let Some(vp) = body.get("verifiablePresentation") else {
                return problem(400, "MalformedRequest", "no verifiablePresentation");
            };
            let option = |n: &str| {
                body.get("options")
                    .and_then(|o| o.get(n))
                    .and_then(Value::as_str)
            };
            let warnings = match vp.get("verifiableCredential") {
                Some(Value::Array(list)) => {
                    list.iter().flat_map(unchecked_status_warnings).collect()
                }
                Some(one) => unchecked_status_warnings(one),
                None => Vec::new(),
            };
            verification_response(
                verify_presentation(vp, option("challenge"), option("domain"), now),
                warnings,
            )
        }
    }
}
