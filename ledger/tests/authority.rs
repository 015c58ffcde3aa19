//! The verifier's question, answered by the core: the authority of the registrar behind an
//! attestation, by the same rules and in the same order as validation.

use ledger::authority::{attestation_authority, AttestationFacts, AuthorityError};
use ledger::entry::Entry;
use ledger::fixtures::{TestNetwork, T0_MS};
use ledger::payload::{Payload, Suspension};
use ledger::rejection::Rejection;
use ledger::signing::KeyPair;
use ledger::store::{Outcome, Store};
use ledger::types::{EventKind, PublicKeyBytes};

fn ingest(store: &mut Store, entry: &Entry) {
    let results = store.ingest(&[entry.bytes()]).expect("ingest");
    assert_eq!(results[0].outcome, Outcome::Accepted);
}

fn attestation_of(entry: &Entry) -> ledger::payload::Attestation {
    match &entry.body().payload {
        Payload::Attest(a) => a.clone(),
        other => panic!("not an attestation: {other:?}"),
    }
}

#[test]
fn the_core_answers_who_may_attest_as_validation_does() {
    let mut net = TestNetwork::new(3, 2);
    let mut store = Store::temporary(&net.genesis).expect("store");
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    ingest(&mut store, &accreditation);
    let first = reg
        .attest(1, EventKind::Birth, "JO-MA", T0_MS + 10)
        .expect("sign");
    ingest(&mut store, &first);
    let second = reg
        .attest(2, EventKind::Birth, "JO-MA", T0_MS + 20)
        .expect("sign");
    ingest(&mut store, &second);

    let signer = first.signatures()[0].key;
    let attestation = attestation_of(&first);
    let facts = AttestationFacts {
        author: &first.body().author,
        seq: first.body().seq,
        governance_size: first.body().governance_size,
        time_ms: first.body().time_ms,
        signer: &signer,
        attestation: &attestation,
    };
    let (id, state) = attestation_authority(store.state(), &facts).expect("accredited");
    assert_eq!(id, &reg.id);
    assert_eq!(state.accredited_at, 0);

    // Another key than the registrar's for that position.
    let stranger: PublicKeyBytes = KeyPair::from_seed(&[7; 32]).public();
    let err = attestation_authority(
        store.state(),
        &AttestationFacts {
            signer: &stranger,
            ..facts
        },
    )
    .expect_err("a stranger's key");
    assert!(matches!(err, AuthorityError::KeyNotInForce { .. }), "{err}");
    assert_eq!(err.code(), "key_not_in_force");

    // A kind outside the scope: validation's own rejection, carried.
    let mut refugee = attestation.clone();
    refugee.kind = EventKind::RefugeeStatus;
    let err = attestation_authority(
        store.state(),
        &AttestationFacts {
            attestation: &refugee,
            ..facts
        },
    )
    .expect_err("out of scope");
    assert!(
        matches!(
            err,
            AuthorityError::OutOfScope(Rejection::NotAccreditedForKind { .. })
        ),
        "{err}"
    );

    // Relying on governance entries the replica lacks.
    let err = attestation_authority(
        store.state(),
        &AttestationFacts {
            governance_size: 5,
            ..facts
        },
    )
    .expect_err("behind");
    assert_eq!(err, AuthorityError::ReplicaBehind { needed: 5, held: 1 });

    // A suspension keeping one entry: the second attestation's position is frozen, the
    // first is still vouched for.
    let suspend = net
        .govern(
            Payload::Suspend(Suspension {
                registrar: reg.id.clone(),
                keep: 1,
            }),
            T0_MS + 30,
        )
        .expect("sign");
    ingest(&mut store, &suspend);
    assert!(attestation_authority(store.state(), &facts).is_ok());
    let second_attestation = attestation_of(&second);
    let err = attestation_authority(
        store.state(),
        &AttestationFacts {
            seq: second.body().seq,
            time_ms: second.body().time_ms,
            attestation: &second_attestation,
            ..facts
        },
    )
    .expect_err("void");
    assert!(
        matches!(
            err,
            AuthorityError::Void {
                cause: ledger::state::VoidCause::Suspended { from_seq: 1 },
                ..
            }
        ),
        "{err}"
    );
}
