//! JSON Canonicalization Scheme (RFC 8785): the one canonical JSON form of the crate.
//!
//! Used by the `eddsa-jcs-2022` cryptosuite and by the credential digest anchored on the ledger.
//! Object members are sorted by their UTF-16 code units, strings use the minimal escapes and
//! numbers the ECMAScript form; the published RFC 8785 vectors are run in `tests/`.

use serde_json::Value;

use crate::error::CredentialError;

/// The RFC 8785 canonical bytes of a JSON value.
pub fn canonicalize(value: &Value) -> Result<Vec<u8>, CredentialError> {
    serde_jcs::to_vec(value).map_err(|e| CredentialError::Canonicalization(e.to_string()))
}
