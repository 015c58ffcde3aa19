//! Entry blocks: a chain's signed entries are stored sixteen to a value
//! (key [`keys::block_of`]), each as its length (u32 big-endian) followed
//! by its bytes exactly as received. One sled key per sixteen entries
//! instead of one per entry: fewer keys to write, to cache and to keep on
//! disk (specs/ledger-implementation.md 1.1). Beside each block, under
//! [`keys::leaves_of`], the leaf hashes of its entries (32 bytes each, in
//! order): one small read gives every leaf under a Merkle subtree of up to
//! sixteen leaves, which is why the store keeps Merkle nodes only from
//! [`MIN_STORED_LEVEL`] up and hashes the levels below from the leaf
//! hashes, and why a proof never reads an entry.
//!
//! Appending to a block rewrites its value with the new entry added at the
//! end; the entries already in it stay byte for byte (a block is only ever
//! extended, never edited).

use super::keys;
use super::kv::KvRead;
use super::overlay::Overlay;
use super::StoreError;
use crate::types::Author;

/// Entries per block: block `b` of a chain holds entries `16 b .. 16 b + 15`.
pub const ENTRIES_PER_BLOCK: u64 = 16;

/// The lowest Merkle level stored under `m` keys. Levels 1 to 3 are hashed
/// from the leaf hashes of one block when asked for (a level-3 subtree is 8
/// leaves, always inside one block since 8 divides 16).
pub const MIN_STORED_LEVEL: u8 = 4;

/// Bytes of one leaf hash in a leaf-hash value.
pub const LEAF_HASH_BYTES: usize = 32;

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("entry block: {what}"))
}

/// The entries of a block value, in order.
pub(super) fn split(value: &[u8]) -> Result<Vec<&[u8]>, StoreError> {
    let mut out = Vec::with_capacity(ENTRIES_PER_BLOCK as usize);
    let mut rest = value;
    while !rest.is_empty() {
        let (len, tail) = rest
            .split_first_chunk::<4>()
            .ok_or_else(|| corrupt("truncated length"))?;
        let len = u32::from_be_bytes(*len) as usize;
        if tail.len() < len {
            return Err(corrupt("truncated entry"));
        }
        if out.len() as u64 >= ENTRIES_PER_BLOCK {
            return Err(corrupt("more than 16 entries"));
        }
        let (entry, tail) = tail.split_at(len);
        out.push(entry);
        rest = tail;
    }
    Ok(out)
}

/// The position of `seq` inside its block.
pub(super) fn offset(seq: u64) -> usize {
    (seq % ENTRIES_PER_BLOCK) as usize
}

/// Entry `seq` of `author`'s chain, read from its block.
pub(super) fn read_entry<R: KvRead + ?Sized>(
    reader: &R,
    author: &Author,
    seq: u64,
) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(value) = reader.get(&keys::block_of(author, seq))? else {
        return Ok(None);
    };
    Ok(split(&value)?.get(offset(seq)).map(|e| e.to_vec()))
}

/// Appends one encoded entry to a block value.
pub(super) fn push(value: &mut Vec<u8>, entry: &[u8]) -> Result<(), StoreError> {
    let len = u32::try_from(entry.len()).map_err(|_| corrupt("entry over 4 GiB"))?;
    value.extend_from_slice(&len.to_be_bytes());
    value.extend_from_slice(entry);
    Ok(())
}

/// Leaf hash `seq` in a leaf-hash value (of the block holding `seq`).
pub(super) fn leaf_at(value: &[u8], seq: u64) -> Result<Option<[u8; 32]>, StoreError> {
    if !value.len().is_multiple_of(LEAF_HASH_BYTES)
        || value.len() / LEAF_HASH_BYTES > ENTRIES_PER_BLOCK as usize
    {
        return Err(corrupt("leaf hashes of a wrong length"));
    }
    let at = offset(seq) * LEAF_HASH_BYTES;
    Ok(value
        .get(at..at + LEAF_HASH_BYTES)
        .and_then(|h| h.try_into().ok()))
}

/// Writes entry `seq` of `author`'s chain into its block, and its leaf
/// hash beside it, through the batch's overlay: appended when it is the
/// block's next entry. When the block already holds that position (an
/// index rebuild replaying the log) the bytes must be the same, and the
/// block is not written; any other case is a corrupt store (a gap, or a
/// different entry at a position already taken: a log is never rewritten).
/// The leaf hashes, derived data, follow the same rule.
pub(super) fn put_entry<R: KvRead + ?Sized>(
    overlay: &mut Overlay<'_, R>,
    author: &Author,
    seq: u64,
    entry: &[u8],
    leaf: &[u8; 32],
) -> Result<(), StoreError> {
    put_block_entry(overlay, author, seq, entry)?;
    let key = keys::leaves_of(author, seq);
    let mut value = overlay.get(&key)?.unwrap_or_default();
    let held = value.len() / LEAF_HASH_BYTES;
    let at = offset(seq);
    match held.cmp(&at) {
        std::cmp::Ordering::Greater if leaf_at(&value, seq)?.as_ref() == Some(leaf) => Ok(()),
        std::cmp::Ordering::Greater => Err(StoreError::Corrupt(format!(
            "another leaf hash is already stored at {author} #{seq}"
        ))),
        std::cmp::Ordering::Less => Err(StoreError::Corrupt(format!(
            "{author} #{seq} would leave a gap in its leaf hashes"
        ))),
        std::cmp::Ordering::Equal => {
            value.extend_from_slice(leaf);
            overlay.put(key, value);
            Ok(())
        }
    }
}

fn put_block_entry<R: KvRead + ?Sized>(
    overlay: &mut Overlay<'_, R>,
    author: &Author,
    seq: u64,
    entry: &[u8],
) -> Result<(), StoreError> {
    let key = keys::block_of(author, seq);
    let mut value = overlay.get(&key)?.unwrap_or_default();
    let held = split(&value)?;
    let at = offset(seq);
    match held.len().cmp(&at) {
        std::cmp::Ordering::Greater if held[at] == entry => Ok(()),
        std::cmp::Ordering::Greater => Err(StoreError::Corrupt(format!(
            "another entry is already stored at {author} #{seq}"
        ))),
        std::cmp::Ordering::Less => Err(StoreError::Corrupt(format!(
            "{author} #{seq} would leave a gap in its block"
        ))),
        std::cmp::Ordering::Equal => {
            push(&mut value, entry)?;
            overlay.put(key, value);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_splits_back_into_the_entries_pushed() {
        let mut v = Vec::new();
        for e in [&b"one"[..], b"", b"three"] {
            push(&mut v, e).expect("push");
        }
        assert_eq!(split(&v).expect("split"), vec![&b"one"[..], b"", b"three"]);
    }

    #[test]
    fn a_truncated_or_overfull_block_is_corrupt_not_a_panic() {
        let mut v = Vec::new();
        push(&mut v, b"entry").expect("push");
        for cut in 1..v.len() {
            assert!(matches!(split(&v[..cut]), Err(StoreError::Corrupt(_))));
        }
        let mut full = Vec::new();
        for _ in 0..=ENTRIES_PER_BLOCK {
            push(&mut full, b"x").expect("push");
        }
        assert!(matches!(split(&full), Err(StoreError::Corrupt(_))));
    }
}
