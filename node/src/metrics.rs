//! The node's counters and gauges, rendered in the Prometheus text format
//! (version 0.0.4) at `GET /metrics`.
//!
//! Values that the store already knows (entries per chain, held entries)
//! are read from it when rendering; this module keeps only what happens
//! over time: outcomes of ingested entries, rejections by code, peers, the
//! largest chain sizes seen at peers (for sync lag) and API latency.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use ledger::store::Outcome;

use crate::network::traffic::TrafficCounters;

/// Upper bounds of the API latency histogram buckets, in seconds.
const LATENCY_BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Everything the node counts.
#[derive(Debug, Default)]
pub struct Metrics {
    accepted: AtomicU64,
    duplicate: AtomicU64,
    held: AtomicU64,
    equivocations: AtomicU64,
    disputed: AtomicU64,
    void: AtomicU64,
    peers: AtomicU64,
    gossip_published: AtomicU64,
    synced_entries: AtomicU64,
    rejections: Mutex<BTreeMap<&'static str, u64>>,
    remote_sizes: Mutex<BTreeMap<String, u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    traffic: TrafficCounters,
}

/// What the store contributes when rendering.
#[derive(Debug, Default, Clone)]
pub struct StoreFigures {
    /// Entries per chain, by author.
    pub chain_sizes: Vec<(String, u64)>,
    /// Entries held waiting for a dependency.
    pub held: u64,
    /// Equivocation proofs recorded.
    pub equivocation_proofs: u64,
}

impl Metrics {
    /// Counts one ingest outcome.
    pub fn count_outcome(&self, outcome: &Outcome) {
        let counter = match outcome {
            Outcome::Accepted => &self.accepted,
            Outcome::Duplicate => &self.duplicate,
            Outcome::Held(_) => &self.held,
            Outcome::Equivocation => &self.equivocations,
            Outcome::Disputed => &self.disputed,
            Outcome::Void(_) => &self.void,
            Outcome::Rejected(r) => {
                if let Ok(mut map) = self.rejections.lock() {
                    *map.entry(r.code()).or_insert(0) += 1;
                }
                return;
            }
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The byte counters of TCP peer connections: give a clone to the
    /// network layer (`NetworkConfig::traffic`) so that `/metrics` shows them.
    pub fn traffic(&self) -> &TrafficCounters {
        &self.traffic
    }

    /// Sets the number of connected peers.
    pub fn set_peers(&self, peers: usize) {
        self.peers.store(peers as u64, Ordering::Relaxed);
    }

    /// The number of connected peers last set.
    pub fn peers(&self) -> u64 {
        self.peers.load(Ordering::Relaxed)
    }

    /// Counts a published gossip message.
    pub fn count_gossip_published(&self) {
        self.gossip_published.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts entries received by range sync (before they are ingested).
    pub fn count_synced(&self, entries: usize) {
        self.synced_entries
            .fetch_add(entries as u64, Ordering::Relaxed);
    }

    /// Records that a peer announced `size` entries for `author`.
    pub fn note_remote_size(&self, author: &str, size: u64) {
        if let Ok(mut map) = self.remote_sizes.lock() {
            let known = map.entry(author.to_owned()).or_insert(0);
            *known = (*known).max(size);
        }
    }

    /// Entries known at peers and missing here, summed over chains.
    pub fn sync_lag(&self, local: &[(String, u64)]) -> u64 {
        let Ok(map) = self.remote_sizes.lock() else {
            return 0;
        };
        map.iter()
            .map(|(author, remote)| {
                let here = local
                    .iter()
                    .find(|(a, _)| a == author)
                    .map_or(0, |(_, s)| *s);
                remote.saturating_sub(here)
            })
            .sum()
    }

    /// Records one API request's latency under its route pattern.
    pub fn observe_request(&self, route: &str, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        if let Ok(mut map) = self.latency.lock() {
            let h = map.entry(route.to_owned()).or_default();
            for (i, bound) in LATENCY_BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    h.buckets[i] += 1;
                }
            }
            h.count += 1;
            h.sum += seconds;
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self, store: &StoreFigures) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        };
        let gauge = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        };
        gauge(
            &mut out,
            "nansen_peers",
            "Connected peers of this network.",
            self.peers(),
        );
        let _ = writeln!(
            out,
            "# HELP nansen_chain_entries Entries in each chain.\n# TYPE nansen_chain_entries gauge"
        );
        for (author, size) in &store.chain_sizes {
            let _ = writeln!(
                out,
                "nansen_chain_entries{{author=\"{}\"}} {size}",
                escape(author)
            );
        }
        gauge(
            &mut out,
            "nansen_held_entries",
            "Entries waiting for a dependency.",
            store.held,
        );
        gauge(
            &mut out,
            "nansen_equivocation_proofs",
            "Equivocation proofs recorded.",
            store.equivocation_proofs,
        );
        gauge(
            &mut out,
            "nansen_sync_lag_entries",
            "Entries announced by peers and not yet held here.",
            self.sync_lag(&store.chain_sizes),
        );
        for (name, help, value) in [
            (
                "nansen_entries_accepted_total",
                "Entries accepted.",
                &self.accepted,
            ),
            (
                "nansen_entries_duplicate_total",
                "Entries received again.",
                &self.duplicate,
            ),
            (
                "nansen_entries_held_total",
                "Entries held for a dependency.",
                &self.held,
            ),
            (
                "nansen_equivocations_total",
                "Equivocations detected.",
                &self.equivocations,
            ),
            (
                "nansen_entries_disputed_total",
                "Entries of an equivocating chain kept aside.",
                &self.disputed,
            ),
            (
                "nansen_entries_void_total",
                "Entries appended to a log without effect (suspension, scope change, governance fork).",
                &self.void,
            ),
            (
                "nansen_gossip_published_total",
                "Gossip messages published.",
                &self.gossip_published,
            ),
            (
                "nansen_sync_entries_total",
                "Entries received by range sync.",
                &self.synced_entries,
            ),
        ] {
            counter(&mut out, name, help, value.load(Ordering::Relaxed));
        }
        counter(
            &mut out,
            "nansen_network_bytes_sent_total",
            "Bytes written to TCP peer connections (all protocols, with Noise and Yamux framing) since start.",
            self.traffic.sent(),
        );
        counter(
            &mut out,
            "nansen_network_bytes_received_total",
            "Bytes read from TCP peer connections (all protocols, with Noise and Yamux framing) since start.",
            self.traffic.received(),
        );
        let _ = writeln!(
            out,
            "# HELP nansen_rejections_total Entries refused, by reason.\n# TYPE nansen_rejections_total counter"
        );
        if let Ok(map) = self.rejections.lock() {
            for (code, n) in map.iter() {
                let _ = writeln!(out, "nansen_rejections_total{{code=\"{code}\"}} {n}");
            }
        }
        let _ = writeln!(
            out,
            "# HELP nansen_api_request_duration_seconds HTTP API latency by route.\n# TYPE nansen_api_request_duration_seconds histogram"
        );
        if let Ok(map) = self.latency.lock() {
            for (route, h) in map.iter() {
                let route = escape(route);
                for (bound, n) in LATENCY_BUCKETS.iter().zip(h.buckets) {
                    let _ = writeln!(
                        out,
                        "nansen_api_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "nansen_api_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\nnansen_api_request_duration_seconds_sum{{route=\"{route}\"}} {}\nnansen_api_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count, h.sum, h.count
                );
            }
        }
        out
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendering_names_rejections_and_lag() {
        let m = Metrics::default();
        m.count_outcome(&Outcome::Rejected(
            ledger::rejection::Rejection::NonCanonical,
        ));
        m.count_outcome(&Outcome::Accepted);
        m.note_remote_size("registrar-1", 10);
        m.observe_request("/v1/health", Duration::from_millis(2));
        let text = m.render(&StoreFigures {
            chain_sizes: vec![("registrar-1".into(), 4)],
            held: 0,
            equivocation_proofs: 0,
        });
        assert!(text.contains("nansen_rejections_total{code=\"non_canonical\"} 1"));
        assert!(text.contains("nansen_entries_accepted_total 1"));
        assert!(text.contains("nansen_sync_lag_entries 6"));
        assert!(text.contains("nansen_network_bytes_sent_total 0"));
        assert!(text.contains("route=\"/v1/health\",le=\"0.0025\"} 1"));
    }
}
