//! The writes of one batch, held in memory and read through before the
//! tree, then applied as one atomic sled batch.

use std::collections::BTreeMap;

/// Pending writes over a sled tree.
pub struct Overlay {
    tree: sled::Tree,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl Overlay {
    /// An empty overlay over `tree`.
    pub fn new(tree: sled::Tree) -> Self {
        Self {
            tree,
            writes: BTreeMap::new(),
        }
    }
    /// Reads a key, seeing this batch's writes first.
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, sled::Error> {
        match self.writes.get(key) {
            Some(v) => Ok(v.clone()),
            None => Ok(self.tree.get(key)?.map(|v| v.to_vec())),
        }
    }
    /// Writes a key.
    pub fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.writes.insert(key, Some(value));
    }
    /// Removes a key.
    pub fn remove(&mut self, key: Vec<u8>) {
        self.writes.insert(key, None);
    }
    /// True if nothing was written.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
    /// The sled batch of all writes.
    pub fn into_batch(self) -> sled::Batch {
        let mut batch = sled::Batch::default();
        for (k, v) in self.writes {
            match v {
                Some(v) => batch.insert(k, v),
                None => batch.remove(k),
            }
        }
        batch
    }
}
