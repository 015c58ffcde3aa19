//! Rebuilding every index and the derived state from the stored entries
//! (specs/ledger-implementation.md 1.5).

use super::{blocks, keys, KvBatch, KvStore, Ledger, StoreError};
use crate::codec;
use crate::entry::Entry;
use crate::state::LedgerState;
use crate::types::Author;

impl<K: KvStore> Ledger<K> {
    /// Rebuilds every index and the derived state from the stored entries,
    /// equivocation proofs and disputed entries. Nothing signed or witnessed
    /// is deleted: every entry of every log stays at its position (one the
    /// rules no longer give effect to stays without effect), and the witness
    /// records stay, so every checkpoint cosigned before remains consistent
    /// with the rebuilt logs. A crash part way leaves a marker, and the next
    /// open runs the rebuild again.
    pub fn rebuild_indexes(&mut self) -> Result<(), StoreError> {
        let scan = |prefix: &[u8]| -> Result<Vec<Vec<u8>>, StoreError> {
            let mut out = Vec::new();
            for kv in self.kv.scan_prefix(prefix) {
                out.push(kv?.1);
            }
            Ok(out)
        };
        let scan_blocks = |governance: bool| -> Result<Vec<Vec<u8>>, StoreError> {
            let mut out = Vec::new();
            let gov_prefix = keys::blocks_of(&Author::Governance);
            for kv in self.kv.scan_prefix(keys::BLOCKS) {
                let (k, v) = kv?;
                if k.starts_with(&gov_prefix) == governance {
                    out.extend(blocks::split(&v)?.into_iter().map(<[u8]>::to_vec));
                }
            }
            Ok(out)
        };
        // Governance first, so registrar entries do not wait in the hold.
        let governance = scan_blocks(true)?;
        let others = scan_blocks(false)?;
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
            // Derived indexes only: credential records, leaf hashes and
            // Merkle subtrees (and the entry-hash index `h` of schema 2, no
            // longer kept).
            if matches!(k.first(), Some(b'h' | b'c' | b'l' | b'm')) {
                batch.remove(k);
            }
        }
        batch.put(keys::meta("rebuilding"), vec![1]);
        batch.put(keys::meta("state"), codec::encode(&fresh)?);
        self.kv.apply_batch(batch)?;
        self.kv.flush()?;
        self.upper.clear();
        self.state = fresh;
        self.generation += 1;
        let proof_entries: Vec<Vec<u8>> = proofs
            .into_iter()
            .flat_map(|p| [p.first, p.second])
            .collect();
        // The logs first, as replays of this replica's own history; then
        // the evidence kept beside them, as any received entry.
        for chunk in governance.chunks(4096).chain(others.chunks(4096)) {
            self.ingest_mode(chunk, usize::MAX, true)?;
        }
        for chunk in proof_entries.chunks(4096).chain(disputed.chunks(4096)) {
            self.ingest(chunk)?;
        }
        // Every log is whole again: each stored entry is within its chain.
        for kv in self.kv.scan_prefix(keys::BLOCKS) {
            let (_, v) = kv?;
            for bytes in blocks::split(&v)? {
                let entry = Entry::decode(bytes, usize::MAX)?;
                let size = self.state.chain(&entry.body().author).size;
                if entry.body().seq >= size {
                    return Err(StoreError::Corrupt(format!(
                        "rebuild left {} #{} outside its chain (size {size})",
                        entry.body().author,
                        entry.body().seq
                    )));
                }
            }
        }
        let mut batch = KvBatch::new();
        batch.remove(keys::meta("rebuilding"));
        self.kv.apply_batch(batch)?;
        self.kv.flush()?;
        Ok(())
    }
}
