//! Merkle subtree reads over the store: leaf hashes stored per block,
//! levels below [`MIN_STORED_LEVEL`] hashed from them, higher levels
//! stored nodes.

use super::blocks::{leaf_at, ENTRIES_PER_BLOCK, MIN_STORED_LEVEL};
use super::keys;
use super::kv::{KvError, KvRead};
use super::upper::{UpperLevels, MIN_CACHED_LEVEL};
use crate::merkle::{self, Hash, SubtreeSource};
use crate::types::Author;
use std::cell::RefCell;

/// Why a subtree could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SubtreeError {
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] KvError),
    /// A node or entry that must exist is missing or unreadable.
    #[error("missing or corrupt Merkle data for {author} level {level} index {index}")]
    Missing {
        /// The chain.
        author: String,
        /// The level.
        level: u8,
        /// The index.
        index: u64,
    },
}

impl SubtreeError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            SubtreeError::Store(..) => "store",
            SubtreeError::Missing { .. } => "missing",
        }
    }
}

/// The subtrees of one chain: leaves read from the leaf hashes stored beside
/// each entry block, levels below [`MIN_STORED_LEVEL`] hashed from them
/// (the leaf hashes last read are kept, so a small subtree costs one
/// read), higher levels read from the store.
pub struct ChainSubtrees<'a, R: KvRead + ?Sized> {
    reader: &'a R,
    author: &'a Author,
    /// Subtrees already known below [`MIN_STORED_LEVEL`], one per level
    /// (index, hash): while appending, the last one completed at each level,
    /// which is the left sibling the next completion needs.
    known: [Option<(u64, Hash)>; MIN_STORED_LEVEL as usize],
    block: RefCell<Option<(u64, Vec<u8>)>>,
    upper: Option<&'a UpperLevels>,
}

impl<'a, R: KvRead + ?Sized> ChainSubtrees<'a, R> {
    /// The subtrees of `author`'s chain in `reader`.
    pub fn new(reader: &'a R, author: &'a Author) -> Self {
        Self {
            reader,
            author,
            known: [None; MIN_STORED_LEVEL as usize],
            block: RefCell::new(None),
            upper: None,
        }
    }

    /// The same, answering levels from [`MIN_CACHED_LEVEL`] up from
    /// `upper` first (then from the store).
    pub fn with_upper(mut self, upper: &'a UpperLevels) -> Self {
        self.upper = Some(upper);
        self
    }

    /// The same, answering from `known` (per level below
    /// [`MIN_STORED_LEVEL`], a subtree's index and hash) without reading.
    pub fn with_known(
        reader: &'a R,
        author: &'a Author,
        known: [Option<(u64, Hash)>; MIN_STORED_LEVEL as usize],
    ) -> Self {
        Self {
            known,
            ..Self::new(reader, author)
        }
    }

    fn missing(&self, level: u8, index: u64) -> SubtreeError {
        SubtreeError::Missing {
            author: self.author.to_string(),
            level,
            index,
        }
    }

    fn leaf(&self, index: u64) -> Result<Hash, SubtreeError> {
        let block = index / ENTRIES_PER_BLOCK;
        let mut cached = self.block.borrow_mut();
        if cached.as_ref().is_none_or(|(b, _)| *b != block) {
            let value = self
                .reader
                .get(&keys::leaves_of(self.author, index))?
                .ok_or_else(|| self.missing(0, index))?;
            *cached = Some((block, value));
        }
        let value = cached.as_ref().map(|(_, v)| v.as_slice()).unwrap_or(&[]);
        leaf_at(value, index)
            .ok()
            .flatten()
            .ok_or_else(|| self.missing(0, index))
    }
}

impl<R: KvRead + ?Sized> SubtreeSource for ChainSubtrees<'_, R> {
    type Error = SubtreeError;

    fn subtree(&self, level: u8, index: u64) -> Result<Hash, SubtreeError> {
        if let Some(Some((known, hash))) = self.known.get(level as usize) {
            if *known == index {
                return Ok(*hash);
            }
        }
        if level == 0 {
            return self.leaf(index);
        }
        if level < MIN_STORED_LEVEL {
            let left = self.subtree(level - 1, 2 * index)?;
            let right = self.subtree(level - 1, 2 * index + 1)?;
            return Ok(merkle::node_hash(&left, &right));
        }
        let key = keys::subtree(self.author, level, index);
        if level >= MIN_CACHED_LEVEL {
            if let Some(hash) = self.upper.and_then(|u| u.get(&key)) {
                return Ok(hash);
            }
        }
        let value = self
            .reader
            .get(&key)?
            .ok_or_else(|| self.missing(level, index))?;
        value.try_into().map_err(|_| self.missing(level, index))
    }
}
