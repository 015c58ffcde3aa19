//! The unsigned W3C Verifiable Credential (Data Model 2.0) for one civil-status event.
//!
//! Shape, in this member order:
//!
//! ```json
//! {
//!   "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/nansen/civil-status/v1"],
//!   "id": "urn:uuid:<random v4>",
//!   "type": ["VerifiableCredential", "BirthCredential"],
//!   "issuer": "did:key:<registrar>",
//!   "validFrom": "2026-11-29T10:00:00Z",
//!   "salt": "<16 random bytes, base64url, no padding>",
//!   "credentialSubject": { "id": "did:key:<holder>", "<claim>": "<value>", ... }
//! }
//! ```
//!
//! The random `id` is what the ledger records; the random `salt` makes the digest anchored on
//! the ledger impossible to guess from the claims.

use crate::event::CredentialKind as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::context::{CIVIL_STATUS_CONTEXT_URL, CREDENTIALS_V2_CONTEXT_URL};
use crate::did;
use crate::error::CredentialError;
use crate::event::{EventClaims, EventKind};

/// The W3C base credential type.
pub const VERIFIABLE_CREDENTIAL: &str = "VerifiableCredential";

/// Fills 16 bytes from the operating system's random source.
pub fn random_16() -> Result<[u8; 16], CredentialError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| CredentialError::Randomness)?;
    Ok(bytes)
}

pub use nansen_verifier::ids::{
    format_timestamp, id_from_urn, id_to_urn, parse_timestamp, uuid_v4,
};

/// Everything needed to build one unsigned credential.
#[derive(Debug, Clone)]
pub struct CredentialDraft<'a> {
    /// The event's validated claims.
    pub claims: &'a EventClaims,
    /// The registrar's did:key (the issuer).
    pub issuer_did: &'a str,
    /// The holder's did:key (the credential subject).
    pub holder_did: &'a str,
    /// The credential id (a UUID v4).
    pub id: [u8; 16],
    /// The 16-byte salt.
    pub salt: [u8; 16],
    /// `validFrom`, Unix seconds.
    pub valid_from: i64,
}

impl CredentialDraft<'_> {
    /// Builds the unsigned credential JSON.
    pub fn to_json(&self) -> Result<Value, CredentialError> {
        did::public_key_from_did_key(self.issuer_did)?;
        did::public_key_from_did_key(self.holder_did)?;
        let mut subject = Map::new();
        subject.insert("id".into(), Value::String(self.holder_did.to_owned()));
        subject.extend(self.claims.to_json());
        Ok(json!({
            "@context": [CREDENTIALS_V2_CONTEXT_URL, CIVIL_STATUS_CONTEXT_URL],
            "id": id_to_urn(&self.id),
            "type": [VERIFIABLE_CREDENTIAL, self.claims.kind().credential_type()],
            "issuer": self.issuer_did,
            "validFrom": format_timestamp(self.valid_from)?,
            "salt": URL_SAFE_NO_PAD.encode(self.salt),
            "credentialSubject": Value::Object(subject),
        }))
    }
}

/// What a credential says, read back from its JSON (signed or not) and re-validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialContents {
    /// The credential id.
    pub id: [u8; 16],
    /// The issuer's did:key.
    pub issuer_did: String,
    /// The holder's did:key.
    pub holder_did: String,
    /// `validFrom`, Unix seconds.
    pub valid_from: i64,
    /// The event claims.
    pub claims: EventClaims,
}

impl CredentialContents {
    /// Reads and validates a credential of this project's shape.
    pub fn from_json(credential: &Value) -> Result<Self, CredentialError> {
        let malformed = CredentialError::MalformedDocument;
        let object = credential
            .as_object()
            .ok_or(malformed("credential is not an object"))?;
        let context = json!([CREDENTIALS_V2_CONTEXT_URL, CIVIL_STATUS_CONTEXT_URL]);
        if object.get("@context") != Some(&context) {
            return Err(malformed("unexpected @context"));
        }
        let str_field = |name: &'static str| {
            object
                .get(name)
                .and_then(Value::as_str)
                .ok_or(malformed(name))
        };
        let id = id_from_urn(str_field("id")?)?;
        let types = object
            .get("type")
            .and_then(Value::as_array)
            .ok_or(malformed("type"))?;
        let kind = match types.as_slice() {
            [Value::String(base), Value::String(t)] if base == VERIFIABLE_CREDENTIAL => {
                EventKind::from_credential_type(t).ok_or(malformed("unknown credential type"))?
            }
            _ => return Err(malformed("type")),
        };
        let issuer_did = str_field("issuer")?.to_owned();
        did::public_key_from_did_key(&issuer_did)?;
        let valid_from = parse_timestamp(str_field("validFrom")?).ok_or(malformed("validFrom"))?;
        let salt = URL_SAFE_NO_PAD
            .decode(str_field("salt")?)
            .map_err(|_| malformed("salt"))?;
        if salt.len() != 16 {
            return Err(malformed("salt must be 16 bytes"));
        }
        let mut subject = object
            .get("credentialSubject")
            .and_then(Value::as_object)
            .ok_or(malformed("credentialSubject"))?
            .clone();
        let holder_did = match subject.remove("id") {
            Some(Value::String(s)) => s,
            _ => return Err(malformed("credentialSubject.id")),
        };
        did::public_key_from_did_key(&holder_did)?;
        let claims = EventClaims::from_map(kind, &subject)?;
        Ok(CredentialContents {
            id,
            issuer_did,
            holder_did,
            valid_from,
            claims,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        for t in [0i64, 951_782_400, 1_764_410_400, 1_709_164_800, -1] {
            let s = format_timestamp(t).unwrap();
            assert_eq!(parse_timestamp(&s), Some(t), "{s}");
        }
        assert_eq!(
            format_timestamp(1_677_281_798).unwrap(),
            "2023-02-24T23:36:38Z"
        );
    }

    #[test]
    fn uuid_urn_round_trips_with_version_bits() {
        let id = uuid_v4([0xff; 16]);
        let urn = id_to_urn(&id);
        assert_eq!(urn, "urn:uuid:ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(id_from_urn(&urn).unwrap(), id);
    }
}
