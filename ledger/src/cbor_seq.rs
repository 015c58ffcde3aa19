//! CBOR sequences (RFC 8742): concatenated CBOR items, each kept exactly
//! as given (signed entries are never re-encoded). The project's one reader
//! of the format (the node, the verifier): a whole body split at once
//! ([`split`]), an export streamed in pieces ([`SeqFramer`]) and a file or
//! stream read item by item ([`SeqReader`], over any `std::io::Read`; the
//! core itself opens nothing).
//!
//! Every item is bounded before it is buffered whole: an item longer than
//! the limit given (for entries, the genesis `max_entry_bytes`) is a named
//! error after at most that many bytes plus one read, never an allocation
//! of the size it claims. A sequence cannot be resynchronised after a
//! malformed item, so the first malformed item ends it, with its index and
//! byte offset.

use std::io::Read;

use serde::de::{Deserialize as _, IgnoredAny};

/// Bytes asked of the reader at a time by [`SeqReader`].
pub const READ_CHUNK_BYTES: usize = 64 * 1024;

/// Why a CBOR sequence could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SeqError {
    /// An item is not well-formed CBOR (nested deeper than 128 levels, a
    /// text string that is not UTF-8, a reserved code, ...).
    #[error("item {index} (at byte {offset}) is not CBOR: {reason}")]
    Malformed {
        /// Items before it.
        index: u64,
        /// Byte offset of its start.
        offset: u64,
        /// What the decoder said.
        reason: String,
    },
    /// An item is longer than the limit.
    #[error("item {index} (at byte {offset}) is longer than the limit of {max} bytes")]
    ItemTooLarge {
        /// Items before it.
        index: u64,
        /// Byte offset of its start.
        offset: u64,
        /// The limit.
        max: usize,
    },
    /// The sequence ends inside an item.
    #[error("the sequence ends inside item {index} (at byte {offset}): truncated")]
    Truncated {
        /// Items before it.
        index: u64,
        /// Byte offset of its start.
        offset: u64,
    },
    /// More items than allowed in one piece (a request body).
    #[error("more than {max} items")]
    TooManyItems {
        /// The limit.
        max: usize,
    },
    /// Reading the underlying file or stream failed.
    #[error("reading failed after item {index}: {source}")]
    Io {
        /// Items read before the failure.
        index: u64,
        /// The error.
        source: std::io::Error,
    },
}

impl SeqError {
    /// A stable snake_case name for the error.
    pub fn code(&self) -> &'static str {
        match self {
            SeqError::Malformed { .. } => "malformed",
            SeqError::ItemTooLarge { .. } => "item_too_large",
            SeqError::Truncated { .. } => "truncated",
            SeqError::TooManyItems { .. } => "too_many_items",
            SeqError::Io { .. } => "io",
        }
    }
}

/// The length of the complete CBOR item at the start of `bytes`, `None` if
/// `bytes` holds only the beginning of one (or nothing).
fn item_length(bytes: &[u8]) -> Result<Option<usize>, serde_cbor::Error> {
    let mut decoder = serde_cbor::Deserializer::from_slice(bytes);
    match IgnoredAny::deserialize(&mut decoder) {
        Ok(IgnoredAny) => Ok(Some(decoder.byte_offset())),
        Err(e) if e.is_eof() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Splits a whole CBOR sequence into its items, exactly as given: at most
/// `max_items` items of at most `max_item_bytes` bytes each.
pub fn split(
    bytes: &[u8],
    max_items: usize,
    max_item_bytes: usize,
) -> Result<Vec<Vec<u8>>, SeqError> {
    let mut framer = SeqFramer::new(max_item_bytes);
    framer.push(bytes);
    let mut items = Vec::new();
    while let Some(item) = framer.next_item()? {
        if items.len() == max_items {
            return Err(SeqError::TooManyItems { max: max_items });
        }
        items.push(item);
    }
    framer.finish()?;
    Ok(items)
}

/// Cuts a CBOR sequence arriving in pieces into items: push bytes as they
/// come, take complete items out. Holds at most one incomplete item (no
/// more than the limit) besides the last piece pushed.
#[derive(Debug)]
pub struct SeqFramer {
    buffer: Vec<u8>,
    start: usize,
    max_item_bytes: usize,
    index: u64,
    offset: u64,
    failed: bool,
}

impl SeqFramer {
    /// A framer refusing items longer than `max_item_bytes`.
    pub fn new(max_item_bytes: usize) -> Self {
        SeqFramer {
            buffer: Vec::new(),
            start: 0,
            max_item_bytes,
            index: 0,
            offset: 0,
            failed: false,
        }
    }

    /// Appends the next bytes of the sequence.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// Items taken out so far.
    pub fn items(&self) -> u64 {
        self.index
    }

    /// Bytes of the sequence taken out as items so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The next complete item, `None` until more bytes are pushed. After an
    /// error the framer stays failed (the sequence cannot be resynchronised).
    pub fn next_item(&mut self) -> Result<Option<Vec<u8>>, SeqError> {
        if self.failed {
            return Err(self.malformed("an earlier item was bad".into()));
        }
        let pending = &self.buffer[self.start..];
        match item_length(pending) {
            Ok(Some(length)) if length <= self.max_item_bytes => {
                let item = pending[..length].to_vec();
                self.start += length;
                self.index += 1;
                self.offset += length as u64;
                Ok(Some(item))
            }
            Ok(Some(_)) => Err(self.too_large()),
            Ok(None) if pending.len() > self.max_item_bytes => Err(self.too_large()),
            Ok(None) => Ok(None),
            Err(e) => {
                self.failed = true;
                Err(self.malformed(e.to_string()))
            }
        }
    }

    /// Checks that the sequence did not end inside an item (call once every
    /// byte was pushed and every item taken out).
    pub fn finish(&self) -> Result<(), SeqError> {
        if self.failed {
            return Err(self.malformed("an earlier item was bad".into()));
        }
        if self.start < self.buffer.len() {
            return Err(SeqError::Truncated {
                index: self.index,
                offset: self.offset,
            });
        }
        Ok(())
    }

    fn too_large(&mut self) -> SeqError {
        self.failed = true;
        SeqError::ItemTooLarge {
            index: self.index,
            offset: self.offset,
            max: self.max_item_bytes,
        }
    }

    fn malformed(&self, reason: String) -> SeqError {
        SeqError::Malformed {
            index: self.index,
            offset: self.offset,
            reason,
        }
    }
}

/// Reads a CBOR sequence item by item from a file or any reader, in
/// [`READ_CHUNK_BYTES`] reads: memory stays within one item's limit plus
/// one read, whatever the length of the sequence.
#[derive(Debug)]
pub struct SeqReader<R> {
    reader: R,
    framer: SeqFramer,
    chunk: Vec<u8>,
    bytes_read: u64,
    done: bool,
}

impl<R: Read> SeqReader<R> {
    /// A reader refusing items longer than `max_item_bytes`.
    pub fn new(reader: R, max_item_bytes: usize) -> Self {
        SeqReader {
            reader,
            framer: SeqFramer::new(max_item_bytes),
            chunk: vec![0; READ_CHUNK_BYTES],
            bytes_read: 0,
            done: false,
        }
    }

    /// Bytes read from the reader so far (items given out and the start of
    /// the next one).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Items given out so far.
    pub fn items(&self) -> u64 {
        self.framer.items()
    }
}

impl<R: Read> Iterator for SeqReader<R> {
    type Item = Result<Vec<u8>, SeqError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            match self.framer.next_item() {
                Ok(Some(item)) => return Some(Ok(item)),
                Ok(None) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
            let read = match self.reader.read(&mut self.chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    self.done = true;
                    return Some(Err(SeqError::Io {
                        index: self.framer.items(),
                        source,
                    }));
                }
            };
            if read == 0 {
                self.done = true;
                return self.framer.finish().err().map(Err);
            }
            self.bytes_read += read as u64;
            self.framer.push(&self.chunk[..read]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: usize) -> Vec<u8> {
        serde_cbor::to_vec(&serde_bytes::ByteBuf::from(vec![7u8; n])).expect("cbor")
    }

    #[test]
    fn sequences_split_into_exact_items() {
        let a = serde_cbor::to_vec(&(1u8, "x")).expect("cbor");
        let b = item(40);
        let joined = [a.clone(), b.clone()].concat();
        assert_eq!(
            split(&joined, 10, joined.len()).expect("split"),
            vec![a.clone(), b]
        );
        let mut truncated = a;
        truncated.pop();
        assert!(matches!(
            split(&truncated, 10, 64),
            Err(SeqError::Truncated { index: 0, .. })
        ));
        assert!(matches!(
            split(&[0xff, 0xff], 10, 64),
            Err(SeqError::Malformed { index: 0, .. })
        ));
        let many = vec![0u8; 5];
        assert!(matches!(
            split(&many, 4, 10),
            Err(SeqError::TooManyItems { max: 4 })
        ));
    }

    #[test]
    fn a_reader_gives_every_item_across_read_boundaries() {
        let items: Vec<Vec<u8>> = (0..500).map(|n| item(n * 37 % 3000)).collect();
        let joined = items.concat();
        // A reader that hands out 1,000 bytes at a time cuts items anywhere.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(1000).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let read: Vec<Vec<u8>> = SeqReader::new(Trickle(&joined), 4096)
            .collect::<Result<_, _>>()
            .expect("read");
        assert!(read == items);
    }

    #[test]
    fn an_item_over_the_limit_is_named_without_reading_what_it_claims() {
        // A byte string header claiming 2^62 bytes, then endless zeros.
        let mut huge = vec![0x5b];
        huge.extend_from_slice(&(1u64 << 62).to_be_bytes());
        let prefix = [item(10), huge].concat();
        let endless = prefix.as_slice().chain(std::io::repeat(0));
        let mut reader = SeqReader::new(endless, 1000);
        assert!(reader.next().expect("first").is_ok());
        match reader.next() {
            Some(Err(SeqError::ItemTooLarge {
                index: 1,
                offset,
                max: 1000,
            })) => assert_eq!(offset, item(10).len() as u64),
            other => panic!("expected item_too_large, got {other:?}"),
        }
        assert!(reader.bytes_read() <= (1000 + READ_CHUNK_BYTES) as u64);
        assert!(reader.next().is_none());
        // A complete item over the limit is refused too.
        let big = item(2000);
        let mut reader = SeqReader::new(big.as_slice(), 1000);
        assert!(matches!(
            reader.next(),
            Some(Err(SeqError::ItemTooLarge { index: 0, .. }))
        ));
    }

    #[test]
    fn a_file_cut_inside_an_item_is_truncated_after_the_complete_ones() {
        let joined = [item(10), item(10)].concat();
        let cut = &joined[..joined.len() - 3];
        let results: Vec<_> = SeqReader::new(cut, 1000).collect();
        assert_eq!(results.len(), 2);
        assert!(results[0].is_ok());
        assert!(matches!(
            results[1],
            Err(SeqError::Truncated { index: 1, .. })
        ));
    }
}
