//! RFC 6962 / RFC 9162 Merkle trees over a chain's entries: roots,
//! inclusion and consistency proofs made from stored perfect subtrees in
//! O(log n) reads, and verifiers that need no store.
//!
//! Hashing: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left ||
//! right), empty tree = SHA-256(""). A consistency proof from size 0 is not
//! defined: [`consistency_proof`] and [`verify_consistency`] refuse it (a
//! witness cosigning a chain's first checkpoint has nothing to check).

use sha2::{Digest, Sha256};

/// A SHA-256 output.
pub type Hash = [u8; 32];

/// SHA-256(0x00 || entry bytes).
pub fn leaf_hash(entry_bytes: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry_bytes);
    h.finalize().into()
}

/// SHA-256(0x01 || left || right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// Where perfect subtree hashes come from.
pub trait SubtreeSource {
    /// Error of the source.
    type Error;
    /// Hash of the perfect subtree of 2^`level` leaves starting at leaf
    /// `index * 2^level` (level 0: the leaf hash).
    fn subtree(&self, level: u8, index: u64) -> Result<Hash, Self::Error>;
}

/// Why a Merkle computation or check failed.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum MerkleError<E> {
    /// The source failed.
    #[error("subtree source: {0}")]
    Source(E),
    /// A leaf index not below the tree size.
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange {
        /// The index.
        index: u64,
        /// The size.
        size: u64,
    },
    /// Sizes out of order, or a consistency proof from size 0.
    #[error("consistency needs 0 < old size ({old}) <= new size ({new})")]
    SizeOrder {
        /// Old size.
        old: u64,
        /// New size.
        new: u64,
    },
    /// The proof has the wrong number of hashes.
    #[error("proof has the wrong length")]
    ProofLength,
    /// The proof leads to another root.
    #[error("proof does not lead to the expected root")]
    RootMismatch,
}

/// A source that never fails (for verifiers' error type).
pub type VerifyError = MerkleError<std::convert::Infallible>;

fn largest_power_of_two_below(n: u64) -> u64 {
    // n >= 2
    1u64 << (63 - (n - 1).leading_zeros())
}

/// Hash of the leaves `[start, end)` where `start` is a multiple of the
/// largest power of two not exceeding `end - start` (always true for the
/// ranges RFC 6962 proofs use), from perfect subtrees.
fn range_hash<S: SubtreeSource>(
    src: &S,
    start: u64,
    end: u64,
) -> Result<Hash, MerkleError<S::Error>> {
    if end <= start {
        return Ok(empty_root());
    }
    let mut pieces = Vec::new();
    let mut at = start;
    let mut remaining = end - start;
    while remaining > 0 {
        let level = 63 - remaining.leading_zeros();
        let width = 1u64 << level;
        pieces.push(
            src.subtree(level as u8, at >> level)
                .map_err(MerkleError::Source)?,
        );
        at += width;
        remaining -= width;
    }
    let mut acc = pieces.pop().unwrap_or_else(empty_root);
    while let Some(left) = pieces.pop() {
        acc = node_hash(&left, &acc);
    }
    Ok(acc)
}

/// The root of the first `size` leaves, in O(log size) reads.
pub fn root<S: SubtreeSource>(src: &S, size: u64) -> Result<Hash, MerkleError<S::Error>> {
    range_hash(src, 0, size)
}

/// A perfect subtree: (level, index, hash).
pub type CompletedSubtree = (u8, u64, Hash);

/// The perfect subtrees completed by appending leaf `leaf_index` with hash
/// `leaf` (level 0 first). The source must already hold every earlier leaf
/// and the subtrees completed by earlier appends.
pub fn appended_subtrees<S: SubtreeSource>(
    src: &S,
    leaf_index: u64,
    leaf: Hash,
) -> Result<Vec<CompletedSubtree>, MerkleError<S::Error>> {
    let mut out = vec![(0u8, leaf_index, leaf)];
    let (mut level, mut index, mut hash) = (0u8, leaf_index, leaf);
    while index & 1 == 1 {
        let left = src.subtree(level, index - 1).map_err(MerkleError::Source)?;
        hash = node_hash(&left, &hash);
        level += 1;
        index >>= 1;
        out.push((level, index, hash));
    }
    Ok(out)
}

fn perfect<S: SubtreeSource>(
    src: &S,
    start: u64,
    width: u64,
) -> Result<Hash, MerkleError<S::Error>> {
    let level = width.trailing_zeros();
    src.subtree(level as u8, start >> level)
        .map_err(MerkleError::Source)
}

/// The RFC 9162 inclusion proof of leaf `leaf_index` in the tree of `size`
/// leaves, deepest sibling first.
pub fn inclusion_proof<S: SubtreeSource>(
    src: &S,
    leaf_index: u64,
    size: u64,
) -> Result<Vec<Hash>, MerkleError<S::Error>> {
    if leaf_index >= size {
        return Err(MerkleError::IndexOutOfRange {
            index: leaf_index,
            size,
        });
    }
    let mut path = Vec::new();
    let (mut lo, mut hi, mut m) = (0u64, size, leaf_index);
    while hi - lo > 1 {
        let k = largest_power_of_two_below(hi - lo);
        if m < k {
            path.push(range_hash(src, lo + k, hi)?);
            hi = lo + k;
        } else {
            path.push(perfect(src, lo, k)?);
            lo += k;
            m -= k;
        }
    }
    path.reverse();
    Ok(path)
}

/// The RFC 9162 consistency proof between the trees of `old_size` and
/// `new_size` leaves (0 < old_size <= new_size).
pub fn consistency_proof<S: SubtreeSource>(
    src: &S,
    old_size: u64,
    new_size: u64,
) -> Result<Vec<Hash>, MerkleError<S::Error>> {
    if old_size == 0 || old_size > new_size {
        return Err(MerkleError::SizeOrder {
            old: old_size,
            new: new_size,
        });
    }
    let mut proof = Vec::new();
    let (mut lo, mut hi, mut m, mut complete) = (0u64, new_size, old_size, true);
    while m != hi - lo {
        let k = largest_power_of_two_below(hi - lo);
        if m <= k {
            proof.push(range_hash(src, lo + k, hi)?);
            hi = lo + k;
        } else {
            proof.push(perfect(src, lo, k)?);
            lo += k;
            m -= k;
            complete = false;
        }
    }
    if !complete {
        proof.push(range_hash(src, lo, hi)?);
    }
    proof.reverse();
    Ok(proof)
}

/// Checks an inclusion proof (RFC 9162 section 2.1.3.2).
pub fn verify_inclusion(
    leaf: &Hash,
    leaf_index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), VerifyError> {
    if leaf_index >= size {
        return Err(MerkleError::IndexOutOfRange {
            index: leaf_index,
            size,
        });
    }
    let (mut f, mut s, mut r) = (leaf_index, size - 1, *leaf);
    for p in proof {
        if s == 0 {
            return Err(MerkleError::ProofLength);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(MerkleError::ProofLength);
    }
    if &r != root {
        return Err(MerkleError::RootMismatch);
    }
    Ok(())
}

/// Checks a consistency proof (RFC 9162 section 2.1.4.2).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), VerifyError> {
    if old_size == 0 || old_size > new_size {
        return Err(MerkleError::SizeOrder {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(MerkleError::ProofLength);
        }
        return if old_root == new_root {
            Ok(())
        } else {
            Err(MerkleError::RootMismatch)
        };
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else {
        return Err(MerkleError::ProofLength);
    };
    let (mut f, mut s) = (old_size - 1, new_size - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if s == 0 {
            return Err(MerkleError::ProofLength);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(MerkleError::ProofLength);
    }
    if &fr != old_root || &sr != new_root {
        return Err(MerkleError::RootMismatch);
    }
    Ok(())
}
