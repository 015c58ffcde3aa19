//! The node's peer-to-peer networking: one task owns the libp2p swarm, and
//! the application talks to it through channels.
//!
//! - [`behaviour`]: which libp2p behaviours run, and the swarm's transports.
//! - [`config`]: what the network layer is told at start.
//! - [`dial`]: every dial of the node, from a new local port.
//! - [`command`]: the application's side: [`NetworkHandle`] to send
//!   commands, [`NetworkEvent`]s to receive.
//! - [`service`]: the event loop that owns the swarm.
//! - [`peers`]: rate limits, scores and bans.
//! - [`limits`]: connection limits per IP address, and the tally of
//!   refused and timed-out connections reported in the log.
//! - [`redial`]: when to dial bootstrap and known peers again.
//! - [`traffic`]: bytes sent and received over TCP peer connections.
//!
//! This layer knows the sync messages but not the ledger: it checks network
//! ids, sizes and encodings, and leaves entry validation to the application,
//! which reports back (gossip verdicts, peer scores).

pub mod behaviour;
pub mod command;
pub mod config;
pub mod dial;
pub mod limits;
pub mod peers;
pub mod redial;
pub mod service;
pub mod traffic;

pub use command::{Command, GossipVerdict, NetworkEvent, NetworkHandle, Responder};
pub use config::{NetworkConfig, RateLimit};
pub use peers::BanReason;
pub use service::start;

use libp2p::{Multiaddr, PeerId};

use crate::sync::wire::WireError;

/// Why a sync request got no response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestFailure {
    /// The peer could not be dialled.
    #[error("could not dial the peer")]
    DialFailure,
    /// No response within the request timeout.
    #[error("the request timed out")]
    Timeout,
    /// The connection closed before the response arrived.
    #[error("the connection closed before the response")]
    ConnectionClosed,
    /// The peer does not speak `/nansen/sync/1`.
    #[error("the peer does not support the sync protocol")]
    UnsupportedProtocols,
    /// The stream failed.
    #[error("stream error: {0}")]
    Io(String),
}

/// Everything that can go wrong in the network layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    /// The swarm or one of its behaviours could not be set up.
    #[error("network setup failed: {0}")]
    Setup(String),
    /// A bootstrap address does not end in `/p2p/<peer id>`.
    #[error("bootstrap address {address} does not name a peer id")]
    BootstrapAddress {
        /// The address.
        address: Multiaddr,
    },
    /// Listening on an address failed.
    #[error("cannot listen on {address}: {reason}")]
    Listen {
        /// The address.
        address: Multiaddr,
        /// The transport's explanation.
        reason: String,
        /// The system's kind of error, when the transport gave one (an address in use, not
        /// available here...), for a program to tell it in another language.
        kind: Option<std::io::ErrorKind>,
    },
    /// Dialling failed.
    #[error("dial failed: {0}")]
    Dial(String),
    /// The peer is banned.
    #[error("peer {0} is banned")]
    Banned(PeerId),
    /// A message was invalid (from the peer) or too large (ours).
    #[error(transparent)]
    Wire(#[from] WireError),
    /// A sync request got no response.
    #[error("request failed: {0}")]
    Request(#[from] RequestFailure),
    /// The peer answered a request with a response of the wrong kind or
    /// beyond what was asked.
    #[error("the peer answered with a response that does not fit the request")]
    UnexpectedResponse,
    /// No peer has subscribed to the network's topic yet.
    #[error("no peer is subscribed to the network topic yet")]
    NoPeersSubscribed,
    /// Gossipsub refused to publish.
    #[error("publish failed: {0}")]
    Publish(String),
    /// The request this response was for is gone (answered or timed out).
    #[error("no pending inbound request with that id")]
    UnknownRequest,
    /// The network task has stopped.
    #[error("the network service has stopped")]
    ServiceStopped,
}
