//! The verifier's question to the ledger: did the registrar that signed this attestation have
//! the authority to make it? One answer for every verifier (the CLI, the VC API, a browser),
//! from the same state and the same rules as validation (`validate`): a credential is
//! accredited exactly when its attestation entry would be accepted on the replica.

use crate::payload::Attestation;
use crate::rejection::Rejection;
use crate::state::{LedgerState, RegistrarState, VoidCause};
use crate::types::{Author, PublicKeyBytes, RegistrarId};
use crate::validate::check_attestation;

/// What a verifier knows of an attestation entry (from a portable proof or a replica): where
/// it sits, what it relied on, who signed it and what it attests.
#[derive(Debug, Clone, Copy)]
pub struct AttestationFacts<'a> {
    /// The chain holding the entry.
    pub author: &'a Author,
    /// Its position in that chain.
    pub seq: u64,
    /// The governance chain size the entry names.
    pub governance_size: u64,
    /// The author's timestamp (ms since the Unix epoch).
    pub time_ms: u64,
    /// The key that signed the entry.
    pub signer: &'a PublicKeyBytes,
    /// The attestation (of an `attest` entry, or a supersession's replacement).
    pub attestation: &'a Attestation,
}

/// Why an attestation does not carry an accredited registrar's authority on a replica.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorityError {
    /// The entry is on the governance chain, which attests no credential.
    #[error("the attestation is on the governance chain")]
    GovernanceChain,
    /// The entry relies on governance entries the replica does not hold.
    #[error("the entry relies on {needed} governance entries, the replica holds {held}")]
    ReplicaBehind {
        /// Governance size the entry names.
        needed: u64,
        /// Governance entries the replica holds.
        held: u64,
    },
    /// No such registrar was ever accredited on the replica.
    #[error("registrar {0} is not accredited")]
    UnknownRegistrar(RegistrarId),
    /// The registrar was accredited only after the governance size the entry names.
    #[error("registrar {registrar} was not yet accredited at governance size {governance_size}")]
    NotYetAccredited {
        /// The registrar.
        registrar: RegistrarId,
        /// Governance size the entry names.
        governance_size: u64,
    },
    /// The entry is in the registrar's log without effect (a suspension, a scope change, a
    /// fork of its chain or of the governance chain).
    #[error("{registrar}'s entry is void: {cause}")]
    Void {
        /// The registrar.
        registrar: RegistrarId,
        /// Why.
        cause: VoidCause,
    },
    /// The key that signed the entry is not the registrar's key for that position.
    #[error("the key of {registrar} for #{seq} is {}, the entry is signed by {signer}", in_force.map(|k| k.to_hex()).unwrap_or_else(|| "none".into()))]
    KeyNotInForce {
        /// The registrar.
        registrar: RegistrarId,
        /// The entry's position.
        seq: u64,
        /// The key in force there, if any.
        in_force: Option<PublicKeyBytes>,
        /// The key that signed.
        signer: String,
    },
    /// The registrar had no scope at the entry's governance size.
    #[error("{registrar} had no scope at governance size {governance_size}")]
    NoScope {
        /// The registrar.
        registrar: RegistrarId,
        /// Governance size the entry names.
        governance_size: u64,
    },
    /// The attestation is outside the registrar's scope (kind, jurisdiction or time), as
    /// validation names it.
    #[error(transparent)]
    OutOfScope(Rejection),
}

impl AuthorityError {
    /// A stable snake_case code for each case (the scope cases carry the ledger's own code).
    pub fn code(&self) -> &'static str {
        match self {
            AuthorityError::GovernanceChain => "governance_chain",
            AuthorityError::ReplicaBehind { .. } => "replica_behind",
            AuthorityError::UnknownRegistrar(_) => "unknown_registrar",
            AuthorityError::NotYetAccredited { .. } => "not_yet_accredited",
            AuthorityError::Void { .. } => "void",
            AuthorityError::KeyNotInForce { .. } => "key_not_in_force",
            AuthorityError::NoScope { .. } => "no_scope",
            AuthorityError::OutOfScope(r) => r.code(),
        }
    }
}

/// The registrar that made the attestation `facts` describe, with its id, if the replica's
/// `state` shows it had the authority: the checks validation runs on a registrar entry
/// (governance dependency, accreditation, void, signing key, scope at the named governance
/// size, kind, jurisdiction and time). The verdict is validation's; the error named can
/// differ for an entry that fails two checks, because validation checks the signature before
/// asking whether the position is void and this asks first whether it is void.
pub fn attestation_authority<'s>(
    state: &'s LedgerState,
    facts: &AttestationFacts<'_>,
) -> Result<(&'s RegistrarId, &'s RegistrarState), AuthorityError> {
    let Author::Registrar(id) = facts.author else {
        return Err(AuthorityError::GovernanceChain);
    };
    let g = facts.governance_size;
    let held = state.governance.chain.size;
    if g > held {
        return Err(AuthorityError::ReplicaBehind { needed: g, held });
    }
    let Some((id, reg)) = state.registrars.get_key_value(id) else {
        return Err(AuthorityError::UnknownRegistrar(id.clone()));
    };
    if reg.accredited_at >= g {
        return Err(AuthorityError::NotYetAccredited {
            registrar: id.clone(),
            governance_size: g,
        });
    }
    let governance_fork = state
        .governance
        .frozen_at
        .filter(|fork| g > *fork)
        .map(|from_gov| VoidCause::GovernanceForked { from_gov });
    if let Some(cause) = governance_fork.or_else(|| reg.void_from(facts.seq, g)) {
        return Err(AuthorityError::Void {
            registrar: id.clone(),
            cause,
        });
    }
    let in_force = reg.key_for(facts.seq, g).map(|p| p.key);
    if in_force.as_ref() != Some(facts.signer) {
        return Err(AuthorityError::KeyNotInForce {
            registrar: id.clone(),
            seq: facts.seq,
            in_force,
            signer: facts.signer.to_hex(),
        });
    }
    let Some(scope) = reg.scope_at(g) else {
        return Err(AuthorityError::NoScope {
            registrar: id.clone(),
            governance_size: g,
        });
    };
    if let Some(r) = check_attestation(id, scope, facts.time_ms, facts.attestation) {
        return Err(AuthorityError::OutOfScope(r));
    }
    Ok((id, reg))
}
