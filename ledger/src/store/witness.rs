//! Witnessing: this replica cosigns a chain's checkpoint only after checking
//! that it is consistent with the last checkpoint it cosigned for that chain,
//! and keeps the best cosigned checkpoint it knows for each chain.

use super::{keys, KvBatch, KvStore, Ledger, StoreError};
use crate::checkpoint::{Checkpoint, CheckpointError, SignedCheckpoint, SignerKey, VerifierKey};
use crate::merkle;
use crate::portable::PortableProof;
use crate::types::{Author, Hash32};

/// Why a checkpoint was not cosigned or not kept.
#[derive(Debug, thiserror::Error)]
pub enum WitnessError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A note or key problem.
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    /// The chain shrank or forked relative to what this witness cosigned.
    #[error("chain {author} at size {new} is not consistent with the cosigned size {old}")]
    Inconsistent {
        /// The chain.
        author: Author,
        /// Size cosigned before.
        old: u64,
        /// Size now.
        new: u64,
    },
    /// A received checkpoint's root differs from this replica's root at that size.
    #[error("checkpoint root for {author} at size {size} differs from ours")]
    RootMismatch {
        /// The chain.
        author: Author,
        /// The size.
        size: u64,
    },
    /// The checkpoint names a chain or network this replica does not know.
    #[error("checkpoint origin {0:?} is not a chain of this network")]
    UnknownOrigin(String),
}

impl WitnessError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            WitnessError::Store(..) => "store",
            WitnessError::Checkpoint(..) => "checkpoint",
            WitnessError::Inconsistent { .. } => "inconsistent",
            WitnessError::RootMismatch { .. } => "root_mismatch",
            WitnessError::UnknownOrigin(..) => "unknown_origin",
        }
    }
}

impl<K: KvStore> Ledger<K> {
    /// Cosigns the current checkpoint of `author`'s chain with `witness`
    /// (a cosignature key) at `now_secs`, after checking consistency with
    /// the last one this replica cosigned. Returns the cosigned checkpoint
    /// (merged with cosignatures already known for the same size).
    pub fn cosign_checkpoint(
        &mut self,
        author: &Author,
        witness: &SignerKey,
        now_secs: u64,
    ) -> Result<SignedCheckpoint, WitnessError> {
        let signed = self.witness_chain(author, witness, None, now_secs)?;
        self.kv.flush().map_err(StoreError::from)?;
        Ok(signed)
    }

    /// As [`Ledger::cosign_checkpoint`], and also signs the checkpoint with
    /// `note_key`, a [`crate::checkpoint::KeyType::Ed25519`] (`0x01`) key:
    /// the classic signed-note signature that any C2SP note verifier checks.
    /// It vouches for the same thing as the cosignature (this replica holds
    /// the chain at this size and root, every entry checked under the
    /// ledger's rules, consistent with everything it signed before), without
    /// a timestamp.
    pub fn cosign_and_sign_checkpoint(
        &mut self,
        author: &Author,
        witness: &SignerKey,
        note_key: &SignerKey,
        now_secs: u64,
    ) -> Result<SignedCheckpoint, WitnessError> {
        let signed = self.witness_chain(author, witness, Some(note_key), now_secs)?;
        self.kv.flush().map_err(StoreError::from)?;
        Ok(signed)
    }

    /// What [`Ledger::cosign_checkpoint`] (with `note_key`,
    /// [`Ledger::cosign_and_sign_checkpoint`]) does, without the flush: the
    /// cosigned note and record are written in one atomic batch and are
    /// durable at the next [`Ledger::flush`]. A node calls it right after
    /// applying a batch that grew the chain, before the flush that makes
    /// both durable, so a chain it serves always has its cosigned note.
    pub fn witness_chain(
        &mut self,
        author: &Author,
        witness: &SignerKey,
        note_key: Option<&SignerKey>,
        now_secs: u64,
    ) -> Result<SignedCheckpoint, WitnessError> {
        let current = self.checkpoint(author)?;
        if let Some(last) = self
            .kv
            .get(&keys::cosigned(author))
            .map_err(StoreError::from)?
        {
            let last: [u8; 40] = last
                .as_slice()
                .try_into()
                .map_err(|_| StoreError::Corrupt("bad cosigned record".into()))?;
            let old_size = u64::from_be_bytes(last[..8].try_into().unwrap_or_default());
            let old_root: [u8; 32] = last[8..].try_into().unwrap_or_default();
            let inconsistent = || WitnessError::Inconsistent {
                author: author.clone(),
                old: old_size,
                new: current.size,
            };
            if old_size > current.size {
                return Err(inconsistent());
            }
            if old_size > 0 {
                let proof: Vec<merkle::Hash> = self
                    .consistency_proof(author, old_size, current.size)?
                    .into_iter()
                    .map(|h| h.0)
                    .collect();
                merkle::verify_consistency(
                    old_size,
                    current.size,
                    &old_root,
                    &current.root.0,
                    &proof,
                )
                .map_err(|_| inconsistent())?;
            }
        }
        let mut signed = match self.best_checkpoint(author)? {
            Some(known) if known.checkpoint().size == current.size => known,
            _ => SignedCheckpoint::new(Checkpoint {
                origin: current.origin.clone(),
                size: current.size,
                root: current.root.0,
                extensions: Vec::new(),
            })?,
        };
        let already = signed
            .signatures()
            .iter()
            .any(|s| s.name == witness.name() && s.key_id == witness.key_id());
        if !already {
            signed.cosign(witness, now_secs)?;
        }
        if let Some(key) = note_key {
            let signed_already = signed
                .signatures()
                .iter()
                .any(|s| s.name == key.name() && s.key_id == key.key_id());
            if !signed_already {
                signed.sign(key)?;
            }
        }
        let mut record = current.size.to_be_bytes().to_vec();
        record.extend_from_slice(&current.root.0);
        let mut batch = KvBatch::new();
        batch.put(keys::cosigned(author), record);
        batch.put(keys::note(author), signed.to_bytes());
        self.kv.apply_batch(batch).map_err(StoreError::from)?;
        Ok(signed)
    }

    /// Keeps a checkpoint received from another witness if its root matches
    /// this replica's root at that size and `trusted` keys signed it; merges
    /// its cosignatures with those already known at the same size. Returns
    /// the names of the trusted witnesses that signed.
    pub fn add_cosigned_checkpoint(
        &mut self,
        note: &[u8],
        trusted: &[VerifierKey],
    ) -> Result<Vec<String>, WitnessError> {
        let names = self.merge_cosigned_checkpoint(note, trusted)?;
        self.kv.flush().map_err(StoreError::from)?;
        Ok(names)
    }

    /// [`Ledger::add_cosigned_checkpoint`] without the flush: what it keeps
    /// is durable at the next [`Ledger::flush`].
    pub fn merge_cosigned_checkpoint(
        &mut self,
        note: &[u8],
        trusted: &[VerifierKey],
    ) -> Result<Vec<String>, WitnessError> {
        let received = SignedCheckpoint::parse(note)?;
        let verified = received.verify_with(trusted)?;
        let checkpoint = received.checkpoint();
        let author = self
            .state
            .chains()
            .into_iter()
            .map(|(a, _)| a)
            .find(|a| super::origin(&self.state.network, a) == checkpoint.origin)
            .ok_or_else(|| WitnessError::UnknownOrigin(checkpoint.origin.clone()))?;
        let size = checkpoint.size;
        if size > self.state.chain(&author).size {
            // We cannot check it yet; sync will bring the entries.
            return Ok(Vec::new());
        }
        if self.root(&author, size)? != Hash32(checkpoint.root) {
            return Err(WitnessError::RootMismatch { author, size });
        }
        let best = self.best_checkpoint(&author)?;
        let merged = match best {
            Some(mut known) if known.checkpoint().size == size => {
                for s in received.signatures() {
                    if !known.signatures().contains(s) {
                        known.push_signature(s.clone())?;
                    }
                }
                known
            }
            Some(known) if known.checkpoint().size > size => return Ok(Vec::new()),
            _ => received,
        };
        let mut batch = KvBatch::new();
        batch.put(keys::note(&author), merged.to_bytes());
        self.kv.apply_batch(batch).map_err(StoreError::from)?;
        Ok(verified.into_iter().map(|v| v.name).collect())
    }

    /// The best (largest) cosigned checkpoint known for a chain.
    pub fn best_checkpoint(
        &self,
        author: &Author,
    ) -> Result<Option<SignedCheckpoint>, WitnessError> {
        match self.kv.get(&keys::note(author)).map_err(StoreError::from)? {
            None => Ok(None),
            Some(bytes) => Ok(Some(SignedCheckpoint::parse(&bytes)?)),
        }
    }

    /// The portable proof of entry `seq` of `author`'s chain against the best
    /// cosigned checkpoint known (which must cover the entry).
    pub fn portable_proof(
        &self,
        author: &Author,
        seq: u64,
    ) -> Result<Option<PortableProof>, WitnessError> {
        let Some(checkpoint) = self.best_checkpoint(author)? else {
            return Ok(None);
        };
        let size = checkpoint.checkpoint().size;
        if seq >= size {
            return Ok(None);
        }
        let Some(entry) = self.entry(author, seq)? else {
            return Ok(None);
        };
        Ok(Some(PortableProof {
            entry,
            tree_size: size,
            inclusion: self.inclusion_proof(author, seq, size)?,
            checkpoint: String::from_utf8_lossy(&checkpoint.to_bytes()).into_owned(),
        }))
    }
}
