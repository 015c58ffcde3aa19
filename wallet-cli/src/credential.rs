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

/// Turns 16 random bytes into a UUID version 4 (sets the version and variant bits).
pub fn uuid_v4(mut bytes: [u8; 16]) -> [u8; 16] {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    bytes
}

/// `urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (lower-case hex) for a credential id.
pub fn id_to_urn(id: &[u8; 16]) -> String {
    let h = hex::encode(id);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Parses a `urn:uuid:` credential id back into its 16 bytes.
pub fn id_from_urn(urn: &str) -> Result<[u8; 16], CredentialError> {
    let bad = || CredentialError::MalformedDocument("id is not a urn:uuid");
    let uuid = urn.strip_prefix("urn:uuid:").ok_or_else(bad)?;
    let groups: Vec<&str> = uuid.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    if lengths != [8, 4, 4, 4, 12] || uuid.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(bad());
    }
    let bytes = hex::decode(groups.concat()).map_err(|_| bad())?;
    bytes.try_into().map_err(|_| bad())
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
pub fn format_timestamp(unix_seconds: i64) -> Result<String, CredentialError> {
    // 0000-01-01 .. 9999-12-31
    if !(-62_167_219_200..=253_402_300_799).contains(&unix_seconds) {
        return Err(CredentialError::TimestampOutOfRange(unix_seconds));
    }
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    Ok(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    ))
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (the form [`format_timestamp`] writes) into Unix seconds.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    if !crate::event::is_date(&text[..10]) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

// Howard Hinnant's civil calendar algorithms.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

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
