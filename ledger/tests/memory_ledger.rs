//! The in-memory ledger is the same engine as the sled store: fed the same
//! entries in the same batches, it gives the same outcomes and ends holding
//! byte for byte the same keys and values (entries, indexes, Merkle
//! subtrees, credential records, held entries, proofs, state), so it
//! answers every question (state, credential status, entry by position,
//! roots, proofs) exactly as the node's store does.

mod common;

use common::{fork_of, history, shuffled};
use ledger::checkpoint::{KeyType, SignerKey};
use ledger::entry::Entry;
use ledger::fixtures::{credential_id, TestNetwork, T0_MS};
use ledger::signing::{BatchVerifier, SequentialVerifier, SignatureCheck};
use ledger::store::{
    CheckedSignatures, CredentialStatus, IngestResult, KvStore, Ledger, MemoryLedger, Outcome,
    Store,
};
use ledger::types::{Author, EventKind};
use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Every key and value a ledger holds.
fn contents<K: KvStore>(ledger: &Ledger<K>) -> Vec<(Vec<u8>, Vec<u8>)> {
    ledger
        .raw_entries()
        .collect::<Result<_, _>>()
        .expect("read every key")
}

/// What a verifier asks a replica: state, each credential's status, each
/// chain's entries by position, root and inclusion proofs.
fn answers<K: KvStore>(ledger: &Ledger<K>, ids: impl Iterator<Item = u64>) -> String {
    let mut out = format!("{:?}\n", ledger.state());
    for n in ids {
        let status = ledger.credential_status(&credential_id(n)).expect("status");
        out.push_str(&format!("{n}: {status:?}\n"));
    }
    for (author, head) in ledger.heads() {
        let root = ledger.root(&author, head.size).expect("root");
        out.push_str(&format!("{author} size {} root {root:?}\n", head.size));
        for seq in 0..head.size {
            let entry = ledger.entry(&author, seq).expect("read").expect("held");
            let proof = ledger
                .inclusion_proof(&author, seq, head.size)
                .expect("inclusion proof");
            out.push_str(&format!("  #{seq} {} {proof:?}\n", hex(&entry)));
        }
    }
    out.push_str(&format!("held {}\n", ledger.held_count()));
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Feeds both ledgers the same batches; returns each one's outcomes.
fn feed_both(
    store: &mut Store,
    memory: &mut MemoryLedger,
    batches: &[Vec<Vec<u8>>],
) -> (Vec<IngestResult>, Vec<IngestResult>) {
    let (mut on_sled, mut in_memory) = (Vec::new(), Vec::new());
    for batch in batches {
        on_sled.extend(store.ingest(batch).expect("sled ingest"));
        in_memory.extend(memory.ingest(batch).expect("memory ingest"));
    }
    (on_sled, in_memory)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn memory_ledger_holds_and_answers_exactly_what_the_sled_store_does(
        ops in prop::collection::vec(any::<u8>(), 1..40),
        suspend in prop::option::of(0u64..20),
        fork_at in prop::option::of(0u64..20),
        tamper in prop::option::of((any::<prop::sample::Index>(), any::<prop::sample::Index>())),
        order_seed in any::<u64>(),
        batch in 1usize..9,
    ) {
        let (net, mut entries, ids) = history(&ops, suspend);
        if let Some(fork) = fork_at.and_then(|seq| fork_of(&net, &entries, 2, seq)) {
            entries.push(fork);
        }
        let mut delivery: Vec<Vec<u8>> =
            shuffled(&entries, order_seed).into_iter().map(Entry::into_bytes).collect();
        if let Some((which, at)) = tamper {
            let i = which.index(delivery.len());
            let j = at.index(delivery[i].len());
            delivery[i][j] ^= 0x55;
        }
        let batches: Vec<Vec<Vec<u8>>> =
            delivery.chunks(batch).map(<[Vec<u8>]>::to_vec).collect();
        let mut store = Store::temporary(&net.genesis).expect("sled store");
        let mut memory = MemoryLedger::new(&net.genesis).expect("memory ledger");
        let (on_sled, in_memory) = feed_both(&mut store, &mut memory, &batches);
        prop_assert_eq!(&in_memory, &on_sled);
        prop_assert!(contents(&store).len() > 3, "the history wrote something");
        prop_assert_eq!(contents(&memory), contents(&store));
        let asked = || (1..=ids + 1).chain(50_000..50_020);
        prop_assert_eq!(answers(&memory, asked()), answers(&store, asked()));
        prop_assert_eq!(
            format!("{:?}", memory.equivocation_proofs().expect("proofs")),
            format!("{:?}", store.equivocation_proofs().expect("proofs"))
        );
        // Pipelined: signatures checked ahead, over this batch, the next one
        // and every untampered entry (valid signatures of other bodies), give
        // the same outcomes and the same store: a tampered entry is still
        // refused, a signature never stands for another body.
        let mut piped = MemoryLedger::new(&net.genesis).expect("memory ledger");
        let mut piped_results = Vec::new();
        for (i, b) in batches.iter().enumerate() {
            let ahead: Vec<Vec<u8>> = b
                .iter()
                .chain(batches.get(i + 1).into_iter().flatten())
                .cloned()
                .chain(entries.iter().map(|e| e.bytes().to_vec()))
                .collect();
            let checked = CheckedSignatures::check(&ahead, usize::MAX, &SequentialVerifier);
            let prepared = piped.prepare_checked(b, usize::MAX, &checked).expect("prepare");
            piped_results.extend(piped.apply_prepared(prepared).expect("apply"));
        }
        prop_assert_eq!(&piped_results, &on_sled);
        prop_assert_eq!(contents(&piped), contents(&store));
    }
}

/// An equivocating registrar, a batch with a bad signature, then a rebuild
/// of the indexes: the memory ledger follows the sled store at each step.
#[test]
fn memory_ledger_follows_the_store_through_forks_bad_signatures_and_rebuilds() {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let mut entries = vec![accreditation];
    for n in 1..=6 {
        entries.push(
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign"),
        );
    }
    let fork = fork_of(&net, &entries, 1, 3).expect("fork");
    let mut bad = entries[5].bytes().to_vec();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let batches = vec![
        entries[..3].iter().map(|e| e.bytes().to_vec()).collect(),
        vec![
            entries[3].bytes().to_vec(),
            entries[4].bytes().to_vec(),
            bad,
        ],
        vec![entries[5].bytes().to_vec(), entries[6].bytes().to_vec()],
        vec![fork.bytes().to_vec()],
    ];
    let mut store = Store::temporary(&net.genesis).expect("sled store");
    let mut memory = MemoryLedger::new(&net.genesis).expect("memory ledger");
    let (on_sled, in_memory) = feed_both(&mut store, &mut memory, &batches);
    assert_eq!(in_memory, on_sled);
    assert!(matches!(
        &in_memory[5].outcome,
        Outcome::Rejected(ledger::rejection::Rejection::BadSignature { .. })
    ));
    assert_eq!(in_memory[8].outcome, Outcome::Equivocation);
    // Credential n sits at seq n - 1: those at or past the fork (seq 3)
    // are disputed, the earlier ones stand.
    for (n, disputed) in [(3, false), (4, true), (6, true), (50_003, true)] {
        let status = memory.credential_status(&credential_id(n)).expect("status");
        let is_disputed = matches!(status, CredentialStatus::Disputed { .. });
        assert_eq!(is_disputed, disputed, "credential {n}: {status:?}");
        if !disputed {
            assert!(matches!(status, CredentialStatus::Attested { .. }));
        }
    }
    assert_eq!(memory.equivocation_proofs().expect("proofs").len(), 1);
    assert_eq!(contents(&memory), contents(&store));
    let asked = || (1..=7).chain([50_003]);
    assert_eq!(answers(&memory, asked()), answers(&store, asked()));

    let before = memory.derived_snapshot().expect("snapshot");
    memory.rebuild_indexes().expect("rebuild in memory");
    store.rebuild_indexes().expect("rebuild on sled");
    assert_eq!(memory.derived_snapshot().expect("snapshot"), before);
    assert_eq!(contents(&memory), contents(&store));
}

/// What an offline verifier does with an in-memory ledger: load a node's
/// export, witness its chain, and hand out a portable proof that verifies
/// without any replica.
#[test]
fn an_offline_verifier_loads_an_export_and_proves_inclusion_from_memory() {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let mut batch = vec![accreditation.bytes().to_vec()];
    for n in 1..=5 {
        batch.push(
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign")
                .into_bytes(),
        );
    }
    let mut node = Store::temporary(&net.genesis).expect("sled store");
    node.ingest(&batch).expect("ingest");
    let export = node.all_entries().expect("export");

    let mut verifier = MemoryLedger::new(&net.genesis).expect("memory ledger");
    let results = verifier.ingest(&export).expect("ingest export");
    assert!(results.iter().all(|r| r.outcome == Outcome::Accepted));
    let author = Author::Registrar(reg.id.clone());
    assert_eq!(
        verifier.checkpoint(&author).expect("checkpoint"),
        node.checkpoint(&author).expect("checkpoint")
    );
    let witness = SignerKey::from_seed("offline", KeyType::Cosignature, [7; 32]).expect("key");
    verifier
        .cosign_checkpoint(&author, &witness, 1_800_000_000)
        .expect("cosign");
    let proof = verifier
        .portable_proof(&author, 2)
        .expect("proof")
        .expect("covered");
    let anchor = proof
        .verify(&net.network, &[witness.verifier()])
        .expect("portable proof verifies");
    assert_eq!(anchor.seq, 2);
    assert_eq!(Some(proof.entry), node.entry(&author, 2).expect("read"));
}

/// Checks signatures sequentially and counts what it was given.
struct Counting(Arc<AtomicUsize>);

impl BatchVerifier for Counting {
    fn verify_all(&self, checks: &[SignatureCheck<'_>]) -> Vec<bool> {
        self.0.fetch_add(checks.len(), Ordering::SeqCst);
        SequentialVerifier.verify_all(checks)
    }
}

/// Loses the last verdict: the engine must not take the shorter list as
/// "all verified".
struct Lossy;

impl BatchVerifier for Lossy {
    fn verify_all(&self, checks: &[SignatureCheck<'_>]) -> Vec<bool> {
        let mut verdicts = SequentialVerifier.verify_all(checks);
        verdicts.pop();
        verdicts
    }
}

#[test]
fn the_batch_verifier_is_the_callers_and_a_short_verdict_list_is_no_verification() {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let mut good = vec![accreditation.bytes().to_vec()];
    for n in 1..=4 {
        good.push(
            reg.attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
                .expect("sign")
                .into_bytes(),
        );
    }
    let counted = Arc::new(AtomicUsize::new(0));
    let mut ledger = MemoryLedger::new(&net.genesis)
        .expect("memory ledger")
        .with_batch_verifier(Box::new(Counting(counted.clone())));
    let results = ledger.ingest(&good).expect("ingest");
    assert!(results.iter().all(|r| r.outcome == Outcome::Accepted));
    // Two governance signatures (threshold 2) and four registrar ones.
    assert_eq!(counted.load(Ordering::SeqCst), 6);

    // A lossy verifier: every valid entry is still accepted (checked again
    // one by one), and a bad signature is still refused by name.
    let mut forged = reg
        .attest(5, EventKind::Birth, "JO", T0_MS + 20)
        .expect("sign")
        .into_bytes();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    // The forged signature is the last check of the batch, the verdict the
    // lossy verifier drops: taking its list at face value would accept it.
    let mut lossy = MemoryLedger::new(&net.genesis)
        .expect("memory ledger")
        .with_batch_verifier(Box::new(Lossy));
    let mut batch = good.clone();
    batch.push(forged);
    let results = lossy.ingest(&batch).expect("ingest");
    assert!(results[..5].iter().all(|r| r.outcome == Outcome::Accepted));
    assert!(matches!(
        results[5].outcome,
        Outcome::Rejected(ledger::rejection::Rejection::BadSignature { .. })
    ));
    assert_eq!(contents(&lossy), contents(&ledger));
}

/// `prepare` then `apply_prepared` then `flush` is `ingest`: same outcomes,
/// same store. A batch prepared before another batch was applied is
/// validated again when applied, so its outcomes are those `ingest` gives
/// after the other batch (here: duplicates and a gap filled, not the
/// stale "accepted" and "held").
#[test]
fn a_batch_prepared_before_another_was_applied_gets_the_outcomes_of_ingest() {
    let mut net = TestNetwork::new(1, 1);
    let (mut registrar, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    registrar.governance_size = net.governance_size();
    let entries: Vec<Vec<u8>> = (0..6)
        .map(|n| {
            registrar
                .attest(n, EventKind::Birth, "JO", T0_MS + 1_000 + n)
                .expect("attest")
                .into_bytes()
        })
        .collect();
    let first = vec![
        accreditation.into_bytes(),
        entries[0].clone(),
        entries[1].clone(),
    ];
    let second = vec![entries[1].clone(), entries[3].clone(), entries[2].clone()];

    let mut split = MemoryLedger::new(&net.genesis).expect("ledger");
    let prepared_first = split.prepare(&first, usize::MAX).expect("prepare");
    let prepared_second = split.prepare(&second, usize::MAX).expect("prepare");
    let split_first = split.apply_prepared(prepared_first).expect("apply");
    let split_second = split.apply_prepared(prepared_second).expect("apply");
    split.flush().expect("flush");

    let mut whole = MemoryLedger::new(&net.genesis).expect("ledger");
    let whole_first = whole.ingest(&first).expect("ingest");
    let whole_second = whole.ingest(&second).expect("ingest");

    assert_eq!(split_first, whole_first);
    assert_eq!(split_second, whole_second);
    let outcomes: Vec<&Outcome> = split_second.iter().map(|r| &r.outcome).collect();
    assert_eq!(
        outcomes,
        [&Outcome::Duplicate, &Outcome::Accepted, &Outcome::Accepted]
    );
    assert_eq!(contents(&split), contents(&whole));
}
