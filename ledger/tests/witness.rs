//! Witness cosigning, cosignature exchange and portable proofs.

use ledger::checkpoint::{KeyType, SignerKey};
use ledger::fixtures::{TestNetwork, T0_MS};
use ledger::payload::{Payload, Suspension};
use ledger::portable::PortableProofError;
use ledger::store::{Store, WitnessError};
use ledger::types::{Author, EventKind};

fn witness(name: &str, seed: u8) -> SignerKey {
    SignerKey::from_seed(name, KeyType::Cosignature, [seed; 32]).expect("witness key")
}

#[test]
fn cosigned_checkpoints_make_portable_proofs_verifiable_offline() {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let mut batch = vec![accreditation.bytes().to_vec()];
    for n in 0..7 {
        batch.push(
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign")
                .into_bytes(),
        );
    }
    let mut a = Store::temporary(&net.genesis).expect("store");
    let mut b = Store::temporary(&net.genesis).expect("store");
    a.ingest(&batch).expect("ingest");
    b.ingest(&batch).expect("ingest");
    let author = Author::Registrar(reg.id.clone());
    let (wa, wb) = (witness("witness-a", 1), witness("witness-b", 2));
    a.cosign_checkpoint(&author, &wa, 1_800_000_000)
        .expect("a cosigns");
    let from_b = b
        .cosign_checkpoint(&author, &wb, 1_800_000_100)
        .expect("b cosigns");
    let trusted = [wa.verifier(), wb.verifier()];
    let signers = a
        .add_cosigned_checkpoint(&from_b.to_bytes(), &trusted)
        .expect("a keeps b's");
    assert_eq!(signers, vec!["witness-b".to_string()]);
    let best = a
        .best_checkpoint(&author)
        .expect("read")
        .expect("a checkpoint");
    assert_eq!(best.signatures().len(), 2);

    let proof = a
        .portable_proof(&author, 3)
        .expect("proof")
        .expect("covered");
    let anchor = proof.verify(&net.network, &trusted).expect("valid proof");
    assert_eq!(anchor.seq, 3);
    assert_eq!(anchor.witnesses.len(), 2);
    assert_eq!(anchor.checkpoint_time(), Some(1_800_000_100));
    assert_eq!(anchor.signer, reg.key.public());

    // An untrusted witness set, a wrong network and a broken path all fail.
    let stranger = witness("witness-x", 9).verifier();
    assert!(matches!(
        proof.verify(&net.network, &[stranger]),
        Err(PortableProofError::Checkpoint(_))
    ));
    assert!(matches!(
        proof.verify(&ledger::fixtures::BOGUS_HASH, &trusted),
        Err(PortableProofError::WrongNetwork)
    ));
    let mut broken = proof.clone();
    broken.inclusion[0].0[0] ^= 1;
    assert!(matches!(
        broken.verify(&net.network, &trusted),
        Err(PortableProofError::Inclusion(_))
    ));
    let mut moved = proof.clone();
    moved.entry = a.entry(&author, 4).expect("read").expect("entry");
    assert!(matches!(
        moved.verify(&net.network, &trusted),
        Err(PortableProofError::Inclusion(_))
    ));
}

#[test]
fn a_suspension_keeps_what_the_witness_cosigned() {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let mut store = Store::temporary(&net.genesis).expect("store");
    let mut batch = vec![accreditation.bytes().to_vec()];
    for n in 0..5 {
        batch.push(
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign")
                .into_bytes(),
        );
    }
    store.ingest(&batch).expect("ingest");
    let author = Author::Registrar(reg.id.clone());
    let w = witness("witness-a", 1);
    let first = store
        .cosign_checkpoint(&author, &w, 1_800_000_000)
        .expect("cosign at 5");
    let suspend = net
        .govern(
            Payload::Suspend(Suspension {
                registrar: reg.id.clone(),
                keep: 2,
            }),
            T0_MS + 100,
        )
        .expect("sign");
    store.ingest(&[suspend.bytes()]).expect("ingest");
    // The suspension voids #2 to #4 in place: the cosigned checkpoint and
    // the witness's record stay, and the chain grows on from size 5.
    assert_eq!(
        store
            .best_checkpoint(&author)
            .expect("read")
            .map(|s| s.to_bytes()),
        Some(first.to_bytes())
    );
    let void = reg
        .attest(5, EventKind::Birth, "JO", T0_MS + 20)
        .expect("sign");
    store.ingest(&[void.bytes()]).expect("ingest");
    let again = store
        .cosign_checkpoint(&author, &w, 1_800_000_100)
        .expect("cosign at 6, consistent with 5");
    assert_eq!(again.checkpoint().size, 6);
}

#[test]
fn a_split_view_is_refused_by_the_witness() {
    let mut net = TestNetwork::new(3, 2);
    let (reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let (mut honest, mut forked) = (reg, None);
    let mut a = Store::temporary(&net.genesis).expect("store");
    let mut b = Store::temporary(&net.genesis).expect("store");
    a.ingest(std::slice::from_ref(&accreditation.bytes()))
        .expect("ingest");
    b.ingest(std::slice::from_ref(&accreditation.bytes()))
        .expect("ingest");
    // The registrar shows replica a one history and replica b another.
    let writer = honest.writer.clone();
    for n in 0..3 {
        a.ingest(&[honest
            .attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
            .expect("sign")
            .into_bytes()])
            .expect("ingest");
    }
    honest.writer = writer;
    for n in 10..13 {
        b.ingest(&[honest
            .attest(n, EventKind::Birth, "JO", T0_MS + n)
            .expect("sign")
            .into_bytes()])
            .expect("ingest");
        forked = Some(n);
    }
    assert!(forked.is_some());
    let author = Author::Registrar(honest.id.clone());
    let (wa, wb) = (witness("witness-a", 1), witness("witness-b", 2));
    a.cosign_checkpoint(&author, &wa, 1_800_000_000)
        .expect("a cosigns its view");
    let from_b = b
        .cosign_checkpoint(&author, &wb, 1_800_000_000)
        .expect("b cosigns its view");
    assert!(matches!(
        a.add_cosigned_checkpoint(&from_b.to_bytes(), &[wa.verifier(), wb.verifier()]),
        Err(WitnessError::RootMismatch { size: 3, .. })
    ));
}

#[test]
fn a_served_checkpoint_carries_a_classic_note_signature() {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let mut store = Store::temporary(&net.genesis).expect("store");
    let entry = reg
        .attest(0, EventKind::Birth, "JO", T0_MS + 10)
        .expect("sign");
    store
        .ingest(&[accreditation.bytes(), entry.bytes()])
        .expect("ingest");
    let author = Author::Registrar(reg.id.clone());
    let w = witness("witness-a", 1);
    let note_key = SignerKey::from_seed("node-a", KeyType::Ed25519, [2; 32]).expect("note key");
    let signed = store
        .cosign_and_sign_checkpoint(&author, &w, &note_key, 1_800_000_000)
        .expect("sign");
    // Both lines verify: the cosignature under the witness key, the note
    // signature under the 0x01 key alone (what a classic note verifier has).
    let by_note_key = signed.verify_with(&[note_key.verifier()]).expect("0x01");
    assert_eq!(by_note_key.len(), 1);
    assert_eq!(signed.verify_with(&[w.verifier()]).expect("0x04").len(), 1);
    // Served again at the same size: the same two lines, not repeated.
    let again = store
        .cosign_and_sign_checkpoint(&author, &w, &note_key, 1_800_000_100)
        .expect("sign");
    assert_eq!(again.to_bytes(), signed.to_bytes());
    assert_eq!(
        store
            .best_checkpoint(&author)
            .expect("read")
            .map(|s| s.to_bytes()),
        Some(signed.to_bytes())
    );
}
