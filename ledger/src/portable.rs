//! The portable proof a credential carries so that a verifier with a stale
//! replica, or none, can check it was anchored: the signed attestation
//! entry, its RFC 6962 inclusion proof, and a checkpoint of the registrar's
//! chain cosigned by witnesses the verifier trusts.
//!
//! What it proves: the entry is leaf `seq` of a chain whose root at
//! `tree_size` was cosigned by a trusted witness at some time. What it does
//! not prove on its own: that the registrar was accredited for it (that
//! needs the governance chain: a replica or an exported ledger file), or
//! that nothing revoked it after the checkpoint (the checkpoint's time says
//! how fresh that knowledge is).

use crate::checkpoint::{CheckpointError, SignedCheckpoint, VerifierKey};
use crate::entry::{Entry, EntryError};
use crate::merkle::{self, MerkleError};
use crate::payload::{Attestation, Payload};
use crate::signing::{verify_strict, ENTRY_DOMAIN};
use crate::store::origin;
use crate::types::{Author, Hash32, NetworkId, PublicKeyBytes};
use serde::{Deserialize, Serialize};

/// An attestation entry with the proof that it is in its chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortableProof {
    /// The signed attestation (or supersession) entry, exactly as stored.
    #[serde(with = "serde_bytes")]
    pub entry: Vec<u8>,
    /// Tree size the inclusion proof and checkpoint are for.
    pub tree_size: u64,
    /// Inclusion proof hashes, deepest first.
    pub inclusion: Vec<Hash32>,
    /// The C2SP signed note of the checkpoint at `tree_size`, with
    /// cosignatures.
    pub checkpoint: String,
}

/// Why a portable proof does not hold.
#[derive(Debug, thiserror::Error)]
pub enum PortableProofError {
    /// The entry is malformed.
    #[error("entry: {0}")]
    Entry(#[from] EntryError),
    /// The entry belongs to another network.
    #[error("the entry belongs to another network")]
    WrongNetwork,
    /// The entry attests no credential.
    #[error("the entry attests no credential")]
    NotAnAttestation,
    /// The entry's signature does not verify under its signer key.
    #[error("the entry's signature does not verify")]
    BadSignature,
    /// The checkpoint is malformed or no trusted witness signed it.
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    /// The checkpoint is for another chain or size.
    #[error("the checkpoint is for {found}, expected {expected}")]
    CheckpointMismatch {
        /// What the proof needs.
        expected: String,
        /// What the checkpoint says.
        found: String,
    },
    /// The inclusion proof does not lead to the checkpoint's root.
    #[error("inclusion proof: {0}")]
    Inclusion(#[from] MerkleError<std::convert::Infallible>),
}

impl PortableProofError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            PortableProofError::Entry(..) => "entry",
            PortableProofError::WrongNetwork => "wrong_network",
            PortableProofError::NotAnAttestation => "not_an_attestation",
            PortableProofError::BadSignature => "bad_signature",
            PortableProofError::Checkpoint(..) => "checkpoint",
            PortableProofError::CheckpointMismatch { .. } => "checkpoint_mismatch",
            PortableProofError::Inclusion(..) => "inclusion",
        }
    }
}

/// What a valid portable proof establishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// The registrar's chain.
    pub author: Author,
    /// Position of the entry in the chain.
    pub seq: u64,
    /// Time of the entry (ms since the Unix epoch).
    pub time_ms: u64,
    /// Governance size the entry relied on.
    pub governance_size: u64,
    /// The key that signed the entry (to be matched with the registrar's
    /// accreditation).
    pub signer: PublicKeyBytes,
    /// The attestation (for a supersession, the replacement).
    pub attestation: Attestation,
    /// Chain size at the checkpoint.
    pub tree_size: u64,
    /// Names of the trusted witnesses that cosigned, with their cosignature
    /// times (POSIX seconds).
    pub witnesses: Vec<(String, Option<u64>)>,
}

impl Anchor {
    /// The newest cosignature time: how fresh the proof's view of the chain is.
    pub fn checkpoint_time(&self) -> Option<u64> {
        self.witnesses.iter().filter_map(|(_, t)| *t).max()
    }
}

impl PortableProof {
    /// Checks the proof for `network` against trusted witness keys.
    pub fn verify(
        &self,
        network: &NetworkId,
        witnesses: &[VerifierKey],
    ) -> Result<Anchor, PortableProofError> {
        let entry = Entry::decode(&self.entry, usize::MAX)?;
        let body = entry.body();
        if &body.network != network {
            return Err(PortableProofError::WrongNetwork);
        }
        let attestation = match &body.payload {
            Payload::Attest(a) => a.clone(),
            Payload::Supersede(s) => s.replacement.clone(),
            _ => return Err(PortableProofError::NotAnAttestation),
        };
        let [signature] = entry.signatures() else {
            return Err(PortableProofError::BadSignature);
        };
        verify_strict(
            &signature.key,
            ENTRY_DOMAIN,
            entry.body_bytes(),
            &signature.signature,
        )
        .map_err(|_| PortableProofError::BadSignature)?;
        let signed = SignedCheckpoint::parse(self.checkpoint.as_bytes())?;
        let verified = signed.verify_with(witnesses)?;
        let checkpoint = signed.checkpoint();
        let expected_origin = origin(network, &body.author);
        if checkpoint.origin != expected_origin || checkpoint.size != self.tree_size {
            return Err(PortableProofError::CheckpointMismatch {
                expected: format!("{expected_origin} size {}", self.tree_size),
                found: format!("{} size {}", checkpoint.origin, checkpoint.size),
            });
        }
        let proof: Vec<merkle::Hash> = self.inclusion.iter().map(|h| h.0).collect();
        merkle::verify_inclusion(
            &merkle::leaf_hash(entry.body_bytes()),
            body.seq,
            self.tree_size,
            &proof,
            &checkpoint.root,
        )?;
        Ok(Anchor {
            author: body.author.clone(),
            seq: body.seq,
            time_ms: body.time_ms,
            governance_size: body.governance_size,
            signer: signature.key,
            attestation,
            tree_size: self.tree_size,
            witnesses: verified
                .into_iter()
                .map(|v| (v.name, v.timestamp))
                .collect(),
        })
    }
}
