//! Opening a store written with schema version 2 (one key per entry under
//! `e`, an entry-hash index under `h`, Merkle nodes stored from level 1):
//! its entries are moved into blocks (with their leaf hashes beside), and
//! the hash index and the Merkle nodes below [`MIN_STORED_LEVEL`] (hashed
//! from the leaf hashes now) are dropped. Every signed entry is kept byte for byte; the other indexes and
//! the state have the same keys and values in both versions, so nothing is
//! rebuilt.
//!
//! The move is made in atomic batches of whole blocks (about 4,096
//! entries each): each batch writes blocks and removes exactly the `e`
//! keys they hold. The schema version is set to 3 only at the end, so a
//! crash part way leaves a version-2 store whose next opening carries on
//! from the `e` keys that remain.

use super::blocks::{self, MIN_STORED_LEVEL};
use super::{keys, KvBatch, KvStore, StoreError};
use crate::entry::body_bytes_of;
use crate::merkle;
use crate::types::Author;

/// Entries moved per atomic batch (rounded up to a whole block).
const ENTRIES_PER_BATCH: usize = 4096;

/// The author and seq of a schema-2 entry key (`e` author 0x00 seq).
fn parse_legacy_entry(key: &[u8]) -> Result<(Author, u64), StoreError> {
    let bad = || StoreError::Corrupt("schema 2 entry key".into());
    let body = key.get(1..).ok_or_else(bad)?;
    let split = body.len().checked_sub(9).ok_or_else(bad)?;
    if body[split] != 0 {
        return Err(bad());
    }
    let author = std::str::from_utf8(&body[..split]).map_err(|_| bad())?;
    let author = Author::parse(author).map_err(|_| bad())?;
    let seq = u64::from_be_bytes(body[split + 1..].try_into().map_err(|_| bad())?);
    Ok((author, seq))
}

/// A block being packed: its key, value, leaf hashes and entry count.
type PendingBlock = (Vec<u8>, Vec<u8>, Vec<u8>, usize);

/// Writes a block and its leaf hashes (key `l` for `b`, same suffix).
fn put_block(batch: &mut KvBatch, block_key: Vec<u8>, value: Vec<u8>, leaves: Vec<u8>) {
    let mut leaves_key = block_key.clone();
    leaves_key[0] = b'l';
    batch.put(block_key, value);
    batch.put(leaves_key, leaves);
}

/// Moves one batch of whole blocks; returns false when no `e` key is left.
fn move_some<K: KvStore>(kv: &mut K) -> Result<bool, StoreError> {
    let mut batch = KvBatch::new();
    let mut block: Option<PendingBlock> = None;
    // `moved`: entries taken into the batch before this one.
    for (moved, item) in kv.scan_prefix(keys::LEGACY_ENTRIES).enumerate() {
        let (key, entry) = item?;
        let (author, seq) = parse_legacy_entry(&key)?;
        let block_key = keys::block_of(&author, seq);
        if block.as_ref().is_some_and(|(k, _, _, _)| *k != block_key) {
            if let Some((k, v, l, _)) = block.take() {
                put_block(&mut batch, k, v, l);
            }
            if moved >= ENTRIES_PER_BATCH {
                break;
            }
        }
        let (_, value, leaves, count) =
            block.get_or_insert_with(|| (block_key, Vec::new(), Vec::new(), 0));
        if blocks::offset(seq) != *count {
            return Err(StoreError::Corrupt(format!(
                "schema 2 store: {author} #{seq} does not follow the entry before it"
            )));
        }
        blocks::push(value, &entry)?;
        let body = body_bytes_of(&entry)
            .map_err(|e| StoreError::Corrupt(format!("schema 2 store: {author} #{seq}: {e}")))?;
        leaves.extend_from_slice(&merkle::leaf_hash(&body));
        *count += 1;
        batch.remove(key);
    }
    if let Some((k, v, l, _)) = block {
        put_block(&mut batch, k, v, l);
    }
    if batch.is_empty() {
        return Ok(false);
    }
    kv.apply_batch(batch)?;
    Ok(true)
}

/// Migrates a schema-2 store in `kv` to the current schema (3).
pub(super) fn from_v2<K: KvStore>(kv: &mut K) -> Result<(), StoreError> {
    while move_some(kv)? {}
    loop {
        let mut batch = KvBatch::new();
        for item in kv.scan_prefix(b"h").chain(kv.scan_prefix(b"m")) {
            let (key, _) = item?;
            let level = key.len().checked_sub(9).and_then(|at| key.get(at)).copied();
            let dropped = key.first() == Some(&b'h') || level.is_some_and(|l| l < MIN_STORED_LEVEL);
            if dropped {
                batch.remove(key);
                if batch.len() >= ENTRIES_PER_BATCH {
                    break;
                }
            }
        }
        if batch.is_empty() {
            break;
        }
        kv.apply_batch(batch)?;
    }
    let mut batch = KvBatch::new();
    batch.put(
        keys::meta("schema"),
        super::SCHEMA_VERSION.to_be_bytes().to_vec(),
    );
    kv.apply_batch(batch)?;
    kv.flush()?;
    Ok(())
}
