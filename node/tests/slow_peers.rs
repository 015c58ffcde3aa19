//! A silent peer and a slow peer do not hold up sync with an honest one.
//!
//! Both speak the real protocol with the node's own network stack (libp2p,
//! Noise, Yamux, `/nansen/sync/1`, the `Hello` handshake for the right
//! network) and claim, in their `Heads` answers, to hold exactly what the
//! honest node holds. The silent one never answers a range request; the slow
//! one answers each after several seconds with a single entry. A fresh
//! `nansen-node` process that met both first (a catch-up with each under
//! way) must catch up from the honest node, which connects later, within a
//! bounded time, and again when the honest node receives a bulk import.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{attestations, birth_network, eventually, NodeProcess};
use ledger::fixtures::TestNetwork;
use nansen_node::api::split_cbor_sequence;
use nansen_node::client::ApiClient;
use nansen_node::{
    start, ChainHead, ErrorCode, NetworkConfig, NetworkEvent, NodeKey, SyncRequest, SyncResponse,
};
use serde_bytes::ByteBuf;

/// How long the fresh node may take to catch up each time.
const CATCH_UP_LIMIT: Duration = Duration::from_secs(15);
/// How long the slow peer waits before each answer.
const SLOW_ANSWER: Duration = Duration::from_secs(6);

#[derive(Clone, Copy, PartialEq)]
enum Conduct {
    /// Never answers a range request.
    Silent,
    /// Answers each range request late, with one entry.
    Slow,
}

/// The honest node's heads, as a peer would announce them.
async fn honest_heads(api: &ApiClient) -> Vec<ChainHead> {
    let chains: serde_json::Value = api.get_json("/v1/chains").await.unwrap_or_default();
    chains
        .as_array()
        .map(|chains| {
            chains
                .iter()
                .map(|c| {
                    let mut head = [0u8; 32];
                    if let Some(text) = c["head"].as_str() {
                        hex::decode_to_slice(text, &mut head).expect("hex head");
                    }
                    ChainHead {
                        author: c["author"].as_str().unwrap_or_default().to_owned(),
                        size: c["size"].as_u64().unwrap_or_default(),
                        head,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Starts a misbehaving peer on 127.0.0.1 that claims the honest node's
/// heads; returns its address and the count of range requests it got.
async fn misbehaving_peer(
    net: &TestNetwork,
    conduct: Conduct,
    honest: ApiClient,
) -> (String, Arc<AtomicUsize>) {
    let mut config = NetworkConfig::new(net.network.0);
    config.enable_mdns = false;
    config.listen_addrs = vec!["/ip4/127.0.0.1/tcp/0".parse().expect("address")];
    let key = NodeKey::generate();
    let peer_id = key.peer_id();
    let (handle, mut events, _task) = start(&key, config).expect("start");
    let address = loop {
        match events.recv().await {
            Some(NetworkEvent::Listening { address }) => break address,
            Some(_) => continue,
            None => panic!("service stopped"),
        }
    };
    let ranges = Arc::new(AtomicUsize::new(0));
    let counted = ranges.clone();
    tokio::spawn(async move {
        let _handle = handle;
        // Held, never answered: dropping a responder would send an error.
        let mut held = Vec::new();
        while let Some(event) = events.recv().await {
            let NetworkEvent::InboundRequest {
                request, responder, ..
            } = event
            else {
                continue;
            };
            match request {
                SyncRequest::Heads { .. } => {
                    let heads = honest_heads(&honest).await;
                    let _ = responder.respond(SyncResponse::Heads { heads }).await;
                }
                SyncRequest::Range {
                    author, from_seq, ..
                } => {
                    counted.fetch_add(1, Ordering::SeqCst);
                    match conduct {
                        Conduct::Silent => held.push(responder),
                        Conduct::Slow => {
                            let honest = honest.clone();
                            tokio::spawn(async move {
                                tokio::time::sleep(SLOW_ANSWER).await;
                                let path = format!("/v1/chains/{author}/entries/{from_seq}");
                                let response = match honest.get(&path).await {
                                    Ok(entry) => SyncResponse::Entries {
                                        entries: vec![ByteBuf::from(entry)],
                                    },
                                    Err(_) => {
                                        SyncResponse::error(ErrorCode::UnknownAuthor, "no entry")
                                    }
                                };
                                let _ = responder.respond(response).await;
                            });
                        }
                    }
                }
                SyncRequest::Hello { network_id } => {
                    let _ = responder.respond(SyncResponse::Hello { network_id }).await;
                }
            }
        }
    });
    (format!("{address}/p2p/{peer_id}"), ranges)
}

/// Waits until `node` holds what `honest` holds; returns how long it took.
async fn caught_up(node: &NodeProcess, honest: &NodeProcess, what: &str) -> Duration {
    let started = Instant::now();
    let target = honest.heads().await;
    loop {
        if node.heads().await == target {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < CATCH_UP_LIMIT,
            "{what}: not caught up within {CATCH_UP_LIMIT:?}: {:?} vs {:?}",
            node.heads().await,
            target
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_slow_peers_do_not_stall_sync_with_an_honest_one() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut birth = birth_network(dir.path(), 3, 2);
    let mut attest = |range| attestations(&mut birth.registrar, range, 10_000);
    let first_part = attest(0..3000);
    let second_part = attest(3000..5500);

    // The misbehaving peers claim the heads of `reference`, an isolated node
    // holding what the honest node will hold.
    let reference = NodeProcess::start(&dir.path().join("reference"), &birth.genesis, &[]);
    reference
        .submit(std::slice::from_ref(&birth.accreditation))
        .await;
    reference.submit(&first_part).await;
    let (silent, silent_ranges) =
        misbehaving_peer(&birth.net, Conduct::Silent, reference.api.clone()).await;
    let (slow, slow_ranges) =
        misbehaving_peer(&birth.net, Conduct::Slow, reference.api.clone()).await;

    // The fresh node meets the misbehaving peers first: a catch-up with
    // each is under way (the one met first on connect, the other by
    // anti-entropy) before the honest node appears.
    let fresh = NodeProcess::start(&dir.path().join("fresh"), &birth.genesis, &[silent, slow]);
    eventually(
        Duration::from_secs(15),
        "the fresh node to ask both misbehaving peers for a range",
        || async {
            silent_ranges.load(Ordering::SeqCst) > 0 && slow_ranges.load(Ordering::SeqCst) > 0
        },
    )
    .await;
    let honest = NodeProcess::start(
        &dir.path().join("honest"),
        &birth.genesis,
        &[fresh.address()],
    );
    honest.submit(&[birth.accreditation]).await;
    honest.submit(&first_part).await;
    let first = caught_up(&fresh, &honest, "initial catch-up").await;

    // A bulk import on the honest node is announced as heads only (more
    // than 2048 entries), so the fresh node must pull it while its
    // catch-ups with the misbehaving peers may still be hanging.
    reference.submit(&second_part).await;
    honest.submit(&second_part).await;
    let second = caught_up(&fresh, &honest, "catch-up after an import").await;

    // What the fresh node holds is exactly the honest node's.
    let mine =
        split_cbor_sequence(&fresh.api.get("/v1/export").await.expect("export")).expect("split");
    let theirs =
        split_cbor_sequence(&honest.api.get("/v1/export").await.expect("export")).expect("split");
    assert!(mine == theirs, "exports differ");
    eprintln!(
        "caught up in {first:?}, then {second:?}; range requests to the silent peer {}, to the slow one {}; {:?} in all",
        silent_ranges.load(Ordering::SeqCst),
        slow_ranges.load(Ordering::SeqCst),
        started.elapsed()
    );
}
