//! A simulation of many `nansen-node` processes on 127.0.0.1, with a
//! partition and churn (see `node/tests/common/sim.rs` for the script of a
//! run): for each node count, the seconds from the last submission until
//! every node holds every entry with identical heads, and the bytes each
//! node sent to its peers.
//!
//! Real processes, one per node, over TCP on loopback. Build the node
//! first, then run:
//!
//! ```text
//! cargo build --release -p node --bin nansen-node
//! cargo run --release -p node --example sim -- --nodes 10,25,50 --attestations 10000
//! ```
//!
//! Prints progress on standard error and `nansen-sim NAME VALUE` lines on
//! standard output (`converge_seconds_nN`, `bytes_per_node_nN`, ...).

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use common::sim::{run, SimConfig};

/// Simulate N nodes with a partition and churn; print convergence time and
/// bytes sent per node.
#[derive(Debug, Parser)]
struct Args {
    /// Node counts to simulate, one run each.
    #[arg(long, value_delimiter = ',', default_value = "10,25,50")]
    nodes: Vec<usize>,
    /// Attestations submitted per run.
    #[arg(long, default_value_t = 10_000)]
    attestations: u64,
    /// Registrars the attestations are spread over.
    #[arg(long, default_value_t = 10)]
    registrars: u32,
    /// Attestations per POST.
    #[arg(long, default_value_t = 50)]
    batch: u64,
    /// Bootstrap peers per node.
    #[arg(long, default_value_t = 3)]
    degree: usize,
    /// Nodes killed and restarted per churn round (default: a tenth of the
    /// nodes, at least one).
    #[arg(long)]
    churn: Option<usize>,
    /// Anti-entropy interval of every node, in seconds.
    #[arg(long, default_value_t = 2.0)]
    anti_entropy_secs: f64,
    /// Seed of the topology and the random choices.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Least seconds the partition lasts (a killed node stays down half
    /// as long).
    #[arg(long, default_value_t = 10)]
    hold_secs: u64,
    /// Seconds convergence may take before a run fails.
    #[arg(long, default_value_t = 600)]
    converge_limit_secs: u64,
    /// Where the runs' data directories go (default: a temporary directory,
    /// removed at the end).
    #[arg(long)]
    keep_dir: Option<PathBuf>,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let bin = common::node_binary();
    if !bin.exists() {
        eprintln!(
            "sim: {} not found: build it with `cargo build --release -p node --bin nansen-node` or set NANSEN_NODE_BIN",
            bin.display()
        );
        std::process::exit(2);
    }
    let temp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("sim: no temporary directory: {e}");
            std::process::exit(2);
        }
    };
    let base = args.keep_dir.clone().unwrap_or_else(|| temp.path().into());
    let mut failed = false;
    let mut table = Vec::new();
    for &nodes in &args.nodes {
        let config = SimConfig {
            nodes,
            attestations: args.attestations,
            registrars: args.registrars,
            batch: args.batch,
            degree: args.degree,
            churn: args.churn.unwrap_or((nodes / 10).max(1)),
            seed: args.seed,
            anti_entropy_secs: args.anti_entropy_secs,
            hold: Duration::from_secs(args.hold_secs),
            converge_limit: Duration::from_secs(args.converge_limit_secs),
            bin: bin.clone(),
        };
        eprintln!("sim: {config:?}");
        let dir = base.join(format!("n{nodes}"));
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!("sim: {}: {e}", dir.display());
            std::process::exit(2);
        }
        match run(&dir, &config).await {
            Ok(report) => {
                for line in report.lines() {
                    println!("{line}");
                }
                table.push(format!(
                    "| {nodes} | {:.1} | {:.0} | {:.1} | {:.1} |",
                    report.converge_seconds,
                    report.bytes_sent_per_node / 1e6,
                    report.cpu_seconds_per_node,
                    report.rss_max_mib
                ));
            }
            Err(e) => {
                eprintln!("sim n={nodes}: FAILED: {e}");
                println!("nansen-sim failed_n{nodes} 1");
                failed = true;
            }
        }
    }
    eprintln!("| nodes | converge s | MB sent per node | CPU s per node | max RSS MiB |");
    eprintln!("| --- | --- | --- | --- | --- |");
    for row in table {
        eprintln!("{row}");
    }
    if failed {
        std::process::exit(1);
    }
}
