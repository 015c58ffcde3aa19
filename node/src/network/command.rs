//! The application's side of the network layer: commands it sends to the
//! event loop, and events it receives from it.

use libp2p::gossipsub::MessageId;
use libp2p::request_response::InboundRequestId;
use libp2p::{Multiaddr, PeerId};
use tokio::sync::{mpsc, oneshot};

use crate::network::peers::BanReason;
use crate::network::NetworkError;
use crate::sync::wire::{ErrorCode, Gossip, SyncRequest, SyncResponse};

/// The application's judgement of a gossip message, reported back so that
/// gossipsub forwards good messages and penalises the senders of bad ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GossipVerdict {
    /// Valid: forward it to the mesh.
    Accept,
    /// Invalid: drop it and penalise the peer that sent it.
    Reject,
    /// Not useful (e.g. already known): drop it without penalty.
    Ignore,
}

/// A request to the network event loop. [`NetworkHandle`] wraps each one.
#[derive(Debug)]
pub enum Command {
    /// Connect to an address; the reply carries the peer reached.
    Dial {
        /// Where to connect.
        address: Multiaddr,
        /// The peer id, or why the dial failed.
        reply: oneshot::Sender<Result<PeerId, NetworkError>>,
    },
    /// Publish on the network's topic.
    Publish {
        /// What to announce (the network id is added).
        gossip: Gossip,
        /// The message id, or why it was not published.
        reply: oneshot::Sender<Result<MessageId, NetworkError>>,
    },
    /// Send a sync request and wait for its response.
    Request {
        /// To whom.
        peer: PeerId,
        /// The request.
        request: SyncRequest,
        /// The response, or why there is none.
        reply: oneshot::Sender<Result<SyncResponse, NetworkError>>,
    },
    /// Answer an inbound request (see [`Responder`]).
    Respond {
        /// The request being answered.
        request_id: InboundRequestId,
        /// The answer.
        response: SyncResponse,
        /// Whether it was sent on its way, if anyone cares.
        reply: Option<oneshot::Sender<Result<(), NetworkError>>>,
    },
    /// Report the verdict on a received gossip message.
    ReportGossip {
        /// The message's id, from [`NetworkEvent::Gossip`].
        message_id: MessageId,
        /// The peer it came from, from [`NetworkEvent::Gossip`].
        source: PeerId,
        /// The verdict.
        verdict: GossipVerdict,
    },
    /// Ban a peer for the configured ban duration and close its connections.
    BlockPeer {
        /// The peer.
        peer: PeerId,
    },
    /// Lift a ban.
    UnblockPeer {
        /// The peer.
        peer: PeerId,
    },
    /// The operator's ban: like [`Command::BlockPeer`] but lasting until
    /// [`Command::UnbanPeer`]. The reply says whether the peer was not
    /// banned before.
    BanPeer {
        /// The peer.
        peer: PeerId,
        /// Whether this is a new ban.
        reply: oneshot::Sender<bool>,
    },
    /// Lift any ban of a peer and dial it again at the addresses the node
    /// knows for it (a bootstrap address, the listen addresses it announced,
    /// the address it was dialled at). The reply says whether it was banned.
    UnbanPeer {
        /// The peer.
        peer: PeerId,
        /// Whether it was banned.
        reply: oneshot::Sender<bool>,
    },
    /// The banned peers, with the time left on each ban (`None`: until
    /// lifted).
    BannedPeers {
        /// The peers.
        reply: oneshot::Sender<Vec<(PeerId, Option<std::time::Duration>)>>,
    },
    /// Add `delta` (negative for misbehaviour) to a peer's application
    /// score; at the configured threshold the peer is banned.
    ScorePeer {
        /// The peer.
        peer: PeerId,
        /// The change.
        delta: f64,
    },
    /// The addresses the node listens on.
    ListenAddrs {
        /// The addresses.
        reply: oneshot::Sender<Vec<Multiaddr>>,
    },
    /// The peers with at least one open connection.
    ConnectedPeers {
        /// The peers.
        reply: oneshot::Sender<Vec<PeerId>>,
    },
    /// Stop the event loop.
    Shutdown,
}

/// Something that happened on the network.
#[derive(Debug)]
pub enum NetworkEvent {
    /// The node listens on a new address.
    Listening {
        /// The address.
        address: Multiaddr,
    },
    /// A peer of our network is connected (after a successful `Hello` when
    /// `hello_on_connect` is set).
    PeerConnected {
        /// The peer.
        peer: PeerId,
    },
    /// A peer's last connection closed.
    PeerDisconnected {
        /// The peer.
        peer: PeerId,
    },
    /// A peer was banned and disconnected.
    PeerBanned {
        /// The peer.
        peer: PeerId,
        /// Why.
        reason: BanReason,
    },
    /// A gossip message on our network. Validate it, then report a
    /// [`GossipVerdict`] with its `message_id` and `source`.
    Gossip {
        /// The peer that forwarded it to us.
        source: PeerId,
        /// The peer that published it (signed), if known.
        author: Option<PeerId>,
        /// Its id, for the verdict.
        message_id: MessageId,
        /// The content.
        gossip: Gossip,
    },
    /// A peer asks for heads or entries. Answer through `responder` before
    /// the request timeout.
    InboundRequest {
        /// The peer.
        peer: PeerId,
        /// The request; its network id is ours.
        request: SyncRequest,
        /// Where to send the answer.
        responder: Responder,
    },
}

/// The way to answer one inbound request. Dropping it unanswered sends an
/// `Internal` error response.
#[derive(Debug)]
pub struct Responder {
    request_id: InboundRequestId,
    commands: mpsc::Sender<Command>,
    answered: bool,
}

impl Responder {
    pub(crate) fn new(request_id: InboundRequestId, commands: mpsc::Sender<Command>) -> Self {
        Responder {
            request_id,
            commands,
            answered: false,
        }
    }

    /// The id of the request this answers.
    pub fn request_id(&self) -> InboundRequestId {
        self.request_id
    }

    /// Queues the answer for the event loop. It does not wait for the loop,
    /// so answering from the task that drains events cannot deadlock; it
    /// fails only if the loop has stopped.
    pub async fn respond(mut self, response: SyncResponse) -> Result<(), NetworkError> {
        self.answered = true;
        self.commands
            .send(Command::Respond {
                request_id: self.request_id,
                response,
                reply: None,
            })
            .await
            .map_err(|_| NetworkError::ServiceStopped)
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        if !self.answered {
            let _ = self.commands.try_send(Command::Respond {
                request_id: self.request_id,
                response: SyncResponse::error(ErrorCode::Internal, "request not answered"),
                reply: None,
            });
        }
    }
}

/// A cloneable handle to the network event loop.
#[derive(Debug, Clone)]
pub struct NetworkHandle {
    commands: mpsc::Sender<Command>,
    local_peer_id: PeerId,
}

impl NetworkHandle {
    pub(crate) fn new(commands: mpsc::Sender<Command>, local_peer_id: PeerId) -> Self {
        NetworkHandle {
            commands,
            local_peer_id,
        }
    }

    /// This node's peer id.
    pub fn local_peer_id(&self) -> PeerId {
        self.local_peer_id
    }

    /// Sends a raw command.
    pub async fn send(&self, command: Command) -> Result<(), NetworkError> {
        self.commands
            .send(command)
            .await
            .map_err(|_| NetworkError::ServiceStopped)
    }

    async fn ask<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<T>) -> Command,
    ) -> Result<T, NetworkError> {
        let (reply, result) = oneshot::channel();
        self.send(make(reply)).await?;
        result.await.map_err(|_| NetworkError::ServiceStopped)
    }

    /// Connects to `address` and returns the peer reached.
    pub async fn dial(&self, address: Multiaddr) -> Result<PeerId, NetworkError> {
        self.ask(|reply| Command::Dial { address, reply }).await?
    }

    /// Publishes on the network's topic. Fails with
    /// [`NetworkError::NoPeersSubscribed`] until a peer has subscribed.
    pub async fn publish(&self, gossip: Gossip) -> Result<MessageId, NetworkError> {
        self.ask(|reply| Command::Publish { gossip, reply }).await?
    }

    /// Sends a sync request and waits for the response.
    pub async fn request(
        &self,
        peer: PeerId,
        request: SyncRequest,
    ) -> Result<SyncResponse, NetworkError> {
        self.ask(|reply| Command::Request {
            peer,
            request,
            reply,
        })
        .await?
    }

    /// Reports the verdict on a gossip message.
    pub async fn report_gossip(
        &self,
        message_id: MessageId,
        source: PeerId,
        verdict: GossipVerdict,
    ) -> Result<(), NetworkError> {
        self.send(Command::ReportGossip {
            message_id,
            source,
            verdict,
        })
        .await
    }

    /// Bans a peer for the configured duration.
    pub async fn block_peer(&self, peer: PeerId) -> Result<(), NetworkError> {
        self.send(Command::BlockPeer { peer }).await
    }

    /// Lifts a ban.
    pub async fn unblock_peer(&self, peer: PeerId) -> Result<(), NetworkError> {
        self.send(Command::UnblockPeer { peer }).await
    }

    /// Bans a peer until [`NetworkHandle::unban_peer`]: closes its
    /// connections and refuses new ones. Returns whether it is a new ban.
    pub async fn ban_peer(&self, peer: PeerId) -> Result<bool, NetworkError> {
        self.ask(|reply| Command::BanPeer { peer, reply }).await
    }

    /// Lifts any ban of a peer and dials it again if its address is known.
    /// Returns whether it was banned.
    pub async fn unban_peer(&self, peer: PeerId) -> Result<bool, NetworkError> {
        self.ask(|reply| Command::UnbanPeer { peer, reply }).await
    }

    /// The banned peers, with the time left on each ban (`None`: until
    /// lifted).
    pub async fn banned_peers(
        &self,
    ) -> Result<Vec<(PeerId, Option<std::time::Duration>)>, NetworkError> {
        self.ask(|reply| Command::BannedPeers { reply }).await
    }

    /// Changes a peer's application score by `delta`.
    pub async fn score_peer(&self, peer: PeerId, delta: f64) -> Result<(), NetworkError> {
        self.send(Command::ScorePeer { peer, delta }).await
    }

    /// The addresses the node listens on.
    pub async fn listen_addrs(&self) -> Result<Vec<Multiaddr>, NetworkError> {
        self.ask(|reply| Command::ListenAddrs { reply }).await
    }

    /// The peers with at least one open connection.
    pub async fn connected_peers(&self) -> Result<Vec<PeerId>, NetworkError> {
        self.ask(|reply| Command::ConnectedPeers { reply }).await
    }

    /// Stops the event loop.
    pub async fn shutdown(&self) -> Result<(), NetworkError> {
        self.send(Command::Shutdown).await
    }
}
