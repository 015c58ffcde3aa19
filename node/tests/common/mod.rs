//! Running real `nansen-node` processes on 127.0.0.1 for tests: start with
//! port 0, read `node.json` for the addresses, talk to the HTTP API, kill
//! on drop.

#![allow(dead_code)]

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use ledger::fixtures::{TestNetwork, TestRegistrar, T0_MS};
use ledger::types::EventKind;
use nansen_node::client::ApiClient;
use nansen_node::daemon::NodeAddresses;
use nansen_test_support::net::{launch_node, NodeRun};
use serde_json::Value;

pub mod sim;

pub const PASSPHRASE: &str = "test passphrase";
/// The `nansen-node` binary cargo built for these tests ("nansen-node" when
/// this module is compiled into an example, which has no such variable: see
/// [`node_binary`]).
pub const BIN: &str = match option_env!("CARGO_BIN_EXE_nansen-node") {
    Some(path) => path,
    None => "nansen-node",
};

/// The `nansen-node` binary to run: cargo's for tests; for an example,
/// `NANSEN_NODE_BIN` if set, else `nansen-node` in the profile directory
/// above the example (`target/release/examples/sim` runs
/// `target/release/nansen-node`: build it first with `cargo build --release
/// -p node --bin nansen-node`).
pub fn node_binary() -> PathBuf {
    if let Some(path) = option_env!("CARGO_BIN_EXE_nansen-node") {
        return PathBuf::from(path);
    }
    if let Some(path) = std::env::var_os("NANSEN_NODE_BIN") {
        return PathBuf::from(path);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("nansen-node")))
        .unwrap_or_else(|| PathBuf::from(BIN))
}

/// The nodes' log filter: `NODE_LOG` if set (to debug a test), else
/// `info,libp2p=warn`.
fn node_log_filter() -> String {
    std::env::var("NODE_LOG").unwrap_or_else(|_| "info,libp2p=warn".into())
}

/// A node process.
pub struct NodeProcess {
    pub child: Child,
    pub dir: PathBuf,
    pub api: ApiClient,
    pub addresses: NodeAddresses,
}

impl NodeProcess {
    /// Starts a node on `dir` for the network of `genesis`, bootstrapping
    /// from `bootstrap` addresses; waits until it wrote `node.json`.
    pub fn start(dir: &Path, genesis: &Path, bootstrap: &[String]) -> NodeProcess {
        Self::start_with(dir, genesis, bootstrap, &[])
    }

    /// As [`NodeProcess::start`], with extra `nansen-node run` arguments.
    pub fn start_with(
        dir: &Path,
        genesis: &Path,
        bootstrap: &[String],
        extra: &[&str],
    ) -> NodeProcess {
        let listen = ["/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"];
        match Self::launch(&node_binary(), dir, genesis, bootstrap, &listen, extra) {
            Ok(node) => node,
            Err(e) => panic!("{e}"),
        }
    }

    /// Starts `bin run` on `dir` listening on `listen` (libp2p addresses),
    /// with the API on a free loopback port; waits until it wrote
    /// `node.json`. Fails, naming the data directory, if the process exits
    /// first or nothing is written within 30 s.
    pub fn launch(
        bin: &Path,
        dir: &Path,
        genesis: &Path,
        bootstrap: &[String],
        listen: &[&str],
        extra: &[&str],
    ) -> Result<NodeProcess, String> {
        let failed = |what: String| format!("node in {}: {what}", dir.display());
        let run = NodeRun {
            bin,
            dir,
            genesis,
            listen,
            bootstrap,
            extra,
            passphrase: PASSPHRASE,
            log_filter: &node_log_filter(),
            wait: Duration::from_secs(30),
        };
        let (child, written) = launch_node(&run)?;
        let addresses: NodeAddresses =
            serde_json::from_value(written).map_err(|e| failed(format!("node.json: {e}")))?;
        let api = ApiClient::new(&addresses.api).map_err(|e| failed(format!("api url: {e}")))?;
        Ok(NodeProcess {
            child,
            dir: dir.to_path_buf(),
            api,
            addresses,
        })
    }

    /// The TCP listen address (with /p2p/<peer id>).
    pub fn address(&self) -> String {
        self.listen_address("/tcp/")
    }

    /// The QUIC listen address (with /p2p/<peer id>).
    pub fn quic_address(&self) -> String {
        self.listen_address("/quic-v1")
    }

    fn listen_address(&self, transport: &str) -> String {
        self.addresses
            .listen
            .iter()
            .find(|a| a.contains(transport))
            .cloned()
            .expect("a listen address of that transport")
    }

    /// Kills the process and waits for it.
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// `GET /v1/chains` as (author, size, head).
    pub async fn heads(&self) -> Vec<(String, u64, Option<String>)> {
        let chains: Value = self.api.get_json("/v1/chains").await.expect("chains");
        let mut heads: Vec<_> = chains
            .as_array()
            .expect("array")
            .iter()
            .map(|c| {
                (
                    c["author"].as_str().unwrap_or_default().to_owned(),
                    c["size"].as_u64().unwrap_or_default(),
                    c["head"].as_str().map(str::to_owned),
                )
            })
            .collect();
        heads.sort();
        heads
    }

    /// Submits entries; panics unless the API answers 2xx.
    pub async fn submit(&self, entries: &[Vec<u8>]) -> Value {
        let answer = self.api.submit(entries).await.expect("submit");
        serde_json::to_value(answer).expect("an answer is JSON")
    }
}

impl Drop for NodeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes the test network's genesis to `dir/genesis.cbor`.
pub fn write_genesis(net: &TestNetwork, dir: &Path) -> PathBuf {
    let path = dir.join("genesis.cbor");
    std::fs::write(&path, net.genesis.to_bytes().expect("genesis")).expect("write genesis");
    path
}

/// A test network whose registrars are accredited for births in JO, with its
/// genesis written: what most node tests start from.
pub struct BirthRegistrars {
    pub net: TestNetwork,
    /// `registrar-1`, `registrar-2`, …, each knowing the final governance size.
    pub registrars: Vec<TestRegistrar>,
    /// The accreditation entries, in order: submit them before any attestation.
    pub accreditations: Vec<Vec<u8>>,
    /// `dir/genesis.cbor`.
    pub genesis: PathBuf,
}

/// A `TestNetwork::new(governance_keys, threshold)` with registrars
/// `1..=count` accredited for births in JO and the genesis written to
/// `dir/genesis.cbor`.
pub fn birth_registrars(
    dir: &Path,
    governance_keys: u32,
    threshold: u8,
    count: u32,
) -> BirthRegistrars {
    let mut net = TestNetwork::new(governance_keys, threshold);
    let mut registrars = Vec::new();
    let mut accreditations = Vec::new();
    for n in 1..=count {
        let (registrar, accreditation) = net
            .accredit(n, &[EventKind::Birth], &["JO"])
            .expect("accredit");
        registrars.push(registrar);
        accreditations.push(accreditation.into_bytes());
    }
    for registrar in &mut registrars {
        registrar.governance_size = net.governance_size();
    }
    let genesis = write_genesis(&net, dir);
    BirthRegistrars {
        net,
        registrars,
        accreditations,
        genesis,
    }
}

/// [`birth_registrars`] with the one registrar, `registrar-1`.
pub struct BirthNetwork {
    pub net: TestNetwork,
    pub registrar: TestRegistrar,
    /// The accreditation entry: submit it before any attestation.
    pub accreditation: Vec<u8>,
    /// `dir/genesis.cbor`.
    pub genesis: PathBuf,
}

/// A `TestNetwork::new(governance_keys, threshold)` with `registrar-1`
/// accredited for births in JO and the genesis written to `dir/genesis.cbor`.
pub fn birth_network(dir: &Path, governance_keys: u32, threshold: u8) -> BirthNetwork {
    let BirthRegistrars {
        net,
        mut registrars,
        mut accreditations,
        genesis,
    } = birth_registrars(dir, governance_keys, threshold, 1);
    BirthNetwork {
        net,
        registrar: registrars.remove(0),
        accreditation: accreditations.remove(0),
        genesis,
    }
}

/// `registrar`'s signed birth attestations (JO) for the credential numbers
/// `range`, number `n` made at `T0_MS + time_offset_ms + n`.
pub fn attestations(
    registrar: &mut TestRegistrar,
    range: Range<u64>,
    time_offset_ms: u64,
) -> Vec<Vec<u8>> {
    range
        .map(|n| {
            registrar
                .attest(n, EventKind::Birth, "JO", T0_MS + time_offset_ms + n)
                .expect("attest")
                .into_bytes()
        })
        .collect()
}

/// Polls `check` until it returns true or `limit` passes.
pub async fn eventually<F, Fut>(limit: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    loop {
        if check().await {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until every node reports the same heads, equal to `expected`
/// sizes for the named chains; returns the heads.
pub async fn converged(
    nodes: &[&NodeProcess],
    expected: &[(&str, u64)],
    limit: Duration,
) -> Vec<(String, u64, Option<String>)> {
    let deadline = Instant::now() + limit;
    loop {
        let mut all = Vec::new();
        for node in nodes {
            all.push(node.heads().await);
        }
        let same = all.windows(2).all(|w| w[0] == w[1]);
        let sizes_ok = expected
            .iter()
            .all(|(author, size)| all[0].iter().any(|(a, s, _)| a == author && s == size));
        if same && sizes_ok {
            return all.swap_remove(0);
        }
        if Instant::now() > deadline {
            panic!("nodes did not converge: {all:?}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Deterministic xorshift64, for reproducible random delays.
pub struct XorShift(pub u64);

impl XorShift {
    /// The next value.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// SIGTERM and wait for the process to exit.
pub fn stop_gracefully(mut node: NodeProcess) {
    let pid = node.child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill -TERM");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if node.child.try_wait().expect("try_wait").is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "node did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Opens the stopped (or killed) node's store and compares its heads and
/// derived data (indexes) with those of a fresh store that ingested the same
/// entries. Returns how many entries the store holds.
pub fn check_indexes(data_dir: &Path, net: &TestNetwork) -> usize {
    use ledger::store::Store;
    let store = Store::open(&data_dir.join("ledger"), Some(&net.genesis)).expect("open store");
    let entries = store.all_entries().expect("all entries");
    let mut fresh = Store::temporary(&net.genesis).expect("temporary store");
    for chunk in entries.chunks(1000) {
        let results = fresh.ingest(chunk).expect("ingest");
        assert_eq!(results.len(), chunk.len());
    }
    assert_eq!(fresh.heads(), store.heads(), "heads differ");
    let derived = store.derived_snapshot().expect("snapshot");
    let expected = fresh.derived_snapshot().expect("fresh snapshot");
    assert_eq!(derived.len(), expected.len(), "derived key counts differ");
    assert!(derived == expected, "derived data differs from a re-ingest");
    entries.len()
}
