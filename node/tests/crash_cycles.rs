//! Crash safety of a real `nansen-node` process: SIGKILL at random moments
//! while entries are being submitted, restart on the same data dir, and
//! check that no acknowledged entry is lost and that the indexes agree with
//! the entries.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{attestations, birth_network, stop_gracefully, NodeProcess, XorShift};
use ledger::fixtures::{TestNetwork, TestRegistrar};
use nansen_wire::api::SubmitAnswer;

const CYCLES: usize = 50;
const BATCH: usize = 200;
const AUTHOR: &str = "registrar-1";

/// Extends `entries` with pre-signed attestations up to `len`.
fn generate(registrar: &mut TestRegistrar, entries: &mut Vec<Vec<u8>>, len: usize) {
    let from = entries.len() as u64;
    entries.extend(attestations(registrar, from..len as u64, 10_000));
}

/// Whether every entry of a submit answer was stored (now or before).
fn all_stored(answer: &SubmitAnswer, len: usize) -> bool {
    answer.results.len() == len
        && answer
            .results
            .iter()
            .all(|r| matches!(r.outcome.as_str(), "accepted" | "duplicate"))
}

/// Checks through the API that the first `acked` entries are stored.
async fn check_acknowledged(node: &NodeProcess, entries: &[Vec<u8>], acked: usize, cycle: usize) {
    if acked == 0 {
        return;
    }
    let size = node
        .heads()
        .await
        .into_iter()
        .find(|(a, _, _)| a == AUTHOR)
        .map(|(_, s, _)| s)
        .unwrap_or(0);
    assert!(
        size >= acked as u64,
        "cycle {cycle}: chain size {size} < {acked} acknowledged entries"
    );
    let last = node
        .api
        .get(&format!("/v1/chains/{AUTHOR}/entries/{}", acked - 1))
        .await
        .expect("last acknowledged entry");
    assert_eq!(
        last,
        entries[acked - 1],
        "cycle {cycle}: entry {} differs",
        acked - 1
    );
}

/// Opens the stopped node's store, compares its indexes with a rebuild, and
/// checks that it holds more than the `acked` attestations (the governance
/// entry besides).
fn check_indexes(data_dir: &Path, net: &TestNetwork, acked: usize) {
    let stored = common::check_indexes(data_dir, net);
    assert!(stored > acked, "{stored} stored, {acked} acknowledged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_sigkills_during_ingest_lose_no_acknowledged_entry() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut birth = birth_network(dir.path(), 3, 2);
    let governance = vec![birth.accreditation];
    let data_dir = dir.path().join("node");

    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut entries: Vec<Vec<u8>> = Vec::new();
    let mut acked = 0usize;
    let mut kills_mid_batch = 0usize;

    for cycle in 0..CYCLES {
        let mut node = NodeProcess::start(&data_dir, &birth.genesis, &[]);
        check_acknowledged(&node, &entries, acked, cycle).await;
        let answer = node.api.submit(&governance).await.expect("governance");
        assert!(all_stored(&answer, 1), "governance: {answer:?}");

        generate(&mut birth.registrar, &mut entries, acked + 20 * BATCH);
        let shared = Arc::new(entries.clone());
        let done = Arc::new(AtomicUsize::new(acked));
        let api = node.api.clone();
        let submitter = {
            let shared = shared.clone();
            let done = done.clone();
            tokio::spawn(async move {
                loop {
                    let from = done.load(Ordering::SeqCst);
                    if from >= shared.len() {
                        break;
                    }
                    let batch = &shared[from..(from + BATCH).min(shared.len())];
                    match api.submit(batch).await {
                        Ok(answer) => {
                            assert!(all_stored(&answer, batch.len()), "{answer:?}");
                            done.store(from + batch.len(), Ordering::SeqCst);
                        }
                        Err(_) => break,
                    }
                }
            })
        };
        let delay = Duration::from_millis(rng.below(400));
        tokio::time::sleep(delay).await;
        node.child.kill().expect("SIGKILL");
        let _ = node.child.wait();
        submitter.await.expect("submitter");
        let now = done.load(Ordering::SeqCst);
        if now < shared.len() {
            kills_mid_batch += 1;
        }
        acked = now;

        if (cycle + 1) % 10 == 0 {
            let node = NodeProcess::start(&data_dir, &birth.genesis, &[]);
            check_acknowledged(&node, &entries, acked, cycle).await;
            stop_gracefully(node);
            check_indexes(&data_dir, &birth.net, acked);
        }
    }

    let node = NodeProcess::start(&data_dir, &birth.genesis, &[]);
    check_acknowledged(&node, &entries, acked, CYCLES).await;
    stop_gracefully(node);
    check_indexes(&data_dir, &birth.net, acked);
    assert!(acked > 0, "nothing was acknowledged");
    assert!(
        kills_mid_batch >= CYCLES / 2,
        "only {kills_mid_batch} kills landed during submissions"
    );
    eprintln!(
        "{CYCLES} kill cycles, {acked} acknowledged entries, {kills_mid_batch} kills during submissions, {:?}",
        started.elapsed()
    );
}
