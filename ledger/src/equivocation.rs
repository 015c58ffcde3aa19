//! Equivocation proofs: two validly signed entries by the same author at the
//! same sequence number with different bodies. A proof is checkable on its
//! own, given the key(s) that sign that position of the chain.

use crate::codec::{self, CodecError};
use crate::entry::{Entry, EntryError};
use crate::signing::{verify_strict, ENTRY_DOMAIN};
use crate::state::LedgerState;
use crate::types::{Author, PublicKeyBytes};
use serde::{Deserialize, Serialize};

/// Two conflicting signed entries, ordered by entry hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquivocationProof {
    /// The signed entry with the smaller hash.
    #[serde(with = "serde_bytes")]
    pub first: Vec<u8>,
    /// The signed entry with the larger hash.
    #[serde(with = "serde_bytes")]
    pub second: Vec<u8>,
}

/// Why a proof does not prove an equivocation.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// The proof's encoding is not canonical CBOR of a proof.
    #[error("proof encoding: {0}")]
    Codec(#[from] CodecError),
    /// One of the entries is malformed.
    #[error("entry in proof: {0}")]
    Entry(#[from] EntryError),
    /// The entries differ in network, author or seq, are the same entry, or
    /// are not ordered by hash.
    #[error("the two entries are not a conflicting pair of one chain position")]
    NotAConflict,
    /// A signature does not verify under the given key(s).
    #[error("an entry of the proof is not validly signed")]
    BadSignature,
    /// The entries belong to another network.
    #[error("the proof's entries belong to another network")]
    WrongNetwork,
    /// The author or position is unknown to this replica.
    #[error("author {0} is unknown here")]
    UnknownAuthor(Author),
}

impl ProofError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            ProofError::Codec(..) => "codec",
            ProofError::Entry(..) => "entry",
            ProofError::NotAConflict => "not_a_conflict",
            ProofError::BadSignature => "bad_signature",
            ProofError::WrongNetwork => "wrong_network",
            ProofError::UnknownAuthor(..) => "unknown_author",
        }
    }
}

impl EquivocationProof {
    /// Builds a proof from two signed entries (in any order).
    pub fn new(a: Vec<u8>, b: Vec<u8>) -> Result<Self, ProofError> {
        let (ea, eb) = (
            Entry::decode(&a, usize::MAX)?,
            Entry::decode(&b, usize::MAX)?,
        );
        Ok(if ea.hash() <= eb.hash() {
            Self {
                first: a,
                second: b,
            }
        } else {
            Self {
                first: b,
                second: a,
            }
        })
    }

    /// Canonical encoding.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ProofError> {
        Ok(codec::encode(self)?)
    }

    /// Decodes a canonical proof.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        Ok(codec::decode_canonical(bytes)?)
    }

    /// Decodes both entries and checks they conflict.
    pub fn entries(&self) -> Result<(Entry, Entry), ProofError> {
        let a = Entry::decode(&self.first, usize::MAX)?;
        let b = Entry::decode(&self.second, usize::MAX)?;
        let conflict = a.body().network == b.body().network
            && a.body().author == b.body().author
            && a.body().seq == b.body().seq
            && a.hash() < b.hash();
        if conflict {
            Ok((a, b))
        } else {
            Err(ProofError::NotAConflict)
        }
    }

    /// Checks the proof for a registrar whose key for each entry's position
    /// and governance size is `key_for(entry)` (the same key, or the old key
    /// and a key governance recovered from the same position on).
    pub fn verify_with_keys(
        &self,
        key_for: impl Fn(&Entry) -> Option<PublicKeyBytes>,
    ) -> Result<(Entry, Entry), ProofError> {
        let (a, b) = self.entries()?;
        for e in [&a, &b] {
            let [sig] = e.signatures() else {
                return Err(ProofError::BadSignature);
            };
            let Some(key) = key_for(e) else {
                return Err(ProofError::UnknownAuthor(e.body().author.clone()));
            };
            if sig.key != key
                || verify_strict(&key, ENTRY_DOMAIN, e.body_bytes(), &sig.signature).is_err()
            {
                return Err(ProofError::BadSignature);
            }
        }
        Ok((a, b))
    }

    /// Checks the proof for the governance chain with its key set and threshold.
    pub fn verify_with_key_set(
        &self,
        keys: &[PublicKeyBytes],
        threshold: u8,
    ) -> Result<(Entry, Entry), ProofError> {
        let (a, b) = self.entries()?;
        // The same rule as for accepting a governance entry: every signer a
        // member of the key set, at least `threshold` of them, all valid.
        for e in [&a, &b] {
            let all_valid = e.signatures().iter().all(|s| {
                keys.contains(&s.key)
                    && verify_strict(&s.key, ENTRY_DOMAIN, e.body_bytes(), &s.signature).is_ok()
            });
            if !all_valid || e.signatures().len() < usize::from(threshold) {
                return Err(ProofError::BadSignature);
            }
        }
        Ok((a, b))
    }

    /// Checks the proof against a replica's state (which knows the keys).
    pub fn verify(&self, state: &LedgerState) -> Result<(Entry, Entry), ProofError> {
        let (a, _) = self.entries()?;
        if a.body().network != state.network {
            return Err(ProofError::WrongNetwork);
        }
        match &a.body().author {
            Author::Governance => {
                let (keys, threshold) = state.governance.key_set_for(a.body().seq);
                self.verify_with_key_set(&keys, threshold)
            }
            Author::Registrar(id) => self.verify_with_keys(|e| {
                state.registrar_key(id, e.body().seq, e.body().governance_size)
            }),
        }
    }
}
