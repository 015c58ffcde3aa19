//! A flood of half-open TCP connections against real `nansen-node`
//! processes: each flood connection sends the multistream-select header
//! and then nothing, and is opened again as soon as the node closes it.
//! No peer identity is needed for that.
//!
//! Node A holds entries and has an established peer C. While A (and then
//! the newcomer B) are flooded, B starts with A as its only bootstrap
//! peer. A must keep C throughout, and B must hold A's entries within 30 s
//! of the flood ending. The flood comes from many loopback addresses
//! (127.0.0.10 and up, a few connections each), so that it fills the
//! node's total budget of pending connections, not only a per-address one.
//!
//! `FLOOD_CONNECTIONS` (default 240, 0 for a baseline) and `FLOOD_SECS`
//! (default 12) change the flood for measurements.

mod common;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{attestations, birth_network, NodeProcess};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;

/// How long B may take to catch up once the flood has ended.
const CATCH_UP_LIMIT: Duration = Duration::from_secs(30);
/// The multistream-select header, framed (length prefix, text, newline).
const MULTISTREAM_HEADER: &[u8] = b"\x13/multistream/1.0.0\n";
/// Flood connections per source address.
const PER_SOURCE: usize = 4;

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

/// Counts of what the flood saw.
#[derive(Default)]
struct FloodCounts {
    /// Connections the node accepted at the TCP level.
    opened: AtomicUsize,
    /// Connections the node closed on us.
    closed: AtomicUsize,
}

/// Keeps `connections` half-open connections to `target` until `until`,
/// each from 127.0.0.(10 + i / PER_SOURCE + first_source), reopening any
/// the node closes after a short pause.
fn flood(
    target: SocketAddr,
    connections: usize,
    first_source: usize,
    until: Instant,
    counts: Arc<FloodCounts>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..connections)
        .map(|i| {
            let source = Ipv4Addr::new(127, 0, 0, (10 + first_source + i / PER_SOURCE) as u8);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bootstrapping_node_catches_up_after_a_half_open_flood() {
    let connections = env_or("FLOOD_CONNECTIONS", 240) as usize;
    let flood_time = Duration::from_secs(env_or("FLOOD_SECS", 12));
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut birth = birth_network(dir.path(), 3, 2);

    let a = NodeProcess::start(&dir.path().join("a"), &birth.genesis, &[]);
    a.submit(&[birth.accreditation.clone()]).await;
    a.submit(&attestations(&mut birth.registrar, 0..500, 0))
        .await;
    let c = NodeProcess::start(&dir.path().join("c"), &birth.genesis, &[a.address()]);
    common::converged(&[&a, &c], &[("registrar-1", 500)], Duration::from_secs(30)).await;
    let c_id = c.addresses.peer_id.clone();
    assert!(
        connected(&a).await.contains(&c_id),
        "A is not connected to C"
    );

    // Two thirds of the flood at A; B is started a second later, with A
    // (TCP only) as its one bootstrap peer, and gets the last third.
    let until = Instant::now() + flood_time;
    let counts = Arc::new(FloodCounts::default());
    let at_a = connections * 2 / 3;
    let mut tasks = flood(tcp_socket_address(&a), at_a, 0, until, counts.clone());
    tokio::time::sleep(Duration::from_secs(1)).await;
    let b = NodeProcess::start(&dir.path().join("b"), &birth.genesis, &[a.address()]);
    let first_source_b = at_a.div_ceil(PER_SOURCE);
    tasks.extend(flood(
        tcp_socket_address(&b),
        connections - at_a,
        first_source_b,
        until,
        counts.clone(),
    ));

    let mut a_kept_c = true;
    while Instant::now() < until {
        a_kept_c &= connected(&a).await.contains(&c_id);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    for task in tasks {
        let _ = task.await;
    }
    let flood_ended = Instant::now();
    let b_peers_at_end = connected(&b).await.len();

    let target = a.heads().await;
    let caught_up = loop {
        if b.heads().await == target {
            break flood_ended.elapsed();
        }
        if flood_ended.elapsed() >= CATCH_UP_LIMIT {
            for node in [&a, &b] {
                let log = std::fs::read_to_string(node.dir.join("node.log")).unwrap_or_default();
                let lines: Vec<&str> = log.lines().collect();
                eprintln!(
                    "--- {} log, last lines:\n{}",
                    node.dir.display(),
                    lines[lines.len().saturating_sub(40)..].join("\n")
                );
            }
        }
        assert!(
            flood_ended.elapsed() < CATCH_UP_LIMIT,
            "B did not catch up within {CATCH_UP_LIMIT:?} of the flood's end \
             (B's peers {:?}): {:?} vs {:?}",
            connected(&b).await,
            b.heads().await,
            target
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    a_kept_c &= connected(&a).await.contains(&c_id);
    assert!(a_kept_c, "A lost its established peer C during the flood");

    let a_log = std::fs::read_to_string(a.dir.join("node.log")).expect("A's log");
    let refused_lines = a_log
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("connections refused by limits"))
        .count();
    if connections > 0 {
        assert!(
            refused_lines > 0,
            "A's log does not mention the refused connections"
        );
    }
    eprintln!(
        "nansen-flood connections {connections} for {flood_time:?}: {} opened, {} closed by the nodes; \
         B had {b_peers_at_end} peers when the flood ended and caught up {caught_up:?} after; \
         A kept C: {a_kept_c}; {refused_lines} warning lines in A's log; {:?} in all",
        counts.opened.load(Ordering::Relaxed),
        counts.closed.load(Ordering::Relaxed),
        started.elapsed()
    );
}
