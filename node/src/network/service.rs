//! The event loop: one task owns the swarm, turns commands into swarm calls
//! and swarm events into [`NetworkEvent`]s, and enforces the peer rules:
//!
//! - every inbound request and gossip message costs a token from the peer's
//!   bucket; over the limit it is dropped, and a peer that keeps going is
//!   banned;
//! - a request, response or gossip message naming another network id, or
//!   bytes that do not decode, get the peer banned (the sender of a
//!   wrong-network request first receives a `WrongNetwork` error);
//! - `Hello` requests are answered here; with `hello_on_connect` each new
//!   peer is greeted and reported connected only once it answers with our
//!   network id;
//! - a response must fit its request (kind, entry count, byte budget);
//! - below the target peer count, bootstrap and known peers are redialled,
//!   each on its own backoff;
//! - connections refused by the limits, and handshakes that time out, are
//!   counted and logged as one warning line per interval.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use libp2p::futures::StreamExt;
use libp2p::gossipsub::{self, IdentTopic, MessageAcceptance, PublishError};
use libp2p::request_response::{
    self, InboundFailure, InboundRequestId, OutboundFailure, OutboundRequestId, ResponseChannel,
};
use libp2p::swarm::{ConnectionId, ListenError, SwarmEvent};
use libp2p::{connection_limits, identify, mdns, Multiaddr, PeerId, Swarm};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::identity::NodeKey;
use crate::network::behaviour::{build_swarm, peer_id_of, NodeBehaviour, NodeBehaviourEvent};
use crate::network::command::{Command, GossipVerdict, NetworkEvent, NetworkHandle, Responder};
use crate::network::config::NetworkConfig;
use crate::network::dial::Dial;
use crate::network::limits::{
    ip_of, HandshakeTimeouts, IpLimitExceeded, IpLimitKind, Refusal, RefusalTally,
};
use crate::network::peers::{BanReason, PeerBook, RateLimiter, RateVerdict};
use crate::network::redial::RedialSchedule;
use crate::network::{NetworkError, RequestFailure};
use crate::sync::codec::{wire_error_of, SYNC_PROTOCOL};
use crate::sync::wire::{
    ErrorCode, Gossip, GossipMessage, NetworkId, SyncRequest, SyncResponse, WireError,
};

/// How often expired bans are lifted, peers below the target count are
/// redialled, and refused connections are reported.
const SWEEP_INTERVAL: Duration = Duration::from_secs(1);

/// The shortest time between two log lines about refused or timed-out
/// connections.
const REFUSAL_REPORT_INTERVAL: Duration = Duration::from_secs(10);

/// The shortest time between two warnings that the node has no peer and
/// cannot reach a bootstrap peer.
const ISOLATION_WARNING_INTERVAL: Duration = Duration::from_secs(60);

/// Most redials started per sweep.
const MAX_REDIALS_PER_SWEEP: usize = 8;

/// Most peers whose addresses are remembered for redialling (below the
/// target peer count, or after a ban is lifted), and most addresses per
/// peer.
const MAX_REMEMBERED_PEERS: usize = 1024;
const MAX_REMEMBERED_ADDRESSES: usize = 8;

/// Builds the swarm, starts listening and dialling bootstrap peers, and
/// spawns the event loop on the current tokio runtime.
///
/// Returns the handle to send commands, the receiver of events, and the
/// loop's task. The application must keep draining events: the loop waits
/// while the event channel is full, so a task that drains events must not
/// itself wait on [`NetworkHandle::request`] (answering through a
/// [`Responder`] is fine: it does not wait for the loop). The loop ends on [`Command::Shutdown`] or when every handle
/// and [`Responder`] is dropped.
/// Checks that the socket of a TCP or QUIC listen address can be bound (bound and released at
/// once), so that an address in use or not of this machine is told by the system's own error:
/// the combined transports' error hides it inside errors that display as nothing.
fn socket_available(address: &Multiaddr) -> std::io::Result<()> {
    use libp2p::multiaddr::Protocol;
    let mut parts = address.iter();
    let ip: std::net::IpAddr = match parts.next() {
        Some(Protocol::Ip4(ip)) => ip.into(),
        Some(Protocol::Ip6(ip)) => ip.into(),
        _ => return Ok(()),
    };
    match parts.next() {
        Some(Protocol::Tcp(port)) => std::net::TcpListener::bind((ip, port)).map(drop),
        Some(Protocol::Udp(port)) => std::net::UdpSocket::bind((ip, port)).map(drop),
        _ => Ok(()),
    }
}

/// A transport's listen error in words: libp2p's `TransportError::Other` displays as nothing,
/// so its causes are joined.
fn transport_error_text(error: &libp2p::TransportError<std::io::Error>) -> String {
    let mut words = Vec::new();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        let text = current.to_string();
        if !text.is_empty() && !words.iter().any(|w: &String| w.contains(&text)) {
            words.push(text);
        }
        cause = current.source();
    }
    if words.is_empty() {
        format!("{error:?}")
    } else {
        words.join(": ")
    }
}

pub fn start(
    key: &NodeKey,
    config: NetworkConfig,
) -> Result<(NetworkHandle, mpsc::Receiver<NetworkEvent>, JoinHandle<()>), NetworkError> {
    let (mut swarm, handshake_timeouts) = build_swarm(key, &config)?;
    // Every address checked before any is listened on: a dual-stack check of [::]:p would
    // collide with the node's own listener on 0.0.0.0:p.
    for address in &config.listen_addrs {
        socket_available(address).map_err(|e| NetworkError::Listen {
            address: address.clone(),
            reason: e.to_string(),
            kind: Some(e.kind()),
        })?;
    }
    for address in &config.listen_addrs {
        swarm
            .listen_on(address.clone())
            .map_err(|e| NetworkError::Listen {
                address: address.clone(),
                reason: transport_error_text(&e),
                kind: None,
            })?;
    }
    let mut redials = RedialSchedule::new(config.redial_min_backoff, config.redial_max_backoff);
    let now = Instant::now();
    for address in &config.bootstrap_peers {
        if let Some(peer) = peer_id_of(address) {
            redials.attempt(peer, now);
        }
        if let Err(e) = Dial::address(address.clone()).start(&mut swarm) {
            tracing::warn!(%address, error = %e, "cannot dial bootstrap peer");
        }
    }
    if !config.bootstrap_peers.is_empty() {
        if let Err(e) = swarm.behaviour_mut().kademlia.bootstrap() {
            tracing::warn!(error = ?e, "Kademlia bootstrap did not start");
        }
    }

    let mut addresses: HashMap<PeerId, Vec<Multiaddr>> = HashMap::new();
    let mut bootstrap = Vec::new();
    for address in &config.bootstrap_peers {
        if let Some(peer) = peer_id_of(address) {
            remember(&mut addresses, peer, address.clone());
            if !bootstrap.contains(&peer) {
                bootstrap.push(peer);
            }
        }
    }
    let (command_tx, command_rx) = mpsc::channel(config.channel_capacity);
    let (event_tx, event_rx) = mpsc::channel(config.channel_capacity);
    let handle = NetworkHandle::new(command_tx.clone(), key.peer_id());
    let service = Service {
        request_limiter: RateLimiter::new(config.request_rate),
        gossip_limiter: RateLimiter::new(config.gossip_rate),
        topic: config.topic(),
        config,
        swarm,
        commands: command_rx,
        commands_weak: command_tx.downgrade(),
        events: event_tx,
        book: PeerBook::default(),
        pending_dials: HashMap::new(),
        pending_requests: HashMap::new(),
        inbound: HashMap::new(),
        ban_after_response: HashMap::new(),
        ready: HashSet::new(),
        addresses,
        bootstrap,
        redials,
        refusals: RefusalTally::new(REFUSAL_REPORT_INTERVAL, now),
        handshake_timeouts,
        isolation_warned: None,
    };
    drop(command_tx);
    let task = tokio::spawn(service.run());
    Ok((handle, event_rx, task))
}

/// What an outbound request was, to check that its response fits.
#[derive(Debug, Clone, Copy)]
enum Expected {
    Hello,
    Heads,
    Entries { max_entries: u32, max_bytes: u32 },
}

struct PendingRequest {
    expected: Expected,
    /// `None` for the node's own greeting.
    reply: Option<oneshot::Sender<Result<SyncResponse, NetworkError>>>,
}

struct Service {
    config: NetworkConfig,
    topic: IdentTopic,
    swarm: Swarm<NodeBehaviour>,
    commands: mpsc::Receiver<Command>,
    commands_weak: mpsc::WeakSender<Command>,
    events: mpsc::Sender<NetworkEvent>,
    book: PeerBook,
    request_limiter: RateLimiter,
    gossip_limiter: RateLimiter,
    pending_dials: HashMap<ConnectionId, oneshot::Sender<Result<PeerId, NetworkError>>>,
    pending_requests: HashMap<OutboundRequestId, PendingRequest>,
    inbound: HashMap<InboundRequestId, ResponseChannel<SyncResponse>>,
    ban_after_response: HashMap<InboundRequestId, (PeerId, BanReason)>,
    /// Peers reported to the application as connected.
    ready: HashSet<PeerId>,
    /// Where peers can be dialled again (bounded).
    addresses: HashMap<PeerId, Vec<Multiaddr>>,
    /// The bootstrap peers, redialled first.
    bootstrap: Vec<PeerId>,
    /// When each known peer may be dialled again.
    redials: RedialSchedule,
    /// Connections refused by the limits, and handshake timeouts, not
    /// reported yet.
    refusals: RefusalTally,
    /// Handshake timeouts counted by the TCP transport.
    handshake_timeouts: HandshakeTimeouts,
    /// When the node last warned that it has no peer.
    isolation_warned: Option<Instant>,
}

/// Remembers `address` for `peer`, within the bounds.
fn remember(addresses: &mut HashMap<PeerId, Vec<Multiaddr>>, peer: PeerId, address: Multiaddr) {
    if !addresses.contains_key(&peer) && addresses.len() >= MAX_REMEMBERED_PEERS {
        return;
    }
    let known = addresses.entry(peer).or_default();
    if !known.contains(&address) && known.len() < MAX_REMEMBERED_ADDRESSES {
        known.push(address);
    }
}

impl Service {
    async fn run(mut self) {
        let mut sweep = tokio::time::interval(SWEEP_INTERVAL);
        sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                command = self.commands.recv() => match command {
                    Some(Command::Shutdown) | None => break,
                    Some(command) => self.on_command(command),
                },
                event = self.swarm.select_next_some() => self.on_swarm_event(event).await,
                _ = sweep.tick() => {
                    let now = Instant::now();
                    self.lift_expired_bans();
                    self.redial_below_target(now);
                    self.report_refusals(now);
                }
            }
        }
        tracing::debug!("network event loop stopped");
    }

    async fn emit(&mut self, event: NetworkEvent) {
        if self.events.send(event).await.is_err() {
            tracing::trace!("event receiver dropped");
        }
    }

    // ----- commands -------------------------------------------------------

    fn on_command(&mut self, command: Command) {
        match command {
            Command::Dial { address, reply } => {
                if let Some(peer) = peer_id_of(&address) {
                    if self.book.is_banned(&peer) {
                        let _ = reply.send(Err(NetworkError::Banned(peer)));
                        return;
                    }
                }
                let dial = Dial::address(address);
                let id = dial.connection_id();
                match dial.start(&mut self.swarm) {
                    Ok(()) => {
                        self.pending_dials.insert(id, reply);
                    }
                    Err(e) => {
                        let _ = reply.send(Err(NetworkError::Dial(e.to_string())));
                    }
                }
            }
            Command::Publish { gossip, reply } => {
                let _ = reply.send(self.publish(gossip));
            }
            Command::Request {
                peer,
                request,
                reply,
            } => {
                if self.book.is_banned(&peer) {
                    let _ = reply.send(Err(NetworkError::Banned(peer)));
                    return;
                }
                let expected = match &request {
                    SyncRequest::Hello { .. } => Expected::Hello,
                    SyncRequest::Heads { .. } => Expected::Heads,
                    SyncRequest::Range {
                        max_entries,
                        max_bytes,
                        ..
                    } => Expected::Entries {
                        max_entries: *max_entries,
                        max_bytes: *max_bytes,
                    },
                };
                let id = self
                    .swarm
                    .behaviour_mut()
                    .sync
                    .send_request(&peer, Ok(request));
                self.pending_requests.insert(
                    id,
                    PendingRequest {
                        expected,
                        reply: Some(reply),
                    },
                );
            }
            Command::Respond {
                request_id,
                response,
                reply,
            } => {
                let result = match self.inbound.remove(&request_id) {
                    Some(channel) => self
                        .swarm
                        .behaviour_mut()
                        .sync
                        .send_response(channel, response)
                        .map_err(|_| NetworkError::Request(RequestFailure::ConnectionClosed)),
                    None => Err(NetworkError::UnknownRequest),
                };
                match reply {
                    Some(reply) => {
                        let _ = reply.send(result);
                    }
                    None => {
                        if let Err(e) = result {
                            tracing::debug!(%request_id, error = %e, "response not sent");
                        }
                    }
                }
            }
            Command::ReportGossip {
                message_id,
                source,
                verdict,
            } => {
                let acceptance = match verdict {
                    GossipVerdict::Accept => MessageAcceptance::Accept,
                    GossipVerdict::Reject => MessageAcceptance::Reject,
                    GossipVerdict::Ignore => MessageAcceptance::Ignore,
                };
                self.swarm
                    .behaviour_mut()
                    .gossipsub
                    .report_message_validation_result(&message_id, &source, acceptance);
            }
            Command::BlockPeer { peer } => self.ban(peer, BanReason::Blocked),
            Command::BanPeer { peer, reply } => {
                let newly = peer != *self.swarm.local_peer_id() && !self.book.is_banned(&peer);
                // First as a normal ban (disconnect, blacklist, event), then
                // made to last until lifted.
                self.ban(peer, BanReason::Operator);
                if peer != *self.swarm.local_peer_id() {
                    self.book.ban_until_lifted(peer);
                }
                let _ = reply.send(newly);
            }
            Command::UnbanPeer { peer, reply } => {
                let was = self.book.unban(&peer);
                if was {
                    self.unblock(peer);
                    self.redial(peer);
                }
                let _ = reply.send(was);
            }
            Command::BannedPeers { reply } => {
                let now = Instant::now();
                let banned = self
                    .book
                    .banned()
                    .into_iter()
                    .map(|(peer, until)| (peer, until.map(|u| u.saturating_duration_since(now))))
                    .collect();
                let _ = reply.send(banned);
            }
            Command::UnblockPeer { peer } => {
                if self.book.unban(&peer) {
                    self.unblock(peer);
                }
            }
            Command::ScorePeer { peer, delta } => {
                let score = self.book.add_score(peer, delta);
                self.swarm
                    .behaviour_mut()
                    .gossipsub
                    .set_application_score(&peer, score);
                if score <= self.config.ban_score {
                    self.ban(peer, BanReason::LowScore);
                }
            }
            Command::ListenAddrs { reply } => {
                let _ = reply.send(self.swarm.listeners().cloned().collect());
            }
            Command::ConnectedPeers { reply } => {
                let _ = reply.send(self.swarm.connected_peers().cloned().collect());
            }
            Command::Shutdown => {}
        }
    }

    fn publish(&mut self, gossip: Gossip) -> Result<gossipsub::MessageId, NetworkError> {
        let message = GossipMessage {
            network_id: self.config.network_id,
            gossip,
        };
        let bytes = message.encode()?;
        self.swarm
            .behaviour_mut()
            .gossipsub
            .publish(self.topic.clone(), bytes)
            .map_err(|e| match e {
                PublishError::NoPeersSubscribedToTopic => NetworkError::NoPeersSubscribed,
                other => NetworkError::Publish(other.to_string()),
            })
    }

    // ----- peers ------------------------------------------------------------

    fn ban(&mut self, peer: PeerId, reason: BanReason) {
        if peer == *self.swarm.local_peer_id() {
            return;
        }
        let newly = self
            .book
            .ban(peer, Instant::now(), self.config.ban_duration);
        let behaviour = self.swarm.behaviour_mut();
        behaviour.blocked.block_peer(peer);
        behaviour.gossipsub.blacklist_peer(&peer);
        behaviour.kademlia.remove_peer(&peer);
        if newly {
            tracing::info!(%peer, %reason, "peer banned");
            let event = NetworkEvent::PeerBanned { peer, reason };
            // Sent without waiting: a ban must not stall on a full channel.
            if self.events.try_send(event).is_err() {
                tracing::warn!(%peer, "event channel full, PeerBanned not delivered");
            }
        }
    }

    fn unblock(&mut self, peer: PeerId) {
        let behaviour = self.swarm.behaviour_mut();
        behaviour.blocked.unblock_peer(peer);
        behaviour.gossipsub.remove_blacklisted_peer(&peer);
        tracing::info!(%peer, "ban lifted");
    }

    /// Dials `peer` at the addresses remembered for it, if any.
    fn redial(&mut self, peer: PeerId) {
        let Some(known) = self.addresses.get(&peer).cloned() else {
            tracing::info!(%peer, "ban lifted; no known address to dial");
            return;
        };
        if let Err(e) = Dial::peer(peer, known).start(&mut self.swarm) {
            tracing::debug!(%peer, error = %e, "cannot dial the unbanned peer");
        }
    }

    /// With fewer connected peers than the target, dials the bootstrap
    /// peers, then the other known peers, that are neither connected,
    /// banned nor backing off.
    fn redial_below_target(&mut self, now: Instant) {
        if self.ready.len() >= self.config.target_peers {
            return;
        }
        let local = *self.swarm.local_peer_id();
        let others = self
            .addresses
            .keys()
            .filter(|p| !self.bootstrap.contains(p));
        let candidates: Vec<PeerId> = self
            .bootstrap
            .iter()
            .chain(others)
            .filter(|p| **p != local && !self.book.is_banned(p) && !self.swarm.is_connected(p))
            .copied()
            .collect();
        let mut started = 0;
        for peer in candidates {
            if started >= MAX_REDIALS_PER_SWEEP {
                break;
            }
            let Some(known) = self.addresses.get(&peer) else {
                continue;
            };
            if !self.redials.attempt(peer, now) {
                continue;
            }
            match Dial::peer(peer, known.clone()).start(&mut self.swarm) {
                Ok(()) => {
                    started += 1;
                    tracing::debug!(%peer, "redialling");
                }
                Err(e) => tracing::debug!(%peer, error = %e, "cannot redial"),
            }
        }
    }

    /// Logs what the limits refused and which handshakes timed out, at
    /// most once per [`REFUSAL_REPORT_INTERVAL`].
    fn report_refusals(&mut self, now: Instant) {
        self.refusals
            .record_timeouts(self.handshake_timeouts.take(), now);
        if let Some(summary) = self.refusals.report(now) {
            tracing::warn!(
                total = summary.total(),
                window_secs = %format_args!("{:.1}", summary.window.as_secs_f64()),
                "connections refused by limits or timed out in the handshake: {summary}"
            );
        }
    }

    /// Counts an incoming connection that a limit refused.
    fn on_incoming_refused(
        &mut self,
        error: &ListenError,
        source: &Multiaddr,
        peer: Option<PeerId>,
    ) {
        let ListenError::Denied { cause } = error else {
            return;
        };
        let refusal = if let Some(exceeded) = cause.downcast_ref::<IpLimitExceeded>() {
            match exceeded.kind {
                IpLimitKind::PendingIncoming => Refusal::PendingPerIp,
                IpLimitKind::EstablishedIncoming => Refusal::EstablishedPerIp,
            }
        } else if cause
            .downcast_ref::<connection_limits::Exceeded>()
            .is_some()
        {
            // Before the handshake only the pending limit applies; after
            // it (the peer is known), the established ones.
            if peer.is_none() {
                Refusal::PendingTotal
            } else {
                Refusal::Established
            }
        } else {
            return;
        };
        self.refusals.record(refusal, ip_of(source), Instant::now());
    }

    /// Warns, at most once per [`ISOLATION_WARNING_INTERVAL`], when the
    /// node has no peer and a bootstrap peer cannot be reached.
    fn on_dial_failure(&mut self, peer: Option<PeerId>, error: &libp2p::swarm::DialError) {
        let Some(peer) = peer.filter(|p| self.bootstrap.contains(p)) else {
            return;
        };
        let now = Instant::now();
        let quiet = self
            .isolation_warned
            .is_none_or(|at| now.saturating_duration_since(at) >= ISOLATION_WARNING_INTERVAL);
        if self.ready.is_empty() && quiet {
            self.isolation_warned = Some(now);
            let retry_in = self
                .redials
                .next_attempt(&peer)
                .map(|at| at.saturating_duration_since(now).as_secs_f64())
                .unwrap_or(0.0);
            tracing::warn!(
                %peer,
                %error,
                retry_in_secs = %format_args!("{retry_in:.1}"),
                "no peer connected and a bootstrap peer is unreachable; redialling with backoff"
            );
        } else {
            tracing::debug!(%peer, %error, "bootstrap peer unreachable");
        }
    }

    fn lift_expired_bans(&mut self) {
        for peer in self.book.expire(Instant::now()) {
            self.unblock(peer);
        }
    }

    fn rate_check(&mut self, peer: PeerId, gossip: bool) -> bool {
        let now = Instant::now();
        let limiter = if gossip {
            &mut self.gossip_limiter
        } else {
            &mut self.request_limiter
        };
        match limiter.check(peer, now) {
            RateVerdict::Allow => true,
            RateVerdict::Drop => false,
            RateVerdict::Ban => {
                self.ban(peer, BanReason::RateLimited);
                false
            }
        }
    }

    // ----- swarm events -------------------------------------------------------

    async fn on_swarm_event(&mut self, event: SwarmEvent<NodeBehaviourEvent>) {
        match event {
            SwarmEvent::NewListenAddr { address, .. } => {
                self.emit(NetworkEvent::Listening { address }).await;
            }
            SwarmEvent::ConnectionEstablished {
                peer_id,
                connection_id,
                num_established,
                endpoint,
                ..
            } => {
                if endpoint.is_dialer() {
                    let address = endpoint.get_remote_address().clone();
                    remember(&mut self.addresses, peer_id, address);
                }
                if let Some(reply) = self.pending_dials.remove(&connection_id) {
                    let _ = reply.send(Ok(peer_id));
                }
                self.redials.reset(&peer_id);
                if num_established.get() == 1 {
                    if self.config.hello_on_connect {
                        let hello = SyncRequest::Hello {
                            network_id: self.config.network_id,
                        };
                        let id = self
                            .swarm
                            .behaviour_mut()
                            .sync
                            .send_request(&peer_id, Ok(hello));
                        self.pending_requests.insert(
                            id,
                            PendingRequest {
                                expected: Expected::Hello,
                                reply: None,
                            },
                        );
                    } else {
                        self.ready.insert(peer_id);
                        self.emit(NetworkEvent::PeerConnected { peer: peer_id })
                            .await;
                    }
                }
            }
            SwarmEvent::ConnectionClosed {
                peer_id,
                num_established: 0,
                ..
            } => {
                self.request_limiter.forget(&peer_id);
                self.gossip_limiter.forget(&peer_id);
                if self.ready.remove(&peer_id) {
                    self.emit(NetworkEvent::PeerDisconnected { peer: peer_id })
                        .await;
                }
            }
            SwarmEvent::OutgoingConnectionError {
                connection_id,
                peer_id,
                error,
            } => {
                self.on_dial_failure(peer_id, &error);
                if let Some(reply) = self.pending_dials.remove(&connection_id) {
                    let _ = reply.send(Err(NetworkError::Dial(error.to_string())));
                }
            }
            SwarmEvent::IncomingConnectionError {
                send_back_addr,
                error,
                peer_id,
                ..
            } => self.on_incoming_refused(&error, &send_back_addr, peer_id),
            SwarmEvent::Behaviour(event) => self.on_behaviour_event(event).await,
            _ => {}
        }
    }

    async fn on_behaviour_event(&mut self, event: NodeBehaviourEvent) {
        match event {
            NodeBehaviourEvent::Sync(event) => self.on_sync_event(event).await,
            NodeBehaviourEvent::Gossipsub(event) => self.on_gossip_event(event).await,
            NodeBehaviourEvent::Mdns(mdns::Event::Discovered(found)) => {
                for (peer, address) in found {
                    if self.book.is_banned(&peer) || self.swarm.is_connected(&peer) {
                        continue;
                    }
                    self.swarm
                        .behaviour_mut()
                        .kademlia
                        .add_address(&peer, address.clone());
                    if let Err(e) = Dial::peer(peer, vec![address]).start(&mut self.swarm) {
                        tracing::debug!(%peer, error = %e, "cannot dial mDNS peer");
                    }
                }
            }
            NodeBehaviourEvent::Identify(identify::Event::Received { peer_id, info, .. }) => {
                let kad = self
                    .swarm
                    .behaviour()
                    .kademlia
                    .protocol_names()
                    .first()
                    .cloned();
                let speaks_kad = kad.is_some_and(|p| info.protocols.contains(&p));
                if info.protocols.contains(&SYNC_PROTOCOL) {
                    for address in info.listen_addrs.iter().take(MAX_REMEMBERED_ADDRESSES) {
                        remember(&mut self.addresses, peer_id, address.clone());
                    }
                } else if !self.bootstrap.contains(&peer_id) {
                    // Not a Nansen node: not worth dialling again.
                    self.addresses.remove(&peer_id);
                    self.redials.reset(&peer_id);
                }
                if speaks_kad && !self.book.is_banned(&peer_id) {
                    for address in info.listen_addrs.into_iter().take(16) {
                        self.swarm
                            .behaviour_mut()
                            .kademlia
                            .add_address(&peer_id, address);
                    }
                }
            }
            _ => {}
        }
    }

    async fn on_gossip_event(&mut self, event: gossipsub::Event) {
        let gossipsub::Event::Message {
            propagation_source: source,
            message_id,
            message,
        } = event
        else {
            return;
        };
        let verdict = if !self.rate_check(source, true) {
            Err((MessageAcceptance::Ignore, None))
        } else {
            match GossipMessage::decode(&message.data) {
                Err(e) => Err((MessageAcceptance::Reject, Some(BanReason::Undecodable(e)))),
                Ok(decoded) if decoded.network_id != self.config.network_id => {
                    Err((MessageAcceptance::Reject, Some(BanReason::WrongNetwork)))
                }
                Ok(decoded) => Ok(decoded.gossip),
            }
        };
        match verdict {
            Ok(gossip) => {
                self.emit(NetworkEvent::Gossip {
                    source,
                    author: message.source,
                    message_id,
                    gossip,
                })
                .await;
            }
            Err((acceptance, ban)) => {
                self.swarm
                    .behaviour_mut()
                    .gossipsub
                    .report_message_validation_result(&message_id, &source, acceptance);
                if let Some(reason) = ban {
                    self.ban(source, reason);
                }
            }
        }
    }

    async fn on_sync_event(
        &mut self,
        event: request_response::Event<Result<SyncRequest, WireError>, SyncResponse>,
    ) {
        use request_response::{Event, Message};
        match event {
            Event::Message {
                peer,
                message:
                    Message::Request {
                        request_id,
                        request,
                        channel,
                    },
                ..
            } => {
                self.on_inbound_request(peer, request_id, request, channel)
                    .await
            }
            Event::Message {
                peer,
                message:
                    Message::Response {
                        request_id,
                        response,
                    },
                ..
            } => self.on_response(peer, request_id, response).await,
            Event::OutboundFailure {
                peer,
                request_id,
                error,
                ..
            } => self.on_outbound_failure(peer, request_id, error),
            Event::InboundFailure {
                peer,
                request_id,
                error,
                ..
            } => {
                self.inbound.remove(&request_id);
                if let Some((peer, reason)) = self.ban_after_response.remove(&request_id) {
                    self.ban(peer, reason);
                }
                if let InboundFailure::Io(e) = &error {
                    if let Some(wire) = wire_error_of(e).filter(|w| w.is_peer_fault()) {
                        let reason = BanReason::Undecodable(wire.clone());
                        self.ban(peer, reason);
                    }
                }
                tracing::debug!(%peer, %error, "inbound sync request failed");
            }
            Event::ResponseSent { request_id, .. } => {
                if let Some((peer, reason)) = self.ban_after_response.remove(&request_id) {
                    self.ban(peer, reason);
                }
            }
        }
    }

    async fn on_inbound_request(
        &mut self,
        peer: PeerId,
        request_id: InboundRequestId,
        request: Result<SyncRequest, WireError>,
        channel: ResponseChannel<SyncResponse>,
    ) {
        let request = match request {
            Ok(request) => request,
            Err(wire) => {
                // The stream is dropped unanswered; the sender is banned.
                drop(channel);
                self.ban(peer, BanReason::Undecodable(wire));
                return;
            }
        };
        let network_id = self.config.network_id;
        let immediate = if !self.rate_check(peer, false) {
            Some(SyncResponse::error(ErrorCode::RateLimited, "slow down"))
        } else if *request.network_id() != network_id {
            self.ban_after_response
                .insert(request_id, (peer, BanReason::WrongNetwork));
            Some(SyncResponse::error(
                ErrorCode::WrongNetwork,
                "request names another network",
            ))
        } else if let SyncRequest::Hello { .. } = request {
            Some(SyncResponse::Hello { network_id })
        } else {
            None
        };
        if let Some(response) = immediate {
            if self
                .swarm
                .behaviour_mut()
                .sync
                .send_response(channel, response)
                .is_err()
            {
                if let Some((peer, reason)) = self.ban_after_response.remove(&request_id) {
                    self.ban(peer, reason);
                }
            }
            return;
        }
        let Some(commands) = self.commands_weak.upgrade() else {
            return;
        };
        self.inbound.insert(request_id, channel);
        let responder = Responder::new(request_id, commands);
        self.emit(NetworkEvent::InboundRequest {
            peer,
            request,
            responder,
        })
        .await;
    }

    async fn on_response(
        &mut self,
        peer: PeerId,
        request_id: OutboundRequestId,
        response: SyncResponse,
    ) {
        let Some(pending) = self.pending_requests.remove(&request_id) else {
            return;
        };
        let result = match judge(&response, pending.expected, &self.config.network_id) {
            Ok(()) => {
                let greeted = matches!(response, SyncResponse::Hello { .. });
                if greeted && self.swarm.is_connected(&peer) && self.ready.insert(peer) {
                    self.emit(NetworkEvent::PeerConnected { peer }).await;
                }
                Ok(response)
            }
            Err(BanReason::UnexpectedResponse) => {
                self.ban(peer, BanReason::UnexpectedResponse);
                Err(NetworkError::UnexpectedResponse)
            }
            Err(reason) => {
                // Another network: the caller still sees what it said.
                self.ban(peer, reason);
                Ok(response)
            }
        };
        if let Some(reply) = pending.reply {
            let _ = reply.send(result);
        }
    }

    fn on_outbound_failure(
        &mut self,
        peer: PeerId,
        request_id: OutboundRequestId,
        error: OutboundFailure,
    ) {
        let pending = self.pending_requests.remove(&request_id);
        let was_hello = matches!(
            pending,
            Some(PendingRequest {
                expected: Expected::Hello,
                ..
            })
        );
        let failure = match error {
            OutboundFailure::DialFailure => NetworkError::Request(RequestFailure::DialFailure),
            OutboundFailure::Timeout => NetworkError::Request(RequestFailure::Timeout),
            OutboundFailure::ConnectionClosed => {
                NetworkError::Request(RequestFailure::ConnectionClosed)
            }
            OutboundFailure::UnsupportedProtocols => {
                if was_hello {
                    // Not a Nansen node (or the stream closed during
                    // negotiation, which multistream-select reports alike):
                    // no reason to stay connected. Its addresses are kept:
                    // identify says whether it speaks the protocol.
                    let _ = self.swarm.disconnect_peer_id(peer);
                }
                NetworkError::Request(RequestFailure::UnsupportedProtocols)
            }
            OutboundFailure::Io(e) => match wire_error_of(&e) {
                Some(wire) => {
                    let wire = wire.clone();
                    if wire.is_peer_fault() {
                        self.ban(peer, BanReason::Undecodable(wire.clone()));
                    }
                    NetworkError::Wire(wire)
                }
                None => NetworkError::Request(RequestFailure::Io(e.to_string())),
            },
        };
        tracing::debug!(%peer, error = %failure, "outbound sync request failed");
        if let Some(reply) = pending.and_then(|p| p.reply) {
            let _ = reply.send(Err(failure));
        }
    }
}

/// Whether a response fits the request it answers. A peer naming another
/// network is refused with [`BanReason::WrongNetwork`], any other misfit
/// with [`BanReason::UnexpectedResponse`].
fn judge(response: &SyncResponse, expected: Expected, ours: &NetworkId) -> Result<(), BanReason> {
    match (response, expected) {
        (
            SyncResponse::Error {
                code: ErrorCode::WrongNetwork,
                ..
            },
            _,
        ) => Err(BanReason::WrongNetwork),
        (SyncResponse::Error { .. }, _) => Ok(()),
        (SyncResponse::Hello { network_id }, Expected::Hello) if network_id == ours => Ok(()),
        (SyncResponse::Hello { .. }, Expected::Hello) => Err(BanReason::WrongNetwork),
        (SyncResponse::Heads { .. }, Expected::Heads) => Ok(()),
        (
            SyncResponse::Entries { entries },
            Expected::Entries {
                max_entries,
                max_bytes,
            },
        ) if entries_fit(entries, max_entries, max_bytes) => Ok(()),
        _ => Err(BanReason::UnexpectedResponse),
    }
}

/// Whether a range response respects the request's budget: at most
/// `max_entries` entries and at most `max_bytes` bytes, except that a single
/// entry may exceed `max_bytes` (otherwise a large entry could never sync).
fn entries_fit(entries: &[serde_bytes::ByteBuf], max_entries: u32, max_bytes: u32) -> bool {
    if entries.len() as u64 > u64::from(max_entries) {
        return false;
    }
    let total: u64 = entries.iter().map(|e| e.len() as u64).sum();
    total <= u64::from(max_bytes) || entries.len() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_bytes::ByteBuf;

    #[test]
    fn range_response_must_respect_the_budget() {
        let entry = |n: usize| ByteBuf::from(vec![0u8; n]);
        assert!(entries_fit(&[entry(10), entry(10)], 2, 20));
        assert!(!entries_fit(&[entry(10), entry(10)], 1, 100));
        assert!(!entries_fit(&[entry(10), entry(11)], 2, 20));
        assert!(entries_fit(&[entry(1000)], 5, 20));
        assert!(entries_fit(&[], 0, 0));
    }
}
