//! The ledger's validation rules, through the real sled store.

use ledger::credential::CredentialState;
use ledger::entry::Entry;
use ledger::fixtures::{attestation, credential_id, TestNetwork, TestRegistrar, T0_MS};
use ledger::payload::{
    KeyRecovery, KeyRotation, Payload, Reinstatement, Revocation, RevocationReason, Scope,
    ScopeChange, Supersession, Suspension,
};
use ledger::rejection::Rejection;
use ledger::signing::{key_commitment, KeyPair};
use ledger::state::VoidCause;
use ledger::store::{CredentialStatus, Outcome, Store};
use ledger::types::{Author, EventKind, Jurisdiction};
use ledger::validate::HoldReason;

const KINDS: [EventKind; 2] = [EventKind::Birth, EventKind::RefugeeStatus];

fn setup() -> (TestNetwork, TestRegistrar, Store) {
    let mut net = TestNetwork::new(3, 2);
    let mut store = Store::temporary(&net.genesis).expect("store");
    let (reg, accreditation) = net.accredit(1, &KINDS, &["JO"]).expect("accredit");
    assert_eq!(outcome(&mut store, &accreditation), Outcome::Accepted);
    (net, reg, store)
}

fn outcome(store: &mut Store, entry: &Entry) -> Outcome {
    let results = store
        .ingest(std::slice::from_ref(&entry.bytes()))
        .expect("ingest");
    results[0].outcome.clone()
}

fn rejected(store: &mut Store, entry: &Entry) -> Rejection {
    match outcome(store, entry) {
        Outcome::Rejected(r) => r,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn status_state(store: &Store, n: u64) -> Option<CredentialState> {
    match store.credential_status(&credential_id(n)).expect("status") {
        CredentialStatus::Attested { record, .. } => Some(record.state),
        CredentialStatus::Unknown => None,
        CredentialStatus::Disputed { .. } | CredentialStatus::Ambiguous { .. } => {
            Some(CredentialState::Disputed { fork_seq: u64::MAX })
        }
    }
}

#[test]
fn accredited_registrar_attests_and_status_is_active() {
    let (_net, mut reg, mut store) = setup();
    let e = reg
        .attest(1, EventKind::Birth, "JO-MA", T0_MS + 100)
        .expect("sign");
    assert_eq!(outcome(&mut store, &e), Outcome::Accepted);
    assert_eq!(outcome(&mut store, &e), Outcome::Duplicate);
    assert_eq!(status_state(&store, 1), Some(CredentialState::Active));
    assert_eq!(status_state(&store, 2), None);
    let head = store.state().chain(&Author::Registrar(reg.id.clone()));
    assert_eq!(head.size, 1);
    assert_eq!(head.head, Some(e.hash()));
}

#[test]
fn entry_of_another_network_is_rejected() {
    let (_net, _reg, mut store) = setup();
    let mut other = TestNetwork::new(3, 2);
    other.genesis.name = "elsewhere".into();
    let mut other = TestNetwork {
        network: other.genesis.network_id().expect("id"),
        ..other
    };
    other.governance_writer =
        ledger::writer::ChainWriter::new(other.network, Author::Governance, &Default::default());
    let (_r, accreditation) = other.accredit(1, &KINDS, &["JO"]).expect("accredit");
    assert!(matches!(
        rejected(&mut store, &accreditation),
        Rejection::WrongNetwork { .. }
    ));
}

#[test]
fn tampered_entry_is_rejected_with_bad_signature() {
    let (net, mut reg, mut store) = setup();
    let good = reg
        .attest(1, EventKind::Birth, "JO", T0_MS + 100)
        .expect("sign");
    let mut body = good.body().clone();
    body.time_ms += 1;
    let body_bytes = ledger::codec::encode(&body).expect("encode");
    let forged = Entry::from_parts(body_bytes, good.signatures().to_vec()).expect("assemble");
    assert!(matches!(
        rejected(&mut store, &forged),
        Rejection::BadSignature { .. }
    ));
    // Signed by a key that is not the registrar's.
    let mut thief = TestRegistrar {
        key: KeyPair::from_seed(&[9; 32]),
        writer: ledger::writer::ChainWriter::new(
            net.network,
            Author::Registrar(reg.id.clone()),
            &Default::default(),
        ),
        next_key: KeyPair::from_seed(&[8; 32]),
        id: reg.id.clone(),
        governance_size: reg.governance_size,
    };
    let stolen = thief
        .attest(1, EventKind::Birth, "JO", T0_MS + 100)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &stolen),
        Rejection::UnknownSigner(_)
    ));
    assert_eq!(outcome(&mut store, &good), Outcome::Accepted);
}

#[test]
fn out_of_scope_attestations_are_rejected_by_name() {
    let (_net, reg, mut store) = setup();
    let death = fresh_writer(&reg)
        .attest(1, EventKind::Death, "JO", T0_MS + 1)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &death),
        Rejection::NotAccreditedForKind { .. }
    ));
    let elsewhere = fresh_writer(&reg)
        .attest(1, EventKind::Birth, "SY", T0_MS + 1)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &elsewhere),
        Rejection::NotAccreditedForJurisdiction { .. }
    ));
    let too_early = fresh_writer(&reg)
        .attest(1, EventKind::Birth, "JO", T0_MS - 1)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &too_early),
        Rejection::OutsideValidityWindow { .. }
    ));
    let within = fresh_writer(&reg)
        .attest(1, EventKind::Birth, "JO-IR", T0_MS + 1)
        .expect("sign");
    assert_eq!(outcome(&mut store, &within), Outcome::Accepted);
}

fn fresh_writer(reg: &TestRegistrar) -> TestRegistrar {
    TestRegistrar {
        id: reg.id.clone(),
        key: KeyPair::from_seed(&reg.key.seed()),
        next_key: KeyPair::from_seed(&reg.next_key.seed()),
        writer: reg.writer.clone(),
        governance_size: reg.governance_size,
    }
}

#[test]
fn chain_links_are_enforced() {
    let (_net, mut reg, mut store) = setup();
    let first = reg
        .attest(1, EventKind::Birth, "JO", T0_MS + 10)
        .expect("sign");
    assert_eq!(outcome(&mut store, &first), Outcome::Accepted);
    // Time going backwards.
    let mut r = fresh_writer(&reg);
    let back = r
        .attest(2, EventKind::Birth, "JO", T0_MS + 5)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &back),
        Rejection::TimeWentBackwards { .. }
    ));
    // Wrong previous hash: a writer that skipped `first`.
    let mut stale = TestRegistrar {
        writer: ledger::writer::ChainWriter::new(
            store.network(),
            Author::Registrar(reg.id.clone()),
            &ledger::state::ChainHead {
                size: 1,
                head: Some(ledger::fixtures::BOGUS_HASH),
                ..Default::default()
            },
        ),
        ..fresh_writer(&reg)
    };
    // Signed by someone else: refused.
    let mut stranger = TestRegistrar {
        key: KeyPair::from_seed(&[33; 32]),
        writer: stale.writer.clone(),
        ..fresh_writer(&reg)
    };
    let forged = stranger
        .attest(2, EventKind::Birth, "JO", T0_MS + 20)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &forged),
        Rejection::PreviousHashMismatch { .. }
    ));
    // Signed by the registrar on another history: held as evidence of a
    // fork whose other half has not arrived.
    let unlinked = stale
        .attest(2, EventKind::Birth, "JO", T0_MS + 20)
        .expect("sign");
    assert_eq!(
        outcome(&mut store, &unlinked),
        Outcome::Held(HoldReason::OtherHistory)
    );
    assert_eq!(
        store.state().chain(&Author::Registrar(reg.id.clone())).size,
        1
    );
}

#[test]
fn early_entries_are_held_then_applied() {
    let mut net = TestNetwork::new(3, 2);
    let mut store = Store::temporary(&net.genesis).expect("store");
    let (mut reg, accreditation) = net.accredit(1, &KINDS, &["JO"]).expect("accredit");
    let e: Vec<Entry> = (0..4)
        .map(|n| {
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign")
        })
        .collect();
    // Before their accreditation: held for the governance dependency.
    assert_eq!(
        outcome(&mut store, &e[1]),
        Outcome::Held(HoldReason::Governance { needed: 1 })
    );
    assert_eq!(
        outcome(&mut store, &e[0]),
        Outcome::Held(HoldReason::Governance { needed: 1 })
    );
    assert_eq!(store.held_count(), 2);
    assert_eq!(outcome(&mut store, &accreditation), Outcome::Accepted);
    assert_eq!(store.held_count(), 0);
    let author = Author::Registrar(reg.id.clone());
    assert_eq!(store.state().chain(&author).size, 2);
    // After a gap: held until the missing entry arrives.
    assert_eq!(
        outcome(&mut store, &e[3]),
        Outcome::Held(HoldReason::Gap { expected: 2 })
    );
    assert_eq!(outcome(&mut store, &e[2]), Outcome::Accepted);
    assert_eq!(store.state().chain(&author).size, 4);
    assert_eq!(store.held_count(), 0);
}

#[test]
fn revocation_and_supersession_follow_the_credential_lifecycle() {
    let (_net, mut reg, mut store) = setup();
    for (n, t) in [(1, 10), (2, 11)] {
        let e = reg
            .attest(n, EventKind::Birth, "JO", T0_MS + t)
            .expect("sign");
        assert_eq!(outcome(&mut store, &e), Outcome::Accepted);
    }
    let revoke = |reg: &mut TestRegistrar, n: u64, t: u64| {
        reg.append(
            Payload::Revoke(Revocation {
                credential_id: credential_id(n),
                reason: RevocationReason::IssuedInError,
            }),
            T0_MS + t,
        )
        .expect("sign")
    };
    let r1 = revoke(&mut reg, 1, 20);
    assert_eq!(outcome(&mut store, &r1), Outcome::Accepted);
    assert!(matches!(
        status_state(&store, 1),
        Some(CredentialState::Revoked { .. })
    ));
    let mut again = fresh_writer(&reg);
    let r1b = revoke(&mut again, 1, 21);
    assert_eq!(
        rejected(&mut store, &r1b),
        Rejection::AlreadyRevoked(credential_id(1))
    );
    let mut unknown = fresh_writer(&reg);
    let r9 = revoke(&mut unknown, 9, 21);
    assert_eq!(
        rejected(&mut store, &r9),
        Rejection::UnknownCredential(credential_id(9))
    );
    let supersede = reg
        .append(
            Payload::Supersede(Supersession {
                old_credential_id: credential_id(2),
                replacement: attestation(3, EventKind::Birth, "JO"),
            }),
            T0_MS + 30,
        )
        .expect("sign");
    assert_eq!(outcome(&mut store, &supersede), Outcome::Accepted);
    assert_eq!(
        status_state(&store, 2),
        Some(CredentialState::Superseded {
            seq: 3,
            by: credential_id(3)
        })
    );
    assert_eq!(status_state(&store, 3), Some(CredentialState::Active));
    let dup = reg
        .attest(3, EventKind::Birth, "JO", T0_MS + 40)
        .expect("sign");
    assert_eq!(
        rejected(&mut store, &dup),
        Rejection::DuplicateCredential(credential_id(3))
    );
}

#[test]
fn key_rotation_must_match_the_pre_commitment() {
    let (_net, mut reg, mut store) = setup();
    let wrong = KeyPair::from_seed(&[77; 32]);
    let mut bad = fresh_writer(&reg);
    let e = bad
        .append(
            Payload::RotateKey(KeyRotation {
                key: wrong.public(),
                next_key_commitment: key_commitment(&wrong.public()),
            }),
            T0_MS + 5,
        )
        .expect("sign");
    assert_eq!(
        rejected(&mut store, &e),
        Rejection::RotationCommitmentMismatch
    );
    let next = KeyPair::from_seed(&reg.next_key.seed());
    let third = KeyPair::from_seed(&[78; 32]);
    let rotate = reg
        .append(
            Payload::RotateKey(KeyRotation {
                key: next.public(),
                next_key_commitment: key_commitment(&third.public()),
            }),
            T0_MS + 5,
        )
        .expect("sign");
    assert_eq!(outcome(&mut store, &rotate), Outcome::Accepted);
    // The old key no longer signs.
    let mut old = fresh_writer(&reg);
    let stale = old
        .attest(1, EventKind::Birth, "JO", T0_MS + 6)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &stale),
        Rejection::UnknownSigner(_)
    ));
    reg.key = next;
    let fresh = reg
        .attest(1, EventKind::Birth, "JO", T0_MS + 6)
        .expect("sign");
    assert_eq!(outcome(&mut store, &fresh), Outcome::Accepted);
}

#[test]
fn suspension_voids_entries_in_place_and_cannot_be_backdated() {
    let (mut net, mut reg, mut store) = setup();
    let entries: Vec<Entry> = (0..5)
        .map(|n| {
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign")
        })
        .collect();
    for e in &entries {
        assert_eq!(outcome(&mut store, e), Outcome::Accepted);
    }
    // Governance suspends after the first 3 entries: 3 and 4 lose their
    // effect, and stay in the log.
    let suspend = net
        .govern(
            Payload::Suspend(Suspension {
                registrar: reg.id.clone(),
                keep: 3,
            }),
            T0_MS + 100,
        )
        .expect("sign");
    assert_eq!(outcome(&mut store, &suspend), Outcome::Accepted);
    let author = Author::Registrar(reg.id.clone());
    assert_eq!(store.state().chain(&author).size, 5);
    assert_eq!(status_state(&store, 2), Some(CredentialState::Active));
    assert_eq!(status_state(&store, 3), None);
    assert_eq!(status_state(&store, 4), None);
    assert_eq!(
        store.entry(&author, 3).expect("read"),
        Some(entries[3].bytes().to_vec()),
        "a suspension deletes nothing"
    );
    assert_eq!(outcome(&mut store, &entries[3]), Outcome::Duplicate);
    // The stolen key goes on signing, naming an old governance size: the
    // entry joins the log without effect.
    let thief_entry = reg
        .attest(5, EventKind::Birth, "JO", T0_MS + 15)
        .expect("sign");
    assert_eq!(
        outcome(&mut store, &thief_entry),
        Outcome::Void(VoidCause::Suspended { from_seq: 3 })
    );
    assert_eq!(status_state(&store, 5), None);
    // Recovery with a new key, reinstatement, then the registrar continues.
    let new_key = KeyPair::from_seed(&[55; 32]);
    let recover = net
        .govern(
            Payload::RecoverKey(KeyRecovery {
                registrar: reg.id.clone(),
                key: new_key.public(),
                next_key_commitment: key_commitment(&KeyPair::from_seed(&[56; 32]).public()),
            }),
            T0_MS + 101,
        )
        .expect("sign");
    let reinstate = net
        .govern(
            Payload::Reinstate(Reinstatement {
                registrar: reg.id.clone(),
            }),
            T0_MS + 102,
        )
        .expect("sign");
    assert_eq!(outcome(&mut store, &recover), Outcome::Accepted);
    assert_eq!(outcome(&mut store, &reinstate), Outcome::Accepted);
    // Relying on the reinstatement, the old key signs nothing more.
    reg.governance_size = net.governance_size();
    let after = reg
        .attest(6, EventKind::Birth, "JO", T0_MS + 150)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &after),
        Rejection::UnknownSigner(_)
    ));
    let mut resumed = TestRegistrar {
        key: new_key,
        writer: ledger::writer::ChainWriter::new(
            net.network,
            author.clone(),
            &store.state().chain(&author),
        ),
        governance_size: net.governance_size(),
        ..fresh_writer(&reg)
    };
    let e = resumed
        .attest(10, EventKind::Birth, "JO", T0_MS + 200)
        .expect("sign");
    assert_eq!(outcome(&mut store, &e), Outcome::Accepted);
    assert_eq!(e.body().seq, 6, "the chain goes on after the void entries");
    assert_eq!(status_state(&store, 10), Some(CredentialState::Active));
}

#[test]
fn scope_change_applies_to_entries_that_rely_on_it() {
    let (mut net, mut reg, mut store) = setup();
    let change = net
        .govern(
            Payload::ChangeScope(ScopeChange {
                registrar: reg.id.clone(),
                scope: Scope {
                    jurisdictions: vec![Jurisdiction::new("JO").expect("jo")],
                    kinds: vec![EventKind::Death],
                    valid_from_ms: T0_MS,
                    valid_until_ms: T0_MS * 2,
                },
                from_seq: 0,
            }),
            T0_MS + 1,
        )
        .expect("sign");
    assert_eq!(outcome(&mut store, &change), Outcome::Accepted);
    reg.governance_size = net.governance_size();
    let birth = reg
        .attest(1, EventKind::Birth, "JO", T0_MS + 2)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &birth),
        Rejection::NotAccreditedForKind { .. }
    ));
}

#[test]
fn a_narrowed_scope_binds_from_its_stated_sequence() {
    let (mut net, mut reg, mut store) = setup();
    // Three births, all in the scope when signed.
    let births: Vec<Entry> = (0..3)
        .map(|n| {
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign")
        })
        .collect();
    assert_eq!(outcome(&mut store, &births[0]), Outcome::Accepted);
    assert_eq!(outcome(&mut store, &births[1]), Outcome::Accepted);
    // Governance narrows the scope to deaths from the registrar's #1 on.
    let change = net
        .govern(
            Payload::ChangeScope(ScopeChange {
                registrar: reg.id.clone(),
                scope: Scope {
                    jurisdictions: vec![Jurisdiction::new("JO").expect("jo")],
                    kinds: vec![EventKind::Death],
                    valid_from_ms: T0_MS,
                    valid_until_ms: T0_MS * 2,
                },
                from_seq: 1,
            }),
            T0_MS + 20,
        )
        .expect("sign");
    assert_eq!(outcome(&mut store, &change), Outcome::Accepted);
    let author = Author::Registrar(reg.id.clone());
    // #0 keeps its effect; #1, already in the log, loses it and stays.
    assert_eq!(status_state(&store, 0), Some(CredentialState::Active));
    assert_eq!(status_state(&store, 1), None);
    assert_eq!(store.state().chain(&author).size, 2);
    // #2 was signed before the registrar saw the change: it names the old
    // governance size, so it is void however the old scope allowed it.
    assert_eq!(
        outcome(&mut store, &births[2]),
        Outcome::Void(VoidCause::ScopeChanged { from_seq: 1 })
    );
    assert_eq!(status_state(&store, 2), None);
    // Relying on the change, a birth is refused and a death accepted.
    reg.governance_size = net.governance_size();
    let birth = reg
        .attest(3, EventKind::Birth, "JO", T0_MS + 30)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &birth),
        Rejection::NotAccreditedForKind { .. }
    ));
    let mut writer = fresh_writer(&reg);
    writer.writer = ledger::writer::ChainWriter::new(
        net.network,
        author.clone(),
        &store.state().chain(&author),
    );
    writer.governance_size = net.governance_size();
    let death = writer
        .attest(4, EventKind::Death, "JO", T0_MS + 31)
        .expect("sign");
    assert_eq!(outcome(&mut store, &death), Outcome::Accepted);
    assert_eq!(status_state(&store, 4), Some(CredentialState::Active));
}

#[test]
fn equivocation_is_detected_and_freezes_the_chain() {
    let (_net, mut reg, mut store) = setup();
    let fork_point = fresh_writer(&reg);
    let a = reg
        .attest(1, EventKind::Birth, "JO", T0_MS + 10)
        .expect("sign");
    let a2 = reg
        .attest(2, EventKind::Birth, "JO", T0_MS + 11)
        .expect("sign");
    let mut other = fork_point;
    let b = other
        .attest(3, EventKind::Birth, "JO", T0_MS + 10)
        .expect("sign");
    assert_eq!(outcome(&mut store, &a), Outcome::Accepted);
    assert_eq!(outcome(&mut store, &a2), Outcome::Accepted);
    assert_eq!(outcome(&mut store, &b), Outcome::Equivocation);
    let proofs = store.equivocation_proofs().expect("proofs");
    assert_eq!(proofs.len(), 1);
    proofs[0]
        .verify(store.state())
        .expect("proof verifies on its own");
    for n in [1, 2, 3] {
        assert!(
            matches!(
                store.credential_status(&credential_id(n)).expect("status"),
                CredentialStatus::Disputed { .. }
            ),
            "credential {n} should be disputed"
        );
    }
    // Whatever the registrar's key signs past the fork is kept aside as
    // disputed, never added to the chain; other signers are refused.
    let next = other
        .attest(4, EventKind::Birth, "JO", T0_MS + 12)
        .expect("sign");
    assert_eq!(outcome(&mut store, &next), Outcome::Disputed);
    assert!(matches!(
        store.credential_status(&credential_id(4)).expect("status"),
        CredentialStatus::Disputed { .. }
    ));
    let mut impostor = TestRegistrar {
        key: KeyPair::from_seed(&[99; 32]),
        ..fresh_writer(&other)
    };
    let forged = impostor
        .attest(5, EventKind::Birth, "JO", T0_MS + 13)
        .expect("sign");
    assert!(matches!(
        rejected(&mut store, &forged),
        Rejection::UnknownSigner(_)
    ));
    // Append-only: the two entries accepted before the fork stay in the
    // log, void; the chain is frozen at the fork.
    let author = Author::Registrar(reg.id.clone());
    assert_eq!(store.state().chain(&author).size, 2);
    assert_eq!(store.state().registrars[&reg.id].fork_at, Some(0));
    assert_eq!(
        store.entry(&author, 1).expect("read"),
        Some(a2.bytes().to_vec())
    );
}

#[test]
fn governance_needs_a_threshold_of_distinct_known_keys() {
    let mut net = TestNetwork::new(3, 2);
    let mut store = Store::temporary(&net.genesis).expect("store");
    let body = net.governance_writer.next_body(
        Payload::Suspend(Suspension {
            registrar: ledger::types::RegistrarId::new("nobody").expect("id"),
            keep: 0,
        }),
        T0_MS,
        0,
    );
    let one = Entry::sign(body.clone(), &[&net.governance[0]]).expect("sign");
    assert_eq!(
        rejected(&mut store, &one),
        Rejection::InsufficientSignatures {
            required: 2,
            found: 1
        }
    );
    let stranger = KeyPair::from_seed(&[3; 32]);
    let with_stranger = Entry::sign(body.clone(), &[&net.governance[0], &stranger]).expect("sign");
    assert_eq!(
        rejected(&mut store, &with_stranger),
        Rejection::UnknownSigner(stranger.public())
    );
    let two = Entry::sign(body, &[&net.governance[0], &net.governance[2]]).expect("sign");
    assert!(matches!(
        rejected(&mut store, &two),
        Rejection::UnknownRegistrar(_)
    ));
    // None of the refused entries took the chain's first position.
    let (_reg, accreditation) = net.accredit(1, &KINDS, &["JO"]).expect("sign");
    assert_eq!(outcome(&mut store, &accreditation), Outcome::Accepted);
}

#[test]
fn malformed_and_non_canonical_bytes_are_rejected_by_name() {
    let (_net, mut reg, mut store) = setup();
    let good = reg
        .attest(1, EventKind::Birth, "JO", T0_MS + 10)
        .expect("sign");
    let results = store
        .ingest(&[
            vec![0xff, 0x00],
            good.bytes()[..good.bytes().len() - 1].to_vec(),
            vec![0u8; 20_000],
        ])
        .expect("ingest");
    assert!(matches!(
        results[0].outcome,
        Outcome::Rejected(Rejection::Malformed(_))
    ));
    assert!(matches!(
        results[1].outcome,
        Outcome::Rejected(Rejection::Malformed(_))
    ));
    assert!(matches!(
        results[2].outcome,
        Outcome::Rejected(Rejection::TooLarge { .. })
    ));
    // Re-encode the outer map with a non-shortest length for the body.
    let mut non_canonical = vec![good.bytes()[0], good.bytes()[1], 0x59];
    let len = good.body_bytes().len() as u16;
    non_canonical.extend_from_slice(&len.to_be_bytes());
    let header = if good.body_bytes().len() < 256 { 4 } else { 5 };
    non_canonical.extend_from_slice(&good.bytes()[header - 2 + 2..]);
    let r = &store.ingest(&[non_canonical]).expect("ingest")[0].outcome;
    assert!(
        matches!(
            r,
            Outcome::Rejected(Rejection::NonCanonical | Rejection::Malformed(_))
        ),
        "{r:?}"
    );
    assert_eq!(
        store.state().chain(&Author::Registrar(reg.id.clone())).size,
        0
    );
}

#[test]
fn indexes_rebuilt_from_entries_are_identical() {
    let (mut net, mut reg, mut store) = setup();
    for n in 0..40 {
        let e = reg
            .attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
            .expect("sign");
        assert_eq!(outcome(&mut store, &e), Outcome::Accepted);
    }
    let revoke = reg
        .append(
            Payload::Revoke(Revocation {
                credential_id: credential_id(7),
                reason: RevocationReason::Fraud,
            }),
            T0_MS + 100,
        )
        .expect("sign");
    assert_eq!(outcome(&mut store, &revoke), Outcome::Accepted);
    let suspend = net
        .govern(
            Payload::Suspend(Suspension {
                registrar: reg.id.clone(),
                keep: 30,
            }),
            T0_MS + 200,
        )
        .expect("sign");
    assert_eq!(outcome(&mut store, &suspend), Outcome::Accepted);
    let before = store.derived_snapshot().expect("snapshot");
    let state_before = store.state().clone();
    store.rebuild_indexes().expect("rebuild");
    assert_eq!(store.state(), &state_before);
    assert_eq!(store.derived_snapshot().expect("snapshot"), before);
    assert_eq!(status_state(&store, 7), Some(CredentialState::Active));
}

#[test]
fn the_hold_is_bounded_and_overflow_is_refused_by_name() {
    let limits = ledger::genesis::Limits {
        max_held_entries: 3,
        ..Default::default()
    };
    let mut net = TestNetwork::with_limits(3, 2, limits);
    let mut store = Store::temporary(&net.genesis).expect("store");
    let (mut reg, accreditation) = net.accredit(1, &KINDS, &["JO"]).expect("accredit");
    assert_eq!(outcome(&mut store, &accreditation), Outcome::Accepted);
    let e: Vec<Entry> = (0..6)
        .map(|n| {
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign")
        })
        .collect();
    for early in &e[1..4] {
        assert!(matches!(outcome(&mut store, early), Outcome::Held(_)));
    }
    assert_eq!(
        rejected(&mut store, &e[4]),
        Rejection::SequenceGap {
            author: Author::Registrar(reg.id.clone()),
            expected: 0,
            found: 4
        }
    );
    assert_eq!(store.held_count(), 3);
    assert_eq!(outcome(&mut store, &e[0]), Outcome::Accepted);
    assert_eq!(store.held_count(), 0);
    assert_eq!(
        store.state().chain(&Author::Registrar(reg.id.clone())).size,
        4
    );
}

#[test]
fn a_batch_holds_no_more_than_its_hold_budget_and_the_rest_is_refused_by_name() {
    let mut net = TestNetwork::new(3, 2);
    let mut store = Store::temporary(&net.genesis).expect("store");
    let (mut reg, accreditation) = net.accredit(1, &KINDS, &["JO"]).expect("accredit");
    assert_eq!(outcome(&mut store, &accreditation), Outcome::Accepted);
    let e: Vec<Entry> = (0..6)
        .map(|n| {
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign")
        })
        .collect();
    // Five early entries, a budget of two: two held, three refused, nothing else changes.
    let early: Vec<&[u8]> = e[1..6].iter().map(|x| x.bytes()).collect();
    let results = store.ingest_with_hold_budget(&early, 2).expect("ingest");
    let held = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Held(_)))
        .count();
    assert_eq!(held, 2);
    for r in &results[2..] {
        assert!(
            matches!(
                r.outcome,
                Outcome::Rejected(Rejection::SequenceGap { expected: 0, .. })
            ),
            "{:?}",
            r.outcome
        );
    }
    assert_eq!(store.held_count(), 2);
    // Re-sending what is already held costs no budget.
    let again = store
        .ingest_with_hold_budget(&early[..2], 0)
        .expect("ingest");
    assert!(again.iter().all(|r| matches!(r.outcome, Outcome::Held(_))));
    // The missing entry releases the held ones; the refused ones come again in order.
    assert_eq!(outcome(&mut store, &e[0]), Outcome::Accepted);
    for x in &e[3..6] {
        assert_eq!(outcome(&mut store, x), Outcome::Accepted);
    }
    assert_eq!(
        store.state().chain(&Author::Registrar(reg.id.clone())).size,
        6
    );
    assert_eq!(store.held_count(), 0);
}
