//! The storage trait the ledger engine runs over: an ordered map of byte
//! keys to byte values, read key by key or in key order from a start key,
//! and written only by atomic batches.
//!
//! Two implementations: [`MemoryKv`](super::MemoryKv) (a `BTreeMap`, always
//! built, nothing durable) and, with the `sled` feature, `SledKv` (the
//! node's on-disk store). A second implementation must honour the contract
//! of each method; the engine's durability promise ("an entry reported
//! accepted is durable, a crash leaves the whole batch or none of it") is
//! exactly as strong as the store's [`KvStore::apply_batch`] and
//! [`KvStore::flush`].

use std::collections::BTreeMap;

/// A failure of the underlying store (I/O, corruption detected by the
/// storage engine), with the engine's own error as its source.
#[derive(Debug, thiserror::Error)]
#[error("{backend}: {source}")]
pub struct KvError {
    /// Which storage engine failed (`sled`, ...).
    pub backend: &'static str,
    /// The storage engine's error.
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

/// One key and its value, as read from a store.
pub type KvPair = (Vec<u8>, Vec<u8>);

/// Key-value pairs in ascending key order.
pub type KvIter<'a> = Box<dyn Iterator<Item = Result<KvPair, KvError>> + 'a>;

/// Read access to single keys: committed data, or committed data seen
/// through a batch's pending writes.
pub trait KvRead {
    /// The value of `key`, if present.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, KvError>;
}

/// An ordered map of byte keys (compared bytewise, as `[u8]` is ordered)
/// that the ledger engine stores everything in.
pub trait KvStore: KvRead {
    /// Every pair whose key is `>= start`, in ascending key order.
    fn range_from(&self, start: &[u8]) -> KvIter<'_>;

    /// Every pair whose key starts with `prefix`, in ascending key order.
    fn scan_prefix(&self, prefix: &[u8]) -> KvIter<'_> {
        let prefix = prefix.to_vec();
        Box::new(
            self.range_from(&prefix)
                .take_while(move |kv| kv.as_ref().map_or(true, |(k, _)| k.starts_with(&prefix))),
        )
    }

    /// Applies every write of `batch` atomically: after a crash at any
    /// point, either all of them are visible or none is.
    fn apply_batch(&mut self, batch: KvBatch) -> Result<(), KvError>;

    /// Makes everything applied so far durable before returning (a no-op
    /// for a store that keeps nothing beyond the process).
    fn flush(&self) -> Result<(), KvError>;
}

/// Writes to apply together: at most one write per key, the last one made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KvBatch {
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl KvBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`.
    pub fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.writes.insert(key, Some(value));
    }

    /// Removes `key` (nothing happens if it is absent).
    pub fn remove(&mut self, key: Vec<u8>) {
        self.writes.insert(key, None);
    }

    /// The pending write of `key`: `Some(None)` if it is removed,
    /// `Some(Some(value))` if it is set, `None` if this batch does not
    /// touch it.
    pub fn pending(&self, key: &[u8]) -> Option<Option<&[u8]>> {
        self.writes.get(key).map(Option::as_deref)
    }

    /// True if the batch writes nothing.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    /// Number of keys written.
    pub fn len(&self) -> usize {
        self.writes.len()
    }

    /// The writes in key order: `(key, Some(value))` sets, `(key, None)`
    /// removes.
    pub fn writes(&self) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
        self.writes
            .iter()
            .map(|(k, v)| (k.as_slice(), v.as_deref()))
    }
}

impl IntoIterator for KvBatch {
    type Item = (Vec<u8>, Option<Vec<u8>>);
    type IntoIter = std::collections::btree_map::IntoIter<Vec<u8>, Option<Vec<u8>>>;

    /// The writes in key order: `(key, Some(value))` sets, `(key, None)`
    /// removes.
    fn into_iter(self) -> Self::IntoIter {
        self.writes.into_iter()
    }
}
