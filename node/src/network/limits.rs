//! Connection limits per remote IP address, and the tally of refused and
//! timed-out connections that the event loop reports to the operator.
//!
//! libp2p's `connection_limits` caps connections overall and per peer, but
//! a half-open connection has no peer id yet: what an attacker who holds
//! connections open without finishing the handshake shares is an address.
//! [`IpLimits`] caps, per remote IP, the incoming connections still being
//! set up and the incoming connections established. Outgoing connections
//! are the node's own choice and are not counted here.
//!
//! [`RefusalTally`] is pure bookkeeping (time is passed in): the event loop
//! records each refusal and handshake timeout and logs one summary line at
//! most every [`RefusalTally::interval`], so that a flood shows in the log
//! without a line per connection.

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use libp2p::core::transport::PortUse;
use libp2p::core::{ConnectedPoint, Endpoint};
use libp2p::multiaddr::Protocol;
use libp2p::swarm::behaviour::{ConnectionEstablished, ListenFailure};
use libp2p::swarm::{
    dummy, ConnectionClosed, ConnectionDenied, ConnectionId, FromSwarm, NetworkBehaviour, THandler,
    THandlerInEvent, THandlerOutEvent, ToSwarm,
};
use libp2p::{Multiaddr, PeerId};

/// Which per-address limit a connection ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IpLimitKind {
    /// Incoming connections from one address still in their handshake.
    PendingIncoming,
    /// Established incoming connections from one address.
    EstablishedIncoming,
}

/// A connection refused because its remote address already has as many
/// connections of that kind as allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at most {limit} {kind} connections are allowed from {ip}")]
pub struct IpLimitExceeded {
    /// The remote address.
    pub ip: IpAddr,
    /// Which limit.
    pub kind: IpLimitKind,
    /// Its value.
    pub limit: u32,
}

impl fmt::Display for IpLimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IpLimitKind::PendingIncoming => "pending incoming",
            IpLimitKind::EstablishedIncoming => "established incoming",
        })
    }
}

/// The IP address in a multiaddress (its first `/ip4` or `/ip6` part).
pub fn ip_of(address: &Multiaddr) -> Option<IpAddr> {
    address.iter().find_map(|p| match p {
        Protocol::Ip4(ip) => Some(IpAddr::V4(ip)),
        Protocol::Ip6(ip) => Some(IpAddr::V6(ip)),
        _ => None,
    })
}

/// Per-address connection counts with their caps; pure bookkeeping under
/// [`IpLimits`].
#[derive(Debug, Default)]
struct IpCounts {
    /// The address of each counted connection.
    connections: HashMap<ConnectionId, IpAddr>,
    /// How many counted connections each address has.
    per_ip: HashMap<IpAddr, u32>,
}

impl IpCounts {
    /// Counts `connection` for `ip` unless `ip` already has `limit`.
    fn admit(&mut self, connection: ConnectionId, ip: IpAddr, limit: u32) -> bool {
        let count = self.per_ip.entry(ip).or_insert(0);
        if *count >= limit {
            if *count == 0 {
                self.per_ip.remove(&ip);
            }
            return false;
        }
        *count += 1;
        self.connections.insert(connection, ip);
        true
    }

    /// Stops counting `connection`, if it was counted.
    fn release(&mut self, connection: ConnectionId) {
        let Some(ip) = self.connections.remove(&connection) else {
            return;
        };
        if let Some(count) = self.per_ip.get_mut(&ip) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.per_ip.remove(&ip);
            }
        }
    }

    fn count(&self, ip: &IpAddr) -> u32 {
        self.per_ip.get(ip).copied().unwrap_or(0)
    }
}

/// A behaviour that refuses incoming connections from an address that
/// already has `max_pending` connections in their handshake, or
/// `max_established` established connections. It opens no stream.
#[derive(Debug)]
pub struct IpLimits {
    max_pending: u32,
    max_established: u32,
    pending: IpCounts,
    established: IpCounts,
}

impl IpLimits {
    /// Limits of `max_pending` incoming connections being set up and
    /// `max_established` established incoming connections per address.
    pub fn new(max_pending: u32, max_established: u32) -> Self {
        IpLimits {
            max_pending,
            max_established,
            pending: IpCounts::default(),
            established: IpCounts::default(),
        }
    }

    /// Incoming connections from `ip` now in their handshake.
    pub fn pending_from(&self, ip: &IpAddr) -> u32 {
        self.pending.count(ip)
    }

    /// Established incoming connections from `ip`.
    pub fn established_from(&self, ip: &IpAddr) -> u32 {
        self.established.count(ip)
    }
}

impl NetworkBehaviour for IpLimits {
    type ConnectionHandler = dummy::ConnectionHandler;
    type ToSwarm = Infallible;

    fn handle_pending_inbound_connection(
        &mut self,
        connection_id: ConnectionId,
        _local_addr: &Multiaddr,
        remote_addr: &Multiaddr,
    ) -> Result<(), ConnectionDenied> {
        let Some(ip) = ip_of(remote_addr) else {
            return Ok(());
        };
        if self.pending.admit(connection_id, ip, self.max_pending) {
            Ok(())
        } else {
            Err(ConnectionDenied::new(IpLimitExceeded {
                ip,
                kind: IpLimitKind::PendingIncoming,
                limit: self.max_pending,
            }))
        }
    }

    fn handle_established_inbound_connection(
        &mut self,
        connection_id: ConnectionId,
        _peer: PeerId,
        _local_addr: &Multiaddr,
        remote_addr: &Multiaddr,
    ) -> Result<THandler<Self>, ConnectionDenied> {
        self.pending.release(connection_id);
        if let Some(ip) = ip_of(remote_addr) {
            if self.established.count(&ip) >= self.max_established {
                return Err(ConnectionDenied::new(IpLimitExceeded {
                    ip,
                    kind: IpLimitKind::EstablishedIncoming,
                    limit: self.max_established,
                }));
            }
        }
        Ok(dummy::ConnectionHandler)
    }

    fn handle_established_outbound_connection(
        &mut self,
        _connection_id: ConnectionId,
        _peer: PeerId,
        _addr: &Multiaddr,
        _role_override: Endpoint,
        _port_use: PortUse,
    ) -> Result<THandler<Self>, ConnectionDenied> {
        Ok(dummy::ConnectionHandler)
    }

    fn on_swarm_event(&mut self, event: FromSwarm) {
        match event {
            // Counted only once every behaviour admitted the connection.
            FromSwarm::ConnectionEstablished(ConnectionEstablished {
                connection_id,
                endpoint: ConnectedPoint::Listener { send_back_addr, .. },
                ..
            }) => {
                if let Some(ip) = ip_of(send_back_addr) {
                    self.established.admit(connection_id, ip, u32::MAX);
                }
            }
            FromSwarm::ConnectionClosed(ConnectionClosed { connection_id, .. }) => {
                self.established.release(connection_id);
            }
            FromSwarm::ListenFailure(ListenFailure { connection_id, .. }) => {
                self.pending.release(connection_id);
            }
            _ => {}
        }
    }

    fn on_connection_handler_event(
        &mut self,
        _peer: PeerId,
        _connection: ConnectionId,
        event: THandlerOutEvent<Self>,
    ) {
        libp2p::core::util::unreachable(event)
    }

    fn poll(&mut self, _: &mut Context<'_>) -> Poll<ToSwarm<Self::ToSwarm, THandlerInEvent<Self>>> {
        Poll::Pending
    }
}

/// A count of handshakes that ran out of time, shared between the TCP
/// transport (which counts) and the event loop (which reports). The
/// transport does not say which remote address a timed-out handshake was
/// with, so these are counted without a source.
#[derive(Debug, Clone, Default)]
pub struct HandshakeTimeouts(Arc<AtomicU64>);

impl HandshakeTimeouts {
    /// Counts one timeout.
    pub fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// The timeouts counted since the last call.
    pub fn take(&self) -> u64 {
        self.0.swap(0, Ordering::Relaxed)
    }
}

/// Why an incoming connection did not become a peer connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// The node already had as many incoming connections in their handshake
    /// as allowed.
    PendingTotal,
    /// The remote address already had as many connections in their
    /// handshake as allowed.
    PendingPerIp,
    /// The node already had as many established connections as allowed,
    /// overall or with that peer.
    Established,
    /// The remote address already had as many established connections as
    /// allowed.
    EstablishedPerIp,
    /// The handshake (multistream-select, Noise, Yamux) did not finish
    /// within the handshake timeout.
    HandshakeTimeout,
}

impl Refusal {
    /// All kinds, in the order of the summary line.
    pub const ALL: [Refusal; 5] = [
        Refusal::PendingTotal,
        Refusal::PendingPerIp,
        Refusal::Established,
        Refusal::EstablishedPerIp,
        Refusal::HandshakeTimeout,
    ];

    /// The name used in the summary line.
    pub fn name(self) -> &'static str {
        match self {
            Refusal::PendingTotal => "pending_total",
            Refusal::PendingPerIp => "pending_per_ip",
            Refusal::Established => "established",
            Refusal::EstablishedPerIp => "established_per_ip",
            Refusal::HandshakeTimeout => "handshake_timeout",
        }
    }
}

/// Most distinct source addresses counted per report window.
const MAX_TALLIED_SOURCES: usize = 4096;

/// What happened in one report window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalSummary {
    /// From the window's first refusal to the report.
    pub window: Duration,
    /// Count of each kind, in the order of [`Refusal::ALL`].
    pub counts: [u64; 5],
    /// Distinct source addresses seen (at most 4,096 are told apart; a
    /// refusal without a known address, such as a handshake timeout, adds
    /// none).
    pub sources: usize,
    /// The address with the most refusals, and how many.
    pub top_source: Option<(IpAddr, u64)>,
}

impl RefusalSummary {
    /// All refusals and timeouts in the window.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

impl fmt::Display for RefusalSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (kind, count) in Refusal::ALL.iter().zip(self.counts) {
            if count > 0 {
                if !first {
                    f.write_str(", ")?;
                }
                write!(f, "{} {count}", kind.name())?;
                first = false;
            }
        }
        write!(f, "; {} source addresses", self.sources)?;
        if let Some((ip, count)) = self.top_source {
            write!(f, ", most from {ip} ({count})")?;
        }
        Ok(())
    }
}

/// Counts refusals and handshake timeouts, and says when to report them:
/// at once if nothing was reported in the last `interval`, otherwise once
/// the interval has passed.
#[derive(Debug)]
pub struct RefusalTally {
    interval: Duration,
    /// When the last report was made.
    window_start: Instant,
    /// When the first refusal since the last report was counted.
    first_at: Option<Instant>,
    counts: [u64; 5],
    sources: HashMap<IpAddr, u64>,
}

impl RefusalTally {
    /// A tally reporting at most once per `interval`, starting at `now`.
    pub fn new(interval: Duration, now: Instant) -> Self {
        RefusalTally {
            interval,
            // The first refusal is reported without waiting a whole interval.
            window_start: now.checked_sub(interval).unwrap_or(now),
            first_at: None,
            counts: [0; 5],
            sources: HashMap::new(),
        }
    }

    /// The shortest time between two reports.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Records one refusal at `now`, from `source` if known.
    pub fn record(&mut self, refusal: Refusal, source: Option<IpAddr>, now: Instant) {
        self.first_at.get_or_insert(now);
        let index = Refusal::ALL
            .iter()
            .position(|r| *r == refusal)
            .unwrap_or_default();
        self.counts[index] = self.counts[index].saturating_add(1);
        if let Some(ip) = source {
            if self.sources.len() < MAX_TALLIED_SOURCES || self.sources.contains_key(&ip) {
                *self.sources.entry(ip).or_insert(0) += 1;
            }
        }
    }

    /// Adds `count` handshake timeouts (whose sources are not known),
    /// counted by `now`.
    pub fn record_timeouts(&mut self, count: u64, now: Instant) {
        if count == 0 {
            return;
        }
        self.first_at.get_or_insert(now);
        let index = Refusal::ALL.len() - 1;
        self.counts[index] = self.counts[index].saturating_add(count);
    }

    /// The summary of the window if one is due at `now`, starting a new
    /// window; `None` if nothing was counted or the last report is too
    /// recent.
    pub fn report(&mut self, now: Instant) -> Option<RefusalSummary> {
        let since_last_report = now.saturating_duration_since(self.window_start);
        if self.counts.iter().all(|c| *c == 0) || since_last_report < self.interval {
            return None;
        }
        let top_source = self
            .sources
            .iter()
            .max_by_key(|(ip, count)| (**count, std::cmp::Reverse(**ip)))
            .map(|(ip, count)| (*ip, *count));
        let first_at = self.first_at.take().unwrap_or(now);
        let summary = RefusalSummary {
            window: now.saturating_duration_since(first_at),
            counts: self.counts,
            sources: self.sources.len(),
            top_source,
        };
        self.counts = [0; 5];
        self.sources.clear();
        self.window_start = now;
        Some(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, last])
    }

    #[test]
    fn an_address_gets_no_more_than_its_limit_until_one_is_released() {
        let mut counts = IpCounts::default();
        let ids: Vec<ConnectionId> = (1..=4).map(ConnectionId::new_unchecked).collect();
        assert!(counts.admit(ids[0], ip(2), 2));
        assert!(counts.admit(ids[1], ip(2), 2));
        assert!(!counts.admit(ids[2], ip(2), 2));
        assert!(
            counts.admit(ids[2], ip(3), 2),
            "another address has its own"
        );
        counts.release(ids[0]);
        counts.release(ids[0]);
        assert_eq!(counts.count(&ip(2)), 1);
        assert!(counts.admit(ids[3], ip(2), 2));
        counts.release(ids[1]);
        counts.release(ids[2]);
        counts.release(ids[3]);
        assert!(counts.per_ip.is_empty() && counts.connections.is_empty());
    }

    #[test]
    fn a_zero_limit_refuses_without_leaving_a_count() {
        let mut counts = IpCounts::default();
        assert!(!counts.admit(ConnectionId::new_unchecked(1), ip(2), 0));
        assert!(counts.per_ip.is_empty());
    }

    #[test]
    fn the_address_is_read_from_ip4_and_ip6_multiaddresses() {
        let v4: Multiaddr = "/ip4/192.0.2.1/tcp/4100".parse().expect("address");
        let v6: Multiaddr = "/ip6/2001:db8::1/udp/4100/quic-v1"
            .parse()
            .expect("address");
        let dns: Multiaddr = "/dns4/example.org/tcp/4100".parse().expect("address");
        assert_eq!(ip_of(&v4), Some(IpAddr::from([192, 0, 2, 1])));
        assert_eq!(
            ip_of(&v6),
            Some("2001:db8::1".parse::<IpAddr>().expect("ip"))
        );
        assert_eq!(ip_of(&dns), None);
    }

    #[test]
    fn the_first_refusal_is_reported_at_once_then_at_most_once_per_interval() {
        let start = Instant::now() + Duration::from_secs(60);
        let mut tally = RefusalTally::new(Duration::from_secs(10), start);
        assert_eq!(tally.report(start), None, "nothing to report");
        tally.record(Refusal::PendingTotal, Some(ip(10)), start);
        tally.record(Refusal::PendingTotal, Some(ip(10)), start);
        tally.record(Refusal::PendingPerIp, Some(ip(11)), start);
        tally.record_timeouts(3, start);
        tally.record_timeouts(0, start);
        let first = tally
            .report(start + Duration::from_millis(400))
            .expect("first report at once");
        assert_eq!(first.window, Duration::from_millis(400));
        assert_eq!(first.counts, [2, 1, 0, 0, 3]);
        assert_eq!(first.total(), 6);
        assert_eq!(first.sources, 2);
        assert_eq!(first.top_source, Some((ip(10), 2)));
        assert_eq!(
            first.to_string(),
            "pending_total 2, pending_per_ip 1, handshake_timeout 3; 2 source addresses, most from 127.0.0.10 (2)"
        );

        tally.record(Refusal::Established, None, start + Duration::from_secs(2));
        assert_eq!(tally.report(start + Duration::from_secs(9)), None);
        let second = tally
            .report(start + Duration::from_millis(10_400))
            .expect("second report after the interval");
        assert_eq!(second.window, Duration::from_millis(8_400));
        assert_eq!(second.counts, [0, 0, 1, 0, 0]);
        assert_eq!(second.sources, 0);
        assert_eq!(second.top_source, None);
    }
}
