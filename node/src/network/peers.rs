//! What the node remembers about peers' conduct: rate-limit buckets,
//! application scores and bans. Pure bookkeeping; time is passed in, and the
//! event loop applies the decisions to the swarm.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use libp2p::PeerId;

use crate::network::config::RateLimit;
use crate::sync::wire::WireError;

/// Why a peer was banned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BanReason {
    /// It named another network id (in a request, response or gossip).
    #[error("peer is on another network")]
    WrongNetwork,
    /// It sent bytes that are not a valid message.
    #[error("peer sent an invalid message: {0}")]
    Undecodable(WireError),
    /// It answered with a response that does not fit the request.
    #[error("peer sent a response that does not fit the request")]
    UnexpectedResponse,
    /// It kept sending over its rate limit.
    #[error("peer exceeded its rate limit")]
    RateLimited,
    /// The application's accumulated score fell to the ban threshold.
    #[error("peer's score fell to the ban threshold")]
    LowScore,
    /// The application asked for it.
    #[error("peer blocked by the application")]
    Blocked,
    /// The node's operator banned it (until the operator lifts the ban).
    #[error("peer banned by the operator")]
    Operator,
}

/// A token bucket.
#[derive(Debug, Clone)]
struct Bucket {
    tokens: f64,
    last: Instant,
    strikes: u32,
}

impl Bucket {
    fn full(limit: &RateLimit, now: Instant) -> Self {
        Bucket {
            tokens: f64::from(limit.burst),
            last: now,
            strikes: 0,
        }
    }
}

/// The verdict on one inbound message under a rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateVerdict {
    /// Within the limit.
    Allow,
    /// Over the limit: drop the message.
    Drop,
    /// Over the limit too often: ban the peer.
    Ban,
}

/// Per-peer token buckets for one kind of inbound message.
#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    buckets: HashMap<PeerId, Bucket>,
}

impl RateLimiter {
    /// A limiter applying `limit` to each peer separately.
    pub fn new(limit: RateLimit) -> Self {
        RateLimiter {
            limit,
            buckets: HashMap::new(),
        }
    }

    /// Takes one token from `peer`'s bucket.
    pub fn check(&mut self, peer: PeerId, now: Instant) -> RateVerdict {
        let limit = self.limit;
        let capacity = f64::from(limit.burst);
        let bucket = self
            .buckets
            .entry(peer)
            .or_insert_with(|| Bucket::full(&limit, now));
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * limit.per_second).min(capacity);
        bucket.last = now;
        if bucket.tokens >= capacity {
            bucket.strikes = 0;
        }
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return RateVerdict::Allow;
        }
        bucket.strikes = bucket.strikes.saturating_add(1);
        if bucket.strikes > limit.max_strikes {
            RateVerdict::Ban
        } else {
            RateVerdict::Drop
        }
    }

    /// Forgets a peer (when its last connection closed).
    pub fn forget(&mut self, peer: &PeerId) {
        self.buckets.remove(peer);
    }
}

/// Bans with expiry (`None`: until lifted), and the application's
/// accumulated scores.
#[derive(Debug, Default)]
pub struct PeerBook {
    bans: HashMap<PeerId, Option<Instant>>,
    scores: HashMap<PeerId, f64>,
}

impl PeerBook {
    /// Records a ban of `peer` until `now + duration` (a duration too long
    /// to represent means until lifted); a ban until lifted stays so, and a
    /// longer ban is not shortened. Returns whether the peer was not banned
    /// before.
    pub fn ban(&mut self, peer: PeerId, now: Instant, duration: Duration) -> bool {
        let until = now.checked_add(duration);
        match self.bans.get_mut(&peer) {
            None => {
                self.bans.insert(peer, until);
                true
            }
            Some(current) => {
                if let (Some(old), Some(new)) = (*current, until) {
                    *current = Some(old.max(new));
                } else {
                    *current = None;
                }
                false
            }
        }
    }

    /// Records a ban of `peer` that lasts until [`PeerBook::unban`].
    /// Returns whether the peer was not banned before.
    pub fn ban_until_lifted(&mut self, peer: PeerId) -> bool {
        self.bans.insert(peer, None).is_none()
    }

    /// The banned peers, each with the time its ban ends (`None`: until
    /// lifted).
    pub fn banned(&self) -> Vec<(PeerId, Option<Instant>)> {
        self.bans.iter().map(|(p, until)| (*p, *until)).collect()
    }

    /// Lifts a ban early. Returns whether the peer was banned.
    pub fn unban(&mut self, peer: &PeerId) -> bool {
        self.scores.remove(peer);
        self.bans.remove(peer).is_some()
    }

    /// Whether `peer` is banned.
    pub fn is_banned(&self, peer: &PeerId) -> bool {
        self.bans.contains_key(peer)
    }

    /// Removes and returns the bans that ran out by `now`; their scores
    /// start again from zero.
    pub fn expire(&mut self, now: Instant) -> Vec<PeerId> {
        let expired: Vec<PeerId> = self
            .bans
            .iter()
            .filter(|(_, until)| until.is_some_and(|until| until <= now))
            .map(|(peer, _)| *peer)
            .collect();
        for peer in &expired {
            self.bans.remove(peer);
            self.scores.remove(peer);
        }
        expired
    }

    /// Adds `delta` to `peer`'s application score and returns the new score.
    pub fn add_score(&mut self, peer: PeerId, delta: f64) -> f64 {
        let delta = if delta.is_finite() { delta } else { 0.0 };
        let score = self.scores.entry(peer).or_insert(0.0);
        *score += delta;
        *score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit() -> RateLimit {
        RateLimit {
            burst: 2,
            per_second: 1.0,
            max_strikes: 2,
        }
    }

    #[test]
    fn bucket_allows_a_burst_then_drops_then_bans() {
        let mut limiter = RateLimiter::new(limit());
        let peer = PeerId::random();
        let now = Instant::now();
        assert_eq!(limiter.check(peer, now), RateVerdict::Allow);
        assert_eq!(limiter.check(peer, now), RateVerdict::Allow);
        assert_eq!(limiter.check(peer, now), RateVerdict::Drop);
        assert_eq!(limiter.check(peer, now), RateVerdict::Drop);
        assert_eq!(limiter.check(peer, now), RateVerdict::Ban);
    }

    #[test]
    fn bucket_refills_over_time_and_forgives_strikes() {
        let mut limiter = RateLimiter::new(limit());
        let peer = PeerId::random();
        let now = Instant::now();
        for _ in 0..2 {
            limiter.check(peer, now);
        }
        assert_eq!(limiter.check(peer, now), RateVerdict::Drop);
        let later = now + Duration::from_secs(1);
        assert_eq!(limiter.check(peer, later), RateVerdict::Allow);
        let much_later = later + Duration::from_secs(10);
        for _ in 0..2 {
            assert_eq!(limiter.check(peer, much_later), RateVerdict::Allow);
        }
        assert_eq!(limiter.check(peer, much_later), RateVerdict::Drop);
    }

    #[test]
    fn peers_have_separate_buckets() {
        let mut limiter = RateLimiter::new(limit());
        let (a, b) = (PeerId::random(), PeerId::random());
        let now = Instant::now();
        for _ in 0..2 {
            limiter.check(a, now);
        }
        assert_eq!(limiter.check(a, now), RateVerdict::Drop);
        assert_eq!(limiter.check(b, now), RateVerdict::Allow);
    }

    #[test]
    fn bans_expire_and_reset_the_score() {
        let mut book = PeerBook::default();
        let peer = PeerId::random();
        let now = Instant::now();
        assert_eq!(book.add_score(peer, -60.0), -60.0);
        assert!(book.ban(peer, now, Duration::from_secs(5)));
        assert!(!book.ban(peer, now, Duration::from_secs(5)));
        assert!(book.is_banned(&peer));
        assert!(book.expire(now + Duration::from_secs(4)).is_empty());
        assert_eq!(book.expire(now + Duration::from_secs(5)), vec![peer]);
        assert!(!book.is_banned(&peer));
        assert_eq!(book.add_score(peer, -1.0), -1.0);
    }

    #[test]
    fn operator_bans_last_until_lifted() {
        let mut book = PeerBook::default();
        let peer = PeerId::random();
        let now = Instant::now();
        assert!(book.ban_until_lifted(peer));
        assert!(!book.ban(peer, now, Duration::from_secs(5)));
        assert!(book
            .expire(now + Duration::from_secs(3600 * 24 * 365))
            .is_empty());
        assert_eq!(book.banned(), vec![(peer, None)]);
        assert!(book.unban(&peer));
        assert!(!book.is_banned(&peer));
        // A timed ban is lengthened, not shortened, by a later one.
        assert!(book.ban(peer, now, Duration::from_secs(60)));
        assert!(!book.ban(peer, now, Duration::from_secs(5)));
        assert!(book.expire(now + Duration::from_secs(30)).is_empty());
        assert_eq!(book.expire(now + Duration::from_secs(60)), vec![peer]);
    }

    #[test]
    fn non_finite_score_changes_are_ignored() {
        let mut book = PeerBook::default();
        let peer = PeerId::random();
        assert_eq!(book.add_score(peer, f64::NAN), 0.0);
        assert_eq!(book.add_score(peer, f64::NEG_INFINITY), 0.0);
    }
}
