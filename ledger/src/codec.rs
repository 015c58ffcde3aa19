//! The one canonical CBOR codec of the ledger.
//!
//! Every signed structure is encoded with serde_cbor's *packed* form: structs
//! become maps with unsigned-integer keys in declaration order (0, 1, 2, ...),
//! unit enum variants become their index, newtype enum variants (all the
//! ledger's signed enums) become a one-entry map from the variant *name* to
//! the data, struct-like variants a one-entry map from the variant *index*
//! (only in the store's own records), byte strings are CBOR
//! byte strings, integers use the shortest form and all lengths are definite.
//! That form is canonical: one value has exactly one encoding.
//!
//! Decoding re-encodes what it decoded and requires the same bytes, so any
//! alternative encoding (non-shortest integer, indefinite length, unknown or
//! duplicate field, trailing bytes) is refused and signatures can never be
//! malleated through the encoding.

use serde::{de::DeserializeOwned, Serialize};

/// Why bytes could not be read as a canonical value.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// The bytes are not CBOR of the expected shape.
    #[error("malformed CBOR: {0}")]
    Malformed(String),
    /// The bytes decode but are not the canonical encoding of the value.
    #[error("non-canonical CBOR encoding")]
    NonCanonical,
    /// The value could not be encoded (should not happen for ledger types).
    #[error("cannot encode value: {0}")]
    Encode(String),
}

impl CodecError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            CodecError::Malformed(..) => "malformed",
            CodecError::NonCanonical => "non_canonical",
            CodecError::Encode(..) => "encode",
        }
    }
}

/// Encodes a value in the canonical form.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    serde_cbor::ser::to_vec_packed(value).map_err(|e| CodecError::Encode(e.to_string()))
}

/// Decodes bytes that must be the canonical encoding of a `T`.
pub fn decode_canonical<T: Serialize + DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let value: T =
        serde_cbor::from_slice(bytes).map_err(|e| CodecError::Malformed(e.to_string()))?;
    let again = encode(&value)?;
    if again != bytes {
        return Err(CodecError::NonCanonical);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Sample {
        small: u64,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    }

    #[test]
    fn canonical_round_trip_is_accepted() {
        let s = Sample {
            small: 5,
            bytes: vec![1, 2, 3],
        };
        let bytes = encode(&s).expect("encode");
        assert_eq!(bytes, [0xa2, 0x00, 0x05, 0x01, 0x43, 1, 2, 3]);
        assert_eq!(decode_canonical::<Sample>(&bytes), Ok(s));
    }

    #[test]
    fn non_shortest_integer_is_refused_as_non_canonical() {
        // 5 written as a one-byte-argument integer (0x18 0x05) instead of 0x05.
        let bytes = [0xa2, 0x00, 0x18, 0x05, 0x01, 0x43, 1, 2, 3];
        assert_eq!(
            decode_canonical::<Sample>(&bytes),
            Err(CodecError::NonCanonical)
        );
    }

    #[test]
    fn indefinite_length_map_is_refused_as_non_canonical() {
        let bytes = [0xbf, 0x00, 0x05, 0x01, 0x43, 1, 2, 3, 0xff];
        assert_eq!(
            decode_canonical::<Sample>(&bytes),
            Err(CodecError::NonCanonical)
        );
    }

    #[test]
    fn trailing_bytes_and_garbage_are_malformed() {
        let bytes = [0xa2, 0x00, 0x05, 0x01, 0x43, 1, 2, 3, 0x00];
        assert!(matches!(
            decode_canonical::<Sample>(&bytes),
            Err(CodecError::Malformed(_))
        ));
        assert!(matches!(
            decode_canonical::<Sample>(&[0xff]),
            Err(CodecError::Malformed(_))
        ));
        assert!(matches!(
            decode_canonical::<Sample>(&[]),
            Err(CodecError::Malformed(_))
        ));
    }

    #[test]
    fn unknown_extra_field_is_refused() {
        let bytes = [0xa3, 0x00, 0x05, 0x01, 0x43, 1, 2, 3, 0x02, 0x00];
        assert!(decode_canonical::<Sample>(&bytes).is_err());
    }
}
