//! A hostile client on the real protocol against a real `nansen-node`
//! process: garbage, oversized and truncated frames, a wrong-network
//! hello, a request flood, and bad HTTP input. The node stays up, its API
//! answers, and its heads do not change.

mod common;
#[path = "common/raw_codec.rs"]
mod raw_codec;

use std::time::Duration;

use common::{attestations, birth_network, NodeProcess};
use ledger::fixtures::T0_MS;
use ledger::types::EventKind;
use libp2p::futures::StreamExt;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::SwarmEvent;
use libp2p::{noise, tcp, yamux, Multiaddr, StreamProtocol, SwarmBuilder};
use nansen_node::SyncRequest;
use raw_codec::RawCodec;

/// Dials `target` with a fresh identity, sends each payload as a request,
/// and returns how many responses came back before the connection closed
/// or `limit` passed.
async fn attack(target: Multiaddr, payloads: Vec<Vec<u8>>, limit: Duration) -> usize {
    let mut swarm = SwarmBuilder::with_new_identity()
        .with_tokio()
        .with_tcp(
            tcp::Config::default(),
            noise::Config::new,
            yamux::Config::default,
        )
        .expect("tcp")
        .with_behaviour(|_| {
            request_response::Behaviour::with_codec(
                RawCodec,
                [(StreamProtocol::new("/nansen/sync/1"), ProtocolSupport::Full)],
                request_response::Config::default().with_max_concurrent_streams(1000),
            )
        })
        .expect("behaviour")
        .build();
    // As every dial of a node: libp2p's `Swarm::dial` is reached only through `Dial`.
    nansen_node::network::dial::Dial::address(target)
        .start(&mut swarm)
        .expect("dial");
    let mut payloads = Some(payloads);
    let mut responses = 0;
    let _ = tokio::time::timeout(limit, async {
        while let Some(event) = swarm.next().await {
            match event {
                SwarmEvent::ConnectionEstablished { peer_id, .. } => {
                    for bytes in payloads.take().unwrap_or_default() {
                        swarm.behaviour_mut().send_request(&peer_id, bytes);
                    }
                }
                SwarmEvent::Behaviour(request_response::Event::Message {
                    message: request_response::Message::Response { .. },
                    ..
                }) => responses += 1,
                SwarmEvent::ConnectionClosed { .. } => return,
                _ => {}
            }
        }
    })
    .await;
    responses
}

fn frame(payload: &[u8]) -> Vec<u8> {
    let mut bytes = (payload.len() as u32).to_be_bytes().to_vec();
    bytes.extend_from_slice(payload);
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_peer_cannot_crash_the_node_or_change_its_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut birth = birth_network(dir.path(), 1, 1);
    let mut node = NodeProcess::start(&dir.path().join("node"), &birth.genesis, &[]);
    let mut entries = vec![birth.accreditation];
    entries.extend(attestations(&mut birth.registrar, 0..20, 100));
    node.submit(&entries).await;
    let before = node.heads().await;
    let target: Multiaddr = node.address().parse().expect("address");
    let network_id = birth.net.network.0;

    // Garbage, an oversized frame, a truncated frame, a non-canonical frame.
    attack(
        target.clone(),
        vec![frame(&[0xff, 0x00, 0x13])],
        Duration::from_secs(5),
    )
    .await;
    let mut oversized = (64 * 1024 + 1u32).to_be_bytes().to_vec();
    oversized.extend_from_slice(&[0u8; 1024]);
    attack(target.clone(), vec![oversized], Duration::from_secs(5)).await;
    let mut huge = u32::MAX.to_be_bytes().to_vec();
    huge.extend_from_slice(&[0xa1; 64]);
    attack(target.clone(), vec![huge], Duration::from_secs(5)).await;
    let mut truncated = 60_000u32.to_be_bytes().to_vec();
    truncated.extend_from_slice(&[0xa1; 10]);
    attack(target.clone(), vec![truncated], Duration::from_secs(5)).await;

    // A hello naming another network.
    let wrong = SyncRequest::Hello {
        network_id: [0x22; 32],
    }
    .encode()
    .expect("hello");
    attack(target.clone(), vec![frame(&wrong)], Duration::from_secs(5)).await;

    // A flood of valid requests: answered until the rate limit, then cut off.
    let heads = frame(&SyncRequest::Heads { network_id }.encode().expect("heads"));
    let flood = vec![heads; 2000];
    let answered = attack(target.clone(), flood, Duration::from_secs(20)).await;
    assert!(answered < 2000, "every flooded request was answered");

    // A range request for a huge span, with a valid network id, is bounded.
    let range = SyncRequest::Range {
        network_id,
        author: "registrar-1".into(),
        from_seq: 0,
        max_entries: u32::MAX,
        max_bytes: u32::MAX,
    };
    assert_eq!(
        attack(
            target.clone(),
            vec![frame(&range.encode().expect("range"))],
            Duration::from_secs(5)
        )
        .await,
        1
    );

    // Bad HTTP input: 4xx with a JSON code, never 5xx.
    let api = &node.api;
    for (method, path, body) in [
        (hyper::Method::POST, "/v1/entries", vec![0xff, 0xff, 0x00]),
        (
            hyper::Method::POST,
            "/v1/entries",
            vec![0u8; 17 * 1024 * 1024],
        ),
        (hyper::Method::POST, "/v1/entries", Vec::new()),
        (
            hyper::Method::GET,
            "/v1/chains/NOT%20AN%20AUTHOR/entries/0",
            Vec::new(),
        ),
        (
            hyper::Method::GET,
            "/v1/chains/registrar-1/entries/99999999999999999999999",
            Vec::new(),
        ),
        (
            hyper::Method::GET,
            "/v1/chains/registrar-1/proof/inclusion?seq=5&size=2",
            Vec::new(),
        ),
        (
            hyper::Method::GET,
            "/v1/chains/registrar-1/proof/consistency?old=0&new=x",
            Vec::new(),
        ),
        (hyper::Method::GET, "/v1/credentials/zz/status", Vec::new()),
        (
            hyper::Method::GET,
            "/v1/chains/%FF%FE/checkpoint",
            Vec::new(),
        ),
        (
            hyper::Method::GET,
            "/v1/chains/registrar-1/proof/inclusion?seq=%FF",
            Vec::new(),
        ),
        (hyper::Method::DELETE, "/v1/chains", Vec::new()),
    ] {
        let (status, body) = api
            .call(method.clone(), path, Some("application/cbor"), body)
            .await
            .expect("API answers");
        assert!(status.is_client_error(), "{method} {path}: {status}");
        let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON error body");
        assert!(json["code"].is_string(), "{method} {path}: {json}");
    }

    // The node is up, answers, and holds exactly what it held.
    assert!(
        node.child.try_wait().expect("wait").is_none(),
        "node exited"
    );
    let health: serde_json::Value = node.api.get_json("/v1/health").await.expect("health");
    assert_eq!(health["status"], "ok");
    assert_eq!(node.heads().await, before);
    let metrics =
        String::from_utf8(node.api.get("/metrics").await.expect("metrics")).expect("utf8");
    assert!(metrics.contains("nansen_chain_entries{author=\"registrar-1\"} 20"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_entries_gossiped_by_a_peer_are_rejected_and_counted() {
    use nansen_node::{start, Gossip, NetworkConfig, NetworkError, NetworkEvent, NodeKey};
    use serde_bytes::ByteBuf;

    let dir = tempfile::tempdir().expect("tempdir");
    let mut birth = birth_network(dir.path(), 1, 1);
    let node = NodeProcess::start(&dir.path().join("node"), &birth.genesis, &[]);
    node.submit(&[birth.accreditation]).await;
    let before = node.heads().await;

    // A peer of the right network, speaking the real protocol.
    let mut config = NetworkConfig::new(birth.net.network.0);
    config.enable_mdns = false;
    config.listen_addrs = vec!["/ip4/127.0.0.1/tcp/0".parse().expect("address")];
    let (handle, mut events, _task) = start(&NodeKey::generate(), config).expect("start");
    handle
        .dial(node.address().parse().expect("address"))
        .await
        .expect("dial");
    tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(event) = events.recv().await {
            if let NetworkEvent::PeerConnected { .. } = event {
                return;
            }
        }
    })
    .await
    .expect("connected");
    tokio::spawn(async move { while events.recv().await.is_some() {} });

    // Validly shaped entries whose signatures were tampered with.
    let mut forged = |n: u64| {
        let mut bytes = birth
            .registrar
            .attest(n, EventKind::Birth, "JO", T0_MS + 100 + n)
            .expect("attest")
            .into_bytes();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        ByteBuf::from(bytes)
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let mut published = 0;
    let mut n = 0;
    while published < 3 {
        n += 1;
        match handle
            .publish(Gossip::Entries {
                entries: vec![forged(n)],
            })
            .await
        {
            Ok(_) => published += 1,
            Err(NetworkError::NoPeersSubscribed) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Err(e) => panic!("publish: {e}"),
        }
    }
    common::eventually(
        Duration::from_secs(20),
        "the forged entry to be refused",
        || async {
            let metrics =
                String::from_utf8(node.api.get("/metrics").await.expect("metrics")).expect("utf8");
            metrics.contains("nansen_rejections_total{code=\"bad_signature\"}")
        },
    )
    .await;
    assert_eq!(node.heads().await, before);
    assert!(node.api.get("/v1/health").await.is_ok());
}
