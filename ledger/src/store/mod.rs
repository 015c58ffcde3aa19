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
//! Two ledgers are built from the one engine: [`MemoryLedger`] (in memory,
//! always available, for offline verifiers and the browser) and, with the
//! `sled` feature (on by default), [`Store`], the node's on-disk store.
//! Neither does anything the other does not: same rules, same keys, same
//! state and proofs for the same entries.

pub mod keys;
mod kv;
mod memory_kv;
mod overlay;
#[cfg(feature = "sled")]
mod sled_kv;
mod subtrees;
mod witness;

use crate::codec::{self, CodecError};
use crate::credential::{CredentialRecord, CredentialState};
use crate::entry::{Entry, EntryError};
use crate::equivocation::{EquivocationProof, ProofError};
use crate::genesis::{Genesis, GenesisError};
use crate::merkle::{self, MerkleError};
use crate::payload::Payload;
use crate::rejection::Rejection;
use crate::signing::{BatchVerifier, SequentialVerifier, SignatureCheck, ENTRY_DOMAIN};
use crate::state::{ChainHead, LedgerState};
use crate::types::{Author, CredentialId, Hash32, PublicKeyBytes, RegistrarId, SignatureBytes};
use crate::validate::{
    apply_entry, truncate_registrar, Accepted, HoldReason, ImmediateVerifier, LedgerView,
    SignatureVerifier, Verdict,
};
pub use kv::{KvBatch, KvError, KvIter, KvPair, KvRead, KvStore};
pub use memory_kv::MemoryKv;
use overlay::Overlay;
#[cfg(feature = "sled")]
pub use sled_kv::SledKv;
use std::collections::BTreeMap;
pub use subtrees::{ChainSubtrees, SubtreeError};
pub use witness::WitnessError;

/// Version of the key layout and value formats.
pub const SCHEMA_VERSION: u32 = 1;

/// Failures of the store itself (not of an entry).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The key-value store failed.
    #[error("storage: {0}")]
    Storage(#[from] KvError),
    /// Stored data could not be read back.
    #[error("corrupt store: {0}")]
    Corrupt(String),
    /// The store was made by another schema version.
    #[error("store schema version {found}, this program reads version {expected}")]
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
    verifier: Box<dyn BatchVerifier>,
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
            .cache_capacity(256 * 1024 * 1024)
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
                if schema != SCHEMA_VERSION {
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
        let mut store = Self {
            kv,
            state,
            held,
            verifier,
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
        let max = self.max_entry_bytes();
        let decoded: Vec<Result<Entry, Rejection>> = batch
            .iter()
            .map(|b| Entry::decode(b.as_ref(), max).map_err(Rejection::from))
            .collect();
        let mut deferred = DeferredVerifier::default();
        let attempt = self.process(&decoded, &mut deferred, hold_budget)?;
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
        let finished = if verified {
            attempt.finish()
        } else {
            drop(attempt);
            self.process(&decoded, &mut ImmediateVerifier, hold_budget)?
                .finish()
        };
        self.commit(finished)
    }

    fn process(
        &self,
        decoded: &[Result<Entry, Rejection>],
        verifier: &mut dyn SignatureVerifier,
        hold_budget: usize,
    ) -> Result<Attempt<'_, K>, StoreError> {
        let mut attempt = Attempt {
            state: self.state.clone(),
            overlay: Overlay::new(&self.kv),
            held: self.held.clone(),
            held_count: self.held_count(),
            hold_budget,
            results: Vec::with_capacity(decoded.len()),
            needs_rebuild: false,
            last_leaf: BTreeMap::new(),
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
            self.kv.apply_batch(batch)?;
            self.kv.flush()?;
        }
        self.state = state;
        self.held = held;
        let mut results = results;
        if needs_rebuild {
            self.rebuild_indexes()?;
            // Entries of this batch that the rebuilt chains no longer hold
            // (past a governance fork) were not accepted after all.
            for r in results.iter_mut() {
                if let (Outcome::Accepted, Some((author, seq, hash))) = (&r.outcome, &r.entry) {
                    let still = self
                        .entry(author, *seq)?
                        .and_then(|b| Entry::decode(&b, usize::MAX).ok())
                        .is_some_and(|e| &e.hash() == hash);
                    if !still {
                        r.outcome = Outcome::Rejected(Rejection::GovernanceFrozen);
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
                    // Its turn has come, or it can never come (frozen chain).
                    *seq <= a.state.chain(author).size
                        || author
                            .registrar()
                            .and_then(|id| a.state.registrars.get(id))
                            .is_some_and(|r| r.frozen_from(*seq, u64::MAX).is_some())
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
                        Outcome::Accepted | Outcome::Equivocation | Outcome::Disputed
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

    /// One signed entry by chain position.
    pub fn entry(&self, author: &Author, seq: u64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.kv.get(&keys::entry(author, seq))?)
    }

    /// One signed entry by the hash of its body.
    pub fn entry_by_hash(
        &self,
        hash: &Hash32,
    ) -> Result<Option<(Author, u64, Vec<u8>)>, StoreError> {
        let Some(pos) = self.kv.get(&keys::by_hash(hash))? else {
            return Ok(None);
        };
        let (author, seq) = keys::parse_position(&pos)
            .ok_or_else(|| StoreError::Corrupt("bad hash index value".into()))?;
        Ok(self.entry(&author, seq)?.map(|e| (author, seq, e)))
    }

    /// Up to `max_entries` entries of a chain from `from_seq`, stopping
    /// before `max_bytes` would be exceeded (at least one entry if any).
    pub fn range(
        &self,
        author: &Author,
        from_seq: u64,
        max_entries: usize,
        max_bytes: usize,
    ) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut out = Vec::new();
        let mut bytes = 0usize;
        let start = keys::entry(author, from_seq);
        let prefix = keys::entries_of(author);
        for kv in self.kv.range_from(&start) {
            let (k, v) = kv?;
            if !k.starts_with(&prefix) || out.len() >= max_entries {
                break;
            }
            if !out.is_empty() && bytes + v.len() > max_bytes {
                break;
            }
            bytes += v.len();
            out.push(v.to_vec());
        }
        Ok(out)
    }

    /// Every chain and its head.
    pub fn heads(&self) -> Vec<(Author, ChainHead)> {
        self.state.chains()
    }

    /// Number of entries waiting for a dependency.
    pub fn held_count(&self) -> usize {
        self.held.values().map(Vec::len).sum()
    }

    fn chain_size(&self, author: &Author) -> u64 {
        self.state.chain(author).size
    }

    /// The RFC 6962 root of the first `size` entries of a chain.
    pub fn root(&self, author: &Author, size: u64) -> Result<Hash32, StoreError> {
        self.check_size(author, size)?;
        let src = ChainSubtrees::new(&self.kv, author);
        Ok(Hash32(merkle::root(&src, size)?))
    }

    fn check_size(&self, author: &Author, size: u64) -> Result<(), StoreError> {
        let have = self.chain_size(author);
        if size > have {
            return Err(StoreError::OutOfRange(format!(
                "chain {author} has {have} entries, not {size}"
            )));
        }
        Ok(())
    }

    /// Inclusion proof of entry `seq` in the tree of the first `size` entries.
    pub fn inclusion_proof(
        &self,
        author: &Author,
        seq: u64,
        size: u64,
    ) -> Result<Vec<Hash32>, StoreError> {
        self.check_size(author, size)?;
        let src = ChainSubtrees::new(&self.kv, author);
        Ok(merkle::inclusion_proof(&src, seq, size)?
            .into_iter()
            .map(Hash32)
            .collect())
    }

    /// Consistency proof between the trees of sizes `old` and `new`.
    pub fn consistency_proof(
        &self,
        author: &Author,
        old: u64,
        new: u64,
    ) -> Result<Vec<Hash32>, StoreError> {
        self.check_size(author, new)?;
        let src = ChainSubtrees::new(&self.kv, author);
        Ok(merkle::consistency_proof(&src, old, new)?
            .into_iter()
            .map(Hash32)
            .collect())
    }

    /// The checkpoint body of a chain at its current size.
    pub fn checkpoint(&self, author: &Author) -> Result<ChainCheckpoint, StoreError> {
        let size = self.chain_size(author);
        Ok(ChainCheckpoint {
            origin: origin(&self.state.network, author),
            size,
            root: self.root(author, size)?,
        })
    }

    /// What the ledger says about a credential, whoever attested it. When
    /// several registrars attested the same id (only a malicious registrar
    /// would copy another's id), the answer is [`CredentialStatus::Ambiguous`]:
    /// ask again naming the issuer with [`Store::credential_status_from`].
    pub fn credential_status(&self, id: &CredentialId) -> Result<CredentialStatus, StoreError> {
        self.status_of(id, None)
    }

    /// What the ledger says about a credential attested by `registrar` (the
    /// issuer the credential names).
    pub fn credential_status_from(
        &self,
        id: &CredentialId,
        registrar: &RegistrarId,
    ) -> Result<CredentialStatus, StoreError> {
        self.status_of(id, Some(registrar))
    }

    fn status_of(
        &self,
        id: &CredentialId,
        registrar: Option<&RegistrarId>,
    ) -> Result<CredentialStatus, StoreError> {
        let mut records = Vec::new();
        for kv in self.kv.scan_prefix(&keys::credentials_of(id)) {
            let (_, v) = kv?;
            let record: CredentialRecord = codec::decode_canonical(&v)?;
            if registrar.is_none_or(|r| r == &record.registrar) {
                records.push(record);
            }
        }
        let record = match records.as_slice() {
            [] => return Ok(CredentialStatus::Unknown),
            [one] if matches!(one.state, CredentialState::Disputed { .. }) => {
                // The fork as this replica knows it now (it can only move earlier).
                let fork = self
                    .state
                    .registrars
                    .get(&one.registrar)
                    .and_then(|r| r.fork_at);
                let records = records
                    .into_iter()
                    .map(|mut r| {
                        if let (CredentialState::Disputed { fork_seq }, Some(f)) =
                            (&mut r.state, fork)
                        {
                            *fork_seq = f;
                        }
                        r
                    })
                    .collect();
                return Ok(CredentialStatus::Disputed { records });
            }
            [one] => one.clone(),
            _ => return Ok(CredentialStatus::Ambiguous { records }),
        };
        let author = Author::Registrar(record.registrar.clone());
        let attestation = self.entry(&author, record.seq)?.ok_or_else(|| {
            StoreError::Corrupt(format!("record points at missing {author} #{}", record.seq))
        })?;
        let decided_by = match &record.state {
            CredentialState::Revoked { seq, .. } | CredentialState::Superseded { seq, .. } => {
                self.entry(&author, *seq)?
            }
            _ => None,
        };
        Ok(CredentialStatus::Attested {
            record,
            attestation,
            decided_by,
        })
    }

    /// Every equivocation proof recorded.
    pub fn equivocation_proofs(&self) -> Result<Vec<EquivocationProof>, StoreError> {
        let mut out = Vec::new();
        for kv in self.kv.scan_prefix(keys::PROOFS) {
            let (_, v) = kv?;
            out.push(
                EquivocationProof::from_bytes(&v)
                    .map_err(|e| StoreError::Corrupt(format!("stored proof: {e}")))?,
            );
        }
        Ok(out)
    }

    /// Every stored entry of every chain, chain by chain in seq order
    /// (governance first): the export order.
    pub fn all_entries(&self) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut out = Vec::new();
        for (author, head) in self.heads() {
            out.extend(self.range(&author, 0, head.size as usize, usize::MAX)?);
        }
        Ok(out)
    }

    /// The stored entries of the chains of `authors` only, in the export order (chain by
    /// chain as [`Self::all_entries`], each in seq order); authors without a chain add nothing.
    pub fn entries_of(&self, authors: &[Author]) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut out = Vec::new();
        for (author, head) in self.heads() {
            if authors.contains(&author) {
                out.extend(self.range(&author, 0, head.size as usize, usize::MAX)?);
            }
        }
        Ok(out)
    }

    /// Raw read access for tools and tests (e.g. scanning every stored
    /// byte): every key and value, in key order.
    pub fn raw_entries(&self) -> impl Iterator<Item = Result<(Vec<u8>, Vec<u8>), StoreError>> + '_ {
        self.kv
            .range_from(&[])
            .map(|kv| kv.map_err(StoreError::from))
    }

    /// Everything derived from the entries, by key (all but the entries
    /// themselves, the genesis and the schema): used to check that indexes
    /// agree with entries after a crash.
    pub fn derived_snapshot(&self) -> Result<BTreeMap<Vec<u8>, Vec<u8>>, StoreError> {
        let mut out = BTreeMap::new();
        for kv in self.kv.range_from(&[]) {
            let (k, v) = kv?;
            let derived = matches!(k.first(), Some(b'h' | b'c' | b'm'))
                || k.as_slice() == keys::meta("state").as_slice();
            if derived {
                out.insert(k, v);
            }
        }
        Ok(out)
    }

    /// Rebuilds every index and the derived state from the stored entries,
    /// equivocation proofs and disputed entries, which are never deleted
    /// while this runs: a crash part way leaves a marker, and the next open
    /// runs the rebuild again.
    pub fn rebuild_indexes(&mut self) -> Result<(), StoreError> {
        let scan = |prefix: &[u8]| -> Result<Vec<Vec<u8>>, StoreError> {
            let mut out = Vec::new();
            for kv in self.kv.scan_prefix(prefix) {
                out.push(kv?.1);
            }
            Ok(out)
        };
        // Governance first, so registrar entries do not wait in the hold.
        let governance = scan(&keys::entries_of(&Author::Governance))?;
        let others: Vec<Vec<u8>> = {
            let mut out = Vec::new();
            for kv in self.kv.scan_prefix(keys::ENTRIES) {
                let (k, v) = kv?;
                if !k.starts_with(&keys::entries_of(&Author::Governance)) {
                    out.push(v);
                }
            }
            out
        };
        let proofs = self.equivocation_proofs()?;
        let disputed = scan(keys::DISPUTED)?;
        let mut fresh = LedgerState::new(self.state.genesis.clone(), self.state.network);
        for proof in &proofs {
            if let Ok((a, _)) = proof.entries() {
                if a.body().author == Author::Governance {
                    let fork = fresh
                        .governance
                        .frozen_at
                        .map_or(a.body().seq, |f| f.min(a.body().seq));
                    fresh.governance.frozen_at = Some(fork);
                }
            }
        }
        let mut batch = KvBatch::new();
        for kv in self.kv.range_from(&[]) {
            let (k, _) = kv?;
            // Derived indexes, and the witness records: the rebuilt chains
            // may be shorter than what was cosigned.
            if matches!(k.first(), Some(b'h' | b'c' | b'm' | b'w' | b'n')) {
                batch.remove(k);
            }
        }
        batch.put(keys::meta("rebuilding"), vec![1]);
        batch.put(keys::meta("state"), codec::encode(&fresh)?);
        self.kv.apply_batch(batch)?;
        self.kv.flush()?;
        self.state = fresh;
        let proof_entries: Vec<Vec<u8>> = proofs
            .into_iter()
            .flat_map(|p| [p.first, p.second])
            .collect();
        for chunk in governance
            .chunks(4096)
            .chain(others.chunks(4096))
            .chain(proof_entries.chunks(4096))
            .chain(disputed.chunks(4096))
        {
            self.ingest(chunk)?;
        }
        // Entries the rebuilt chains no longer contain.
        let mut batch = KvBatch::new();
        for kv in self.kv.scan_prefix(keys::ENTRIES) {
            let (k, v) = kv?;
            let Ok(entry) = Entry::decode(&v, usize::MAX) else {
                batch.remove(k);
                continue;
            };
            if entry.body().seq >= self.state.chain(&entry.body().author).size {
                batch.remove(k);
            }
        }
        batch.remove(keys::meta("rebuilding"));
        self.kv.apply_batch(batch)?;
        self.kv.flush()?;
        Ok(())
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

/// Working copy of one batch, reading through its writes to the store.
struct Attempt<'a, K: KvStore> {
    state: LedgerState,
    overlay: Overlay<'a, K>,
    held: BTreeMap<(Author, u64), Vec<Vec<u8>>>,
    held_count: usize,
    /// How many more entries this batch may newly hold.
    hold_budget: usize,
    results: Vec<IngestResult>,
    needs_rebuild: bool,
    /// The last leaf appended to each chain in this batch (index, hash).
    last_leaf: BTreeMap<Author, (u64, merkle::Hash)>,
}

/// What a validated batch leaves to commit, no longer reading the store.
struct Finished {
    state: LedgerState,
    batch: KvBatch,
    held: BTreeMap<(Author, u64), Vec<Vec<u8>>>,
    results: Vec<IngestResult>,
    needs_rebuild: bool,
}

impl<K: KvStore> Attempt<'_, K> {
    fn finish(self) -> Finished {
        Finished {
            state: self.state,
            batch: self.overlay.into_batch(),
            held: self.held,
            results: self.results,
            needs_rebuild: self.needs_rebuild,
        }
    }
}

/// Collects signatures to check together after the batch is validated.
#[derive(Default)]
struct DeferredVerifier {
    checks: Vec<(PublicKeyBytes, Vec<u8>, SignatureBytes)>,
}

impl SignatureVerifier for DeferredVerifier {
    fn verify(&mut self, key: &PublicKeyBytes, entry: &Entry, signature: &SignatureBytes) -> bool {
        self.checks
            .push((*key, entry.body_bytes().to_vec(), *signature));
        true
    }
}

struct OverlayView<'o, 'a, K: KvStore>(&'o Overlay<'a, K>);

impl<K: KvStore> LedgerView for OverlayView<'_, '_, K> {
    type Error = StoreError;

    fn entry_bytes(&self, author: &Author, seq: u64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.0.get(&keys::entry(author, seq))?)
    }

    fn credential(
        &self,
        id: &CredentialId,
        registrar: &RegistrarId,
    ) -> Result<Option<CredentialRecord>, StoreError> {
        let key = keys::credential(id, &Author::Registrar(registrar.clone()));
        match self.0.get(&key)? {
            None => Ok(None),
            Some(v) => Ok(Some(codec::decode_canonical(&v)?)),
        }
    }
}

fn put_record<K: KvStore>(
    a: &mut Attempt<'_, K>,
    id: &CredentialId,
    record: &CredentialRecord,
) -> Result<(), StoreError> {
    let author = Author::Registrar(record.registrar.clone());
    a.overlay
        .put(keys::credential(id, &author), codec::encode(record)?);
    Ok(())
}

fn get_record<K: KvStore>(
    a: &Attempt<'_, K>,
    id: &CredentialId,
    author: &Author,
) -> Result<Option<CredentialRecord>, StoreError> {
    match a.overlay.get(&keys::credential(id, author))? {
        None => Ok(None),
        Some(v) => Ok(Some(codec::decode_canonical(&v)?)),
    }
}

fn write_accepted<K: KvStore>(
    a: &mut Attempt<'_, K>,
    entry: &Entry,
    accepted: Accepted,
) -> Result<(), StoreError> {
    let author = &entry.body().author;
    let seq = entry.body().seq;
    a.overlay
        .put(keys::entry(author, seq), entry.bytes().to_vec());
    a.overlay.put(
        keys::by_hash(&entry.hash()),
        keys::position_value(author, seq),
    );
    for update in &accepted.credentials {
        put_record(a, &update.id, &update.record)?;
    }
    let leaf = entry.leaf_hash().0;
    let nodes = {
        // The sibling of an odd leaf is usually the entry appended just
        // before it: use its hash rather than reading and hashing it again.
        let src = ChainSubtrees {
            known_leaf: a.last_leaf.get(author).copied(),
            ..ChainSubtrees::new(&a.overlay, author)
        };
        merkle::appended_subtrees(&src, seq, leaf)?
    };
    a.last_leaf.insert(author.clone(), (seq, leaf));
    for (level, index, hash) in nodes {
        if level > 0 {
            a.overlay
                .put(keys::subtree(author, level, index), hash.to_vec());
        }
    }
    if let Some((registrar, keep)) = accepted.truncate {
        truncate(a, &registrar, keep, None)?;
    }
    Ok(())
}

/// Cuts a registrar chain back to `keep` entries. With `dispute = Some(fork)`
/// (equivocation) the removed entries are kept aside and their credentials
/// marked disputed; otherwise (suspension) their effects are undone.
fn truncate<K: KvStore>(
    a: &mut Attempt<'_, K>,
    registrar: &RegistrarId,
    keep: u64,
    dispute: Option<u64>,
) -> Result<(), StoreError> {
    let author = Author::Registrar(registrar.clone());
    let size = a.state.chain(&author).size;
    let last_kept = match keep {
        0 => None,
        k => {
            let bytes = a
                .overlay
                .get(&keys::entry(&author, k - 1))?
                .ok_or_else(|| StoreError::Corrupt(format!("missing {author} #{}", k - 1)))?;
            Some(Entry::decode(&bytes, usize::MAX)?)
        }
    };
    let Some(mut reg) = a.state.registrars.get(registrar).cloned() else {
        return Ok(());
    };
    truncate_registrar(&mut reg, keep, last_kept.as_ref());
    for seq in (keep..size).rev() {
        let bytes = a
            .overlay
            .get(&keys::entry(&author, seq))?
            .ok_or_else(|| StoreError::Corrupt(format!("missing {author} #{seq}")))?;
        let entry = Entry::decode(&bytes, usize::MAX)?;
        a.overlay.remove(keys::entry(&author, seq));
        a.overlay.remove(keys::by_hash(&entry.hash()));
        // Past a fork, an entry counts as disputed exactly when a replica
        // receiving it after the fork would call it so: signed by the key in
        // force there once the chain is cut back (see validate).
        let signed_in_force = || {
            let key = reg.key_for(seq).map(|p| p.key);
            matches!(entry.signatures(), [s] if Some(s.key) == key)
                && ImmediateVerifier.verify(
                    &entry.signatures()[0].key,
                    &entry,
                    &entry.signatures()[0].signature,
                )
        };
        match dispute {
            Some(fork) if signed_in_force() => {
                a.overlay
                    .put(keys::disputed(&author, seq, &entry.hash()), bytes);
                dispute_credentials(a, &entry, fork)?;
            }
            _ => undo_credentials(a, &entry)?,
        }
    }
    for level in 1..64u8 {
        let width = 1u64 << level;
        if width > size {
            break;
        }
        let first = keep / width;
        let end = size / width;
        for index in first..end {
            a.overlay.remove(keys::subtree(&author, level, index));
        }
    }
    // The chain shrank by a governance decision or a proven fork: what this
    // witness cosigned before no longer describes it.
    a.overlay.remove(keys::cosigned(&author));
    a.overlay.remove(keys::note(&author));
    a.last_leaf.remove(&author);
    a.state.registrars.insert(registrar.clone(), reg);
    Ok(())
}

/// Undoes the credential effects of a removed entry.
fn undo_credentials<K: KvStore>(a: &mut Attempt<'_, K>, entry: &Entry) -> Result<(), StoreError> {
    let author = &entry.body().author;
    let seq = entry.body().seq;
    let reactivate = |a: &mut Attempt<'_, K>, id: &CredentialId| -> Result<(), StoreError> {
        if let Some(mut record) = get_record(a, id, author)? {
            let decided_here = matches!(record.state,
                CredentialState::Revoked { seq: s, .. } | CredentialState::Superseded { seq: s, .. } if s == seq);
            if decided_here {
                record.state = CredentialState::Active;
                put_record(a, id, &record)?;
            }
        }
        Ok(())
    };
    match &entry.body().payload {
        Payload::Attest(x) => a.overlay.remove(keys::credential(&x.credential_id, author)),
        Payload::Revoke(r) => reactivate(a, &r.credential_id)?,
        Payload::Supersede(s) => {
            reactivate(a, &s.old_credential_id)?;
            a.overlay
                .remove(keys::credential(&s.replacement.credential_id, author));
        }
        _ => {}
    }
    Ok(())
}

/// Marks every credential an entry touches as disputed.
fn dispute_credentials<K: KvStore>(
    a: &mut Attempt<'_, K>,
    entry: &Entry,
    fork: u64,
) -> Result<(), StoreError> {
    let Some(registrar) = entry.body().author.registrar().cloned() else {
        return Ok(());
    };
    let ids: Vec<CredentialId> = match &entry.body().payload {
        Payload::Attest(x) => vec![x.credential_id],
        Payload::Revoke(r) => vec![r.credential_id],
        Payload::Supersede(s) => vec![s.old_credential_id, s.replacement.credential_id],
        _ => vec![],
    };
    for id in ids {
        // The same record whatever the order the branches arrived in: the
        // earliest seq and fork seen, nothing about replacements.
        let existing = get_record(a, &id, &entry.body().author)?;
        let (seq, fork) = match existing {
            Some(CredentialRecord {
                seq,
                state: CredentialState::Disputed { fork_seq },
                ..
            }) => (seq.min(entry.body().seq), fork_seq.min(fork)),
            Some(r) => (r.seq.min(entry.body().seq), fork),
            None => (entry.body().seq, fork),
        };
        let record = CredentialRecord {
            registrar: registrar.clone(),
            seq,
            state: CredentialState::Disputed { fork_seq: fork },
            replaces: None,
        };
        put_record(a, &id, &record)?;
    }
    Ok(())
}

fn record_equivocation<K: KvStore>(
    a: &mut Attempt<'_, K>,
    existing: Vec<u8>,
    entry: &Entry,
) -> Result<(), StoreError> {
    let proof = EquivocationProof::new(existing, entry.bytes().to_vec())
        .map_err(|e| StoreError::Corrupt(format!("equivocation proof: {e}")))?;
    let author = entry.body().author.clone();
    let seq = entry.body().seq;
    let proof_bytes = proof
        .to_bytes()
        .map_err(|e| StoreError::Corrupt(format!("equivocation proof: {e}")))?;
    a.overlay.put(keys::proof(&author, seq), proof_bytes);
    match &author {
        Author::Governance => {
            let frozen = a.state.governance.frozen_at.map_or(seq, |f| f.min(seq));
            a.state.governance.frozen_at = Some(frozen);
            // Governance entries past the fork shaped the state: derive it
            // again from the entries, as a replica that saw the fork first.
            if a.state.governance.chain.size > frozen {
                a.needs_rebuild = true;
            }
        }
        Author::Registrar(id) => {
            truncate(a, id, seq, Some(seq))?;
            dispute_credentials(a, entry, seq)?;
            if let Some(reg) = a.state.registrars.get_mut(id) {
                reg.fork_at = Some(reg.fork_at.map_or(seq, |f| f.min(seq)));
            }
        }
    }
    Ok(())
}
