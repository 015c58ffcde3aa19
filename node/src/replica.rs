//! The node's ledger replica: the sled [`Store`] shared by the node's tasks,
//! used from async code through blocking tasks, and the events that tell
//! the rest of the node what changed (new local entries to gossip,
//! equivocations).
//!
//! Every batch goes through [`Replica::ingest`], whatever its origin (API,
//! gossip, sync, import), so every path validates alike and counts alike.
//!
//! Reads never wait for ingest. The store sits behind a read-write lock,
//! and one writer at a time (ingest, witnessing) holds the writer lock
//! from validation to the last flush. A batch's signatures are checked
//! before the writer lock is taken ([`Store::check_signatures`]), so
//! batches from different sources overlap their signature checks with each
//! other's writes; the batch is then validated under the *read* lock
//! ([`Store::prepare_checked`]); the write lock is
//! taken only to apply it ([`Store::apply_prepared`], an in-memory sled
//! batch); it is flushed (fsync) under the read lock; then the chains it
//! grew are cosigned and note-signed ([`Store::witness_chain`], again a
//! short write) and flushed, before anything is reported. So this node
//! signs a checkpoint only over entries already durable, and a GET never
//! writes: it reads the stored note. API reads and sync answers
//! ([`Replica::with`]) wait at most for one in-memory apply.

use std::sync::{Arc, Mutex, RwLock};

use ledger::checkpoint::SignedCheckpoint;
use ledger::equivocation::EquivocationProof;
use ledger::store::{IngestResult, Outcome, Store, StoreError, WitnessError};
use ledger::types::{Author, Hash32};
use tokio::sync::broadcast;

use crate::metrics::Metrics;
use crate::sync::wire::ChainHead as WireHead;
use crate::witness::Witness;

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
    store: Arc<RwLock<Store>>,
    /// Held by whoever writes, from validation to flush: one writer at a
    /// time, so a batch validated under the read lock is applied to the
    /// replica it was validated against.
    writer: Arc<Mutex<()>>,
    witness: Arc<Witness>,
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

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `author`'s stored note, if this node cosigned and note-signed it (what
/// `GET .../checkpoint` serves). It is at the chain's current size, except
/// while a batch that grew the chain is being written (one batch behind)
/// or if this node refused to cosign the chain (it is inconsistent with
/// what it cosigned before).
pub fn own_note(
    store: &Store,
    witness: &Witness,
    author: &Author,
) -> Result<Option<SignedCheckpoint>, WitnessError> {
    let Some(note) = store.best_checkpoint(author)? else {
        return Ok(None);
    };
    let signed_by = |key: &ledger::checkpoint::SignerKey| {
        note.signatures()
            .iter()
            .any(|s| s.name == key.name() && s.key_id == key.key_id())
    };
    Ok((signed_by(witness.key()) && signed_by(witness.note_key())).then_some(note))
}

/// True if this node's own note for `author` is at the chain's size.
fn witnessed(store: &Store, witness: &Witness, author: &Author) -> Result<bool, WitnessError> {
    let size = store.state().chain(author).size;
    Ok(own_note(store, witness, author)?.is_some_and(|n| n.checkpoint().size == size))
}

/// Cosigns and note-signs the current checkpoint of each chain of
/// `authors` (written, not flushed). A chain that cannot be cosigned (it
/// is inconsistent with what this witness cosigned before) is logged and
/// left with its older note.
fn witness_chains(store: &mut Store, witness: &Witness, authors: &[Author]) {
    let now = now_secs();
    for author in authors {
        if let Err(e) = store.witness_chain(author, witness.key(), Some(witness.note_key()), now) {
            tracing::warn!(%author, error = %e, "chain not cosigned");
        }
    }
}

impl Replica {
    /// Wraps an open store, with this node's witness. Chains whose current
    /// checkpoint this node has not cosigned yet (a crash between a batch
    /// and its cosignature, a store written by another program) are
    /// cosigned now, so that every chain served has its checkpoint.
    /// Blocking: call it off the async runtime.
    pub fn new(
        mut store: Store,
        metrics: Arc<Metrics>,
        witness: Witness,
    ) -> Result<Self, ReplicaError> {
        let mut behind = Vec::new();
        for (author, head) in store.heads() {
            if head.size > 0 && !witnessed(&store, &witness, &author)? {
                behind.push(author);
            }
        }
        if !behind.is_empty() {
            witness_chains(&mut store, &witness, &behind);
            store.flush()?;
        }
        let network = store.network();
        let (events, _) = broadcast::channel(1024);
        Ok(Replica {
            store: Arc::new(RwLock::new(store)),
            writer: Arc::new(Mutex::new(())),
            witness: Arc::new(witness),
            events,
            metrics,
            network,
        })
    }

    /// The network id.
    pub fn network(&self) -> Hash32 {
        self.network
    }

    /// The node's metrics.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// This node's witness.
    pub fn witness(&self) -> &Witness {
        &self.witness
    }

    /// Events about changes (see [`ReplicaEvent`]).
    pub fn subscribe(&self) -> broadcast::Receiver<ReplicaEvent> {
        self.events.subscribe()
    }

    /// Reads the store with `f` on a blocking thread. Runs alongside other
    /// reads and alongside ingest's validation and flush; waits at most for
    /// one batch to be applied.
    pub async fn with<R, F>(&self, f: F) -> Result<R, ReplicaError>
    where
        F: FnOnce(&Store) -> R + Send + 'static,
        R: Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || {
            let guard = store.read().map_err(|_| ReplicaError::Poisoned)?;
            Ok(f(&guard))
        })
        .await
        .map_err(|e| ReplicaError::Task(e.to_string()))?
    }

    /// Changes the store with `f` on a blocking thread, as the only writer,
    /// then flushes (under the read lock) before returning. `f` must write
    /// without flushing (the `merge_*`, `witness_chain` and `apply_prepared`
    /// methods of [`Store`]).
    pub async fn write<R, F>(&self, f: F) -> Result<R, ReplicaError>
    where
        F: FnOnce(&mut Store) -> R + Send + 'static,
        R: Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let writer = Arc::clone(&self.writer);
        tokio::task::spawn_blocking(move || {
            let _writer = writer.lock().map_err(|_| ReplicaError::Poisoned)?;
            let result = {
                let mut guard = store.write().map_err(|_| ReplicaError::Poisoned)?;
                f(&mut guard)
            };
            store.read().map_err(|_| ReplicaError::Poisoned)?.flush()?;
            Ok(result)
        })
        .await
        .map_err(|e| ReplicaError::Task(e.to_string()))?
    }

    /// Validates and stores a batch (durable when this returns), cosigns
    /// the chains it grew, counts the outcomes, and announces what the rest
    /// of the node should know.
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
        self.ingest_inner(entries, origin, hold_budget, true).await
    }

    /// The one ingest path; `announce` says whether equivocations found are
    /// announced.
    async fn ingest_inner(
        &self,
        entries: Vec<Vec<u8>>,
        origin: Origin,
        hold_budget: usize,
        announce: bool,
    ) -> Result<Vec<IngestResult>, ReplicaError> {
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let store = Arc::clone(&self.store);
        let writer = Arc::clone(&self.writer);
        let witness = Arc::clone(&self.witness);
        let (entries, results, proofs) = tokio::task::spawn_blocking(move || {
            // The signatures first, before waiting for the writer: a batch from one peer is
            // checked while another source's batch is written and flushed.
            let checked = store
                .read()
                .map_err(|_| ReplicaError::Poisoned)?
                .check_signatures(&entries);
            let _writer = writer.lock().map_err(|_| ReplicaError::Poisoned)?;
            // Decoding and validation against the replica as it now stands (signatures
            // already checked are taken as checked): readers go on.
            let prepared = store
                .read()
                .map_err(|_| ReplicaError::Poisoned)?
                .prepare_checked(&entries, hold_budget, &checked)?;
            // The write itself.
            let (results, grown) = {
                let mut guard = store.write().map_err(|_| ReplicaError::Poisoned)?;
                let before = guard.heads();
                let results = guard.apply_prepared(prepared)?;
                let grown: Vec<Author> = guard
                    .heads()
                    .into_iter()
                    .filter(|(author, head)| {
                        !before
                            .iter()
                            .any(|(a, h)| a == author && h.size == head.size)
                    })
                    .map(|(author, _)| author)
                    .collect();
                (results, grown)
            };
            // Durable before this node signs anything about it; readers go on.
            store.read().map_err(|_| ReplicaError::Poisoned)?.flush()?;
            if !grown.is_empty() {
                witness_chains(
                    &mut *store.write().map_err(|_| ReplicaError::Poisoned)?,
                    &witness,
                    &grown,
                );
                store.read().map_err(|_| ReplicaError::Poisoned)?.flush()?;
            }
            let proofs = equivocation_proofs(
                &*store.read().map_err(|_| ReplicaError::Poisoned)?,
                &results,
            )?;
            Ok::<_, ReplicaError>((entries, results, proofs))
        })
        .await
        .map_err(|e| ReplicaError::Task(e.to_string()))??;
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
            if announce {
                let _ = self.events.send(ReplicaEvent::Equivocation { proof });
            }
        }
        Ok(results)
    }

    /// Checks and records an equivocation proof received on its own.
    pub async fn ingest_equivocation_proof(
        &self,
        proof: EquivocationProof,
    ) -> Result<Vec<IngestResult>, ReplicaError> {
        let proof = self
            .with(move |store| proof.verify(store.state()).map(|_| proof))
            .await?
            .map_err(StoreError::from)?;
        // What `Store::ingest_equivocation_proof` does: the proof checked,
        // then its two entries ingested as any batch (gossipsub forwards the
        // proof itself: it is not announced again).
        self.ingest_inner(
            vec![proof.first, proof.second],
            Origin::Gossip,
            usize::MAX,
            false,
        )
        .await
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

/// The proofs of the equivocations `results` report.
fn equivocation_proofs(
    store: &Store,
    results: &[IngestResult],
) -> Result<Vec<EquivocationProof>, StoreError> {
    let positions: Vec<(Author, u64)> = results
        .iter()
        .filter(|r| r.outcome == Outcome::Equivocation)
        .filter_map(|r| r.entry.as_ref().map(|(a, s, _)| (a.clone(), *s)))
        .collect();
    if positions.is_empty() {
        return Ok(Vec::new());
    }
    let mut proofs = Vec::new();
    for proof in store.equivocation_proofs()? {
        if let Ok((first, _)) = proof.entries() {
            let at = (first.body().author.clone(), first.body().seq);
            if positions.contains(&at) {
                proofs.push(proof);
            }
        }
    }
    Ok(proofs)
}

/// A ledger chain head in the sync protocol's form.
pub fn to_wire_head(author: &Author, head: &ledger::state::ChainHead) -> WireHead {
    WireHead {
        author: author.as_str().to_owned(),
        size: head.size,
        head: head.head.map(|h| h.0).unwrap_or([0; 32]),
    }
}
