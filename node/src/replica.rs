//! The node's ledger replica: the sled [`Store`] owned behind one lock, used
//! from async code through blocking tasks, and the events that tell the rest
//! of the node what changed (new local entries to gossip, equivocations).
//!
//! Every batch goes through [`Replica::ingest`], whatever its origin (API,
//! gossip, sync, import), so every path validates alike and counts alike.

use std::sync::{Arc, Mutex};

use ledger::equivocation::EquivocationProof;
use ledger::store::{IngestResult, Outcome, Store, StoreError, WitnessError};
use ledger::types::{Author, Hash32};
use tokio::sync::broadcast;

use crate::metrics::Metrics;
use crate::sync::wire::ChainHead as WireHead;

/// Where a batch of entries came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Submitted through the HTTP API or imported from a file: gossip the
    /// accepted entries.
    Local,
    /// Received on the gossip topic (gossipsub forwards it by itself).
    Gossip,
    /// Pulled with range sync.
    Sync,
}

/// Something the rest of the node should act on.
#[derive(Debug, Clone)]
pub enum ReplicaEvent {
    /// Entries accepted from a local origin, to be announced.
    Accepted {
        /// The exact signed bytes, in acceptance order.
        entries: Vec<Vec<u8>>,
    },
    /// An equivocation was recorded; the proof is to be announced.
    Equivocation {
        /// The proof.
        proof: EquivocationProof,
    },
}

/// Why the replica could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum ReplicaError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Witnessing failed.
    #[error(transparent)]
    Witness(#[from] WitnessError),
    /// A previous store operation panicked; the replica refuses further use.
    #[error("the store lock is poisoned")]
    Poisoned,
    /// The blocking task did not complete.
    #[error("store task failed: {0}")]
    Task(String),
}

/// The store, shared by the node's tasks.
#[derive(Clone)]
pub struct Replica {
    store: Arc<Mutex<Store>>,
    events: broadcast::Sender<ReplicaEvent>,
    metrics: Arc<Metrics>,
    network: Hash32,
}

impl std::fmt::Debug for Replica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replica")
            .field("network", &self.network)
            .finish_non_exhaustive()
    }
}

impl Replica {
    /// Wraps an open store.
    pub fn new(store: Store, metrics: Arc<Metrics>) -> Self {
        let network = store.network();
        let (events, _) = broadcast::channel(1024);
        Replica {
            store: Arc::new(Mutex::new(store)),
            events,
            metrics,
            network,
        }
    }

    /// The network id.
    pub fn network(&self) -> Hash32 {
        self.network
    }

    /// The node's metrics.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Events about changes (see [`ReplicaEvent`]).
    pub fn subscribe(&self) -> broadcast::Receiver<ReplicaEvent> {
        self.events.subscribe()
    }

    /// Runs `f` with the store on a blocking thread.
    pub async fn with<R, F>(&self, f: F) -> Result<R, ReplicaError>
    where
        F: FnOnce(&mut Store) -> R + Send + 'static,
        R: Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || {
            let mut guard = store.lock().map_err(|_| ReplicaError::Poisoned)?;
            Ok(f(&mut guard))
        })
        .await
        .map_err(|e| ReplicaError::Task(e.to_string()))?
    }

    /// Validates and stores a batch (durable when this returns), counts the
    /// outcomes, and announces what the rest of the node should know.
    pub async fn ingest(
        &self,
        entries: Vec<Vec<u8>>,
        origin: Origin,
    ) -> Result<Vec<IngestResult>, ReplicaError> {
        self.ingest_with_hold_budget(entries, origin, usize::MAX)
            .await
    }

    /// As [`Self::ingest`], with at most `hold_budget` entries newly held
    /// (what a peer may still add to the hold; `Store::ingest_with_hold_budget`).
    pub async fn ingest_with_hold_budget(
        &self,
        entries: Vec<Vec<u8>>,
        origin: Origin,
        hold_budget: usize,
    ) -> Result<Vec<IngestResult>, ReplicaError> {
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let batch = entries.clone();
        let (results, proofs) = self
            .with(move |store| -> Result<_, StoreError> {
                let results = store.ingest_with_hold_budget(&batch, hold_budget)?;
                let mut proofs = Vec::new();
                if results.iter().any(|r| r.outcome == Outcome::Equivocation) {
                    let positions: Vec<(Author, u64)> = results
                        .iter()
                        .filter(|r| r.outcome == Outcome::Equivocation)
                        .filter_map(|r| r.entry.as_ref().map(|(a, s, _)| (a.clone(), *s)))
                        .collect();
                    for proof in store.equivocation_proofs()? {
                        if let Ok((first, _)) = proof.entries() {
                            let at = (first.body().author.clone(), first.body().seq);
                            if positions.contains(&at) {
                                proofs.push(proof);
                            }
                        }
                    }
                }
                Ok((results, proofs))
            })
            .await??;
        let mut accepted = Vec::new();
        for (bytes, result) in entries.into_iter().zip(&results) {
            self.metrics.count_outcome(&result.outcome);
            let logged = matches!(result.outcome, Outcome::Accepted | Outcome::Void(_));
            if logged && origin == Origin::Local {
                accepted.push(bytes);
            }
        }
        if !accepted.is_empty() {
            let _ = self
                .events
                .send(ReplicaEvent::Accepted { entries: accepted });
        }
        for proof in proofs {
            tracing::warn!("equivocation recorded; chain frozen");
            let _ = self.events.send(ReplicaEvent::Equivocation { proof });
        }
        Ok(results)
    }

    /// Checks and records an equivocation proof received on its own.
    pub async fn ingest_equivocation_proof(
        &self,
        proof: EquivocationProof,
    ) -> Result<Vec<IngestResult>, ReplicaError> {
        let results = self
            .with(move |store| store.ingest_equivocation_proof(&proof))
            .await??;
        for result in &results {
            self.metrics.count_outcome(&result.outcome);
        }
        Ok(results)
    }

    /// Every chain's head as the sync protocol carries it.
    pub async fn wire_heads(&self) -> Result<Vec<WireHead>, ReplicaError> {
        self.with(|store| {
            store
                .heads()
                .into_iter()
                .map(|(author, head)| to_wire_head(&author, &head))
                .collect()
        })
        .await
    }
}

/// A ledger chain head in the sync protocol's form.
pub fn to_wire_head(author: &Author, head: &ledger::state::ChainHead) -> WireHead {
    WireHead {
        author: author.as_str().to_owned(),
        size: head.size,
        head: head.head.map(|h| h.0).unwrap_or([0; 32]),
    }
}
