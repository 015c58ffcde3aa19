//! Signatures checked ahead of validation, so that a caller can check the
//! signatures of batch n + 1 while batch n is written and flushed (a
//! pipeline: the signature work and the store work overlap).
//!
//! Checking a signature needs nothing but the entry: every signature names
//! the public key it was made with, and [`crate::signing::verify_strict`]
//! of (key, body, signature) does not depend on the ledger's state. What
//! does depend on the state (whether that key is the author's key in force
//! at that position) is still decided by validation, which asks for each
//! signature it needs; a signature found here is one that `verify_strict`
//! accepted, identified by key, signature and the SHA-256 hash of the body
//! it signs, so it can never stand for a different body. A signature not
//! found here is checked by validation as usual.

use crate::entry::Entry;
use crate::signing::{BatchVerifier, SignatureCheck, ENTRY_DOMAIN};
use crate::types::{Hash32, PublicKeyBytes, SignatureBytes};
use std::collections::HashSet;

/// The signatures of a batch that verified, from [`CheckedSignatures::check`].
/// Holds one 128-byte record per valid signature of the batch it was made
/// from, and nothing else.
#[derive(Clone, Debug, Default)]
pub struct CheckedSignatures {
    valid: HashSet<(PublicKeyBytes, SignatureBytes, Hash32)>,
}

impl CheckedSignatures {
    /// Checks every signature of every entry of `batch` that decodes
    /// (entries over `max_entry_bytes` or undecodable are skipped: their
    /// validation refuses them anyway) with `verifier`, and keeps the
    /// valid ones. A verdict list of the wrong length keeps nothing.
    pub fn check<B: AsRef<[u8]>>(
        batch: &[B],
        max_entry_bytes: usize,
        verifier: &dyn BatchVerifier,
    ) -> Self {
        let entries: Vec<Entry> = batch
            .iter()
            .filter_map(|b| Entry::decode(b.as_ref(), max_entry_bytes).ok())
            .collect();
        let mut ids = Vec::new();
        let mut checks = Vec::new();
        for entry in &entries {
            for s in entry.signatures() {
                ids.push((s.key, s.signature, entry.hash()));
                checks.push(SignatureCheck {
                    key: s.key,
                    domain: ENTRY_DOMAIN,
                    message: entry.body_bytes(),
                    signature: s.signature,
                });
            }
        }
        let verdicts = verifier.verify_all(&checks);
        if verdicts.len() != ids.len() {
            return Self::default();
        }
        Self {
            valid: ids
                .into_iter()
                .zip(verdicts)
                .filter_map(|(id, ok)| ok.then_some(id))
                .collect(),
        }
    }

    /// True if `signature` by `key` over the body of `entry` was checked
    /// and found valid.
    pub fn contains(
        &self,
        key: &PublicKeyBytes,
        entry: &Entry,
        signature: &SignatureBytes,
    ) -> bool {
        self.valid.contains(&(*key, *signature, entry.hash()))
    }

    /// Number of valid signatures held.
    pub fn len(&self) -> usize {
        self.valid.len()
    }

    /// True if no signature is held.
    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
    }
}
