//! The digests the ledger anchors for an issued credential.
//!
//! - `di_digest` = SHA-256 of the RFC 8785 (JCS) canonical bytes of the whole signed Data
//!   Integrity credential, proof included.
//! - `sd_digest` = SHA-256 of the ASCII issuer-signed JWT of the SD-JWT, i.e. everything before
//!   its first `~` (header.payload.signature, without disclosures or key binding).
//!
//! Both are computed the same way at issuance and at verification. The credential's random salt
//! (Data Integrity) and the disclosures' random salts (SD-JWT) make them unguessable from the
//! claims, so the ledger learns nothing about the person.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::CredentialError;
use crate::jcs;

/// SHA-256 over the JCS canonical form of a signed Data Integrity credential.
pub fn di_digest(signed_credential: &Value) -> Result<[u8; 32], CredentialError> {
    Ok(Sha256::digest(jcs::canonicalize(signed_credential)?).into())
}

/// SHA-256 over the issuer-signed JWT of an SD-JWT (the part before the first `~`).
///
/// Accepts an issued SD-JWT or any presentation of it: disclosures and key-binding JWT are
/// ignored, so the digest is the same for every presentation of one credential.
pub fn sd_digest(sd_jwt: &str) -> [u8; 32] {
    let issuer_jwt = sd_jwt.split('~').next().unwrap_or(sd_jwt);
    Sha256::digest(issuer_jwt.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sd_digest_ignores_disclosures_and_key_binding() {
        assert_eq!(sd_digest("a.b.c~d1~d2~kb.x.y"), sd_digest("a.b.c~"));
        assert_eq!(
            sd_digest("a.b.c~"),
            <[u8; 32]>::from(Sha256::digest(b"a.b.c"))
        );
    }

    #[test]
    fn di_digest_does_not_depend_on_member_order() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":[true,"x"]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":[true,"x"],"b":1}"#).unwrap();
        assert_eq!(di_digest(&a).unwrap(), di_digest(&b).unwrap());
    }
}
