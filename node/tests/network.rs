//! Real swarms on loopback: two or three network services in one process,
//! talking over TCP or QUIC on 127.0.0.1.

use std::time::Duration;

use libp2p::{Multiaddr, PeerId};
use nansen_node::network::{BanReason, RequestFailure};
use nansen_node::sync::wire::MessageKind;
use nansen_node::{
    start, ChainHead, ErrorCode, Gossip, GossipVerdict, NetworkConfig, NetworkError, NetworkEvent,
    NetworkHandle, NetworkId, NodeKey, SyncRequest, SyncResponse, WireError,
};
use serde_bytes::ByteBuf;
use tokio::sync::mpsc;
use tokio::time::{sleep, timeout, Instant};

const NET: NetworkId = [0x11; 32];
const OTHER_NET: NetworkId = [0x22; 32];
const WAIT: Duration = Duration::from_secs(20);

#[derive(Clone, Copy, PartialEq)]
enum Transport {
    Tcp,
    Quic,
}

fn config(network_id: NetworkId, transport: Transport) -> NetworkConfig {
    let mut config = NetworkConfig::new(network_id);
    config.enable_mdns = false;
    let listen = match transport {
        Transport::Tcp => "/ip4/127.0.0.1/tcp/0",
        Transport::Quic => "/ip4/127.0.0.1/udp/0/quic-v1",
    };
    config.listen_addrs = vec![listen.parse().expect("address")];
    config.ban_duration = Duration::from_secs(60);
    config
}

/// A running service, with the events the test did not consume yet.
struct Node {
    handle: NetworkHandle,
    events: mpsc::Receiver<NetworkEvent>,
    address: Multiaddr,
}

impl Node {
    async fn start(seed: u8, config: NetworkConfig) -> Node {
        let key = NodeKey::from_seed(&[seed; 32]).expect("seed");
        let (handle, mut events, _task) = start(&key, config).expect("start");
        let address = timeout(WAIT, async {
            loop {
                match events.recv().await {
                    Some(NetworkEvent::Listening { address }) => return address,
                    Some(_) => continue,
                    None => panic!("service stopped"),
                }
            }
        })
        .await
        .expect("listening in time");
        Node {
            handle,
            events,
            address,
        }
    }

    fn peer(&self) -> PeerId {
        self.handle.local_peer_id()
    }

    /// Waits for the first event `pick` accepts, discarding others.
    async fn wait_for<T>(&mut self, pick: impl FnMut(NetworkEvent) -> Option<T>) -> T {
        self.wait_within(WAIT, pick).await.expect("event in time")
    }

    /// Waits at most `limit` for the first event `pick` accepts, discarding others.
    async fn wait_within<T>(
        &mut self,
        limit: Duration,
        mut pick: impl FnMut(NetworkEvent) -> Option<T>,
    ) -> Option<T> {
        timeout(limit, async {
            loop {
                let event = self.events.recv().await.expect("service running");
                if let Some(found) = pick(event) {
                    return found;
                }
            }
        })
        .await
        .ok()
    }

    /// Hands the events over to a task that answers sync requests from
    /// `chain` (one author, entries in sequence order) and forwards every
    /// other event to the returned receiver.
    fn serve(self, chain: Vec<ByteBuf>) -> (NetworkHandle, mpsc::UnboundedReceiver<NetworkEvent>) {
        let Node {
            handle, mut events, ..
        } = self;
        let (forward, rest) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                match event {
                    NetworkEvent::InboundRequest {
                        request, responder, ..
                    } => {
                        let response = answer(&chain, request);
                        let _ = responder.respond(response).await;
                    }
                    other => {
                        let _ = forward.send(other);
                    }
                }
            }
        });
        (handle, rest)
    }
}

fn answer(chain: &[ByteBuf], request: SyncRequest) -> SyncResponse {
    match request {
        SyncRequest::Heads { .. } => SyncResponse::Heads {
            heads: vec![head_of(chain)],
        },
        SyncRequest::Range {
            author,
            from_seq,
            max_entries,
            ..
        } if author == AUTHOR => SyncResponse::Entries {
            entries: chain
                .iter()
                .skip(from_seq as usize)
                .take(max_entries as usize)
                .cloned()
                .collect(),
        },
        SyncRequest::Range { .. } => SyncResponse::error(ErrorCode::UnknownAuthor, "no such chain"),
        SyncRequest::Hello { network_id } => SyncResponse::Hello { network_id },
    }
}

const AUTHOR: &str = "registrar-7";

fn head_of(chain: &[ByteBuf]) -> ChainHead {
    ChainHead {
        author: AUTHOR.into(),
        size: chain.len() as u64,
        head: [0xee; 32],
    }
}

/// Stand-ins for signed entries: arbitrary bytes that must come back intact.
fn sample_chain() -> Vec<ByteBuf> {
    (0..5u8)
        .map(|i| ByteBuf::from(vec![0xa4, i, 0x00, 0xff, i.wrapping_mul(31)]))
        .collect()
}

async fn connect(from: &mut Node, to: &Node) {
    let target = to.address.clone();
    let reached = from.handle.dial(target).await.expect("dial");
    assert_eq!(reached, to.peer());
    let expected = to.peer();
    from.wait_for(|e| match e {
        NetworkEvent::PeerConnected { peer } if peer == expected => Some(()),
        _ => None,
    })
    .await;
}

async fn heads_and_range_round_trip(transport: Transport) {
    let mut a = Node::start(1, config(NET, transport)).await;
    let b = Node::start(2, config(NET, transport)).await;
    connect(&mut a, &b).await;
    let chain = sample_chain();
    let b_peer = b.peer();
    let (_b, _b_events) = b.serve(chain.clone());

    let heads = a
        .handle
        .request(b_peer, SyncRequest::Heads { network_id: NET })
        .await
        .expect("heads");
    assert_eq!(
        heads,
        SyncResponse::Heads {
            heads: vec![head_of(&chain)]
        }
    );

    let range = SyncRequest::Range {
        network_id: NET,
        author: AUTHOR.into(),
        from_seq: 1,
        max_entries: 3,
        max_bytes: 1 << 20,
    };
    let entries = a.handle.request(b_peer, range).await.expect("range");
    assert_eq!(
        entries,
        SyncResponse::Entries {
            entries: chain[1..4].to_vec()
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heads_and_range_requests_round_trip_over_tcp() {
    heads_and_range_round_trip(Transport::Tcp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heads_and_range_requests_round_trip_over_quic() {
    heads_and_range_round_trip(Transport::Quic).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_gossip_arrives_at_the_other_node() {
    let mut a = Node::start(3, config(NET, Transport::Tcp)).await;
    let mut b = Node::start(4, config(NET, Transport::Tcp)).await;
    connect(&mut a, &b).await;
    let a_peer = a.peer();
    let (_a, _a_events) = a.serve(Vec::new());

    let note = "nansen.example/registrar-7\n5\nq83vEjRWeJA=\n".to_string();
    let gossip = Gossip::Checkpoint { note };
    // The mesh needs a moment: publishing fails until B's subscription is
    // known to A.
    let deadline = Instant::now() + WAIT;
    loop {
        match _a.publish(gossip.clone()).await {
            Ok(_) => break,
            Err(NetworkError::NoPeersSubscribed) if Instant::now() < deadline => {
                sleep(Duration::from_millis(100)).await
            }
            Err(e) => panic!("publish failed: {e}"),
        }
    }
    let (source, author, message_id, received) = b
        .wait_for(|e| match e {
            NetworkEvent::Gossip {
                source,
                author,
                message_id,
                gossip,
            } => Some((source, author, message_id, gossip)),
            _ => None,
        })
        .await;
    assert_eq!(source, a_peer);
    assert_eq!(author, Some(a_peer));
    assert_eq!(received, gossip);
    b.handle
        .report_gossip(message_id, source, GossipVerdict::Accept)
        .await
        .expect("report");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_response_is_refused_with_a_named_error() {
    let mut a = Node::start(5, config(NET, Transport::Tcp)).await;
    // B may write up to 16 MiB; A reads at most the protocol's 8 MiB.
    let mut b_config = config(NET, Transport::Tcp);
    b_config.wire_limits.max_response_bytes = 16 * 1024 * 1024;
    let b = Node::start(6, b_config).await;
    connect(&mut a, &b).await;
    let b_peer = b.peer();
    let huge = vec![ByteBuf::from(vec![0x5a; 9 * 1024 * 1024])];
    let (_b, _b_events) = b.serve(huge);

    let range = SyncRequest::Range {
        network_id: NET,
        author: AUTHOR.into(),
        from_seq: 0,
        max_entries: 1,
        max_bytes: 1024,
    };
    let error = a.handle.request(b_peer, range).await.expect_err("refused");
    match error {
        NetworkError::Wire(WireError::FrameTooLarge { kind, len, max }) => {
            assert_eq!(kind, MessageKind::Response);
            assert!(len > 9 * 1024 * 1024);
            assert_eq!(max, 8 * 1024 * 1024);
        }
        other => panic!("unexpected error {other:?}"),
    }
    let reason = a
        .wait_for(|e| match e {
            NetworkEvent::PeerBanned { peer, reason } if peer == b_peer => Some(reason),
            _ => None,
        })
        .await;
    assert!(matches!(reason, BanReason::Undecodable(_)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_network_hello_makes_the_responder_disconnect_the_requester() {
    let mut responder_config = config(NET, Transport::Tcp);
    responder_config.hello_on_connect = false;
    let mut responder = Node::start(7, responder_config).await;
    let mut requester_config = config(OTHER_NET, Transport::Tcp);
    requester_config.hello_on_connect = false;
    let requester = Node::start(8, requester_config).await;
    let requester_peer = requester.peer();
    let responder_peer = responder.peer();
    let (requester, _requester_events) = requester.serve(Vec::new());

    requester
        .dial(responder.address.clone())
        .await
        .expect("dial");
    let answer = requester
        .request(
            responder_peer,
            SyncRequest::Hello {
                network_id: OTHER_NET,
            },
        )
        .await;
    match answer {
        Ok(SyncResponse::Error { code, .. }) => assert_eq!(code, ErrorCode::WrongNetwork),
        // The ban may close the connection before the answer is read.
        Err(NetworkError::Request(RequestFailure::ConnectionClosed)) => {}
        other => panic!("unexpected answer {other:?}"),
    }
    let reason = responder
        .wait_for(|e| match e {
            NetworkEvent::PeerBanned { peer, reason } if peer == requester_peer => Some(reason),
            _ => None,
        })
        .await;
    assert_eq!(reason, BanReason::WrongNetwork);

    // Disconnected, and a new connection is refused while the ban lasts.
    assert_eventually_disconnected(&responder.handle, requester_peer).await;
    let _ = requester.dial(responder.address.clone()).await;
    sleep(Duration::from_millis(500)).await;
    assert_eventually_disconnected(&responder.handle, requester_peer).await;
    assert!(matches!(
        responder
            .handle
            .dial(requester_address(&requester).await)
            .await,
        Err(NetworkError::Banned(_)) | Err(NetworkError::Dial(_))
    ));
}

async fn requester_address(handle: &NetworkHandle) -> Multiaddr {
    let mut address = handle
        .listen_addrs()
        .await
        .expect("addresses")
        .into_iter()
        .next()
        .expect("one address");
    address.push(libp2p::multiaddr::Protocol::P2p(handle.local_peer_id()));
    address
}

async fn assert_eventually_disconnected(handle: &NetworkHandle, peer: PeerId) {
    let deadline = Instant::now() + WAIT;
    loop {
        let connected = handle.connected_peers().await.expect("peers");
        if !connected.contains(&peer) {
            return;
        }
        assert!(Instant::now() < deadline, "peer still connected");
        sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_of_different_networks_ban_each_other_on_connect() {
    let mut a = Node::start(9, config(NET, Transport::Tcp)).await;
    let mut b = Node::start(10, config(OTHER_NET, Transport::Tcp)).await;
    let (a_peer, b_peer) = (a.peer(), b.peer());
    let _ = a.handle.dial(b.address.clone()).await;
    // The two Hellos race: the side that reads the other's first bans it and closes the
    // connection, and the other side may see only the connection go (it emits nothing for a
    // peer that never completed a Hello) or may ban too. Neither ever reports it connected,
    // at least one bans it as WrongNetwork, and both end disconnected.
    let banned = |me: PeerId| {
        move |e: NetworkEvent| match e {
            NetworkEvent::PeerConnected { .. } => panic!("other network reported connected"),
            NetworkEvent::PeerBanned { peer, reason } if peer == me => Some(reason),
            _ => None,
        }
    };
    let on_a = a.wait_within(WAIT, banned(b_peer)).await;
    let on_b = b.wait_within(Duration::from_secs(2), banned(a_peer)).await;
    assert!(
        on_a.is_some() || on_b.is_some(),
        "neither side banned the other network"
    );
    for reason in [on_a, on_b].into_iter().flatten() {
        assert_eq!(reason, BanReason::WrongNetwork);
    }
    assert_eventually_disconnected(&b.handle, a_peer).await;
    assert_eventually_disconnected(&a.handle, b_peer).await;
}

#[path = "common/raw_codec.rs"]
mod raw_codec;

/// A peer speaking `/nansen/sync/1` with raw bytes, to send what an honest
/// node never would.
mod raw_peer {
    use libp2p::futures::StreamExt;
    use libp2p::request_response::{self, ProtocolSupport};
    use libp2p::swarm::SwarmEvent;
    use libp2p::{noise, tcp, yamux, Multiaddr, PeerId, StreamProtocol, SwarmBuilder};
    use tokio::sync::mpsc;

    pub use crate::raw_codec::RawCodec;

    /// What the raw peer saw.
    #[derive(Debug)]
    pub enum Seen {
        Connected,
        Disconnected,
    }

    /// Dials `target`, sends `bytes` as a sync request once connected, and
    /// reports connection changes.
    pub fn send_raw(target: Multiaddr, bytes: Vec<u8>) -> (PeerId, mpsc::UnboundedReceiver<Seen>) {
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
                    request_response::Config::default(),
                )
            })
            .expect("behaviour")
            .build();
        let me = *swarm.local_peer_id();
        let (seen, report) = mpsc::unbounded_channel();
        // As every dial of a node: libp2p's `Swarm::dial` is reached only through `Dial`.
        nansen_node::network::dial::Dial::address(target)
            .start(&mut swarm)
            .expect("dial");
        tokio::spawn(async move {
            let mut payload = Some(bytes);
            while let Some(event) = swarm.next().await {
                match event {
                    SwarmEvent::ConnectionEstablished { peer_id, .. } => {
                        if let Some(bytes) = payload.take() {
                            swarm.behaviour_mut().send_request(&peer_id, bytes);
                        }
                        let _ = seen.send(Seen::Connected);
                    }
                    SwarmEvent::ConnectionClosed { .. } => {
                        let _ = seen.send(Seen::Disconnected);
                    }
                    _ => {}
                }
            }
        });
        (me, report)
    }
}

async fn raw_request_gets_the_sender_banned(frame: Vec<u8>) -> BanReason {
    let mut node = Node::start(11, config(NET, Transport::Tcp)).await;
    let (raw, mut seen) = raw_peer::send_raw(node.address.clone(), frame);
    let reason = node
        .wait_for(|e| match e {
            NetworkEvent::PeerBanned { peer, reason } if peer == raw => Some(reason),
            _ => None,
        })
        .await;
    timeout(WAIT, async {
        while let Some(event) = seen.recv().await {
            if matches!(event, raw_peer::Seen::Disconnected) {
                return;
            }
        }
    })
    .await
    .expect("raw peer disconnected in time");
    assert_eventually_disconnected(&node.handle, raw).await;
    reason
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undecodable_request_gets_the_sender_banned() {
    let mut frame = 3u32.to_be_bytes().to_vec();
    frame.extend_from_slice(&[0xff, 0x00, 0x13]);
    let reason = raw_request_gets_the_sender_banned(frame).await;
    assert!(
        matches!(
            reason,
            BanReason::Undecodable(WireError::Malformed {
                kind: MessageKind::Request,
                ..
            })
        ),
        "{reason:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_request_frame_gets_the_sender_banned() {
    let mut frame = (64 * 1024 + 1u32).to_be_bytes().to_vec();
    frame.extend_from_slice(&[0u8; 64]);
    let reason = raw_request_gets_the_sender_banned(frame).await;
    assert!(
        matches!(
            reason,
            BanReason::Undecodable(WireError::FrameTooLarge {
                kind: MessageKind::Request,
                len: 65537,
                ..
            })
        ),
        "{reason:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incoming_connections_over_the_per_address_limit_are_refused() {
    let mut limited = config(NET, Transport::Tcp);
    limited.max_established_incoming_per_ip = 1;
    let a = Node::start(40, limited).await;
    let mut b = Node::start(41, config(NET, Transport::Tcp)).await;
    let c = Node::start(42, config(NET, Transport::Tcp)).await;
    connect(&mut b, &a).await;
    // C comes from the same address (127.0.0.1): its handshake completes,
    // then A closes the connection; C keeps redialling and is refused.
    let _ = c.handle.dial(a.address.clone()).await;
    sleep(Duration::from_secs(2)).await;
    let peers = a.handle.connected_peers().await.expect("peers");
    assert_eq!(peers, vec![b.peer()], "A holds one connection per address");
    assert!(!c
        .handle
        .connected_peers()
        .await
        .expect("peers")
        .contains(&a.peer()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bootstrap_peer_that_was_down_is_redialled_when_it_comes_back() {
    // B's address is learnt, then B stops.
    let b = Node::start(43, config(NET, Transport::Tcp)).await;
    let b_peer = b.peer();
    let b_listen = b.address.clone();
    b.handle.shutdown().await.expect("shutdown");
    drop(b);
    sleep(Duration::from_millis(300)).await;

    // A starts with B as its bootstrap peer; the first dial fails.
    let mut bootstrapping = config(NET, Transport::Tcp);
    bootstrapping.bootstrap_peers = vec![b_listen
        .clone()
        .with(libp2p::multiaddr::Protocol::P2p(b_peer))];
    let mut a = Node::start(44, bootstrapping).await;
    sleep(Duration::from_secs(2)).await;
    assert!(!a
        .handle
        .connected_peers()
        .await
        .expect("peers")
        .contains(&b_peer));

    // B comes back at the same address; A dials it again on its own.
    let mut back = config(NET, Transport::Tcp);
    back.listen_addrs = vec![b_listen];
    let _b = Node::start(43, back).await;
    let connected = a
        .wait_within(Duration::from_secs(20), |e| match e {
            NetworkEvent::PeerConnected { peer } if peer == b_peer => Some(()),
            _ => None,
        })
        .await;
    assert!(connected.is_some(), "A did not redial B");
}
