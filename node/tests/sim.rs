//! Ten `nansen-node` processes with a partition and churn (the script of
//! `common/sim.rs`, which `examples/sim.rs` runs at 10, 25 and 50 nodes):
//! every node must end with every entry and the same heads, after the
//! partition heals and killed nodes restart on their data directories.
//! Cost: about 20 to 40 s on two busy cores.

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
