//! Merkle subtree reads over the store: level 0 is hashed from the entry,
//! higher levels are stored nodes.

use super::keys;
use super::kv::{KvError, KvRead};
use crate::entry::body_bytes_of;
use crate::merkle::{self, Hash, SubtreeSource};
use crate::types::Author;

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

/// The subtrees of one chain.
pub struct ChainSubtrees<'a, R: KvRead + ?Sized> {
    /// Where to read.
    pub reader: &'a R,
    /// The chain.
    pub author: &'a Author,
    /// A leaf hash already known (index, hash), served without reading and
    /// hashing its entry again: the previous leaf while appending.
    pub known_leaf: Option<(u64, Hash)>,
}

impl<'a, R: KvRead + ?Sized> ChainSubtrees<'a, R> {
    /// The subtrees of `author`'s chain in `reader`.
    pub fn new(reader: &'a R, author: &'a Author) -> Self {
        Self {
            reader,
            author,
            known_leaf: None,
        }
    }
}

impl<R: KvRead + ?Sized> SubtreeSource for ChainSubtrees<'_, R> {
    type Error = SubtreeError;

    fn subtree(&self, level: u8, index: u64) -> Result<Hash, SubtreeError> {
        let missing = || SubtreeError::Missing {
            author: self.author.to_string(),
            level,
            index,
        };
        if level == 0 {
            if let Some((known, hash)) = self.known_leaf {
                if known == index {
                    return Ok(hash);
                }
            }
            let bytes = self
                .reader
                .get(&keys::entry(self.author, index))?
                .ok_or_else(missing)?;
            let body = body_bytes_of(&bytes).map_err(|_| missing())?;
            return Ok(merkle::leaf_hash(&body));
        }
        let value = self
            .reader
            .get(&keys::subtree(self.author, level, index))?
            .ok_or_else(missing)?;
        value.try_into().map_err(|_| missing())
    }
}
