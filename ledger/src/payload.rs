//! The typed payloads of entries: what governance and registrars can say.
//!
//! No payload ever holds personal data: an attestation carries a random
//! credential id, two digests of the credential (which includes a random
//! salt), the event kind and the jurisdiction. The time is the entry's.

use crate::types::{CredentialId, EventKind, Hash32, Jurisdiction, PublicKeyBytes, RegistrarId};
use serde::{Deserialize, Serialize};

/// What a registrar may attest, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Jurisdictions the registrar may attest in (a subdivision of a listed
    /// jurisdiction is included).
    pub jurisdictions: Vec<Jurisdiction>,
    /// Event kinds the registrar may attest.
    pub kinds: Vec<EventKind>,
    /// Start of the validity window (entry time, ms since the Unix epoch).
    pub valid_from_ms: u64,
    /// End of the validity window, inclusive.
    pub valid_until_ms: u64,
}

impl Scope {
    /// True if the scope allows attesting `kind` in `jurisdiction` at `time_ms`.
    pub fn allows_kind(&self, kind: EventKind) -> bool {
        self.kinds.contains(&kind)
    }
    /// True if `jurisdiction` is within one of the scope's jurisdictions.
    pub fn allows_jurisdiction(&self, jurisdiction: &Jurisdiction) -> bool {
        self.jurisdictions.iter().any(|j| jurisdiction.is_within(j))
    }
    /// True if `time_ms` falls in the validity window.
    pub fn allows_time(&self, time_ms: u64) -> bool {
        (self.valid_from_ms..=self.valid_until_ms).contains(&time_ms)
    }
}

/// Governance accredits a new registrar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accreditation {
    /// The registrar's id (names its chain).
    pub registrar: RegistrarId,
    /// The office's display name (an institution, never a person).
    pub display_name: String,
    /// The registrar's first signing key.
    pub key: PublicKeyBytes,
    /// Commitment to the registrar's next key (see `signing::key_commitment`).
    pub next_key_commitment: Hash32,
    /// What it may attest.
    pub scope: Scope,
}

/// Governance changes a registrar's scope, from a stated position of its
/// chain on: the registrar's entries at `from_seq` or later that name a
/// governance size not past this change are void (they stay in the log
/// without effect), so a narrowed scope binds even entries signed by a
/// registrar that has not yet seen the change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeChange {
    /// The registrar.
    pub registrar: RegistrarId,
    /// The new scope, replacing the old one.
    pub scope: Scope,
    /// First registrar sequence number the change binds.
    pub from_seq: u64,
}

/// Governance sets a registrar's key on its behalf (recovery after loss or
/// theft). Only for a suspended registrar; the key signs the registrar's
/// entries from the suspension's `keep` on that name a governance size past
/// this recovery (entries naming an earlier size stay under the old keys, and
/// are void).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRecovery {
    /// The registrar.
    pub registrar: RegistrarId,
    /// The new key.
    pub key: PublicKeyBytes,
    /// Commitment to the key after it.
    pub next_key_commitment: Hash32,
}

/// Governance suspends a registrar: its entries from `keep` on are void
/// (they stay in the log, without effect) unless they name a governance size
/// past a later reinstatement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    /// The registrar.
    pub registrar: RegistrarId,
    /// How many entries of the registrar's chain keep their effect (entries
    /// with a sequence number >= `keep` are void unless they rely on a
    /// reinstatement).
    pub keep: u64,
}

/// Governance lifts a registrar's suspension. Entries after the freeze point
/// must name a governance size that includes this reinstatement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reinstatement {
    /// The registrar.
    pub registrar: RegistrarId,
}

/// Governance replaces its own key set and threshold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovernanceRotation {
    /// The new governance keys, sorted and distinct.
    pub keys: Vec<PublicKeyBytes>,
    /// The new threshold.
    pub threshold: u8,
}

/// A registrar anchors one credential.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attestation {
    /// The credential's random id.
    pub credential_id: CredentialId,
    /// SHA-256 of the Data Integrity form of the credential.
    pub di_digest: Hash32,
    /// SHA-256 of the SD-JWT issuer-signed part of the credential.
    pub sd_digest: Hash32,
    /// The kind of event.
    pub kind: EventKind,
    /// Where it was registered.
    pub jurisdiction: Jurisdiction,
}

/// Why a credential was revoked. Encoded as its index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevocationReason {
    /// Issued in error.
    IssuedInError,
    /// Obtained by fraud.
    Fraud,
    /// The holder asked for it.
    HolderRequest,
    /// Annulled by a court or authority.
    Annulled,
    /// Another reason.
    Other,
}

impl RevocationReason {
    /// Every reason, in encoding order.
    pub const ALL: [RevocationReason; 5] = [
        RevocationReason::IssuedInError,
        RevocationReason::Fraud,
        RevocationReason::HolderRequest,
        RevocationReason::Annulled,
        RevocationReason::Other,
    ];

    /// The reason's snake_case name, as it is written outside CBOR (APIs, command line,
    /// files): `issued_in_error`, `fraud`, `holder_request`, `annulled`, `other`.
    pub fn name(self) -> &'static str {
        match self {
            RevocationReason::IssuedInError => "issued_in_error",
            RevocationReason::Fraud => "fraud",
            RevocationReason::HolderRequest => "holder_request",
            RevocationReason::Annulled => "annulled",
            RevocationReason::Other => "other",
        }
    }

    /// The reason of a snake_case name, if it is one.
    pub fn from_name(name: &str) -> Option<RevocationReason> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// A registrar revokes one of its credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// The credential.
    pub credential_id: CredentialId,
    /// Why.
    pub reason: RevocationReason,
}

/// A registrar replaces one of its credentials by a corrected one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supersession {
    /// The credential being replaced.
    pub old_credential_id: CredentialId,
    /// The corrected credential.
    pub replacement: Attestation,
}

/// A registrar rotates its own key (pre-rotation): the new key must match
/// the commitment made when the current key was established.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRotation {
    /// The new key; applies from the next entry on.
    pub key: PublicKeyBytes,
    /// Commitment to the key after it.
    pub next_key_commitment: Hash32,
}

/// What an entry says. Governance payloads appear only on the governance
/// chain, registrar payloads only on registrar chains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payload {
    /// Governance: accredit a registrar.
    Accredit(Accreditation),
    /// Governance: change a registrar's scope.
    ChangeScope(ScopeChange),
    /// Governance: set a suspended registrar's key.
    RecoverKey(KeyRecovery),
    /// Governance: suspend a registrar (freeze its chain).
    Suspend(Suspension),
    /// Governance: lift a suspension.
    Reinstate(Reinstatement),
    /// Governance: replace the governance key set.
    RotateGovernance(GovernanceRotation),
    /// Registrar: attest a credential.
    Attest(Attestation),
    /// Registrar: revoke a credential.
    Revoke(Revocation),
    /// Registrar: supersede a credential by a corrected one.
    Supersede(Supersession),
    /// Registrar: rotate its own key.
    RotateKey(KeyRotation),
}

impl Payload {
    /// True for payloads that belong on the governance chain.
    pub fn is_governance(&self) -> bool {
        matches!(
            self,
            Payload::Accredit(_)
                | Payload::ChangeScope(_)
                | Payload::RecoverKey(_)
                | Payload::Suspend(_)
                | Payload::Reinstate(_)
                | Payload::RotateGovernance(_)
        )
    }
    /// A short name for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            Payload::Accredit(_) => "accredit",
            Payload::ChangeScope(_) => "change_scope",
            Payload::RecoverKey(_) => "recover_key",
            Payload::Suspend(_) => "suspend",
            Payload::Reinstate(_) => "reinstate",
            Payload::RotateGovernance(_) => "rotate_governance",
            Payload::Attest(_) => "attest",
            Payload::Revoke(_) => "revoke",
            Payload::Supersede(_) => "supersede",
            Payload::RotateKey(_) => "rotate_key",
        }
    }
}

#[cfg(test)]
mod revocation_reason_tests {
    use super::RevocationReason;

    #[test]
    fn every_reason_travels_by_its_snake_case_name() {
        let names: Vec<&str> = RevocationReason::ALL.map(RevocationReason::name).to_vec();
        assert_eq!(
            names,
            [
                "issued_in_error",
                "fraud",
                "holder_request",
                "annulled",
                "other"
            ]
        );
        for reason in RevocationReason::ALL {
            assert_eq!(RevocationReason::from_name(reason.name()), Some(reason));
        }
        assert_eq!(RevocationReason::from_name("Fraud"), None);
    }
}
