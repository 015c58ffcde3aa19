//! Entries: the signed records that make up every chain.
//!
//! A signed entry is the canonical CBOR map `{0: body, 1: signatures}` where
//! `body` is a CBOR *byte string* holding the canonical encoding of an
//! [`EntryBody`], and `signatures` lists `{0: key, 1: signature}` sorted by
//! key, each signature over [`ENTRY_DOMAIN`] followed by the body bytes. The
//! body bytes are what the author commits to: the entry hash, the `prev`
//! link and the Merkle leaf are all computed over them, so a governance
//! entry carrying a different (valid) set of signatures is the same entry.

use crate::codec::{self, CodecError};
use crate::payload::Payload;
use crate::signing::{KeyPair, ENTRY_DOMAIN};
use crate::types::{sha256, Author, Hash32, NetworkId, PublicKeyBytes, SignatureBytes};
use serde::{Deserialize, Serialize};

/// Current entry format version.
pub const ENTRY_VERSION: u8 = 1;
/// Most signatures an entry may carry.
pub const MAX_SIGNATURES: usize = 32;

/// The signed content of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryBody {
    /// Format version, [`ENTRY_VERSION`].
    pub version: u8,
    /// The network id (hash of the genesis).
    pub network: NetworkId,
    /// Whose chain this entry belongs to.
    pub author: Author,
    /// Position in the author's chain, from 0, contiguous.
    pub seq: u64,
    /// Hash of the previous entry's body; absent for `seq` 0.
    pub prev: Option<Hash32>,
    /// The author's clock, milliseconds since the Unix epoch.
    pub time_ms: u64,
    /// For registrar entries: how many governance entries the author relied
    /// on. For governance entries: equal to `seq`.
    pub governance_size: u64,
    /// What the entry says.
    pub payload: Payload,
}

/// One signature on an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntrySignature {
    /// The signer's public key.
    pub key: PublicKeyBytes,
    /// Ed25519 signature over `ENTRY_DOMAIN || body bytes`.
    pub signature: SignatureBytes,
}

#[derive(Serialize, Deserialize)]
struct SignedEntryWire {
    #[serde(with = "serde_bytes")]
    body: Vec<u8>,
    signatures: Vec<EntrySignature>,
}

/// Why bytes are not a well-formed entry (before any ledger rule).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum EntryError {
    /// Larger than the network's limit.
    #[error("entry of {size} bytes exceeds the limit of {max}")]
    TooLarge {
        /// Size received.
        size: usize,
        /// The network's limit.
        max: usize,
    },
    /// Not CBOR of the entry shape.
    #[error("malformed entry: {0}")]
    Malformed(String),
    /// CBOR of the right shape but not the canonical encoding.
    #[error("entry is not canonically encoded")]
    NonCanonical,
    /// Unknown format version.
    #[error("unsupported entry version {0}")]
    UnsupportedVersion(u8),
    /// No signature, too many, or not sorted and distinct by key.
    #[error("entry signatures must be 1 to 32, sorted by key, one per key")]
    SignatureList,
    /// `prev` present at seq 0 or absent after it.
    #[error("previous-hash field does not fit the sequence number")]
    PrevShape,
}

impl EntryError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            EntryError::TooLarge { .. } => "too_large",
            EntryError::Malformed(..) => "malformed",
            EntryError::NonCanonical => "non_canonical",
            EntryError::UnsupportedVersion(..) => "unsupported_version",
            EntryError::SignatureList => "signature_list",
            EntryError::PrevShape => "prev_shape",
        }
    }
}

impl From<CodecError> for EntryError {
    fn from(e: CodecError) -> Self {
        match e {
            CodecError::NonCanonical => EntryError::NonCanonical,
            CodecError::Malformed(m) | CodecError::Encode(m) => EntryError::Malformed(m),
        }
    }
}

/// The body bytes of a signed entry read from a trusted store (only the
/// outer structure is decoded).
pub fn body_bytes_of(signed: &[u8]) -> Result<Vec<u8>, EntryError> {
    let wire: SignedEntryWire =
        serde_cbor::from_slice(signed).map_err(|e| EntryError::Malformed(e.to_string()))?;
    Ok(wire.body)
}

/// A decoded, well-formed signed entry, with the exact bytes it came from.
///
/// Its parts cannot disagree: the only ways to get one are to decode signed
/// bytes ([`Entry::decode`]), to sign a body ([`Entry::sign`]) or to
/// assemble decoded body bytes with signatures ([`Entry::from_parts`]), and
/// its fields are read through accessors only:
///
/// ```
/// # fn read(entry: &ledger::entry::Entry) -> ledger::types::Hash32 {
/// entry.hash()
/// # }
/// ```
///
/// ```compile_fail
/// # fn forge(entry: &mut ledger::entry::Entry) {
/// entry.hash = ledger::types::Hash32([0; 32]); // private field
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    bytes: Vec<u8>,
    body_bytes: Vec<u8>,
    body: EntryBody,
    signatures: Vec<EntrySignature>,
    hash: Hash32,
}

impl Entry {
    /// Decodes and checks the form of a signed entry of at most `max_bytes`.
    pub fn decode(bytes: &[u8], max_bytes: usize) -> Result<Entry, EntryError> {
        if bytes.len() > max_bytes {
            return Err(EntryError::TooLarge {
                size: bytes.len(),
                max: max_bytes,
            });
        }
        let wire: SignedEntryWire = codec::decode_canonical(bytes)?;
        let body: EntryBody = codec::decode_canonical(&wire.body)?;
        if body.version != ENTRY_VERSION {
            return Err(EntryError::UnsupportedVersion(body.version));
        }
        if (body.seq == 0) != body.prev.is_none() {
            return Err(EntryError::PrevShape);
        }
        let sigs = &wire.signatures;
        if sigs.is_empty()
            || sigs.len() > MAX_SIGNATURES
            || sigs.windows(2).any(|w| w[0].key >= w[1].key)
        {
            return Err(EntryError::SignatureList);
        }
        Ok(Entry {
            bytes: bytes.to_vec(),
            hash: sha256(&wire.body),
            body_bytes: wire.body,
            body,
            signatures: wire.signatures,
        })
    }

    /// Encodes and signs a body with one or more keys.
    pub fn sign(body: EntryBody, signers: &[&KeyPair]) -> Result<Entry, EntryError> {
        let body_bytes = codec::encode(&body)?;
        let mut signatures: Vec<EntrySignature> = signers
            .iter()
            .map(|k| EntrySignature {
                key: k.public(),
                signature: k.sign(ENTRY_DOMAIN, &body_bytes),
            })
            .collect();
        signatures.sort_by_key(|s| s.key);
        signatures.dedup_by(|a, b| a.key == b.key);
        Self::assemble(body_bytes, signatures, body)
    }

    /// Builds an entry from body bytes and signatures gathered separately
    /// (governance signatures collected one by one).
    pub fn from_parts(
        body_bytes: Vec<u8>,
        mut signatures: Vec<EntrySignature>,
    ) -> Result<Entry, EntryError> {
        let body: EntryBody = codec::decode_canonical(&body_bytes)?;
        signatures.sort_by_key(|s| s.key);
        signatures.dedup_by(|a, b| a.key == b.key);
        Self::assemble(body_bytes, signatures, body)
    }

    fn assemble(
        body_bytes: Vec<u8>,
        signatures: Vec<EntrySignature>,
        body: EntryBody,
    ) -> Result<Entry, EntryError> {
        let wire = SignedEntryWire {
            body: body_bytes,
            signatures,
        };
        let bytes = codec::encode(&wire)?;
        Ok(Entry {
            bytes,
            hash: sha256(&wire.body),
            body_bytes: wire.body,
            body,
            signatures: wire.signatures,
        })
    }

    /// The signed entry bytes, exactly as received (or as signed here).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The signed entry bytes, giving up the rest.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The body bytes: what is signed, hashed and used as Merkle leaf data.
    pub fn body_bytes(&self) -> &[u8] {
        &self.body_bytes
    }

    /// The decoded body.
    pub fn body(&self) -> &EntryBody {
        &self.body
    }

    /// The signatures, sorted by key, one per key.
    pub fn signatures(&self) -> &[EntrySignature] {
        &self.signatures
    }

    /// SHA-256 of the body bytes: the entry's hash.
    pub fn hash(&self) -> Hash32 {
        self.hash
    }

    /// The RFC 6962 leaf hash of this entry (over the body bytes).
    pub fn leaf_hash(&self) -> Hash32 {
        Hash32(crate::merkle::leaf_hash(&self.body_bytes))
    }
}
