//! An in-memory [`KvStore`]: a `BTreeMap` of the same keys and values as
//! the sled store holds, for offline verifiers, the browser and tests.
//! Nothing survives the process; `flush` does nothing.

use super::kv::{KvBatch, KvError, KvIter, KvRead, KvStore};
use std::collections::BTreeMap;

/// The ledger's keys and values in memory.
#[derive(Clone, Debug, Default)]
pub struct MemoryKv {
    map: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl MemoryKv {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of keys held.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True if no key is held.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Bytes of keys and values held (what the data takes, not what the
    /// map's allocations take).
    pub fn data_bytes(&self) -> u64 {
        self.map
            .iter()
            .map(|(k, v)| (k.len() + v.len()) as u64)
            .sum()
    }
}

impl KvRead for MemoryKv {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, KvError> {
        Ok(self.map.get(key).cloned())
    }
}

impl KvStore for MemoryKv {
    fn range_from(&self, start: &[u8]) -> KvIter<'_> {
        Box::new(
            self.map
                .range::<[u8], _>((std::ops::Bound::Included(start), std::ops::Bound::Unbounded))
                .map(|(k, v)| Ok((k.clone(), v.clone()))),
        )
    }

    fn apply_batch(&mut self, batch: KvBatch) -> Result<(), KvError> {
        for (key, value) in batch {
            match value {
                Some(value) => self.map.insert(key, value),
                None => self.map.remove(&key),
            };
        }
        Ok(())
    }

    fn flush(&self) -> Result<(), KvError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(iter: KvIter<'_>) -> Vec<(Vec<u8>, Vec<u8>)> {
        iter.collect::<Result<_, _>>().expect("memory never fails")
    }

    #[test]
    fn batches_apply_in_full_and_scans_follow_key_order() {
        let mut kv = MemoryKv::new();
        let mut batch = KvBatch::new();
        batch.put(b"b2".to_vec(), b"two".to_vec());
        batch.put(b"a1".to_vec(), b"one".to_vec());
        batch.put(b"b1".to_vec(), b"gone".to_vec());
        batch.remove(b"b1".to_vec());
        batch.put(b"c".to_vec(), b"three".to_vec());
        kv.apply_batch(batch).expect("apply");
        assert_eq!(kv.len(), 3);
        assert_eq!(kv.get(b"a1").expect("get"), Some(b"one".to_vec()));
        assert_eq!(kv.get(b"b1").expect("get"), None);
        assert_eq!(
            pairs(kv.scan_prefix(b"b")),
            vec![(b"b2".to_vec(), b"two".to_vec())]
        );
        let from_b: Vec<Vec<u8>> = pairs(kv.range_from(b"b"))
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(from_b, vec![b"b2".to_vec(), b"c".to_vec()]);
        let mut remove = KvBatch::new();
        remove.remove(b"c".to_vec());
        kv.apply_batch(remove).expect("apply");
        assert_eq!(kv.get(b"c").expect("get"), None);
        assert_eq!(kv.data_bytes(), (2 + 3 + 2 + 3) as u64);
    }
}
