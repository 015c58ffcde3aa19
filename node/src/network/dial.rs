//! Every dial of the node goes through [`Dial`], and every [`Dial`] is from a new local port.
//!
//! With libp2p-tcp's reuse of the listen port as the source port, a dial can collide with the
//! peer's own connection between the same two ports and fail with `EADDRINUSE`, which
//! libp2p-tcp 0.45 does not retry (it retries only `EADDRNOTAVAIL`); every redial would then
//! fail alike. Seen in CI as `node/tests/network.rs` failing (commit 937c3b0). So a dial is
//! made only here: [`Dial::start`] is the node's one call of `Swarm::dial`, which the
//! workspace's `clippy.toml` forbids everywhere else.

use libp2p::swarm::dial_opts::DialOpts;
use libp2p::swarm::{ConnectionId, DialError, NetworkBehaviour};
use libp2p::{Multiaddr, PeerId, Swarm};

/// A dial of the node, from a new local port.
#[derive(Debug)]
pub struct Dial(DialOpts);

impl Dial {
    /// A dial of `address`, whose peer id (if the address ends in `/p2p/...`) is checked
    /// during the handshake.
    pub fn address(address: Multiaddr) -> Self {
        Dial(
            DialOpts::unknown_peer_id()
                .address(address)
                .allocate_new_port()
                .build(),
        )
    }

    /// A dial of `peer` at `addresses`.
    pub fn peer(peer: PeerId, addresses: Vec<Multiaddr>) -> Self {
        Dial(
            DialOpts::peer_id(peer)
                .addresses(addresses)
                .allocate_new_port()
                .build(),
        )
    }

    /// The id the connection will have, to match the swarm's later events with this dial.
    pub fn connection_id(&self) -> ConnectionId {
        self.0.connection_id()
    }

    /// Starts the dial on `swarm`.
    #[allow(clippy::disallowed_methods)] // The one dial of the node: see the module's doc.
    pub fn start<B: NetworkBehaviour>(self, swarm: &mut Swarm<B>) -> Result<(), DialError> {
        swarm.dial(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `DialOpts` keeps its port choice private; its `Debug` shows it.
    fn from_a_new_port(dial: &Dial) -> bool {
        format!("{:?}", dial.0).contains("port_use: New")
    }

    #[test]
    fn every_dial_is_from_a_new_local_port() {
        let address: Multiaddr = "/ip4/127.0.0.1/tcp/4100".parse().expect("address");
        assert!(from_a_new_port(&Dial::address(address.clone())));
        assert!(from_a_new_port(&Dial::peer(
            PeerId::random(),
            vec![address.clone()]
        )));
        // The check can fail: libp2p's default reuses the listen port.
        let default = Dial(DialOpts::unknown_peer_id().address(address).build());
        assert!(!from_a_new_port(&default));
    }
}
