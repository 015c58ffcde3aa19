//! What a replica answers: entries by position or hash, ranges for sync,
//! Merkle roots and proofs, checkpoints, credential status, equivocation
//! proofs, exports. Reads only.

use super::{
    blocks, keys, origin, ChainCheckpoint, ChainSubtrees, CredentialStatus, KvStore, Ledger,
    StoreError,
};
use crate::codec;
use crate::credential::{CredentialRecord, CredentialState};
use crate::entry::Entry;
use crate::equivocation::EquivocationProof;
use crate::merkle;
use crate::state::ChainHead;
use crate::types::{Author, CredentialId, Hash32, RegistrarId};
use std::collections::BTreeMap;

impl<K: KvStore> Ledger<K> {
    /// One signed entry by chain position.
    pub fn entry(&self, author: &Author, seq: u64) -> Result<Option<Vec<u8>>, StoreError> {
        blocks::read_entry(&self.kv, author, seq)
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
        let start = keys::block_of(author, from_seq);
        let prefix = keys::blocks_of(author);
        let mut skip = blocks::offset(from_seq);
        'blocks: for kv in self.kv.range_from(&start) {
            let (k, v) = kv?;
            if !k.starts_with(&prefix) {
                break;
            }
            for entry in blocks::split(&v)?.into_iter().skip(skip) {
                if out.len() >= max_entries || (!out.is_empty() && bytes + entry.len() > max_bytes)
                {
                    break 'blocks;
                }
                bytes += entry.len();
                out.push(entry.to_vec());
            }
            skip = 0;
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
        let src = ChainSubtrees::new(&self.kv, author).with_upper(&self.upper);
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
        let src = ChainSubtrees::new(&self.kv, author).with_upper(&self.upper);
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
        let src = ChainSubtrees::new(&self.kv, author).with_upper(&self.upper);
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

    /// The evidence a replica needs beside the chains to reach the same state
    /// (specs/api.md, the export): the two entries of every equivocation
    /// proof, then every disputed entry (what an author signed past a fork),
    /// in key order; only those of `authors` when given. Ingested after the
    /// chains, the proof's entries make any replica record the same fork and
    /// the disputed entries are classified as disputed again.
    pub fn evidence_entries(&self, authors: Option<&[Author]>) -> Result<Vec<Vec<u8>>, StoreError> {
        let wanted = |author: &Author| authors.is_none_or(|list| list.contains(author));
        let mut out = Vec::new();
        for proof in self.equivocation_proofs()? {
            let (a, b) = proof
                .entries()
                .map_err(|e| StoreError::Corrupt(format!("stored proof: {e}")))?;
            if wanted(&a.body().author) {
                out.push(a.into_bytes());
                out.push(b.into_bytes());
            }
        }
        for kv in self.kv.scan_prefix(keys::DISPUTED) {
            let (_, bytes) = kv?;
            let entry = Entry::decode(&bytes, usize::MAX)?;
            if wanted(&entry.body().author) {
                out.push(bytes);
            }
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
            let derived = matches!(k.first(), Some(b'c' | b'l' | b'm'))
                || k.as_slice() == keys::meta("state").as_slice();
            if derived {
                out.insert(k, v);
            }
        }
        Ok(out)
    }
}
