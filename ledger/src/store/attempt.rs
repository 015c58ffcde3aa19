//! One batch's working copy ([`Attempt`]): the state, the held entries
//! and every write, read through before the store; and what an accepted
//! entry, a suspension or an equivocation writes into it.

use super::overlay::Overlay;
use super::{keys, ChainSubtrees, IngestResult, KvBatch, KvRead, KvStore, StoreError};
use crate::codec;
use crate::credential::{CredentialRecord, CredentialState};
use crate::entry::Entry;
use crate::equivocation::EquivocationProof;
use crate::merkle;
use crate::payload::Payload;
use crate::state::LedgerState;
use crate::types::{Author, CredentialId, PublicKeyBytes, RegistrarId, SignatureBytes};
use crate::validate::{
    truncate_registrar, Accepted, ImmediateVerifier, LedgerView, SignatureVerifier,
};
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
    /// The last leaf appended to each chain in this batch (index, hash).
    pub(super) last_leaf: BTreeMap<Author, (u64, merkle::Hash)>,
}

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

/// Collects signatures to check together after the batch is validated.
#[derive(Default)]
pub(super) struct DeferredVerifier {
    pub(super) checks: Vec<(PublicKeyBytes, Vec<u8>, SignatureBytes)>,
}

impl SignatureVerifier for DeferredVerifier {
    fn verify(&mut self, key: &PublicKeyBytes, entry: &Entry, signature: &SignatureBytes) -> bool {
        self.checks
            .push((*key, entry.body_bytes().to_vec(), *signature));
        true
    }
}

pub(super) struct OverlayView<'o, 'a, K: KvStore>(pub(super) &'o Overlay<'a, K>);

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

pub(super) fn write_accepted<K: KvStore>(
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
