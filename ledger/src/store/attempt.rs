//! One batch's working copy ([`Attempt`]): the state, the held entries
//! and every write, read through before the store; and what an accepted
//! entry, a suspension or an equivocation writes into it.

use super::blocks::{self, MIN_STORED_LEVEL};
use super::checked::CheckedSignatures;
use super::overlay::Overlay;
use super::upper::UpperLevels;
use super::{keys, ChainSubtrees, IngestResult, KvBatch, KvRead, KvStore, StoreError};
use crate::codec;
use crate::credential::{CredentialRecord, CredentialState};
use crate::entry::Entry;
use crate::equivocation::EquivocationProof;
use crate::merkle;
use crate::payload::Payload;
use crate::state::LedgerState;
use crate::types::{Author, CredentialId, PublicKeyBytes, RegistrarId, SignatureBytes};
use crate::validate::{Accepted, ImmediateVerifier, LedgerView, SignatureVerifier};
use std::collections::BTreeMap;

/// Working copy of one batch, reading through its writes to the store.
pub(super) struct Attempt<'a, K: KvStore> {
    pub(super) state: LedgerState,
    pub(super) overlay: Overlay<'a, K>,
    pub(super) held: BTreeMap<(Author, u64), Vec<Vec<u8>>>,
    pub(super) held_count: usize,
    /// How many more entries this batch may newly hold.
    pub(super) hold_budget: usize,
    pub(super) results: Vec<IngestResult>,
    pub(super) needs_rebuild: bool,
    /// Per chain, the last subtree completed in this batch at each level
    /// below [`MIN_STORED_LEVEL`] (index, hash): the left siblings the next
    /// appends need, without hashing their leaves again.
    pub(super) last_nodes: BTreeMap<Author, KnownSubtrees>,
    /// The upper Merkle levels held in memory.
    pub(super) upper: &'a UpperLevels,
    /// The batch replays this replica's own log (an index rebuild).
    pub(super) replay: bool,
}

/// Per level below [`MIN_STORED_LEVEL`], a subtree index and its hash.
pub(super) type KnownSubtrees = [Option<(u64, merkle::Hash)>; MIN_STORED_LEVEL as usize];

/// What a validated batch leaves to commit, no longer reading the store.
pub(super) struct Finished {
    pub(super) state: LedgerState,
    pub(super) batch: KvBatch,
    pub(super) held: BTreeMap<(Author, u64), Vec<Vec<u8>>>,
    pub(super) results: Vec<IngestResult>,
    pub(super) needs_rebuild: bool,
}

impl<K: KvStore> Attempt<'_, K> {
    pub(super) fn finish(self) -> Finished {
        Finished {
            state: self.state,
            batch: self.overlay.into_batch(),
            held: self.held,
            results: self.results,
            needs_rebuild: self.needs_rebuild,
        }
    }
}

/// Collects signatures to check together after the batch is validated,
/// except those already checked and found valid ([`CheckedSignatures`]).
#[derive(Default)]
pub(super) struct DeferredVerifier<'c> {
    pub(super) checks: Vec<(PublicKeyBytes, Vec<u8>, SignatureBytes)>,
    pub(super) checked: Option<&'c CheckedSignatures>,
}

impl SignatureVerifier for DeferredVerifier<'_> {
    fn verify(&mut self, key: &PublicKeyBytes, entry: &Entry, signature: &SignatureBytes) -> bool {
        if self
            .checked
            .is_some_and(|c| c.contains(key, entry, signature))
        {
            return true;
        }
        self.checks
            .push((*key, entry.body_bytes().to_vec(), *signature));
        true
    }
}

pub(super) struct OverlayView<'o, 'a, K: KvStore>(pub(super) &'o Overlay<'a, K>);

impl<K: KvStore> LedgerView for OverlayView<'_, '_, K> {
    type Error = StoreError;

    fn entry_bytes(&self, author: &Author, seq: u64) -> Result<Option<Vec<u8>>, StoreError> {
        blocks::read_entry(self.0, author, seq)
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

pub(super) fn write_accepted<K: KvStore>(
    a: &mut Attempt<'_, K>,
    entry: &Entry,
    accepted: Accepted,
) -> Result<(), StoreError> {
    append_to_log(a, entry)?;
    for update in &accepted.credentials {
        put_record(a, &update.id, &update.record)?;
    }
    if let Some((registrar, from)) = accepted.voids {
        void_entries(a, &registrar, from, None)?;
    }
    Ok(())
}

/// Appends an entry to its chain's log: the entry (into its block), its
/// leaf hash and the Merkle subtrees it completes from
/// [`MIN_STORED_LEVEL`] up. Nothing is ever removed from a log.
pub(super) fn append_to_log<K: KvStore>(
    a: &mut Attempt<'_, K>,
    entry: &Entry,
) -> Result<(), StoreError> {
    let author = &entry.body().author;
    let seq = entry.body().seq;
    let leaf = entry.leaf_hash().0;
    blocks::put_entry(&mut a.overlay, author, seq, entry.bytes(), &leaf)?;
    let known = a.last_nodes.get(author).copied().unwrap_or_default();
    let nodes = {
        // The left siblings below the stored levels are usually the
        // subtrees completed just before: use their hashes rather than
        // hashing their leaves again.
        let src = ChainSubtrees::with_known(&a.overlay, author, known).with_upper(a.upper);
        merkle::appended_subtrees(&src, seq, leaf)?
    };
    let last = a.last_nodes.entry(author.clone()).or_default();
    for (level, index, hash) in nodes {
        if level >= MIN_STORED_LEVEL {
            a.overlay
                .put(keys::subtree(author, level, index), hash.to_vec());
        } else if let Some(slot) = last.get_mut(level as usize) {
            *slot = Some((index, hash));
        }
    }
    Ok(())
}

/// Takes away the effect of a registrar's entries from `from` on, which
/// stay in its log: a suspension or a scope change (`dispute = None`) undoes
/// what they did to credentials; an equivocation at `dispute = Some(fork)`
/// marks the credentials they touch as disputed, for the entries a replica
/// receiving them after the fork would call disputed (signed by the key in
/// force there), and undoes the others.
fn void_entries<K: KvStore>(
    a: &mut Attempt<'_, K>,
    registrar: &RegistrarId,
    from: u64,
    dispute: Option<u64>,
) -> Result<(), StoreError> {
    let author = Author::Registrar(registrar.clone());
    let size = a.state.chain(&author).size;
    let Some(reg) = a.state.registrars.get(registrar).cloned() else {
        return Ok(());
    };
    for seq in (from..size).rev() {
        let bytes = blocks::read_entry(&a.overlay, &author, seq)?
            .ok_or_else(|| StoreError::Corrupt(format!("missing {author} #{seq}")))?;
        let entry = Entry::decode(&bytes, usize::MAX)?;
        let signed_in_force = || {
            let key = reg
                .key_for(seq, entry.body().governance_size)
                .map(|p| p.key);
            matches!(entry.signatures(), [s] if Some(s.key) == key)
                && ImmediateVerifier.verify(
                    &entry.signatures()[0].key,
                    &entry,
                    &entry.signatures()[0].signature,
                )
        };
        match dispute {
            Some(fork) if signed_in_force() => dispute_credentials(a, &entry, fork)?,
            _ => undo_credentials(a, &entry)?,
        }
    }
    Ok(())
}

/// Undoes the credential effects of an entry that lost its effect: only
/// records that entry made (a record attested or decided at its seq).
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
    let forget = |a: &mut Attempt<'_, K>, id: &CredentialId| -> Result<(), StoreError> {
        let made_here = get_record(a, id, author)?
            .is_some_and(|r| r.seq == seq && !matches!(r.state, CredentialState::Disputed { .. }));
        if made_here {
            a.overlay.remove(keys::credential(id, author));
        }
        Ok(())
    };
    match &entry.body().payload {
        Payload::Attest(x) => forget(a, &x.credential_id)?,
        Payload::Revoke(r) => reactivate(a, &r.credential_id)?,
        Payload::Supersede(s) => {
            reactivate(a, &s.old_credential_id)?;
            forget(a, &s.replacement.credential_id)?;
        }
        _ => {}
    }
    Ok(())
}

/// Marks every credential an entry touches as disputed.
pub(super) fn dispute_credentials<K: KvStore>(
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

pub(super) fn record_equivocation<K: KvStore>(
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
            let before = a.state.governance.frozen_at;
            let frozen = before.map_or(seq, |f| f.min(seq));
            a.state.governance.frozen_at = Some(frozen);
            // Governance entries past a new (or earlier) fork shaped the
            // state: derive it again from the logs, as a replica that saw the
            // fork first (the entries stay, without effect).
            if before != Some(frozen) && a.state.governance.chain.size > frozen {
                a.needs_rebuild = true;
            }
        }
        Author::Registrar(id) => {
            // Rotations the log made at or past the fork stop counting, as
            // for a replica that sees the fork before those entries.
            if let Some(reg) = a.state.registrars.get_mut(id) {
                reg.keys.retain(|p| p.by_governance || p.from_seq <= seq);
            }
            void_entries(a, id, seq, Some(seq))?;
            dispute_credentials(a, entry, seq)?;
            if let Some(reg) = a.state.registrars.get_mut(id) {
                reg.fork_at = Some(reg.fork_at.map_or(seq, |f| f.min(seq)));
            }
        }
    }
    Ok(())
}
