//! The upper Merkle levels of every chain, kept in memory: every stored
//! subtree of level [`MIN_CACHED_LEVEL`] or more. A subtree's hash never
//! changes once written (a log is only appended to), so the copy is always
//! right; it is filled from the store on opening and from each batch as it
//! is applied, and emptied when a rebuild deletes the subtrees.
//!
//! Bound: a chain of n entries has about n / 128 subtrees of level 8 or
//! more (n/256 + n/512 + ...), so the map holds about one node per 128
//! entries of the whole ledger, each a key of 11 to 75 bytes and a 32-byte
//! hash: under 1 MB per 1,000,000 entries. With it, an inclusion proof at
//! 1,000,000 entries reads the leaf hashes and the four stored levels 4 to
//! 7 from the store, as one at 10,000 entries does.

use super::kv::{KvBatch, KvStore};
use super::StoreError;
use crate::merkle::Hash;
use std::collections::HashMap;

/// The lowest Merkle level kept in memory.
pub const MIN_CACHED_LEVEL: u8 = 8;

/// Subtree hashes of level [`MIN_CACHED_LEVEL`] or more, by their `m` key.
#[derive(Debug, Default)]
pub struct UpperLevels {
    nodes: HashMap<Vec<u8>, Hash>,
}

/// The level of an `m` key (`m` author 0x00 level index(u64 BE)).
fn level_of(key: &[u8]) -> Option<u8> {
    if key.first() != Some(&b'm') {
        return None;
    }
    key.len().checked_sub(9).and_then(|at| key.get(at)).copied()
}

fn upper_node(key: &[u8], value: &[u8]) -> Option<(Vec<u8>, Hash)> {
    if level_of(key)? < MIN_CACHED_LEVEL {
        return None;
    }
    Some((key.to_vec(), value.try_into().ok()?))
}

impl UpperLevels {
    /// Every upper subtree stored in `kv`.
    pub(super) fn load<K: KvStore>(kv: &K) -> Result<Self, StoreError> {
        let mut nodes = HashMap::new();
        for item in kv.scan_prefix(b"m") {
            let (key, value) = item?;
            if let Some((k, h)) = upper_node(&key, &value) {
                nodes.insert(k, h);
            }
        }
        Ok(Self { nodes })
    }

    /// The upper subtrees a batch writes (to add once it is applied).
    pub(super) fn written_by(batch: &KvBatch) -> Vec<(Vec<u8>, Hash)> {
        batch
            .writes()
            .filter_map(|(k, v)| upper_node(k, v?))
            .collect()
    }

    /// Adds subtrees now in the store.
    pub(super) fn extend(&mut self, nodes: Vec<(Vec<u8>, Hash)>) {
        self.nodes.extend(nodes);
    }

    /// Forgets everything (the subtrees were deleted from the store).
    pub(super) fn clear(&mut self) {
        self.nodes.clear();
    }

    /// The hash stored under the `m` key `key`, if it is held here.
    pub fn get(&self, key: &[u8]) -> Option<Hash> {
        self.nodes.get(key).copied()
    }

    /// Number of subtrees held.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True if none is held.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}
