//! The key layout of the single sled tree. Everything lives in one tree so
//! that one accepted batch is one atomic `apply_batch`.
//!
//! | prefix | key after the prefix | value |
//! | --- | --- | --- |
//! | `M` | name | metadata: `schema`, `genesis`, `state`, and `rebuilding` while a rebuild runs |
//! | `b` | author 0x00 block(u64 BE) | the chain's entries `16 * block ..`, at most 16, each as a length (u32 BE) then the signed entry bytes exactly as received ([`super::blocks`]) |
//! | `l` | author 0x00 block(u64 BE) | the leaf hashes (32 bytes each, in order) of the entries of block `block` |
//! | `c` | credential id (16) author | credential record (CBOR) |
//! | `m` | author 0x00 level(u8) index(u64 BE) | Merkle subtree hash (levels >= [`super::blocks::MIN_STORED_LEVEL`]) |
//! | `q` | author 0x00 seq(u64 BE) | equivocation proof (CBOR) |
//! | `d` | author 0x00 seq(u64 BE) entry hash | entry at or past the fork of an equivocating chain |
//! | `p` | author 0x00 seq(u64 BE) entry hash | held entry bytes |
//! | `w` | author | last checkpoint this node cosigned: size (u64 BE) then root (32 bytes) |
//! | `n` | author | best cosigned checkpoint note known (text) |
//!
//! Author ids never contain 0x00, so `author 0x00` is an unambiguous prefix.

use crate::types::{Author, CredentialId, Hash32};

/// Metadata key.
pub fn meta(name: &str) -> Vec<u8> {
    let mut k = b"M".to_vec();
    k.extend_from_slice(name.as_bytes());
    k
}

fn author_prefix(tag: u8, author: &Author) -> Vec<u8> {
    let mut k = Vec::with_capacity(author.as_str().len() + 12);
    k.push(tag);
    k.extend_from_slice(author.as_str().as_bytes());
    k.push(0);
    k
}

fn author_seq(tag: u8, author: &Author, seq: u64) -> Vec<u8> {
    let mut k = author_prefix(tag, author);
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// Key of the block holding entry `seq` of a chain (see [`super::blocks`]).
pub fn block_of(author: &Author, seq: u64) -> Vec<u8> {
    author_seq(b'b', author, seq / super::blocks::ENTRIES_PER_BLOCK)
}

/// Prefix of all entry blocks of one chain.
pub fn blocks_of(author: &Author) -> Vec<u8> {
    author_prefix(b'b', author)
}

/// Key of the leaf hashes of the block holding entry `seq` of a chain.
pub fn leaves_of(author: &Author, seq: u64) -> Vec<u8> {
    author_seq(b'l', author, seq / super::blocks::ENTRIES_PER_BLOCK)
}

/// Prefix of all entry blocks.
pub const BLOCKS: &[u8] = b"b";

/// Entry key of schema version 2 (one key per entry), read only to
/// migrate such a store.
pub fn legacy_entry(author: &Author, seq: u64) -> Vec<u8> {
    author_seq(b'e', author, seq)
}

/// Prefix of all entries of schema version 2.
pub const LEGACY_ENTRIES: &[u8] = b"e";

/// Credential record key.
pub fn credential(id: &CredentialId, author: &Author) -> Vec<u8> {
    let mut k = credentials_of(id);
    k.extend_from_slice(author.as_str().as_bytes());
    k
}

/// Prefix of every record of one credential id.
pub fn credentials_of(id: &CredentialId) -> Vec<u8> {
    let mut k = vec![b'c'];
    k.extend_from_slice(&id.0);
    k
}

/// Merkle subtree key.
pub fn subtree(author: &Author, level: u8, index: u64) -> Vec<u8> {
    let mut k = author_prefix(b'm', author);
    k.push(level);
    k.extend_from_slice(&index.to_be_bytes());
    k
}

/// Equivocation proof key.
pub fn proof(author: &Author, seq: u64) -> Vec<u8> {
    author_seq(b'q', author, seq)
}

/// Prefix of all equivocation proofs.
pub const PROOFS: &[u8] = b"q";

/// Disputed entry key.
pub fn disputed(author: &Author, seq: u64, hash: &Hash32) -> Vec<u8> {
    let mut k = author_seq(b'd', author, seq);
    k.extend_from_slice(&hash.0);
    k
}

/// Prefix of all disputed entries.
pub const DISPUTED: &[u8] = b"d";

/// Held entry key.
pub fn held(author: &Author, seq: u64, hash: &Hash32) -> Vec<u8> {
    let mut k = author_seq(b'p', author, seq);
    k.extend_from_slice(&hash.0);
    k
}

/// Prefix of all held entries.
pub const HELD: &[u8] = b"p";

/// Last-cosigned checkpoint key.
pub fn cosigned(author: &Author) -> Vec<u8> {
    let mut k = vec![b'w'];
    k.extend_from_slice(author.as_str().as_bytes());
    k
}

/// Best known cosigned note key.
pub fn note(author: &Author) -> Vec<u8> {
    let mut k = vec![b'n'];
    k.extend_from_slice(author.as_str().as_bytes());
    k
}
