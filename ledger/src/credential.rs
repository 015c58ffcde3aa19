//! What the ledger knows about one credential: who attested it, in which
//! entry, and what happened to it since. Personal data never appears here.

use crate::payload::RevocationReason;
use crate::types::{CredentialId, RegistrarId};
use serde::{Deserialize, Serialize};

/// The state of an attested credential.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CredentialState {
    /// Attested and in force.
    Active,
    /// Revoked by the entry at `seq` of the attesting registrar's chain.
    Revoked {
        /// Seq of the revocation entry.
        seq: u64,
        /// Why.
        reason: RevocationReason,
    },
    /// Replaced by a corrected credential in the entry at `seq`.
    Superseded {
        /// Seq of the supersession entry.
        seq: u64,
        /// The corrected credential.
        by: CredentialId,
    },
    /// Attested on a branch of an equivocating chain: not to be trusted.
    Disputed {
        /// Seq at which the registrar's chain forked.
        fork_seq: u64,
    },
}

/// The index record of one credential attested by one registrar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialRecord {
    /// The attesting registrar.
    pub registrar: RegistrarId,
    /// Seq of the attestation (or supersession) entry in its chain.
    pub seq: u64,
    /// The credential's state.
    pub state: CredentialState,
    /// The credential this one corrects, if it was issued by a supersession.
    pub replaces: Option<CredentialId>,
}
