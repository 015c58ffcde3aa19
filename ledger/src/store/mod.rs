//! The ledger engine over a storage trait: entries exactly as received,
//! derived indexes, Merkle subtrees, held entries, equivocation proofs and
//! checkpoints, all under the keys of [`keys`] in one ordered key-value
//! store ([`KvStore`]).
//!
//! [`Ledger::ingest`] validates a batch of signed entries and writes
//! everything one batch changes with one atomic [`KvStore::apply_batch`],
//! then flushes before returning: on a durable store (sled) an entry
//! reported accepted is durable, and a crash leaves either the whole batch
//! or none of it. Signatures of a batch are collected while it is validated
//! and checked together by the ledger's [`BatchVerifier`] (the caller's
//! choice: sequential by default, all cores in [`Store`]); if any fails,
//! the batch is validated again entry by entry with single verification.
//!
//! [`Ledger::ingest`] is [`Ledger::prepare`] (decode, validate and check
//! signatures: a shared borrow, nothing written), then
//! [`Ledger::apply_prepared`] (the one atomic write), then
//! [`Ledger::flush`]. A node calls the three itself so that reads run
//! while a batch is checked and while it is flushed; the rules and the
//! outcomes are the same.
//!
//! Two ledgers are built from the one engine: [`MemoryLedger`] (in memory,
//! always available, for offline verifiers and the browser) and, with the
//! `sled` feature (on by default), [`Store`], the node's on-disk store.
//! Neither does anything the other does not: same rules, same keys, same
//! state and proofs for the same entries.

mod attempt;
pub mod blocks;
mod checked;
pub mod keys;
mod kv;
mod memory_kv;
mod migrate;
mod overlay;
mod queries;
mod rebuild;
#[cfg(feature = "sled")]
mod sled_kv;
mod subtrees;
mod upper;
mod witness;

use crate::codec::{self, CodecError};
use crate::credential::CredentialRecord;
use crate::entry::{Entry, EntryError};
use crate::equivocation::{EquivocationProof, ProofError};
use crate::genesis::{Genesis, GenesisError};
use crate::merkle::MerkleError;
use crate::rejection::Rejection;
use crate::signing::{BatchVerifier, SequentialVerifier, SignatureCheck, ENTRY_DOMAIN};
use crate::state::{LedgerState, VoidCause};
use crate::types::{Author, Hash32, PublicKeyBytes, RegistrarId};
use crate::validate::{apply_entry, HoldReason, ImmediateVerifier, SignatureVerifier, Verdict};
use attempt::{
    append_to_log, dispute_credentials, record_equivocation, write_accepted, Attempt,
    DeferredVerifier, Finished, OverlayView,
};
pub use checked::CheckedSignatures;
pub use kv::{KvBatch, KvError, KvIter, KvPair, KvRead, KvStore};
pub use memory_kv::MemoryKv;
use overlay::Overlay;
#[cfg(feature = "sled")]
pub use sled_kv::SledKv;
use std::collections::BTreeMap;
pub use subtrees::{ChainSubtrees, SubtreeError};
pub use upper::{UpperLevels, MIN_CACHED_LEVEL};
pub use witness::WitnessError;

/// The sled page cache of [`Store::open`]: 16 MiB. Sled's own bound on
/// the pages it keeps in memory (its write buffers and page table come on
/// top); the node's resident memory holding 1,000,000 entries is measured by
/// `cargo bench -p ledger` (section 5).
#[cfg(feature = "sled")]
pub const SLED_CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// Version of the key layout and value formats.
pub const SCHEMA_VERSION: u32 = 3;

/// Failures of the store itself (not of an entry).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The key-value store failed.
    #[error("storage: {0}")]
    Storage(#[from] KvError),
    /// Stored data could not be read back.
    #[error("corrupt store: {0}")]
    Corrupt(String),
    /// The store was made by a schema version this program neither reads
    /// nor migrates (version 2 is migrated on opening).
    #[error(
        "store schema version {found}, this program reads version {expected} (and migrates version 2): \
         run the node version that wrote it, export the ledger (`nansen-node export`) \
         and import the file into a new store"
    )]
    SchemaVersion {
        /// Found in the store.
        found: u32,
        /// Expected.
        expected: u32,
    },
    /// The store belongs to another network.
    #[error("the store belongs to another network (genesis differs)")]
    GenesisMismatch,
    /// A new store needs a genesis document.
    #[error("no ledger here yet: a genesis document is needed to create one")]
    NoGenesis,
    /// The genesis document is invalid.
    #[error("genesis: {0}")]
    Genesis(#[from] GenesisError),
    /// A Merkle computation failed.
    #[error("merkle: {0}")]
    Merkle(String),
    /// An equivocation proof received from outside does not hold.
    #[error("invalid equivocation proof: {0}")]
    InvalidProof(#[from] ProofError),
    /// A proof or position asked for is outside the chain.
    #[error("{0}")]
    OutOfRange(String),
}

impl StoreError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Storage(..) => "storage",
            StoreError::Corrupt(..) => "corrupt",
            StoreError::SchemaVersion { .. } => "schema_version",
            StoreError::GenesisMismatch => "genesis_mismatch",
            StoreError::NoGenesis => "no_genesis",
            StoreError::Genesis(..) => "genesis",
            StoreError::Merkle(..) => "merkle",
            StoreError::InvalidProof(..) => "invalid_proof",
            StoreError::OutOfRange(..) => "out_of_range",
        }
    }
}

#[cfg(feature = "sled")]
impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::Storage(e.into())
    }
}
impl From<CodecError> for StoreError {
    fn from(e: CodecError) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl From<EntryError> for StoreError {
    fn from(e: EntryError) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl<E: std::fmt::Display> From<MerkleError<E>> for StoreError {
    fn from(e: MerkleError<E>) -> Self {
        StoreError::Merkle(e.to_string())
    }
}

/// What happened to one entry of a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted and durable.
    Accepted,
    /// Already held; nothing changed.
    Duplicate,
    /// Waiting for a dependency; applied when it arrives.
    Held(HoldReason),
    /// Conflicts with an accepted entry: the proof was recorded and the
    /// author's chain frozen at this position.
    Equivocation,
    /// Signed by an equivocating registrar at or past its fork: kept aside
    /// (not in the chain) and its credentials marked disputed.
    Disputed,
    /// Appended to its chain's log and durable, without effect (a
    /// suspension, a scope change or a governance fork voids it).
    Void(VoidCause),
    /// Refused.
    Rejected(Rejection),
}

/// The result for one submitted entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestResult {
    /// Author, seq and hash, when the entry could be decoded.
    pub entry: Option<(Author, u64, Hash32)>,
    /// What happened.
    pub outcome: Outcome,
}

/// What the ledger says about a credential id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialStatus {
    /// No attestation of this id is known here.
    Unknown,
    /// Attested on the chain of a registrar that equivocated.
    Disputed {
        /// The record found.
        records: Vec<CredentialRecord>,
    },
    /// Attested by more than one registrar: name the issuer to choose.
    Ambiguous {
        /// The records found, one per registrar.
        records: Vec<CredentialRecord>,
    },
    /// Attested by one registrar.
    Attested {
        /// The index record (state: active, revoked, superseded).
        record: CredentialRecord,
        /// The attesting entry, exactly as signed.
        attestation: Vec<u8>,
        /// The entry that revoked or superseded it, if any.
        decided_by: Option<Vec<u8>>,
    },
}

/// A checkpoint body for a chain: origin, size, root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainCheckpoint {
    /// `nansen/<network id hex>/<author>`.
    pub origin: String,
    /// Tree size.
    pub size: u64,
    /// RFC 6962 root.
    pub root: Hash32,
}

/// A ledger replica: the engine over the key-value store `K`.
pub struct Ledger<K: KvStore> {
    kv: K,
    state: LedgerState,
    held: BTreeMap<(Author, u64), Vec<Vec<u8>>>,
    /// The upper Merkle levels of every chain, in memory.
    upper: UpperLevels,
    verifier: Box<dyn BatchVerifier>,
    /// Counts the batches applied (and rebuilds): a [`PreparedBatch`]
    /// validated at another generation is validated again when applied.
    generation: u64,
}

/// A batch validated against the replica as it stood ([`Ledger::prepare`]),
/// not yet written. Validating takes only a shared borrow, so a node can
/// serve reads while a batch is checked and take exclusive access only to
/// write it ([`Ledger::apply_prepared`]).
pub struct PreparedBatch {
    finished: Finished,
    decoded: Vec<Result<Entry, Rejection>>,
    hold_budget: usize,
    replay: bool,
    generation: u64,
}

impl std::fmt::Debug for PreparedBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedBatch")
            .field("entries", &self.decoded.len())
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

/// The node's ledger replica: the engine over sled, checking a batch's
/// signatures on all cores.
#[cfg(feature = "sled")]
pub type Store = Ledger<SledKv>;

/// A ledger replica in memory: the same engine, rules and keys as
/// [`Store`], nothing durable. An offline verifier fills it with the
/// entries it has and asks it what a node would answer.
pub type MemoryLedger = Ledger<MemoryKv>;

/// The origin line of a chain's checkpoints.
pub fn origin(network: &Hash32, author: &Author) -> String {
    format!("nansen/{}/{}", network.to_hex(), author)
}

#[cfg(feature = "sled")]
impl Ledger<SledKv> {
    /// Opens the store at `path`, creating it from `genesis` if it is new.
    /// An existing store must have the same genesis, if one is given.
    pub fn open(path: &std::path::Path, genesis: Option<&Genesis>) -> Result<Self, StoreError> {
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(SLED_CACHE_BYTES)
            .open()?;
        Self::from_sled(db, genesis)
    }

    /// Opens a store in a temporary directory removed on drop (tests, tools).
    pub fn temporary(genesis: &Genesis) -> Result<Self, StoreError> {
        let db = sled::Config::new().temporary(true).open()?;
        Self::from_sled(db, Some(genesis))
    }

    /// Opens a store on a sled database configured by the caller (tuning
    /// experiments, tools). Same rules as [`Store::open`]; signatures are
    /// checked on all cores ([`crate::signing::ParallelVerifier`]).
    pub fn from_sled(db: sled::Db, genesis: Option<&Genesis>) -> Result<Self, StoreError> {
        Self::open_kv(
            SledKv::new(db),
            genesis,
            Box::new(crate::signing::ParallelVerifier),
        )
    }

    /// Bytes used on disk by sled.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        Ok(self.kv.size_on_disk()?)
    }
}

impl Ledger<MemoryKv> {
    /// A new, empty in-memory ledger of the network of `genesis`.
    pub fn new(genesis: &Genesis) -> Result<Self, StoreError> {
        Self::from_kv(MemoryKv::new(), Some(genesis))
    }
}

impl<K: KvStore> Ledger<K> {
    /// Opens the ledger held in `kv`, creating it from `genesis` if `kv` is
    /// empty. An existing ledger must have the same genesis, if one is
    /// given. Signatures are checked one after the other
    /// ([`SequentialVerifier`]) until [`Self::with_batch_verifier`] says
    /// otherwise.
    pub fn from_kv(kv: K, genesis: Option<&Genesis>) -> Result<Self, StoreError> {
        Self::open_kv(kv, genesis, Box::new(SequentialVerifier))
    }

    /// As [`Self::from_kv`], with the verifier that also serves a rebuild
    /// run on opening (7.4).
    fn open_kv(
        mut kv: K,
        genesis: Option<&Genesis>,
        verifier: Box<dyn BatchVerifier>,
    ) -> Result<Self, StoreError> {
        let stored_genesis = kv.get(&keys::meta("genesis"))?;
        let state = match (stored_genesis, genesis) {
            (None, None) => return Err(StoreError::NoGenesis),
            (None, Some(g)) => {
                let bytes = g.to_bytes()?;
                let state = LedgerState::new(g.clone(), g.network_id()?);
                let mut batch = KvBatch::new();
                batch.put(keys::meta("schema"), SCHEMA_VERSION.to_be_bytes().to_vec());
                batch.put(keys::meta("genesis"), bytes);
                batch.put(keys::meta("state"), codec::encode(&state)?);
                kv.apply_batch(batch)?;
                kv.flush()?;
                state
            }
            (Some(stored), given) => {
                let schema = kv
                    .get(&keys::meta("schema"))?
                    .and_then(|v| <[u8; 4]>::try_from(v.as_slice()).ok())
                    .map(u32::from_be_bytes)
                    .unwrap_or(0);
                if schema == 2 {
                    migrate::from_v2(&mut kv)?;
                } else if schema != SCHEMA_VERSION {
                    return Err(StoreError::SchemaVersion {
                        found: schema,
                        expected: SCHEMA_VERSION,
                    });
                }
                let g = Genesis::from_bytes(&stored)?;
                if given.is_some_and(|given| given != &g) {
                    return Err(StoreError::GenesisMismatch);
                }
                let state_bytes = kv
                    .get(&keys::meta("state"))?
                    .ok_or_else(|| StoreError::Corrupt("missing state snapshot".into()))?;
                codec::decode_canonical(&state_bytes)?
            }
        };
        let mut held = BTreeMap::new();
        for kv in kv.scan_prefix(keys::HELD) {
            let (_, v) = kv?;
            if let Ok(e) = Entry::decode(&v, usize::MAX) {
                held.entry((e.body().author.clone(), e.body().seq))
                    .or_insert_with(Vec::new)
                    .push(v);
            }
        }
        let upper = UpperLevels::load(&kv)?;
        let mut store = Self {
            kv,
            state,
            held,
            upper,
            verifier,
            generation: 0,
        };
        if store.kv.get(&keys::meta("rebuilding"))?.is_some() {
            store.rebuild_indexes()?;
        }
        Ok(store)
    }

    /// The same ledger, checking the signatures of each batch with
    /// `verifier` (e.g. a pool of workers). Whatever it is, an outcome is
    /// what strict verification of each signature gives, provided the
    /// verifier keeps [`BatchVerifier`]'s contract; a verdict list of the
    /// wrong length counts as a failure.
    pub fn with_batch_verifier(mut self, verifier: Box<dyn BatchVerifier>) -> Self {
        self.verifier = verifier;
        self
    }

    /// The key-value store underneath (read-only).
    pub fn kv(&self) -> &K {
        &self.kv
    }

    /// The derived state (governance, registrars, chain heads).
    pub fn state(&self) -> &LedgerState {
        &self.state
    }

    /// The network id.
    pub fn network(&self) -> Hash32 {
        self.state.network
    }

    /// The genesis document.
    pub fn genesis(&self) -> &Genesis {
        &self.state.genesis
    }

    fn max_entry_bytes(&self) -> usize {
        self.state.genesis.limits.max_entry_bytes as usize
    }

    /// Validates and stores a batch of signed entries; returns one result
    /// per entry, in order, once the batch is durable.
    pub fn ingest<B: AsRef<[u8]>>(&mut self, batch: &[B]) -> Result<Vec<IngestResult>, StoreError> {
        self.ingest_with_hold_budget(batch, usize::MAX)
    }

    /// As [`Self::ingest`], but at most `hold_budget` entries of this batch
    /// may be newly held (beyond it, an entry that would be held is refused
    /// as when the hold is full: `sequence_gap` for a gap, `hold_full`
    /// otherwise). A node gives each peer such a budget, so that no single
    /// peer can fill the node-wide hold with entries nobody can check yet.
    pub fn ingest_with_hold_budget<B: AsRef<[u8]>>(
        &mut self,
        batch: &[B],
        hold_budget: usize,
    ) -> Result<Vec<IngestResult>, StoreError> {
        self.ingest_mode(batch, hold_budget, false)
    }

    /// Ingests a batch; with `replay`, the entries come from this replica's
    /// own log (an index rebuild), and one the rules no longer give effect
    /// to joins the log again without effect rather than being refused:
    /// a log never shrinks.
    fn ingest_mode<B: AsRef<[u8]>>(
        &mut self,
        batch: &[B],
        hold_budget: usize,
        replay: bool,
    ) -> Result<Vec<IngestResult>, StoreError> {
        let prepared = self.prepare_mode(batch, hold_budget, replay, None)?;
        let results = self.apply_prepared(prepared)?;
        self.kv.flush()?;
        Ok(results)
    }

    /// The first half of [`Self::ingest_with_hold_budget`]: decodes and
    /// validates `batch` against the replica as it stands, signatures
    /// included, and writes nothing. [`Self::apply_prepared`] writes it.
    pub fn prepare<B: AsRef<[u8]>>(
        &self,
        batch: &[B],
        hold_budget: usize,
    ) -> Result<PreparedBatch, StoreError> {
        self.prepare_mode(batch, hold_budget, false, None)
    }

    /// As [`Self::prepare`], taking as valid the signatures in `checked`
    /// (made by [`CheckedSignatures::check`], possibly on another thread
    /// while the previous batch was written): only the others are checked
    /// now. The outcomes are those of [`Self::prepare`].
    pub fn prepare_checked<B: AsRef<[u8]>>(
        &self,
        batch: &[B],
        hold_budget: usize,
        checked: &CheckedSignatures,
    ) -> Result<PreparedBatch, StoreError> {
        self.prepare_mode(batch, hold_budget, false, Some(checked))
    }

    /// Checks the signatures of `batch` with this ledger's verifier, ahead
    /// of [`Self::prepare_checked`]; see [`CheckedSignatures`]. Needs no
    /// access to the ledger beyond its limits and verifier: a pipeline
    /// runs it for the next batch while the current one is written.
    pub fn check_signatures<B: AsRef<[u8]>>(&self, batch: &[B]) -> CheckedSignatures {
        CheckedSignatures::check(batch, self.max_entry_bytes(), self.verifier.as_ref())
    }

    fn prepare_mode<B: AsRef<[u8]>>(
        &self,
        batch: &[B],
        hold_budget: usize,
        replay: bool,
        checked: Option<&CheckedSignatures>,
    ) -> Result<PreparedBatch, StoreError> {
        let max = self.max_entry_bytes();
        let decoded: Vec<Result<Entry, Rejection>> = batch
            .iter()
            .map(|b| Entry::decode(b.as_ref(), max).map_err(Rejection::from))
            .collect();
        let finished = self.validate(&decoded, hold_budget, replay, checked)?;
        Ok(PreparedBatch {
            finished,
            decoded,
            hold_budget,
            replay,
            generation: self.generation,
        })
    }

    /// The second half of [`Self::ingest_with_hold_budget`]: writes a
    /// prepared batch in one atomic [`KvStore::apply_batch`] and returns
    /// one result per entry. It does **not** flush: nothing is durable, and
    /// no outcome may be reported to anyone, until [`Self::flush`] returns.
    /// A batch prepared before another was applied is validated again
    /// first, so the outcomes are always those of [`Self::ingest`].
    pub fn apply_prepared(
        &mut self,
        prepared: PreparedBatch,
    ) -> Result<Vec<IngestResult>, StoreError> {
        let finished = if prepared.generation == self.generation {
            prepared.finished
        } else {
            self.validate(
                &prepared.decoded,
                prepared.hold_budget,
                prepared.replay,
                None,
            )?
        };
        self.commit(finished)
    }

    /// Validates decoded entries, checking their signatures together with
    /// the batch verifier and, if any fails, again one by one.
    fn validate(
        &self,
        decoded: &[Result<Entry, Rejection>],
        hold_budget: usize,
        replay: bool,
        checked: Option<&CheckedSignatures>,
    ) -> Result<Finished, StoreError> {
        let mut deferred = DeferredVerifier {
            checks: Vec::new(),
            checked,
        };
        let attempt = self.process(decoded, &mut deferred, hold_budget, replay)?;
        let checks: Vec<SignatureCheck<'_>> = deferred
            .checks
            .iter()
            .map(|(key, body, signature)| SignatureCheck {
                key: *key,
                domain: ENTRY_DOMAIN,
                message: body,
                signature: *signature,
            })
            .collect();
        let verdicts = self.verifier.verify_all(&checks);
        // One verdict per check, all true; anything else (a bad signature,
        // or a verifier that lost some) means checking again one by one.
        let verified = verdicts.len() == checks.len() && verdicts.into_iter().all(|ok| ok);
        Ok(if verified {
            attempt.finish()
        } else {
            drop(attempt);
            self.process(decoded, &mut ImmediateVerifier, hold_budget, replay)?
                .finish()
        })
    }

    fn process(
        &self,
        decoded: &[Result<Entry, Rejection>],
        verifier: &mut dyn SignatureVerifier,
        hold_budget: usize,
        replay: bool,
    ) -> Result<Attempt<'_, K>, StoreError> {
        let mut attempt = Attempt {
            state: self.state.clone(),
            overlay: Overlay::new(&self.kv),
            held: self.held.clone(),
            held_count: self.held_count(),
            hold_budget,
            results: Vec::with_capacity(decoded.len()),
            needs_rebuild: false,
            last_nodes: BTreeMap::new(),
            upper: &self.upper,
            replay,
        };
        for d in decoded {
            let result = match d {
                Err(r) => IngestResult {
                    entry: None,
                    outcome: Outcome::Rejected(r.clone()),
                },
                Ok(entry) => IngestResult {
                    entry: Some((entry.body().author.clone(), entry.body().seq, entry.hash())),
                    outcome: self.apply_one(&mut attempt, verifier, entry)?,
                },
            };
            attempt.results.push(result);
        }
        self.drain_held(&mut attempt, verifier)?;
        Ok(attempt)
    }

    fn commit(&mut self, finished: Finished) -> Result<Vec<IngestResult>, StoreError> {
        let Finished {
            state,
            mut batch,
            held,
            results,
            needs_rebuild,
        } = finished;
        if state != self.state {
            batch.put(keys::meta("state"), codec::encode(&state)?);
        }
        if !batch.is_empty() {
            let upper = UpperLevels::written_by(&batch);
            self.kv.apply_batch(batch)?;
            self.upper.extend(upper);
        }
        self.generation += 1;
        self.state = state;
        self.held = held;
        let mut results = results;
        if needs_rebuild {
            self.rebuild_indexes()?;
            // Entries of this batch that the governance fork voids stay in
            // the log, without effect: say so.
            if let Some(from_gov) = self.state.governance.frozen_at {
                for r in results.iter_mut() {
                    let Some((author, seq, _)) = &r.entry else {
                        continue;
                    };
                    if r.outcome != Outcome::Accepted {
                        continue;
                    }
                    let past_fork = match author {
                        Author::Governance => *seq >= from_gov,
                        Author::Registrar(_) => self
                            .entry(author, *seq)?
                            .and_then(|b| Entry::decode(&b, usize::MAX).ok())
                            .is_some_and(|e| e.body().governance_size > from_gov),
                    };
                    if past_fork {
                        r.outcome = Outcome::Void(VoidCause::GovernanceForked { from_gov });
                    }
                }
            }
        }
        Ok(results)
    }

    fn apply_one(
        &self,
        a: &mut Attempt<'_, K>,
        verifier: &mut dyn SignatureVerifier,
        entry: &Entry,
    ) -> Result<Outcome, StoreError> {
        let verdict = {
            let view = OverlayView(&a.overlay);
            apply_entry(&mut a.state, &view, verifier, entry)?
        };
        Ok(match verdict {
            Verdict::Accepted(accepted) => {
                write_accepted(a, entry, accepted)?;
                Outcome::Accepted
            }
            Verdict::Void(cause) => {
                append_to_log(a, entry)?;
                Outcome::Void(cause)
            }
            Verdict::Rejected(_) if a.replay => {
                // From this replica's own log: it stays there, without effect.
                let next = a.state.chain(&entry.body().author).size == entry.body().seq;
                let cause = match a.state.governance.frozen_at {
                    Some(from_gov) if next => VoidCause::GovernanceForked { from_gov },
                    _ => {
                        return Err(StoreError::Corrupt(format!(
                            "entry {} #{} of the log no longer applies",
                            entry.body().author,
                            entry.body().seq
                        )))
                    }
                };
                crate::validate::advance_without_effect(&mut a.state, entry);
                append_to_log(a, entry)?;
                Outcome::Void(cause)
            }
            Verdict::Duplicate => Outcome::Duplicate,
            Verdict::Held(reason) => {
                let limit = self.state.genesis.limits.max_held_entries as usize;
                let key = (entry.body().author.clone(), entry.body().seq);
                let already = a
                    .held
                    .get(&key)
                    .is_some_and(|v| v.iter().any(|b| b.as_slice() == entry.bytes()));
                if already {
                    return Ok(Outcome::Held(reason));
                }
                if a.held_count >= limit || a.hold_budget == 0 {
                    return Ok(Outcome::Rejected(match reason {
                        HoldReason::Gap { expected } => Rejection::SequenceGap {
                            author: entry.body().author.clone(),
                            expected,
                            found: entry.body().seq,
                        },
                        HoldReason::Governance { .. } | HoldReason::OtherHistory => {
                            Rejection::HoldFull { limit }
                        }
                    }));
                }
                a.hold_budget -= 1;
                a.overlay.put(
                    keys::held(&entry.body().author, entry.body().seq, &entry.hash()),
                    entry.bytes().to_vec(),
                );
                a.held.entry(key).or_default().push(entry.bytes().to_vec());
                a.held_count += 1;
                Outcome::Held(reason)
            }
            Verdict::Equivocation { existing } => {
                record_equivocation(a, existing, entry)?;
                Outcome::Equivocation
            }
            Verdict::Disputed { fork } => {
                a.overlay.put(
                    keys::disputed(&entry.body().author, entry.body().seq, &entry.hash()),
                    entry.bytes().to_vec(),
                );
                dispute_credentials(a, entry, fork)?;
                Outcome::Disputed
            }
            Verdict::Rejected(r) => Outcome::Rejected(r),
        })
    }

    /// Applies held entries whose turn has come, until none applies.
    fn drain_held(
        &self,
        a: &mut Attempt<'_, K>,
        verifier: &mut dyn SignatureVerifier,
    ) -> Result<(), StoreError> {
        loop {
            let mut progress = false;
            let ready: Vec<(Author, u64)> = a
                .held
                .keys()
                .filter(|(author, seq)| {
                    // Its turn has come, or it can never come (forked chain).
                    *seq <= a.state.chain(author).size
                        || author
                            .registrar()
                            .and_then(|id| a.state.registrars.get(id))
                            .is_some_and(|r| r.fork_at.is_some_and(|f| *seq >= f))
                })
                .cloned()
                .collect();
            for key in ready {
                let Some(waiting) = a.held.remove(&key) else {
                    continue;
                };
                a.held_count -= waiting.len();
                for bytes in waiting {
                    let Ok(entry) = Entry::decode(&bytes, usize::MAX) else {
                        continue;
                    };
                    a.overlay.remove(keys::held(
                        &entry.body().author,
                        entry.body().seq,
                        &entry.hash(),
                    ));
                    let outcome = self.apply_one(a, verifier, &entry)?;
                    if !matches!(outcome, Outcome::Held(_)) {
                        // If it came in this batch, report what finally happened.
                        for r in a.results.iter_mut() {
                            let this = r.entry.as_ref().is_some_and(|(_, _, h)| *h == entry.hash());
                            if this && matches!(r.outcome, Outcome::Held(_)) {
                                r.outcome = outcome.clone();
                            }
                        }
                    }
                    // Anything that moved a chain or froze one may let other
                    // held entries through.
                    if matches!(
                        outcome,
                        Outcome::Accepted
                            | Outcome::Void(_)
                            | Outcome::Equivocation
                            | Outcome::Disputed
                    ) {
                        progress = true;
                    }
                }
            }
            if !progress {
                return Ok(());
            }
        }
    }

    /// Records an equivocation proof received on its own (gossip): the proof
    /// is checked, then both entries are ingested, so the conflict is
    /// detected and the chain frozen as if the entries had arrived by sync.
    pub fn ingest_equivocation_proof(
        &mut self,
        proof: &EquivocationProof,
    ) -> Result<Vec<IngestResult>, StoreError> {
        proof.verify(&self.state)?;
        self.ingest(&[proof.first.clone(), proof.second.clone()])
    }

    /// Makes everything written durable (a no-op in memory).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.kv.flush()?;
        Ok(())
    }

    /// The registrar id accredited with `key` at any time, if any.
    pub fn registrar_for_key(&self, key: &PublicKeyBytes) -> Option<&RegistrarId> {
        self.state.registrar_by_key(key)
    }
}
