//! Every reason the ledger refuses an entry, as one enum. The same entry is
//! refused for the same reason on every replica.

use crate::entry::EntryError;
use crate::genesis::GenesisError;
use crate::signing::KeyError;
use crate::types::{
    Author, CredentialId, EventKind, Hash32, Jurisdiction, PublicKeyBytes, RegistrarId,
};

/// Why an entry was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Larger than the network's limit.
    #[error("entry of {size} bytes exceeds the limit of {max}")]
    TooLarge {
        /// Size received.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Not CBOR of the entry shape.
    #[error("malformed entry: {0}")]
    Malformed(String),
    /// Not the canonical encoding.
    #[error("entry is not canonically encoded")]
    NonCanonical,
    /// Unknown format version.
    #[error("unsupported entry version {0}")]
    UnsupportedVersion(u8),
    /// Signature list empty, too long or unsorted.
    #[error("entry signatures must be 1 to 32, sorted by key, one per key")]
    SignatureList,
    /// `prev` present at seq 0 or missing after it.
    #[error("previous-hash field does not fit the sequence number")]
    PrevShape,
    /// The entry names another network.
    #[error("entry belongs to network {found}, not {expected}")]
    WrongNetwork {
        /// This network.
        expected: Hash32,
        /// The entry's.
        found: Hash32,
    },
    /// The author is not a registrar accredited in the governance chain
    /// prefix the entry names.
    #[error("unknown author {0}: no accreditation in the governance entries it relies on")]
    UnknownAuthor(Author),
    /// The entry's seq is beyond the chain's end and too many entries are held.
    #[error("sequence gap in {author}: expected {expected}, got {found}")]
    SequenceGap {
        /// The chain.
        author: Author,
        /// The next sequence number of the chain.
        expected: u64,
        /// The entry's.
        found: u64,
    },
    /// `prev` is not the hash of the chain's last entry.
    #[error("previous hash of {author} #{seq} does not match the chain")]
    PreviousHashMismatch {
        /// The chain.
        author: Author,
        /// The entry's seq.
        seq: u64,
    },
    /// The author's clock went backwards along its chain.
    #[error("time {found} ms is before the previous entry's {previous} ms")]
    TimeWentBackwards {
        /// The previous entry's time.
        previous: u64,
        /// This entry's.
        found: u64,
    },
    /// A registrar entry relies on fewer governance entries than its predecessor,
    /// or a governance entry's governance size is not its seq.
    #[error("governance size {found} is invalid here (must be at least {minimum})")]
    GovernanceSize {
        /// The smallest acceptable value.
        minimum: u64,
        /// The entry's.
        found: u64,
    },
    /// A governance payload on a registrar chain or the reverse.
    #[error("payload {payload} cannot appear on the chain of {author}")]
    WrongChainForPayload {
        /// The payload's name.
        payload: &'static str,
        /// The chain.
        author: Author,
    },
    /// A signature is by a key that may not sign this entry.
    #[error("signature by key {0} which may not sign this entry")]
    UnknownSigner(PublicKeyBytes),
    /// Fewer valid governance signatures than the threshold.
    #[error("{found} governance signatures, {required} required")]
    InsufficientSignatures {
        /// The threshold.
        required: usize,
        /// Signatures present.
        found: usize,
    },
    /// A registrar entry must carry exactly one signature.
    #[error("a registrar entry must carry exactly one signature, found {0}")]
    SignatureCount(usize),
    /// A signature does not verify.
    #[error("bad signature on {author} #{seq}")]
    BadSignature {
        /// The chain.
        author: Author,
        /// The entry's seq.
        seq: u64,
    },
    /// The registrar may not attest this kind of event.
    #[error("{registrar} is not accredited for {kind} events")]
    NotAccreditedForKind {
        /// The registrar.
        registrar: RegistrarId,
        /// The event kind.
        kind: EventKind,
    },
    /// The registrar may not attest in this jurisdiction.
    #[error("{registrar} is not accredited for jurisdiction {jurisdiction}")]
    NotAccreditedForJurisdiction {
        /// The registrar.
        registrar: RegistrarId,
        /// The jurisdiction.
        jurisdiction: Jurisdiction,
    },
    /// The entry's time is outside the accreditation's validity window.
    #[error("time {time_ms} ms is outside the accreditation window {from_ms}..={until_ms}")]
    OutsideValidityWindow {
        /// The entry's time.
        time_ms: u64,
        /// Window start.
        from_ms: u64,
        /// Window end.
        until_ms: u64,
    },
    /// The credential id was already attested by this registrar.
    #[error("credential {0} is already attested")]
    DuplicateCredential(CredentialId),
    /// Revoking or superseding a credential this registrar never attested.
    #[error("credential {0} is not attested by this registrar")]
    UnknownCredential(CredentialId),
    /// Revoking or superseding a revoked credential.
    #[error("credential {0} is already revoked")]
    AlreadyRevoked(CredentialId),
    /// Revoking or superseding a superseded credential.
    #[error("credential {0} is already superseded")]
    AlreadySuperseded(CredentialId),
    /// A key rotation whose key does not match the pre-committed one.
    #[error("rotated key does not match the commitment made with the current key")]
    RotationCommitmentMismatch,
    /// A key in a payload is unusable.
    #[error("invalid key in payload: {0}")]
    InvalidKey(#[from] KeyError),
    /// Accrediting a registrar id that exists.
    #[error("registrar {0} is already accredited")]
    RegistrarExists(RegistrarId),
    /// A governance action names an unknown registrar.
    #[error("registrar {0} is not accredited")]
    UnknownRegistrar(RegistrarId),
    /// Reinstating or recovering a registrar that is not suspended.
    #[error("registrar {0} is not suspended")]
    NotSuspended(RegistrarId),
    /// Suspending a suspended registrar.
    #[error("registrar {0} is already suspended")]
    AlreadySuspended(RegistrarId),
    /// A new governance key set is invalid.
    #[error("invalid governance key set: {0}")]
    GovernanceKeys(GenesisError),
    /// A scope with no kinds or jurisdictions, or an empty window.
    #[error("invalid scope: {0}")]
    InvalidScope(&'static str),
    /// A display name that is empty or too long.
    #[error("display name must be 1 to 128 bytes")]
    DisplayName,
    /// The entry waits for a dependency but this node holds as many waiting
    /// entries as the network's limit allows, or the sender has used up its
    /// share of the hold (`Store::ingest_with_hold_budget`).
    #[error("entry waits for a dependency and the hold of {limit} entries is full")]
    HoldFull {
        /// The network's limit.
        limit: usize,
    },
    /// The governance chain has equivocated and accepts nothing more.
    #[error("the governance chain is frozen after an equivocation")]
    GovernanceFrozen,
}

impl From<EntryError> for Rejection {
    fn from(e: EntryError) -> Self {
        match e {
            EntryError::TooLarge { size, max } => Rejection::TooLarge { size, max },
            EntryError::Malformed(m) => Rejection::Malformed(m),
            EntryError::NonCanonical => Rejection::NonCanonical,
            EntryError::UnsupportedVersion(v) => Rejection::UnsupportedVersion(v),
            EntryError::SignatureList => Rejection::SignatureList,
            EntryError::PrevShape => Rejection::PrevShape,
        }
    }
}

impl Rejection {
    /// Whether the rejection shows the sender at fault: bytes no honest
    /// replica relays, whatever it has seen (not an entry, not canonical,
    /// another network, a signature that does not verify). Every other
    /// rejection can follow from state the sender had not seen yet (a key,
    /// an accreditation, a fork, a full hold) and blames nobody. Exhaustive:
    /// a new variant must be classified here.
    pub fn sender_at_fault(&self) -> bool {
        match self {
            Rejection::TooLarge { .. }
            | Rejection::Malformed(_)
            | Rejection::NonCanonical
            | Rejection::UnsupportedVersion(_)
            | Rejection::SignatureList
            | Rejection::PrevShape
            | Rejection::WrongNetwork { .. }
            | Rejection::BadSignature { .. } => true,
            Rejection::UnknownAuthor(_)
            | Rejection::SequenceGap { .. }
            | Rejection::PreviousHashMismatch { .. }
            | Rejection::TimeWentBackwards { .. }
            | Rejection::GovernanceSize { .. }
            | Rejection::WrongChainForPayload { .. }
            | Rejection::UnknownSigner(_)
            | Rejection::InsufficientSignatures { .. }
            | Rejection::SignatureCount(_)
            | Rejection::NotAccreditedForKind { .. }
            | Rejection::NotAccreditedForJurisdiction { .. }
            | Rejection::OutsideValidityWindow { .. }
            | Rejection::DuplicateCredential(_)
            | Rejection::UnknownCredential(_)
            | Rejection::AlreadyRevoked(_)
            | Rejection::AlreadySuperseded(_)
            | Rejection::RotationCommitmentMismatch
            | Rejection::InvalidKey(_)
            | Rejection::RegistrarExists(_)
            | Rejection::UnknownRegistrar(_)
            | Rejection::NotSuspended(_)
            | Rejection::AlreadySuspended(_)
            | Rejection::GovernanceKeys(_)
            | Rejection::InvalidScope(_)
            | Rejection::DisplayName
            | Rejection::HoldFull { .. }
            | Rejection::GovernanceFrozen => false,
        }
    }

    /// A stable snake_case code for APIs and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::TooLarge { .. } => "too_large",
            Rejection::Malformed(_) => "malformed",
            Rejection::NonCanonical => "non_canonical",
            Rejection::UnsupportedVersion(_) => "unsupported_version",
            Rejection::SignatureList => "signature_list",
            Rejection::PrevShape => "prev_shape",
            Rejection::WrongNetwork { .. } => "wrong_network",
            Rejection::UnknownAuthor(_) => "unknown_author",
            Rejection::SequenceGap { .. } => "sequence_gap",
            Rejection::PreviousHashMismatch { .. } => "previous_hash_mismatch",
            Rejection::TimeWentBackwards { .. } => "time_went_backwards",
            Rejection::GovernanceSize { .. } => "governance_size",
            Rejection::WrongChainForPayload { .. } => "wrong_chain_for_payload",
            Rejection::UnknownSigner(_) => "unknown_signer",
            Rejection::InsufficientSignatures { .. } => "insufficient_signatures",
            Rejection::SignatureCount(_) => "signature_count",
            Rejection::BadSignature { .. } => "bad_signature",
            Rejection::NotAccreditedForKind { .. } => "not_accredited_for_kind",
            Rejection::NotAccreditedForJurisdiction { .. } => "not_accredited_for_jurisdiction",
            Rejection::OutsideValidityWindow { .. } => "outside_validity_window",
            Rejection::DuplicateCredential(_) => "duplicate_credential",
            Rejection::UnknownCredential(_) => "unknown_credential",
            Rejection::AlreadyRevoked(_) => "already_revoked",
            Rejection::AlreadySuperseded(_) => "already_superseded",
            Rejection::RotationCommitmentMismatch => "rotation_commitment_mismatch",
            Rejection::InvalidKey(_) => "invalid_key",
            Rejection::RegistrarExists(_) => "registrar_exists",
            Rejection::UnknownRegistrar(_) => "unknown_registrar",
            Rejection::NotSuspended(_) => "not_suspended",
            Rejection::AlreadySuspended(_) => "already_suspended",
            Rejection::GovernanceKeys(_) => "governance_keys",
            Rejection::InvalidScope(_) => "invalid_scope",
            Rejection::DisplayName => "display_name",
            Rejection::HoldFull { .. } => "hold_full",
            Rejection::GovernanceFrozen => "governance_frozen",
        }
    }
}
