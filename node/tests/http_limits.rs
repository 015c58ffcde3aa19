//! The API's HTTP limits against a real node, spoken to in raw bytes: a
//! stalled upload and stalled headers are cut off, a claimed huge body is
//! refused at once, and a web page of another origin cannot ban a peer.

mod common;

use std::time::{Duration, Instant};

use common::{birth_network, NodeProcess};
use nansen_node::http::{BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

fn authority(node: &NodeProcess) -> String {
    node.addresses.api.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection or `limit` passes; what was
/// read, and whether it was closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let deadline = tokio::time::Instant::now() + limit;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// One request with `Connection: close`; the whole answer.
async fn request(node: &NodeProcess, head: &str) -> String {
    let mut stream = TcpStream::connect(authority(node)).await.expect("connect");
    let text = format!(
        "{head}\r\nHost: {}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        authority(node)
    );
    stream.write_all(text.as_bytes()).await.expect("send");
    let (answer, closed) = read_until_closed(&mut stream, Duration::from_secs(20)).await;
    assert!(closed, "no complete answer to {head:?}: {answer}");
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_uploads_and_stalled_headers_are_cut_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let network = birth_network(dir.path(), 1, 1);
    let node = NodeProcess::start(&dir.path().join("node"), &network.genesis, &[]);
    let started = Instant::now();
    let mut uploads = Vec::new();
    for _ in 0..300 {
        let mut stream = TcpStream::connect(authority(&node)).await.expect("connect");
        let head = format!(
            "POST /v1/entries HTTP/1.1\r\nHost: {}\r\nContent-Type: application/cbor-seq\r\nContent-Length: 100000\r\n\r\n",
            authority(&node)
        );
        stream.write_all(head.as_bytes()).await.expect("send head");
        stream.write_all(&[0x82; 10]).await.expect("send some body");
        uploads.push(stream);
    }
    let mut headers_only = TcpStream::connect(authority(&node)).await.expect("connect");
    headers_only
        .write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("send part of the head");

    let (_, closed) = read_until_closed(
        &mut headers_only,
        HEADER_READ_TIMEOUT + Duration::from_secs(5),
    )
    .await;
    assert!(
        closed,
        "a connection that never finishes its headers must be closed"
    );

    let limit = BODY_READ_TIMEOUT + Duration::from_secs(15);
    for (n, stream) in uploads.iter_mut().enumerate() {
        let left = limit.saturating_sub(started.elapsed());
        let (answer, closed) = read_until_closed(stream, left).await;
        assert!(
            closed,
            "upload {n} still open after {:?}",
            started.elapsed()
        );
        assert!(
            answer.starts_with("HTTP/1.1 408") && answer.contains("body_timeout"),
            "upload {n}: {answer}"
        );
    }
    assert!(
        started.elapsed() >= BODY_READ_TIMEOUT,
        "not cut before the timeout"
    );
    // The node still serves.
    assert!(request(&node, "GET /v1/health HTTP/1.1")
        .await
        .starts_with("HTTP/1.1 200"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claimed_terabyte_body_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let network = birth_network(dir.path(), 1, 1);
    let node = NodeProcess::start(&dir.path().join("node"), &network.genesis, &[]);
    let mut stream = TcpStream::connect(authority(&node)).await.expect("connect");
    let head = format!(
        "POST /v1/entries HTTP/1.1\r\nHost: {}\r\nContent-Type: application/cbor-seq\r\nContent-Length: 1000000000000\r\n\r\n",
        authority(&node)
    );
    let sent = Instant::now();
    stream.write_all(head.as_bytes()).await.expect("send head");
    let (answer, closed) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(
        answer.starts_with("HTTP/1.1 413") && answer.contains("body_too_large"),
        "{answer}"
    );
    assert!(closed, "the connection is closed after the refusal");
    assert!(sent.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_another_origin_cannot_ban_a_peer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let network = birth_network(dir.path(), 1, 1);
    let node = NodeProcess::start(&dir.path().join("node"), &network.genesis, &[]);
    let peer = libp2p::PeerId::random();
    let banned = |node: &NodeProcess| {
        let api = node.api.clone();
        async move {
            let peers: serde_json::Value = api.get_json("/v1/peers").await.expect("peers");
            peers["banned"]
                .as_array()
                .expect("banned list")
                .iter()
                .any(|b| b["peer_id"] == peer.to_string())
        }
    };

    for origin in ["http://evil.example", "null"] {
        let answer = request(
            &node,
            &format!("POST /v1/peers/{peer}/ban HTTP/1.1\r\nOrigin: {origin}"),
        )
        .await;
        assert!(
            answer.starts_with("HTTP/1.1 403") && answer.contains("cross_origin"),
            "{answer}"
        );
        assert!(!banned(&node).await, "a cross-origin POST banned the peer");
    }
    let answer = request(
        &node,
        &format!("POST /v1/peers/{peer}/ban HTTP/1.1\r\nSec-Fetch-Site: cross-site"),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(!banned(&node).await);

    // The operator's own request (no browser) still bans, and a page of
    // another origin cannot lift it either.
    let answer = request(&node, &format!("POST /v1/peers/{peer}/ban HTTP/1.1")).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(banned(&node).await);
    let answer = request(
        &node,
        &format!("DELETE /v1/peers/{peer}/ban HTTP/1.1\r\nOrigin: http://evil.example"),
    )
    .await;
    assert!(
        answer.starts_with("HTTP/1.1 403") && answer.contains("cross_origin"),
        "{answer}"
    );
    assert!(banned(&node).await, "a cross-origin DELETE lifted the ban");

    // A cross-origin submission is refused before its body is looked at.
    let answer = request(
        &node,
        "POST /v1/entries HTTP/1.1\r\nOrigin: http://evil.example\r\nContent-Type: text/plain",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
}
