//! The writes of one batch, held in memory and read through before the
//! store, then applied as one atomic [`KvBatch`].

use super::kv::{KvBatch, KvError, KvRead};

/// Pending writes over a store.
pub struct Overlay<'a, R: KvRead + ?Sized> {
    store: &'a R,
    writes: KvBatch,
}

impl<'a, R: KvRead + ?Sized> Overlay<'a, R> {
    /// An empty overlay over `store`.
    pub fn new(store: &'a R) -> Self {
        Self {
            store,
            writes: KvBatch::new(),
        }
    }
    /// Writes a key.
    pub fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.writes.put(key, value);
    }
    /// Removes a key.
    pub fn remove(&mut self, key: Vec<u8>) {
        self.writes.remove(key);
    }
    /// The batch of all writes, releasing the store.
    pub fn into_batch(self) -> KvBatch {
        self.writes
    }
}

impl<R: KvRead + ?Sized> KvRead for Overlay<'_, R> {
    /// Reads a key, seeing this batch's writes first.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, KvError> {
        match self.writes.pending(key) {
            Some(v) => Ok(v.map(<[u8]>::to_vec)),
            None => self.store.get(key),
        }
    }
}
