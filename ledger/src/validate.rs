//! The ledger's rules as one deterministic, I/O-free state transition:
//! given the derived [`LedgerState`], read access to earlier entries and
//! credential records, and one decoded [`Entry`], decide what the entry is
//! (accepted, a duplicate, held for a dependency, an equivocation, or
//! refused for a named reason) and, when accepted, update the state and say
//! which credential records change.
//!
//! Rules are applied in the order of `specs/ledger.md` ("Validation").

use crate::credential::{CredentialRecord, CredentialState};
use crate::entry::{Entry, EntryBody};
use crate::genesis::check_key_set;
use crate::payload::{Attestation, Payload, Scope};
use crate::rejection::Rejection;
use crate::signing::{check_public_key, key_commitment, verify_strict, ENTRY_DOMAIN};
use crate::state::{
    ChainHead, KeyPeriod, LedgerState, RegistrarState, ScopeRecord, SuspensionRecord, VoidCause,
};
use crate::types::{Author, CredentialId, PublicKeyBytes, RegistrarId, SignatureBytes};

/// Longest display name accepted, in bytes.
pub const MAX_DISPLAY_NAME: usize = 128;

/// Read access to what the store holds, for the rules that need it.
pub trait LedgerView {
    /// Error of the underlying store.
    type Error;
    /// The signed bytes of `author`'s entry `seq`, if held.
    fn entry_bytes(&self, author: &Author, seq: u64) -> Result<Option<Vec<u8>>, Self::Error>;
    /// The record of credential `id` attested by `registrar`, if any.
    fn credential(
        &self,
        id: &CredentialId,
        registrar: &RegistrarId,
    ) -> Result<Option<CredentialRecord>, Self::Error>;
}

/// Checks signatures, now or later (batch verification).
pub trait SignatureVerifier {
    /// Returns false if the signature is known to be bad now. A deferring
    /// verifier returns true and checks later.
    fn verify(&mut self, key: &PublicKeyBytes, entry: &Entry, signature: &SignatureBytes) -> bool;
}

/// Verifies every signature immediately with strict verification.
pub struct ImmediateVerifier;

impl SignatureVerifier for ImmediateVerifier {
    fn verify(&mut self, key: &PublicKeyBytes, entry: &Entry, signature: &SignatureBytes) -> bool {
        verify_strict(key, ENTRY_DOMAIN, entry.body_bytes(), signature).is_ok()
    }
}

/// Why an entry is held rather than applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HoldReason {
    /// It relies on governance entries not received yet.
    Governance {
        /// The governance size it needs.
        needed: u64,
    },
    /// Earlier entries of its chain have not arrived.
    Gap {
        /// The chain's next seq.
        expected: u64,
    },
    /// Validly signed by the registrar but not linked to the chain this
    /// replica holds: evidence of a fork whose proof has not arrived yet.
    OtherHistory,
}

/// A change to a credential record made by an accepted entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialUpdate {
    /// The credential.
    pub id: CredentialId,
    /// Its new record.
    pub record: CredentialRecord,
}

/// What an accepted entry changes besides the state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accepted {
    /// Credential records written.
    pub credentials: Vec<CredentialUpdate>,
    /// A registrar whose entries from this seq on, already in the log, lose
    /// their effect now (a suspension or a scope change): the store undoes
    /// what they did, and keeps them in the log.
    pub voids: Option<(RegistrarId, u64)>,
}

/// The decision about one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Applied: the state was updated.
    Accepted(Accepted),
    /// Appended to its chain's log (validly signed and linked) without
    /// effect: a suspension, a scope change or a governance fork voids it.
    /// The chain's head moved; nothing else changed.
    Void(VoidCause),
    /// The same entry is already in the chain; nothing changed.
    Duplicate,
    /// Kept aside until its dependency arrives; nothing changed.
    Held(HoldReason),
    /// A validly signed entry conflicting with the chain's entry at the same
    /// seq; the state was not changed (the store records the proof).
    Equivocation {
        /// The entry already in the chain.
        existing: Vec<u8>,
    },
    /// Signed by the registrar's key at or past the point where its chain
    /// forked: not part of the chain; the store keeps it aside and marks
    /// the credentials it touches as disputed.
    Disputed {
        /// Seq of the fork.
        fork: u64,
    },
    /// Refused; nothing changed.
    Rejected(Rejection),
}

/// Applies one entry to `state` under the ledger's rules.
pub fn apply_entry<V: LedgerView>(
    state: &mut LedgerState,
    view: &V,
    verifier: &mut dyn SignatureVerifier,
    entry: &Entry,
) -> Result<Verdict, V::Error> {
    let body = entry.body();
    if body.network != state.network {
        return Ok(Verdict::Rejected(Rejection::WrongNetwork {
            expected: state.network,
            found: body.network,
        }));
    }
    match &body.author {
        Author::Governance => apply_governance(state, view, verifier, entry),
        Author::Registrar(id) => apply_registrar(state, view, verifier, entry, id),
    }
}

/// Where an entry falls relative to its chain's head.
enum Position {
    Next,
    Decided(Verdict),
}

fn position<V: LedgerView>(
    view: &V,
    chain: &ChainHead,
    entry: &Entry,
    conflicting_is_valid: impl FnOnce() -> bool,
) -> Result<Position, V::Error> {
    let body = entry.body();
    if body.seq > chain.size {
        return Ok(Position::Decided(Verdict::Held(HoldReason::Gap {
            expected: chain.size,
        })));
    }
    if body.seq < chain.size {
        let Some(existing) = view.entry_bytes(&body.author, body.seq)? else {
            return Ok(Position::Decided(Verdict::Duplicate));
        };
        let same = Entry::decode(&existing, usize::MAX)
            .map(|e| e.hash() == entry.hash())
            .unwrap_or(false);
        if same {
            return Ok(Position::Decided(Verdict::Duplicate));
        }
        if conflicting_is_valid() {
            return Ok(Position::Decided(Verdict::Equivocation { existing }));
        }
        return Ok(Position::Decided(Verdict::Rejected(
            Rejection::BadSignature {
                author: body.author.clone(),
                seq: body.seq,
            },
        )));
    }
    Ok(Position::Next)
}

/// Whether the log holds exactly this entry at its position.
fn already_logged<V: LedgerView>(
    view: &V,
    chain: &ChainHead,
    entry: &Entry,
) -> Result<bool, V::Error> {
    let body = entry.body();
    if body.seq >= chain.size {
        return Ok(false);
    }
    Ok(view
        .entry_bytes(&body.author, body.seq)?
        .is_some_and(|stored| stored.as_slice() == entry.bytes()))
}

fn check_link(chain: &ChainHead, body: &EntryBody) -> Option<Rejection> {
    if body.prev != chain.head {
        return Some(Rejection::PreviousHashMismatch {
            author: body.author.clone(),
            seq: body.seq,
        });
    }
    if body.time_ms < chain.last_time_ms {
        return Some(Rejection::TimeWentBackwards {
            previous: chain.last_time_ms,
            found: body.time_ms,
        });
    }
    None
}

/// Moves `entry`'s chain head past it without any other effect: for an
/// entry of this replica's own log that the rules, replayed after a
/// governance fork, no longer give effect to (the log never shrinks).
pub(crate) fn advance_without_effect(state: &mut LedgerState, entry: &Entry) {
    match &entry.body().author {
        Author::Governance => advance(&mut state.governance.chain, entry),
        Author::Registrar(id) => match state.registrars.get_mut(id) {
            Some(reg) => advance(&mut reg.chain, entry),
            None => advance(state.orphan_logs.entry(id.clone()).or_default(), entry),
        },
    }
}

fn advance(chain: &mut ChainHead, entry: &Entry) {
    chain.size = entry.body().seq + 1;
    chain.head = Some(entry.hash());
    chain.last_time_ms = entry.body().time_ms;
    chain.last_governance_size = entry.body().governance_size;
}

fn check_scope(scope: &Scope) -> Option<Rejection> {
    if scope.kinds.is_empty() {
        return Some(Rejection::InvalidScope("no event kinds"));
    }
    if scope.jurisdictions.is_empty() {
        return Some(Rejection::InvalidScope("no jurisdictions"));
    }
    if scope.valid_from_ms > scope.valid_until_ms {
        return Some(Rejection::InvalidScope(
            "validity window ends before it starts",
        ));
    }
    None
}

/// Checks a governance entry's signatures: every signer in `keys`, at
/// least `threshold` of them, each valid.
fn governance_signatures_ok(
    keys: &[PublicKeyBytes],
    threshold: u8,
    verifier: &mut dyn SignatureVerifier,
    entry: &Entry,
) -> Option<Rejection> {
    if let Some(stranger) = entry.signatures().iter().find(|s| !keys.contains(&s.key)) {
        return Some(Rejection::UnknownSigner(stranger.key));
    }
    if entry.signatures().len() < usize::from(threshold) {
        return Some(Rejection::InsufficientSignatures {
            required: usize::from(threshold),
            found: entry.signatures().len(),
        });
    }
    for s in entry.signatures() {
        if !verifier.verify(&s.key, entry, &s.signature) {
            return Some(Rejection::BadSignature {
                author: Author::Governance,
                seq: entry.body().seq,
            });
        }
    }
    None
}

fn apply_governance<V: LedgerView>(
    state: &mut LedgerState,
    view: &V,
    verifier: &mut dyn SignatureVerifier,
    entry: &Entry,
) -> Result<Verdict, V::Error> {
    let body = entry.body();
    let gov = &state.governance;
    if !body.payload.is_governance() {
        return Ok(Verdict::Rejected(Rejection::WrongChainForPayload {
            payload: body.payload.name(),
            author: Author::Governance,
        }));
    }
    let (keys, threshold) = gov.key_set_for(body.seq);
    let conflicting_ok =
        || governance_signatures_ok(&keys, threshold, &mut ImmediateVerifier, entry).is_none();
    if let Position::Decided(v) = position(view, &gov.chain, entry, conflicting_ok)? {
        return Ok(v);
    }
    if body.governance_size != body.seq {
        return Ok(Verdict::Rejected(Rejection::GovernanceSize {
            minimum: body.seq,
            found: body.governance_size,
        }));
    }
    if let Some(fork) = gov.frozen_at.filter(|fork| body.seq >= *fork) {
        // Past a governance fork this replica keeps the branch it holds:
        // entries that extend it join the log without effect.
        let extends = check_link(&gov.chain, body).is_none()
            && governance_signatures_ok(&gov.keys, gov.threshold, verifier, entry).is_none();
        if !extends {
            return Ok(Verdict::Rejected(Rejection::GovernanceFrozen));
        }
        advance(&mut state.governance.chain, entry);
        return Ok(Verdict::Void(VoidCause::GovernanceForked {
            from_gov: fork,
        }));
    }
    if let Some(r) = check_link(&gov.chain, body) {
        return Ok(Verdict::Rejected(r));
    }
    if let Some(r) = governance_signatures_ok(&gov.keys, gov.threshold, verifier, entry) {
        return Ok(Verdict::Rejected(r));
    }
    let seq = body.seq;
    let mut accepted = Accepted::default();
    let registrar = |id: &RegistrarId| -> Result<(), Rejection> {
        if state.registrars.contains_key(id) {
            Ok(())
        } else {
            Err(Rejection::UnknownRegistrar(id.clone()))
        }
    };
    let checked: Result<(), Rejection> = match &body.payload {
        Payload::Accredit(a) => {
            if state.registrars.contains_key(&a.registrar) {
                Err(Rejection::RegistrarExists(a.registrar.clone()))
            } else if a.display_name.is_empty() || a.display_name.len() > MAX_DISPLAY_NAME {
                Err(Rejection::DisplayName)
            } else if let Some(r) = check_scope(&a.scope) {
                Err(r)
            } else {
                check_public_key(&a.key)
                    .map(|_| ())
                    .map_err(Rejection::from)
            }
        }
        Payload::ChangeScope(c) => {
            registrar(&c.registrar).and_then(|()| check_scope(&c.scope).map_or(Ok(()), Err))
        }
        Payload::RecoverKey(k) => registrar(&k.registrar).and_then(|()| {
            match state
                .registrars
                .get(&k.registrar)
                .and_then(|r| r.current_suspension())
            {
                None => Err(Rejection::NotSuspended(k.registrar.clone())),
                Some(_) => check_public_key(&k.key)
                    .map(|_| ())
                    .map_err(Rejection::from),
            }
        }),
        Payload::Suspend(s) => registrar(&s.registrar).and_then(|()| {
            match state
                .registrars
                .get(&s.registrar)
                .and_then(|r| r.current_suspension())
            {
                Some(_) => Err(Rejection::AlreadySuspended(s.registrar.clone())),
                None => Ok(()),
            }
        }),
        Payload::Reinstate(r) => registrar(&r.registrar).and_then(|()| {
            match state
                .registrars
                .get(&r.registrar)
                .and_then(|x| x.current_suspension())
            {
                None => Err(Rejection::NotSuspended(r.registrar.clone())),
                Some(_) => Ok(()),
            }
        }),
        Payload::RotateGovernance(g) => {
            check_key_set(&g.keys, g.threshold).map_err(Rejection::GovernanceKeys)
        }
        _ => Err(Rejection::WrongChainForPayload {
            payload: body.payload.name(),
            author: Author::Governance,
        }),
    };
    if let Err(r) = checked {
        return Ok(Verdict::Rejected(r));
    }
    // All checks passed: apply.
    match &body.payload {
        Payload::Accredit(a) => {
            state.registrars.insert(
                a.registrar.clone(),
                RegistrarState {
                    display_name: a.display_name.clone(),
                    accredited_at: seq,
                    scopes: vec![ScopeRecord {
                        governance_seq: seq,
                        from_seq: 0,
                        scope: a.scope.clone(),
                    }],
                    keys: vec![KeyPeriod {
                        from_seq: 0,
                        from_governance: seq + 1,
                        key: a.key,
                        next_key_commitment: a.next_key_commitment,
                        by_governance: true,
                    }],
                    suspensions: Vec::new(),
                    fork_at: None,
                    chain: ChainHead::default(),
                },
            );
        }
        Payload::ChangeScope(c) => {
            if let Some(r) = state.registrars.get_mut(&c.registrar) {
                r.scopes.push(ScopeRecord {
                    governance_seq: seq,
                    from_seq: c.from_seq,
                    scope: c.scope.clone(),
                });
                if r.chain.size > c.from_seq {
                    accepted.voids = Some((c.registrar.clone(), c.from_seq));
                }
            }
        }
        Payload::RecoverKey(k) => {
            if let Some(r) = state.registrars.get_mut(&k.registrar) {
                let from_seq = r
                    .current_suspension()
                    .map(|s| s.keep)
                    .unwrap_or(r.chain.size);
                r.add_key(KeyPeriod {
                    from_seq,
                    from_governance: seq + 1,
                    key: k.key,
                    next_key_commitment: k.next_key_commitment,
                    by_governance: true,
                });
            }
        }
        Payload::Suspend(s) => {
            if let Some(r) = state.registrars.get_mut(&s.registrar) {
                r.suspensions.push(SuspensionRecord {
                    governance_seq: seq,
                    keep: s.keep,
                    reinstated_at: None,
                });
                if r.chain.size > s.keep {
                    accepted.voids = Some((s.registrar.clone(), s.keep));
                }
            }
        }
        Payload::Reinstate(x) => {
            if let Some(s) = state
                .registrars
                .get_mut(&x.registrar)
                .and_then(|r| r.suspensions.last_mut())
            {
                s.reinstated_at = Some(seq);
            }
        }
        Payload::RotateGovernance(g) => {
            state.governance.keys = g.keys.clone();
            state.governance.threshold = g.threshold;
            state
                .governance
                .key_sets
                .push((seq + 1, g.keys.clone(), g.threshold));
        }
        _ => {}
    }
    advance(&mut state.governance.chain, entry);
    Ok(Verdict::Accepted(accepted))
}

pub(crate) fn check_attestation(
    registrar: &RegistrarId,
    scope: &Scope,
    time_ms: u64,
    a: &Attestation,
) -> Option<Rejection> {
    if !scope.allows_kind(a.kind) {
        return Some(Rejection::NotAccreditedForKind {
            registrar: registrar.clone(),
            kind: a.kind,
        });
    }
    if !scope.allows_jurisdiction(&a.jurisdiction) {
        return Some(Rejection::NotAccreditedForJurisdiction {
            registrar: registrar.clone(),
            jurisdiction: a.jurisdiction.clone(),
        });
    }
    if !scope.allows_time(time_ms) {
        return Some(Rejection::OutsideValidityWindow {
            time_ms,
            from_ms: scope.valid_from_ms,
            until_ms: scope.valid_until_ms,
        });
    }
    None
}

fn apply_registrar<V: LedgerView>(
    state: &mut LedgerState,
    view: &V,
    verifier: &mut dyn SignatureVerifier,
    entry: &Entry,
    id: &RegistrarId,
) -> Result<Verdict, V::Error> {
    let body = entry.body();
    let g = body.governance_size;
    if g > state.governance.chain.size {
        return Ok(Verdict::Held(HoldReason::Governance { needed: g }));
    }
    let Some(reg) = state.registrars.get(id) else {
        return Ok(Verdict::Rejected(Rejection::UnknownAuthor(
            body.author.clone(),
        )));
    };
    if reg.accredited_at >= g {
        return Ok(Verdict::Rejected(Rejection::UnknownAuthor(
            body.author.clone(),
        )));
    }
    if body.payload.is_governance() {
        return Ok(Verdict::Rejected(Rejection::WrongChainForPayload {
            payload: body.payload.name(),
            author: body.author.clone(),
        }));
    }
    let key = reg.key_for(body.seq, g).map(|p| p.key);
    let single_valid = |verifier: &mut dyn SignatureVerifier| -> Result<(), Rejection> {
        let [signature] = entry.signatures() else {
            return Err(Rejection::SignatureCount(entry.signatures().len()));
        };
        if Some(signature.key) != key {
            return Err(Rejection::UnknownSigner(signature.key));
        }
        if !verifier.verify(&signature.key, entry, &signature.signature) {
            return Err(Rejection::BadSignature {
                author: body.author.clone(),
                seq: body.seq,
            });
        }
        Ok(())
    };
    if reg.fork_at.is_some() && already_logged(view, &reg.chain, entry)? {
        // This replica's own branch past the fork, sent again: it holds it.
        return Ok(Verdict::Duplicate);
    }
    if let Some(fork) = reg.fork_at.filter(|fork| body.seq >= *fork) {
        // Past an equivocation: whatever the registrar's key signed here is
        // kept aside as disputed; anything else is a bad signature.
        return Ok(match single_valid(&mut ImmediateVerifier) {
            Ok(()) => Verdict::Disputed { fork },
            Err(r) => Verdict::Rejected(r),
        });
    }
    let conflicting_ok = || single_valid(&mut ImmediateVerifier).is_ok();
    if let Position::Decided(v) = position(view, &reg.chain, entry, conflicting_ok)? {
        return Ok(v);
    }
    if let Some(r) = check_link(&reg.chain, body) {
        // Signed by the registrar but on another history than ours: the
        // registrar forked at an earlier seq whose other entry has not
        // arrived. Keep it (bounded) until the fork is proven, so that every
        // replica ends with the same disputed credentials whatever the order.
        let orphan = matches!(r, Rejection::PreviousHashMismatch { .. })
            && single_valid(&mut ImmediateVerifier).is_ok();
        return Ok(if orphan {
            Verdict::Held(HoldReason::OtherHistory)
        } else {
            Verdict::Rejected(r)
        });
    }
    if g < reg.chain.last_governance_size {
        return Ok(Verdict::Rejected(Rejection::GovernanceSize {
            minimum: reg.chain.last_governance_size,
            found: g,
        }));
    }
    if let Err(r) = single_valid(verifier) {
        return Ok(Verdict::Rejected(r));
    }
    let governance_fork = state
        .governance
        .frozen_at
        .filter(|fork| g > *fork)
        .map(|from_gov| VoidCause::GovernanceForked { from_gov });
    if let Some(cause) = governance_fork.or_else(|| reg.void_from(body.seq, g)) {
        // Validly signed and linked: it joins the log, without effect on
        // credentials (whatever it claims about them is not checked), so that
        // every replica holds the same log whichever came first, this entry
        // or the governance entry that voids it. A key rotation still takes
        // effect: later entries of the log are signed by its key.
        let mut rotation = None;
        if let Payload::RotateKey(k) = &body.payload {
            match rotation_period(reg, body, k) {
                Ok(p) => rotation = Some(p),
                Err(r) => return Ok(Verdict::Rejected(r)),
            }
        }
        let Some(reg) = state.registrars.get_mut(id) else {
            return Ok(Verdict::Rejected(Rejection::UnknownAuthor(
                body.author.clone(),
            )));
        };
        if let Some(period) = rotation {
            reg.add_key(period);
        }
        advance(&mut reg.chain, entry);
        return Ok(Verdict::Void(cause));
    }
    let Some(scope) = reg.scope_at(g) else {
        return Ok(Verdict::Rejected(Rejection::UnknownAuthor(
            body.author.clone(),
        )));
    };
    let mut accepted = Accepted::default();
    let record =
        |seq: u64, state: CredentialState, replaces: Option<CredentialId>| CredentialRecord {
            registrar: id.clone(),
            seq,
            state,
            replaces,
        };
    let active_record =
        |cid: &CredentialId| -> Result<Result<CredentialRecord, Rejection>, V::Error> {
            Ok(match view.credential(cid, id)? {
                None => Err(Rejection::UnknownCredential(*cid)),
                Some(r) => match r.state {
                    CredentialState::Active => Ok(r),
                    CredentialState::Revoked { .. } => Err(Rejection::AlreadyRevoked(*cid)),
                    CredentialState::Superseded { .. } => Err(Rejection::AlreadySuperseded(*cid)),
                    CredentialState::Disputed { .. } => Err(Rejection::UnknownCredential(*cid)),
                },
            })
        };
    let mut new_key: Option<KeyPeriod> = None;
    match &body.payload {
        Payload::Attest(a) => {
            if let Some(r) = check_attestation(id, scope, body.time_ms, a) {
                return Ok(Verdict::Rejected(r));
            }
            if view.credential(&a.credential_id, id)?.is_some() {
                return Ok(Verdict::Rejected(Rejection::DuplicateCredential(
                    a.credential_id,
                )));
            }
            accepted.credentials.push(CredentialUpdate {
                id: a.credential_id,
                record: record(body.seq, CredentialState::Active, None),
            });
        }
        Payload::Revoke(r) => {
            let old = match active_record(&r.credential_id)? {
                Ok(old) => old,
                Err(rej) => return Ok(Verdict::Rejected(rej)),
            };
            accepted.credentials.push(CredentialUpdate {
                id: r.credential_id,
                record: CredentialRecord {
                    state: CredentialState::Revoked {
                        seq: body.seq,
                        reason: r.reason,
                    },
                    ..old
                },
            });
        }
        Payload::Supersede(s) => {
            let old = match active_record(&s.old_credential_id)? {
                Ok(old) => old,
                Err(rej) => return Ok(Verdict::Rejected(rej)),
            };
            let new = &s.replacement;
            if let Some(r) = check_attestation(id, scope, body.time_ms, new) {
                return Ok(Verdict::Rejected(r));
            }
            if new.credential_id == s.old_credential_id
                || view.credential(&new.credential_id, id)?.is_some()
            {
                return Ok(Verdict::Rejected(Rejection::DuplicateCredential(
                    new.credential_id,
                )));
            }
            accepted.credentials.push(CredentialUpdate {
                id: s.old_credential_id,
                record: CredentialRecord {
                    state: CredentialState::Superseded {
                        seq: body.seq,
                        by: new.credential_id,
                    },
                    ..old
                },
            });
            accepted.credentials.push(CredentialUpdate {
                id: new.credential_id,
                record: record(body.seq, CredentialState::Active, Some(s.old_credential_id)),
            });
        }
        Payload::RotateKey(k) => match rotation_period(reg, body, k) {
            Ok(p) => new_key = Some(p),
            Err(r) => return Ok(Verdict::Rejected(r)),
        },
        _ => {}
    }
    let Some(reg) = state.registrars.get_mut(id) else {
        return Ok(Verdict::Rejected(Rejection::UnknownAuthor(
            body.author.clone(),
        )));
    };
    if let Some(period) = new_key {
        reg.add_key(period);
    }
    advance(&mut reg.chain, entry);
    Ok(Verdict::Accepted(accepted))
}

/// The key period a registrar's own rotation entry starts, if its key
/// matches the commitment of the key that signs the entry.
fn rotation_period(
    reg: &RegistrarState,
    body: &EntryBody,
    k: &crate::payload::KeyRotation,
) -> Result<KeyPeriod, Rejection> {
    let Some(current) = reg.key_for(body.seq, body.governance_size) else {
        return Err(Rejection::UnknownAuthor(body.author.clone()));
    };
    if key_commitment(&k.key) != current.next_key_commitment {
        return Err(Rejection::RotationCommitmentMismatch);
    }
    check_public_key(&k.key).map_err(Rejection::InvalidKey)?;
    Ok(KeyPeriod {
        from_seq: body.seq + 1,
        from_governance: body.governance_size,
        key: k.key,
        next_key_commitment: k.next_key_commitment,
        by_governance: false,
    })
}
