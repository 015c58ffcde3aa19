//! Property tests: random valid histories converge to the same state in any
//! delivery order and batching, and tampered entries are never accepted.

use ledger::entry::Entry;
use ledger::fixtures::{attestation, credential_id, TestNetwork, T0_MS};
use ledger::payload::{Payload, Revocation, RevocationReason, Supersession, Suspension};
use ledger::store::{CredentialStatus, Outcome, Store};
use ledger::types::EventKind;
use proptest::prelude::*;

/// A valid history: governance accredits two registrars, they attest,
/// revoke and supersede; optionally governance suspends one of them part
/// way (freezing entries it already made).
fn history(ops: &[u8], suspend_at: Option<u64>) -> (TestNetwork, Vec<Entry>, u64) {
    let kinds = [EventKind::Birth, EventKind::RefugeeStatus];
    let mut net = TestNetwork::new(3, 2);
    let mut entries = Vec::new();
    let (mut r1, a1) = net.accredit(1, &kinds, &["JO"]).expect("accredit");
    let (mut r2, a2) = net.accredit(2, &kinds, &["JO", "LB"]).expect("accredit");
    r1.governance_size = net.governance_size();
    r2.governance_size = net.governance_size();
    entries.push(a1);
    entries.push(a2);
    let mut next_id = 0u64;
    let mut active: Vec<(usize, u64)> = Vec::new();
    let mut t = T0_MS + 1000;
    for op in ops {
        t += 1;
        let which = usize::from(op & 1);
        let reg = if which == 0 { &mut r1 } else { &mut r2 };
        let mine: Vec<u64> = active
            .iter()
            .filter(|(w, _)| *w == which)
            .map(|(_, n)| *n)
            .collect();
        let entry = match (op >> 1) % 4 {
            1 if !mine.is_empty() => {
                let n = mine[usize::from(*op) % mine.len()];
                active.retain(|x| *x != (which, n));
                reg.append(
                    Payload::Revoke(Revocation {
                        credential_id: credential_id(n),
                        reason: RevocationReason::IssuedInError,
                    }),
                    t,
                )
            }
            2 if !mine.is_empty() => {
                let n = mine[usize::from(*op) % mine.len()];
                active.retain(|x| *x != (which, n));
                next_id += 1;
                active.push((which, next_id));
                reg.append(
                    Payload::Supersede(Supersession {
                        old_credential_id: credential_id(n),
                        replacement: attestation(next_id, EventKind::Birth, "JO"),
                    }),
                    t,
                )
            }
            _ => {
                next_id += 1;
                active.push((which, next_id));
                reg.attest(next_id, EventKind::RefugeeStatus, "JO", t)
            }
        };
        entries.push(entry.expect("sign"));
    }
    if let Some(keep) = suspend_at {
        let suspend = net
            .govern(
                Payload::Suspend(Suspension {
                    registrar: r1.id.clone(),
                    keep,
                }),
                t + 1,
            )
            .expect("sign");
        entries.push(suspend);
    }
    (net, entries, next_id)
}

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
        let bytes: Vec<Vec<u8>> = chunk.iter().map(|e| e.bytes.clone()).collect();
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
        // A deterministic shuffle from the seed (Fisher-Yates, xorshift).
        let mut shuffled = in_order.clone();
        let mut x = order_seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let replica = deliver(&net, &shuffled, batch);
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
        let before: Vec<Vec<u8>> = entries[..target].iter().map(|e| e.bytes.clone()).collect();
        store.ingest(&before).expect("ingest");
        let state_before = format!("{:?}", store.state());
        let mut bytes = entries[target].bytes.clone();
        let at = position.index(bytes.len());
        bytes[at] ^= flip;
        let outcome = store.ingest(&[bytes]).expect("ingest")[0].outcome.clone();
        prop_assert!(
            matches!(outcome, Outcome::Rejected(_) | Outcome::Held(_)),
            "tampered entry got {:?}", outcome
        );
        prop_assert_eq!(format!("{:?}", store.state()), state_before);
        // A flip inside the signature itself is a bad signature.
        let sig_start = entries[target].bytes.len() - 64;
        if at >= sig_start && entries[target].signatures.len() == 1 {
            let named = matches!(outcome, Outcome::Rejected(ledger::rejection::Rejection::BadSignature { .. }));
            prop_assert!(named, "{:?}", outcome);
        }
    }
}
