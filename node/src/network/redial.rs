//! When to dial known peers again. A node with fewer peers than it wants
//! redials its bootstrap peers and the peers whose addresses it learned,
//! each on its own exponential backoff, so that a peer it could not reach
//! (refused, flooded, down for a while) is tried again soon after it comes
//! back, and a peer that stays away costs one dial per maximum backoff.
//!
//! Pure bookkeeping; time is passed in, and the event loop dials.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use libp2p::PeerId;

#[derive(Debug, Clone, Copy)]
struct Backoff {
    /// No attempt before this.
    next_at: Instant,
    /// The wait after the next attempt.
    delay: Duration,
}

/// Per-peer redial backoff: the first attempt at once, then waits of `min`,
/// `2 min`, `4 min`, ... up to `max` between attempts, until the peer
/// connects.
#[derive(Debug)]
pub struct RedialSchedule {
    min: Duration,
    max: Duration,
    peers: HashMap<PeerId, Backoff>,
}

impl RedialSchedule {
    /// A schedule with waits from `min` doubling up to `max` (at least `min`).
    pub fn new(min: Duration, max: Duration) -> Self {
        RedialSchedule {
            min,
            max: max.max(min),
            peers: HashMap::new(),
        }
    }

    /// Whether `peer` may be dialled at `now`; if so, the attempt is
    /// recorded and the next one pushed back by the current wait, which
    /// then doubles (up to the maximum).
    pub fn attempt(&mut self, peer: PeerId, now: Instant) -> bool {
        let (min, max) = (self.min, self.max);
        let backoff = self.peers.entry(peer).or_insert(Backoff {
            next_at: now,
            delay: min,
        });
        if now < backoff.next_at {
            return false;
        }
        backoff.next_at = now + backoff.delay;
        backoff.delay = backoff.delay.saturating_mul(2).min(max);
        true
    }

    /// When `peer` may be dialled next (`None`: at once).
    pub fn next_attempt(&self, peer: &PeerId) -> Option<Instant> {
        self.peers.get(peer).map(|b| b.next_at)
    }

    /// Forgets `peer`'s backoff (it connected, or is no longer a
    /// candidate): its next attempt, if any, is at once.
    pub fn reset(&mut self, peer: &PeerId) {
        self.peers.remove(peer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_maximum_and_reset_on_connection() {
        let mut schedule = RedialSchedule::new(Duration::from_secs(1), Duration::from_secs(5));
        let peer = PeerId::random();
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        assert!(schedule.attempt(peer, at(0)), "first attempt at once");
        assert!(!schedule.attempt(peer, at(0)));
        assert!(schedule.attempt(peer, at(1)), "after 1 s");
        assert!(!schedule.attempt(peer, at(2)));
        assert!(schedule.attempt(peer, at(3)), "after 2 s more");
        assert!(!schedule.attempt(peer, at(6)));
        assert!(schedule.attempt(peer, at(7)), "after 4 s more");
        assert!(!schedule.attempt(peer, at(11)));
        assert!(schedule.attempt(peer, at(12)), "capped at 5 s");
        assert_eq!(schedule.next_attempt(&peer), Some(at(17)));
        assert!(schedule.attempt(peer, at(17)), "still 5 s");
        schedule.reset(&peer);
        assert_eq!(schedule.next_attempt(&peer), None);
        assert!(schedule.attempt(peer, at(18)), "at once after a reset");
        assert!(schedule.attempt(peer, at(19)));
    }

    #[test]
    fn peers_back_off_separately() {
        let mut schedule = RedialSchedule::new(Duration::from_secs(2), Duration::from_secs(8));
        let (a, b) = (PeerId::random(), PeerId::random());
        let now = Instant::now();
        assert!(schedule.attempt(a, now));
        assert!(!schedule.attempt(a, now));
        assert!(schedule.attempt(b, now));
    }
}
