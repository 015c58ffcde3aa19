//! GET latency on an idle node, and while N pre-signed attestations are
//! ingested through `POST /v1/entries`, in one process:
//!
//! 1. N attestations signed beforehand (the test fixtures), 1,000 of them
//!    submitted so that the chain has a checkpoint and credentials;
//! 2. idle: rounds of `GET /v1/info`, `GET /v1/chains/registrar-1/checkpoint`
//!    and `GET /v1/credentials/{id}/status`, one after the other;
//! 3. the rest submitted in POSTs of BATCH entries, one after the other,
//!    while the same rounds of GETs run (a 5 ms pause between GETs).
//!
//! Each GET is timed from connect to the last byte of the answer (the
//! client opens one connection per request). Prints `nansen-bench NAME
//! VALUE` lines.
//!
//! Run: `cargo run --release -p node --example read_bench -- [N] [BATCH]`
//! (defaults 200000 and 10000).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ledger::fixtures::{credential_id, TestNetwork, T0_MS};
use ledger::types::EventKind;
use nansen_node::client::ApiClient;
use nansen_node::daemon::{start_node, NodeOptions};
use nansen_node::NodeKey;

/// Entries submitted before the idle measurement.
const WARM: u64 = 1_000;
/// GET rounds on the idle node.
const IDLE_ROUNDS: usize = 300;

/// Latencies of one phase, by endpoint, in milliseconds.
#[derive(Default)]
struct Latencies {
    by_endpoint: [Vec<f64>; 3],
}

impl Latencies {
    fn all(&self) -> Vec<f64> {
        let mut all: Vec<f64> = self.by_endpoint.iter().flatten().copied().collect();
        all.sort_by(f64::total_cmp);
        all
    }
}

/// The `q` quantile of sorted values (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

const NAMES: [&str; 3] = ["info", "checkpoint", "credential_status"];

/// One round: each endpoint once, timed, with `pause` after each.
async fn round(api: &ApiClient, paths: &[String; 3], into: &mut Latencies, pause: Duration) {
    for (i, path) in paths.iter().enumerate() {
        let started = Instant::now();
        if let Err(e) = api.get(path).await {
            eprintln!("GET {path}: {e}");
            continue;
        }
        into.by_endpoint[i].push(started.elapsed().as_secs_f64() * 1e3);
        tokio::time::sleep(pause).await;
    }
}

fn report(phase: &str, l: &Latencies) {
    let all = l.all();
    println!("nansen-bench get_p50_{phase}_ms {:.2}", quantile(&all, 0.5));
    println!(
        "nansen-bench get_p99_{phase}_ms {:.2}",
        quantile(&all, 0.99)
    );
    println!(
        "nansen-bench get_max_{phase}_ms {:.2}",
        all.last().copied().unwrap_or(f64::NAN)
    );
    println!("nansen-bench get_count_{phase} {}", all.len());
    for (name, values) in NAMES.iter().zip(&l.by_endpoint) {
        let mut v = values.clone();
        v.sort_by(f64::total_cmp);
        println!(
            "nansen-bench get_{name}_p50_{phase}_ms {:.2}",
            quantile(&v, 0.5)
        );
        println!(
            "nansen-bench get_{name}_p99_{phase}_ms {:.2}",
            quantile(&v, 0.99)
        );
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let batch: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("tempdir");

    let mut net = TestNetwork::new(1, 1);
    let (mut registrar, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    registrar.governance_size = net.governance_size();
    let genesis = dir.path().join("genesis.cbor");
    std::fs::write(&genesis, net.genesis.to_bytes().expect("genesis")).expect("write");

    eprintln!("signing {} attestations...", n + WARM);
    let entries: Vec<Vec<u8>> = (0..n + WARM)
        .map(|i| {
            registrar
                .attest(i, EventKind::Birth, "JO", T0_MS + 1_000 + i)
                .expect("attest")
                .into_bytes()
        })
        .collect();

    let mut options = NodeOptions::new(dir.path().join("node"));
    options.genesis = Some(genesis);
    options.listen = vec!["/ip4/127.0.0.1/tcp/0".into()];
    options.api = "127.0.0.1:0".into();
    options.mdns = false;
    options.progress_bar = false;
    let node = start_node(&options, &NodeKey::generate())
        .await
        .expect("node");
    let api = ApiClient::new(&format!("http://{}", node.api_addr)).expect("api url");
    api.submit(&[accreditation.into_bytes()])
        .await
        .expect("accreditation");
    let (warm, rest) = entries.split_at(WARM as usize);
    api.submit(warm).await.expect("warm-up entries");
    let paths = [
        "/v1/info".to_owned(),
        "/v1/chains/registrar-1/checkpoint".to_owned(),
        format!("/v1/credentials/{}/status", credential_id(7).to_hex()),
    ];

    // Idle.
    let mut idle = Latencies::default();
    for _ in 0..IDLE_ROUNDS {
        round(&api, &paths, &mut idle, Duration::from_millis(1)).await;
    }

    // While ingesting.
    let done = Arc::new(AtomicBool::new(false));
    let ingest = {
        let api = api.clone();
        let done = Arc::clone(&done);
        let batches: Vec<Vec<Vec<u8>>> = rest.chunks(batch).map(<[_]>::to_vec).collect();
        tokio::spawn(async move {
            let started = Instant::now();
            let mut accepted = 0;
            for b in batches {
                accepted += api.submit_batch(&b).await.expect("submit").accepted;
            }
            done.store(true, Ordering::SeqCst);
            (accepted, started.elapsed())
        })
    };
    let mut busy = Latencies::default();
    while !done.load(Ordering::SeqCst) {
        round(&api, &paths, &mut busy, Duration::from_millis(5)).await;
    }
    let (accepted, took) = ingest.await.expect("ingest task");
    assert_eq!(accepted, rest.len(), "every entry accepted");

    report("idle", &idle);
    report("during_ingest", &busy);
    println!("nansen-bench ingest_entries {accepted}");
    println!(
        "nansen-bench ingest_entries_per_s_while_reading {:.0}",
        accepted as f64 / took.as_secs_f64()
    );
    node.shutdown().await;
}
