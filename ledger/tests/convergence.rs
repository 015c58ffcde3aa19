//! Property tests: random valid histories converge to the same state in any
//! delivery order and batching, and tampered entries are never accepted.

mod common;

use common::{history, shuffled};
use ledger::entry::Entry;
use ledger::fixtures::{credential_id, TestNetwork};
use ledger::store::{CredentialStatus, Outcome, Store};
use proptest::prelude::*;

/// Everything a replica would report: heads, derived state, statuses.
fn fingerprint(store: &Store, ids: u64) -> String {
    let mut out = format!("{:?}\n", store.state());
    for n in 1..=ids {
        let status = store.credential_status(&credential_id(n)).expect("status");
        let short = match status {
            CredentialStatus::Unknown => "unknown".to_string(),
            CredentialStatus::Disputed { .. } => "disputed".to_string(),
            CredentialStatus::Ambiguous { .. } => "ambiguous".to_string(),
            CredentialStatus::Attested { record, .. } => format!("{:?}", record),
        };
        out.push_str(&format!("{n}: {short}\n"));
    }
    out.push_str(&format!(
        "{:?}",
        store.derived_snapshot().expect("snapshot")
    ));
    out
}

fn deliver(net: &TestNetwork, entries: &[&Entry], batch: usize) -> Store {
    let mut store = Store::temporary(&net.genesis).expect("store");
    for chunk in entries.chunks(batch.max(1)) {
        let bytes: Vec<Vec<u8>> = chunk.iter().map(|e| e.bytes().to_vec()).collect();
        store.ingest(&bytes).expect("ingest");
    }
    store
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn any_delivery_order_and_batching_converges(
        ops in prop::collection::vec(any::<u8>(), 1..40),
        suspend in prop::option::of(0u64..20),
        order_seed in any::<u64>(),
        batch in 1usize..9,
    ) {
        let (net, entries, ids) = history(&ops, suspend);
        let in_order: Vec<&Entry> = entries.iter().collect();
        let reference = deliver(&net, &in_order, 1000);
        let replica = deliver(&net, &shuffled(&in_order, order_seed), batch);
        prop_assert_eq!(replica.held_count(), 0);
        prop_assert_eq!(fingerprint(&replica, ids), fingerprint(&reference, ids));
    }

    #[test]
    fn tampered_entries_are_never_accepted(
        ops in prop::collection::vec(any::<u8>(), 2..12),
        pick in any::<prop::sample::Index>(),
        position in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let (net, entries, _) = history(&ops, None);
        let target = pick.index(entries.len());
        let mut store = Store::temporary(&net.genesis).expect("store");
        let before: Vec<Vec<u8>> = entries[..target].iter().map(|e| e.bytes().to_vec()).collect();
        store.ingest(&before).expect("ingest");
        let state_before = format!("{:?}", store.state());
        let mut bytes = entries[target].bytes().to_vec();
        let at = position.index(bytes.len());
        bytes[at] ^= flip;
        let outcome = store.ingest(&[bytes]).expect("ingest")[0].outcome.clone();
        prop_assert!(
            matches!(outcome, Outcome::Rejected(_) | Outcome::Held(_)),
            "tampered entry got {:?}", outcome
        );
        prop_assert_eq!(format!("{:?}", store.state()), state_before);
        // A flip inside the signature itself is a bad signature.
        let sig_start = entries[target].bytes().len() - 64;
        if at >= sig_start && entries[target].signatures().len() == 1 {
            let named = matches!(outcome, Outcome::Rejected(ledger::rejection::Rejection::BadSignature { .. }));
            prop_assert!(named, "{:?}", outcome);
        }
    }
}
