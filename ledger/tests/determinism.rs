//! Orders of arrival that once split replicas: each scenario is delivered in
//! several orders and every replica must end in the same state.

use ledger::entry::Entry;
use ledger::fixtures::{credential_id, TestNetwork, TestRegistrar, T0_MS};
use ledger::payload::{KeyRecovery, KeyRotation, Payload, Suspension};
use ledger::signing::{key_commitment, KeyPair};
use ledger::store::{CredentialStatus, Store};
use ledger::types::{EventKind, RegistrarId};

/// What every replica must agree on, whatever the arrival order: the ledger
/// state and every credential's status. The one thing that may differ is
/// which branch of a fork a replica holds in its log (append-only: the first
/// branch it saw stays, the other is kept as evidence), so the chain heads of
/// a forked registrar, and of governance once frozen by a fork (with the logs
/// of registrars whose accreditation that fork voided), are left out.
fn fingerprint(store: &Store, ids: std::ops::Range<u64>) -> String {
    let mut state = store.state().clone();
    for registrar in state.registrars.values_mut() {
        if registrar.fork_at.is_some() {
            registrar.chain = Default::default();
        }
    }
    if state.governance.frozen_at.is_some() {
        state.governance.chain = Default::default();
        state.orphan_logs.clear();
    }
    let mut out = format!("{state:?}\n");
    for n in ids {
        let s = match store.credential_status(&credential_id(n)).expect("status") {
            CredentialStatus::Unknown => "unknown".to_string(),
            CredentialStatus::Disputed { .. } => "disputed".to_string(),
            CredentialStatus::Ambiguous { .. } => "ambiguous".to_string(),
            CredentialStatus::Attested { record, .. } => format!("{:?}", record.state),
        };
        out.push_str(&format!("{n}: {s}\n"));
    }
    out
}

fn deliver(net: &TestNetwork, order: &[&Entry], one_by_one: bool) -> Store {
    let mut store = Store::temporary(&net.genesis).expect("store");
    if one_by_one {
        for e in order {
            store
                .ingest(std::slice::from_ref(&e.bytes()))
                .expect("ingest");
        }
    } else {
        let all: Vec<Vec<u8>> = order.iter().map(|e| e.bytes().to_vec()).collect();
        store.ingest(&all).expect("ingest");
    }
    store
}

fn assert_same_everywhere(net: &TestNetwork, orders: &[Vec<&Entry>], ids: std::ops::Range<u64>) {
    let reference = fingerprint(&deliver(net, &orders[0], true), ids.clone());
    for order in orders {
        for one_by_one in [true, false] {
            let got = fingerprint(&deliver(net, order, one_by_one), ids.clone());
            assert_eq!(
                got,
                reference,
                "order of {} entries, one by one: {one_by_one}",
                order.len()
            );
        }
    }
}

fn copy(reg: &TestRegistrar) -> TestRegistrar {
    TestRegistrar {
        id: reg.id.clone(),
        key: KeyPair::from_seed(&reg.key.seed()),
        next_key: KeyPair::from_seed(&reg.next_key.seed()),
        writer: reg.writer.clone(),
        governance_size: reg.governance_size,
    }
}

#[test]
fn a_fork_gives_the_same_disputed_credentials_in_any_order() {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, acc) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let e0 = reg
        .attest(0, EventKind::Birth, "JO", T0_MS + 1)
        .expect("sign");
    let mut other = copy(&reg);
    let a: Vec<Entry> = (1..4)
        .map(|n| {
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign")
        })
        .collect();
    let b: Vec<Entry> = (11..13)
        .map(|n| {
            other
                .attest(n, EventKind::Birth, "JO", T0_MS + n)
                .expect("sign")
        })
        .collect();
    let orders = vec![
        vec![&acc, &e0, &a[0], &a[1], &a[2], &b[0], &b[1]],
        vec![&acc, &e0, &b[0], &b[1], &a[0], &a[1], &a[2]],
        vec![&b[1], &a[2], &acc, &b[0], &e0, &a[1], &a[0]],
    ];
    assert_same_everywhere(&net, &orders, 0..13);
}

#[test]
fn recovery_and_own_rotation_at_the_same_point_agree_in_any_order() {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, acc) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let e0 = reg
        .attest(0, EventKind::Birth, "JO", T0_MS + 1)
        .expect("sign");
    let next = KeyPair::from_seed(&reg.next_key.seed());
    let rotate = reg
        .append(
            Payload::RotateKey(KeyRotation {
                key: next.public(),
                next_key_commitment: key_commitment(&next.public()),
            }),
            T0_MS + 2,
        )
        .expect("sign");
    let suspend = net
        .govern(
            Payload::Suspend(Suspension {
                registrar: reg.id.clone(),
                keep: 2,
            }),
            T0_MS + 3,
        )
        .expect("sign");
    let recovered = KeyPair::from_seed(&[61; 32]);
    let recover = net
        .govern(
            Payload::RecoverKey(KeyRecovery {
                registrar: reg.id.clone(),
                key: recovered.public(),
                next_key_commitment: key_commitment(&recovered.public()),
            }),
            T0_MS + 4,
        )
        .expect("sign");
    let orders = vec![
        vec![&acc, &e0, &rotate, &suspend, &recover],
        vec![&acc, &suspend, &recover, &e0, &rotate],
        vec![&recover, &rotate, &suspend, &e0, &acc],
    ];
    assert_same_everywhere(&net, &orders, 0..2);
    let store = deliver(&net, &orders[1], true);
    let id = RegistrarId::new("registrar-1").expect("id");
    assert_eq!(
        store
            .state()
            .registrar_key(&id, 2, store.state().governance.chain.size),
        Some(recovered.public())
    );
}

#[test]
fn a_governance_fork_gives_the_same_state_in_any_order() {
    let mut net = TestNetwork::new(3, 2);
    let (_r1, acc1) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let fork_point = net.governance_writer.clone();
    let (_r2, acc2) = net
        .accredit(2, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let (_r3, acc3) = net
        .accredit(3, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    net.governance_writer = fork_point;
    let (_r4, acc4) = net
        .accredit(4, &[EventKind::Death], &["LB"])
        .expect("accredit");
    let orders = vec![
        vec![&acc1, &acc2, &acc3, &acc4],
        vec![&acc1, &acc4, &acc2, &acc3],
        vec![&acc3, &acc4, &acc1, &acc2],
    ];
    assert_same_everywhere(&net, &orders, 0..1);
    let store = deliver(&net, &orders[0], true);
    // Append-only: the first branch stays in the log (void from the fork),
    // and no accreditation of either branch takes effect.
    assert_eq!(store.state().governance.chain.size, 3);
    assert_eq!(store.state().governance.frozen_at, Some(1));
    assert_eq!(
        store
            .state()
            .registrars
            .keys()
            .map(|r| r.as_str())
            .collect::<Vec<_>>(),
        ["registrar-1"]
    );
    assert_eq!(store.equivocation_proofs().expect("proofs").len(), 1);
}
