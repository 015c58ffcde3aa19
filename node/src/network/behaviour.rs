//! The libp2p behaviours a node runs, composed into one, and the swarm that
//! carries them over TCP and QUIC (Noise and Yamux on TCP).
//!
//! | behaviour | job |
//! | --- | --- |
//! | `blocked` | refuses connections to and from banned peers |
//! | `ip_limits` | caps incoming connections per remote IP address, pending and established |
//! | `limits` | caps connections overall, per peer and while pending (both ways) |
//! | `identify` | learns peers' listen addresses and protocols |
//! | `ping` | keeps liveness |
//! | `mdns` | finds peers on the local network (can be disabled) |
//! | `kademlia` | finds peers in the wide area from bootstrap peers |
//! | `gossipsub` | the network's topic: announcements and small pushes |
//! | `sync` | `/nansen/sync/1` request-response |

use std::time::Duration;

use libp2p::allow_block_list::{self, BlockedPeers};
use libp2p::connection_limits::{self, ConnectionLimits};
use libp2p::core::transport::timeout::TransportTimeoutError;
use libp2p::core::upgrade::Version;
use libp2p::core::Transport;
use libp2p::gossipsub::{
    self, MessageAuthenticity, PeerScoreParams, PeerScoreThresholds, TopicScoreParams,
    ValidationMode,
};
use libp2p::multiaddr::Protocol;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::behaviour::toggle::Toggle;
use libp2p::swarm::NetworkBehaviour;
use libp2p::{identify, kad, mdns, noise, ping, tcp, yamux};
use libp2p::{Multiaddr, PeerId, StreamProtocol, Swarm, SwarmBuilder};

use crate::identity::NodeKey;
use crate::network::config::{kademlia_protocol_name, NetworkConfig};
use crate::network::limits::{HandshakeTimeouts, IpLimits};
use crate::network::NetworkError;
use crate::sync::codec::{SyncCodec, SYNC_PROTOCOL};
use crate::sync::wire::MAX_GOSSIP_BYTES;

/// The identify protocol version nodes announce.
pub const IDENTIFY_PROTOCOL_VERSION: &str = "/nansen/1";

/// Room gossipsub needs around our payload (signature, key, topic, framing).
const GOSSIP_ENVELOPE_OVERHEAD: usize = 4 * 1024;

/// All behaviours of a node, composed.
#[derive(NetworkBehaviour)]
pub struct NodeBehaviour {
    /// Banned peers.
    pub blocked: allow_block_list::Behaviour<BlockedPeers>,
    /// Connection caps per remote IP address.
    pub ip_limits: IpLimits,
    /// Connection caps overall and per peer.
    pub limits: connection_limits::Behaviour,
    /// Peer information exchange.
    pub identify: identify::Behaviour,
    /// Liveness.
    pub ping: ping::Behaviour,
    /// Local-network discovery, when enabled.
    pub mdns: Toggle<mdns::tokio::Behaviour>,
    /// Wide-area discovery.
    pub kademlia: kad::Behaviour<kad::store::MemoryStore>,
    /// The network's gossip topic.
    pub gossipsub: gossipsub::Behaviour,
    /// The sync protocol.
    pub sync: request_response::Behaviour<SyncCodec>,
}

impl NodeBehaviour {
    /// Builds every behaviour from the node key and configuration, and
    /// subscribes to the network's topic.
    pub fn new(key: &NodeKey, config: &NetworkConfig) -> Result<Self, NetworkError> {
        let keypair = key.keypair();
        let peer_id = keypair.public().to_peer_id();

        let limits = ConnectionLimits::default()
            .with_max_established(Some(config.max_connections))
            .with_max_established_per_peer(Some(config.max_connections_per_peer))
            .with_max_pending_incoming(Some(config.max_pending_incoming))
            .with_max_pending_outgoing(Some(config.max_pending_outgoing));

        let identify = identify::Behaviour::new(
            identify::Config::new(IDENTIFY_PROTOCOL_VERSION.to_string(), keypair.public())
                .with_agent_version(format!("nansen-node/{}", env!("CARGO_PKG_VERSION"))),
        );

        let mdns = if config.enable_mdns {
            let behaviour = mdns::tokio::Behaviour::new(mdns::Config::default(), peer_id)
                .map_err(|e| NetworkError::Setup(format!("mDNS: {e}")))?;
            Some(behaviour)
        } else {
            None
        };

        let kad_protocol =
            StreamProtocol::try_from_owned(kademlia_protocol_name(&config.network_id))
                .map_err(|e| NetworkError::Setup(format!("Kademlia protocol name: {e}")))?;
        let mut kademlia = kad::Behaviour::with_config(
            peer_id,
            kad::store::MemoryStore::new(peer_id),
            kad::Config::new(kad_protocol),
        );
        // Camp and office nodes rarely learn a confirmed external address;
        // serve the DHT anyway so that small networks can find each other.
        kademlia.set_mode(Some(kad::Mode::Server));
        for address in &config.bootstrap_peers {
            let peer = peer_id_of(address).ok_or_else(|| NetworkError::BootstrapAddress {
                address: address.clone(),
            })?;
            kademlia.add_address(&peer, address.clone());
        }

        let gossipsub = gossip_behaviour(key, config)?;

        let sync = request_response::Behaviour::with_codec(
            SyncCodec::new(config.wire_limits),
            [(SYNC_PROTOCOL, ProtocolSupport::Full)],
            request_response::Config::default()
                .with_request_timeout(config.request_timeout)
                .with_max_concurrent_streams(64),
        );

        Ok(NodeBehaviour {
            blocked: allow_block_list::Behaviour::default(),
            ip_limits: IpLimits::new(
                config.max_pending_incoming_per_ip,
                config.max_established_incoming_per_ip,
            ),
            limits: connection_limits::Behaviour::new(limits),
            identify,
            ping: ping::Behaviour::default(),
            mdns: Toggle::from(mdns),
            kademlia,
            gossipsub,
            sync,
        })
    }
}

/// Gossipsub in strict mode (every message signed by its author), with
/// application validation and peer scoring on the network's topic.
fn gossip_behaviour(
    key: &NodeKey,
    config: &NetworkConfig,
) -> Result<gossipsub::Behaviour, NetworkError> {
    let gossip_config = gossipsub::ConfigBuilder::default()
        .validation_mode(ValidationMode::Strict)
        .validate_messages()
        .max_transmit_size(MAX_GOSSIP_BYTES + GOSSIP_ENVELOPE_OVERHEAD)
        .heartbeat_interval(Duration::from_secs(1))
        // A node publishes to its mesh peers (about 6), not to every peer it is connected to:
        // with flood publishing each entry left its author once per connection, so bytes per
        // node grew with the number of nodes (README, "Many nodes").
        .flood_publish(false)
        .build()
        .map_err(|e| NetworkError::Setup(format!("gossipsub config: {e}")))?;
    let mut gossipsub =
        gossipsub::Behaviour::new(MessageAuthenticity::Signed(key.keypair()), gossip_config)
            .map_err(|e| NetworkError::Setup(format!("gossipsub: {e}")))?;

    let topic = config.topic();
    // Gossipsub's default penalises every peer sharing an address with more
    // than 10 others (weight -5 per square of the excess): 14 peers behind one
    // address fall below the publish threshold and the node publishes to no
    // one. Tolerate as many as the connection limit admits from one address.
    let mut score_params = PeerScoreParams {
        ip_colocation_factor_threshold: f64::from(config.max_established_incoming_per_ip.max(1)),
        ..PeerScoreParams::default()
    };
    score_params
        .topics
        .insert(topic.hash(), topic_score_params());
    gossipsub
        .with_peer_score(score_params, PeerScoreThresholds::default())
        .map_err(|e| NetworkError::Setup(format!("gossipsub scoring: {e}")))?;
    gossipsub
        .subscribe(&topic)
        .map_err(|e| NetworkError::Setup(format!("gossipsub subscribe: {e}")))?;
    Ok(gossipsub)
}

/// Scoring of the network topic. Traffic is sparse (announcements of new
/// entries), so delivery-rate penalties (P3, P3b) are off; what counts is
/// time in the mesh (P1), first deliveries (P2) and, above all, messages the
/// application rejected (P4): one rejection drops a peer below the gossip
/// threshold, two below the graylist threshold.
fn topic_score_params() -> TopicScoreParams {
    TopicScoreParams {
        topic_weight: 1.0,
        time_in_mesh_weight: 0.01,
        time_in_mesh_quantum: Duration::from_secs(1),
        time_in_mesh_cap: 600.0,
        first_message_deliveries_weight: 1.0,
        first_message_deliveries_decay: 0.9,
        first_message_deliveries_cap: 10.0,
        mesh_message_deliveries_weight: 0.0,
        mesh_failure_penalty_weight: 0.0,
        invalid_message_deliveries_weight: -20.0,
        invalid_message_deliveries_decay: 0.5,
        ..TopicScoreParams::default()
    }
}

/// The peer id at the end of a `/p2p/<peer id>` address.
pub fn peer_id_of(address: &Multiaddr) -> Option<PeerId> {
    match address.iter().last() {
        Some(Protocol::P2p(peer)) => Some(peer),
        _ => None,
    }
}

/// How much longer than the handshake timeout libp2p's own connection
/// timeout (around every transport) waits; it only backs ours up.
const BACKSTOP_MARGIN: Duration = Duration::from_secs(5);

/// Builds the swarm: TCP (counted into `config.traffic`, then Noise and
/// Yamux) and QUIC transports on tokio, the
/// composed behaviour, the handshake timeout, and the configured
/// idle-connection timeout (libp2p closes idle connections after 10 s
/// otherwise). Returns the swarm and the count of TCP handshakes that ran
/// out of time, which the event loop reports.
pub fn build_swarm(
    key: &NodeKey,
    config: &NetworkConfig,
) -> Result<(Swarm<NodeBehaviour>, HandshakeTimeouts), NetworkError> {
    let behaviour = NodeBehaviour::new(key, config)?;
    let idle = config.idle_connection_timeout;
    let handshake = config.handshake_timeout;
    let timeouts = HandshakeTimeouts::default();
    let counter = timeouts.clone();
    let noise = noise::Config::new(&key.keypair())
        .map_err(|e| NetworkError::Setup(format!("Noise: {e}")))?;
    // The whole way from TCP connect (or accept) to a Yamux session, under
    // one deadline: a peer that opens a connection and goes quiet halfway
    // through multistream-select or Noise holds a pending slot this long.
    // Counted below Noise and Yamux: what goes on the wire.
    let traffic = config.traffic.clone();
    let tcp = tcp::tokio::Transport::new(tcp::Config::default().nodelay(true))
        .map(move |stream, _| traffic.count(stream))
        .upgrade(Version::V1Lazy)
        .authenticate(noise)
        .multiplex(yamux::Config::default())
        .timeout(handshake)
        .map_err(move |e| {
            if matches!(e, TransportTimeoutError::Timeout) {
                counter.add();
            }
            e
        });
    let builder = SwarmBuilder::with_existing_identity(key.keypair())
        .with_tokio()
        .with_quic_config(|mut quic| {
            quic.handshake_timeout = handshake;
            quic
        })
        .with_other_transport(|_| tcp);
    let Ok(builder) = builder;
    let Ok(builder) = builder.with_behaviour(|_| behaviour);
    let swarm = builder
        .with_swarm_config(|c| c.with_idle_connection_timeout(idle))
        .with_connection_timeout(handshake.saturating_add(BACKSTOP_MARGIN))
        .build();
    Ok((swarm, timeouts))
}
