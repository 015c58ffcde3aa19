//! Shared by the property tests: random valid histories of a small
//! network, and a deterministic shuffle.

use ledger::entry::Entry;
use ledger::fixtures::{attestation, credential_id, test_key, TestNetwork, T0_MS};
use ledger::payload::{Payload, Revocation, RevocationReason, Supersession, Suspension};
use ledger::state::ChainHead;
use ledger::types::{Author, EventKind, RegistrarId};
use ledger::writer::ChainWriter;

/// A valid history: governance accredits two registrars, they attest,
/// revoke and supersede; optionally governance suspends one of them part
/// way (freezing entries it already made).
pub fn history(ops: &[u8], suspend_at: Option<u64>) -> (TestNetwork, Vec<Entry>, u64) {
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

/// `items` in an order drawn from `seed` (Fisher-Yates with xorshift).
pub fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut out = items.to_vec();
    let mut x = seed | 1;
    for i in (1..out.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.swap(i, (x % (i as u64 + 1)) as usize);
    }
    out
}

/// A second entry at `seq` of `registrar`'s chain, signed by its key: a
/// fork of the chain in `entries`.
#[allow(dead_code)] // used by some of the test files that share this module
pub fn fork_of(net: &TestNetwork, entries: &[Entry], n: u32, seq: u64) -> Option<Entry> {
    let author = Author::Registrar(RegistrarId::new(&format!("registrar-{n}")).ok()?);
    let chain: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.body().author == author)
        .collect();
    let at = chain.iter().find(|e| e.body().seq == seq)?;
    let head = ChainHead {
        size: seq,
        head: at.body().prev,
        ..ChainHead::default()
    };
    let mut writer = ChainWriter::new(net.network, author, &head);
    let forked = attestation(50_000 + seq, EventKind::Birth, "JO");
    writer
        .append(
            Payload::Attest(forked),
            at.body().time_ms,
            at.body().governance_size,
            &[&test_key(0xB0, n)],
        )
        .ok()
}
