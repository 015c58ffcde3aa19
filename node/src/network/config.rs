//! What a node's networking is told at start: its network, where to listen,
//! whom to reach first, and the limits it holds peers to.

use std::time::Duration;

use libp2p::gossipsub::IdentTopic;
use libp2p::Multiaddr;

use crate::network::traffic::TrafficCounters;
use crate::sync::codec::WireLimits;
use crate::sync::wire::NetworkId;

/// A per-peer token bucket: `burst` messages at once, refilled at
/// `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Bucket capacity: how many messages a quiet peer may send at once.
    pub burst: u32,
    /// Refill rate, in messages per second.
    pub per_second: f64,
    /// Over-limit messages tolerated before the peer is banned. The count
    /// resets when the peer's bucket is full again.
    pub max_strikes: u32,
}

/// Everything the network service needs besides the node key.
#[derive(Debug, Clone)]
pub struct NetworkConfig {
    /// The network's id (genesis hash). Peers on another network are banned.
    pub network_id: NetworkId,
    /// Addresses to listen on, e.g. `/ip4/0.0.0.0/tcp/4100` and
    /// `/ip4/0.0.0.0/udp/4100/quic-v1`.
    pub listen_addrs: Vec<Multiaddr>,
    /// Peers dialled at start and seeded into Kademlia; each address must end
    /// in `/p2p/<peer id>`.
    pub bootstrap_peers: Vec<Multiaddr>,
    /// Discover peers on the local network with mDNS.
    pub enable_mdns: bool,
    /// Send a `Hello` on every new peer connection and report the peer as
    /// connected only once it answered with our network id.
    pub hello_on_connect: bool,
    /// How long a connection with no open stream stays up.
    pub idle_connection_timeout: Duration,
    /// How long a new TCP connection may take, from the TCP handshake to an
    /// established Noise and Yamux session (either way), before it is
    /// dropped; QUIC's handshake is bounded by the same time.
    pub handshake_timeout: Duration,
    /// How long a sync request may take, both ways.
    pub request_timeout: Duration,
    /// Frame bounds of the sync codec.
    pub wire_limits: WireLimits,
    /// Inbound sync requests a peer may send.
    pub request_rate: RateLimit,
    /// Gossip messages a peer may forward to us.
    pub gossip_rate: RateLimit,
    /// How long a misbehaving peer stays banned.
    pub ban_duration: Duration,
    /// Accumulated application score at or below which a peer is banned.
    pub ban_score: f64,
    /// Most established connections overall.
    pub max_connections: u32,
    /// Most established connections with one peer.
    pub max_connections_per_peer: u32,
    /// Most connections being set up from outside at once.
    pub max_pending_incoming: u32,
    /// Most connections being set up from outside at once from one IP
    /// address.
    pub max_pending_incoming_per_ip: u32,
    /// Most established connections from outside with one IP address.
    pub max_established_incoming_per_ip: u32,
    /// Most connections this node is dialling at once.
    pub max_pending_outgoing: u32,
    /// Below this many connected peers, the node redials its bootstrap
    /// peers and the peers it knows addresses for.
    pub target_peers: usize,
    /// The first wait before dialling a peer again; it doubles after each
    /// attempt up to [`NetworkConfig::redial_max_backoff`].
    pub redial_min_backoff: Duration,
    /// The longest wait between two dials of the same peer.
    pub redial_max_backoff: Duration,
    /// Capacity of the command and event channels.
    pub channel_capacity: usize,
    /// Where the bytes of TCP peer connections are counted (clone the
    /// counters before starting to read them, e.g. for `/metrics`).
    pub traffic: TrafficCounters,
}

impl NetworkConfig {
    /// Defaults for the given network: no listener, no bootstrap peer, mDNS
    /// on, one-hour bans, and the connection limits and timeouts of
    /// `specs/protocol.md` section 1.1.
    pub fn new(network_id: NetworkId) -> Self {
        NetworkConfig {
            network_id,
            listen_addrs: Vec::new(),
            bootstrap_peers: Vec::new(),
            enable_mdns: true,
            hello_on_connect: true,
            idle_connection_timeout: Duration::from_secs(300),
            handshake_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            wire_limits: WireLimits::default(),
            request_rate: RateLimit {
                burst: 64,
                per_second: 20.0,
                max_strikes: 64,
            },
            gossip_rate: RateLimit {
                burst: 256,
                per_second: 100.0,
                max_strikes: 256,
            },
            ban_duration: Duration::from_secs(3600),
            ban_score: -100.0,
            max_connections: 256,
            max_connections_per_peer: 2,
            max_pending_incoming: 64,
            max_pending_incoming_per_ip: 8,
            max_established_incoming_per_ip: 16,
            max_pending_outgoing: 64,
            target_peers: 8,
            redial_min_backoff: Duration::from_secs(1),
            redial_max_backoff: Duration::from_secs(15),
            channel_capacity: 1024,
            traffic: TrafficCounters::default(),
        }
    }

    /// The gossipsub topic of this network: `nansen/<network id hex>/v1`.
    pub fn topic(&self) -> IdentTopic {
        gossip_topic(&self.network_id)
    }
}

/// The gossipsub topic of a network: `nansen/<network id hex>/v1`.
pub fn gossip_topic(network_id: &NetworkId) -> IdentTopic {
    IdentTopic::new(format!("nansen/{}/v1", hex(network_id)))
}

/// The Kademlia protocol of a network, so that DHTs of different networks
/// stay apart: `/nansen/<first 8 bytes of the network id, hex>/kad/1`.
pub fn kademlia_protocol_name(network_id: &NetworkId) -> String {
    format!("/nansen/{}/kad/1", hex(&network_id[..8]))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_the_network_in_hex() {
        let mut id = [0u8; 32];
        id[0] = 0xab;
        id[31] = 0x01;
        let topic = gossip_topic(&id).to_string();
        assert_eq!(topic, format!("nansen/ab{}01/v1", "00".repeat(30)));
        assert_eq!(
            kademlia_protocol_name(&id),
            "/nansen/ab00000000000000/kad/1"
        );
    }
}
