//! The verifier's checks of a Data Integrity presentation (`nansen present --form di`): a
//! `VerifiablePresentation` signed by the holder (`eddsa-rdfc-2022`, purpose
//! `authentication`) around one whole credential. Each check is reported by name, as for
//! SD-JWT presentations; the ledger checks then run on the credential's `di_digest`.

use super::*;
use crate::data_integrity::{self as di, AUTHENTICATION, DATA_INTEGRITY_PROOF, EDDSA_RDFC_2022};
use crate::sd_jwt::DisclosedCredential;

pub use nansen_verifier::verdict::{is_di_credential, is_di_presentation, DI_CHECKS};

/// A failed check: its name and the error.
pub type Failure = (&'static str, CredentialError);

/// Checks a Data Integrity presentation for a verifier that issued `challenge` and calls
/// itself `audience` (the proof's `domain`), at `now`, accepting a proof `created` at most
/// `max_age` seconds from `now`. Returns what the credential says (every claim: this form
/// discloses all) and its `di_digest`.
pub fn check_di_presentation(
    text: &str,
    challenge: &str,
    audience: &str,
    now: i64,
    max_age: i64,
) -> Result<(DisclosedCredential, [u8; 32]), Failure> {
    let format = |e| ("format", e);
    let vp: Value = serde_json::from_str(text.trim())
        .map_err(|_| format(CredentialError::MalformedDocument("not JSON")))?;
    vp.get("holder")
        .and_then(Value::as_str)
        .ok_or(format(CredentialError::MalformedDocument("holder")))?;
    let credential = match vp.get("verifiableCredential") {
        Some(Value::Array(list)) if list.len() == 1 => list[0].clone(),
        Some(Value::Object(_)) => vp["verifiableCredential"].clone(),
        _ => return Err(format(CredentialError::CredentialCount)),
    };
    let proof = match vp.get("proof") {
        Some(Value::Object(p)) => p.clone(),
        Some(_) => {
            return Err(format(CredentialError::MalformedDocument(
                "proof is not one object",
            )))
        }
        None => return Err(format(CredentialError::MissingProof)),
    };
    let text_of = |name: &str| proof.get(name).and_then(Value::as_str).unwrap_or_default();
    if text_of("type") != DATA_INTEGRITY_PROOF || text_of("cryptosuite") != EDDSA_RDFC_2022 {
        return Err(format(CredentialError::UnsupportedCryptosuite(format!(
            "{} {}",
            text_of("type"),
            text_of("cryptosuite")
        ))));
    }
    if text_of("proofPurpose") != AUTHENTICATION {
        return Err(format(CredentialError::WrongProofPurpose {
            expected: AUTHENTICATION,
            found: text_of("proofPurpose").to_owned(),
        }));
    }
    if text_of("challenge") != challenge {
        return Err(("challenge", CredentialError::ChallengeMismatch));
    }
    if text_of("domain") != audience {
        return Err(("audience", CredentialError::DomainMismatch));
    }
    let created = crate::credential::parse_timestamp(text_of("created")).ok_or((
        "freshness",
        CredentialError::MalformedDocument("proof created"),
    ))?;
    if (now - created).abs() > max_age {
        return Err((
            "freshness",
            CredentialError::StaleKeyBinding { iat: created, now },
        ));
    }
    // The credential first (a changed claim is the issuer's signature failing), then the
    // holder's proof over the whole presentation and that the holder is the subject.
    let verified = di::verify_credential(&credential, now).map_err(|e| ("issuer-signature", e))?;
    di::verify_presentation(&vp, challenge, audience, now).map_err(|e| ("holder-binding", e))?;
    Ok((disclosed_of(verified.contents), verified.di_digest))
}

/// Every claim of a verified Data Integrity credential, as a verifier shows it.
fn disclosed_of(contents: crate::credential::CredentialContents) -> DisclosedCredential {
    let claims: Map<String, Value> = contents
        .claims
        .iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect();
    DisclosedCredential {
        id: contents.id,
        issuer_did: contents.issuer_did,
        holder_did: contents.holder_did,
        kind: contents.claims.kind(),
        issued_at: contents.valid_from,
        claims,
        sd_digest: [0; 32],
    }
}

/// Checks a bare civil-status credential (`eddsa-rdfc-2022`, as `nansen issue` signs it) at
/// `now`: what it says (every claim) and its `di_digest`, for the ledger checks.
pub fn check_di_credential(
    text: &str,
    now: i64,
) -> Result<(DisclosedCredential, [u8; 32]), Failure> {
    let credential: Value = serde_json::from_str(text.trim())
        .map_err(|_| ("format", CredentialError::MalformedDocument("not JSON")))?;
    let verified = di::verify_credential(&credential, now).map_err(|e| match e {
        CredentialError::MalformedDocument(_) | CredentialError::MissingProof => ("format", e),
        other => ("issuer-signature", other),
    })?;
    Ok((disclosed_of(verified.contents), verified.di_digest))
}
