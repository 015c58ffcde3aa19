//! Benchmark of replication over loopback, in one process:
//!
//! 1. local ingest: N signed attestations ingested into a fresh store in
//!    batches of 2,000 (the ledger's own rate on this machine);
//! 2. catch-up sync: a fresh node pulls the same N entries from a node
//!    holding them, over libp2p TCP on 127.0.0.1 (entries/s, and the ratio
//!    to local ingest);
//! 3. gossip latency: entries appended one at a time on node A, time until
//!    node C (connected through B) reports them, p50 and p99.
//!
//! Run: `cargo run --release -p node --example sync_bench -- [N] [SAMPLES]`
//! (defaults 100000 and 200).

use std::time::{Duration, Instant};

use ledger::fixtures::{TestNetwork, T0_MS};
use ledger::store::Store;
use ledger::types::EventKind;
use nansen_node::client::ApiClient;
use nansen_node::daemon::{start_node, NodeOptions, RunningNode};
use nansen_node::NodeKey;

fn options(
    dir: &std::path::Path,
    genesis: &std::path::Path,
    bootstrap: Vec<String>,
) -> NodeOptions {
    let mut o = NodeOptions::new(dir.to_path_buf());
    o.genesis = Some(genesis.to_path_buf());
    o.listen = vec!["/ip4/127.0.0.1/tcp/0".into()];
    o.api = "127.0.0.1:0".into();
    o.bootstrap = bootstrap;
    o.mdns = false;
    o.anti_entropy_secs = 1.0;
    o.cosign_secs = 3600.0;
    o.progress_bar = false;
    o
}

async fn chain_size(api: &ApiClient, author: &str) -> u64 {
    let chains: serde_json::Value = match api.get_json("/v1/chains").await {
        Ok(c) => c,
        Err(_) => return 0,
    };
    chains
        .as_array()
        .and_then(|a| a.iter().find(|c| c["author"] == author))
        .and_then(|c| c["size"].as_u64())
        .unwrap_or(0)
}

fn api_of(node: &RunningNode) -> ApiClient {
    ApiClient::new(&format!("http://{}", node.api_addr)).expect("api url")
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let samples: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let dir = tempfile::tempdir().expect("tempdir");

    let mut net = TestNetwork::new(1, 1);
    let (mut registrar, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    registrar.governance_size = net.governance_size();
    let genesis = dir.path().join("genesis.cbor");
    std::fs::write(&genesis, net.genesis.to_bytes().expect("genesis")).expect("write");

    eprintln!("signing {n} attestations...");
    let entries: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            registrar
                .attest(i, EventKind::Birth, "JO", T0_MS + 1_000 + i)
                .expect("attest")
                .into_bytes()
        })
        .collect();

    // 1. Local ingest into the store node A will serve from.
    let a_dir = dir.path().join("a");
    std::fs::create_dir_all(&a_dir).expect("dir");
    let mut store = Store::open(&a_dir.join("ledger"), Some(&net.genesis)).expect("store");
    store
        .ingest(std::slice::from_ref(&accreditation.bytes()))
        .expect("ingest");
    let started = Instant::now();
    for batch in entries.chunks(2000) {
        store.ingest(batch).expect("ingest");
    }
    let local = started.elapsed();
    let local_rate = n as f64 / local.as_secs_f64();
    drop(store);
    println!("local ingest: {n} entries in {local:.2?}: {local_rate:.0} entries/s");

    // 2. Catch-up sync of a fresh node B from A.
    let a = start_node(&options(&a_dir, &genesis, vec![]), &NodeKey::generate())
        .await
        .expect("node a");
    let a_addr = a.listen[0].to_string();
    let started = Instant::now();
    let b = start_node(
        &options(&dir.path().join("b"), &genesis, vec![a_addr.clone()]),
        &NodeKey::generate(),
    )
    .await
    .expect("node b");
    let b_api = api_of(&b);
    loop {
        if chain_size(&b_api, "registrar-1").await >= n {
            break;
        }
        if started.elapsed() > Duration::from_secs(3600) {
            panic!("sync did not finish");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sync = started.elapsed();
    let sync_rate = n as f64 / sync.as_secs_f64();
    println!(
        "catch-up sync: {n} entries in {sync:.2?}: {sync_rate:.0} entries/s ({:.0}% of local ingest; includes node start and connection)",
        100.0 * sync_rate / local_rate
    );

    // 3. Gossip latency A -> C, with C bootstrapped from B only.
    let b_addr = b.listen[0].to_string();
    let c = start_node(
        &options(&dir.path().join("c"), &genesis, vec![b_addr]),
        &NodeKey::generate(),
    )
    .await
    .expect("node c");
    let a_api = api_of(&a);
    let c_api = api_of(&c);
    while chain_size(&c_api, "registrar-1").await < n {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let the gossip mesh form.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut latencies = Vec::with_capacity(samples);
    for i in 0..samples as u64 {
        let entry = registrar
            .attest(n + i, EventKind::Birth, "JO", T0_MS + 1_000 + n + i)
            .expect("attest")
            .into_bytes();
        let started = Instant::now();
        a_api.submit(&[entry]).await.expect("submit");
        let want = n + i + 1;
        loop {
            if chain_size(&c_api, "registrar-1").await >= want {
                break;
            }
            if started.elapsed() > Duration::from_secs(30) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        latencies.push(started.elapsed());
    }
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "gossip latency A -> C ({samples} entries, submit to visible on C's API): p50 {:.1?}, p99 {:.1?}",
        pick(0.5),
        pick(0.99)
    );
    for node in [a, b, c] {
        node.shutdown().await;
    }
}
