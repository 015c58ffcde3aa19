//! The node's store: the ledger's keys in one sled tree (feature `sled`,
//! on by default). One [`KvBatch`] is one sled `apply_batch` (atomic), and
//! `flush` is sled's flush (fsync).

use super::kv::{KvBatch, KvError, KvIter, KvRead, KvStore};

/// A sled database holding the ledger's keys in its default tree.
#[derive(Clone, Debug)]
pub struct SledKv {
    db: sled::Db,
}

impl SledKv {
    /// Wraps an open sled database.
    pub fn new(db: sled::Db) -> Self {
        Self { db }
    }

    /// Bytes used on disk by sled.
    pub fn size_on_disk(&self) -> Result<u64, KvError> {
        Ok(self.db.size_on_disk()?)
    }
}

impl From<sled::Error> for KvError {
    fn from(e: sled::Error) -> Self {
        KvError {
            backend: "sled",
            source: Box::new(e),
        }
    }
}

fn owned(kv: sled::Result<(sled::IVec, sled::IVec)>) -> Result<(Vec<u8>, Vec<u8>), KvError> {
    let (k, v) = kv?;
    Ok((k.to_vec(), v.to_vec()))
}

impl KvRead for SledKv {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, KvError> {
        Ok(self.db.get(key)?.map(|v| v.to_vec()))
    }
}

impl KvStore for SledKv {
    fn range_from(&self, start: &[u8]) -> KvIter<'_> {
        Box::new(self.db.range(start..).map(owned))
    }

    fn scan_prefix(&self, prefix: &[u8]) -> KvIter<'_> {
        Box::new(self.db.scan_prefix(prefix).map(owned))
    }

    fn apply_batch(&mut self, batch: KvBatch) -> Result<(), KvError> {
        let mut sled_batch = sled::Batch::default();
        for (key, value) in batch {
            match value {
                Some(value) => sled_batch.insert(key, value),
                None => sled_batch.remove(key),
            }
        }
        Ok(self.db.apply_batch(sled_batch)?)
    }

    fn flush(&self) -> Result<(), KvError> {
        self.db.flush()?;
        Ok(())
    }
}
