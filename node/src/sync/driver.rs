//! The sync driver: the application side of the network layer. It answers
//! peers' `Heads` and `Range` requests from the replica, pulls what peers
//! have and this node lacks (on connect, on gossip that shows a gap, and
//! by periodic anti-entropy with a random peer), validates every gossip
//! message by ingesting it and reports the verdict, announces entries
//! submitted locally and equivocation proofs, and cosigns and announces
//! checkpoints as a witness.
//!
//! Three tasks: the event loop (never waits on a network request, so the
//! network loop can always deliver events), the gossip worker (ingests
//! gossip in arrival order) and the publisher (publishes in order). Each
//! catch-up with a peer is its own task, one at a time per peer.
//!
//! A silent or slow peer cannot hold sync up: every request the driver sends
//! has its own deadline ([`SyncSettings::request_timeout`]); a peer whose
//! catch-up failed is passed over for [`FAILED_PEER_COOL_DOWN`] when
//! choosing whom to sync with, and a failed catch-up is retried at once
//! with another idle peer. Anti-entropy only picks peers with no catch-up
//! running.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ledger::checkpoint::SignedCheckpoint;
use ledger::equivocation::{EquivocationProof, ProofError};
use ledger::store::{IngestResult, Outcome, StoreError, WitnessError};
use ledger::types::Author;
use ledger::validate::HoldReason;
use libp2p::PeerId;
use serde_bytes::ByteBuf;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

use crate::network::{GossipVerdict, NetworkError, NetworkEvent, NetworkHandle, Responder};
use crate::progress::{progress_bar, Unit};
use crate::replica::{Origin, Replica, ReplicaError, ReplicaEvent};
use crate::sync::wire::{
    ChainHead, ErrorCode, Gossip, GossipMessage, NetworkId, SyncRequest, SyncResponse,
    MAX_GOSSIP_BYTES, MAX_RANGE_ENTRIES,
};
use crate::witness::Witness;

/// Score added to a peer for each batch holding an entry that is invalid
/// through the sender's fault (bad signature, bad encoding, other network).
pub const INVALID_ENTRY_SCORE: f64 = -20.0;

/// Most entries accepted in one gossip message.
pub const MAX_GOSSIP_ENTRIES: usize = 1024;

/// Most locally submitted entries pushed by gossip; a larger submission is
/// announced as new heads and pulled by range sync.
pub const MAX_PUSHED_ENTRIES: usize = 2048;

/// Pause before each publication, keeping well below the 100 messages/s a
/// peer accepts from another.
const PUBLISH_PACING: Duration = Duration::from_millis(15);

/// How long a peer whose catch-up failed (timeout, closed connection,
/// error or unfitting response) is passed over when choosing a peer to
/// sync with, unless no other peer is idle.
pub const FAILED_PEER_COOL_DOWN: Duration = Duration::from_secs(60);

/// How many entries one peer may add to this node's hold (entries waiting
/// for a dependency, kept before their signature can be checked) per
/// [`PEER_HOLD_WINDOW`], through gossip and range responses together; past
/// it, its early entries are refused (`sequence_gap` / `hold_full`, not a
/// fault) and arrive again in order through range sync.
pub const PEER_HOLD_BUDGET: usize = 1_000;

/// The window of [`PEER_HOLD_BUDGET`].
pub const PEER_HOLD_WINDOW: Duration = Duration::from_secs(600);

/// Past this many peers in the hold accounting, those whose window ended
/// are forgotten.
const MAX_TRACKED_HOLDERS: usize = 4_096;

/// Largest byte budget a range request asks for (the response frame must
/// stay within 8 MiB with CBOR headers).
pub const MAX_RANGE_BYTES: u32 = 7 * 1024 * 1024;

/// How the driver paces itself.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// Time between anti-entropy rounds with a random connected peer.
    pub anti_entropy_interval: Duration,
    /// Time between witness rounds (cosign chains that grew, gossip them).
    pub cosign_interval: Duration,
    /// Entries asked for per range request.
    pub range_max_entries: u32,
    /// Bytes asked for per range request.
    pub range_max_bytes: u32,
    /// How long one request to a peer (heads or range) may take before the
    /// catch-up with that peer is abandoned.
    pub request_timeout: Duration,
    /// Largest payload of one entries gossip message, in bytes of entries.
    pub gossip_batch_bytes: usize,
    /// Show an indicatif progress bar while catching up (only honoured when
    /// stderr is a terminal).
    pub progress_bar: bool,
    /// The language of the progress bar's words (`nansen-node run --lang`).
    pub lang: crate::i18n::Lang,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            anti_entropy_interval: Duration::from_secs(10),
            cosign_interval: Duration::from_secs(10),
            range_max_entries: 2000,
            range_max_bytes: 4 * 1024 * 1024,
            request_timeout: Duration::from_secs(20),
            gossip_batch_bytes: 48 * 1024,
            progress_bar: true,
            lang: crate::i18n::Lang::En,
        }
    }
}

/// Why a catch-up with a peer stopped early.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The network refused or the request failed.
    #[error(transparent)]
    Network(#[from] NetworkError),
    /// The replica failed.
    #[error(transparent)]
    Replica(#[from] ReplicaError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The peer answered with an error response.
    #[error("peer refused: {0:?} {1}")]
    Refused(ErrorCode, String),
    /// The peer answered with the wrong kind of response.
    #[error("the peer answered with an unexpected response")]
    Unexpected,
    /// The peer did not answer within [`SyncSettings::request_timeout`].
    #[error("the peer did not answer within {0:?}")]
    Timeout(Duration),
}

impl SyncError {
    /// Whether the failure lies with the peer or the link to it (no answer,
    /// an error answer, a closed connection), rather than with this node.
    pub fn is_peer_side(&self) -> bool {
        matches!(
            self,
            SyncError::Network(_)
                | SyncError::Refused(..)
                | SyncError::Unexpected
                | SyncError::Timeout(_)
        )
    }
}

/// What one catch-up achieved.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CatchUpReport {
    /// Entries accepted.
    pub accepted: u64,
    /// Chains where the peer was ahead.
    pub chains_behind: usize,
}

struct Inner {
    replica: Replica,
    net: NetworkHandle,
    network_id: NetworkId,
    settings: SyncSettings,
    witness: Witness,
    peers: Mutex<HashSet<PeerId>>,
    syncing: Mutex<HashSet<PeerId>>,
    /// When each peer's last catch-up failed on its side.
    failed: Mutex<HashMap<PeerId, Instant>>,
    /// Per peer: the start of its hold window and the entries it added to
    /// the hold in it.
    holds: Mutex<HashMap<PeerId, (Instant, usize)>>,
    /// The size of each chain's checkpoint last gossiped.
    cosigned: Mutex<HashMap<Author, u64>>,
    publisher: mpsc::Sender<Gossip>,
    publish_queue: Mutex<Option<mpsc::Receiver<Gossip>>>,
}

/// The sync driver (cheap to clone).
#[derive(Clone)]
pub struct SyncDriver {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SyncDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncDriver").finish_non_exhaustive()
    }
}

/// One local chain as the driver compares it.
#[derive(Debug, Clone, Copy)]
struct LocalChain {
    size: u64,
    head: [u8; 32],
    frozen: bool,
}

impl SyncDriver {
    /// A driver over `replica` and the network behind `net`.
    pub fn new(
        replica: Replica,
        net: NetworkHandle,
        witness: Witness,
        settings: SyncSettings,
    ) -> Self {
        let (publisher, queue) = mpsc::channel(4096);
        SyncDriver {
            inner: Arc::new(Inner {
                network_id: replica.network().0,
                replica,
                net,
                settings,
                witness,
                peers: Mutex::new(HashSet::new()),
                syncing: Mutex::new(HashSet::new()),
                failed: Mutex::new(HashMap::new()),
                holds: Mutex::new(HashMap::new()),
                cosigned: Mutex::new(HashMap::new()),
                publisher,
                publish_queue: Mutex::new(Some(queue)),
            }),
        }
    }

    /// The peers of our network currently connected.
    pub fn connected_peers(&self) -> Vec<PeerId> {
        self.inner
            .peers
            .lock()
            .map(|p| p.iter().copied().collect())
            .unwrap_or_default()
    }

    /// The network handle.
    pub fn network(&self) -> &NetworkHandle {
        &self.inner.net
    }

    /// Starts the driver's tasks, consuming the network's events.
    pub fn spawn(self, events: mpsc::Receiver<NetworkEvent>) -> JoinHandle<()> {
        let queue = self
            .inner
            .publish_queue
            .lock()
            .ok()
            .and_then(|mut q| q.take());
        if let Some(queue) = queue {
            tokio::spawn(self.clone().publish_loop(queue));
        }
        tokio::spawn(self.run(events))
    }

    async fn run(self, mut events: mpsc::Receiver<NetworkEvent>) {
        let (gossip_tx, gossip_rx) = mpsc::channel(1024);
        tokio::spawn(self.clone().gossip_worker(gossip_rx));
        let mut changes = self.inner.replica.subscribe();
        let mut anti_entropy = tokio::time::interval(self.inner.settings.anti_entropy_interval);
        anti_entropy.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut cosign = tokio::time::interval(self.inner.settings.cosign_interval);
        cosign.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                event = events.recv() => match event {
                    Some(event) => self.on_event(event, &gossip_tx),
                    None => break,
                },
                change = changes.recv() => match change {
                    Ok(change) => self.on_change(change),
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::debug!(missed = n, "announcements skipped; anti-entropy will cover");
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                _ = anti_entropy.tick() => {
                    if let Some(peer) = self.pick_peer(None, false) {
                        self.schedule_catch_up(peer);
                    }
                }
                _ = cosign.tick() => {
                    let driver = self.clone();
                    tokio::spawn(async move { driver.witness_round().await });
                }
            }
        }
        tracing::debug!("sync driver stopped");
    }

    /// How many catch-ups are running.
    fn catch_ups_running(&self) -> usize {
        self.inner.syncing.lock().map_or(0, |s| s.len())
    }

    /// A random connected peer with no catch-up running (other than
    /// `except`), preferring peers whose last catch-up did not fail within
    /// [`FAILED_PEER_COOL_DOWN`]; with `healthy_only`, only those.
    fn pick_peer(&self, except: Option<PeerId>, healthy_only: bool) -> Option<PeerId> {
        let syncing = self
            .inner
            .syncing
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default();
        let idle: Vec<PeerId> = self
            .connected_peers()
            .into_iter()
            .filter(|p| !syncing.contains(p) && Some(*p) != except)
            .collect();
        let now = Instant::now();
        let (healthy, failed): (Vec<PeerId>, Vec<PeerId>) = match self.inner.failed.lock() {
            Ok(failed) => idle.into_iter().partition(|p| {
                failed
                    .get(p)
                    .is_none_or(|at| now.saturating_duration_since(*at) >= FAILED_PEER_COOL_DOWN)
            }),
            Err(_) => (idle, Vec::new()),
        };
        let pool = if healthy.is_empty() && !healthy_only {
            failed
        } else {
            healthy
        };
        choose(&pool)
    }

    /// Ingests entries received from `peer` within what it may still add to
    /// the hold, and counts what it added.
    async fn ingest_from(
        &self,
        peer: PeerId,
        entries: Vec<Vec<u8>>,
        origin: Origin,
    ) -> Result<Vec<IngestResult>, ReplicaError> {
        let now = Instant::now();
        let budget = match self.inner.holds.lock() {
            Ok(mut holds) => {
                if holds.len() > MAX_TRACKED_HOLDERS {
                    holds.retain(|_, (start, _)| {
                        now.saturating_duration_since(*start) < PEER_HOLD_WINDOW
                    });
                }
                let (start, used) = holds.entry(peer).or_insert((now, 0));
                if now.saturating_duration_since(*start) >= PEER_HOLD_WINDOW {
                    *start = now;
                    *used = 0;
                }
                PEER_HOLD_BUDGET.saturating_sub(*used)
            }
            Err(_) => 0,
        };
        let results = self
            .inner
            .replica
            .ingest_with_hold_budget(entries, origin, budget)
            .await?;
        let held = results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Held(_)))
            .count();
        if held > 0 {
            if let Ok(mut holds) = self.inner.holds.lock() {
                if let Some((_, used)) = holds.get_mut(&peer) {
                    *used = used.saturating_add(held);
                }
            }
        }
        Ok(results)
    }

    fn note_outcome(&self, peer: PeerId, failed: bool) {
        if let Ok(mut map) = self.inner.failed.lock() {
            if failed {
                map.insert(peer, Instant::now());
            } else {
                map.remove(&peer);
            }
        }
    }

    fn set_peer(&self, peer: PeerId, connected: bool) {
        if let Ok(mut peers) = self.inner.peers.lock() {
            if connected {
                peers.insert(peer);
            } else {
                peers.remove(&peer);
            }
            self.inner.replica.metrics().set_peers(peers.len());
        }
    }

    fn on_event(
        &self,
        event: NetworkEvent,
        gossip: &mpsc::Sender<(PeerId, libp2p::gossipsub::MessageId, Gossip)>,
    ) {
        match event {
            NetworkEvent::Listening { address } => tracing::info!(%address, "listening"),
            NetworkEvent::PeerConnected { peer } => {
                tracing::info!(%peer, "peer connected");
                self.set_peer(peer, true);
                // Only when no catch-up is running: a node that meets many
                // peers at once (a fresh start, a restart, a healed
                // partition) would otherwise pull the same ranges from each
                // of them, since each catch-up compares heads before the
                // others' entries are in. Anti-entropy reaches the others,
                // and passes over a peer whose catch-up hangs.
                if self.catch_ups_running() == 0 {
                    self.schedule_catch_up(peer);
                }
            }
            NetworkEvent::PeerDisconnected { peer } => {
                tracing::info!(%peer, "peer disconnected");
                self.set_peer(peer, false);
                if let Ok(mut failed) = self.inner.failed.lock() {
                    failed.remove(&peer);
                }
            }
            NetworkEvent::PeerBanned { peer, reason } => {
                tracing::warn!(%peer, %reason, "peer banned");
                self.set_peer(peer, false);
            }
            NetworkEvent::Gossip {
                source,
                message_id,
                gossip: content,
                ..
            } => {
                if let Err(mpsc::error::TrySendError::Full((source, message_id, _))) =
                    gossip.try_send((source, message_id, content))
                {
                    let net = self.inner.net.clone();
                    tokio::spawn(async move {
                        let _ = net
                            .report_gossip(message_id, source, GossipVerdict::Ignore)
                            .await;
                    });
                }
            }
            NetworkEvent::InboundRequest {
                peer,
                request,
                responder,
            } => {
                let driver = self.clone();
                tokio::spawn(async move { driver.serve(peer, request, responder).await });
            }
        }
    }

    fn on_change(&self, change: ReplicaEvent) {
        match change {
            ReplicaEvent::Accepted { entries } if entries.len() > MAX_PUSHED_ENTRIES => {
                // A bulk submission (an import): announce the new heads once
                // and let peers pull by range sync, rather than flooding the
                // topic past peers' gossip rate limits.
                let driver = self.clone();
                tokio::spawn(async move {
                    if let Ok(heads) = driver.inner.replica.wire_heads().await {
                        driver.queue_publish(Gossip::Heads { heads });
                    }
                });
            }
            ReplicaEvent::Accepted { entries } => {
                for batch in gossip_batches(entries, self.inner.settings.gossip_batch_bytes) {
                    self.queue_publish(Gossip::Entries { entries: batch });
                }
            }
            ReplicaEvent::Equivocation { proof } => {
                self.queue_publish(Gossip::Equivocation {
                    first: ByteBuf::from(proof.first),
                    second: ByteBuf::from(proof.second),
                });
            }
        }
    }

    fn queue_publish(&self, gossip: Gossip) {
        if self.inner.publisher.try_send(gossip).is_err() {
            tracing::debug!("publish queue full; anti-entropy will cover");
        }
    }

    async fn publish_loop(self, mut queue: mpsc::Receiver<Gossip>) {
        let mut last = Instant::now()
            .checked_sub(PUBLISH_PACING)
            .unwrap_or_else(Instant::now);
        while let Some(gossip) = queue.recv().await {
            // Paced below peers' gossip rate limit (100 messages/s).
            tokio::time::sleep(PUBLISH_PACING.saturating_sub(last.elapsed())).await;
            last = Instant::now();
            match self.inner.net.publish(gossip).await {
                Ok(_) => self.inner.replica.metrics().count_gossip_published(),
                Err(NetworkError::NoPeersSubscribed) => {
                    tracing::debug!("no peer subscribed yet; not published")
                }
                Err(NetworkError::ServiceStopped) => break,
                Err(e) => tracing::debug!(error = %e, "publish failed"),
            }
        }
    }

    // ----- serving ----------------------------------------------------------

    async fn serve(&self, peer: PeerId, request: SyncRequest, responder: Responder) {
        let response = match self.answer(request).await {
            Ok(response) => response,
            Err(e) => {
                tracing::warn!(%peer, error = %e, "cannot answer a sync request");
                SyncResponse::error(ErrorCode::Internal, "the store failed")
            }
        };
        if let Err(e) = responder.respond(response).await {
            tracing::debug!(%peer, error = %e, "response not sent");
        }
    }

    /// The answer to one inbound request, from the replica.
    pub async fn answer(&self, request: SyncRequest) -> Result<SyncResponse, ReplicaError> {
        match request {
            SyncRequest::Hello { network_id } => Ok(SyncResponse::Hello { network_id }),
            SyncRequest::Heads { .. } => Ok(SyncResponse::Heads {
                heads: self.inner.replica.wire_heads().await?,
            }),
            SyncRequest::Range {
                author,
                from_seq,
                max_entries,
                max_bytes,
                ..
            } => {
                let Ok(author) = Author::parse(&author) else {
                    return Ok(SyncResponse::error(
                        ErrorCode::UnknownAuthor,
                        "no such chain",
                    ));
                };
                if max_entries == 0 || max_bytes == 0 {
                    return Ok(SyncResponse::error(
                        ErrorCode::BadRequest,
                        "max_entries and max_bytes must be positive",
                    ));
                }
                let max_entries = max_entries.min(MAX_RANGE_ENTRIES) as usize;
                let max_bytes = max_bytes.min(MAX_RANGE_BYTES) as usize;
                self.inner
                    .replica
                    .with(move |store| {
                        let known = store.heads().iter().any(|(a, _)| *a == author);
                        if !known {
                            return Ok(SyncResponse::error(
                                ErrorCode::UnknownAuthor,
                                "no such chain",
                            ));
                        }
                        let entries = store.range(&author, from_seq, max_entries, max_bytes)?;
                        Ok(SyncResponse::Entries {
                            entries: entries.into_iter().map(ByteBuf::from).collect(),
                        })
                    })
                    .await?
            }
        }
    }

    // ----- gossip -----------------------------------------------------------

    async fn gossip_worker(
        self,
        mut queue: mpsc::Receiver<(PeerId, libp2p::gossipsub::MessageId, Gossip)>,
    ) {
        while let Some((source, message_id, gossip)) = queue.recv().await {
            let verdict = match self.judge_gossip(source, gossip).await {
                Ok(verdict) => verdict,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot judge a gossip message");
                    GossipVerdict::Ignore
                }
            };
            if verdict == GossipVerdict::Reject {
                let _ = self.inner.net.score_peer(source, INVALID_ENTRY_SCORE).await;
            }
            if self
                .inner
                .net
                .report_gossip(message_id, source, verdict)
                .await
                .is_err()
            {
                break;
            }
        }
    }

    async fn judge_gossip(
        &self,
        source: PeerId,
        gossip: Gossip,
    ) -> Result<GossipVerdict, ReplicaError> {
        match gossip {
            Gossip::Entries { entries } => {
                if entries.is_empty() || entries.len() > MAX_GOSSIP_ENTRIES {
                    return Ok(GossipVerdict::Reject);
                }
                let entries: Vec<Vec<u8>> = entries.into_iter().map(ByteBuf::into_vec).collect();
                let results = self.ingest_from(source, entries, Origin::Gossip).await?;
                let mut verdict = GossipVerdict::Ignore;
                let mut gap = false;
                for result in &results {
                    match &result.outcome {
                        Outcome::Rejected(r) if r.sender_at_fault() => {
                            tracing::info!(peer = %source, reason = r.code(), "invalid entry in gossip");
                            return Ok(GossipVerdict::Reject);
                        }
                        Outcome::Accepted
                        | Outcome::Void(_)
                        | Outcome::Equivocation
                        | Outcome::Disputed => verdict = GossipVerdict::Accept,
                        Outcome::Held(_) => gap = true,
                        _ => {}
                    }
                }
                if gap {
                    self.schedule_catch_up(source);
                }
                Ok(verdict)
            }
            Gossip::Heads { heads } => {
                let local = self.local_chains().await?;
                let behind = heads.iter().any(|h| {
                    Author::parse(&h.author).is_ok_and(|a| {
                        local
                            .get(&a)
                            .map_or(h.size > 0, |l| h.size > l.size && !l.frozen)
                    })
                });
                if behind {
                    self.schedule_catch_up(source);
                }
                Ok(GossipVerdict::Ignore)
            }
            Gossip::Checkpoint { note } => self.receive_checkpoint(source, note).await,
            Gossip::Equivocation { first, second } => {
                let proof = match EquivocationProof::new(first.into_vec(), second.into_vec()) {
                    Ok(proof) => proof,
                    Err(_) => return Ok(GossipVerdict::Reject),
                };
                match self.inner.replica.ingest_equivocation_proof(proof).await {
                    Ok(_) => Ok(GossipVerdict::Accept),
                    Err(ReplicaError::Store(StoreError::InvalidProof(
                        ProofError::UnknownAuthor(_),
                    ))) => {
                        self.schedule_catch_up(source);
                        Ok(GossipVerdict::Ignore)
                    }
                    Err(ReplicaError::Store(StoreError::InvalidProof(e))) => {
                        tracing::info!(peer = %source, error = %e, "invalid equivocation proof");
                        Ok(GossipVerdict::Reject)
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }

    async fn receive_checkpoint(
        &self,
        source: PeerId,
        note: String,
    ) -> Result<GossipVerdict, ReplicaError> {
        let Ok(signed) = SignedCheckpoint::parse(note.as_bytes()) else {
            return Ok(GossipVerdict::Reject);
        };
        let Ok(Some((kept, keys))) = self.inner.witness.verified_part(&signed) else {
            return Ok(GossipVerdict::Ignore);
        };
        let bytes = kept.to_bytes();
        let result = self
            .inner
            .replica
            .write(move |store| store.merge_cosigned_checkpoint(&bytes, &keys))
            .await?;
        match result {
            Ok(names) if !names.is_empty() => Ok(GossipVerdict::Accept),
            Ok(_) => Ok(GossipVerdict::Ignore),
            Err(WitnessError::RootMismatch { author, size }) => {
                tracing::warn!(peer = %source, %author, size, "cosigned checkpoint disagrees with our chain: split view or equivocation");
                Ok(GossipVerdict::Ignore)
            }
            Err(WitnessError::Store(e)) => Err(ReplicaError::Store(e)),
            Err(_) => Ok(GossipVerdict::Ignore),
        }
    }

    // ----- witnessing -------------------------------------------------------

    /// Gossips the cosigned checkpoint of every chain that grew since the
    /// last round. Reads only: each chain was cosigned and note-signed when
    /// the batch that grew it was applied (`crate::replica`).
    pub async fn witness_round(&self) {
        let published = self
            .inner
            .cosigned
            .lock()
            .map(|m| m.clone())
            .unwrap_or_default();
        let notes = self
            .inner
            .replica
            .with(move |s| {
                let mut notes = Vec::new();
                for (author, head) in s.heads() {
                    if head.size == 0 || published.get(&author) == Some(&head.size) {
                        continue;
                    }
                    match s.best_checkpoint(&author) {
                        Ok(Some(note)) => notes.push((author, note)),
                        Ok(None) => {}
                        Err(e) => tracing::warn!(%author, error = %e, "cosigned note unreadable"),
                    }
                }
                notes
            })
            .await;
        let Ok(notes) = notes else {
            return;
        };
        for (author, note) in notes {
            if let Ok(mut m) = self.inner.cosigned.lock() {
                m.insert(author, note.checkpoint().size);
            }
            if let Ok(note) = String::from_utf8(note.to_bytes()) {
                self.queue_publish(Gossip::Checkpoint { note });
            }
        }
    }

    // ----- catching up ------------------------------------------------------

    /// Starts a catch-up with `peer` unless one is running.
    pub fn schedule_catch_up(&self, peer: PeerId) {
        let fresh = self
            .inner
            .syncing
            .lock()
            .map(|mut s| s.insert(peer))
            .unwrap_or(false);
        if !fresh {
            return;
        }
        let driver = self.clone();
        tokio::spawn(async move {
            let result = driver.catch_up(peer).await;
            if let Ok(mut s) = driver.inner.syncing.lock() {
                s.remove(&peer);
            }
            match result {
                Ok(report) => {
                    driver.note_outcome(peer, false);
                    if report.accepted > 0 {
                        tracing::info!(%peer, accepted = report.accepted, "caught up");
                    }
                }
                Err(e) if e.is_peer_side() => {
                    tracing::info!(%peer, error = %e, "catch-up failed; trying another peer");
                    driver.note_outcome(peer, true);
                    // Fail over at once rather than wait for anti-entropy;
                    // only to peers that have not failed lately, so a set
                    // of bad peers cannot keep the node busy.
                    if let Some(other) = driver.pick_peer(Some(peer), true) {
                        driver.schedule_catch_up(other);
                    }
                }
                Err(e) => tracing::warn!(%peer, error = %e, "catch-up stopped"),
            }
        });
    }

    async fn local_chains(&self) -> Result<BTreeMap<Author, LocalChain>, ReplicaError> {
        self.inner
            .replica
            .with(|store| {
                let state = store.state();
                store
                    .heads()
                    .into_iter()
                    .map(|(author, head)| {
                        let frozen = match &author {
                            Author::Governance => state.governance.frozen_at.is_some(),
                            Author::Registrar(id) => state
                                .registrars
                                .get(id)
                                .is_some_and(|r| r.fork_at.is_some()),
                        };
                        let chain = LocalChain {
                            size: head.size,
                            head: head.head.map(|h| h.0).unwrap_or([0; 32]),
                            frozen,
                        };
                        (author, chain)
                    })
                    .collect()
            })
            .await
    }

    /// Sends one request to `peer`, giving up after the request timeout.
    async fn request(&self, peer: PeerId, request: SyncRequest) -> Result<SyncResponse, SyncError> {
        let limit = self.inner.settings.request_timeout;
        match tokio::time::timeout(limit, self.inner.net.request(peer, request)).await {
            Ok(result) => Ok(result?),
            Err(_) => Err(SyncError::Timeout(limit)),
        }
    }

    /// Asks `peer` for its heads and pulls every chain where it is ahead,
    /// governance first, in bounded batches until caught up. Chains of
    /// registrars this node does not know once governance is pulled are
    /// skipped (none of their entries could be accepted), and each author
    /// is considered once, so the work is bounded whatever the peer claims.
    pub async fn catch_up(&self, peer: PeerId) -> Result<CatchUpReport, SyncError> {
        let request = SyncRequest::Heads {
            network_id: self.inner.network_id,
        };
        let heads = match self.request(peer, request).await? {
            SyncResponse::Heads { heads } => heads,
            SyncResponse::Error { code, message } => return Err(SyncError::Refused(code, message)),
            _ => return Err(SyncError::Unexpected),
        };
        let mut remote: Vec<(Author, ChainHead)> = heads
            .into_iter()
            .filter_map(|h| Author::parse(&h.author).ok().map(|a| (a, h)))
            .collect();
        // Governance first: registrars' entries depend on it.
        remote.sort_by(|(a, _), (b, _)| {
            (*a != Author::Governance, a.as_str()).cmp(&(*b != Author::Governance, b.as_str()))
        });
        remote.dedup_by(|(a, _), (b, _)| a == b);
        let mut report = CatchUpReport::default();
        let mut local = self.local_chains().await?;
        for (author, head) in remote {
            let Some(mine) = local.get(&author).copied().or(match author {
                Author::Governance => Some(LocalChain {
                    size: 0,
                    head: [0; 32],
                    frozen: false,
                }),
                Author::Registrar(_) => None,
            }) else {
                // Not accredited here, even after pulling governance.
                continue;
            };
            self.inner
                .replica
                .metrics()
                .note_remote_size(author.as_str(), head.size);
            if mine.frozen {
                continue;
            }
            if head.size > mine.size {
                report.chains_behind += 1;
                let (accepted, diverged) = self.pull(peer, &author, mine.size, head.size).await?;
                report.accepted += accepted;
                if diverged && mine.size > 0 {
                    self.probe(peer, &author, mine.size - 1).await?;
                }
                local = self.local_chains().await?;
            } else if head.size == mine.size && mine.size > 0 && head.head != mine.head {
                self.probe(peer, &author, mine.size - 1).await?;
                local = self.local_chains().await?;
            }
        }
        Ok(report)
    }

    /// Fetches the peer's entry at `seq` and ingests it: if it differs from
    /// ours, the store records the equivocation.
    async fn probe(&self, peer: PeerId, author: &Author, seq: u64) -> Result<(), SyncError> {
        let entries = self.range(peer, author, seq, 1).await?;
        self.ingest_from(peer, entries, Origin::Sync).await?;
        Ok(())
    }

    async fn range(
        &self,
        peer: PeerId,
        author: &Author,
        from_seq: u64,
        max_entries: u32,
    ) -> Result<Vec<Vec<u8>>, SyncError> {
        let request = SyncRequest::Range {
            network_id: self.inner.network_id,
            author: author.as_str().to_owned(),
            from_seq,
            max_entries,
            max_bytes: self.inner.settings.range_max_bytes.min(MAX_RANGE_BYTES),
        };
        match self.request(peer, request).await? {
            SyncResponse::Entries { entries } => {
                Ok(entries.into_iter().map(ByteBuf::into_vec).collect())
            }
            SyncResponse::Error { code, message } => Err(SyncError::Refused(code, message)),
            _ => Err(SyncError::Unexpected),
        }
    }

    /// Pulls `author`'s chain from `from` towards `target`. Returns the
    /// entries accepted and whether the peer's chain diverged from ours.
    async fn pull(
        &self,
        peer: PeerId,
        author: &Author,
        from: u64,
        target: u64,
    ) -> Result<(u64, bool), SyncError> {
        let started = Instant::now();
        let total = target - from;
        let bar = if self.inner.settings.progress_bar {
            let lang = self.inner.settings.lang;
            let message = crate::i18n::tr(lang, "bar-sync", &[&author.to_string()]);
            progress_bar(lang, total, Unit::Entries, message)
        } else {
            None
        };
        if total > u64::from(self.inner.settings.range_max_entries) {
            tracing::info!(%peer, %author, from, target, "catching up");
        }
        let mut next = from;
        let mut accepted = 0u64;
        let mut diverged = false;
        let max_entries = self
            .inner
            .settings
            .range_max_entries
            .clamp(1, MAX_RANGE_ENTRIES);
        while next < target {
            let entries = self.range(peer, author, next, max_entries).await?;
            if entries.is_empty() {
                break;
            }
            // Counted as received, before ingest: once the entries are stored they show in the
            // API, and a reader of the metrics then must find them counted.
            self.inner.replica.metrics().count_synced(entries.len());
            let results = self.ingest_from(peer, entries, Origin::Sync).await?;
            let mut faulty = false;
            for result in &results {
                match &result.outcome {
                    Outcome::Accepted | Outcome::Void(_) => accepted += 1,
                    Outcome::Rejected(r) if r.sender_at_fault() => faulty = true,
                    Outcome::Rejected(ledger::rejection::Rejection::PreviousHashMismatch {
                        ..
                    }) => diverged = true,
                    Outcome::Equivocation | Outcome::Held(HoldReason::OtherHistory) => {
                        diverged = true
                    }
                    _ => {}
                }
            }
            if faulty {
                tracing::warn!(%peer, %author, "peer sent invalid entries; lowering its score");
                let _ = self.inner.net.score_peer(peer, INVALID_ENTRY_SCORE).await;
                break;
            }
            let size = self
                .inner
                .replica
                .with({
                    let author = author.clone();
                    move |s| s.state().chain(&author).size
                })
                .await?;
            if let Some(bar) = &bar {
                bar.set_position(size.saturating_sub(from).min(total));
            }
            if total > u64::from(max_entries) {
                let rate =
                    (size.saturating_sub(from)) as f64 / started.elapsed().as_secs_f64().max(1e-3);
                tracing::info!(%author, size, target, rate = rate as u64, "sync progress");
            }
            if size <= next {
                break;
            }
            next = size;
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        Ok((accepted, diverged))
    }
}

/// A random element of `peers`.
fn choose(peers: &[PeerId]) -> Option<PeerId> {
    if peers.is_empty() {
        return None;
    }
    let pick = getrandom::u32().unwrap_or(0) as usize % peers.len();
    peers.get(pick).copied()
}

/// Splits entries into gossip messages of at most `max_bytes` of entries
/// (and within the gossip message bound); an entry too large for gossip is
/// left to sync.
pub fn gossip_batches(entries: Vec<Vec<u8>>, max_bytes: usize) -> Vec<Vec<ByteBuf>> {
    let limit = max_bytes.min(MAX_GOSSIP_BYTES - 1024);
    let mut batches = Vec::new();
    let mut current: Vec<ByteBuf> = Vec::new();
    let mut size = 0;
    for entry in entries {
        let cost = entry.len() + 9;
        if cost > limit {
            continue;
        }
        if size + cost > limit || current.len() >= MAX_GOSSIP_ENTRIES {
            batches.push(std::mem::take(&mut current));
            size = 0;
        }
        size += cost;
        current.push(ByteBuf::from(entry));
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

/// The canonical bytes of a gossip message (for tests and tools).
pub fn encode_gossip(network_id: NetworkId, gossip: Gossip) -> Option<Vec<u8>> {
    GossipMessage { network_id, gossip }.encode().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gossip_batches_stay_within_the_bound() {
        let entries = vec![vec![0u8; 400]; 1000];
        let batches = gossip_batches(entries, 48 * 1024);
        assert_eq!(batches.iter().map(Vec::len).sum::<usize>(), 1000);
        for batch in &batches {
            let bytes = encode_gossip(
                [0; 32],
                Gossip::Entries {
                    entries: batch.clone(),
                },
            )
            .expect("fits");
            assert!(bytes.len() <= MAX_GOSSIP_BYTES);
        }
        assert!(gossip_batches(vec![vec![0u8; 70_000]], 48 * 1024).is_empty());
    }
}
