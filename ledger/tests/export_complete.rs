//! An export carries everything a replica needs to reach the source's state: the chains,
//! then the evidence (both entries of every equivocation proof, then the disputed entries).
//! A fresh replica fed an export answers every credential's status as the source does.

mod common;

use common::{fork_of, history, shuffled};
use ledger::entry::Entry;
use ledger::fixtures::{credential_id, TestNetwork, T0_MS};
use ledger::payload::{Payload, Revocation, RevocationReason};
use ledger::store::{CredentialStatus, MemoryLedger};
use ledger::types::EventKind;
use proptest::prelude::*;

/// The export a node writes: every chain, then the evidence.
fn export(source: &MemoryLedger) -> Vec<Vec<u8>> {
    let mut items = source.all_entries().expect("chains");
    items.extend(source.evidence_entries(None).expect("evidence"));
    items
}

/// A fresh replica of the network fed `items` in order, in batches as an import posts them.
fn replica_of(net: &TestNetwork, items: &[Vec<u8>]) -> MemoryLedger {
    let mut replica = MemoryLedger::new(&net.genesis).expect("replica");
    for batch in items.chunks(64) {
        replica.ingest(batch).expect("ingest");
    }
    replica
}

fn statuses(ledger: &MemoryLedger, ids: impl Iterator<Item = u64>) -> Vec<String> {
    ids.map(|n| {
        let status = ledger.credential_status(&credential_id(n)).expect("status");
        format!("{n}: {status:?}")
    })
    .collect()
}

/// The case a verifier met offline: attested at #0, revoked at #2, and a fork at #1 disputes
/// them. An export of the chains alone read "active"; the complete export reads "disputed".
#[test]
fn a_fork_travels_in_the_export_and_the_credential_stays_disputed() {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let attest = reg
        .attest(1, EventKind::Birth, "JO-MA", T0_MS + 10)
        .expect("sign");
    let fork_point = reg.writer.clone();
    let second = reg
        .attest(2, EventKind::Birth, "JO-MA", T0_MS + 20)
        .expect("sign");
    let revoke = reg
        .append(
            Payload::Revoke(Revocation {
                credential_id: credential_id(1),
                reason: RevocationReason::Fraud,
            }),
            T0_MS + 30,
        )
        .expect("sign");
    reg.writer = fork_point;
    let other = reg
        .attest(3, EventKind::Birth, "JO-MA", T0_MS + 21)
        .expect("sign");
    let mut source = MemoryLedger::new(&net.genesis).expect("source");
    for e in [&accreditation, &attest, &second, &revoke, &other] {
        source.ingest(&[e.bytes()]).expect("ingest");
    }
    let disputed = |l: &MemoryLedger| {
        matches!(
            l.credential_status(&credential_id(1)).expect("status"),
            CredentialStatus::Attested { record, .. }
                if matches!(record.state, ledger::credential::CredentialState::Disputed { .. })
        ) || matches!(
            l.credential_status(&credential_id(1)).expect("status"),
            CredentialStatus::Disputed { .. }
        )
    };
    assert!(disputed(&source), "the source disputes credential 1");
    let chains_only = replica_of(&net, &source.all_entries().expect("chains"));
    assert!(!disputed(&chains_only), "the chains alone lose the fork");
    let complete = replica_of(&net, &export(&source));
    assert!(disputed(&complete), "the complete export keeps it");
    assert_eq!(
        statuses(&complete, 1..=3),
        statuses(&source, 1..=3),
        "every credential as the source"
    );
    assert_eq!(
        complete.equivocation_proofs().expect("proofs").len(),
        source.equivocation_proofs().expect("proofs").len()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Any history (revocations, supersessions, a suspension, a fork), delivered in any
    /// order, exported and imported: every credential has the source's status.
    #[test]
    fn any_history_exported_and_imported_gives_every_credential_the_same_status(
        ops in prop::collection::vec(any::<u8>(), 1..40),
        suspend in prop::option::of(0u64..20),
        fork_at in prop::option::of(0u64..20),
        order_seed in any::<u64>(),
    ) {
        let (net, mut entries, ids) = history(&ops, suspend);
        if let Some(fork) = fork_at.and_then(|seq| fork_of(&net, &entries, 2, seq)) {
            entries.push(fork);
        }
        let mut source = MemoryLedger::new(&net.genesis).expect("source");
        let delivery: Vec<Vec<u8>> =
            shuffled(&entries, order_seed).into_iter().map(Entry::into_bytes).collect();
        for batch in delivery.chunks(5) {
            source.ingest(batch).expect("ingest");
        }
        let imported = replica_of(&net, &export(&source));
        let asked = || (1..=ids + 1).chain(50_000..50_020);
        prop_assert_eq!(statuses(&imported, asked()), statuses(&source, asked()));
        prop_assert_eq!(imported.heads(), source.heads());
        prop_assert_eq!(
            imported.equivocation_proofs().expect("proofs").len(),
            source.equivocation_proofs().expect("proofs").len()
        );
    }
}
