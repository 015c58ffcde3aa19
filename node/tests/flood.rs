//! Floods of half-open TCP connections against real `nansen-node`
//! processes: each flood connection sends the multistream-select header
//! and then nothing, and is opened again soon after the node closes it. No
//! peer identity is needed for that.
//!
//! Node A holds entries and has an established peer C. While A is flooded,
//! the newcomer B starts with A (over TCP) as its only bootstrap peer. A
//! must keep C throughout and its log must show the flood.
//!
//! - From many addresses (127.0.0.10 and up, 4 connections each), the
//!   flood fills A's whole budget of pending connections: B is refused
//!   while it lasts, and must hold A's entries within 30 s of its end.
//!   B is flooded too once it runs.
//! - From one address, the flood only fills that address's share: B must
//!   catch up while the flood still runs.
//!
//! The tests take turns (one flood at a time). `FLOOD_CONNECTIONS`
//! (default 240, 0 for a baseline) and `FLOOD_SECS` (default 12) change
//! the first flood for measurements.

mod common;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{attestations, birth_network, NodeProcess};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;
use tokio::sync::Mutex;

/// How long B may take to catch up once a flood has ended.
const CATCH_UP_LIMIT: Duration = Duration::from_secs(30);
/// The multistream-select header, framed (length prefix, text, newline).
const MULTISTREAM_HEADER: &[u8] = b"\x13/multistream/1.0.0\n";
/// The warning a node logs about refused and timed-out connections.
const REFUSAL_WARNING: &str = "connections refused by limits";
/// The warning a node with no peer logs when a bootstrap peer is out of reach.
const ISOLATION_WARNING: &str = "no peer connected and a bootstrap peer is unreachable";

/// One flood at a time: the tests of this file take turns.
static ONE_FLOOD_AT_A_TIME: Mutex<()> = Mutex::const_new(());

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The TCP socket address of a node's `/ip4/.../tcp/<port>/p2p/...` address.
fn tcp_socket_address(node: &NodeProcess) -> SocketAddr {
    let address = node.address();
    let parts: Vec<&str> = address.split('/').collect();
    let ip: Ipv4Addr = parts[2].parse().expect("ip4");
    let port: u16 = parts[4].parse().expect("tcp port");
    SocketAddr::new(IpAddr::V4(ip), port)
}

/// Counts of what a flood saw.
#[derive(Default)]
struct FloodCounts {
    /// Connections the node accepted at the TCP level.
    opened: AtomicUsize,
    /// Connections the node closed on us.
    closed: AtomicUsize,
}

/// Keeps `connections` half-open connections to `target` until `until`,
/// connection `i` from the address `source(i)`, reopening each 300 ms
/// after the node closes it.
fn flood(
    target: SocketAddr,
    connections: usize,
    source: impl Fn(usize) -> Ipv4Addr,
    until: Instant,
    counts: Arc<FloodCounts>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..connections)
        .map(|i| {
            let source = source(i);
            let counts = counts.clone();
            tokio::spawn(async move {
                let deadline = tokio::time::Instant::from_std(until);
                while Instant::now() < until {
                    let held = async {
                        let socket = TcpSocket::new_v4()?;
                        socket.bind(SocketAddr::new(IpAddr::V4(source), 0))?;
                        let mut stream = socket.connect(target).await?;
                        counts.opened.fetch_add(1, Ordering::Relaxed);
                        stream.write_all(MULTISTREAM_HEADER).await?;
                        // Read what the node sends (its own header) until it
                        // closes the connection; never answer.
                        let mut buf = [0u8; 256];
                        while stream.read(&mut buf).await? > 0 {}
                        counts.closed.fetch_add(1, Ordering::Relaxed);
                        Ok::<(), std::io::Error>(())
                    };
                    let _ = tokio::time::timeout_at(deadline, held).await;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
            })
        })
        .collect()
}

/// The peer ids `node` reports connected.
async fn connected(node: &NodeProcess) -> Vec<String> {
    let peers: serde_json::Value = node.api.get_json("/v1/peers").await.expect("peers");
    peers["connected"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The lines of `node`'s log that report refused connections.
fn refusal_warnings(node: &NodeProcess) -> Vec<String> {
    std::fs::read_to_string(node.dir.join("node.log"))
        .expect("log")
        .lines()
        .filter(|l| l.contains("WARN") && l.contains(REFUSAL_WARNING))
        .map(str::to_owned)
        .collect()
}

/// Prints the end of each node's log (when a test is about to fail).
fn print_logs(nodes: &[&NodeProcess]) {
    for node in nodes {
        let log = std::fs::read_to_string(node.dir.join("node.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        eprintln!(
            "--- {} log, last lines:\n{}",
            node.dir.display(),
            lines[lines.len().saturating_sub(40)..].join("\n")
        );
    }
}

/// Node A with 500 attestations and node C connected to it and caught up.
struct Holder {
    a: NodeProcess,
    c: NodeProcess,
    genesis: std::path::PathBuf,
    /// A's heads.
    target: Vec<(String, u64, Option<String>)>,
}

async fn holder(dir: &Path) -> Holder {
    let mut birth = birth_network(dir, 3, 2);
    let a = NodeProcess::start(&dir.join("a"), &birth.genesis, &[]);
    a.submit(&[birth.accreditation.clone()]).await;
    a.submit(&attestations(&mut birth.registrar, 0..500, 0))
        .await;
    let c = NodeProcess::start(&dir.join("c"), &birth.genesis, &[a.address()]);
    let target = a.heads().await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while c.heads().await != target || !connected(&a).await.contains(&c.addresses.peer_id) {
        if Instant::now() > deadline {
            print_logs(&[&a, &c]);
            panic!("C did not catch up with A before the flood");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Holder {
        a,
        c,
        genesis: birth.genesis,
        target,
    }
}

/// What was seen while a flood lasted.
struct DuringFlood {
    /// A reported C connected at every look.
    a_kept_c: bool,
    /// The fewest peers A reported.
    a_fewest_peers: usize,
    /// When B held A's entries, from B's start.
    b_caught_up: Option<Duration>,
}

/// Watches A's peers and B's progress every 500 ms until `until`.
async fn watch(
    holder: &Holder,
    b: &NodeProcess,
    b_started: Instant,
    until: Instant,
) -> DuringFlood {
    let mut seen = DuringFlood {
        a_kept_c: true,
        a_fewest_peers: usize::MAX,
        b_caught_up: None,
    };
    while Instant::now() < until {
        let peers = connected(&holder.a).await;
        seen.a_kept_c &= peers.contains(&holder.c.addresses.peer_id);
        seen.a_fewest_peers = seen.a_fewest_peers.min(peers.len());
        if seen.b_caught_up.is_none() && b.heads().await == holder.target {
            seen.b_caught_up = Some(b_started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bootstrapping_node_catches_up_after_a_half_open_flood() {
    let _turn = ONE_FLOOD_AT_A_TIME.lock().await;
    let connections = env_or("FLOOD_CONNECTIONS", 240) as usize;
    let flood_time = Duration::from_secs(env_or("FLOOD_SECS", 12));
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let holder = holder(dir.path()).await;
    let a = &holder.a;

    // Two thirds of the flood at A; B is started a second later and gets
    // the last third.
    let from_many =
        |first: usize| move |i: usize| Ipv4Addr::new(127, 0, 0, (10 + first + i / 4) as u8);
    let until = Instant::now() + flood_time;
    let counts = Arc::new(FloodCounts::default());
    let at_a = connections * 2 / 3;
    let mut tasks = flood(
        tcp_socket_address(a),
        at_a,
        from_many(0),
        until,
        counts.clone(),
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    let b = NodeProcess::start(&dir.path().join("b"), &holder.genesis, &[a.address()]);
    let b_started = Instant::now();
    tasks.extend(flood(
        tcp_socket_address(&b),
        connections - at_a,
        from_many(at_a.div_ceil(4)),
        until,
        counts.clone(),
    ));

    let seen = watch(&holder, &b, b_started, until).await;
    for task in tasks {
        let _ = task.await;
    }
    let flood_ended = Instant::now();
    let b_peers_at_end = connected(&b).await.len();

    let after_flood = loop {
        if seen.b_caught_up.is_some() || b.heads().await == holder.target {
            break flood_ended.elapsed();
        }
        if flood_ended.elapsed() >= CATCH_UP_LIMIT {
            print_logs(&[a, &b]);
            panic!(
                "B did not catch up within {CATCH_UP_LIMIT:?} of the flood's end \
                 (B's peers {:?}): {:?} vs {:?}",
                connected(&b).await,
                b.heads().await,
                holder.target
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let b_caught_up = seen.b_caught_up.unwrap_or_else(|| b_started.elapsed());
    assert_eq!(a.heads().await, holder.target, "A's entries changed");
    let a_kept_c = seen.a_kept_c && connected(a).await.contains(&holder.c.addresses.peer_id);
    assert!(a_kept_c, "A lost its established peer C during the flood");

    let warnings = refusal_warnings(a);
    if connections > 0 {
        assert!(
            !warnings.is_empty(),
            "A's log does not mention the refused connections"
        );
        eprintln!("A's first warning: {}", warnings[0]);
        let b_log = std::fs::read_to_string(b.dir.join("node.log")).expect("B's log");
        let isolated = b_log
            .lines()
            .find(|l| l.contains("WARN") && l.contains(ISOLATION_WARNING))
            .expect("B's log does not say it cannot reach its bootstrap peer");
        eprintln!("B's warning: {isolated}");
    }
    eprintln!(
        "nansen-flood connections {connections} for {flood_time:?} from many addresses: \
         {} opened, {} closed by the nodes; A had at least {} peers throughout (kept C: {a_kept_c}); \
         B caught up {b_caught_up:?} after its start, {after_flood:?} after the flood ended, \
         with {b_peers_at_end} peers at the flood's end; {} warning lines in A's log; {:?} in all",
        counts.opened.load(Ordering::Relaxed),
        counts.closed.load(Ordering::Relaxed),
        seen.a_fewest_peers,
        warnings.len(),
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_one_address_does_not_keep_a_newcomer_out() {
    let _turn = ONE_FLOOD_AT_A_TIME.lock().await;
    let connections = 100;
    let flood_time = Duration::from_secs(12);
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let holder = holder(dir.path()).await;
    let a = &holder.a;

    let until = Instant::now() + flood_time;
    let counts = Arc::new(FloodCounts::default());
    let one = Ipv4Addr::new(127, 0, 0, 2);
    let tasks = flood(
        tcp_socket_address(a),
        connections,
        |_| one,
        until,
        counts.clone(),
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    let b = NodeProcess::start(&dir.path().join("b"), &holder.genesis, &[a.address()]);
    let b_started = Instant::now();
    let seen = watch(&holder, &b, b_started, until).await;
    for task in tasks {
        let _ = task.await;
    }

    let Some(b_caught_up) = seen.b_caught_up else {
        print_logs(&[a, &b]);
        panic!(
            "B did not catch up while one address flooded A: {:?} vs {:?}",
            b.heads().await,
            holder.target
        );
    };
    assert!(
        seen.a_kept_c,
        "A lost its established peer C during the flood"
    );
    let warnings = refusal_warnings(a);
    assert!(
        warnings.iter().any(|w| w.contains("pending_per_ip")),
        "A's log does not name the per-address limit: {warnings:?}"
    );
    eprintln!(
        "nansen-flood connections {connections} for {flood_time:?} from one address: {} opened; \
         A had at least {} peers throughout; B caught up {b_caught_up:?} after its start; \
         A's first warning: {}; {:?} in all",
        counts.opened.load(Ordering::Relaxed),
        seen.a_fewest_peers,
        warnings[0],
        started.elapsed()
    );
}
