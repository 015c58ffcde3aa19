//! Ten `nansen-node` processes with a partition and churn (the script of
//! `common/sim.rs`, which `examples/sim.rs` runs at 10, 25 and 50 nodes):
//! every node must end with every entry and the same heads, after the
//! partition heals and killed nodes restart on their data directories;
//! and two defects found at 25 and 50 nodes (catch-ups with every peer met,
//! gossip silenced past 13 peers on one address). Cost: about 25 s for the
//! three tests on two busy cores (13 s, 8 s and 17 s when run alone).

mod common;

use std::time::Duration;

use common::sim::{run, SimConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_nodes_converge_after_a_partition_and_restarts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = SimConfig {
        nodes: 10,
        attestations: 600,
        registrars: 4,
        batch: 20,
        degree: 3,
        churn: 1,
        seed: 7,
        anti_entropy_secs: 1.0,
        hold: Duration::from_secs(3),
        converge_limit: Duration::from_secs(60),
        bin: common::node_binary(),
    };
    let report = match run(dir.path(), &config).await {
        Ok(report) => report,
        Err(e) => panic!("{e}"),
    };
    for line in report.lines() {
        eprintln!("{line}");
    }
    assert_eq!(report.restarts, 2, "two churn rounds of one node each");
    assert!(
        report.partition_diverged,
        "the two sides held the same chains when the partition was healed"
    );
    assert_eq!(
        report.entries_per_node,
        4 + 600,
        "4 accreditations (genesis is not a chain entry) and 600 attestations"
    );
    assert!(
        report.bytes_sent_per_node > 0.0,
        "the nodes counted no bytes sent"
    );
}

/// Anti-entropy rounds every 5 s, so that what the test counts is the
/// catch-ups started on connect.
const SLOW_ANTI_ENTROPY: [&str; 2] = ["--anti-entropy-secs", "5"];

/// The value of the metric `name` in `node`'s `/metrics`.
async fn metric(node: &common::NodeProcess, name: &str) -> u64 {
    let body = node.api.get("/metrics").await.expect("metrics");
    String::from_utf8_lossy(&body)
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
}

/// A node that meets many peers at once (a fresh node, a restart, a healed
/// partition) pulls what it lacks from one of them (and maybe from the peer
/// of an anti-entropy round that starts meanwhile), not the same ranges
/// from each: it used to start a catch-up with every peer on connect, and
/// pulled the ledger about twelve times.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_meeting_twelve_peers_at_once_pulls_the_ledger_a_few_times() {
    const ENTRIES: u64 = 2000;
    const PEERS: usize = 12;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut birth = common::birth_network(dir.path(), 1, 1);
    let mut entries = vec![birth.accreditation.clone()];
    entries.extend(common::attestations(&mut birth.registrar, 0..ENTRIES, 0));
    // Twelve nodes that hold the same ledger, each from its own submission
    // (no sync between them).
    let mut holders = Vec::new();
    for i in 0..PEERS {
        let node = common::NodeProcess::start_with(
            &dir.path().join(format!("holder-{i}")),
            &birth.genesis,
            &[],
            &SLOW_ANTI_ENTROPY,
        );
        node.submit(&entries).await;
        holders.push(node);
    }
    let bootstrap: Vec<String> = holders.iter().map(|n| n.address()).collect();
    let fresh = common::NodeProcess::start_with(
        &dir.path().join("fresh"),
        &birth.genesis,
        &bootstrap,
        &SLOW_ANTI_ENTROPY,
    );
    common::eventually(
        Duration::from_secs(60),
        "the fresh node to hold the ledger",
        || async {
            fresh
                .heads()
                .await
                .iter()
                .any(|(a, s, _)| a == "registrar-1" && *s == ENTRIES)
        },
    )
    .await;
    // Any catch-up still under way ends.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pulled = metric(&fresh, "nansen_sync_entries_total").await;
    let duplicates = metric(&fresh, "nansen_entries_duplicate_total").await;
    eprintln!("pulled {pulled} entries, {duplicates} duplicates, for {ENTRIES}");
    assert!(
        pulled <= 6 * ENTRIES,
        "the fresh node pulled {pulled} entries ({duplicates} duplicates) to get {ENTRIES} from {PEERS} peers"
    );
}

/// Gossip reaches peers that share one IP address with many others (a NAT,
/// or one machine): gossipsub's default penalised every peer beyond 10 at
/// an address, and with 14 or more the hub fell below the publish threshold
/// and published to no one (the entries then came only by anti-entropy).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gossip_reaches_sixteen_peers_on_one_address() {
    const LEAVES: usize = 16;
    // No anti-entropy during the test: what arrives comes by gossip (or by
    // the catch-up on connect, before anything is submitted).
    let quiet = [
        "--anti-entropy-secs",
        "600",
        "--max-connections-per-ip",
        "64",
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let mut birth = common::birth_network(dir.path(), 1, 1);
    let hub = common::NodeProcess::start_with(&dir.path().join("hub"), &birth.genesis, &[], &quiet);
    let mut leaves = Vec::new();
    for i in 0..LEAVES {
        leaves.push(common::NodeProcess::start_with(
            &dir.path().join(format!("leaf-{i}")),
            &birth.genesis,
            &[hub.address()],
            &quiet,
        ));
    }
    common::eventually(
        Duration::from_secs(30),
        "the hub to have every leaf as a peer",
        || async { metric(&hub, "nansen_peers").await >= LEAVES as u64 },
    )
    .await;
    // Subscriptions are exchanged and a heartbeat or two pass.
    tokio::time::sleep(Duration::from_secs(3)).await;
    hub.submit(std::slice::from_ref(&birth.accreditation)).await;
    hub.submit(&common::attestations(&mut birth.registrar, 0..20, 0))
        .await;
    let mut missing = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    for (i, leaf) in leaves.iter().enumerate() {
        loop {
            let held = leaf
                .heads()
                .await
                .iter()
                .any(|(a, s, _)| a == "registrar-1" && *s == 20);
            if held {
                break;
            }
            if std::time::Instant::now() > deadline {
                missing.push(i);
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    assert!(
        missing.is_empty(),
        "leaves {missing:?} of {LEAVES} did not get the gossiped entries within 20 s"
    );
}
